import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { defaultPolicy, ruleContext } from '../src/policy/policy.js';
import { renderSarif } from '../src/report/sarif.js';
import { renderText } from '../src/report/text.js';
import { untrustedTrigger } from '../src/rules/CG501-untrusted-trigger.js';
import type { RuleContext, RuleFinding } from '../src/rules/types.js';
import { memorySource, scan } from '../src/scan.js';
import { MAX_CLAUDE_CALLS } from '../src/surfaces/shell.js';
import { conditionText, parseExpression } from '../src/syntax/actions-expression.js';

const CTX: RuleContext = ruleContext(defaultPolicy());
const WF = '.github/workflows/claude.yml';

/** The rule's findings on one workflow, with their related spans as `line:column message`. */
async function cg501(yaml: string, extra: Record<string, string> = {}): Promise<RuleFinding[]> {
  const { model } = await scan(memorySource({ [WF]: yaml, ...extra }), defaultPolicy());
  return untrustedTrigger.check(model, CTX);
}

const at = (f: RuleFinding): string => `${f.span.line}:${f.span.column} ${f.severity ?? 'critical'}`;
const links = (f: RuleFinding | undefined): string[] =>
  (f?.related ?? []).map((r) => `${r.span.line}:${r.span.column}-${r.span.endColumn} ${r.message}`);

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

