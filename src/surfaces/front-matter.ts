import type { Parser as TSParser } from 'web-tree-sitter';
import { cutMessage, MAX_GRANTS, MAX_HOOKS, noteCut } from './cuts.js';
import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
  type YAMLError,
} from 'yaml';
import { parseToolRule, splitToolList } from '../model/tool-rule.js';
import type { Located } from '../model/span.js';
import type {
  ConfigProblem,
  HelperCommand,
  IsolationContext,
  MarkdownDefinition,
  RemoteCode,
  SettingsHook,
  ToolRule,
} from '../model/types.js';
import type { SourceFile } from '../syntax/source.js';
import { hasExpansion, wordArg } from '../syntax/words.js';
import { scalarOffsets } from '../syntax/yaml-scalar.js';
import { execRemoteCode, shellRemoteCode } from './remote-code.js';
import { HOOK_RUNS } from './settings.js';

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(\r?\n|$)/;

export function definitionKind(path: string): MarkdownDefinition['kind'] | undefined {
  const m = /(^|\/)\.claude\/(commands|agents|skills)\//.exec(path);
  if (!m) return undefined;
  if (m[2] === 'skills') return path.endsWith('/SKILL.md') ? 'skill' : undefined;
  return m[2] === 'agents' ? 'agent' : 'command';
}

/**
 * Reads the front matter of a Claude command, agent or skill: `allowed-tools` (a grant while it runs),
 * an agent's `tools` (a limit, not a grant), `permissionMode`, and `hooks` (with `shell`, the bash grammar,
 * what their commands fetch and run).
 */
export function readDefinition(
  file: SourceFile,
  kind: MarkdownDefinition['kind'],
  isolation?: Located<IsolationContext>,
  shell?: () => TSParser | undefined,
): { definition?: MarkdownDefinition; problems: ConfigProblem[] } {
  const m = FRONT_MATTER.exec(file.text);
  // The body of a command or a skill can run shell commands of its own (``!`git diff` ``).
  const inline = kind === 'agent' ? [] : inlineShell(file, m ? m[0].length : 0, shell);
  const withInline = (definition: MarkdownDefinition): MarkdownDefinition => {
    if (inline.length > 0) definition.inlineShell = inline;
    return definition;
  };
  if (!m) {
    if (inline.length === 0) return { problems: [] };
    const plain: MarkdownDefinition = { path: file.path, kind, allowedTools: [], tools: [] };
    if (isolation) plain.isolation = isolation;
    return { definition: withInline(plain), problems: [] };
  }
  const base = m[0].indexOf('\n') + 1;
  const yamlText = m[1] as string;
  const doc = parseDocument(yamlText, {
    lineCounter: new LineCounter(),
    prettyErrors: false,
    uniqueKeys: false,
  });
  const error = doc.errors[0];
  if (error) return { problems: [yamlProblem(file, doc, error, base, kind)] };
  const root = doc.contents;
  const definition: MarkdownDefinition = { path: file.path, kind, allowedTools: [], tools: [] };
  if (isolation) definition.isolation = isolation;
  withInline(definition);
  if (!isMap(root)) return { definition, problems: [] };
  const get = (key: string): Node | undefined =>
    root.items.find((p) => isScalar(p.key) && p.key.value === key)?.value as Node | undefined;
  const rules = (node: Node | undefined): Located<ToolRule>[] => {
    const scalars = isSeq(node) ? node.items : node ? [node] : [];
    const out: Located<ToolRule>[] = [];
    for (const item of scalars) {
      if (!isScalar(item) || typeof item.value !== 'string') continue;
      const value = item.value;
      const at = scalarOffsets(yamlText, item, value);
      for (const part of splitToolList(value)) {
        if (out.length >= MAX_GRANTS) {
          noteCut(file.lines, cutMessage('tools in one list', MAX_GRANTS));
          return out;
        }
        out.push({
          value: parseToolRule(part.value),
          span: file.span(base + at(part.start), base + at(part.end - 1) + 1),
        });
      }
    }
    return out;
  };
  if (kind !== 'agent') definition.allowedTools = rules(get('allowed-tools'));
  else definition.tools = rules(get('tools'));
  const mode = get('permissionMode');
  if (isScalar(mode) && typeof mode.value === 'string') {
    const at = scalarOffsets(yamlText, mode, mode.value);
    definition.permissionMode = {
      value: mode.value,
      span: file.span(base + at(0), base + at(mode.value.length - 1) + 1),
    };
  }
  const hooks = frontMatterHooks(file, yamlText, base, get('hooks'), shell);
  if (hooks.length > 0) definition.hooks = hooks;
  return { definition, problems: [] };
}

