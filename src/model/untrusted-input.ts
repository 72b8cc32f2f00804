import type { Span } from './span.js';
import type { Arg, ClaudeRun, WorkflowStep } from './types.js';
import { type UntrustedText, untrustedTextIn } from './untrusted-events.js';

/**
 * What of an outsider's reaches a workflow's Claude run: their text, through `${{ … }}` in its command line,
 * its prompt inputs, its env or what an earlier step writes for it; and their pull request's code, checked
 * out where Claude starts.
 */

/** A `${{ … }}` carrying someone's text, and how it gets to Claude. */
export interface TextSource {
  span: Span;
  texts: UntrustedText[];
  /** How it reaches Claude, in words ("its prompt", "the script that starts it", "env TITLE, read by …"). */
  via: string;
}

/** Inputs of the actions whose text is (part of) Claude's prompt or system prompt. */
const PROMPT_INPUTS = new Set([
  'prompt',
  'direct_prompt',
  'override_prompt',
  'custom_instructions',
  'claude_args',
  'system_prompt',
  'append_system_prompt',
  'prompt_file',
]);

/** Each `${{ … }}` written in an `Arg`, located through it. */
export function expressionsOfArg(arg: Arg): { expression: string; span: Span }[] {
  const out: { expression: string; span: Span }[] = [];
  let at = arg.value.indexOf('${{');
  while (at >= 0) {
    const end = arg.value.indexOf('}}', at + 3);
    if (end < 0) break;
    out.push({ expression: arg.value.slice(at + 3, end).trim(), span: arg.sub(at, end + 2) });
    at = arg.value.indexOf('${{', end + 2);
  }
  return out;
}

function within(inner: Span, outer: Span): boolean {
  const starts = inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
  const ends =
    inner.endLine < outer.endLine || (inner.endLine === outer.endLine && inner.endColumn <= outer.endColumn);
  return starts && ends;
}

