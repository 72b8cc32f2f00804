import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from '@jest/globals';
import { CONTENT_NEEDLES } from '../../src/model/needles.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { diskSource, overlaySource, scan } from '../../src/scan.js';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

test('a second scan of a checkout (a pull request base) reuses the git plan and sees the overlay', async () => {
  const root = mkdtempSync(join(tmpdir(), 'claude-guard-plan-'));
  made.push(root);
  writeFileSync(join(root, 'a.sh'), '#!/bin/sh\nclaude -p go --dangerously-skip-permissions\n');
  writeFileSync(join(root, 'b.sh'), '#!/bin/sh\necho nothing\n');
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
  const source = await diskSource(root);
  const first = await source.plan?.(CONTENT_NEEDLES);
  expect(first).toBeDefined();
  expect(await source.plan?.(CONTENT_NEEDLES)).toBe(first);
  const head = await scan(source, defaultPolicy());
  // b.sh held the flag at the base: the base scan finds it from the overlay, though git grep saw b.sh clean.
  const base = await scan(
    overlaySource(source, new Map([['b.sh', '#!/bin/sh\nclaude --dangerously-skip-permissions\n']])),
    defaultPolicy(),
  );
  expect(head.verdict.findings.map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual(['a.sh:2:14']);
  expect(base.verdict.findings.map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual([
    'a.sh:2:14',
    'b.sh:2:8',
  ]);
});
