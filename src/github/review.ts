import type { Severity } from '../model/types.js';
import { compareFindings, type Finding } from '../policy/verdict.js';
import { displayLine, maskSecrets } from '../report/safe.js';
import { type Client, statusOf } from './client.js';
import { ACTIONS_BOT } from './comment.js';
import type { EventContext } from './context.js';
import { commentableLines, type CommentableLines } from './diff.js';

/**
 * The inline review: new findings on lines a pull request changes, as comments on those lines, sent in one
 * `pulls.createReview` (`event: COMMENT`, never approve or request changes). GitHub refuses the whole
 * review when one comment is outside the diff (`reference/github-platform.md` §3), so every comment is
 * placed on a line the file's `patch` shows; a finding that cannot be placed, or that GitHub still refuses,
 * is handed back as *outside* for the sticky comment. Re-runs do not repeat a comment: each carries its
 * finding's fingerprint in a hidden marker, looked for on the bot's own comments. Cost: one paginated list of
 * the files, one of the review comments, and one write — one notification, whatever the number of comments.
 */

/** A changed file of a pull request, as `GET /pulls/{n}/files` lists it. */
export interface PullFile {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  /** Absent for binary and very large files: nothing in them can be commented inline. */
  patch?: string;
  previousFilename?: string;
}

/** GitHub lists at most this many files of a pull request. */
export const PULL_FILES_CAP = 3000;

/**
 * Every file the pull request changes, over every page; `capped` when GitHub's 3000-file limit may have
 * cut the list (findings in the missing files then stay outside the review). A sentence instead when
 * GitHub refused the listing or this is no pull request; a network error or a bug throws.
 */
export async function listPullFiles(
  client: Client,
  ctx: EventContext,
): Promise<{ files: PullFile[]; capped: boolean } | string> {
  if (!ctx.pullRequest) return 'not a pull request';
  try {
    const listed = await client.paginate(client.rest.pulls.listFiles, {
      owner: ctx.owner,
      repo: ctx.repo,
      pull_number: ctx.pullRequest.number,
      per_page: 100,
    });
    const files = listed.map((f) => {
      const file: PullFile = { filename: f.filename, status: f.status };
      if (typeof f.patch === 'string') file.patch = f.patch;
      if (f.previous_filename) file.previousFilename = f.previous_filename;
      return file;
    });
    return { files, capped: files.length >= PULL_FILES_CAP };
  } catch (error) {
    const status = statusOf(error);
    if (status === undefined) throw error;
    return `GitHub refused the list of changed files (${status}): ${(error as Error).message}`;
  }
}

/** A replacement for lines `startLine`..`endLine` of the new file: the new lines joined by "\n". */
export interface Suggestion {
  startLine: number;
  endLine: number;
  text: string;
}

/** A finding the review may comment on; the verdict supplies `suggestion` where the fix is mechanical. */
export type ReviewFinding = Finding & { suggestion?: Suggestion };

/** One entry of `comments` in `pulls.createReview`. */
export interface InlineComment {
  path: string;
  body: string;
  line: number;
  side: 'RIGHT';
  start_line?: number;
  start_side?: 'RIGHT';
}

export interface PlannedComment {
  finding: ReviewFinding;
  comment: InlineComment;
  /** The body carries a ```suggestion block. */
  suggests: boolean;
}

/**
 * Why a new finding has no inline comment:
 * - `not-changed`: its file is not among the changed files (or beyond GitHub's 3000-file list);
 * - `no-patch`: GitHub gives no diff for the file (binary, too large);
 * - `not-in-diff`: no line of its span is an added or context line of the diff;
 * - `over-limit`: more findings could be commented than the review takes;
 * - `rejected`, `read-only`, `rate-limited`, `failed`: the review was not posted (see `ReviewResult`).
 */
export type OutsideReason =
  | 'not-changed'
  | 'no-patch'
  | 'not-in-diff'
  | 'over-limit'
  | 'rejected'
  | 'read-only'
  | 'rate-limited'
  | 'failed';

