import type { LocalConfigKind } from '../fs/classify.js';
import { mcpPinning } from '../model/mcp-pinning.js';
import { type Power, type PowersModel, powersOf, riskRank } from '../model/powers.js';
import type { Located, Span } from '../model/span.js';
import { claudeInstalls, type InstallPinning, installPinning } from '../model/claude-install.js';
import { untrustedReachOf } from '../model/workflow-trust.js';
import type {
  Arg,
  ClaudeInstall,
  ClaudeRun,
  EnvOrigin,
  HelperCommand,
  MarkdownDefinition,
  McpServer,
  RemoteCode,
  Risk,
  RunContext,
  ScanModel,
  SettingsDoc,
  SettingsHook,
  SettingsScope,
  ToolRule,
} from '../model/types.js';
import type { Notice } from '../policy/verdict.js';
import { envOrigin } from '../model/env.js';
import { isRiskyRemote } from '../model/remote-code.js';
import { VERSION } from '../version.js';
import { maskArgs, maskCredentials, shownLiteral } from './credentials.js';
import { maskSecrets, safeJson } from './safe.js';

/**
 * The inventory: where Claude runs and what it may do there, as data. It is an audit listing, not a verdict:
 * no severity, no policy. Its JSON form is a public contract (docs/inventory.md): within a version, fields
 * are only added. Everything is sorted by place, so the same tree gives the same bytes.
 */

export const INVENTORY_SCHEMA = 'claude-guard/inventory';
export const INVENTORY_VERSION = 1;

