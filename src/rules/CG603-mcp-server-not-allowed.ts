import { isCredentialName } from '../model/env.js';
import { matchesAnyPattern } from '../model/name-pattern.js';
import { redact } from '../model/secret-patterns.js';
import type { McpServer, ScanModel } from '../model/types.js';
import type { Rule } from './types.js';

/** Names of the allow list a message repeats, at most. */
const MAX_LISTED = 10;

/** Text from the scanned file as a message quotes it: credential shapes masked, long text cut short. */
function clip(text: string, max = 80): string {
  const safe = redact(text.slice(0, max + 256));
  return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}

/** A URL fit to show: no user or password, no query (where tokens are passed), no fragment. */
function shownUrl(url: string): string {
  const bare = url.replace(/^([A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/)[^/@\s]{0,512}@/, '$1');
  const cut = bare.search(/[?#]/);
  return clip(cut >= 0 ? bare.slice(0, cut) : bare);
}

/**
 * What the server is, in a few words, without any credential: its transport and URL, or the program it runs
 * and the first word it gives it that is not an option (the package or script, usually).
 */
function described(server: McpServer): string {
  if (server.url) return `${server.transport?.value ?? 'remote'} ${shownUrl(server.url.value)}`;
  const command = server.command?.value;
  if (!command) return server.transport ? clip(server.transport.value, 20) : 'no command';
  // Flags may carry credentials (`--token x`), and so may `NAME=value` words: only a plain word is shown,
  // and not one a credential-named flag is given.
  const target = server.args.find((a, i) => {
    const before = server.args[i - 1]?.value ?? '';
    const afterCredential =
      before.startsWith('-') && isCredentialName(before.replace(/^-+/, '').replace(/-/g, '_'));
    return !afterCredential && !a.value.startsWith('-') && !a.value.includes('=');
  });
  const shownTarget = target ? ` ${clip(target.value.replace(/\/\/[^/@\s]{0,512}@/, '//'), 60)}` : '';
  return `stdio: ${clip(command, 40)}${shownTarget}`;
}

/** The allow list as a message shows it. */
function listed(names: readonly string[]): string {
  if (names.length === 0) return 'which lists no server';
  const shown = names.slice(0, MAX_LISTED).map((n) => clip(n, 40));
  return `(${shown.join(', ')}${names.length > MAX_LISTED ? ', …' : ''})`;
}

/** A personal `.claude.json` git does not track is not the repository's configuration. */
function committed(model: ScanModel, server: McpServer): boolean {
  const personal = server.path === '.claude.json' || server.path.endsWith('/.claude.json');
  return !personal || model.localConfigs.some((l) => l.path === server.path);
}

export const mcpServerNotAllowed: Rule = {
  meta: {
    id: 'CG603',
    name: 'mcp-server-not-allowed',
    severity: 'high',
    summary:
      'An MCP server whose name is not in policy `mcp.allowed-servers`, wherever the repository configures it: ' +
      '`.mcp.json`, a committed `.claude.json`, an MCP file named by `--mcp-config` or JSON given inline to it, ' +
      "the action's `mcp_config`.",
    rationale:
      "An MCP server runs with the credentials it is given and hands Claude tools that reach that server's " +
      'systems; in `claude -p` and CI, project servers connect without anyone being asked. An organisation ' +
      'that lists the servers it has reviewed in `mcp.allowed-servers` wants every other one to be seen before ' +
      'it is merged. Entries are server names as written in the configuration, compared exactly (case ' +
      'included); `*` stands for any run of characters, so `github-*` allows `github-issues` and ' +
      '`github-actions`, and `*` alone allows every name. A name is only a name: the rule does not check what ' +
      'the server runs (CG601 judges its pinning, CG203 its credentials). Without the key, as in the built-in ' +
      'policy, any server is allowed; an empty list allows none.',
    fix: 'Remove the server, or have it reviewed and add its name to `mcp.allowed-servers` in the policy.',
    bad: [
      {
        path: '.mcp.json',
        note: 'A server the policy does not list, next to one it does.',
        lines: [4],
        policy: ['version: 1', 'mcp:', '  allowed-servers: [github, "docs-*"]', ''].join('\n'),
        content: [
          '{',
          '  "mcpServers": {',
          '    "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"] },',
          '    "postgres": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-postgres@0.6.2"] }',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.mcp.json',
        note: 'Servers the policy lists, one through a wildcard.',
        policy: ['version: 1', 'mcp:', '  allowed-servers: [github, "docs-*"]', ''].join('\n'),
        content: [
          '{',
          '  "mcpServers": {',
          '    "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"] },',
          '    "docs-search": { "type": "http", "url": "https://mcp.docs.example/mcp" }',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
      {
        path: '.mcp.json',
        note: 'Any server, under a policy that does not list servers (the built-in one).',
        content: [
          '{',
          '  "mcpServers": {',
          '    "postgres": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-postgres@0.6.2"] }',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model, ctx) {
    const allowed = ctx.mcp.allowedServers;
    if (!allowed) return [];
    return model.mcpServers.flatMap((server) => {
      if (!committed(model, server) || matchesAnyPattern(server.name.value, allowed)) return [];
      return [
        {
          span: server.name.span,
          message: `MCP server "${clip(server.name.value, 40)}" (${described(server)}) is not allowed by policy mcp.allowed-servers ${listed(allowed)}`,
          evidence: `mcp-server:${server.name.value}`,
        },
      ];
    });
  },
};
