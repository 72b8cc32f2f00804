import { type Node, parseTree } from 'jsonc-parser';
import type { Parser as TSParser } from 'web-tree-sitter';
import type { Located } from '../model/span.js';
import type { ClaudeRun, EnvAssignment, IsolationContext, RunContext } from '../model/types.js';
import { execFormRuns, shellFormRuns } from './exec-form.js';
import { envOrigin } from '../model/env.js';
import { type ExecWord, wordArg } from '../syntax/words.js';
import { child, entries, stringAt } from '../syntax/json-doc.js';
import { claudeFeature } from '../model/claude-install.js';
import { noteInstall } from './installs.js';
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

/**
 * Claude runs in a `devcontainer.json` (JSONC): lifecycle commands as a string, an array or named commands.
 * Those inside the container run as `remoteUser` (else `containerUser`), in `workspaceFolder`, with
 * `remoteEnv` and `containerEnv`; `initializeCommand` runs on the host and gets none of them.
 */
export function readDevcontainer(
  file: SourceFile,
  parser: () => TSParser,
  isolation: Located<IsolationContext>,
): ClaudeRun[] {
  const root = parseTree(file.text, [], { allowTrailingComma: true, disallowComments: false });
  const top = new Map(entries(root).map(([k, v]) => [String(k.value), v]));
  const inside: RunContext = { surface: 'devcontainer', isolation };
  const user = stringAt(file, top.get('remoteUser')) ?? stringAt(file, top.get('containerUser'));
  if (user) inside.user = { ...user, from: 'setting' };
  const folder = stringAt(file, top.get('workspaceFolder'));
  if (folder) inside.workingDirectory = folder;
  const env = [...envOf(file, top.get('remoteEnv')), ...envOf(file, top.get('containerEnv'))];
  // Features that install Claude Code: `"ghcr.io/…/claude-code:1": { "version": "…" }`, or a string value,
  // which is the feature's `version` option.
  for (const [key, value] of entries(top.get('features'))) {
    const id = stringAt(file, key);
    const version = stringAt(file, value.type === 'string' ? value : child(value, 'version'));
    const install = id && claudeFeature(id, version);
    if (install) noteInstall(file.lines, install);
  }
  const runs: ClaudeRun[] = [];
  for (const [key, value] of entries(root)) {
    if (!LIFECYCLE.includes(String(key.value))) continue;
    const onHost = key.value === 'initializeCommand';
    const context: RunContext = onHost ? { surface: 'devcontainer' } : inside;
    const commands = value.type === 'object' ? entries(value).map(([, v]) => v) : [value];
    for (const command of commands) {
      const found = commandRuns(file, parser, command, context);
      runs.push(...(onHost ? found : found.map((run) => withEnv(run, env))));
    }
  }
  return runs;
}

/** The variables of `containerEnv` or `remoteEnv`. */
function envOf(file: SourceFile, node: Node | undefined): EnvAssignment[] {
  if (node?.type !== 'object') return [];
  return entries(node).flatMap(([key, v]) => {
    if (v.type !== 'string') return [];
    const { value, offsets } = jsonStringOffsets(file.text, v.offset);
    const arg = wordArg(
      value,
      (k) => offsets[k],
      (a, b) => file.span(a, b),
      /\$\{/.test(value),
      file.span(v.offset, v.offset + v.length),
    );
    return [
      {
        name: String(key.value),
        value: arg,
        origin: envOrigin(arg),
        scope: 'container' as const,
        nameSpan: file.span(key.offset, key.offset + key.length),
      },
    ];
  });
}

/** A run with the container's variables after what its own command line sets; a name set closer wins. */
function withEnv(run: ClaudeRun, env: EnvAssignment[]): ClaudeRun {
  const seen = new Set(run.env.map((e) => e.name));
  const added = env.filter((e) => !seen.has(e.name) && seen.add(e.name));
  return added.length > 0 ? { ...run, env: [...run.env, ...added] } : run;
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
