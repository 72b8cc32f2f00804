import { execFile, spawn } from 'node:child_process';
import {
  closeSync,
  constants,
  type Dirent,
  fstatSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { readdir, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { hasRawBytes, nameFromBytes, osPath, splitNames } from './names.js';
import { decodeText } from './read.js';

/** Something the listing could not do or chose not to trust, said once. */
export interface ListNotice {
  path: string;
  message: string;
}

export interface Listing {
  files: string[];
  via: 'git' | 'walk';
  /** Files git does not track (and does not ignore): `git grep` does not search them. */
  untracked: Set<string>;
  notices?: ListNotice[];
}

/**
 * A path git reported that names a file inside the scanned folder: relative, `/`-separated, with no empty,
 * `.`, `..` or `.git` step. A hand-made index can list anything; such a path is never read or printed.
 */
export function isInsidePath(path: string): boolean {
  return !BAD_STEP.test(path);
}

/** An empty step (also a leading or trailing `/`, or an empty path), `.`, `..` or `.git` in any case; a NUL. */
const BAD_STEP = /(?:^|\/)(?:\.\.?|\.[gG][iI][tT])?(?:\/|$)|\0/;

/**
 * git, confined to the repository that holds the scanned folder. That repository's `.git/config` belongs to
 * whoever handed us the folder, and git obeys it: `include.path` and `core.excludesFile` read files
 * anywhere, `core.worktree` moves the tree, `core.fsmonitor` and `core.hooksPath` name programs. So git
 * never reads it. It runs on a git folder of our own in the temp folder (a config we write, no objects),
 * with the repository's work tree and index named explicitly, the system and global configuration off,
 * and the repository's `info/exclude` copied in only when it is a regular file. What git reads is then the
 * index, the work tree's `.gitignore` files and the tracked files `git grep` searches; the paths the index
 * lists are checked, and folders that became symlinks are kept from `git grep`, before git reads a file.
 */
interface Confined {
  /** The folder git runs in: the scanned folder. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  dispose(): void;
}

const MAX_EXCLUDE_BYTES = 128 * 1024;

/**
 * The repository holding `realRoot`: the nearest folder with a real `.git` folder (not a file or link),
 * never looking up into a folder of GIT_CEILING_DIRECTORIES, as git would not.
 */
function repositoryOf(realRoot: string): string | undefined {
  const ceilings = new Set(
    (process.env.GIT_CEILING_DIRECTORIES ?? '').split(':').filter((d) => d.startsWith('/')),
  );
  for (let dir = realRoot; ; dir = dirname(dir)) {
    let info;
    try {
      info = lstatSync(join(dir, '.git'));
    } catch {
      info = undefined;
    }
    // A `.git` file (worktrees, submodules) or link points elsewhere, and a folder without what git needs
    // of a repository (HEAD, objects/, refs/) is none: the folder is walked instead.
    if (info) return info.isDirectory() && looksLikeRepository(join(dir, '.git')) ? dir : undefined;
    if (dirname(dir) === dir || ceilings.has(dirname(dir))) return undefined;
  }
}

function looksLikeRepository(dotGit: string): boolean {
  try {
    return (
      lstatSync(join(dotGit, 'HEAD')).isFile() &&
      lstatSync(join(dotGit, 'objects')).isDirectory() &&
      lstatSync(join(dotGit, 'refs')).isDirectory()
    );
  } catch {
    return false;
  }
}

/** The bytes of a regular file that is not a symlink, up to `max`; undefined otherwise. */
function readRegular(path: string | Buffer, max: number): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    const info = fstatSync(fd);
    if (!info.isFile() || info.size > max) return undefined;
    const bytes = Buffer.alloc(info.size);
    let read = 0;
    while (read < info.size) {
      const n = readSync(fd, bytes, read, info.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return bytes.subarray(0, read);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function confinedGit(realRoot: string): Confined | undefined {
  const top = repositoryOf(realRoot);
  if (!top) return undefined;
  const dotGit = join(top, '.git');
  const index = join(dotGit, 'index');
  let hasIndex = false;
  try {
    const info = lstatSync(index);
    if (!info.isFile()) return undefined;
    hasIndex = true;
  } catch {
    // A repository without commits has no index yet: git then lists nothing tracked.
  }
  const own = mkdtempSync(join(tmpdir(), 'claude-guard-git-'));
  try {
    const gitDir = join(own, 'git');
    for (const d of ['objects', 'refs', 'info', 'hooks']) mkdirSync(join(gitDir, d), { recursive: true });
    const empty = join(own, 'empty');
    writeFileSync(empty, '');
    writeFileSync(join(gitDir, 'HEAD'), 'ref: refs/heads/main\n');
    const quoted = (p: string): string => `"${p.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    writeFileSync(
      join(gitDir, 'config'),
      [
        '[core]',
        '\trepositoryformatversion = 0',
        '\tbare = false',
        '\tfsmonitor = false',
        '\tuntrackedCache = false',
        '\tsplitIndex = false',
        '\tquotePath = false',
        `\texcludesFile = ${quoted(empty)}`,
        `\tattributesFile = ${quoted(empty)}`,
        `\thooksPath = ${quoted(join(gitDir, 'hooks'))}`,
        '',
      ].join('\n'),
    );
    const exclude = readRegular(join(dotGit, 'info', 'exclude'), MAX_EXCLUDE_BYTES);
    if (exclude) writeFileSync(join(gitDir, 'info', 'exclude'), exclude);
    const env: NodeJS.ProcessEnv = {};
    // Nothing of the caller's git environment (GIT_DIR, GIT_CONFIG_*, …) reaches these commands.
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) env[k] = v;
    Object.assign(env, {
      GIT_DIR: gitDir,
      GIT_WORK_TREE: top,
      GIT_INDEX_FILE: hasIndex ? index : join(gitDir, 'index'),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: empty,
      // For a git older than 2.32, which knows no GIT_CONFIG_GLOBAL: no ~/.gitconfig to find.
      HOME: own,
      XDG_CONFIG_HOME: own,
      GIT_ATTR_NOSYSTEM: '1',
      GIT_OPTIONAL_LOCKS: '0',
      GIT_TERMINAL_PROMPT: '0',
      GIT_NO_REPLACE_OBJECTS: '1',
    });
    return { cwd: realRoot, env, dispose: () => rmSync(own, { recursive: true, force: true }) };
  } catch {
    rmSync(own, { recursive: true, force: true });
    return undefined;
  }
}

/**
 * How long a git command may run. Git opens every `.gitignore` and `.gitattributes` it meets, and a named
 * pipe by that name blocks it forever; past this, git is stopped and the scan goes on without it (walking
 * the folder, reading the files itself), which only costs time.
 */
export const GIT_TIMEOUT_MS = 10_000;

/** Settings every git command gets on its command line as well: they win over any file. */
const GIT_SAFE = ['-c', 'core.fsmonitor=false', '-c', 'core.quotepath=off', '-c', 'core.hooksPath=/dev/null'];

/** Runs a confined git command (with `input` on its standard input); its output, or undefined on failure. */
function gitOutput(confined: Confined, args: string[], input?: string): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const child = execFile(
      'git',
      [...GIT_SAFE, ...args],
      {
        cwd: confined.cwd,
        maxBuffer: 1 << 30,
        encoding: 'buffer',
        env: confined.env,
        timeout: GIT_TIMEOUT_MS,
        killSignal: 'SIGKILL',
      },
      (error, stdout) => {
        // `git grep` exits 1 when nothing matches.
        if (error && !(args[0] === 'grep' && (error as { code?: unknown }).code === 1)) resolve(undefined);
        else resolve(stdout);
      },
    );
    // A git that exits before reading (a failure, the timeout) makes the write fail with EPIPE: that is
    // the failure already reported through the callback, never a crash.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });
}

/** The NUL-separated names a confined git command prints. */
async function git(confined: Confined, args: string[]): Promise<string[] | undefined> {
  const out = await gitOutput(confined, args);
  return out && splitNames(out);
}

/** `.gitignore` files are read up to this size; a larger one is not honoured (and so more is scanned). */
export const MAX_GITIGNORE_BYTES = 128 * 1024;
/** At most this many `.gitignore` files are honoured along one path, and this many bytes of them. */
export const MAX_GITIGNORE_DEPTH = 32;
const MAX_GITIGNORE_CHAIN_BYTES = 256 * 1024;

interface IgnoreLevel {
  base: string;
  ig: Ignore;
  depth: number;
  bytes: number;
  parent: IgnoreLevel | undefined;
}

/**
 * Every file under `root`, honouring `.gitignore` files as git does. Bounded for hostile trees: a
 * `.gitignore` over 128 KiB, one deeper than 32 honoured levels, or past 256 KiB of rules along one path is
 * not honoured (a notice says so once each), so checking a path costs at most a fixed number of rules.
 */
async function walk(root: string, notices: ListNotice[]): Promise<string[]> {
  const files: string[] = [];
  const said = new Set<string>();
  const note = (path: string, message: string): void => {
    if (said.has(message)) return;
    said.add(message);
    notices.push({ path, message });
  };
  const visit = async (dir: string, level: IgnoreLevel | undefined): Promise<void> => {
    let entries;
    try {
      entries = await readdir(osPath(join(root, dir)), { withFileTypes: true });
      // A name that is not UTF-8 comes back with U+FFFD in it: read the folder again as bytes.
      if (entries.some((e) => e.name.includes('\uFFFD')))
        entries = (await readdir(osPath(join(root, dir)), { withFileTypes: true, encoding: 'buffer' })).map(
          (e) => Object.assign(e, { name: nameFromBytes(e.name) }) as unknown as Dirent,
        );
    } catch {
      return;
    }
    let here = level;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      const rel = dir ? `${dir}/.gitignore` : '.gitignore';
      const depth = (level?.depth ?? 0) + 1;
      const bytes = readRegular(osPath(join(root, rel)), MAX_GITIGNORE_BYTES);
      // The walk enters real folders only (a link to a folder is listed, never entered), and the file is
      // opened without following a link: nothing outside the root is read.
      if (!bytes) note(rel, `.gitignore larger than ${MAX_GITIGNORE_BYTES / 1024} KiB not honoured`);
      else if (depth > MAX_GITIGNORE_DEPTH)
        note(rel, `.gitignore files nested deeper than ${MAX_GITIGNORE_DEPTH} levels not honoured`);
      else if ((level?.bytes ?? 0) + bytes.length > MAX_GITIGNORE_CHAIN_BYTES)
        note(
          rel,
          `.gitignore rules past ${MAX_GITIGNORE_CHAIN_BYTES / 1024} KiB along one path not honoured`,
        );
      else {
        here = {
          base: dir,
          ig: ignore().add(bytes.toString('utf8')),
          depth,
          bytes: (level?.bytes ?? 0) + bytes.length,
          parent: level,
        };
      }
    }
    // As git does: the deepest .gitignore with a rule for the path decides, so `!keep.log` in a sub-folder
    // re-includes what a parent's `*.log` excluded.
    const ignored = (rel: string, isDir: boolean): boolean => {
      for (let l = here; l; l = l.parent) {
        const inner = l.base ? rel.slice(l.base.length + 1) : rel;
        if (inner.length === 0) continue;
        const verdict = l.ig.test(isDir ? `${inner}/` : inner);
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
  await visit('', undefined);
  return files;
}

/** A path the index lists that git would not show, said without echoing it (it may name anything). */
const HOSTILE_INDEX =
  'the git index lists paths outside the folder (a hand-made index): git is not used, every file is read';

/**
 * The files of a folder, `/`-separated and relative to it: `git ls-files` (tracked and untracked but not
 * ignored) inside a git checkout, else a walk that honours every `.gitignore` on the way.
 */
export async function listFiles(root: string): Promise<Listing> {
  const realRoot = await realpath(root);
  const notices: ListNotice[] = [];
  const confined = confinedGit(realRoot);
  if (confined) {
    try {
      const [tracked, untracked] = await Promise.all([
        git(confined, ['ls-files', '-z']),
        git(confined, ['ls-files', '-z', '--others', '--exclude-standard']),
      ]);
      const all = [...(tracked ?? []), ...(untracked ?? [])];
      if (!all.every(isInsidePath)) notices.push({ path: '.git/index', message: HOSTILE_INDEX });
      // A folder git ignores lists nothing; walk it instead of reporting an empty repository.
      else if (tracked && untracked && all.length > 0) {
        return { files: [...new Set(all)].sort(), via: 'git', untracked: new Set(untracked), notices };
      }
    } finally {
      confined.dispose();
    }
  }
  return { files: (await walk(root, notices)).sort(), via: 'walk', untracked: new Set(), notices };
}

/**
 * What `git grep` looks for: a fixed string, or `{ regex }`, an extended regular expression that PCRE reads
 * the same way (classes in brackets, no backslash escapes), for a shape no fixed string picks out.
 */
export type Needle = string | { readonly regex: string };

/**
 * Tracked files under the folder whose text holds any of `needles`, from `git grep` (without `-I`, which
 * costs more than it saves: a binary file it lists is seen to be binary when read), given to `onMatch` as
 * git prints them, so they can be read while it still searches. `excluded` folders are not searched.
 * Resolves to false when git failed (then nothing it reported can be trusted to be complete).
 */
async function grepFiles(
  confined: Confined,
  needles: readonly Needle[],
  excluded: readonly string[],
  onMatch: (path: string) => void,
): Promise<boolean> {
  if (needles.every((n) => typeof n === 'string'))
    return (
      await grepOnce(confined, confined.env, ['-F', ...needles.flatMap((n) => ['-e', n])], excluded, onMatch)
    ).complete;
  // With a regular expression among them, every needle is one (fixed strings escaped): for PCRE, which
  // costs about what fixed strings do, or, when this git was built without it, as POSIX extended
  // expressions (slower, same files). In the C locale both read bytes, whatever the files' encoding.
  const patterns = needles.flatMap((n) => [
    '-e',
    typeof n === 'string' ? n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : n.regex,
  ]);
  const env = { ...confined.env, LC_ALL: 'C' };
  const handed = new Set<string>();
  const once = (path: string): void => {
    if (handed.has(path)) return;
    handed.add(path);
    onMatch(path);
  };
  const perl = await grepOnce(confined, env, ['-P', ...patterns], excluded, once);
  // Git refuses -P before it searches anything when it has no PCRE.
  if (perl.complete || perl.printed || perl.stopped) return perl.complete;
  return (await grepOnce(confined, env, ['-E', ...patterns], excluded, once)).complete;
}

/** One `git grep -l` run with `options` (the pattern kind and the patterns). */
function grepOnce(
  confined: Confined,
  env: NodeJS.ProcessEnv,
  options: string[],
  excluded: readonly string[],
  onMatch: (path: string) => void,
): Promise<{ complete: boolean; printed: boolean; stopped: boolean }> {
  const args = [...GIT_SAFE, 'grep', '-l', '-z', '--no-color', ...options];
  if (excluded.length > 0) args.push('--', '.', ...excluded.map((d) => `:(exclude,literal)${d}`));
  return new Promise((resolve) => {
    const child = spawn('git', args, {
      cwd: confined.cwd,
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stopped = false;
    let printed = false;
    const timer = setTimeout(() => {
      stopped = true;
      child.kill('SIGKILL');
    }, GIT_TIMEOUT_MS);
    let rest: Buffer = Buffer.alloc(0);
    child.stdout.on('data', (chunk: Buffer) => {
      printed = true;
      const bytes = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      const end = bytes.lastIndexOf(0);
      if (end === -1) {
        rest = bytes;
        return;
      }
      rest = Buffer.from(bytes.subarray(end + 1));
      for (const path of splitNames(bytes.subarray(0, end))) if (isInsidePath(path)) onMatch(path);
    });
    child.on('error', () => {
      clearTimeout(timer);
      resolve({ complete: false, printed, stopped: true });
    });
    // Exit status 1 is "no match"; killed, it has none.
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ complete: code === 0 || code === 1, printed, stopped });
    });
  });
}

/** More folders that became symlinks than this, and git grep is not used at all. */
const MAX_EXCLUDED = 64;

/**
 * The folders of tracked files that are symlinks in the work tree (a checkout whose folders were replaced
 * after commit): git would read through them, wherever they point.
 */
function linkedFolders(root: string, tracked: readonly string[]): string[] {
  // Git lists paths sorted, so the files of a folder (and of everything under it) come together: each
  // folder is met once, right after the folder above it, and only the part of a path that differs from the
  // last folder's is new. Synchronous on purpose: 21,000 folders take about 100 ms this way, 250-500 ms as
  // promises. Nothing is looked up through a link found.
  const linked = new Set<string>();
  const looked = new Set<string>();
  let last = '';
  for (const path of tracked) {
    const end = path.lastIndexOf('/');
    if (end <= 0) continue;
    const folder = path.slice(0, end);
    if (folder === last) continue;
    last = folder;
    for (let i = folder.indexOf('/'); ; i = folder.indexOf('/', i + 1)) {
      const above = i === -1 ? folder : folder.slice(0, i);
      if (!looked.has(above)) {
        looked.add(above);
        let info;
        try {
          info = lstatSync(osPath(join(root, above)));
        } catch {
          info = undefined;
        }
        if (info?.isSymbolicLink()) {
          linked.add(above);
          break;
        }
      } else if (linked.has(above)) break;
      if (i === -1) break;
    }
  }
  return [...linked].sort();
}

/**
 * How to scan a git checkout without reading every file: the tracked files (at once, from the index), the
 * tracked files `git grep` finds holding one of the needles (streamed as found), and the untracked files.
 * Undefined when `root` is not inside a checkout, git lists nothing there (a folder git ignores) or the
 * index cannot be trusted: then the folder is walked and every file read.
 */
export interface GitPlan {
  tracked: string[];
  /** The untracked files (git walks the tree for them while it also greps). */
  untracked(): Promise<string[]>;
  /**
   * Calls `onMatch` for every match so far and every later one (a later call takes over from an earlier
   * one); resolves false when git grep failed.
   */
  matches(onMatch: (path: string) => void): Promise<boolean>;
  notices: ListNotice[];
}

export async function gitPlan(root: string, needles: readonly Needle[]): Promise<GitPlan | undefined> {
  const realRoot = await realpath(root).catch(() => undefined);
  const confined = realRoot ? confinedGit(realRoot) : undefined;
  if (!confined) return undefined;
  const notices: ListNotice[] = [];
  // Git walks the tree for untracked files (never following a link) while it lists the index.
  const walking = git(confined, ['ls-files', '-z', '--others', '--exclude-standard']);
  const listed = await git(confined, ['ls-files', '-z']);
  if (!listed || !listed.every(isInsidePath)) {
    void walking.finally(() => confined.dispose());
    return undefined;
  }
  // Sorted by git; an unmerged path is listed once per stage.
  const tracked = listed.filter((p, i) => p !== listed[i - 1]);
  // When git could not list them (it was stopped), the folder is walked and the tracked files taken out.
  let fallback: Promise<string[]> | undefined;
  const untracked = async (): Promise<string[]> => {
    const listedOthers = await walking;
    if (listedOthers) return listedOthers.filter(isInsidePath);
    fallback ??= (async () => {
      notices.push({
        path: '.',
        message: 'git could not list the untracked files in time: the folder was walked',
      });
      const known = new Set(tracked);
      const all = await walk(confined.cwd, notices);
      return all.filter((p) => !known.has(p));
    })();
    return fallback;
  };
  if (tracked.length === 0 && (await untracked()).length === 0) {
    confined.dispose();
    return undefined;
  }
  const linked = linkedFolders(confined.cwd, tracked);
  for (const folder of linked.slice(0, MAX_EXCLUDED))
    notices.push({ path: folder, message: 'a tracked folder is a symlink: git does not search it' });
  const found: string[] = [];
  let listener: ((path: string) => void) | undefined;
  // A pathspec is text: a folder named with bytes that are not UTF-8 could not be excluded exactly.
  const searched =
    linked.length > MAX_EXCLUDED || linked.some(hasRawBytes)
      ? Promise.resolve(false)
      : grepFiles(confined, needles, linked, (path) => {
          found.push(path);
          listener?.(path);
        });
  void searched.then((complete) => {
    if (!complete && linked.length <= MAX_EXCLUDED && !linked.some(hasRawBytes))
      notices.push({ path: '.', message: 'git grep failed or was stopped: every tracked file was read' });
  });
  void Promise.all([searched, walking]).finally(() => confined.dispose());
  return {
    tracked,
    untracked,
    matches: (onMatch) => {
      for (const path of found) onMatch(path);
      listener = onMatch;
      return searched;
    },
    notices,
  };
}

/** A repository's object store is read only when it holds at most this many entries (a fresh checkout: few). */
const MAX_OBJECT_ENTRIES = 20_000;

/**
 * Whether git may read the object store of the repository at `top`: a real `.git/objects` folder holding
 * only real folders and regular files (no symlink that would lead git outside), and no `info/alternates`,
 * which names other object stores anywhere.
 */
function objectStoreIsOwn(top: string): boolean {
  const objects = join(top, '.git', 'objects');
  let seen = 0;
  const visit = (dir: string): boolean => {
    let entries: Dirent[];
    try {
      if (!lstatSync(dir).isDirectory()) return false;
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    for (const e of entries) {
      if (++seen > MAX_OBJECT_ENTRIES) return false;
      if (e.isDirectory()) {
        if (!visit(join(dir, e.name))) return false;
      } else if (!e.isFile()) return false;
    }
    return true;
  };
  if (!visit(objects)) return false;
  try {
    lstatSync(join(objects, 'info', 'alternates'));
    return false;
  } catch {
    return true;
  }
}

/** Blobs over this size are not read at another commit: as for the working tree, a notice-sized skip. */
const MAX_BLOB_BYTES = 1024 * 1024;

/**
 * The text of repository paths at `commit`, read from the local object store when the checkout's history
 * holds that commit (a checkout with `fetch-depth: 0`, or deep enough): null for a path absent there,
 * undefined for one that could not be read (too large, binary, a name git's line-based input cannot carry).
 * Undefined as a whole when there is no repository, the commit is not there, or the object store cannot be
 * trusted (a symlink in it, alternates) — then the caller asks the API. Git runs confined as for listing,
 * with only the repository's object store added.
 */
export async function readAtCommit(
  root: string,
  commit: string,
  paths: readonly string[],
): Promise<Map<string, string | null | undefined> | undefined> {
  if (!/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(commit)) return undefined;
  const realRoot = await realpath(root).catch(() => undefined);
  const top = realRoot ? repositoryOf(realRoot) : undefined;
  if (!realRoot || !top || !objectStoreIsOwn(top)) return undefined;
  const confined = confinedGit(realRoot);
  if (!confined) return undefined;
  try {
    const env = { ...confined.env, GIT_OBJECT_DIRECTORY: join(top, '.git', 'objects') };
    const withObjects: Confined = { ...confined, env };
    const askable = paths.filter((p) => !/[\n\r]/.test(p) && isInsidePath(p) && !hasRawBytes(p));
    const check = await gitOutput(
      withObjects,
      ['cat-file', '--batch-check'],
      [`${commit}^{commit}`, ...askable.map((p) => `${commit}:${p}`)].join('\n') + '\n',
    );
    if (!check) return undefined;
    const lines = check.toString('utf8').split('\n');
    if (!/^[0-9a-f]+ commit \d+$/.test(lines[0] ?? '')) return undefined;
    const result = new Map<string, string | null | undefined>();
    const wanted: string[] = [];
    askable.forEach((path, i) => {
      const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(lines[i + 1] ?? '');
      if (!m) result.set(path, (lines[i + 1] ?? '').endsWith(' missing') ? null : undefined);
      else if (m[1] !== 'blob' || Number(m[2]) > MAX_BLOB_BYTES)
        result.set(path, m[1] === 'blob' ? undefined : null);
      else wanted.push(path);
    });
    for (const path of paths) if (!result.has(path) && !wanted.includes(path)) result.set(path, undefined);
    if (wanted.length > 0) {
      const out = await gitOutput(
        withObjects,
        ['cat-file', '--batch'],
        wanted.map((p) => `${commit}:${p}`).join('\n') + '\n',
      );
      if (!out) return undefined;
      let at = 0;
      for (const path of wanted) {
        const eol = out.indexOf(0x0a, at);
        const header = /^[0-9a-f]+ blob (\d+)$/.exec(out.subarray(at, eol).toString('utf8'));
        if (!header) return undefined;
        const size = Number(header[1]);
        const bytes = out.subarray(eol + 1, eol + 1 + size);
        at = eol + 1 + size + 1;
        const read = decodeText(bytes);
        result.set(path, 'text' in read ? read.text : undefined);
      }
    }
    return result;
  } finally {
    confined.dispose();
  }
}
