import { describe, expect, test } from '@jest/globals';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

/** CI hygiene rules that every minimal CI fixture trips (no `permissions:`, no run limits); judged in their own tests. */
// Rules on how CI is set up (token, limits, pinning, checkout), asserted in their own tests.
const CI_HYGIENE = new Set(['CG502', 'CG503', 'CG504', 'CG509']);

/** Second round of patterns from repositories written the way users write them. */
async function findings(files: Record<string, string>): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return verdict.findings
    .filter((f) => !CI_HYGIENE.has(f.ruleId))
    .map((f) => `${f.ruleId} ${f.severity} ${f.path}:${f.line}:${f.column}`);
}

describe('YAML anchors, aliases and merge keys', () => {
  test('a workflow step anchored in a container job and reused in a host job is reported for each', async () => {
    const wf = [
      'on: push',
      'jobs:',
      '  linux:',
      '    runs-on: ubuntu-latest',
      '    container: node:20',
      '    steps:',
      '      - &claude',
      '        uses: anthropics/claude-code-action@v1',
      '        with:',
      '          claude_args: --dangerously-skip-permissions',
      '  macos:',
      '    runs-on: macos-14',
      '    steps: [*claude]',
      '',
    ].join('\n');
    expect(await findings({ '.github/workflows/a.yml': wf })).toEqual([
      'CG101 critical .github/workflows/a.yml:10:24',
      'CG101 low .github/workflows/a.yml:10:24',
    ]);
  });

  test('GitLab: a script alias, an aliased list item, a merged template; hidden jobs run only through others', async () => {
    const ci = [
      '.yolo: &yolo',
      '  - claude -p fix --dangerously-skip-permissions',
      '.node: &node',
      '  image: node:20',
      'host-fix:',
      '  script: *yolo',
      'container-fix:',
      '  <<: *node',
      '  script:',
      '    - echo start',
      '    - *yolo',
      '',
    ].join('\n');
    expect(await findings({ '.gitlab-ci.yml': ci })).toEqual([
      'CG101 critical .gitlab-ci.yml:2:19',
      'CG101 low .gitlab-ci.yml:2:19',
    ]);
  });
});

describe('GitLab CI', () => {
  test('a spec: header before --- is not an error; variables hold flags', async () => {
    const ci = [
      'spec:',
      '  inputs:',
      '    task: { default: fix }',
      '---',
      'variables:',
      '  CLAUDE_FLAGS: "--dangerously-skip-permissions"',
      'agent:',
      '  script:',
      '    - claude -p "$[[ inputs.task ]]" $CLAUDE_FLAGS',
      '',
    ].join('\n');
    expect(await findings({ '.gitlab-ci.yml': ci })).toEqual(['CG101 critical .gitlab-ci.yml:6:18']);
  });

  test('a hidden template used by a job with an image is low, once', async () => {
    const ci = [
      '.claude-base:',
      '  script: [claude -p go --dangerously-skip-permissions]',
      'agent:',
      '  extends: .claude-base',
      '  image: node:20',
      '',
    ].join('\n');
    expect(await findings({ '.gitlab-ci.yml': ci })).toEqual(['CG101 low .gitlab-ci.yml:2:25']);
  });
});

describe('shells and wrappers', () => {
  test('PowerShell backtick and cmd caret line continuations', async () => {
    const wf = [
      'on: push',
      'jobs:',
      '  win:',
      '    runs-on: windows-latest',
      '    steps:',
      '      - shell: pwsh',
      '        run: |',
      '          claude -p "fix" `',
      '            --dangerously-skip-permissions',
      '      - shell: cmd',
      '        run: |',
      '          claude -p fix ^',
      '            --allowedTools Bash',
      '',
    ].join('\n');
    expect(await findings({ '.github/workflows/w.yml': wf })).toEqual([
      'CG101 critical .github/workflows/w.yml:9:13',
      'CG102 high .github/workflows/w.yml:13:28',
    ]);
  });

  test('#!/usr/bin/env -S bash -e marks a script', async () => {
    expect(
      await findings({ 'bin/agent': '#!/usr/bin/env -S bash -e\nclaude --dangerously-skip-permissions\n' }),
    ).toEqual(['CG101 critical bin/agent:2:8']);
  });

  test('docker run, podman exec and devcontainer exec run Claude inside a container', async () => {
    const script = [
      '#!/bin/sh',
      'docker run --rm -it -v "$PWD:/w" -w /w node:20 claude --dangerously-skip-permissions',
      'podman exec -u dev box claude --permission-mode bypassPermissions',
      'devcontainer exec --workspace-folder . claude --dangerously-skip-permissions',
      'claude --dangerously-skip-permissions',
      '',
    ].join('\n');
    expect(await findings({ 'run.sh': script })).toEqual([
      'CG101 critical run.sh:5:8',
      'CG101 low run.sh:2:55',
      'CG101 low run.sh:3:49',
      'CG101 low run.sh:4:47',
    ]);
  });
});

describe('robustness', () => {
  test('a settings file nested thousands deep ends in a note', async () => {
    const { verdict } = await scan(
      memorySource({ '.claude/settings.json': `${'['.repeat(20000)}${']'.repeat(20000)}` }),
      defaultPolicy(),
    );
    expect(verdict.notices.map((n) => n.message)).toEqual(['skipped: nested too deeply to read']);
  });
});

describe('CI expressions that stand for flags', () => {
  test('${{ env.X }}, every value of ${{ matrix.x }}, and an input default', async () => {
    const wf = [
      'on:',
      '  workflow_dispatch:',
      '    inputs:',
      '      extra: { default: "--allowedTools Bash" }',
      'env:',
      '  CLAUDE_EXTRA: --dangerously-skip-permissions',
      'jobs:',
      '  agents:',
      '    runs-on: ubuntu-latest',
      '    strategy:',
      '      matrix:',
      '        mode: [plan, bypassPermissions]',
      '    steps:',
      '      - run: claude -p go ${{ env.CLAUDE_EXTRA }}',
      '      - run: claude -p go --permission-mode ${{ matrix.mode }}',
      '      - run: claude -p go ${{ inputs.extra }}',
      '',
    ].join('\n');
    expect(await findings({ '.github/workflows/a.yml': wf })).toEqual([
      'CG101 critical .github/workflows/a.yml:6:17',
      'CG101 critical .github/workflows/a.yml:12:22',
      'CG102 high .github/workflows/a.yml:4:41',
    ]);
  });

  test('an expression that holds something else is not a finding', async () => {
    const wf =
      'on: push\nenv:\n  MODE: plan\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: claude --permission-mode "${{ env.MODE }}"\n';
    expect(await findings({ '.github/workflows/a.yml': wf })).toEqual([]);
  });
});
