import { runsInJobs } from '../model/run-callers.js';
import { bypassOf, shellGrants } from '../model/run-powers.js';
import { writeAccess } from '../model/token.js';
import type { ClaudeRun, JobContext } from '../model/types.js';
import type { Rule, RuleFinding } from './types.js';

const CHECKOUT = /^actions\/checkout@/;

export const persistedCheckoutCredentials: Rule = {
  meta: {
    id: 'CG509',
    name: 'persisted-checkout-credentials',
    severity: 'medium',
    summary:
      '`actions/checkout` leaves a job token that can write in `.git/config` (no `persist-credentials: false`) in a ' +
      'job where Claude then runs with a shell grant or with permission checks skipped.',
    rationale:
      "`actions/checkout` writes the job token into the checkout's `.git/config` unless told " +
      '`persist-credentials: false`. A Claude that can run shell commands reads it with `git config` or `cat` and ' +
      'can push with it, to any branch the token may write — including the workflows themselves when the token ' +
      'has `contents: write`. A prompt injection in the files or the issue Claude reads is then enough to use it. ' +
      'The token in `.git/config` is also what a plain `git push` uses, so a shell grant scoped to git still ' +
      'reaches it. Claude started later in the job by a script or a local composite action ' +
      '(`run: ./scripts/fix.sh`, `uses: ./.github/actions/…`) counts the same.',
    fix:
      'Add `persist-credentials: false` to the checkout step; if Claude must push, give it a separate, narrowly ' +
      'scoped token through the step that pushes, not through `.git/config`.',
    bad: [
      {
        path: '.github/workflows/fix.yml',
        note: 'The checkout keeps the token; Claude then has a shell.',
        lines: [9],
        content: [
          'on: workflow_dispatch',
          'permissions:',
          '  contents: write',
          'jobs:',
          '  fix:',
          '    runs-on: ubuntu-latest',
          '    timeout-minutes: 20',
          '    steps:',
          '      - uses: actions/checkout@v4',
          '      - run: claude -p "fix the failing test" --allowedTools "Read,Edit,Bash(npm test:*),Bash(git:*)"',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.github/workflows/fix.yml',
        note: 'The token is not left behind.',
        content: [
          'on: workflow_dispatch',
          'permissions:',
          '  contents: write',
          'jobs:',
          '  fix:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: actions/checkout@v4',
          '        with:',
          '          persist-credentials: false',
          '      - run: claude -p "fix the failing test" --allowedTools "Read,Edit,Bash(npm test:*)"',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model) {
    const out: RuleFinding[] = [];
    // Runs in scripts and local composite actions too, each in the jobs whose steps run them.
    // By job, in one pass: a workflow can hold thousands of jobs.
    const byJob = new Map<JobContext, ClaudeRun[]>();
    for (const run of runsInJobs(model)) {
      const { job, step } = run.context;
      if (!job || !step) continue;
      const list = byJob.get(job);
      if (list) list.push(run);
      else byJob.set(job, [run]);
    }
    for (const workflow of model.workflows) {
      for (const job of workflow.jobs) {
        const runs = byJob.get(job);
        if (!runs) continue;
        // A token that can write nothing is little worth taking.
        const token = writeAccess(workflow, job);
        if (!token) continue;
        for (const step of job.steps) {
          if (!step.uses || !CHECKOUT.test(step.uses.value)) continue;
          if (step.with['persist-credentials']?.value.trim().toLowerCase() === 'false') continue;
          // A Claude run after the checkout, with a shell or with every check skipped.
          const later = runs.find(
            (r) =>
              (r.context.step?.index ?? -1) > step.index &&
              (shellGrants(model, r).length > 0 || bypassOf(model, r) !== undefined),
          );
          if (!later) continue;
          const grant = shellGrants(model, later)[0];
          const bypass = bypassOf(model, later);
          const power = bypass
            ? 'with permission checks skipped'
            : `with ${grant?.value.raw.trim() ?? 'a shell'}`;
          const related = [{ span: later.span, message: `Claude runs here, ${power}` }];
          if (grant) related.push({ span: grant.span, message: 'the shell grant' });
          else if (bypass) related.push({ span: bypass, message: 'permission checks skipped' });
          out.push({
            span: step.uses.span,
            message: `this checkout leaves ${token} in .git/config, and Claude runs later in job ${job.id} ${power}`,
            related,
            evidence: `${job.id}:${step.uses.value}`,
          });
        }
      }
    }
    return out;
  },
};