export interface OutsideFinding {
  finding: ReviewFinding;
  reason: OutsideReason;
}

/**
 * What the review would say. Only new, unsuppressed findings are considered; findings that already exist at
 * the base, or are suppressed, are neither commented nor outside: the sticky comment and the check run show
 * them from the verdict.
 */
export interface ReviewPlan {
  /** Most severe first. */
  comments: PlannedComment[];
  /** Most severe first. */
  outside: OutsideFinding[];
}

export interface ReviewOptions {
  /** Prefix for rule pages (`docs/rules/CG101.md` is appended); without it no link is written. */
  docsBase?: string;
  /** Known secret values and pieces of them, masked wherever they appear. */
  secrets?: readonly string[];
  /** At most this many inline comments (default 30); the rest stay outside. */
  maxComments?: number;
  /** The scanned folder within the repository (`''` or `.` for its root): finding paths are relative to it. */
  pathPrefix?: string;
}

/** Enough to point at every finding of an ordinary change, few enough not to bury the pull request. */
export const MAX_INLINE_COMMENTS = 30;

/**
 * Which findings get an inline comment, where, and with what body. Pure.
 *
 * Placement, for a finding whose file has a patch:
 * - a suggestion whose lines all lie in one hunk: the comment spans exactly those lines (GitHub applies a
 *   suggestion to the lines the comment covers);
 * - otherwise a span that lies in one hunk: the comment spans it (one line, or `start_line`..`line`);
 * - otherwise (a span that crosses hunks, or starts above the diff): one line, the first line of the span
 *   the diff shows. The start is where the cause begins, so it is preferred; a later line is used only when
 *   the start is not in the diff, and the body then names the finding's lines.
 * No line of the span in the diff: outside. The suggestion is dropped (the comment stays) when it is not in
 * one hunk, holds a secret or a control character, or would make the body too long.
 */
export function planReview(
  findings: readonly ReviewFinding[],
  files: readonly PullFile[],
  options: ReviewOptions = {},
): ReviewPlan {
  const max = options.maxComments ?? MAX_INLINE_COMMENTS;
  const byName = new Map(files.map((f) => [f.filename, f]));
  const diffs = new Map<string, CommentableLines>();
  const comments: PlannedComment[] = [];
  const outside: OutsideFinding[] = [];
  const candidates = findings.filter((f) => f.new && f.suppression === null).sort(compareFindings);
  for (const finding of candidates) {
    const file = byName.get(repoPath(finding.path, options.pathPrefix ?? ''));
    if (!file) {
      outside.push({ finding, reason: 'not-changed' });
      continue;
    }
    if (file.patch === undefined) {
      outside.push({ finding, reason: 'no-patch' });
      continue;
    }
    let diff = diffs.get(file.filename);
    if (!diff) diffs.set(file.filename, (diff = commentableLines(file.patch)));
    const planned = place(finding, file.filename, diff, options);
    if (!planned) outside.push({ finding, reason: 'not-in-diff' });
    else if (comments.length >= max) outside.push({ finding, reason: 'over-limit' });
    else comments.push(planned);
  }
  return { comments, outside };
}

function repoPath(path: string, prefix: string): string {
  const folder = prefix === '.' ? '' : prefix.replace(/^(?:\.\/)+/, '').replace(/\/+$/, '');
  return folder === '' ? path : `${folder}/${path}`;
}

function place(
  finding: ReviewFinding,
  path: string,
  diff: CommentableLines,
  options: ReviewOptions,
): PlannedComment | undefined {
  const { suggestion } = finding;
  if (suggestion && diff.inOneHunk(suggestion.startLine, suggestion.endLine)) {
    const body = commentBody(finding, suggestion.startLine, suggestion.endLine, options, suggestion);
    if (body)
      return { finding, comment: span(path, body, suggestion.startLine, suggestion.endLine), suggests: true };
  }
  let start: number | undefined;
  let end: number | undefined;
  if (diff.inOneHunk(finding.line, finding.endLine)) {
    start = finding.line;
    end = finding.endLine;
  } else {
    for (const line of diff.lines) {
      if (line >= finding.line && line <= finding.endLine && (start === undefined || line < start))
        start = line;
    }
    end = start;
  }
  if (start === undefined || end === undefined) return undefined;
  const body = commentBody(finding, start, end, options) as string;
  return { finding, comment: span(path, body, start, end), suggests: false };
}

