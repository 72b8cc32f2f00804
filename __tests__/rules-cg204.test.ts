import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { localConfigOf } from '../src/fs/classify.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { diskSource, memorySource, scan } from '../src/scan.js';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function line(f: { ruleId: string; severity: string; path: string; line: number; column: number }): string {
  return `${f.ruleId} ${f.severity} ${f.path}:${f.line}:${f.column}`;
}

describe('localConfigOf', () => {
  test.each([
    ['.claude/settings.local.json', 'settings-local'],
    ['pkg/.claude/settings.local.json', 'settings-local'],
    ['.claude.json', 'claude-json'],
    ['home/.claude.json', 'claude-json'],
    ['.credentials.json', 'credentials'],
    ['.claude/.credentials.json', 'credentials'],
    ['CLAUDE.local.md', 'claude-local-md'],
    ['.claude/settings.json', undefined],
    ['config/.credentials.json', undefined],
    ['my.claude.json', undefined],
  ])('%s', (path, kind) => {
    expect(localConfigOf(path)).toBe(kind);
  });
});

describe('CG204 committed-local-config', () => {
  test('a folder that is not a checkout: every personal file found, at line 1', async () => {
    const { verdict } = await scan(
      memorySource({
        '.claude.json': '{}\n',
        '.claude/.credentials.json': '{}\n',
        'CLAUDE.local.md': 'my notes\n',
        'README.md': 'hi\n',
      }),
      defaultPolicy(),
    );
    expect(verdict.findings.filter((f) => f.ruleId === 'CG204').map(line)).toEqual([
      'CG204 high .claude.json:1:1',
      'CG204 high .claude/.credentials.json:1:1',
      'CG204 low CLAUDE.local.md:1:1',
    ]);
  });

  test('a checkout: tracked files only; an untracked local settings file is not reported', async () => {
    const root = mkdtempSync(join(tmpdir(), 'claude-guard-cg204-'));
    made.push(root);
    const put = (path: string, text: string): void => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    put('a/.claude/settings.local.json', '{}\n');
    put('CLAUDE.md', 'Claude reads this\n');
    const env = { ...process.env, HOME: root, GIT_CONFIG_NOSYSTEM: '1' };
    const git = (...args: string[]): void => {
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
        cwd: root,
        env,
        stdio: 'ignore',
      });
    };
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'x');
    put('.claude/settings.local.json', '{}\n');
    const { verdict } = await scan(await diskSource(root), defaultPolicy());
    expect(verdict.findings.filter((f) => f.ruleId === 'CG204').map(line)).toEqual([
      'CG204 high a/.claude/settings.local.json:1:1',
    ]);
  });
});
