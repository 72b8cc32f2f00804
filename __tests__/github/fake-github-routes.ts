/**
 * The fake's answers, by operation id: what GitHub does with a request its REST description accepts
 * (limits that are not in the description, who may edit what, pagination). Request shapes are checked
 * before a handler runs (openapi-contract.ts); pull requests and reviews are in fake-github-pulls.ts.
 */
import {
  annotationJson,
  api,
  base64Lines,
  checkRunJson,
  commentJson,
  contentEntry,
  pullJson,
  repoJson,
  statusJson,
} from './fake-github-json.js';
import { pullHandlers } from './fake-github-pulls.js';
import {
  errorBody,
  int,
  listReply,
  notFound,
  paginate,
  repoOf,
  validationFailed,
  type Handler,
  type Reply,
  type RouteContext,
} from './fake-github-reply.js';
import {
  GITHUB_ACTIONS_APP,
  type AnnotationRecord,
  type CheckRunRecord,
  type IssueCommentRecord,
  type RepoRecord,
} from './fake-github-state.js';

// ---------------------------------------------------------------------------------------------- checks

const SUMMARY_BYTES = 65535;

function checkOutputProblems(ctx: RouteContext, body: Record<string, unknown>): Reply | undefined {
  const output = body.output as Record<string, unknown> | undefined;
  if (!output) return undefined;
  for (const field of ['summary', 'text'] as const) {
    const value = output[field];
    if (typeof value === 'string' && Buffer.byteLength(value, 'utf8') > SUMMARY_BYTES)
      return validationFailed(
        ctx,
        [
          {
            resource: 'CheckRun',
            code: 'custom',
            field,
            message: `${field} exceeds a maximum bytesize of ${SUMMARY_BYTES}`,
          },
        ],
        `output.${field} is ${Buffer.byteLength(value, 'utf8')} bytes in UTF-8; GitHub allows ${SUMMARY_BYTES} bytes`,
      );
  }
  for (const a of (output.annotations ?? []) as AnnotationRecord[]) {
    if (a.title !== undefined && [...a.title].length > 255)
      return validationFailed(
        ctx,
        [
          {
            resource: 'CheckRun',
            code: 'custom',
            field: 'title',
            message: 'title is too long (maximum is 255 characters)',
          },
        ],
        `an annotation title is over 255 characters (${a.path}:${a.start_line})`,
      );
    for (const field of ['message', 'raw_details'] as const) {
      const value = a[field];
      if (typeof value === 'string' && Buffer.byteLength(value, 'utf8') > 65536)
        return validationFailed(
          ctx,
          [
            {
              resource: 'CheckRun',
              code: 'custom',
              field,
              message: `${field} exceeds a maximum bytesize of 65536`,
            },
          ],
          `an annotation ${field} is over 64 KB (${a.path}:${a.start_line})`,
        );
    }
  }
  return undefined;
}

function applyCheckRun(ctx: RouteContext, run: CheckRunRecord, body: Record<string, unknown>): void {
  for (const key of ['name', 'details_url', 'external_id', 'started_at', 'completed_at'] as const)
    if (typeof body[key] === 'string') (run as unknown as Record<string, unknown>)[key] = body[key];
  if (typeof body.status === 'string') run.status = body.status;
  if (typeof body.conclusion === 'string') {
    // "Providing conclusion will automatically set the status parameter to completed."
    run.conclusion = body.conclusion;
    run.status = 'completed';
  }
  if (run.status === 'completed' && !run.completed_at) run.completed_at = ctx.state.now();
  const output = body.output as Record<string, unknown> | undefined;
  if (output) {
    if (typeof output.title === 'string') run.output.title = output.title;
    if (typeof output.summary === 'string') run.output.summary = output.summary;
    if (typeof output.text === 'string') run.output.text = output.text;
    for (const a of (output.annotations ?? []) as AnnotationRecord[]) run.annotations.push({ ...a });
  }
}

function conclusionProblem(ctx: RouteContext, body: Record<string, unknown>): Reply | undefined {
  if (body.conclusion === 'stale')
    return validationFailed(
      ctx,
      [{ resource: 'CheckRun', code: 'invalid', field: 'conclusion' }],
      'only GitHub can set the conclusion "stale"',
    );
  if ((body.status === 'completed' || body.completed_at !== undefined) && body.conclusion === undefined)
    return validationFailed(
      ctx,
      [{ resource: 'CheckRun', code: 'missing_field', field: 'conclusion' }],
      'conclusion is required with status "completed" or completed_at',
    );
  return undefined;
}

