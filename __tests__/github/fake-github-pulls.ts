/**
 * Pull requests as GitHub serves them to the action: the pull request (JSON or diff), its files, and
 * reviews, which GitHub refuses as a whole when one comment is not on a line of a diff hunk.
 */
import { fileJson, pullJson, reviewCommentJson, reviewJson } from './fake-github-json.js';
import {
  errorBody,
  int,
  listReply,
  notFound,
  repoOf,
  toSentence,
  unprocessable,
  type Handler,
  type RouteContext,
} from './fake-github-reply.js';
import type { PullRecord, RepoRecord, ReviewRecord } from './fake-github-state.js';
import { parsePatch } from './unified-diff.js';

/** GitHub lists at most 3000 files of a pull request. */
const MAX_LISTED_FILES = 3000;
const MAX_DIFF_FILES = 300;
const MAX_DIFF_LINES = 20000;

function findPull(ctx: RouteContext): { repo: RepoRecord; pull?: PullRecord } {
  const repo = repoOf(ctx);
  return { repo, pull: repo.pulls.get(int(ctx.params.pull_number) ?? -1) };
}

function diffText(pull: PullRecord): string {
  return pull.files
    .map((f) => {
      const from = f.previous_filename ?? f.filename;
      const a = f.status === 'added' ? '/dev/null' : `a/${from}`;
      const b = f.status === 'removed' ? '/dev/null' : `b/${f.filename}`;
      const body = f.patch === undefined ? 'Binary files differ' : `--- ${a}\n+++ ${b}\n${f.patch}`;
      return `diff --git a/${from} b/${f.filename}\n${body}\n`;
    })
    .join('');
}

const REVIEW_MESSAGES = [
  'Pull request review thread path is invalid',
  'Pull request review thread line must be part of the diff',
  'Pull request review thread start line must precede the end line.',
  'Pull request review thread start line must be part of the same hunk as the line.',
  'Pull request review thread side is invalid',
  "Pull request review thread diff hunk can't be blank",
  'Position could not be resolved',
];

interface ReviewCommentInput {
  path: string;
  body: string;
  line?: number;
  side?: string;
  start_line?: number;
  start_side?: string;
  position?: number;
}

/** Why GitHub would refuse these review comments (all or nothing), in its words; empty when it would not. */
export function reviewCommentProblems(pull: PullRecord, comments: readonly ReviewCommentInput[]): string[] {
  const found = new Set<string>();
  for (const c of comments) {
    const file = pull.files.find((f) => f.filename === c.path);
    if (!file) {
      found.add(REVIEW_MESSAGES[0]!).add(REVIEW_MESSAGES[5]!);
      continue;
    }
    const parsed = parsePatch(file.patch);
    if (c.line === undefined) {
      if (c.position === undefined || c.position < 1 || c.position > parsed.positions)
        found.add(REVIEW_MESSAGES[6]!);
      continue;
    }
    const side = c.side ?? 'RIGHT';
    const startSide = c.start_side ?? side;
    if ((side !== 'LEFT' && side !== 'RIGHT') || (startSide !== 'LEFT' && startSide !== 'RIGHT')) {
      found.add(REVIEW_MESSAGES[4]!);
      continue;
    }
    const hunkOf = (line: number, s: string): number =>
      parsed.hunks.findIndex((h) => (s === 'LEFT' ? h.left : h.right).has(line));
    const at = hunkOf(c.line, side);
    if (at < 0) {
      found.add(REVIEW_MESSAGES[1]!).add(REVIEW_MESSAGES[5]!);
      continue;
    }
    if (c.start_line !== undefined) {
      if (c.start_line >= c.line && startSide === side) found.add(REVIEW_MESSAGES[2]!);
      else if (hunkOf(c.start_line, startSide) !== at) found.add(REVIEW_MESSAGES[3]!);
    }
  }
  return REVIEW_MESSAGES.filter((m) => found.has(m));
}

const EVENT_STATE = new Map<string, ReviewRecord['state']>([
  ['APPROVE', 'APPROVED'],
  ['REQUEST_CHANGES', 'CHANGES_REQUESTED'],
  ['COMMENT', 'COMMENTED'],
]);