describe('CG501 untrusted-trigger: claude-code-action', () => {
  test('on issue_comment as documented it is silent: the action checks that the commenter can write', async () => {
    const found = await cg501(
      lines(
        'on:',
        '  issue_comment:',
        '    types: [created]',
        '  pull_request_review_comment:',
        'permissions: write-all',
        'jobs:',
        '  claude:',
        "    if: contains(github.event.comment.body, '@claude')",
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: anthropics/claude-code-action@v1',
        '        with:',
        '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
        '          claude_args: --dangerously-skip-permissions',
      ),
    );
    expect(found).toEqual([]);
  });

  test('allowed_non_write_users "*" opens it to anyone: critical with a write token, each link located', async () => {
    const [f, ...rest] = await cg501(
      lines(
        'on:',
        '  issues:',
        '    types: [opened]',
        'permissions:',
        '  contents: read',
        '  issues: write',
        '  id-token: write',
        'jobs:',
        '  triage:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: anthropics/claude-code-action@v1',
        '        with:',
        '          github_token: ${{ secrets.GITHUB_TOKEN }}',
        '          allowed_non_write_users: "*"',
        '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
        '          prompt: "Label issue #${{ github.event.issue.number }}"',
      ),
    );
    expect(rest).toEqual([]);
    expect(at(f as RuleFinding)).toBe('12:15 critical');
    expect(f?.message).toBe(
      'Anyone who opens an issue can start this Claude run: allowed_non_write_users "*" turns off the ' +
        "action's check that they can write to the repository; it holds a token that can write (issues) and " +
        'secret ANTHROPIC_API_KEY',
    );
    // The job's own token (secrets.GITHUB_TOKEN) is the token link, not a secret; id-token is not a write.
    expect(links(f)).toEqual([
      '2:3-9 triggered by issues (types: opened): anyone who opens an issue starts it',
      '15:37-38 allowed_non_write_users: "*" lets people without write access start Claude',
      '6:11-16 its token can write: issues',
      '16:30-62 it holds secret ANTHROPIC_API_KEY (the anthropic_api_key input)',
    ]);
  });

  const named = (users: string, token: boolean): string =>
    lines(
      'on: issue_comment',
      'permissions: { issues: write }',
      'jobs:',
      '  answer:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: anthropics/claude-code-action@v1',
      '        with:',
      ...(token ? ['          github_token: ${{ secrets.GITHUB_TOKEN }}'] : []),
      `          allowed_non_write_users: ${users}`,
    );

  test('a list of users, or no github_token input (the action then ignores the input), is high', async () => {
    const [listed] = await cg501(named('alice,bob', true));
    expect(at(listed as RuleFinding)).toBe('7:15 high');
    expect(listed?.message).toMatch(/^The users allowed_non_write_users names \(alice,bob\) can start/);
    expect(listed?.message).toBe(
      'The users allowed_non_write_users names (alice,bob) can start this Claude run without write access; it holds a token that can write (issues)',
    );
    const [tokenless] = await cg501(named('"*"', false));
    expect(at(tokenless as RuleFinding)).toBe('7:15 high');
    expect(tokenless?.message).toMatch(
      /applies allowed_non_write_users only when the github_token input is given$/,
    );
  });

  test('allowed_bots "*" lets any GitHub App start it', async () => {
    const [f] = await cg501(
      lines(
        'on: issue_comment',
        'jobs:',
        '  answer:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: anthropics/claude-code-action@v1',
        '        with:',
        "          allowed_bots: '*'",
      ),
    );
    expect(at(f as RuleFinding)).toBe('6:15 high');
    expect(links(f)).toEqual([
      '1:5-18 triggered by issue_comment (every activity type): anyone who comments on an issue or pull request starts it',
      '8:26-27 allowed_bots: "*" lets any GitHub App start Claude',
      "3:3-9 no permissions: at job or workflow level: the token has the repository's default permissions (read and write on repositories and organisations that keep the older default)",
    ]);
  });

  test('on workflow_run it checks the upstream actor from v1.0.185; an older pin does not', async () => {
    const workflow = (ref: string): string =>
      lines(
        'on:',
        '  workflow_run:',
        '    workflows: [CI]',
        '    types: [completed]',
        'permissions: { contents: write }',
        'jobs:',
        '  fix:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        `      - uses: anthropics/claude-code-action@${ref}`,
        '        with:',
        '          prompt: Fix the failing build',
      );
    expect(await cg501(workflow('v1'))).toEqual([]);
    expect(await cg501(workflow('v1.0.190'))).toEqual([]);
    // Before v1.0.0 the action stops on workflow_run ("Unsupported event type"): nothing runs.
    expect(await cg501(workflow('beta'))).toEqual([]);
    const [old] = await cg501(workflow('v1.0.100'));
    expect(at(old as RuleFinding)).toBe('10:15 critical');
    expect(links(old)[1]).toBe(
      '10:15-53 claude-code-action@v1.0.100 does not check who started the run it follows (it does from v1.0.185)',
    );
  });

  test('before v1.0.9 it refuses pull_request_target', async () => {
    const workflow = (ref: string): string =>
      lines(
        'on: pull_request_target',
        'jobs:',
        '  review:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '        with:',
        '          ref: ${{ github.event.pull_request.head.sha }}',
        `      - uses: anthropics/claude-code-action@${ref}`,
      );
    expect(await cg501(workflow('v0.0.63'))).toEqual([]);
    expect(await cg501(workflow('v1.0.8'))).toEqual([]);
    expect((await cg501(workflow('v1.0.9'))).map(at)).toEqual(['9:15 high']);
  });

  test('it refuses discussion events, so a discussion trigger reaches nothing', async () => {
    const found = await cg501(
      lines(
        'on: [discussion, discussion_comment]',
        'jobs:',
        '  answer:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: anthropics/claude-code-action@v1',
        '        with:',
        '          allowed_non_write_users: "*"',
        '          prompt: "Answer: ${{ github.event.discussion.body }}"',
      ),
    );
    expect(found).toEqual([]);
  });

  test("a maintainer's label on an outsider's issue: the action passes its check, the issue text reaches the prompt", async () => {
    const [f] = await cg501(untrustedTrigger.meta.bad[3]?.content as string);
    expect(at(f as RuleFinding)).toBe('11:15 critical');
    expect(links(f)).toEqual([
      '2:3-9 triggered by issues (types: labeled): someone with write access starts it on an issue an outsider opened',
      '15:13-44 the issue title reaches Claude through the prompt input',
      '16:13-43 the issue body reaches Claude through the prompt input',
      '5:11-16 its token can write: issues',
      '17:30-62 it holds secret ANTHROPIC_API_KEY (the anthropic_api_key input)',
    ]);
  });

  test("the commenter's own text on issue_comment stays silent; the issue's text (someone else's) fires", async () => {
    const workflow = (text: string): string =>
      lines(
        'on:',
        '  issue_comment:',
        '    types: [created]',
        'permissions: { contents: read }',
        'jobs:',
        '  answer:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: anthropics/claude-code-action@v1',
        '        with:',
        `          prompt: "Answer ${text}"`,
      );
    expect(await cg501(workflow('${{ github.event.comment.body }}'))).toEqual([]);
    // Nor when edits trigger it too: whoever edits a comment has read it.
    const anyType = workflow('${{ github.event.comment.body }}').replace('    types: [created]\n', '');
    expect(anyType).not.toContain('types');
    expect(await cg501(anyType)).toEqual([]);
    const [f] = await cg501(workflow('${{ github.event.issue.title }}'));
    expect(at(f as RuleFinding)).toBe('9:15 high');
    expect(f?.message).toBe(
      'Text an outsider wrote reaches this Claude run when someone with write access triggers it; the issue title reaches it',
    );
    expect(links(f)).toEqual([
      '2:3-16 triggered by issue_comment (types: created): someone with write access starts it on an issue an outsider opened',
      '11:27-58 the issue title reaches Claude through the prompt input',
    ]);
  });

  test('text an earlier step writes to a file the prompt names, or to an output the prompt reads', async () => {
    const [file] = await cg501(
      lines(
        'on: issue_comment',
        'permissions: { contents: read }',
        'jobs:',
        '  answer:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - name: Save the issue',
        '        run: |',
        '          echo "${{ github.event.issue.body }}" > /tmp/issue.md',
        '      - uses: anthropics/claude-code-action@v1',
        '        with:',
        '          prompt: Read /tmp/issue.md and answer the question in it',
      ),
    );
    expect(at(file as RuleFinding)).toBe('10:15 high');
    expect(links(file)[1]).toBe(
      '9:17-47 the issue body reaches Claude through step "Save the issue", which writes /tmp/issue.md for Claude to read',
    );
    const [script] = await cg501(
      lines(
        'on: issue_comment',
        'permissions: { contents: read }',
        'jobs:',
        '  answer:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - id: ctx',
        '        uses: actions/github-script@v7',
        '        with:',
        '          script: core.setOutput("text", `${{ github.event.issue.title }}`)',
        '      - uses: anthropics/claude-code-action@v1',
        '        with:',
        '          prompt: ${{ steps.ctx.outputs.text }}',
      ),
    );
    expect(links(script)[1]).toBe(
      `10:43-74 the issue title reaches Claude through step "ctx", whose outputs Claude's prompt reads`,
    );
    const [output] = await cg501(
      lines(
        'on: issue_comment',
        'permissions: { contents: read }',
        'jobs:',
        '  answer:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - id: issue',
        '        env:',
        '          TITLE: ${{ github.event.issue.title }}',
        '        run: echo "title=$TITLE" >> "$GITHUB_OUTPUT"',
        '      - uses: anthropics/claude-code-action@v1',
        '        with:',
        '          prompt: "Answer about ${{ steps.issue.outputs.title }}"',
      ),
    );
    expect(links(output)[1]).toBe(
      `9:18-49 the issue title reaches Claude through step "issue", whose outputs Claude's prompt reads`,
    );
  });

  test("pull_request_target with the head checked out: a push or reopen by a maintainer runs Claude in the fork's code", async () => {
    const [f] = await cg501(
      lines(
        'on: pull_request_target',
        'permissions: { contents: read, pull-requests: write }',
        'jobs:',
        '  review:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '        with:',
        '          ref: ${{ github.event.pull_request.head.sha }}',
        '      - uses: anthropics/claude-code-action@v1',
        '        with:',
        '          prompt: Review this pull request',
      ),
    );
    expect(at(f as RuleFinding)).toBe('10:15 critical');
    expect(links(f)).toEqual([
      '1:5-24 triggered by pull_request_target (by default opened, synchronize, reopened): someone with write access starts it (synchronize, reopened) on a pull request an outsider opened',
      "9:16-57 checks out the pull request's code before Claude runs: Claude starts in it and loads its .claude/settings.json, .mcp.json and hooks",
      '2:47-52 its token can write: pull-requests',
    ]);
  });
});

