import {
  isLoopbackHost,
  maskSecret,
  mayHold,
  SECRET_PATTERNS,
  type SecretPattern,
} from '../model/secret-patterns.js';
import type { Span } from '../model/span.js';
import type { SecretToken } from '../model/types.js';
import type { SourceFile } from '../syntax/source.js';

/**
 * A text as a program would see its strings: escapes decoded (`\u0041`, `\u{41}`, `\U00000041`, `\x41`),
 * backslash-newline continuations removed, and quotes dropped, so that quoted pieces written side by side
 * (`'sk-ant-'"api…"`, `"a""b"`, `abc$'\x41'`) join as the shell or the parser joins them. Knows no format:
 * it is used only to find credentials a file writes in pieces; `from[i]`/`to[i]` are the source offsets
 * the decoded character `i` came from. A reference `$NAME`/`${NAME}` to a short variable the same text
 * assigns (`NAME=value`, `export NAME="value"`) stands for that value, so a key whose public prefix sits in
 * a variable (`P=sk-ant-…` then `"${P}<rest>"`) is whole in the view; each character of the value maps
 * to the whole reference.
 */
export interface DecodedView {
  text: string;
  from: Int32Array;
  to: Int32Array;
}

const ESCAPE =
  /\\(?:u\{([0-9A-Fa-f]{1,6})\}|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|x([0-9A-Fa-f]{2}))|\\\r?\n|\$?['"]/g;

/** `${NAME}`, `$NAME`, make's `$(NAME)`, and a workflow's `${{ env.NAME }}`. */
const REFERENCE =
  /\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*)|\(([A-Za-z_]\w*)\)|\{\{[ \t]*env\.([A-Za-z_]\w*)[ \t]*\}\})/g;
/**
 * `NAME=value` at the start of a line (after `export`/`readonly`/`local`/`declare`, or a Dockerfile's
 * `ENV`/`ARG`; make's `:=`/`?=` too), the value bare or quoted.
 */
const ASSIGNMENT =
  /^[ \t]*(?:(?:export|readonly|local|declare|ENV|ARG)[ \t]+)?([A-Za-z_]\w*)[ \t]*[:?]?=[ \t]*(?:"([^"\\$`\n]{1,64})"|'([^'\n]{1,64})'|([^\s"'\\$`;&|()<>]{1,64}))(?=[\s;&|)]|$)/gm;
/** A YAML mapping entry `NAME: value` on one line (a workflow's `env:`), the value bare or quoted. */
const YAML_ENTRY =
  /^[ \t]*(?:-[ \t]+)?([A-Za-z_]\w*):[ \t]+(?:"([^"\\\n]{1,64})"|'([^'\n]{1,64})'|([^\s"'#{}[\],&*!|>]{1,64}))[ \t]*$/gm;

/** Short values the text assigns to names; a name assigned twice with different values is left out. */
function assignedValues(text: string): Map<string, string> {
  const values = new Map<string, string>();
  const ambiguous = new Set<string>();
  for (const m of [...text.matchAll(ASSIGNMENT), ...text.matchAll(YAML_ENTRY)]) {
    const name = m[1] as string;
    const value = (m[2] ?? m[3] ?? m[4]) as string;
    const seen = values.get(name);
    if (seen !== undefined && seen !== value) ambiguous.add(name);
    values.set(name, value);
  }
  for (const name of ambiguous) values.delete(name);
  return values;
}

