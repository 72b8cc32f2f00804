import { escapeHatchOf } from '../model/escape-hatches.js';
import { allowedBy, deniedBy, grantsNothing } from '../model/grant-match.js';
import { grantsOf } from '../model/grants.js';
import { powersOf, riskRank, type Power } from '../model/powers.js';
import type { Grant, JobContext, Risk, ScanModel, ToolRule } from '../model/types.js';
import { compileGlob } from '../policy/glob.js';
import type { EnvironmentPolicy } from '../policy/policy.js';
import type { Rule, RuleFinding } from './types.js';

/** Text of the repository in a message, kept short. */
function short(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
}

/** The risk of a grant: its tool's, or that of a command it lets Claude run with any arguments (`sudo`). */
export function grantRisk(rule: ToolRule): Risk {
  const hatch = escapeHatchOf(rule)?.hatch.risk;
  return hatch && riskRank(hatch) > riskRank(rule.risk) ? hatch : rule.risk;
}

/** The environment a power applies in, and how it was placed there, in words. */
interface Placement {
  env: EnvironmentPolicy;
  how: string;
}

const jobKey = (path: string, job: string): string => `${path}\n${job}`;

/** Places powers in the policy's environments: by deployment environment, by path glob, else the default. */
class Placer {
  private readonly jobs = new Map<string, JobContext>();
  private readonly globs: { env: EnvironmentPolicy; glob: string; match: (path: string) => boolean }[] = [];
  private readonly fallback: EnvironmentPolicy | undefined;

  constructor(
    model: ScanModel,
    private readonly envs: readonly EnvironmentPolicy[],
  ) {
    for (const workflow of model.workflows)
      for (const job of workflow.jobs) this.jobs.set(jobKey(workflow.path, job.id), job);
    for (const run of model.runs) {
      const job = run.context.job;
      if (job && !this.jobs.has(jobKey(run.path, job.id))) this.jobs.set(jobKey(run.path, job.id), job);
    }
    for (const env of envs) {
      for (const glob of env.paths) {
        const compiled = compileGlob(glob);
        if (!('error' in compiled)) this.globs.push({ env, glob, match: compiled.match });
      }
    }
    this.fallback = envs.find((e) => e.default);
  }

  place(where: Power['where']): Placement | undefined {
    const job = where.job === undefined ? undefined : this.jobs.get(jobKey(where.path, where.job));
    const named = job?.environment?.value.trim();
    let aside = '';
    if (named !== undefined && where.job !== undefined) {
      const of = `of job ${short(where.job)}`;
      // `${{ … }}` (GitHub) or `$VAR` (GitLab): the environment is chosen when the workflow runs.
      if (named.includes('$')) aside = `; the deployment environment ${of} is an expression`;
      else {
        const wanted = named.toLowerCase(); // GitHub environment names are case-insensitive
        const env = this.envs.find((e) => e.workflowEnvironments.some((w) => w.toLowerCase() === wanted));
        if (env) return { env, how: `deployment environment "${short(named)}" ${of}` };
        aside = `; the deployment environment "${short(named)}" ${of} is in no environment of the policy`;
      }
    }
    const byPath = this.globs.find((g) => g.match(where.path));
    if (byPath) return { env: byPath.env, how: `path glob "${short(byPath.glob)}"${aside}` };
    if (this.fallback) return { env: this.fallback, how: `default${aside}` };
    return undefined;
  }
}

function finding(power: Power, message: string, evidence: string): RuleFinding {
  const job = power.where.job === undefined ? '' : `:job:${power.where.job}`;
  return { span: power.span, message, evidence: `${evidence}${job}` };
}

