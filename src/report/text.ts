import type { Severity } from '../model/types.js';
import type { Finding, Verdict } from '../policy/verdict.js';
import { displayVerdict } from './safe.js';

const COLOURS: Record<Severity, string> = {
  critical: '\x1b[1;31m',
  high: '\x1b[31m',
  medium: '\x1b[33m',
  low: '\x1b[36m',
  info: '\x1b[2m',
};

/** `1 finding`, `2 findings`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function countsLine(verdict: Verdict): string {
  const { summary } = verdict;
  const parts = (Object.entries(summary.bySeverity) as [Severity, number][])
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const findings = `${summary.findings} finding${summary.findings === 1 ? '' : 's'}`;
  const counted = parts.length > 0 ? `${findings} (${parts.join(', ')})` : findings;
  return summary.suppressed > 0 ? `${counted}, ${summary.suppressed} suppressed` : counted;
}

/**
 * The human report: findings grouped by file, then a one-line verdict. Colour only when asked (a TTY).
 * `secrets` are values to mask wherever they appear (see safe.ts).
 */
export function renderText(
  unsafe: Verdict,
  options: { colour?: boolean; secrets?: readonly string[] } = {},
): string {
  const verdict = displayVerdict(unsafe, options.secrets);
  const colour = options.colour ?? false;
  const c = (code: string, s: string): string => (colour ? `${code}${s}\x1b[0m` : s);
  const lines: string[] = [];
  const byPath = new Map<string, Finding[]>();
  for (const f of verdict.findings) {
    const list = byPath.get(f.path);
    if (list) list.push(f);
    else byPath.set(f.path, [f]);
  }
  for (const path of [...byPath.keys()].sort()) {
    lines.push(c('\x1b[1m', path));
    const findings = (byPath.get(path) ?? []).sort((a, b) => a.line - b.line || a.column - b.column);
    for (const f of findings) {
      const where = `${f.line}:${f.column}`.padEnd(8);
      const block = f.blocking
        ? ' (blocking)'
        : f.suppression
          ? ` (suppressed, ${f.suppression.kind === 'inline' ? 'inline' : 'policy exception'})`
          : '';
      lines.push(
        `  ${where}${c(COLOURS[f.severity], f.severity.padEnd(9))}${f.ruleId} ${f.ruleName}${block}`,
      );
      lines.push(`          ${f.message}`);
      if (f.suppression) {
        const who = [f.suppression.owner, f.suppression.expires ? `until ${f.suppression.expires}` : '']
          .filter(Boolean)
          .join(', ');
        lines.push(`          suppressed: ${f.suppression.reason}${who ? ` (${who})` : ''}`);
      }
      if (f.snippet) lines.push(c('\x1b[2m', `          > ${f.snippet}`));
      for (const r of f.related)
        lines.push(c('\x1b[2m', `          related: ${r.path}:${r.line} ${r.message}`));
      lines.push(c('\x1b[2m', `          fix: ${f.help} (${f.docs})`));
    }
    lines.push('');
  }
  for (const n of verdict.notices) lines.push(c('\x1b[2m', `note: ${n.path}: ${n.message}`));
  if (verdict.notices.length > 0) lines.push('');
  const { summary } = verdict;
  const outcome =
    summary.conclusion === 'failure'
      ? c('\x1b[1;31m', `${summary.blocking} blocking (fail-on: ${verdict.policy.failOn})`)
      : c('\x1b[32m', `nothing blocks (fail-on: ${verdict.policy.failOn})`);
  lines.push(
    `${countsLine(verdict)} in ${summary.filesScanned} file${summary.filesScanned === 1 ? '' : 's'}; ${outcome}`,
  );
  return `${lines.join('\n')}\n`;
}
