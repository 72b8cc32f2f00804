import type { Risk, ToolRule } from './types.js';

/** Old tool names Claude Code still accepts in rules, mapped to today's names. */
const LEGACY_NAMES = new Map<string, string>(
  Object.entries({
    View: 'Read',
    GlobTool: 'Glob',
    GrepTool: 'Grep',
    Replace: 'Write',
    dispatch_agent: 'Agent',
    Task: 'Agent',
    LSTool: 'LS',
    BashTool: 'Bash',
    FileReadTool: 'Read',
    FileEditTool: 'Edit',
    FileWriteTool: 'Write',
  }),
);

const RISK = new Map<string, Risk>(
  Object.entries({
    Bash: 'execute',
    PowerShell: 'execute',
    Edit: 'write',
    Write: 'write',
    MultiEdit: 'write',
    NotebookEdit: 'write',
    TodoWrite: 'read',
    Read: 'read',
    NotebookRead: 'read',
    Glob: 'read',
    Grep: 'read',
    LS: 'read',
    WebFetch: 'read',
    WebSearch: 'read',
    Agent: 'read',
    Skill: 'read',
    SlashCommand: 'read',
    AskUserQuestion: 'read',
    ExitPlanMode: 'read',
    Cd: 'read',
    // Tools of Claude Code versions the reference does not list, seen in committed settings: reading the
    // to-do list, the output of a background shell Claude started (or stopping it), MCP resources.
    TodoRead: 'read',
    BashOutput: 'read',
    KillShell: 'read',
    KillBash: 'read',
    ListMcpResourcesTool: 'read',
    ReadMcpResourceTool: 'read',
  } satisfies Record<string, Risk>),
);

/** Tools whose every use runs arbitrary commands. */
export const SHELL_TOOLS: readonly string[] = ['Bash', 'PowerShell'];

/** Specifiers that match every use of the tool. */
const ANY_SPECIFIER = /^\s*(\*|\*\*|:\*|\*:\*)?\s*$/;

/**
 * Parses one permission rule: `Tool`, `Tool(specifier)`, `mcp__server__tool`. The legacy prefix form
 * `Bash(npm run test:*)` and the current glob form `Bash(npm run *)` are told apart.
 */
export function parseToolRule(raw: string): ToolRule {
  const text = raw.trim();
  const open = text.indexOf('(');
  let tool = text;
  let specifier: string | undefined;
  let problem: string | undefined;
  if (open >= 0) {
    tool = text.slice(0, open).trim();
    if (text.endsWith(')')) specifier = text.slice(open + 1, -1);
    else {
      specifier = text.slice(open + 1);
      problem = 'the rule opens a parenthesis it never closes';
    }
  }
  if (!problem && !/^[A-Za-z_*][\w*.-]*$/.test(tool)) problem = `"${tool}" is not a tool name`;
  const canonical = LEGACY_NAMES.get(tool) ?? tool;
  let form: ToolRule['form'];
  if (specifier === undefined) form = 'bare';
  else if (ANY_SPECIFIER.test(specifier)) form = 'any';
  else if (/:\*\s*$/.test(specifier) && !specifier.slice(0, -2).includes('*')) form = 'prefix';
  else if (specifier.includes('*')) form = 'glob';
  else form = 'exact';
  const risk: Risk = canonical.startsWith('mcp__') ? 'execute' : (RISK.get(canonical) ?? 'execute');
  const rule: ToolRule = { raw, tool, canonical, form, risk };
  if (specifier !== undefined) rule.specifier = specifier;
  if (problem) rule.problem = problem;
  return rule;
}

/** True when the rule grants every use of a shell tool (`Bash`, `Bash(*)`, `Bash(:*)`, `PowerShell`). */
export function isUnscopedShell(rule: ToolRule): boolean {
  return SHELL_TOOLS.includes(rule.canonical) && (rule.form === 'bare' || rule.form === 'any');
}

/**
 * Splits a list of rules written as one string, the way `--allowedTools` and `allowed_tools` take them:
 * separated by commas or whitespace, except inside parentheses. Returns each rule with its offsets.
 */
export function splitToolList(text: string): { value: string; start: number; end: number }[] {
  const out: { value: string; start: number; end: number }[] = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text[i] : ',';
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    // The end of the text ends the last rule even inside an unclosed parenthesis, so that the rule is kept
    // and reported as malformed rather than dropped.
    const separator =
      i === text.length ||
      (depth === 0 && (c === ',' || c === ' ' || c === '\t' || c === '\n' || c === '\r'));
    if (separator) {
      if (start >= 0) out.push({ value: text.slice(start, i), start, end: i });
      start = -1;
    } else if (start < 0) start = i;
  }
  return out;
}

