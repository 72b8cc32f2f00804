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

/** Whether a script reads a variable: `$NAME`, `${NAME}`, `${NAME:-…}`, `$env:NAME`. */
function readsVariable(script: string, name: string): boolean {
  const escaped = name.replace(/[^A-Za-z0-9_]/g, '');
  if (escaped !== name || name === '') return false;
  return new RegExp(`\\$(\\{|env:)?${escaped}(?![A-Za-z0-9_])`).test(script);
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
    if (/GITHUB_ENV/.test(line)) {
      for (const m of line.matchAll(/([A-Za-z_][A-Za-z0-9_]*)(?:=|<<)/g)) out.env.push(m[1] as string);
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

/** The untrusted `${{ … }}` of an expression list, as sources. */
function sourcesOf(list: readonly { expression: string; span: Span }[], via: string): TextSource[] {
  return list.flatMap((x) => {
    const texts = untrustedTextIn(x.expression);
    return texts.length > 0 ? [{ span: x.span, texts, via }] : [];
  });
}

/**
 * Every untrusted `${{ … }}` that reaches a workflow run of Claude: in its command line or the script that
 * starts it, in the action's prompt inputs, through an `env:` variable it reads, and through what an earlier
 * step of the job writes (an output, a `$GITHUB_ENV` variable, a file) that the run then reads.
 */
export function textSourcesOf(run: ClaudeRun): TextSource[] {
  const step = run.context.step;
  const job = run.context.job;
  if (!step) return [];
  const out: TextSource[] = [];
  const stepName = (s: WorkflowStep): string => {
    const name = s.name?.value ?? s.id?.value;
    return name === undefined ? `step ${s.index + 1}` : `step "${name}"`;
  };
  /** What the run reads: its script, or its prompt inputs. */
  const readText: string[] = [];
  const envRefs: string[] = [];
  const outputRefs: string[] = [];
  if (run.kind === 'cli') {
    const args = run.command?.args ?? [];
    const inScript = step.expressions.filter((x) => x.in === 'run');
    for (const x of inScript) {
      const texts = untrustedTextIn(x.expression);
      if (texts.length === 0) continue;
      const inPrompt = args.some((a) => within(x.span, a.span));
      out.push({
        span: x.span,
        texts,
        via: inPrompt ? "Claude's command line" : 'the script that starts Claude',
      });
    }
    readText.push(step.run?.value ?? '');
    for (const e of run.env) if (readsVariable(step.run?.value ?? '', e.name)) envRefs.push(e.name);
  } else {
    const inputs = step.expressions.filter(
      (x) => PROMPT_INPUTS.has(x.in.slice('with.'.length)) && x.in.startsWith('with.'),
    );
    for (const x of inputs) {
      const texts = untrustedTextIn(x.expression);
      if (texts.length > 0) out.push({ span: x.span, texts, via: `the ${x.in.slice(5)} input` });
      const env = /^env\.([A-Za-z_][\w-]*)$/.exec(x.expression);
      if (env) envRefs.push(env[1] as string);
      const output = /^steps\.([\w-]+)\.outputs\./.exec(x.expression);
      if (output) outputRefs.push(output[1] as string);
    }
    for (const [key, value] of Object.entries(step.with))
      if (PROMPT_INPUTS.has(key)) readText.push(value.value);
  }
  if (run.kind === 'cli') {
    for (const x of step.expressions) {
      const output = /^steps\.([\w-]+)\.outputs\./.exec(x.expression);
      if (output && x.in === 'run') outputRefs.push(output[1] as string);
      const env = /^env\.([A-Za-z_][\w-]*)$/.exec(x.expression);
      if (env && x.in === 'run') envRefs.push(env[1] as string);
    }
  }
  // Variables the run reads: from its own env (step, job, workflow), or set by an earlier step.
  for (const e of run.env) {
    if (!envRefs.includes(e.name)) continue;
    const reader =
      run.kind === 'action'
        ? 'the prompt'
        : (run.command?.args ?? []).some((a) => readsVariable(a.value, e.name))
          ? "Claude's command line"
          : 'the script that starts Claude';
    out.push(...sourcesOf(expressionsOfArg(e.value), `env ${e.name}, which ${reader} reads`));
  }
  if (!job) return dedupe(out);
  for (const earlier of job.steps) {
    if (earlier.index >= step.index) break;
    const script = [earlier.run?.value ?? '', earlier.with.script?.value ?? ''].join('\n');
    if (script.trim() === '') continue;
    const own = earlier.expressions.filter(
      (x) =>
        x.in === 'run' ||
        x.in === 'with.script' ||
        (x.in.startsWith('env.') && readsVariable(script, x.in.slice(4))),
    );
    const jobEnv = run.env.filter(
      (e) => (e.scope === 'job' || e.scope === 'workflow') && readsVariable(script, e.name),
    );
    const carried: { expression: string; span: Span }[] = [
      ...own,
      ...jobEnv.flatMap((e) => expressionsOfArg(e.value)),
    ];
    if (!carried.some((x) => untrustedTextIn(x.expression).length > 0)) continue;
    const writes = writesOf(script);
    const name = stepName(earlier);
    if (writes.outputs && earlier.id && outputRefs.includes(earlier.id.value))
      out.push(
        ...sourcesOf(
          carried,
          `${name}, whose outputs Claude's ${run.kind === 'cli' ? 'script' : 'prompt'} reads`,
        ),
      );
    const envRead = writes.env.filter((n) =>
      run.kind === 'cli' ? readsVariable(step.run?.value ?? '', n) : envRefs.includes(n),
    );
    if (envRead.length > 0)
      out.push(
        ...sourcesOf(carried, `${name}, which sets ${envRead.join(', ')} in $GITHUB_ENV for Claude's step`),
      );
    const files = writes.files.filter((f) => readText.some((t) => t.includes(basenameOf(f))));
    if (files.length > 0)
      out.push(...sourcesOf(carried, `${name}, which writes ${files[0]} for Claude to read`));
  }
  return dedupe(out);
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
}

export function headCheckoutOf(run: ClaudeRun): HeadCheckout | undefined {
  const step = run.context.step;
  const job = run.context.job;
  if (!step || !job) return undefined;
  const claudeFolder = (step.workingDirectory ?? run.context.workingDirectory)?.value.replace(
    /^\.\/|\/$/g,
    '',
  );
  for (const earlier of job.steps) {
    if (earlier.index >= step.index) break;
    const uses = earlier.uses?.value ?? '';
    if (/^actions\/checkout@/i.test(uses)) {
      const ref = earlier.with.ref ?? earlier.with.repository;
      if (!ref || !HEAD_REF.test(ref.value)) continue;
      // The documented safe form: the pull request in a folder of its own, Claude started elsewhere.
      const folder = earlier.with.path?.value.replace(/^\.\/|\/$/g, '') ?? '';
      if (
        folder !== '' &&
        folder !== '.' &&
        claudeFolder !== folder &&
        !claudeFolder?.startsWith(`${folder}/`)
      )
        continue;
      const expression = earlier.expressions.find(
        (x) => (x.in === 'with.ref' || x.in === 'with.repository') && HEAD_REF.test(x.expression),
      );
      return { step: earlier, span: expression?.span ?? ref.span };
    }
    const script = earlier.run?.value ?? '';
    if (
      /\bgh\s+pr\s+checkout\b/.test(script) ||
      /\bgit\s+(fetch|checkout|switch|pull)\b[^\n]*(refs\/pull\/|pull\/[^\s/]+\/head)/.test(script)
    ) {
      const expression = earlier.expressions.find((x) => x.in === 'run' && HEAD_REF.test(x.expression));
      return { step: earlier, span: expression?.span ?? (earlier.run as { span: Span }).span };
    }
    const checkout = earlier.expressions.find((x) => x.in === 'run' && HEAD_REF.test(x.expression));
    if (checkout && /\bgit\s+(fetch|checkout|switch|pull)\b/.test(script))
      return { step: earlier, span: checkout.span };
  }
  return undefined;
}
