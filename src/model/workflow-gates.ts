import { conditionText, type Expression, parseExpression } from '../syntax/actions-expression.js';
import type { JobContext, WorkflowContext, WorkflowStep } from './types.js';
import { type PayloadRoot, TEXT_ROOTS, UNTRUSTED_EVENTS } from './untrusted-events.js';

/**
 * Reading a workflow's `if:` under an attack: whether a condition can hold when an outsider is the actor, or
 * wrote the issue, comment or pull request it is about. A condition keeps them out only when it is false for
 * every outsider (an association, an actor list, a same-repository check, a permission check's result).
 */

/** Who an outsider is in one way of attacking a run. */
export interface Scenario {
  event: string;
  /** The activity types it happens under. */
  types: ReadonlySet<string>;
  /** The parties an outsider plays: `actor`, and the payload objects they wrote. */
  outsiders: ReadonlySet<'actor' | PayloadRoot>;
  /** The pull request (or the upstream run's head) comes from a fork. */
  fromFork: boolean;
}

type Tri = boolean | undefined;

/** Association values an outsider can have; `OWNER`, `MEMBER` and `COLLABORATOR` are the trusted ones. */
const OUTSIDER_ASSOCIATIONS = ['NONE', 'FIRST_TIMER', 'FIRST_TIME_CONTRIBUTOR', 'CONTRIBUTOR', 'MANNEQUIN'];

/** What a part of a condition stands for under a scenario. */
type Value =
  | { t: 'bool'; v: Tri }
  | { t: 'literal'; v: string | number | boolean | null }
  | { t: 'list'; items: (string | number | boolean | null)[] }
  /** An outsider's `author_association`: one of these. */
  | { t: 'association'; values: string[] }
  /** An outsider's login: not a name the workflow writes, nor the repository owner. */
  | { t: 'login' }
  /** A fork's name or id: not this repository's. */
  | { t: 'fork' }
  | { t: 'this-repo' }
  /** `github.event.action`: one of the scenario's types. */
  | { t: 'action'; types: string[] }
  /** What a step that checks the actor's permission gave: an outsider does not pass it. */
  | { t: 'permission-check' }
  /**
   * A repository or organisation variable (`vars.*`), or the list `fromJSON` reads from one: only admins set
   * them, so the logins and associations it holds are ones an admin chose to trust.
   */
  | { t: 'admin-set'; list: boolean }
  | { t: 'unknown' };

const UNKNOWN: Value = { t: 'unknown' };

function not(v: Tri): Tri {
  return v === undefined ? undefined : !v;
}

function truthy(v: Value): Tri {
  switch (v.t) {
    case 'bool':
      return v.v;
    case 'literal':
      return v.v !== '' && v.v !== 0 && v.v !== null && v.v !== false;
    case 'permission-check':
      return false;
    case 'unknown':
      return undefined;
    default:
      return true;
  }
}

const upper = (x: string | number | boolean | null): string => String(x).toUpperCase();

function equals(x: Value, y: Value): Tri {
  if (x.t === 'permission-check' || y.t === 'permission-check') return false;
  // A literal, or else this repository, on the left.
  const swap = y.t === 'literal' || (x.t !== 'literal' && y.t === 'this-repo');
  const [a, b] = swap ? [y, x] : [x, y];
  if (a.t === 'literal' && b.t === 'literal') {
    return typeof a.v === 'string' && typeof b.v === 'string' ? upper(a.v) === upper(b.v) : a.v === b.v;
  }
  if (a.t === 'literal') {
    switch (b.t) {
      case 'association':
        return b.values.includes(upper(a.v)) ? (b.values.length === 1 ? true : undefined) : false;
      case 'login':
      case 'fork':
        return false;
      case 'action':
        return b.types.includes(String(a.v)) ? (b.types.length === 1 ? true : undefined) : false;
      case 'bool':
        return b.v === undefined || typeof a.v !== 'boolean' ? undefined : a.v === b.v;
      default:
        return undefined;
    }
  }
  if (a.t === 'this-repo' && (b.t === 'fork' || b.t === 'login')) return false;
  // `github.actor == vars.MAINTAINER`: an outsider's login is not the one an admin set.
  if (
    (a.t === 'admin-set' && !a.list && b.t === 'login') ||
    (b.t === 'admin-set' && !b.list && a.t === 'login')
  )
    return false;
  return undefined;
}

