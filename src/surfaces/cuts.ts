import type { LineIndex } from '../model/span.js';

/*
 * What a reader chose not to read in a file built to be too large to read (thousands of hooks, stages or
 * servers in one file), kept by the file's line index until `readFacts` takes them as the file's notices.
 * Readers deep in a file (a settings object inside a command line, front matter inside a plugin) reach this
 * without a notice list passed through every signature. Reading a file is synchronous, so one file's cuts
 * never mix with another's.
 */
const cuts = new WeakMap<LineIndex, Set<string>>();

/** Records that part of the file `lines` belongs to was not read; said once per message. */
export function noteCut(lines: LineIndex, message: string): void {
  const list = cuts.get(lines);
  if (list) list.add(message);
  else cuts.set(lines, new Set([message]));
}

/** The cuts recorded for a file, and forgets them. */
export function takeCuts(lines: LineIndex): string[] {
  const list = cuts.get(lines);
  cuts.delete(lines);
  return list ? [...list] : [];
}

/** Grants read from one list (`permissions.allow`, `allowed-tools`…), at most. */
export const MAX_GRANTS = 1000;

/** MCP servers read from one `mcpServers` object, at most. */
export const MAX_SERVERS = 1000;

/** Hooks read from one list of a file (settings, plugin hooks, front matter), at most. */
export const MAX_HOOKS = 1000;

/** The notice for a list cut at `max` items. */
export function cutMessage(what: string, max: number): string {
  return `more than ${max} ${what}: the first ${max} are read`;
}
