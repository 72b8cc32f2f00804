import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { runCli } from '../src/cli/run.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

/** Hostile or absurd input ends in findings or notes, quickly, never in a crash or a hang. */
// Rules on how CI is set up (token, limits, pinning, checkout), asserted in their own tests.
const CI_HYGIENE = new Set(['CG502', 'CG503', 'CG504', 'CG509']);

async function findings(files: Record<string, string>): Promise<{ found: string[]; notes: string[] }> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return {
    found: verdict.findings
      .filter((f) => !CI_HYGIENE.has(f.ruleId))
      .map((f) => `${f.ruleId} ${f.path}:${f.line}`),
    notes: verdict.notices.map((n) => `${n.path}: ${n.message}`),
  };
}
const DSP = '--dangerously-skip-permissions';

describe('robustness', () => {
  test('a GitLab extends cycle and fan-out', async () => {
    const ci =
      '.a:\n  extends: [.a, .a, .a, .a, .a, .a]\njob:\n  extends: .a\n  script: claude -p x ' + DSP + '\n';
    expect((await findings({ '.gitlab-ci.yml': ci })).found).toEqual(['CG101 .gitlab-ci.yml:5']);
  });

  test('a merge-key bomb in a workflow keeps the finding beside it', async () => {
    const lines = ['on: push', 'a0: &a0 {x: 1}'];
    for (let i = 1; i < 5; i++)
      lines.push(
        `a${i}: &a${i} {<<: [${Array(20)
          .fill(`*a${i - 1}`)
          .join(',')}]}`,
      );
    lines.push(
      'jobs:',
      '  <<: *a4',
      '  j:',
      '    runs-on: x',
      '    steps:',
      `      - run: claude ${DSP}`,
      '',
    );
    expect((await findings({ '.github/workflows/a.yml': lines.join('\n') })).found).toEqual([
      'CG101 .github/workflows/a.yml:12',
    ]);
  });

  test('deep parentheses, a huge word and nested here-docs in a script keep the finding', async () => {
    const deep = `claude ${DSP}\n${'('.repeat(8000)}${')'.repeat(8000)}\n`;
    const huge = `claude ${DSP}\necho $HOME x"${'a'.repeat(200000)}"\n`;
    const heredocs = `claude ${DSP}\n${Array.from({ length: 300 }, (_, i) => `bash <<E${i}\n`).join('')}claude\n${Array.from({ length: 300 }, (_, i) => `E${299 - i}\n`).join('')}`;
    expect((await findings({ 'a.sh': deep, 'b.sh': huge, 'c.sh': heredocs })).found).toEqual([
      'CG101 a.sh:1',
      'CG101 b.sh:1',
      'CG101 c.sh:1',
    ]);
  });

  test('regex traps stay fast: a padded rule, a padded key header, a padded make variable', async () => {
    const { found } = await findings({
      '.claude/settings.json': `{"permissions":{"allow":["Bash(${' '.repeat(6000)}x)"]}}`,
      'key.txt': `-----BEGIN PRIVATE KEY-----${' '.repeat(150000)}`,
      Makefile: `X = a${' '.repeat(200000)}b\n# claude\n`,
    });
    // Each once took minutes (quadratic regexes); jest's timeout is the guard, not a measurement.
    expect(found).toEqual([]);
  });

  test('a settings file named by --settings and nested too deeply ends in a note', async () => {
    const { notes } = await findings({
      'ci/claude.json': `${'{"a":'.repeat(100000)}1${'}'.repeat(100000)}`,
      'run.sh': '#!/bin/sh\nclaude --settings ci/claude.json -p hi\n',
    });
    expect(notes).toEqual(['ci/claude.json: skipped: nested too deeply to read']);
  });

  test('a policy that is a named pipe is refused, not waited on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-fifo-'));
    mkdirSync(join(dir, '.github'));
    execFileSync('mkfifo', [join(dir, '.github/claude-guard.yml')]);
    let err = '';
    const code = await runCli(['scan', dir], {
      cwd: process.cwd(),
      env: {},
      stdout: () => undefined,
      stderr: (s) => (err += s),
      isTTY: false,
    });
    rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(2);
    expect(err).toBe(
      'claude-guard: invalid policy: .github/claude-guard.yml:1:1: the policy is not a regular file\n',
    );
  });
});
