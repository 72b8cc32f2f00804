import { describe, expect, test } from '@jest/globals';
import { LineIndex } from '../../src/model/span.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { memorySource, scan } from '../../src/scan.js';
import { shellParser } from '../../src/syntax/shell-parser.js';
import type { ClaudeCall } from '../../src/model/claude-invocation.js';
import { ShellReader } from '../../src/surfaces/shell.js';

const DSP = '--dangerously-skip-permissions';

/** CI hygiene rules that every minimal CI fixture trips (no `permissions:`, no run limits); judged in their own tests. */
// Rules on how CI is set up (token, limits, pinning, checkout), asserted in their own tests.
const CI_HYGIENE = new Set(['CG502', 'CG503', 'CG504', 'CG509']);

interface At {
  ruleId: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Scans an in-memory repository; findings reduced to rule and position, in file order. */
async function scanFiles(files: Record<string, string>) {
  const result = await scan(memorySource(files), defaultPolicy());
  const found: At[] = result.verdict.findings
    .filter((f) => !CI_HYGIENE.has(f.ruleId))
    .map((f) => ({
      ruleId: f.ruleId,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
    }))
    .sort((a, b) => a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : 1));
  return { result, found };
}

/** A shell script at `scripts/run.sh`, its first line a shebang, so `body` starts on line 2. */
async function scanScript(...body: string[]) {
  return scanFiles({ 'scripts/run.sh': ['#!/bin/sh', ...body, ''].join('\n') });
}

function at(ruleId: string, line: number, column: number, endColumn: number, endLine = line): At {
  return { ruleId, line, column, endLine, endColumn };
}

/** The Claude calls the shell reader finds in a script, with no file around it. */
async function callsIn(text: string): Promise<ClaudeCall[]> {
  const parser = await shellParser();
  return new ShellReader(parser, {
    text,
    toFile: (i) => i,
    lines: new LineIndex('t.sh', text),
  }).claudeCalls();
}

describe('claude started through shell operators', () => {
  test.each([
    ['&&', `make build && claude -p "build it" ${DSP}`, 15, 36],
    ['||', `false || claude ${DSP}`, 10, 17],
    [';', `cd src; claude ${DSP}`, 9, 16],
    ['a pipe (claude in the middle)', `git diff | claude -p review ${DSP} | tee out.txt`, 12, 29],
    ['a background job', `nohup claude -p go ${DSP} > log 2>&1 &`, 7, 20],
  ])('%s', async (_name, line, programColumn, flagColumn) => {
    const { result, found } = await scanScript(line);
    expect(found).toEqual([at('CG101', 2, flagColumn, flagColumn + DSP.length)]);
    expect(result.verdict.findings[0]?.severity).toBe('critical');
    expect(result.model.runs).toHaveLength(1);
    expect(result.model.runs[0]?.kind).toBe('cli');
    expect(result.model.runs[0]?.context.surface).toBe('shell-script');
    expect(result.model.runs[0]?.span).toEqual({
      path: 'scripts/run.sh',
      line: 2,
      column: programColumn,
      endLine: 2,
      endColumn: programColumn + 'claude'.length,
    });
  });

  test('a pipe into claude: the flag after it is still read', async () => {
    const { found } = await scanScript(`cat prompt.txt | claude -p ${DSP}`);
    expect(found).toEqual([at('CG101', 2, 28, 58)]);
  });

  test('claude at the start of a pipe, its output piped on', async () => {
    const { found, result } = await scanScript('claude -p hi --permission-mode bypassPermissions | jq .');
    expect(found).toEqual([at('CG101', 2, 32, 49)]);
    expect(result.model.runs[0]?.command?.permissionMode?.value).toBe('bypassPermissions');
  });

  test('two commands on one line are two runs, each with its own finding', async () => {
    const { found, result } = await scanScript(
      `claude -p a ${DSP}; claude -p b --permission-mode bypassPermissions`,
    );
    expect(result.model.runs.map((r) => r.span.column)).toEqual([1, 45]);
    expect(found).toEqual([at('CG101', 2, 13, 43), at('CG101', 2, 75, 92)]);
  });

  test('a line continuation puts the flag on the next line', async () => {
    const { found, result } = await scanScript('claude -p "fix it" \\', `  ${DSP}`);
    expect(result.model.runs[0]?.span.line).toBe(2);
    expect(found).toEqual([at('CG101', 3, 3, 33)]);
  });

  test('several continuations, the value of --permission-mode on its own line', async () => {
    const { found } = await scanScript(
      'claude \\',
      '  -p "go" \\',
      '  --permission-mode \\',
      '    bypassPermissions',
    );
    expect(found).toEqual([at('CG101', 5, 5, 22)]);
  });
});

