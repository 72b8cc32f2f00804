import { describe, expect, test } from '@jest/globals';
import { parsePolicy } from '../src/policy/load.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

async function cg106(files: Record<string, string>, policy?: string): Promise<string[]> {
  const p = policy === undefined ? defaultPolicy() : parsePolicy(policy, '.github/claude-guard.yml');
  const { verdict } = await scan(memorySource(files), p);
  return verdict.findings
    .filter((f) => f.ruleId === 'CG106')
    .map((f) => `${f.severity} ${f.path}:${f.line}:${f.column}-${f.endColumn} ${f.message}`);
}

const settings = (...allow: string[]): Record<string, string> => ({
  '.claude/settings.json': `{"permissions": {"allow": ${JSON.stringify(allow)}}}\n`,
});

const DENY_PUSH = 'version: 1\ntools:\n  deny: ["Bash(git push:*)"]\n';

describe('CG106 forbidden-tool', () => {
  test('silent under the default policy, whatever is granted', async () => {
    expect(await cg106(settings('Bash', 'Edit', 'mcp__*', 'Bash(git push:*)'))).toEqual([]);
  });

  test('a deny pattern narrower than the grant still catches it; exact columns', async () => {
    expect(
      await cg106(
        settings('Bash', 'Bash(*)', 'Bash(git:*)', 'Bash(git *)', 'Bash(git push)', 'Bash(git status)'),
        DENY_PUSH,
      ),
    ).toEqual([
      'high .claude/settings.json:1:29-33 "Bash" in permissions.allow in .claude/settings.json lets Claude do what policy tools.deny forbids with "Bash(git push:*)"',
      'high .claude/settings.json:1:36-43 "Bash(*)" in permissions.allow in .claude/settings.json lets Claude do what policy tools.deny forbids with "Bash(git push:*)"',
      'high .claude/settings.json:1:46-57 "Bash(git:*)" in permissions.allow in .claude/settings.json lets Claude do what policy tools.deny forbids with "Bash(git push:*)"',
      'high .claude/settings.json:1:60-71 "Bash(git *)" in permissions.allow in .claude/settings.json lets Claude do what policy tools.deny forbids with "Bash(git push:*)"',
      'high .claude/settings.json:1:74-88 "Bash(git push)" in permissions.allow in .claude/settings.json lets Claude do what policy tools.deny forbids with "Bash(git push:*)"',
    ]);
  });

  test('a command that runs any other is caught, and the message says through what', async () => {
    expect(await cg106(settings('Bash(sudo:*)', 'Bash(npm test)'), DENY_PUSH)).toEqual([
      'high .claude/settings.json:1:29-41 "Bash(sudo:*)" in permissions.allow in .claude/settings.json lets Claude do what policy tools.deny forbids with "Bash(git push:*)": sudo with any arguments runs any command as another user, root included',
    ]);
  });

  test('grants on the command line, in action inputs and in front matter name where they are written', async () => {
    const policy = 'version: 1\ntools:\n  deny: ["mcp__postgres__*", "Read(./secrets/**)"]\n';
    expect(
      await cg106(
        {
          'run.sh': '#!/bin/sh\nclaude -p go --allowedTools "mcp__postgres" --max-turns 3\n',
          '.claude/commands/dump.md': '---\nallowed-tools: Read(secrets/prod.env), Grep\n---\nDump it.\n',
          '.github/workflows/q.yml': [
            'on: workflow_dispatch',
            'jobs:',
            '  q:',
            '    runs-on: ubuntu-latest',
            '    steps:',
            '      - uses: anthropics/claude-code-action@v1',
            '        with:',
            '          claude_args: --allowedTools "mcp__postgres__query,mcp__github__get_issue"',
            '',
          ].join('\n'),
        },
        policy,
      ),
    ).toEqual([
      'high .claude/commands/dump.md:2:16-38 "Read(secrets/prod.env)" in allowed-tools of .claude/commands/dump.md lets Claude do what policy tools.deny forbids with "Read(./secrets/**)"',
      'high .claude/commands/dump.md:2:40-44 "Grep" in allowed-tools of .claude/commands/dump.md lets Claude do what policy tools.deny forbids with "Read(./secrets/**)"',
      'high .github/workflows/q.yml:8:40-60 "mcp__postgres__query" in claude-code-action inputs lets Claude do what policy tools.deny forbids with "mcp__postgres__*"',
      'high run.sh:2:30-43 "mcp__postgres" in --allowedTools lets Claude do what policy tools.deny forbids with "mcp__postgres__*"',
    ]);
  });

  test('legacy tool names are the tools they stand for', async () => {
    const policy = 'version: 1\ntools:\n  deny: ["Read(./secrets/**)", "Agent"]\n';
    expect(await cg106(settings('View', 'Task', 'GlobTool(src/**)'), policy)).toEqual([
      'high .claude/settings.json:1:29-33 "View" in permissions.allow in .claude/settings.json lets Claude do what policy tools.deny forbids with "Read(./secrets/**)"',
      'high .claude/settings.json:1:36-40 "Task" in permissions.allow in .claude/settings.json lets Claude do what policy tools.deny forbids with "Agent"',
    ]);
  });

  test('an allow list accepts only grants one of its patterns covers whole', async () => {
    const policy = 'version: 1\ntools:\n  allow: [Read, Grep, "Bash(npm run *)", "mcp__github__get_*"]\n';
    expect(
      await cg106(
        settings(
          'Read(src/**)',
          'Grep',
          'Bash(npm run test:*)',
          'Bash(npm *)',
          'mcp__github__get_issue',
          'mcp__github',
          'Edit',
        ),
        policy,
      ),
    ).toEqual([
      'high .claude/settings.json:1:74-85 "Bash(npm *)" in permissions.allow in .claude/settings.json is outside policy tools.allow: no pattern there covers all the grant allows',
      'high .claude/settings.json:1:113-124 "mcp__github" in permissions.allow in .claude/settings.json is outside policy tools.allow: no pattern there covers all the grant allows',
      'high .claude/settings.json:1:127-131 "Edit" in permissions.allow in .claude/settings.json is outside policy tools.allow: no pattern there covers all the grant allows',
    ]);
  });

  test('an empty allow list accepts nothing; a grant Claude never consults is left to CG901', async () => {
    expect(await cg106(settings('Read', 'Write(src/**)'), 'version: 1\ntools:\n  allow: []\n')).toEqual([
      'high .claude/settings.json:1:29-33 "Read" in permissions.allow in .claude/settings.json is outside policy tools.allow, which is empty',
    ]);
  });

  test('a grant denied and outside the allow list is one finding, the denial', async () => {
    const policy = 'version: 1\ntools:\n  allow: [Read]\n  deny: [Bash]\n';
    expect(await cg106(settings('Bash(ls)'), policy)).toEqual([
      'high .claude/settings.json:1:29-37 "Bash(ls)" in permissions.allow in .claude/settings.json lets Claude do what policy tools.deny forbids with "Bash"',
    ]);
  });

  test('a hostile grant is quoted short', async () => {
    const long = `Bash(git ${'x'.repeat(5000)}:*)`;
    const [message] = await cg106(settings(long), 'version: 1\ntools:\n  deny: [Bash]\n');
    expect(message?.length).toBeLessThan(300);
    expect(message).toContain('"Bash(git xxxx');
  });
});