function findRun(ctx: RouteContext): { repo: RepoRecord; run?: CheckRunRecord } {
  const repo = repoOf(ctx);
  return { repo, run: repo.checkRuns.find((r) => r.id === int(ctx.params.check_run_id)) };
}

const checks: Record<string, Handler> = {
  'checks/create'(ctx) {
    const b = ctx.body;
    const problem = conclusionProblem(ctx, b) ?? checkOutputProblems(ctx, b);
    if (problem) return problem;
    const repo = repoOf(ctx);
    const run = ctx.state.addCheckRun(`${repo.owner}/${repo.name}`, {
      name: String(b.name),
      head_sha: String(b.head_sha),
      status: 'queued',
      conclusion: null,
      started_at: ctx.state.now(),
      completed_at: null,
      output: { title: null, summary: null, text: null },
      annotations: [],
      app: GITHUB_ACTIONS_APP,
    });
    applyCheckRun(ctx, run, b);
    return {
      status: 201,
      json: checkRunJson(ctx, repo, run),
      headers: { location: `${api(ctx, repo)}/check-runs/${run.id}` },
    };
  },
  'checks/update'(ctx) {
    const { repo, run } = findRun(ctx);
    if (!run) return notFound(ctx);
    if (run.app.id !== GITHUB_ACTIONS_APP.id)
      return ctx.reject(
        403,
        errorBody(403, 'Resource not accessible by integration', ctx.operation.docsUrl),
        `check run ${run.id} belongs to the app ${run.app.slug}`,
      );
    const problem =
      checkOutputProblems(ctx, ctx.body) ??
      (ctx.body.conclusion === 'stale' ? conclusionProblem(ctx, ctx.body) : undefined);
    if (problem) return problem;
    applyCheckRun(ctx, run, ctx.body);
    return { status: 200, json: checkRunJson(ctx, repo, run) };
  },
  'checks/get'(ctx) {
    const { repo, run } = findRun(ctx);
    return run ? { status: 200, json: checkRunJson(ctx, repo, run) } : notFound(ctx);
  },
  'checks/list-annotations'(ctx) {
    const { repo, run } = findRun(ctx);
    if (!run) return notFound(ctx);
    return listReply(ctx, run.annotations, (a) => annotationJson(repo, run, a));
  },
  'checks/list-for-ref'(ctx) {
    const repo = repoOf(ctx);
    const ref = ctx.params.ref ?? '';
    const branch = ref.replace(/^(refs\/)?heads\//, '');
    const shas = new Set([ref]);
    for (const p of repo.pulls.values()) if (p.head.ref === branch) shas.add(p.head.sha);
    let runs = repo.checkRuns.filter((r) => shas.has(r.head_sha));
    const name = ctx.query.get('check_name');
    const status = ctx.query.get('status');
    const appId = int(ctx.query.get('app_id'));
    if (name !== null) runs = runs.filter((r) => r.name === name);
    if (status !== null) runs = runs.filter((r) => r.status === status);
    if (appId !== undefined) runs = runs.filter((r) => r.app.id === appId);
    if (ctx.query.get('filter') !== 'all') {
      const latest = new Map<string, CheckRunRecord>();
      for (const r of runs) if ((latest.get(r.name)?.id ?? -1) < r.id) latest.set(r.name, r);
      runs = runs.filter((r) => latest.get(r.name) === r);
    }
    runs = [...runs].sort((a, b) => b.id - a.id);
    const { items, headers } = paginate(ctx, runs);
    return {
      status: 200,
      json: { total_count: runs.length, check_runs: items.map((r) => checkRunJson(ctx, repo, r)) },
      headers,
    };
  },
};

// ---------------------------------------------------------------------------------------------- issue comments

const COMMENT_CHARACTERS = 65536;

function commentBodyProblem(ctx: RouteContext, body: string, create: boolean): Reply | undefined {
  const characters = [...body].length;
  if (characters > COMMENT_CHARACTERS)
    return validationFailed(
      ctx,
      [
        {
          resource: 'IssueComment',
          code: 'unprocessable',
          field: 'data',
          message: `${create ? 'Body' : 'body'} is too long (maximum is ${COMMENT_CHARACTERS} characters)`,
        },
      ],
      `the comment body has ${characters} characters; GitHub allows ${COMMENT_CHARACTERS}`,
    );
  if (body.trim() === '')
    return validationFailed(
      ctx,
      [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }],
      'the comment body is blank',
    );
  return undefined;
}

function findComment(ctx: RouteContext): { repo: RepoRecord; comment?: IssueCommentRecord } {
  const repo = repoOf(ctx);
  return { repo, comment: repo.issueComments.find((c) => c.id === int(ctx.params.comment_id)) };
}

