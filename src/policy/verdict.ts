import { createHash } from 'node:crypto';
import type { Span } from '../model/span.js';
import { redact, secretRanges } from '../model/secret-patterns.js';
import { severityRank, type Severity, SEVERITIES } from '../model/types.js';
import type { Rule, RuleFinding } from '../rules/types.js';
import { VERSION } from '../version.js';
import type { Policy } from './policy.js';
import { applySuppressions, dayOf, type InlineSuppression } from './suppress.js';

export interface Finding {
  ruleId: string;
  ruleName: string;
  severity: Severity;
  message: string;
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  snippet: string;
  fingerprint: string;
  blocking: boolean;
  new: boolean;
  suppression: Suppression | null;
  related: { path: string; line: number; message: string }[];
  help: string;
  docs: string;
}

/**
 * Why a finding does not count: an inline `# claude-guard: ignore[…]` comment in the file, or an exception in
 * the policy. A suppressed finding stays in the report and never blocks.
 */
export interface Suppression {
  kind: 'inline' | 'exception';
  reason: string;
  owner?: string;
  /** The day it stops suppressing, `YYYY-MM-DD`. */
  expires?: string;
}

/** Something the scan could not do, said once: a file skipped, a file too large. */
export interface Notice {
  path: string;
  message: string;
}

export interface Verdict {
  schemaVersion: 1;
  tool: { name: 'claude-guard'; version: string };
  policy: { sources: string[]; failOn: string; block: string };
  summary: {
    filesScanned: number;
    findings: number;
    blocking: number;
    suppressed: number;
    bySeverity: Record<Severity, number>;
    conclusion: 'success' | 'failure';
  };
  findings: Finding[];
  notices: Notice[];
}

const SNIPPET_MAX = 200;

/**
 * The source line a span starts on, trimmed, shortened to a window around the span, with every credential
 * masked: those the line shows by their shape, and `hidden`, the ranges of the line that hold credentials
 * written in pieces (escaped, or split by quotes), which no pattern can see on the line itself. The window
 * is chosen on the line as written (so it holds the span) and widened so that it never cuts through a
 * credential, which would leave part of it unrecognisable and so unmasked.
 */
export function snippetFor(
  lineText: string,
  span: Span,
  hidden: readonly [number, number][] = [],
  found: readonly [number, number][] = secretRanges(lineText),
): string {
  return snippetOf(lineText, span, lineSecrets(hidden, found));
}

/**
 * The credential ranges of one line, each list sorted by start, with the longest range's length: prepared once
 * per line, since a one-line file can hold thousands of findings and thousands of credentials.
 */
export interface LineSecrets {
  all: readonly [number, number][];
  allLongest: number;
  hidden: readonly [number, number][];
  hiddenLongest: number;
}

const byStart = (a: readonly [number, number], b: readonly [number, number]): number => a[0] - b[0];
const longest = (ranges: readonly [number, number][]): number =>
  ranges.reduce((n, [a, b]) => Math.max(n, b - a), 0);

export function lineSecrets(
  hidden: readonly [number, number][],
  found: readonly [number, number][],
): LineSecrets {
  const all = [...found, ...hidden].sort(byStart);
  const sortedHidden = [...hidden].sort(byStart);
  return { all, allLongest: longest(all), hidden: sortedHidden, hiddenLongest: longest(sortedHidden) };
}

/** The index of the first range that can reach past `at`: none before it starts late enough. */
function firstReaching(ranges: readonly [number, number][], longestRange: number, at: number): number {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ranges[mid] as [number, number])[0] + longestRange <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `snippetFor` with the line's credentials prepared. */
export function snippetOf(lineText: string, span: Span, secrets: LineSecrets): string {
  let start = 0;
  let end = lineText.length;
  if (lineText.length > SNIPPET_MAX) {
    start = Math.max(0, Math.min(span.column - 1 - 40, lineText.length - SNIPPET_MAX));
    end = start + SNIPPET_MAX;
    const { all } = secrets;
    for (let i = firstReaching(all, secrets.allLongest, start); i < all.length; i++) {
      const [a, b] = all[i] as [number, number];
      // Sorted by start: past the window's end, none can cut through either edge.
      if (a >= end) break;
      if (a < start && b > start) start = a;
      if (a < end && b > end) end = b;
    }
  }
  let shown = '';
  let at = start;
  const { hidden } = secrets;
  for (let i = firstReaching(hidden, secrets.hiddenLongest, start); i < hidden.length; i++) {
    const [a, b] = hidden[i] as [number, number];
    if (a >= end) break;
    if (b <= start) continue;
    if (a > at) shown += lineText.slice(at, a);
    if (b > at) shown += '********';
    at = Math.max(at, b);
  }
  shown += lineText.slice(at, end);
  return `${start > 0 ? '…' : ''}${redact(shown).trim()}${end < lineText.length ? '…' : ''}`;
}

