import type { ActionStep, Severity } from '../model/types.js';
import type { Rule, RuleFinding } from './types.js';

interface LegacyInput {
  /** What follows from it being ignored. */
  effect: string;
  /** What v1 takes instead. */
  instead: string;
  /** Inputs that only named things (a model, a prompt) are low; those that limited the run stay at the default. */
  severity?: Severity;
  /** The v1 release that dropped it, when not v1.0.0. */
  since?: number;
}

/** Inputs of claude-code-action v0/beta that v1 no longer reads (docs/migration-guide.md of the action). */
const ACTION_INPUTS = new Map<string, LegacyInput>(
  Object.entries({
    allowed_tools: {
      effect: 'the tools it lists are not pre-approved',
      instead: 'claude_args: --allowedTools "…"',
    },
    disallowed_tools: {
      effect: 'the tools it lists are not denied',
      instead: 'claude_args: --disallowedTools "…"',
    },
    max_turns: { effect: 'it does not limit the turns', instead: 'claude_args: --max-turns N' },
    timeout_minutes: {
      effect: 'it does not limit the time the run takes',
      instead: 'timeout-minutes: N on the job or step',
    },
    mcp_config: {
      effect: 'its MCP servers are not loaded',
      instead: 'claude_args: --mcp-config …',
      since: 10,
    },
    claude_env: { effect: 'its variables are not set', instead: 'settings: \'{"env": {…}}\'' },
    experimental_allowed_domains: {
      effect: 'the network is not limited to its domains',
      instead: 'a network restriction outside the action (a firewall step or a sandboxed runner)',
      since: 30,
    },
    direct_prompt: { effect: 'its prompt is not used', instead: 'prompt:', severity: 'low' },
    override_prompt: { effect: 'its prompt is not used', instead: 'prompt:', severity: 'low' },
    custom_instructions: {
      effect: 'its instructions are not added',
      instead: 'claude_args: --append-system-prompt "…"',
      severity: 'low',
    },
    model: { effect: 'the default model runs', instead: 'claude_args: --model …', severity: 'low' },
    anthropic_model: { effect: 'the default model runs', instead: 'claude_args: --model …', severity: 'low' },
    fallback_model: {
      effect: 'no fallback model is set',
      instead: 'claude_args: --fallback-model …',
      severity: 'low',
    },
    mode: {
      effect: 'the action picks the mode itself',
      instead: 'prompt: for an automation run, nothing for @claude mentions',
      severity: 'low',
    },
  }),
);

/** Inputs of claude-code-base-action v0/beta that its current version no longer reads. */
const BASE_ACTION_INPUTS = new Map<string, LegacyInput>([
  ...[
    'allowed_tools',
    'disallowed_tools',
    'max_turns',
    'timeout_minutes',
    'mcp_config',
    'claude_env',
    'model',
    'anthropic_model',
    'fallback_model',
  ].map((k): [string, LegacyInput] => {
    const { since: _since, ...input } = ACTION_INPUTS.get(k) as LegacyInput;
    return [k, input];
  }),
  [
    'system_prompt',
    {
      effect: 'its system prompt is not used',
      instead: 'claude_args: --system-prompt "…"',
      severity: 'low',
    },
  ],
  [
    'append_system_prompt',
    {
      effect: 'its instructions are not added',
      instead: 'claude_args: --append-system-prompt "…"',
      severity: 'low',
    },
  ],
]);

/** Text from the scanned file as a message quotes it: long text cut short. */
function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** The patch number of a `v1.0.N` ref; undefined for `v1`, `v1.0`, a branch: the newest v1. */
function v1Patch(ref: string): number | undefined {
  const m = /^v?1\.0\.(\d+)$/.exec(ref);
  return m ? Number(m[1]) : undefined;
}

function legacyInputs(action: ActionStep): Map<string, LegacyInput> {
  return action.action === 'claude-code-action' ? ACTION_INPUTS : BASE_ACTION_INPUTS;
}

export const legacyActionInputs: Rule = {
  meta: {
    id: 'CG507',
    name: 'legacy-action-inputs',
    severity: 'medium',
    summary:
      'An input of the v0/beta claude-code-action (`allowed_tools`, `disallowed_tools`, `max_turns`, `mcp_config`, `direct_prompt`…) given to v1 or later, which ignores it.',
    rationale:
      'claude-code-action v1 folded its Claude options into `claude_args` and `settings` and dropped the old ' +
      'inputs. GitHub only warns about an unexpected input in the run log, so a workflow moved to `@v1` ' +
      'with its old inputs runs without what they said: `disallowed_tools` no longer denies, `max_turns` and ' +
      '`timeout_minutes` no longer stop the run, `mcp_config` and `claude_env` no longer apply, ' +
      '`experimental_allowed_domains` no longer restricts the network. The workflow reads as if the ' +
      'restriction were there, which is worse than not having written it. The current base action dropped ' +
      'the same inputs.',
    fix:
      'Move each input to its v1 form: `allowed_tools` → `claude_args: --allowedTools`, `disallowed_tools` → ' +
      '`--disallowedTools`, `max_turns` → `--max-turns`, `model` → `--model`, `mcp_config` → `--mcp-config`, ' +
      '`custom_instructions` → `--append-system-prompt`, `direct_prompt`/`override_prompt` → `prompt:`, ' +
      "`claude_env` → `settings` env, `timeout_minutes` → the job's `timeout-minutes`.",
    bad: [
      {
        path: '.github/workflows/claude.yml',
        note: 'v0 inputs on @v1: the deny list and the turn limit do nothing.',
        lines: [11, 12],
        content: [
          'on: issue_comment',
          'permissions: { contents: read, issues: write }',
          'jobs:',
          '  claude:',
          '    runs-on: ubuntu-latest',
          '    timeout-minutes: 15',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
          '          disallowed_tools: "Bash(git push:*)"',
          '          max_turns: 5',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.github/workflows/claude.yml',
        note: 'The same restrictions in their v1 form; v0 inputs on @beta are read.',
        content: [
          'on: issue_comment',
          'permissions: { contents: read, issues: write }',
          'jobs:',
          '  claude:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          claude_args: --disallowedTools "Bash(git push:*)" --max-turns 5',
          '      - uses: anthropics/claude-code-action@beta',
          '        with:',
          '          max_turns: 5',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model) {
    const findings: RuleFinding[] = [];
    for (const run of model.runs) {
      const action = run.action;
      if (!action || action.generation !== 'v1') continue;
      const patch = action.action === 'claude-code-action' ? v1Patch(action.ref) : undefined;
      for (const [key, input] of legacyInputs(action)) {
        const keySpan = action.inputKeys[key];
        if (!keySpan) continue;
        // Still read before the release that dropped it.
        if (input.since !== undefined && patch !== undefined && patch < input.since) continue;
        // An empty value asks for nothing.
        const value = action.inputs[key];
        if (value && value.value.trim() === '') continue;
        findings.push({
          span: keySpan,
          message: `${key} is not an input of ${action.action}@${clip(action.ref)} and is ignored: ${input.effect}; use ${input.instead}`,
          evidence: `${action.action}:${key}`,
          ...(input.severity ? { severity: input.severity } : {}),
        });
      }
    }
    return findings;
  },
};
