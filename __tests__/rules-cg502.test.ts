import { describe, expect, test } from '@jest/globals';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

async function cg502(files: Record<string, string>): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return verdict.findings
    .filter((f) => f.ruleId === 'CG502')
    .map((f) => `${f.severity} ${f.path}:${f.line}:${f.column}-${f.endColumn} ${f.message}`);
}

const ACTION_NEEDS =
  'claude-code-action needs contents: read, and pull-requests: write and issues: write to comment (contents: write only when it pushes a branch)';
const CLI_NEEDS =
  'Claude needs contents: read to read the checkout, and a write scope only for what the job posts (pull-requests: write or issues: write to comment)';
const MISSING =
  "it declares no permissions, at job or workflow level, so the token has the repository's default, write on every scope unless the repository or organisation restricts it";

const wf = (...lines: string[]): string => [...lines, ''].join('\n');

describe('CG502 excessive-token-permissions', () => {
  test('write-all at workflow level, at its value; one finding for every job it reaches', async () => {
    expect(
      await cg502({
        '.github/workflows/claude.yml': wf(
          'on: issue_comment',
          'permissions: write-all',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '  b:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - run: claude -p "Summarise the issue"',
          '      - run: claude -p "Label it"',
        ),
      }),
    ).toEqual([
      `medium .github/workflows/claude.yml:2:14-23 Claude runs in jobs "a", "b" and the workflow's permissions: write-all gives the token write access to every scope; ${ACTION_NEEDS}`,
    ]);
  });

  test('write-all at job level wins over a narrow workflow block', async () => {
    expect(
      await cg502({
        '.github/workflows/fix.yml': wf(
          'on: workflow_dispatch',
          'permissions:',
          '  contents: read',
          'jobs:',
          '  fix:',
          '    runs-on: ubuntu-latest',
          '    permissions: write-all',
          '    steps:',
          '      - run: npx @anthropic-ai/claude-code -p "Fix the build"',
        ),
      }),
    ).toEqual([
      `medium .github/workflows/fix.yml:7:18-27 Claude runs in job "fix" and its permissions: write-all gives the token write access to every scope; ${CLI_NEEDS}`,
    ]);
  });

  test('no permissions anywhere: at each job key that runs Claude, not at jobs that do not', async () => {
    expect(
      await cg502({
        '.github/workflows/review.yml': wf(
          'on: pull_request',
          'jobs:',
          '  build:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - run: make',
          '  review:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-base-action@v1',
          '  "triage-issue":',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - run: claude -p "triage"',
        ),
      }),
    ).toEqual([
      `medium .github/workflows/review.yml:7:3-9 Claude runs in job "review" and ${MISSING}; ${CLI_NEEDS}`,
      `medium .github/workflows/review.yml:11:3-17 Claude runs in job "triage-issue" and ${MISSING}; ${CLI_NEEDS}`,
    ]);
  });

  test('the job block replaces a workflow write-all: silent; and the other job of the workflow still fires', async () => {
    expect(
      await cg502({
        '.github/workflows/claude.yml': wf(
          'on: issue_comment',
          'permissions: write-all',
          'jobs:',
          '  narrow:',
          '    runs-on: ubuntu-latest',
          '    permissions: { contents: read, issues: write }',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '  wide:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
        ),
      }),
    ).toEqual([
      `medium .github/workflows/claude.yml:2:14-23 Claude runs in job "wide" and the workflow's permissions: write-all gives the token write access to every scope; ${ACTION_NEEDS}`,
    ]);
  });

  test('silent: read-all, an empty block, scoped maps at either level', async () => {
    expect(
      await cg502({
        '.github/workflows/a.yml': wf(
          'on: push',
          'permissions: read-all',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - run: claude -p "hello"',
        ),
        '.github/workflows/b.yml': wf(
          'on: push',
          'permissions: {}',
          'jobs:',
          '  b:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - run: claude -p "hello"',
        ),
        '.github/workflows/c.yml': wf(
          'on: push',
          'jobs:',
          '  c:',
          '    runs-on: ubuntu-latest',
          '    permissions:',
          '      contents: write',
          '      pull-requests: write',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
        ),
      }),
    ).toEqual([]);
  });

  test('a long job id is cut short in the message', async () => {
    const id = `j${'x'.repeat(1000)}`;
    const found = await cg502({
      '.github/workflows/a.yml': wf(
        'on: push',
        'jobs:',
        `  ${id}:`,
        '    steps:',
        '      - run: claude -p hi',
      ),
    });
    expect(found).toHaveLength(1);
    expect(found[0]?.length).toBeLessThan(500);
    expect(found[0]).toContain(`job "${id.slice(0, 40)}…"`);
  });

  test("silent: another vendor's agent, jobs without Claude, composite actions, GitLab and scripts", async () => {
    expect(
      await cg502({
        '.github/workflows/codex.yml': wf(
          'on: issue_comment',
          'permissions: write-all',
          'jobs:',
          '  codex:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: openai/codex-action@v1',
          '      - run: gemini -p "review" --yolo',
        ),
        '.github/workflows/ci.yml': wf(
          'on: push',
          'jobs:',
          '  test:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - run: echo "claude is mentioned, not run"',
        ),
        '.github/actions/review/action.yml': wf(
          'name: review',
          'runs:',
          '  using: composite',
          '  steps:',
          '    - run: claude -p "Review"',
          '      shell: bash',
        ),
        '.gitlab-ci.yml': wf('review:', '  script:', '    - claude -p "Review"'),
        'scripts/run.sh': wf('#!/bin/sh', 'claude -p "$1"'),
      }),
    ).toEqual([]);
  });
});
