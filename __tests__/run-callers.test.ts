import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { inputsRead, jobOutputsRead, pathsRead, stepOutputsRead } from '../src/model/expression-refs.js';
import { localActionFolder, runInJobs } from '../src/model/run-callers.js';
import { defaultPolicy, ruleContext } from '../src/policy/policy.js';
import { untrustedTrigger } from '../src/rules/CG501-untrusted-trigger.js';
import type { Rule } from '../src/rules/types.js';
import { diskSource, memorySource, scan } from '../src/scan.js';
import { parseExpression, refsOf } from '../src/syntax/actions-expression.js';

/** Findings of some rules as `id severity path:line:column`. */
async function found(files: Record<string, string>, ids: string[]): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return verdict.findings
    .filter((f) => ids.includes(f.ruleId))
    .map((f) => `${f.ruleId} ${f.severity} ${f.path}:${f.line}:${f.column}`);
}

/** One rule's findings on the files, with every related span located to the column. */
async function checked(
  files: Record<string, string>,
  rule: Rule,
): Promise<{ at: string; related: string[] }[]> {
  const { model } = await scan(memorySource(files), defaultPolicy());
  const where = (s: { path: string; line: number; column: number }): string =>
    `${s.path}:${s.line}:${s.column}`;
  return rule.check(model, ruleContext(defaultPolicy())).map((f) => ({
    at: where(f.span),
    related: (f.related ?? []).map((r) => `${where(r.span)} ${r.message}`),
  }));
}

const text = (...l: string[]): string => `${l.join('\n')}\n`;

const REVIEW_ACTION = text(
  'name: Claude review',
  'inputs:',
  '  prompt:',
  '    required: true',
  '  api-key:',
  '    required: true',
  'runs:',
  '  using: composite',
  '  steps:',
  '    - shell: bash',
  '      env:',
  '        ANTHROPIC_API_KEY: ${{ inputs.api-key }}',
  '        PROMPT: ${{ inputs.prompt }}',
  '      run: claude -p "$PROMPT" --allowedTools "Read,Bash(git diff:*)"',
);

/** A workflow on `on` whose job (with `jobLines` under it) uses the review action with `withLines`. */
const caller = (on: string[], jobLines: string[], withLines: string[]): string =>
  text(
    ...on,
    'jobs:',
    '  review:',
    ...jobLines,
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '        with:',
    '          persist-credentials: false',
    '      - name: Claude review',
    '        uses: ./.github/actions/claude-review',
    '        with:',
    ...withLines,
  );

const COMMENTS = [
  'on:',
  '  issue_comment:',
  '    types: [created]',
  'permissions:',
  '  pull-requests: write',
];

describe('expression references, through the parser', () => {
  test('refs inside calls, members of calls and index forms', () => {
    const tree = parseExpression('fromJSON(steps.classify.outputs.structured_output).label');
    expect(tree && refsOf(tree)).toEqual(['steps.classify.outputs.structured_output']);
    expect(stepOutputsRead('fromJSON(steps.classify.outputs.structured_output).label')).toEqual(['classify']);
    expect(stepOutputsRead('toJSON(steps.claude.outputs.x)')).toEqual(['claude']);
    expect(stepOutputsRead("format('{0}', steps.claude.outputs.session_id)")).toEqual(['claude']);
    expect(stepOutputsRead("steps['claude'].outputs.x")).toEqual(['claude']);
    expect(stepOutputsRead("steps.claude.outputs['x'] || 'none'")).toEqual(['claude']);
    expect(stepOutputsRead('fromJSON(steps.a.outputs.list)[steps.b.outputs.i]')).toEqual(['a', 'b']);
    expect(stepOutputsRead('steps.claude.conclusion')).toEqual([]);
    expect(stepOutputsRead("'steps.claude.outputs.x'")).toEqual([]);
    expect(stepOutputsRead('steps.claude.outputs.x ==')).toEqual([]);
    expect(jobOutputsRead('needs.notes.outputs.notes')).toEqual(['notes']);
    expect(inputsRead("format('{0} {1}', inputs.prompt, inputs['Max-Turns'])")).toEqual([
      'prompt',
      'max-turns',
    ]);
    expect(pathsRead(`${'('.repeat(100)}x${')'.repeat(100)}`)).toEqual([]);
  });

  test('local action folders', () => {
    expect(localActionFolder('./.github/actions/claude-review')).toBe('.github/actions/claude-review');
    expect(localActionFolder('./.github/actions/claude-review/')).toBe('.github/actions/claude-review');
    expect(localActionFolder('./')).toBe('.');
    expect(localActionFolder('./../elsewhere')).toBeUndefined();
    expect(localActionFolder('acme/claude-review@v1')).toBeUndefined();
    expect(localActionFolder('docker://alpine')).toBeUndefined();
  });
});

