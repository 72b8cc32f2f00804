import { expressionTexts, jobOutputRefs, stepOutputsRead } from '../model/expression-refs.js';
import { runsInJobs } from '../model/run-callers.js';
import type { Located, Span } from '../model/span.js';
import { writeAccess } from '../model/token.js';
import type { JobContext, WorkflowContext } from '../model/types.js';
import type { Rule, RuleFinding } from './types.js';

export const agentOutputToShell: Rule = {
  meta: {
    id: 'CG508',
    name: 'agent-output-to-shell',
    severity: 'high',
    summary:
      'What Claude produced — `${{ steps.<claude step>.outputs.* }}`, or a job output carrying it read as ' +
      '`${{ needs.<job>.outputs.* }}` — pasted into a later `run:` step of a job that holds a write token or secrets.',
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
      {
        path: '.github/workflows/review.yml',
        note: "Claude's answer handed to a later job as a job output, and pasted into that job's script.",
        lines: [18],
        content: [
          'on: pull_request',
          'jobs:',
          '  review:',
          '    runs-on: ubuntu-latest',
          '    outputs:',
          '      summary: ${{ steps.claude.outputs.structured_output }}',
          '    steps:',
          '      - id: claude',
          '        uses: anthropics/claude-code-action@v1',
          '        with:',
          '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
          '  publish:',
          '    needs: review',
          '    runs-on: ubuntu-latest',
          '    permissions:',
          '      pull-requests: write',
          '    steps:',
          '      - run: gh pr comment ${{ github.event.number }} --body "${{ needs.review.outputs.summary }}"',
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
    // The ids of the steps that run Claude, by job: one pass over the runs, not one per job.
    const claudeStepsOf = new Map<JobContext, Map<string, number>>();
    const withClaude = new Set<WorkflowContext>();
    for (const run of runsInJobs(model)) {
      const { job, step, workflow } = run.context;
      if (!job || !step?.id || !workflow) continue;
      const ids = claudeStepsOf.get(job) ?? new Map<string, number>();
      ids.set(step.id.value.toLowerCase(), step.index);
      claudeStepsOf.set(job, ids);
      withClaude.add(workflow);
    }
    for (const workflow of model.workflows) {
      if (!withClaude.has(workflow)) continue;
      const carried = carriedOutputs(workflow, claudeStepsOf);
      for (const job of workflow.jobs) {
        const claudeSteps = claudeStepsOf.get(job);
        const needed = new Set((job.needs ?? []).map((n) => n.toLowerCase()));
        if (!claudeSteps && ![...needed].some((n) => carried.has(n))) continue;
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
              .map((id) => claudeSteps?.get(id))
              .find((i) => i !== undefined && i < step.index);
            if (from !== undefined) {
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
              continue;
            }
            // An output of a job this one waits for (`needs.<job>.outputs.<name>`) that carries Claude's.
            const passed = jobOutputRefs(e.expression)
              .filter((ref) => needed.has(ref.job))
              .flatMap((ref) => {
                const outputs = carried.get(ref.job);
                if (!outputs) return [];
                return ref.output === undefined ? [...outputs.values()] : (outputs.get(ref.output) ?? []);
              })[0];
            if (!passed) continue;
            out.push({
              span: e.span,
              message:
                `Claude's output (${e.expression}, from job ${passed.job}) is pasted into this script, which ` +
                `runs with ${holds}`,
              related: [
                {
                  span: passed.value.span,
                  message: `job ${passed.job} passes Claude's output on as outputs.${passed.name}`,
                },
                { span: passed.origin, message: 'the step where Claude runs' },
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

/** A job output that carries what Claude produced: where it is written and the step Claude ran in. */
interface CarriedOutput {
  job: string;
  name: string;
  value: Located<string>;
  origin: Span;
}

/**
 * The job outputs of a workflow that carry Claude's output, by job id and output name (lower-cased): an output
 * reading a Claude step's outputs, or an output of a job it waits for that carries one (followed to the end).
 */
function carriedOutputs(
  workflow: WorkflowContext,
  claudeStepsOf: ReadonlyMap<JobContext, ReadonlyMap<string, number>>,
): Map<string, Map<string, CarriedOutput>> {
  const carried = new Map<string, Map<string, CarriedOutput>>();
  const add = (output: CarriedOutput): void => {
    const outputs = carried.get(output.job.toLowerCase()) ?? new Map<string, CarriedOutput>();
    outputs.set(output.name.toLowerCase(), output);
    carried.set(output.job.toLowerCase(), outputs);
  };
  // Each pass follows one more job along `needs:`; a pass that adds nothing ends it.
  for (let pass = 0; pass <= workflow.jobs.length; pass++) {
    let added = false;
    for (const job of workflow.jobs) {
      const steps = claudeStepsOf.get(job);
      const needed = new Set((job.needs ?? []).map((n) => n.toLowerCase()));
      for (const [name, value] of Object.entries(job.outputs ?? {})) {
        if (carried.get(job.id.toLowerCase())?.has(name.toLowerCase())) continue;
        for (const expression of expressionTexts(value.value)) {
          const step = steps && stepOutputsRead(expression).find((id) => steps.has(id));
          const index = step === undefined ? undefined : steps?.get(step);
          let origin =
            index === undefined ? undefined : (job.steps[index]?.uses ?? job.steps[index]?.run)?.span;
          if (!origin) {
            const ref = jobOutputRefs(expression).find((r) => needed.has(r.job) && carried.has(r.job));
            const from = ref && carried.get(ref.job);
            origin =
              from && (ref.output === undefined ? [...from.values()][0] : from.get(ref.output))?.origin;
          }
          if (!origin) continue;
          add({ job: job.id, name, value, origin });
          added = true;
          break;
        }
      }
    }
    if (!added) break;
  }
  return carried;
}
