import type { Finding, Verdict } from '../policy/verdict.js';
import { cell, cutToBytes, ICONS, urlPath } from './markdown.js';
import { displayVerdict } from './safe.js';
import { plural } from './text.js';

/** Marks the one comment claude-guard keeps on a pull request; `key` tells apart two scans of one PR. */
export function commentMarker(key: string): string {
  return `<!-- claude-guard:sticky ${key.replace(/[^A-Za-z0-9._/-]/g, '_')} -->`;
}

/** GitHub refuses a comment body over 65536 characters; budgeted in bytes, with headroom. */
const BODY_BYTES = 60_000;

export interface CommentOptions {
  marker: string;
  secrets: readonly string[];
  /** Links to files at the head commit: `https://github.com/o/r/blob/<sha>[/<folder>]`. */
  linkBase?: string;
  /** Prefix for rule pages (`docs/rules/CG101.md` is appended). */
  docsBase?: string;
  /** The section on what the change does to Claude's powers, already rendered (may be empty). */
  powers?: string;
  /**
   * What the pull request's own version of the policy would loosen, said with where it writes it: the base
   * branch's policy decides the check, and a reviewer sees what the change would weaken.
   */
  policyChanges?: readonly { message: string; where?: string }[];
  /** The workflow run, for the footer. */
  runUrl?: string;
  headSha: string;
}

function row(f: Finding, options: CommentOptions): string {
  const location = options.linkBase
    ? `[${cell(f.path)}:${f.line}](${options.linkBase}/${urlPath(f.path)}#L${f.line})`
    : `\`${f.path.replace(/[`|]/g, "'")}:${f.line}:${f.column}\``;
  const rule = `[${f.ruleId}](${(options.docsBase ?? '') + f.docs}) ${f.ruleName}`;
  const severity = `${ICONS[f.severity]} ${f.severity}${f.blocking ? ' **blocks**' : ''}`;
  return `| ${severity} | ${rule} | ${location} | ${cell(f.message)} | ${cell(f.help)} |`;
}

const HEADER = '| Severity | Rule | Location | Finding | Fix |\n|---|---|---|---|---|';

/** Rows that fit in `budget` bytes, and a line saying how many did not. */
function table(findings: Finding[], options: CommentOptions, budget: number): string {
  let out = HEADER;
  let shown = 0;
  for (const f of findings) {
    const line = `\n${row(f, options)}`;
    if (Buffer.byteLength(out) + Buffer.byteLength(line) > budget) break;
    out += line;
    shown++;
  }
  if (shown < findings.length)
    out += `\n\n_${findings.length - shown} more are in the check run and the job summary._`;
  return out;
}

/** Whether a verdict gives the pull request something to read: a finding, or a change in Claude's powers. */
export function hasSomethingToSay(verdict: Verdict, powers = '', policyChanges = 0): boolean {
  return (
    verdict.findings.some((f) => f.suppression === null) || powers.trim().length > 0 || policyChanges > 0
  );
}

/** The section on what the pull request's policy would loosen; empty when it loosens nothing. */
export function renderPolicyChanges(changes: readonly { message: string; where?: string }[]): string {
  if (changes.length === 0) return '';
  const items = changes
    .slice(0, 50)
    .map((c) => `- ${cell(c.message)}${c.where ? ` (\`${c.where.replace(/[`|]/g, "'")}\`)` : ''}`);
  if (changes.length > 50) items.push(`- … and ${changes.length - 50} more`);
  return [
    '### ⚠️ This pull request loosens the claude-guard policy',
    '',
    "The base branch's policy decides this check, not the pull request's own. Once merged, the change would:",
    '',
    ...items,
  ].join('\n');
}

/**
 * The sticky pull-request comment: the verdict first, then the findings the pull request brings, then those
 * it leaves as they were (folded), then what it changes in Claude's powers. Every piece of repository text
 * goes through the sanitising edge and table escaping; the body stays under GitHub's limit.
 */
export function renderComment(unsafe: Verdict, options: CommentOptions): string {
  const verdict = displayVerdict(unsafe, options.secrets);
  const shown = verdict.findings.filter((f) => f.suppression === null);
  const fresh = shown.filter((f) => f.new);
  const existing = shown.filter((f) => !f.new);
  const { summary, policy } = verdict;
  const parts: string[] = [options.marker];
  const lead =
    summary.blocking > 0
      ? `❌ **claude-guard blocks this pull request**: ${plural(summary.blocking, 'finding')} at or above \`${policy.failOn}\``
      : fresh.length > 0
        ? `⚠️ **claude-guard**: ${plural(fresh.length, 'new finding')}, none blocks (fail-on \`${policy.failOn}\`)`
        : '✅ **claude-guard**: this pull request brings no new findings';
  parts.push(`${lead} · block \`${policy.block}\``);
  const loosened = renderPolicyChanges(options.policyChanges ?? []);
  if (loosened) parts.push(loosened);
  const powers = capPowers(options.powers ?? '');
  let budget = BODY_BYTES - 1024 - Buffer.byteLength(powers) - Buffer.byteLength(loosened);
  if (fresh.length > 0) {
    const t = table(fresh, options, Math.max(budget * 0.7, 2048));
    parts.push(`### New in this pull request (${fresh.length})\n\n${t}`);
    budget -= Buffer.byteLength(t);
  }
  if (existing.length > 0) {
    const t = table(existing, options, Math.max(budget, 2048));
    parts.push(
      `<details><summary>${plural(existing.length, 'existing finding')} this pull request did not bring</summary>\n\n${t}\n\n</details>`,
    );
  }
  if (powers.trim().length > 0) parts.push(powers.trim());
  parts.push(footer(options));
  return `${parts.join('\n\n')}\n`;
}

/** The change in powers takes at most this much of the comment. */
const POWERS_BYTES = 20_000;

/** The powers section cut at a row boundary to fit, saying so. */
function capPowers(powers: string): string {
  if (Buffer.byteLength(powers) <= POWERS_BYTES) return powers;
  const cut = cutToBytes(powers, POWERS_BYTES);
  return `${cut.slice(0, cut.lastIndexOf('\n'))}\n\n_The change in powers is longer than a comment can hold: the rest is not shown._`;
}

/** The comment once a later push fixed everything it reported. */
export function renderResolved(options: CommentOptions): string {
  return `${options.marker}\n\n✅ **claude-guard**: everything reported here is resolved.\n\n${footer(options)}\n`;
}

function footer(options: CommentOptions): string {
  const run = options.runUrl ? ` · [workflow run](${options.runUrl})` : '';
  return `<sub>claude-guard on ${options.headSha.slice(0, 7)}${run}</sub>`;
}
