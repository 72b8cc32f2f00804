import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { CLONE, actionOutput, bareCopy, nodeModulesAbove, runAction, runBundle } from './bare-bundle.js';

/**
 * What users run: the CLI and the action from a bare copy of action.yml + dist/, compared with the same
 * bundle run inside the clone (where node_modules would hide a missing dependency).
 */
const bundle = bareCopy();
afterAll(() => rmSync(bundle, { recursive: true, force: true }));

const STARTS_CLAUDE = join(CLONE, '__tests__/fixtures/starts-claude');
const REPOS = [join(CLONE, 'examples/insecure-repo'), join(CLONE, 'examples/secure-repo'), STARTS_CLAUDE];

describe('a bare copy of action.yml + dist/', () => {
  test('holds nothing but action.yml and dist/, with no node_modules above it', () => {
    expect(nodeModulesAbove(bundle)).toEqual([]);
    expect(nodeModulesAbove(CLONE)).toContain(CLONE);
  });

  test('--version answers', () => {
    const r = runBundle(bundle, 'dist/cli.js', ['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  test.each(REPOS.map((r) => [r.slice(CLONE.length + 1), r]))(
    'scan %s gives byte-identical JSON to the same bundle inside the clone',
    (_name, repo) => {
      const bare = runBundle(bundle, 'dist/cli.js', ['scan', repo, '--format', 'json']);
      const clone = runBundle(CLONE, 'dist/cli.js', ['scan', repo, '--format', 'json']);
      expect(bare.stderr).toBe('');
      expect([0, 1]).toContain(bare.status);
      expect(bare.status).toBe(clone.status);
      expect(bare.stdout).toBe(clone.stdout);
    },
  );

  test('loads the shell grammar: Claude started from a workflow run: step, a script, a Makefile, a Dockerfile', () => {
    const r = runBundle(bundle, 'dist/cli.js', ['scan', STARTS_CLAUDE, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const found = (JSON.parse(r.stdout) as { findings: Record<string, unknown>[] }).findings.map(
      (f) => `${f.ruleId} ${f.path}:${f.line}:${f.column} ${f.severity}`,
    );
    expect(found).toEqual([
      'CG501 .github/workflows/triage.yml:19:11 critical',
      'CG101 .github/workflows/triage.yml:21:13 critical',
      'CG101 scripts/review.sh:3:26 critical',
      'CG102 .github/workflows/triage.yml:20:29 high',
      'CG102 Makefile:3:52 high',
      'CG509 .github/workflows/triage.yml:13:15 medium',
      'CG503 .github/workflows/triage.yml:18:26 medium',
      'CG503 Dockerfile:2:20 medium',
      'CG107 Makefile:3:61 medium',
      'CG101 Dockerfile:4:24 low',
    ]);
  });

  test('the action reports, writes its outputs and summary, and fails only because findings block', () => {
    const r = runAction(bundle, CLONE, { path: '__tests__/fixtures/starts-claude' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(actionOutput(r.outputs, 'conclusion')).toBe('failure');
    expect(actionOutput(r.outputs, 'findings')).toBe('10');
    expect(actionOutput(r.outputs, 'blocking')).toBe('5');
    expect(r.stdout).toContain(
      '::error title=CG102 unscoped-shell (high),file=__tests__/fixtures/starts-claude/Makefile,line=3,endLine=3,col=52,',
    );
    expect(r.stdout).toContain('::error::claude-guard: 5 blocking findings (fail-on: high, block: new)');
    expect(r.stdout).not.toMatch(/Cannot find module|internal error/);
    expect(r.summary).toContain('## claude-guard');

    const pass = runAction(bundle, CLONE, { path: '__tests__/fixtures/starts-claude', 'fail-on': 'never' });
    expect(pass.status).toBe(0);
    expect(actionOutput(pass.outputs, 'conclusion')).toBe('success');
  });
});
