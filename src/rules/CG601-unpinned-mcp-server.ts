import { locatedMcpPinning, type McpPinning } from '../model/mcp-pinning.js';
import type { Rule } from './types.js';

/** How the runner is written in a sentence. */
const RUNNER_NAME: Record<McpPinning['runner'], string> = {
  npx: 'npx',
  bunx: 'bunx',
  uvx: 'uvx',
  pipx: 'pipx run',
  docker: 'docker run',
};

/** A target fit to show: a URL's user and password (a git source's token) left out, long text cut short. */
function shown(target: string): string {
  const clean = target.replace(/\/\/[^/@\s]*@/g, '//');
  return clean.length > 120 ? `${clean.slice(0, 120)}…` : clean;
}

export const unpinnedMcpServer: Rule = {
  meta: {
    id: 'CG601',
    name: 'unpinned-mcp-server',
    severity: 'medium',
    summary:
      'A stdio MCP server started through `npx`, `bunx`, `uvx`, `pipx run` or `docker run` without an exact version or image digest.',
    rationale:
      'Claude starts a stdio MCP server as a program on the machine, with the environment and credentials it ' +
      "is given, and in `claude -p` and CI it connects the project's servers without asking. When the server " +
      'is a package fetched by a runner (`npx -y @scope/server`, `uvx mcp-server-fetch`, `pipx run tool`) or ' +
      'an image (`docker run … image:latest`) without an exact release, every start runs whatever the ' +
      'registry serves that day: a hijacked maintainer account or a typo-squatted release runs with those ' +
      'credentials as soon as it is published. Servers are read from `.mcp.json`, a committed `.claude.json`, ' +
      'MCP files named by `--mcp-config` and JSON given inline to it. An exact version (`pkg@1.2.3`, ' +
      '`pkg==1.2.3`), a git source at a full commit, an image tag that is an exact version or a digest ' +
      '(`image@sha256:…`) is pinned; a version set by a variable and a local path are not judged.',
    fix:
      'Name an exact release: `npx -y @scope/server@1.2.3`, `uvx mcp-server-fetch==2025.4.7`, `pipx run ' +
      'tool==1.0.0`, or an image by digest (`ghcr.io/org/server@sha256:…`).',
    bad: [
      {
        path: '.mcp.json',
        note: 'A package without a version, one at a moving tag, and an image at latest.',
        lines: [5, 9, 13],
        content: [
          '{',
          '  "mcpServers": {',
          '    "github": {',
          '      "command": "npx",',
          '      "args": ["-y", "@modelcontextprotocol/server-github"]',
          '    },',
          '    "fetch": {',
          '      "command": "uvx",',
          '      "args": ["mcp-server-fetch@latest"]',
          '    },',
          '    "browser": {',
          '      "command": "docker",',
          '      "args": ["run", "-i", "--rm", "mcp/playwright:latest"]',
          '    }',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.mcp.json',
        note: 'Exact releases, an image digest, a local server and a remote one.',
        content: [
          '{',
          '  "mcpServers": {',
          '    "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"] },',
          '    "fetch": { "command": "uvx", "args": ["mcp-server-fetch==2025.4.7"] },',
          `    "browser": { "command": "docker", "args": ["run", "-i", "--rm", "mcp/playwright@sha256:${'0'.repeat(64)}"] },`,
          '    "local": { "command": "node", "args": ["./tools/mcp-server.js"] },',
          '    "docs": { "type": "http", "url": "https://mcp.example.com/mcp" }',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model) {
    return model.mcpServers.flatMap((server) => {
      const found = locatedMcpPinning(server);
      if (!found || found.pinning.pin !== 'unpinned') return [];
      const { runner, target = '' } = found.pinning;
      return [
        {
          span: found.span ?? server.command?.span ?? server.name.span,
          message: `MCP server "${server.name.value}" runs ${shown(target)} through ${RUNNER_NAME[runner]} without an exact version or digest: each start fetches whatever the registry serves then`,
          evidence: `${server.name.value}:${runner}:${shown(target)}`,
        },
      ];
    });
  },
};
