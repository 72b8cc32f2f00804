import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import type { Parser as TSParser } from 'web-tree-sitter';
import type { ClaudeRun, ConfigProblem, RunContext } from '../model/types.js';
import { ShellReader } from './shell.js';
import type { SourceFile } from './source.js';
import { scalarOffsets } from './yaml-scalar.js';

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
  'pages',
]);
const SCRIPTS = ['before_script', 'script', 'after_script'];

function get(node: unknown, key: string): Node | null | undefined {
  if (!isMap(node)) return undefined;
  return (node as YAMLMap).items.find((p) => isScalar(p.key) && p.key.value === key)?.value as
    Node | null | undefined;
}

/** A job's `image:`, its own or inherited through `extends:` from jobs and templates of the same file. */
function imageOf(root: YAMLMap, job: Node, depth = 0): Node | undefined {
  const own = get(job, 'image');
  if (own) return own;
  if (depth > 10) return undefined;
  const parents = get(job, 'extends');
  const names = isSeq(parents) ? parents.items : parents ? [parents] : [];
  // With several parents the last one wins, as GitLab merges them in order.
  for (const name of [...names].reverse()) {
    if (!isScalar(name)) continue;
    const parent = get(root, String(name.value));
    const image = parent ? imageOf(root, parent, depth + 1) : undefined;
    if (image) return image;
  }
  return undefined;
}

/**
 * Claude runs in `.gitlab-ci.yml`: every line of a job's `script`, `before_script` and `after_script` is a
 * shell command. A job with an `image:` (its own, or the file's default) runs in a container.
 */
export function readGitlabCi(
  file: SourceFile,
  parser: () => TSParser,
): { runs: ClaudeRun[]; problems: ConfigProblem[] } {
  const doc = parseDocument(file.text, {
    lineCounter: new LineCounter(),
    prettyErrors: false,
    uniqueKeys: false,
  });
  const error = doc.errors[0];
  if (error) {
    return {
      runs: [],
      problems: [
        file.problem(
          'GitLab CI',
          error.pos[0],
          Math.max(error.pos[1], error.pos[0] + 1),
          `invalid YAML: ${error.message.split('\n')[0]}`,
          'GitLab rejects the pipeline, and claude-guard cannot check what it runs',
        ),
      ],
    };
  }
  const root = doc.contents;
  if (!isMap(root)) return { runs: [], problems: [] };
  const defaultImage = get(root, 'image') ?? get(get(root, 'default'), 'image');
  const runs: ClaudeRun[] = [];
  for (const pair of root.items) {
    if (!isScalar(pair.key) || RESERVED.has(String(pair.key.value)) || !isMap(pair.value)) continue;
    const job = pair.value;
    const image = imageOf(root, job) ?? defaultImage;
    const context: RunContext = { surface: 'gitlab-ci' };
    if (image?.range)
      context.isolation = { value: 'container', span: file.span(image.range[0], image.range[1]) };
    for (const key of SCRIPTS) {
      const node = get(job, key);
      const lines = isSeq(node) ? node.items.flatMap((i) => (isSeq(i) ? i.items : [i])) : node ? [node] : [];
      for (const line of lines) {
        if (!isScalar(line) || typeof line.value !== 'string' || !line.value.includes('claude')) continue;
        const text = line.value;
        const toFile = scalarOffsets(file.text, line as Scalar, text);
        const reader = new ShellReader(parser(), { text, toFile, lines: file.lines });
        for (const call of reader.claudeCalls()) {
          runs.push({
            kind: 'cli',
            path: file.path,
            span: call.program.span,
            context,
            command: call.command,
          });
        }
      }
    }
  }
  return { runs, problems: [] };
}
