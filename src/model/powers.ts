import type { Located, Span } from './span.js';
import type {
  ClaudeRun,
  MarkdownDefinition,
  McpServer,
  Risk,
  ScanModel,
  SettingsDoc,
  SettingsHook,
  ToolRule,
} from './types.js';

/**
 * What Claude may do, one power at a time: a view over the model that two scans (the base and the head of a
 * pull request) can be compared by, so a reviewer sees what a change gives Claude or takes away.
 */

export type PowerKind =
  'grant' | 'ask' | 'deny' | 'mode' | 'bypass-disabled' | 'directory' | 'mcp-server' | 'hook';

/** A piece of a description: our own words, or text from the repository (`code`), shown verbatim. */
export interface LabelPart {
  text: string;
  code?: true;
}

export type { SettingsHook };

/** A settings object, with its hooks when the reader records them. */
export type SettingsWithHooks = SettingsDoc & { hooks?: readonly SettingsHook[] };

/** The model as `powersOf` reads it: a `ScanModel`, whose settings may carry hooks. */
export type PowersModel = Omit<ScanModel, 'settings'> & { settings: readonly SettingsWithHooks[] };

export interface Power {
  /**
   * What the power is and where it applies, never where it is written: the kind, the file (and workflow job)
   * it applies in, and its whole value (the rule, the mode, an MCP server's command, args and URL…). Equal
   * keys in two scans are the same power, so moving or reformatting a line changes nothing, and a changed
   * value is a different power. Holds repository text: not for display.
   */
  key: string;
  kind: PowerKind;
  /** What it is: `Bash(npm test:*)` allowed, MCP server `github` (stdio: `npx …`). */
  what: LabelPart[];
  /** Where it applies. */
  where: { path: string; job?: string };
  /** `what` and `where` in one line of plain words (repository text in backticks, not escaped). */
  label: string;
  /** The risk class of what it lets Claude do, where one applies. */
  risk?: Risk;
  /**
   * What the power is about, as written: the rule, the mode, the directory, the hook's command, the MCP
   * server's command line or URL; `disable` for bypass disabled. Repository text: not for display.
   */
  value: string;
  /** The rule, for `grant`, `ask` and `deny`. */
  rule?: ToolRule;
  /** How it was given, outermost last, in plain words: `--allowedTools`, `action inputs`, `defaultMode`… */
  via: string[];
  /** What having it does to Claude's powers: a grant widens them, a deny rule narrows them. */
  direction: 'widens' | 'narrows' | 'neutral';
  /** Where it is written, in the version of the file it was read from. */
  span: Span;
}

const RISK_ORDER: readonly Risk[] = ['read', 'write', 'execute', 'admin'];

/** Higher for riskier; -1 where no risk class applies. */
export function riskRank(risk: Risk | undefined): number {
  return risk ? RISK_ORDER.indexOf(risk) : -1;
}

/** Permission modes: the risk of what each lets Claude do without asking, and whether it widens or narrows. */
const MODES = new Map<string, { risk?: Risk; direction: Power['direction'] }>([
  ['bypassPermissions', { risk: 'admin', direction: 'widens' }],
  ['auto', { risk: 'execute', direction: 'widens' }],
  ['acceptEdits', { risk: 'write', direction: 'widens' }],
  ['plan', { risk: 'read', direction: 'narrows' }],
  ['dontAsk', { direction: 'narrows' }],
  ['default', { direction: 'neutral' }],
  ['manual', { direction: 'neutral' }],
]);

const code = (text: string): LabelPart => ({ text, code: true });
const words = (text: string): LabelPart => ({ text });

function plain(parts: readonly LabelPart[]): string {
  return parts.map((p) => (p.code ? `\`${p.text}\`` : p.text)).join('');
}

/** A rule as its meaning: today's tool name and the specifier, so `View(x)` and `Read(x)` are one rule. */
function ruleIdentity(rule: ToolRule): string {
  return rule.specifier === undefined ? rule.canonical : `${rule.canonical}(${rule.specifier.trim()})`;
}

type Where = Power['where'];
/** How a power was given, said in parentheses after it: `--allowedTools`, `defaultMode`, settings input. */
type Via = LabelPart[][];

function whereOfRun(run: ClaudeRun): Where {
  return run.context.job ? { path: run.path, job: run.context.job.id } : { path: run.path };
}

function viaParts(via: Via): LabelPart[] {
  if (via.length === 0) return [];
  return [words(' ('), ...via.flatMap((v, i) => (i === 0 ? v : [words(', '), ...v])), words(')')];
}

/** Collects powers, keeping the first of each key in model order (the model is sorted by place). */
class PowerList {
  private readonly byKey = new Map<string, Power>();

