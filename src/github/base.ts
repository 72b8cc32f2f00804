import { posix } from 'node:path';
import { classify } from '../fs/classify.js';
import { readAtCommit } from '../fs/list.js';
import { decodeText } from '../fs/read.js';
import type { Policy } from '../policy/policy.js';
import { type FileSource, overlaySource, scan, type ScanResult } from '../scan.js';
import type { BaseComparison } from '../verdict/compare.js';
import { type Client, statusOf } from './client.js';
import type { EventContext } from './context.js';

/** A file a pull request changes, repository-relative, as `pulls/{n}/files` lists it. */
export interface ChangedFile {
  filename: string;
  status: string;
  previousFilename?: string;
}

/**
 * At most this many base versions are fetched through the API (those the checkout's history holds are read
 * locally); past it, findings in the other changed files count as new.
 */
export const MAX_BASE_FILES = 100;

/** The result of comparing the head with the base of a change. */
export interface BaseScan {
  comparison: BaseComparison;
  /** The scan of the base (head checkout with the changed files' base versions), for the change in powers. */
  base: ScanResult;
  notices: string[];
}

/** A changed file's path in the scanned folder, or undefined when it lies outside it. */
function inFolder(repoPath: string, prefix: string): string | undefined {
  if (prefix === '' || prefix === '.') return repoPath;
  return repoPath.startsWith(`${prefix}/`) ? repoPath.slice(prefix.length + 1) : undefined;
}

/** The text of a file at a commit through the contents API: null when absent there, undefined when unknown. */
async function contentAt(
  client: Client,
  ctx: EventContext,
  path: string,
  ref: string,
): Promise<string | null | undefined> {
  try {
    const { data } = await client.rest.repos.getContent({ owner: ctx.owner, repo: ctx.repo, path, ref });
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return null;
    // Files over 1 MB come without content (encoding "none"): unknown, like a file the scanner skips.
    if (data.encoding !== 'base64') return undefined;
    const read = decodeText(Buffer.from(data.content, 'base64'));
    return 'text' in read ? read.text : undefined;
  } catch (error) {
    if (statusOf(error) === 404) return null;
    return undefined;
  }
}

/**
 * Scans the base of a change: the head checkout with the base version of each changed file that matters
 * (one holding a finding at the head, or one Claude reads: settings, MCP configuration, workflows…), fetched
 * at `ctx.baseSha`. Only changed files are read at the base; the rest is the same in both versions.
 */
export async function scanBase(
  client: Client,
  ctx: EventContext,
  files: readonly ChangedFile[],
  head: { source: FileSource; result: ScanResult; prefix: string; policy: Policy; root?: string },
): Promise<BaseScan> {
  const notices: string[] = [];
  const changed = new Set<string>();
  const unknown = new Set<string>();
  const withFindings = new Set(head.result.verdict.findings.map((f) => f.path));
  const wanted: { path: string; from: string }[] = [];
  const changes = new Map<string, string | null>();
  for (const file of files) {
    const path = inFolder(file.filename, head.prefix);
    if (path === undefined) continue;
    const kind = classify(path);
    const matters = withFindings.has(path) || (kind !== 'text' && kind !== 'binary');
    if (file.status === 'removed') {
      // Gone at the head: its base version may have granted powers the change takes away.
      if (matters) wanted.push({ path, from: file.filename });
      continue;
    }
    changed.add(path);
    if (file.status === 'added') changes.set(path, null);
    else if (matters) wanted.push({ path, from: file.previousFilename ?? file.filename });
    // A renamed file's old path no longer exists at the head.
    if (file.previousFilename) {
      const old = inFolder(file.previousFilename, head.prefix);
      if (old !== undefined && old !== path && classify(old) !== 'text')
        wanted.push({ path: old, from: file.previousFilename });
    }
  }
  // The checkout's own history first (fetch-depth: 0), then the contents API.
  const local =
    ctx.baseSha && head.root && wanted.length > 0
      ? await readAtCommit(
          head.root,
          ctx.baseSha,
          wanted.map((w) => w.from),
        )
      : undefined;
  let fetched = 0;
  for (const { path, from } of wanted) {
    const known = local?.get(from);
    if (known !== undefined) {
      changes.set(path, known);
      continue;
    }
    if (fetched++ >= MAX_BASE_FILES) {
      unknown.add(path);
      continue;
    }
    const text = ctx.baseSha ? await contentAt(client, ctx, from, ctx.baseSha) : undefined;
    if (text === undefined) unknown.add(path);
    else changes.set(path, text);
  }
  if (fetched > MAX_BASE_FILES)
    notices.push(
      `the change touches ${wanted.length} files Claude reads: the first ${MAX_BASE_FILES} were compared with the base, findings in the others count as new`,
    );
  if (unknown.size > 0 && fetched <= MAX_BASE_FILES)
    notices.push(
      `${unknown.size} changed file${unknown.size === 1 ? '' : 's'} could not be read at the base: their findings count as new`,
    );
  const base = await scan(overlaySource(head.source, changes), head.policy);
  const baseFingerprints = new Set(
    base.verdict.findings.filter((f) => changed.has(f.path)).map((f) => f.fingerprint),
  );
  return { comparison: { changed, baseFingerprints, unknown }, base, notices };
}

/** A path in the repository for a path in the scanned folder. */
export function repoPath(path: string, prefix: string): string {
  return prefix === '' || prefix === '.' ? path : posix.join(prefix, path);
}
