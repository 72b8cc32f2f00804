import type { LabelPart, Power, PowersDiff } from '../model/powers.js';
import { comparePowers } from '../model/powers.js';
import { urlPath } from './markdown.js';
import { displayLine } from './safe.js';
import { maskUrlPasswords } from './credentials.js';

export interface PowersRenderOptions {
  /** Known secret values and pieces, masked wherever they appear. */
  secrets: readonly string[];
  /** Links added powers to the head version of their file: `<linkBase>/<path>#L<line>`. */
  linkBase?: string;
  /** Links removed powers to the base version of their file; without it they are shown unlinked. */
  baseLinkBase?: string;
  /** At most this many rows; a line says how many more there are. */
  maxRows?: number;
}

export const POWERS_HEADING = "### What this PR changes in Claude's powers";
const DEFAULT_MAX_ROWS = 50;
/** Longest piece of repository text shown in a cell, after masking. */
const MAX_TEXT = 120;

/** Repository text made safe to show: masked, on one line, and cut to a readable length. */
function shown(text: string, secrets: readonly string[]): string {
  const line = displayLine(maskUrlPasswords(text), secrets);
  return line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT - 1)}…` : line;
}

/**
 * Repository text as a code span inside a table cell: nothing in it renders as HTML, a link, an image, an
 * emoji or an @-mention. The fence is longer than any run of backticks in the text. GitHub splits table
 * cells before it reads code spans, so every `|` is escaped, and as it reads `\\` as one escaped character
 * there, a pipe after a backslash needs its own backslash too (shown doubled).
 */
export function codeCell(text: string): string {
  if (text.length === 0) return '_(empty)_';
  const piped = text.replace(/(\\*)\|/g, (_m, slashes: string) =>
    slashes.length % 2 === 0 ? `${slashes}\\|` : `${slashes}\\\\|`,
  );
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[`\s]|[`\s]$/.test(text) ? ' ' : '';
  return `${fence}${pad}${piped}${pad}${fence}`;
}

function partsCell(parts: readonly LabelPart[], secrets: readonly string[]): string {
  // Our own words hold no Markdown; repository text goes through the edge and into code spans.
  return parts.map((p) => (p.code ? codeCell(shown(p.text, secrets)) : p.text)).join('');
}

interface Row {
  sign: '+' | '−';
  power: Power;
}

/** What the row does to Claude's powers: a removed deny rule widens them. */
function effect({ sign, power }: Row): string {
  if (power.direction === 'neutral') return '—';
  const widens = (power.direction === 'widens') === (sign === '+');
  if (!widens) return 'narrows';
  return sign === '+' ? '**widens**' : '**widens** (limit removed)';
}

function whereCell({ sign, power }: Row, options: PowersRenderOptions): string {
  const place = codeCell(shown(`${power.span.path}:${power.span.line}`, options.secrets));
  const base = sign === '+' ? options.linkBase : options.baseLinkBase;
  let out = base ? `[${place}](${base}/${urlPath(power.span.path)}#L${power.span.line})` : place;
  if (sign === '−') out += ' (base)';
  if (power.where.job !== undefined) out += ` job ${codeCell(shown(power.where.job, options.secrets))}`;
  return out;
}

function row(r: Row, options: PowersRenderOptions): string {
  const cells = [
    r.sign,
    effect(r),
    r.power.kind,
    partsCell(r.power.what, options.secrets),
    whereCell(r, options),
    r.power.risk ?? '—',
  ];
  return `| ${cells.join(' | ')} |`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The change in Claude's powers as a Markdown section for the pull request comment: one row per power the
 * change adds (+) or removes (−), most risky first, with what the row does to Claude's powers. Empty when
 * nothing changed. Every piece of repository text is masked and shown as code.
 */
export function renderPowersChange(diff: PowersDiff, options: PowersRenderOptions): string {
  const rows: Row[] = [
    ...diff.added.map((power) => ({ sign: '+' as const, power })),
    ...diff.removed.map((power) => ({ sign: '−' as const, power })),
  ];
  if (rows.length === 0) return '';
  // A changed value is a removed power and an added one: sorted together, the old one first.
  rows.sort((a, b) => comparePowers(a.power, b.power) || (a.sign === '−' ? -1 : 1));
  const widening = rows.filter((r) => effect(r).startsWith('**widens**')).length;
  const counts = [
    plural(diff.added.length, 'power added', 'powers added'),
    plural(diff.removed.length, 'removed', 'removed'),
  ].join(', ');
  const lines = [
    POWERS_HEADING,
    '',
    widening > 0
      ? `${counts}: **${plural(widening, 'change widens', 'changes widen')}** what Claude may do.`
      : `${counts}: nothing widens what Claude may do.`,
    '',
    '| | Effect | Kind | What | Where | Risk |',
    '|---|---|---|---|---|---|',
  ];
  const max = Math.max(1, options.maxRows ?? DEFAULT_MAX_ROWS);
  for (const r of rows.slice(0, max)) lines.push(row(r, options));
  if (rows.length > max) {
    lines.push('', `_${plural(rows.length - max, 'more change is', 'more changes are')} not shown._`);
  }
  return `${lines.join('\n')}\n`;
}
