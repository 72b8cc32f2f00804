import { describe, expect, test } from '@jest/globals';
import { isUnscopedWrite, parseToolRule } from '../src/model/tool-rule.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

async function cg107(files: Record<string, string>): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return verdict.findings
    .filter((f) => f.ruleId === 'CG107')
    .map((f) => `${f.severity} ${f.path}:${f.line}:${f.column}-${f.endColumn} ${f.message}`);
}

describe('isUnscopedWrite', () => {
  test.each([
    ['Edit', true],
    ['Write', true],
    ['MultiEdit', true],
    ['NotebookEdit', true],
    ['Replace', true],
    ['Edit(*)', true],
    ['Edit(**)', true],
    ['Edit(./**)', true],
    ['Edit(/**)', true],
    ['Edit(**/*)', true],
    ['Edit(src/**)', false],
    ['Edit(/docs/**)', false],
    ['Write(src/**)', false],
    // Never consulted: it grants nothing (CG901).
    ['Write(**)', false],
    ['MultiEdit(./**)', false],
    ['Write(*)', true],
    ['Read', false],
    ['Edit(', false],
  ])('%s: %s', (raw, unscoped) => {
    expect(isUnscopedWrite(parseToolRule(raw))).toBe(unscoped);
  });
});

describe('CG107 unscoped-write', () => {
  test('in settings, on a command line and in a command front matter, at the grant', async () => {
    expect(
      await cg107({
        '.claude/settings.json': '{"permissions": {"allow": ["Read", "Edit(**)", "Edit(src/**)"]}}\n',
        'ci.sh': '#!/bin/sh\nclaude -p fix --allowedTools Read,MultiEdit\n',
        '.claude/commands/w.md': '---\nallowed-tools: Write, Read\n---\nWrite it.\n',
      }),
    ).toEqual([
      'medium .claude/commands/w.md:2:16-21 "Write" in allowed-tools of .claude/commands/w.md lets Claude change any file without asking',
      'medium .claude/settings.json:1:37-45 "Edit(**)" in permissions.allow in .claude/settings.json lets Claude change any file without asking',
      'medium ci.sh:2:35-44 "MultiEdit" in --allowedTools lets Claude change any file without asking',
    ]);
  });

  test("silent on path-scoped edits, deny and ask rules, and an agent's tools list", async () => {
    expect(
      await cg107({
        '.claude/settings.json':
          '{"permissions": {"allow": ["Edit(src/**)"], "deny": ["Edit", "Write"], "ask": ["Edit(**)"]}}\n',
        '.claude/agents/a.md': '---\nname: a\ntools: Edit, Write\n---\nHi.\n',
      }),
    ).toEqual([]);
  });
});

describe('CG107: the whole file system and the home folder', () => {
  test.each([
    ['Edit(//**)', true],
    ['Edit(~/**)', true],
    ['Edit(~/src/**)', false],
    ['Edit(//etc/**)', false],
  ])('%s: %s', (raw, unscoped) => {
    expect(isUnscopedWrite(parseToolRule(raw))).toBe(unscoped);
  });
});