function span(path: string, body: string, start: number, end: number): InlineComment {
  const comment: InlineComment = { path, body, line: end, side: 'RIGHT' };
  // A comment on one line has no start_line: GitHub refuses `start_line == line`.
  if (start < end) {
    comment.start_line = start;
    comment.start_side = 'RIGHT';
  }
  return comment;
}

const ICONS: Record<Severity, string> = { critical: '🛑', high: '🔴', medium: '🟠', low: '🔵', info: '⚪' };

/** GitHub refuses a comment body over 65536 characters; budgeted in bytes, with headroom. */
const BODY_BYTES = 60_000;
/** Longest message or fix text shown, in characters: a comment is read next to the line. */
const TEXT_MAX = 1500;
const RELATED_MAX = 3;

/** The hidden marker a comment carries, for the next run to find. */
export function findingMarker(fingerprint: string): string {
  return `<!-- claude-guard:finding ${markerId(fingerprint)} -->`;
}

/** A fingerprint as the marker writes it: only characters that cannot end the HTML comment. */
function markerId(fingerprint: string): string {
  return fingerprint.replace(/[^A-Za-z0-9:._-]/g, '_');
}

/**
 * The marker is the body's last line. Repository text in a body is always on one line, and a suggestion is
 * inside its fence above the marker, so text of the file's making cannot end a body with a marker. (A body
 * edited on github.com may come back with CRLF and a trailing blank.)
 */
const MARKER_AT_END = /\r?\n<!-- claude-guard:finding ([A-Za-z0-9:._-]+) -->\s*$/;

/** The fingerprint a comment body of ours carries, if any. */
export function markedFingerprint(body: string): string | undefined {
  return MARKER_AT_END.exec(body)?.[1];
}

/** The body of one inline comment, or undefined when a suggestion would make it too long. */
function commentBody(
  f: ReviewFinding,
  start: number,
  end: number,
  options: ReviewOptions,
  suggestion?: Suggestion,
): string | undefined {
  const secrets = options.secrets ?? [];
  const text = (s: string): string => markdownText(clip(displayLine(s, secrets).trim(), TEXT_MAX));
  const docs = docsUrl(options.docsBase, f.docs);
  const rule = docs ? `[${f.ruleId}](${docs})` : f.ruleId.replace(/[^A-Za-z0-9-]/g, '');
  const parts = [
    `${ICONS[f.severity]} **${f.severity}**${f.blocking ? ' · **blocks**' : ''} · ${rule} ${text(f.ruleName)}`,
    text(f.message),
  ];
  const covers = start === f.line && end === f.endLine;
  if (!covers && !suggestion && f.endLine > f.line) parts.push(`_Lines ${f.line}–${f.endLine}._`);
  if (f.related.length > 0) {
    parts.push(
      f.related
        .slice(0, RELATED_MAX)
        .map((r) => `- ${text(`${r.path}:${r.line}`)}: ${text(r.message)}`)
        .join('\n'),
    );
  }
  if (f.help.trim()) parts.push(`**Fix:** ${text(f.help)}`);
  if (suggestion) {
    const block = suggestionBlock(suggestion.text, secrets);
    if (!block) return undefined;
    parts.push(block);
  }
  parts.push(findingMarker(f.fingerprint));
  const body = parts.join('\n\n');
  return suggestion && Buffer.byteLength(body) > BODY_BYTES ? undefined : body;
}

function docsUrl(base: string | undefined, docs: string): string | undefined {
  if (!base || !/^https?:\/\/[^\s()<>]+$/.test(base) || !/^[A-Za-z0-9._/-]+$/.test(docs)) return undefined;
  return base + docs;
}

