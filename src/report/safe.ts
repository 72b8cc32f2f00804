import { redact } from '../model/secret-patterns.js';
import type { Finding, Notice, Suppression, Verdict } from '../policy/verdict.js';

/**
 * The one edge every string passes on its way out of the program. Everything in a verdict — messages,
 * snippets, paths, notices — and every error message may carry bytes from the scanned repository or its
 * policy file, so before any of it is printed, written or sent:
 *
 * - credentials are masked: every credential-shaped string, and every known secret or piece of one (a key
 *   found only after decoding escapes or joining quotes leaves pieces that no pattern recognises);
 * - for people (text, markdown, workflow commands), control characters are shown as escapes (`\x1B`), so a
 *   file cannot move the cursor, retitle the terminal, hide lines or start a new line, and a value that would
 *   open a line with `::` (a runner workflow command) is neutralised;
 * - for programs (JSON, SARIF), the same characters are written as JSON escapes, which keeps the value
 *   exact.
 */

/** Shorter strings are not masked on their own: they could be common text. */
const MIN_FRAGMENT = 8;

/** C0, DEL, C1, and the characters that reorder or break displayed text (bidi controls, line separators). */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function hex(c: string, width: number): string {
  return c.charCodeAt(0).toString(16).toUpperCase().padStart(width, '0');
}

/**
 * Finds every occurrence of a set of strings (each at least MIN_FRAGMENT long) in one pass over a text. Each
 * string is filed under the hash of one of its MIN_FRAGMENT-character windows (its anchor), chosen where few
 * others are filed: keys that share a prefix (`sk-ant-api03-…`) are told apart by their random parts. At each
 * position of the text the window's hash (rolled, no allocation) picks the few strings to compare. A hostile
 * repository can hold tens of thousands of secrets, and every string of a report is checked against them: one
 * `includes` per secret made that quadratic.
 */
class FragmentIndex {
  private readonly byHash = new Map<number, { text: string; anchor: number }[]>();
  /** Texts already masked (the help and docs of a rule repeat on every finding): bounded. */
  private readonly done = new Map<string, string>();

  constructor(fragments: readonly string[]) {
    for (const text of new Set(fragments)) {
      if (text.length < MIN_FRAGMENT) continue;
      let best = { hash: 0, anchor: -1, load: Infinity };
      let h = hashAt(text, 0);
      for (let at = 0; at + MIN_FRAGMENT <= text.length; at++) {
        if (at > 0) h = roll(h, text.charCodeAt(at - 1), text.charCodeAt(at + MIN_FRAGMENT - 1));
        const load = this.byHash.get(h)?.length ?? 0;
        if (load < best.load) best = { hash: h, anchor: at, load };
        if (load === 0) break;
      }
      const list = this.byHash.get(best.hash);
      if (list) list.push({ text, anchor: best.anchor });
      else this.byHash.set(best.hash, [{ text, anchor: best.anchor }]);
    }
  }

  get empty(): boolean {
    return this.byHash.size === 0;
  }

  /** `text` with every stretch covered by an occurrence of a fragment replaced by `********`. */
  mask(text: string): string {
    if (text.length < MIN_FRAGMENT) return text;
    const known = this.done.get(text);
    if (known !== undefined) return known;
    const found: [number, number][] = [];
    let h = hashAt(text, 0);
    for (let i = 0; i + MIN_FRAGMENT <= text.length; i++) {
      if (i > 0) h = roll(h, text.charCodeAt(i - 1), text.charCodeAt(i + MIN_FRAGMENT - 1));
      const candidates = this.byHash.get(h);
      if (!candidates) continue;
      for (const f of candidates) {
        const start = i - f.anchor;
        if (start >= 0 && text.startsWith(f.text, start)) found.push([start, start + f.text.length]);
      }
    }
    let result = text;
    if (found.length > 0) {
      found.sort((a, b) => a[0] - b[0]);
      result = '';
      let copied = 0;
      let end = -1;
      for (const [from, to] of found) {
        if (from > end) {
          if (end >= 0) result += '********';
          result += text.slice(copied, from);
        }
        end = Math.max(end, to);
        copied = end;
      }
      result += `********${text.slice(copied)}`;
    }
    if (this.done.size < MAX_REMEMBERED) this.done.set(text, result);
    return result;
  }
}