describe('env prefixes and wrappers', () => {
  test.each([
    ['env prefixes', `FOO=1 BAR="two words" claude ${DSP}`, 30],
    ['sudo', `sudo claude ${DSP}`, 13],
    ['sudo -E', `sudo -E claude ${DSP}`, 16],
    ['sudo -u user', `sudo -u ci-user claude ${DSP}`, 24],
    ['sudo -E -u user NAME=value', `sudo -E -u deploy HOME=/tmp claude ${DSP}`, 36],
    ['env', `env claude ${DSP}`, 12],
    ['env -u NAME NAME=value', `env -u DEBUG CI=1 claude ${DSP}`, 26],
    ['timeout 10m', `timeout 10m claude -p go ${DSP}`, 26],
    ['timeout with options', `timeout -s KILL --kill-after 5s 10m claude ${DSP}`, 44],
    ['nohup', `nohup claude -p go ${DSP}`, 20],
    ['exec', `exec claude ${DSP}`, 13],
    ['nice -n 10', `nice -n 10 claude ${DSP}`, 19],
    ['command', `command claude ${DSP}`, 16],
    ['xargs -n 1', `ls *.md | xargs -n 1 claude -p ${DSP}`, 32],
    ['npx -y with a pinned version', `npx -y @anthropic-ai/claude-code@1.2.3 -p hi ${DSP}`, 46],
    ['npx without options', `npx @anthropic-ai/claude-code ${DSP}`, 31],
    ['npm exec --', `npm exec -- @anthropic-ai/claude-code ${DSP}`, 39],
    ['npm exec with @latest', `npm exec @anthropic-ai/claude-code@latest ${DSP}`, 43],
    ['pnpm dlx', `pnpm dlx @anthropic-ai/claude-code ${DSP}`, 36],
    ['./node_modules/.bin/claude', `./node_modules/.bin/claude ${DSP}`, 28],
    ['an absolute path', `/usr/local/bin/claude ${DSP}`, 23],
    [
      'wrappers nested in wrappers',
      `sudo -E env CI=1 timeout 5m npx -y @anthropic-ai/claude-code ${DSP}`,
      62,
    ],
  ])('%s', async (_name, line, flagColumn) => {
    const { found, result } = await scanScript(line);
    expect(result.model.runs).toHaveLength(1);
    // Through sudo Claude also runs as root (CG402); here only the flag's position is in question.
    expect(found.filter((f) => f.ruleId === 'CG101')).toEqual([
      at('CG101', 2, flagColumn, flagColumn + DSP.length),
    ]);
  });

  test('the reader records env prefixes with their values and positions', async () => {
    const [call, ...rest] = await callsIn(`FOO=1 BAR="two words" claude ${DSP}`);
    expect(rest).toEqual([]);
    expect(
      call?.env.map((e) => [e.name, e.value.value, e.value.span.column, e.value.span.endColumn]),
    ).toEqual([
      ['FOO', '1', 5, 6],
      ['BAR', 'two words', 12, 21],
    ]);
    expect(call?.wrappers).toEqual([]);
    expect(call?.program.value).toBe('claude');
    expect(call?.program.span.column).toBe(23);
  });

  test('sudo: its options are skipped and NAME=value operands become env', async () => {
    const [call] = await callsIn(`sudo -E -u deploy HOME=/tmp claude ${DSP}`);
    expect(call?.wrappers.map((w) => [w.value, w.span.column])).toEqual([['sudo', 1]]);
    expect(
      call?.env.map((e) => [e.name, e.value.value, e.value.span.column, e.value.span.endColumn]),
    ).toEqual([['HOME', '/tmp', 24, 28]]);
    expect(call?.args.map((a) => a.value)).toEqual([DSP]);
  });

  test('wrappers are listed outermost first', async () => {
    const [call] = await callsIn(`sudo -E env CI=1 timeout 5m npx -y @anthropic-ai/claude-code ${DSP}`);
    expect(call?.wrappers.map((w) => w.value)).toEqual(['sudo', 'env', 'timeout', 'npx']);
    expect(call?.wrappers.map((w) => w.span.column)).toEqual([1, 9, 18, 29]);
    expect(call?.env.map((e) => `${e.name}=${e.value.value}`)).toEqual(['CI=1']);
    expect(call?.program.value).toBe('@anthropic-ai/claude-code');
    expect(call?.command.dangerouslySkipPermissions?.column).toBe(62);
  });

  test('npm exec and pnpm dlx are named by their subcommand', async () => {
    const [npm] = await callsIn(`npm exec -- @anthropic-ai/claude-code ${DSP}`);
    expect(npm?.wrappers.map((w) => w.value)).toEqual(['npm exec']);
    expect(npm?.program.value).toBe('@anthropic-ai/claude-code');
    const [pnpm] = await callsIn('pnpm dlx @anthropic-ai/claude-code -p hi');
    expect(pnpm?.wrappers.map((w) => w.value)).toEqual(['pnpm dlx']);
    expect(pnpm?.command.print).toBe(true);
  });

  test('timeout takes its duration operand and xargs its valued options', async () => {
    const [t] = await callsIn('timeout 10m claude -p go');
    expect(t?.wrappers.map((w) => w.value)).toEqual(['timeout']);
    expect(t?.args.map((a) => a.value)).toEqual(['-p', 'go']);
    const [x] = await callsIn('find . -name "*.md" | xargs -I {} claude -p {}');
    expect(x?.wrappers.map((w) => w.value)).toEqual(['xargs']);
    expect(x?.args.map((a) => a.value)).toEqual(['-p', '{}']);
  });

  test('a path to claude is the program, kept with its full span', async () => {
    const [call] = await callsIn('./node_modules/.bin/claude -p go');
    expect(call?.program.value).toBe('./node_modules/.bin/claude');
    expect([call?.program.span.column, call?.program.span.endColumn]).toEqual([1, 27]);
  });
});

