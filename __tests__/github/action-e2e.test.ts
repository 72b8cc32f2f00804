/**
 * The action as a runner runs it — the bundle from a bare copy of `action.yml` + `dist/`, every input set
 * with its default, the event payload from GitHub's examples — against a fake GitHub on 127.0.0.1 that checks
 * every request against GitHub's REST API description.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { actionOutput, bareCopy } from '../bare-bundle.js';
import {
  addedFilePatch,
  FAKE_TOKEN,
  type FakeGitHub,
  humanUser,
  hunk,
  mergeGroupEvent,
  pullRequestEvent,
  pushEvent,
  secondaryRateLimit,
  startFakeGitHub,
  workflowEnv,
} from './fake-github.js';

const REPO = 'octo/app';
const [OWNER, NAME] = REPO.split('/') as [string, string];
const HEAD = '1'.repeat(40);
const BASE = '2'.repeat(40);
const MERGE = '3'.repeat(40);
const BYPASS = '#!/bin/sh\nclaude -p "fix it" --dangerously-skip-permissions\n';
const CLEAN = '#!/bin/sh\necho "nothing for Claude here"\n';
const GRANT = '#!/bin/sh\nclaude -p "fix it" --allowedTools "Read"\n';

/** Every input of action.yml, with its default, as a runner sets them. */
const DEFAULT_INPUTS: Record<string, string> = {
  policy: '',
  path: '.',
  ignore: '',
  'fail-on': '',
  block: '',
  'github-token': FAKE_TOKEN,
  'policy-token': '',
  comment: 'sticky',
  'check-run': 'true',
  'sarif-file': '',
  baseline: '',
};

let bundle: string;
const made: string[] = [];
let gh: FakeGitHub;

beforeAll(() => {
  bundle = bareCopy();
});
afterAll(() => rmSync(bundle, { recursive: true, force: true }));
afterEach(async () => {
  await gh?.close();
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cg-e2e-ws-'));
  made.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

interface Run {
  status: number | null;
  stdout: string;
  outputs: string;
  summary: string;
}

/** Runs dist/index.js of the bare copy without blocking this process, which serves the fake GitHub. */
function runAction(
  ws: string,
  event: { name: string; payload: unknown; sha: string },
  inputs: Record<string, string> = {},
): Promise<Run> {
  const runner = mkdtempSync(join(tmpdir(), 'cg-e2e-runner-'));
  made.push(runner);
  const output = join(runner, 'output');
  const summary = join(runner, 'summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_WORKSPACE: ws,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: runner,
    ...workflowEnv({
      dir: runner,
      apiUrl: gh.url,
      eventName: event.name,
      payload: event.payload,
      repository: REPO,
      sha: event.sha,
      ref: 'refs/heads/main',
    }),
  };
  for (const [k, v] of Object.entries({ ...DEFAULT_INPUTS, ...inputs })) env[`INPUT_${k.toUpperCase()}`] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(bundle, 'dist/index.js')], { cwd: ws, env });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stdout += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({
        status,
        stdout,
        outputs: readFileSync(output, 'utf8'),
        summary: readFileSync(summary, 'utf8'),
      });
    });
  });
}

function prEvent(o: { forkOwner?: string; headSha?: string } = {}): {
  name: string;
  payload: unknown;
  sha: string;
} {
  return {
    name: 'pull_request',
    payload: pullRequestEvent({
      owner: OWNER,
      repo: NAME,
      number: 7,
      headSha: o.headSha ?? HEAD,
      baseSha: BASE,
      ...o,
    }),
    sha: MERGE,
  };
}

/** No request was outside GitHub's API description, or one GitHub would refuse. */
function expectValidRequests(): void {
  expect(gh.violations).toEqual([]);
  expect(gh.rejections).toEqual([]);
}

const comments = (): { body: string }[] => gh.state.comments(REPO, 7);

