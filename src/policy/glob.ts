/**
 * Path globs from a policy file, an action input or the command line. The policy file belongs to whoever
 * opens the pull request, so a glob is untrusted input: it is length-checked, and matched by a matcher
 * whose time is at most the product of the glob's and the path's lengths. A regular expression built from
 * a glob backtracks: `*a*a*a*…b` against a long name takes exponential time.
 *
 * Syntax, matched against `/`-separated paths relative to the scanned folder; dot files are not special:
 * - `*` any characters but `/`; `?` one character but `/`; `[abc]`, `[a-z]`, `[!a-z]` (or `[^…]`) one of
 *   (or none of) a set; `\` takes the next character literally;
 * - `**` as a whole segment: any number of folders, none included (`docs/**`, `**\/fixtures/**`);
 * - `{a,b}` alternatives, nested at will, at most 64 patterns in all;
 * - a trailing `/` means everything under that folder (`vendor/` is `vendor/**`).
 * Negation (`!x`) and extended globs (`+(…)`, `@(…)`…) are refused, so that no glob means something other
 * than what it seems to.
 */

export const MAX_GLOB_LENGTH = 1024;
const MAX_EXPANSIONS = 64;

type Char = { kind: 'char'; test: (c: string) => boolean } | { kind: 'star' };
type Segment = { kind: 'literal'; text: string } | { kind: 'wild'; chars: Char[] } | { kind: 'globstar' };

export type CompiledGlob =
  | {
      match: (path: string) => boolean;
      /** The patterns its `{…}` alternatives expand to (1 without braces). */
      patterns: number;
    }
  | { error: string };

/**
 * At most this many patterns (globs, each `{…}` alternative counted) in one policy file. Each pattern is
 * tried against every path it may match (every file for `ignore`, every finding's file for an exception):
 * a hostile policy of 100 000 globs made a scan of 3 000 files take a minute.
 */
export const MAX_GLOB_PATTERNS = 1000;

/** `{a,b}` alternatives expanded, innermost first; undefined past the limit. */
function expandBraces(glob: string): string[] | undefined {
  let open = -1;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') i++;
    else if (c === '{') open = i;
    else if (c === '}' && open >= 0) {
      const options: string[] = [];
      let start = open + 1;
      for (let j = open + 1; j < i; j++) {
        if (glob[j] === '\\') j++;
        else if (glob[j] === ',') {
          options.push(glob.slice(start, j));
          start = j + 1;
        }
      }
      options.push(glob.slice(start, i));
      if (options.length < 2) continue; // `{x}` is literal, as in the shell
      const out: string[] = [];
      for (const option of options) {
        const more = expandBraces(glob.slice(0, open) + option + glob.slice(i + 1));
        if (!more) return undefined;
        out.push(...more);
        if (out.length > MAX_EXPANSIONS) return undefined;
      }
      return out;
    }
  }
  return [glob];
}

/** A `[…]` class at `glob[at]`: its test and the index after it; undefined when it is not closed. */
function readClass(glob: string, at: number): { test: (c: string) => boolean; end: number } | undefined {
  let i = at + 1;
  const negated = glob[i] === '!' || glob[i] === '^';
  if (negated) i++;
  const singles = new Set<string>();
  const ranges: [string, string][] = [];
  let first = true;
  for (; i < glob.length; i++) {
    let c = glob[i] as string;
    if (c === ']' && !first) {
      const test = (x: string): boolean =>
        x !== '/' && (singles.has(x) || ranges.some(([a, b]) => a <= x && x <= b)) !== negated;
      return { test, end: i + 1 };
    }
    first = false;
    if (c === '\\' && i + 1 < glob.length) c = glob[++i] as string;
    if (glob[i + 1] === '-' && i + 2 < glob.length && glob[i + 2] !== ']') {
      let hi = glob[i + 2] as string;
      i += 2;
      if (hi === '\\' && i + 1 < glob.length) hi = glob[++i] as string;
      ranges.push([c, hi]);
    } else singles.add(c);
  }
  return undefined;
}

function compileSegment(text: string): Segment | string {
  if (text === '**') return { kind: 'globstar' };
  if (!/[*?[\\]/.test(text)) return { kind: 'literal', text };
  const chars: Char[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '*') {
      if (chars.at(-1)?.kind !== 'star') chars.push({ kind: 'star' });
    } else if (c === '?') chars.push({ kind: 'char', test: (x) => x !== '/' });
    else if (c === '[') {
      const cls = readClass(text, i);
      if (!cls) return 'a "[" is never closed with "]"';
      chars.push({ kind: 'char', test: cls.test });
      i = cls.end - 1;
    } else {
      const literal = c === '\\' ? text[++i] : c;
      if (literal === undefined) return 'the glob ends with a lone "\\"';
      chars.push({ kind: 'char', test: (x) => x === literal });
    }
  }
  return { kind: 'wild', chars };
}