const MAX_REMEMBERED = 4096;
const BASE = 31;
/** BASE ** (MIN_FRAGMENT - 1), modulo 2^32. */
const TOP = Array.from({ length: MIN_FRAGMENT - 1 }).reduce<number>((p) => Math.imul(p, BASE), 1);

function hashAt(text: string, at: number): number {
  let h = 0;
  for (let k = 0; k < MIN_FRAGMENT; k++) h = (Math.imul(h, BASE) + text.charCodeAt(at + k)) | 0;
  return h;
}

function roll(h: number, leaving: number, entering: number): number {
  return (Math.imul(h - Math.imul(leaving, TOP), BASE) + entering) | 0;
}

/** One index per list of secrets: callers pass the same list for every string of a report. */
const indexes = new WeakMap<readonly string[], FragmentIndex>();

/** Masks every credential in `text`: by shape, and every known secret value or piece of one. */
export function maskSecrets(text: string, secrets: readonly string[] = []): string {
  const out = redact(text);
  if (secrets.length === 0) return out;
  let index = indexes.get(secrets);
  if (!index) indexes.set(secrets, (index = new FragmentIndex(secrets)));
  return index.empty ? out : index.mask(out);
}

/** A surrogate that is not half of a pair: a byte of a file name that is not UTF-8 (`fs/names.ts`), or junk. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Control characters as visible escapes; a tab becomes a space; a name's raw byte shows as `\xFF`. */
export function escapeControls(text: string): string {
  return text
    .replace(UNSAFE, (c) =>
      c === '\t' ? ' ' : c.charCodeAt(0) < 0x100 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`,
    )
    .replace(LONE_SURROGATE, (c) => {
      const code = c.charCodeAt(0);
      return code >= 0xdc80 && code <= 0xdcff
        ? `\\x${(code - 0xdc00).toString(16).toUpperCase()}`
        : `\\u${hex(c, 4)}`;
    });
}

/**
 * One value made safe to show a person, on one line: masked, controls escaped, and never starting (after
 * blanks) with `::`, which the Actions runner reads as a command on any line of a step's output.
 */
export function displayLine(text: string, secrets: readonly string[] = []): string {
  const line = escapeControls(maskSecrets(text, secrets));
  return /^\s*::/.test(line) ? line.replace('::', '\\x3A:') : line;
}

/** A value as JSON with every character a terminal or a log viewer could act on written as an escape. */
export function safeJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE_IN_JSON, (c) => `\\u${hex(c, 4)}`);
}

declare const checked: unique symbol;
/** A verdict whose every string went through this edge, for people or for programs. */
export type SafeVerdict<Use extends 'display' | 'data'> = Verdict & { readonly [checked]: Use };

function suppression(s: Suppression, f: (s: string) => string): Suppression {
  const out: Suppression = { kind: s.kind, reason: f(s.reason) };
  if (s.owner !== undefined) out.owner = f(s.owner);
  if (s.expires !== undefined) out.expires = f(s.expires);
  return out;
}

function mapStrings(verdict: Verdict, f: (s: string) => string): Verdict {
  const finding = (x: Finding): Finding => ({
    ...x,
    ruleName: f(x.ruleName),
    message: f(x.message),
    path: f(x.path),
    snippet: f(x.snippet),
    suppression: x.suppression && suppression(x.suppression, f),
    related: x.related.map((r) => ({ path: f(r.path), line: r.line, message: f(r.message) })),
    help: f(x.help),
    docs: f(x.docs),
  });
  const notice = (n: Notice): Notice => ({ path: f(n.path), message: f(n.message) });
  return {
    ...verdict,
    policy: { ...verdict.policy, sources: verdict.policy.sources.map(f) },
    findings: verdict.findings.map(finding),
    notices: verdict.notices.map(notice),
  };
}

/** The verdict as shown to people: every string masked and on one visible line. */
export function displayVerdict(verdict: Verdict, secrets: readonly string[] = []): SafeVerdict<'display'> {
  return mapStrings(verdict, (s) => displayLine(s, secrets)) as SafeVerdict<'display'>;
}

/** The verdict as data for programs: every string masked; controls are escaped when it is serialised. */
export function dataVerdict(verdict: Verdict, secrets: readonly string[] = []): SafeVerdict<'data'> {
  return mapStrings(verdict, (s) => maskSecrets(s, secrets)) as SafeVerdict<'data'>;
}
