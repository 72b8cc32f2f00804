import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { actionOutput as output, bareCopy, runAction as runIn } from './bare-bundle.js';

// The action as GitHub runs it: from a bare copy of action.yml + dist/, no node_modules above it.
const bundle = bareCopy();
const runAction = (workspace: string, inputs: Record<string, string>) => runIn(bundle, workspace, inputs);

const tmp = mkdtempSync(join(tmpdir(), 'cg-action-'));
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(bundle, { recursive: true, force: true });
});

describe('dist/index.js from a bare copy, as a runner starts it', () => {
  test('blocking findings: annotations, masked keys, outputs, summary, non-zero exit', () => {
    const r = runAction(resolve('examples'), { path: 'insecure-repo' });
    expect(r.status).not.toBe(0);
    expect(output(r.outputs, 'conclusion')).toBe('failure');
    expect(output(r.outputs, 'findings')).toBe('49');
    expect(output(r.outputs, 'blocking')).toBe('31');
    const report = output(r.outputs, 'report') as string;
    expect(report).toMatch(/claude-guard\/report\.json$/);
    // The key is registered as a secret before anything else is printed.
    const firstLine = r.stdout.split('\n')[0] as string;
    expect(firstLine.startsWith('::add-mask::sk-ant-api03-')).toBe(true);
    expect(r.stdout).toContain(
      '::error title=CG101 dangerous-mode (critical),file=insecure-repo/.claude/settings.json,line=3,endLine=3,col=21,endColumn=38::',
    );
    expect(r.stdout).toMatch(
      /::warning title=CG901 invalid-config \(medium\),file=insecure-repo\/\.mcp\.json,line=4/,
    );
    expect(r.stdout).toContain('::error::claude-guard: 31 blocking findings (fail-on: high, block: new)');
    expect(r.summary).toContain('## claude-guard');
    expect(r.summary).toContain('| 🛑 | critical (blocking) | [CG101](docs/rules/CG101.md) dangerous-mode |');
    expect(r.summary).not.toMatch(/sk-ant-api03-[A-Za-z0-9]{20}/);
  });

  test('nothing blocks: success and exit 0', () => {
    const r = runAction(resolve('examples'), { path: 'secure-repo' });
    expect(r.status).toBe(0);
    expect(output(r.outputs, 'conclusion')).toBe('success');
    expect(output(r.outputs, 'findings')).toBe('0');
    expect(r.summary).toContain('nothing blocks');
  });

  test('fail-on input lowers the bar', () => {
    const r = runAction(resolve('examples'), { path: 'insecure-repo', 'fail-on': 'never' });
    expect(r.status).toBe(0);
    expect(output(r.outputs, 'conclusion')).toBe('success');
  });

  test('an invalid policy fails the job naming the file, line and key', () => {
    const ws = join(tmp, 'ws');
    mkdirSync(join(ws, '.github'), { recursive: true });
    writeFileSync(join(ws, '.github/claude-guard.yml'), 'version: 1\nfail_on: high\n');
    const r = runAction(ws, {});
    expect(r.status).not.toBe(0);
    expect(r.stdout).toContain(
      '::error::claude-guard: invalid policy: .github/claude-guard.yml:2:1: unknown key "fail_on"',
    );
    expect(output(r.outputs, 'conclusion')).toBe('error');
    expect(existsSync(join(ws, 'claude-guard'))).toBe(false);
  });
});

describe('summary links', () => {
  test('files link to the commit under test; rule pages to the action repository at its ref', async () => {
    const { summaryLinks } = await import('../src/github/action.js');
    const env = {
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_SHA: 'abc123',
      GITHUB_SERVER_URL: 'https://github.com',
    };
    expect(summaryLinks(env, 'services/api')).toEqual({
      linkBase: 'https://github.com/acme/app/blob/abc123/services/api',
      docsBase: 'https://github.com/acme/app/blob/abc123/',
    });
    expect(
      summaryLinks({ ...env, GITHUB_ACTION_REPOSITORY: 'org/claude-guard', GITHUB_ACTION_REF: 'v1' }, '.'),
    ).toEqual({
      linkBase: 'https://github.com/acme/app/blob/abc123',
      docsBase: 'https://github.com/org/claude-guard/blob/v1/',
    });
    expect(summaryLinks({}, '.')).toEqual({});
  });
});