/**
 * Wildcard matching with one kind of star, greedy with a return to the last star: each step either
 * advances the text or moves the restart point, so the time is at most the product of the two lengths.
 */
function greedy<P, T>(
  pattern: readonly P[],
  text: readonly T[] | string,
  isStar: (p: P) => boolean,
  one: (p: P, t: T) => boolean,
): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const token = pattern[p];
    if (token !== undefined && !isStar(token) && one(token, text[t] as T)) {
      p++;
      t++;
    } else if (token !== undefined && isStar(token)) {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else return false;
  }
  while (p < pattern.length && isStar(pattern[p] as P)) p++;
  return p === pattern.length;
}

function matchSegment(segment: Segment, name: string): boolean {
  if (segment.kind === 'literal') return segment.text === name;
  if (segment.kind === 'globstar') return true;
  return greedy(
    segment.chars,
    name,
    (c) => c.kind === 'star',
    (c, x: string) => c.kind === 'char' && c.test(x),
  );
}

function compileOne(glob: string): Segment[] | string {
  let text = glob.replace(/^(\.\/)+/, '');
  if (text.endsWith('/')) text += '**';
  const segments: Segment[] = [];
  for (const part of text.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return '".." cannot name anything inside the scanned folder';
    const segment = compileSegment(part);
    if (typeof segment === 'string') return segment;
    if (!(segment.kind === 'globstar' && segments.at(-1)?.kind === 'globstar')) segments.push(segment);
  }
  if (segments.length === 0) return 'the glob names no path';
  return segments;
}

/** Compiles one glob, or says in a sentence why it is refused. */
export function compileGlob(glob: string): CompiledGlob {
  const compiled = compilePatterns(glob);
  if ('error' in compiled) return compiled;
  return { match: (path) => matchParts(compiled, path.split('/')), patterns: compiled.length };
}

function matchParts(compiled: readonly Segment[][], parts: readonly string[]): boolean {
  return compiled.some((segments) => greedy(segments, parts, (s) => s.kind === 'globstar', matchSegment));
}

/** The patterns a glob expands to, each as its segments. */
function compilePatterns(glob: string): Segment[][] | { error: string } {
  if (glob.length === 0) return { error: 'a glob cannot be empty' };
  if (glob.length > MAX_GLOB_LENGTH)
    return {
      error: `a glob may be at most ${MAX_GLOB_LENGTH} characters long (this one has ${glob.length})`,
    };
  if (glob.startsWith('!')) return { error: 'negated globs ("!…") are not supported: list what to match' };
  if (/[?*+@!]\(/.test(glob)) return { error: 'extended globs such as "+(a|b)" are not supported' };
  if (glob.startsWith('/'))
    return { error: 'a glob is relative to the scanned folder: drop the leading "/"' };
  const expanded = expandBraces(glob);
  if (!expanded) return { error: `a glob may expand to at most ${MAX_EXPANSIONS} patterns through {…}` };
  const compiled: Segment[][] = [];
  for (const one of expanded) {
    const segments = compileOne(one);
    if (typeof segments === 'string') return { error: segments };
    compiled.push(segments);
  }
  return compiled;
}

/** The first refused glob of a list, said as `"glob": why`; undefined when every one compiles. */
export function firstGlobError(globs: readonly string[]): string | undefined {
  for (const glob of globs) {
    const compiled = compileGlob(glob);
    if ('error' in compiled) return `"${glob}": ${compiled.error}`;
  }
  return undefined;
}

/**
 * One matcher for several globs, each already valid (a policy or input that was checked). A glob written
 * twice is tried once, and a path is split once for all of them.
 */
export function globsMatcher(globs: readonly string[]): (path: string) => boolean {
  const patterns: Segment[][] = [];
  for (const glob of new Set(globs)) {
    const compiled = compilePatterns(glob);
    if ('error' in compiled) throw new Error(`invalid glob "${glob}": ${compiled.error}`);
    patterns.push(...compiled);
  }
  if (patterns.length === 0) return () => false;
  return (path) => matchParts(patterns, path.split('/'));
}
