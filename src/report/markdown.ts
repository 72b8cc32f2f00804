import type { Severity } from '../model/types.js';
import type { Verdict } from '../policy/verdict.js';
import { displayVerdict } from './safe.js';
import { countsLine } from './text.js';

export const ICONS: Record<Severity, string> = {
  critical: '🛑',
  high: '🔴',
  medium: '🟠',
  low: '🔵',
  info: '⚪',
};

/**
 * A table cell holding text of the file's making (already on one line): no HTML, no pipe or backtick that
 * would break the table, no link or image of its own, no @-mention that would notify someone.
 */
export function cell(s: string): string {
  return (
    s
      .replace(/\\/g, '\\\\')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // GitHub links a mention, an issue reference or a bare URL after rendering: a zero-width space breaks each.
      .replace(/#(?=\d)/g, '#&#8203;')
      .replace(/:\/\//g, ':&#8203;//')
      .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}&#8203;.`)
      .replace(/@/g, '@&#8203;')
      .replace(/[[\]]/g, (c) => `\\${c}`)
      .replace(/\|/g, '\\|')
      .replace(/`/g, "'")
  );
}

/** Cuts `text` to at most `max` UTF-8 bytes, never inside a character. */
export function cutToBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let cut = Buffer.from(text).subarray(0, max).toString('utf8');
  // A character cut in half decodes to U+FFFD: drop it.
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  return cut;
}

/** A repository path as a URL path: each segment encoded, so `)`, `#` or spaces cannot end the link. */
export function urlPath(path: string): string {
  // encodeURIComponent leaves ( ) ' ! * alone, and an unbalanced `)` would end the link.
  return path
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[()'!*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');
}

/**
 * The report as Markdown (job summary, PR comment): a verdict line and a table of findings. `linkBase` turns
 * locations into links to the files, `docsBase` rule ids into links to their pages. Rows are dropped
 * past `maxBytes`, with a line saying how many, so the runner never rejects the summary.
 */
export function renderMarkdown(
  unsafe: Verdict,
  options: { linkBase?: string; docsBase?: string; maxBytes?: number; secrets?: readonly string[] } = {},
): string {
  const verdict = displayVerdict(unsafe, options.secrets);
  const maxBytes = options.maxBytes ?? 900 * 1024;
  const { summary } = verdict;
  const head: string[] = [];
  const status =
    summary.conclusion === 'failure' ? `❌ **${summary.blocking} blocking**` : '✅ **nothing blocks**';
  head.push('## claude-guard', '');
  head.push(
    `${status} · ${countsLine(verdict)} in ${summary.filesScanned} file${summary.filesScanned === 1 ? '' : 's'} · fail-on: \`${verdict.policy.failOn}\``,
    '',
  );
  if (verdict.findings.length === 0) return `${head.join('\n')}\n`;
  head.push('| | Severity | Rule | Location | Finding |', '|---|---|---|---|---|');
  let out = head.join('\n');
  let bytes = Buffer.byteLength(out);
  let shown = 0;
  for (const f of verdict.findings) {
    const location = options.linkBase
      ? `[${cell(f.path)}:${f.line}](${options.linkBase}/${urlPath(f.path)}#L${f.line})`
      : `\`${f.path.replace(/[`|]/g, "'")}:${f.line}:${f.column}\``;
    const row = `\n| ${ICONS[f.severity]} | ${f.severity}${f.blocking ? ' (blocking)' : f.suppression ? ' (suppressed)' : ''} | [${f.ruleId}](${(options.docsBase ?? '') + f.docs}) ${f.ruleName} | ${location} | ${cell(f.message)}${f.suppression ? ` — suppressed: ${cell(f.suppression.reason)}` : ''} |`;
    const size = Buffer.byteLength(row);
    if (bytes + size > maxBytes - 200) break;
    out += row;
    bytes += size;
    shown++;
  }
  if (shown < verdict.findings.length) {
    out += `\n\n_${verdict.findings.length - shown} more findings are in the JSON report (\`--format json\`, or the action's \`report\` output)._`;
  }
  return `${out}\n`;
}