  add(
    kind: PowerKind,
    where: Where,
    identity: readonly string[],
    what: LabelPart[],
    span: Span,
    facts: { risk?: Risk; direction: Power['direction']; value: string; via?: Via; rule?: ToolRule },
  ): void {
    const key = JSON.stringify([kind, where.path, where.job ?? null, ...identity]);
    if (this.byKey.has(key)) return;
    const place = [words(' in '), code(where.path)];
    if (where.job !== undefined) place.push(words(' job '), code(where.job));
    const power: Power = {
      key,
      kind,
      what,
      where,
      label: plain([...what, ...place]),
      direction: facts.direction,
      span,
      value: facts.value,
      via: (facts.via ?? []).map((v) => v.map((p) => p.text).join('')),
    };
    if (facts.risk) power.risk = facts.risk;
    if (facts.rule) power.rule = facts.rule;
    this.byKey.set(key, power);
  }

  rule(kind: 'grant' | 'ask' | 'deny', where: Where, rule: Located<ToolRule>, via: Via): void {
    const verb = kind === 'grant' ? ' allowed' : kind === 'deny' ? ' denied' : ' needs approval';
    const what = [code(rule.value.raw.trim()), words(verb), ...viaParts(via)];
    this.add(kind, where, [ruleIdentity(rule.value)], what, rule.span, {
      risk: rule.value.risk,
      direction: kind === 'grant' ? 'widens' : 'narrows',
      value: rule.value.raw.trim(),
      via,
      rule: rule.value,
    });
  }

  mode(where: Where, mode: string, span: Span, via: Via): void {
    const facts = MODES.get(mode) ?? { direction: 'neutral' as const };
    const what = [code(mode), words(' mode'), ...viaParts(via)];
    this.add('mode', where, [mode], what, span, { ...facts, value: mode, via });
  }

  directory(where: Where, dir: Located<string>, via: Via): void {
    const what = [code(dir.value), words(' added as a working directory'), ...viaParts(via)];
    this.add('directory', where, [dir.value], what, dir.span, {
      risk: 'read',
      direction: 'widens',
      value: dir.value,
      via,
    });
  }

  list(): Power[] {
    return [...this.byKey.values()].sort(comparePowers);
  }
}