describe('flags held in a variable of the same script', () => {
  test('FLAGS="--dangerously-skip-permissions"; claude $FLAGS: the finding is where the flag is written', async () => {
    const { found, result } = await scanScript(`FLAGS="${DSP}"`, 'claude -p hi $FLAGS');
    expect(result.model.runs[0]?.span.line).toBe(3);
    expect(found).toEqual([at('CG101', 2, 8, 38)]);
  });

  test('a variable holding several words is split, each word keeping its place', async () => {
    const { found, result } = await scanScript(
      'EXTRA="--verbose --permission-mode bypassPermissions"',
      'claude $EXTRA -p go',
    );
    expect(result.model.runs[0]?.command?.args.map((a) => a.value)).toEqual([
      '--verbose',
      '--permission-mode',
      'bypassPermissions',
      '-p',
      'go',
    ]);
    expect(result.model.runs[0]?.command?.print).toBe(true);
    expect(found).toEqual([at('CG101', 2, 36, 53)]);
  });

  test('an array expanded with "${ARGS[@]}"', async () => {
    const { found, result } = await scanFiles({
      'scripts/run.sh': [
        '#!/bin/bash',
        'ARGS=(-p "review" --allowedTools "Read,Bash" --dangerously-skip-permissions)',
        'claude "${ARGS[@]}"',
        '',
      ].join('\n'),
    });
    expect(result.model.runs[0]?.command?.allowedTools.map((r) => r.value.raw)).toEqual(['Read', 'Bash']);
    expect(found).toEqual([at('CG102', 2, 40, 44), at('CG101', 2, 46, 76)]);
  });

  test('${NAME} and an exported variable', async () => {
    const { found } = await scanScript('export TOOLS="Read,Bash(*)"', 'claude --allowedTools ${TOOLS}');
    expect(found).toEqual([at('CG102', 2, 20, 27)]);
  });

  test('the value assigned last before the call is the one used', async () => {
    const { found, result } = await scanScript(`FLAGS=${DSP}`, 'FLAGS=--verbose', 'claude $FLAGS');
    expect(result.model.runs[0]?.command?.flags.map((f) => f.name)).toEqual(['--verbose']);
    expect(found).toEqual([]);
  });

  test('a variable assigned only after the call is unknown at the call', async () => {
    const { found, result } = await scanScript('claude -p go $FLAGS', `FLAGS=${DSP}`);
    expect(result.model.runs).toHaveLength(1);
    expect(result.model.runs[0]?.command?.args[2]?.dynamic).toBe(true);
    expect(found).toEqual([]);
  });

  test('a variable the script never assigns stays an unknown word', async () => {
    const { found, result } = await scanScript('claude $CLAUDE_FLAGS -p go');
    expect(result.model.runs[0]?.command?.args[0]).toMatchObject({ value: '$CLAUDE_FLAGS', dynamic: true });
    expect(result.model.runs[0]?.command?.flags.map((f) => f.name)).toEqual(['-p']);
    expect(found).toEqual([]);
  });
});

