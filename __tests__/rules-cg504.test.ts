import { describe, expect, test } from '@jest/globals';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

async function cg504(files: Record<string, string>): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return verdict.findings
    .filter((f) => f.ruleId === 'CG504')
    .map((f) => `${f.severity} ${f.path}:${f.line}:${f.column}-${f.endColumn} ${f.message}`);
}

const NO_LIMIT = 'Claude runs in CI with no limit on turns, spend or time';
const ACTION_HOW =
  'add --max-turns or --max-budget-usd in claude_args, or timeout-minutes on the job or step';
const CLI_HOW =
  'add --max-turns or --max-budget-usd, timeout-minutes on the job or step, or a timeout wrapper';
const GITLAB_HOW = 'add --max-turns or --max-budget-usd, a timeout: on the job, or a timeout wrapper';

const wf = (...lines: string[]): string => [...lines, ''].join('\n');
const job = (...steps: string[]): string =>
  wf('on: workflow_dispatch', 'jobs:', '  run:', '    runs-on: ubuntu-latest', '    steps:', ...steps);

describe('CG504 no-run-limits: workflows', () => {
  test('an action and a CLI run without limits: at uses: and at the claude word', async () => {
    expect(
      await cg504({
        '.github/workflows/a.yml': job(
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          claude_args: --model claude-sonnet-4-5',
          '      - run: |',
          '          npm ci',
          '          npx -y @anthropic-ai/claude-code -p "Fix the lint errors"',
        ),
      }),
    ).toEqual([
      `low .github/workflows/a.yml:6:15-47 ${NO_LIMIT}: ${ACTION_HOW}`,
      `low .github/workflows/a.yml:11:18-43 ${NO_LIMIT}: ${CLI_HOW}`,
    ]);
  });

  test('legacy max_turns and timeout_minutes on @v1 do not count', async () => {
    expect(
      await cg504({
        '.github/workflows/a.yml': job(
          '      - uses: anthropics/claude-code-action@v1.0.20',
          '        with:',
          '          max_turns: 5',
          '          timeout_minutes: 10',
        ),
      }),
    ).toEqual([
      `low .github/workflows/a.yml:6:15-52 ${NO_LIMIT} (max_turns and timeout_minutes are ignored on @v1.0.20): ${ACTION_HOW}`,
    ]);
  });

  test('silent: turn and budget caps, in claude_args and on the command line, in either spelling', async () => {
    expect(
      await cg504({
        '.github/workflows/a.yml': job(
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          claude_args: |',
          '            --allowedTools Read',
          '            --max-turns 8',
          '      - run: claude -p "one" --max-budget-usd=2',
          '      - run: claude -p "two" --max-turns "$TURNS"',
        ),
      }),
    ).toEqual([]);
  });

  test('silent: job and step timeout-minutes (a number or an expression), and a timeout wrapper; a job without fires', async () => {
    expect(
      await cg504({
        '.github/workflows/a.yml': wf(
          'on: workflow_dispatch',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          '    timeout-minutes: 20',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '  b:',
          '    runs-on: ubuntu-latest',
          '    timeout-minutes: ${{ inputs.minutes }}',
          '    steps:',
          '      - run: claude -p "b"',
          '  c:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        timeout-minutes: 10',
          '      - run: timeout 15m claude -p "c"',
          '      - run: timeout --signal=KILL 900 sudo -E claude -p "d"',
          '  unbounded:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - run: claude -p "e"',
        ),
      }),
    ).toEqual([`low .github/workflows/a.yml:23:14-20 ${NO_LIMIT}: ${CLI_HOW}`]);
  });

  test('silent: v0/beta actions stop after their default timeout_minutes; legacy limits on a commit count', async () => {
    expect(
      await cg504({
        '.github/workflows/a.yml': job(
          '      - uses: anthropics/claude-code-action@beta',
          '      - uses: anthropics/claude-code-base-action@v0.0.63',
          '      - uses: anthropics/claude-code-action@0123456789abcdef0123456789abcdef01234567',
          '        with:',
          '          max_turns: 5',
        ),
      }),
    ).toEqual([]);
  });

  test('a commit with no limit inputs fires', async () => {
    expect(
      await cg504({
        '.github/workflows/a.yml': job(
          '      - uses: anthropics/claude-code-action@0123456789abcdef0123456789abcdef01234567 # v1.0.20',
        ),
      }),
    ).toEqual([`low .github/workflows/a.yml:6:15-85 ${NO_LIMIT}: ${ACTION_HOW}`]);
  });
});

describe('CG504 no-run-limits: GitLab and other surfaces', () => {
  test('a GitLab job without timeout: at the claude word', async () => {
    expect(
      await cg504({
        '.gitlab-ci.yml': wf(
          'stages: [review]',
          'review:',
          '  stage: review',
          '  image: node:22',
          '  script:',
          '    - npm install -g @anthropic-ai/claude-code@2.1.0',
          '    - claude -p "Review the merge request" --permission-mode acceptEdits',
        ),
      }),
    ).toEqual([`low .gitlab-ci.yml:7:7-13 ${NO_LIMIT}: ${GITLAB_HOW}`]);
  });

  test("silent: the job's timeout:, one inherited through extends: or default:, a timeout wrapper; a job without fires", async () => {
    expect(
      await cg504({
        '.gitlab-ci.yml': wf(
          '.limited:',
          '  timeout: 30m',
          'a:',
          '  timeout: 1h',
          '  script: [claude -p "a"]',
          'b:',
          '  extends: .limited',
          '  script: [claude -p "b"]',
          'c:',
          '  script: [timeout 600 claude -p "c", claude -p "d" --max-turns 4]',
          'e:',
          '  script: [claude -p "e"]',
        ),
      }),
    ).toEqual([`low .gitlab-ci.yml:12:12-18 ${NO_LIMIT}: ${GITLAB_HOW}`]);
    expect(
      await cg504({
        '.gitlab-ci.yml': wf('default:', '  timeout: 20m', 'x:', '  script: [claude -p "x"]'),
      }),
    ).toEqual([]);
  });

  test("silent: scripts, Dockerfiles, package.json (not CI), and another vendor's agent in CI", async () => {
    expect(
      await cg504({
        'scripts/agent.sh': wf('#!/bin/sh', 'claude -p "$1"'),
        Dockerfile: wf('FROM node:22', 'CMD ["claude", "-p", "hi"]'),
        'package.json': '{"scripts": {"ai": "claude -p hi"}}\n',
        '.github/workflows/other.yml': job(
          '      - uses: openai/codex-action@v1',
          '      - run: gemini -p "review" && aider --message "fix"',
          '      - run: echo claude',
        ),
        '.github/actions/review/action.yml': wf(
          'name: review',
          'runs:',
          '  using: composite',
          '  steps:',
          '    - run: claude -p "Review"',
          '      shell: bash',
        ),
      }),
    ).toEqual([]);
  });
});
