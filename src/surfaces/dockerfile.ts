import { Arg as ArgInstruction, DockerfileParser, Env, From, type Instruction } from 'dockerfile-ast';
import type { Parser as TSParser } from 'web-tree-sitter';
import type { Located } from '../model/span.js';
import type {
  Arg,
  ClaudeRun,
  EnvAssignment,
  IsolationContext,
  RunContext,
  RunUser,
  SudoGrant,
} from '../model/types.js';
import { execFormRuns } from './exec-form.js';
import type { ExecWord } from '../syntax/words.js';
import { jsonStringOffsets } from '../syntax/json-string.js';
import { shellFormRuns } from './exec-form.js';
import { envOrigin } from '../model/env.js';
import type { SourceFile } from '../syntax/source.js';
import { hasExpansion, wordArg } from '../syntax/words.js';

const COMMANDS = new Set(['RUN', 'CMD', 'ENTRYPOINT']);

/** True when the text can start Claude, so the Dockerfile is worth reading. */
export function dockerfileMentionsClaude(text: string): boolean {
  return text.includes('claude');
}

/** What a build stage has set so far: who runs its commands, where, with which variables and sudo rules. */
interface Stage {
  name?: string;
  user: RunUser | undefined;
  workdir: Located<string> | undefined;
  /** `ENV` in order; a later one of the same name wins. */
  env: EnvAssignment[];
  /** `ARG` and `ENV` values, for `$X` and `${X}` in later instructions. */
  vars: Map<string, string>;
  /** Where each of those values is written out, when it is (file offsets): an `ENV X=$Y` points there. */
  written: Map<string, [number, number]>;
  sudo: SudoGrant[];
  /** How many stages it is built on (`FROM base AS next`, `FROM next AS last`…). */
  depth: number;
}

/**
 * A stage built on a chain of stages deeper than this starts afresh: each inherits a copy of everything set
 * before it, and a file of 15,000 chained stages made that quadratic. Real builds chain a handful.
 */
const MAX_STAGE_CHAIN = 64;

/** The state a command sees: `RUN` the stage so far, `CMD`/`ENTRYPOINT` the stage as it ends. */
interface Snapshot {
  stage: Stage;
  user: RunUser | undefined;
  workdir: Located<string> | undefined;
  env: number;
  sudo: number;
}

/** `NOPASSWD` tags read in one instruction at most: far more than any real image writes. */
const MAX_SUDO_RULES = 32;

/**
 * Claude runs in a Dockerfile or Containerfile: `RUN`, `CMD` and `ENTRYPOINT` in shell form (parsed as
 * shell) and exec form (a JSON array). An exec-form `CMD` after an `ENTRYPOINT ["claude", …]` adds its
 * arguments to Claude's, as Docker does. Each run carries what its stage sets: the `USER` and `WORKDIR` in
 * effect (for `CMD` and `ENTRYPOINT`, the last of the stage, as at container start; with no `USER`, the
 * image's default user, located at `FROM`), the stage's `ENV`, and the passwordless sudo rules its `RUN`
 * lines write. A stage built `FROM` an earlier one starts from what that one set.
 */