/** A shell command in the body of a command or a skill, run when it is: ``!`git diff` ``. */
const INLINE_SHELL = /!`([^`\r\n]+)`/g;

/**
 * The shell commands a command's or skill's body runs before its prompt is sent (``!`cmd` ``), from `from` on
 * (past the front matter), each located at its text, with the remote code it fetches and runs.
 */
function inlineShell(file: SourceFile, from: number, shell?: () => TSParser | undefined): HelperCommand[] {
  const out: HelperCommand[] = [];
  for (const m of file.text.slice(from).matchAll(INLINE_SHELL)) {
    if (out.length >= MAX_HOOKS) {
      noteCut(file.lines, cutMessage('inline shell commands', MAX_HOOKS));
      break;
    }
    const text = m[1] as string;
    const start = from + (m.index ?? 0) + 2;
    const command: HelperCommand = {
      key: 'inline shell',
      run: { value: text, span: file.span(start, start + text.length) },
    };
    const parser = shell?.();
    const remote = parser ? shellRemoteCode(file, parser, text, (i) => start + i) : [];
    if (remote.length > 0) command.remote = remote;
    out.push(command);
  }
  return out;
}

/**
 * A front matter that is not valid YAML, placed where the problem is. The parser reports an unclosed quoted
 * string or flow collection where it gave up looking for its end (often the last line): such a problem is
 * placed at the start of what was never closed, or, when that is not found, at the front matter's first line
 * with a message that says the place is not exact. Other errors are reported where the parser found them.
 */
export function yamlProblem(
  file: SourceFile,
  doc: Document,
  error: YAMLError,
  base: number,
  kind: MarkdownDefinition['kind'],
): ConfigProblem {
  const message = error.message.split('\n')[0] as string;
  const consequence = `Claude Code cannot read the ${kind}'s settings`;
  const [from, to] = error.pos;
  const quote = /^Missing closing (["'])quote/.exec(message)?.[1];
  // `Flow sequence must end with a ]`, `Flow map in block collection must … end with a }`.
  const flow = /\bend with an? [\]}]/.test(message);
  if (!quote && !flow)
    return file.problem(
      'front matter',
      base + from,
      base + Math.max(to, from + 1),
      `invalid YAML: ${message}`,
      consequence,
    );
  const start = unclosedAt(doc, from, quote);
  if (start !== undefined) {
    const what = quote ? 'this quoted value is never closed' : 'this flow collection is never closed';
    return file.problem(
      'front matter',
      base + start,
      base + start + 1,
      `invalid YAML: ${what} (${message})`,
      consequence,
    );
  }
  const line = file.span(base + from, base + from).line;
  return file.problem(
    'front matter',
    0,
    3,
    `invalid YAML somewhere in the front matter (the parser gave up on line ${line}): ${message}`,
    consequence,
  );
}

/**
 * The start of the innermost quoted scalar (with `quote`) or flow collection (without) that runs up to the
 * parser's error at `pos`.
 */