describe('quoting', () => {
  test.each([
    ['single quotes', `claude '${DSP}'`, 9],
    ['double quotes', `claude "${DSP}"`, 9],
    ['after a non-ASCII prompt', `claude -p "修正して 🐛" ${DSP}`, 21],
  ])('%s around the flag', async (_name, line, column) => {
    const { found } = await scanScript(line);
    expect(found).toEqual([at('CG101', 2, column, column + DSP.length)]);
  });

  test.each([
    ['--allowedTools "Read,Bash"', 'claude --allowedTools "Read,Bash"', 29, 33],
    ['--allowedTools=Bash', 'claude --allowedTools=Bash', 23, 27],
    ["--allowedTools 'Bash(*)' Read", "claude --allowedTools 'Bash(*)' Read", 24, 31],
    ['--allowedTools "Bash(:*)"', 'claude --allowedTools "Bash(:*)"', 24, 32],
    ['--allowed-tools Read Bash', 'claude --allowed-tools Read Bash', 29, 33],
  ])('CG102 on the rule in %s', async (_name, line, column, endColumn) => {
    const { found } = await scanScript(line);
    expect(found).toEqual([at('CG102', 2, column, endColumn)]);
  });

  test.each([
    ['--permission-mode "bypassPermissions"', 'claude --permission-mode "bypassPermissions"', 27, 44],
    ['--permission-mode=bypassPermissions', 'claude --permission-mode=bypassPermissions', 26, 43],
    [
      '--permission-mode=bypass"Permissions" (one word in two quotings)',
      'claude --permission-mode=bypass"Permissions"',
      26,
      44,
    ],
  ])('CG101 on the mode in %s', async (_name, line, column, endColumn) => {
    const { found } = await scanScript(line);
    expect(found).toEqual([at('CG101', 2, column, endColumn)]);
  });

  test('--allow-dangerously-skip-permissions is its own finding', async () => {
    const { found, result } = await scanScript('claude --allow-dangerously-skip-permissions -p go');
    expect(found).toEqual([at('CG101', 2, 8, 44)]);
    expect(result.verdict.findings[0]?.message).toContain('--allow-dangerously-skip-permissions');
  });

  test('scoped shell rules and other tools are not CG102', async () => {
    const { found, result } = await scanScript(
      'claude --allowedTools "Bash(npm test:*)" "Bash(git diff:*)" Read Edit -p go',
    );
    expect(result.model.runs[0]?.command?.allowedTools.map((r) => r.value.form)).toEqual([
      'prefix',
      'prefix',
      'bare',
      'bare',
    ]);
    // The bare `Edit` is an unscoped write, not a shell grant.
    expect(found).toEqual([at('CG107', 2, 66, 70)]);
  });

  test('--disallowedTools Bash is a denial, not a grant', async () => {
    const { found, result } = await scanScript('claude --disallowedTools Bash -p go');
    expect(result.model.runs[0]?.command?.disallowedTools.map((r) => r.value.tool)).toEqual(['Bash']);
    expect(found).toEqual([]);
  });

  test('other permission modes are not findings', async () => {
    const { found, result } = await scanScript('claude --permission-mode acceptEdits -p go');
    expect(result.model.runs[0]?.command?.permissionMode?.value).toBe('acceptEdits');
    expect(found).toEqual([]);
  });
});

