import { describe, expect, test } from '@jest/globals';
import { parseClaudeArgs } from '../src/model/claude-command.js';
import { parseToolRule } from '../src/model/tool-rule.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

/** Names every plain object answers to: looked up in an object literal they find a function. */
const NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

describe('names from a file are only names', () => {
  test.each(NAMES)('the permission rule %s is a tool of that name, of unknown (execute) risk', (name) => {
    expect(parseToolRule(name)).toMatchObject({ tool: name, canonical: name, form: 'bare', risk: 'execute' });
    expect(parseToolRule(`${name}(x)`)).toMatchObject({ canonical: name, specifier: 'x', form: 'exact' });
  });

  test.each(NAMES)('--%s is an unknown claude flag that takes no value', (name) => {
    const command = parseClaudeArgs([
      { value: `--${name}`, start: 0, end: name.length + 2 },
      { value: '-p', start: 0, end: 2 },
    ] as never);
    expect(command.flags.map((f) => [f.name, f.values.length])).toEqual([
      [`--${name}`, 0],
      ['-p', 0],
    ]);
  });

  test('every surface reads them without crashing, and what is dangerous beside them is still found', async () => {
    const list = NAMES.map((n) => `"${n}"`).join(', ');
    const settingsLine = `{"permissions": {"allow": [${list}, "Bash"], "deny": [${list}], "defaultMode": "constructor"},`;
    const files = {
      '.claude/settings.json': `${settingsLine}\n  "env": {"__proto__": "x", "constructor": "y"}, "hooks": {"__proto__": [], "toString": []}}\n`,
      '.mcp.json': `{"mcpServers": {"__proto__": {"command": "x"}, "constructor": {"command": "npx", "env": {"__proto__": "1"}, "headers": {"toString": "2"}}}}\n`,
      '.claude/agents/a.md': `---\nname: a\ntools: ${NAMES.join(', ')}\npermissionMode: bypassPermissions\n---\nbody\n`,
      '.claude/commands/c.md': `---\nallowed-tools: ${NAMES.join(', ')}, Bash(*)\n---\nbody\n`,
      'scripts/run.sh': `#!/bin/sh\nconstructor claude -p x\nsudo claude --constructor --allowedTools constructor,__proto__,Bash\n__proto__ -p\n`,
      '.github/workflows/a.yml': [
        'on: issue_comment',
        'jobs:',
        '  __proto__:',
        '    runs-on: ubuntu-latest',
        '    env: { __proto__: a, constructor: b }',
        '    steps:',
        '      - uses: anthropics/claude-code-action@v1',
        '        with:',
        '          __proto__: x',
        '          constructor: y',
        '          claude_args: --allowedTools constructor,Bash --constructor',
        '',
      ].join('\n'),
    };
    const { verdict } = await scan(memorySource(files), defaultPolicy());
    const found = verdict.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}:${f.column}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'CG101 .claude/agents/a.md:4:17',
        `CG102 .claude/settings.json:1:${'{"permissions": {"allow": ['.length + list.length + 4}`,
        // defaultMode "constructor" is not a mode Claude knows.
        `CG901 .claude/settings.json:1:${settingsLine.indexOf('"constructor"},') + 2}`,
        `CG102 .claude/commands/c.md:2:${'allowed-tools: '.length + NAMES.join(', ').length + 3}`,
        `CG102 scripts/run.sh:3:${'sudo claude --constructor --allowedTools constructor,__proto__,'.length + 1}`,
        `CG102 .github/workflows/a.yml:11:${'          claude_args: --allowedTools constructor,'.length + 1}`,
      ]),
    );
  });
});
