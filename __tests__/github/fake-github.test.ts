/**
 * The fake GitHub is right: it accepts what GitHub accepts, refuses what GitHub refuses, in GitHub's words,
 * pages like GitHub, and leaves nothing running. Requests go through Node's fetch and through the Octokit
 * the action builds (`getOctokit` from `@actions/github`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import {
  FAKE_TOKEN,
  GITHUB_ACTIONS_BOT,
  SECONDARY_RATE_LIMIT_MESSAGE,
  addedFilePatch,
  exampleEvents,
  humanUser,
  hunk,
  mergeGroupEvent,
  parsePatch,
  patchFor,
  pullRequestEvent,
  scheduleEvent,
  secondaryRateLimit,
  startFakeGitHub,
  workflowEnv,
  type FakeGitHub,
} from './fake-github.js';
import { loadContract } from './openapi-contract.js';

const REPO = 'octo-org/guarded';
const [OWNER, NAME] = REPO.split('/') as [string, string];
const HEAD = 'a1'.repeat(20);
const MARKER = '<!-- claude-guard:v1 -->';

let gh: FakeGitHub;
let setupMs = 0;

beforeAll(async () => {
  const started = performance.now();
  gh = await startFakeGitHub({ now: () => new Date('2026-11-24T12:00:00Z') });
  setupMs = performance.now() - started;
});

afterAll(async () => {
  await gh.close();
});

afterEach(() => {
  gh.violations.length = 0;
  gh.rejections.length = 0;
  gh.readOnly = false;
});

function octokit() {
  return getOctokit(FAKE_TOKEN, { baseUrl: gh.url });
}

async function call(method: string, path: string, body?: unknown, token: string | null = FAKE_TOKEN) {
  const res = await fetch(gh.url + path, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      ...(token ? { authorization: `token ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, json: json as Record<string, unknown> & unknown[] };
}

function annotations(n: number, from = 1) {
  return Array.from({ length: n }, (_, i) => ({
    path: '.claude/settings.json',
    start_line: from + i,
    end_line: from + i,
    annotation_level: 'failure' as const,
    message: `finding ${from + i}`,
  }));
}

describe('loading GitHub’s REST description', () => {
  test('takes well under a few seconds per test file, and compiled validators are reused', () => {
    const { contract } = loadContract();
    const match = contract.match('POST', `/repos/${OWNER}/${NAME}/check-runs`);
    if (!('operation' in match)) throw new Error('checks/create not found');
    const body = { present: true as const, value: { name: 'x', head_sha: HEAD } };
    const first = performance.now();
    contract.check(match, new URLSearchParams(), body);
    const compileMs = performance.now() - first;
    const again = performance.now();
    contract.check(match, new URLSearchParams(), body);
    const cachedMs = performance.now() - again;
    console.log(
      `fake GitHub setup ${setupMs.toFixed(0)} ms (description read and parsed: ${gh.contractLoadMs.toFixed(0)} ms); ` +
        `checks/create validators compiled in ${compileMs.toFixed(1)} ms, then ${cachedMs.toFixed(2)} ms per check`,
    );
    expect(setupMs).toBeLessThan(5000);
    expect(cachedMs).toBeLessThan(compileMs + 1);
  });

  test('nullable fields accept null, and multi-segment path parameters keep their slashes', () => {
    const { contract } = loadContract();
    const issue = contract.match('PATCH', '/repos/o/r/issues/3');
    if (!('operation' in issue)) throw new Error('issues/update not found');
    expect(
      contract.check(issue, new URLSearchParams(), { present: true, value: { milestone: null, body: null } }),
    ).toEqual([]);
    const content = contract.match('GET', '/repos/o/r/contents/.claude/settings.json');
    expect('operation' in content && content.params.path).toBe('.claude/settings.json');
    const runs = contract.match('GET', '/repos/o/r/commits/heads%2Fmain/check-runs');
    expect('operation' in runs && [runs.operation.operationId, runs.params.ref]).toEqual([
      'checks/list-for-ref',
      'heads/main',
    ]);
    const literal = contract.match('GET', '/repos/o/r/pulls/comments');
    expect('operation' in literal && literal.operation.operationId).toBe(
      'pulls/list-review-comments-for-repo',
    );
  });
});

describe('check runs', () => {
  test('a valid create through Octokit is accepted and stored', async () => {
    const res = await octokit().rest.checks.create({
      owner: OWNER,
      repo: NAME,
      name: 'claude-guard',
      head_sha: HEAD,
      status: 'completed',
      conclusion: 'failure',
      completed_at: '2026-11-24T12:00:00Z',
      output: { title: '2 findings', summary: '## claude-guard', annotations: annotations(2) },
    });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['x-github-request-id']).toMatch(/^[0-9A-F:]+$/);
    expect(res.headers['x-ratelimit-limit']).toBe('1000');
    expect(res.data.output.annotations_count).toBe(2);
    expect(res.data.app?.slug).toBe('github-actions');
    const [run] = gh.state.checkRuns(REPO, HEAD);
    expect(run).toMatchObject({
      name: 'claude-guard',
      head_sha: HEAD,
      status: 'completed',
      conclusion: 'failure',
    });
    expect(run?.output.summary).toBe('## claude-guard');
    expect(gh.violations).toEqual([]);
    expect(gh.rejections).toEqual([]);
  });

  test('a wrong enum or a missing required field is a violation and a 422', async () => {
    const before = gh.state.checkRuns(REPO).length;
    const badLevel = await call('POST', `/repos/${REPO}/check-runs`, {
      name: 'claude-guard',
      head_sha: HEAD,
      output: {
        title: 't',
        summary: 's',
        annotations: [{ ...annotations(1)[0], annotation_level: 'error' }],
      },
    });
    expect(badLevel.status).toBe(422);
    expect(badLevel.json.message).toMatch(
      /^Invalid request\.\n\n.*annotation_level.*"notice","warning","failure"/s,
    );
    const noSha = await call('POST', `/repos/${REPO}/check-runs`, { name: 'claude-guard' });
    expect(noSha.status).toBe(422);
    expect(gh.violations).toEqual([
      expect.stringMatching(
        /^checks\/create .*annotations\/0\/annotation_level: must be equal to one of the allowed values/,
      ),
      expect.stringMatching(/^checks\/create .*must have required property 'head_sha'/),
    ]);
    expect(gh.state.checkRuns(REPO).length).toBe(before);
  });

  test('completing without a conclusion is refused by the update schema', async () => {
    const created = await octokit().rest.checks.create({
      owner: OWNER,
      repo: NAME,
      name: 'c',
      head_sha: HEAD,
      status: 'in_progress',
    });
    const res = await call('PATCH', `/repos/${REPO}/check-runs/${created.data.id}`, { status: 'completed' });
    expect(res.status).toBe(422);
    expect(gh.violations.some((v) => v.startsWith('checks/update') && v.includes("'conclusion'"))).toBe(true);
  });

  test('51 annotations in one request are refused; 50 per request accumulate across updates', async () => {
    const o = octokit();
    await expect(
      o.rest.checks.create({
        owner: OWNER,
        repo: NAME,
        name: 'many',
        head_sha: HEAD,
        output: { title: 't', summary: 's', annotations: annotations(51) },
      }),
    ).rejects.toMatchObject({ status: 422 });
    expect(gh.violations).toEqual([expect.stringMatching(/annotations: must NOT have more than 50 items/)]);
    gh.violations.length = 0;

    const run = await o.rest.checks.create({
      owner: OWNER,
      repo: NAME,
      name: 'many',
      head_sha: HEAD,
      status: 'in_progress',
      output: { title: 't', summary: 's', annotations: annotations(50) },
    });
    await o.rest.checks.update({
      owner: OWNER,
      repo: NAME,
      check_run_id: run.data.id,
      conclusion: 'failure',
      output: { summary: 's2', annotations: annotations(50, 51) },
    });
    const stored = gh.state.checkRuns(REPO).find((r) => r.id === run.data.id);
    expect(stored?.annotations.map((a) => a.start_line)).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    expect(stored).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: { title: 't', summary: 's2' },
    });
    const listed = await o.paginate(o.rest.checks.listAnnotations, {
      owner: OWNER,
      repo: NAME,
      check_run_id: run.data.id,
      per_page: 30,
    });
    expect(listed).toHaveLength(100);
    expect(gh.violations).toEqual([]);
  });

  test('the summary limit is 65535 bytes of UTF-8, not characters', async () => {
    const create = (summary: string) =>
      call('POST', `/repos/${REPO}/check-runs`, {
        name: 'size',
        head_sha: HEAD,
        output: { title: 't', summary },
      });
    expect((await create('x'.repeat(65535))).status).toBe(201);
    expect((await create('é'.repeat(32767) + 'x')).status).toBe(201); // 65535 bytes
    const tooManyBytes = await create('é'.repeat(40000)); // 40000 characters, 80000 bytes
    expect(tooManyBytes.status).toBe(422);
    expect(JSON.stringify(tooManyBytes.json)).toContain('summary exceeds a maximum bytesize of 65535');
    expect(gh.violations).toEqual([]);
    expect(gh.rejections).toEqual([expect.stringContaining('output.summary is 80000 bytes')]);
    const tooManyCharacters = await create('x'.repeat(65536));
    expect(tooManyCharacters.status).toBe(422);
    expect(gh.violations).toEqual([
      expect.stringMatching(/output\/summary: must NOT have more than 65535 characters/),
    ]);
  });

  test('list for a ref: the latest run per name, paginated, with the PR it belongs to', async () => {
    gh.state.addPull(REPO, { number: 40, head: { sha: 'f0'.repeat(20) } });
    gh.state.addCheckRun(REPO, {
      name: 'other-app',
      head_sha: 'f0'.repeat(20),
      app: { id: 1, slug: 'other', name: 'Other' },
    });
    const o = octokit();
    await o.rest.checks.create({ owner: OWNER, repo: NAME, name: 'claude-guard', head_sha: 'f0'.repeat(20) });
    const latest = await o.rest.checks.create({
      owner: OWNER,
      repo: NAME,
      name: 'claude-guard',
      head_sha: 'f0'.repeat(20),
    });
    const res = await o.rest.checks.listForRef({
      owner: OWNER,
      repo: NAME,
      ref: 'f0'.repeat(20),
      check_name: 'claude-guard',
    });
    expect(res.data.total_count).toBe(1);
    expect(res.data.check_runs[0]?.id).toBe(latest.data.id);
    expect(res.data.check_runs[0]?.pull_requests.map((p) => p.number)).toEqual([40]);
    const other = gh.state.checkRuns(REPO, 'f0'.repeat(20)).find((r) => r.name === 'other-app');
    await expect(
      o.rest.checks.update({ owner: OWNER, repo: NAME, check_run_id: other?.id ?? 0, conclusion: 'success' }),
    ).rejects.toMatchObject({ status: 403 });
    expect(gh.rejections).toEqual([expect.stringContaining('belongs to the app other')]);
  });
});

describe('issue comments', () => {
  const PR = 12;

  beforeAll(() => {
    gh.state.addPull(REPO, { number: PR, head: { sha: HEAD } });
    const someone = humanUser('mallory');
    for (let i = 1; i <= 65; i++)
      gh.state.addComment(REPO, PR, {
        body: i === 5 ? `quoting you: ${MARKER}` : `comment ${i}`,
        user: i % 2 ? someone : GITHUB_ACTIONS_BOT,
      });
  });

  test('pages of 30 with Link headers built on the fake’s own URL', async () => {
    const base = `${gh.url}/repos/${REPO}/issues/${PR}/comments`;
    const page1 = await call('GET', `/repos/${REPO}/issues/${PR}/comments`);
    expect(page1.json).toHaveLength(30);
    expect(page1.headers.get('link')).toBe(`<${base}?page=2>; rel="next", <${base}?page=3>; rel="last"`);
    const page2 = await call('GET', `/repos/${REPO}/issues/${PR}/comments?per_page=30&page=2`);
    expect(page2.headers.get('link')).toBe(
      `<${base}?per_page=30&page=1>; rel="prev", <${base}?per_page=30&page=3>; rel="next", ` +
        `<${base}?per_page=30&page=3>; rel="last", <${base}?per_page=30&page=1>; rel="first"`,
    );
    const page3 = await call('GET', `/repos/${REPO}/issues/${PR}/comments?page=3`);
    expect(page3.json).toHaveLength(5);
    expect(page3.headers.get('link')).toBe(`<${base}?page=2>; rel="prev", <${base}?page=1>; rel="first"`);
    const comment = (page1.json as unknown as Array<Record<string, unknown>>)[1];
    expect(comment).toMatchObject({
      body: 'comment 2',
      user: { login: 'github-actions[bot]', type: 'Bot', id: 41898282 },
      created_at: '2026-11-24T12:00:00Z',
      html_url: expect.stringMatching(
        new RegExp(`^https://github.com/${REPO}/pull/${PR}#issuecomment-\\d+$`),
      ),
      node_id: expect.any(String),
    });
    const big = await call('GET', `/repos/${REPO}/issues/${PR}/comments?per_page=500`);
    expect(big.json).toHaveLength(65); // GitHub serves at most 100 a page; 65 fit
    expect(big.headers.get('link')).toBeNull();
    expect(gh.violations).toEqual([]);
  });

  test('Octokit’s paginate gets every comment, in ascending id order', async () => {
    const o = octokit();
    const all = await o.paginate(o.rest.issues.listComments, { owner: OWNER, repo: NAME, issue_number: PR });
    expect(all).toHaveLength(65);
    expect(all.map((c) => c.id)).toEqual([...all.map((c) => c.id)].sort((a, b) => a - b));
    const pages = gh.requests.filter(
      (r) => r.operationId === 'issues/list-comments' && r.query.page !== '500',
    );
    expect(pages.slice(-3).map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3']);
  });

  test('the token edits its own comment; another user’s comment with the marker is 403', async () => {
    const o = octokit();
    const created = await o.rest.issues.createComment({
      owner: OWNER,
      repo: NAME,
      issue_number: PR,
      body: `${MARKER}\nfirst`,
    });
    expect(created.status).toBe(201);
    expect(created.data.user?.login).toBe('github-actions[bot]');
    const edited = await o.rest.issues.updateComment({
      owner: OWNER,
      repo: NAME,
      comment_id: created.data.id,
      body: `${MARKER}\nsecond`,
    });
    expect(edited.data.body).toBe(`${MARKER}\nsecond`);
    const impostor = gh.state
      .comments(REPO, PR)
      .find((c) => c.body.includes(MARKER) && c.user.login === 'mallory');
    await expect(
      o.rest.issues.updateComment({
        owner: OWNER,
        repo: NAME,
        comment_id: impostor?.id ?? 0,
        body: 'taken over',
      }),
    ).rejects.toMatchObject({ status: 403 });
    expect(impostor?.body).toBe(`quoting you: ${MARKER}`);
    expect(gh.rejections).toEqual([expect.stringContaining('written by mallory')]);
    await o.rest.issues.deleteComment({ owner: OWNER, repo: NAME, comment_id: created.data.id });
    expect(gh.state.comments(REPO, PR).some((c) => c.id === created.data.id)).toBe(false);
  });

  test('a body over 65536 characters is refused with GitHub’s message', async () => {
    const res = await call('POST', `/repos/${REPO}/issues/${PR}/comments`, { body: 'x'.repeat(65537) });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({
      message: 'Validation Failed',
      errors: [
        {
          resource: 'IssueComment',
          code: 'unprocessable',
          field: 'data',
          message: 'Body is too long (maximum is 65536 characters)',
        },
      ],
    });
  });

  test('comments on an issue that does not exist are 404', async () => {
    expect((await call('GET', `/repos/${REPO}/issues/999/comments`)).status).toBe(404);
  });
});

describe('tokens', () => {
  test('a read-only token (fork PR) gets 403 on every write, and reads still work', async () => {
    gh.readOnly = true;
    const o = octokit();
    const denied = await o.rest.checks
      .create({ owner: OWNER, repo: NAME, name: 'x', head_sha: HEAD })
      .catch((e: unknown) => e);
    expect(denied).toMatchObject({
      status: 403,
      response: {
        data: {
          message: 'Resource not accessible by integration',
          documentation_url: expect.stringContaining('docs.github.com'),
          status: '403',
        },
      },
    });
    await expect(
      o.rest.issues.createComment({ owner: OWNER, repo: NAME, issue_number: 12, body: 'x' }),
    ).rejects.toMatchObject({ status: 403 });
    const reads = await o.rest.issues.listComments({ owner: OWNER, repo: NAME, issue_number: 12 });
    expect(reads.status).toBe(200);
    expect(gh.violations).toEqual([]);
  });

  test('no Authorization or a wrong token is 401', async () => {
    expect((await call('GET', `/repos/${REPO}`, undefined, null)).json).toMatchObject({
      message: 'Requires authentication',
    });
    const wrong = await call('GET', `/repos/${REPO}`, undefined, 'ghs_wrong');
    expect([wrong.status, wrong.json.message]).toEqual([401, 'Bad credentials']);
  });

  test('GET /user is 403 for an installation token', async () => {
    await expect(octokit().rest.users.getAuthenticated()).rejects.toMatchObject({
      status: 403,
      response: {
        data: { documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user' },
      },
    });
  });
});

describe('faults', () => {
  test('failNext answers a 502 once, then the endpoint works again; Octokit with the retry plugin recovers', async () => {
    gh.failNext({
      method: 'GET',
      path: /\/repos\/[^/]+\/[^/]+$/,
      status: 502,
      body: { message: 'Server Error' },
    });
    expect((await call('GET', `/repos/${REPO}`)).status).toBe(502);
    expect((await call('GET', `/repos/${REPO}`)).status).toBe(200);

    gh.failNext({ method: 'GET', path: /\/repos\/[^/]+\/[^/]+$/, status: 502 });
    const o = getOctokit(FAKE_TOKEN, { baseUrl: gh.url, retry: { retryAfterBaseValue: 1 } }, retry);
    const res = await o.rest.repos.get({ owner: OWNER, repo: NAME });
    expect(res.data.full_name).toBe(REPO);
    const last = gh.requests.slice(-2);
    expect(last.map((r) => [r.status, r.fault])).toEqual([
      [502, true],
      [200, false],
    ]);
  });

  test('a secondary rate limit: 403, retry-after, GitHub’s message; the throttling plugin waits and retries', async () => {
    gh.failNext(secondaryRateLimit({ path: /\/issues\/12\/comments$/ }));
    const res = await call('GET', `/repos/${REPO}/issues/12/comments`);
    expect(res.status).toBe(403);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(String(res.json.message)).toContain(SECONDARY_RATE_LIMIT_MESSAGE);
    expect(String(res.json.message)).toContain(res.headers.get('x-github-request-id') ?? '?');

    gh.failNext(secondaryRateLimit({ path: /\/issues\/12\/comments$/ }));
    const waits: number[] = [];
    const o = getOctokit(
      FAKE_TOKEN,
      {
        baseUrl: gh.url,
        throttle: {
          retryAfterBaseValue: 1,
          onRateLimit: () => false,
          onSecondaryRateLimit: (retryAfter: number) => {
            waits.push(retryAfter);
            return true;
          },
        },
      },
      throttling,
    );
    const list = await o.rest.issues.listComments({ owner: OWNER, repo: NAME, issue_number: 12 });
    expect(list.status).toBe(200);
    expect(waits).toEqual([1]);
    expect(gh.requests.filter((r) => r.fault).length).toBeGreaterThanOrEqual(3);
  });

  test('the primary limit: after `rateLimit` requests, 403 with x-ratelimit-remaining 0', async () => {
    const small = await startFakeGitHub({ rateLimit: 2 });
    try {
      const get = () =>
        fetch(`${small.url}/repos/${REPO}`, { headers: { authorization: `token ${FAKE_TOKEN}` } }).then(
          async (r) => ({
            status: r.status,
            remaining: r.headers.get('x-ratelimit-remaining'),
            body: (await r.json()) as { message: string },
          }),
        );
      expect((await get()).remaining).toBe('1');
      expect((await get()).remaining).toBe('0');
      const third = await get();
      expect([third.status, third.remaining, third.body.message]).toEqual([
        403,
        '0',
        'API rate limit exceeded for installation ID 1.',
      ]);
    } finally {
      await small.close();
    }
  });
});

describe('pull requests and reviews', () => {
  const PR = 21;
  const settingsPatch = patchFor(
    hunk(1, 1, [
      ' {',
      '-  "permissions": {}',
      '+  "permissions": { "allow": ["Bash(*)"] },',
      '+  "env": {}',
      ' }',
    ]),
    hunk(20, 21, [' "a": 1,', '+"b": 2,', ' "c": 3']),
  );

  beforeAll(() => {
    gh.state.addPull(REPO, {
      number: PR,
      head: { sha: HEAD },
      files: [
        { filename: '.claude/settings.json', patch: settingsPatch },
        { filename: 'CLAUDE.md', patch: addedFilePatch('# Rules\nRun anything.\n'), status: 'added' },
        { filename: 'logo.png', status: 'added' },
      ],
    });
  });

  test('the patch helpers write git’s hunk headers and read back each side’s lines', () => {
    expect(settingsPatch.split('\n')[0]).toBe('@@ -1,3 +1,4 @@');
    expect(addedFilePatch('one\n')).toBe('@@ -0,0 +1 @@\n+one');
    const parsed = parsePatch(settingsPatch);
    expect(parsed.hunks.map((h) => [[...h.left], [...h.right]])).toEqual([
      [
        [1, 2, 3],
        [1, 2, 3, 4],
      ],
      [
        [20, 21],
        [21, 22, 23],
      ],
    ]);
    expect([parsed.additions, parsed.deletions, parsed.positions]).toEqual([3, 1, 9]);
  });

  test('get and list files (paginated, patch absent for a binary file)', async () => {
    const o = octokit();
    const pull = await o.rest.pulls.get({ owner: OWNER, repo: NAME, pull_number: PR });
    expect(pull.data).toMatchObject({
      number: PR,
      head: { sha: HEAD, repo: { full_name: REPO, fork: false } },
      changed_files: 3,
    });
    const files = await o.paginate(o.rest.pulls.listFiles, {
      owner: OWNER,
      repo: NAME,
      pull_number: PR,
      per_page: 2,
    });
    expect(files.map((f) => [f.filename, f.additions, f.deletions, f.patch !== undefined])).toEqual([
      ['.claude/settings.json', 3, 1, true],
      ['CLAUDE.md', 2, 0, true],
      ['logo.png', 0, 0, false],
    ]);
    const diff = await o.rest.pulls.get({
      owner: OWNER,
      repo: NAME,
      pull_number: PR,
      mediaType: { format: 'diff' },
    });
    expect(String(diff.data)).toContain('diff --git a/CLAUDE.md b/CLAUDE.md');
    expect(gh.violations).toEqual([]);
  });

  test('a review whose comments are all inside hunks is stored, with its comments', async () => {
    const o = octokit();
    const review = await o.rest.pulls.createReview({
      owner: OWNER,
      repo: NAME,
      pull_number: PR,
      commit_id: HEAD,
      event: 'COMMENT',
      body: 'claude-guard found 2 problems',
      comments: [
        { path: '.claude/settings.json', line: 2, side: 'RIGHT', body: 'Bash(*) allows any command' },
        { path: '.claude/settings.json', line: 2, side: 'LEFT', body: 'was empty' },
        { path: '.claude/settings.json', start_line: 21, line: 22, body: 'range' },
        { path: 'CLAUDE.md', line: 2, body: 'instruction' },
      ],
    });
    expect(review.data).toMatchObject({
      state: 'COMMENTED',
      commit_id: HEAD,
      user: { login: 'github-actions[bot]' },
    });
    const pull = gh.state.repo(REPO).pulls.get(PR);
    expect(pull?.reviewComments.filter((c) => c.review_id === review.data.id)).toHaveLength(4);
    expect(gh.violations).toEqual([]);
    expect(gh.rejections).toEqual([]);
  });

  test('one comment outside the diff fails the whole review with 422, in GitHub’s words', async () => {
    const pull = gh.state.repo(REPO).pulls.get(PR);
    const before = pull?.reviews.length;
    const failed = await octokit()
      .rest.pulls.createReview({
        owner: OWNER,
        repo: NAME,
        pull_number: PR,
        event: 'COMMENT',
        body: 'b',
        comments: [
          { path: 'CLAUDE.md', line: 1, body: 'fine' },
          { path: '.claude/settings.json', line: 10, side: 'RIGHT', body: 'between the hunks' },
        ],
      })
      .catch((e: unknown) => e);
    expect(failed).toMatchObject({
      status: 422,
      response: {
        data: {
          message: 'Unprocessable Entity',
          errors: [
            "Pull request review thread line must be part of the diff and Pull request review thread diff hunk can't be blank",
          ],
        },
      },
    });
    expect(pull?.reviews.length).toBe(before);
    expect(gh.rejections).toEqual([expect.stringContaining('refused as a whole')]);
  });

  test.each([
    [{ path: 'logo.png', line: 1, body: 'binary' }, 'line must be part of the diff'],
    [{ path: 'nope.txt', line: 1, body: 'not in the PR' }, 'path is invalid'],
    [{ path: '.claude/settings.json', start_line: 3, line: 21, body: 'two hunks' }, 'same hunk'],
    [
      { path: '.claude/settings.json', start_line: 3, line: 3, body: 'one line' },
      'must precede the end line',
    ],
    [
      { path: '.claude/settings.json', line: 4, side: 'LEFT', body: 'added line on the left' },
      'line must be part of the diff',
    ],
  ])('review comment %o is refused: %s', async (comment, words) => {
    const res = await call('POST', `/repos/${REPO}/pulls/${PR}/reviews`, {
      event: 'COMMENT',
      body: 'b',
      comments: [comment],
    });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.json.errors)).toContain(words);
  });

  test('APPROVE with GITHUB_TOKEN is refused unless the repository allows it', async () => {
    const res = await call('POST', `/repos/${REPO}/pulls/${PR}/reviews`, { event: 'APPROVE' });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual(['GitHub Actions is not permitted to approve pull requests.']);
  });
});

describe('contents, repository, unknown routes', () => {
  test('a file seeded at a ref comes back base64-encoded; other refs and paths are 404', async () => {
    gh.state.addFile(REPO, HEAD, '.claude/settings.json', '{"permissions":{}}\n');
    const o = octokit();
    const res = await o.rest.repos.getContent({
      owner: OWNER,
      repo: NAME,
      path: '.claude/settings.json',
      ref: HEAD,
    });
    const data = res.data as { type: string; encoding: string; content: string };
    expect([data.type, data.encoding]).toEqual(['file', 'base64']);
    expect(Buffer.from(data.content, 'base64').toString('utf8')).toBe('{"permissions":{}}\n');
    const dir = await o.rest.repos.getContent({ owner: OWNER, repo: NAME, path: '.claude', ref: HEAD });
    expect((dir.data as Array<{ name: string }>).map((e) => e.name)).toEqual(['settings.json']);
    await expect(
      o.rest.repos.getContent({ owner: OWNER, repo: NAME, path: 'missing', ref: HEAD }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      o.rest.repos.getContent({ owner: OWNER, repo: NAME, path: '.claude/settings.json', ref: 'other' }),
    ).rejects.toMatchObject({ status: 404 });
    expect(gh.violations).toEqual([]);
  });

  test('an unknown route is 404 and a violation; so is a method the path does not have', async () => {
    expect((await call('GET', `/repos/${REPO}/claude-guard`)).status).toBe(404);
    expect((await call('PUT', `/repos/${REPO}/check-runs`, {})).status).toBe(404);
    expect(gh.violations).toEqual([
      expect.stringContaining("no operation in GitHub's REST description"),
      expect.stringContaining('has this path but no PUT operation'),
    ]);
  });

  test('commit statuses: a description over 140 characters is refused; the combined state', async () => {
    const o = octokit();
    const sha = 'c0'.repeat(20);
    await expect(
      o.rest.repos.createCommitStatus({
        owner: OWNER,
        repo: NAME,
        sha,
        state: 'failure',
        description: 'x'.repeat(141),
      }),
    ).rejects.toMatchObject({ status: 422 });
    await o.rest.repos.createCommitStatus({
      owner: OWNER,
      repo: NAME,
      sha,
      state: 'pending',
      context: 'claude-guard',
    });
    await o.rest.repos.createCommitStatus({
      owner: OWNER,
      repo: NAME,
      sha,
      state: 'failure',
      context: 'claude-guard',
    });
    const combined = await o.rest.repos.getCombinedStatusForRef({ owner: OWNER, repo: NAME, ref: sha });
    expect([combined.data.state, combined.data.total_count]).toEqual(['failure', 1]);
  });

  test('an operation GitHub has but the fake does not implement is a 501 and a violation', async () => {
    expect((await call('GET', `/repos/${REPO}/branches`)).status).toBe(501);
    expect(gh.violations).toEqual([expect.stringContaining('the fake does not implement')]);
  });

  test('every request is recorded with its operation, query, body and answer', () => {
    const create = gh.requests.find((r) => r.operationId === 'issues/create-comment' && r.status === 201);
    expect(create).toMatchObject({
      method: 'POST',
      path: `/repos/${REPO}/issues/12/comments`,
      headers: { authorization: `token ${FAKE_TOKEN}` },
      body: { body: expect.stringContaining(MARKER) },
      response: { id: expect.any(Number) },
      fault: false,
    });
  });
});

describe('event payloads', () => {
  test('the examples cover the events the action runs on', () => {
    const events = exampleEvents();
    for (const name of ['pull_request', 'push', 'merge_group', 'workflow_dispatch'])
      expect(events.has(name)).toBe(true);
    expect(events.get('pull_request')).toEqual(expect.arrayContaining(['opened', 'synchronize']));
    expect(events.has('schedule')).toBe(false); // no webhook: scheduleEvent builds it
  });

  test('a pull_request payload is set to the repository, head and base, from a fork or not', () => {
    const own = pullRequestEvent({
      owner: OWNER,
      repo: NAME,
      number: 7,
      headSha: HEAD,
      baseSha: 'b0'.repeat(20),
    });
    expect(own.pull_request.head.repo?.full_name).toBe(REPO);
    expect([
      own.number,
      own.pull_request.number,
      own.pull_request.head.sha,
      own.pull_request.base.sha,
    ]).toEqual([7, 7, HEAD, 'b0'.repeat(20)]);
    const fork = pullRequestEvent({ owner: OWNER, repo: NAME, forkOwner: 'stranger', action: 'synchronize' });
    expect([
      fork.pull_request.head.repo?.full_name,
      fork.pull_request.head.repo?.fork,
      fork.repository.full_name,
    ]).toEqual([`stranger/${NAME}`, true, REPO]);
    // copies: changing one does not change the next
    expect(pullRequestEvent({ owner: 'x', repo: 'y' }).pull_request.head.repo?.fork).toBe(false);
  });

  test('workflowEnv writes the payload where GITHUB_EVENT_PATH points and names the fake as the API', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-github-'));
    try {
      const payload = pullRequestEvent({ owner: OWNER, repo: NAME, headSha: HEAD });
      const env = workflowEnv({
        dir,
        apiUrl: gh.url,
        eventName: 'pull_request',
        payload,
        repository: REPO,
        sha: 'm'.repeat(40),
        ref: 'refs/pull/1/merge',
      });
      expect(env.GITHUB_API_URL).toBe(gh.url);
      expect(JSON.parse(readFileSync(env.GITHUB_EVENT_PATH ?? '', 'utf8'))).toEqual(payload);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('merge_group and schedule payloads', () => {
    const mg = mergeGroupEvent({ owner: OWNER, repo: NAME, headSha: HEAD });
    expect([mg.merge_group.head_sha, mg.repository.full_name]).toEqual([HEAD, REPO]);
    expect(scheduleEvent({ owner: OWNER, repo: NAME })).toMatchObject({
      schedule: '0 3 * * 1',
      repository: { full_name: REPO },
    });
  });
});

describe('GitHub’s own request examples', () => {
  test('for checks, issues, pulls and repos all pass the contract', () => {
    const { contract } = loadContract();
    const require = createRequire(import.meta.url);
    type Examples = Record<string, { value?: unknown; $ref?: string }>;
    const spec = JSON.parse(
      readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8'),
    ) as {
      paths: Record<
        string,
        Record<
          string,
          { operationId?: string; requestBody?: { content?: Record<string, { examples?: Examples }> } }
        >
      >;
    };
    const resolve = (ref: string): { value?: unknown } =>
      ref
        .split('/')
        .slice(1)
        .reduce<Record<string, unknown>>(
          (node, key) => node[key] as Record<string, unknown>,
          spec as unknown as Record<string, unknown>,
        );
    let checked = 0;
    const refused: string[] = [];
    for (const [template, item] of Object.entries(spec.paths))
      for (const [method, op] of Object.entries(item)) {
        const examples = op.requestBody?.content?.['application/json']?.examples;
        if (!examples || !/^(checks|issues|pulls|repos)\//.test(op.operationId ?? '')) continue;
        const match = contract.match(
          method,
          template.replace(/\{[^}]+\}/g, (m) => (/(number|_id)\}$/.test(m) ? '1' : 'x')),
        );
        if (!('operation' in match) || match.operation.template !== template)
          throw new Error(`${template} does not route to itself`);
        for (const [name, example] of Object.entries(examples)) {
          const { value } = example.$ref ? resolve(example.$ref) : example;
          if (value === undefined || value === null) continue; // "no body" examples
          checked++;
          const body = contract
            .check(match, new URLSearchParams(), { present: true, value })
            .filter((p) => !p.includes(': parameter '));
          if (body.length) refused.push(`${match.operation.operationId}#${name}: ${body.join('; ')}`);
        }
      }
    expect(checked).toBeGreaterThan(100);
    expect(refused).toEqual([]);
  });
});

describe('the fake’s answers', () => {
  test('every JSON answer given in this file matches GitHub’s response schema for its status', () => {
    const { contract } = loadContract();
    const problems: string[] = [];
    let checked = 0;
    for (const r of gh.requests) {
      if (!r.operationId || r.status >= 300 || typeof r.response !== 'object') continue;
      const match = contract.match(r.method, r.path);
      if (!('operation' in match)) continue;
      checked++;
      for (const p of contract.checkResponse(match.operation, r.status, r.response))
        problems.push(p.replace(/\/\d+\//g, '/*/'));
    }
    expect([...new Set(problems)]).toEqual([]);
    expect(checked).toBeGreaterThan(30);
  });
});

describe('close', () => {
  test('close() ends the server and its keep-alive sockets; the port then refuses', async () => {
    const other = await startFakeGitHub();
    const o = getOctokit(FAKE_TOKEN, { baseUrl: other.url });
    await o.rest.repos.get({ owner: OWNER, repo: NAME });
    await other.close();
    await expect(fetch(`${other.url}/repos/${REPO}`)).rejects.toThrow();
  });
});
