import { describe, expect, test } from '@jest/globals';
import { parseClaudeArgs, splitArgString, toolRulesIn } from '../../src/model/claude-command.js';
import { LineIndex, type Span } from '../../src/model/span.js';
import type { Arg } from '../../src/model/types.js';

const PATH = 'cmd.txt';

/**
 * The arguments of a command line the way the readers hand them over: split with shell quoting, each word
 * with the offset of each of its characters, so that `sub` finds parts of a word exactly. Words holding `$`
 * are dynamic.
 */
function argsOf(text: string): Arg[] {
  const lines = new LineIndex(PATH, text);
  return splitArgString(text).map((w) => {
    const at = (k: number): number => w.offsets[k] ?? w.start;
    return {
      value: w.value,
      span: lines.span(at(0), at(w.value.length - 1) + 1),
      dynamic: w.value.includes('$'),
      sub: (from: number, to: number) => lines.span(at(from), at(Math.max(from, to - 1)) + 1),
    };
  });
}

function span(line: number, column: number, endColumn: number, endLine = line): Span {
  return { path: PATH, line, column, endLine, endColumn };
}

describe('--permission-mode', () => {
  test('a separate value word', () => {
    const cmd = parseClaudeArgs(argsOf('--permission-mode bypassPermissions -p'));
    expect(cmd.permissionMode).toEqual({ value: 'bypassPermissions', span: span(1, 19, 36) });
    expect(cmd.flags.map((f) => [f.name, f.values.map((v) => v.value)])).toEqual([
      ['--permission-mode', ['bypassPermissions']],
      ['-p', []],
    ]);
    expect(cmd.print).toBe(true);
  });

  test('the = form: the mode is located after the =, the flag over the whole word', () => {
    const cmd = parseClaudeArgs(argsOf('-p --permission-mode=bypassPermissions'));
    expect(cmd.permissionMode).toEqual({ value: 'bypassPermissions', span: span(1, 22, 39) });
    expect(cmd.flags[1]?.name).toBe('--permission-mode');
    expect(cmd.flags[1]?.span).toEqual(span(1, 4, 39));
  });

  test('a quoted value', () => {
    const cmd = parseClaudeArgs(argsOf('--permission-mode "plan"'));
    expect(cmd.permissionMode).toEqual({ value: 'plan', span: span(1, 20, 24) });
  });

  test('a value on the next line', () => {
    const cmd = parseClaudeArgs(argsOf('-p\n  --permission-mode\n    acceptEdits'));
    expect(cmd.permissionMode).toEqual({ value: 'acceptEdits', span: span(3, 5, 16) });
  });

  test('the flag with no value at the end sets no mode', () => {
    const cmd = parseClaudeArgs(argsOf('-p --permission-mode'));
    expect(cmd.permissionMode).toBeUndefined();
    expect(cmd.flags.map((f) => [f.name, f.values.length])).toEqual([
      ['-p', 0],
      ['--permission-mode', 0],
    ]);
  });

  test('the value is taken even when it looks like something else', () => {
    const cmd = parseClaudeArgs(argsOf('--permission-mode default --dangerously-skip-permissions'));
    expect(cmd.permissionMode?.value).toBe('default');
    expect(cmd.dangerouslySkipPermissions).toEqual(span(1, 27, 57));
  });
});

