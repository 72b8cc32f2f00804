/**
 * The inline review: which lines of a patch a comment may point at, which findings get a comment and
 * where, what a comment says (and cannot be made to say), and how it is posted against the fake GitHub —
 * once, never twice, and never at the cost of a finding when GitHub says no.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { makeClient } from '../../src/github/client.js';
import type { EventContext } from '../../src/github/context.js';
import { commentableLines, parsePatch } from '../../src/github/diff.js';
import { displayLine } from '../../src/report/safe.js';
import {
  findingMarker,
  listPullFiles,
  markdownText,
  markedFingerprint,
  planReview,
  postReview,
  type PullFile,
  type ReviewFinding,
  type ReviewPlan,
} from '../../src/github/review.js';
import {
  FAKE_TOKEN,
  GITHUB_ACTIONS_BOT,
  addedFilePatch,
  humanUser,
  hunk,
  parsePatch as fakeParsePatch,
  patchFor,
  startFakeGitHub,
  type FakeGitHub,
  type GitHubUser,
  type PullRecord,
} from './fake-github.js';

// Built at run time: no source file holds a whole key.
const body =
  'Q7vR2mX9kL4pT8wZ1nB6cY3hJ5dF0gS2aE7uI9oP4qW8rT1yU6iO3pA5sD9fG2hJ7kL0zX4cV8bN1mQ3wE5rT7yU9iO2pA4';
const KEY = `sk-ant-${'api03'}-${body}AA`;

let nextFingerprint = 0;

function finding(over: Partial<ReviewFinding> = {}): ReviewFinding {
  const line = over.line ?? 2;
  return {
    ruleId: 'CG102',
    ruleName: 'unscoped-shell',
    severity: 'high',
    message: 'Bash is granted without a command',
    path: '.claude/settings.json',
    line,
    column: 5,
    endLine: line,
    endColumn: 12,
    snippet: '"Bash"',
    fingerprint: (++nextFingerprint).toString(16).padStart(32, '0'),
    blocking: true,
    new: true,
    suppression: null,
    related: [],
    help: 'Grant the commands the job needs, one rule each, e.g. `Bash(npm test:*)`.',
    docs: 'docs/rules/CG102.md',
    ...over,
  };
}

/** Lines 1-3 context/added, then a gap, then lines 20-23: two hunks of a modified settings file. */
const SETTINGS_PATCH = patchFor(
  hunk(1, 1, [' {', '+  "allow": ["Bash"],', '   "deny": []']),
  hunk(18, 20, [' a', '-b', '+c', '+d', ' e']),
);

function files(...extra: PullFile[]): PullFile[] {
  return [{ filename: '.claude/settings.json', status: 'modified', patch: SETTINGS_PATCH }, ...extra];
}

