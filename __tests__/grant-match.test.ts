import { describe, expect, test } from '@jest/globals';
import { allowedBy, deniedBy, grantsNothing } from '../src/model/grant-match.js';
import { parseToolRule } from '../src/model/tool-rule.js';

/** [policy pattern, grant, caught by a deny list of that pattern, accepted by an allow list of it] */
const CASES: [string, string, boolean, boolean][] = [
  // The bare tool names every use of it.
  ['Bash', 'Bash', true, true],
  ['Bash', 'Bash(npm test)', true, true],
  ['Bash', 'Bash(git push:*)', true, true],
  ['Bash', 'Bash(*)', true, true],
  ['Bash(*)', 'Bash', true, true],
  ['Bash(:*)', 'Bash(ls -la)', true, true],
  ['Bash', 'PowerShell', false, false],
  ['Bash', 'Read', false, false],
  // A grant wider than the pattern is caught by a deny list, and not accepted by an allow list.
  ['Bash(git push:*)', 'Bash', true, false],
  ['Bash(git push:*)', 'Bash(*)', true, false],
  ['Bash(git push:*)', 'Bash(git:*)', true, false],
  ['Bash(git push:*)', 'Bash(git *)', true, false],
  ['Bash(git push:*)', 'Bash(git * --force)', true, false],
  ['Bash(git push:*)', 'Bash(g*)', true, false],
  // Narrower or equal grants: caught and accepted.
  ['Bash(git push:*)', 'Bash(git push)', true, true],
  ['Bash(git push:*)', 'Bash(git push:*)', true, true],
  ['Bash(git push:*)', 'Bash(git push *)', true, true],
  ['Bash(git push:*)', 'Bash(git push origin main)', true, true],
  ['Bash(git push:*)', 'Bash(git push --force:*)', true, true],
  ['Bash(git push *)', 'Bash(git push:*)', true, true],
  // Other commands.
  ['Bash(git push:*)', 'Bash(git status)', false, false],
  ['Bash(git push:*)', 'Bash(git pull:*)', false, false],
  ['Bash(git push:*)', 'Bash(git pushy)', false, false],
  ['Bash(git push:*)', 'Bash(npm run *)', false, false],
  // The legacy prefix has a word boundary; a glob without the space does not.
  ['Bash(ls:*)', 'Bash(lsof)', false, false],
  ['Bash(ls*)', 'Bash(lsof)', true, true],
  ['Bash(ls *)', 'Bash(ls)', true, true],
  ['Bash(npm run *)', 'Bash(npm run test:*)', true, true],
  ['Bash(npm run *)', 'Bash(npm run build)', true, true],
  ['Bash(npm run *)', 'Bash(npm install)', false, false],
  ['Bash(npm run *)', 'Bash(npm *)', true, false],
  ['Bash(* --version)', 'Bash(node --version)', true, true],
  ['Bash(* --version)', 'Bash(node *)', true, false],
  // A scoped grant of a command that runs any other reaches every denied command.
  ['Bash(git push:*)', 'Bash(sudo:*)', true, false],
  ['Bash(git push:*)', 'Bash(env *)', true, false],
  ['Bash(git push:*)', 'Bash(bash -c:*)', true, false],
  ['Bash(sudo:*)', 'Bash(sudo apt-get update)', true, true],
  ['Bash(npx:*)', 'Bash(npx prettier --check .)', true, true],
  // Legacy tool names are the same tool.
  ['Read', 'View', true, true],
  ['View', 'Read(src/**)', true, true],
  ['Bash(git push:*)', 'BashTool', true, false],
  ['Agent', 'Task', true, true],
  ['Write', 'Replace', true, true],
  // Paths.
  ['Read(./secrets/**)', 'Read', true, false],
  ['Read(./secrets/**)', 'Read(secrets/prod.env)', true, true],
  ['Read(./secrets/**)', 'Read(./secrets/**)', true, true],
  ['Read(./secrets/**)', 'Read(/secrets/a/b.pem)', true, true],
  ['Read(./secrets/**)', 'Read(src/**)', false, false],
  ['Read(./secrets/**)', 'Read(**)', true, false],
  ['Read(./secrets/**)', 'Read(*/prod.env)', true, false],
  ['Read(src/*)', 'Read(src/a/b.ts)', false, false],
  ['Read(src/**)', 'Read(src/*)', true, true],
  ['Read(src/*)', 'Read(src/**)', true, false],
  ['Read(**)', 'Read', true, true],
  ['Read(**/.env)', 'Read(.env)', true, true],
  // Read rules apply to the tools that read files, and a Read deny to edits of the path.
  ['Read(./secrets/**)', 'Grep', true, false],
  ['Read', 'Grep', true, true],
  ['Read(./secrets/**)', 'Edit(secrets/**)', true, false],
  ['Read(./secrets/**)', 'Edit(src/**)', false, false],
  ['Grep', 'Read', false, false],
  // Edit rules apply to every tool that edits files.
  ['Edit', 'Write', true, true],
  ['Edit', 'MultiEdit', true, true],
  ['Edit(src/**)', 'Edit(src/a.ts)', true, true],
  ['Edit(src/**)', 'Write', true, false],
  ['Write', 'Edit', false, false],
  // A path rule Claude Code never consults grants nothing.
  ['Edit', 'Write(src/**)', false, false],
  // MCP: a server name, a server wildcard, tool-name globs.
  ['mcp__postgres__*', 'mcp__postgres__query', true, true],
  ['mcp__postgres__*', 'mcp__postgres', true, true],
  ['mcp__postgres', 'mcp__postgres__*', true, true],
  ['mcp__postgres', 'mcp__postgres__query', true, true],
  ['mcp__postgres__*', 'mcp__github__get_issue', false, false],
  ['mcp__postgres__*', 'mcp__postgres_ro__query', false, false],
  ['mcp__postgres__query', 'mcp__postgres', true, false],
  ['mcp__postgres__query', 'mcp__postgres__*', true, false],
  ['mcp__postgres__query', 'mcp__*', true, false],
  ['mcp__postgres__query', '*', true, false],
  ['mcp__*', 'mcp__github__get_issue', true, true],
  ['mcp__*', 'mcp__github', true, true],
  ['mcp__*', 'Bash', false, false],
  ['mcp__*__query', 'mcp__pg__query', true, true],
  ['mcp__*__query', 'mcp__pg__select', false, false],
  ['mcp__*__query', 'mcp__pg', true, false],
  ['mcp__*__query', 'mcp__pg__qu*', true, false],
  ['mcp__github__get_*', 'mcp__github__get_issue', true, true],
  ['mcp__github__get_*', 'mcp__github__create_issue', false, false],
  // Every tool.
  ['*', 'Bash(npm test)', true, true],
  ['*', 'mcp__github', true, true],
  ['Bash', '*', true, false],
  ['Read', '*', true, false],
  // WebFetch domains: a leading *. covers subdomains only; domain:* is every domain.
  ['WebFetch(domain:*.corp.example)', 'WebFetch(domain:wiki.corp.example)', true, true],
  ['WebFetch(domain:*.corp.example)', 'WebFetch(domain:WIKI.Corp.Example)', true, true],
  ['WebFetch(domain:*.corp.example)', 'WebFetch(domain:corp.example)', false, false],
  ['WebFetch(domain:*.corp.example)', 'WebFetch(domain:example.com)', false, false],
  ['WebFetch(domain:*.corp.example)', 'WebFetch', true, false],
  ['WebFetch(domain:*.corp.example)', 'WebFetch(domain:*)', true, false],
  ['WebFetch(domain:*)', 'WebFetch(domain:example.com)', true, true],
  ['WebFetch', 'WebFetch(domain:*)', true, true],
  // Other specifiers compare as text.
  ['Agent(Explore)', 'Agent(Explore)', true, true],
  ['Agent(Explore)', 'Agent', true, false],
  ['Agent(Explore)', 'Agent(Plan)', false, false],
  // Malformed rules match nothing.
  ['Bash(', 'Bash', false, false],
  ['Bash', 'Bash(git', false, false],
];

