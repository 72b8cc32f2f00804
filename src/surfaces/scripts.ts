import type { Parser as TSParser } from 'web-tree-sitter';
import type { Located } from '../model/span.js';
import type { ClaudeRun, ConfigProblem, IsolationContext, RunContext } from '../model/types.js';
import { child, entries, parseStrictJson } from '../syntax/json-doc.js';
import { jsonStringOffsets } from '../syntax/json-string.js';
import { runOf } from '../model/claude-invocation.js';
import { ShellReader, type ShellInput } from './shell.js';
import type { SourceFile } from '../syntax/source.js';

function runsIn(file: SourceFile, parser: TSParser, input: ShellInput, context: RunContext): ClaudeRun[] {
  return new ShellReader(parser, input).claudeCalls().map((call) => runOf(file.path, call, context));
}

/** Claude commands in a shell script. CRLF line ends are read as LF, keeping every position. */
export function readShellScript(
  file: SourceFile,
  parser: TSParser,
  isolation?: Located<IsolationContext>,
): ClaudeRun[] {
  const removed: number[] = [];
  const text = file.text.replace(/\r\n/g, (_m, at: number) => {
    removed.push(at);
    return '\n';
  });
  const toFile = (i: number): number => {
    let lo = 0;
    let hi = removed.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((removed[mid] as number) - mid <= i) lo = mid + 1;
      else hi = mid;
    }
    return i + lo;
  };
  const context: RunContext = isolation
    ? { surface: 'shell-script', isolation }
    : { surface: 'shell-script' };
  return runsIn(file, parser, { text, toFile, lines: file.lines }, context);
}

/** Claude commands in the `scripts` of a `package.json`; each script is a shell command line. */
export function readPackageScripts(
  file: SourceFile,
  parser: () => TSParser,
  isolation?: Located<IsolationContext>,
): { runs: ClaudeRun[]; problems: ConfigProblem[] } {
  const context: RunContext = isolation
    ? { surface: 'package-json', isolation }
    : { surface: 'package-json' };
  const { root } = parseStrictJson(file, 'package.json', 'npm cannot read it');
  const runs: ClaudeRun[] = [];
  for (const [, value] of entries(child(root, 'scripts'))) {
    if (value.type !== 'string' || typeof value.value !== 'string' || !value.value.includes('claude'))
      continue;
    const { value: text, offsets } = jsonStringOffsets(file.text, value.offset);
    const toFile = (i: number): number => offsets[Math.min(i, offsets.length - 1)] ?? value.offset;
    runs.push(...runsIn(file, parser(), { text, toFile, lines: file.lines }, context));
  }
  return { runs, problems: [] };
}