export const grantExceedsEnvironment: Rule = {
  meta: {
    id: 'CG105',
    name: 'grant-exceeds-environment',
    severity: 'high',
    summary:
      "A grant or permission mode is riskier than the policy's environment it runs in allows (`max-risk`), or is denied there.",
    rationale:
      'The Claude Code security guide asks for different profiles by environment: production view-only, ' +
      'staging view-only plus read-only queries, development edits and scoped commands. The policy names ' +
      'those environments, each with a max risk (read < write < execute < admin) and optional lists of grants ' +
      'allowed whatever their risk or never allowed. A run is placed in an environment by its job’s ' +
      'deployment environment (`environment: production` of a GitHub workflow job or a GitLab CI job, ' +
      'through `extends:` too), else by the first environment whose path globs ' +
      'match its file, else in the default one; a grant there above the max risk lets Claude change or run ' +
      'things the organisation decided it must only look at. Grants are classed by tool (`Read` read, `Edit` ' +
      'write, `Bash` and MCP tools execute) and by the command a shell grant lets Claude run with any ' +
      'arguments (`sudo`, `docker run`: admin); modes by what they approve (`acceptEdits` write, `auto` ' +
      'execute; bypass mode is CG101’s).',
    fix:
      'Grant only what the environment allows (read-only tools in production), move the work to a job in an ' +
      'environment meant for it, or list the grant under the environment’s `tools.allow` in the policy if it ' +
      'is safe there.',
    bad: [
      {
        path: '.github/workflows/deploy.yml',
        note: 'A job in the production deployment environment lets Claude edit files; production is read-only.',
        lines: [14],
        content: [
          'on: workflow_dispatch',
          'permissions: { contents: read }',
          'jobs:',
          '  deploy:',
          '    runs-on: ubuntu-latest',
          '    environment: production',
          '    timeout-minutes: 15',
          '    steps:',
          '      - uses: actions/checkout@v4',
          '        with: { persist-credentials: false }',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          claude_args: |',
          '            --allowedTools "Read,Grep,Edit"',
          '',
        ].join('\n'),
      },
      {
        path: 'ops/rollout.sh',
        note: 'Files under ops/ are in a write-only environment; the script lets Claude run kubectl apply.',
        policy: [
          'version: 1',
          'environments:',
          '  ops:',
          '    match: { paths: ["ops/**"] }',
          '    max-risk: write',
          '',
        ].join('\n'),
        lines: [2],
        content: [
          '#!/bin/sh',
          'claude -p "roll out the new image" --allowedTools "Read,Bash(kubectl apply:*)" --max-turns 5',
          '',
        ].join('\n'),
      },
      {
        path: '.claude/settings.json',
        note: 'Any command as root, in the default (development) environment, whose max risk is execute.',
        lines: [3],
        content: [
          '{',
          '  "permissions": {',
          '    "allow": ["Bash(npm test)", "Bash(sudo:*)"]',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.github/workflows/deploy.yml',
        note: 'A production job that only reads.',
        content: [
          'on: workflow_dispatch',
          'permissions: { contents: read }',
          'jobs:',
          '  deploy:',
          '    runs-on: ubuntu-latest',
          '    environment: { name: production, url: "https://example.com" }',
          '    timeout-minutes: 15',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          claude_args: |',
          '            --allowedTools "Read,Grep,Glob"',
          '',
        ].join('\n'),
      },
      {
        path: '.github/workflows/staging.yml',
        note: 'Staging is read-only but its allow list accepts kubectl get and logs.',
        content: [
          'on: workflow_dispatch',
          'permissions: { contents: read }',
          'jobs:',
          '  inspect:',
          '    runs-on: ubuntu-latest',
          '    environment: staging',
          '    timeout-minutes: 15',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          claude_args: |',
          '            --allowedTools "Read,Bash(kubectl get pods),Bash(kubectl logs:*)"',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model, ctx) {
    if (ctx.environments.length === 0) return [];
    const placer = new Placer(model, ctx.environments);
    const grants = new Map<ToolRule, Grant>(grantsOf(model).map((g) => [g.rule.value, g]));
    return powersOf(model).flatMap((power): RuleFinding[] => {
      if (power.direction !== 'widens' || power.risk === undefined) return [];
      let name: string;
      let risk: Risk;
      let rule: ToolRule | undefined;
      if (power.kind === 'grant' && power.rule) {
        rule = power.rule;
        if (grantsNothing(rule)) return [];
        const grant = grants.get(rule);
        // Settings given inline are named by how they were given (`--settings`, the action's settings input).
        const origin =
          grant?.settings?.scope === 'inline' || !grant
            ? `permissions.allow of ${power.via.join(', ') || 'inline settings'}`
            : grant.origin;
        name = `"${short(rule.raw)}" in ${origin}`;
        risk = grantRisk(rule);
      } else if (power.kind === 'mode' && power.value !== 'bypassPermissions') {
        name = `the ${short(power.value)} mode${power.via.length > 0 ? ` (${power.via.join(', ')})` : ''}`;
        risk = power.risk;
      } else return [];
      const placed = placer.place(power.where);
      if (!placed) return [];
      const { env, how } = placed;
      const where = `environment "${short(env.name)}" (placed by ${how})`;
      const id = rule
        ? `grant:${rule.specifier === undefined ? rule.canonical : `${rule.canonical}(${rule.specifier.trim()})`}`
        : `mode:${power.value}`;
      const denied = rule ? deniedBy(env.deny, rule) : undefined;
      if (denied !== undefined)
        return [
          finding(power, `${name} is denied in ${where} by "${short(denied)}"`, `${env.name}:deny:${id}`),
        ];
      if (riskRank(risk) <= riskRank(env.maxRisk)) return [];
      if (rule && allowedBy(env.allow, rule) !== undefined) return [];
      const list = rule && env.allow.length > 0 ? ', and no pattern of its allow list covers it' : '';
      return [
        finding(
          power,
          `${name} is ${risk}-class, above the max risk (${env.maxRisk}) of ${where}${list}`,
          `${env.name}:${id}`,
        ),
      ];
    });
  },
};
