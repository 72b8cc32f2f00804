import type { Parser as TSParser } from 'web-tree-sitter';
import type { Located } from '../model/span.js';
import type { Arg, ClaudeRun, IsolationContext, RunContext } from '../model/types.js';
import { runOf } from '../model/claude-invocation.js';
import { ShellReader } from './shell.js';
import type { SourceFile } from '../syntax/source.js';
import { hasExpansion, wordArg } from '../syntax/words.js';

const RECIPE = /^@?[A-Za-z_][\w-]*(\s[^:=]*)?:(?!=)/;
const ASSIGNMENT = /^(?:export\s+)?([A-Za-z_][\w-]*)\s*:=\s*(.*)$/;

/**
 * Claude runs in a justfile: every indented line under a recipe is a shell command. `name := value`
 * variables are read, and `{{name}}` interpolations stand for them.
 */
export function readJustfile(
  file: SourceFile,
  parser: TSParser,
  isolation?: Located<IsolationContext>,
): ClaudeRun[] {
  const context: RunContext = isolation ? { surface: 'makefile', isolation } : { surface: 'makefile' };
  const outer = new Map<string, Arg[]>();
  const runs: ClaudeRun[] = [];
  let inRecipe = false;
  let offset = 0;
  for (const raw of file.text.split('\n')) {
    const start = offset;
    offset += raw.length + 1;
    const line = raw.replace(/\r$/, '');
    if (line.trim().length === 0) continue;
    if (!/^\s/.test(line)) {
      inRecipe = RECIPE.test(line);
      const m = ASSIGNMENT.exec(line);
      if (m) {
        // The value of `flags := "--x --y"`, words located in the file.
        const value = (m[2] as string).replace(/^(["'])(.*)\1\s*$/, '$2');
        const valueStart = start + line.indexOf(value, line.indexOf(':=') + 2);
        outer.set(
          m[1] as string,
          [...value.matchAll(/\S+/g)].map((w) => {
            const at = valueStart + (w.index ?? 0);
            return wordArg(
              w[0],
              (k) => at + k,
              (a, b) => file.span(a, b),
              hasExpansion(w[0], 'literal'),
            );
          }),
        );
      }
      continue;
    }
    if (!inRecipe || !/claude|\{\{/.test(line)) continue;
    // Indentation and just's `@`/`-` line prefixes blanked; `{{name}}` read as `${name}`, same length.
    const script = line
      .replace(/^(\s*)([@-]+)/, (_m, space: string, marks: string) => space + ' '.repeat(marks.length))
      .replace(/\{\{\s*([A-Za-z_][\w-]*)\s*\}\}/g, (m, name: string) => `\${${name}}`.padEnd(m.length));
    const reader = new ShellReader(parser, {
      text: script,
      toFile: (i) => start + i,
      lines: file.lines,
      outer,
    });
    for (const call of reader.claudeCalls()) runs.push(runOf(file.path, call, context));
  }
  return runs;
}
