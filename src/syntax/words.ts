import type { Span } from '../model/span.js';
import type { Arg } from '../model/types.js';
import type { SourceFile } from './source.js';

/** One element of an exec-form command (`["claude", "-p", "…"]`): its value and where each character is. */
export interface ExecWord {
  value: string;
  /** File offset of each character of `value`. */
  offsets: number[];
  /** File offsets of the whole element, quotes included. */
  start: number;
  end: number;
}

/**
 * The languages a word is read in, each with the expansions whose value is not known where the word is read:
 * - `actions`: a workflow input holding a command line — `${{ … }}`, and the shell's `$(…)`, `$X`, `${X}`;
 * - `exec`: an exec-form element (Dockerfile, Compose, devcontainer) — no shell, only the variables the
 *   tool substitutes, `$X` and `${X}`;
 * - `make`: a Makefile value — `$(X)` and `${X}` (`$$` is a literal `$`);
 * - `yaml`: a YAML variable's value, taken as a shell would split it — any `$`;
 * - `literal`: a value nothing expands (a justfile assignment read as text).
 * The shell's own words get theirs from the parse tree, not from here.
 */
export type Dialect = 'actions' | 'exec' | 'make' | 'yaml' | 'literal';

const EXPANSIONS: ReadonlyMap<Dialect, RegExp | undefined> = new Map<Dialect, RegExp | undefined>([
  ['actions', /\$\{\{|\$\(|\$[A-Za-z_{]/],
  ['exec', /\$\{?[A-Za-z_]/],
  ['make', /\$[({]/],
  ['yaml', /\$/],
  ['literal', undefined],
]);

/** Whether a word holds an expansion of its language, whose value is not known here. */
export function hasExpansion(value: string, dialect: Dialect): boolean {
  return EXPANSIONS.get(dialect)?.test(value) ?? false;
}

/**
 * The one way a word becomes an `Arg`. `offsetOf(k)` is the offset of its `k`-th character (a word written
 * with quotes or escapes maps each character to where it is written) and `toSpan` turns offsets into a span,
 * both in the caller's coordinates; `whole`, the span given when a character cannot be mapped (the word as
 * written, quotes included), defaults to the word's own.
 */
export function wordArg(
  value: string,
  offsetOf: (k: number) => number | undefined,
  toSpan: (start: number, end: number) => Span,
  dynamic: boolean,
  whole?: Span,
): Arg {
  const spanOf = (from: number, to: number): Span | undefined => {
    const a = offsetOf(from);
    const b = offsetOf(Math.max(from, to - 1));
    return a === undefined || b === undefined ? undefined : toSpan(a, b + 1);
  };
  const own = value.length > 0 ? spanOf(0, value.length) : undefined;
  const fallback = (whole ?? own) as Span;
  return { value, span: own ?? fallback, dynamic, sub: (from, to) => spanOf(from, to) ?? fallback };
}

/** An exec-form element as an `Arg`. */
export function execArg(file: SourceFile, word: ExecWord): Arg {
  return wordArg(
    word.value,
    (k) => word.offsets[k],
    (a, b) => file.span(a, b),
    hasExpansion(word.value, 'exec'),
    file.span(word.start, word.end),
  );
}