describe('CG501 untrusted-trigger: claude -p and claude-code-base-action', () => {
  test('pull_request_target, the head checked out, claude -p: critical, with trigger, gate, checkout, token and secret', async () => {
    const [f, ...rest] = await cg501(untrustedTrigger.meta.bad[2]?.content as string);
    expect(rest).toEqual([]);
    expect(at(f as RuleFinding)).toBe('9:14 critical');
    expect(f?.message).toBe(
      'Anyone who opens a pull request from a fork can start this Claude run: nothing in its if: checks who they ' +
        "are; it starts in the pull request's checked-out code; it holds secret ANTHROPIC_API_KEY",
    );
    expect(links(f)).toEqual([
      '1:5-24 triggered by pull_request_target (by default opened, synchronize, reopened): anyone who opens a pull request from a fork starts it',
      '3:3-9 no if: of job "review" or of the step checks who triggered it',
      "8:16-57 checks out the pull request's code before Claude runs: Claude starts in it and loads its .claude/settings.json, .mcp.json and hooks",
      "3:3-9 no permissions: at job or workflow level: the token has the repository's default permissions (read and write on repositories and organisations that keep the older default)",
      '11:30-62 it holds secret ANTHROPIC_API_KEY (env ANTHROPIC_API_KEY)',
    ]);
  });

  test("workflow_run: the upstream run's head checked out and its commit message in the prompt", async () => {
    const [f] = await cg501(
      lines(
        'on:',
        '  workflow_run:',
        '    workflows: [CI]',
        '    types: [completed]',
        'jobs:',
        '  fix:',
        "    if: github.event.workflow_run.conclusion == 'failure'",
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '        with:',
        '          ref: ${{ github.event.workflow_run.head_branch }}',
        '      - run: claude -p "Fix CI for ${{ github.event.workflow_run.head_commit.message }}" --allowedTools Edit,Bash',
      ),
    );
    expect(at(f as RuleFinding)).toBe('13:14 critical');
    expect(links(f)).toEqual([
      '2:3-15 triggered by workflow_run (types: completed): anyone who starts the workflow it follows (a pull request from a fork does) starts it',
      '7:9-58 this if: does not check who triggered it (an author_association, github.actor or same-repository check would)',
      "13:36-88 the upstream run's commit message reaches Claude through Claude's command line",
      "12:16-60 checks out the upstream run's code before Claude runs: Claude starts in it and loads its .claude/settings.json, .mcp.json and hooks",
      '13:110-114 it holds an unscoped shell (Bash)',
      "6:3-6 no permissions: at job or workflow level: the token has the repository's default permissions (read and write on repositories and organisations that keep the older default)",
    ]);
  });

  test('the head checked out into a folder of its own, Claude started elsewhere, is not the checkout link', async () => {
    const [f] = await cg501(
      lines(
        'on: pull_request_target',
        'permissions: { contents: read }',
        'jobs:',
        '  review:',
        "    if: github.event.pull_request.author_association == 'MEMBER'",
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '        with:',
        '          ref: ${{ github.event.pull_request.head.sha }}',
        '          path: pr',
        '      - run: claude -p "Review the code in ./pr" --add-dir pr',
      ),
    );
    expect(f).toBeUndefined();
  });

  test('the issue title through env: fires at claude, related at the ${{ github.event.issue.title }} span', async () => {
    const [f] = await cg501(
      lines(
        'on:',
        '  issues:',
        '    types: [opened, edited]',
        'permissions:',
        '  contents: read',
        'jobs:',
        '  triage:',
        '    runs-on: ubuntu-latest',
        '    env:',
        '      TITLE: ${{ github.event.issue.title }}',
        '    steps:',
        '      - run: |',
        '          npm ci',
        '          claude -p "Suggest labels for: $TITLE" --permission-mode bypassPermissions',
        '        env:',
        '          ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}',
      ),
    );
    expect(at(f as RuleFinding)).toBe('14:11 critical');
    expect(f?.message).toBe(
      'Anyone who opens an issue can start this Claude run: nothing in its if: checks who they are; the issue ' +
        'title reaches it; it holds secret ANTHROPIC_API_KEY and bypass mode',
    );
    expect(links(f)).toEqual([
      '2:3-9 triggered by issues (types: opened, edited): anyone who opens an issue starts it',
      '7:3-9 no if: of job "triage" or of the step checks who triggered it',
      "10:14-45 the issue title reaches Claude through env TITLE, which Claude's command line reads",
      '14:68-85 it holds bypass mode',
      '16:30-62 it holds secret ANTHROPIC_API_KEY (env ANTHROPIC_API_KEY)',
    ]);
  });

  test('claude-code-base-action checks nobody: a comment inline in its prompt, read-only token, no secret: high', async () => {
    const [f] = await cg501(
      lines(
        'on:',
        '  issue_comment:',
        '    types: [created]',
        'permissions:',
        '  contents: read',
        'jobs:',
        '  answer:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: anthropics/claude-code-base-action@beta',
        '        with:',
        '          prompt: |',
        '            Answer this: ${{ github.event.comment.body }}',
        '          anthropic_api_key: ${{ vars.KEY_FROM_A_VARIABLE }}',
      ),
    );
    expect(at(f as RuleFinding)).toBe('10:15 high');
    expect(links(f)).toEqual([
      '2:3-16 triggered by issue_comment (types: created): anyone who comments on an issue or pull request starts it',
      '7:3-9 no if: of job "answer" or of the step checks who triggered it',
      '13:26-58 the comment reaches Claude through the prompt input',
    ]);
  });

  test('inline in claude -p, and written to a file by an earlier step that the script reads', async () => {
    const [inline] = await cg501(
      lines(
        'on: discussion_comment',
        'jobs:',
        '  answer:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: claude -p "Answer ${{ github.event.comment.body }}"',
      ),
    );
    expect(at(inline as RuleFinding)).toBe('6:14 high');
    expect(links(inline)[2]).toBe("6:32-64 the comment reaches Claude through Claude's command line");
    const [file] = await cg501(
      lines(
        'on: issues',
        'jobs:',
        '  triage:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: echo "${{ github.event.issue.body }}" > issue.txt',
        '      - run: claude -p "$(cat issue.txt)"',
      ),
    );
    expect(links(file)[2]).toBe(
      '6:20-50 the issue body reaches Claude through step 1, which writes issue.txt for Claude to read',
    );
  });

  const gated = (condition: string, on = 'issue_comment'): string =>
    lines(
      `on: ${on}`,
      'permissions: { contents: write }',
      'jobs:',
      '  answer:',
      `    if: ${condition}`,
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: claude -p "Answer the comment" --dangerously-skip-permissions',
    );

  test.each([
    "github.event.comment.author_association == 'OWNER' || github.event.comment.author_association == 'MEMBER'",
    'contains(fromJSON(\'["OWNER","MEMBER","COLLABORATOR"]\'), github.event.comment.author_association)',
    "${{ contains('OWNER,MEMBER,COLLABORATOR', github.event.comment.author_association) }}",
    "github.actor == 'alice'",
    'contains(fromJSON(\'["alice","bob"]\'), github.actor) && contains(github.event.comment.body, \'@claude\')',
    'github.actor == github.repository_owner',
    "github.event.sender.type == 'Bot'",
    "contains(github.event.comment.author_association, 'MEMBER') || github.event.comment.author_association == 'OWNER'",
    "github.event.comment.user.login == 'alice' && github.event.comment.author_association != 'NONE'",
    "github.event_name == 'workflow_dispatch'",
    // The issue_comment event carries no review: null is not 'OWNER'.
    "github.event.review.author_association == 'OWNER'",
  ])('a gate an outsider cannot pass keeps it silent: %s', async (condition) => {
    expect(await cg501(gated(condition))).toEqual([]);
  });

  test.each([
    ["contains(github.event.comment.body, '@claude')", 'anyone can write @claude'],
    ["github.event.comment.author_association != 'NONE'", 'a contributor passes'],
    ["contains('alice,bob', github.actor)", "a login may be a part of the string ('lice')"],
    ["github.actor != 'dependabot[bot]'", 'a deny list'],
    ["github.event.issue.author_association == 'OWNER'", "the issue's author, not the commenter"],
    ["github.repository == 'acme/app'", 'the repository, not who triggered it'],
  ])('a condition that does not keep outsiders out fires: %s (%s)', async (condition) => {
    const [f] = await cg501(gated(condition));
    expect(at(f as RuleFinding)).toBe('8:14 critical');
    expect(links(f)[1]).toBe(
      `5:9-${9 + condition.length}` +
        ' this if: does not check who triggered it (an author_association, github.actor or same-repository check would)',
    );
  });

  test('a job in an environment, which may require approval, is high and says so', async () => {
    const [f] = await cg501(
      lines(
        'on: pull_request_target',
        'jobs:',
        '  review:',
        '    environment: external-contributors',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '        with:',
        '          ref: ${{ github.event.pull_request.head.sha }}',
        '      - run: claude -p "Review" --dangerously-skip-permissions',
      ),
    );
    expect(at(f as RuleFinding)).toBe('10:14 high');
    expect(f?.message).toMatch(
      /nothing in its if: checks who they are \(environment "external-contributors" may require a reviewer's approval first, a setting of the repository: reported high\)/,
    );
  });

  test('the same-repository gate keeps fork pull requests out of pull_request_target', async () => {
    const workflow = gated(
      'github.event.pull_request.head.repo.full_name == github.repository',
      'pull_request_target',
    );
    expect(await cg501(workflow)).toEqual([]);
    const fork = gated('${{ !github.event.pull_request.head.repo.fork }}', 'pull_request_target');
    expect(await cg501(fork)).toEqual([]);
  });

  test('a gate on one event leaves the other open: only issues reaches it', async () => {
    const [f] = await cg501(
      lines(
        'on: [issues, issue_comment]',
        'jobs:',
        '  answer:',
        "    if: github.event_name == 'issues' || github.event.comment.author_association == 'OWNER'",
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: claude -p "Triage"',
      ),
    );
    expect(links(f)[0]).toBe(
      '1:6-12 triggered by issues (every activity type): anyone who opens an issue starts it',
    );
    expect(links(f)[1]).toMatch(/^4:9-/);
  });

  test('a step that asks GitHub for the permission and fails, or a job whose check the run needs, keeps it out', async () => {
    const failing = lines(
      'on: issue_comment',
      'jobs:',
      '  answer:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - env:',
      '          GH_TOKEN: ${{ github.token }}',
      '        run: |',
      '          level=$(gh api "repos/$GITHUB_REPOSITORY/collaborators/$GITHUB_ACTOR/permission" --jq .permission)',
      '          [ "$level" = admin ] || [ "$level" = write ] || exit 1',
      '      - run: claude -p "Answer the comment"',
    );
    expect(await cg501(failing)).toEqual([]);
    const needs = lines(
      'on: issue_comment',
      'jobs:',
      '  check:',
      '    runs-on: ubuntu-latest',
      '    outputs:',
      '      ok: ${{ steps.perm.outputs.ok }}',
      '    steps:',
      '      - id: perm',
      '        run: gh api "repos/$GITHUB_REPOSITORY/collaborators/$GITHUB_ACTOR/permission" --jq .permission',
      '  answer:',
      '    needs: check',
      "    if: needs.check.outputs.ok == 'true'",
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: claude -p "Answer the comment"',
    );
    expect(await cg501(needs)).toEqual([]);
    // A job that waits for a check job whose abort step fails for outsiders is skipped, outputs or not.
    const waits = (condition: string): string =>
      lines(
        'on: issue_comment',
        'jobs:',
        '  authorize:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - id: check',
        '        uses: actions-cool/check-user-permission@v2',
        '        with:',
        '          require: write',
        "      - if: steps.check.outputs.require-result == 'false'",
        '        run: exit 1',
        '  answer:',
        '    needs: [authorize]',
        ...(condition ? [`    if: ${condition}`] : []),
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: claude -p "Answer the comment"',
      );
    expect(await cg501(waits(''))).toEqual([]);
    const [always] = await cg501(waits('always()'));
    expect(at(always as RuleFinding)).toBe('17:14 high');
  });

  test('a reusable workflow is reached through the workflow that calls it, with its event and token', async () => {
    const callee = lines(
      'on:',
      '  workflow_call:',
      'jobs:',
      '  run:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: claude -p "Fix it" --allowedTools "Bash(git push:*)"',
    );
    const caller = (condition: string): string =>
      lines(
        'on:',
        '  issue_comment:',
        '    types: [created]',
        'jobs:',
        '  call:',
        ...(condition ? [`    if: ${condition}`] : []),
        '    permissions:',
        '      contents: write',
        '    uses: ./.github/workflows/claude.yml',
      );
    const CALLER = '.github/workflows/on-comment.yml';
    const [f] = await cg501(callee, { [CALLER]: caller('') });
    expect(at(f as RuleFinding)).toBe('7:14 critical');
    expect(f?.related?.map((r) => `${r.span.path}:${r.span.line}:${r.span.column} ${r.message}`)).toEqual([
      `${CALLER}:2:3 triggered by issue_comment (types: created): anyone who comments on an issue or pull request starts it`,
      `${CALLER}:5:3 no if: of job "call" in ${CALLER} (which calls this workflow), of the job or of the step checks who triggered it`,
      `${CALLER}:7:17 its token can write: contents`,
    ]);
    const gate = 'contains(fromJSON(\'["OWNER","MEMBER"]\'), github.event.comment.author_association)';
    expect(await cg501(callee, { [CALLER]: caller(gate) })).toEqual([]);
  });

  test('Claude started by a script a workflow step runs: reported in the script, the chain in the workflow', async () => {
    const script = lines('#!/bin/sh', 'claude -p "Triage: $ISSUE_TITLE" --dangerously-skip-permissions');
    // The workflow is read because it names claude (the script's path here); files that never do are not read.
    const workflow = (gate: string): string =>
      lines(
        'on:',
        '  issues:',
        '    types: [opened]',
        'jobs:',
        '  triage:',
        ...(gate ? [`    if: ${gate}`] : []),
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - name: Triage',
        '        run: ./scripts/claude-triage.sh',
        '        env:',
        '          ISSUE_TITLE: ${{ github.event.issue.title }}',
        '          ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}',
      );
    const { model } = await scan(
      memorySource({ [WF]: workflow(''), 'scripts/claude-triage.sh': script }),
      defaultPolicy(),
    );
    const [f, ...rest] = untrustedTrigger.check(model, CTX);
    expect(rest).toEqual([]);
    expect(f && `${f.span.path}:${f.span.line}:${f.span.column} ${f.severity ?? 'critical'}`).toBe(
      'scripts/claude-triage.sh:2:1 critical',
    );
    expect(f?.related?.map((r) => `${r.span.path}:${r.span.line}:${r.span.column} ${r.message}`)).toEqual([
      `${WF}:2:3 triggered by issues (types: opened): anyone who opens an issue starts it`,
      `${WF}:9:14 this step runs scripts/claude-triage.sh, where Claude starts`,
      `${WF}:5:3 no if: of job "triage" or of the step checks who triggered it`,
      `${WF}:11:24 the issue title reaches Claude through env ISSUE_TITLE, which Claude's command line in scripts/claude-triage.sh reads`,
      'scripts/claude-triage.sh:2:34 it holds bypass mode',
      `${WF}:5:3 no permissions: at job or workflow level: the token has the repository's default permissions (read and write on repositories and organisations that keep the older default)`,
      `${WF}:12:30 it holds secret ANTHROPIC_API_KEY (env ANTHROPIC_API_KEY of the step that runs scripts/claude-triage.sh)`,
    ]);
    const gated = await scan(
      memorySource({
        [WF]: workflow("github.event.issue.author_association == 'OWNER'"),
        'scripts/claude-triage.sh': script,
      }),
      defaultPolicy(),
    );
    expect(untrustedTrigger.check(gated.model, CTX)).toEqual([]);
  });

  test('issues labeled by a maintainer with nothing of the issue in the prompt stays silent', async () => {
    const found = await cg501(
      lines(
        'on:',
        '  issues:',
        '    types: [labeled]',
        'jobs:',
        '  fix:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: claude -p "Fix issue ${{ github.event.issue.number }}" --allowedTools "Bash(gh issue view:*)"',
      ),
    );
    expect(found).toEqual([]);
  });

  test.each([
    ['workflow_dispatch', 'on: workflow_dispatch'],
    ['push', 'on:\n  push:\n    branches: [main]'],
    ['schedule', "on:\n  schedule:\n    - cron: '0 3 * * *'"],
    ['pull_request (forks get no secrets and a read-only token)', 'on: pull_request'],
  ])('%s is silent', async (_name, on) => {
    const found = await cg501(
      lines(
        on,
        'permissions: write-all',
        'jobs:',
        '  fix:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: claude -p "Fix ${{ github.event.issue.title }}" --dangerously-skip-permissions',
      ),
    );
    expect(found).toEqual([]);
  });

  test('workflows that run another vendor’s agent, not Claude, get no finding', async () => {
    const found = await cg501(
      lines(
        'on: issue_comment',
        'permissions: write-all',
        'jobs:',
        '  agent:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: google-github-actions/run-gemini-cli@v0',
        '        with:',
        '          prompt: "${{ github.event.comment.body }}"',
        '      - run: codex exec --full-auto "${{ github.event.comment.body }}"',
      ),
    );
    expect(found).toEqual([]);
  });
});

describe('CG501 in the reports', () => {
  test('the verdict, the text report and SARIF carry every related location', async () => {
    const bad = untrustedTrigger.meta.bad[0];
    const { verdict } = await scan(
      memorySource({ [bad?.path as string]: bad?.content as string }),
      defaultPolicy(),
    );
    const f = verdict.findings.find((x) => x.ruleId === 'CG501');
    expect(f && [f.severity, f.line, f.column, f.blocking]).toEqual(['critical', 12, 14, true]);
    expect(f?.related.map((r) => r.line)).toEqual([2, 8, 14, 12, 5, 15]);
    const text = renderText(verdict);
    expect(text).toContain(`related: ${bad?.path}:14 the comment reaches Claude through env COMMENT`);
    expect(text).toContain(`related: ${bad?.path}:5 its token can write: contents`);
    const log = JSON.parse(renderSarif(verdict));
    const result = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'CG501');
    type Related = { id: number; physicalLocation: { region: { startLine: number } } };
    expect(result.relatedLocations.map((r: Related) => [r.id, r.physicalLocation.region.startLine])).toEqual([
      [1, 2],
      [2, 8],
      [3, 14],
      [4, 12],
      [5, 5],
      [6, 15],
    ]);
    const schema = JSON.parse(
      readFileSync(`node_modules/@microsoft/sarif-multitool-${process.platform}/sarif-2.1.0.json`, 'utf8'),
    );
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(log) ? [] : validate.errors).toEqual([]);
  });
});

