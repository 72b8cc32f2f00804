import { describe, expect, test } from '@jest/globals';
import { defaultPolicy } from '../src/policy/policy.js';
import type { Policy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

const nowhere: Policy = { ...defaultPolicy(), dangerousModeAllowIn: [] };

async function findings(files: Record<string, string>, policy: Policy = nowhere): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), policy);
  return verdict.findings.map((f) => `${f.ruleId} ${f.severity} ${f.path}:${f.line}:${f.column}`);
}

describe('Dockerfile', () => {
  test('exec-form ENTRYPOINT, shell-form RUN with continuation, CMD', async () => {
    const dockerfile = [
      'FROM node:20',
      'RUN npm install -g @anthropic-ai/claude-code@1.0.0 && \\',
      '    claude --version',
      'USER node',
      'CMD claude -p "review" \\',
      '      --allowedTools Bash',
      'ENTRYPOINT ["claude", "--dangerously-skip-permissions"]',
      '',
    ].join('\n');
    expect(await findings({ Dockerfile: dockerfile })).toEqual([
      'CG101 critical Dockerfile:7:24',
      'CG102 high Dockerfile:6:22',
    ]);
  });

  test('by default bypass mode in a container is low and does not block', async () => {
    const { verdict } = await scan(
      memorySource({
        'docker/agent.Dockerfile': 'FROM node\nENTRYPOINT ["claude","--dangerously-skip-permissions"]\n',
      }),
      defaultPolicy(),
    );
    expect(verdict.findings.map((f) => [f.ruleId, f.severity, f.blocking, f.line, f.column])).toEqual([
      ['CG101', 'low', false, 2, 23],
    ]);
    expect(verdict.findings[0]?.message).toMatch(
      /inside a container \(allowed by dangerous-mode\.allow-in\)$/,
    );
  });

  test('CMD gives arguments to a Claude ENTRYPOINT', async () => {
    const text = 'FROM node\nENTRYPOINT ["claude"]\nCMD ["--permission-mode", "bypassPermissions"]\n';
    expect(await findings({ Containerfile: text })).toEqual(['CG101 critical Containerfile:3:28']);
  });

  test('sh -c in exec form is read as a script', async () => {
    const text = 'FROM node\nCMD ["sh", "-c", "cd /app && claude -p hi --dangerously-skip-permissions"]\n';
    expect(await findings({ Dockerfile: text })).toEqual(['CG101 critical Dockerfile:2:43']);
  });

  test('silent: installing Claude, mentions in comments and echo, scoped grants', async () => {
    const text = [
      '# claude --dangerously-skip-permissions is not used here',
      'FROM node:20',
      'RUN npm install -g @anthropic-ai/claude-code@1.0.0',
      'RUN echo "run claude --dangerously-skip-permissions yourself"',
      'CMD ["claude", "-p", "review", "--allowedTools", "Bash(npm test:*)"]',
      '',
    ].join('\n');
    expect(await findings({ Dockerfile: text })).toEqual([]);
  });
});

describe('devcontainer.json', () => {
  test('lifecycle commands as string, array and named commands; JSONC allowed', async () => {
    const text = [
      '{',
      '  // a dev container for agents',
      '  "name": "agent",',
      '  "postCreateCommand": "npm ci && claude --dangerously-skip-permissions -p setup",',
      '  "postStartCommand": ["claude", "--allowedTools", "Bash"],',
      '  "postAttachCommand": { "agent": "claude --permission-mode bypassPermissions" },',
      '}',
      '',
    ].join('\n');
    expect(await findings({ '.devcontainer/devcontainer.json': text })).toEqual([
      'CG101 critical .devcontainer/devcontainer.json:4:42',
      'CG101 critical .devcontainer/devcontainer.json:6:61',
      'CG102 high .devcontainer/devcontainer.json:5:53',
    ]);
  });

  test('by default the dev container allows bypass mode (low), but initializeCommand runs on the host', async () => {
    const text = [
      '{',
      '  "initializeCommand": "claude --dangerously-skip-permissions -p prepare",',
      '  "postCreateCommand": "claude --dangerously-skip-permissions -p setup"',
      '}',
      '',
    ].join('\n');
    expect(await findings({ '.devcontainer.json': text }, defaultPolicy())).toEqual([
      'CG101 critical .devcontainer.json:2:32',
      'CG101 low .devcontainer.json:3:32',
    ]);
  });

  test('files under .devcontainer/ count as inside the dev container', async () => {
    const files = {
      '.devcontainer/setup.sh': '#!/bin/sh\nclaude --dangerously-skip-permissions\n',
      '.devcontainer/.claude/settings.json': '{ "permissions": { "defaultMode": "bypassPermissions" } }\n',
      'scripts/setup.sh': '#!/bin/sh\nclaude --dangerously-skip-permissions\n',
    };
    expect(await findings(files, defaultPolicy())).toEqual([
      'CG101 critical scripts/setup.sh:2:8',
      'CG101 low .devcontainer/.claude/settings.json:1:36',
      'CG101 low .devcontainer/setup.sh:2:8',
    ]);
  });

  test('silent without Claude', async () => {
    expect(
      await findings({ '.devcontainer/devcontainer.json': '{ "postCreateCommand": "npm ci" }\n' }),
    ).toEqual([]);
  });
});