describe('the action on GitHub (bundle from a bare copy, fake API)', () => {
  test('a clean pull request: check success on the head commit, no comment', async () => {
    gh = await startFakeGitHub();
    gh.state.addPull(REPO, {
      number: 7,
      head: { sha: HEAD },
      base: { sha: BASE },
      files: [{ filename: 'run.sh', patch: addedFilePatch(CLEAN) }],
    });
    const run = await runAction(workspace({ 'run.sh': CLEAN }), prEvent());
    expect(run.status).toBe(0);
    const checks = gh.state.checkRuns(REPO, HEAD);
    expect(checks.map((c) => [c.name, c.conclusion])).toEqual([['claude-guard', 'success']]);
    expect(gh.state.checkRuns(REPO, MERGE)).toEqual([]);
    expect(comments()).toEqual([]);
    expect(actionOutput(run.outputs, 'conclusion')).toBe('success');
    expectValidRequests();
  }, 60_000);

  test('a pull request adding dangerous mode blocks; a re-run edits the one comment; a fixing push resolves it', async () => {
    gh = await startFakeGitHub();
    gh.state.addPull(REPO, {
      number: 7,
      head: { sha: HEAD },
      base: { sha: BASE },
      files: [{ filename: 'run.sh', patch: addedFilePatch(BYPASS) }],
    });
    const ws = workspace({ 'run.sh': BYPASS });
    const first = await runAction(ws, prEvent());
    expect(first.status).toBe(1);
    expect(actionOutput(first.outputs, 'conclusion')).toBe('failure');
    const [check] = gh.state.checkRuns(REPO, HEAD);
    expect(check?.conclusion).toBe('failure');
    expect(check?.annotations.map((a) => [a.path, a.start_line, a.start_column, a.annotation_level])).toEqual(
      [['run.sh', 2, 20, 'failure']],
    );
    expect(comments()).toHaveLength(1);
    expect(comments()[0]?.body).toContain('claude-guard blocks this pull request');
    expect(comments()[0]?.body).toContain('New in this pull request (1)');
    expect(comments()[0]?.body).toContain("What this PR changes in Claude's powers");

    const again = await runAction(ws, prEvent());
    expect(again.status).toBe(1);
    expect(comments()).toHaveLength(1);

    // A later push fixes it: the same comment says so, the new head's check passes.
    const FIXED = '4'.repeat(40);
    gh.state.addPull(REPO, {
      number: 7,
      head: { sha: FIXED },
      base: { sha: BASE },
      files: [{ filename: 'run.sh', patch: addedFilePatch(CLEAN) }],
    });
    const fixed = await runAction(workspace({ 'run.sh': CLEAN }), prEvent({ headSha: FIXED }));
    expect(fixed.status).toBe(0);
    expect(gh.state.checkRuns(REPO, FIXED).map((c) => c.conclusion)).toEqual(['success']);
    expect(comments()).toHaveLength(1);
    expect(comments()[0]?.body).toContain('everything reported here is resolved');
    expectValidRequests();
  }, 90_000);

  test('a pull request that only grants Claude a tool: nothing blocks, the comment shows the change in powers', async () => {
    gh = await startFakeGitHub();
    gh.state.addPull(REPO, {
      number: 7,
      head: { sha: HEAD },
      base: { sha: BASE },
      files: [{ filename: 'run.sh', patch: addedFilePatch(GRANT) }],
    });
    const run = await runAction(workspace({ 'run.sh': GRANT }), prEvent());
    expect(run.status).toBe(0);
    expect(comments()).toHaveLength(1);
    const body = comments()[0]?.body ?? '';
    expect(body).toContain('brings no new findings');
    expect(body).toContain("What this PR changes in Claude's powers");
    expect(body).toMatch(/\| \+ \| .*`Read` allowed/);
    expectValidRequests();
  }, 60_000);

  test('block: new — a PR editing an unrelated file of a repository with old findings passes, listing them as existing', async () => {
    gh = await startFakeGitHub();
    gh.state.addPull(REPO, {
      number: 7,
      head: { sha: HEAD },
      base: { sha: BASE },
      files: [{ filename: 'README.md', status: 'modified', patch: hunk(1, 1, ['-old', '+new']) }],
    });
    const run = await runAction(workspace({ 'run.sh': BYPASS, 'README.md': 'new\n' }), prEvent());
    expect(run.status).toBe(0);
    expect(gh.state.checkRuns(REPO, HEAD).map((c) => c.conclusion)).toEqual(['success']);
    expect(comments()).toHaveLength(1);
    expect(comments()[0]?.body).toMatch(
      /<details><summary>1 existing finding this pull request did not bring/,
    );
    expect(comments()[0]?.body).toContain('brings no new findings');
    // block: all blocks the same.
    const all = await runAction(workspace({ 'run.sh': BYPASS, 'README.md': 'new\n' }), prEvent(), {
      block: 'all',
    });
    expect(all.status).toBe(1);
    expectValidRequests();
  }, 90_000);

  test('a changed file that held the finding at the base too: existing, not new', async () => {
    gh = await startFakeGitHub();
    const edited = `${BYPASS}echo done\n`;
    gh.state.addPull(REPO, {
      number: 7,
      head: { sha: HEAD },
      base: { sha: BASE },
      files: [
        {
          filename: 'run.sh',
          status: 'modified',
          patch: hunk(2, 2, [' claude -p "fix it" --dangerously-skip-permissions', '+echo done']),
        },
      ],
    });
    gh.state.addFile(REPO, BASE, 'run.sh', BYPASS);
    const run = await runAction(workspace({ 'run.sh': edited }), prEvent());
    expect(run.status).toBe(0);
    expect(comments()[0]?.body).toContain('1 existing finding');
    expectValidRequests();
  }, 60_000);

  test('with the history checked out (fetch-depth: 0), base versions are read locally, not through the API', async () => {
    gh = await startFakeGitHub();
    const ws = workspace({ 'run.sh': BYPASS });
    const env = { ...process.env, HOME: ws, GIT_CONFIG_NOSYSTEM: '1' };
    const git = (...args: string[]): string =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: ws, env })
        .toString()
        .trim();
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'base');
    const base = git('rev-parse', 'HEAD');
    writeFileSync(join(ws, 'run.sh'), `${BYPASS}echo done\n`);
    git('commit', '-qam', 'head');
    const head = git('rev-parse', 'HEAD');
    gh.state.addPull(REPO, {
      number: 7,
      head: { sha: head },
      base: { sha: base },
      files: [
        {
          filename: 'run.sh',
          status: 'modified',
          patch: hunk(2, 2, [' claude -p "fix it" --dangerously-skip-permissions', '+echo done']),
        },
      ],
    });
    const run = await runAction(ws, {
      name: 'pull_request',
      payload: pullRequestEvent({ owner: OWNER, repo: NAME, number: 7, headSha: head, baseSha: base }),
      sha: MERGE,
    });
    expect(run.status).toBe(0);
    expect(comments()[0]?.body).toContain('1 existing finding');
    expect(gh.requests.filter((r) => r.path.includes('/contents/'))).toEqual([]);
    expectValidRequests();
  }, 60_000);

  test('comment: review — an inline comment on the changed line with a suggestion that fixes it', async () => {
    gh = await startFakeGitHub();
    gh.state.addPull(REPO, {
      number: 7,
      head: { sha: HEAD },
      base: { sha: BASE },
      files: [{ filename: 'run.sh', patch: addedFilePatch(BYPASS) }],
    });
    const run = await runAction(workspace({ 'run.sh': BYPASS }), prEvent(), { comment: 'review' });
    expect(run.status).toBe(1);
    const review = gh.requests.find((r) => r.method === 'POST' && r.path.endsWith('/pulls/7/reviews'));
    const sent = review?.body as {
      event: string;
      commit_id: string;
      comments: { path: string; line: number; body: string }[];
    };
    expect(sent.event).toBe('COMMENT');
    expect(sent.commit_id).toBe(HEAD);
    expect(sent.comments.map((c) => [c.path, c.line])).toEqual([['run.sh', 2]]);
    expect(sent.comments[0]?.body).toContain(
      '```suggestion\nclaude -p "fix it" --permission-mode dontAsk\n```',
    );
    // Re-run: not repeated.
    await runAction(workspace({ 'run.sh': BYPASS }), prEvent(), { comment: 'review' });
    expect(gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/reviews'))).toHaveLength(1);
    expect(comments()).toHaveLength(1);
    expectValidRequests();
  }, 60_000);

  test('check-run: false and comment: off — annotations through the log, no write to the API', async () => {
    gh = await startFakeGitHub();
    gh.state.addPull(REPO, {
      number: 7,
      head: { sha: HEAD },
      base: { sha: BASE },
      files: [{ filename: 'run.sh', patch: addedFilePatch(BYPASS) }],
    });
    const run = await runAction(workspace({ 'run.sh': BYPASS }), prEvent(), {
      'check-run': 'false',
      comment: 'off',
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error title=CG101 dangerous-mode \(critical\),file=run\.sh,line=2,/m);
    expect(gh.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expectValidRequests();
  }, 60_000);

  test('a pull request turning CG101 off in the policy while adding bypass mode is still blocked; the comment names the loosening', async () => {
    const POLICY = '.github/claude-guard.yml';
    const loosened = 'version: 1\nrules:\n  CG101: off\nfail-on: critical\n';
    for (const [i, base] of ['version: 1\nfail-on: high\n', undefined].entries()) {
      if (i > 0) await gh.close();
      gh = await startFakeGitHub();
      gh.state.addPull(REPO, {
        number: 7,
        head: { sha: HEAD },
        base: { sha: BASE },
        files: [
          { filename: 'run.sh', patch: addedFilePatch(BYPASS) },
          base === undefined
            ? { filename: POLICY, patch: addedFilePatch(loosened) }
            : {
                filename: POLICY,
                status: 'modified',
                patch: hunk(1, 1, [
                  ' version: 1',
                  '-fail-on: high',
                  '+rules:',
                  '+  CG101: off',
                  '+fail-on: critical',
                ]),
              },
        ],
      });
      // The base commit has the old policy, or none (then the built-in default is in force, not the PR's).
      if (base !== undefined) gh.state.addFile(REPO, BASE, POLICY, base);
      gh.state.addFile(REPO, BASE, 'README.md', 'base\n');
      const run = await runAction(workspace({ 'run.sh': BYPASS, [POLICY]: loosened }), prEvent());
      expect(run.status).toBe(1);
      expect(actionOutput(run.outputs, 'conclusion')).toBe('failure');
      const [check] = gh.state.checkRuns(REPO, HEAD);
      expect(check?.conclusion).toBe('failure');
      expect(check?.annotations.map((a) => [a.path, a.start_line, a.annotation_level])).toEqual([
        ['run.sh', 2, 'failure'],
      ]);
      const body = comments()[0]?.body ?? '';
      expect(body).toContain('claude-guard blocks this pull request');
      expect(body).toContain('This pull request loosens the claude-guard policy');
      expect(body).toContain(`- turns CG101 off (\`${POLICY}:3:10\`)`);
      expect(body).toContain(
        `- fail-on goes from high to critical: fewer findings block (\`${POLICY}:4:10\`)`,
      );
      expect(run.stdout).toContain("the change's own policy would loosen the policy in force");
      expectValidRequests();
    }
  }, 120_000);

  test('baseline: findings of an earlier report do not block; on a pull request its base version counts', async () => {
    // The report a first run would leave, made by the same bundle.
    const ws = workspace({ 'run.sh': BYPASS });
    let report = '';
    try {
      execFileSync(process.execPath, [join(bundle, 'dist/cli.js'), 'scan', ws, '--format', 'json'], {
        encoding: 'utf8',
      });
    } catch (error) {
      report = (error as { stdout: string }).stdout;
    }
    expect(JSON.parse(report).summary.blocking).toBe(1);
    writeFileSync(join(ws, 'claude-guard-baseline.json'), report);

    gh = await startFakeGitHub();
    const push = await runAction(
      ws,
      {
        name: 'push',
        payload: pushEvent({ owner: OWNER, repo: NAME, after: HEAD, before: BASE }),
        sha: HEAD,
      },
      { baseline: 'claude-guard-baseline.json' },
    );
    expect(push.status).toBe(0);
    expect(actionOutput(push.outputs, 'conclusion')).toBe('success');

    // A pull request that adds the finding and the baseline holding it: the base has no baseline, so the
    // pull request's own cannot excuse its finding.
    gh.state.addPull(REPO, {
      number: 7,
      head: { sha: HEAD },
      base: { sha: BASE },
      files: [
        { filename: 'run.sh', patch: addedFilePatch(BYPASS) },
        { filename: 'claude-guard-baseline.json', patch: addedFilePatch(report) },
      ],
    });
    gh.state.addFile(REPO, BASE, 'README.md', 'base\n');
    const pr = await runAction(ws, prEvent(), { baseline: 'claude-guard-baseline.json' });
    expect(pr.status).toBe(1);
    expect(pr.stdout).toContain(
      'the baseline claude-guard-baseline.json does not exist at the base: every finding counts as new',
    );
    expectValidRequests();
  }, 90_000);

  test('an invalid policy: conclusion error, and a failed "could not evaluate" check run on the head', async () => {
    gh = await startFakeGitHub();
    const ws = workspace({ 'run.sh': CLEAN, '.github/claude-guard.yml': 'fail-on: sometimes\n' });
    const run = await runAction(ws, prEvent());
    expect(run.status).toBe(1);
    expect(actionOutput(run.outputs, 'conclusion')).toBe('error');
    expect(gh.state.checkRuns(REPO, HEAD).map((c) => [c.conclusion, c.output.title])).toEqual([
      ['failure', 'could not evaluate'],
    ]);
    expectValidRequests();
  }, 60_000);

  test('an input out of range is a clear error, not a verdict', async () => {
    gh = await startFakeGitHub();
    const run = await runAction(workspace({ 'run.sh': BYPASS }), prEvent(), { comment: 'loud' });
    expect(run.status).toBe(1);
    expect(actionOutput(run.outputs, 'conclusion')).toBe('error');
    expect(run.stdout).toContain('input comment must be one of sticky, review, off, got "loud"');
    expect(run.summary).toContain('could not evaluate');
    expect(gh.requests).toEqual([]);
  }, 60_000);

  test("a GitHub App's token: its own comment is found again (GET /user cannot tell who it is)", async () => {
    gh = await startFakeGitHub({ tokenUser: { login: 'guard-app[bot]', id: 99, type: 'Bot' } });
    gh.state.addPull(REPO, {
      number: 7,
      head: { sha: HEAD },
      base: { sha: BASE },
      files: [{ filename: 'run.sh', patch: addedFilePatch(BYPASS) }],
    });
    // A person quoting the marker does not make it theirs.
    gh.state.addComment(REPO, 7, {
      body: 'look: <!-- claude-guard:sticky . -->',
      user: humanUser('mallory'),
    });
    for (let i = 0; i < 3; i++)
      await runAction(workspace({ 'run.sh': BYPASS }), prEvent(), { comment: 'review' });
    expect(comments().filter((c) => c.body.includes('claude-guard blocks'))).toHaveLength(1);
    expect(gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/reviews'))).toHaveLength(1);
    expectValidRequests();
  }, 90_000);

  test('more changed files than GitHub lists: findings in files it did not list block (fail closed)', async () => {
    gh = await startFakeGitHub();
    const listed = [...Array(3000).keys()].map((i) => ({
      filename: `pad/f${i}.txt`,
      patch: addedFilePatch('x\n'),
    }));
    gh.state.addPull(REPO, { number: 7, head: { sha: HEAD }, base: { sha: BASE }, files: listed });
    const run = await runAction(workspace({ 'zz/run.sh': BYPASS }), prEvent(), { comment: 'off' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('GitHub does not list every changed file');
    expectValidRequests();
  }, 90_000);

  test('a fork pull request: 403 on every write, annotations in the log, the job still fails', async () => {
    gh = await startFakeGitHub({ readOnly: true });
    gh.state.addPull(REPO, {
      number: 7,
      head: { sha: HEAD },
      base: { sha: BASE },
      files: [{ filename: 'run.sh', patch: addedFilePatch(BYPASS) }],
    });
    const run = await runAction(workspace({ 'run.sh': BYPASS }), prEvent({ forkOwner: 'stranger' }));
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /^::error title=CG101 dangerous-mode \(critical\),file=run\.sh,line=2,endLine=2,col=20,endColumn=50::/m,
    );
    expect(run.stdout).toContain('the token is read-only');
    expect(run.summary).toContain('the token is read-only');
    expect(gh.state.checkRuns(REPO, HEAD)).toEqual([]);
    expect(comments()).toEqual([]);
    // The first refused write is not retried, and stops the others: said once.
    const writes = gh.requests.filter((r) => r.method !== 'GET');
    expect(writes.map((r) => r.status)).toEqual([403]);
    expect(run.stdout.match(/the token is read-only/g)).toHaveLength(1);
    expect(gh.violations).toEqual([]);
  }, 60_000);

  test('a secondary rate limit and a 502 once: retried, then it succeeds', async () => {
    gh = await startFakeGitHub();
    gh.state.addPull(REPO, {
      number: 7,
      head: { sha: HEAD },
      base: { sha: BASE },
      files: [{ filename: 'run.sh', patch: addedFilePatch(BYPASS) }],
    });
    gh.failNext(secondaryRateLimit({ method: 'POST', path: /check-runs$/, retryAfter: 1 }));
    gh.failNext({
      method: 'POST',
      path: /issues\/7\/comments$/,
      status: 502,
      body: { message: 'Server Error' },
    });
    const run = await runAction(workspace({ 'run.sh': BYPASS }), prEvent());
    expect(run.status).toBe(1);
    expect(gh.state.checkRuns(REPO, HEAD)).toHaveLength(1);
    expect(comments()).toHaveLength(1);
    const statuses = gh.requests.filter((r) => r.method === 'POST').map((r) => r.status);
    expect(statuses).toEqual([403, 201, 502, 201]);
    expectValidRequests();
  }, 60_000);

  test('180 findings: four annotation requests; a summary past 65535 bytes is cut', async () => {
    gh = await startFakeGitHub();
    const files: Record<string, string> = {};
    for (let i = 0; i < 180; i++)
      files[`scripts/${'é'.repeat(60)}-${String(i).padStart(3, '0')}.sh`] = BYPASS;
    gh.state.addPull(REPO, {
      number: 7,
      head: { sha: HEAD },
      base: { sha: BASE },
      files: [{ filename: 'x.md', patch: addedFilePatch('x\n') }],
    });
    const run = await runAction(workspace(files), prEvent(), { comment: 'off', block: 'all' });
    expect(run.status).toBe(1);
    const [check] = gh.state.checkRuns(REPO, HEAD);
    expect(check?.annotations).toHaveLength(180);
    const checkWrites = gh.requests.filter((r) => r.path.includes('/check-runs') && r.method !== 'GET');
    expect(checkWrites.map((r) => r.method)).toEqual(['POST', 'PATCH', 'PATCH', 'PATCH']);
    expect(Buffer.byteLength(check?.output.summary ?? '')).toBeLessThanOrEqual(65535);
    expect(check?.output.summary).toContain('job summary');
    expectValidRequests();
  }, 60_000);

  test('a key in the pull request: masked in every request, the log, the summary and the SARIF file', async () => {
    gh = await startFakeGitHub();
    // Built at run time: no source file holds a whole key.
    const body = [...Array(93).keys()].map((i) => 'Qw7Er4Ty1Ui8Op5As2Df9Gh6Jk3Lz0Xc'[(i * 7) % 32]).join('');
    const key = `sk-ant-${'api03'}-${body}AA`;
    const settings = `{\n  "env": { "ANTHROPIC_API_KEY": "${key}" },\n  "permissions": { "defaultMode": "bypassPermissions" }\n}\n`;
    gh.state.addPull(REPO, {
      number: 7,
      head: { sha: HEAD },
      base: { sha: BASE },
      files: [{ filename: '.claude/settings.json', patch: addedFilePatch(settings) }],
    });
    const run = await runAction(workspace({ '.claude/settings.json': settings }), prEvent(), {
      comment: 'review',
      'sarif-file': 'out/claude-guard.sarif',
    });
    expect(run.status).toBe(1);
    const sarifPath = actionOutput(run.outputs, 'sarif-file') ?? '';
    expect(sarifPath.endsWith('out/claude-guard.sarif')).toBe(true);
    const sarif = readFileSync(sarifPath, 'utf8');
    expect(JSON.parse(sarif).runs[0].results.length).toBeGreaterThan(0);
    const sent = JSON.stringify(gh.requests.map((r) => r.body));
    // Every 16-character window of the key's random part.
    const windows = [...Array(body.length - 15).keys()].map((i) => body.slice(i, i + 16));
    for (const [where, text] of [
      ['requests', sent],
      ['log', run.stdout.replace(/^::add-mask::.*$/m, '')],
      ['summary', run.summary],
      ['sarif', sarif],
    ] as const) {
      expect({ where, leaks: windows.filter((w) => text.includes(w)) }).toEqual({ where, leaks: [] });
    }
    // The inline review was posted on the changed lines, and the comment holds the rest.
    expect(
      gh.requests.some((r) => r.method === 'POST' && r.path.endsWith('/reviews') && r.status === 200),
    ).toBe(true);
    expect(comments()).toHaveLength(1);
    expectValidRequests();
  }, 60_000);

  test('merge_group with block: new — findings the queued change did not bring do not block the queue', async () => {
    gh = await startFakeGitHub();
    gh.state.addComparison(REPO, BASE, HEAD, [{ filename: 'README.md', status: 'modified' }]);
    const event = {
      name: 'merge_group',
      payload: mergeGroupEvent({ owner: OWNER, repo: NAME, headSha: HEAD, baseSha: BASE }),
      sha: HEAD,
    };
    const old = await runAction(workspace({ 'run.sh': BYPASS, 'README.md': 'x\n' }), event);
    expect(old.status).toBe(0);
    expect(gh.state.checkRuns(REPO, HEAD).map((c) => c.conclusion)).toEqual(['success']);
    // The queued change brings the flag: it blocks.
    gh.state.addComparison(REPO, BASE, HEAD, [{ filename: 'run.sh', status: 'added' }]);
    const brought = await runAction(workspace({ 'run.sh': BYPASS }), event);
    expect(brought.status).toBe(1);
    expectValidRequests();
  }, 60_000);

  test("merge_group: a queued change turning CG101 off is judged by the target branch's policy", async () => {
    gh = await startFakeGitHub();
    gh.state.addComparison(REPO, BASE, HEAD, [
      { filename: 'run.sh', status: 'added' },
      { filename: '.github/claude-guard.yml', status: 'added' },
    ]);
    gh.state.addFile(REPO, BASE, 'README.md', 'base\n');
    const event = {
      name: 'merge_group',
      payload: mergeGroupEvent({ owner: OWNER, repo: NAME, headSha: HEAD, baseSha: BASE }),
      sha: HEAD,
    };
    const run = await runAction(
      workspace({ 'run.sh': BYPASS, '.github/claude-guard.yml': 'version: 1\nrules: { CG101: off }\n' }),
      event,
    );
    expect(run.status).toBe(1);
    expect(gh.state.checkRuns(REPO, HEAD).map((c) => c.conclusion)).toEqual(['failure']);
    expect(run.stdout).toContain("the change's own policy would loosen the policy in force: turns CG101 off");
    expectValidRequests();
  }, 60_000);

  test.each([
    [
      'push',
      () => ({
        name: 'push',
        payload: pushEvent({ owner: OWNER, repo: NAME, after: HEAD, before: BASE }),
        sha: HEAD,
      }),
    ],
    [
      'merge_group',
      () => ({
        name: 'merge_group',
        payload: mergeGroupEvent({ owner: OWNER, repo: NAME, headSha: HEAD, baseSha: BASE }),
        sha: HEAD,
      }),
    ],
  ])(
    '%s: the check run on its commit, no comment, every finding counts',
    async (_name, event) => {
      gh = await startFakeGitHub();
      const run = await runAction(workspace({ 'run.sh': BYPASS }), event());
      expect(run.status).toBe(1);
      expect(gh.state.checkRuns(REPO, HEAD).map((c) => c.conclusion)).toEqual(['failure']);
      expect(gh.requests.some((r) => r.path.includes('/comments'))).toBe(false);
      expectValidRequests();
    },
    60_000,
  );
});
