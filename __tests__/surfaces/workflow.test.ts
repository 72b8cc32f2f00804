import { describe, expect, test } from '@jest/globals';
import { defaultPolicy, type Policy } from '../../src/policy/policy.js';
import { memorySource, scan } from '../../src/scan.js';

const DSP = '--dangerously-skip-permissions';
const WORKFLOW = '.github/workflows/agent.yml';

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

async function scanFiles(files: Record<string, string>, policy: Policy = defaultPolicy()) {
  const result = await scan(memorySource(files), policy);
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

/** A workflow with one job `a` whose steps are `steps` (already indented); the first step is on line 6. */
function workflow(...steps: string[]): string {
  return ['on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', ...steps, ''].join('\n');
}

/** A workflow whose only step uses claude-code-action at `ref`; the first `with:` input is on line 8. */
function actionStep(ref: string, ...inputs: string[]): string {
  return workflow(`      - uses: anthropics/claude-code-action@${ref}`, '        with:', ...inputs);
}

async function scanWorkflow(text: string, policy?: Policy) {
  return scanFiles({ [WORKFLOW]: text }, policy);
}

function at(ruleId: string, line: number, column: number, endColumn: number, endLine = line): At {
  return { ruleId, line, column, endLine, endColumn };
}

describe('run: scripts', () => {
  test('a literal block scalar (run: |)', async () => {
    const { found, result } = await scanWorkflow(
      workflow('      - run: |', '          echo start', `          claude -p "x" ${DSP}`),
    );
    expect(result.model.runs).toHaveLength(1);
    expect(result.model.runs[0]).toMatchObject({
      kind: 'cli',
      path: WORKFLOW,
      span: { line: 8, column: 11, endLine: 8, endColumn: 17 },
      context: { surface: 'workflow', job: { id: 'a' } },
    });
    expect(result.model.runs[0]?.context.workflow?.triggers.map((t) => t.value)).toEqual(['push']);
    expect(found).toEqual([at('CG101', 8, 25, 55)]);
    expect(result.verdict.findings[0]?.severity).toBe('critical');
  });

  test('a folded block scalar (run: >) keeps the line the flag was written on', async () => {
    const { found } = await scanWorkflow(
      workflow('      - run: >', '          claude -p "x"', `          ${DSP}`),
    );
    expect(found).toEqual([at('CG101', 8, 11, 41)]);
  });

  test('a folded, stripped block scalar (run: >-) with the mode on its own line', async () => {
    const { found, result } = await scanWorkflow(
      workflow(
        '      - run: >-',
        '          claude',
        '          --permission-mode',
        '          bypassPermissions',
      ),
    );
    expect(result.model.runs[0]?.command?.permissionMode?.value).toBe('bypassPermissions');
    expect(found).toEqual([at('CG101', 9, 11, 28)]);
  });

  test('a plain single-line run', async () => {
    const { found, result } = await scanWorkflow(workflow(`      - run: claude -p go ${DSP}`));
    expect(result.model.runs[0]?.span).toMatchObject({ line: 6, column: 14 });
    expect(found).toEqual([at('CG101', 6, 27, 57)]);
  });

  test('a double-quoted run, with escaped quotes before the flag', async () => {
    const { found, result } = await scanWorkflow(workflow(`      - run: "claude -p \\"hi\\" ${DSP}"`));
    expect(result.model.runs[0]?.command?.args.map((a) => a.value)).toEqual(['-p', 'hi', DSP]);
    expect(found).toEqual([at('CG101', 6, 32, 62)]);
  });

  test('a single-quoted run', async () => {
    const { found, result } = await scanWorkflow(workflow(`      - run: 'claude -p hi ${DSP}'`));
    expect(result.model.runs[0]?.span).toMatchObject({ line: 6, column: 15 });
    expect(found).toEqual([at('CG101', 6, 28, 58)]);
  });

  test('a double-quoted run with \\\\ and \\t escapes before the flag', async () => {
    const { found } = await scanWorkflow(
      workflow(`      - run: "claude -p \\\\\\\\ ${DSP}"`, `      - run: "claude -p \\t ${DSP}"`),
    );
    expect(found).toEqual([at('CG101', 6, 30, 60), at('CG101', 7, 28, 58)]);
  });

  test('a double-quoted run folded over two lines', async () => {
    const { found } = await scanWorkflow(workflow('      - run: "claude -p hi', `          ${DSP}"`));
    expect(found).toEqual([at('CG101', 7, 11, 41)]);
  });

  test('a plain run folded over two lines', async () => {
    const { found } = await scanWorkflow(workflow('      - run: claude -p hi', `          ${DSP}`));
    expect(found).toEqual([at('CG101', 7, 11, 41)]);
  });

  test('block headers with an indentation indicator or a comment', async () => {
    const { found } = await scanWorkflow(
      workflow(
        '      - run: |2',
        `          claude ${DSP}`,
        '      - run: | # ask claude',
        `          claude ${DSP}`,
      ),
    );
    expect(found).toEqual([at('CG101', 7, 18, 48), at('CG101', 9, 18, 48)]);
  });

  test('a step written as a flow mapping', async () => {
    const { found } = await scanWorkflow(workflow(`      - { run: "claude ${DSP}" }`));
    expect(found).toEqual([at('CG101', 6, 24, 54)]);
  });

  test('a block with continuations: the grant and the mode each on their own line', async () => {
    const { found } = await scanWorkflow(
      workflow(
        '      - run: |',
        '          claude -p a \\',
        '            --allowedTools "Read,Bash" \\',
        '            --permission-mode bypassPermissions',
      ),
    );
    expect(found).toEqual([at('CG102', 8, 34, 38), at('CG101', 9, 31, 48)]);
  });

  test('non-ASCII text before the flag: columns count UTF-16 code units', async () => {
    const { found } = await scanWorkflow(
      workflow('      - name: Ünïcödé 🚀', `        run: echo "🚀 déploiement" && claude ${DSP}`),
    );
    expect(found).toEqual([at('CG101', 7, 46, 76)]);
  });

  test('CRLF line ends keep exact lines and columns', async () => {
    const text = workflow('      - run: |', '          echo hi', `          claude -p "x" ${DSP}`).replace(
      /\n/g,
      '\r\n',
    );
    const { found } = await scanWorkflow(text);
    expect(found).toEqual([at('CG101', 8, 25, 55)]);
  });

  test('the step name is kept in the run context', async () => {
    const { result } = await scanWorkflow(workflow('      - name: Ask Claude', '        run: claude -p hi'));
    expect(result.model.runs[0]?.context.stepName).toBe('Ask Claude');
  });
});

describe('${{ … }} expressions in run scripts', () => {
  test('an expression in the prompt: the flag after it keeps its position', async () => {
    const { found } = await scanWorkflow(
      workflow('      - run: |', `          claude -p "\${{ github.event.issue.title }}" ${DSP}`),
    );
    expect(found).toEqual([at('CG101', 7, 55, 85)]);
  });

  test('an expression holding shell syntax (quotes, ==) does not break the script', async () => {
    const { found } = await scanWorkflow(
      workflow(`      - run: if [ "\${{ github.event_name == 'push' }}" = true ]; then claude ${DSP}; fi`),
    );
    expect(found).toEqual([at('CG101', 6, 78, 108)]);
  });

  test('flags only known when the workflow runs are not findings', async () => {
    const { found, result } = await scanWorkflow(workflow('      - run: claude -p go ${{ inputs.flags }}'));
    expect(result.model.runs).toHaveLength(1);
    expect(result.model.runs[0]?.command?.args[2]).toMatchObject({
      value: '${{ inputs.flags }}',
      dynamic: true,
    });
    expect(found).toEqual([]);
  });

  test('a program named by an expression is not a known run of claude', async () => {
    const { found, result } = await scanWorkflow(workflow(`      - run: \${{ inputs.cli }} ${DSP}`));
    expect(result.model.runs).toEqual([]);
    expect(found).toEqual([]);
  });

  test('a command written inside an expression is not run by the shell', async () => {
    const { found, result } = await scanWorkflow(workflow(`      - run: echo "\${{ 'claude ${DSP}' }}"`));
    expect(result.model.runs).toEqual([]);
    expect(found).toEqual([]);
  });
});

describe('step shells', () => {
  test('shell: pwsh steps are read (a claude line is the same there); shell: python steps are not', async () => {
    const { found, result } = await scanWorkflow(
      workflow(
        `      - run: claude ${DSP}`,
        '        shell: pwsh',
        `      - run: claude ${DSP}`,
        '        shell: python',
      ),
    );
    expect(result.model.runs.map((r) => r.span.line)).toEqual([6]);
    expect(found).toEqual([at('CG101', 6, 21, 51)]);
  });

  test('shell: bash and shell: bash -e {0} are read', async () => {
    const { found } = await scanWorkflow(
      workflow(
        `      - run: claude ${DSP}`,
        '        shell: bash',
        `      - run: claude ${DSP}`,
        '        shell: bash -e {0}',
      ),
    );
    expect(found).toEqual([at('CG101', 6, 21, 51), at('CG101', 8, 21, 51)]);
  });

  test('defaults.run.shell: python applies to every step; a job or step may set bash back', async () => {
    const text = [
      'on: push',
      'defaults:',
      '  run:',
      '    shell: python',
      'jobs:',
      '  win:',
      '    runs-on: windows-latest',
      '    steps:',
      `      - run: claude ${DSP}`,
      `      - run: claude ${DSP}`,
      '        shell: bash',
      '  linux:',
      '    runs-on: ubuntu-latest',
      '    defaults:',
      '      run:',
      '        shell: bash',
      '    steps:',
      `      - run: claude ${DSP}`,
      '',
    ].join('\n');
    const { found, result } = await scanWorkflow(text);
    expect(result.model.runs.map((r) => [r.context.job?.id, r.span.line])).toEqual([
      ['win', 10],
      ['linux', 18],
    ]);
    expect(found).toEqual([at('CG101', 10, 21, 51), at('CG101', 18, 21, 51)]);
  });

  test('steps that do not start claude are not runs', async () => {
    const { found, result } = await scanWorkflow(
      workflow(
        '      - uses: actions/checkout@v4',
        '      - name: claude --dangerously-skip-permissions',
        '        run: echo "claude is great"',
        '      - run: which claude && command -v claude',
      ),
    );
    expect(result.model.runs).toEqual([]);
    expect(found).toEqual([]);
  });
});

describe('anthropics/claude-code-action', () => {
  test('the action step is a run, located at its uses: value', async () => {
    const { result, found } = await scanWorkflow(actionStep('v1', '          prompt: review this PR'));
    expect(result.model.runs).toHaveLength(1);
    const run = result.model.runs[0];
    expect(run?.kind).toBe('action');
    expect(run?.span).toMatchObject({ line: 6, column: 15, endLine: 6, endColumn: 47 });
    expect(run?.action).toMatchObject({ action: 'claude-code-action', ref: 'v1', generation: 'v1' });
    expect(run?.action?.inputs.prompt?.value).toBe('review this PR');
    expect(run?.command).toBeUndefined();
    expect(found).toEqual([]);
  });

  test('claude_args double-quoted on one line', async () => {
    const { found, result } = await scanWorkflow(
      actionStep('v1', `          claude_args: "--model opus ${DSP}"`),
    );
    expect(found).toEqual([at('CG101', 8, 38, 68)]);
    expect(result.verdict.findings[0]?.message).toContain('(claude_args)');
  });

  test('claude_args single-quoted, with a double-quoted list inside', async () => {
    const { found } = await scanWorkflow(
      actionStep('v1', `          claude_args: '--allowedTools "Read,Bash"'`),
    );
    expect(found).toEqual([at('CG102', 8, 46, 50)]);
  });

  test('claude_args double-quoted with escaped quotes inside', async () => {
    const { found } = await scanWorkflow(
      actionStep('v1', `          claude_args: "--allowedTools \\"Read,Bash(*)\\" ${DSP}"`),
    );
    expect(found).toEqual([at('CG102', 8, 47, 54), at('CG101', 8, 57, 87)]);
  });

  test('claude_args plain, --permission-mode bypassPermissions', async () => {
    const { found } = await scanWorkflow(
      actionStep('v1', '          claude_args: --permission-mode bypassPermissions'),
    );
    expect(found).toEqual([at('CG101', 8, 42, 59)]);
  });

  test('claude_args in a literal block (|), a commented-out line ignored', async () => {
    const { found, result } = await scanWorkflow(
      actionStep(
        'v1',
        '          claude_args: |',
        '            --model opus',
        '            --allowedTools "Read,Edit,Bash"',
        `            # ${DSP}`,
      ),
    );
    expect(result.model.runs[0]?.command?.allowedTools.map((r) => r.value.raw)).toEqual([
      'Read',
      'Edit',
      'Bash',
    ]);
    expect(result.model.runs[0]?.command?.dangerouslySkipPermissions).toBeUndefined();
    // `Edit` is granted too (CG107).
    expect(found).toEqual([at('CG107', 10, 34, 38), at('CG102', 10, 39, 43)]);
  });

  test('claude_args in a folded block (>-)', async () => {
    const { found, result } = await scanWorkflow(
      actionStep(
        'v1',
        '          claude_args: >-',
        '            --allowedTools Read,Edit',
        `            ${DSP}`,
      ),
    );
    expect(result.model.runs[0]?.command?.allowedTools.map((r) => r.value.raw)).toEqual(['Read', 'Edit']);
    expect(found).toEqual([at('CG107', 9, 33, 37), at('CG101', 10, 13, 43)]);
  });

  test('claude_args double-quoted with a \\n escape between words', async () => {
    const { found } = await scanWorkflow(
      actionStep('v1', '          claude_args: "--allowedTools Read,Bash\\n  --model opus"'),
    );
    expect(found).toEqual([at('CG102', 8, 45, 49)]);
  });

  test('claude_args: a backslash continuation and a quoted list over two lines', async () => {
    const { found } = await scanWorkflow(
      actionStep(
        'v1',
        '          claude_args: |',
        '            --allowedTools Read \\',
        '            Bash --allowedTools "Edit,',
        '              Bash(*)"',
      ),
    );
    expect(found).toEqual([at('CG102', 10, 13, 17), at('CG107', 10, 34, 38), at('CG102', 11, 15, 22)]);
  });

  test('claude_args: --allowedTools=Read,Bash', async () => {
    const { found } = await scanWorkflow(actionStep('v1', '          claude_args: --allowedTools=Read,Bash'));
    expect(found).toEqual([at('CG102', 8, 44, 48)]);
  });

  test('commas inside parentheses do not split a rule (claude_args and allowed_tools)', async () => {
    const args = await scanWorkflow(
      actionStep('v1', '          claude_args: --allowedTools "Bash(git log --oneline, -n 5)" Bash'),
    );
    expect(args.result.model.runs[0]?.command?.allowedTools.map((r) => r.value.raw)).toEqual([
      'Bash(git log --oneline, -n 5)',
      'Bash',
    ]);
    expect(args.found).toEqual([at('CG102', 8, 71, 75)]);
    const tools = await scanWorkflow(
      actionStep('beta', '          allowed_tools: "Bash(git log --oneline, -n 5),Bash"'),
    );
    expect(tools.found).toEqual([at('CG102', 8, 57, 61)]);
  });

  test('claude_args from an expression is not a finding', async () => {
    const { found, result } = await scanWorkflow(
      actionStep('v1', '          claude_args: ${{ inputs.args }}'),
    );
    expect(result.model.runs).toHaveLength(1);
    expect(result.model.runs[0]?.command?.args[0]?.dynamic).toBe(true);
    expect(found).toEqual([]);
  });

  test('allowed_tools on @beta is a grant', async () => {
    const { found, result } = await scanWorkflow(actionStep('beta', '          allowed_tools: "Read,Bash"'));
    expect(result.model.runs[0]?.action?.generation).toBe('v0');
    expect(found).toEqual([at('CG102', 8, 32, 36)]);
    expect(result.verdict.findings[0]?.message).toContain('claude-code-action inputs');
  });

  test('allowed_tools on @v0.0.63 as a block list', async () => {
    const { found, result } = await scanWorkflow(
      actionStep(
        'v0.0.63',
        '          allowed_tools: |',
        '            Read',
        '            Bash(git diff:*)',
        '            Bash',
      ),
    );
    expect(result.model.runs[0]?.command?.allowedTools.map((r) => [r.value.raw, r.value.form])).toEqual([
      ['Read', 'bare'],
      ['Bash(git diff:*)', 'prefix'],
      ['Bash', 'bare'],
    ]);
    expect(found).toEqual([at('CG102', 11, 13, 17)]);
  });

  test('allowed_tools on a commit SHA is read (the generation is unknown)', async () => {
    const { found, result } = await scanWorkflow(
      actionStep('0123456789abcdef0123456789abcdef01234567', '          allowed_tools: Bash,Read'),
    );
    expect(result.model.runs[0]?.action?.generation).toBe('unknown');
    expect(found).toEqual([at('CG102', 8, 26, 30)]);
  });

  test('allowed_tools on claude-code-base-action@beta is a grant', async () => {
    const text = workflow(
      '      - uses: anthropics/claude-code-base-action@beta',
      '        with:',
      '          allowed_tools: Bash',
    );
    const { found, result } = await scanWorkflow(text);
    expect(result.model.runs[0]?.action?.action).toBe('claude-code-base-action');
    expect(found).toEqual([at('CG102', 8, 26, 30)]);
  });

  test('allowed_tools on @v1 is ignored by the action: no grant, no CG102 (CG507 says it is ignored)', async () => {
    const { found, result } = await scanWorkflow(actionStep('v1', '          allowed_tools: "Read,Bash"'));
    expect(result.model.runs[0]?.action?.generation).toBe('v1');
    expect(result.model.runs[0]?.command).toBeUndefined();
    expect(found).toEqual([at('CG507', 8, 11, 24)]);
  });

  test('an action that only shares the name is not claude-code-action', async () => {
    const text = workflow(
      '      - uses: someone/claude-code-action@v1',
      '        with:',
      `          claude_args: ${DSP}`,
    );
    const { found, result } = await scanWorkflow(text);
    expect(result.model.runs).toEqual([]);
    // Not read as Claude; reported as another owner's copy of the action (CG510).
    expect(found.map((f) => `${f.ruleId} ${f.line}:${f.column}`)).toEqual(['CG510 6:15']);
  });
});

describe('the settings: input', () => {
  test('inline JSON with "defaultMode": "bypassPermissions": CG101 at the value inside the YAML', async () => {
    const { found, result } = await scanWorkflow(
      actionStep(
        'v1',
        '          settings: |',
        '            {',
        '              "permissions": {',
        '                "defaultMode": "bypassPermissions",',
        '                "allow": ["Read", "Bash"]',
        '              }',
        '            }',
      ),
    );
    expect(result.model.settings).toHaveLength(1);
    expect(result.model.settings[0]).toMatchObject({ scope: 'inline', path: WORKFLOW });
    expect(result.model.runs[0]?.inlineSettings?.defaultMode?.value).toBe('bypassPermissions');
    expect(found).toEqual([at('CG101', 11, 33, 50), at('CG102', 12, 36, 40)]);
    expect(result.verdict.findings.find((f) => f.ruleId === 'CG101')?.message).toContain(
      'the settings input',
    );
  });

  test('inline JSON on one single-quoted line', async () => {
    const { found } = await scanWorkflow(
      actionStep('v1', `          settings: '{"permissions":{"defaultMode":"bypassPermissions"}}'`),
    );
    expect(found).toEqual([at('CG101', 8, 53, 70)]);
  });

  test('inline JSON double-quoted in the YAML, its quotes escaped', async () => {
    const { found } = await scanWorkflow(
      actionStep(
        'v1',
        '          settings: "{\\"permissions\\": {\\"defaultMode\\": \\"bypassPermissions\\"}}"',
      ),
    );
    expect(found).toEqual([at('CG101', 8, 60, 77)]);
  });

  test('inline JSON in a folded block (>)', async () => {
    const { found } = await scanWorkflow(
      actionStep(
        'v1',
        '          settings: >',
        '            {"permissions":',
        '            {"defaultMode": "bypassPermissions"}}',
      ),
    );
    expect(found).toEqual([at('CG101', 10, 30, 47)]);
  });

  test('invalid JSON in the input is CG901 at the offending character', async () => {
    const { found, result } = await scanWorkflow(
      actionStep('v1', `          settings: '{"permissions": {"allow": ["Read",]}}'`),
    );
    expect(result.model.problems.map((p) => p.fileKind)).toEqual(['settings input']);
    // At the trailing comma itself.
    expect(found.map((f) => [f.ruleId, f.line, f.column])).toEqual([['CG901', 8, 55]]);
  });

  test('a settings file path is not inline JSON', async () => {
    const { found, result } = await scanWorkflow(
      actionStep('v1', '          settings: .claude/ci-settings.json'),
    );
    expect(result.model.settings).toEqual([]);
    expect(found).toEqual([]);
  });

  test('a safe inline mode is not a finding', async () => {
    const { found, result } = await scanWorkflow(
      actionStep(
        'v1',
        `          settings: '{"permissions":{"defaultMode":"dontAsk","allow":["Bash(npm test:*)"]}}'`,
      ),
    );
    expect(result.model.settings[0]?.defaultMode?.value).toBe('dontAsk');
    expect(found).toEqual([]);
  });
});

describe('jobs in a container', () => {
  const text = [
    'on: push',
    'jobs:',
    '  build:',
    '    runs-on: ubuntu-latest',
    '    container: node:20',
    '    steps:',
    `      - run: claude -p go ${DSP}`,
    '      - uses: anthropics/claude-code-action@v1',
    '        with:',
    '          claude_args: --permission-mode bypassPermissions',
    '          settings: |',
    '            {"permissions": {"defaultMode": "bypassPermissions"}}',
    '  bare:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    `      - run: claude ${DSP}`,
    '',
  ].join('\n');

  test('CG101 is lowered to low inside the container, with the container as related place', async () => {
    const { result, found } = await scanWorkflow(text);
    expect(found).toEqual([
      at('CG101', 7, 27, 57),
      at('CG101', 10, 42, 59),
      at('CG101', 12, 46, 63),
      at('CG101', 16, 21, 51),
    ]);
    const cg101 = result.verdict.findings.filter((f) => f.ruleId === 'CG101');
    const byLine = new Map(cg101.map((f) => [f.line, f]));
    for (const line of [7, 10, 12]) {
      expect(byLine.get(line)?.severity).toBe('low');
      expect(byLine.get(line)?.blocking).toBe(false);
      expect(byLine.get(line)?.related).toEqual([
        { path: WORKFLOW, line: 5, message: 'runs in a container' },
      ]);
    }
    expect(byLine.get(16)?.severity).toBe('critical');
    expect(byLine.get(16)?.blocking).toBe(true);
    expect(result.model.runs[0]?.context.isolation).toMatchObject({
      value: 'container',
      span: { line: 5, column: 5 },
    });
  });

  test('with dangerous-mode.allow-in empty, the container does not lower the severity', async () => {
    const policy: Policy = { ...defaultPolicy(), dangerousModeAllowIn: [] };
    const { result } = await scanWorkflow(text, policy);
    expect(
      result.verdict.findings.filter((f) => f.ruleId === 'CG101').map((f) => [f.line, f.severity]),
    ).toEqual([
      [7, 'critical'],
      [10, 'critical'],
      [12, 'critical'],
      [16, 'critical'],
    ]);
  });

  test('a container given as a map counts too', async () => {
    const t = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    container:',
      '      image: node:20',
      '    steps:',
      `      - run: claude ${DSP}`,
      '',
    ].join('\n');
    const { result, found } = await scanWorkflow(t);
    expect(found).toEqual([at('CG101', 8, 21, 51)]);
    expect(result.verdict.findings.find((f) => f.ruleId === 'CG101')?.severity).toBe('low');
  });
});

