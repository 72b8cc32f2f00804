import { runsInJobs } from '../model/run-callers.js';
import type { Span } from '../model/span.js';
import type { ClaudeRun, JobContext, WorkflowContext } from '../model/types.js';
import type { Rule, RuleFinding } from './types.js';

/** Text from the scanned file as a message quotes it: long text cut short. */
function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** What the token a job's Claude runs with needs, by what runs it. */
function needs(runs: ClaudeRun[]): string {
  const commenting = runs.some((r) => r.action?.action === 'claude-code-action');
  return commenting
    ? 'claude-code-action needs contents: read, and pull-requests: write and issues: write to comment ' +
        '(contents: write only when it pushes a branch)'
    : 'Claude needs contents: read to read the checkout, and a write scope only for what the job posts ' +
        '(pull-requests: write or issues: write to comment)';
}

/** A `permissions:` value that grants every scope write access. */
function isWriteAll(value: unknown): boolean {
  return typeof value === 'string' && value.trim() === 'write-all';
}

interface Exposure {
  span: Span;
  kind: 'write-all' | 'missing';
  /** `workflow` when the workflow-level value reaches the jobs. */
  level: 'job' | 'workflow';
  workflow: WorkflowContext;
  jobs: JobContext[];
  runs: ClaudeRun[];
}

export const excessiveTokenPermissions: Rule = {
  meta: {
    id: 'CG502',
    name: 'excessive-token-permissions',
    severity: 'medium',
    summary:
      'A workflow job that runs Claude gets `permissions: write-all`, or no `permissions:` at job or workflow level, so its token may write to everything.',
    rationale:
      "The job's `GITHUB_TOKEN` is within Claude's reach: in the environment of the action, in `.git/config` " +
      'after a checkout, to any tool that runs `gh` or `git push`. Whatever steers the model — a prompt ' +
      'injection in an issue, a pull request or a file it reads — can use every scope that token holds. ' +
      '`write-all` gives it write access to the code, releases, packages, issues, pull requests and more; with no ' +
      "`permissions:` block the job gets the repository's default, which is write on every scope in " +
      'repositories and organisations that keep the permissive setting. A job-level `permissions:` replaces ' +
      "the workflow's, so the job's own block is the one judged. A shell script or a local composite action " +
      '(`uses: ./.github/actions/…`) that starts Claude runs with the token of the job whose step runs it: ' +
      'that job is reported.',
    fix:
      'Declare the least the job needs, on the job: `permissions: { contents: read }`, plus ' +
      '`pull-requests: write` / `issues: write` when Claude comments (claude-code-action), `id-token: write` ' +
      'when it signs in through OIDC.',
    bad: [
      {
        path: '.github/workflows/claude.yml',
        note: 'The token may write to everything the repository holds.',
        lines: [2],
        content: [
          'on: issue_comment',
          'permissions: write-all',
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
      {
        path: '.github/workflows/review.yml',
        note: "No permissions anywhere: the job gets the repository's default token.",
        lines: [3],
        content: [
          'on: pull_request',
          'jobs:',
          '  review:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - run: claude -p "Review this change" --max-turns 5',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.github/workflows/claude.yml',
        note: 'The job declares what it uses; its block replaces the workflow-level write-all.',
        content: [
          'on: issue_comment',
          'permissions: write-all',
          'jobs:',
          '  claude:',
          '    runs-on: ubuntu-latest',
          '    permissions:',
          '      contents: read',
          '      pull-requests: write',
          '      issues: write',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model) {
    const exposures = new Map<string, Exposure>();
    // A script or a local composite action runs with the token of the job whose step runs it: each is judged
    // in that job. GitLab has no such token: only workflow jobs.
    for (const run of runsInJobs(model)) {
      const { workflow, job } = run.context;
      if (run.context.surface !== 'workflow' || !workflow || !job) continue;
      let exposure: Omit<Exposure, 'jobs' | 'runs'> | undefined;
      if (job.permissions) {
        if (isWriteAll(job.permissions.value))
          exposure = { span: job.permissions.span, kind: 'write-all', level: 'job', workflow };
      } else if (workflow.permissions) {
        if (isWriteAll(workflow.permissions.value))
          exposure = { span: workflow.permissions.span, kind: 'write-all', level: 'workflow', workflow };
      } else exposure = { span: job.span, kind: 'missing', level: 'job', workflow };
      if (!exposure) continue;
      const s = exposure.span;
      const key = `${s.path}\0${s.line}\0${s.column}`;
      const found = exposures.get(key) ?? { ...exposure, jobs: [], runs: [] };
      exposures.set(key, found);
      if (!found.jobs.includes(job)) found.jobs.push(job);
      found.runs.push(run);
    }
    return [...exposures.values()].map((e): RuleFinding => {
      const names = e.jobs.map((j) => `"${clip(j.id)}"`).join(', ');
      const jobWords = `job${e.jobs.length > 1 ? 's' : ''} ${names}`;
      const gets =
        e.kind === 'write-all'
          ? `${e.level === 'workflow' ? "the workflow's" : 'its'} permissions: write-all gives the token write access to every scope`
          : "it declares no permissions, at job or workflow level, so the token has the repository's default, write on every scope unless the repository or organisation restricts it";
      return {
        span: e.span,
        message: `Claude runs in ${jobWords} and ${gets}; ${needs(e.runs)}`,
        evidence: `${e.kind}:${e.level}:${e.jobs.map((j) => j.id).join(',')}`,
      };
    });
  },
};
