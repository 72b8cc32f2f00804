import type { Span } from '../model/span.js';
import type { SourceFile } from '../syntax/source.js';
import { CATALOGUE_IDS } from '../rules/registry.js';
import { globsMatcher } from './glob.js';
import { type ExceptionPolicy, originText, type Policy } from './policy.js';
import { isDay } from './schema.js';

/**
 * Inline suppressions — `# claude-guard: ignore[CG103] reason="…" owner="…" until=YYYY-MM-DD` — and policy
 * exceptions, applied to what the rules found. A suppressed finding stays in the report, marked, and never
 * blocks; a suppression that has expired, matches nothing or does not say why is itself reported (CG902,
 * CG903, CG904).
 */

/** One `# claude-guard: ignore[…]` comment. */
export interface InlineSuppression {
  path: string;
  /** The directive, from its `#` to the end of the line. */
  span: Span;
  /** Rule ids as written, upper-cased. */
  ids: string[];
  reason?: string;
  owner?: string;
  until?: string;
  /** The line whose findings it covers: its own when code precedes it on the line, else the next one. */
  covers: number;
}

/** The marker, where a `#` comment may start: at the line's start or after a blank or `;`. */
const DIRECTIVE = /(?:^|[\s;])(#+[ \t]*claude-guard:[ \t]*ignore\[([^\]\n]{0,300})\])([^\n]{0,1000})/gm;
const ATTRIBUTE = /\b(reason|owner|until)=(?:"([^"\n]{0,500})"|'([^'\n]{0,500})'|([^\s"']{1,200}))/g;

/** Files whose comments are not `#`: JSON takes exceptions from the policy instead. */
function takesHashComments(path: string): boolean {
  return !/\.(json|jsonc|json5)$/i.test(path);
}

/** Every inline suppression of a file (none in JSON files). */
export function inlineSuppressions(file: SourceFile): InlineSuppression[] {
  if (!file.text.includes('claude-guard:') || !takesHashComments(file.path)) return [];
  const found: InlineSuppression[] = [];
  for (const m of file.text.matchAll(DIRECTIVE)) {
    const marker = m[1] as string;
    const start = (m.index ?? 0) + m[0].indexOf(marker);
    const end = (m.index ?? 0) + m[0].length;
    const span = file.span(start, end);
    const before = file.lines.lineText(span.line).slice(0, span.column - 1);
    const ids = (m[2] as string)
      .split(/[\s,]+/)
      .filter((id) => id.length > 0)
      .map((id) => id.toUpperCase());
    const s: InlineSuppression = {
      path: file.path,
      span,
      ids,
      covers: before.trim().length > 0 ? span.line : span.line + 1,
    };
    for (const a of (m[3] as string).matchAll(ATTRIBUTE)) {
      const value = (a[2] ?? a[3] ?? a[4] ?? '').trim();
      const key = a[1] as 'reason' | 'owner' | 'until';
      if (value.length > 0 && s[key] === undefined) s[key] = value;
    }
    found.push(s);
    if (found.length >= 1000) break;
  }
  return found;
}

/** What a suppression pass needs of a finding. */
export interface Suppressible {
  ruleId: string;
  path: string;
  line: number;
  column: number;
  suppression: { kind: 'inline' | 'exception'; reason: string; owner?: string; expires?: string } | null;
}

/** A finding of CG902, CG903 or CG904 about a suppression. */
export interface SuppressionFinding {
  ruleId: 'CG902' | 'CG903' | 'CG904';
  span: Span;
  message: string;
  evidence: string;
}

/** A span covering line `line` of `path` (its first column on). */
function lineSpan(path: string, line: number): Span {
  return { path, line, column: 1, endLine: line, endColumn: 1 };
}

/** The day `now` falls on, in UTC: `YYYY-MM-DD`. */
export function dayOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}

const META_RULES = new Set(['CG902', 'CG903', 'CG904']);

/**
 * Marks the findings the suppressions and the policy's exceptions cover (in place) and returns what is to
 * be said about the suppressions themselves. `today` is `YYYY-MM-DD`; a suppression or exception whose last
 * day is before it has expired. `policyPaths` are the policy files inside the scanned folder (their
 * exceptions' places can be reported).
 */
