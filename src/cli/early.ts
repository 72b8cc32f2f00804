import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type GitPlan, gitPlan } from '../fs/list.js';
import { CONTENT_NEEDLES } from '../model/needles.js';

/** The options of `claude-guard scan`, shared by the early start below and the command itself. */
export const SCAN_OPTIONS = {
  policy: { type: 'string' },
  format: { type: 'string', short: 'f', default: 'text' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  ignore: { type: 'string', multiple: true },
  'sarif-category': { type: 'string' },
  baseline: { type: 'string' },
} as const;

/** The options of `claude-guard inventory`. */
export const INVENTORY_OPTIONS = {
  policy: { type: 'string' },
  format: { type: 'string', short: 'f', default: 'text' },
  output: { type: 'string', short: 'o' },
  ignore: { type: 'string', multiple: true },
} as const;

export interface EarlyPlan {
  root: string;
  plan: Promise<GitPlan | undefined>;
}

/**
 * Starts git listing and searching the folder a `scan` or `inventory` names before the rest of the scanner
 * loads, so that git's work and Node's module loading overlap. Undefined when the arguments do not parse (the
 * command itself then reports the mistake).
 */
export function startEarly(
  args: string[],
  cwd: string,
  command: 'scan' | 'inventory' = 'scan',
): EarlyPlan | undefined {
  const options = command === 'inventory' ? INVENTORY_OPTIONS : SCAN_OPTIONS;
  try {
    const { positionals } = parseArgs({ args, allowPositionals: true, strict: true, options });
    if (positionals.length > 1) return undefined;
    const root = resolve(cwd, positionals[0] ?? '.');
    return { root, plan: gitPlan(root, CONTENT_NEEDLES) };
  } catch {
    return undefined;
  }
}
