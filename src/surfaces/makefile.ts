import type { Parser as TSParser } from 'web-tree-sitter';
import type { Located } from '../model/span.js';
import type { Arg, ClaudeRun, IsolationContext, RunContext } from '../model/types.js';
import { runOf } from '../model/claude-invocation.js';
import { ShellReader } from './shell.js';
import type { SourceFile } from '../syntax/source.js';
import { hasExpansion, wordArg } from '../syntax/words.js';

const ASSIGNMENT = /^(?:export\s+|override\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(?::{1,3}=|\?=|\+=|=)\s*(.*)$/;

/** Words of a make variable's value, each located in the Makefile. */
function valueWords(file: SourceFile, text: string, start: number): Arg[] {
  const words: Arg[] = [];
  for (const m of text.matchAll(/\S+/g)) {
    const at = start + (m.index ?? 0);
    const value = m[0];
    words.push(
      wordArg(
        value,
        (k) => at + k,
        (a, b) => file.span(a, b),
        hasExpansion(value, 'make'),
      ),
    );
  }
  return words;
}

/**
 * Claude runs in a Makefile's recipes. Each recipe line (with its `\` continuations) is a shell command;
 * `@`, `-` and `+` prefixes are make's, `$$` is a shell `$`, and `$(FLAGS)` is a make variable set in the
 * same file.
 */
export function readMakefile(
  file: SourceFile,
  parser: TSParser,
  isolation?: Located<IsolationContext>,
): ClaudeRun[] {
  const context: RunContext = isolation ? { surface: 'makefile', isolation } : { surface: 'makefile' };
  const lines = file.text.split('\n');
  const outer = new Map<string, Arg[]>();
  const runs: ClaudeRun[] = [];
  /** One recipe command, make's own syntax blanked to the same length so positions hold. */
  const readRecipe = (text: string, start: number): void => {
    const script = text
      .replace(/^(\s*)([@+-]+)/, (_m, space: string, marks: string) => space + ' '.repeat(marks.length))
      .replace(/\$\$/g, ' $')
      .replace(/\r/g, ' ')
      .replace(/\n\t/g, '\n ');
    const reader = new ShellReader(parser, {
      text: script,
      toFile: (i) => start + i,
      lines: file.lines,
      outer,
    });
    for (const call of reader.claudeCalls()) {
      runs.push(runOf(file.path, call, context));
    }
  };
  let offset = 0;
  for (let n = 0; n < lines.length; n++) {
    const line = (lines[n] as string).replace(/\r$/, '');
    const lineStart = offset;
    offset += (lines[n] as string).length + 1;
    // `target: prerequisites ; command` puts a recipe on the rule's own line.
    const inline = line.startsWith('\t') ? undefined : /^[^\t#=:]+::?[^=;#]*;(.*)$/.exec(line);
    if (inline && /claude/i.test(inline[1] as string)) {
      readRecipe(inline[1] as string, lineStart + line.length - (inline[1] as string).length);
      continue;
    }
    if (!line.startsWith('\t')) {
      const m = ASSIGNMENT.exec(line);
      if (m && !line.startsWith(' ')) {
        const raw = m[2] as string;
        const hash = raw.search(/\s#/);
        const value = (hash >= 0 ? raw.slice(0, hash) : raw).trimEnd();
        const valueStart = lineStart + line.length - (m[2] as string).length;
        const words = valueWords(file, value, valueStart);
        outer.set(
          m[1] as string,
          /\+=/.test(line.slice(0, line.length - (m[2] as string).length))
            ? [...(outer.get(m[1] as string) ?? []), ...words]
            : words,
        );
      }
      continue;
    }
    // A recipe line and its continuations, as one script; make's own syntax blanked to the same length.
    let end = n;
    while ((lines[end] as string).replace(/\r$/, '').endsWith('\\') && end + 1 < lines.length) end++;
    const start = lineStart + 1;
    const script = lines
      .slice(n, end + 1)
      .join('\n')
      .slice(1);
    offset = lineStart + lines.slice(n, end + 1).join('\n').length + 1;
    n = end;
    if (!/claude/i.test(script)) continue;
    readRecipe(script, start);
  }
  return runs;
}
