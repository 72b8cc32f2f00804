import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { readAtCommit } from '../../src/fs/list.js';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A repository with two commits; returns it and the first commit's id. */
function repository(): { root: string; base: string; head: string } {
  const root = mkdtempSync(join(tmpdir(), 'claude-guard-at-'));
  made.push(root);
  const env = { ...process.env, HOME: root, GIT_CONFIG_NOSYSTEM: '1' };
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, env })
      .toString()
      .trim();
  git('init', '-q');
  mkdirSync(join(root, 'sub'));
  writeFileSync(join(root, 'sub', 'a.sh'), 'claude --dangerously-skip-permissions\n');
  writeFileSync(join(root, 'big.txt'), 'x'.repeat(1024 * 1024 + 1));
  writeFileSync(join(root, 'bin.dat'), Buffer.from([1, 0, 2]));
  git('add', '-A');
  git('commit', '-qm', 'base');
  const base = git('rev-parse', 'HEAD');
  writeFileSync(join(root, 'sub', 'a.sh'), 'echo fixed\n');
  git('commit', '-qam', 'head');
  return { root, base, head: git('rev-parse', 'HEAD') };
}

describe('reading files at another commit from the checkout history', () => {
  test('text at the commit; null when absent; undefined when too large or binary', async () => {
    const { root, base } = repository();
    const read = await readAtCommit(join(root, 'sub'), base, [
      'sub/a.sh',
      'gone.sh',
      'big.txt',
      'bin.dat',
      '../x',
    ]);
    expect(read && Object.fromEntries(read)).toEqual({
      'sub/a.sh': 'claude --dangerously-skip-permissions\n',
      'gone.sh': null,
      'big.txt': undefined,
      'bin.dat': undefined,
      '../x': undefined,
    });
  });

  test('nothing when the commit is not in the history, or is not a commit id', async () => {
    const { root } = repository();
    expect(
      await readAtCommit(root, '0123456789abcdef0123456789abcdef01234567', ['sub/a.sh']),
    ).toBeUndefined();
    expect(await readAtCommit(root, 'HEAD', ['sub/a.sh'])).toBeUndefined();
  });

  test('an object store git could leave through is not read: a symlink in it, or alternates', async () => {
    const linked = repository();
    const outside = mkdtempSync(join(tmpdir(), 'claude-guard-outside-'));
    made.push(outside);
    const fanOut = readdirSync(join(linked.root, '.git', 'objects')).find((d) => /^[0-9a-f]{2}$/.test(d));
    symlinkSync(outside, join(linked.root, '.git', 'objects', fanOut as string, 'zz'));
    expect(await readAtCommit(linked.root, linked.base, ['sub/a.sh'])).toBeUndefined();

    const alternates = repository();
    writeFileSync(join(alternates.root, '.git', 'objects', 'info', 'alternates'), `${outside}\n`);
    expect(await readAtCommit(alternates.root, alternates.base, ['sub/a.sh'])).toBeUndefined();
  });
});
