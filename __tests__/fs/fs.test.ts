import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { isInsidePath, listFiles } from '../../src/fs/list.js';
import { MAX_FILE_BYTES, readText } from '../../src/fs/read.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { diskSource, scan } from '../../src/scan.js';

/** Every temp folder a test made, removed after it. */
const made: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'claude-guard-fs-'));
  made.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes files (path → text or bytes) under a folder, creating parent folders. */
function write(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    const full = join(root, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, { cwd, stdio: 'pipe' });
}

function gitRepo(): string {
  const root = tempDir();
  git(root, 'init', '-q');
  git(root, 'config', 'user.email', 'test@example.com');
  git(root, 'config', 'user.name', 'claude-guard test');
  git(root, 'config', 'commit.gpgsign', 'false');
  return root;
}

// A temp folder must never be taken for part of an enclosing repository.
let savedCeiling: string | undefined;
beforeAll(() => {
  savedCeiling = process.env.GIT_CEILING_DIRECTORIES;
  process.env.GIT_CEILING_DIRECTORIES = realpathSync(tmpdir());
});
afterAll(() => {
  if (savedCeiling === undefined) delete process.env.GIT_CEILING_DIRECTORIES;
  else process.env.GIT_CEILING_DIRECTORIES = savedCeiling;
});

describe('listFiles in a git checkout', () => {
  test('lists tracked and untracked files that are not ignored, and nothing ignored', async () => {
    const root = gitRepo();
    write(root, {
      '.gitignore': 'ignored.txt\nbuild/\n*.log\n',
      'tracked.txt': 'a\n',
      'src/tracked.ts': 'export {};\n',
    });
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'init');
    write(root, {
      'untracked.txt': 'b\n',
      'src/new.ts': 'export {};\n',
      'ignored.txt': 'c\n',
      'build/out.js': 'd\n',
      'debug.log': 'e\n',
      'src/deep/trace.log': 'f\n',
    });

    const listing = await listFiles(root);
    expect(listing.via).toBe('git');
    expect(listing.files).toEqual([
      '.gitignore',
      'src/new.ts',
      'src/tracked.ts',
      'tracked.txt',
      'untracked.txt',
    ]);
  });

  test('a tracked file stays listed even when a later .gitignore matches it', async () => {
    const root = gitRepo();
    write(root, { 'keep.log': 'tracked\n' });
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'init');
    write(root, { '.gitignore': '*.log\n', 'other.log': 'untracked\n' });

    const listing = await listFiles(root);
    expect(listing.via).toBe('git');
    expect(listing.files).toEqual(['.gitignore', 'keep.log']);
  });

  test('names with spaces and non-ASCII characters come back verbatim, not quoted', async () => {
    const root = gitRepo();
    write(root, { 'naïve dir/café notes.md': 'x\n', 'plain.txt': 'y\n' });
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'init');

    const listing = await listFiles(root);
    expect(listing.via).toBe('git');
    expect(listing.files).toEqual(['naïve dir/café notes.md', 'plain.txt']);
  });

  test('inside a sub-folder of a checkout, paths are relative to that folder', async () => {
    const root = gitRepo();
    write(root, { 'sub/x.txt': 'x\n', 'sub/deep/y.txt': 'y\n', 'top.txt': 'z\n' });
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'init');
    expect(await listFiles(join(root, 'sub'))).toEqual({
      files: ['deep/y.txt', 'x.txt'],
      via: 'git',
      untracked: new Set(),
      notices: [],
    });
  });

  test('never lists anything inside .git', async () => {
    const root = gitRepo();
    write(root, { 'a.txt': 'x\n' });
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'init');
    const listing = await listFiles(root);
    expect(listing.files.some((f) => f === '.git' || f.startsWith('.git/'))).toBe(false);
  });
});