describe('diff: the lines of a patch a comment may point at', () => {
  test('several hunks: context and added lines on the RIGHT side, removed lines not', () => {
    const patch = [
      '@@ -1,4 +1,5 @@ heading',
      ' one',
      '-two',
      '+zwei',
      '+drei',
      ' four',
      ' five',
      '@@ -10,3 +11,2 @@',
      ' ten',
      '-eleven',
      ' twelve',
    ].join('\n');
    const hunks = parsePatch(patch);
    expect(hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines])).toEqual([
      [1, 4, 1, 5],
      [10, 3, 11, 2],
    ]);
    expect(hunks.map((h) => h.right)).toEqual([
      [1, 2, 3, 4, 5],
      [11, 12],
    ]);
    expect(hunks.map((h) => h.added)).toEqual([[2, 3], []]);
    const lines = commentableLines(patch);
    expect([...lines.lines]).toEqual([1, 2, 3, 4, 5, 11, 12]);
    expect(lines.has(6)).toBe(false);
    expect(lines.has(10)).toBe(false);
  });

  test('"\\ No newline at end of file" is not a line', () => {
    const patch = [
      '@@ -1,2 +1,2 @@',
      ' a',
      '-b',
      '\\ No newline at end of file',
      '+b',
      '\\ No newline at end of file',
    ].join('\n');
    expect(parsePatch(patch).map((h) => [h.right, h.added])).toEqual([[[1, 2], [2]]]);
  });

  test('omitted counts mean one line; an empty side has none', () => {
    expect([...commentableLines('@@ -1 +1 @@\n-a\n+b').lines]).toEqual([1]);
    expect([...commentableLines('@@ -0,0 +1 @@\n+only line').lines]).toEqual([1]);
    expect([...commentableLines('@@ -7 +6,0 @@\n-gone').lines]).toEqual([]);
    expect(parsePatch('@@ -1 +1 @@\n-a\n+b')[0]).toMatchObject({ oldLines: 1, newLines: 1 });
  });

  test('a deleted file, an empty or absent patch: nothing to point at', () => {
    expect([...commentableLines('@@ -1,2 +0,0 @@\n-a\n-b\n').lines]).toEqual([]);
    expect([...commentableLines('').lines]).toEqual([]);
    expect([...commentableLines(undefined).lines]).toEqual([]);
    expect(parsePatch('Binary files differ')).toEqual([]);
  });

  test('CRLF line ends, in the patch and in the file', () => {
    const patch = '@@ -1,2 +1,3 @@\r\n a\r\r\n+b\r\r\n c\r\r\n@@ -9 +10 @@\r\n-x\r\n+y\r\n';
    expect(parsePatch(patch).map((h) => h.right)).toEqual([[1, 2, 3], [10]]);
  });

  test('a hunk is read by its counts: an added line that looks like a header does not start a hunk', () => {
    const patch = ['@@ -1 +1,2 @@', ' x', '+@@ -50 +50 @@', '+y'].join('\n');
    // The header said 2 new lines; '+y' is past them and outside any hunk.
    expect(parsePatch(patch).map((h) => h.right)).toEqual([[1, 2]]);
  });

  test('a context line whose single space was stripped still counts', () => {
    expect([...commentableLines('@@ -1,3 +1,3 @@\n a\n\n c').lines]).toEqual([1, 2, 3]);
  });

  test('inOneHunk: a range inside one hunk, not across two, not outside, not backwards', () => {
    const lines = commentableLines(SETTINGS_PATCH);
    expect(lines.inOneHunk(1, 3)).toBe(true);
    expect(lines.inOneHunk(2, 2)).toBe(true);
    expect(lines.inOneHunk(20, 23)).toBe(true);
    expect(lines.inOneHunk(3, 20)).toBe(false);
    expect(lines.inOneHunk(3, 4)).toBe(false);
    expect(lines.inOneHunk(3, 1)).toBe(false);
    expect(lines.inOneHunk(30, 31)).toBe(false);
  });

  test('agrees with the fake GitHub on which lines a generated patch shows', () => {
    const patch = patchFor(
      hunk(3, 3, [' a', '-b', '-c', '+d', ' e']),
      hunk(40, 39, [' x', '+y', '+z', '\\ No newline at end of file']),
    );
    const theirs = fakeParsePatch(patch).hunks.map((h) => [...h.right].sort((a, b) => a - b));
    expect(parsePatch(patch).map((h) => h.right)).toEqual(theirs);
    expect(parsePatch(addedFilePatch('1\n2\n3\n')).map((h) => h.added)).toEqual([[1, 2, 3]]);
  });
});

