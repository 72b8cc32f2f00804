import type { Severity } from '../model/types.js';
import type { Finding, Verdict } from '../policy/verdict.js';
import { displayVerdict } from './safe.js';

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export function annotationLevel(severity: Severity): AnnotationLevel {
  if (severity === 'critical' || severity === 'high') return 'error';
  return severity === 'medium' ? 'warning' : 'notice';
}

/** Escaping of workflow-command data (actions/toolkit command.ts): `%` first, then CR and LF. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of workflow-command properties: as data, plus `:` and `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function annotationTitle(f: Finding): string {
  return `${f.ruleId} ${f.ruleName} (${f.severity})`;
}

/** The annotation text: the message, then how to fix it. */
export function annotationMessage(f: Finding): string {
  return `${f.message}\nFix: ${f.help}`;
}

/**
 * One workflow command per finding, most severe first (the runner keeps only the first ten of each level
 * per step). Columns are given only when the span is on one line, as the runner requires.
 */
export function renderGithub(
  unsafe: Verdict,
  options: { prefix?: string; secrets?: readonly string[] } = {},
): string {
  const prefix = options.prefix ?? '';
  return displayVerdict(unsafe, options.secrets)
    .findings.map((f) => {
      const props = [`file=${escapeProperty(prefix + f.path)}`, `line=${f.line}`, `endLine=${f.endLine}`];
      if (f.line === f.endLine) props.push(`col=${f.column}`, `endColumn=${f.endColumn}`);
      props.push(`title=${escapeProperty(annotationTitle(f))}`);
      return `::${annotationLevel(f.severity)} ${props.join(',')}::${escapeData(annotationMessage(f))}\n`;
    })
    .join('');
}
