import { describe, expect, test } from '@jest/globals';
import { parseToolRule, wildcardScope } from '../src/model/tool-rule.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { isSensitiveServer } from '../src/rules/CG104-wildcard-grant.js';
import { memorySource, scan } from '../src/scan.js';

async function cg104(files: Record<string, string>): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return verdict.findings
    .filter((f) => f.ruleId === 'CG104')
    .map((f) => `${f.severity} ${f.path}:${f.line}:${f.column}-${f.endColumn} ${f.message}`);
}

describe('wildcardScope', () => {
  test.each([
    ['*', { kind: 'every-tool' }],
    ['mcp__*', { kind: 'every-mcp-tool' }],
    ['mcp__github', { kind: 'mcp-server', server: 'github' }],
    ['mcp__my_db__*', { kind: 'mcp-server', server: 'my_db' }],
    ['WebFetch(domain:*)', { kind: 'any-domain' }],
    ['WebFetch( domain: * )', { kind: 'any-domain' }],
    ['mcp__github__get_issue', undefined],
    ['mcp__github__get*', undefined],
    ['WebFetch(domain:example.com)', undefined],
    ['WebFetch', undefined],
    ['Bash', undefined],
    ['Read(*)', undefined],
  ])('%s', (raw, scope) => {
    expect(wildcardScope(parseToolRule(raw))).toEqual(scope);
  });
});

describe('sensitive servers', () => {
  test.each([
    ['prod-postgres', true],
    ['my_db', true],
    ['mongodb', true],
    ['aws-billing', true],
    ['filesystem', true],
    ['feedback', false],
    ['laws', false],
    ['github', false],
    ['context7', false],
  ])('%s: %s', (name, sensitive) => {
    expect(isSensitiveServer(name)).toBe(sensitive);
  });
});

describe('CG104 wildcard-grant', () => {
  test('whole servers in settings: medium, high for a sensitive one; exact columns', async () => {
    expect(
      await cg104({
        '.claude/settings.json':
          '{"permissions": {"allow": ["mcp__github", "mcp__prod-postgres__*", "Read"]}}\n',
      }),
    ).toEqual([
      'high .claude/settings.json:1:44-65 "mcp__prod-postgres__*" in permissions.allow in .claude/settings.json pre-approves every tool of MCP server "prod-postgres", a sensitive server',
      'medium .claude/settings.json:1:29-40 "mcp__github" in permissions.allow in .claude/settings.json pre-approves every tool of MCP server "github"',
    ]);
  });

  test('`*` and `mcp__*` are high when the repository configures a sensitive server', async () => {
    const files = {
      '.mcp.json': '{"mcpServers": {"k8s": {"command": "kubectl-mcp"}}}\n',
      'run.sh': '#!/bin/sh\nclaude -p go --allowedTools "mcp__*" "*"\n',
    };
    expect(await cg104(files)).toEqual([
      'high run.sh:2:30-36 "mcp__*" in --allowedTools pre-approves every tool of every MCP server, sensitive servers of this repository included',
      'high run.sh:2:39-40 "*" in --allowedTools pre-approves every tool, sensitive servers of this repository included',
    ]);
    expect(await cg104({ 'run.sh': files['run.sh'] })).toEqual([
      'medium run.sh:2:30-36 "mcp__*" in --allowedTools pre-approves every tool of every MCP server',
      'medium run.sh:2:39-40 "*" in --allowedTools pre-approves every tool',
    ]);
  });

  test('any web domain, in a command front matter', async () => {
    expect(
      await cg104({
        '.claude/commands/research.md': '---\nallowed-tools: Read, WebFetch(domain:*)\n---\nLook it up.\n',
      }),
    ).toEqual([
      'medium .claude/commands/research.md:2:22-40 "WebFetch(domain:*)" in allowed-tools of .claude/commands/research.md lets Claude fetch from any web domain without asking',
    ]);
  });

  test("silent on named tools and domains, on deny and ask rules, and on an agent's tools list", async () => {
    expect(
      await cg104({
        '.claude/settings.json':
          '{"permissions": {"allow": ["mcp__github__get_issue", "WebFetch(domain:docs.example.com)"], "deny": ["mcp__postgres", "*"], "ask": ["mcp__*"]}}\n',
        '.claude/agents/a.md': '---\nname: a\ntools: mcp__github, WebFetch(domain:*)\n---\nHi.\n',
      }),
    ).toEqual([]);
  });
});
