import { describe, expect, test } from '@jest/globals';
import { locatedMcpPinning } from '../src/model/mcp-pinning.js';
import type { McpServer } from '../src/model/types.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

async function cg601(files: Record<string, string>): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return verdict.findings
    .filter((f) => f.ruleId === 'CG601')
    .map((f) => `${f.severity} ${f.path}:${f.line}:${f.column}-${f.endColumn} ${f.message}`);
}

const FETCHES = 'without an exact version or digest: each start fetches whatever the registry serves then';

describe('locatedMcpPinning', () => {
  const at = (column: number, endColumn: number) => ({
    path: '.mcp.json',
    line: 3,
    column,
    endLine: 3,
    endColumn,
  });
  const server = (command: string, args: [string, number][]): McpServer => ({
    path: '.mcp.json',
    name: { value: 's', span: at(1, 2) },
    command: { value: command, span: at(10, 10 + command.length) },
    args: args.map(([value, column]) => ({ value, span: at(column, column + value.length) })),
    env: {},
    headers: {},
  });

  test('points inside the command, an argument, or the value of --package= / --from=', () => {
    expect(locatedMcpPinning(server('npx -y pkg@latest', []))?.span).toEqual(at(17, 27));
    expect(
      locatedMcpPinning(
        server('npx', [
          ['-y', 20],
          ['pkg', 30],
        ]),
      )?.span,
    ).toEqual(at(30, 33));
    expect(
      locatedMcpPinning(
        server('npx', [
          ['--package=pkg', 20],
          ['bin', 40],
        ]),
      )?.span,
    ).toEqual(at(30, 33));
    expect(
      locatedMcpPinning(
        server('uvx', [
          ['--from=git+https://x/y', 20],
          ['t', 50],
        ]),
      )?.span,
    ).toEqual(at(27, 42));
    expect(
      locatedMcpPinning(
        server('pipx', [
          ['run', 20],
          ['--spec', 30],
          ['tool>=1', 40],
          ['tool', 60],
        ]),
      ),
    ).toEqual({
      pinning: { runner: 'pipx', target: 'tool>=1', pin: 'unpinned' },
      span: at(40, 47),
    });
    expect(
      locatedMcpPinning(
        server('pipx', [
          ['run', 20],
          ['tool==1.0.0', 30],
        ]),
      )?.pinning.pin,
    ).toBe('version');
    expect(
      locatedMcpPinning(
        server('pipx', [
          ['install', 20],
          ['tool', 30],
        ]),
      ),
    ).toBeUndefined();
  });
});

