import { describe, expect, test } from '@jest/globals';
import { matchesNamePattern } from '../src/model/name-pattern.js';
import { parsePolicy } from '../src/policy/load.js';
import { defaultPolicy, type Policy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

const policyOf = (...lines: string[]): Policy =>
  parsePolicy(['version: 1', ...lines, ''].join('\n'), '.github/claude-guard.yml');

const ALLOW_GITHUB = policyOf('mcp:', '  allowed-servers: [github, "docs-*"]');

async function cg603(files: Record<string, string>, policy: Policy = ALLOW_GITHUB): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), policy);
  return verdict.findings
    .filter((f) => f.ruleId === 'CG603')
    .map((f) => `${f.severity} ${f.path}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.message}`);
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const LIST = '(github, docs-*)';

const MCP = json({
  mcpServers: {
    github: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github@2025.4.8'] },
    postgres: {
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-postgres@0.6.2', 'postgresql://app:hunter2@db.internal/app'],
    },
    'docs-search': { type: 'http', url: 'https://mcp.docs.example/mcp' },
    tickets: { type: 'http', url: 'https://bot:s3cretpass@mcp.tickets.example/mcp?token=abc123' },
  },
});

describe('CG603 mcp-server-not-allowed', () => {
  test('servers outside the list, at their names, with what they run and no credential', async () => {
    const found = await cg603({ '.mcp.json': MCP });
    expect(found).toEqual([
      `high .mcp.json:10:6-10:14 MCP server "postgres" (stdio: npx @modelcontextprotocol/server-postgres@0.6.2) is not allowed by policy mcp.allowed-servers ${LIST}`,
      `high .mcp.json:22:6-22:13 MCP server "tickets" (http https://mcp.tickets.example/mcp) is not allowed by policy mcp.allowed-servers ${LIST}`,
    ]);
    expect(found.join('\n')).not.toMatch(/hunter2|s3cretpass|abc123/);
  });

  test('servers of --mcp-config files, inline JSON and the action mcp_config', async () => {
    expect(
      await cg603({
        'ci/mcp.json': json({ mcpServers: { shell: { command: './bin/shell-server' } } }),
        '.github/workflows/a.yml': [
          'on: workflow_dispatch',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - run: claude -p "go" --mcp-config ci/mcp.json',
          `      - run: claude -p "go" --mcp-config '{"mcpServers":{"fs":{"command":"node","args":["fs.js"]}}}'`,
          '',
        ].join('\n'),
      }),
    ).toEqual([
      `high .github/workflows/a.yml:7:59-7:61 MCP server "fs" (stdio: node fs.js) is not allowed by policy mcp.allowed-servers ${LIST}`,
      `high ci/mcp.json:3:6-3:11 MCP server "shell" (stdio: ./bin/shell-server) is not allowed by policy mcp.allowed-servers ${LIST}`,
    ]);
  });

  test('a committed .claude.json is judged; an empty list allows no server', async () => {
    expect(
      await cg603(
        { '.claude.json': json({ mcpServers: { github: { command: 'gh-mcp' } } }) },
        policyOf('mcp:', '  allowed-servers: []'),
      ),
    ).toEqual([
      'high .claude.json:3:6-3:12 MCP server "github" (stdio: gh-mcp) is not allowed by policy mcp.allowed-servers which lists no server',
    ]);
  });

  test('silent: the built-in policy (no list), "*", and names the list has exactly or by wildcard', async () => {
    expect(await cg603({ '.mcp.json': MCP }, defaultPolicy())).toEqual([]);
    expect(await cg603({ '.mcp.json': MCP }, policyOf('mcp:', '  allowed-servers: ["*"]'))).toEqual([]);
    expect(
      await cg603(
        { '.mcp.json': MCP },
        policyOf('mcp:', '  allowed-servers: [github, postgres, "docs-*", "tick*s"]'),
      ),
    ).toEqual([]);
  });

  test('names compare exactly, case included', async () => {
    expect(await cg603({ '.mcp.json': json({ mcpServers: { GitHub: { command: 'gh-mcp' } } }) })).toEqual([
      `high .mcp.json:3:6-3:12 MCP server "GitHub" (stdio: gh-mcp) is not allowed by policy mcp.allowed-servers ${LIST}`,
    ]);
  });

  test('a hostile name and command are quoted short', async () => {
    const name = 'x'.repeat(5000);
    const [found] = await cg603({
      '.mcp.json': json({
        mcpServers: { [name]: { command: 'y'.repeat(5000), args: ['--api-key', 'abc', '--token', 'abc'] } },
      }),
    });
    expect(found?.length).toBeLessThan(400);
    expect(found).not.toContain('abc');
  });
});

describe('matchesNamePattern', () => {
  test.each([
    ['github', 'github', true],
    ['github', 'GitHub', false],
    ['github-issues', 'github-*', true],
    ['github-', 'github-*', true],
    ['github', 'github-*', false],
    ['my-db-readonly', '*-readonly', true],
    ['a-b-c', 'a*b*c', true],
    ['abc', 'a*b*bc', false],
    ['aXbYbc', 'a*b*bc', true],
    ['anything', '*', true],
    ['', '*', true],
  ])('%s against %s: %s', (name, pattern, expected) => {
    expect(matchesNamePattern(name, pattern)).toBe(expected);
  });

  test('a long name against many stars is quick', () => {
    const start = Date.now();
    expect(matchesNamePattern('a'.repeat(100_000), `${'a*'.repeat(50)}b`)).toBe(false);
    expect(Date.now() - start).toBeLessThan(500);
  });
});
