import { posix } from 'node:path';
import type { Located, Span } from '../model/span.js';
import type { McpServer, ScanModel, SettingsDoc } from '../model/types.js';
import type { RelatedSpan, Rule, RuleFinding } from './types.js';

/** Related spans shown at most, one per server. */
const MAX_RELATED = 10;

/**
 * The `.mcp.json` a settings file approves servers of: the one at the root of its project (the folder that
 * holds `.claude/`), or at the root of the checkout for settings given on a command line or to an input.
 * Managed settings apply to every project: none in particular.
 */
function projectMcpPath(doc: SettingsDoc): string | undefined {
  if (doc.scope === 'managed') return undefined;
  if (doc.scope === 'inline' || doc.scope === 'file') return '.mcp.json';
  const dir = posix.dirname(posix.dirname(doc.path));
  return dir === '.' ? '.mcp.json' : `${dir}/.mcp.json`;
}

/** Where a settings object is, in words. */
function whereOf(doc: SettingsDoc): string {
  return doc.scope === 'inline' ? `the settings given inline in ${doc.path}` : doc.path;
}

/** Settings that the repository hands to whoever runs Claude in it: not a personal file git does not track. */
function committed(model: ScanModel, doc: SettingsDoc): boolean {
  return doc.scope !== 'local' || model.localConfigs.some((l) => l.path === doc.path);
}

/** Text of the scanned file in a message, kept short. */
function shown(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function serverList(names: readonly string[]): string {
  const list = names.slice(0, MAX_RELATED).map(shown).join(', ');
  return names.length > MAX_RELATED ? `${list}, …` : list;
}

/** From the first name's start to the last name's end. */
function spanOver(names: readonly Located<string>[]): Span {
  const first = (names[0] as Located<string>).span;
  const last = (names[names.length - 1] as Located<string>).span;
  return { ...first, endLine: last.endLine, endColumn: last.endColumn };
}

const related = (servers: readonly McpServer[]): RelatedSpan[] =>
  servers
    .slice(0, MAX_RELATED)
    .map((s) => ({ span: s.name.span, message: `MCP server "${shown(s.name.value)}" is approved here` }));

export const autoApprovedMcp: Rule = {
  meta: {
    id: 'CG602',
    name: 'auto-approved-mcp',
    severity: 'medium',
    summary:
      'Committed settings approve the project’s MCP servers in advance: `enableAllProjectMcpServers: true` or an `enabledMcpjsonServers` list.',
    rationale:
      'A project’s `.mcp.json` starts programs and connects to services with the rights of whoever runs ' +
      'Claude, so Claude Code asks each person before it uses a server the repository declares. ' +
      '`enableAllProjectMcpServers: true` answers yes for every server of the file, present and future, and ' +
      '`enabledMcpjsonServers` for the servers it names; committed, the answer is given by whoever can change ' +
      'the repository, and a pull request that adds a server to `.mcp.json` gets it started without anyone ' +
      'being asked. Recent versions ignore these keys in a shared project file until the folder is trusted, ' +
      'but older versions and `claude -p` honour them. Checked in project settings, committed ' +
      '`settings.local.json`, managed settings and settings given with `--settings` or a `settings:` input. ' +
      'In CI, `claude -p` connects the project’s servers without asking anyway, and claude-code-action and ' +
      'claude-code-base-action write `enableAllProjectMcpServers: true` into the runner’s user settings on ' +
      'every run (a `settings:` input setting it to `false` is overwritten, which is reported here); what ' +
      'protects a CI run is which `.mcp.json` it checks out, so a run of those actions in a repository with a ' +
      '`.mcp.json` is not reported by itself — a run on a pull request’s own files is what CG501 reports.',
    fix:
      'Remove `enableAllProjectMcpServers` and `enabledMcpjsonServers` from committed settings and let each ' +
      'person approve the servers they use; to keep a server from starting at all, list it in ' +
      '`disabledMcpjsonServers`, or run Claude with `--strict-mcp-config` and the MCP config it needs.',
    bad: [
      {
        path: '.claude/settings.json',
        note: 'Every server of .mcp.json, present and future, starts without asking.',
        lines: [2],
        content: ['{', '  "enableAllProjectMcpServers": true', '}', ''].join('\n'),
        with: [
          {
            path: '.mcp.json',
            content: '{"mcpServers": {"db": {"command": "uvx", "args": ["mcp-server-postgres==0.6.2"]}}}\n',
          },
        ],
      },
      {
        path: '.claude/settings.json',
        note: 'Two servers approved by name.',
        lines: [3],
        content: [
          '{',
          '  "permissions": { "allow": ["Read"] },',
          '  "enabledMcpjsonServers": ["github", "postgres"]',
          '}',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.claude/settings.json',
        note: 'Nothing approved in advance; one server refused outright.',
        content: [
          '{',
          '  "enableAllProjectMcpServers": false,',
          '  "disabledMcpjsonServers": ["postgres"]',
          '}',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model) {
    const findings: RuleFinding[] = [];
    for (const doc of model.settings) {
      if (!committed(model, doc)) continue;
      const mcpPath = projectMcpPath(doc);
      const servers = mcpPath ? model.mcpServers.filter((s) => s.path === mcpPath) : [];
      const all = doc.enableAllProjectMcpServers;
      if (all?.value === true) {
        const which =
          servers.length > 0
            ? `every server of ${mcpPath} (${serverList(servers.map((s) => s.name.value))})`
            : "every server of the project's .mcp.json";
        const finding: RuleFinding = {
          span: all.span,
          message: `enableAllProjectMcpServers is true in ${whereOf(doc)}: ${which} starts without anyone being asked, and so will any server a change adds`,
          evidence: `${doc.scope}:enableAllProjectMcpServers`,
        };
        if (servers.length > 0) finding.related = related(servers);
        findings.push(finding);
      }
      const disabled = new Set(doc.disabledMcpjsonServers.map((d) => d.value));
      const enabled = doc.enabledMcpjsonServers.filter((e) => !disabled.has(e.value));
      if (enabled.length > 0) {
        const names = enabled.map((e) => e.value);
        const approved = servers.filter((s) => names.includes(s.name.value));
        const finding: RuleFinding = {
          span: doc.enabledMcpjsonServersSpan ?? spanOver(enabled),
          message: `enabledMcpjsonServers in ${whereOf(doc)} approves ${names.length === 1 ? 'the MCP server' : 'the MCP servers'} ${serverList(names)} in advance: whatever the project's .mcp.json declares under ${names.length === 1 ? 'that name' : 'those names'} starts without anyone being asked`,
          evidence: `${doc.scope}:enabledMcpjsonServers:${[...names].sort().join(',')}`,
        };
        if (approved.length > 0) finding.related = related(approved);
        findings.push(finding);
      }
    }
    // The actions write `enableAllProjectMcpServers: true` over what their `settings:` input says.
    for (const run of model.runs) {
      const off = run.kind === 'action' ? run.inlineSettings?.enableAllProjectMcpServers : undefined;
      if (off?.value !== false || !run.action) continue;
      findings.push({
        span: off.span,
        message: `enableAllProjectMcpServers: false in the settings input of ${run.action.action} does not apply: the action writes enableAllProjectMcpServers: true into Claude's user settings on every run`,
        evidence: `${run.action.action}:settings:enableAllProjectMcpServers:false`,
        related: [{ span: run.action.uses.span, message: `${run.action.action} runs here` }],
      });
    }
    return findings;
  },
};
