import type { Located } from './span.js';
import { parseToolRule, splitToolList } from './tool-rule.js';
import type { Arg, ClaudeCommand, ClaudeFlag, ToolRule } from './types.js';

type Arity = 'none' | 'one' | 'optional' | 'many';

/** Flags of the `claude` CLI and how many values each takes (variadic ones take words until the next flag). */
const FLAGS = new Map<string, Arity>(
  Object.entries({
    '-p': 'none',
    '--print': 'none',
    '--dangerously-skip-permissions': 'none',
    '--allow-dangerously-skip-permissions': 'none',
    '--verbose': 'none',
    '--debug': 'none',
    '-d': 'none',
    '-c': 'none',
    '--continue': 'none',
    '--strict-mcp-config': 'none',
    '--bare': 'none',
    '--safe-mode': 'none',
    '--include-partial-messages': 'none',
    '--replay-user-messages': 'none',
    '--fork-session': 'none',
    '--no-session-persistence': 'none',
    '--ide': 'none',
    '-v': 'none',
    '--version': 'none',
    '-h': 'none',
    '--help': 'none',
    '--permission-mode': 'one',
    '--model': 'one',
    '--fallback-model': 'one',
    '--output-format': 'one',
    '--input-format': 'one',
    '--max-turns': 'one',
    '--max-budget-usd': 'one',
    '--settings': 'one',
    '--setting-sources': 'one',
    '--system-prompt': 'one',
    '--system-prompt-file': 'one',
    '--append-system-prompt': 'one',
    '--append-system-prompt-file': 'one',
    '--permission-prompt-tool': 'one',
    '--json-schema': 'one',
    '--agent': 'one',
    '--agents': 'one',
    '--session-id': 'one',
    '-r': 'optional',
    '--resume': 'optional',
    '--debug-file': 'one',
    '--plugin-url': 'one',
    '--api-key': 'one',
    '--allowedTools': 'many',
    '--allowed-tools': 'many',
    '--disallowedTools': 'many',
    '--disallowed-tools': 'many',
    '--tools': 'many',
    '--add-dir': 'many',
    '--mcp-config': 'many',
    '--plugin-dir': 'many',
    '--betas': 'many',
  }),
);

const ALLOWED = new Set(['--allowedTools', '--allowed-tools']);
const DISALLOWED = new Set(['--disallowedTools', '--disallowed-tools']);

/** A word that could be a permission rule (rather than a prompt given after a variadic flag). */
const RULE_LIKE = /^[A-Za-z_*][\w*.-]*(\(.*)?$/s;

function isFlag(arg: Arg): boolean {
  // `--add-dir=$HOME`: the flag's name is written out even when its value is a variable.
  if (arg.dynamic) return /^--[A-Za-z][\w-]*=/.test(arg.value);
  return arg.value.startsWith('-') && arg.value.length > 1;
}

/** Splits `--name=value` into a flag and a value word that keeps exact positions. */
function splitEquals(arg: Arg): { name: string; value?: Arg } {
  const eq = arg.value.indexOf('=');
  if (!arg.value.startsWith('--') || eq < 0) return { name: arg.value };
  const text = arg.value.slice(eq + 1);
  const value: Arg = {
    value: text,
    span: arg.sub(eq + 1, arg.value.length),
    sub: (from, to) => arg.sub(eq + 1 + from, eq + 1 + to),
    dynamic: arg.dynamic,
  };
  return { name: arg.value.slice(0, eq), value };
}

/** The rules in one value of `--allowedTools`, each with its own span. */
export function toolRulesIn(arg: Arg): Located<ToolRule>[] {
  return splitToolList(arg.value)
    .filter((part) => RULE_LIKE.test(part.value))
    .map((part) => ({ value: parseToolRule(part.value), span: arg.sub(part.start, part.end) }));
}

/**
 * Reads the arguments of a `claude` command (everything after the program name). Unknown flags are kept
 * with no value; words that are not flags are prompts or subcommands.
 */
export function parseClaudeArgs(args: Arg[]): ClaudeCommand {
  const cmd: ClaudeCommand = {
    args,
    flags: [],
    allowedTools: [],
    disallowedTools: [],
    addDirs: [],
    print: false,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as Arg;
    if (!arg.dynamic && arg.value === '--') break;
    if (!isFlag(arg)) continue;
    const { name, value: inline } = splitEquals(arg);
    const arity = FLAGS.get(name) ?? 'none';
    const values: Arg[] = [];
    if (inline) values.push(inline);
    else if (arity === 'one' && i + 1 < args.length) values.push(args[++i] as Arg);
    // `--resume` alone opens a picker; it takes the next word only when that is not a flag.
    else if (arity === 'optional' && i + 1 < args.length && !isFlag(args[i + 1] as Arg))
      values.push(args[++i] as Arg);
    else if (arity === 'many') {
      while (i + 1 < args.length && !isFlag(args[i + 1] as Arg)) values.push(args[++i] as Arg);
    }
    const flag: ClaudeFlag = { name, span: arg.span, values };
    cmd.flags.push(flag);
    const first = values[0];
    if (name === '-p' || name === '--print') cmd.print = true;
    else if (name === '--dangerously-skip-permissions') cmd.dangerouslySkipPermissions = arg.span;
    else if (name === '--allow-dangerously-skip-permissions') cmd.allowDangerouslySkipPermissions = arg.span;
    else if (name === '--permission-mode' && first) {
      cmd.permissionMode = { value: first.value, span: first.span };
    } else if (ALLOWED.has(name)) cmd.allowedTools.push(...values.flatMap(toolRulesIn));
    else if (DISALLOWED.has(name)) cmd.disallowedTools.push(...values.flatMap(toolRulesIn));
    else if (name === '--add-dir') cmd.addDirs.push(...values.map((v) => ({ value: v.value, span: v.span })));
  }
  return cmd;
}

/**
 * Splits a string of command-line arguments (a `claude_args` input) into words the way a POSIX shell would
 * quote them, without running anything: `'…'`, `"…"`, backslash escapes, whitespace and newlines separate.
 * Offsets of each character of each word are kept, so a word's parts keep exact positions.
 */
export function splitArgString(
  text: string,
): { value: string; start: number; end: number; offsets: number[] }[] {
  const words: { value: string; start: number; end: number; offsets: number[] }[] = [];
  let i = 0;
  while (i < text.length) {
    // Whitespace and backslash-newline line continuations separate words.
    while (i < text.length && (/\s/.test(text[i] as string) || (text[i] === '\\' && text[i + 1] === '\n'))) {
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) break;
    if (text[i] === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const start = i;
    let value = '';
    let quoted = false;
    const offsets: number[] = [];
    while (i < text.length && !/\s/.test(text[i] as string)) {
      const c = text[i] as string;
      if (c === "'" || c === '"') quoted = true;
      if (c === "'") {
        i++;
        while (i < text.length && text[i] !== "'") {
          offsets.push(i);
          value += text[i++];
        }
        i++;
      } else if (c === '"') {
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1] as string)) i++;
          offsets.push(i);
          value += text[i++];
        }
        i++;
      } else if (c === '\\' && i + 1 < text.length) {
        i++;
        if (text[i] === '\n') {
          i++;
          continue;
        }
        offsets.push(i);
        value += text[i++];
      } else {
        offsets.push(i);
        value += c;
        i++;
      }
    }
    if (value.length > 0 || quoted) words.push({ value, start, end: Math.min(i, text.length), offsets });
  }
  return words;
}
