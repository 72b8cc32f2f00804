import type { Parser as TSParser } from 'web-tree-sitter';
import type { ClaudeRun, ConfigProblem, SettingsDoc } from '../model/types.js';
import { readSettings } from './settings.js';
import { SourceFile } from '../syntax/source.js';
import type { LineIndex } from '../model/span.js';

/**
 * Settings given on a command line as JSON (`claude --settings '{"permissions": …}'`), read as a settings
 * object whose positions are those of the characters in the file.
 */
export function inlineSettingsOf(
  run: ClaudeRun,
  lines: LineIndex,
  shell?: () => TSParser | undefined,
): { docs: SettingsDoc[]; problems: ConfigProblem[] } {
  const docs: SettingsDoc[] = [];
  const problems: ConfigProblem[] = [];
  for (const flag of run.command?.flags ?? []) {
    const value = flag.values[0];
    if (flag.name !== '--settings' || !value || value.dynamic || !value.value.trimStart().startsWith('{'))
      continue;
    const embedded = new SourceFile(run.path, value.value, { lines, spanOf: (a, b) => value.sub(a, b) });
    const read = readSettings(embedded, 'inline', run.context.isolation, '--settings JSON', shell);
    if (read.doc) {
      docs.push(read.doc);
      if (run.command) run.command.inlineSettings = read.doc;
    }
    problems.push(...read.problems);
  }
  return { docs, problems };
}
