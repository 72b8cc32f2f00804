import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

/** scripts/release.mjs in a throw-away clone of this repository, with this checkout's script and changelog. */
const CLONE = resolve('.');
let repo: string;
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
const release = (...args: string[]) =>
  spawnSync(process.execPath, ['scripts/release.mjs', ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 120_000,
  });

beforeAll(() => {
  repo = join(mkdtempSync(join(tmpdir(), 'cg-release-')), 'claude-guard');
  execFileSync('git', ['clone', '-q', '--no-hardlinks', CLONE, repo]);
  git('checkout', '-q', '-B', 'main');
  git('config', 'user.email', 'release@test.invalid');
  git('config', 'user.name', 'release test');
  cpSync(join(CLONE, 'scripts/release.mjs'), join(repo, 'scripts/release.mjs'));
  cpSync(join(CLONE, 'CHANGELOG.md'), join(repo, 'CHANGELOG.md'));
  git('add', '-A');
  git('commit', '-q', '--allow-empty', '-m', 'the release script under test');
  // A real folder, not a symlink: webpack names chunks after module paths, which a symlink would change.
  // Hard links make the copy cheap where the temporary folder is on the same file system.
  const linked = spawnSync('cp', ['-al', join(CLONE, 'node_modules'), join(repo, 'node_modules')]);
  if (linked.status !== 0)
    cpSync(join(CLONE, 'node_modules'), join(repo, 'node_modules'), { recursive: true });
});
afterAll(() => rmSync(resolve(repo, '..'), { recursive: true, force: true }));

describe('scripts/release.mjs', () => {
  test.each([
    [['1.2'], 'give the version as X.Y.Z'],
    [['9.9.9'], 'package.json has version'],
  ])('refuses %j', (args, why) => {
    const r = release(...args);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(why);
    expect(git('tag', '--list')).toBe('');
  });

  test('refuses a dirty tree, a missing changelog entry and an existing tag', () => {
    const version = JSON.parse(git('show', 'HEAD:package.json')).version as string;
    writeFileSync(join(repo, 'stray.txt'), 'x');
    expect(release(version).stderr).toContain('uncommitted changes');
    rmSync(join(repo, 'stray.txt'));

    git('tag', `v${version}`);
    expect(release(version).stderr).toContain(`the tag v${version} exists already`);
    git('tag', '-d', `v${version}`);

    writeFileSync(join(repo, 'CHANGELOG.md'), '# Changelog\n');
    git('commit', '-q', '-am', 'no entry');
    expect(release(version).stderr).toContain(`CHANGELOG.md has no "## ${version}" entry`);
    git('reset', '-q', '--hard', 'HEAD~1');
  });

  test('refuses when dist/ is not what the sources build', () => {
    const version = JSON.parse(git('show', 'HEAD:package.json')).version as string;
    writeFileSync(join(repo, 'dist/cli.js'), '// edited by hand\n');
    git('commit', '-q', '-am', 'stale bundle');
    const r = release(version);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('differ from a fresh build');
    expect(git('tag', '--list')).toBe('');
    git('reset', '-q', '--hard', 'HEAD~1');
  });

  test('tags vX.Y.Z on a clean, fresh main without pushing', () => {
    const version = JSON.parse(git('show', 'HEAD:package.json')).version as string;
    const r = release(version);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(git('tag', '--list')).toBe(`v${version}`);
    expect(git('rev-parse', `v${version}^{commit}`)).toBe(git('rev-parse', 'HEAD'));
    expect(r.stdout).toContain(`not pushed. Push with: git push origin v${version}`);
  });
});