function contains(haystack: Value, needle: Value): Tri {
  const some = (f: (x: string) => boolean): Tri => {
    const found: string[] =
      needle.t === 'association' ? needle.values : needle.t === 'action' ? needle.types : [];
    if (found.length === 0) return undefined;
    return found.some(f) ? undefined : false;
  };
  // `contains(fromJSON(vars.ALLOWED), github.actor)`: an allow-list only admins write. A variable read as one
  // string is not: a login may be any part of it.
  if (haystack.t === 'admin-set' && haystack.list && ['login', 'association'].includes(needle.t))
    return false;
  if (haystack.t === 'list') {
    const items = haystack.items.map(upper);
    if (needle.t === 'literal') return items.includes(upper(needle.v));
    if (needle.t === 'login' || needle.t === 'fork') return false;
    return some((x) => items.includes(upper(x)));
  }
  if (haystack.t === 'literal' && typeof haystack.v === 'string') {
    const text = haystack.v.toUpperCase();
    if (needle.t === 'literal') return text.includes(upper(needle.v));
    // A login may be any part of a list written as one string ('alice,bob' holds 'lice'): not a gate.
    return some((x) => text.includes(upper(x)));
  }
  // `contains(github.event.comment.author_association, 'MEMBER')` reads the association as a string.
  if (haystack.t === 'association' && needle.t === 'literal') {
    const hits = haystack.values.filter((v) => v.includes(upper(needle.v)));
    return hits.length === 0 ? false : hits.length === haystack.values.length ? true : undefined;
  }
  return undefined;
}

function fromJson(v: Value): Value {
  if (v.t === 'admin-set') return { t: 'admin-set', list: true };
  if (v.t !== 'literal' || typeof v.v !== 'string' || v.v.length > 10_000) return UNKNOWN;
  try {
    const parsed: unknown = JSON.parse(v.v);
    if (
      Array.isArray(parsed) &&
      parsed.every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x))
    )
      return { t: 'list', items: parsed as (string | number | boolean | null)[] };
    if (parsed === null || ['string', 'number', 'boolean'].includes(typeof parsed))
      return { t: 'literal', v: parsed as string | number | boolean | null };
  } catch {
    // Not JSON: GitHub fails the run; nothing is known.
  }
  return UNKNOWN;
}

/** Paths that name the repository the workflow runs in. */
const THIS_REPO = new Set([
  'github.repository',
  'github.event.repository.full_name',
  'github.event.pull_request.base.repo.full_name',
  'github.repository_owner',
  'github.event.repository.owner.login',
  'github.event.pull_request.base.repo.owner.login',
  'github.repository_id',
  'github.event.repository.id',
  'github.event.pull_request.base.repo.id',
]);

/** Steps (by id) and jobs whose outputs say whether the actor may go on. */
export interface PermissionChecks {
  steps: ReadonlySet<string>;
  jobs: ReadonlySet<string>;
}

class ConditionReader {
  constructor(
    private readonly scenario: Scenario,
    private readonly checks: PermissionChecks,
  ) {}

  /** The party a path names the user of, when it does. */
  private party(path: string): 'actor' | PayloadRoot | undefined {
    if (
      path === 'github.actor' ||
      path === 'github.triggering_actor' ||
      path.startsWith('github.event.sender.')
    )
      return 'actor';
    const m = /^github\.event\.([a-z_]+)\.(user|author_association|actor|triggering_actor)\b/.exec(path);
    if (!m) return undefined;
    if (m[1] === 'workflow_run') return m[2] === 'actor' || m[2] === 'triggering_actor' ? 'actor' : undefined;
    return TEXT_ROOTS.has(m[1] as PayloadRoot) ? (m[1] as PayloadRoot) : undefined;
  }

