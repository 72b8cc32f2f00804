import { describe, expect, test } from '@jest/globals';
import { splitArgString } from '../src/model/claude-command.js';
import { splitToolList } from '../src/model/tool-rule.js';
import type { Policy } from '../src/policy/policy.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

const nowhere: Policy = { ...defaultPolicy(), dangerousModeAllowIn: [] };

/** CI hygiene rules that every minimal CI fixture trips (no `permissions:`, no run limits); judged in their own tests. */
// Rules on how CI is set up (token, limits, pinning, checkout), asserted in their own tests.
const CI_HYGIENE = new Set(['CG502', 'CG503', 'CG504', 'CG509']);

async function spans(files: Record<string, string>): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), nowhere);
  return verdict.findings
    .filter((f) => !CI_HYGIENE.has(f.ruleId))
    .map((f) => `${f.ruleId} ${f.line}:${f.column}-${f.endLine}:${f.endColumn}`);
}

const script = (line: string): Record<string, string> => ({ 'run.sh': `#!/bin/sh\n${line}\n` });
const step = (line: string): Record<string, string> => ({
  '.github/workflows/w.yml': `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n${line}\n`,
});

/** Cases found by review of the shell and YAML readers; each once gave a wrong position or a wrong answer. */
describe('YAML scalar escapes keep positions', () => {
  test("'' in a single-quoted run", async () => {
    expect(await spans(step("      - run: 'claude -p ''hi'' --dangerously-skip-permissions'"))).toEqual([
      'CG101 6:32-6:62',
    ]);
  });
  test("'' in single-quoted claude_args", async () => {
    const files = {
      '.github/workflows/w.yml': [
        'on: push',
        'jobs:',
        '  a:',
        '    runs-on: x',
        '    steps:',
        '      - uses: anthropics/claude-code-action@v1',
        '        with:',
        "          claude_args: '--allowedTools ''Read,Bash'' --dangerously-skip-permissions'",
        '',
      ].join('\n'),
    };
    expect(await spans(files)).toEqual(['CG101 8:54-8:84', 'CG102 8:47-8:51']);
  });
  test('\\u and \\x escapes in a double-quoted run', async () => {
    expect(
      await spans(step('      - run: "echo \\"\\u00e9t\\u00e9\\" && claude --dangerously-skip-permissions"')),
    ).toEqual(['CG101 6:48-6:78']);
    expect(await spans(step('      - run: "claude -p \\x41 --dangerously-skip-permissions"'))).toEqual([
      'CG101 6:30-6:60',
    ]);
  });
});

describe('argument and rule lists', () => {
  test('a line continuation between claude_args words makes no empty word', () => {
    expect(splitArgString('--permission-mode \\\n  bypassPermissions').map((w) => w.value)).toEqual([
      '--permission-mode',
      'bypassPermissions',
    ]);
    expect(splitArgString(`-p '' --x`).map((w) => w.value)).toEqual(['-p', '', '--x']);
  });
  test('an unclosed parenthesis keeps the rest as one malformed rule', () => {
    expect(splitToolList('Bash(npm test, Read')).toEqual([
      { value: 'Bash(npm test, Read', start: 0, end: 19 },
    ]);
    expect(splitToolList('Read,Edit(src,Bash').map((p) => p.value)).toEqual(['Read', 'Edit(src,Bash']);
  });
});

describe('wrappers and variables', () => {
  test('sudo with clustered short options', async () => {
    expect(await spans(script('sudo -Eu ci claude --dangerously-skip-permissions'))).toEqual([
      'CG101 2:20-2:50',
    ]);
  });
  test('npm x -- @anthropic-ai/claude-code', async () => {
    expect(await spans(script('npm x -- @anthropic-ai/claude-code --dangerously-skip-permissions'))).toEqual([
      'CG101 2:36-2:66',
    ]);
  });
  test('env -S splits its string into a command', async () => {
    expect(await spans(script('env -S "claude --dangerously-skip-permissions"'))).toEqual([
      'CG101 2:16-2:46',
    ]);
  });
  test('watch runs its command', async () => {
    expect(await spans(script('watch -n 60 claude -p check --dangerously-skip-permissions'))).toEqual([
      'CG101 2:29-2:59',
    ]);
  });
  test('a flag beside a variable in an assigned value is still read: only the piece holding $k is unknown', async () => {
    expect(
      await spans(
        script('FLAGS="--dangerously-skip-permissions --allowedTools Bash($k)"; claude -p hi $FLAGS'),
      ),
    ).toEqual(['CG101 2:8-2:38']);
    expect(await spans(script('FLAGS="$EXTRA --dangerously-skip-permissions"; claude $FLAGS'))).toEqual([
      'CG101 2:15-2:45',
    ]);
    // Within one word, what is written around a variable is not a flag of its own.
    expect(await spans(script('FLAGS="--dangerously-skip-${MODE}"; claude $FLAGS'))).toEqual([]);
    expect(
      await spans(
        step(
          '      - run: |\n          FLAGS="--dangerously-skip-permissions ${{ inputs.extra }}"\n          claude $FLAGS',
        ),
      ),
    ).toEqual(['CG101 7:18-7:48']);
  });
  test('a prefix assignment is not a script variable', async () => {
    expect(await spans(script('FLAGS=--dangerously-skip-permissions true; claude $FLAGS'))).toEqual([]);
  });
  test('"$FLAGS" is one word; unquoted $FLAGS is split', async () => {
    expect(await spans(script('FLAGS="--verbose --dangerously-skip-permissions"; claude "$FLAGS"'))).toEqual(
      [],
    );
    expect(await spans(script('FLAGS="--verbose --dangerously-skip-permissions"; claude $FLAGS'))).toEqual([
      'CG101 2:18-2:48',
    ]);
  });
});
