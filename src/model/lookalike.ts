/** Edit distance between two short names, at most `limit + 1` (then they are simply far apart). */
export function distance(a: string, b: string, limit = 3): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      row.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    prev = row;
  }
  return prev[b.length] as number;
}

const OWNER = 'anthropics';
const ACTIONS = ['claude-code-action', 'claude-code-base-action'];

/** Folds the tricks of a look-alike name: case, `_` and `.` for `-`, digits for letters. */
function folded(name: string): string {
  return name
    .toLowerCase()
    .replace(/[_.]/g, '-')
    .replace(/0/g, 'o')
    .replace(/1/g, 'l')
    .replace(/3/g, 'e')
    .replace(/5/g, 's');
}

/**
 * Owners named like Anthropic or its product (`anthropic-ai`, `claude-ai`, `claude-code`, `claudeai`): an
 * action of theirs that names Claude imitates Anthropic's, not merely copies it.
 */
const PRODUCT_OWNER = /^(anthropics?|claude)-?(ai|code|hq|inc|official|labs?|dev|team|app)?$/;

/**
 * How an action reference (`owner/name[/path]@ref`) imitates Anthropic's Claude actions: `owner` when its owner
 * is not `anthropics` but reads like it or like Anthropic's product (`claude-ai`) and the name names Claude, `name` when its name reads like
 * `claude-code-action` without being it, `fork` when another owner publishes an action of exactly that name;
 * undefined for the real actions and for everything else.
 */
export function lookalikeOf(uses: string): 'owner' | 'name' | 'fork' | undefined {
  const m = /^([^/@\s]+)\/([^/@\s]+)/.exec(uses);
  if (!m) return undefined;
  const owner = (m[1] as string).toLowerCase();
  const name = (m[2] as string).toLowerCase();
  const realName = ACTIONS.includes(name);
  if (owner === OWNER)
    return realName ? undefined : ACTIONS.some((a) => distance(folded(name), a, 2) <= 2) ? 'name' : undefined;
  const ownerLike =
    folded(owner) === OWNER || distance(folded(owner), OWNER, 2) <= 2 || PRODUCT_OWNER.test(folded(owner));
  if (ownerLike && (name.includes('claude') || ACTIONS.some((a) => distance(folded(name), a, 3) <= 3)))
    return 'owner';
  if (realName) return 'fork';
  if (ACTIONS.some((a) => distance(folded(name), a, 2) <= 2)) return 'name';
  return undefined;
}
