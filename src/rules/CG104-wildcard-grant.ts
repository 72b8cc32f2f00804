import { grantsOf } from '../model/grants.js';
import { wildcardScope } from '../model/tool-rule.js';
import type { Rule } from './types.js';

/**
 * Words that make an MCP server sensitive (a database, a cloud account, a cluster, a shell, the file
 * system): a wildcard over its tools is high. DESIGN §5's default list; a policy key will extend it.
 */
const SENSITIVE = [
  'postgres',
  'mysql',
  'sql',
  'mongo',
  'redis',
  'db',
  'database',
  'kubernetes',
  'k8s',
  'aws',
  'gcp',
  'azure',
  'terraform',
  'shell',
  'exec',
  'filesystem',
  'ssh',
];

/** Short words match only as a whole part of the name (`my-db`, `aws_prod`), so `feedback` is not a database. */
const WHOLE_WORD_ONLY = new Set(['db', 'aws', 'gcp', 'k8s', 'ssh']);

export function isSensitiveServer(name: string): boolean {
  const lower = name.toLowerCase();
  const parts = lower.split(/[^a-z0-9]+/);
  return SENSITIVE.some((word) => (WHOLE_WORD_ONLY.has(word) ? parts.includes(word) : lower.includes(word)));
}

export const wildcardGrant: Rule = {
  meta: {
    id: 'CG104',
    name: 'wildcard-grant',
    severity: 'medium',
    summary:
      'A grant pre-approves many tools at once: `*`, `mcp__*`, a whole MCP server (`mcp__srv`, `mcp__srv__*`), or `WebFetch(domain:*)`.',
    rationale:
      'A wildcard grant approves tools nobody has looked at: every tool an MCP server offers today and every ' +
      'tool it adds in its next release, or a fetch of any web address. A server that reaches a database, a ' +
      'cloud account, a cluster, a shell or the file system then acts without asking whenever something steers ' +
      'the model there, and `WebFetch(domain:*)` lets a prompt injection send what Claude read to any host. ' +
      'The finding is high when the server is one of those (its name holds postgres, mysql, sql, mongo, redis, ' +
      'db, database, kubernetes, k8s, aws, gcp, azure, terraform, shell, exec, filesystem or ssh), or when `*` ' +
      'or `mcp__*` covers such a server configured in the repository.',
    fix:
      'Grant the tools the job uses by their full names (`mcp__github__get_issue`), and the domains it needs ' +
      '(`WebFetch(domain:docs.example.com)`); leave the rest to ask.',
    bad: [
      {
        path: '.claude/settings.json',
        note: 'Every tool of two MCP servers, one of them a database, pre-approved.',
        lines: [3, 3],
        content: [
          '{',
          '  "permissions": {',
          '    "allow": ["Read", "mcp__github", "mcp__postgres__*"]',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
      {
        path: '.github/workflows/triage.yml',
        note: 'Every MCP tool and any web domain granted to a CI run.',
        lines: [10, 10],
        content: [
          'on: issues',
          'permissions: { contents: read }',
          'jobs:',
          '  triage:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          claude_args: |',
          '            --allowedTools "mcp__*,WebFetch(domain:*)"',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.claude/settings.json',
        note: 'Named tools of a server, and named domains.',
        content: [
          '{',
          '  "permissions": {',
          '    "allow": ["mcp__github__get_issue", "mcp__github__list_issues", "WebFetch(domain:docs.anthropic.com)"],',
          '    "deny": ["mcp__postgres"]',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model) {
    const sensitiveConfigured = model.mcpServers.some((s) => isSensitiveServer(s.name.value));
    return grantsOf(model).flatMap((grant) => {
      const scope = wildcardScope(grant.rule.value);
      if (!scope) return [];
      const raw = grant.rule.value.raw.trim();
      const where = `"${raw}" in ${grant.origin}`;
      switch (scope.kind) {
        case 'mcp-server': {
          const sensitive = isSensitiveServer(scope.server);
          return [
            {
              span: grant.rule.span,
              message: `${where} pre-approves every tool of MCP server "${scope.server}"${sensitive ? ', a sensitive server' : ''}`,
              evidence: `${grant.source}:mcp-server:${scope.server}`,
              ...(sensitive ? { severity: 'high' as const } : {}),
            },
          ];
        }
        case 'every-tool':
        case 'every-mcp-tool':
          return [
            {
              span: grant.rule.span,
              message: `${where} pre-approves ${scope.kind === 'every-tool' ? 'every tool' : 'every tool of every MCP server'}${sensitiveConfigured ? ', sensitive servers of this repository included' : ''}`,
              evidence: `${grant.source}:${scope.kind}`,
              ...(sensitiveConfigured ? { severity: 'high' as const } : {}),
            },
          ];
        case 'any-domain':
          return [
            {
              span: grant.rule.span,
              message: `${where} lets Claude fetch from any web domain without asking`,
              evidence: `${grant.source}:any-domain`,
            },
          ];
      }
    });
  },
};