describe('invalid YAML', () => {
  test('a tab used as indentation is CG901 at the tab; nothing else is read', async () => {
    const { found, result } = await scanWorkflow(`on: push\njobs:\n\ta:\n      - run: claude ${DSP}\n`);
    expect(result.model.runs).toEqual([]);
    expect(found).toEqual([at('CG901', 3, 1, 2)]);
    expect(result.verdict.findings[0]?.severity).toBe('medium');
    expect(result.verdict.findings[0]?.message).toContain('invalid YAML');
  });

  test('a mapping item out of line is CG901 where yaml reports it (the start of its line)', async () => {
    const { found, result } = await scanWorkflow(
      ['on: push', 'jobs:', '  a:', '    steps:', `      - run: claude ${DSP}`, '     bad: x', ''].join('\n'),
    );
    expect(result.model.runs).toEqual([]);
    expect(found).toEqual([at('CG901', 6, 1, 2)]);
  });
});

describe('composite actions (action.yml)', () => {
  const composite = [
    'name: Agent',
    'description: runs claude',
    'runs:',
    '  using: composite',
    '  steps:',
    `    - run: claude -p hi ${DSP}`,
    '      shell: bash',
    '    - run: claude --permission-mode bypassPermissions',
    '      shell: python',
    '',
  ].join('\n');

  test('runs.steps are read; a python step is not', async () => {
    const { found, result } = await scanFiles({ 'action.yml': composite });
    expect(result.model.runs).toHaveLength(1);
    expect(result.model.runs[0]?.context.job).toBeUndefined();
    expect(found).toEqual([at('CG101', 6, 25, 55)]);
  });

  test('a nested action.yaml is a composite action too', async () => {
    const { found } = await scanFiles({ 'tools/agent/action.yaml': composite });
    expect(found).toEqual([at('CG101', 6, 25, 55)]);
  });

  test('YAML outside .github/workflows that is not an action is not read', async () => {
    const { found, result } = await scanFiles({
      'config/agent.yml': workflow(`      - run: claude ${DSP}`),
      '.github/workflows/nested/agent.yml': workflow(`      - run: claude ${DSP}`),
    });
    expect(result.model.runs).toEqual([]);
    expect(found).toEqual([]);
  });
});
