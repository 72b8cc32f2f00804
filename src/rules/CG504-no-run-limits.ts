import { runInJobs } from '../model/run-callers.js';
import type { ClaudeRun } from '../model/types.js';
import type { Rule } from './types.js';

/** Flags that end a print-mode run: after so many turns, or once it has spent so much. */
const LIMIT_FLAGS = new Set(['--max-turns', '--max-budget-usd']);
/** Inputs of the v0/beta actions that limited a run; v1 ignores them. */
const LEGACY_LIMITS = ['max_turns', 'timeout_minutes'];

/** Text from the scanned file as a message quotes it: long text cut short. */
function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** True when something bounds how long or how far the run may go. */
function isLimited(run: ClaudeRun): boolean {
  const { context, action } = run;
  if (run.command?.flags.some((f) => LIMIT_FLAGS.has(f.name))) return true;
  if (context.step?.timeoutMinutes || context.job?.timeoutMinutes || context.job?.timeoutExpression)
    return true;
  if (context.timeout) return true;
  if (run.wrappers.some((w) => w.value === 'timeout')) return true;
  if (action) {
    // v0 and beta of both actions stop Claude after `timeout_minutes`, 30 (claude-code-action) or 10
    // (base action) when not given.
    if (action.generation === 'v0') return true;
    // A commit may be of either generation: its legacy limits are taken at their word.
    if (action.generation === 'unknown' && LEGACY_LIMITS.some((k) => action.inputs[k])) return true;
  }
  return false;
}

export const noRunLimits: Rule = {
  meta: {
    id: 'CG504',
    name: 'no-run-limits',
    severity: 'low',
    summary:
      'Claude runs in CI with nothing to stop it: no `--max-turns` or `--max-budget-usd`, no job or step `timeout-minutes`, no GitLab `timeout:`, no `timeout` wrapper.',
    rationale:
      'An unattended run goes on until the model decides it is done. A loop — a test that never passes, a ' +
      'tool that keeps failing, a prompt injection that sets it busy — spends API money on every turn and ' +
      "holds the runner until the platform's own limit (six hours for a GitHub job), with the job's token " +
      'and secrets in reach all the while. A turn or budget cap ends the session; a job or step timeout ends ' +
      'the process. Inputs claude-code-action v1 ignores (`max_turns`, `timeout_minutes` on `@v1`) limit ' +
      'nothing and do not count. Only CI runs are judged: a script run by hand has someone watching. A local ' +
      'composite action is judged in each job that uses it (`uses: ./.github/actions/…`), with that job and ' +
      "step's timeouts; it is reported at its Claude when one of them sets none.",
    fix:
      'Cap the session (`--max-turns 10`, `--max-budget-usd 5`, in `claude_args` for the action) or the job ' +
      '(`timeout-minutes: 15` on the job or step; `timeout: 15m` in GitLab; `timeout 15m claude …`).',
    bad: [
      {
        path: '.github/workflows/claude.yml',
        note: 'A v1 action with the legacy max_turns (ignored) and no timeout.',
        lines: [8],
        content: [
          'on: issue_comment',
          'permissions: { contents: read, issues: write }',
          'jobs:',
          '  claude:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: actions/checkout@v4',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          max_turns: 10',
          '',
        ].join('\n'),
      },
      {
        path: '.gitlab-ci.yml',
        note: 'A GitLab job that runs Claude with no timeout and no cap.',
        lines: [4],
        content: [
          'review:',
          '  image: node:22',
          '  script:',
          '    - claude -p "Review the merge request" --allowedTools Read',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.github/workflows/claude.yml',
        note: 'A turn cap in claude_args and a job timeout.',
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
          '          claude_args: --max-turns 10',
          '',
        ].join('\n'),
      },
      {
        path: '.gitlab-ci.yml',
        note: 'A job timeout, and a timeout wrapper around the command.',
        content: [
          'review:',
          '  timeout: 20m',
          '  script:',
          '    - claude -p "Review the merge request"',
          'triage:',
          '  script:',
          '    - timeout 10m claude -p "Label the issue"',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model) {
    return model.runs.flatMap((found) => {
      // CI only. A local composite action's steps are bounded by the jobs that use it: it is reported, at its
      // Claude, when a job runs it without a limit.
      const run =
        found.context.surface === 'workflow' && !found.context.job
          ? runInJobs(model, found).find((view) => !isLimited(view))
          : found;
      if (!run) return [];
      const { surface, job } = run.context;
      if (surface !== 'workflow' && surface !== 'gitlab-ci') return [];
      if (surface === 'workflow' && !job) return [];
      if (isLimited(run)) return [];
      const ignored =
        run.action?.generation === 'v1' ? LEGACY_LIMITS.filter((k) => run.action?.inputs[k]) : [];
      const note =
        ignored.length > 0
          ? ` (${ignored.join(' and ')} ${ignored.length > 1 ? 'are' : 'is'} ignored on @${clip(run.action?.ref ?? '')})`
          : '';
      const how =
        surface === 'gitlab-ci'
          ? '--max-turns or --max-budget-usd, a timeout: on the job, or a timeout wrapper'
          : run.kind === 'action'
            ? '--max-turns or --max-budget-usd in claude_args, or timeout-minutes on the job or step'
            : '--max-turns or --max-budget-usd, timeout-minutes on the job or step, or a timeout wrapper';
      return [
        {
          span: run.span,
          message: `Claude runs in CI with no limit on turns, spend or time${note}: add ${how}`,
          evidence: `${surface}:${job?.id ?? ''}:${run.program?.value ?? run.action?.action ?? ''}`,
        },
      ];
    });
  },
};
