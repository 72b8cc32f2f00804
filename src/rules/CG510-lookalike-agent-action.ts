import { lookalikeOf } from '../model/lookalike.js';
import type { Rule, RuleFinding } from './types.js';

const WHY = {
  owner: "its owner imitates anthropics or Anthropic's product name",
  name: "its name imitates Anthropic's claude-code-action",
  fork: "it is another owner's copy of claude-code-action, not Anthropic's",
} as const;

export const lookalikeAgentAction: Rule = {
  meta: {
    id: 'CG510',
    name: 'lookalike-agent-action',
    severity: 'high',
    summary:
      "A `uses:` whose owner or name imitates Anthropic's actions (`anthropic/…`, `anthropics-ai/…`, " +
      '`claude-code-actions`…): not the real action, so none of its protections apply.',
    rationale:
      "Anthropic's actions are `anthropics/claude-code-action` and `anthropics/claude-code-base-action`. An action " +
      'one letter away in its owner or its name runs whatever its author published, with the job token and every ' +
      'secret the step is given — the API key included — and without the checks the real action makes (who may ' +
      'trigger it, which tools it grants). A copy of the real action under another owner (a fork) is reported ' +
      "at medium: it may be a deliberate fork, but it no longer gets Anthropic's fixes, and whoever owns it " +
      'can change it. An owner named like Anthropic or its product (`anthropic-ai/…`, `claude-ai/…`, ' +
      '`claude-code/…`) is no plain fork: it is chosen to pass for the real one, and is reported high.',
    fix: 'Use `anthropics/claude-code-action` (pinned to a full commit SHA), or pin the fork you trust to a commit.',
    bad: [
      {
        path: '.github/workflows/claude.yml',
        note: 'An owner one letter away.',
        lines: [6],
        content: [
          'on: issue_comment',
          'jobs:',
          '  claude:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropic/claude-code-action@v1',
          '        with:',
          '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.github/workflows/claude.yml',
        note: "Anthropic's own action.",
        content: [
          'on: issue_comment',
          'jobs:',
          '  claude:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model) {
    const out: RuleFinding[] = [];
    for (const workflow of model.workflows) {
      // Each step's `uses:`, and a job's that calls a reusable workflow.
      const uses = [
        ...workflow.jobs.flatMap((j) => [
          ...(j.uses ? [j.uses] : []),
          ...j.steps.flatMap((s) => s.uses ?? []),
        ]),
        ...(workflow.steps ?? []).flatMap((s) => s.uses ?? []),
      ];
      for (const use of uses) {
        const kind = lookalikeOf(use.value);
        if (!kind) continue;
        const finding: RuleFinding = {
          span: use.span,
          message: `${use.value} is not Anthropic's action: ${WHY[kind]}`,
          evidence: `${kind}:${use.value.replace(/@.*$/, '')}`,
        };
        if (kind === 'fork') finding.severity = 'medium';
        out.push(finding);
      }
    }
    return out;
  },
};