describe('grant matching', () => {
  test.each(CASES)('pattern %s, grant %s: denied %s, allowed %s', (pattern, grant, denied, allowed) => {
    const rule = parseToolRule(grant);
    expect(deniedBy([pattern], rule)).toBe(denied ? pattern : undefined);
    expect(allowedBy([pattern], rule)).toBe(allowed ? pattern : undefined);
  });

  test('what a pattern holds, it also meets', () => {
    expect(CASES.filter(([, , denied, allowed]) => allowed && !denied)).toEqual([]);
  });

  test('the first pattern of a list that matches is named', () => {
    const rule = parseToolRule('Bash(git:*)');
    expect(deniedBy(['Read', 'Bash(git push:*)', 'Bash'], rule)).toBe('Bash(git push:*)');
    expect(allowedBy(['Bash(git push:*)', 'Bash(git *)', 'Bash'], rule)).toBe('Bash(git *)');
    expect(deniedBy([], rule)).toBeUndefined();
    expect(allowedBy([], rule)).toBeUndefined();
  });

  test('grants that grant nothing', () => {
    expect(grantsNothing(parseToolRule('Write(src/**)'))).toBe(true);
    expect(grantsNothing(parseToolRule('Bash(npm'))).toBe(true);
    expect(grantsNothing(parseToolRule('Write'))).toBe(false);
  });

  test('hostile lengths answer fast, and cautiously past the bound', () => {
    const long = parseToolRule(`Bash(${'a*'.repeat(50_000)}b)`);
    const start = Date.now();
    expect(deniedBy(['Bash(git push:*)'], long)).toBeUndefined();
    expect(allowedBy(['Bash(a*)'], long)).toBe('Bash(a*)');
    const wide = `Bash(${'a'.repeat(100)}:*)`;
    expect(deniedBy([wide], long)).toBe(wide);
    expect(allowedBy([`Bash(${'a'.repeat(100)}*)`], long)).toBeUndefined();
    const medium = parseToolRule(`Bash(${'*a'.repeat(1000)}c)`);
    expect(deniedBy([`Bash(${'a*'.repeat(1000)}b)`], medium)).toBeUndefined();
    expect(allowedBy([`Bash(${'*a'.repeat(1000)}*)`], medium)).toBe(`Bash(${'*a'.repeat(1000)}*)`);
    expect(Date.now() - start).toBeLessThan(2000);
  });
});

test('without escape hatches, a scoped shell grant reaches only what its words say', () => {
  expect(deniedBy(['Bash(git push:*)'], parseToolRule('Bash(sudo:*)'), false)).toBeUndefined();
  expect(deniedBy(['Bash(git push:*)'], parseToolRule('Bash(git:*)'), false)).toBe('Bash(git push:*)');
  expect(deniedBy(['Bash(sudo:*)'], parseToolRule('Bash(sudo:*)'), false)).toBe('Bash(sudo:*)');
});