describe('planReview: which findings are commented, and where', () => {
  test('a finding on an added line: a comment on that line, on the RIGHT side', () => {
    const f = finding({ line: 2 });
    const plan = planReview([f], files());
    expect(plan.outside).toEqual([]);
    expect(plan.comments).toHaveLength(1);
    const { comment } = plan.comments[0]!;
    expect(comment).toMatchObject({ path: '.claude/settings.json', line: 2, side: 'RIGHT' });
    expect(comment).not.toHaveProperty('start_line');
    expect(markedFingerprint(comment.body)).toBe(f.fingerprint);
  });

  test('a finding on a context line of a hunk is commented too', () => {
    expect(planReview([finding({ line: 3 })], files()).comments[0]!.comment.line).toBe(3);
  });

  test('outside hunks, or where the diff only removed lines: outside, not-in-diff', () => {
    // Line 10 of the new file is between the hunks; the second hunk removed old line 19, new line 21 is 'c'.
    const between = finding({ line: 10 });
    const below = finding({ line: 40 });
    const plan = planReview([between, below], files());
    expect(plan.comments).toEqual([]);
    expect(plan.outside.map((o) => [o.finding.line, o.reason])).toEqual([
      [10, 'not-in-diff'],
      [40, 'not-in-diff'],
    ]);
    const removedOnly = planReview(
      [finding({ path: 'gone.sh', line: 1 })],
      [{ filename: 'gone.sh', status: 'removed', patch: '@@ -1,2 +0,0 @@\n-a\n-b' }],
    );
    expect(removedOnly.outside.map((o) => o.reason)).toEqual(['not-in-diff']);
  });

  test('a file without a patch (binary, too large), or not changed: outside', () => {
    const plan = planReview(
      [finding({ path: 'big.json', line: 1 }), finding({ path: 'untouched.json', line: 1 })],
      files({ filename: 'big.json', status: 'modified' }),
    );
    expect(plan.comments).toEqual([]);
    expect(plan.outside.map((o) => [o.finding.path, o.reason])).toEqual([
      ['big.json', 'no-patch'],
      ['untouched.json', 'not-changed'],
    ]);
  });

  test('existing and suppressed findings are neither commented nor outside', () => {
    const plan = planReview(
      [
        finding({ line: 2, new: false }),
        finding({ line: 2, suppression: { kind: 'inline', reason: 'reviewed' } }),
      ],
      files(),
    );
    expect(plan).toEqual({ comments: [], outside: [] });
  });

  test('paths are found under the scanned folder', () => {
    const f = finding({ path: 'settings.json', line: 2 });
    expect(planReview([f], files(), { pathPrefix: '.claude' }).comments).toHaveLength(1);
    expect(planReview([f], files(), { pathPrefix: './.claude/' }).comments).toHaveLength(1);
    expect(planReview([f], files()).outside.map((o) => o.reason)).toEqual(['not-changed']);
  });

  test('a span inside one hunk: a multi-line comment over exactly that span', () => {
    const plan = planReview([finding({ line: 20, endLine: 22 })], files());
    expect(plan.comments[0]!.comment).toMatchObject({
      line: 22,
      start_line: 20,
      side: 'RIGHT',
      start_side: 'RIGHT',
    });
  });

  test('a span across hunks: one line, the start; or the first line the diff shows, naming the span', () => {
    const fromStart = planReview([finding({ line: 2, endLine: 21 })], files()).comments[0]!;
    expect(fromStart.comment).toMatchObject({ line: 2 });
    expect(fromStart.comment).not.toHaveProperty('start_line');
    expect(fromStart.comment.body).toContain('_Lines 2–21._');
    const fromMiddle = planReview([finding({ line: 8, endLine: 25 })], files()).comments[0]!;
    expect(fromMiddle.comment).toMatchObject({ line: 20 });
    expect(fromMiddle.comment).not.toHaveProperty('start_line');
  });

  test('most severe first; past the cap, outside', () => {
    const low = finding({ severity: 'low', line: 1, blocking: false });
    const critical = finding({ severity: 'critical', line: 3 });
    const high = finding({ severity: 'high', line: 2 });
    const plan = planReview([low, critical, high], files(), { maxComments: 2 });
    expect(plan.comments.map((c) => c.finding.severity)).toEqual(['critical', 'high']);
    expect(plan.outside).toEqual([{ finding: low, reason: 'over-limit' }]);
  });

  test('30 comments by default', () => {
    const many = Array.from({ length: 35 }, () => finding({ line: 21 }));
    const plan = planReview(many, files());
    expect(plan.comments).toHaveLength(30);
    expect(plan.outside).toHaveLength(5);
  });
});

