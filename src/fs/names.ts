import { isAbsolute, relative, sep } from 'node:path';

/**
 * File names as the file system gives them. Linux names are bytes, not text: a name that is not valid
 * UTF-8 (`u\xFF.sh`) is still a file a hostile repository can hold and git can list. Such a name is decoded
 * with each byte that is not part of a valid UTF-8 sequence kept as the lone surrogate U+DC00 + byte (the
 * scheme Python calls "surrogateescape"). No valid UTF-8 name decodes to a lone surrogate, so two different
 * names never give the same string, and the string turns back into exactly the bytes it came from when the
 * file is opened. Reports show such a byte as `\xFF` (see `report/safe.ts`).
 */

/**
 * `path` (absolute, as the operating system writes it) as a `/`-separated path relative to `folder`, or
 * undefined when it is the folder itself or lies outside it.
 */
export function pathInside(folder: string, path: string): string | undefined {
  const rel = relative(folder, path);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

const LONE_ESCAPE = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there does not start one. */
function sequenceAt(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i] as number;
  if (b0 < 0x80) return 1;
  const cont = (k: number): boolean => i + k < bytes.length && ((bytes[i + k] as number) & 0xc0) === 0x80;
  const b1 = bytes[i + 1] ?? 0;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    // No overlong forms (E0 80..9F) and no surrogates (ED A0..BF).
    if ((b0 === 0xe0 && b1 < 0xa0) || (b0 === 0xed && b1 > 0x9f)) return 0;
    return cont(1) && cont(2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    if ((b0 === 0xf0 && b1 < 0x90) || (b0 === 0xf4 && b1 > 0x8f)) return 0;
    return cont(1) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** A name's bytes as a string, invalid bytes kept as lone surrogates. */
export function nameFromBytes(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  // U+FFFD only appears when a byte was invalid, or when the name itself holds U+FFFD (EF BF BD).
  if (!text.includes('\uFFFD')) return text;
  let out = '';
  let run = 0;
  for (let i = 0; i < bytes.length;) {
    const n = sequenceAt(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out +=
      Buffer.from(bytes.subarray(run, i)).toString('utf8') +
      String.fromCharCode(0xdc00 + (bytes[i] as number));
    i += 1;
    run = i;
  }
  return out + Buffer.from(bytes.subarray(run)).toString('utf8');
}

/** Whether a name holds bytes that are not UTF-8 (then only its bytes can open it). */
export function hasRawBytes(name: string): boolean {
  return LONE_ESCAPE.test(name);
}

/** What to give the file system for a path: the string itself, or its exact bytes when it holds escapes. */
export function osPath(path: string): string | Buffer {
  if (!hasRawBytes(path)) return path;
  const chunks: Buffer[] = [];
  let run = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    const lone = c >= 0xdc80 && c <= 0xdcff && !(i > 0 && /[\uD800-\uDBFF]/.test(path[i - 1] as string));
    if (!lone) continue;
    chunks.push(Buffer.from(path.slice(run, i), 'utf8'), Buffer.from([c - 0xdc00]));
    run = i + 1;
  }
  chunks.push(Buffer.from(path.slice(run), 'utf8'));
  return Buffer.concat(chunks);
}

/** A path the file system gave as bytes, as a string. */
export function fromOsPath(path: string | Buffer): string {
  return typeof path === 'string' ? path : nameFromBytes(path);
}

/** NUL-separated names (git's `-z` output), each decoded as above. */
export function splitNames(output: Buffer): string[] {
  const text = output.toString('utf8');
  if (!text.includes('\uFFFD')) return text.split('\0').filter((f) => f.length > 0);
  const names: string[] = [];
  let start = 0;
  for (let i = output.indexOf(0); i !== -1; start = i + 1, i = output.indexOf(0, start)) {
    if (i > start) names.push(nameFromBytes(output.subarray(start, i)));
  }
  if (start < output.length) names.push(nameFromBytes(output.subarray(start)));
  return names;
}