export function readDockerfile(
  file: SourceFile,
  parser: () => TSParser,
  isolation: Located<IsolationContext>,
): ClaudeRun[] {
  const offset = (p: { line: number; character: number }): number =>
    file.lines.lineStart(p.line + 1) + p.character;
  const instructions = DockerfileParser.parse(file.text).getInstructions();
  const snapshots = stageSnapshots(file, instructions, offset);
  const runs: ClaudeRun[] = [];
  let entrypoint: { run: ClaudeRun; words: ExecWord[] } | undefined;
  instructions.forEach((instruction, index) => {
    const keyword = instruction.getKeyword().toUpperCase();
    if (keyword === 'FROM') entrypoint = undefined;
    if (!COMMANDS.has(keyword)) return;
    const snapshot = snapshots.get(index);
    const context = contextOf(isolation, snapshot);
    const inImage = (run: ClaudeRun): ClaudeRun => withImageEnv(run, snapshot);
    const args = instruction.getArguments();
    const first = args[0];
    if (!first) return;
    const start = offset(first.getRange().start);
    const end = offset(instruction.getRange().end);
    const raw = file.text.slice(start, end);
    if (!raw.includes('claude')) {
      if (keyword === 'CMD' && entrypoint && raw.trimStart().startsWith('[')) {
        // Default arguments for a Claude entrypoint.
        const words = execWords(file, instruction as unknown as JsonInstruction, offset);
        const [run] = execFormRuns(file, parser, [...entrypoint.words, ...words], context);
        if (run) runs[runs.indexOf(entrypoint.run)] = inImage({ ...run, span: entrypoint.run.span });
      }
      return;
    }
    if (raw.trimStart().startsWith('[')) {
      const words = execWords(file, instruction as unknown as JsonInstruction, offset);
      const found = execFormRuns(file, parser, words, context).map(inImage);
      runs.push(...found);
      if (keyword === 'ENTRYPOINT' && found[0] && words[0] && words[0].value.endsWith('claude')) {
        entrypoint = { run: found[0], words };
      }
    } else {
      runs.push(...shellFormRuns(file, parser(), raw, (i) => start + i, context).map(inImage));
    }
  });
  return runs;
}

function contextOf(isolation: Located<IsolationContext>, snapshot: Snapshot | undefined): RunContext {
  const context: RunContext = { surface: 'dockerfile', isolation };
  if (!snapshot) return context;
  if (snapshot.user) context.user = snapshot.user;
  if (snapshot.workdir) context.workingDirectory = snapshot.workdir;
  if (snapshot.sudo > 0) context.sudoGrants = snapshot.stage.sudo.slice(0, snapshot.sudo);
  return context;
}

/** A run with the image's `ENV` after what its own command line sets; a name set closer to it wins. */
function withImageEnv(run: ClaudeRun, snapshot: Snapshot | undefined): ClaudeRun {
  if (!snapshot || snapshot.env === 0) return run;
  const seen = new Set(run.env.map((e) => e.name));
  const env = [...run.env];
  for (let i = snapshot.env - 1; i >= 0; i--) {
    const e = snapshot.stage.env[i] as EnvAssignment;
    if (seen.has(e.name)) continue;
    seen.add(e.name);
    env.push(e);
  }
  return { ...run, env };
}

