import { maskSecret, mayHold, placeholderReason, SECRET_PATTERNS } from '../model/secret-patterns.js';
import type { SecretToken } from '../model/types.js';
import type { SourceFile } from './source.js';

/**
 * A text as a program would see its strings: escapes decoded (`\u0041`, `\u{41}`, `\U00000041`, `\x41`),
 * backslash-newline continuations removed, and quotes dropped, so that quoted pieces written side by side
 * (`'sk-ant-'"api…"`, `"a""b"`, `abc$'\x41'`) join as the shell or the parser joins them. Knows no format:
 * it is used only to find credentials a file writes in pieces; `from[i]`/`to[i]` are the source offsets
 * the decoded character `i` came from.
 */
export interface DecodedView {
  text: string;
  from: Int32Array;
  to: Int32Array;
}

const ESCAPE =
  /\\(?:u\{([0-9A-Fa-f]{1,6})\}|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|x([0-9A-Fa-f]{2}))|\\\r?\n|\$?['"]/g;

/** Whether a text may hold something written in pieces: an escape, a continuation, quotes side by side. */
function mayBeWrittenInPieces(text: string): boolean {
  return /\\[uUx]|\\\r?\n|['"]\$?['"]|\$['"]/.test(text);
}

export function decodedView(text: string): DecodedView {
  const parts: string[] = [];
  const from = new Int32Array(text.length + 1);
  const to = new Int32Array(text.length + 1);
  let n = 0;
  let last = 0;
  const keep = (start: number, end: number): void => {
    parts.push(text.slice(start, end));
    for (let i = start; i < end; i++, n++) {
      from[n] = i;
      to[n] = i + 1;
    }
  };
  for (const m of text.matchAll(ESCAPE)) {
    const at = m.index ?? 0;
    keep(last, at);
    last = at + m[0].length;
    const hex = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (hex === undefined) continue; // a continuation or a quote: dropped
    const code = Number.parseInt(hex, 16);
    const char = code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    parts.push(char);
    for (let k = 0; k < char.length; k++, n++) {
      from[n] = at;
      to[n] = last;
    }
  }
  keep(last, text.length);
  return { text: parts.join(''), from: from.subarray(0, n), to: to.subarray(0, n) };
}

function tokenFor(
  file: SourceFile,
  pattern: (typeof SECRET_PATTERNS)[number],
  m: RegExpMatchArray,
  start: number,
  end: number,
): SecretToken {
  const match = m[0];
  const body = m.slice(1).find((g) => g !== undefined && g.length > 0 && !/^([A-Z]+ )+$/.test(g)) ?? match;
  const token: SecretToken = {
    kind: pattern.kind,
    span: file.span(start, end),
    value: match,
    masked: maskSecret(pattern, match),
  };
  const reason = placeholderReason(pattern, match, body);
  if (reason) token.placeholder = reason;
  const source = file.text.slice(start, end);
  if (source !== match) {
    // Written in pieces: each piece of the source is masked wherever it shows up.
    token.pieces = [source, ...source.split(ESCAPE).filter((p): p is string => typeof p === 'string')];
  }
  return token;
}

/**
 * Every credential-shaped string in a text file, each with its exact span: as written, and as a program
 * would read it once escapes are decoded and quoted pieces joined (then the span covers every piece).
 */
export function findSecrets(file: SourceFile): SecretToken[] {
  const found: SecretToken[] = [];
  const ranges: [number, number][] = [];
  const view = mayBeWrittenInPieces(file.text) ? decodedView(file.text) : undefined;
  if (view && view.text !== file.text) {
    for (const pattern of SECRET_PATTERNS) {
      if (!mayHold(pattern, view.text)) continue;
      for (const m of view.text.matchAll(pattern.regex)) {
        const i = m.index ?? 0;
        const start = view.from[i] as number;
        const end = view.to[i + m[0].length - 1] as number;
        ranges.push([start, end]);
        found.push(tokenFor(file, pattern, m, start, end));
      }
    }
  }
  for (const pattern of SECRET_PATTERNS) {
    if (!mayHold(pattern, file.text)) continue;
    for (const m of file.text.matchAll(pattern.regex)) {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      // Already found whole in the decoded view.
      if (ranges.some(([a, b]) => a <= start && end <= b)) continue;
      found.push(tokenFor(file, pattern, m, start, end));
    }
  }
  return found;
}
