import { classify } from '../fs/classify.js';
import { readAtCommit } from '../fs/list.js';
import { decodeText } from '../fs/read.js';
import type { Policy } from '../policy/policy.js';
import { type FileSource, overlaySource, scan, type ScanResult } from '../scan.js';
import type { BaseComparison } from '../verdict/compare.js';
import { type Client, statusOf } from './client.js';
import type { EventContext } from './context.js';
import type { PullFile } from './review.js';

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
export async function contentAt(
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
    // Absent at the base; any other failure is the caller's to handle (it stops asking).
    if (statusOf(error) === 404) return null;
    throw error;
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
  files: readonly PullFile[],
  head: { source: FileSource; result: ScanResult; prefix: string; policy: Policy; root?: string },
  complete = true,
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
  let failed: string | undefined;
  for (const { path, from } of wanted) {
    const known = local?.get(from);
    if (known !== undefined) {
      changes.set(path, known);
      continue;
    }
    if (fetched++ >= MAX_BASE_FILES || failed !== undefined || !ctx.baseSha) {
      unknown.add(path);
      continue;
    }
    try {
      const text = await contentAt(client, ctx, from, ctx.baseSha);
      if (text === undefined) unknown.add(path);
      else changes.set(path, text);
    } catch (error) {
      // One failure (after the client's retries) and the API is not asked again: a failing API must not
      // hold the job for a hundred files.
      const status = statusOf(error);
      if (status === undefined) throw error;
      failed = `HTTP ${status}`;
      unknown.add(path);
    }
  }
  if (failed)
    notices.push(
      `the contents API failed (${failed}) reading the base: findings in ${unknown.size} changed file${unknown.size === 1 ? '' : 's'} count as new`,
    );
  if (!complete) {
    // GitHub did not list every changed file: a finding in a file it did not list may be new.
    for (const path of withFindings) if (!changed.has(path)) unknown.add(path);
  }
  if (fetched > MAX_BASE_FILES)
    notices.push(
      `the change touches ${wanted.length} files Claude reads: the first ${MAX_BASE_FILES} were compared with the base, findings in the others count as new`,
    );
  if (unknown.size > 0 && fetched <= MAX_BASE_FILES && !failed && complete)
    notices.push(
      `${unknown.size} changed file${unknown.size === 1 ? '' : 's'} could not be read at the base: their findings count as new`,
    );
  const base = await scan(overlaySource(head.source, changes), head.policy);
  const baseFingerprints = new Set(
    base.verdict.findings.filter((f) => changed.has(f.path)).map((f) => f.fingerprint),
  );
  return { comparison: { changed, baseFingerprints, unknown }, base, notices };
}

/** GitHub's compare lists at most this many files. */
const COMPARE_FILES_CAP = 300;

/**
 * The files changed between the base and the head of a merge group, from the compare API: a sentence when
 * it could not be asked; `complete` false when GitHub's list may be cut.
 */
export async function listComparedFiles(
  client: Client,
  ctx: EventContext,
): Promise<{ files: PullFile[]; complete: boolean } | string> {
  if (!ctx.baseSha) return 'no base commit to compare with';
  try {
    const { data } = await client.rest.repos.compareCommitsWithBasehead({
      owner: ctx.owner,
      repo: ctx.repo,
      basehead: `${ctx.baseSha}...${ctx.headSha}`,
      per_page: 100,
    });
    const files = (data.files ?? []).map((f) => {
      const file: PullFile = { filename: f.filename, status: f.status };
      if (f.previous_filename) file.previousFilename = f.previous_filename;
      return file;
    });
    return { files, complete: files.length < COMPARE_FILES_CAP };
  } catch (error) {
    const status = statusOf(error);
    if (status === undefined) throw error;
    return `the changed files could not be listed (HTTP ${status})`;
  }
}