function unclosedAt(doc: Document, pos: number, quote: string | undefined): number | undefined {
  let found: number | undefined;
  const consider = (node: Node): void => {
    const range = node.range;
    if (!range || range[0] >= pos || range[1] < pos) return;
    if (found === undefined || range[0] > found) found = range[0];
  };
  const type = quote === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
  visit(doc, {
    Scalar: (_key, node) => {
      if (quote && node.type === type) consider(node);
    },
    Map: (_key, node) => {
      if (!quote && node.flow) consider(node);
    },
    Seq: (_key, node) => {
      if (!quote && node.flow) consider(node);
    },
  });
  return found;
}

/** A string scalar of the front matter, with where each of its characters is in the file. */
interface FrontMatterString {
  value: string;
  /** File offset of the value's `i`-th character. */
  at: (i: number) => number;
}

function stringIn(yamlText: string, base: number, node: unknown): FrontMatterString | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || node.value.length === 0) return undefined;
  const value = node.value;
  const at = scalarOffsets(yamlText, node, value);
  return { value, at: (i) => base + at(i) };
}

/** A key's value in a YAML mapping, as the last of its pairs gives it. */
function valueOf(map: unknown, key: string): unknown {
  if (!isMap(map)) return undefined;
  let found: unknown;
  for (const pair of map.items) if (isScalar(pair.key) && pair.key.value === key) found = pair.value;
  return found;
}

/**
 * Hooks declared in front matter, in the shape of the settings files' `hooks`: `hooks.<Event>[].hooks[]`,
 * each with its group's matcher, and for command hooks the remote code they run.
 */
function frontMatterHooks(
  file: SourceFile,
  yamlText: string,
  base: number,
  node: unknown,
  shell?: () => TSParser | undefined,
): SettingsHook[] {
  if (!isMap(node)) return [];
  const located = (s: FrontMatterString): Located<string> => ({
    value: s.value,
    span: file.span(s.at(0), s.at(s.value.length - 1) + 1),
  });
  const hooks: SettingsHook[] = [];
  for (const pair of node.items) {
    const key = stringIn(yamlText, base, pair.key);
    if (!key || !isSeq(pair.value)) continue;
    for (const group of pair.value.items) {
      const matcher = stringIn(yamlText, base, valueOf(group, 'matcher'));
      const list = valueOf(group, 'hooks');
      for (const hook of isSeq(list) ? list.items : []) {
        if (hooks.length >= MAX_HOOKS) {
          noteCut(file.lines, cutMessage('hooks', MAX_HOOKS));
          return hooks;
        }
        const typeNode = valueOf(hook, 'type');
        const type = isScalar(typeNode) && typeof typeNode.value === 'string' ? typeNode.value : 'command';
        const run = stringIn(yamlText, base, valueOf(hook, HOOK_RUNS.get(type) ?? 'command'));
        if (!run) continue;
        const h: SettingsHook = { event: located(key), type, run: located(run) };
        if (matcher) h.matcher = located(matcher);
        if (type === 'command') {
          const remote = hookRemote(file, run, valueOf(hook, 'args'), yamlText, base, shell);
          if (remote.length > 0) h.remote = remote;
        }
        hooks.push(h);
      }
    }
  }
  return hooks;
}

/** What a front matter command hook fetches and runs: its `command` read as shell, or with `args` as a program. */
function hookRemote(
  file: SourceFile,
  command: FrontMatterString,
  args: unknown,
  yamlText: string,
  base: number,
  shell?: () => TSParser | undefined,
): RemoteCode[] {
  if (isSeq(args)) {
    const strings = [command, ...args.items.flatMap((a) => stringIn(yamlText, base, a) ?? [])];
    return execRemoteCode(
      strings.map((s) =>
        wordArg(
          s.value,
          (k) => (k < s.value.length ? s.at(k) : undefined),
          (a, b) => file.span(a, b),
          hasExpansion(s.value, 'exec'),
        ),
      ),
    );
  }
  const parser = shell?.();
  return parser ? shellRemoteCode(file, parser, command.value, command.at) : [];
}
