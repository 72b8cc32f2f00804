import { describe, expect, test } from '@jest/globals';
import { distance, lookalikeOf } from '../src/model/lookalike.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

async function found(id: string, files: Record<string, string>): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return verdict.findings
    .filter((f) => f.ruleId === id)
    .map(
      (f) =>
        `${f.severity} ${f.path}:${f.line}:${f.column}-${f.endColumn} ${f.message}` +
        f.related.map((r) => ` [${r.line}: ${r.message}]`).join(''),
    );
}

const workflow = (...lines: string[]): Record<string, string> => ({
  '.github/workflows/w.yml': [...lines, ''].join('\n'),
});

describe('CG510 lookalike-agent-action', () => {
  test('edit distance stops early', () => {
    expect(distance('anthropics', 'anthropic')).toBe(1);
    expect(distance('anthropics', 'microsoft', 2)).toBe(3);
  });

  test.each([
    ['anthropics/claude-code-action@v1', undefined],
    ['anthropics/claude-code-base-action@beta', undefined],
    ['anthropic/claude-code-action@v1', 'owner'],
    ['anthropics-ai/claude-code-action@v1', 'owner'],
    ['anthr0pics/claude-code-action@v1', 'owner'],
    ['claude-ai/claude-code-action@v1', 'owner'],
    ['claude-code/claude-code-action@v1', 'owner'],
    ['anthropic-ai/claude-code-action@v1', 'owner'],
    ['ClaudeAI/claude-code-base-action@v1', 'owner'],
    ['claude-ai/setup-node@v4', undefined],
    ['claudette/claude-code-action@v1', 'fork'],
    ['anthropics/claude-code-actions@v1', 'name'],
    ['anthropics/claude_code_action@v1', 'name'],
    ['acme/claude-code-acton@v1', 'name'],
    ['grll/claude-code-action@beta', 'fork'],
    ['anthropics/claude-code@v1', undefined],
    ['actions/checkout@v4', undefined],
    ['openai/codex-action@v1', undefined],
    ['anthropics/anthropic-sdk-python@v1', undefined],
  ])('%s: %s', (uses, kind) => {
    expect(lookalikeOf(uses)).toBe(kind);
  });

  test('at the uses: value; a fork is medium', async () => {
    expect(
      await found(
        'CG510',
        workflow(
          'on: issue_comment',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropic/claude-code-action@v1',
          '      - uses: grll/claude-code-action@beta',
          '      - uses: anthropics/claude-code-action@v1',
        ),
      ),
    ).toEqual([
      "high .github/workflows/w.yml:6:15-46 anthropic/claude-code-action@v1 is not Anthropic's action: its owner imitates anthropics or Anthropic's product name",
      "medium .github/workflows/w.yml:7:15-43 grll/claude-code-action@beta is not Anthropic's action: it is another owner's copy of claude-code-action, not Anthropic's",
    ]);
  });
});

describe('CG509 persisted-checkout-credentials', () => {
  test('a checkout that keeps the token before a Claude with a shell or bypass mode', async () => {
    expect(
      await found(
        'CG509',
        workflow(
          'on: workflow_dispatch',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: actions/checkout@v4',
          '      - run: claude -p "fix" --allowedTools "Bash(git push:*)"',
          '  b:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: actions/checkout@v4',
          '      - run: claude -p "fix" --dangerously-skip-permissions',
          '  c:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: actions/checkout@v4',
          '        with:',
          '          persist-credentials: false',
          '      - run: claude -p "fix" --allowedTools Bash',
          '  d:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: actions/checkout@v4',
          '      - run: claude -p "summarise" --allowedTools Read',
          '  e:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - run: claude -p "fix" --allowedTools Bash',
          '      - uses: actions/checkout@v4',
        ),
      ),
    ).toEqual([
      'medium .github/workflows/w.yml:6:15-34 this checkout leaves the default token (no permissions: set) in .git/config, and Claude runs later in job a with Bash(git push:*) [7: Claude runs here, with Bash(git push:*)] [7: the shell grant]',
      'medium .github/workflows/w.yml:11:15-34 this checkout leaves the default token (no permissions: set) in .git/config, and Claude runs later in job b with permission checks skipped [12: Claude runs here, with permission checks skipped] [12: permission checks skipped]',
    ]);
  });
});

