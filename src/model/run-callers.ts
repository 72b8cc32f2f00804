import { posix } from 'node:path';
import { envOrigin } from './env.js';
import { inputsRead } from './expression-refs.js';
import { expressionsOfArg } from './untrusted-input.js';
import type { Span } from './span.js';
import type {
  Arg,
  ClaudeRun,
  EnvAssignment,
  JobContext,
  ScanModel,
  StepExpression,
  WorkflowContext,
  WorkflowStep,
} from './types.js';

/**
 * A Claude run that a workflow job reaches only through something it runs — a shell script
 * (`run: ./scripts/triage.sh`) or a local composite action (`uses: ./.github/actions/review`) — seen as it runs
 * in each workflow step that runs it: that step's workflow, job and step become its context, and for an action
 * the values the step passes `with:` stand for the action's `inputs.*`. Rules that judge a run by its job
 * (who can start it, its token, its limits, what it leaves behind) judge these views.
 */

/** Views of one run: the first are enough to judge it, and a hostile repository gets no more. */
const MAX_VIEWS = 16;
/** Actions using actions using a script: further than any real repository goes. */
const MAX_DEPTH = 4;

/** Whether a script's text runs the file at `path`: `./scripts/x.sh`, `bash scripts/x.sh`, `$GITHUB_WORKSPACE/scripts/x.sh`. */
export function runsFile(script: string, path: string): boolean {
  let at = script.indexOf(path);
  while (at >= 0) {
    const before = at === 0 ? ' ' : (script[at - 1] as string);
    const after = script[at + path.length] ?? ' ';
    if (/[\s/"'=]/.test(before) && /[\s"';&|)]/.test(after)) return true;
    at = script.indexOf(path, at + path.length);
  }
  return false;
}

/**
 * The folder of the action a local `uses:` names (`./.github/actions/review` → `.github/actions/review`, `./`
 * → `.`), or `undefined` for an action of another repository or a path leaving the checkout.
 */
export function localActionFolder(uses: string): string | undefined {
  const value = uses.trim();
  if (!value.startsWith('./')) return undefined;
  const folder = posix.normalize(value.slice(2) || '.').replace(/\/+$/, '') || '.';
  return folder === '..' || folder.startsWith('../') ? undefined : folder;
}

/** The folder of a composite action's file (`x/action.yml` → `x`), or `undefined` for another file. */
function actionFolder(workflow: WorkflowContext): string | undefined {
  if (!workflow.steps) return undefined;
  const name = posix.basename(workflow.path);
  if (name !== 'action.yml' && name !== 'action.yaml') return undefined;
  return posix.dirname(workflow.path);
}

/** A step and where it is: a job of a workflow, or (no job) the steps of a composite action. */
interface Place {
  workflow: WorkflowContext;
  job?: JobContext;
  step: WorkflowStep;
}

function* stepsOf(model: ScanModel): Generator<Place> {
  for (const workflow of model.workflows) {
    for (const job of workflow.jobs) for (const step of job.steps) yield { workflow, job, step };
    for (const step of workflow.steps ?? []) yield { workflow, step };
  }
}

/**
 * An `Arg` made of expressions written in several places (a step's `with:` values standing for an action's
 * inputs): its value is the expressions, each located where it is written.
 */
function expressionsArg(pieces: { expression: string; span: Span }[], whole: Span): Arg {
  let value = '';
  const at: { from: number; to: number; span: Span }[] = [];
  for (const piece of pieces) {
    const text = `\${{ ${piece.expression} }}`;
    at.push({ from: value.length, to: value.length + text.length, span: piece.span });
    value += `${text} `;
  }
  return {
    value: value.trimEnd(),
    span: pieces[0]?.span ?? whole,
    sub: (from) => at.find((p) => from >= p.from && from < p.to)?.span ?? whole,
    dynamic: true,
  };
}

/** How an action's `inputs.*` read in its steps stand for what the step that uses it passes `with:`. */
class Inputs {
  constructor(private readonly caller: WorkflowStep) {}

  /** The caller's expressions passed as input `name` (a literal value carries none). */
  private passed(name: string): StepExpression[] {
    return this.caller.expressions.filter((x) => x.in.toLowerCase() === `with.${name}`);
  }

  /** An expression of the action, or the caller's expressions it reads through its inputs. */
  resolve(x: { expression: string; span: Span }): { expression: string; span: Span }[] {
    const names = inputsRead(x.expression);
    if (names.length === 0) return [x];
    return names.flatMap((n) => this.passed(n).map((p) => ({ expression: p.expression, span: p.span })));
  }

  expressions(list: readonly StepExpression[]): StepExpression[] {
    return list.flatMap((x) => this.resolve(x).map((r) => ({ in: x.in, ...r })));
  }

  /**
   * The run's env with `inputs.*` read as what the caller passes, and the caller step's own `env:` (which
   * reaches the action's steps) under the names the run does not set itself.
   */
  env(list: readonly EnvAssignment[]): EnvAssignment[] {
    const own = list.map((e) => {
      const pieces = expressionsOfArg(e.value);
      if (!pieces.some((p) => inputsRead(p.expression).length > 0)) return e;
      const value = expressionsArg(
        pieces.flatMap((p) => this.resolve(p)),
        e.value.span,
      );
      return { ...e, value, origin: envOrigin(value) };
    });
    const names = new Set(list.map((e) => e.name));
    const byName = new Map<string, StepExpression[]>();
    for (const x of this.caller.expressions) {
      if (!x.in.startsWith('env.') || names.has(x.in.slice(4))) continue;
      byName.set(x.in.slice(4), [...(byName.get(x.in.slice(4)) ?? []), x]);
    }
    const passed = [...byName].map(([name, xs]): EnvAssignment => {
      const value = expressionsArg(xs, this.caller.span);
      return { name, value, origin: envOrigin(value), scope: 'step' };
    });
    return [...own, ...passed];
  }
}

/**
 * The step a run of a composite action is seen in from the workflow step that uses the action: the caller's
 * place among the job's steps, its condition, name and `uses:`; the action step's text and commands (its
 * span, so the step is still the one that holds Claude's command line), with `inputs.*` read as what the
 * caller passes.
 */
function callerStep(inner: WorkflowStep, caller: WorkflowStep, inputs: Inputs): WorkflowStep {
  const step: WorkflowStep = {
    index: caller.index,
    span: inner.span,
    with: inner.with,
    env: { ...caller.env, ...inner.env },
    expressions: inputs.expressions(inner.expressions),
  };
  if (caller.id) step.id = caller.id;
  if (caller.name) step.name = caller.name;
  if (caller.if) step.if = caller.if;
  if (caller.uses) step.uses = caller.uses;
  if (inner.run) step.run = inner.run;
  const timeout = inner.timeoutMinutes ?? caller.timeoutMinutes;
  if (timeout) step.timeoutMinutes = timeout;
  const folder = inner.workingDirectory ?? caller.workingDirectory;
  if (folder) step.workingDirectory = folder;
  return step;
}

/**
 * The steps that may run a script or use a local action, found once per model: every run of a script or an
 * action asks, and a repository can hold thousands of them and thousands of steps.
 */
class CallerIndex {
  private readonly byFolder = new Map<string, Place[]>();
  private readonly withRun: Place[] = [];
  private readonly byScript = new Map<string, Place[]>();

  constructor(model: ScanModel) {
    for (const place of stepsOf(model)) {
      if (place.step.run) this.withRun.push(place);
      const folder = place.step.uses && localActionFolder(place.step.uses.value);
      if (folder === undefined) continue;
      const list = this.byFolder.get(folder);
      if (list) list.push(place);
      else this.byFolder.set(folder, [place]);
    }
  }

  usersOf(folder: string): readonly Place[] {
    return this.byFolder.get(folder) ?? [];
  }

  runnersOf(script: string): readonly Place[] {
    let found = this.byScript.get(script);
    if (!found) {
      found = this.withRun.filter((p) => runsFile(p.step.run?.value ?? '', script));
      this.byScript.set(script, found);
    }
    return found;
  }
}

const INDEXES = new WeakMap<ScanModel, CallerIndex>();

function indexOf(model: ScanModel): CallerIndex {
  let index = INDEXES.get(model);
  if (!index) INDEXES.set(model, (index = new CallerIndex(model)));
  return index;
}

/** The views of a run one level out: the steps that run its script or use its action. */
function callersOf(model: ScanModel, run: ClaudeRun): ClaudeRun[] {
  const out: ClaudeRun[] = [];
  const { context } = run;
  const script = context.surface === 'shell-script' && run.path.length >= 3 ? run.path : undefined;
  const folder = !script && context.workflow && !context.job ? actionFolder(context.workflow) : undefined;
  const inner = context.step;
  if (!script && (folder === undefined || !inner)) return out;
  const index = indexOf(model);
  const places = script ? index.runnersOf(script) : index.usersOf(folder as string);
  for (const { workflow, job, step } of places) {
    if (out.length >= MAX_VIEWS) break;
    if (workflow === context.workflow) continue;
    if (script) {
      const viewContext = { ...context, surface: 'workflow' as const, workflow, step };
      if (job) out.push({ ...run, context: { ...viewContext, job } });
      else out.push({ ...run, context: viewContext });
      continue;
    }
    if (!step.uses || localActionFolder(step.uses.value) !== folder || !inner) continue;
    const inputs = new Inputs(step);
    const viewStep = callerStep(inner, step, inputs);
    const viewContext = { ...context, workflow, step: viewStep };
    out.push({
      ...run,
      env: inputs.env(run.env),
      context: job ? { ...viewContext, job } : viewContext,
    });
  }
  return out;
}

const VIEWS = new WeakMap<ScanModel, WeakMap<ClaudeRun, ClaudeRun[]>>();

/**
 * A run as the workflow jobs that start it see it: itself when it runs in a job's step, else one view for each
 * step that runs its script or uses its local action (directly, or through other local actions), each in that
 * step's job; none when no workflow job runs it.
 */
export function runInJobs(model: ScanModel, run: ClaudeRun): ClaudeRun[] {
  if (run.context.surface === 'workflow' && run.context.job) return [run];
  let byRun = VIEWS.get(model);
  if (!byRun) VIEWS.set(model, (byRun = new WeakMap()));
  const known = byRun.get(run);
  if (known) return known;
  const out: ClaudeRun[] = [];
  let level = [run];
  for (let depth = 0; depth < MAX_DEPTH && level.length > 0 && out.length < MAX_VIEWS; depth++) {
    const next: ClaudeRun[] = [];
    for (const view of level) {
      for (const seen of callersOf(model, view)) {
        if (seen.context.job) out.push(seen);
        else next.push(seen);
      }
    }
    level = next.slice(0, MAX_VIEWS);
  }
  const views = out.slice(0, MAX_VIEWS);
  byRun.set(run, views);
  return views;
}

/** Every run of the model as the jobs that start it see it (a run no job starts is left out). */
export function runsInJobs(model: ScanModel): ClaudeRun[] {
  return model.runs.flatMap((run) => runInJobs(model, run));
}
