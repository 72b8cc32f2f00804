import { describe, expect, test } from '@jest/globals';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

async function findings(files: Record<string, string>): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return verdict.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}:${f.column}-${f.endColumn}`);
}

describe('commands, agents and skills', () => {
  test('allowed-tools as a YAML list in a skill, with CRLF line ends', async () => {
    const text = [
      '---',
      'name: deploy',
      'allowed-tools:',
      '  - Read',
      '  - "Bash(*)"',
      '---',
      'Deploy.',
      '',
    ].join('\r\n');
    expect(await findings({ '.claude/skills/deploy/SKILL.md': text })).toEqual([
      'CG102 .claude/skills/deploy/SKILL.md:5:6-13',
    ]);
  });

  test('scoped grants, agent tools and files outside .claude/ are silent', async () => {
    expect(
      await findings({
        '.claude/commands/commit.md':
          '---\nallowed-tools: Bash(git add:*), Bash(git commit:*)\n---\nCommit.\n',
        '.claude/agents/shell.md': '---\ntools: Bash\npermissionMode: acceptEdits\n---\nRun things.\n',
        'docs/commands/x.md': '---\nallowed-tools: Bash\n---\n',
        '.claude/skills/notes.md': '---\nallowed-tools: Bash\n---\n',
        '.claude/commands/plain.md': 'No front matter; allowed-tools: Bash is just text.\n',
      }),
    ).toEqual([]);
  });

  test('front matter that is not valid YAML is reported', async () => {
    expect(await findings({ '.claude/commands/bad.md': '---\nallowed-tools: [Bash\n---\nx\n' })).toEqual([
      'CG901 .claude/commands/bad.md:2:16-17',
    ]);
  });
});
