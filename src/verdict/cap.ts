import { type Notice, sameCauseKey } from '../policy/verdict.js';
import type { Policy } from '../policy/policy.js';
import type { Rule, RuleFinding } from '../rules/types.js';
import { severityRank } from '../model/types.js';

/**
 * Findings of one rule in one file past this many are not listed. No real file comes near it: a file that does
 * is written to flood the report, and each finding costs its snippet, fingerprint and place in every format.
 */
export const MAX_PER_RULE_AND_FILE = 200;

/**
 * Findings past this many in all are not listed (GitHub code scanning shows 5,000 of a run and rejects more
 * than 25,000). The most severe are kept, so what decides the verdict is among them.
 */
export const MAX_FINDINGS = 10_000;

export interface RuleResult {
  rule: Rule;
  findings: RuleFinding[];
}

/**
 * The rules' findings within the bounds above: per rule and file the most severe first (then in the order the
 * rule found them), and then in all. Each cut is said in a notice counting what was left out. Rules the policy
 * turned off are left as they are: the verdict drops them whole.
 */
export function capFindings(results: readonly RuleResult[], policy: Policy, notices: Notice[]): RuleResult[] {
  const severityOf = (rule: Rule, f: RuleFinding): number =>
    severityRank(f.severity ?? policy.rules[rule.meta.id]?.severity ?? rule.meta.severity);
  const counted = results.reduce((n, r) => n + r.findings.length, 0);
  const busiest = Math.max(0, ...results.map((r) => r.findings.length));
  if (counted <= MAX_FINDINGS && busiest <= MAX_PER_RULE_AND_FILE) return [...results];

  // Per rule and file.
  const capped = results.map(({ rule, findings: all }) => {
    if (policy.rules[rule.meta.id]?.off || all.length <= MAX_PER_RULE_AND_FILE)
      return { rule, findings: all };
    // The same cause found twice is one finding (as the verdict counts them): counted once here too.
    const seen = new Set<string>();
    const findings = all.filter((f) => {
      const key = sameCauseKey(f);
      return !seen.has(key) && !!seen.add(key);
    });
    const byFile = new Map<string, number[]>();
    findings.forEach((f, i) => {
      const list = byFile.get(f.span.path);
      if (list) list.push(i);
      else byFile.set(f.span.path, [i]);
    });
    const keep = new Set<number>();
    for (const [path, indexes] of byFile) {
      if (indexes.length <= MAX_PER_RULE_AND_FILE) {
        for (const i of indexes) keep.add(i);
        continue;
      }
      const ranked = [...indexes].sort(
        (a, b) =>
          severityOf(rule, findings[a] as RuleFinding) - severityOf(rule, findings[b] as RuleFinding) ||
          a - b,
      );
      for (const i of ranked.slice(0, MAX_PER_RULE_AND_FILE)) keep.add(i);
      notices.push({
        path,
        message:
          `${indexes.length - MAX_PER_RULE_AND_FILE} more ${rule.meta.id} findings in this file are not listed ` +
          `(${MAX_PER_RULE_AND_FILE} are, the most severe first)`,
      });
    }
    return { rule, findings: findings.filter((_, i) => keep.has(i)) };
  });

  // In all.
  const live = capped.filter((r) => !policy.rules[r.rule.meta.id]?.off);
  const total = live.reduce((n, r) => n + r.findings.length, 0);
  if (total <= MAX_FINDINGS) return capped;
  const all: { r: number; i: number; rank: number }[] = [];
  capped.forEach(({ rule, findings }, r) => {
    if (policy.rules[rule.meta.id]?.off) return;
    findings.forEach((f, i) => all.push({ r, i, rank: severityOf(rule, f) }));
  });
  // Stable: within a severity, in rule order and then as found.
  all.sort((a, b) => a.rank - b.rank || a.r - b.r || a.i - b.i);
  const keep = new Set(all.slice(0, MAX_FINDINGS).map(({ r, i }) => `${r}:${i}`));
  notices.push({
    path: '.',
    message:
      `${total - MAX_FINDINGS} findings are not listed: a scan lists at most ${MAX_FINDINGS}, ` +
      'the most severe first',
  });
  return capped.map(({ rule, findings }, r) =>
    policy.rules[rule.meta.id]?.off
      ? { rule, findings }
      : { rule, findings: findings.filter((_, i) => keep.has(`${r}:${i}`)) },
  );
}