/** Whether a text may hold something written in pieces: an escape, a continuation, quotes side by side. */
function mayBeWrittenInPieces(text: string): boolean {
  return /\\[uUx]|\\\r?\n|['"]\$?['"]|\$['"]|\$[{(]?[A-Za-z_]|\$\{\{/.test(text);
}

export function decodedView(text: string): DecodedView {
  const variables = text.includes('$') ? assignedValues(text) : new Map<string, string>();
  const pattern = variables.size === 0 ? ESCAPE : new RegExp(`${ESCAPE.source}|${REFERENCE.source}`, 'g');
  // Pieces of the view, each either copied from the source or standing for a source range.
  const parts: string[] = [];
  const copied: boolean[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let length = 0;
  const piece = (value: string, copy: boolean, start: number, end: number): void => {
    if (value.length === 0) return;
    parts.push(value);
    copied.push(copy);
    starts.push(start);
    ends.push(end);
    length += value.length;
  };
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    const at = m.index ?? 0;
    const end = at + m[0].length;
    const name = m[5] ?? m[6] ?? m[7] ?? m[8];
    const value =
      name !== undefined
        ? variables.get(name)
        : (m[1] ?? m[2] ?? m[3] ?? m[4])
          ? escaped(m[1] ?? m[2] ?? m[3] ?? (m[4] as string))
          : '';
    if (value === undefined) continue; // a variable this text gives no value: kept as written
    piece(text.slice(last, at), true, last, at);
    piece(value, false, at, end); // empty for a continuation or a quote: dropped
    last = end;
  }
  piece(text.slice(last), true, last, text.length);
  const from = new Int32Array(length);
  const to = new Int32Array(length);
  let n = 0;
  for (let p = 0; p < parts.length; p++) {
    const size = (parts[p] as string).length;
    const start = starts[p] as number;
    const end = ends[p] as number;
    for (let k = 0; k < size; k++, n++) {
      from[n] = copied[p] ? start + k : start;
      to[n] = copied[p] ? start + k + 1 : end;
    }
  }
  return { text: parts.join(''), from, to };
}

function escaped(hex: string): string {
  const code = Number.parseInt(hex, 16);
  return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
}

/** The parts of a source text that a view joins: split at escapes, quotes and variable references. */
const SEAMS = new RegExp(
  `${ESCAPE.source}|\\$(?:\\{[A-Za-z_]\\w*\\}|[A-Za-z_]\\w*|\\([A-Za-z_]\\w*\\)|\\{\\{[ \\t]*env\\.[A-Za-z_]\\w*[ \\t]*\\}\\})`,
  'g',
);

/** A view match's [start, end) in the source, or the text as written (no view). */
type ToSource = (start: number, end: number) => [number, number];

function tokenFor(
  file: SourceFile,
  pattern: SecretPattern,
  m: RegExpMatchArray,
  toSource: ToSource,
): SecretToken {
  const at = m.index ?? 0;
  const match = m[0];
  const focus = pattern.focus?.(m);
  const [focusStart, focusEnd] = focus?.at ?? [0, match.length];
  const [start, end] = toSource(at, at + match.length);
  const [spanStart, spanEnd] = toSource(at + focusStart, at + focusEnd);
  const token: SecretToken = {
    kind: pattern.kind,
    span: file.span(spanStart, spanEnd),
    // A URL's secret is its password; other credentials are the whole match.
    value: pattern.kind === 'url-credential' ? match.slice(focusStart, focusEnd) : match,
    masked: maskSecret(pattern, m),
  };
  const reason = pattern.placeholder(m, pattern);
  if (reason) token.placeholder = reason;
  if (pattern.kind === 'url-credential' && isLoopbackHost(m.groups?.host ?? '')) token.loopback = true;
  const pieces: string[] = [];
  const source = file.text.slice(start, end);
  if (source !== match) {
    // Written in pieces: each piece of the source is masked wherever it shows up.
    pieces.push(source, ...source.split(SEAMS).filter((p): p is string => typeof p === 'string'));
  }
  if (focus?.secret && !reason) {
    // A private key's body, masked wherever it shows up: every line of it, and the lines of the file it spans.
    // From its first character to its last: the blank lines around it hide nothing.
    const [a, b] = trimmed(match, ...focus.secret);
    const body = match.slice(a, b);
    pieces.push(...body.split(/(?:\\r)?\\n|\\r|\s+/).filter((line) => line.length > 0));
    const [secretStart, secretEnd] = toSource(at + a, at + b);
    if (secretEnd > secretStart) token.extent = file.span(secretStart, secretEnd);
  }
  if (pieces.length > 0) token.pieces = [...new Set(pieces)];
  return token;
}

/**
 * Every credential-shaped string in a text file, each with its exact span: as written, and as a program
 * would read it once escapes are decoded and quoted pieces joined (then the span covers every piece). The
 * span is the credential, or the part of it a finding points at: a URL's password, a private key's BEGIN
 * header (its body is then the token's `extent`).
 */
export function findSecrets(file: SourceFile): SecretToken[] {
  const found: SecretToken[] = [];
  const ranges: [number, number][] = [];
  const view = mayBeWrittenInPieces(file.text) ? decodedView(file.text) : undefined;
  if (view && view.text !== file.text) {
    const toSource: ToSource = (a, b) => [view.from[a] as number, view.to[Math.max(a, b - 1)] as number];
    for (const pattern of SECRET_PATTERNS) {
      if (!mayHold(pattern, view.text)) continue;
      for (const m of view.text.matchAll(pattern.regex)) {
        const i = m.index ?? 0;
        const [start, end] = toSource(i, i + m[0].length);
        if (pattern.joins === false && /['"$]/.test(file.text.slice(start, end))) continue;
        ranges.push([start, end]);
        found.push(tokenFor(file, pattern, m, toSource));
      }
    }
  }
  const asWritten: ToSource = (a, b) => [a, b];
  const whole: SecretToken[] = [];
  for (const pattern of SECRET_PATTERNS) {
    if (!mayHold(pattern, file.text)) continue;
    for (const m of file.text.matchAll(pattern.regex)) {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      // Already found whole in the decoded view.
      if (ranges.some(([a, b]) => a <= start && end <= b)) continue;
      (pattern.kind === 'url-credential' ? whole : found).push(tokenFor(file, pattern, m, asWritten));
    }
  }
  // A URL whose password is itself a token found by its own shape (a GitHub token in a clone URL) is that
  // token's finding, not a second one.
  for (const url of whole) if (!found.some((t) => overlaps(t.span, url.span))) found.push(url);
  return found;
}

/** The range [a, b) of `text` without the blanks and `\n` escapes at its ends. */
function trimmed(text: string, a: number, b: number): [number, number] {
  const blank = (i: number): number =>
    /\s/.test(text[i] ?? '') ? 1 : text[i] === '\\' && /[nr]/.test(text[i + 1] ?? '') ? 2 : 0;
  let start = a;
  for (let n = blank(start); n > 0 && start + n <= b; n = blank(start)) start += n;
  let end = b;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  // An escape at the end: `\n` written as two characters.
  while (end - 2 >= start && text[end - 2] === '\\' && /[nr]/.test(text[end - 1] ?? '')) {
    end -= 2;
    while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  }
  return [start, end];
}

function overlaps(a: Span, b: Span): boolean {
  const before = (l1: number, c1: number, l2: number, c2: number): boolean =>
    l1 < l2 || (l1 === l2 && c1 <= c2);
  return (
    !before(a.endLine, a.endColumn, b.line, b.column) && !before(b.endLine, b.endColumn, a.line, a.column)
  );
}
