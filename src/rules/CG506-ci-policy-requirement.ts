import { startsSession } from '../model/run-as.js';
import { runInJobs } from '../model/run-callers.js';
import type { Span } from '../model/span.js';
import type { ClaudeRun, ScanModel, SettingsDoc } from '../model/types.js';
import type { Rule, RuleFinding } from './types.js';

/** Spellings of one flag, each mapped to the one the policy is compared with. */
const ALIASES = new Map<string, string>([
  ['-p', '--print'],
  ['--allowed-tools', '--allowedTools'],
  ['--disallowed-tools', '--disallowedTools'],
  ['-c', '--continue'],
  ['-r', '--resume'],
  ['-d', '--debug'],
  ['-v', '--version'],
  ['-h', '--help'],
  ['-w', '--worktree'],
  ['--rc', '--remote-control'],
]);

/**
 * Inputs of the v0 and beta actions that became flags (v1 reads flags from `claude_args` only and ignores
 * them); a commit of unknown generation is taken at its word, as CG504 does.
 */
const LEGACY_INPUT_FLAGS = new Map<string, string>([
  ['max_turns', '--max-turns'],
  ['allowed_tools', '--allowedTools'],
  ['disallowed_tools', '--disallowedTools'],
  ['model', '--model'],
  ['fallback_model', '--fallback-model'],
  ['mcp_config', '--mcp-config'],
  ['system_prompt', '--system-prompt'],
  ['append_system_prompt', '--append-system-prompt'],
]);

const BYPASS = '--dangerously-skip-permissions';
const MODE = '--permission-mode';

/** A flag a run passes: its name as the policy is compared with, its values, where it is written. */
interface PassedFlag {
  name: string;
  values: { value: string; dynamic: boolean }[];
  span: Span;
  written: string;
}

/** A policy item: `--flag`, or `--flag=value` / `--flag value` for the flag with that value. */
interface FlagItem {
  item: string;
  name: string;
  value?: string;
}

function canonical(name: string): string {
  return ALIASES.get(name) ?? name;
}

function flagItem(item: string): FlagItem {
  const text = item.trim();
  const cut = text.search(/[=\s]/);
  const raw = cut > 0 ? text.slice(0, cut) : text;
  const name = canonical(raw.startsWith('-') ? raw : `--${raw}`);
  const value = cut > 0 ? text.slice(cut + 1).trim() : undefined;
  return value ? { item: text, name, value } : { item: text, name };
}

/** Text from the scanned file as a message quotes it, kept short. */
function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Every flag a run passes, bypass mode under both of its spellings, legacy action inputs as flags. */
function passedFlags(run: ClaudeRun): PassedFlag[] {
  const out: PassedFlag[] = [];
  for (const f of run.command?.flags ?? []) {
    const name = canonical(f.name);
    const values = f.values.map((v) => ({ value: v.value, dynamic: v.dynamic }));
    out.push({ name, values, span: f.span, written: f.name });
    // `--dangerously-skip-permissions` is `--permission-mode bypassPermissions`.
    if (name === BYPASS)
      out.push({
        name: MODE,
        values: [{ value: 'bypassPermissions', dynamic: false }],
        span: f.span,
        written: f.name,
      });
    if (name === MODE && values.some((v) => v.value === 'bypassPermissions'))
      out.push({ name: BYPASS, values: [], span: f.span, written: `${f.name} bypassPermissions` });
  }
  const action = run.action;
  if (action && action.generation !== 'v1') {
    for (const [input, flag] of LEGACY_INPUT_FLAGS) {
      const value = action.inputs[input];
      if (!value) continue;
      out.push({
        name: flag,
        values: [{ value: value.value, dynamic: value.value.includes('${{') }],
        span: value.span,
        written: `${input} (${flag})`,
      });
    }
  }
  return out;
}

/** The flags of a run that an item names: the flag, and when the item gives a value, with that value. */
function matching(flags: readonly PassedFlag[], item: FlagItem, forbid: boolean): PassedFlag[] {
  return flags.filter((f) => {
    if (f.name !== item.name) return false;
    if (item.value === undefined) return true;
    // A value only known when the run starts: it may be the one required, and is not taken as forbidden.
    return f.values.some((v) => v.value === item.value || (!forbid && v.dynamic));
  });
}

/**
 * The settings whose `env` a run's Claude receives besides the process environment: given inline, and the
 * repository's `.claude/settings.json` at the root, where a CI job runs Claude.
 */
function settingsOf(model: ScanModel, run: ClaudeRun): SettingsDoc[] {
  const own = [run.command?.inlineSettings, run.inlineSettings].filter(
    (d): d is SettingsDoc => d !== undefined,
  );
  return [...own, ...model.settings.filter((s) => s.path === '.claude/settings.json')];
}

