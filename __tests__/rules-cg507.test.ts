import { describe, expect, test } from '@jest/globals';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

async function cg507(files: Record<string, string>): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return verdict.findings
    .filter((f) => f.ruleId === 'CG507')
    .map((f) => `${f.severity} ${f.path}:${f.line}:${f.column}-${f.endColumn} ${f.message}`);
}

/** Only where each finding is and how severe. */
async function places(files: Record<string, string>): Promise<string[]> {
  return (await cg507(files)).map((f) => f.split(' ').slice(0, 2).join(' '));
}

const wf = (...lines: string[]): string => [...lines, ''].join('\n');
const job = (...steps: string[]): string =>
  wf(
    'on: issue_comment',
    'permissions: { contents: read }',
    'jobs:',
    '  run:',
    '    runs-on: ubuntu-latest',
    '    timeout-minutes: 10',
    '    steps:',
    ...steps,
  );

describe('CG507 legacy-action-inputs', () => {
  test('restricting inputs on @v1, at the key, with the v1 form in the message', async () => {
    expect(
      await cg507({
        '.github/workflows/claude.yml': job(
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
          '          allowed_tools: "Bash(npm test)"',
          '          disallowed_tools: "Bash(git push:*)"',
          '          max_turns: 5',
          '          timeout_minutes: 20',
          '          mcp_config: .mcp.ci.json',
          '          claude_env: |',
          '            NODE_ENV: test',
        ),
      }),
    ).toEqual([
      'medium .github/workflows/claude.yml:11:11-24 allowed_tools is not an input of claude-code-action@v1 and is ignored: the tools it lists are not pre-approved; use claude_args: --allowedTools "…"',
      'medium .github/workflows/claude.yml:12:11-27 disallowed_tools is not an input of claude-code-action@v1 and is ignored: the tools it lists are not denied; use claude_args: --disallowedTools "…"',
      'medium .github/workflows/claude.yml:13:11-20 max_turns is not an input of claude-code-action@v1 and is ignored: it does not limit the turns; use claude_args: --max-turns N',
      'medium .github/workflows/claude.yml:14:11-26 timeout_minutes is not an input of claude-code-action@v1 and is ignored: it does not limit the time the run takes; use timeout-minutes: N on the job or step',
      'medium .github/workflows/claude.yml:15:11-21 mcp_config is not an input of claude-code-action@v1 and is ignored: its MCP servers are not loaded; use claude_args: --mcp-config …',
      'medium .github/workflows/claude.yml:16:11-21 claude_env is not an input of claude-code-action@v1 and is ignored: its variables are not set; use settings: \'{"env": {…}}\'',
    ]);
  });

  test('inputs that only named things are low', async () => {
    expect(
      await cg507({
        '.github/workflows/claude.yml': job(
          '      - uses: anthropics/claude-code-action@main',
          '        with:',
          '          direct_prompt: Review this PR',
          '          override_prompt: Or this',
          '          custom_instructions: Be brief',
          '          model: claude-opus-4-1',
          '          anthropic_model: claude-opus-4-1',
          '          fallback_model: claude-sonnet-4',
          '          mode: agent',
        ),
      }),
    ).toEqual([
      'low .github/workflows/claude.yml:10:11-24 direct_prompt is not an input of claude-code-action@main and is ignored: its prompt is not used; use prompt:',
      'low .github/workflows/claude.yml:11:11-26 override_prompt is not an input of claude-code-action@main and is ignored: its prompt is not used; use prompt:',
      'low .github/workflows/claude.yml:12:11-30 custom_instructions is not an input of claude-code-action@main and is ignored: its instructions are not added; use claude_args: --append-system-prompt "…"',
      'low .github/workflows/claude.yml:13:11-16 model is not an input of claude-code-action@main and is ignored: the default model runs; use claude_args: --model …',
      'low .github/workflows/claude.yml:14:11-26 anthropic_model is not an input of claude-code-action@main and is ignored: the default model runs; use claude_args: --model …',
      'low .github/workflows/claude.yml:15:11-25 fallback_model is not an input of claude-code-action@main and is ignored: no fallback model is set; use claude_args: --fallback-model …',
      'low .github/workflows/claude.yml:16:11-15 mode is not an input of claude-code-action@main and is ignored: the action picks the mode itself; use prompt: for an automation run, nothing for @claude mentions',
    ]);
  });

  test('inputs dropped after v1.0.0 fire only from the release that dropped them', async () => {
    const steps = (ref: string): string =>
      job(
        `      - uses: anthropics/claude-code-action@${ref}`,
        '        with:',
        '          mcp_config: .mcp.ci.json',
        '          experimental_allowed_domains: api.github.com',
      );
    expect(await places({ '.github/workflows/a.yml': steps('v1.0.5') })).toEqual([]);
    expect(await places({ '.github/workflows/a.yml': steps('v1.0.12') })).toEqual([
      'medium .github/workflows/a.yml:10:11-21',
    ]);
    expect(await places({ '.github/workflows/a.yml': steps('v1') })).toEqual([
      'medium .github/workflows/a.yml:10:11-21',
      'medium .github/workflows/a.yml:11:11-39',
    ]);
  });

  test('the current base action dropped the same inputs', async () => {
    expect(
      await places({
        '.github/workflows/a.yml': job(
          '      - uses: anthropics/claude-code-base-action@main',
          '        with:',
          '          prompt: Summarise',
          '          allowed_tools: Read',
          '          system_prompt: You are terse',
          '          claude_args: --max-turns 3',
        ),
      }),
    ).toEqual(['medium .github/workflows/a.yml:11:11-24', 'low .github/workflows/a.yml:12:11-24']);
  });

  test('silent: v0/beta and commit refs, v1 inputs, empty legacy values', async () => {
    expect(
      await cg507({
        '.github/workflows/a.yml': job(
          '      - uses: anthropics/claude-code-action@beta',
          '        with:',
          '          allowed_tools: Read',
          '          max_turns: 5',
          '      - uses: anthropics/claude-code-base-action@v0.0.63',
          '        with:',
          '          disallowed_tools: Bash',
          '      - uses: anthropics/claude-code-action@0123456789abcdef0123456789abcdef01234567',
          '        with:',
          '          max_turns: 5',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          prompt: Review',
          '          claude_args: --allowedTools Read --max-turns 5',
          '          settings: \'{"env": {"NODE_ENV": "test"}}\'',
          '          show_full_output: false',
          '          allowed_tools: ""',
        ),
      }),
    ).toEqual([]);
  });

  test('a long ref is cut short in the message', async () => {
    const ref = `v1-${'x'.repeat(100_000)}`;
    const found = await cg507({
      '.github/workflows/a.yml': job(
        `      - uses: anthropics/claude-code-action@${ref}`,
        '        with:',
        '          max_turns: 5',
      ),
    });
    expect(found).toHaveLength(1);
    expect(found[0]?.length).toBeLessThan(400);
    expect(found[0]).toContain(`claude-code-action@${ref.slice(0, 40)}… and is ignored`);
  });

  test("silent: another vendor's action with inputs of the same names", async () => {
    expect(
      await cg507({
        '.github/workflows/a.yml': job(
          '      - uses: openai/codex-action@v1',
          '        with:',
          '          model: gpt-5',
          '          allowed_tools: shell',
          '      - uses: someone/claude-code-action@v1',
          '        with:',
          '          max_turns: 5',
        ),
      }),
    ).toEqual([]);
  });
});
