import { stepOutputsRead } from '../model/expression-refs.js';
import { runsInJobs } from '../model/run-callers.js';
import { writeAccess } from '../model/token.js';
import type { Rule, RuleFinding } from './types.js';

export const agentOutputToShell: Rule = {
  meta: {
    id: 'CG508',
    name: 'agent-output-to-shell',
    severity: 'high',
    summary:
      'What Claude produced — `${{ steps.<claude step>.outputs.* }}` — pasted into a later `run:` step of a job ' +
      'that holds a write token or secrets.',
    rationale:
      'GitHub replaces `${{ … }}` in a `run:` script before the shell reads it, so whatever the expression holds ' +
      "becomes code. Claude's output is shaped by everything it read — an issue, a pull request, a web page — so " +
      'text planted there can come out as `"; curl … | sh; echo "` and run with the job token and secrets. Passing ' +
      'the value through `env:` and quoting `"$VAR"` keeps it data.',
    fix:
      'Give the output to the step as an environment variable (`env: RESULT: ${{ steps.claude.outputs.structured_output }}`) ' +
      'and use `"$RESULT"` in the script; never `eval` it.',
    bad: [
      {
        path: '.github/workflows/triage.yml',
        note: "Claude's structured output pasted into a script that can write to the repository.",
        lines: [14],
        content: [
          'on: issues',
          'permissions:',
          '  contents: read',
          '  issues: write',
          'jobs:',
          '  triage:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - id: claude',
          '        uses: anthropics/claude-code-action@v1',
          '        with:',
          '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
          '          prompt: "Label this issue"',
          '      - run: gh issue edit ${{ github.event.issue.number }} --add-label "${{ steps.claude.outputs.structured_output }}"',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.github/workflows/triage.yml',
        note: 'The output passed as data.',
        content: [
          'on: issues',
          'permissions:',
          '  issues: write',
          'jobs:',
          '  triage:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - id: claude',
          '        uses: anthropics/claude-code-action@v1',
          '        with:',
          '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
          '          prompt: "Label this issue"',
          '      - run: gh issue edit "$NUMBER" --add-label "$LABEL"',
          '        env:',
          '          NUMBER: ${{ github.event.issue.number }}',
          '          LABEL: ${{ steps.claude.outputs.structured_output }}',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model) {
    const out: RuleFinding[] = [];
    // Steps that run Claude through a script or a local composite action count too.
    const inJobs = runsInJobs(model);
    for (const workflow of model.workflows) {
      for (const job of workflow.jobs) {
        // The ids of the steps that run Claude in this job.
        const claudeSteps = new Map<string, number>();
        for (const run of inJobs) {
          const step = run.context.step;
          if (run.context.job === job && step?.id) claudeSteps.set(step.id.value.toLowerCase(), step.index);
        }
        if (claudeSteps.size === 0) continue;
        const secrets = job.steps.some((s) => s.expressions.some((e) => /^secrets\./.test(e.expression)));
        const token = writeAccess(workflow, job);
        if (!token && !secrets) continue;
        const holds = [token, secrets ? 'secrets' : undefined].filter(Boolean).join(' and ');
        for (const step of job.steps) {
          for (const e of step.expressions) {
            if (e.in !== 'run') continue;
            // Read through the expression parser: also inside `fromJSON(…)`, `toJSON(…)`, `format(…)` and as
            // `steps['claude'].outputs`.
            const from = stepOutputsRead(e.expression)
              .map((id) => claudeSteps.get(id))
              .find((i) => i !== undefined && i < step.index);
            if (from === undefined) continue;
            out.push({
              span: e.span,
              message: `Claude's output (${e.expression}) is pasted into this script, which runs with ${holds}`,
              related: [
                {
                  span: job.steps[from]?.uses?.span ?? job.steps[from]?.run?.span ?? e.span,
                  message: 'the step where Claude runs',
                },
              ],
              evidence: `${job.id}:${e.expression}`,
            });
          }
        }
      }
    }
    return out;
  },
};
