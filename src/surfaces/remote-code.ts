import type { Parser as TSParser } from 'web-tree-sitter';
import { fetchedCodeIn } from '../model/remote-code.js';
import { LineIndex, type Span } from '../model/span.js';
import type { Arg, RemoteCode } from '../model/types.js';
import type { JsonNode } from '../syntax/json-doc.js';
import { jsonStringOffsets } from '../syntax/json-string.js';
import type { SourceFile } from '../syntax/source.js';
import { hasExpansion, wordArg } from '../syntax/words.js';
import { ShellReader } from './shell.js';

/** A file's positions for the shell reader, through the file's embedding (JSON inside a workflow input). */
class FileLines extends LineIndex {
  constructor(private readonly file: SourceFile) {
    super(file.path, '');
  }

  override span(start: number, end: number): Span {
    return this.file.span(start, end);
  }
}

/**
 * The remote code a command line that Claude hands to a shell fetches and runs (a hook's `command`, a
 * helper), pinned or not. `offsetOf(i)` is the offset in `file`'s text of the command's `i`-th character.
 */
export function shellRemoteCode(
  file: SourceFile,
  parser: TSParser,
  text: string,
  offsetOf: (i: number) => number,
): RemoteCode[] {
  const reader = new ShellReader(parser, { text, toFile: offsetOf, lines: new FileLines(file) });
  return fetchedCodeIn(reader.commands());
}

/** The same for a command Claude runs without a shell: a program and its arguments (`"args": […]`). */
export function execRemoteCode(words: Arg[]): RemoteCode[] {
  return fetchedCodeIn([{ words, stdin: [], substituted: [] }]);
}

/** A JSON string as a command word, each character located where it is written. */
function jsonArg(file: SourceFile, node: JsonNode): Arg | undefined {
  if (node.type !== 'string') return undefined;
  const { value, offsets } = jsonStringOffsets(file.text, node.offset);
  return wordArg(
    value,
    (k) => offsets[k],
    (a, b) => file.span(a, b),
    hasExpansion(value, 'exec'),
    file.span(node.offset, node.offset + node.length),
  );
}

/**
 * The remote code a JSON `command` fetches and runs: read as shell (`"command": "curl … | sh"`), or, when
 * `args` is given, as a program and its arguments run without a shell. Nothing without the bash grammar.
 */
export function commandRemote(
  file: SourceFile,
  shell: (() => TSParser | undefined) | undefined,
  command: JsonNode | undefined,
  args?: JsonNode,
): RemoteCode[] {
  if (command?.type !== 'string') return [];
  if (args?.type === 'array') {
    const words = [command, ...(args.children ?? [])].flatMap((n) => jsonArg(file, n) ?? []);
    return execRemoteCode(words);
  }
  const parser = shell?.();
  if (!parser) return [];
  const { value, offsets } = jsonStringOffsets(file.text, command.offset);
  return shellRemoteCode(
    file,
    parser,
    value,
    (i) => offsets[Math.min(i, offsets.length - 1)] ?? command.offset,
  );
}
