import { describe, expect, test } from '@jest/globals';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

/** CI hygiene rules that every minimal CI fixture trips (no `permissions:`, no run limits); judged in their own tests. */
// Rules on how CI is set up (token, limits, pinning, checkout), asserted in their own tests.
const CI_HYGIENE = new Set(['CG502', 'CG503', 'CG504', 'CG509']);

/** Patterns from repositories written the way users write them; each was once missed or misplaced. */
async function findings(files: Record<string, string>): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return verdict.findings
    .filter((f) => !CI_HYGIENE.has(f.ruleId))
    .map((f) => `${f.ruleId} ${f.severity} ${f.path}:${f.line}:${f.column}`);
}
const sh = (...lines: string[]): Record<string, string> => ({
  'run.sh': ['#!/bin/bash', ...lines, ''].join('\n'),
});

describe('command lines', () => {
  test('--resume and -r without a session id do not swallow the next flag', async () => {
    expect(
      await findings(sh('claude --resume --dangerously-skip-permissions', 'claude -r --allowedTools Bash')),
    ).toEqual(['CG101 critical run.sh:2:17', 'CG102 high run.sh:3:26']);
    expect(await findings(sh('claude --resume 4f2a --dangerously-skip-permissions'))).toEqual([
      'CG101 critical run.sh:2:22',
    ]);
  });

  test('a variable set in one branch of an if, or overridden after &&, may hold either value', async () => {
    const script = sh(
      'if [ -n "$CI" ]; then MODE="bypassPermissions"; else MODE=acceptEdits; fi',
      'claude --permission-mode "$MODE" -p go',
      'EXTRA="--dangerously-skip-permissions"',
      '[ -n "$SAFE" ] && EXTRA=""',
      'claude $EXTRA -p go',
    );
    expect(await findings(script)).toEqual(['CG101 critical run.sh:2:29', 'CG101 critical run.sh:4:8']);
  });

  test('a straight reassignment replaces the value', async () => {
    expect(
      await findings(sh('FLAGS=--dangerously-skip-permissions', 'FLAGS=--verbose', 'claude $FLAGS')),
    ).toEqual([]);
  });

  test('Claude through a path with a variable, an alias, cross-env', async () => {
    expect(await findings(sh('"$HOME/.local/bin/claude" --dangerously-skip-permissions -p "$@"'))).toEqual([
      'CG101 critical run.sh:2:27',
    ]);
    expect(await findings(sh("alias yolo='claude --dangerously-skip-permissions'"))).toEqual([
      'CG101 critical run.sh:2:20',
    ]);
    const pkg =
      '{\n  "scripts": {\n    "agent": "cross-env CI=1 claude --permission-mode bypassPermissions -p go"\n  }\n}\n';
    expect(await findings({ 'package.json': pkg })).toEqual(['CG101 critical package.json:3:55']);
  });

  test('a here-doc that writes a git hook (a #! script) is read as shell', async () => {
    const script = sh(
      "cat > .git/hooks/pre-push <<'EOF'",
      '#!/bin/sh',
      'claude -p review --allowedTools Bash',
      'EOF',
    );
    expect(await findings(script)).toEqual(['CG102 high run.sh:4:33']);
  });
});

describe('containers', () => {
  test('exec form through npx in a Dockerfile and a devcontainer initializeCommand (on the host)', async () => {
    const files = {
      Dockerfile:
        'FROM node\nENTRYPOINT ["npx", "-y", "@anthropic-ai/claude-code@1.0.0", "--dangerously-skip-permissions"]\n',
      '.devcontainer/devcontainer.json':
        '{ "initializeCommand": ["npx", "-y", "@anthropic-ai/claude-code", "--dangerously-skip-permissions"] }\n',
    };
    expect(await findings(files)).toEqual([
      'CG101 critical .devcontainer/devcontainer.json:1:68',
      'CG101 low Dockerfile:2:62',
    ]);
  });

  test('a GitLab job inherits its image through extends', async () => {
    const ci = [
      '.node:',
      '  image: node:20',
      'agent:',
      '  extends: .node',
      '  script:',
      '    - claude -p go --dangerously-skip-permissions',
      '',
    ].join('\n');
    expect(await findings({ '.gitlab-ci.yml': ci })).toEqual(['CG101 low .gitlab-ci.yml:6:20']);
  });
});

describe('Makefiles', () => {
  test('one-line recipes and Claude named by a make variable', async () => {
    const makefile = [
      'CLAUDE ?= claude',
      'FLAGS := --output-format json --dangerously-skip-permissions',
      'fix:',
      '\t$(CLAUDE) -p fix $(FLAGS)',
      'lint-fix: ; claude -p "fix lint" --allowedTools Bash',
      '',
    ].join('\n');
    expect(await findings({ Makefile: makefile })).toEqual([
      'CG101 critical Makefile:2:31',
      'CG102 high Makefile:5:49',
    ]);
  });
});

describe('JSON and YAML files', () => {
  test('with a repeated key Claude uses the last value; the repeat is reported', async () => {
    const settings =
      '{\n  "permissions": {\n    "defaultMode": "acceptEdits",\n    "defaultMode": "bypassPermissions"\n  }\n}\n';
    expect(await findings({ '.claude/settings.json': settings })).toEqual([
      'CG101 critical .claude/settings.json:4:21',
      'CG901 medium .claude/settings.json:4:5',
    ]);
  });

  test('a trailing comma is reported at the comma; an empty file says it is empty', async () => {
    const { verdict } = await scan(
      memorySource({
        '.claude/settings.json': '{\n  "permissions": {\n    "allow": ["Read",]\n  }\n}\n',
        '.mcp.json': '',
      }),
      defaultPolicy(),
    );
    expect(verdict.findings.map((f) => `${f.path}:${f.line}:${f.column} ${f.message}`)).toEqual([
      '.claude/settings.json:3:21 Claude settings: invalid JSON: a value is expected here (a trailing comma?). Claude Code rejects the whole file and none of its settings apply. If a comma ends the list or object here, delete it (strict JSON allows none); otherwise write the quoted name or the value that is missing.',
      '.mcp.json:1:1 MCP config: the file is empty, which is not valid JSON. Claude Code cannot load any server from this file. Write `{}` if the file should set nothing, or delete the file.',
    ]);
  });

  test('one YAML error in a workflow is one finding', async () => {
    const wf = 'on: push\njobs:\n  a:\n    steps:\n      - run: claude -p "x\n     bad: [\n';
    expect((await findings({ '.github/workflows/a.yml': wf })).length).toBe(1);
  });

  test('made-up example keys in docs are placeholders', async () => {
    const doc = [
      'ANTHROPIC_API_KEY=sk-ant-api03-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ab',
      'GITHUB_TOKEN=ghp_1234567890abcdefghijklmnopqrstuvwxyz',
      '',
    ].join('\n');
    expect(await findings({ 'docs/setup.md': doc })).toEqual([]);
  });
});

describe('workflows', () => {
  test('flags held in a workflow env: variable', async () => {
    const wf = [
      'on: workflow_dispatch',
      'env:',
      '  CLAUDE_FLAGS: --dangerously-skip-permissions',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: claude -p go $CLAUDE_FLAGS',
      '',
    ].join('\n');
    expect(await findings({ '.github/workflows/a.yml': wf })).toEqual([
      'CG101 critical .github/workflows/a.yml:3:17',
    ]);
  });
});
