import { describe, expect, test } from '@jest/globals';
import { checkTitle, planCheckRun } from '../../src/github/check-run.js';
import { cutToBytes } from '../../src/report/markdown.js';
import { eventContext } from '../../src/github/context.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import type { Finding, Verdict } from '../../src/policy/verdict.js';
import { commentMarker, hasSomethingToSay, renderComment } from '../../src/report/comment.js';
import { memorySource, overlaySource, scan } from '../../src/scan.js';
import { markNew } from '../../src/verdict/compare.js';
import { examplePayload } from './event-payloads.js';

/** A payload to adjust: GitHub's example, loosely typed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

const HEAD = 'a'.repeat(40);
const BASE = 'b'.repeat(40);
const BYPASS = '#!/bin/sh\nclaude -p go --dangerously-skip-permissions\n';

describe('event context', () => {
  const env = { GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'c'.repeat(40), GITHUB_API_URL: 'http://127.0.0.1:1/' };

  test('pull_request: the head commit, never the test merge commit; the base; fork or not', () => {
    const payload = examplePayload<Loose>('pull_request', 'opened');
    payload.pull_request.head.sha = HEAD;
    payload.pull_request.base.sha = BASE;
    payload.pull_request.head.repo.full_name = 'o/r';
    const ctx = eventContext({ ...env, GITHUB_EVENT_NAME: 'pull_request' }, payload);
    expect(ctx).toMatchObject({
      owner: 'o',
      repo: 'r',
      headSha: HEAD,
      baseSha: BASE,
      apiUrl: 'http://127.0.0.1:1',
      pullRequest: { number: payload.pull_request.number, fromFork: false },
    });
    payload.pull_request.head.repo.full_name = 'stranger/r';
    const fork = eventContext({ ...env, GITHUB_EVENT_NAME: 'pull_request_target' }, payload);
    expect(typeof fork !== 'string' && fork.pullRequest?.fromFork).toBe(true);
  });

  test('push: after, before unless all zeros; merge_group: its head and base; schedule: GITHUB_SHA', () => {
    const push = examplePayload<Loose>('push');
    push.after = HEAD;
    push.before = '0'.repeat(40);
    const p = eventContext({ ...env, GITHUB_EVENT_NAME: 'push' }, push);
    expect(p).toMatchObject({ headSha: HEAD });
    expect(typeof p !== 'string' && p.baseSha).toBeUndefined();
    const group = examplePayload<Loose>('merge_group');
    group.merge_group.head_sha = HEAD;
    group.merge_group.base_sha = BASE;
    expect(eventContext({ ...env, GITHUB_EVENT_NAME: 'merge_group' }, group)).toMatchObject({
      headSha: HEAD,
      baseSha: BASE,
    });
    expect(eventContext({ ...env, GITHUB_EVENT_NAME: 'schedule' }, {})).toMatchObject({
      headSha: 'c'.repeat(40),
    });
  });

  test('no context outside Actions, or with a payload that lies', () => {
    expect(eventContext({}, {})).toBe('GITHUB_REPOSITORY is not set to owner/name');
    expect(
      eventContext(
        { ...env, GITHUB_EVENT_NAME: 'pull_request' },
        { pull_request: { number: 1, head: { sha: 'x' } } },
      ),
    ).toBe('the pull_request payload has no head commit');
  });
});

function finding(i: number, over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'CG101',
    ruleName: 'dangerous-mode',
    severity: i % 3 === 0 ? 'critical' : i % 3 === 1 ? 'medium' : 'low',
    message: `finding ${i}`,
    path: `s/${i}.sh`,
    line: 2,
    column: 3,
    endLine: i % 2 === 0 ? 2 : 3,
    endColumn: 9,
    snippet: 'x',
    fingerprint: `fp${i}`,
    blocking: false,
    new: true,
    suppression: null,
    related: [],
    help: 'fix it',
    docs: 'docs/rules/CG101.md',
    ...over,
  };
}

function verdictOf(findings: Finding[]): Verdict {
  return {
    schemaVersion: 1,
    tool: { name: 'claude-guard', version: '0' },
    policy: { sources: [], failOn: 'high', block: 'new' },
    summary: {
      filesScanned: 1,
      findings: findings.length,
      blocking: 0,
      suppressed: 0,
      bySeverity: {
        critical: findings.filter((f) => f.severity === 'critical').length,
        high: 0,
        medium: findings.filter((f) => f.severity === 'medium').length,
        low: findings.filter((f) => f.severity === 'low').length,
        info: 0,
      },
      conclusion: 'success',
    },
    findings,
    notices: [],
  };
}

describe('check run plan', () => {
  test('180 findings: four requests of at most 50 annotations, levels and columns as GitHub takes them', () => {
    const v = markNew(verdictOf([...Array(180).keys()].map((i) => finding(i))), undefined);
    const plan = planCheckRun(v, { secrets: [], prefix: 'sub' });
    expect(plan.outputs.map((o) => o.annotations.length)).toEqual([50, 50, 50, 30]);
    expect(plan.conclusion).toBe('failure');
    const all = plan.outputs.flatMap((o) => o.annotations);
    expect(all[0]).toMatchObject({
      annotation_level: 'failure',
      path: 'sub/s/0.sh',
      start_column: 3,
      end_column: 9,
    });
    const multi = all.find((a) => a.start_line !== a.end_line);
    expect(multi && 'start_column' in multi).toBe(false);
    expect(new Set(all.map((a) => a.annotation_level))).toEqual(new Set(['failure', 'warning', 'notice']));
    // Most severe first.
    const ranks = all.map((a) => ['failure', 'warning', 'notice'].indexOf(a.annotation_level));
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
  });

  test('a summary that would pass 65535 bytes is cut by bytes and points to the job summary', () => {
    const long = 'é'.repeat(3000);
    const v = verdictOf([...Array(200).keys()].map((i) => finding(i, { message: long })));
    const plan = planCheckRun(v, { secrets: [], prefix: '' });
    const summary = plan.outputs[0]?.summary ?? '';
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(65535);
    expect(summary).toContain('job summary');
    expect(cutToBytes('aé', 2)).toBe('a');
  });

  test('title: what blocks, counts, how many are new', () => {
    const v = markNew(verdictOf([finding(0), finding(1, { path: 'old.sh' })]), {
      changed: new Set(['s/0.sh']),
      baseFingerprints: new Set(),
      unknown: new Set(),
    });
    expect(checkTitle(v)).toBe('1 blocking finding · 2 findings (1 critical, 1 medium) · 1 new');
  });
});

describe('new or existing', () => {
  test('only findings in changed files, absent from the base, are new; block: new blocks only those', () => {
    const v = verdictOf([finding(0), finding(3, { path: 's/0.sh' }), finding(6, { path: 'old.sh' })]);
    const marked = markNew(v, {
      changed: new Set(['s/0.sh']),
      baseFingerprints: new Set(['fp3']),
      unknown: new Set(),
    });
    expect(marked.findings.map((f) => [f.fingerprint, f.new, f.blocking])).toEqual([
      ['fp6', false, false],
      ['fp0', true, true],
      ['fp3', false, false],
    ]);
    expect(marked.summary).toMatchObject({ blocking: 1, conclusion: 'failure' });
    const all = markNew(
      { ...v, policy: { ...v.policy, block: 'all' } },
      {
        changed: new Set(),
        baseFingerprints: new Set(),
        unknown: new Set(),
      },
    );
    expect(all.summary.blocking).toBe(3);
  });

  test('the base of a pull request, scanned from the head with the changed files replaced', async () => {
    const head = memorySource({ 'a.sh': BYPASS, 'b.sh': BYPASS, 'c.sh': '#!/bin/sh\necho hi\n' });
    const headScan = await scan(head, defaultPolicy());
    // b.sh was added by the PR; a.sh existed; c.sh changed and held the flag at the base.
    const base = await scan(
      overlaySource(
        head,
        new Map([
          ['b.sh', null],
          ['c.sh', BYPASS],
        ]),
      ),
      defaultPolicy(),
    );
    expect(base.verdict.findings.map((f) => f.path)).toEqual(['a.sh', 'c.sh']);
    const marked = markNew(headScan.verdict, {
      changed: new Set(['b.sh', 'c.sh']),
      baseFingerprints: new Set(base.verdict.findings.map((f) => f.fingerprint)),
      unknown: new Set(),
    });
    expect(marked.findings.map((f) => [f.path, f.new])).toEqual([
      ['a.sh', false],
      ['b.sh', true],
    ]);
  });
});

describe('sticky comment', () => {
  const options = { marker: commentMarker('.'), secrets: [], headSha: HEAD, linkBase: 'https://x/blob/s' };

  test('verdict first, new findings, existing ones folded, marker and footer', () => {
    const v = markNew(verdictOf([finding(0), finding(1, { path: 'old.sh' })]), {
      changed: new Set(['s/0.sh']),
      baseFingerprints: new Set(),
      unknown: new Set(),
    });
    const body = renderComment(v, options);
    expect(
      body.startsWith('<!-- claude-guard:sticky . -->\n\n❌ **claude-guard blocks this pull request**'),
    ).toBe(true);
    expect(body).toContain('### New in this pull request (1)');
    expect(body).toContain('[s/0.sh:2](https://x/blob/s/s/0.sh#L2)');
    expect(body).toMatch(/<details><summary>1 existing finding this pull request did not bring<\/summary>/);
    expect(body).toContain(`claude-guard on ${HEAD.slice(0, 7)}`);
  });

  test('repository text cannot render HTML, ping anyone or break the table; nothing to say means no body', () => {
    const v = verdictOf([finding(0, { message: '<img src=x> @org/team | `x`' })]);
    const body = renderComment(v, options);
    expect(body).toContain("&lt;img src=x&gt; @&#8203;org/team \\| 'x'");
    expect(hasSomethingToSay(verdictOf([]))).toBe(false);
    expect(hasSomethingToSay(verdictOf([]), '### powers')).toBe(true);
  });
});

describe('mechanical fixes offered as review suggestions', () => {
  test('bypass flag → dontAsk mode; --permission-mode bypassPermissions → dontAsk; none when a mode is given', async () => {
    const { verdict, suggestions } = await scan(
      memorySource({
        'a.sh': '#!/bin/sh\nclaude -p "go" --dangerously-skip-permissions --allowedTools Read\n',
        'b.sh': '#!/bin/sh\n  claude --permission-mode bypassPermissions -p go\n',
        'c.sh': '#!/bin/sh\nclaude --permission-mode acceptEdits --dangerously-skip-permissions -p go\n',
        '.claude/settings.json': '{"permissions": {"defaultMode": "bypassPermissions"}}\n',
      }),
      defaultPolicy(),
    );
    const byPath = new Map(verdict.findings.map((f) => [f.path, suggestions.get(f.fingerprint)]));
    expect(byPath.get('a.sh')).toEqual({
      startLine: 2,
      endLine: 2,
      text: 'claude -p "go" --permission-mode dontAsk --allowedTools Read',
    });
    expect(byPath.get('b.sh')).toEqual({
      startLine: 2,
      endLine: 2,
      text: '  claude --permission-mode dontAsk -p go',
    });
    expect(byPath.get('c.sh')).toBeUndefined();
    expect(byPath.get('.claude/settings.json')).toBeUndefined();
  });
});

test('a change in powers too large for a comment is cut at a row, and the body stays under the limit', () => {
  const row = `| + | **widens** | grant | \`Bash(${'x'.repeat(200)})\` allowed | here | execute |\n`;
  const powers = `### What this PR changes in Claude's powers\n\n${row.repeat(500)}`;
  const body = renderComment(verdictOf([]), {
    marker: commentMarker('.'),
    secrets: [],
    headSha: HEAD,
    powers,
  });
  expect(Buffer.byteLength(body)).toBeLessThan(30_000);
  expect(body).toContain('the rest is not shown');
  expect(body).not.toMatch(/\| \+ \| \*\*widens\*\* \| grant \| `Bash\(x*\n/);
});