export function applySuppressions(
  findings: Suppressible[],
  inline: readonly InlineSuppression[],
  policy: Policy,
  today: string,
): SuppressionFinding[] {
  const said: SuppressionFinding[] = [];
  const say = (ruleId: SuppressionFinding['ruleId'], span: Span, message: string, evidence: string): void => {
    said.push({ ruleId, span, message, evidence });
  };
  const locked = (id: string): string | undefined => {
    const lock = policy.rules[id]?.locked;
    return lock ? originText(lock) : undefined;
  };
  const byPlace = new Map<string, Suppressible[]>();
  for (const f of findings) {
    if (META_RULES.has(f.ruleId)) continue;
    const key = `${f.path}\0${f.line}`;
    const list = byPlace.get(key);
    if (list) list.push(f);
    else byPlace.set(key, [f]);
  }

  for (const s of inline) {
    const evidence = `${s.ids.join(',')}\0${s.reason ?? ''}`;
    if (!policy.suppressions.allowed) {
      say(
        'CG903',
        s.span,
        'inline suppressions are not honoured by the policy (suppressions.allowed: false): use a policy exception',
        evidence,
      );
      continue;
    }
    const missing: string[] = [];
    if (s.ids.length === 0) missing.push('a rule id (ignore[CG103])');
    if (!s.reason && policy.suppressions.requireReason) missing.push('a reason (reason="…")');
    if (!s.owner && policy.suppressions.requireOwner) missing.push('an owner (owner="…")');
    if (!s.until && policy.suppressions.requireExpiry) missing.push('an expiry (until=YYYY-MM-DD)');
    if (s.until && !isDay(s.until)) missing.push(`a real date in until= (not "${s.until.slice(0, 40)}")`);
    if (missing.length > 0) {
      say('CG904', s.span, `this suppression does not apply: it needs ${missing.join(', ')}`, evidence);
      continue;
    }
    if (s.until && s.until < today) {
      say(
        'CG902',
        s.span,
        `this suppression of ${s.ids.join(', ')} expired on ${s.until}: it no longer suppresses`,
        evidence,
      );
      continue;
    }
    const here = byPlace.get(`${s.path}\0${s.covers}`) ?? [];
    for (const id of s.ids) {
      if (!CATALOGUE_IDS.includes(id)) {
        say(
          'CG903',
          s.span,
          `${id} is not a claude-guard rule: this suppresses nothing`,
          `${evidence}\0${id}`,
        );
        continue;
      }
      const lock = locked(id);
      if (lock) {
        say(
          'CG903',
          s.span,
          `${id} is locked by ${lock}: it cannot be suppressed here`,
          `${evidence}\0${id}`,
        );
        continue;
      }
      const matched = here.filter((f) => f.ruleId === id && f.suppression === null);
      if (matched.length === 0 && !here.some((f) => f.ruleId === id)) {
        say(
          'CG903',
          s.span,
          `no ${id} finding on line ${s.covers}: this suppresses nothing`,
          `${evidence}\0${id}`,
        );
        continue;
      }
      for (const f of matched) {
        f.suppression = { kind: 'inline', reason: s.reason ?? '' };
        if (s.owner) f.suppression.owner = s.owner;
        if (s.until) f.suppression.expires = s.until;
      }
    }
  }

  // Each exception looks only at its rule's findings, and tries its globs once per file.
  const byRule = new Map<string, Map<string, Suppressible[]>>();
  for (const f of findings) {
    let paths = byRule.get(f.ruleId);
    if (!paths) byRule.set(f.ruleId, (paths = new Map()));
    const list = paths.get(f.path);
    if (list) list.push(f);
    else paths.set(f.path, [f]);
  }
  for (const e of policy.exceptions) applyException(e);
  return said;

  function applyException(e: ExceptionPolicy): void {
    const inPaths = globsMatcher(e.paths);
    const matched: Suppressible[] = [];
    for (const [path, list] of byRule.get(e.rule) ?? [])
      if (inPaths(path)) for (const f of list) matched.push(f);
    const where = originText(e.origin);
    const inRepository = !e.origin.file.startsWith('/') && !e.origin.file.includes('@');
    const evidence = `${e.rule}\0${e.paths.join(',')}\0${e.reason}`;
    if (e.expires < today) {
      // Each finding it covered blocks again, said where the finding is (the policy may live elsewhere).
      for (const f of matched)
        say(
          'CG902',
          { path: f.path, line: f.line, column: f.column, endLine: f.line, endColumn: f.column },
          `the policy exception for ${e.rule} here (${where}, owner ${e.owner}: "${e.reason}") expired on ${e.expires}: it no longer suppresses`,
          evidence,
        );
      if (matched.length === 0 && inRepository)
        say(
          'CG902',
          lineSpan(e.origin.file, e.origin.line),
          `this exception for ${e.rule} expired on ${e.expires}`,
          evidence,
        );
      return;
    }
    if (matched.length === 0) {
      if (inRepository)
        say(
          'CG903',
          lineSpan(e.origin.file, e.origin.line),
          `this exception for ${e.rule} matches no finding`,
          evidence,
        );
      return;
    }
    for (const f of matched) {
      if (f.suppression !== null) continue;
      f.suppression = { kind: 'exception', reason: e.reason, owner: e.owner, expires: e.expires };
    }
  }
}
