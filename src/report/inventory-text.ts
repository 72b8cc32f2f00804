import type {
  DirectoryEntry,
  FlagEntry,
  HelperEntry,
  HookEntry,
  Inventory,
  InventoryRun,
  Location,
  ModeEntry,
  ReferenceEntry,
  RemoteCodeEntry,
  RuleEntry,
  ValueEntry,
} from './inventory.js';
import { displayLine } from './safe.js';
import { plural } from './text.js';

/** Longest piece of repository text on a line, after masking and escaping. */
const MAX_TEXT = 160;
const INDENT = '    ';

/**
 * The inventory for people: one block per Claude run, settings document, MCP server and command, agent or
 * skill, grouped, each detail on its own line with where it is written. Every string from the repository
 * passes the display edge (masked, controls escaped, no workflow command) and is cut to a readable length.
 */
export function renderInventoryText(
  inventory: Inventory,
  options: { secrets?: readonly string[] } = {},
): string {
  const secrets = options.secrets ?? [];
  const t = (text: string): string => {
    const line = displayLine(text, secrets);
    return line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT - 1)}…` : line;
  };
  const out: string[] = [];
  const detail = (label: string, text: string): void => {
    out.push(`${INDENT}${label.padEnd(10)} ${text}`);
  };
  /** `at 3:21`, or with the path when it is not the block's file. */
  const at = (l: Location, path: string): string =>
    l.path === path ? `at ${l.line}:${l.column}` : `at ${t(l.path)}:${l.line}:${l.column}`;
  const via = (v: readonly string[]): string => (v.length > 0 ? ` via ${v.map(t).join(', ')}` : '');
  const rule = (label: string, r: RuleEntry, path: string): void =>
    detail(
      label,
      `${t(r.rule)} [${r.risk}]${via(r.via)} ${at(r.location, path)}${r.problem ? ` (${t(r.problem)})` : ''}`,
    );
  const mode = (m: ModeEntry, path: string): void =>
    detail('mode', `${t(m.mode)}${m.risk ? ` [${m.risk}]` : ''}${via(m.via)} ${at(m.location, path)}`);
  const directory = (d: DirectoryEntry, path: string): void =>
    detail('directory', `${t(d.path)}${via(d.via)} ${at(d.location, path)}`);
  /** The remote code a hook or helper runs, on the line after it: how, by what, what, and its pin. */
  const remote = (r: RemoteCodeEntry | null, path: string): void => {
    if (!r) return;
    const target = r.target !== null ? ` ${t(r.target)}` : '';
    detail('  fetches', `${r.how} (${t(r.runner)})${target} [${r.pin}] ${at(r.location, path)}`);
  };
  const hook = (h: HookEntry, path: string): void => {
    detail(
      'hook',
      `${t(h.event)}${h.matcher !== null ? ` on ${t(h.matcher)}` : ''}: ${h.type} ${t(h.run)} ${at(h.location, path)}`,
    );
    remote(h.remoteCode, path);
  };
  const helper = (h: HelperEntry, path: string): void => {
    detail('helper', `${t(h.name)}: ${t(h.run)} ${at(h.location, path)}`);
    remote(h.remoteCode, path);
  };
  const value = (label: string, v: ValueEntry, path: string): void => {
    const shown =
      v.origin === 'secret'
        ? v.references.map(t).join(', ') || '(a secret)'
        : v.value !== null
          ? t(v.value)
          : `${t(v.masked ?? '********')}`;
    const facts = [
      v.origin,
      ...(v.scope ? [t(v.scope)] : []),
      ...(v.value === null && v.origin !== 'secret' ? ['withheld'] : []),
    ];
    detail(label, `${t(v.name)} = ${shown} (${facts.join(', ')}) ${at(v.location, path)}`);
  };
  const reference = (label: string, r: ReferenceEntry, path: string): void =>
    detail(label, `${r.inline ? 'inline JSON' : t(r.value ?? '')} ${at(r.location, path)}`);
  const flag = (f: FlagEntry, path: string): void =>
    detail('flag', `${[f.name, ...f.values].map(t).join(' ')} ${at(f.location, path)}`);
  const heading = (text: string): void => {
    if (out.length > 0) out.push('');
    out.push(text);
  };
  /** A block's first line, after a blank one. */
  const block = (text: string): void => {
    out.push('', text);
  };

  const { summary } = inventory;
  out.push(
    `Claude Code inventory (${inventory.schema} v${inventory.version}): ${plural(summary.runs, 'Claude run')}, ` +
      `${plural(summary.settings, 'settings document')}, ${plural(summary.mcpServers, 'MCP server')}, ` +
      `${summary.definitions} ${summary.definitions === 1 ? 'command, agent or skill' : 'commands, agents and skills'} ` +
      `in ${plural(summary.files, 'file')}`,
  );

  heading('Claude runs');
  if (inventory.runs.length === 0) block('  none found');
  for (const run of inventory.runs) {
    const path = run.location.path;
    const what = run.action ? t(run.action.uses) : t(run.program?.value ?? 'claude');
    block(`  ${t(path)}:${run.location.line}:${run.location.column}  ${what}  (${run.surface})`);
    contextLines(run, t, detail);
    if (run.wrappers.length > 0) detail('through', run.wrappers.map((w) => t(w.value)).join(' → '));
    if (run.modes.length === 0) detail('mode', 'not set by this run (settings files and the default apply)');
    for (const m of run.modes) mode(m, path);
    if (run.grants.length === 0) detail('grants', 'none given by this run');
    for (const r of run.grants) rule('grant', r, path);
    for (const r of run.asks) rule('ask', r, path);
    for (const r of run.denied) rule('deny', r, path);
    for (const d of run.addedDirectories) directory(d, path);
    for (const h of run.hooks) hook(h, path);
    for (const r of run.settings) reference('settings', r, path);
    for (const r of run.mcpConfigs) reference('mcp config', r, path);
    for (const v of run.env) value('env', v, path);
    for (const v of run.inputs) value('input', v, path);
    for (const f of run.flags) flag(f, path);
    if (run.trust) {
      const events = run.trust.events.map(
        (e) => `${t(e.event)}${e.types.length > 0 ? ` (${e.types.map(t).join(', ')})` : ''}`,
      );
      detail(
        'trust',
        run.trust.level === 'outsiders'
          ? `outsiders can start it: ${events.join(', ')}${run.trust.opening ? ` · ${run.trust.opening.kind} ${at(run.trust.opening.location, path)}` : ''}`
          : 'only people with write access start it',
      );
    }
    const { limits } = run;
    const limitWords = [
      limits.maxTurns && `--max-turns ${t(limits.maxTurns.value)}`,
      limits.maxBudgetUsd && `--max-budget-usd ${t(limits.maxBudgetUsd.value)}`,
      limits.jobTimeoutMinutes && `job timeout ${limits.jobTimeoutMinutes.value} min`,
      limits.gitlabTimeout && `job timeout ${limits.gitlabTimeout.value}`,
      limits.stepTimeoutMinutes && `step timeout ${t(limits.stepTimeoutMinutes.value)} min`,
      limits.timeoutWrapper && 'a timeout wrapper',
    ].filter((w): w is string => !!w);
    detail('limits', limitWords.length > 0 ? limitWords.join(' · ') : 'none');
  }

  heading('Where Claude Code is installed');
  if (inventory.installs.length === 0) block('  none found');
  for (const i of inventory.installs) {
    const version = i.version ? ` ${t(i.version.value)}` : '';
    block(
      `  ${t(i.location.path)}:${i.location.line}:${i.location.column}  ${t(i.via)}${version}  (${i.how})`,
    );
    detail('pinning', `${i.pin}: ${t(i.why)}`);
  }

  heading('Settings');
  if (inventory.settings.length === 0) block('  none found');
  for (const doc of inventory.settings) {
    const given = doc.givenBy ? `, given by the run ${at(doc.givenBy, doc.path)}` : '';
    block(`  ${t(doc.path)}  (${doc.scope}${given})`);
    if (doc.isolation) detail('isolation', t(doc.isolation.value));
    if (doc.defaultMode) mode(doc.defaultMode, doc.path);
    if (doc.disableBypassPermissionsMode) {
      const d = doc.disableBypassPermissionsMode;
      detail('bypass', `disableBypassPermissionsMode ${t(d.value)} ${at(d.location, doc.path)}`);
    }
    for (const r of doc.allow) rule('allow', r, doc.path);
    for (const r of doc.ask) rule('ask', r, doc.path);
    for (const r of doc.deny) rule('deny', r, doc.path);
    for (const d of doc.additionalDirectories) directory(d, doc.path);
    for (const v of doc.env) value('env', v, doc.path);
    for (const h of doc.hooks) hook(h, doc.path);
    for (const h of doc.helpers) helper(h, doc.path);
    for (const p of doc.plugins) {
      const name = p.marketplace !== null ? `${t(p.name)}@${t(p.marketplace)}` : t(p.name);
      detail('plugin', `${name} ${p.enabled ? 'enabled' : 'disabled'} ${at(p.location, doc.path)}`);
    }
    for (const m of doc.marketplaces) {
      const source = m.source
        ? `: ${[m.source.kind, m.source.value]
            .filter((x): x is string => x !== null)
            .map(t)
            .join(' ')}`
        : '';
      detail('marketplace', `${t(m.name)}${source} ${at(m.location, doc.path)}`);
    }
    const all = doc.enableAllProjectMcpServers;
    if (all) detail('mcp', `enableAllProjectMcpServers ${String(all.value)} ${at(all.location, doc.path)}`);
    for (const [key, list] of [
      ['enabledMcpjsonServers', doc.enabledMcpjsonServers],
      ['disabledMcpjsonServers', doc.disabledMcpjsonServers],
    ] as const) {
      if (list.length > 0)
        detail('mcp', `${key} ${list.map((n) => `${t(n.value)} ${at(n.location, doc.path)}`).join(', ')}`);
    }
  }

  heading('MCP servers');
  if (inventory.mcpServers.length === 0) block('  none found');
  for (const s of inventory.mcpServers) {
    const path = s.path;
    const transport = `${t(s.transport.value)}${s.url && !s.transport.location ? ' (a url without a type)' : ''}`;
    block(`  ${t(path)}:${s.location.line}:${s.location.column}  ${t(s.name)}  (${s.scope}, ${transport})`);
    if (s.command)
      detail(
        'command',
        `${[s.command, ...s.args].map((a) => t(a.value)).join(' ')} ${at(s.command.location, path)}`,
      );
    if (s.url) detail('url', `${t(s.url.value)} ${at(s.url.location, path)}`);
    if (s.pinning) {
      const target = s.pinning.target !== null ? ` ${t(s.pinning.target)}` : '';
      detail('pinning', `${s.pinning.runner}${target}: ${s.pinning.pin}`);
    }
    for (const v of s.env) value('env', v, path);
    for (const v of s.headers) value('header', v, path);
    if (s.headersHelper) helper(s.headersHelper, path);
  }

  heading('Commands, agents and skills');
  if (inventory.definitions.length === 0) block('  none found');
  for (const d of inventory.definitions) {
    block(`  ${t(d.path)}  (${d.kind})`);
    if (d.isolation) detail('isolation', t(d.isolation.value));
    if (d.permissionMode) mode(d.permissionMode, d.path);
    for (const r of d.allowedTools) rule('grant', r, d.path);
    for (const r of d.tools)
      rule('tool', { ...r, via: ['tools (limits the agent, grants nothing)'] }, d.path);
    for (const h of d.hooks) hook(h, d.path);
    for (const h of d.inlineShell) helper(h, d.path);
  }

  if (inventory.localConfigs.length > 0) {
    heading('Personal Claude files');
    out.push('');
    for (const c of inventory.localConfigs) {
      const tracked = c.tracked === true ? ', tracked by git' : '';
      out.push(`  ${t(c.path)}  (${c.kind}${tracked})`);
    }
  }
  if (inventory.notices.length > 0) {
    heading('Notices');
    out.push('');
    for (const n of inventory.notices) out.push(`  ${t(n.path)}: ${t(n.message)}`);
  }
  return `${out.join('\n')}\n`;
}

/** A field name as words: `timeoutMinutes` → `timeout minutes`. */
function words(key: string): string {
  return key.replace(/(?<=[a-z0-9])(?=[A-Z])/g, ' ').toLowerCase();
}

/**
 * The run's context, one line per field, read from the data: a field added to the context shows here
 * without a change. Locations are left out (the block heading says where the run is); `path` is left out
 * when it is the run's own file.
 */
function contextLines(
  run: InventoryRun,
  t: (s: string) => string,
  detail: (label: string, text: string) => void,
): void {
  const describe = (value: unknown): string => {
    if (value === null || value === undefined) return '';
    if (typeof value === 'string') return t(value);
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (Array.isArray(value)) return value.map(describe).filter(Boolean).join(', ');
    if (typeof value === 'object') {
      const o = value as Record<string, unknown>;
      if ('value' in o && 'location' in o) {
        const shown =
          typeof o.value === 'object' && o.value !== null ? t(JSON.stringify(o.value)) : describe(o.value);
        const facts = Object.entries(o)
          .filter(([k, v]) => k !== 'value' && k !== 'location' && v !== null)
          .map(([k, v]) => `${words(k)} ${describe(v)}`);
        return facts.length > 0 ? `${shown} (${facts.join(', ')})` : shown;
      }
      if ('line' in o && 'column' in o) return `at ${o.line as number}:${o.column as number}`;
      return Object.entries(o)
        .filter(([k, v]) => k !== 'location' && !(k === 'path' && v === run.location.path))
        .map(([k, v]): [string, string] => [k, describe(v)])
        .filter(([, text]) => text !== '')
        .map(([k, text]) => `${words(k)} ${text}`)
        .join(' · ');
    }
    return '';
  };
  for (const [key, value] of Object.entries(run.context)) {
    const text = describe(value);
    if (text !== '') detail(words(key), text);
  }
}
