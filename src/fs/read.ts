import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fromOsPath, osPath } from './names.js';

export const MAX_FILE_BYTES = 1024 * 1024;

/** A named pipe must not block the scan: opened non-blocking, it is then seen not to be a file. */
const NO_BLOCK: number = (constants as { O_NONBLOCK?: number }).O_NONBLOCK ?? 0;
/** Absent on Windows, where every file takes the symlink path. */
const NO_FOLLOW: number | undefined = (constants as { O_NOFOLLOW?: number }).O_NOFOLLOW;

export type ReadResult = { text: string } | { skipped: string };

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

/** Decodes bytes as UTF-8: a BOM is dropped, invalid sequences become U+FFFD, NUL bytes mean binary. */
export function decodeText(bytes: Uint8Array): ReadResult {
  if (bytes.subarray(0, 8000).includes(0)) return { skipped: 'binary file (NUL bytes)' };
  return { text: decoder.decode(bytes) };
}

function inside(realRoot: string, target: string): boolean {
  return target === realRoot || target.startsWith(realRoot + sep);
}

/** Real paths of folders, resolved once each: a scan reads many files from few folders. */
export type FolderCache = Map<string, string>;

/** The real path of a path, which may be named with bytes that are not UTF-8 (see `names.ts`). */
function realPath(path: string): string {
  const os = osPath(path);
  return typeof os === 'string'
    ? realpathSync.native(os)
    : fromOsPath(realpathSync.native(os, { encoding: 'buffer' }));
}

/**
 * The real path of a folder, from its parent's when that is known: one `lstat` per new folder instead of
 * resolving every step of the path again, which made a thousand nested folders cost half a million calls.
 */
function realDir(dir: string, cache: FolderCache): string {
  const found = cache.get(dir);
  if (found !== undefined) return found;
  const parent = dirname(dir);
  let real: string;
  if (parent === dir) real = realPath(dir);
  else {
    const realParent = realDir(parent, cache);
    real = lstatSync(osPath(dir)).isSymbolicLink()
      ? realPath(dir)
      : join(realParent, dir.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
  }
  cache.set(dir, real);
  return real;
}

/**
 * Reads a file under `root` as text, refusing anything that leaves the root through a symlink (the file's
 * own or a folder's on the way), files over 1 MiB and binary files. Never throws: a file that cannot be read
 * is a reason, not an error.
 *
 * The reads are synchronous on purpose: the files read are few and small (what git grep points at), and a
 * promise round trip per system call costs more main-thread time than the read itself (measured: 203 ms of
 * 854 ms at 100k files went to promise-based file handles).
 */
export async function readText(
  root: string,
  realRoot: string,
  rel: string,
  folders: FolderCache = new Map(),
): Promise<ReadResult> {
  return readTextSync(root, realRoot, rel, folders);
}

function readTextSync(root: string, realRoot: string, rel: string, folders: FolderCache): ReadResult {
  const full = resolve(root, rel);
  let fd: number | undefined;
  try {
    // The folder is resolved first (once per folder), so that nothing is opened through a folder link that
    // leaves the root. The file itself is opened without following a final symlink; one fails with ELOOP
    // and is then resolved and checked before it is opened.
    const folder = realDir(dirname(full), folders);
    if (!inside(realRoot, folder)) return { skipped: 'symlink pointing outside the scanned folder' };
    try {
      if (NO_FOLLOW === undefined) throw Object.assign(new Error('no O_NOFOLLOW'), { code: 'ELOOP' });
      fd = openSync(osPath(full), constants.O_RDONLY | NO_BLOCK | NO_FOLLOW);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOOP') throw error;
      const target = realPath(full);
      if (!inside(realRoot, target)) return { skipped: 'symlink pointing outside the scanned folder' };
      fd = openSync(osPath(full), constants.O_RDONLY | NO_BLOCK);
    }
    const info = fstatSync(fd);
    if (!info.isFile()) return { skipped: 'not a regular file' };
    if (info.size > MAX_FILE_BYTES) return { skipped: `larger than 1 MiB (${info.size} bytes)` };
    const bytes = new Uint8Array(info.size);
    let read = 0;
    while (read < info.size) {
      const n = readSync(fd, bytes, read, info.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return decodeText(bytes.subarray(0, read));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { skipped: 'listed by git but missing from the working tree' };
    return { skipped: `unreadable (${code ?? (error as Error).message})` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