describe('listFiles outside git (walk fallback)', () => {
  test('honours the root and nested .gitignore files and skips .git', async () => {
    const root = tempDir();
    write(root, {
      '.gitignore': '*.log\nbuild/\n',
      'README.md': '# hi\n',
      'app.log': 'ignored by the root file\n',
      'build/out.js': 'ignored folder\n',
      'src/index.ts': 'export {};\n',
      'src/.gitignore': 'generated/\nsecret.txt\n/only-here.txt\n',
      'src/secret.txt': 'ignored by the nested file\n',
      'src/generated/types.ts': 'ignored folder of the nested file\n',
      'src/only-here.txt': 'anchored: ignored\n',
      'src/deeper/only-here.txt': 'anchored pattern does not reach here\n',
      'src/deeper/secret.txt': 'unanchored pattern reaches here\n',
      'src/deeper/debug.log': 'root pattern reaches here\n',
      'other/secret.txt': 'the nested file does not apply outside src/\n',
      '.git/config': '[core]\n',
      '.git/HEAD': 'ref: refs/heads/main\n',
      'sub/.git': 'gitdir: ../.git/modules/sub\n',
      'sub/file.txt': 'kept\n',
    });

    const listing = await listFiles(root);
    expect(listing.via).toBe('walk');
    expect(listing.files).toEqual([
      '.gitignore',
      'README.md',
      'other/secret.txt',
      'src/.gitignore',
      'src/deeper/only-here.txt',
      'src/index.ts',
      'sub/file.txt',
    ]);
  });

  test('a nested .gitignore cannot see a folder its parent already ignores', async () => {
    const root = tempDir();
    write(root, {
      '.gitignore': 'vendor/\n',
      'vendor/.gitignore': '!*\n',
      'vendor/lib.js': 'x\n',
      'main.js': 'y\n',
    });
    const listing = await listFiles(root);
    expect(listing.via).toBe('walk');
    expect(listing.files).toEqual(['.gitignore', 'main.js']);
  });

  test('an empty folder lists nothing', async () => {
    const root = tempDir();
    expect(await listFiles(root)).toEqual({ files: [], via: 'walk', untracked: new Set(), notices: [] });
  });
});

