import { describe, expect, test } from '@jest/globals';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

async function cg505(files: Record<string, string>): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return verdict.findings
    .filter((f) => f.ruleId === 'CG505')
    .map((f) => `${f.severity} ${f.path}:${f.line}:${f.column}-${f.endColumn} ${f.message}`);
}

/** Only where each finding is and how severe. */
async function places(files: Record<string, string>): Promise<string[]> {
  return (await cg505(files)).map((f) => f.split(' ').slice(0, 2).join(' '));
}

const FULL =
  'show_full_output: true prints every message of the run — tool results, file contents, command output — to the job log';
const DEBUG = (flag: string): string =>
  `${flag} prints Claude's debug log — API traffic, hook and MCP server output, tool details — to the CI job log`;

const wf = (...lines: string[]): string => [...lines, ''].join('\n');
const job = (...steps: string[]): string =>
  wf(
    'on: pull_request',
    'permissions: { contents: read }',
    'jobs:',
    '  run:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    ...steps,
  );

describe('CG505 verbose-ci-output', () => {
  test('show_full_output: true on v1 and on a commit, at the value', async () => {
    expect(
      await cg505({
        '.github/workflows/a.yml': job(
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          show_full_output: true',
          '      - uses: anthropics/claude-code-base-action@0123456789abcdef0123456789abcdef01234567',
          '        with:',
          '          show_full_output: "true"',
        ),
      }),
    ).toEqual([
      `medium .github/workflows/a.yml:9:29-33 ${FULL}`,
      `medium .github/workflows/a.yml:12:30-34 ${FULL}`,
    ]);
  });

  test('--debug and -d, on a run: line, in claude_args and in GitLab, at the flag', async () => {
    expect(
      await cg505({
        '.github/workflows/a.yml': job(
          '      - run: claude -p "Review" --debug --max-turns 3',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          claude_args: --max-turns 5 -d',
        ),
        '.gitlab-ci.yml': wf(
          'claude:',
          '  script:',
          '    - claude -p "${AI_FLOW_INPUT}" --permission-mode acceptEdits --debug',
        ),
      }),
    ).toEqual([
      `medium .github/workflows/a.yml:7:33-40 ${DEBUG('--debug')}`,
      `medium .github/workflows/a.yml:10:38-40 ${DEBUG('-d')}`,
      `medium .gitlab-ci.yml:3:66-73 ${DEBUG('--debug')}`,
    ]);
  });

  test('ANTHROPIC_LOG / ANTHROPIC_LOG_LEVEL=debug where a CI run gets it, at the value', async () => {
    expect(
      await cg505({
        '.github/workflows/a.yml': wf(
          'on: push',
          'permissions: { contents: read }',
          'env:',
          '  ANTHROPIC_LOG: debug',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - run: ANTHROPIC_LOG_LEVEL=DEBUG claude -p "one" --max-turns 2',
          '      - run: claude -p "two" --max-turns 2',
        ),
        '.gitlab-ci.yml': wf('variables:', '  ANTHROPIC_LOG: "debug"', 'a:', '  script: [claude -p x]'),
      }),
    ).toEqual([
      "medium .github/workflows/a.yml:4:18-23 ANTHROPIC_LOG=debug in the workflow's env makes Claude's API client log every request and response — prompts, file contents and tool output — to the CI job log",
      "medium .github/workflows/a.yml:9:34-39 ANTHROPIC_LOG_LEVEL=debug in its command line makes Claude's API client log every request and response — prompts, file contents and tool output — to the CI job log",
      "medium .gitlab-ci.yml:2:19-24 ANTHROPIC_LOG=debug in the pipeline's variables makes Claude's API client log every request and response — prompts, file contents and tool output — to the CI job log",
    ]);
  });

  test("a settings file's env reaches the repository's CI runs; without CI runs it is silent", async () => {
    const settings = '{"env": {"ANTHROPIC_LOG": "debug"}}\n';
    expect(
      await places({
        '.claude/settings.json': settings,
        '.github/workflows/a.yml': job('      - uses: anthropics/claude-code-action@v1'),
      }),
    ).toEqual(['medium .claude/settings.json:1:28-33']);
    expect(
      await cg505({ '.claude/settings.json': settings, 'scripts/a.sh': wf('#!/bin/sh', 'claude -p hi') }),
    ).toEqual([]);
  });

  test('ACTIONS_STEP_DEBUG: true in a Claude workflow (medium), from a secret or variable (low)', async () => {
    expect(
      await cg505({
        '.github/workflows/a.yml': wf(
          'on: push',
          'permissions: { contents: read }',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          '    env:',
          '      ACTIONS_STEP_DEBUG: true',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '  b:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        env:',
          '          ACTIONS_STEP_DEBUG: ${{ secrets.ACTIONS_STEP_DEBUG }}',
        ),
      }),
    ).toEqual([
      "medium .github/workflows/a.yml:7:27-31 ACTIONS_STEP_DEBUG: true in the job's env turns on step debug output in a workflow that runs Claude: claude-code-action then prints every message of the run, tool results included, to the job log",
      "low .github/workflows/a.yml:15:31-64 ACTIONS_STEP_DEBUG in the step's env is set by an expression: whenever it gives true, claude-code-action prints every message of the run, tool results included, to the job log",
    ]);
  });

  test('CI_DEBUG_TRACE: "true" in a GitLab job that runs Claude', async () => {
    expect(
      await places({
        '.gitlab-ci.yml': wf(
          'review:',
          '  variables:',
          '    CI_DEBUG_TRACE: "true"',
          '  script: [claude -p "Review" --max-turns 3]',
        ),
      }),
    ).toEqual(['medium .gitlab-ci.yml:3:22-26']);
  });

  test('silent: false values, v0 actions, --verbose and --debug-file, other log levels', async () => {
    expect(
      await cg505({
        '.github/workflows/a.yml': wf(
          'on: push',
          'permissions: { contents: read }',
          'env:',
          '  ACTIONS_STEP_DEBUG: false',
          '  ANTHROPIC_LOG: info',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          show_full_output: false',
          '      - uses: anthropics/claude-code-action@beta',
          '        with:',
          '          show_full_output: true',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          "          show_full_output: ${{ runner.debug == '1' }}",
          '      - run: claude -p x --output-format stream-json --verbose --debug-file /tmp/claude.log',
        ),
      }),
    ).toEqual([]);
  });

  test("silent: local scripts and settings without CI, and another vendor's agent in CI", async () => {
    expect(
      await cg505({
        'scripts/debug.sh': wf('#!/bin/sh', 'ANTHROPIC_LOG=debug claude --debug'),
        Makefile: wf('debug:', '\tclaude -d -p "why"'),
        '.github/workflows/other.yml': wf(
          'on: push',
          'permissions: { contents: read }',
          'env:',
          '  ACTIONS_STEP_DEBUG: true',
          '  ANTHROPIC_LOG: debug',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: openai/codex-action@v1',
          '        with:',
          '          show_full_output: true',
          '      - run: gemini --debug -p "review"',
        ),
      }),
    ).toEqual([]);
  });
});
