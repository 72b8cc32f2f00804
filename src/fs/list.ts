import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';

export interface Listing {
  files: string[];
  via: 'git' | 'walk';
}

function gitLsFiles(root: string): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-c', 'core.quotepath=off', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
      { cwd: root, maxBuffer: 1 << 30, encoding: 'utf8', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } },
      (error, stdout) => resolve(error ? undefined : stdout.split('\0').filter((f) => f.length > 0)),
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
  const git = await gitLsFiles(root);
  // A folder git ignores lists nothing; walk it instead of reporting an empty repository.
  if (git && git.length > 0) return { files: [...new Set(git)].sort(), via: 'git' };
  return { files: (await walk(root)).sort(), via: 'walk' };
}