/** What the verdict needs of the files: a line's text, and the credentials written in pieces on it. */
export interface SnippetSource {
  lineText(path: string, line: number): string;
  hiddenSecrets?(path: string, line: number): [number, number][];
}

/** Two findings of a rule with this same key are one cause found twice (a command read once per value its variables may hold). */
export function sameCauseKey(f: RuleFinding): string {
  const { path, line, column, endLine, endColumn } = f.span;
  return `${path}:${line}:${column}:${endLine}:${endColumn}:${f.message}`;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

export function blocks(severity: Severity, failOn: Policy['failOn']): boolean {
  return failOn !== 'never' && severityRank(severity) <= severityRank(failOn);
}

/** A mechanical fix of a finding: its lines as they should read. */
export interface Suggestion {
  startLine: number;
  endLine: number;
  text: string;
}

/**
 * Turns what the rules found into the verdict the policy gives. `suggestions`, when given, receives the
 * mechanical fixes by fingerprint (they are not part of the report).
 */
export function judge(
  results: { rule: Rule; findings: RuleFinding[] }[],
  policy: Policy,
  filesScanned: number,
  source: SnippetSource,
  notices: Notice[],
  suggestions?: Map<string, Suggestion>,
  suppressions: { inline: readonly InlineSuppression[]; today: string } = {
    inline: [],
    today: dayOf(new Date()),
  },
): Verdict {
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  // Credentials on a line are looked for once, however many findings the line holds.
  const onLine = new Map<string, LineSecrets>();
  const snippet = (span: Span): string => {
    const text = source.lineText(span.path, span.line);
    const key = `${span.path}\0${span.line}`;
    let secrets = onLine.get(key);
    if (!secrets)
      onLine.set(
        key,
        (secrets = lineSecrets(source.hiddenSecrets?.(span.path, span.line) ?? [], secretRanges(text))),
      );
    return snippetOf(text, span, secrets);
  };
  const add = (rule: Rule, raw: readonly RuleFinding[]): void => {
    const setting = policy.rules[rule.meta.id];
    if (setting?.off) return;
    // The same cause found twice (a command read once per value its variables may hold) is one finding.
    const seenHere = new Set<string>();
    for (const f of raw) {
      const key = sameCauseKey(f);
      if (seenHere.has(key)) continue;
      seenHere.add(key);
      const severity = f.severity ?? setting?.severity ?? rule.meta.severity;
      const base = createHash('sha256')
        .update(`${rule.meta.id}\0${f.span.path}\0${f.evidence}`)
        .digest('hex')
        .slice(0, 32);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      const fingerprint = n === 0 ? base : `${base}:${n}`;
      if (suggestions && f.edit && f.span.line === f.span.endLine) {
        const line = source.lineText(f.span.path, f.span.line);
        const [from, to] = [f.span.column - 1, f.span.endColumn - 1];
        if (line.slice(from, to) === f.edit.expect)
          suggestions.set(fingerprint, {
            startLine: f.span.line,
            endLine: f.span.line,
            text: line.slice(0, from) + f.edit.replacement + line.slice(to),
          });
      }
      findings.push({
        ruleId: rule.meta.id,
        ruleName: rule.meta.name,
        severity,
        message: redact(f.message),
        path: f.span.path,
        line: f.span.line,
        column: f.span.column,
        endLine: f.span.endLine,
        endColumn: f.span.endColumn,
        snippet: snippet(f.span),
        fingerprint,
        blocking: blocks(severity, policy.failOn),
        new: true,
        suppression: null,
        related: (f.related ?? []).map((r) => ({
          path: r.span.path,
          line: r.span.line,
          message: redact(r.message),
        })),
        help: rule.meta.fix,
        docs: `docs/rules/${rule.meta.id}.md`,
      });
    }
  };
  for (const { rule, findings: raw } of results) add(rule, raw);
  // Suppressions and exceptions mark what they cover; what is wrong with them is reported by CG902-CG904.
  const said = applySuppressions(findings, suppressions.inline, policy, suppressions.today);
  for (const f of findings) if (f.suppression !== null) f.blocking = false;
  for (const rule of results.map((r) => r.rule).filter((r) => said.some((x) => x.ruleId === r.meta.id)))
    add(
      rule,
      said.filter((x) => x.ruleId === rule.meta.id),
    );
  findings.sort(compareFindings);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) bySeverity[f.severity]++;
  const blocking = findings.filter((f) => f.blocking).length;
  const suppressed = findings.filter((f) => f.suppression !== null).length;
  return {
    schemaVersion: 1,
    tool: { name: 'claude-guard', version: VERSION },
    policy: { sources: policy.sources, failOn: policy.failOn, block: policy.block },
    summary: {
      filesScanned,
      findings: findings.length,
      blocking,
      suppressed,
      bySeverity,
      conclusion: blocking > 0 ? 'failure' : 'success',
    },
    findings,
    notices: [...notices].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}
