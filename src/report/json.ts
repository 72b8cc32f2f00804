import type { Verdict } from '../policy/verdict.js';

/** The JSON report, schema version 1 (docs/report-schema.md): a public contract, extended only additively. */
export function renderJson(verdict: Verdict): string {
  return `${JSON.stringify(verdict, null, 2)}\n`;
}
