import { type Node, parseTree } from 'jsonc-parser';
import type { Parser as TSParser } from 'web-tree-sitter';
import type { Located } from '../model/span.js';
import type { ClaudeRun, IsolationContext, RunContext } from '../model/types.js';
import { execFormRuns, shellFormRuns } from './exec-form.js';
import type { ExecWord } from '../syntax/words.js';
import { entries } from '../syntax/json-doc.js';
import { jsonStringOffsets } from '../syntax/json-string.js';
import type { SourceFile } from '../syntax/source.js';

/** Lifecycle commands; all but `initializeCommand` (which runs on the host) run inside the dev container. */
const LIFECYCLE = [
  'initializeCommand',
  'onCreateCommand',
  'updateContentCommand',
  'postCreateCommand',
  'postStartCommand',
  'postAttachCommand',
];

/** Claude runs in a `devcontainer.json` (JSONC): lifecycle commands as a string, an array or named commands. */
export function readDevcontainer(
  file: SourceFile,
  parser: () => TSParser,
  isolation: Located<IsolationContext>,
): ClaudeRun[] {
  const root = parseTree(file.text, [], { allowTrailingComma: true, disallowComments: false });
  const runs: ClaudeRun[] = [];
  for (const [key, value] of entries(root)) {
    if (!LIFECYCLE.includes(String(key.value))) continue;
    const context: RunContext =
      key.value === 'initializeCommand'
        ? { surface: 'devcontainer' }
        : { surface: 'devcontainer', isolation };
    const commands = value.type === 'object' ? entries(value).map(([, v]) => v) : [value];
    for (const command of commands) runs.push(...commandRuns(file, parser, command, context));
  }
  return runs;
}

function commandRuns(file: SourceFile, parser: () => TSParser, node: Node, context: RunContext): ClaudeRun[] {
  if (node.type === 'string' && typeof node.value === 'string' && node.value.includes('claude')) {
    const { value, offsets } = jsonStringOffsets(file.text, node.offset);
    return shellFormRuns(
      file,
      parser(),
      value,
      (i) => offsets[Math.min(i, offsets.length - 1)] ?? node.offset,
      context,
    );
  }
  if (node.type === 'array') {
    const words: ExecWord[] = (node.children ?? [])
      .filter((c) => c.type === 'string')
      .map((c) => ({ ...jsonStringOffsets(file.text, c.offset), start: c.offset, end: c.offset + c.length }));
    return execFormRuns(file, parser, words, context);
  }
  return [];
}