/** What each `RUN`, `CMD` and `ENTRYPOINT` (by index) sees of its stage. */
function stageSnapshots(
  file: SourceFile,
  instructions: Instruction[],
  offset: (p: { line: number; character: number }) => number,
): Map<number, Snapshot> {
  const spanOf = (r: {
    start: { line: number; character: number };
    end: { line: number; character: number };
  }) => file.span(offset(r.start), offset(r.end));
  const globalArgs = new Map<string, string>();
  const globalWritten = new Map<string, [number, number]>();
  const byName = new Map<string, Stage>();
  let stage: Stage | undefined;
  const snapshots = new Map<number, Snapshot>();
  const atStageEnd: { index: number; stage: Stage }[] = [];
  instructions.forEach((instruction, index) => {
    const keyword = instruction.getKeyword().toUpperCase();
    if (keyword === 'FROM' && instruction instanceof From) {
      const image = instruction.getImage() ?? '';
      const range = instruction.getImageRange();
      const named = byName.get(image.toLowerCase());
      const parent = named && named.depth < MAX_STAGE_CHAIN ? named : undefined;
      stage = {
        depth: parent ? parent.depth + 1 : 0,
        user: parent?.user,
        workdir: parent?.workdir,
        env: parent ? [...parent.env] : [],
        vars: parent ? new Map(parent.vars) : new Map(),
        written: parent ? new Map(parent.written) : new Map(),
        sudo: parent ? [...parent.sudo] : [],
      };
      const alias = instruction.getBuildStage();
      if (alias) stage.name = alias.toLowerCase();
      // Stage names are unique; the first of a name is the one later stages build on.
      if (stage.name !== undefined && !byName.has(stage.name)) byName.set(stage.name, stage);
      // No USER yet: the image's own default user runs what follows.
      if (!stage.user && range) {
        stage.user = { value: 'root', span: spanOf(range), from: 'image-default' };
      }
      return;
    }
    if (keyword === 'ARG' && instruction instanceof ArgInstruction) {
      const property = instruction.getProperty();
      if (!property) return;
      const name = property.getName();
      const value = property.getValue();
      const scope = stage?.vars ?? globalArgs;
      const writtenIn = stage?.written ?? globalWritten;
      // `ARG X` inside a stage brings in the global default.
      const known = value !== null ? substitute(value, scope) : stage ? globalArgs.get(name) : undefined;
      if (known !== undefined) scope.set(name, known);
      const range = property.getValueRange();
      if (value !== null && range && !value.includes('$'))
        writtenIn.set(name, [offset(range.start), offset(range.end)]);
      else if (value === null && stage && globalWritten.has(name))
        writtenIn.set(name, globalWritten.get(name) as [number, number]);
      else writtenIn.delete(name);
      return;
    }
    if (!stage) return;
    const current = stage;
    if (keyword === 'ENV' && instruction instanceof Env) {
      for (const property of instruction.getProperties()) {
        const range = property.getValueRange();
        const value = property.getValue();
        if (!range || value === null) continue;
        const name = property.getName();
        const resolved = substitute(value, current.vars);
        current.vars.set(name, resolved);
        // `ENV X=$Y`: the value is where `Y` was written out (`ARG Y=…`), when it was.
        const ref = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(value.trim())?.[1];
        const [from, to] = (ref && current.written.get(ref)) || [offset(range.start), offset(range.end)];
        const arg = envArg(file, resolved, from, to);
        if (!value.includes('$') || (ref && current.written.has(ref))) current.written.set(name, [from, to]);
        else current.written.delete(name);
        current.env.push({
          name,
          value: arg,
          origin: envOrigin(arg),
          scope: 'image',
          nameSpan: spanOf(property.getNameRange()),
        });
      }
      return;
    }
    if (keyword === 'USER' || keyword === 'WORKDIR') {
      const range = instruction.getArgumentsRange();
      const raw = instruction.getArgumentsContent();
      if (!range || raw === null) return;
      const value = substitute(raw.trim(), current.vars);
      const span = spanOf(range);
      if (keyword === 'USER') current.user = { value, span, from: 'setting' };
      else current.workdir = { value: joinWorkdir(current.workdir?.value, value), span };
      return;
    }
    if (!COMMANDS.has(keyword)) return;
    if (keyword === 'RUN') {
      const range = instruction.getArgumentsRange();
      if (range) current.sudo.push(...sudoRules(file, offset(range.start), offset(range.end), current.vars));
      snapshots.set(index, {
        stage: current,
        user: current.user,
        workdir: current.workdir,
        env: current.env.length,
        sudo: current.sudo.length,
      });
    } else atStageEnd.push({ index, stage: current });
  });
  // `CMD` and `ENTRYPOINT` run when the container starts: as the stage ends, whatever their place in it.
  for (const { index, stage: s } of atStageEnd) {
    snapshots.set(index, {
      stage: s,
      user: s.user,
      workdir: s.workdir,
      env: s.env.length,
      sudo: s.sudo.length,
    });
  }
  return snapshots;
}

/** `WORKDIR` relative to the one before it, as Docker resolves it. */
function joinWorkdir(previous: string | undefined, next: string): string {
  if (next.startsWith('/') || previous === undefined) return next;
  return `${previous.replace(/\/+$/, '')}/${next}`;
}

