import type { Verdict } from '../policy/verdict.js';
import { dataVerdict, safeJson } from './safe.js';

/**
 * The JSON report, schema version 1: a public contract, extended only additively. Credentials are masked
 * everywhere, paths included; control characters are JSON escapes, so the value is exact and the file is
 * safe to print.
 */
export function renderJson(verdict: Verdict, options: { secrets?: readonly string[] } = {}): string {
  return `${safeJson(dataVerdict(verdict, options.secrets))}\n`;
}