/** What a wildcard rule grants at once: every tool, every MCP tool, one server's tools, or any web domain. */
export type WildcardScope =
  | { kind: 'every-tool' }
  | { kind: 'every-mcp-tool' }
  | { kind: 'mcp-server'; server: string }
  | { kind: 'any-domain' };

/**
 * The scope of a rule that grants many tools or targets at once: `*`, `mcp__*`, `mcp__srv` (a server's
 * every tool), `mcp__srv__*`, `WebFetch(domain:*)`. Undefined for anything narrower.
 */
export function wildcardScope(rule: ToolRule): WildcardScope | undefined {
  if (rule.problem) return undefined;
  const { canonical } = rule;
  if (canonical === '*' && rule.form === 'bare') return { kind: 'every-tool' };
  if (canonical === 'mcp__*' || canonical === 'mcp__*__*') return { kind: 'every-mcp-tool' };
  const m = /^mcp__(.+?)(?:__(.*))?$/.exec(canonical);
  if (m && !m[1]?.includes('*') && (m[2] === undefined || m[2] === '*'))
    return { kind: 'mcp-server', server: m[1] as string };
  if (canonical === 'WebFetch' && rule.specifier?.replace(/\s+/g, '') === 'domain:*')
    return { kind: 'any-domain' };
  return undefined;
}

/** Tools that change files. */
export const WRITE_TOOLS: readonly string[] = ['Edit', 'Write', 'MultiEdit', 'NotebookEdit'];

/** A path specifier that covers the whole tree: two stars, alone or after `/` or `./`, maybe then `/` and a star. */
/** The whole project (`**`, `./**`, `/**`), the whole file system (`//**`) or the home folder (`~/**`). */
const WHOLE_TREE = /^\s*(?:\.\/|\/\/?|~\/)?\*\*(?:\/\*)?\s*$/;

/**
 * True when the rule lets Claude change any file: `Edit`, `Write`, `Edit(*)`, `Edit(**)`, `Edit(./**)`. A path
 * rule on `Write` (`Write(**)`) is not one: Claude Code never consults it, so it grants nothing (CG901 says so).
 */
export function isUnscopedWrite(rule: ToolRule): boolean {
  if (rule.problem || !WRITE_TOOLS.includes(rule.canonical) || unconsultedPathRule(rule)) return false;
  return (
    rule.form === 'bare' ||
    rule.form === 'any' ||
    (rule.specifier !== undefined && WHOLE_TREE.test(rule.specifier))
  );
}

/**
 * Tools whose rules Claude Code accepts with a path but never consults when it checks a file, each with the
 * tool whose path rules it does consult: `Edit(…)` covers every file-editing tool, `Read(…)` every reading one.
 */
const PATH_RULES_CONSULTED_ON = new Map<string, 'Edit' | 'Read'>([
  ['Write', 'Edit'],
  ['MultiEdit', 'Edit'],
  ['NotebookEdit', 'Edit'],
  ['Glob', 'Read'],
]);

/**
 * For a path rule Claude Code never consults (`Write(src/**)`, `NotebookEdit(./x.ipynb)`, `Glob(docs/**)`),
 * the tool to write it on instead (`Edit`, `Read`). Undefined for a bare tool, for `Tool(*)` (every use of the
 * tool, like the bare name) and for every other tool.
 */
export function unconsultedPathRule(rule: ToolRule): 'Edit' | 'Read' | undefined {
  if (rule.problem || rule.specifier === undefined) return undefined;
  const specifier = rule.specifier.trim();
  if (specifier === '' || specifier === '*') return undefined;
  return PATH_RULES_CONSULTED_ON.get(rule.canonical);
}

/** A literal MCP server prefix, `mcp__<server>__`, before any `*`. */
const ANCHORED_TOOL_GLOB = /^mcp__[^*]+?__/;

/**
 * True when the tool name is a glob without a literal `mcp__<server>__` before its first `*` (`*`, `mcp__*`,
 * `B*`, `mcp__*__query`). Claude Code skips such a rule in `allow` with a warning; `ask` and `deny` take it.
 */
export function isUnanchoredToolGlob(rule: ToolRule): boolean {
  if (rule.problem || !rule.tool.includes('*')) return false;
  return !ANCHORED_TOOL_GLOB.test(rule.tool);
}
