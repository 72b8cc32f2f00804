import { parseExpression, refsOf } from '../syntax/actions-expression.js';

/**
 * What a `${{ … }}` reads, through the expression parser: every context path, also inside calls
 * (`fromJSON(steps.claude.outputs.result).label`, `format('{0}', steps.claude.outputs.x)`) and index forms
 * (`steps['claude'].outputs.x`). Paths are lower-cased, as GitHub reads contexts.
 */

/** The same expressions are read by several rules for every step: the recent ones are kept. */
const CACHE = new Map<string, string[]>();
const MAX_CACHED = 2048;
/** Longer than any expression a person writes: read, not kept. */
const MAX_KEPT_LENGTH = 4096;

/** Every context path an expression (the inside of `${{ … }}`) reads; a text that does not parse reads none. */
export function pathsRead(expression: string): string[] {
  const known = CACHE.get(expression);
  if (known) return known;
  const tree = parseExpression(expression);
  const paths = tree ? refsOf(tree) : [];
  if (expression.length <= MAX_KEPT_LENGTH) {
    if (CACHE.size >= MAX_CACHED) CACHE.clear();
    CACHE.set(expression, paths);
  }
  return paths;
}

/** The `${{ … }}` expressions written in a value, each trimmed, in order. */
export function expressionTexts(text: string): string[] {
  const out: string[] = [];
  for (let at = text.indexOf('${{'); at >= 0;) {
    const end = text.indexOf('}}', at + 3);
    if (end < 0) break;
    out.push(text.slice(at + 3, end).trim());
    at = text.indexOf('${{', end + 2);
  }
  return out;
}

/** The names under `<root>.<name>.…` an expression reads (`steps` → step ids, `needs` → job ids). */
function namesUnder(expression: string, root: string, then?: string): string[] {
  const out: string[] = [];
  for (const path of pathsRead(expression)) {
    const parts = path.split('.');
    if (parts[0] !== root || parts[1] === undefined || parts[1] === '*') continue;
    if (then !== undefined && parts[2] !== then) continue;
    if (!out.includes(parts[1])) out.push(parts[1]);
  }
  return out;
}

/** The ids (lower-cased) of the steps whose outputs an expression reads: `steps.<id>.outputs…`. */
export function stepOutputsRead(expression: string): string[] {
  return namesUnder(expression, 'steps', 'outputs');
}

/** The ids (lower-cased) of the jobs whose outputs an expression reads: `needs.<job>.outputs…`. */
export function jobOutputsRead(expression: string): string[] {
  return namesUnder(expression, 'needs', 'outputs');
}

/**
 * The job outputs (job ids and output names lower-cased) an expression reads: `needs.<job>.outputs.<name>`;
 * `output` is undefined when it reads them all (`toJSON(needs.<job>.outputs)`).
 */
export function jobOutputRefs(expression: string): { job: string; output?: string }[] {
  const out: { job: string; output?: string }[] = [];
  for (const path of pathsRead(expression)) {
    const [root, job, outputs, output] = path.split('.');
    if (root !== 'needs' || job === undefined || job === '*' || outputs !== 'outputs') continue;
    out.push(output === undefined || output === '*' ? { job } : { job, output });
  }
  return out;
}

/** The inputs (lower-cased) an expression reads: `inputs.<name>`, a workflow's or an action's. */
export function inputsRead(expression: string): string[] {
  return namesUnder(expression, 'inputs');
}
