import { describe, expect, test } from '@jest/globals';
import { parsePolicy } from '../src/policy/load.js';
import { defaultPolicy, type Policy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

const policyOf = (...lines: string[]): Policy =>
  parsePolicy(['version: 1', ...lines, ''].join('\n'), '.github/claude-guard.yml');

const POLICY = policyOf(
  'ci:',
  '  require-flags: ["--max-turns", "--allowed-tools"]',
  '  forbid-flags: ["--debug", "--dangerously-skip-permissions"]',
  '  require-env: ["CLAUDE_CODE_SUBPROCESS_ENV_SCRUB=1", "DISABLE_TELEMETRY"]',
);

async function cg506(files: Record<string, string>, policy: Policy = POLICY): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), policy);
  return verdict.findings
    .filter((f) => f.ruleId === 'CG506')
    .map((f) => `${f.severity} ${f.path}:${f.line}:${f.column}-${f.endColumn} ${f.message}`);
}

const wf = (...lines: string[]): string => [...lines, ''].join('\n');
const job = (...steps: string[]): string =>
  wf('on: workflow_dispatch', 'jobs:', '  run:', '    runs-on: ubuntu-latest', '    steps:', ...steps);

const missing = (flag: string, inArgs = ''): string =>
  `Claude runs in CI without ${flag}${inArgs}, which policy ci.require-flags requires`;
const missingEnv = (name: string): string =>
  `Claude runs in CI without ${name} in its environment (the step's, job's or workflow's env:), which policy ci.require-env requires`;
const forbidden = (written: string, item: string): string =>
  `Claude runs in CI with ${written}, which policy ci.forbid-flags forbids (${item})`;

const ENV = [
  '        env:',
  '          CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: "1"',
  '          DISABLE_TELEMETRY: "1"',
];