/** The variables a script reads: `$NAME`, `${NAME}`, `${NAME:-…}`, `$env:NAME`. */
function variablesRead(script: string): Set<string> {
  return new Set([...script.matchAll(/\$(?:\{|env:)?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string));
}

/** What a step writes where later steps read it: outputs, `$GITHUB_ENV` names, files. */
interface StepWrites {
  outputs: boolean;
  env: string[];
  files: string[];
}

function writesOf(script: string): StepWrites {
  const out: StepWrites = { outputs: false, env: [], files: [] };
  for (const line of script.split('\n').slice(0, 2000)) {
    // A shell step writes $GITHUB_OUTPUT; actions/github-script calls core.setOutput / core.exportVariable.
    if (/GITHUB_OUTPUT|\bsetOutput\s*\(/.test(line)) out.outputs = true;
    for (const m of line.matchAll(/\bexportVariable\s*\(\s*['"`]([A-Za-z_][A-Za-z0-9_]*)/g))
      out.env.push(m[1] as string);
    if (line.includes('GITHUB_ENV')) {
      // From the start of a name only, so a long word is read once.
      for (const m of line.matchAll(/(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*)(?:=|<<)/g))
        out.env.push(m[1] as string);
      continue;
    }
    for (const m of line.matchAll(/(?:>>?|\btee(?:\s+-a)?)\s*["']?([^\s"'|;&<>()$]+)/g)) {
      const file = m[1] as string;
      if (/^(&\d|\/dev\/)/.test(file) || basenameOf(file).length < 3) continue;
      out.files.push(file);
    }
  }
  return out;
}

function basenameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** An expression and the untrusted text it reads. */
interface Carried {
  expression: string;
  span: Span;
  texts: UntrustedText[];
}

/** A step's expressions are read once however many runs look at it; a hostile step gives at most this many. */
const MAX_CARRIED = 256;
/** Sources reported for one run: the first are enough to show the chain. */
const MAX_SOURCES = 16;
/** How far back a run looks for a step that hands it text: further than any real job. */
const MAX_EARLIER = 256;

interface StepFacts {
  /** The script it runs (`run:`, or `script:` of actions/github-script). */
  script: string;
  reads: Set<string>;
  /** Its untrusted expressions, by where they are written. */
  untrusted: (Carried & { in: string })[];
  writes: StepWrites;
  /** `steps.<id>.outputs` and `env.<NAME>` its expressions read. */
  outputRefs: string[];
  envRefs: string[];
}

const FACTS = new WeakMap<WorkflowStep, StepFacts>();

function factsOf(step: WorkflowStep): StepFacts {
  const known = FACTS.get(step);
  if (known) return known;
  const script = [step.run?.value ?? '', step.with.script?.value ?? ''].join('\n');
  const untrusted: StepFacts['untrusted'] = [];
  const outputRefs: string[] = [];
  const envRefs: string[] = [];
  for (const x of step.expressions) {
    const output = /^steps\.([\w-]+)\.outputs\./.exec(x.expression);
    if (output) outputRefs.push(`${x.in}\0${output[1]}`);
    const env = /^env\.([A-Za-z_][\w-]*)$/.exec(x.expression);
    if (env) envRefs.push(`${x.in}\0${env[1]}`);
    if (untrusted.length >= MAX_CARRIED) continue;
    const texts = untrustedTextIn(x.expression);
    if (texts.length > 0) untrusted.push({ ...x, texts });
  }
  const facts: StepFacts = {
    script,
    reads: variablesRead(script),
    untrusted,
    writes: script.trim() === '' ? { outputs: false, env: [], files: [] } : writesOf(script),
    outputRefs,
    envRefs,
  };
  FACTS.set(step, facts);
  return facts;
}

/** The untrusted `${{ … }}` of an `Arg` (an env value), as carried text. */
function carriedOfArg(arg: Arg): Carried[] {
  return expressionsOfArg(arg).flatMap((x) => {
    const texts = untrustedTextIn(x.expression);
    return texts.length > 0 ? [{ ...x, texts }] : [];
  });
}

const source = (x: Carried, via: string): TextSource => ({ span: x.span, texts: x.texts, via });

/**
 * Every untrusted `${{ … }}` that reaches a workflow run of Claude: in its command line or the script that
 * starts it, in the action's prompt inputs, through an `env:` variable it reads, and through what an earlier
 * step of the job writes (an output, a `$GITHUB_ENV` variable, a file) that the run then reads.
 */
export function textSourcesOf(run: ClaudeRun): TextSource[] {
  const step = run.context.step;
  const job = run.context.job;
  if (!step) return [];
  const facts = factsOf(step);
  const out: TextSource[] = [];
  const cli = run.kind === 'cli';
  // Claude started by a script the step runs (`run: ./scripts/triage.sh`): the step's env reaches the script.
  const script = run.path === step.span.path ? undefined : run.path;
  /** Where the run's text is written: its script, or its prompt inputs. */
  const readsHere = (where: string): boolean =>
    cli ? where === 'run' : where.startsWith('with.') && PROMPT_INPUTS.has(where.slice(5));
  const readText = cli
    ? [step.run?.value ?? '']
    : Object.entries(step.with).flatMap(([k, v]) => (PROMPT_INPUTS.has(k) ? [v.value] : []));
  const args = run.command?.args ?? [];
  const argVars = new Set(args.flatMap((a) => [...variablesRead(a.value)]));
  for (const x of facts.untrusted) {
    if (script && x.in.startsWith('env.') && argVars.has(x.in.slice(4))) {
      out.push(source(x, `env ${x.in.slice(4)}, which Claude's command line in ${script} reads`));
      continue;
    }
    if (!readsHere(x.in)) continue;
    if (!cli) out.push(source(x, `the ${x.in.slice(5)} input`));
    else if (script) out.push(source(x, `the step that runs ${script}`));
    else {
      const inPrompt = args.some((a) => within(x.span, a.span));
      out.push(source(x, inPrompt ? "Claude's command line" : 'the script that starts Claude'));
    }
  }
  const refs = (list: string[]): Set<string> =>
    new Set(
      list.flatMap((r) => (readsHere(r.slice(0, r.indexOf('\0'))) ? [r.slice(r.indexOf('\0') + 1)] : [])),
    );
  const outputRefs = refs(facts.outputRefs);
  const envRefs = refs(facts.envRefs);
  const readsEnv = (name: string): boolean =>
    envRefs.has(name) || (cli && (script ? argVars.has(name) : facts.reads.has(name)));
  // Variables the run reads: from its own env (step, job, workflow).
  for (const e of run.env) {
    if (!readsEnv(e.name)) continue;
    const reader = !cli
      ? 'the prompt'
      : argVars.has(e.name)
        ? "Claude's command line"
        : 'the script that starts Claude';
    for (const x of carriedOfArg(e.value)) out.push(source(x, `env ${e.name}, which ${reader} reads`));
  }
  if (job) {
    const how = { cli, outputRefs, readsEnv, readText };
    out.push(...(script ? handedOnNow(run, step, job.steps, how) : handedOn(run, step, job.steps, how)));
  }
  // Its own command line first, when there are more than a finding can show.
  const mine = out.filter((x) => x.via === "Claude's command line");
  return dedupe([...mine, ...out.filter((x) => !mine.includes(x))]).slice(0, MAX_SOURCES);
}

/** How a Claude step reads what earlier steps hand it. */
interface HandedOnHow {
  cli: boolean;
  outputRefs: Set<string>;
  readsEnv: (name: string) => boolean;
  readText: string[];
}

/** What earlier steps hand a Claude step, the same for every run in it: read once per step. */
const HANDED_ON = new WeakMap<WorkflowStep, TextSource[]>();

function handedOn(
  run: ClaudeRun,
  step: WorkflowStep,
  steps: readonly WorkflowStep[],
  how: HandedOnHow,
): TextSource[] {
  const known = HANDED_ON.get(step);
  if (known) return known;
  const out = handedOnNow(run, step, steps, how);
  HANDED_ON.set(step, out);
  return out;
}

function handedOnNow(
  run: ClaudeRun,
  step: WorkflowStep,
  steps: readonly WorkflowStep[],
  how: HandedOnHow,
): TextSource[] {
  const { cli, outputRefs, readsEnv, readText } = how;
  const out: TextSource[] = [];
  // The job's and the workflow's env are the same for every run of the job.
  const jobEnv = run.env.filter((e) => e.scope === 'job' || e.scope === 'workflow');
  const first = Math.max(0, step.index - MAX_EARLIER);
  for (const earlier of steps) {
    if (earlier.index < first) continue;
    if (earlier.index >= step.index) break;
    const them = factsOf(earlier);
    const { writes } = them;
    if (!writes.outputs && writes.env.length === 0 && writes.files.length === 0) continue;
    const carried: Carried[] = [
      ...them.untrusted.filter(
        (x) =>
          x.in === 'run' ||
          x.in === 'with.script' ||
          (x.in.startsWith('env.') && them.reads.has(x.in.slice(4))),
      ),
      ...jobEnv.filter((e) => them.reads.has(e.name)).flatMap((e) => carriedOfArg(e.value)),
    ];
    if (carried.length === 0) continue;
    const name = stepName(earlier);
    if (writes.outputs && earlier.id && outputRefs.has(earlier.id.value)) {
      const via = `${name}, whose outputs Claude's ${cli ? 'script' : 'prompt'} reads`;
      for (const x of carried) out.push(source(x, via));
    }
    const envRead = writes.env.filter((n) => readsEnv(n));
    if (envRead.length > 0) {
      const via = `${name}, which sets ${envRead.join(', ')} in $GITHUB_ENV for Claude's step`;
      for (const x of carried) out.push(source(x, via));
    }
    const files = writes.files.filter((f) => readText.some((t) => t.includes(basenameOf(f))));
    if (files.length > 0) {
      const via = `${name}, which writes ${files[0]} for Claude to read`;
      for (const x of carried) out.push(source(x, via));
    }
  }
  return out;
}

function stepName(s: WorkflowStep): string {
  const name = s.name?.value ?? s.id?.value;
  return name === undefined ? `step ${s.index + 1}` : `step "${name}"`;
}

function dedupe(sources: TextSource[]): TextSource[] {
  const seen = new Set<string>();
  return sources.filter((s) => {
    const key = `${s.span.line}:${s.span.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Refs of a pull request's (or upstream run's) head: what `actions/checkout` is given to run its code. */
const HEAD_REF =
  /github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref|github\.event\.pull_request\.merge_commit_sha|github\.event\.workflow_run\.head_(sha|branch)|github\.event\.pull_request\.head\.repo\.full_name|github\.event\.workflow_run\.head_repository\.full_name|refs\/pull\//i;

/** A checkout of the pull request's (or the upstream run's) code, before the run, where Claude starts in it. */
export interface HeadCheckout {
  step: WorkflowStep;
  span: Span;
  /** The head of the run a `workflow_run` follows, not a pull request's. */
  upstream?: true;
}

/** A checkout step of a job, with the folder it checks out into (`''` for the workspace). */
interface CheckoutStep extends HeadCheckout {
  folder: string;
}

const CHECKOUTS = new WeakMap<readonly WorkflowStep[], CheckoutStep[]>();
const trimFolder = (folder: string): string => folder.replace(/^\.\/|\/$/g, '').replace(/^\.$/, '');

/** A line that fetches or checks out a pull request's head: `gh pr checkout`, `git fetch … pull/N/head`. */
function fetchesPullRequest(script: string): boolean {
  return script
    .split('\n')
    .some(
      (line) =>
        /\bgh\s+pr\s+checkout\b/.test(line) ||
        (/\bgit\s+(fetch|checkout|switch|pull)\b/.test(line) &&
          (line.includes('refs/pull/') || /\bpull\/[^\s/]+\/head\b/.test(line))),
    );
}

/** The steps of a job that check out a pull request's head, read once per job. */
function headCheckoutsOf(steps: readonly WorkflowStep[]): CheckoutStep[] {
  const known = CHECKOUTS.get(steps);
  if (known) return known;
  const out: CheckoutStep[] = [];
  for (const step of steps) {
    if (/^actions\/checkout@/i.test(step.uses?.value ?? '')) {
      const ref = step.with.ref ?? step.with.repository;
      if (!ref || !HEAD_REF.test(ref.value)) continue;
      const expression = step.expressions.find(
        (x) => (x.in === 'with.ref' || x.in === 'with.repository') && HEAD_REF.test(x.expression),
      );
      const folder = trimFolder(step.with.path?.value ?? '');
      const found: CheckoutStep = { step, span: expression?.span ?? ref.span, folder };
      if (/workflow_run/.test(ref.value)) found.upstream = true;
      out.push(found);
      continue;
    }
    const script = step.run?.value ?? '';
    if (script === '') continue;
    const expression = step.expressions.find((x) => x.in === 'run' && HEAD_REF.test(x.expression));
    const gitLine = script.split('\n').some((l) => /\bgit\s+(fetch|checkout|switch|pull)\b/.test(l));
    if (fetchesPullRequest(script) || (expression && gitLine)) {
      out.push({ step, span: expression?.span ?? (step.run as { span: Span }).span, folder: '' });
    }
  }
  CHECKOUTS.set(steps, out);
  return out;
}

/**
 * The first checkout of the pull request's (or the upstream run's) head before the run, in the folder Claude
 * starts in. The documented safe form — the pull request in a folder of its own, Claude started elsewhere — is
 * not one.
 */
export function headCheckoutOf(run: ClaudeRun): HeadCheckout | undefined {
  const step = run.context.step;
  const job = run.context.job;
  if (!step || !job) return undefined;
  const claudeFolder = trimFolder((step.workingDirectory ?? run.context.workingDirectory)?.value ?? '');
  const found = headCheckoutsOf(job.steps).find(
    (c) =>
      c.step.index < step.index &&
      (c.folder === '' || claudeFolder === c.folder || claudeFolder.startsWith(`${c.folder}/`)),
  );
  if (!found) return undefined;
  const { folder: _folder, ...checkout } = found;
  return checkout;
}
