import type { LineIndex } from '../model/span.js';
import type { ClaudeInstall } from '../model/types.js';

/*
 * Installs of Claude seen while a file is read, kept by the file's line index until `readFacts` takes them.
 * Shell text is read from a dozen places — workflow steps, Dockerfile `RUN`, Makefile recipes, package.json
 * scripts, dev container commands, scripts nested in `bash -c` and here-docs — and each hands its runs up
 * through its own return value; the installs met on the way join the file's facts here instead of through
 * every one of those signatures. Reading a file is synchronous, so one file's installs never mix with
 * another's.
 */
const seen = new WeakMap<LineIndex, ClaudeInstall[]>();

/** Records an install found in the file `lines` belongs to. */
export function noteInstall(lines: LineIndex, install: ClaudeInstall): void {
  const list = seen.get(lines);
  if (list) list.push(install);
  else seen.set(lines, [install]);
}

/**
 * The installs recorded for a file, each once (a command read under several values of its variables, or a
 * Dockerfile `CMD` read again with its `ENTRYPOINT`, is one install), and forgets them.
 */
export function takeInstalls(lines: LineIndex): ClaudeInstall[] {
  const list = seen.get(lines) ?? [];
  seen.delete(lines);
  const keys = new Set<string>();
  return list.filter((i) => {
    const { line, column, endLine, endColumn } = i.span;
    const key = `${i.how} ${line}:${column}-${endLine}:${endColumn} ${i.version?.value ?? ''}`;
    return !keys.has(key) && !!keys.add(key);
  });
}
