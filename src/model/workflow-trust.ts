import type { Located, Span } from './span.js';
import { bypassOf, runGrants } from './run-powers.js';
import { isUnscopedShell } from './tool-rule.js';
import type {
  ClaudeRun,
  JobContext,
  ScanModel,
  WorkflowContext,
  WorkflowStep,
  WorkflowTrigger,
} from './types.js';
import {
  type EventFacts,
  type PayloadRoot,
  rootsOfText,
  textInEvent,
  triggerTypes,
  UNTRUSTED_EVENTS,
} from './untrusted-events.js';
import {
  type HeadCheckout,
  headCheckoutOf,
  expressionsOfArg,
  type TextSource,
  textSourcesOf,
} from './untrusted-input.js';
import {
  conditionHolds,
  failingNeededJob,
  failsBefore,
  type PermissionChecks,
  permissionChecks,
  type Scenario,
} from './workflow-gates.js';

/**
 * Who can reach a Claude run of a workflow, and what they get: the events an outsider can cause, the `if:`
 * gates and the action's own check that keep them out, the text and code of theirs that reach Claude, and
 * what the run holds (a token that can write, secrets, bypass mode, an unscoped shell). The chain CG501
 * reports, one link at a time.
 */

export interface TokenPermissions {
  /** `write`: some scope is written `write` (or `write-all`); `default`: no `permissions:` anywhere. */
  level: 'write' | 'read' | 'none' | 'default' | 'unknown';
  /** The scopes given `write`, `all` for `write-all`. */
  writes: string[];
  /** The `permissions:` that applies (the job's, else the workflow's). */
  span?: Span;
}