/** Most risky first, then by path, then by label; the key breaks the last ties. */
export function comparePowers(a: Power, b: Power): number {
  return (
    riskRank(b.risk) - riskRank(a.risk) ||
    compareText(a.where.path, b.where.path) ||
    compareText(a.label, b.label) ||
    compareText(a.key, b.key)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `inline`: how the settings were given when a run gave them (`--settings '{…}'`, the settings input). */
function settingsPowers(out: PowerList, doc: SettingsWithHooks, where: Where, inline: Via): void {
  for (const rule of doc.allow) out.rule('grant', where, rule, inline);
  for (const rule of doc.ask) out.rule('ask', where, rule, inline);
  for (const rule of doc.deny) out.rule('deny', where, rule, inline);
  if (doc.defaultMode) {
    out.mode(where, doc.defaultMode.value, doc.defaultMode.span, [[code('defaultMode')], ...inline]);
  }
  const disable = doc.disableBypassPermissionsMode;
  if (disable?.value === 'disable') {
    const via = [[code('disableBypassPermissionsMode')], ...inline];
    const what = [words('bypass mode disabled'), ...viaParts(via)];
    const facts = { risk: 'admin' as const, direction: 'narrows' as const, value: disable.value, via };
    out.add('bypass-disabled', where, [], what, disable.span, facts);
  }
  for (const dir of doc.additionalDirectories)
    out.directory(where, dir, [[code('additionalDirectories')], ...inline]);
  for (const hook of doc.hooks ?? []) {
    const what = [words('hook '), code(hook.event.value)];
    if (hook.matcher) what.push(words(' on '), code(hook.matcher.value));
    what.push(
      words(hook.type === 'command' ? ' runs ' : ` ${hook.type} `),
      code(hook.run.value),
      ...viaParts(inline),
    );
    const identity = [hook.event.value, hook.matcher?.value ?? '', hook.type, hook.run.value];
    const facts =
      hook.type === 'command'
        ? { risk: 'execute' as const, direction: 'widens' as const }
        : { direction: 'widens' as const };
    out.add('hook', where, identity, what, hook.run.span, { ...facts, value: hook.run.value, via: inline });
  }
}

function runPowers(out: PowerList, run: ClaudeRun): void {
  const cmd = run.command;
  if (!cmd) return;
  const where = whereOfRun(run);
  const flag = (name: string): Via => [[code(name)]];
  const grantVia: Via = run.kind === 'action' ? [[words('action inputs')]] : flag('--allowedTools');
  for (const rule of cmd.allowedTools) out.rule('grant', where, rule, grantVia);
  for (const rule of cmd.disallowedTools) out.rule('deny', where, rule, flag('--disallowedTools'));
  if (cmd.permissionMode)
    out.mode(where, cmd.permissionMode.value, cmd.permissionMode.span, flag('--permission-mode'));
  // The flag is the same power as the mode it switches on: trading one for the other changes nothing.
  if (cmd.dangerouslySkipPermissions) {
    const span = cmd.dangerouslySkipPermissions;
    out.mode(where, 'bypassPermissions', span, flag('--dangerously-skip-permissions'));
  }
  if (cmd.allowDangerouslySkipPermissions) {
    const via = flag('--allow-dangerously-skip-permissions');
    const what = [words('bypass mode may be switched on'), ...viaParts(via)];
    out.add('mode', where, ['bypass may be switched on'], what, cmd.allowDangerouslySkipPermissions, {
      risk: 'admin',
      direction: 'widens',
      value: 'bypassPermissions',
      via,
    });
  }
  for (const dir of cmd.addDirs) out.directory(where, dir, flag('--add-dir'));
}

function definitionPowers(out: PowerList, definition: MarkdownDefinition): void {
  const where = { path: definition.path };
  // An agent's `tools:` only limits what that agent may use: it grants nothing, so it is not a power.
  for (const rule of definition.allowedTools) out.rule('grant', where, rule, [[code('allowed-tools')]]);
  const mode = definition.permissionMode;
  if (mode) out.mode(where, mode.value, mode.span, [[code('permissionMode')]]);
}

/** `npx -y pkg` or the URL: what the server is. */
function serverTarget(server: McpServer): string {
  if (server.command) return [server.command.value, ...server.args.map((a) => a.value)].join(' ');
  return server.url?.value ?? '';
}

function listParts(names: string[]): LabelPart[] {
  return names.flatMap((n, i) => (i === 0 ? [code(n)] : [words(', '), code(n)]));
}

function mcpPowers(out: PowerList, server: McpServer): void {
  const transport = server.transport?.value ?? 'stdio';
  const target = serverTarget(server);
  const env = Object.keys(server.env).sort();
  const headers = Object.keys(server.headers).sort();
  const what = [
    words('MCP server '),
    code(server.name.value),
    words(` (${transport}: `),
    code(target),
    words(')'),
  ];
  if (env.length > 0) what.push(words(' with env '), ...listParts(env));
  if (headers.length > 0)
    what.push(words(env.length > 0 ? ' and headers ' : ' with headers '), ...listParts(headers));
  // Values of env and headers stay out of the key and the label: they may be credentials, and another value
  // does not change what the server may do.
  const identity = [server.name.value, transport, target, JSON.stringify(env), JSON.stringify(headers)];
  const facts =
    transport === 'stdio'
      ? { risk: 'execute' as const, direction: 'widens' as const }
      : { direction: 'widens' as const };
  out.add('mcp-server', { path: server.path }, identity, what, server.name.span, { ...facts, value: target });
}

/**
 * Every power the model gives Claude, each once, most risky first: grants (`permissions.allow`,
 * `--allowedTools`, action inputs, `allowed-tools` of commands and skills), ask and deny rules, permission
 * modes (settings `defaultMode`, `--permission-mode`, the bypass flags, an agent's `permissionMode`), bypass
 * disabled, added directories, MCP servers and hooks. Powers of a run apply in its file and workflow job;
 * settings a run gives inline apply where that run does.
 */
export function powersOf(model: PowersModel): Power[] {
  const out = new PowerList();
  const inlineRun = new Map<SettingsDoc, ClaudeRun>();
  for (const run of model.runs) {
    if (run.inlineSettings) inlineRun.set(run.inlineSettings, run);
    if (run.command?.inlineSettings) inlineRun.set(run.command.inlineSettings, run);
  }
  for (const doc of model.settings) {
    const run = inlineRun.get(doc);
    if (!run) settingsPowers(out, doc, { path: doc.path }, []);
    else {
      const how =
        run.kind === 'action' && run.inlineSettings === doc
          ? [words('settings input')]
          : [code('--settings')];
      settingsPowers(out, doc, whereOfRun(run), [how]);
    }
  }
  for (const run of model.runs) runPowers(out, run);
  for (const definition of model.definitions) definitionPowers(out, definition);
  for (const server of model.mcpServers) mcpPowers(out, server);
  return out.list();
}

export interface PowersDiff {
  /** Powers of the head that the base did not have. */
  added: Power[];
  /** Powers of the base that the head no longer has. */
  removed: Power[];
}

/**
 * What a change does to Claude's powers. A power is its key, which holds its whole value: a power whose
 * value changed (an MCP server given another command, a mode switched) is the old one removed and the new one
 * added. A reviewer then sees both values, each with its own risk and place, rather than a "changed" entry
 * that would have to show two of everything; the two rows of one MCP server or hook sort together.
 */
export function diffPowers(base: readonly Power[], head: readonly Power[]): PowersDiff {
  const baseKeys = new Set(base.map((p) => p.key));
  const headKeys = new Set(head.map((p) => p.key));
  const once = (powers: readonly Power[], other: Set<string>): Power[] => {
    const seen = new Set<string>();
    const out: Power[] = [];
    for (const p of powers) {
      if (other.has(p.key) || seen.has(p.key)) continue;
      seen.add(p.key);
      out.push(p);
    }
    return out.sort(comparePowers);
  };
  return { added: once(head, baseKeys), removed: once(base, headKeys) };
}
