import type { Verdict } from '../policy/verdict.js';
import { countsLine } from './text.js';

const ICONS: Record<string, string> = { critical: '🛑', high: '🔴', medium: '🟠', low: '🔵', info: '⚪' };

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/`/g, "'");
}

/**
 * The report as Markdown (job summary, PR comment): a verdict line and a table of findings. `linkBase` turns
 * locations into links to the files, `docsBase` rule ids into links to their pages. Rows are dropped
 * past `maxBytes`, with a line saying how many, so the runner never rejects the summary.
 */
export function renderMarkdown(
  verdict: Verdict,
  options: { linkBase?: string; docsBase?: string; maxBytes?: number } = {},
): string {
  const maxBytes = options.maxBytes ?? 900 * 1024;
  const { summary } = verdict;
  const head: string[] = [];
  const status =
    summary.conclusion === 'failure' ? `❌ **${summary.blocking} blocking**` : '✅ **nothing blocks**';
  head.push('## claude-guard', '');
  head.push(
    `${status} · ${countsLine(verdict)} in ${summary.filesScanned} files · fail-on: \`${verdict.policy.failOn}\``,
    '',
  );
  if (verdict.findings.length === 0) return `${head.join('\n')}\n`;
  head.push('| | Severity | Rule | Location | Finding |', '|---|---|---|---|---|');
  let out = head.join('\n');
  let bytes = Buffer.byteLength(out);
  let shown = 0;
  for (const f of verdict.findings) {
    const location = options.linkBase
      ? `[${cell(f.path)}:${f.line}](${options.linkBase}/${f.path}#L${f.line})`
      : `\`${cell(f.path)}:${f.line}:${f.column}\``;
    const row = `\n| ${ICONS[f.severity] ?? ''} | ${f.severity}${f.blocking ? ' (blocking)' : ''} | [${f.ruleId}](${(options.docsBase ?? '') + f.docs}) ${f.ruleName} | ${location} | ${cell(f.message)} |`;
    const size = Buffer.byteLength(row);
    if (bytes + size > maxBytes - 200) break;
    out += row;
    bytes += size;
    shown++;
  }
  if (shown < verdict.findings.length) {
    out += `\n\n_${verdict.findings.length - shown} more findings are in the JSON report._`;
  }
  return `${out}\n`;
}
