import { parseTree } from 'jsonc-parser';
import type { Parser as TSParser } from 'web-tree-sitter';
import { LineCounter, parseDocument, type Scalar } from 'yaml';
import { splitArgString } from '../model/claude-command.js';
import type { ClaudeRun, ConfigProblem, RunContext } from '../model/types.js';
import { execFormRuns } from './exec-form.js';
import type { ExecWord } from '../syntax/words.js';
import { child, entries } from '../syntax/json-doc.js';
import { jsonStringOffsets } from '../syntax/json-string.js';
import type { SourceFile } from '../syntax/source.js';
import { execWordOf, YamlView, yamlNotices } from '../syntax/yaml-nodes.js';
import { scalarOffsets } from '../syntax/yaml-scalar.js';

/** The words of a command line held in one string, each character mapped to the file. */
function lineWords(value: string, toFile: (i: number) => number): ExecWord[] {
  return splitArgString(value).map((w) => ({
    value: w.value,
    offsets: w.offsets.map(toFile),
    start: toFile(w.start),
    end: toFile(Math.max(w.start, w.end - 1)) + 1,
  }));
}

/**
 * Claude run by a pre-commit hook: `entry` (split like a command line, no shell) followed by `args`, as
 * pre-commit runs them.
 */
export function readPreCommit(
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
  const context: RunContext = { surface: 'task-config' };
  const runs: ClaudeRun[] = [];
  const scalarWords = (node: unknown): ExecWord[] => {
    const scalar = y.scalar(node);
    if (!scalar || scalar.value === null || typeof scalar.value === 'object') return [];
    const value = String(scalar.value);
    return lineWords(value, scalarOffsets(file.text, scalar as Scalar, value));
  };
  for (const repo of y.items(y.get(doc.contents, 'repos'))) {
    for (const hook of y.items(y.get(repo, 'hooks'))) {
      const entry = scalarWords(y.get(hook, 'entry'));
      if (!entry.some((w) => w.value.includes('claude'))) continue;
      const args = y.items(y.get(hook, 'args')).flatMap((a) => execWordOf(file, y, a) ?? []);
      runs.push(...execFormRuns(file, parser, [...entry, ...args], context));
    }
  }
  return { runs, problems: [], ...yamlNotices(y) };
}

/** Claude run by a VS Code task: `command` (a command line) followed by `args`. */
export function readVscodeTasks(
  file: SourceFile,
  parser: () => TSParser,
): { runs: ClaudeRun[]; problems: ConfigProblem[] } {
  const root = parseTree(file.text, [], { allowTrailingComma: true, disallowComments: false });
  const context: RunContext = { surface: 'task-config' };
  const runs: ClaudeRun[] = [];
  const tasks = child(root, 'tasks');
  for (const task of tasks?.type === 'array' ? (tasks.children ?? []) : []) {
    const command = child(task, 'command');
    if (command?.type !== 'string' || typeof command.value !== 'string' || !command.value.includes('claude'))
      continue;
    const { value, offsets } = jsonStringOffsets(file.text, command.offset);
    const words = lineWords(value, (i) => offsets[Math.min(i, offsets.length - 1)] ?? command.offset);
    const args = child(task, 'args');
    for (const arg of args?.type === 'array' ? (args.children ?? []) : []) {
      const node = arg.type === 'object' ? entries(arg).find(([k]) => k.value === 'value')?.[1] : arg;
      if (node?.type !== 'string') continue;
      const text = jsonStringOffsets(file.text, node.offset);
      words.push({ ...text, start: node.offset, end: node.offset + node.length });
    }
    runs.push(...execFormRuns(file, parser, words, context));
  }
  return { runs, problems: [] };
}