/** A place in a scanned file: path relative to the scanned folder, 1-based lines and UTF-16 columns. */
export interface Location {
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A value as written, with where. */
export interface Placed<T = string> {
  value: T;
  location: Location;
}

/** A permission rule (`Bash(npm test:*)`) with its risk class and how it was given. */
export interface RuleEntry {
  rule: string;
  tool: string;
  specifier: string | null;
  form: ToolRule['form'];
  risk: Risk;
  via: string[];
  problem: string | null;
  location: Location;
}

export interface ModeEntry {
  mode: string;
  risk: Risk | null;
  via: string[];
  location: Location;
}

export interface DirectoryEntry {
  path: string;
  via: string[];
  location: Location;
}

/** A value handed to Claude or a server under a name: env, a header, an action input. */
export interface ValueEntry {
  name: string;
  origin: EnvOrigin;
  /** Where it is set (`command-line`, `step`, `job`, `workflow`…), when the model says. */
  scope: string | null;
  value: string | null;
  masked: string | null;
  references: string[];
  location: Location;
}

/**
 * Code a hook or helper fetches from outside the repository and runs, as CG604 reads its command: how it is
 * run, by what, what is fetched (a URL without credentials or query, a package or image), and how exactly
 * that is pinned. `location` is the word that runs it: the interpreter or `eval`, the package or image.
 */
export interface RemoteCodeEntry {
  how: RemoteCode['how'];
  runner: string;
  target: string | null;
  pin: RemoteCode['pin'];
  location: Location;
}

export interface HookEntry {
  event: string;
  matcher: string | null;
  type: string;
  run: string;
  location: Location;
  /** What it fetches and runs from outside the repository, or null (added within version 1). */
  remoteCode: RemoteCodeEntry | null;
}

/** A helper command of a settings file (`apiKeyHelper`, `statusLine`…) or an MCP server's `headersHelper`. */
export interface HelperEntry {
  name: string;
  run: string;
  location: Location;
  remoteCode: RemoteCodeEntry | null;
}

/** An `enabledPlugins` entry: `plugin@marketplace` and whether it is switched on. */
export interface PluginEntry {
  name: string;
  marketplace: string | null;
  enabled: boolean;
  location: Location;
}

/** An `extraKnownMarketplaces` entry with where its plugins come from. */
export interface MarketplaceEntry {
  name: string;
  /** `kind` (`github`, `git`, `url`, `directory`… as written) and `value` (repo, URL or path, masked). */
  source: { kind: string | null; value: string | null; location: Location | null } | null;
  location: Location;
}

/** A settings document or MCP config a run names with `--settings`, `--mcp-config` or an input. */
export interface ReferenceEntry {
  inline: boolean;
  value: string | null;
  location: Location;
}

export interface FlagEntry {
  name: string;
  values: string[];
  location: Location;
}

export interface InventoryRun {
  location: Location;
  kind: ClaudeRun['kind'];
  surface: RunContext['surface'];
  program: Placed | null;
  action: {
    name: string;
    uses: string;
    ref: string;
    generation: string;
    location: Location;
  } | null;
  wrappers: Placed[];
  context: RunContextEntry;
  mode: string | null;
  modes: ModeEntry[];
  grants: RuleEntry[];
  asks: RuleEntry[];
  denied: RuleEntry[];
  addedDirectories: DirectoryEntry[];
  hooks: HookEntry[];
  settings: ReferenceEntry[];
  mcpConfigs: ReferenceEntry[];
  env: ValueEntry[];
  inputs: ValueEntry[];
  flags: FlagEntry[];
  /**
   * Who can start it, for a workflow run: `outsiders` when someone without write access can (the events, what
   * opens it, where their text reaches Claude, a checkout of their code), else `maintainers`; null elsewhere.
   */
  trust: {
    level: 'outsiders' | 'maintainers';
    events: { event: string; types: string[]; as: 'actor' | 'content'; location: Location }[];
    opening: { kind: string; location: Location } | null;
    untrustedText: Location[];
    headCheckout: Location | null;
  } | null;
  /** What stops the run: a turn or spend cap, a job or step timeout, a `timeout` wrapper; null where none. */
  limits: {
    maxTurns: Placed | null;
    maxBudgetUsd: Placed | null;
    jobTimeoutMinutes: Placed<number> | null;
    stepTimeoutMinutes: Placed | null;
    /** A GitLab job's `timeout:` (`1h 30m`), as written. */
    gitlabTimeout: Placed | null;
    timeoutWrapper: Location | null;
  };
}

/** Where Claude Code is installed or fetched, and how exactly the release is pinned. */
export interface InventoryInstall {
  location: Location;
  how: ClaudeInstall['how'];
  via: string;
  version: Placed | null;
  pin: InstallPinning['pin'];
  why: string;
}

export interface RunContextEntry {
  isolation: Placed | null;
  workflow: {
    path: string;
    name: string | null;
    triggers: Placed[];
    permissions: Placed<unknown> | null;
  } | null;
  job: {
    id: string;
    location: Location;
    permissions: Placed<unknown> | null;
    container: Location | null;
    environment: Placed | null;
    timeoutMinutes: Placed<number> | null;
  } | null;
  step: { name: string } | null;
  /** Who it runs as: `setting` (USER, `user:`, `remoteUser`…), `sudo`, or `image-default` (nothing says). */
  user: { value: string; from: string | null; location: Location } | null;
  /** The folder it starts in, where that is set. */
  workingDirectory: Placed | null;
  /** Passwordless sudo rules its image writes before it runs. */
  sudoGrants: { user: string; commands: string; location: Location }[];
}

export interface InventorySettings {
  path: string;
  scope: SettingsScope;
  /** For inline settings: the run that gives them. */
  givenBy: Location | null;
  isolation: Placed | null;
  defaultMode: ModeEntry | null;
  disableBypassPermissionsMode: Placed | null;
  allow: RuleEntry[];
  ask: RuleEntry[];
  deny: RuleEntry[];
  additionalDirectories: DirectoryEntry[];
  env: ValueEntry[];
  hooks: HookEntry[];
  /** Added within version 1: helper commands, plugins, marketplaces and MCP approval keys. */
  helpers: HelperEntry[];
  plugins: PluginEntry[];
  marketplaces: MarketplaceEntry[];
  enableAllProjectMcpServers: Placed<boolean> | null;
  enabledMcpjsonServers: Placed[];
  disabledMcpjsonServers: Placed[];
}

export interface InventoryMcpServer {
  name: string;
  location: Location;
  path: string;
  scope: 'project' | 'local' | 'file' | 'plugin';
  transport: { value: string; location: Location | null };
  command: Placed | null;
  args: Placed[];
  url: Placed | null;
  env: ValueEntry[];
  headers: ValueEntry[];
  pinning: { runner: string; target: string | null; pin: string } | null;
  /** The `headersHelper` command, with the remote code it runs (added within version 1). */
  headersHelper: HelperEntry | null;
}

export interface InventoryDefinition {
  path: string;
  kind: MarkdownDefinition['kind'];
  location: Location;
  isolation: Placed | null;
  permissionMode: ModeEntry | null;
  allowedTools: RuleEntry[];
  tools: RuleEntry[];
  /** Hooks of its front matter, active while it runs (added within version 1). */
  hooks: HookEntry[];
  /** The shell commands its body runs when invoked, ``!`…` `` (added within version 1). */
  inlineShell: HelperEntry[];
}

export interface Inventory {
  schema: typeof INVENTORY_SCHEMA;
  version: typeof INVENTORY_VERSION;
  tool: { name: 'claude-guard'; version: string };
  summary: { files: number; runs: number; settings: number; mcpServers: number; definitions: number };
  runs: InventoryRun[];
  settings: InventorySettings[];
  mcpServers: InventoryMcpServer[];
  definitions: InventoryDefinition[];
  /** Where Claude Code itself is installed or fetched (added in version 1: absent from older files). */
  installs: InventoryInstall[];
  localConfigs: { path: string; kind: LocalConfigKind; tracked: boolean | null }[];
  notices: { path: string; message: string }[];
}

export interface InventoryOptions {
  /** Known secret values and pieces: never shown. */
  secrets?: readonly string[];
  /** What the scan could not read, said beside the listing. */
  notices?: readonly Notice[];
}

// ---------------------------------------------------------------------------------------------------------
// Places and order

export function location(span: Span): Location {
  return {
    path: span.path,
    line: span.line,
    column: span.column,
    endLine: span.endLine,
    endColumn: span.endColumn,
  };
}

function placed<T>(x: Located<T> | Arg | undefined): Placed<T> | null {
  return x ? { value: x.value as T, location: location(x.span) } : null;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareLocations(a: Location, b: Location): number {
  return (
    compareText(a.path, b.path) ||
    a.line - b.line ||
    a.column - b.column ||
    a.endLine - b.endLine ||
    a.endColumn - b.endColumn
  );
}

function byLocation<T extends { location: Location }>(items: T[]): T[] {
  return items.sort((a, b) => compareLocations(a.location, b.location));
}

/**
 * Repository data of any shape (a `permissions:` block) as plain JSON, bounded in depth. Its keys are
 * repository text too: masked here, as the renderers mask values only.
 */
function plainData(value: unknown, known: readonly string[], depth = 0): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (depth >= 8) return '…';
  if (Array.isArray(value)) return value.map((v) => plainData(v, known, depth + 1));
  if (typeof value === 'object') {
    // fromEntries defines own properties: a key such as `__proto__` stays a key.
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [maskSecrets(k, known), plainData(v, known, depth + 1)]),
    );
  }
  return String(value);
}