function notYours(ctx: RouteContext, comment: IssueCommentRecord): Reply | undefined {
  if (comment.user.login === ctx.state.tokenUser.login) return undefined;
  return ctx.reject(
    403,
    errorBody(403, 'Resource not accessible by integration', ctx.operation.docsUrl),
    `comment ${comment.id} was written by ${comment.user.login}, not by the token's user ${ctx.state.tokenUser.login}`,
  );
}

const issueComments: Record<string, Handler> = {
  'issues/list-comments'(ctx) {
    const repo = repoOf(ctx);
    const number = int(ctx.params.issue_number) ?? -1;
    if (!ctx.state.hasIssue(`${repo.owner}/${repo.name}`, number)) return notFound(ctx);
    let list = ctx.state.comments(`${repo.owner}/${repo.name}`, number);
    const since = ctx.query.get('since');
    if (since) list = list.filter((c) => c.updated_at >= since);
    return listReply(ctx, list, (c) => commentJson(ctx, repo, c));
  },
  'issues/create-comment'(ctx) {
    const repo = repoOf(ctx);
    const number = int(ctx.params.issue_number) ?? -1;
    if (!ctx.state.hasIssue(`${repo.owner}/${repo.name}`, number)) return notFound(ctx);
    const body = String(ctx.body.body);
    const problem = commentBodyProblem(ctx, body, true);
    if (problem) return problem;
    const comment = ctx.state.addComment(`${repo.owner}/${repo.name}`, number, {
      body,
      user: ctx.state.tokenUser,
    });
    const json = commentJson(ctx, repo, comment);
    return { status: 201, json, headers: { location: String(json.url) } };
  },
  'issues/get-comment'(ctx) {
    const { repo, comment } = findComment(ctx);
    return comment ? { status: 200, json: commentJson(ctx, repo, comment) } : notFound(ctx);
  },
  'issues/update-comment'(ctx) {
    const { repo, comment } = findComment(ctx);
    if (!comment) return notFound(ctx);
    const body = String(ctx.body.body);
    const refused = notYours(ctx, comment) ?? commentBodyProblem(ctx, body, false);
    if (refused) return refused;
    comment.body = body;
    comment.updated_at = ctx.state.now();
    return { status: 200, json: commentJson(ctx, repo, comment) };
  },
  'issues/delete-comment'(ctx) {
    const { repo, comment } = findComment(ctx);
    if (!comment) return notFound(ctx);
    const refused = notYours(ctx, comment);
    if (refused) return refused;
    repo.issueComments.splice(repo.issueComments.indexOf(comment), 1);
    return { status: 204 };
  },
};

// ---------------------------------------------------------------------------------------------- repos

/** GitHub's compare of two commits: the files between them, at most 300, on the first page only. */
function compareReply(ctx: RouteContext, basehead: string): Reply {
  const repo = repoOf(ctx);

  const files = repo.comparisons.get(basehead);
  if (!files) return notFound(ctx);
  const base = `https://api.github.com/repos/${repo.owner}/${repo.name}`;
  return {
    status: 200,
    json: {
      url: `${base}/compare/${basehead}`,
      html_url: `https://github.com/${repo.owner}/${repo.name}/compare/${basehead}`,
      permalink_url: `https://github.com/${repo.owner}/${repo.name}/compare/${basehead}`,
      diff_url: `https://github.com/${repo.owner}/${repo.name}/compare/${basehead}.diff`,
      patch_url: `https://github.com/${repo.owner}/${repo.name}/compare/${basehead}.patch`,
      status: 'ahead',
      ahead_by: 1,
      behind_by: 0,
      total_commits: 1,
      commits: [],
      // GitHub lists at most 300 files, on the first page only.
      files: files.slice(0, 300).map((f) => ({
        sha: '0'.repeat(40),
        filename: f.filename,
        status: f.status ?? 'modified',
        additions: 1,
        deletions: 0,
        changes: 1,
        blob_url: '',
        raw_url: '',
        contents_url: '',
        ...(f.patch ? { patch: f.patch } : {}),
        ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}),
      })),
    },
  };
}