describe('readText', () => {
  test('reads a plain file as text', async () => {
    const root = tempDir();
    write(root, { 'a.txt': 'hello\nworld\n' });
    expect(await readText(root, realpathSync(root), 'a.txt')).toEqual({ text: 'hello\nworld\n' });
  });

  test('refuses a symlink that points outside the root', async () => {
    const outside = tempDir();
    const root = tempDir();
    write(outside, { 'secret.txt': 'not yours\n' });
    symlinkSync(join(outside, 'secret.txt'), join(root, 'escape.txt'));
    symlinkSync('../' + outside.split('/').pop() + '/secret.txt', join(root, 'relative-escape.txt'));

    const realRoot = realpathSync(root);
    expect(await readText(root, realRoot, 'escape.txt')).toEqual({
      skipped: 'symlink pointing outside the scanned folder',
    });
    expect(await readText(root, realRoot, 'relative-escape.txt')).toEqual({
      skipped: 'symlink pointing outside the scanned folder',
    });
  });

  test('refuses a symlink to a sibling folder whose name starts with the root name', async () => {
    const parent = tempDir();
    const root = join(parent, 'repo');
    write(parent, { 'repo/a.txt': 'a\n', 'repo-evil/secret.txt': 'not yours\n' });
    symlinkSync(join(parent, 'repo-evil', 'secret.txt'), join(root, 'link.txt'));
    expect(await readText(root, realpathSync(root), 'link.txt')).toEqual({
      skipped: 'symlink pointing outside the scanned folder',
    });
  });

  test('refuses a chain of symlinks that ends outside the root', async () => {
    const outside = tempDir();
    const root = tempDir();
    write(outside, { 'secret.txt': 'not yours\n' });
    symlinkSync(join(outside, 'secret.txt'), join(root, 'hop2'));
    symlinkSync('hop2', join(root, 'hop1'));
    expect(await readText(root, realpathSync(root), 'hop1')).toEqual({
      skipped: 'symlink pointing outside the scanned folder',
    });
  });

  test('follows a symlink that stays inside the root', async () => {
    const root = tempDir();
    write(root, { 'docs/real.md': 'inside\n' });
    symlinkSync('docs/real.md', join(root, 'alias.md'));
    symlinkSync(join(root, 'docs', 'real.md'), join(root, 'absolute-alias.md'));
    const realRoot = realpathSync(root);
    expect(await readText(root, realRoot, 'alias.md')).toEqual({ text: 'inside\n' });
    expect(await readText(root, realRoot, 'absolute-alias.md')).toEqual({ text: 'inside\n' });
  });

  test('a symlink to a folder is not a regular file', async () => {
    const root = tempDir();
    write(root, { 'docs/real.md': 'inside\n' });
    symlinkSync('docs', join(root, 'docs-link'));
    expect(await readText(root, realpathSync(root), 'docs-link')).toEqual({ skipped: 'not a regular file' });
  });

  test('a dangling symlink is a reason, not an error', async () => {
    const root = tempDir();
    symlinkSync('nowhere.txt', join(root, 'dangling.txt'));
    const result = await readText(root, realpathSync(root), 'dangling.txt');
    expect(result).toHaveProperty('skipped');
  });

  test('a missing file is a reason, not an error', async () => {
    const root = tempDir();
    expect(await readText(root, realpathSync(root), 'gone.txt')).toEqual({
      skipped: 'listed by git but missing from the working tree',
    });
  });

  test('skips files over 1 MiB and reads a file of exactly 1 MiB', async () => {
    const root = tempDir();
    write(root, {
      'big.txt': 'a'.repeat(MAX_FILE_BYTES + 1),
      'edge.txt': 'b'.repeat(MAX_FILE_BYTES),
    });
    const realRoot = realpathSync(root);
    expect(MAX_FILE_BYTES).toBe(1024 * 1024);
    expect(await readText(root, realRoot, 'big.txt')).toEqual({
      skipped: `larger than 1 MiB (${MAX_FILE_BYTES + 1} bytes)`,
    });
    const edge = await readText(root, realRoot, 'edge.txt');
    expect('text' in edge && edge.text.length).toBe(MAX_FILE_BYTES);
  });

  test('skips files with NUL bytes as binary', async () => {
    const root = tempDir();
    write(root, {
      'blob.dat': new Uint8Array([0x68, 0x69, 0x00, 0x6a, 0x0a]),
      'leading.txt': new Uint8Array([0x00, 0x41]),
    });
    const realRoot = realpathSync(root);
    expect(await readText(root, realRoot, 'blob.dat')).toEqual({ skipped: 'binary file (NUL bytes)' });
    expect(await readText(root, realRoot, 'leading.txt')).toEqual({ skipped: 'binary file (NUL bytes)' });
  });

  test('strips a UTF-8 BOM', async () => {
    const root = tempDir();
    write(root, { 'bom.json': new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('{"a": 1}\n')]) });
    expect(await readText(root, realpathSync(root), 'bom.json')).toEqual({ text: '{"a": 1}\n' });
  });

  test('only the leading BOM is stripped', async () => {
    const root = tempDir();
    write(root, { 'two.txt': new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0xef, 0xbb, 0xbf, 0x62]) });
    expect(await readText(root, realpathSync(root), 'two.txt')).toEqual({ text: 'a\uFEFFb' });
  });

  test('tolerates invalid UTF-8, decoding it as U+FFFD', async () => {
    const root = tempDir();
    write(root, { 'latin1.txt': new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a, 0xff, 0xfe, 0x21]) });
    const result = await readText(root, realpathSync(root), 'latin1.txt');
    expect(result).toEqual({ text: 'caf\uFFFD\n\uFFFD\uFFFD!' });
  });

  test('keeps CRLF line endings and lone CRs', async () => {
    const root = tempDir();
    write(root, { 'crlf.txt': 'one\r\ntwo\r\nthree\rfour\n' });
    expect(await readText(root, realpathSync(root), 'crlf.txt')).toEqual({
      text: 'one\r\ntwo\r\nthree\rfour\n',
    });
  });

  test('decodes multi-byte UTF-8 characters', async () => {
    const root = tempDir();
    write(root, { 'utf8.txt': 'naïve — 日本語 🛑\n' });
    expect(await readText(root, realpathSync(root), 'utf8.txt')).toEqual({ text: 'naïve — 日本語 🛑\n' });
  });
});