export function tokenPermissionsOf(workflow: WorkflowContext, job: JobContext | undefined): TokenPermissions {
  const given = job?.permissions ?? workflow.permissions;
  const scopes = job?.permissions ? job.permissionScopes : workflow.permissionScopes;
  if (!given) return { level: 'default', writes: [] };
  const value = given.value;
  if (typeof value === 'string') {
    const v = value.trim();
    if (v === 'write-all') return { level: 'write', writes: ['all'], span: given.span };
    if (v === 'read-all') return { level: 'read', writes: [], span: given.span };
    return { level: 'unknown', writes: [], span: given.span };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { level: 'unknown', writes: [], span: given.span };
  const entries = Object.entries(value as Record<string, unknown>);
  // `id-token: write` only lets the job ask for an OIDC token.
  const writes = entries.filter(([k, v]) => v === 'write' && k !== 'id-token').map(([k]) => k);
  // Pointed at the first scope that can write, where the reader located it.
  const first = writes.map((w) => scopes?.[w]).find((x) => x !== undefined);
  if (writes.length > 0) return { level: 'write', writes, span: first?.span ?? given.span };
  return { level: entries.some(([, v]) => v === 'read') ? 'read' : 'none', writes: [], span: given.span };
}

/** A secret the run holds, other than the job's own token. */
export interface HeldSecret {
  name: string;
  span: Span;
  /** Where it is given: `env ANTHROPIC_API_KEY`, `the anthropic_api_key input`. */
  via: string;
}

const OWN_TOKEN = /^secrets\.github_token$/i;

export function secretsOf(run: ClaudeRun): HeldSecret[] {
  const out: HeldSecret[] = [];
  const seen = new Set<string>();
  const add = (expression: string, span: Span, via: string): void => {
    const m =
      /^secrets\.([A-Za-z_][A-Za-z0-9_]*)$/i.exec(expression) ??
      /\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)/i.exec(expression);
    if (!m || OWN_TOKEN.test(`secrets.${m[1]}`)) return;
    const key = `${span.line}:${span.column}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ name: m[1] as string, span, via });
  };
  for (const e of run.env) {
    if (e.origin !== 'secret') continue;
    for (const x of expressionsOfArg(e.value)) add(x.expression, x.span, `env ${e.name}`);
  }
  const step = run.context.step;
  for (const x of step?.expressions ?? []) {
    if (run.kind === 'action' && x.in.startsWith('with.'))
      add(x.expression, x.span, `the ${x.in.slice(5)} input`);
    // A script the step runs gets the step's env.
    if (run.kind === 'cli' && x.in.startsWith('env.') && step && run.path !== step.span.path)
      add(x.expression, x.span, `env ${x.in.slice(4)} of the step that runs ${run.path}`);
  }
  return out;
}

/** What lets Claude do anything: bypass mode, or a shell without a scope. */
export interface HeldGrant {
  span: Span;
  kind: 'bypass' | 'shell';
  what: string;
}

/** Bypass mode and unscoped shell grants the run holds (its own, inline settings, the project's settings). */
export function wideGrantsOf(model: ScanModel, run: ClaudeRun): HeldGrant[] {
  const out: HeldGrant[] = [];
  const bypass = bypassOf(model, run);
  if (bypass) out.push({ span: bypass, kind: 'bypass', what: 'bypass mode' });
  for (const rule of runGrants(model, run)) {
    if (isUnscopedShell(rule.value))
      out.push({ span: rule.span, kind: 'shell', what: `an unscoped shell (${rule.value.raw.trim()})` });
  }
  return out;
}

/** How an outsider reaches the run through one trigger. */
export interface ReachingEvent {
  trigger: WorkflowTrigger;
  /** The activity types it fires on. */
  types: string[];
  /** `actor`: the outsider starts it; `content`: someone trusted starts it on the outsider's text or code. */
  as: 'actor' | 'content';
  /** For `content`: what the outsider wrote. */
  roots: PayloadRoot[];
}

/** What lets an outsider start the run: a gate that is missing, or an input of the action that opens it. */
export interface Opening {
  span: Span;
  kind: 'no-gate' | 'weak-gate' | 'allowed-non-write-users' | 'allowed-bots' | 'unchecked-workflow-run';
  /** The value of the input that opens it, for the action's inputs; the condition, for a weak gate. */
  value?: string;
  /** The job the gate belongs on, and the workflow that calls this one when that job is there. */
  job?: { id: string; callerPath?: string };
}

export interface UntrustedReach {
  events: ReachingEvent[];
  /** Present when an outsider can start it themselves. */
  opening?: Opening;
  texts: TextSource[];
  checkout?: HeadCheckout;
  /**
   * Why fewer people than anyone can start it: the action's `allowed_non_write_users` names users, or is
   * given without the `github_token` input it needs to apply.
   */
  limited?: 'named-users' | 'no-github-token';
  /** Workflows whose jobs call this one (a reusable workflow) and through which it is reached. */
  callers: { workflow: WorkflowContext; job: JobContext }[];
}

const CODE_EVENTS = new Set(['pull_request_target', 'workflow_run']);

/**
 * Whether claude-code-action at a ref is at least a release: a floating `v1`, `main` or a commit SHA are taken
 * as recent; `beta` and `v0…` as the old line.
 */
function actionAtLeast(ref: string, release: [number, number, number]): boolean {
  if (/^[0-9a-f]{40}$/i.test(ref) || ref === 'main' || ref === 'v1') return true;
  const m = /^v(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(ref);
  if (!m) return ref !== 'beta' && !ref.startsWith('v0');
  const have = [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
  for (const [i, want] of release.entries()) {
    const got = have[i] as number;
    if (got !== want) return got > want;
  }
  return true;
}

/**
 * Events claude-code-action refuses ("Unsupported event type"): discussions always, `pull_request_target`
 * before v1.0.9, `workflow_run` before v1.0.0.
 */
function actionRefuses(ref: string, event: string): boolean {
  if (event === 'discussion' || event === 'discussion_comment') return true;
  if (event === 'pull_request_target') return !actionAtLeast(ref, [1, 0, 9]);
  if (event === 'workflow_run') return !actionAtLeast(ref, [1, 0, 0]);
  return false;
}

/** One way into a run: its own workflow's triggers, or those of a workflow whose job calls it. */
interface Entry {
  triggers: WorkflowTrigger[];
  /** `if:` conditions that all must hold: the calling job's, the job's, the step's. */
  conditions: Located<string>[];
  checks: PermissionChecks;
  /** An earlier step fails the job for an outsider. */
  failing: boolean;
  /** Where a gate would go. */
  jobSpan: Span;
  job: { id: string; callerPath?: string };
  caller?: { workflow: WorkflowContext; job: JobContext };
}

function entriesOf(
  model: ScanModel,
  workflow: WorkflowContext,
  job: JobContext,
  step: WorkflowStep,
): Entry[] {
  const untrusted = (on: WorkflowTrigger[]): WorkflowTrigger[] =>
    on.filter((t) => UNTRUSTED_EVENTS.has(t.event.value));
  const own = [job.if, step.if].filter((c): c is Located<string> => c !== undefined);
  const failing = failsBefore(job, step.index) || failingNeededJob(workflow, job) !== undefined;
  const out: Entry[] = [];
  const triggers = untrusted(workflow.on);
  if (triggers.length > 0) {
    out.push({
      triggers,
      conditions: own,
      checks: permissionChecks(workflow, job),
      failing,
      jobSpan: job.span,
      job: { id: job.id },
    });
  }
  // A reusable workflow runs with the event of the workflow that calls it (`uses: ./.github/workflows/x.yml`).
  if (!workflow.on.some((t) => t.event.value === 'workflow_call')) return out;
  for (const caller of model.workflows) {
    const callerTriggers = untrusted(caller.on);
    if (caller === workflow || callerTriggers.length === 0) continue;
    for (const callerJob of caller.jobs) {
      const target = callerJob.uses?.value.replace(/^\.\//, '').replace(/@.*$/, '');
      if (target !== workflow.path) continue;
      out.push({
        triggers: callerTriggers,
        conditions: [...(callerJob.if ? [callerJob.if] : []), ...own],
        checks: permissionChecks(caller, callerJob),
        failing: failing || failingNeededJob(caller, callerJob) !== undefined,
        jobSpan: callerJob.span,
        job: { id: callerJob.id, callerPath: caller.path },
        caller: { workflow: caller, job: callerJob },
      });
    }
  }
  return out;
}

/**
 * Whether, and how, people outside the repository reach a Claude run of a workflow (directly, or through a
 * workflow that calls it); `undefined` when they do not (no such trigger, a gate keeps them out, or
 * claude-code-action's own check of the actor does).
 */
export function untrustedReachOf(model: ScanModel, run: ClaudeRun): UntrustedReach | undefined {
  const { workflow, job, step } = run.context;
  if (run.context.surface !== 'workflow' || !workflow || !job || !step) return undefined;
  const entries = entriesOf(model, workflow, job, step);
  if (entries.length === 0) return undefined;
  const sources = textSourcesOf(run);
  const checkout = headCheckoutOf(run);
  const action =
    run.kind === 'action' && run.action?.action === 'claude-code-action' ? run.action : undefined;
  const nonWrite = action?.inputs.allowed_non_write_users;
  const bots = action?.inputs.allowed_bots;
  const opener: Opening | undefined =
    nonWrite && nonWrite.value.trim() !== ''
      ? { span: nonWrite.span, kind: 'allowed-non-write-users', value: nonWrite.value.trim() }
      : bots?.value.trim() === '*'
        ? { span: bots.span, kind: 'allowed-bots', value: '*' }
        : undefined;

  const reach: UntrustedReach = { events: [], texts: [], callers: [] };
  const seen = new Set<TextSource>();
  const addTexts = (list: TextSource[]): void => {
    for (const t of list) {
      if (seen.has(t)) continue;
      seen.add(t);
      reach.texts.push(t);
    }
  };
  const reached = (entry: Entry): void => {
    if (entry.caller && !reach.callers.includes(entry.caller)) reach.callers.push(entry.caller);
  };
  let actorEntry: Entry | undefined;
  let actionUnchecked = false;
  for (const entry of entries) {
    const passes = (scenario: Scenario): boolean =>
      entry.conditions.every((c) => conditionHolds(c.value, scenario, entry.checks) !== false);
    for (const trigger of entry.triggers) {
      const event = trigger.event.value;
      const facts = UNTRUSTED_EVENTS.get(event) as EventFacts;
      if (action && actionRefuses(action.ref, event)) continue;
      const types = triggerTypes(trigger);
      const checked =
        action !== undefined && (event !== 'workflow_run' || actionAtLeast(action.ref, [1, 0, 185]));
      const asActor = types.filter((t) => facts.byOutsider.includes(t));
      if (asActor.length > 0 && (!checked || opener)) {
        const scenario: Scenario = {
          event,
          types: new Set(asActor),
          outsiders: new Set(['actor', facts.own]),
          fromFork: CODE_EVENTS.has(event),
        };
        if (!entry.failing && passes(scenario)) {
          actorEntry ??= entry;
          if (action && !checked) actionUnchecked = true;
          reach.events.push({ trigger, types: asActor, as: 'actor', roots: [] });
          addTexts(sources.filter((s) => s.texts.some((t) => textInEvent(t, event))));
          if (checkout && CODE_EVENTS.has(event)) reach.checkout = checkout;
          reached(entry);
          continue;
        }
      }
      for (const other of facts.others) {
        const when =
          other.types === 'any' ? types : types.filter((t) => (other.types as string[]).includes(t));
        if (when.length === 0) continue;
        const texts = sources.filter((s) => s.texts.some((t) => rootsOfText(t, event).includes(other.root)));
        const code =
          checkout && other.root === 'pull_request' && event === 'pull_request_target' ? checkout : undefined;
        if (texts.length === 0 && !code) continue;
        const scenario: Scenario = {
          event,
          types: new Set(when),
          outsiders: new Set([other.root]),
          fromFork: other.root === 'pull_request',
        };
        if (!passes(scenario)) continue;
        const known = reach.events.find((e) => e.trigger === trigger);
        if (!known) reach.events.push({ trigger, types: when, as: 'content', roots: [other.root] });
        else if (known.as === 'content' && !known.roots.includes(other.root)) known.roots.push(other.root);
        addTexts(texts);
        if (code) reach.checkout = code;
        reached(entry);
      }
    }
  }
  if (reach.events.length === 0) return undefined;
  if (actorEntry) {
    if (action && opener) reach.opening = opener;
    else if (action && actionUnchecked)
      reach.opening = { span: action.uses.span, kind: 'unchecked-workflow-run', value: action.ref };
    else {
      const gate = actorEntry.conditions[0];
      reach.opening = gate
        ? { span: gate.span, kind: 'weak-gate', value: gate.value, job: actorEntry.job }
        : { span: actorEntry.jobSpan, kind: 'no-gate', job: actorEntry.job };
    }
    if (reach.opening.kind === 'allowed-non-write-users' && action) {
      const onlyThis = reach.events.every((e) => e.as === 'actor');
      if (!action.inputs.github_token && onlyThis) reach.limited = 'no-github-token';
      else if (reach.opening.value !== '*' && onlyThis) reach.limited = 'named-users';
    }
  }
  reach.texts.sort((a, b) => a.span.line - b.span.line || a.span.column - b.span.column);
  return reach;
}
