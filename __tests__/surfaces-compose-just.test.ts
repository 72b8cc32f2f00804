import { describe, expect, test } from '@jest/globals';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

async function findings(files: Record<string, string>): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return verdict.findings.map((f) => `${f.ruleId} ${f.severity} ${f.path}:${f.line}:${f.column}`);
}

describe('Docker Compose', () => {
  test('entrypoint and command lists, a command string; services run in containers', async () => {
    const compose = [
      'services:',
      '  agent:',
      '    image: node:20',
      '    entrypoint: ["claude"]',
      '    command: ["--dangerously-skip-permissions", "-p", "fix"]',
      '  reviewer:',
      '    image: node:20',
      '    command: claude -p review --allowedTools Bash',
      '',
    ].join('\n');
    expect(await findings({ 'docker-compose.yml': compose })).toEqual([
      'CG102 high docker-compose.yml:8:46',
      'CG101 low docker-compose.yml:5:16',
    ]);
  });

  test('silent: services that do not run claude, and other YAML files', async () => {
    expect(
      await findings({
        'compose.yaml': 'services:\n  web:\n    command: npm start\n    environment: [MODE=claude]\n',
        'config/app.yml': 'command: claude --dangerously-skip-permissions\n',
      }),
    ).toEqual([]);
  });
});

describe('justfile', () => {
  test('recipe lines are shell; variables and {{interpolations}} hold flags', async () => {
    const justfile = [
      'flags := "--dangerously-skip-permissions"',
      '',
      'fix:',
      '    claude -p "fix the build" {{flags}}',
      '',
      'review target:',
      '    @claude -p "review {{target}}" --allowedTools Bash',
      '',
      'echo:',
      '    echo "claude --dangerously-skip-permissions"',
      '',
    ].join('\n');
    expect(await findings({ justfile })).toEqual([
      'CG101 critical justfile:1:11',
      'CG102 high justfile:7:51',
    ]);
  });
});

describe('commands in Claude settings', () => {
  test('a hook or helper that starts Claude itself is read as shell', async () => {
    const settings = [
      '{',
      '  "hooks": {',
      '    "Stop": [{ "matcher": "", "hooks": [{ "type": "command", "command": "claude -p \\"summarise\\" --dangerously-skip-permissions" }] }]',
      '  },',
      '  "statusLine": { "type": "command", "command": "~/.claude/statusline.sh" }',
      '}',
      '',
    ].join('\n');
    expect(await findings({ '.claude/settings.json': settings })).toEqual([
      'CG101 critical .claude/settings.json:3:98',
    ]);
  });

  test('hooks that do not start Claude are not runs', async () => {
    const settings =
      '{ "hooks": { "PreToolUse": [{ "hooks": [{ "type": "command", "command": "npm run lint" }] }] } }\n';
    expect(await findings({ '.claude/settings.json': settings })).toEqual([]);
  });
});

describe('task runners: pre-commit and VS Code tasks', () => {
  test('a pre-commit hook entry with args, and a VS Code task command with args', async () => {
    const preCommit = [
      'repos:',
      '  - repo: local',
      '    hooks:',
      '      - id: claude-review',
      '        name: Claude review',
      '        entry: claude -p "review the staged diff" --allowedTools',
      '        args: ["Bash"]',
      '        language: system',
      '',
    ].join('\n');
    const tasks = [
      '{',
      '  // tasks for agents',
      '  "version": "2.0.0",',
      '  "tasks": [',
      '    { "label": "yolo", "type": "shell", "command": "claude", "args": ["--dangerously-skip-permissions"] },',
      '  ]',
      '}',
      '',
    ].join('\n');
    expect(await findings({ '.pre-commit-config.yaml': preCommit, '.vscode/tasks.json': tasks })).toEqual([
      'CG101 critical .vscode/tasks.json:5:72',
      'CG102 high .pre-commit-config.yaml:7:17',
    ]);
  });

  test('hooks and tasks that do not start Claude are silent', async () => {
    expect(
      await findings({
        '.pre-commit-config.yaml':
          'repos:\n  - repo: local\n    hooks:\n      - id: lint\n        entry: eslint --fix\n',
        '.vscode/tasks.json':
          '{ "tasks": [{ "command": "echo", "args": ["claude --dangerously-skip-permissions"] }] }\n',
      }),
    ).toEqual([]);
  });
});
