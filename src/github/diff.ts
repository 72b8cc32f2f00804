/**
 * The hunks of a pull request file's `patch` (as `GET /pulls/{n}/files` returns it: a unified diff without
 * the `diff --git`/`---`/`+++` header) and the lines a review comment may point at. GitHub refuses a whole
 * review when one comment is outside a hunk, and a multi-line comment whose first line is in another hunk
 * than its last (`reference/github-platform.md` §3), so comments are placed from this, never guessed.
 */

export interface Hunk {
  /** From the header `@@ -oldStart,oldLines +newStart,newLines @@`; an omitted count is 1. */
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** RIGHT-side (new file) lines the hunk shows, ascending: its context and added lines. */
  right: number[];
  /** The added lines among them. */
  added: number[];
}

const HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * The hunks of a patch. A hunk's body is read by its header's counts, so a line that merely looks like a
 * header (an added line `+@@ …`) cannot start a new one; lines are taken as they are shown, so a patch cut
 * short yields only the lines it holds. "\ No newline at end of file" belongs to the line before it. A line
 * left empty where a context line was expected is read as one (some tools strip its single space). Lines
 * may end in CRLF. Text outside any hunk is ignored.
 */
export function parsePatch(patch: string | undefined): Hunk[] {
  const hunks: Hunk[] = [];
  if (!patch) return hunks;
  let current: Hunk | undefined;
  let oldLeft = 0;
  let newLeft = 0;
  let newLine = 0;
  for (const line of patch.split(/\r?\n/)) {
    if (current && (oldLeft > 0 || newLeft > 0)) {
      const mark = line[0];
      if (mark === '\\') continue;
      if (mark === '+' && newLeft > 0) {
        current.right.push(newLine);
        current.added.push(newLine++);
        newLeft--;
        continue;
      }
      if (mark === '-' && oldLeft > 0) {
        oldLeft--;
        continue;
      }
      if ((mark === ' ' || line === '') && oldLeft > 0 && newLeft > 0) {
        current.right.push(newLine++);
        oldLeft--;
        newLeft--;
        continue;
      }
      // Not what the header announced: the hunk ends here, with the lines it showed.
      oldLeft = newLeft = 0;
    }
    const header = HEADER.exec(line);
    if (!header) continue;
    current = {
      oldStart: Number(header[1]),
      oldLines: header[2] === undefined ? 1 : Number(header[2]),
      newStart: Number(header[3]),
      newLines: header[4] === undefined ? 1 : Number(header[4]),
      right: [],
      added: [],
    };
    hunks.push(current);
    newLine = current.newStart;
    oldLeft = current.oldLines;
    newLeft = current.newLines;
  }
  return hunks;
}

/** The RIGHT-side lines of a file's diff a review comment may be placed on. */
export interface CommentableLines {
  /** Every such line: the added and context lines of every hunk. */
  readonly lines: ReadonlySet<number>;
  has(line: number): boolean;
  /**
   * Every line from `start` to `end` (inclusive, `start <= end`) is shown in one and the same hunk, so a
   * comment may span them (a multi-line comment also needs `start < end`: GitHub refuses `start_line ==
   * line`).
   */
  inOneHunk(start: number, end: number): boolean;
}

export function commentableLines(patch: string | undefined): CommentableLines {
  const hunkOf = new Map<number, number>();
  parsePatch(patch).forEach((hunk, index) => {
    // Hunks never overlap in a diff git wrote; if a hand-made one does, the first hunk keeps the line.
    for (const line of hunk.right) if (!hunkOf.has(line)) hunkOf.set(line, index);
  });
  const lines: ReadonlySet<number> = new Set(hunkOf.keys());
  return {
    lines,
    has: (line) => hunkOf.has(line),
    inOneHunk: (start, end) => {
      if (!Number.isInteger(start) || !Number.isInteger(end) || start > end) return false;
      const hunk = hunkOf.get(start);
      if (hunk === undefined) return false;
      // Line by line, which stops at the first line outside: bounded by the hunk's length.
      for (let line = start + 1; line <= end; line++) if (hunkOf.get(line) !== hunk) return false;
      return true;
    },
  };
}