describe('what is not a run of claude', () => {
  test.each([
    ['echo of a quoted command', `echo "claude ${DSP}"`],
    ['echo of bare words', `echo claude ${DSP}`],
    ['printf', `printf '%s\\n' "claude ${DSP}"`],
    ['a commit message', `git commit -m "claude ${DSP}"`],
    ['a comment', `# claude ${DSP}`],
    ['command -v claude', 'command -v claude >/dev/null || exit 1'],
    ['command -V claude', 'command -V claude'],
    ['which claude', 'which claude'],
    ['type claude', 'type claude'],
    ['grep for claude', 'grep -r claude . | wc -l'],
    ['installing the package', 'npm install -g @anthropic-ai/claude-code'],
    ['the package name with no npx', `@anthropic-ai/claude-code ${DSP}`],
    ['a script named like claude', `./claude.sh ${DSP}`],
    ['another program with claude in its name', `claude-code ${DSP}`],
    ['a program only known at run time', `$CLAUDE_BIN ${DSP}`],
  ])('%s', async (_name, line) => {
    const { found, result } = await scanScript(line);
    expect(result.model.runs).toEqual([]);
    expect(found).toEqual([]);
  });

  test('`which claude` before a real run: only the run counts', async () => {
    const { found, result } = await scanScript('which claude', 'command -v claude', `claude ${DSP}`);
    expect(result.model.runs.map((r) => r.span.line)).toEqual([4]);
    expect(found).toEqual([at('CG101', 4, 8, 38)]);
  });

  test('the flag inside the prompt is not a flag', async () => {
    const { found, result } = await scanScript(`claude -p "never pass ${DSP}"`);
    expect(result.model.runs).toHaveLength(1);
    expect(result.model.runs[0]?.command?.dangerouslySkipPermissions).toBeUndefined();
    expect(found).toEqual([]);
  });

  test('words after -- are not flags', async () => {
    const { found, result } = await scanScript(`claude -p -- ${DSP}`);
    expect(result.model.runs).toHaveLength(1);
    expect(found).toEqual([]);
  });

  test('a flag with a typo is not the dangerous flag', async () => {
    const { found } = await scanScript('claude --dangerously-skip-permission');
    expect(found).toEqual([]);
  });
});

describe('here-documents', () => {
  test('here-doc bodies are text, not commands', async () => {
    const { found, result } = await scanScript(
      'cat <<EOF > prompt.md',
      `claude ${DSP}`,
      'EOF',
      "cat <<'END'",
      'claude --permission-mode bypassPermissions',
      'END',
      'cat <<-EOF',
      `\tclaude --allowedTools Bash ${DSP}`,
      '\tEOF',
    );
    expect(result.model.runs).toEqual([]);
    expect(found).toEqual([]);
  });

  test('a run after a here-doc keeps its exact line', async () => {
    const { found, result } = await scanScript(
      'cat <<EOF > prompt.md',
      `claude ${DSP}`,
      'EOF',
      'claude -p "$(cat prompt.md)" --permission-mode bypassPermissions',
    );
    expect(result.model.runs.map((r) => r.span.line)).toEqual([5]);
    expect(found).toEqual([at('CG101', 5, 48, 65)]);
  });

  test('claude reading its prompt from a here-doc is a run; the body is not', async () => {
    const { found, result } = await scanScript(
      `claude -p ${DSP} <<EOF`,
      'claude --permission-mode bypassPermissions',
      'EOF',
    );
    expect(result.model.runs).toHaveLength(1);
    expect(found).toEqual([at('CG101', 2, 11, 41)]);
  });
});

describe('scripts handed to another shell', () => {
  test.each([
    ['bash -c "…"', `bash -c "claude ${DSP}"`, 17],
    ["sh -c '…'", `sh -c 'claude ${DSP}'`, 15],
    ['sudo sh -c with escaped quotes inside', `sudo sh -c "claude -p \\"hi\\" ${DSP}"`, 30],
    ['bash -ec', `bash -ec 'cd /src && claude ${DSP}'`, 29],
  ])('%s: the inner command keeps its position', async (_name, line, column) => {
    const { found, result } = await scanScript(line);
    expect(result.model.runs).toHaveLength(1);
    // (sudo also makes it root: CG402, asserted with the privileged-run rule.)
    expect(found.filter((f) => f.ruleId === 'CG101')).toEqual([at('CG101', 2, column, column + DSP.length)]);
  });

  test('a here-doc fed to bash is a script', async () => {
    const { found } = await scanScript('bash <<EOF', `claude ${DSP}`, 'EOF');
    expect(found).toEqual([at('CG101', 3, 8, 38)]);
  });

  test('a here-doc written to a .sh file is a script', async () => {
    const { found } = await scanScript(
      "cat > run.sh <<'EOF'",
      'claude -p x --permission-mode bypassPermissions',
      'EOF',
    );
    expect(found).toEqual([at('CG101', 3, 31, 48)]);
  });

  test('bash -c with a script that does not start claude', async () => {
    const { found, result } = await scanScript(`bash -c "echo claude ${DSP}"`);
    expect(result.model.runs).toEqual([]);
    expect(found).toEqual([]);
  });
});