describe('GitHub Actions expressions', () => {
  test('conditions with and without ${{ }}', () => {
    expect(conditionText("${{ github.actor == 'a' }}")).toBe(" github.actor == 'a' ");
    expect(conditionText("github.actor == 'a'")).toBe("github.actor == 'a'");
    expect(conditionText('${{ a }} && ${{ b }}')).toBeUndefined();
    expect(parseExpression("github.event['comment'].user.LOGIN == 'it''s'")).toEqual({
      kind: 'binary',
      op: '==',
      left: { kind: 'ref', path: 'github.event.comment.user.login' },
      right: { kind: 'literal', value: "it's" },
    });
    expect(parseExpression("contains(github.event.issue.labels.*.name, 'bug')")).toEqual({
      kind: 'call',
      name: 'contains',
      args: [
        { kind: 'ref', path: 'github.event.issue.labels.*.name' },
        { kind: 'literal', value: 'bug' },
      ],
    });
    expect(parseExpression("github.actor == 'unterminated")).toBeUndefined();
    expect(parseExpression('a ==')).toBeUndefined();
  });

  test('hostile conditions end quickly: deep nesting, long chains, huge strings', () => {
    const started = Date.now();
    expect(parseExpression('('.repeat(50_000) + 'a' + ')'.repeat(50_000))).toBeUndefined();
    expect(parseExpression('!'.repeat(50_000) + 'a')).toBeUndefined();
    expect(parseExpression('('.repeat(1000) + 'a' + ')'.repeat(1000))).toBeUndefined();
    expect(parseExpression('!'.repeat(1000) + 'a')).toBeUndefined();
    expect(parseExpression(Array.from({ length: 3000 }, (_, i) => `a${i}`).join(' && '))).toBeUndefined();
    expect(parseExpression(`'${'x'.repeat(500_000)}' == a`)).toBeDefined();
    expect(parseExpression(`${'a.'.repeat(100_000)}b`)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('CG501 on hostile workflows', () => {
  const head = lines('on: issues', 'jobs:', '  j:', '    runs-on: ubuntu-latest');
  // Each of these was quadratic once; jest's timeout is the guard, not a measurement.
  test.each([
    [
      'thousands of runs in one script, each with the issue title',
      `${head}    steps:\n      - run: |\n${'          claude -p "${{ github.event.issue.title }}"\n'.repeat(3000)}`,
      3000,
    ],
    [
      'thousands of steps, each writing the issue body to a file the next one reads',
      head +
        '    steps:\n' +
        Array.from(
          { length: 2000 },
          (_, i) =>
            `      - run: echo "\${{ github.event.issue.body }}" > f${i}.txt\n      - run: claude -p "$(cat f${i}.txt)"\n`,
        ).join(''),
      2000,
    ],
    [
      'a huge if:',
      `${head}    if: ${"github.actor == 'a' && ".repeat(20000)}true\n    steps:\n      - run: claude -p x\n`,
      1,
    ],
    [
      'a long word written to $GITHUB_ENV',
      `${head}    steps:\n      - run: echo ${'a'.repeat(400000)} >> $GITHUB_ENV\n      - run: claude -p "$A"\n`,
      1,
    ],
    [
      'padded API paths',
      `${head}    steps:\n      - run: echo ${'/teams/'.repeat(60000)}\n      - run: claude -p x\n`,
      1,
    ],
    [
      'a padded git fetch',
      `${head}    steps:\n      - run: ${'git fetch '.repeat(40000)}\n      - run: claude -p x\n`,
      1,
    ],
  ])('%s', async (_name, yaml, runs) => {
    const found = await cg501(yaml);
    // A file's first MAX_CLAUDE_CALLS runs are read (a notice says so): the rest never reach the rule.
    expect(found).toHaveLength(Math.min(runs, MAX_CLAUDE_CALLS));
    for (const f of found) expect((f.related ?? []).length).toBeLessThanOrEqual(24);
  });
});

describe('workflow facts CG501 reads', () => {
  test("every ${{ }} of a step located exactly, permission scopes at their level, a job's needs", async () => {
    const { model } = await scan(
      memorySource({
        [WF]: lines(
          'on: issues',
          'permissions:',
          '  contents: read',
          '  issues: write',
          'jobs:',
          '  check:',
          '    runs-on: ubuntu-latest',
          '    steps: [{ run: echo }]',
          '  triage:',
          '    needs: check',
          '    permissions: write-all',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - env:',
          '          T: "${{ github.event.issue.title }}"',
          '        with:',
          '          prompt: |',
          '            Look at ${{ github.event.issue.body }} and',
          "            ${{ toJSON(github.event) }} ${{ 'unclosed",
          '        run: claude -p "$T ${{ github.event.issue.number }}"',
        ),
      }),
      defaultPolicy(),
    );
    const [workflow] = model.workflows;
    const scopes = Object.entries(workflow?.permissionScopes ?? {}).map(
      ([k, v]) => `${k}=${v.value}@${v.span.line}:${v.span.column}`,
    );
    expect(scopes).toEqual(['contents=read@3:13', 'issues=write@4:11']);
    expect(workflow?.jobs.map((j) => [j.id, j.needs, j.permissionScopes])).toEqual([
      ['check', undefined, undefined],
      ['triage', ['check'], undefined],
    ]);
    const step = workflow?.jobs[1]?.steps[0];
    expect(
      step?.expressions.map(
        (x) =>
          `${x.in} ${x.expression} ${x.span.line}:${x.span.column}-${x.span.endLine}:${x.span.endColumn}`,
      ),
    ).toEqual([
      'env.T github.event.issue.title 15:15-15:46',
      'with.prompt github.event.issue.body 18:21-18:51',
      'with.prompt toJSON(github.event) 19:13-19:40',
      'run github.event.issue.number 20:28-20:60',
    ]);
  });
});
