import { locatedArg } from '../model/env.js';
import { matchesAnyPattern } from '../model/name-pattern.js';
import { redact } from '../model/secret-patterns.js';
import type { Located, Span } from '../model/span.js';
import type { ScanModel, SettingsDoc } from '../model/types.js';
import type { Rule, RuleFinding } from './types.js';

/** Anthropic's marketplace, which Claude Code knows without being told, and where it comes from. */
const OFFICIAL_NAME = 'claude-plugins-official';
const OFFICIAL_SOURCE = 'github.com/anthropics/claude-plugins-official';

/** A GitHub `owner/repo`: an owner has no dot, which tells it from `host/path`. */
const GITHUB_REPO = /^[A-Za-z0-9*][A-Za-z0-9*-]{0,38}\/[A-Za-z0-9._*-]{1,100}$/;
/** `git@host:path`, the scp-like form of a git URL. */
const SCP_URL = /^[A-Za-z0-9._-]{1,64}@([A-Za-z0-9.-]{1,253}):(?!\/)/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]{0,31}:\/\//;

/** The policy's list, split into sources (compared as `host/path`) and marketplace names. */
interface AllowList {
  sources: string[];
  names: string[];
}

/**
 * A source as `host/path`, lower case, without scheme, user, password, query, fragment, `.git` or a trailing
 * slash, so that `owner/repo`, `https://github.com/owner/repo.git` and `git@github.com:owner/repo` compare
 * equal. Undefined for text that is not a source (a marketplace name).
 */
