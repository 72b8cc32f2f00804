import { describe, expect, test } from '@jest/globals';
import { escapeHatchOf } from '../src/model/escape-hatches.js';
import { parseToolRule } from '../src/model/tool-rule.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

describe('escapeHatchOf: the curated table', () => {
  test.each([
    ['Bash(npx:*)', 'npx', 'execute'],
    ['Bash(npx *)', 'npx', 'execute'],
    ['Bash(npm:*)', 'npm', 'execute'],
    ['Bash(npm exec:*)', 'npm exec', 'execute'],
    ['Bash(/usr/bin/python3:*)', 'python3', 'execute'],
    ['Bash(python3 -c:*)', 'python3 -c', 'execute'],
    ['Bash(node -e *)', 'node -e', 'execute'],
    ['Bash(bash -c:*)', 'bash -c', 'execute'],
    ['Bash(env:*)', 'env', 'execute'],
    ['Bash(xargs:*)', 'xargs', 'execute'],
    ['Bash(find:*)', 'find', 'execute'],
    ['Bash(git:*)', 'git', 'execute'],
    ['Bash(git -c:*)', 'git -c', 'execute'],
    ['Bash(docker:*)', 'docker', 'admin'],
    ['Bash(docker run:*)', 'docker run', 'admin'],
    ['Bash(sudo:*)', 'sudo', 'admin'],
    ['Bash(uv run:*)', 'uv run', 'execute'],
  ])('%s opens %s (%s)', (raw, fixed, risk) => {
    const found = escapeHatchOf(parseToolRule(raw));
    expect(found && { fixed: found.fixed, risk: found.hatch.risk }).toEqual({ fixed, risk });
  });

  test.each([
    'Bash(npx prettier --check .)',
    'Bash(npx prettier:*)',
    'Bash(python3 -m pytest:*)',
    'Bash(npm run lint)',
    'Bash(npm run:*)',
    'Bash(npm test:*)',
    'Bash(docker ps:*)',
    'Bash(git status:*)',
    'Bash(git diff *)',
    'Bash(uv run pytest:*)',
    'Bash',
    'Bash(*)',
    'Read(src/**)',
  ])('%s opens nothing', (raw) => {
    expect(escapeHatchOf(parseToolRule(raw))).toBeUndefined();
  });
});

describe('CG103 shell-escape-hatch', () => {
  test('points at each grant, says what it opens and its risk', async () => {
    const { verdict } = await scan(
      memorySource({
        '.claude/settings.json':
          '{"permissions": {"allow": ["Bash(find:*)", "Bash(git status:*)", "Bash(sudo:*)"]}}\n',
        'run.sh': '#!/bin/sh\nclaude -p go --allowedTools "Bash(npx *)"\n',
      }),
      defaultPolicy(),
    );
    expect(
      verdict.findings
        .filter((f) => f.ruleId === 'CG103')
        .map((f) => `${f.severity} ${f.path}:${f.line}:${f.column}-${f.endColumn} ${f.message}`),
    ).toEqual([
      'high .claude/settings.json:1:29-41 "Bash(find:*)" in permissions.allow in .claude/settings.json lets Claude run find with any arguments: it runs any command through -exec and -ok (execute)',
      'high .claude/settings.json:1:67-79 "Bash(sudo:*)" in permissions.allow in .claude/settings.json lets Claude run sudo with any arguments: it runs any command as another user, root included (admin)',
      'high run.sh:2:30-41 "Bash(npx *)" in --allowedTools lets Claude run npx with any arguments: it fetches and runs any package from the registry (execute)',
    ]);
  });

  test("silent on deny and ask rules and on an agent's tools", async () => {
    const { verdict } = await scan(
      memorySource({
        '.claude/settings.json': '{"permissions": {"deny": ["Bash(npx:*)"], "ask": ["Bash(docker:*)"]}}\n',
        '.claude/agents/a.md': '---\nname: a\ntools: Bash(npx:*)\n---\nHi.\n',
      }),
      defaultPolicy(),
    );
    expect(verdict.findings.filter((f) => f.ruleId === 'CG103')).toEqual([]);
  });
});