/** `$X`, `${X}`, `${X:-default}` and `${X:+alt}` with the values known; unknown ones are left as written. */
function substitute(text: string, vars: Map<string, string>): string {
  if (!text.includes('$')) return text;
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (
      whole,
      braced: string | undefined,
      op: string | undefined,
      word: string | undefined,
      bare: string | undefined,
    ) => {
      const value = vars.get((braced ?? bare) as string);
      if (op === '-') return value !== undefined && value !== '' ? value : (word ?? '');
      if (op === '+') return value !== undefined && value !== '' ? (word ?? '') : '';
      return value ?? whole;
    },
  );
}

/** An `ENV` value as an `Arg`: each character located when it is written as it reads (bare or quoted). */
function envArg(file: SourceFile, value: string, start: number, end: number): Arg {
  const written = file.text.slice(start, end);
  const quoted = written.length >= 2 && /^(["']).*\1$/s.test(written) ? 1 : 0;
  const verbatim = written.slice(quoted, written.length - quoted) === value;
  return wordArg(
    value,
    (k) => (verbatim ? start + quoted + k : undefined),
    (a, b) => file.span(a, b),
    hasExpansion(value, 'exec'),
    file.span(start, end),
  );
}

/**
 * Passwordless sudo rules a `RUN` writes into sudoers (`echo "node ALL=(ALL) NOPASSWD:ALL" >>
 * /etc/sudoers.d/node`): for each `NOPASSWD:`, the user named at the start of its rule and the commands after.
 */
function sudoRules(file: SourceFile, start: number, end: number, vars: Map<string, string>): SudoGrant[] {
  const text = file.text.slice(start, end);
  if (!text.includes('sudoers')) return [];
  const grants: SudoGrant[] = [];
  let looked = 0;
  for (const m of text.matchAll(/NOPASSWD[ \t]*:[ \t]*/g)) {
    if (++looked > MAX_SUDO_RULES) break;
    const at = m.index ?? 0;
    // The rule's line, as far back as a rule's start can be.
    const window = text.slice(Math.max(0, at - 200), at);
    const user = sudoersUser(window.slice(window.lastIndexOf('\n') + 1));
    if (user === undefined) continue;
    const after = at + m[0].length;
    const commands = /^[^"'\n>|;&\\]*/.exec(text.slice(after, after + 400))?.[0].trimEnd() ?? '';
    if (commands.length === 0) continue;
    grants.push({
      user: substitute(user, vars),
      commands: file.located(commands, start + at, start + after + commands.length),
    });
  }
  return grants;
}

/** The user of a sudoers rule, from the text before its `NOPASSWD:` tag (`… node ALL=(ALL) `). */
function sudoersUser(before: string): string | undefined {
  let rest = before.trimEnd();
  // Other tags before this one (`SETENV:`), read backwards so that a long line costs its length once.
  while (rest.endsWith(':')) {
    let k = rest.length - 1;
    while (k > 0 && /[A-Z_]/.test(rest[k - 1] as string)) k--;
    if (k === rest.length - 1) break;
    rest = rest.slice(0, k).trimEnd();
  }
  // The run-as list, `(ALL)` or `\(root\)` when written unquoted.
  if (rest.endsWith(')')) {
    const open = rest.lastIndexOf('(');
    if (open < 0) return undefined;
    rest = rest.slice(0, open).replace(/\\$/, '').trimEnd();
  }
  if (!rest.endsWith('=')) return undefined;
  const tokens = rest
    .slice(0, -1)
    .split(/[\s"']+/)
    .filter((t) => t.length > 0);
  // `user host=`: the host is the last word, the user the one before it.
  return tokens.length >= 2 ? tokens[tokens.length - 2] : undefined;
}

interface JsonInstruction {
  getJSONStrings(): { getRange(): { start: { line: number; character: number } } }[];
}

function execWords(
  file: SourceFile,
  instruction: JsonInstruction,
  offset: (p: { line: number; character: number }) => number,
): ExecWord[] {
  return instruction.getJSONStrings().map((s) => {
    const quoteAt = offset(s.getRange().start);
    const { value, offsets } = jsonStringOffsets(file.text, quoteAt);
    const end = (offsets.at(-1) ?? quoteAt) + 2;
    return { value, offsets, start: quoteAt, end };
  });
}