describe('a local composite action is judged in the jobs that use it', () => {
  test('CG501: a commenter reaches the action through its prompt input; reported at its claude, linked to the step', async () => {
    const files = {
      '.github/actions/claude-review/action.yml': REVIEW_ACTION,
      '.github/workflows/pr-helper.yml': caller(
        COMMENTS,
        ["    if: startsWith(github.event.comment.body, '/review')"],
        [
          '          prompt: "Review as asked: ${{ github.event.comment.body }}"',
          '          api-key: ${{ secrets.ANTHROPIC_API_KEY }}',
        ],
      ),
    };
    const [f, ...rest] = await checked(files, untrustedTrigger);
    expect(rest).toEqual([]);
    expect(f?.at).toBe('.github/actions/claude-review/action.yml:14:12');
    expect(f?.related).toEqual([
      '.github/workflows/pr-helper.yml:2:3 triggered by issue_comment (types: created): anyone who comments on an issue or pull request starts it',
      '.github/workflows/pr-helper.yml:15:15 this step uses ./.github/actions/claude-review, where Claude starts (.github/actions/claude-review/action.yml)',
      '.github/workflows/pr-helper.yml:8:9 this if: does not check who triggered it (an author_association, github.actor or same-repository check would)',
      '.github/workflows/pr-helper.yml:17:37 the comment reaches Claude through env PROMPT, which the script that starts Claude reads',
      '.github/workflows/pr-helper.yml:5:18 its token can write: pull-requests',
      '.github/workflows/pr-helper.yml:18:20 it holds secret ANTHROPIC_API_KEY (env ANTHROPIC_API_KEY)',
    ]);
  });

  test('CG501 stays silent when the job is gated, the caller is started by hand, or the action is not local', async () => {
    const gated = {
      '.github/actions/claude-review/action.yml': REVIEW_ACTION,
      '.github/workflows/pr-helper.yml': caller(
        COMMENTS,
        [
          '    if: >-',
          '      contains(fromJSON(\'["OWNER","MEMBER","COLLABORATOR"]\'), github.event.comment.author_association)',
        ],
        ['          prompt: "${{ github.event.comment.body }}"'],
      ),
    };
    expect(await found(gated, ['CG501'])).toEqual([]);
    const manual = {
      '.github/actions/claude-review/action.yml': REVIEW_ACTION,
      '.github/workflows/m.yml': caller(
        ['on: workflow_dispatch', 'permissions:', '  contents: read'],
        [],
        ['          prompt: ${{ inputs.task }}'],
      ),
    };
    expect(await found(manual, ['CG501'])).toEqual([]);
    const remote = {
      '.github/actions/claude-review/action.yml': REVIEW_ACTION,
      '.github/workflows/r.yml': caller(COMMENTS, [], ['          prompt: x']).replace(
        './.github/actions/claude-review',
        'acme/claude-review@v1',
      ),
    };
    expect(await found(remote, ['CG501'])).toEqual([]);
  });

  test('CG502, CG504 and CG509 see the job that uses the action', async () => {
    const files = {
      '.github/actions/claude-review/action.yml': REVIEW_ACTION.replace(
        '"Read,Bash(git diff:*)"',
        '"Read,Bash"',
      ),
      '.github/workflows/manual.yml': text(
        'on: workflow_dispatch',
        'jobs:',
        '  agent:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '      - uses: ./.github/actions/claude-review',
        '        with:',
        '          prompt: ${{ inputs.task }}',
      ),
    };
    expect(await found(files, ['CG502', 'CG504', 'CG509'])).toEqual([
      'CG502 medium .github/workflows/manual.yml:3:3',
      'CG509 medium .github/workflows/manual.yml:6:15',
      'CG504 low .github/actions/claude-review/action.yml:14:12',
    ]);
    // A job with permissions, a timeout and a checkout that keeps no token: silent.
    const careful = {
      ...files,
      '.github/workflows/manual.yml': text(
        'on: workflow_dispatch',
        'jobs:',
        '  agent:',
        '    runs-on: ubuntu-latest',
        '    timeout-minutes: 10',
        '    permissions:',
        '      contents: read',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '        with:',
        '          persist-credentials: false',
        '      - uses: ./.github/actions/claude-review',
      ),
    };
    expect(await found(careful, ['CG502', 'CG504', 'CG509'])).toEqual([]);
    // An action no workflow uses has no job to judge.
    expect(
      await found({ '.github/actions/claude-review/action.yml': REVIEW_ACTION }, ['CG502', 'CG504', 'CG509']),
    ).toEqual([]);
  });

  test('an action used through another local action, and a script run by an action step', async () => {
    const files = {
      '.github/actions/outer/action.yml': text(
        'inputs:',
        '  ask: {}',
        'runs:',
        '  using: composite',
        '  steps:',
        '    - uses: ./.github/actions/claude-review',
        '      with:',
        '        prompt: ${{ inputs.ask }}',
        '    - shell: bash',
        '      run: ./scripts/t.sh',
      ),
      '.github/actions/claude-review/action.yml': REVIEW_ACTION,
      'scripts/t.sh': text('#!/bin/bash', 'claude -p "Label the issue"'),
      '.github/workflows/w.yml': text(
        'on:',
        '  issues:',
        '    types: [opened]',
        'permissions:',
        '  issues: write',
        'jobs:',
        '  triage:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: ./.github/actions/outer',
        '        with:',
        '          ask: ${{ github.event.issue.title }}',
      ),
    };
    const { model } = await scan(memorySource(files), defaultPolicy());
    const views = model.runs.map((r) => runInJobs(model, r).map((v) => `${r.path}@${v.context.job?.id}`));
    expect(views).toEqual([['.github/actions/claude-review/action.yml@triage'], ['scripts/t.sh@triage']]);
    const [inAction, inScript, ...rest] = await checked(files, untrustedTrigger);
    expect(rest).toEqual([]);
    expect(inAction?.at).toBe('.github/actions/claude-review/action.yml:14:12');
    expect(inAction?.related).toContain(
      '.github/workflows/w.yml:10:15 this step uses ./.github/actions/outer, where Claude starts (.github/actions/claude-review/action.yml)',
    );
    expect(inAction?.related).toContain(
      '.github/workflows/w.yml:12:16 the issue title reaches Claude through env PROMPT, which the script that starts Claude reads',
    );
    expect(inScript?.at).toBe('scripts/t.sh:2:1');
  });
});