function permissionsEntry(
  permissions: Located<unknown> | undefined,
  known: readonly string[],
): Placed<unknown> | null {
  return permissions
    ? { value: plainData(permissions.value, known), location: location(permissions.span) }
    : null;
}

// ---------------------------------------------------------------------------------------------------------
// Powers: the same view the pull request comment diffs, read one run, settings file or definition at a time

/** The powers of one part of the model: only the runs, settings, definitions and servers given. */
type PowersOf = (
  part: Pick<PowersModel, 'runs' | 'settings' | 'definitions' | 'mcpServers'>,
) => PowerSections;

function ruleEntry(power: Power): RuleEntry {
  const rule = power.rule as ToolRule;
  return {
    rule: power.value,
    tool: rule.canonical,
    specifier: rule.specifier ?? null,
    form: rule.form,
    risk: rule.risk,
    via: power.via,
    problem: rule.problem ?? null,
    location: location(power.span),
  };
}

/** A rule that grants nothing (an agent's `tools:`), in the same shape. */
function limitEntry(rule: Located<ToolRule>, via: string): RuleEntry {
  return {
    rule: rule.value.raw.trim(),
    tool: rule.value.canonical,
    specifier: rule.value.specifier ?? null,
    form: rule.value.form,
    risk: rule.value.risk,
    via: [via],
    problem: rule.value.problem ?? null,
    location: location(rule.span),
  };
}

interface PowerSections {
  modes: ModeEntry[];
  grants: RuleEntry[];
  asks: RuleEntry[];
  denied: RuleEntry[];
  directories: DirectoryEntry[];
}

