import { isScalar, LineCounter, type Node, parseAllDocuments, type Scalar } from 'yaml';
import type { Parser as TSParser } from 'web-tree-sitter';
import type { ClaudeRun, ConfigProblem, JobContext, RunContext } from '../model/types.js';
import { runOf } from '../model/claude-invocation.js';
import { ShellReader } from './shell.js';
import { addYamlEnv } from './yaml-env.js';
import type { SourceFile } from '../syntax/source.js';
import { variablesOf, YamlView, yamlNotices } from '../syntax/yaml-nodes.js';
import { scalarOffsets } from '../syntax/yaml-scalar.js';

/** Top-level keys of `.gitlab-ci.yml` that are not jobs. */
const RESERVED = new Set([
  'stages',
  'variables',
  'default',
  'include',
  'workflow',
  'image',
  'services',
  'before_script',
  'after_script',
  'cache',
  'spec',
]);
const SCRIPTS = ['before_script', 'script', 'after_script'];
const MAX_EXTENDS = 10;

/**
 * Claude runs in `.gitlab-ci.yml`: every line of a job's `script`, `before_script` and `after_script` is a
 * shell command. Anchors, `<<` merges and `extends:` are followed, as GitLab does; hidden jobs (`.name`)
 * run only through the jobs that extend them. A job with an `image:` (its own, inherited, or the
 * default) runs in a container. A `spec:` header before `---` is allowed.
 */
