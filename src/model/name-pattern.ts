/**
 * Whether a name matches an entry of a policy list in which `*` stands for any run of characters (none
 * included) and every other character for itself: `github`, `github-*`, `*-readonly`, `acme/*`, `*`.
 * Compared piece by piece without a regular expression, so no name makes it slow.
 */
export function matchesNamePattern(name: string, pattern: string): boolean {
  if (!pattern.includes('*')) return name === pattern;
  const pieces = pattern.split('*');
  const head = pieces[0] as string;
  const tail = pieces[pieces.length - 1] as string;
  if (name.length < head.length + tail.length || !name.startsWith(head) || !name.endsWith(tail)) return false;
  // Each middle piece at its leftmost place after the one before: for `*` alone that is always right.
  let at = head.length;
  const end = name.length - tail.length;
  for (const piece of pieces.slice(1, -1)) {
    if (piece === '') continue;
    const found = name.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

/** Whether any entry of a policy list matches a name. */
export function matchesAnyPattern(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => matchesNamePattern(name, p));
}
