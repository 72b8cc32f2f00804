import { execFile, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';

export interface Listing {
  files: string[];
  via: 'git' | 'walk';
  /** Files git does not track (and does not ignore): `git grep` does not search them. */
  untracked: Set<string>;
}

/**
 * Settings for every git command run on a scanned folder. Its `.git/config` belongs to whoever handed us
 * the folder: `core.fsmonitor` there names a program git would run (and wait for) on `ls-files`, so it is
 * switched off; nothing else git reads while listing or grepping runs a program.
 */
const GIT_SAFE = ['-c', 'core.fsmonitor=false', '-c', 'core.quotepath=off'];

function git(root: string, args: string[]): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      [...GIT_SAFE, ...args],
      { cwd: root, maxBuffer: 1 << 30, encoding: 'utf8', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } },
      (error, stdout) => {
        // `git grep` exits 1 when nothing matches.
        if (error && !(args[0] === 'grep' && (error as { code?: unknown }).code === 1)) resolve(undefined);
        else resolve(stdout.split('\0').filter((f) => f.length > 0));
      },
    );
  });
}

async function walk(root: string): Promise<string[]> {
  const files: string[] = [];
  const visit = async (dir: string, rules: { base: string; ig: Ignore }[]): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    const here = [...rules];
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      const text = await readFile(join(root, dir, '.gitignore'), 'utf8').catch(() => '');
      here.push({ base: dir, ig: ignore().add(text) });
    }
    // As git does: the deepest .gitignore with a rule for the path decides, so `!keep.log` in a sub-folder
    // re-includes what a parent's `*.log` excluded.
    const ignored = (rel: string, isDir: boolean): boolean => {
      for (let k = here.length - 1; k >= 0; k--) {
        const { base, ig } = here[k] as { base: string; ig: Ignore };
        const inner = base ? rel.slice(base.length + 1) : rel;
        if (inner.length === 0) continue;
        const verdict = ig.test(isDir ? `${inner}/` : inner);
        if (verdict.ignored) return true;
        if (verdict.unignored) return false;
      }
      return false;
    };
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.name === '.git') continue;
      if (entry.isDirectory()) {
        if (!ignored(rel, true)) await visit(rel, here);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && !ignored(rel, false)) files.push(rel);
    }
  };
  await visit('', []);
  return files;
}

/**
 * The files of a folder, `/`-separated and relative to it: `git ls-files` (tracked and untracked but not
 * ignored) inside a git checkout, else a walk that honours every `.gitignore` on the way.
 */
export async function listFiles(root: string): Promise<Listing> {
  // Tracked files come at once from the index; untracked ones need a walk of the tree, run alongside.
  const [tracked, untracked] = await Promise.all([
    git(root, ['ls-files', '-z']),
    git(root, ['ls-files', '-z', '--others', '--exclude-standard']),
  ]);
  // A folder git ignores lists nothing; walk it instead of reporting an empty repository.
  if (tracked && untracked && tracked.length + untracked.length > 0) {
    return {
      files: [...new Set([...tracked, ...untracked])].sort(),
      via: 'git',
      untracked: new Set(untracked),
    };
  }
  return { files: (await walk(root)).sort(), via: 'walk', untracked: new Set() };
}

/**
 * Tracked files under `root` whose text holds any of `needles`, from `git grep` (without `-I`, which costs
 * more than it saves: a binary file it lists is seen to be binary when read), given to `onMatch` as git prints them, so they can be read while it still searches. Resolves to false
 * when git failed (then nothing it reported can be trusted to be complete).
 */
export function grepFiles(
  root: string,
  needles: readonly string[],
  onMatch: (path: string) => void,
): Promise<boolean> {
  const args = [...GIT_SAFE, 'grep', '-l', '-z', '-F', '--no-color'];
  for (const needle of needles) args.push('-e', needle);
  return new Promise((resolve) => {
    const child = spawn('git', args, {
      cwd: root,
      env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let rest = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\0');
      rest = parts.pop() ?? '';
      for (const path of parts) if (path.length > 0) onMatch(path);
    });
    child.on('error', () => resolve(false));
    // Exit status 1 is "no match".
    child.on('close', (code) => resolve(code === 0 || code === 1));
  });
}

/**
 * How to scan a git checkout without reading every file: the tracked files (at once, from the index), the
 * tracked files `git grep` finds holding one of the needles (streamed as found), and the untracked files. Undefined when `root` is not inside a checkout, or git lists nothing there
 * (a folder git ignores): then the folder is walked and every file read.
 */
export interface GitPlan {
  tracked: string[];
  /** The untracked files (git walks the tree for them while it also greps). */
  untracked(): Promise<string[]>;
  /** Calls `onMatch` for every match so far and every later one; resolves false when git grep failed. */
  matches(onMatch: (path: string) => void): Promise<boolean>;
}

export async function gitPlan(root: string, needles: readonly string[]): Promise<GitPlan | undefined> {
  const walking = git(root, ['ls-files', '-z', '--others', '--exclude-standard']);
  const untracked = (): Promise<string[] | undefined> => walking;
  const found: string[] = [];
  let listener: ((path: string) => void) | undefined;
  const searched = grepFiles(root, needles, (path) => {
    found.push(path);
    listener?.(path);
  });
  const tracked = await git(root, ['ls-files', '-z']);
  if (!tracked) return undefined;
  if (tracked.length === 0 && ((await untracked()) ?? []).length === 0) return undefined;
  return {
    // Sorted by git; an unmerged path is listed once per stage.
    tracked: tracked.filter((p, i) => p !== tracked[i - 1]),
    untracked: async () => (await untracked()) ?? [],
    matches: (onMatch) => {
      for (const path of found) onMatch(path);
      listener = onMatch;
      return searched;
    },
  };
}
