/**
 * The `patch` of a pull request file as GitHub returns it from `GET /pulls/{n}/files`: the hunks of a unified
 * diff, without the `diff --git`/`---`/`+++` header, joined by "\n". Build one for a fixture, or read one to
 * know which lines a review comment may point at.
 */

/**
 * One hunk. Each line starts with ' ' (context), '+' (added) or '-' (removed); the header's ranges are
 * counted from the lines, written like git (a count of 1 is left out).
 */
export function hunk(oldStart: number, newStart: number, lines: readonly string[]): string {
  let oldCount = 0;
  let newCount = 0;
  for (const line of lines) {
    const mark = line[0];
    if (mark === ' ') {
      oldCount++;
      newCount++;
    } else if (mark === '-') oldCount++;
    else if (mark === '+') newCount++;
    else if (mark !== '\\')
      throw new Error(`A hunk line starts with ' ', '+', '-' or '\\': ${JSON.stringify(line)}`);
  }
  return [`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`, ...lines].join('\n');
}

/** A file's patch from its hunks, in order. */
export function patchFor(...hunks: string[]): string {
  return hunks.join('\n');
}

/** The patch of a file the pull request adds: every line is '+'. */
export function addedFilePatch(text: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  return hunk(
    0,
    1,
    lines.map((l) => '+' + l),
  );
}

/** git writes a one-line side as "start" and an empty side as "start,0", start being the line before it. */
function range(start: number, count: number): string {
  return count === 1 ? String(start) : `${start},${count}`;
}

export interface PatchHunk {
  /** Lines of the old file (LEFT side) shown in the hunk: context and removed. */
  left: Set<number>;
  /** Lines of the new file (RIGHT side) shown in the hunk: context and added. */
  right: Set<number>;
}

export interface ParsedPatch {
  hunks: PatchHunk[];
  additions: number;
  deletions: number;
  /** Lines below the first hunk header (later headers included): the range of the deprecated `position`. */
  positions: number;
}

const HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** The hunks of a patch and the lines each one shows on either side. */
export function parsePatch(patch: string | undefined): ParsedPatch {
  const parsed: ParsedPatch = { hunks: [], additions: 0, deletions: 0, positions: 0 };
  if (!patch) return parsed;
  let current: PatchHunk | undefined;
  let oldLine = 0;
  let newLine = 0;
  for (const line of patch.replace(/\n$/, '').split('\n')) {
    const header = HEADER.exec(line);
    if (header) {
      if (current) parsed.positions++;
      current = { left: new Set(), right: new Set() };
      parsed.hunks.push(current);
      oldLine = Number(header[1]);
      newLine = Number(header[3]);
      continue;
    }
    if (!current) continue;
    parsed.positions++;
    const mark = line[0];
    if (mark === '+') {
      current.right.add(newLine++);
      parsed.additions++;
    } else if (mark === '-') {
      current.left.add(oldLine++);
      parsed.deletions++;
    } else if (mark === ' ' || line === '') {
      current.left.add(oldLine++);
      current.right.add(newLine++);
    }
    // "\ No newline at end of file" belongs to the line before it
  }
  return parsed;
}