export function readGitlabCi(
  file: SourceFile,
  parser: () => TSParser,
): { runs: ClaudeRun[]; problems: ConfigProblem[]; notices?: string[] } {
  const docs = parseAllDocuments(file.text, {
    lineCounter: new LineCounter(),
    prettyErrors: false,
    uniqueKeys: false,
  });
  const list = Array.isArray(docs) ? docs : [];
  const error = list.flatMap((d) => d.errors)[0];
  if (error || list.length === 0) {
    const at = error?.pos[0] ?? 0;
    return {
      runs: [],
      problems: [
        file.problem(
          'GitLab CI',
          at,
          Math.max(error?.pos[1] ?? at + 1, at + 1),
          `invalid YAML: ${error?.message.split('\n')[0] ?? 'the file holds no document'}`,
          'GitLab rejects the pipeline, and claude-guard cannot check what it runs',
        ),
      ],
    };
  }
  // With a `spec:` header the pipeline is the second document.
  const doc =
    list.length > 1 ? (list[list.length - 1] as (typeof list)[number]) : (list[0] as (typeof list)[number]);
  const y = new YamlView(doc);
  const root = doc.contents;
  if (!y.isMap(root)) return { runs: [], problems: [] };
  const jobs = new Map(y.pairs(root).map(([k, v]) => [String(k.value), v]));
  const jobKeys = new Map(y.pairs(root).map(([k]) => [String(k.value), k]));

  /** A job key's value through `extends:` (the last parent wins), as GitLab merges them. */
  // Memoised per job and key, and a chain through a job already on it stops: `extends` cycles and fans
  // cannot blow up.
  const memo = new Map<unknown, Map<string, Node | null | undefined>>();
  const inherited = (
    job: Node | null | undefined,
    key: string,
    depth = 0,
    path = new Set<unknown>(),
  ): Node | null | undefined => {
    const cached = memo.get(job)?.get(key);
    if (cached !== undefined || memo.get(job)?.has(key)) return cached;
    const found = inheritedUncached(job, key, depth, path);
    if (!memo.has(job)) memo.set(job, new Map());
    memo.get(job)?.set(key, found);
    return found;
  };
  const inheritedUncached = (
    job: Node | null | undefined,
    key: string,
    depth: number,
    path: Set<unknown>,
  ): Node | null | undefined => {
    const own = y.get(job, key);
    if (own !== undefined || depth > MAX_EXTENDS || path.has(job)) return own;
    path.add(job);
    const parents = y.get(job, 'extends');
    const names = y.items(parents).length > 0 ? y.items(parents) : parents ? [parents] : [];
    for (const name of [...names].reverse()) {
      const parent = isScalar(name) ? jobs.get(String(name.value)) : undefined;
      const found = parent && !path.has(parent) ? inheritedUncached(parent, key, depth + 1, path) : undefined;
      if (found !== undefined) return found;
    }
    return undefined;
  };

  const defaults = y.get(root, 'default');
  const rootImage = y.get(root, 'image') ?? y.get(defaults, 'image');
  const rootVariables = y.get(root, 'variables');
  const rootScripts = new Map(
    SCRIPTS.map((key) => [key, key === 'script' ? undefined : (y.get(root, key) ?? y.get(defaults, key))]),
  );
  const runs: ClaudeRun[] = [];
  for (const [name, job] of jobs) {
    if (RESERVED.has(name) || name.startsWith('.') || !y.isMap(job)) continue;
    const image = inherited(job, 'image') ?? rootImage;
    const context: RunContext = { surface: 'gitlab-ci' };
    const [keyStart, keyEnd] = jobKeys.get(name)?.range ?? [0, 0];
    const jobContext: JobContext = { id: name, span: file.span(keyStart, keyEnd), steps: [] };
    // The deployment environment (`environment: production` or its `name:`), as GitLab merges `extends`.
    const environment = inherited(job, 'environment');
    const envName = y.scalar(y.isMap(environment) ? y.get(environment, 'name') : environment);
    if (envName?.range && typeof envName.value === 'string')
      jobContext.environment = {
        value: envName.value,
        span: file.span(envName.range[0], envName.range[1]),
      };
    context.job = jobContext;
    if (image?.range)
      context.isolation = { value: 'container', span: file.span(image.range[0], image.range[1]) };
    const timeout = y.scalar(inherited(job, 'timeout') ?? y.get(defaults, 'timeout'));
    if (timeout?.range && timeout.value !== null && typeof timeout.value !== 'object')
      context.timeout = {
        value: String(timeout.value),
        span: file.span(timeout.range[0], timeout.range[1]),
      };
    const outer = variablesOf(file, y, [rootVariables, inherited(job, 'variables')]);
    // `before_script` and `script` run in one shell, one item after another (an `export` carries over);
    // `after_script` runs in a shell of its own.
    for (const session of [['before_script', 'script'], ['after_script']]) {
      const parts: { text: string; toFile: (i: number) => number }[] = [];
      for (const key of session) {
        const node = inherited(job, key) ?? rootScripts.get(key);
        // A script is a string or a list of strings; a list item may be an alias of another list.
        const lines = y.scalar(node)
          ? [node]
          : y.items(node).flatMap((i) => (y.scalar(i) ? [i] : y.items(i)));
        for (const line of lines) {
          const scalar = y.scalar(line);
          if (!scalar || typeof scalar.value !== 'string') continue;
          parts.push({
            text: scalar.value,
            toFile: scalarOffsets(file.text, scalar as Scalar, scalar.value),
          });
        }
      }
      if (!parts.some((p) => /claude|\$/.test(p.text))) continue;
      const { text, toFile } = joinedScript(parts);
      const reader = new ShellReader(parser(), { text, toFile, lines: file.lines, outer });
      for (const call of reader.claudeCalls()) {
        const run = runOf(file.path, call, context);
        // The job's `variables:`, then the pipeline's: the environment it runs with.
        addYamlEnv(
          file,
          y,
          run,
          [
            ['job', inherited(job, 'variables')],
            ['workflow', rootVariables],
          ],
          'exec',
        );
        runs.push(run);
      }
    }
  }
  return { runs, problems: [], ...yamlNotices(y) };
}

/**
 * Script items as one script, a line each, with the way from each character back to the file. The newline
 * after an item maps to its last character.
 */
function joinedScript(parts: { text: string; toFile: (i: number) => number }[]): {
  text: string;
  toFile: (i: number) => number;
} {
  const starts: number[] = [];
  let text = '';
  for (const part of parts) {
    starts.push(text.length);
    text += `${part.text}\n`;
  }
  const toFile = (i: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= i) lo = mid;
      else hi = mid - 1;
    }
    const part = parts[lo] as { text: string; toFile: (i: number) => number };
    const k = i - (starts[lo] as number);
    return part.toFile(Math.min(k, Math.max(0, part.text.length - 1)));
  };
  return { text, toFile };
}