const repos: Record<string, Handler> = {
  'repos/get'(ctx) {
    return { status: 200, json: repoJson(ctx, repoOf(ctx)) };
  },
  'repos/get-content'(ctx) {
    const repo = repoOf(ctx);
    const ref = (ctx.query.get('ref') || repo.default_branch).replace(/^(refs\/)?heads\//, '');
    const files = repo.contents.get(ref);
    if (!files)
      return {
        status: 404,
        json: errorBody(404, `No commit found for the ref ${ref}`, ctx.operation.docsUrl),
      };
    const path = (ctx.params.path ?? '').replace(/^\/+|\/+$/g, '');
    const content = files.get(path);
    if (content !== undefined) {
      if (/vnd\.github(\.v3)?\.raw/.test(ctx.accept))
        return { status: 200, text: content, contentType: 'application/vnd.github.raw; charset=utf-8' };
      // Files over 1 MB come without content (encoding "none"): the raw media type is needed for them.
      const big = Buffer.byteLength(content, 'utf8') > 1024 * 1024;
      return {
        status: 200,
        json: {
          ...contentEntry(ctx, repo, ref, path, content),
          content: big ? '' : base64Lines(content),
          encoding: big ? 'none' : 'base64',
        },
      };
    }
    const prefix = path ? `${path}/` : '';
    const children = new Map<string, string | undefined>();
    for (const [p, text] of files) {
      if (!p.startsWith(prefix)) continue;
      const [head, ...rest] = p.slice(prefix.length).split('/');
      if (head) children.set(prefix + head, rest.length ? undefined : text);
    }
    if (!children.size) return notFound(ctx);
    return {
      status: 200,
      json: [...children]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([p, text]) => contentEntry(ctx, repo, ref, p, text)),
    };
  },
  'repos/compare-commits'(ctx) {
    return compareReply(ctx, `${ctx.params.base ?? ''}...${ctx.params.head ?? ''}`);
  },
  'repos/compare-commits-with-basehead'(ctx) {
    return compareReply(ctx, ctx.params.basehead ?? '');
  },
  'repos/create-commit-status'(ctx) {
    const repo = repoOf(ctx);
    const description = typeof ctx.body.description === 'string' ? ctx.body.description : null;
    if (description !== null && [...description].length > 140)
      return validationFailed(
        ctx,
        [
          {
            resource: 'Status',
            code: 'custom',
            field: 'description',
            message: 'description is too long (maximum is 140 characters)',
          },
        ],
        'a commit status description over 140 characters',
      );
    const status = {
      id: ctx.state.nextId(),
      sha: ctx.params.sha ?? '',
      state: ctx.body.state as 'error' | 'failure' | 'pending' | 'success',
      context: typeof ctx.body.context === 'string' ? ctx.body.context : 'default',
      description,
      target_url: typeof ctx.body.target_url === 'string' ? ctx.body.target_url : null,
      creator: ctx.state.tokenUser,
      created_at: ctx.state.now(),
    };
    repo.statuses.push(status);
    return { status: 201, json: statusJson(ctx, repo, status) };
  },
  'repos/get-combined-status-for-ref'(ctx) {
    const repo = repoOf(ctx);
    const latest = new Map<string, (typeof repo.statuses)[number]>();
    for (const s of repo.statuses) if (s.sha === ctx.params.ref) latest.set(s.context.toLowerCase(), s);
    const list = [...latest.values()].map((st) => {
      const { creator: _creator, ...simple } = statusJson(ctx, repo, st);
      return simple;
    });
    const state = list.some((s) => s.state === 'error' || s.state === 'failure')
      ? 'failure'
      : list.length === 0 || list.some((s) => s.state === 'pending')
        ? 'pending'
        : 'success';
    return {
      status: 200,
      json: {
        state,
        sha: ctx.params.ref,
        total_count: list.length,
        statuses: list,
        repository: repoJson(ctx, repo),
        commit_url: `${api(ctx, repo)}/commits/${ctx.params.ref}`,
        url: `${api(ctx, repo)}/commits/${ctx.params.ref}/status`,
      },
    };
  },
  'repos/list-pull-requests-associated-with-commit'(ctx) {
    const repo = repoOf(ctx);
    const sha = ctx.params.commit_sha ?? '';
    const list = [...repo.pulls.values()].filter((p) => p.commits.includes(sha));
    return listReply(ctx, list, (p) => pullJson(ctx, repo, p));
  },
};

// ---------------------------------------------------------------------------------------------- the rest

const others: Record<string, Handler> = {
  'users/get-authenticated'() {
    // An installation token (GITHUB_TOKEN) is not a user.
    return {
      status: 403,
      json: errorBody(
        403,
        'Resource not accessible by integration',
        'https://docs.github.com/rest/users/users#get-the-authenticated-user',
      ),
    };
  },
  'rate-limit/get'(ctx) {
    const core = {
      limit: ctx.rate.limit,
      used: ctx.rate.used,
      remaining: ctx.rate.remaining,
      reset: ctx.rate.reset,
    };
    return { status: 200, json: { resources: { core }, rate: core } };
  },
};

export const HANDLERS: ReadonlyMap<string, Handler> = new Map(
  Object.entries({ ...checks, ...issueComments, ...pullHandlers, ...repos, ...others }),
);