function sourceKey(text: string): string | undefined {
  let t = text.trim();
  const scp = SCP_URL.exec(t);
  if (scp) t = `${scp[1] as string}/${t.slice(scp[0].length)}`;
  else if (SCHEME.test(t)) t = t.replace(SCHEME, '').replace(/^[^/@\s]{0,512}@/, '');
  else if (GITHUB_REPO.test(t)) t = `github.com/${t}`;
  else if (!t.includes('/')) return undefined;
  const cut = t.search(/[?#]/);
  if (cut >= 0) t = t.slice(0, cut);
  // Trailing slashes trimmed by hand: `/\/+$/` is quadratic on a long run of them.
  let end = t.length;
  while (end > 0 && t[end - 1] === '/') end--;
  return t
    .slice(0, end)
    .replace(/\.git$/i, '')
    .toLowerCase();
}

function allowListOf(entries: readonly string[]): AllowList {
  const list: AllowList = { sources: [], names: [] };
  for (const entry of entries) {
    const key = sourceKey(entry);
    if (key) list.sources.push(key);
    else list.names.push(entry.trim());
  }
  return list;
}

/** A marketplace's source as settings declare it, and as a key. */
interface Source {
  kind?: string;
  text?: string;
  /** The source as `host/path`; undefined when it is not one (a path, a package, a kind not read). */
  key?: string;
  /** A folder or file of the repository itself, reviewed with the rest of its code. */
  inRepository: boolean;
}

function sourceOf(kind: string | undefined, location: string | undefined): Source {
  const source: Source = { inRepository: false };
  if (kind) source.kind = kind;
  if (location === undefined) return source;
  source.text = location;
  if (kind === 'directory' || kind === 'file') {
    const path = location.trim();
    source.inRepository =
      path !== '' && !/^([/\\~$]|[A-Za-z]:)/.test(path) && !path.split(/[/\\]/).includes('..');
    return source;
  }
  const key = kind === 'github' ? sourceKey(location.replace(SCHEME, '')) : sourceKey(location);
  if (key) source.key = kind === 'github' && !key.startsWith('github.com/') ? `github.com/${key}` : key;
  return source;
}

function sourceAllowed(source: Source, list: AllowList): boolean {
  return source.inRepository || (source.key !== undefined && matchesAnyPattern(source.key, list.sources));
}

/** Text from the scanned file as a message quotes it: credential shapes masked, long text cut short. */
function clip(text: string, max = 60): string {
  const bare = text.replace(/^([A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/)[^/@\s]{0,512}@/, '$1');
  const safe = redact(bare.slice(0, max + 256));
  return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}

function sourceWords(source: Source): string {
  if (source.text === undefined) return source.kind ? `a ${clip(source.kind, 20)} source` : 'no source';
  return `${source.kind ? `${clip(source.kind, 20)} ` : ''}${clip(source.text)}`;
}

/** Settings the repository hands to whoever runs Claude in it: not a personal file git does not track. */
function committed(model: ScanModel, doc: SettingsDoc): boolean {
  return doc.scope !== 'local' || model.localConfigs.some((l) => l.path === doc.path);
}

function whereOf(doc: SettingsDoc): string {
  return doc.scope === 'inline' ? `the settings given inline in ${doc.path}` : doc.path;
}

/** Every marketplace the repository's settings declare, by name. */
function declaredMarketplaces(docs: readonly SettingsDoc[]): Map<string, { source: Source; span: Span }[]> {
  const byName = new Map<string, { source: Source; span: Span }[]>();
  for (const doc of docs) {
    for (const m of doc.marketplaces) {
      const entry = { source: sourceOf(m.source?.value, m.location?.value), span: m.name.span };
      byName.set(m.name.value, [...(byName.get(m.name.value) ?? []), entry]);
    }
  }
  return byName;
}

/** `plugin@marketplace`, split at the last `@`. */
function marketplaceOf(plugin: string): string | undefined {
  const at = plugin.lastIndexOf('@');
  return at > 0 && at < plugin.length - 1 ? plugin.slice(at + 1) : undefined;
}

/** The entries of an input listing one per line (or separated by commas), each with its span. */
function listEntries(input: Located<string>): Located<string>[] {
  const arg = locatedArg(input);
  const out: Located<string>[] = [];
  const re = /[^\s,]+/g;
  for (const m of input.value.matchAll(re)) {
    if (m[0].startsWith('#')) continue;
    const from = m.index ?? 0;
    out.push({ value: m[0], span: arg.sub(from, from + m[0].length) });
    if (out.length >= 200) break;
  }
  return out;
}

export const untrustedPluginSource: Rule = {
  meta: {
    id: 'CG605',
    name: 'untrusted-plugin-source',
    severity: 'medium',
    summary:
      'A plugin marketplace, or a plugin from one, outside policy `plugins.allowed-sources`: settings ' +
      "`extraKnownMarketplaces` and `enabledPlugins`, and the actions' `plugin_marketplaces` and `plugins` inputs.",
    rationale:
      'A plugin brings hooks, MCP servers, commands, agents and skills, and its hooks run shell commands on ' +
      'every matching event. A marketplace declared in committed settings is offered to everyone who opens ' +
      'the repository, and a plugin enabled there is switched on for them; whoever controls the marketplace ' +
      "decides what that plugin's next version runs. An entry of `plugins.allowed-sources` is a GitHub " +
      '`owner/repo`, a git URL (compared without scheme, credentials, `.git` or ref, so ' +
      '`https://github.com/acme/plugins.git` and `acme/plugins` are the same), or a marketplace name; `*` ' +
      'stands for any run of characters (`acme/*`). A marketplace is allowed by its name or its source; a ' +
      'plugin `name@marketplace` when its marketplace is. A `directory` or `file` source inside the ' +
      "repository is the repository's own code and is allowed. Anthropic's marketplace " +
      '(`claude-plugins-official`) is not allowed implicitly: it lists partner and community plugins as ' +
      'well, so a policy that names sources names it too (by that name or as ' +
      '`anthropics/claude-plugins-official`). Without the key, as in the built-in policy, any source is ' +
      'allowed.',
    fix:
      'Use a plugin from a marketplace the policy allows, or have the marketplace reviewed and add its source ' +
      'to `plugins.allowed-sources`.',
    bad: [
      {
        path: '.claude/settings.json',
        note: 'A marketplace from a repository the policy does not list, and a plugin from it.',
        lines: [4, 9],
        policy: ['version: 1', 'plugins:', '  allowed-sources: [acme/claude-plugins]', ''].join('\n'),
        content: [
          '{',
          '  "extraKnownMarketplaces": {',
          '    "acme": { "source": { "source": "github", "repo": "acme/claude-plugins" } },',
          '    "helpers": { "source": { "source": "git", "url": "https://git.example.net/tools/plugins.git" } }',
          '  },',
          '  "enabledPlugins": {',
          '    "formatter@acme": true,',
          '    "review@claude-plugins-official": false,',
          '    "shell-tools@helpers": true',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.claude/settings.json',
        note: "The organisation's marketplace, written as a git URL, and Anthropic's, allowed by name.",
        policy: [
          'version: 1',
          'plugins:',
          '  allowed-sources: [acme/claude-plugins, claude-plugins-official]',
          '',
        ].join('\n'),
        content: [
          '{',
          '  "extraKnownMarketplaces": {',
          '    "acme": { "source": { "source": "git", "url": "https://github.com/acme/claude-plugins.git" } }',
          '  },',
          '  "enabledPlugins": { "formatter@acme": true, "code-review@claude-plugins-official": true }',
          '}',
          '',
        ].join('\n'),
      },
      {
        path: '.claude/settings.json',
        note: 'Any marketplace, under a policy that does not list sources (the built-in one).',
        content: [
          '{',
          '  "extraKnownMarketplaces": {',
          '    "helpers": { "source": { "source": "github", "repo": "someone/plugins" } }',
          '  },',
          '  "enabledPlugins": { "shell-tools@helpers": true }',
          '}',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model, ctx) {
    const entries = ctx.plugins.allowedSources;
    if (!entries) return [];
    const list = allowListOf(entries);
    const docs = model.settings.filter((d) => committed(model, d));
    const declared = declaredMarketplaces(docs);
    const nameAllowed = (name: string): boolean => matchesAnyPattern(name, list.names);
    const findings: RuleFinding[] = [];

    /** Why a plugin's marketplace is not allowed, with where it is declared; undefined when it is allowed. */
    const refusal = (marketplace: string): { why: string; related?: Span } | undefined => {
      if (nameAllowed(marketplace)) return undefined;
      const declarations = declared.get(marketplace) ?? [];
      const refused = declarations.find((d) => !sourceAllowed(d.source, list));
      if (refused)
        return { why: `whose source ${sourceWords(refused.source)} it does not list`, related: refused.span };
      if (declarations.length > 0) return undefined;
      if (marketplace === OFFICIAL_NAME)
        return matchesAnyPattern(OFFICIAL_SOURCE, list.sources)
          ? undefined
          : { why: "Anthropic's marketplace, which it does not list" };
      return { why: 'which it does not list by name, and which no settings here declare' };
    };

    const pluginFinding = (plugin: Located<string>, where: string, marketplace: string): void => {
      const refused = refusal(marketplace);
      if (!refused) return;
      const finding: RuleFinding = {
        span: plugin.span,
        message: `Plugin "${clip(plugin.value)}" in ${where} comes from marketplace "${clip(marketplace, 40)}", ${refused.why}: policy plugins.allowed-sources`,
        evidence: `plugin:${plugin.value}`,
      };
      if (refused.related)
        finding.related = [
          { span: refused.related, message: `marketplace "${clip(marketplace, 40)}" is declared here` },
        ];
      findings.push(finding);
    };

    for (const doc of docs) {
      for (const m of doc.marketplaces) {
        const source = sourceOf(m.source?.value, m.location?.value);
        if (nameAllowed(m.name.value) || sourceAllowed(source, list)) continue;
        findings.push({
          span: m.name.span,
          message: `Marketplace "${clip(m.name.value, 40)}" in ${whereOf(doc)} comes from ${sourceWords(source)}, outside policy plugins.allowed-sources`,
          evidence: `marketplace:${m.name.value}:${source.key ?? source.text ?? ''}`,
        });
      }
      for (const p of doc.plugins) {
        const marketplace = marketplaceOf(p.name.value);
        if (p.enabled && marketplace) pluginFinding(p.name, whereOf(doc), marketplace);
      }
    }

    // The actions add marketplaces by git URL and install plugins from them before Claude starts.
    for (const run of model.runs) {
      const action = run.action;
      if (!action) continue;
      const where = `the ${action.action} step`;
      const marketplaces = action.inputs['plugin_marketplaces'];
      const added = marketplaces ? listEntries(marketplaces) : [];
      for (const m of added) {
        const key = sourceKey(m.value);
        const source: Source = key
          ? { text: m.value, key, inRepository: false }
          : sourceOf('directory', m.value);
        if (sourceAllowed(source, list)) continue;
        findings.push({
          span: m.span,
          message: `Marketplace ${clip(m.value)} added by ${where} is outside policy plugins.allowed-sources`,
          evidence: `action-marketplace:${key ?? m.value}`,
        });
      }
      const plugins = action.inputs['plugins'];
      for (const p of plugins ? listEntries(plugins) : []) {
        const marketplace = marketplaceOf(p.value);
        if (!marketplace) continue;
        // A marketplace the step adds is judged by its URL above; its name is in its own marketplace.json.
        if (added.length > 0 && !declared.has(marketplace) && marketplace !== OFFICIAL_NAME) continue;
        pluginFinding(p, where, marketplace);
      }
    }
    return findings;
  },
};