function sections(powers: readonly Power[]): PowerSections {
  const of = (kind: Power['kind']): Power[] => powers.filter((p) => p.kind === kind);
  return {
    modes: byLocation(
      of('mode').map((p) => ({
        mode: p.value,
        risk: p.risk ?? null,
        via: p.via,
        location: location(p.span),
      })),
    ),
    grants: byLocation(of('grant').map(ruleEntry)),
    asks: byLocation(of('ask').map(ruleEntry)),
    denied: byLocation(of('deny').map(ruleEntry)),
    directories: byLocation(
      of('directory').map((p) => ({ path: p.value, via: p.via, location: location(p.span) })),
    ),
  };
}

/** The most permissive of the modes, the first written on a tie; null when none is set. */
function strongest(modes: readonly ModeEntry[]): string | null {
  let best: ModeEntry | undefined;
  for (const m of modes)
    if (!best || riskRank(m.risk ?? undefined) > riskRank(best.risk ?? undefined)) best = m;
  return best?.mode ?? null;
}

// ---------------------------------------------------------------------------------------------------------
// Values

const SECRET_REFERENCE =
  /\bsecrets\s*\.\s*([A-Za-z_][A-Za-z0-9_]{0,127})|\bsecrets\s*\[\s*'([^'\n]{1,128})'\s*\]/g;

/** A string value as the readers' `Arg`, for the one origin classifier. */
function asArg(value: Located<string>): Arg {
  return { value: value.value, span: value.span, sub: () => value.span, dynamic: false };
}

/**
 * A value given under a name, never a credential: a secret reference shows its name only
 * (`secrets.ANTHROPIC_API_KEY`); a literal shows only when it is not secret-shaped, else its masked form;
 * expressions and variables show as written, with any credential they visibly hold masked.
 */
function valueEntry(
  name: string,
  value: Arg,
  origin: EnvOrigin,
  scope: string | null,
  known: readonly string[],
): ValueEntry {
  const entry: ValueEntry = {
    name,
    origin,
    scope,
    value: null,
    masked: null,
    references: [],
    location: location(value.span),
  };
  if (origin === 'secret') {
    entry.references = [
      ...new Set([...value.value.matchAll(SECRET_REFERENCE)].map((m) => `secrets.${m[1] ?? m[2]}`)),
    ].sort();
  } else if (origin === 'literal') {
    Object.assign(entry, shownLiteral(name, value.value, known));
  } else {
    const masked = maskCredentials(value.value, known);
    if (masked === value.value) entry.value = masked;
    else entry.masked = masked;
  }
  return entry;
}

function namedValues(
  values: Record<string, Located<string>>,
  known: readonly string[],
  scope: string | null = null,
): ValueEntry[] {
  return byLocation(
    Object.entries(values).map(([name, v]) => {
      const arg = asArg(v);
      return valueEntry(name, arg, envOrigin(arg), scope, known);
    }),
  );
}

/**
 * The remote code a command runs, as CG604 reads it: the first piece CG604 reports (a download run, a
 * package or image without a pin), else the first pinned one; null when it fetches nothing.
 */
function remoteCodeEntry(
  remote: readonly RemoteCode[] | undefined,
  known: readonly string[],
): RemoteCodeEntry | null {
  const r = remote?.find(isRiskyRemote) ?? remote?.[0];
  if (!r) return null;
  return {
    how: r.how,
    runner: r.runner,
    target: r.target === undefined ? null : maskCredentials(r.target, known),
    pin: r.pin,
    location: location(r.span),
  };
}

function hookEntry(hook: SettingsHook, known: readonly string[]): HookEntry {
  return {
    event: hook.event.value,
    matcher: hook.matcher?.value ?? null,
    type: hook.type,
    run: maskCredentials(hook.run.value, known),
    location: location(hook.run.span),
    remoteCode: remoteCodeEntry(hook.remote, known),
  };
}

function hooksOf(owners: readonly { hooks?: SettingsHook[] }[], known: readonly string[]): HookEntry[] {
  return byLocation(owners.flatMap((d) => (d.hooks ?? []).map((h) => hookEntry(h, known))));
}