export const pullHandlers: Record<string, Handler> = {
  'pulls/get'(ctx) {
    const { repo, pull } = findPull(ctx);
    if (!pull) return notFound(ctx);
    if (/vnd\.github(\.v3)?\.(diff|patch)/.test(ctx.accept)) {
      const text = diffText(pull);
      const lines = text.split('\n').length;
      if (pull.files.length > MAX_DIFF_FILES || lines > MAX_DIFF_LINES) {
        const what =
          pull.files.length > MAX_DIFF_FILES ? `files (${MAX_DIFF_FILES})` : `lines (${MAX_DIFF_LINES})`;
        return ctx.reject(
          406,
          errorBody(
            406,
            `Sorry, the diff exceeded the maximum number of ${what}. Consider using 'List pull requests files' API or locally cloning the repository instead.`,
            ctx.operation.docsUrl,
            [{ resource: 'PullRequest', field: 'diff', code: 'too_large' }],
          ),
          `the diff of #${pull.number} is too large for the diff media type`,
        );
      }
      return { status: 200, text, contentType: 'application/vnd.github.diff; charset=utf-8' };
    }
    return { status: 200, json: pullJson(ctx, repo, pull) };
  },
  'pulls/list-files'(ctx) {
    const { repo, pull } = findPull(ctx);
    if (!pull) return notFound(ctx);
    return listReply(ctx, pull.files.slice(0, MAX_LISTED_FILES), (f) => fileJson(ctx, repo, pull, f));
  },
  'pulls/list-reviews'(ctx) {
    const { repo, pull } = findPull(ctx);
    if (!pull) return notFound(ctx);
    return listReply(ctx, pull.reviews, (r) => reviewJson(ctx, repo, pull, r));
  },
  'pulls/list-review-comments'(ctx) {
    const { repo, pull } = findPull(ctx);
    if (!pull) return notFound(ctx);
    return listReply(ctx, pull.reviewComments, (c) => reviewCommentJson(ctx, repo, pull, c));
  },
  'pulls/list-comments-for-review'(ctx) {
    const { repo, pull } = findPull(ctx);
    const id = int(ctx.params.review_id);
    if (!pull || !pull.reviews.some((r) => r.id === id)) return notFound(ctx);
    return listReply(
      ctx,
      pull.reviewComments.filter((c) => c.review_id === id),
      (c) => reviewCommentJson(ctx, repo, pull, c),
    );
  },
  'pulls/delete-pending-review'(ctx) {
    const { repo, pull } = findPull(ctx);
    const review = pull?.reviews.find((r) => r.id === int(ctx.params.review_id));
    if (!pull || !review) return notFound(ctx);
    if (review.state !== 'PENDING')
      return unprocessable(
        ctx,
        ['Can not delete a non-pending pull request review'],
        `review ${review.id} is submitted`,
      );
    pull.reviews.splice(pull.reviews.indexOf(review), 1);
    pull.reviewComments = pull.reviewComments.filter((c) => c.review_id !== review.id);
    return { status: 200, json: reviewJson(ctx, repo, pull, review) };
  },
  'pulls/create-review'(ctx) {
    const { repo, pull } = findPull(ctx);
    if (!pull) return notFound(ctx);
    const me = ctx.state.tokenUser;
    const event = typeof ctx.body.event === 'string' ? ctx.body.event : undefined;
    const body = typeof ctx.body.body === 'string' ? ctx.body.body : '';
    const comments = (ctx.body.comments ?? []) as ReviewCommentInput[];
    const commitId = typeof ctx.body.commit_id === 'string' ? ctx.body.commit_id : pull.head.sha;
    if (!pull.commits.includes(commitId))
      return unprocessable(
        ctx,
        [`No commit found for SHA: ${commitId}`],
        `commit_id ${commitId} is not a commit of #${pull.number}`,
      );
    if (event === 'APPROVE' && me.type === 'Bot' && !ctx.allowApprove)
      return unprocessable(
        ctx,
        ['GitHub Actions is not permitted to approve pull requests.'],
        'APPROVE with GITHUB_TOKEN needs "Allow GitHub Actions to create and approve pull requests"',
      );
    if ((event === 'APPROVE' || event === 'REQUEST_CHANGES') && pull.user.login === me.login)
      return unprocessable(
        ctx,
        [`Review Can not ${event === 'APPROVE' ? 'approve' : 'request changes on'} your own pull request`],
        'a review of your own pull request',
      );
    if ((event === 'COMMENT' || event === 'REQUEST_CHANGES') && body.trim() === '' && comments.length === 0)
      return unprocessable(ctx, ["Body can't be blank"], `${event} review with neither a body nor comments`);
    if (!event && pull.reviews.some((r) => r.state === 'PENDING' && r.user.login === me.login))
      return unprocessable(
        ctx,
        ['User can only have one pending review per pull request'],
        'a second pending review',
      );
    const problems = reviewCommentProblems(pull, comments);
    if (problems.length)
      return unprocessable(
        ctx,
        problems,
        `review on #${pull.number} refused as a whole: ${toSentence(problems)} (${comments.length} comments)`,
      );
    const now = ctx.state.now();
    const review: ReviewRecord = {
      id: ctx.state.nextId(),
      user: me,
      body,
      state: event ? (EVENT_STATE.get(event) ?? 'COMMENTED') : 'PENDING',
      commit_id: commitId,
      submitted_at: event ? now : null,
    };
    pull.reviews.push(review);
    for (const c of comments)
      pull.reviewComments.push({
        id: ctx.state.nextId(),
        review_id: review.id,
        path: c.path,
        body: c.body,
        line: c.line ?? null,
        side: c.line !== undefined ? ((c.side ?? 'RIGHT') as 'LEFT' | 'RIGHT') : null,
        start_line: c.start_line ?? null,
        start_side:
          c.start_line !== undefined ? ((c.start_side ?? c.side ?? 'RIGHT') as 'LEFT' | 'RIGHT') : null,
        position: c.position ?? null,
        commit_id: commitId,
        user: me,
        created_at: now,
        updated_at: now,
      });
    return { status: 200, json: reviewJson(ctx, repo, pull, review) };
  },
};