  private ref(path: string): Value {
    const s = this.scenario;
    if (path === 'github.event_name') return { t: 'literal', v: s.event };
    if (path === 'github.event.action') return { t: 'action', types: [...s.types] };
    if (THIS_REPO.has(path)) return { t: 'this-repo' };
    if (/^vars\.[a-z_][a-z0-9_]*$/.test(path)) return { t: 'admin-set', list: false };
    // A payload object the event does not carry is null: `github.event.comment…` on an `issues` event.
    const root = /^github\.event\.([a-z_]+)\b/.exec(path)?.[1];
    if (root && TEXT_ROOTS.has(root) && !UNTRUSTED_EVENTS.get(s.event)?.roots.includes(root as PayloadRoot))
      return { t: 'literal', v: null };
    const needs = /^needs\.([\w-]+)\.outputs\./.exec(path);
    const steps = /^steps\.([\w-]+)\.outputs\./.exec(path);
    if (
      (needs && this.checks.jobs.has(needs[1] as string)) ||
      (steps && this.checks.steps.has(steps[1] as string))
    )
      return s.outsiders.has('actor') ? { t: 'permission-check' } : UNKNOWN;
    const fork = /^github\.event\.(pull_request\.head\.repo|workflow_run\.head_repository)\.(.+)$/.exec(path);
    if (fork) {
      if (!s.fromFork) return UNKNOWN;
      const field = fork[2] as string;
      if (field === 'fork') return { t: 'literal', v: true };
      if (field === 'owner.login') return { t: 'login' };
      if (['full_name', 'id', 'node_id', 'name', 'url', 'html_url', 'clone_url'].includes(field))
        return { t: 'fork' };
      return UNKNOWN;
    }
    const party = this.party(path);
    if (party === undefined || !s.outsiders.has(party)) return UNKNOWN;
    if (path.endsWith('.author_association')) return { t: 'association', values: OUTSIDER_ASSOCIATIONS };
    if (path.endsWith('.login') || path === 'github.actor' || path === 'github.triggering_actor')
      return { t: 'login' };
    if (path.endsWith('.type')) return { t: 'literal', v: 'User' };
    return UNKNOWN;
  }

  value(e: Expression): Value {
    switch (e.kind) {
      case 'literal':
        return { t: 'literal', v: e.value };
      case 'ref':
        return this.ref(e.path);
      case 'opaque':
        return UNKNOWN;
      case 'not':
        return { t: 'bool', v: not(truthy(this.value(e.operand))) };
      case 'call':
        return this.call(e.name, e.args);
      case 'binary': {
        if (e.op === '&&' || e.op === '||') {
          const a = truthy(this.value(e.left));
          const b = truthy(this.value(e.right));
          if (e.op === '&&') return { t: 'bool', v: a === false || b === false ? false : a && b };
          return {
            t: 'bool',
            v: a === true || b === true ? true : a === false && b === false ? false : undefined,
          };
        }
        const left = this.value(e.left);
        const right = this.value(e.right);
        if (e.op === '==') return { t: 'bool', v: equals(left, right) };
        // A comparison with what a permission check gave asks that the outsider passed it: they did not.
        if (left.t === 'permission-check' || right.t === 'permission-check') return { t: 'bool', v: false };
        if (e.op === '!=') return { t: 'bool', v: not(equals(left, right)) };
        return UNKNOWN;
      }
    }
  }