/**
 * A `ci.require-env` item (`NAME` or `NAME=value`), as the name asked for and whether a value written
 * (`literal`: as written, not a secret, expression or variable) gives it: one that is not literal is not known
 * here, and may be the one asked for.
 */
function envItem(item: string): { name: string; fits: (value: string, literal: boolean) => boolean } {
  const eq = item.indexOf('=');
  const name = (eq > 0 ? item.slice(0, eq) : item).trim();
  const wanted = eq > 0 ? item.slice(eq + 1).trim() : undefined;
  return { name, fits: (value, literal) => wanted === undefined || !literal || value === wanted };
}

/** Whether a run is given a variable (`NAME`), or given it with a value (`NAME=value`). */
function hasEnv(model: ScanModel, run: ClaudeRun, item: string): boolean {
  const { name, fits } = envItem(item);
  if (run.env.some((e) => e.name === name && fits(e.value.value, e.origin === 'literal'))) return true;
  return settingsOf(model, run).some((doc) => {
    const value = Object.hasOwn(doc.env, name) ? doc.env[name] : undefined;
    return value !== undefined && fits(value.value, !/\$\{?[A-Za-z_]/.test(value.value));
  });
}

/**
 * Whether a run seen in a workflow job (itself, or a view of a script or composite action from the step that
 * runs it) gets variable `name` there: from its own env, the settings it loads, or the `env:` of the step, job
 * and workflow that run it — those of a caller are not in a script's or action's own env.
 */
function hasEnvInJob(model: ScanModel, view: ClaudeRun, item: string): boolean {
  if (hasEnv(model, view, item)) return true;
  const { name, fits } = envItem(item);
  const { step, job, workflow } = view.context;
  return [step?.env, job?.env, workflow?.env].some((env) => {
    const value = env && Object.hasOwn(env, name) ? env[name] : undefined;
    // A value written with an expression or a variable is only known when the job runs.
    return value !== undefined && fits(value.value.trim(), !value.value.includes('$'));
  });
}

/**
 * The CI runs judged, each with the views whose environment can be judged from the files: the run itself in
 * a workflow job; for a script or a composite action, the steps of workflow jobs that run it; none for a
 * GitLab job (its CI/CD variables are set in the project) or a composite action no workflow here uses.
 */
function ciRuns(model: ScanModel): { run: ClaudeRun; views: ClaudeRun[] }[] {
  const out: { run: ClaudeRun; views: ClaudeRun[] }[] = [];
  for (const run of model.runs) {
    if (!startsSession(run)) continue;
    const { surface, workflow, job } = run.context;
    if (surface === 'workflow' && workflow && job) out.push({ run, views: [run] });
    else if (surface === 'workflow' && workflow) out.push({ run, views: runInJobs(model, run) });
    else if (surface === 'gitlab-ci') out.push({ run, views: [] });
    else {
      // A script a workflow step runs: its command line is judged in the script, its environment in each job.
      const views = runInJobs(model, run);
      if (views.length > 0) out.push({ run, views });
    }
  }
  return out;
}

export const ciPolicyRequirement: Rule = {
  meta: {
    id: 'CG506',
    name: 'ci-policy-requirement',
    severity: 'high',
    summary:
      'A CI run of Claude without a flag policy `ci.require-flags` asks for, with a flag `ci.forbid-flags` ' +
      'refuses, or without a variable `ci.require-env` asks for.',
    rationale:
      'An organisation that runs Claude unattended in CI often has rules for every such run: a turn cap ' +
      '(`--max-turns`), a fixed output format, no `--debug` in public logs, credentials scrubbed from the ' +
      'commands Claude runs (`CLAUDE_CODE_SUBPROCESS_ENV_SCRUB=1`). This rule holds each CI run — a workflow ' +
      "step, a composite action's step, a GitLab job, a script a workflow step runs — to those lists. Flags " +
      "are read from the command line and from claude-code-action's `claude_args` (and from the v0 inputs " +
      'that were flags, such as `max_turns`, on the versions that honour them); `--max-turns=5` and ' +
      '`--max-turns 5` are the same, and so are the two spellings of a flag (`--allowedTools` and ' +
      '`--allowed-tools`, `-p` and `--print`). `--dangerously-skip-permissions` and `--permission-mode ' +
      'bypassPermissions` are one flag. An item may name a value (`--output-format=json`, ' +
      '`CLAUDE_CODE_SUBPROCESS_ENV_SCRUB=1`); a value only known when the job runs (a secret, an expression) ' +
      "counts as given. Variables count from the step's, the job's and the workflow's `env:`, the command " +
      'line, and the `env` of the settings Claude loads; a script or a composite action is held to ' +
      '`ci.require-env` in each workflow job that runs it, with the `env:` of the step, job and workflow that ' +
      'run it. GitLab jobs are not held to it, because the project settings (GitLab CI/CD variables) can set ' +
      'variables the file does not show, nor is a composite action no workflow of the repository uses. The ' +
      'built-in policy asks for nothing.',
    fix:
      'Add the flag (in `claude_args` for the action) or the variable (in the `env:` of the step, job or ' +
      'workflow), or remove the forbidden flag.',
    bad: [
      {
        path: '.github/workflows/claude.yml',
        note: 'No turn cap, no scrubbing of credentials, and --debug.',
        lines: [9, 14, 14, 15],
        policy: [
          'version: 1',
          'ci:',
          '  require-flags: ["--max-turns"]',
          '  forbid-flags: ["--debug"]',
          '  require-env: ["CLAUDE_CODE_SUBPROCESS_ENV_SCRUB=1"]',
          '',
        ].join('\n'),
        content: [
          'on: pull_request',
          'permissions: { contents: read }',
          'jobs:',
          '  review:',
          '    runs-on: ubuntu-latest',
          '    timeout-minutes: 15',
          '    steps:',
          '      - uses: actions/checkout@v4',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          prompt: Review this pull request',
          '          claude_args: --max-turns 8',
          '      - run: >',
          '          claude -p "Summarise the change"',
          '          --debug',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.github/workflows/claude.yml',
        note: 'The cap in claude_args and on the command line, the variable in the job env.',
        policy: [
          'version: 1',
          'ci:',
          '  require-flags: ["--max-turns"]',
          '  forbid-flags: ["--debug"]',
          '  require-env: ["CLAUDE_CODE_SUBPROCESS_ENV_SCRUB=1"]',
          '',
        ].join('\n'),
        content: [
          'on: pull_request',
          'permissions: { contents: read }',
          'jobs:',
          '  review:',
          '    runs-on: ubuntu-latest',
          '    timeout-minutes: 15',
          '    env:',
          '      CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: "1"',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          prompt: Review this pull request',
          '          claude_args: --max-turns=8',
          '      - run: claude -p "Summarise the change" --max-turns 4',
          '',
        ].join('\n'),
      },
      {
        path: '.github/workflows/claude.yml',
        note: 'Any run, under a policy that asks for nothing (the built-in one).',
        content: [
          'on: pull_request',
          'permissions: { contents: read }',
          'jobs:',
          '  review:',
          '    runs-on: ubuntu-latest',
          '    timeout-minutes: 15',
          '    steps:',
          '      - run: claude -p "Summarise the change" --debug',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model, ctx) {
    const { requireFlags, forbidFlags, requireEnv } = ctx.ci;
    if (requireFlags.length + forbidFlags.length + requireEnv.length === 0) return [];
    const required = requireFlags.map(flagItem);
    const forbidden = forbidFlags.map(flagItem);
    const findings: RuleFinding[] = [];
    for (const { run, views } of ciRuns(model)) {
      const flags = passedFlags(run);
      const where = `${run.context.surface}:${run.context.job?.id ?? ''}`;
      const inArgs = run.kind === 'action' ? ' (in claude_args)' : '';
      for (const item of required) {
        if (matching(flags, item, false).length > 0) continue;
        findings.push({
          span: run.span,
          message: `Claude runs in CI without ${clip(item.item)}${inArgs}, which policy ci.require-flags requires`,
          evidence: `ci.require-flags:${item.item}:${where}`,
        });
      }
      for (const item of forbidden) {
        for (const f of matching(flags, item, true)) {
          findings.push({
            span: f.span,
            message: `Claude runs in CI with ${clip(f.written)}, which policy ci.forbid-flags forbids (${clip(item.item)})`,
            evidence: `ci.forbid-flags:${item.item}:${where}`,
          });
        }
      }
      for (const item of requireEnv) {
        const without = views.find((view) => !hasEnvInJob(model, view, item));
        if (!without) continue;
        const { workflow, job } = without.context;
        const caller =
          without === run || !workflow || !job
            ? ''
            : ` when job ${clip(job.id)} of ${clip(workflow.path)} runs it`;
        findings.push({
          span: run.span,
          message: `Claude runs in CI without ${clip(item.trim())} in its environment (the step's, job's or workflow's env:)${caller}, which policy ci.require-env requires`,
          evidence: `ci.require-env:${item.trim()}:${where}`,
        });
      }
    }
    return findings;
  },
};