describe('--allowedTools and friends', () => {
  test('variadic: takes words until the next flag', () => {
    const cmd = parseClaudeArgs(argsOf('--allowedTools Read Edit Bash(git:*) --model opus fix'));
    expect(cmd.allowedTools).toEqual([
      { value: expect.objectContaining({ raw: 'Read', form: 'bare' }), span: span(1, 16, 20) },
      { value: expect.objectContaining({ raw: 'Edit', form: 'bare' }), span: span(1, 21, 25) },
      { value: expect.objectContaining({ raw: 'Bash(git:*)', form: 'prefix' }), span: span(1, 26, 37) },
    ]);
    expect(cmd.flags.map((f) => [f.name, f.values.map((v) => v.value)])).toEqual([
      ['--allowedTools', ['Read', 'Edit', 'Bash(git:*)']],
      ['--model', ['opus']],
    ]);
  });

  test('stops at -p: the word after -p is not a rule', () => {
    const cmd = parseClaudeArgs(argsOf('--allowedTools Read -p Bash'));
    expect(cmd.allowedTools.map((r) => r.value.raw)).toEqual(['Read']);
    expect(cmd.print).toBe(true);
  });

  test('a quoted comma list: each rule located inside the quotes', () => {
    const cmd = parseClaudeArgs(argsOf('--allowedTools "Read,Bash" Edit'));
    expect(cmd.allowedTools.map((r) => [r.value.raw, r.span])).toEqual([
      ['Read', span(1, 17, 21)],
      ['Bash', span(1, 22, 26)],
      ['Edit', span(1, 28, 32)],
    ]);
  });

  test('commas inside parentheses stay in the rule', () => {
    const cmd = parseClaudeArgs(argsOf(`--allowedTools "Bash(git log --oneline, -n 5),Read"`));
    expect(cmd.allowedTools.map((r) => [r.value.raw, r.span])).toEqual([
      ['Bash(git log --oneline, -n 5)', span(1, 17, 46)],
      ['Read', span(1, 47, 51)],
    ]);
  });

  test('the = form: rules located after the =', () => {
    const cmd = parseClaudeArgs(argsOf('--allowedTools=Read,Bash(*)'));
    expect(cmd.allowedTools.map((r) => [r.value.raw, r.value.form, r.span])).toEqual([
      ['Read', 'bare', span(1, 16, 20)],
      ['Bash(*)', 'any', span(1, 21, 28)],
    ]);
  });

  test('--allowed-tools is the same flag', () => {
    const cmd = parseClaudeArgs(argsOf('--allowed-tools Bash'));
    expect(cmd.allowedTools.map((r) => [r.value.tool, r.span])).toEqual([['Bash', span(1, 17, 21)]]);
  });

  test('--disallowedTools and --disallowed-tools are denials, not grants', () => {
    const cmd = parseClaudeArgs(
      argsOf('--disallowedTools Bash --disallowed-tools "Edit(*)" --allowedTools Read'),
    );
    expect(cmd.disallowedTools.map((r) => r.value.raw)).toEqual(['Bash', 'Edit(*)']);
    expect(cmd.allowedTools.map((r) => r.value.raw)).toEqual(['Read']);
  });

  test('words that cannot be rules are not rules', () => {
    const cmd = parseClaudeArgs(argsOf('--allowedTools ./path "$RULES" Read'));
    expect(cmd.allowedTools.map((r) => r.value.raw)).toEqual(['Read']);
    expect(cmd.flags[0]?.values.map((v) => v.value)).toEqual(['./path', '$RULES', 'Read']);
  });

  test('the flag repeated adds to the list', () => {
    const cmd = parseClaudeArgs(argsOf('--allowedTools Read --verbose --allowedTools Bash'));
    expect(cmd.allowedTools.map((r) => [r.value.raw, r.span.column])).toEqual([
      ['Read', 16],
      ['Bash', 46],
    ]);
  });

  test('rules across lines keep their lines', () => {
    const cmd = parseClaudeArgs(argsOf('--allowedTools \\\n  Read \\\n  Bash'));
    expect(cmd.allowedTools.map((r) => [r.value.raw, r.span])).toEqual([
      ['Read', span(2, 3, 7)],
      ['Bash', span(3, 3, 7)],
    ]);
  });
});

describe('-p, --add-dir and the dangerous flags', () => {
  test('-p and --print set print; without them it is off', () => {
    expect(parseClaudeArgs(argsOf('-p hello')).print).toBe(true);
    expect(parseClaudeArgs(argsOf('--print hello')).print).toBe(true);
    expect(parseClaudeArgs(argsOf('hello --verbose')).print).toBe(false);
  });

  test('-p takes no value: the prompt after it is left alone, a flag after the prompt is read', () => {
    const cmd = parseClaudeArgs(argsOf('-p "fix it" --dangerously-skip-permissions'));
    expect(cmd.flags.map((f) => f.name)).toEqual(['-p', '--dangerously-skip-permissions']);
    expect(cmd.dangerouslySkipPermissions).toEqual(span(1, 13, 43));
  });

  test('--add-dir is variadic', () => {
    const cmd = parseClaudeArgs(argsOf('--add-dir ../shared /tmp/work --verbose'));
    expect(cmd.addDirs).toEqual([
      { value: '../shared', span: span(1, 11, 20) },
      { value: '/tmp/work', span: span(1, 21, 30) },
    ]);
  });

  test('--add-dir=dir and a repeated --add-dir', () => {
    const cmd = parseClaudeArgs(argsOf('--add-dir=/ -p --add-dir "$HOME"'));
    expect(cmd.addDirs).toEqual([
      { value: '/', span: span(1, 11, 12) },
      { value: '$HOME', span: span(1, 27, 32) },
    ]);
  });

  test('--dangerously-skip-permissions and --allow-dangerously-skip-permissions are told apart', () => {
    const both = parseClaudeArgs(
      argsOf('--allow-dangerously-skip-permissions --dangerously-skip-permissions'),
    );
    expect(both.allowDangerouslySkipPermissions).toEqual(span(1, 1, 37));
    expect(both.dangerouslySkipPermissions).toEqual(span(1, 38, 68));
    const allowOnly = parseClaudeArgs(argsOf('--allow-dangerously-skip-permissions'));
    expect(allowOnly.dangerouslySkipPermissions).toBeUndefined();
  });

  test('nothing after -- is a flag', () => {
    const cmd = parseClaudeArgs(
      argsOf('-p -- --dangerously-skip-permissions --permission-mode bypassPermissions'),
    );
    expect(cmd.flags.map((f) => f.name)).toEqual(['-p']);
    expect(cmd.dangerouslySkipPermissions).toBeUndefined();
    expect(cmd.permissionMode).toBeUndefined();
  });

  test('an unknown flag takes no value; a known flag after it is still read', () => {
    const cmd = parseClaudeArgs(argsOf('--frobnicate value --dangerously-skip-permissions'));
    expect(cmd.flags.map((f) => [f.name, f.values.length])).toEqual([
      ['--frobnicate', 0],
      ['--dangerously-skip-permissions', 0],
    ]);
    expect(cmd.dangerouslySkipPermissions).toEqual(span(1, 20, 50));
  });

  test('a single-value flag swallows its value even if it names a dangerous flag', () => {
    const cmd = parseClaudeArgs(argsOf('--append-system-prompt "--dangerously-skip-permissions" -p'));
    expect(cmd.dangerouslySkipPermissions).toBeUndefined();
    expect(cmd.flags[0]?.values.map((v) => v.value)).toEqual(['--dangerously-skip-permissions']);
    expect(cmd.print).toBe(true);
  });

  test('a dynamic word is never a flag', () => {
    const args = argsOf('$FLAGS -p');
    expect(args[0]?.dynamic).toBe(true);
    const cmd = parseClaudeArgs(args);
    expect(cmd.flags.map((f) => f.name)).toEqual(['-p']);
  });

  test('no arguments', () => {
    expect(parseClaudeArgs([])).toEqual({
      args: [],
      flags: [],
      allowedTools: [],
      disallowedTools: [],
      addDirs: [],
      print: false,
    });
  });

  test('the arguments are kept as given', () => {
    const args = argsOf('mcp list');
    const cmd = parseClaudeArgs(args);
    expect(cmd.args).toBe(args);
    expect(cmd.flags).toEqual([]);
  });
});