describe('workflows are read whole, in a checkout too', () => {
  const root = mkdtempSync(join(tmpdir(), 'cg-callers-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, content: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };

  test('a workflow that never names Claude is the context of the script it runs', async () => {
    write(
      '.github/workflows/t.yml',
      text(
        'on:',
        '  issues:',
        '    types: [opened]',
        'permissions: { contents: read, issues: write }',
        'jobs:',
        '  t:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: bash ./scripts/t.sh ${{ github.event.issue.number }}',
        '        env:',
        '          ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}',
      ),
    );
    write(
      'scripts/t.sh',
      text('#!/usr/bin/env bash', 'claude -p "Triage issue $1" --allowedTools "Bash(gh issue edit:*)"'),
    );
    // Not a workflow of the scan's kinds, and no Claude: never read.
    write('.github/workflows/invalid.yml', 'on: [push\n');
    write('.github/other.yml', 'on: [push\n');
    // A workflow that runs no file of the repository is not parsed.
    write(
      '.github/workflows/ci.yml',
      text('on: push', 'jobs:', '  t:', '    steps:', '      - run: npm ci && npm test'),
    );
    const git = (...args: string[]): void => {
      execFileSync('git', ['-c', 'user.email=a@b', '-c', 'user.name=n', ...args], {
        cwd: root,
        stdio: 'ignore',
      });
    };
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'i');
    const { verdict, model } = await scan(await diskSource(root), defaultPolicy());
    expect(model.workflows.map((w) => w.path)).toEqual(['.github/workflows/t.yml']);
    expect(
      verdict.findings
        .filter((f) => f.ruleId.startsWith('CG5') || f.ruleId === 'CG901')
        .map((f) => `${f.ruleId} ${f.path}:${f.line}:${f.column}`),
    ).toEqual(['CG501 scripts/t.sh:2:1']);
  });
});

describe("CG508 finds Claude's output inside functions", () => {
  test('fromJSON, toJSON, format, || and index forms fire at the ${{ }}; env and other steps stay silent', async () => {
    const files = {
      '.github/workflows/o.yml': text(
        'on: workflow_dispatch',
        'permissions: { contents: read, issues: write }',
        'jobs:',
        '  o:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - id: Claude',
        '        uses: anthropics/claude-code-action@v1',
        '        with:',
        '          prompt: "x"',
        '      - id: other',
        '        run: echo "label=bug" >> "$GITHUB_OUTPUT"',
        '      - run: gh issue edit 1 --add-label "${{ fromJSON(steps.claude.outputs.structured_output).label }}"',
        '      - run: echo "${{ toJSON(steps.claude.outputs.structured_output) }}"',
        '      - run: echo "${{ format(\'{0}\', steps.claude.outputs.session_id) }}"',
        "      - run: echo \"${{ steps['claude'].outputs.structured_output || 'none' }}\"",
        '      - run: echo "$OUT"',
        '        env:',
        '          OUT: ${{ fromJSON(steps.claude.outputs.structured_output).label }}',
        '      - run: echo "${{ fromJSON(steps.other.outputs.label) }}"',
        '      - run: echo "${{ \'steps.claude.outputs.x\' }}"',
      ),
    };
    expect(await found(files, ['CG508'])).toEqual([
      'CG508 high .github/workflows/o.yml:13:43',
      'CG508 high .github/workflows/o.yml:14:20',
      'CG508 high .github/workflows/o.yml:15:20',
      'CG508 high .github/workflows/o.yml:16:20',
    ]);
  });

  test('a step that runs Claude through a local action counts as a Claude step', async () => {
    const files = {
      '.github/actions/claude-review/action.yml': REVIEW_ACTION,
      '.github/workflows/o.yml': text(
        'on: workflow_dispatch',
        'permissions: { contents: write }',
        'jobs:',
        '  o:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - id: review',
        '        uses: ./.github/actions/claude-review',
        '      - run: echo "${{ steps.review.outputs.text }}"',
      ),
    };
    expect(await found(files, ['CG508'])).toEqual(['CG508 high .github/workflows/o.yml:9:20']);
  });
});

describe('CG501 gates read whatever their spacing, and allow-lists admins keep', () => {
  const gated = (condition: string | undefined, check: string[] = []): Record<string, string> => ({
    '.github/workflows/g.yml': text(
      'on:',
      '  issue_comment:',
      '    types: [created]',
      'permissions: { contents: read, issues: write }',
      'jobs:',
      ...check,
      '  respond:',
      ...(check.length > 0 ? ['    needs: authorize'] : []),
      ...(condition ? [`    if: ${condition}`] : []),
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: claude -p "Answer comment ${{ github.event.comment.id }}"',
      '        env:',
      '          ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}',
    ),
  });
  const authorize = (url: string): string[] => [
    '  authorize:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - run: |',
    `          perm=$(gh api "${url}" --jq .permission)`,
    '          [ "$perm" = admin ] || [ "$perm" = write ] || exit 1',
    '        env:',
    '          GH_TOKEN: ${{ github.token }}',
  ];

  test('a permission check written with spaces inside ${{ }} is a gate', async () => {
    for (const url of [
      'repos/${{ github.repository }}/collaborators/${{ github.actor }}/permission',
      'repos/${{github.repository}}/collaborators/${{github.actor}}/permission',
      'repos/${{  github.repository  }}/collaborators/${{\tgithub.actor }}/permission',
    ]) {
      expect(await found(gated(undefined, authorize(url)), ['CG501'])).toEqual([]);
    }
    // A job that asks for something else, and fails, is no gate.
    expect(
      await found(gated(undefined, authorize('repos/${{ github.repository }}/issues/${{ github.actor }}')), [
        'CG501',
      ]),
    ).toEqual(['CG501 critical .github/workflows/g.yml:18:14']);
  });

  test('an allow-list from a repository variable is a gate; read as a string, or of another party, it is not', async () => {
    expect(
      await found(gated('contains(fromJSON(vars.CLAUDE_ALLOWED_USERS), github.actor)'), ['CG501']),
    ).toEqual([]);
    expect(
      await found(gated('contains(fromJSON(vars.TRUSTED), github.event.comment.author_association)'), [
        'CG501',
      ]),
    ).toEqual([]);
    expect(await found(gated('github.actor == vars.MAINTAINER'), ['CG501'])).toEqual([]);
    expect(
      await found(gated('${{ contains(fromJSON(vars.CLAUDE_ALLOWED_USERS), github.actor) }}'), ['CG501']),
    ).toEqual([]);
    // A login may be any part of a string.
    expect(await found(gated('contains(vars.CLAUDE_ALLOWED_USERS, github.actor)'), ['CG501'])).toEqual([
      'CG501 critical .github/workflows/g.yml:10:14',
    ]);
    // The author is not who commented.
    expect(
      await found(gated('contains(fromJSON(vars.CLAUDE_ALLOWED_USERS), github.event.issue.user.login)'), [
        'CG501',
      ]),
    ).toEqual(['CG501 critical .github/workflows/g.yml:10:14']);
    // Either the list or anyone.
    expect(
      await found(
        gated("contains(fromJSON(vars.ALLOWED), github.actor) || github.event.comment.body != ''"),
        ['CG501'],
      ),
    ).toEqual(['CG501 critical .github/workflows/g.yml:10:14']);
  });
});