describe('CG601 unpinned-mcp-server', () => {
  test('each runner without an exact release, at the package or image', async () => {
    expect(
      await cg601({
        '.mcp.json': [
          '{',
          '  "mcpServers": {',
          '    "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"] },',
          '    "latest": { "command": "npx -y @playwright/mcp@latest" },',
          '    "bun": { "command": "bunx", "args": ["mcp-server@^1.2"] },',
          '    "fetch": { "command": "uvx", "args": ["mcp-server-fetch"] },',
          '    "tool": { "command": "pipx", "args": ["run", "mcp-tool"] },',
          '    "docker": { "command": "docker", "args": ["run", "-i", "--rm", "-e", "TOKEN", "ghcr.io/org/mcp:latest"] },',
          '    "git": { "command": "uvx", "args": ["--from", "git+https://user:s3cr3tpass@github.com/o/r", "srv"] }',
          '  }',
          '}',
          '',
        ].join('\n'),
      }),
    ).toEqual([
      `medium .mcp.json:3:51-86 MCP server "github" runs @modelcontextprotocol/server-github through npx ${FETCHES}`,
      `medium .mcp.json:4:36-58 MCP server "latest" runs @playwright/mcp@latest through npx ${FETCHES}`,
      `medium .mcp.json:5:43-58 MCP server "bun" runs mcp-server@^1.2 through bunx ${FETCHES}`,
      `medium .mcp.json:6:44-60 MCP server "fetch" runs mcp-server-fetch through uvx ${FETCHES}`,
      `medium .mcp.json:7:51-59 MCP server "tool" runs mcp-tool through pipx run ${FETCHES}`,
      `medium .mcp.json:8:84-106 MCP server "docker" runs ghcr.io/org/mcp:latest through docker run ${FETCHES}`,
      `medium .mcp.json:9:52-94 MCP server "git" runs git+https://github.com/o/r through uvx ${FETCHES}`,
    ]);
  });

  test('a committed .claude.json, an MCP file named by --mcp-config, and inline --mcp-config JSON', async () => {
    expect(
      await cg601({
        '.claude.json':
          '{"projects": {"/work": {"mcpServers": {"p": {"command": "npx", "args": ["@x/y@^2"]}}}}}\n',
        'ci/mcp.json': '{"mcpServers": {"q": {"command": "bunx", "args": ["srv"]}}}\n',
        'run.sh': [
          '#!/bin/sh',
          'claude -p review --mcp-config ci/mcp.json',
          `claude -p fix --mcp-config '{"mcpServers": {"g": {"command": "npx", "args": ["-y", "@scope/srv"]}}}'`,
          '',
        ].join('\n'),
        '.github/workflows/claude.yml': [
          'on: workflow_dispatch',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-action@0123456789abcdef0123456789abcdef01234567',
          '        with:',
          `          claude_args: --mcp-config '{"mcpServers":{"h":{"command":"uvx","args":["mcp-server-git"]}}}'`,
          '',
        ].join('\n'),
      }),
    ).toEqual([
      `medium .claude.json:1:74-81 MCP server "p" runs @x/y@^2 through npx ${FETCHES}`,
      `medium .github/workflows/claude.yml:8:83-97 MCP server "h" runs mcp-server-git through uvx ${FETCHES}`,
      `medium ci/mcp.json:1:52-55 MCP server "q" runs srv through bunx ${FETCHES}`,
      `medium run.sh:3:85-95 MCP server "g" runs @scope/srv through npx ${FETCHES}`,
    ]);
  });

  test("JSON given to a v0/beta action's mcp_config input, on one line or as a block; ignored by v1", async () => {
    const step = (ref: string, mcp: string[]): string[] => [
      `      - uses: anthropics/${ref}`,
      '        with:',
      '          direct_prompt: hi',
      ...mcp,
    ];
    expect(
      await cg601({
        '.github/mcp-file.json':
          '{"mcpServers": {"z": {"command": "npx", "args": ["-y", "@acme/from-file"]}}}\n',
        '.github/workflows/a.yml': [
          'on: workflow_dispatch',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          ...step('claude-code-action@beta', [
            `          mcp_config: '{"mcpServers":{"x":{"command":"npx","args":["-y","@acme/inline-one-line"]}}}'`,
          ]),
          ...step('claude-code-base-action@beta', [
            '          mcp_config: |',
            '            {"mcpServers": {',
            '              "y": {"command": "npx", "args": ["-y", "@acme/inline-block"]},',
            '              "pinned": {"command": "npx", "args": ["-y", "@acme/pinned@1.0.0"]}}}',
          ]),
          ...step('claude-code-action@beta', ['          mcp_config: .github/mcp-file.json']),
          ...step('claude-code-action@v1', [
            `          mcp_config: '{"mcpServers":{"v1":{"command":"npx","args":["-y","@acme/ignored"]}}}'`,
          ]),
          '',
        ].join('\n'),
      }),
    ).toEqual([
      `medium .github/mcp-file.json:1:57-72 MCP server "z" runs @acme/from-file through npx ${FETCHES}`,
      `medium .github/workflows/a.yml:9:74-95 MCP server "x" runs @acme/inline-one-line through npx ${FETCHES}`,
      `medium .github/workflows/a.yml:15:55-73 MCP server "y" runs @acme/inline-block through npx ${FETCHES}`,
    ]);
  });

  test("a plugin manifest's mcpServers; not a plugin.json outside .claude-plugin/", async () => {
    expect(
      await cg601({
        'plugins/acme/.claude-plugin/plugin.json': [
          '{',
          '  "name": "acme",',
          '  "mcpServers": {',
          '    "docs": { "command": "npx", "args": ["-y", "@acme/docs-mcp"] },',
          '    "pinned": { "command": "npx", "args": ["-y", "@acme/pinned-mcp@2.0.1"] }',
          '  }',
          '}',
          '',
        ].join('\n'),
        'other/plugin.json': '{ "mcpServers": { "x": { "command": "npx", "args": ["-y", "@acme/x"] } } }\n',
      }),
    ).toEqual([
      `medium plugins/acme/.claude-plugin/plugin.json:4:49-63 MCP server "docs" runs @acme/docs-mcp through npx ${FETCHES}`,
    ]);
  });

  test('silent: exact versions, a commit, a digest, a version tag, variables, local and remote servers', async () => {
    expect(
      await cg601({
        '.mcp.json': [
          '{',
          '  "mcpServers": {',
          '    "a": { "command": "npx", "args": ["-y", "@scope/pkg@1.2.3"] },',
          '    "b": { "command": "uvx", "args": ["mcp-server-fetch==2025.4.7"] },',
          '    "c": { "command": "uvx", "args": ["--from", "git+https://github.com/o/r@0123456789abcdef0123456789abcdef01234567", "x"] },',
          `    "d": { "command": "docker", "args": ["run", "-i", "img@sha256:${'a'.repeat(64)}"] },`,
          '    "e": { "command": "docker", "args": ["run", "-i", "ghcr.io/o/img:1.2.3"] },',
          '    "f": { "command": "npx", "args": ["-y", "pkg@${PKG_VERSION}"] },',
          '    "g": { "command": "npx", "args": ["./tools/server.js"] },',
          '    "h": { "command": "node", "args": ["server.js"] },',
          '    "i": { "type": "http", "url": "https://mcp.example.com/mcp" },',
          '    "j": { "command": "pipx", "args": ["run", "--spec", "tool==1.0.0", "tool"] },',
          '    "k": { "command": "docker", "args": ["exec", "-i", "box", "srv"] }',
          '  }',
          '}',
          '',
        ].join('\n'),
      }),
    ).toEqual([]);
  });
});

describe('hostile text', () => {
  test('a 1 MiB package name is judged quickly and quoted short', async () => {
    const started = Date.now();
    const found = await cg601({
      '.mcp.json': `{"mcpServers": {"big": {"command": "npx", "args": ["x${'a//'.repeat(1 << 18)}@latest"]}}}\n`,
    });
    expect(found).toHaveLength(1);
    expect((found[0] as string).length).toBeLessThan(400);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