describe('toolRulesIn', () => {
  test('each rule of a word, located with the word', () => {
    const [arg] = argsOf('"Read, Bash(npm test:*)"');
    expect(toolRulesIn(arg as Arg).map((r) => [r.value.raw, r.value.form, r.span])).toEqual([
      ['Read', 'bare', span(1, 2, 6)],
      ['Bash(npm test:*)', 'prefix', span(1, 8, 24)],
    ]);
  });

  test('prompt-like text and paths are dropped', () => {
    const [arg] = argsOf('"./x.sh,$(cat list),?"');
    expect(toolRulesIn(arg as Arg)).toEqual([]);
  });
});

describe('splitArgString', () => {
  test('quotes are removed and each character keeps its offset', () => {
    expect(splitArgString(`--allowedTools "Read, Bash" --model 'opus 4'`)).toEqual([
      { value: '--allowedTools', start: 0, end: 14, offsets: Array.from({ length: 14 }, (_, i) => i) },
      { value: 'Read, Bash', start: 15, end: 27, offsets: Array.from({ length: 10 }, (_, i) => 16 + i) },
      { value: '--model', start: 28, end: 35, offsets: Array.from({ length: 7 }, (_, i) => 28 + i) },
      { value: 'opus 4', start: 36, end: 44, offsets: Array.from({ length: 6 }, (_, i) => 37 + i) },
    ]);
  });

  test('escapes: \\" inside double quotes, a backslash outside quotes', () => {
    const words = splitArgString('"a\\"b" c\\ d');
    expect(words.map((w) => w.value)).toEqual(['a"b', 'c d']);
    expect(words[0]?.offsets).toEqual([1, 3, 4]);
    expect(words[1]?.offsets).toEqual([7, 9, 10]);
  });

  test('a backslash inside single quotes is literal', () => {
    expect(splitArgString("'a\\b'").map((w) => w.value)).toEqual(['a\\b']);
  });

  test('quoted parts join the word around them', () => {
    const [w] = splitArgString(`--allowedTools="Read,"'Bash'`);
    expect(w?.value).toBe('--allowedTools=Read,Bash');
    expect(w?.offsets.slice(15)).toEqual([16, 17, 18, 19, 20, 23, 24, 25, 26]);
  });

  test('a backslash-newline joins lines inside a word and separates nothing', () => {
    expect(splitArgString('--danger\\\nously-skip-permissions -p').map((w) => w.value)).toEqual([
      '--dangerously-skip-permissions',
      '-p',
    ]);
  });

  test('# starts a comment only at the start of a word', () => {
    expect(
      splitArgString('--model opus # --dangerously-skip-permissions\n-p a#b').map((w) => w.value),
    ).toEqual(['--model', 'opus', '-p', 'a#b']);
  });

  test('newlines, tabs and CRLF separate words', () => {
    expect(splitArgString('a\tb\nc\r\nd').map((w) => [w.value, w.start])).toEqual([
      ['a', 0],
      ['b', 2],
      ['c', 4],
      ['d', 7],
    ]);
  });

  test('empty and blank text has no words', () => {
    expect(splitArgString('')).toEqual([]);
    expect(splitArgString('  \n\t ')).toEqual([]);
  });

  test('an unclosed quote runs to the end', () => {
    expect(splitArgString('-p "fix it')).toEqual([
      { value: '-p', start: 0, end: 2, offsets: [0, 1] },
      { value: 'fix it', start: 3, end: 10, offsets: [4, 5, 6, 7, 8, 9] },
    ]);
  });
});
