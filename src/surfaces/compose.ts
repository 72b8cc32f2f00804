import type { Parser as TSParser } from 'web-tree-sitter';
import { LineCounter, type Node, parseDocument } from 'yaml';
import type { Located } from '../model/span.js';
import type {
  ClaudeRun,
  ConfigProblem,
  EnvAssignment,
  IsolationContext,
  RunContext,
} from '../model/types.js';
import { execFormRuns, shellFormRuns } from './exec-form.js';
import { envOrigin } from '../model/env.js';
import { type ExecWord, hasExpansion, wordArg } from '../syntax/words.js';
import type { SourceFile } from '../syntax/source.js';
import { execWordOf, YamlView, yamlNotices } from '../syntax/yaml-nodes.js';
import { scalarOffsets } from '../syntax/yaml-scalar.js';

/**
 * Claude runs in a Docker Compose file: a service's `entrypoint` and `command` (a string is run by a
 * shell, a list is run as it is; a list `command` gives arguments to a list `entrypoint`). Services run in
 * containers, as the service's `user:` (else the image's default user, located at `image:` or `build:`), in
 * its `working_dir`, with its `environment:`.
 */
export function readCompose(
  file: SourceFile,
  parser: () => TSParser,
): { runs: ClaudeRun[]; problems: ConfigProblem[]; notices?: string[] } {
  const doc = parseDocument(file.text, {
    lineCounter: new LineCounter(),
    prettyErrors: false,
    uniqueKeys: false,
  });
  if (doc.errors.length > 0) return { runs: [], problems: [] };
  const y = new YamlView(doc);
  const runs: ClaudeRun[] = [];
  const words = (node: Node | null | undefined): ExecWord[] =>
    y.items(node).flatMap((item) => execWordOf(file, y, item) ?? []);
  for (const [, service] of y.pairs(y.get(doc.contents, 'services'))) {
    const node = y.deref(service);
    const entrypoint = y.get(node, 'entrypoint');
    const command = y.get(node, 'command');
    const at = (n: Node | null | undefined): Located<IsolationContext> => ({
      value: 'container',
      span: file.span(n?.range?.[0] ?? 0, n?.range?.[1] ?? 0),
    });
    const context: RunContext = { surface: 'compose', isolation: at(entrypoint ?? command) };
    const user = located(file, y, y.get(node, 'user'));
    const image = y.get(node, 'image') ?? y.get(node, 'build');
    if (user) context.user = { ...user, from: 'setting' };
    else if (image) context.user = { value: 'root', span: at(image).span, from: 'image-default' };
    const workdir = located(file, y, y.get(node, 'working_dir'));
    if (workdir) context.workingDirectory = workdir;
    const env = environmentOf(file, y, y.get(node, 'environment'));
    const shellOf = (n: Node | null | undefined): ClaudeRun[] => {
      const scalar = y.scalar(n);
      if (!scalar || typeof scalar.value !== 'string' || !scalar.value.includes('claude')) return [];
      return shellFormRuns(
        file,
        parser(),
        scalar.value,
        scalarOffsets(file.text, scalar, scalar.value),
        context,
      );
    };
    const found: ClaudeRun[] = [];
    const listed = [...words(entrypoint), ...words(command)];
    if (listed.length > 0 && listed.some((w) => w.value.includes('claude'))) {
      found.push(...execFormRuns(file, parser, listed, context));
    }
    found.push(...shellOf(entrypoint), ...shellOf(command));
    runs.push(...found.map((run) => withEnv(run, env)));
  }
  return { runs, problems: [], ...yamlNotices(y) };
}

/** A scalar (string or number) located at its content. */
function located(file: SourceFile, y: YamlView, node: Node | null | undefined): Located<string> | undefined {
  const scalar = y.scalar(node);
  if (!scalar || scalar.value === null || typeof scalar.value === 'object') return undefined;
  const value = String(scalar.value);
  if (value.length === 0) return undefined;
  const toFile = scalarOffsets(file.text, scalar, value);
  return { value, span: file.span(toFile(0), toFile(value.length - 1) + 1) };
}

/** A service's `environment:`, as a map (`NAME: value`) or a list (`- NAME=value`). */
function environmentOf(file: SourceFile, y: YamlView, node: Node | null | undefined): EnvAssignment[] {
  const out: EnvAssignment[] = [];
  const add = (
    name: string,
    value: string,
    toFile: (i: number) => number,
    nameSpan: Located<string>['span'],
  ) => {
    const arg = wordArg(
      value,
      (k) => toFile(k),
      (a, b) => file.span(a, b),
      hasExpansion(value, 'exec'),
      nameSpan,
    );
    out.push({ name, value: arg, origin: envOrigin(arg), scope: 'container', nameSpan });
  };
  for (const [key, value] of y.pairs(node)) {
    const name = located(file, y, key);
    const scalar = y.scalar(value);
    if (!name || !scalar || scalar.value === null || typeof scalar.value === 'object') continue;
    const text = String(scalar.value);
    add(name.value, text, scalarOffsets(file.text, scalar, text), name.span);
  }
  for (const item of y.items(node)) {
    const scalar = y.scalar(item);
    if (!scalar || typeof scalar.value !== 'string') continue;
    const text = scalar.value;
    const eq = text.indexOf('=');
    if (eq <= 0) continue;
    const toFile = scalarOffsets(file.text, scalar, text);
    add(
      text.slice(0, eq),
      text.slice(eq + 1),
      (k) => toFile(eq + 1 + k),
      file.span(toFile(0), toFile(eq - 1) + 1),
    );
  }
  return out;
}

/** A run with the service's variables after what its own command line sets; a name set closer wins. */
function withEnv(run: ClaudeRun, env: EnvAssignment[]): ClaudeRun {
  const seen = new Set(run.env.map((e) => e.name));
  const added = env.filter((e) => !seen.has(e.name) && seen.add(e.name));
  return added.length > 0 ? { ...run, env: [...run.env, ...added] } : run;
}