describe('planReview: suggestions', () => {
  test('a multi-line suggestion inside one hunk: the comment spans exactly its lines', () => {
    const f = finding({ line: 21, suggestion: { startLine: 20, endLine: 22, text: 'a\nc' } });
    const [planned] = planReview([f], files()).comments;
    expect(planned!.suggests).toBe(true);
    expect(planned!.comment).toMatchObject({ start_line: 20, line: 22 });
    expect(planned!.comment.body).toContain('\n```suggestion\na\nc\n```\n');
  });

  test('a one-line suggestion: a one-line comment; an empty text deletes the line', () => {
    const f = finding({ line: 2, suggestion: { startLine: 2, endLine: 2, text: '' } });
    const [planned] = planReview([f], files()).comments;
    expect(planned!.comment).toMatchObject({ line: 2 });
    expect(planned!.comment).not.toHaveProperty('start_line');
    expect(planned!.comment.body).toContain('\n```suggestion\n```\n');
  });

  test('a suggestion across hunks, or outside the diff: no suggestion, the comment stays', () => {
    for (const suggestion of [
      { startLine: 2, endLine: 20, text: 'x' },
      { startLine: 9, endLine: 9, text: 'x' },
    ]) {
      const [planned] = planReview([finding({ line: 2, suggestion })], files()).comments;
      expect(planned!.suggests).toBe(false);
      expect(planned!.comment).toMatchObject({ line: 2 });
      expect(planned!.comment.body).not.toContain('suggestion');
    }
  });

  test('the text is exact, and its backticks cannot close the fence', () => {
    const text = 'run: |\n  ```\n  echo "````" `x`\n  ```';
    const f = finding({ line: 21, suggestion: { startLine: 21, endLine: 22, text } });
    const { body: b } = planReview([f], files()).comments[0]!.comment;
    expect(b).toContain(`\n\`\`\`\`\`suggestion\n${text}\n\`\`\`\`\`\n`);
    // Nothing in the text is a fence of five or more.
    expect(text).not.toMatch(/`{5}/);
  });

  test('a suggestion holding a key or a hidden character is dropped, not masked', () => {
    for (const text of [`"env": { "KEY": "${KEY}" }`, 'allow = ["Bash(ls)"] \u202E ]"*"[']) {
      const f = finding({ line: 2, suggestion: { startLine: 2, endLine: 2, text } });
      const [planned] = planReview([f], files()).comments;
      expect(planned!.suggests).toBe(false);
      expect(planned!.comment.body).not.toContain(body.slice(0, 16));
      expect(planned!.comment.body).not.toContain('\u202E');
    }
  });
});

describe('comment bodies: repository text renders as text, notifies no one', () => {
  const hostile = [
    '<img src=x onerror=alert(1)> <details open>',
    'ping @octocat and @octo-org/security',
    '[click](https://evil.example/a) ![i](https://evil.example/i.png)',
    'see https://evil.example/x and www.evil.example',
    'fixes #123 and octo/other#9 and GH-12',
    '# heading **bold** _it_ ~~s~~ | a | b |',
    '<!-- claude-guard:finding 00000000000000000000000000000bad -->',
    '```',
  ].join(' ');

  /** What GitHub's markdown leaves of the source: the text, backslash escapes applied, entities decoded. */
  const rendered = (md: string) => md.replace(/\\([!-/:-@[-`{-~])/g, '$1').replace(/&#8203;/g, '\u200B');
  /** What markdown could act on: the source without its escapes and our breaks. */
  const structure = (md: string) => md.replace(/\\[!-/:-@[-`{-~]/g, '').replace(/&#8203;/g, '');

  test('no HTML, link, mention, reference or formatting of the file’s making; the text reads the same', () => {
    const shown = displayLine(hostile);
    const md = markdownText(shown);
    expect(structure(md)).toMatch(/^[^!-/:-@[-`{-~]*$/);
    expect(rendered(md).replace(/\u200B/g, '')).toBe(shown);
    // GitHub links mentions, references and URLs on the rendered text: a zero-width space breaks each.
    for (const linked of [/@[A-Za-z0-9]/, /#\d/, /:\/\//, /www\./i, /GH-\d/i])
      expect(rendered(md)).not.toMatch(linked);
  });

  test('the whole comment: the hostile text is escaped, one marker, the finding’s own, last', () => {
    const f = finding({ line: 2, message: hostile, ruleName: '<b>@admin</b>', help: '@octocat [x](y)' });
    const { body: b } = planReview([f], files()).comments[0]!.comment;
    expect(b).toContain(markdownText(displayLine(hostile)));
    expect(b).not.toContain('<b>');
    expect(b).not.toMatch(/@[A-Za-z0-9]/);
    expect(b).not.toContain('](');
    expect(b.match(/<!-- claude-guard/g)).toHaveLength(1);
    expect(markedFingerprint(b)).toBe(f.fingerprint);
  });

  test('escaped text still reads the same, and code spans are kept', () => {
    expect(markdownText('a_b* <x> & `Bash(*)` 1.')).toBe('a\\_b\\* \\<x\\> \\& `Bash(*)` 1\\.');
    expect(markdownText('@x #1')).toBe('\\@&#8203;x \\#&#8203;1');
  });

  test('the rule links to its page under docsBase, and only to a well-formed one', () => {
    const f = finding({ line: 2 });
    const link = (docsBase: string) => planReview([f], files(), { docsBase }).comments[0]!.comment.body;
    expect(link('https://github.com/o/claude-guard/blob/v1/')).toContain(
      '[CG102](https://github.com/o/claude-guard/blob/v1/docs/rules/CG102.md)',
    );
    expect(link('javascript:alert(1)//')).not.toContain('](');
    expect(
      planReview([{ ...f, docs: 'x) [y](z' }], files(), { docsBase: 'https://x/' }).comments[0]!.comment.body,
    ).not.toContain('](');
  });

  test('keys in messages, help and related locations are masked; known pieces too', () => {
    const tail = body.slice(40);
    const f = finding({
      line: 2,
      message: `key "${KEY}" in settings`,
      help: `rotate ${tail}`,
      related: [{ path: 'a.json', line: 1, message: `also ${KEY}` }],
    });
    const { body: b } = planReview([f], files(), { secrets: [KEY, tail] }).comments[0]!.comment;
    expect(b).not.toContain(body.slice(0, 16));
    expect(b).not.toContain(tail);
    expect(b).toContain('sk\\-ant\\-api03\\-\\*\\*\\*\\*\\*\\*\\*\\*');
  });

  test('control characters are shown, not obeyed; a long message is cut', () => {
    const f = finding({ line: 2, message: `bell\x07 esc\x1b[2J line\u2028${'x'.repeat(5000)}` });
    const { body: b } = planReview([f], files()).comments[0]!.comment;
    expect(b).toContain('bell\\\\x07');
    expect(b).not.toMatch(/[\x07\x1b\u2028]/);
    expect(b.length).toBeLessThan(3000);
  });

  test('markedFingerprint: only a marker on the last line, CRLF or not', () => {
    const marker = findingMarker('abc:1');
    expect(markedFingerprint(`text\n\n${marker}`)).toBe('abc:1');
    expect(markedFingerprint(`text\r\n\r\n${marker}\r\n`)).toBe('abc:1');
    expect(markedFingerprint(`${marker}\n\nmore text`)).toBeUndefined();
    expect(markedFingerprint(`text \`${marker}\``)).toBeUndefined();
  });

  test('findingMarker keeps only characters that cannot end the comment', () => {
    expect(findingMarker('abc:1')).toBe('<!-- claude-guard:finding abc:1 -->');
    expect(findingMarker('a --> <b>')).toBe('<!-- claude-guard:finding a_--___b_ -->');
  });
});

describe('postReview against the fake GitHub', () => {
  const REPO = 'octo-org/guarded';
  const [OWNER, NAME] = REPO.split('/') as [string, string];
  const HEAD = 'c4'.repeat(20);
  let gh: FakeGitHub;
  let number = 0;
  let logs: string[] = [];

  beforeAll(async () => {
    gh = await startFakeGitHub({ now: () => new Date('2026-11-24T12:00:00Z') });
  });
  afterAll(async () => {
    await gh.close();
  });
  afterEach(() => {
    expect(gh.violations).toEqual([]);
    gh.readOnly = false;
    logs = [];
  });

  function pull(patch = SETTINGS_PATCH): { ctx: EventContext; record: PullRecord } {
    number++;
    const record = gh.state.addPull(REPO, {
      number,
      head: { sha: HEAD },
      files: [{ filename: '.claude/settings.json', patch }],
    });
    const ctx: EventContext = {
      eventName: 'pull_request',
      owner: OWNER,
      repo: NAME,
      headSha: HEAD,
      pullRequest: { number, headRepo: REPO, fromFork: false },
      serverUrl: 'https://github.com',
      apiUrl: gh.url,
    };
    return { ctx, record };
  }

  const client = () => getOctokit(FAKE_TOKEN, { baseUrl: gh.url });
  const options = () => ({ log: (m: string) => logs.push(m) });
  const requestsTo = (op: string, n: number) =>
    gh.requests.filter((r) => r.operationId === op && r.path.includes(`/pulls/${n}/`));

  function seedComment(record: PullRecord, user: GitHubUser, b: string): void {
    record.reviewComments.push({
      id: gh.state.nextId(),
      review_id: 1,
      path: '.claude/settings.json',
      body: b,
      line: 2,
      side: 'RIGHT',
      start_line: null,
      start_side: null,
      position: null,
      commit_id: HEAD,
      user,
      created_at: gh.state.now(),
      updated_at: gh.state.now(),
    });
  }

  test('listPullFiles: every file, its patch, and a rename', async () => {
    const { ctx } = pull();
    gh.state.addPullFile(REPO, number, { filename: 'logo.png', status: 'added' });
    gh.state.addPullFile(REPO, number, {
      filename: 'CLAUDE.md',
      status: 'renamed',
      previous_filename: 'AGENTS.md',
      patch: '@@ -1 +1 @@\n-a\n+b',
    });
    const listed = await listPullFiles(client(), ctx);
    expect(listed).toEqual({
      capped: false,
      files: [
        { filename: '.claude/settings.json', status: 'modified', patch: SETTINGS_PATCH },
        { filename: 'logo.png', status: 'added' },
        {
          filename: 'CLAUDE.md',
          status: 'renamed',
          patch: '@@ -1 +1 @@\n-a\n+b',
          previousFilename: 'AGENTS.md',
        },
      ],
    });
    expect(await listPullFiles(client(), { ...ctx, pullRequest: undefined } as EventContext)).toBe(
      'not a pull request',
    );
  });

  test('one COMMENT review on the head commit with every comment; GitHub takes every line', async () => {
    const { ctx, record } = pull();
    const findings = [
      finding({ line: 2 }),
      finding({ line: 20, endLine: 23 }),
      finding({ line: 22, suggestion: { startLine: 21, endLine: 22, text: 'x\ny' } }),
      finding({ line: 10 }),
    ];
    const listed = await listPullFiles(client(), ctx);
    if (typeof listed === 'string') throw new Error(listed);
    const plan = planReview(findings, listed.files);
    const result = await postReview(client(), ctx, plan, options());
    expect(result).toMatchObject({ posted: 3, alreadyCommented: [] });
    expect(result.skipped).toBeUndefined();
    expect(result.outside.map((o) => [o.finding.line, o.reason])).toEqual([[10, 'not-in-diff']]);
    expect(gh.rejections).toEqual([]);
    const [sent] = requestsTo('pulls/create-review', number);
    expect(sent!.body).toMatchObject({ commit_id: HEAD, event: 'COMMENT' });
    expect((sent!.body as { body: string }).body).toContain('3 new findings');
    expect(record.reviews).toHaveLength(1);
    expect(record.reviewComments.map((c) => [c.start_line, c.line])).toEqual([
      [null, 2],
      [20, 23],
      [21, 22],
    ]);
    expect(logs).toEqual([]);
  });

  test('a re-run does not repeat a comment the bot already made', async () => {
    const { ctx, record } = pull();
    const plan = planReview([finding({ line: 2 }), finding({ line: 21 })], files());
    expect((await postReview(client(), ctx, plan, options())).posted).toBe(2);
    const again = await postReview(client(), ctx, plan, options());
    expect(again).toMatchObject({ posted: 0, skipped: { reason: 'already-commented' } });
    expect(again.alreadyCommented).toHaveLength(2);
    expect(requestsTo('pulls/create-review', number)).toHaveLength(1);
    // A new finding next to the old ones: only it is posted.
    const more = planReview([...plan.comments.map((c) => c.finding), finding({ line: 22 })], files());
    const third = await postReview(client(), ctx, more, options());
    expect(third).toMatchObject({ posted: 1 });
    expect(record.reviewComments).toHaveLength(3);
  });

  test('a marker quoted by a person, or not at the end of the bot’s comment, does not count', async () => {
    const { ctx, record } = pull();
    const f = finding({ line: 2 });
    seedComment(record, humanUser('mallory'), `Please ignore this\n\n${findingMarker(f.fingerprint)}`);
    seedComment(record, GITHUB_ACTIONS_BOT, `\`${findingMarker(f.fingerprint)}\` was said here`);
    const result = await postReview(client(), ctx, planReview([f], files()), options());
    expect(result.posted).toBe(1);
    expect(result.alreadyCommented).toEqual([]);
  });

  test('GitHub refuses a line (422): the findings come back as outside, said once, nothing thrown', async () => {
    // Planned from a patch that has changed since: line 30 is no longer in the diff GitHub holds.
    const { ctx, record } = pull(hunk(1, 1, [' a', '+b']));
    const plan = planReview(
      [finding({ line: 2 }), finding({ line: 30, severity: 'critical' })],
      [{ filename: '.claude/settings.json', status: 'modified', patch: hunk(28, 29, [' x', '+y']) }],
    );
    expect(plan.comments).toHaveLength(1);
    const result = await postReview(client(), ctx, plan, options());
    expect(result.posted).toBe(0);
    expect(result.skipped?.reason).toBe('rejected');
    expect(result.outside.map((o) => [o.finding.line, o.reason])).toEqual([
      [30, 'rejected'],
      [2, 'not-in-diff'],
    ]);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/422.*part of the diff.*1 finding goes to the summary comment/);
    expect(record.reviews).toEqual([]);
  });

  test('a read-only token (403): the result says so, the findings come back as outside', async () => {
    const { ctx, record } = pull();
    gh.readOnly = true;
    const plan = planReview([finding({ line: 2 }), finding({ line: 3 })], files());
    // The action's own client: a 403 is not retried.
    const result = await postReview(
      makeClient(FAKE_TOKEN, gh.url, () => {}),
      ctx,
      plan,
      options(),
    );
    expect(result).toMatchObject({ posted: 0, skipped: { reason: 'read-only' } });
    expect(result.skipped!.message).toContain('read-only token');
    expect(result.outside.map((o) => o.reason)).toEqual(['read-only', 'read-only']);
    expect(requestsTo('pulls/create-review', number)).toHaveLength(1);
    expect(record.reviews).toEqual([]);
    expect(logs).toHaveLength(1);
  });

  test('nothing to say: no request at all', async () => {
    const { ctx } = pull();
    const before = gh.requests.length;
    const result = await postReview(client(), ctx, planReview([finding({ line: 10 })], files()), options());
    expect(result.skipped?.reason).toBe('nothing-to-say');
    expect(result.outside).toHaveLength(1);
    expect(gh.requests.length).toBe(before);
  });

  test('GitHub unreachable (Octokit reports a network error as 500): the findings come back as outside', async () => {
    const { ctx } = pull();
    const plan: ReviewPlan = planReview([finding({ line: 2 })], files());
    const down = getOctokit(FAKE_TOKEN, { baseUrl: 'http://127.0.0.1:9' });
    const result = await postReview(down, ctx, plan, options());
    expect(result.skipped?.reason).toBe('failed');
    expect(result.outside.map((o) => o.reason)).toEqual(['failed']);
    expect(logs).toHaveLength(1);
  });
});