describe('CG506 ci-policy-requirement', () => {
  test('each missing flag and variable at the run, each forbidden flag at itself', async () => {
    expect(
      await cg506({
        '.github/workflows/a.yml': job(
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          claude_args: --model claude-sonnet-4-5',
          '      - run: claude -p "fix it" --debug --permission-mode bypassPermissions --max-turns=3',
        ),
      }),
    ).toEqual([
      `high .github/workflows/a.yml:6:15-47 ${missing('--allowed-tools', ' (in claude_args)')}`,
      `high .github/workflows/a.yml:6:15-47 ${missing('--max-turns', ' (in claude_args)')}`,
      `high .github/workflows/a.yml:6:15-47 ${missingEnv('CLAUDE_CODE_SUBPROCESS_ENV_SCRUB=1')}`,
      `high .github/workflows/a.yml:6:15-47 ${missingEnv('DISABLE_TELEMETRY')}`,
      `high .github/workflows/a.yml:9:14-20 ${missing('--allowed-tools')}`,
      `high .github/workflows/a.yml:9:14-20 ${missingEnv('CLAUDE_CODE_SUBPROCESS_ENV_SCRUB=1')}`,
      `high .github/workflows/a.yml:9:14-20 ${missingEnv('DISABLE_TELEMETRY')}`,
      `high .github/workflows/a.yml:9:33-40 ${forbidden('--debug', '--debug')}`,
      `high .github/workflows/a.yml:9:41-58 ${forbidden('--permission-mode bypassPermissions', '--dangerously-skip-permissions')}`,
    ]);
  });

  test('silent: both spellings of a flag, both forms of a value, env from step, job, workflow and settings', async () => {
    expect(
      await cg506({
        '.github/workflows/a.yml': wf(
          'on: workflow_dispatch',
          'env:',
          '  DISABLE_TELEMETRY: "1"',
          'jobs:',
          '  run:',
          '    runs-on: ubuntu-latest',
          '    env:',
          '      CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: "1"',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          claude_args: |',
          '            --max-turns=8',
          '            --allowedTools Read',
          '      - run: claude -p "one" --max-turns "$TURNS" --allowed-tools Read',
        ),
        '.github/workflows/b.yml': job(
          '      - run: claude -p "two" --max-turns 2 --allowedTools=Read',
          '        env:',
          '          CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: ${{ vars.SCRUB }}',
        ),
        '.claude/settings.json': '{ "env": { "DISABLE_TELEMETRY": "1" } }\n',
      }),
    ).toEqual([]);
  });

  test('a variable with another literal value does not count; a forbidden flag in claude_args is found there', async () => {
    expect(
      await cg506(
        {
          '.github/workflows/a.yml': job(
            '      - uses: anthropics/claude-code-action@v1',
            '        with:',
            '          claude_args: --max-turns 5 --debug',
            '        env:',
            '          CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: "0"',
          ),
        },
        policyOf(
          'ci:',
          '  forbid-flags: ["--debug"]',
          '  require-env: ["CLAUDE_CODE_SUBPROCESS_ENV_SCRUB=1"]',
        ),
      ),
    ).toEqual([
      `high .github/workflows/a.yml:6:15-47 ${missingEnv('CLAUDE_CODE_SUBPROCESS_ENV_SCRUB=1')}`,
      `high .github/workflows/a.yml:8:38-45 ${forbidden('--debug', '--debug')}`,
    ]);
  });

  test('a v0 action: its max_turns input is the flag', async () => {
    expect(
      await cg506(
        {
          '.github/workflows/a.yml': job(
            '      - uses: anthropics/claude-code-action@beta',
            '        with:',
            '          max_turns: 5',
            '      - uses: anthropics/claude-code-action@v1',
            '        with:',
            '          max_turns: 5',
          ),
        },
        policyOf('ci:', '  require-flags: ["--max-turns"]'),
      ),
    ).toEqual([`high .github/workflows/a.yml:9:15-47 ${missing('--max-turns', ' (in claude_args)')}`]);
  });

  test('GitLab jobs and scripts a workflow runs: flags judged, not env; a utility call is not a session', async () => {
    expect(
      await cg506({
        '.gitlab-ci.yml': wf(
          'review:',
          '  script:',
          '    - claude --version',
          '    - claude -p "review" --max-turns 4',
        ),
        'scripts/claude-review.sh': wf('#!/bin/sh', 'claude -p "review" --allowedTools Read'),
        '.github/workflows/a.yml': job(
          '      - name: Claude review',
          '        run: ./scripts/claude-review.sh',
          ...ENV,
        ),
      }),
    ).toEqual([
      `high .gitlab-ci.yml:4:7-13 ${missing('--allowed-tools')}`,
      `high scripts/claude-review.sh:2:1-7 ${missing('--max-turns')}`,
    ]);
  });

  test("a script or composite action is held to ci.require-env in each job that runs it, with its caller's env", async () => {
    const policy = policyOf('ci:', '  require-env: ["CLAUDE_CODE_SUBPROCESS_ENV_SCRUB=1"]');
    const script = wf('#!/bin/sh', 'claude -p "review" --allowedTools Read');
    const action = wf(
      'name: review',
      'runs:',
      '  using: composite',
      '  steps:',
      '    - shell: bash',
      '      run: claude -p "review" --allowedTools Read',
    );
    const caller = (...env: string[]): string =>
      wf(
        'on: workflow_dispatch',
        ...env.filter((l) => l.startsWith('W ')).map((l) => l.slice(2)),
        'jobs:',
        '  review:',
        '    runs-on: ubuntu-latest',
        ...env.filter((l) => l.startsWith('J ')).map((l) => l.slice(2)),
        '    steps:',
        '      - run: ./scripts/review.sh',
        '      - uses: ./.github/actions/review',
      );
    const files = (workflow: string): Record<string, string> => ({
      'scripts/review.sh': script,
      '.github/actions/review/action.yml': action,
      '.github/workflows/a.yml': workflow,
    });
    const without = (name: string): string =>
      `Claude runs in CI without ${name} in its environment (the step's, job's or workflow's env:) when job review of .github/workflows/a.yml runs it, which policy ci.require-env requires`;
    expect(await cg506(files(caller()), policy)).toEqual([
      `high .github/actions/review/action.yml:6:12-18 ${without('CLAUDE_CODE_SUBPROCESS_ENV_SCRUB=1')}`,
      `high scripts/review.sh:2:1-7 ${without('CLAUDE_CODE_SUBPROCESS_ENV_SCRUB=1')}`,
    ]);
    // Set by the calling job, by the workflow, or by an expression known only when the job runs.
    for (const env of [
      ['J     env:', 'J       CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: 1'],
      ['W env:', 'W   CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: "1"'],
      ['W env:', 'W   CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: ${{ vars.SCRUB }}'],
    ])
      expect(await cg506(files(caller(...env)), policy)).toEqual([]);
    // A value other than the one asked for.
    expect(
      await cg506(files(caller('W env:', 'W   CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: "0"')), policy),
    ).toHaveLength(2);
    // No workflow runs them: the script is not a CI run, the action's environment cannot be judged.
    expect(
      await cg506({ 'scripts/review.sh': script, '.github/actions/review/action.yml': action }, policy),
    ).toEqual([]);
  });

  test('silent: the built-in policy, runs outside CI, and workflows running other agents', async () => {
    const files = {
      '.github/workflows/a.yml': job('      - run: claude -p "fix it" --debug'),
      'scripts/local.sh': wf('#!/bin/sh', 'claude -p "fix it" --debug'),
    };
    expect(await cg506(files, defaultPolicy())).toEqual([]);
    expect(await cg506({ 'scripts/local.sh': files['scripts/local.sh'] })).toEqual([]);
    expect(
      await cg506({
        '.github/workflows/agents.yml': job(
          '      - uses: openai/codex-action@v1',
          '        with:',
          '          prompt: Review this change',
          '      - uses: google-github-actions/run-gemini-cli@v0',
          '      - run: codex exec --full-auto "fix the tests" && gemini -p "review" --yolo',
        ),
      }),
    ).toEqual([]);
  });
});