function helperEntry(helper: HelperCommand, known: readonly string[]): HelperEntry {
  return {
    name: helper.key,
    run: maskCredentials(helper.run.value, known),
    location: location(helper.run.span),
    remoteCode: remoteCodeEntry(helper.remote, known),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Runs

function inlineSettingsOf(run: ClaudeRun): SettingsDoc[] {
  const docs = [run.command?.inlineSettings, run.inlineSettings].filter(
    (d): d is SettingsDoc => d !== undefined,
  );
  return [...new Set(docs)];
}

/**
 * Where the run happens. One line per field: a field the model gains (the user a run has, its working
 * directory) is one more line here and one row in docs/inventory.md; the text listing shows it unasked.
 */
function contextEntry(context: RunContext, known: readonly string[]): RunContextEntry {
  // Fields the readers are gaining: read where present, so the listing does not wait on them.
  const ctx = context as RunContext & {
    user?: Located<string> & { from?: string };
    workingDirectory?: Located<string>;
    sudoGrants?: { user: string; commands: Located<string> }[];
  };
  const { workflow, job } = ctx;
  return {
    isolation: placed(ctx.isolation),
    workflow: workflow
      ? {
          path: workflow.path,
          name: workflow.name ?? null,
          triggers: byLocation(workflow.triggers.map((t) => placed(t) as Placed)),
          permissions: permissionsEntry(workflow.permissions, known),
        }
      : null,
    job: job
      ? {
          id: job.id,
          location: location(job.span),
          permissions: permissionsEntry(job.permissions, known),
          container: job.container ? location(job.container) : null,
          environment: placed(job.environment),
          timeoutMinutes: placed(job.timeoutMinutes),
        }
      : null,
    step: ctx.stepName !== undefined ? { name: ctx.stepName } : null,
    user: ctx.user
      ? { value: ctx.user.value, from: ctx.user.from ?? null, location: location(ctx.user.span) }
      : null,
    workingDirectory: placed(ctx.workingDirectory),
    sudoGrants: byLocation(
      (ctx.sudoGrants ?? []).map((g) => ({
        user: g.user,
        commands: g.commands.value,
        location: location(g.commands.span),
      })),
    ),
  };
}

function references(
  run: ClaudeRun,
  flag: string,
  inputs: readonly string[],
  known: readonly string[],
): ReferenceEntry[] {
  const values: Arg[] = (run.command?.flags ?? []).filter((f) => f.name === flag).flatMap((f) => f.values);
  const out = values.map((v) => ({ text: v.value, span: v.span }));
  for (const name of inputs) {
    const input = run.action?.inputs[name];
    if (input) out.push({ text: input.value, span: input.span });
  }
  return byLocation(
    out.map(({ text, span }) => {
      const inline = /^\s*[{[]/.test(text);
      return { inline, value: inline ? null : maskCredentials(text.trim(), known), location: location(span) };
    }),
  );
}

/** Who can start a workflow run, from the same reading CG501 makes. */
function trustOf(model: ScanModel, run: ClaudeRun): InventoryRun['trust'] {
  if (run.context.surface !== 'workflow' || !run.context.workflow) return null;
  const reach = untrustedReachOf(model, run);
  if (!reach)
    return { level: 'maintainers', events: [], opening: null, untrustedText: [], headCheckout: null };
  return {
    level: 'outsiders',
    events: reach.events.map((e) => ({
      event: e.trigger.event.value,
      types: e.types,
      as: e.as,
      location: location(e.trigger.event.span),
    })),
    opening: reach.opening ? { kind: reach.opening.kind, location: location(reach.opening.span) } : null,
    untrustedText: reach.texts.map((t) => location(t.span)),
    headCheckout: reach.checkout ? location(reach.checkout.span) : null,
  };
}

function runEntry(
  run: ClaudeRun,
  powersIn: PowersOf,
  known: readonly string[],
  model: ScanModel,
): InventoryRun {
  const inline = inlineSettingsOf(run);
  const powers = powersIn({ runs: [run], settings: inline, definitions: [], mcpServers: [] });
  const action = run.action;
  const inputs = action
    ? byLocation(
        Object.entries(action.inputs).map(([name, v]) => {
          const arg = asArg(v);
          return valueEntry(name, arg, envOrigin(arg), null, known);
        }),
      )
    : [];
  return {
    location: location(run.span),
    kind: run.kind,
    surface: run.context.surface,
    program: placed<string>(run.program),
    action: action
      ? {
          name: action.action,
          uses: action.uses.value,
          ref: action.ref,
          generation: action.generation,
          location: location(action.uses.span),
        }
      : null,
    wrappers: run.wrappers.map((w) => placed(w) as Placed),
    context: contextEntry(run.context, known),
    mode: strongest(powers.modes),
    modes: powers.modes,
    grants: powers.grants,
    asks: powers.asks,
    denied: powers.denied,
    addedDirectories: powers.directories,
    hooks: hooksOf(inline, known),
    settings: references(run, '--settings', ['settings'], known),
    mcpConfigs: references(run, '--mcp-config', ['mcp_config'], known),
    env: byLocation(
      run.env.map((a) =>
        valueEntry(a.name, a.value, a.origin, (a as { scope?: string }).scope ?? null, known),
      ),
    ),
    inputs,
    flags: (run.command?.flags ?? []).map((f) => ({
      name: f.name,
      values: maskArgs([f.name, ...f.values.map((v) => v.value)], known).slice(1),
      location: location(f.span),
    })),
    trust: trustOf(model, run),
    limits: limitsOf(run),
  };
}

/** The limits a run is started with. */
function limitsOf(run: ClaudeRun): InventoryRun['limits'] {
  const flag = (name: string): Placed | null => {
    const value = run.command?.flags.find((f) => f.name === name)?.values[0];
    return value ? { value: value.value, location: location(value.span) } : null;
  };
  const wrapper = run.wrappers.find((w) => w.value === 'timeout');
  return {
    maxTurns: flag('--max-turns'),
    maxBudgetUsd: flag('--max-budget-usd'),
    jobTimeoutMinutes: placed<number>(run.context.job?.timeoutMinutes),
    stepTimeoutMinutes: placed<string>(run.context.step?.timeoutMinutes),
    gitlabTimeout: placed<string>(run.context.timeout),
    timeoutWrapper: wrapper ? location(wrapper.span) : null,
  };
}

/** Every place Claude Code is installed or fetched, with its pinning. */
function installsOf(model: ScanModel): InventoryInstall[] {
  return byLocation(
    claudeInstalls(model).map((install) => {
      const { pin, why } = installPinning(install);
      return {
        location: location(install.span),
        how: install.how,
        via: install.via,
        version: placed<string>(install.version),
        pin,
        why,
      };
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Settings, MCP servers, definitions

function settingsEntry(
  doc: SettingsDoc,
  givenBy: ClaudeRun | undefined,
  powersIn: PowersOf,
  known: readonly string[],
): InventorySettings {
  const powers = powersIn({ runs: [], settings: [doc], definitions: [], mcpServers: [] });
  return {
    path: doc.path,
    scope: doc.scope,
    givenBy: givenBy ? location(givenBy.span) : null,
    isolation: placed(doc.isolation),
    defaultMode: powers.modes[0] ?? null,
    disableBypassPermissionsMode: placed(doc.disableBypassPermissionsMode),
    allow: powers.grants,
    ask: powers.asks,
    deny: powers.denied,
    additionalDirectories: powers.directories,
    env: namedValues(doc.env, known),
    hooks: hooksOf([doc], known),
    helpers: byLocation(doc.helpers.map((h) => helperEntry(h, known))),
    plugins: byLocation(
      doc.plugins.map((p) => {
        // `plugin@marketplace`: the marketplace is after the last `@`.
        const at = p.name.value.lastIndexOf('@');
        return {
          name: at > 0 ? p.name.value.slice(0, at) : p.name.value,
          marketplace: at > 0 ? p.name.value.slice(at + 1) : null,
          enabled: p.enabled,
          location: location(p.name.span),
        };
      }),
    ),
    marketplaces: byLocation(
      doc.marketplaces.map((m) => ({
        name: m.name.value,
        source:
          m.source || m.location
            ? {
                kind: m.source?.value ?? null,
                value: m.location ? maskCredentials(m.location.value, known) : null,
                location: m.location ? location(m.location.span) : m.source ? location(m.source.span) : null,
              }
            : null,
        location: location(m.name.span),
      })),
    ),
    enableAllProjectMcpServers: placed<boolean>(doc.enableAllProjectMcpServers),
    enabledMcpjsonServers: byLocation(doc.enabledMcpjsonServers.map((n) => placed(n) as Placed)),
    disabledMcpjsonServers: byLocation(doc.disabledMcpjsonServers.map((n) => placed(n) as Placed)),
  };
}

function mcpScope(path: string): InventoryMcpServer['scope'] {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (path === '.claude-plugin/plugin.json' || path.endsWith('/.claude-plugin/plugin.json')) return 'plugin';
  return name === '.mcp.json' ? 'project' : name === '.claude.json' ? 'local' : 'file';
}

function mcpEntry(server: McpServer, known: readonly string[]): InventoryMcpServer {
  const pinning = mcpPinning(server);
  const args = maskArgs(
    server.args.map((a) => a.value),
    known,
  );
  return {
    name: server.name.value,
    location: location(server.name.span),
    path: server.path,
    scope: mcpScope(server.path),
    transport: {
      value: server.transport?.value ?? 'stdio',
      location: server.transport ? location(server.transport.span) : null,
    },
    command: server.command
      ? { value: maskCredentials(server.command.value, known), location: location(server.command.span) }
      : null,
    args: server.args.map((a, i) => ({ value: args[i] as string, location: location(a.span) })),
    url: server.url
      ? { value: maskCredentials(server.url.value, known), location: location(server.url.span) }
      : null,
    env: namedValues(server.env, known),
    headers: namedValues(server.headers, known),
    pinning: pinning
      ? {
          runner: pinning.runner,
          target: pinning.target === undefined ? null : maskCredentials(pinning.target, known),
          pin: pinning.pin,
        }
      : null,
    headersHelper: server.headersHelper ? helperEntry(server.headersHelper, known) : null,
  };
}

function definitionEntry(
  definition: MarkdownDefinition,
  powersIn: PowersOf,
  known: readonly string[],
): InventoryDefinition {
  const powers = powersIn({ runs: [], settings: [], definitions: [definition], mcpServers: [] });
  return {
    path: definition.path,
    kind: definition.kind,
    location: location({ path: definition.path, line: 1, column: 1, endLine: 1, endColumn: 1 }),
    isolation: placed(definition.isolation),
    permissionMode: powers.modes[0] ?? null,
    allowedTools: powers.grants,
    tools: byLocation(definition.tools.map((t) => limitEntry(t, 'tools'))),
    hooks: hooksOf([definition], known),
    inlineShell: byLocation((definition.inlineShell ?? []).map((h) => helperEntry(h, known))),
  };
}

// ---------------------------------------------------------------------------------------------------------

/** The inventory of a scanned model. Pure: the same model gives the same inventory. */
export function buildInventory(model: ScanModel, options: InventoryOptions = {}): Inventory {
  const known = options.secrets ?? [];
  const powersIn: PowersOf = (part) => sections(powersOf({ ...model, ...part }));
  const givers = new Map<SettingsDoc, ClaudeRun>();
  for (const run of model.runs)
    for (const doc of inlineSettingsOf(run)) if (!givers.has(doc)) givers.set(doc, run);
  const settings = model.settings
    .map((doc) => settingsEntry(doc, givers.get(doc), powersIn, known))
    .sort(
      (a, b) =>
        compareText(a.path, b.path) ||
        (a.givenBy && b.givenBy
          ? compareLocations(a.givenBy, b.givenBy)
          : a.givenBy
            ? 1
            : b.givenBy
              ? -1
              : 0),
    );
  const runs = byLocation(model.runs.map((run) => runEntry(run, powersIn, known, model)));
  const mcpServers = byLocation(model.mcpServers.map((s) => mcpEntry(s, known)));
  const definitions = byLocation(model.definitions.map((d) => definitionEntry(d, powersIn, known)));
  return {
    schema: INVENTORY_SCHEMA,
    version: INVENTORY_VERSION,
    tool: { name: 'claude-guard', version: VERSION },
    summary: {
      files: model.fileCount,
      runs: runs.length,
      settings: settings.length,
      mcpServers: mcpServers.length,
      definitions: definitions.length,
    },
    runs,
    settings,
    mcpServers,
    definitions,
    installs: installsOf(model),
    localConfigs: [...model.localConfigs]
      .sort((a, b) => compareText(a.path, b.path))
      .map((c) => ({ path: c.path, kind: c.kind, tracked: c.tracked ?? null })),
    notices: [...(options.notices ?? [])]
      .map((n) => ({ path: n.path, message: n.message }))
      .sort((a, b) => compareText(a.path, b.path) || compareText(a.message, b.message)),
  };
}

/** Every string of a value passed through `f`; object keys are ours and stay. */
export function mapStrings<T>(value: T, f: (s: string) => string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return f(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/**
 * The inventory as JSON: every string masked (credential shapes and known secrets, paths too), control
 * characters written as JSON escapes, two-space indent, a final newline.
 */
export function renderInventoryJson(
  inventory: Inventory,
  options: { secrets?: readonly string[] } = {},
): string {
  return `${safeJson(mapStrings(inventory, (s) => maskSecrets(s, options.secrets)))}\n`;
}