describe('scan of a folder on disk', () => {
  const settingsLines = ['{', '  "permissions": {', '    "defaultMode": "bypassPermissions"', '  }', '}', ''];

  test('a settings file with a BOM and CRLF line endings reports CG101 at the right place', async () => {
    const root = tempDir();
    const crlf = settingsLines.join('\r\n');
    write(root, {
      '.claude/settings.json': new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(crlf, 'utf8')]),
    });

    const { verdict } = await scan(await diskSource(root), defaultPolicy());
    const cg101 = verdict.findings.filter((f) => f.ruleId === 'CG101');
    expect(cg101).toHaveLength(1);
    const f = cg101[0]!;
    const lineText = '    "defaultMode": "bypassPermissions"';
    const valueColumn = lineText.indexOf('bypassPermissions') + 1;
    expect(f.path).toBe('.claude/settings.json');
    expect(f.line).toBe(3);
    expect(f.endLine).toBe(3);
    expect(f.column).toBe(valueColumn);
    expect(f.endColumn).toBe(valueColumn + 'bypassPermissions'.length);
    expect(f.snippet).toBe('"defaultMode": "bypassPermissions"');
    expect(f.severity).toBe('critical');
    expect(verdict.findings.filter((x) => x.ruleId === 'CG901')).toEqual([]);
  });

  test('the BOM and CRLF file is reported exactly like the plain LF file', async () => {
    const plain = tempDir();
    const fancy = tempDir();
    write(plain, { '.claude/settings.json': settingsLines.join('\n') });
    write(fancy, {
      '.claude/settings.json': new Uint8Array([
        0xef,
        0xbb,
        0xbf,
        ...Buffer.from(settingsLines.join('\r\n'), 'utf8'),
      ]),
    });
    const a = (await scan(await diskSource(plain), defaultPolicy())).verdict;
    const b = (await scan(await diskSource(fancy), defaultPolicy())).verdict;
    expect(b.findings).toEqual(a.findings);
  });

  test('files it skips are listed in verdict.notices, binaries and folders are not', async () => {
    const outside = tempDir();
    const root = tempDir();
    write(outside, { 'secret.txt': 'outside\n' });
    write(root, {
      'README.md': '# ok\n',
      'huge.txt': 'x'.repeat(MAX_FILE_BYTES + 10),
      'data.txt': new Uint8Array([0x61, 0x00, 0x62]),
      'image.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00]),
      'docs/a.md': 'a\n',
    });
    symlinkSync(join(outside, 'secret.txt'), join(root, 'escape.txt'));
    symlinkSync('docs', join(root, 'docs-link'));

    const { verdict } = await scan(await diskSource(root), defaultPolicy());
    expect(verdict.notices).toEqual([
      { path: 'data.txt', message: 'skipped: binary file (NUL bytes)' },
      { path: 'escape.txt', message: 'skipped: symlink pointing outside the scanned folder' },
      { path: 'huge.txt', message: `skipped: larger than 1 MiB (${MAX_FILE_BYTES + 10} bytes)` },
    ]);
    expect(verdict.summary.filesScanned).toBe(2);
  });

  test('in a git checkout ignored files are neither read nor noticed', async () => {
    const root = gitRepo();
    write(root, {
      '.gitignore': 'huge.txt\n',
      '.claude/settings.json': settingsLines.join('\n'),
      'huge.txt': 'x'.repeat(MAX_FILE_BYTES + 10),
    });
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'init');
    const { verdict } = await scan(await diskSource(root), defaultPolicy());
    expect(verdict.notices).toEqual([]);
    expect(verdict.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}`)).toEqual([
      'CG101 .claude/settings.json:3',
    ]);
  });
});

describe('regressions', () => {
  test('the walk lets a deeper .gitignore re-include what a parent excluded, as git does', async () => {
    const root = tempDir();
    write(root, {
      '.gitignore': '*.log\n',
      'sub/.gitignore': '!keep.log\n',
      'sub/keep.log': 'k',
      'sub/drop.log': 'd',
      'a.log': 'a',
    });
    const { files, via } = await listFiles(root);
    expect(via).toBe('walk');
    expect(files).toEqual(['.gitignore', 'sub/.gitignore', 'sub/keep.log']);
  });

  test('readText refuses a path through a symlinked folder that leaves the root', async () => {
    const root = tempDir();
    const outside = tempDir();
    write(outside, { 'secret.txt': 'outside' });
    symlinkSync(outside, join(root, 'dirlink'));
    expect(await readText(root, realpathSync(root), 'dirlink/secret.txt')).toEqual({
      skipped: 'symlink pointing outside the scanned folder',
    });
  });
});

describe('scan of a git checkout reads what git grep points at, and every untracked file', () => {
  test('tracked and untracked files with findings are all found; ignored ones are not', async () => {
    const root = gitRepo();
    const script = '#!/bin/sh\nclaude --dangerously-skip-permissions\n';
    write(root, { 'tracked.sh': script, 'notes/plain.txt': 'nothing here\n', '.gitignore': 'ignored/\n' });
    git(root, 'add', '.');
    write(root, {
      'untracked.sh': script,
      'bin/agent': script,
      '.claude/settings.json': '{ "permissions": { "defaultMode": "bypassPermissions" } }\n',
      'ignored/agent.sh': script,
    });
    const { verdict } = await scan(await diskSource(root), defaultPolicy());
    expect(verdict.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}`)).toEqual([
      'CG101 .claude/settings.json:1',
      'CG101 bin/agent:2',
      'CG101 tracked.sh:2',
      'CG101 untracked.sh:2',
    ]);
    expect(verdict.summary.filesScanned).toBe(6);
  });
});

