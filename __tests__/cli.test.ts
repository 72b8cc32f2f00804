import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { runCli } from '../src/cli/run.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    cwd: process.cwd(),
    env: {},
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    isTTY: false,
  });
  return { code, out, err };
}

const tmp = mkdtempSync(join(tmpdir(), 'cg-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('claude-guard scan', () => {
  test('exits 1 on blocking findings and prints a readable report', async () => {
    const { code, out } = await cli('scan', 'examples/insecure-repo');
    expect(code).toBe(1);
    expect(out).toContain('.claude/settings.json\n  3:21    critical CG101 dangerous-mode (blocking)');
    expect(out).toMatch(
      /49 findings \(9 critical, 22 high, 13 medium, 5 low\) in \d+ files; 31 blocking \(fail-on: high\)\n$/,
    );
    expect(out).not.toContain('\x1b[');
  });

  test('exits 0 when nothing blocks', async () => {
    const { code, out } = await cli('scan', 'examples/secure-repo');
    expect(code).toBe(0);
    expect(out).toMatch(/^0 findings in \d+ files; nothing blocks/);
  });

  test('--format json follows the report contract', async () => {
    const { code, out } = await cli('scan', 'examples/insecure-repo', '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(report.schemaVersion).toBe(1);
    expect(report.tool).toEqual({ name: 'claude-guard', version: '0.1.0' });
    expect(report.policy).toEqual({ sources: ['(built-in)'], failOn: 'high', block: 'new' });
    expect(report.summary).toMatchObject({
      findings: 49,
      blocking: 31,
      suppressed: 0,
      conclusion: 'failure',
    });
    expect(report.summary.bySeverity).toEqual({ critical: 9, high: 22, medium: 13, low: 5, info: 0 });
    expect(report.findings[0]).toMatchObject({
      ruleId: 'CG101',
      ruleName: 'dangerous-mode',
      severity: 'critical',
      path: '.claude/settings.json',
      line: 3,
      column: 21,
      endLine: 3,
      endColumn: 38,
      snippet: '"defaultMode": "bypassPermissions",',
      blocking: true,
      new: true,
      suppression: null,
      related: [],
      docs: 'docs/rules/CG101.md',
    });
  });

  test('--fail-on never exits 0 with the same findings; --fail-on critical still blocks', async () => {
    expect((await cli('scan', 'examples/insecure-repo', '--fail-on', 'never')).code).toBe(0);
    expect((await cli('scan', 'examples/insecure-repo', '--fail-on', 'critical')).code).toBe(1);
  });

  test('--output writes the report to a file', async () => {
    const file = join(tmp, 'out', 'report.json');
    const { code, out } = await cli('scan', 'examples/insecure-repo', '--format', 'json', '--output', file);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(JSON.parse(readFileSync(file, 'utf8')).summary.findings).toBe(49);
  });

  test('an invalid policy exits 2 naming file, line, column and key', async () => {
    const repo = join(tmp, 'bad-policy');
    mkdirSync(join(repo, '.github'), { recursive: true });
    writeFileSync(join(repo, '.github/claude-guard.yml'), 'version: 1\nrules:\n  CG101: { severty: high }\n');
    const { code, err } = await cli('scan', repo);
    expect(code).toBe(2);
    expect(err).toBe(
      'claude-guard: invalid policy: .github/claude-guard.yml:3:12: unknown key "severty" in rules.CG101\n',
    );
  });

  test('a named policy file that does not exist exits 2', async () => {
    const { code, err } = await cli('scan', 'examples/secure-repo', '--policy', join(tmp, 'nope.yml'));
    expect(code).toBe(2);
    expect(err).toMatch(/cannot read the policy file \(ENOENT\)/);
  });

  test('bad usage exits 2 with one sentence', async () => {
    expect(await cli('scan', 'no/such/dir')).toEqual({
      code: 2,
      out: '',
      err: 'claude-guard: no/such/dir is not a folder\n',
    });
    expect((await cli('scan', '.', '--format', 'xml')).code).toBe(2);
    expect((await cli('scan', '.', '--fail-on', 'severe')).code).toBe(2);
    expect((await cli('scan', '.', '--nope')).code).toBe(2);
    expect((await cli('frobnicate')).code).toBe(2);
  });
});

describe('claude-guard rules / explain', () => {
  test('rules --json lists every rule with its docs page', async () => {
    const { code, out } = await cli('rules', '--json');
    expect(code).toBe(0);
    const ids = JSON.parse(out).map((r: { id: string }) => r.id);
    expect(ids).toEqual([
      'CG101',
      'CG102',
      'CG103',
      'CG104',
      'CG105',
      'CG106',
      'CG107',
      'CG108',
      'CG201',
      'CG202',
      'CG203',
      'CG204',
      'CG301',
      'CG302',
      'CG303',
      'CG401',
      'CG402',
      'CG501',
      'CG502',
      'CG503',
      'CG504',
      'CG505',
      'CG506',
      'CG507',
      'CG508',
      'CG509',
      'CG510',
      'CG601',
      'CG602',
      'CG603',
      'CG604',
      'CG605',
      'CG901',
      'CG902',
      'CG903',
      'CG904',
    ]);
  });

  test('explain prints the rule page; an unknown rule exits 2', async () => {
    const { code, out } = await cli('explain', 'cg102');
    expect(code).toBe(0);
    expect(out).toBe(readFileSync('docs/rules/CG102.md', 'utf8'));
    expect((await cli('explain', 'CG999')).code).toBe(2);
  });
});

describe('--ignore globs are checked', () => {
  test('a refused glob is exit 2 with the reason', async () => {
    const { code, err } = await cli('scan', 'examples/secure-repo', '--ignore', '+(a|b)');
    expect(code).toBe(2);
    expect(err).toBe('claude-guard: --ignore "+(a|b)": extended globs such as "+(a|b)" are not supported\n');
  });
});