  private call(name: string, args: Expression[]): Value {
    const values = (): Value[] => args.map((a) => this.value(a));
    switch (name) {
      case 'contains': {
        const [a, b] = values();
        return a && b ? { t: 'bool', v: contains(a, b) } : UNKNOWN;
      }
      case 'fromjson': {
        const [a] = values();
        return a ? fromJson(a) : UNKNOWN;
      }
      case 'always':
        return { t: 'bool', v: true };
      case 'startswith':
      case 'endswith': {
        const [a, b] = values();
        // An outsider's login never ends in `[bot]`: GitHub keeps that for apps.
        if (name === 'endswith' && a?.t === 'login' && b?.t === 'literal' && upper(b.v) === '[BOT]')
          return { t: 'bool', v: false };
        if (a?.t === 'literal' && b?.t === 'literal' && typeof a.v === 'string' && typeof b.v === 'string') {
          const [x, y] = [a.v.toUpperCase(), b.v.toUpperCase()];
          return { t: 'bool', v: name === 'startswith' ? x.startsWith(y) : x.endsWith(y) };
        }
        return UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }
}

/**
 * Whether a condition can hold under the scenario: `false` when it keeps the outsider out, `true` or
 * `undefined` (not known) otherwise. A condition that does not parse is not known.
 */
/** Conditions parsed recently: the same `if:` is read for every run of its job and every scenario. */
const PARSED = new Map<string, Expression | undefined>();

function parsed(text: string): Expression | undefined {
  if (PARSED.has(text)) return PARSED.get(text);
  const tree = parseExpression(text);
  if (text.length > 4096) return tree;
  if (PARSED.size >= 512) PARSED.clear();
  PARSED.set(text, tree);
  return tree;
}

export function conditionHolds(condition: string, scenario: Scenario, checks: PermissionChecks): Tri {
  const text = conditionText(condition);
  if (text === undefined) return true;
  if (text === '') return true;
  const tree = parsed(text);
  if (!tree) return undefined;
  return truthy(new ConditionReader(scenario, checks).value(tree));
}

/** A step that asks GitHub for the actor's permission or association, and the API paths and actions that do. */
const PERMISSION_CHECK =
  /collaborators\/[^\s/]+\/permission|getCollaboratorPermissionLevel|checkCollaborator|author_association|\/teams\/[^\s/]+\/memberships\/|orgs\/[^\s/]+\/members\/|checkMembershipForUser|getMembershipForUserInOrg/;

const CHECKS = new WeakMap<WorkflowStep, boolean>();

/**
 * A script with the space inside each `${{ … }}` taken out (`${{ github.actor }}` → `${{github.actor}}`), so
 * that an API path written with expressions reads as one word whatever the spacing.
 */
function compactExpressions(script: string): string {
  return script.replace(/\$\{\{[^}]{0,512}\}\}/g, (x) => x.replace(/\s+/g, ''));
}

function isPermissionCheck(step: WorkflowStep): boolean {
  const known = CHECKS.get(step);
  if (known !== undefined) return known;
  const uses = step.uses?.value.split('@')[0] ?? '';
  const script = [step.run?.value ?? '', step.with.script?.value ?? ''].join('\n');
  const is =
    /permission|collaborator|is-member|team-membership|org-member/i.test(uses) ||
    PERMISSION_CHECK.test(script) ||
    (script.includes('${{') && PERMISSION_CHECK.test(compactExpressions(script)));
  CHECKS.set(step, is);
  return is;
}

const FAILS = /\bexit\s+[1-9]|setFailed\s*\(|process\.exit\s*\(\s*[1-9]|throw\s+new\s+Error/;

/** A permission check that fails the job for an outsider: it exits non-zero or calls `core.setFailed`. */
function failsForOutsiders(step: WorkflowStep): boolean {
  if (!isPermissionCheck(step)) return false;
  if (step.uses && !/github-script/i.test(step.uses.value)) return !step.id;
  const script = [step.run?.value ?? '', step.with.script?.value ?? ''].join('\n');
  return FAILS.test(script);
}

const FIRST_FAILING = new WeakMap<JobContext, number>();

/** Where a job first fails for an outsider (a step index), or `Infinity`; read once per job. */
function firstFailing(job: JobContext): number {
  const known = FIRST_FAILING.get(job);
  if (known !== undefined) return known;
  let found = Infinity;
  const ids: string[] = [];
  for (const s of job.steps) {
    const fails = s.if
      ? ids.some((id) => s.if?.value.includes(`steps.${id}.outputs`)) && FAILS.test(s.run?.value ?? '')
      : failsForOutsiders(s);
    if (fails) {
      found = s.index;
      break;
    }
    if (s.id && isPermissionCheck(s) && ids.length < 64) ids.push(s.id.value);
  }
  FIRST_FAILING.set(job, found);
  return found;
}

/**
 * Whether a step before `before` fails the job for an outsider: a permission check that fails on its own, or a
 * step that exits when a check's output says so (`if: steps.check.outputs.ok == 'false'` then `exit 1`).
 */
export function failsBefore(job: JobContext, before: number): boolean {
  return firstFailing(job) < before;
}

const PERMISSION_CHECKS = new WeakMap<JobContext, PermissionChecks>();
const CHECK_JOBS = new WeakMap<WorkflowContext, Set<string>>();

export function permissionChecks(workflow: WorkflowContext, job: JobContext): PermissionChecks {
  const known = PERMISSION_CHECKS.get(job);
  if (known) return known;
  let jobs = CHECK_JOBS.get(workflow);
  if (!jobs) {
    jobs = new Set(workflow.jobs.filter((j) => j.steps.some(isPermissionCheck)).map((j) => j.id));
    CHECK_JOBS.set(workflow, jobs);
  }
  const steps = new Set(job.steps.flatMap((s) => (s.id && isPermissionCheck(s) ? [s.id.value] : [])));
  const checks = { steps, jobs };
  PERMISSION_CHECKS.set(job, checks);
  return checks;
}

/**
 * A job this one waits for (`needs:`) that fails for an outsider, when this job's `if:` does not run it
 * anyway (`always()`, `failure()`, `!cancelled()`): the job is then skipped.
 */
export function failingNeededJob(workflow: WorkflowContext, job: JobContext): JobContext | undefined {
  if (!job.needs || (job.if && /\b(always|failure|cancelled)\s*\(/.test(job.if.value))) return undefined;
  const needs = new Set(job.needs);
  return workflow.jobs.find(
    (other) => other !== job && needs.has(other.id) && firstFailing(other) < Infinity,
  );
}