describe('special files', () => {
  test('a named pipe is skipped, not waited on', async () => {
    const root = tempDir();
    execFileSync('mkfifo', [join(root, 'pipe')]);
    expect(await readText(root, realpathSync(root), 'pipe')).toEqual({ skipped: 'not a regular file' });
  });
});

describe('a hostile checkout', () => {
  test('core.fsmonitor in .git/config is never run', async () => {
    const root = gitRepo();
    const marker = join(tempDir(), 'ran');
    git(root, 'config', 'core.fsmonitor', `touch ${marker}; echo`);
    write(root, { 'a.sh': '#!/bin/sh\nclaude --dangerously-skip-permissions\n' });
    git(root, '-c', 'core.fsmonitor=false', 'add', '.');
    const { verdict } = await scan(await diskSource(root), defaultPolicy());
    expect(verdict.findings.map((f) => f.ruleId)).toEqual(['CG101']);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('git confined to the folder', () => {
  function committed(files: Record<string, string>): string {
    const root = gitRepo();
    write(root, files);
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'init');
    return root;
  }
  const bypass = { '.claude/settings.json': '{"permissions": {"defaultMode": "bypassPermissions"}}\n' };

  test('include.path, core.worktree, core.excludesFile and core.hooksPath in .git/config are not obeyed', async () => {
    const outside = tempDir();
    const marker = join(outside, 'ran');
    write(outside, {
      'included.cfg': `[core]\n\tfsmonitor = "touch ${marker}; echo"\n\texcludesFile = ${join(outside, 'excludes')}\n`,
      excludes: '*.sh\n',
      ...bypass,
    });
    const root = committed({ 'a.sh': '#!/bin/sh\nclaude --dangerously-skip-permissions\n' });
    git(root, 'config', 'include.path', join(outside, 'included.cfg'));
    git(root, 'config', 'core.worktree', outside);
    write(root, { 'new.sh': '#!/bin/sh\nclaude --dangerously-skip-permissions\n' });
    const { verdict } = await scan(await diskSource(root), defaultPolicy());
    // The outside excludesFile would hide new.sh; the outside worktree would bring its settings file.
    expect(verdict.findings.map((f) => `${f.ruleId} ${f.path}`)).toEqual(['CG101 a.sh', 'CG101 new.sh']);
    expect(existsSync(marker)).toBe(false);
  });

  test('a tracked folder replaced by a symlink to outside is neither searched by git nor read', async () => {
    const outside = tempDir();
    write(outside, bypass);
    const root = committed({ 'conf/.claude/settings.json': '{}\n', 'ok.sh': '#!/bin/sh\nclaude -p hi\n' });
    rmSync(join(root, 'conf'), { recursive: true });
    symlinkSync(outside, join(root, 'conf'));
    const { verdict } = await scan(await diskSource(root), defaultPolicy());
    expect(verdict.findings).toEqual([]);
    expect(verdict.notices).toEqual(
      expect.arrayContaining([
        { path: 'conf', message: 'a tracked folder is a symlink: git does not search it' },
      ]),
    );
  });

  test('a symlinked .git/info/exclude is not read', async () => {
    const outside = tempDir();
    write(outside, { exclude: '*.sh\n' });
    const root = committed({ 'README.md': 'x\n' });
    rmSync(join(root, '.git/info/exclude'), { force: true });
    symlinkSync(join(outside, 'exclude'), join(root, '.git/info/exclude'));
    write(root, { 'new.sh': '#!/bin/sh\nclaude --dangerously-skip-permissions\n' });
    const { verdict } = await scan(await diskSource(root), defaultPolicy());
    expect(verdict.findings.map((f) => f.path)).toEqual(['new.sh']);
  });

  test('a path outside the folder in the index: git is not used, and the path is never echoed', () => {
    expect(['a', 'a/b.txt', '.github/x', 'a..b'].every(isInsidePath)).toBe(true);
    expect(
      ['', '/etc/passwd', '../x', 'a/../../x', 'a//b', './a', '.git/config', 'sub/.GIT/x'].some(isInsidePath),
    ).toBe(false);
  });
});