function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  // Not between the halves of a pair (lone surrogates were escaped by the safe edge).
  const cut = s.slice(0, max - 1);
  return `${/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

/** An entity for U+200B: GitHub links @mentions, #refs and URLs after markdown, so only a break stops them. */
const BREAK = '&#8203;';

/**
 * Text of the file's making (on one line, masked, controls escaped) as markdown that renders exactly that
 * text and nothing else: no HTML, no link or image, no emphasis or heading, no @-mention that notifies
 * anyone, no `#123` or `GH-1` reference that links an issue. Backslash escapes are not enough for GitHub:
 * mentions, references and bare URLs are linked after markdown, on the rendered text, so a zero-width
 * space is put where they would start. Code spans (`…` with one backtick each side) are kept, since nothing
 * inside one renders.
 */
export function markdownText(line: string): string {
  let out = '';
  let at = 0;
  for (const m of line.matchAll(/`[^`]+`/g)) {
    out += prose(line.slice(at, m.index));
    out += m[0];
    at = m.index + m[0].length;
  }
  return out + prose(line.slice(at));
}

function prose(s: string): string {
  return s
    .replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`)
    .replace(/\\@/g, `\\@${BREAK}`)
    .replace(/\\#(?=\d)/g, `\\#${BREAK}`)
    .replace(/\b(GH)(?=\\-\d)/gi, `$1${BREAK}`)
    .replace(/\\:\\\/\\\//g, `\\:\\/${BREAK}\\/`)
    .replace(/\b(www)(?=\\\.)/gi, `$1${BREAK}`);
}

/**
 * A ```suggestion block holding `text` exactly, its fence longer than any run of backticks in it so the text
 * cannot close it. Undefined when the text holds a secret (it cannot be masked and stay exact) or a
 * character that could hide what the change does (controls, bidirectional overrides).
 */
function suggestionBlock(text: string, secrets: readonly string[]): string | undefined {
  if (maskSecrets(text, secrets) !== text) return undefined;
  if (
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(
      text,
    )
  )
    return undefined;
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) return undefined;
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return text === '' ? `${fence}suggestion\n${fence}` : `${fence}suggestion\n${text}\n${fence}`;
}

/** Why no review was sent. Each `message` is one sentence, already safe to print. */
export interface ReviewSkip {
  reason: 'nothing-to-say' | 'already-commented' | 'read-only' | 'rejected' | 'rate-limited' | 'failed';
  message: string;
}

export interface ReviewResult {
  /** Inline comments posted by this run. */
  posted: number;
  /** Findings a comment of an earlier run already points at (its marker, on a comment by the bot). */
  alreadyCommented: ReviewFinding[];
  /** New findings with no inline comment, most severe first: the sticky comment lists them. */
  outside: OutsideFinding[];
  /** Set when no review was sent. */
  skipped?: ReviewSkip;
  /** The review's page, when one was posted. */
  url?: string;
}

export interface PostOptions {
  secrets?: readonly string[];
  log: (message: string) => void;
  /** Whose comments count as ours (default the Actions bot, the author of everything `GITHUB_TOKEN` writes). */
  author?: string;
}

/**
 * Posts the plan's comments in one review on the head commit, leaving out those an earlier run already
 * posted. Sends nothing when nothing is left to say. Never throws for an API answer: a refusal (422: a line
 * GitHub does not take; 403: a read-only token) or a failure hands the comments back as outside, says why
 * in one log line and in `skipped`. Octokit reports a network failure as status 500, so it is a failure
 * like a server error; only a bug throws.
 */
export async function postReview(
  client: Client,
  ctx: EventContext,
  plan: ReviewPlan,
  options: PostOptions,
): Promise<ReviewResult> {
  const result: ReviewResult = { posted: 0, alreadyCommented: [], outside: [...plan.outside] };
  const secrets = options.secrets ?? [];
  /** The review is not sent: `unsent` joins the findings outside, and the log says why once. */
  const notSent = (unsent: readonly PlannedComment[], skip: ReviewSkip & { reason: OutsideReason }) => {
    result.outside = [...result.outside, ...unsent.map((c) => ({ finding: c.finding, reason: skip.reason }))];
    result.outside.sort((a, b) => compareFindings(a.finding, b.finding));
    result.skipped = skip;
    options.log(`claude-guard: ${skip.message}`);
    return result;
  };
  if (plan.comments.length === 0) {
    result.skipped = {
      reason: 'nothing-to-say',
      message: 'no new finding is on a line this pull request changes',
    };
    return result;
  }
  if (!ctx.pullRequest) {
    return notSent(plan.comments, {
      reason: 'failed',
      message: 'no inline review: this run is not about a pull request',
    });
  }
  const pull = { owner: ctx.owner, repo: ctx.repo, pull_number: ctx.pullRequest.number };
  const author = options.author ?? ACTIONS_BOT;

  let fresh: PlannedComment[];
  try {
    const existing = await client.paginate(client.rest.pulls.listReviewComments, { ...pull, per_page: 100 });
    const ours = new Set<string>();
    for (const c of existing) {
      // Anyone can paste a marker into a comment of their own: only the bot's comments count.
      if (c.user?.login !== author) continue;
      const fingerprint = markedFingerprint(c.body);
      if (fingerprint) ours.add(fingerprint);
    }
    fresh = [];
    for (const planned of plan.comments) {
      if (ours.has(markerId(planned.finding.fingerprint))) result.alreadyCommented.push(planned.finding);
      else fresh.push(planned);
    }
  } catch (error) {
    const status = statusOf(error);
    if (status === undefined) throw error;
    return notSent(
      plan.comments,
      refusal(status, error, 'read the review comments', plan.comments.length, secrets),
    );
  }
  if (fresh.length === 0) {
    const n = result.alreadyCommented.length;
    result.skipped = {
      reason: 'already-commented',
      message: `the ${n} inline comment${n === 1 ? ' is' : 's are'} already on the pull request`,
    };
    return result;
  }

  try {
    const { data } = await client.rest.pulls.createReview({
      ...pull,
      commit_id: ctx.headSha,
      event: 'COMMENT',
      body: reviewBody(fresh.length, result.outside.length),
      comments: fresh.map((c) => c.comment),
    });
    result.posted = fresh.length;
    if (data.html_url) result.url = data.html_url;
    return result;
  } catch (error) {
    const status = statusOf(error);
    if (status === undefined) throw error;
    return notSent(fresh, refusal(status, error, 'post the review', fresh.length, secrets));
  }
}

/** What a refusal means for the review, and one sentence saying so. */
function refusal(
  status: number,
  error: unknown,
  doing: string,
  count: number,
  secrets: readonly string[],
): ReviewSkip & { reason: 'rejected' | 'read-only' | 'rate-limited' | 'failed' } {
  const said = displayLine((error as Error).message ?? '', secrets).slice(0, 300);
  const instead = `${count} finding${count === 1 ? '' : 's'} go${count === 1 ? 'es' : ''} to the summary comment instead`;
  if (/rate limit/i.test(said) || status === 429)
    return {
      reason: 'rate-limited',
      message: `GitHub's rate limit stopped the inline review (${status}); ${instead}`,
    };
  if (status === 403)
    return {
      reason: 'read-only',
      message: `the token may not ${doing} (403: a read-only token, as on pull requests from forks); ${instead}`,
    };
  if (status === 422)
    return { reason: 'rejected', message: `GitHub refused the inline review (422: ${said}); ${instead}` };
  return { reason: 'failed', message: `GitHub could not ${doing} (${status}: ${said}); ${instead}` };
}

function reviewBody(posted: number, outside: number): string {
  const lines = [
    `**claude-guard**: ${posted} new finding${posted === 1 ? '' : 's'} on lines this pull request changes.`,
  ];
  if (outside > 0)
    lines.push(`${outside} more ${outside === 1 ? 'is' : 'are'} listed in the claude-guard summary comment.`);
  return lines.join(' ');
}
