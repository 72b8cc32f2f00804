import type { Parser as TSParser } from 'web-tree-sitter';
import type { ClaudeRun, RunContext } from '../model/types.js';
import { claudeInWords, runOf } from '../model/claude-invocation.js';
import { claudeInstallsInWords } from '../model/claude-install.js';
import { noteInstall } from './installs.js';
import { ShellReader } from './shell.js';
import type { SourceFile } from '../syntax/source.js';
import { execArg, type ExecWord } from '../syntax/words.js';

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh']);

function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

/** Claude runs in a command line given as a shell string (`"postCreateCommand": "…"`, `RUN …`). */
export function shellFormRuns(
  file: SourceFile,
  parser: TSParser,
  text: string,
  toFile: (i: number) => number,
  context: RunContext,
): ClaudeRun[] {
  return new ShellReader(parser, { text, toFile, lines: file.lines })
    .claudeCalls()
    .map((call) => runOf(file.path, call, context));
}

/**
 * Claude runs in an exec-form command: `["claude", "--flag"]` runs Claude without a shell;
 * `["sh", "-c", "claude …"]` hands a script to one.
 */
export function execFormRuns(
  file: SourceFile,
  parser: () => TSParser,
  words: ExecWord[],
  context: RunContext,
): ClaudeRun[] {
  const program = words[0];
  if (!program) return [];
  const name = basename(program.value);
  // `["claude", …]`, and through wrappers: `["npx", "-y", "@anthropic-ai/claude-code", …]`.
  const args = words.map((w) => execArg(file, w));
  // `["npm", "install", "-g", "@anthropic-ai/claude-code"]` installs it.
  if (args.some((a) => a.value.includes('claude')))
    for (const install of claudeInstallsInWords(args)) noteInstall(file.lines, install);
  const call = claudeInWords(args);
  if (call) return [runOf(file.path, call, context)];
  if (SHELLS.has(name)) {
    const at = words.findIndex((w, i) => i > 0 && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(w.value));
    const script = at > 0 ? words[at + 1] : undefined;
    if (script && script.value.includes('claude')) {
      const offsets = script.offsets;
      return shellFormRuns(
        file,
        parser(),
        script.value,
        (i) => offsets[Math.min(i, offsets.length - 1)] ?? script.start,
        context,
      );
    }
  }
  return [];
}