describe('CG508 agent-output-to-shell', () => {
  const steps = [
    '    steps:',
    '      - id: claude',
    '        uses: anthropics/claude-code-action@v1',
    '        with:',
    '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
    '      - run: echo "${{ steps.claude.outputs.structured_output }}" | sh',
    '      - run: echo "$OUT"',
    '        env:',
    '          OUT: ${{ steps.claude.outputs.structured_output }}',
    '      - run: echo "${{ steps.other.outputs.x }}"',
  ];
  test('in a later run: script of a job holding secrets or a write token; not through env:', async () => {
    expect(
      await found('CG508', workflow('on: issues', 'jobs:', '  a:', '    runs-on: ubuntu-latest', ...steps)),
    ).toEqual([
      "high .github/workflows/w.yml:10:20-65 Claude's output (steps.claude.outputs.structured_output) is pasted into this script, which runs with the default token (no permissions: set) and secrets [7: the step where Claude runs]",
    ]);
  });
  test('silent in a job with a read-only token and no secrets', async () => {
    const readOnly = steps.map((l) => l.replace('${{ secrets.ANTHROPIC_API_KEY }}', 'none'));
    expect(
      await found(
        'CG508',
        workflow(
          'on: issues',
          'permissions:',
          '  contents: read',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          ...readOnly,
        ),
      ),
    ).toEqual([]);
  });
});

describe('CG508 through job outputs', () => {
  const chain = (later: string[], extra: string[] = []): Record<string, string> =>
    workflow(
      'on: issues',
      'permissions:',
      '  contents: read',
      'jobs:',
      '  ask:',
      '    runs-on: ubuntu-latest',
      '    outputs:',
      '      verdict: ${{ steps.claude.outputs.structured_output }}',
      '      plain: done',
      '    steps:',
      '      - id: claude',
      '        uses: anthropics/claude-code-action@v1',
      '        with:',
      '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
      ...extra,
      '  act:',
      '    needs: [ask]',
      '    runs-on: ubuntu-latest',
      '    permissions:',
      '      issues: write',
      '    steps:',
      ...later,
    );

  test("a job waiting for Claude's job pastes its output into a script: found, with the output and the step", async () => {
    expect(
      await found(
        'CG508',
        chain([
          '      - run: gh issue edit 1 --add-label "${{ needs.ask.outputs.verdict }}"',
          "      - run: echo '${{ toJSON(needs.ask.outputs) }}'",
          '      - run: echo "${{ needs.ask.outputs.plain }}"',
          '      - run: gh issue edit 1 --add-label "$LABEL"',
          '        env:',
          '          LABEL: ${{ needs.ask.outputs.verdict }}',
        ]),
      ),
    ).toEqual([
      "high .github/workflows/w.yml:21:43-75 Claude's output (needs.ask.outputs.verdict, from job ask) is pasted into this script, which runs with a token with issues: write [8: job ask passes Claude's output on as outputs.verdict] [12: the step where Claude runs]",
      "high .github/workflows/w.yml:22:20-52 Claude's output (toJSON(needs.ask.outputs), from job ask) is pasted into this script, which runs with a token with issues: write [8: job ask passes Claude's output on as outputs.verdict] [12: the step where Claude runs]",
    ]);
  });

  test('followed through a job in between; silent for a job that does not wait for it', async () => {
    const middle = [
      '  relay:',
      '    needs: ask',
      '    runs-on: ubuntu-latest',
      '    outputs:',
      '      label: ${{ needs.ask.outputs.verdict }}',
      '    steps:',
      '      - run: "true"',
    ];
    const files = chain(['      - run: echo "${{ needs.relay.outputs.label }}"'], middle);
    const onlyAsk = files['.github/workflows/w.yml'] as string;
    // `act` waits for relay too.
    const text = onlyAsk.replace('needs: [ask]', 'needs: [ask, relay]');
    expect(await found('CG508', { '.github/workflows/w.yml': text })).toEqual([
      "high .github/workflows/w.yml:28:20-52 Claude's output (needs.relay.outputs.label, from job relay) is pasted into this script, which runs with a token with issues: write [19: job relay passes Claude's output on as outputs.label] [12: the step where Claude runs]",
    ]);
    // Waiting for ask only, needs.relay is empty there: GitHub gives a job the outputs of the jobs it names.
    expect(await found('CG508', { '.github/workflows/w.yml': onlyAsk })).toEqual([]);
    const unrelated = text.replace('    needs: [ask, relay]\n', '');
    expect(await found('CG508', { '.github/workflows/w.yml': unrelated })).toEqual([]);
  });

  test('silent when the later job holds neither a write token nor secrets', async () => {
    const files = chain(['      - run: echo "${{ needs.ask.outputs.verdict }}"']);
    const text = (files['.github/workflows/w.yml'] as string).replace(
      '    permissions:\n      issues: write\n',
      '',
    );
    expect(await found('CG508', { '.github/workflows/w.yml': text })).toEqual([]);
  });
});

describe('CG509: a token that can write nothing', () => {
  test('read scopes and id-token: write are not worth taking', async () => {
    expect(
      await found(
        'CG509',
        workflow(
          'on: workflow_dispatch',
          'permissions:',
          '  contents: read',
          '  id-token: write',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: actions/checkout@v4',
          '      - run: claude -p "fix" --allowedTools Bash',
        ),
      ),
    ).toEqual([]);
  });
});