describe('the program word itself', () => {
  test('quoted "claude" is claude', async () => {
    const { found, result } = await scanScript(`"claude" ${DSP}`);
    expect(result.model.runs[0]?.span).toMatchObject({ line: 2, column: 2, endColumn: 8 });
    expect(found).toEqual([at('CG101', 2, 10, 40)]);
  });

  test('a variable set to claude in the same script', async () => {
    const { found, result } = await scanScript('CLAUDE=claude', `$CLAUDE ${DSP}`);
    expect(result.model.runs[0]?.span).toMatchObject({ line: 2, column: 8, endColumn: 14 });
    expect(found).toEqual([at('CG101', 3, 9, 39)]);
  });
});

describe('line ends and non-ASCII text', () => {
  test('CRLF line ends keep exact lines and columns', async () => {
    const text = [
      '#!/bin/sh',
      'echo hi',
      `claude -p x ${DSP}`,
      'claude -p y \\',
      '  --permission-mode bypassPermissions',
      '',
    ].join('\r\n');
    const { found, result } = await scanFiles({ 'scripts/run.sh': text });
    expect(result.model.runs.map((r) => [r.span.line, r.span.column])).toEqual([
      [3, 1],
      [4, 1],
    ]);
    expect(found).toEqual([at('CG101', 3, 13, 43), at('CG101', 5, 21, 38)]);
  });

  test('CRLF: variables assigned on an earlier line keep their position', async () => {
    const text = ['#!/bin/sh', `FLAGS="-p ${DSP}"`, 'claude $FLAGS', ''].join('\r\n');
    const { found } = await scanFiles({ 'scripts/run.sh': text });
    expect(found).toEqual([at('CG101', 2, 11, 41)]);
  });

  test('columns count UTF-16 code units: é is one, an emoji is two', async () => {
    const { found } = await scanScript('# 日本語のコメント', `echo "héllo 🎉" && claude ${DSP}`);
    expect(found).toEqual([at('CG101', 3, 27, 57)]);
  });
});

describe('commands nested in shell constructs', () => {
  const script = [
    '#!/bin/bash',
    'set -euo pipefail',
    'review() {',
    '  claude -p "review" --dangerously-skip-permissions',
    '}',
    'if [ -n "$CI" ]; then',
    '  claude --permission-mode bypassPermissions',
    'fi',
    'for f in *.ts; do',
    '  ( cd "$(dirname "$f")" && claude -p "$f" --allowedTools Bash )',
    'done',
    'OUT=$(claude -p summary --dangerously-skip-permissions)',
    'while read -r line; do claude -p "$line" --allow-dangerously-skip-permissions; done < list',
    'case "$1" in',
    '  fix) claude --dangerously-skip-permissions ;;',
    'esac',
    'echo "`claude -p x --dangerously-skip-permissions`"',
    '',
  ].join('\n');

  test('functions, if, for, subshells, $(…), while, case and backticks', async () => {
    const { found, result } = await scanFiles({ 'scripts/run.sh': script });
    expect(result.model.runs.map((r) => r.span.line)).toEqual([4, 7, 10, 12, 13, 15, 17]);
    expect(found).toEqual([
      at('CG101', 4, 22, 52),
      at('CG101', 7, 28, 45),
      at('CG102', 10, 59, 63),
      at('CG101', 12, 25, 55),
      at('CG101', 13, 42, 78),
      at('CG101', 15, 15, 45),
      at('CG101', 17, 20, 50),
    ]);
  });
});

describe('other files that hold shell', () => {
  test('package.json scripts, with escaped quotes before the flag', async () => {
    const pkg = [
      '{',
      '  "name": "x",',
      '  "scripts": { "agent": "claude -p \\"go\\" --dangerously-skip-permissions" }',
      '}',
      '',
    ].join('\n');
    const { found, result } = await scanFiles({ 'package.json': pkg });
    expect(result.model.runs[0]?.context.surface).toBe('package-json');
    expect(found).toEqual([at('CG101', 3, 43, 73)]);
  });

  test('a file with a shell shebang and no extension, and a husky hook', async () => {
    const { found } = await scanFiles({
      'bin/agent': `#!/usr/bin/env bash\nclaude ${DSP}\n`,
      '.husky/pre-commit': `npx @anthropic-ai/claude-code -p review ${DSP}\n`,
    });
    expect(found.map((f) => [f.ruleId, f.line, f.column])).toEqual([
      ['CG101', 1, 41],
      ['CG101', 2, 8],
    ]);
  });

  test('text that is not shell is not read for runs', async () => {
    const { found, result } = await scanFiles({
      'notes.txt': `claude ${DSP}\n`,
      'README.md': `Run \`claude ${DSP}\` at your own risk.\n`,
    });
    expect(result.model.runs).toEqual([]);
    expect(found).toEqual([]);
  });
});
