import { describe, expect, test } from '@jest/globals';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

/** CI hygiene rules that every minimal CI fixture trips (no `permissions:`, no run limits); judged in their own tests. */
// Rules on how CI is set up (token, limits, pinning, checkout), asserted in their own tests.
const CI_HYGIENE = new Set(['CG502', 'CG503', 'CG504', 'CG509']);

async function findings(files: Record<string, string>): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return verdict.findings
    .filter((f) => !CI_HYGIENE.has(f.ruleId))
    .map((f) => `${f.ruleId} ${f.severity} ${f.path}:${f.line}:${f.column}-${f.endColumn}`);
}

describe('Makefile', () => {
  test('recipes are shell; make variables hold flags; @ and $$ are make syntax', async () => {
    const makefile = [
      'CLAUDE_FLAGS := --dangerously-skip-permissions --verbose',
      '',
      'fix:',
      '\t@claude -p "fix lint" $(CLAUDE_FLAGS)',
      '',
      'review: build',
      '\tcd src && \\',
      '\t  claude -p "review $$PWD" --allowedTools Bash',
      '',
    ].join('\n');
    expect(await findings({ Makefile: makefile })).toEqual([
      'CG101 critical Makefile:1:17-47',
      'CG102 high Makefile:8:44-48',
    ]);
  });

  test('silent: variables never used by claude, echo, and other targets', async () => {
    const makefile = [
      'FLAGS := --dangerously-skip-permissions',
      'help:',
      '\t@echo "claude $(FLAGS) is not run here"',
      'test:',
      '\tclaude -p "run the tests" --allowedTools "Bash(npm test:*)"',
      '',
    ].join('\n');
    expect(await findings({ 'tools/agents.mk': makefile })).toEqual([]);
  });
});

describe('.gitlab-ci.yml', () => {
  test('script lines of jobs; an image makes a container', async () => {
    const ci = [
      'stages: [review]',
      'review:',
      '  stage: review',
      '  script:',
      '    - npm install -g @anthropic-ai/claude-code@1.0.0',
      '    - claude -p "review" --permission-mode acceptEdits --allowedTools "Bash(*) Read(*)" --debug',
      'agent:',
      '  image: node:24-alpine',
      '  script: claude -p "$TASK" --dangerously-skip-permissions',
      '',
    ].join('\n');
    expect(await findings({ '.gitlab-ci.yml': ci })).toEqual([
      'CG102 high .gitlab-ci.yml:6:72-79',
      'CG505 medium .gitlab-ci.yml:6:89-96',
      'CG101 low .gitlab-ci.yml:9:29-59',
    ]);
  });

  test('silent without claude, and on reserved keys', async () => {
    expect(
      await findings({
        '.gitlab-ci.yml':
          'variables:\n  X: claude --dangerously-skip-permissions\nbuild:\n  script: [make]\n',
      }),
    ).toEqual([]);
  });
});
