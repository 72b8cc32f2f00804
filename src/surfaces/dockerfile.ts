import { DockerfileParser } from 'dockerfile-ast';
import type { Parser as TSParser } from 'web-tree-sitter';
import type { Located } from '../model/span.js';
import type { ClaudeRun, IsolationContext, RunContext } from '../model/types.js';
import { execFormRuns } from './exec-form.js';
import type { ExecWord } from '../syntax/words.js';
import { jsonStringOffsets } from '../syntax/json-string.js';
import { shellFormRuns } from './exec-form.js';
import type { SourceFile } from '../syntax/source.js';

const COMMANDS = new Set(['RUN', 'CMD', 'ENTRYPOINT']);

/** True when the text can start Claude, so the Dockerfile is worth reading. */
export function dockerfileMentionsClaude(text: string): boolean {
  return text.includes('claude');
}

/**
 * Claude runs in a Dockerfile or Containerfile: `RUN`, `CMD` and `ENTRYPOINT` in shell form (parsed as
 * shell) and exec form (a JSON array). An exec-form `CMD` after an `ENTRYPOINT ["claude", …]` adds its
 * arguments to Claude's, as Docker does.
 */
export function readDockerfile(
  file: SourceFile,
  parser: () => TSParser,
  isolation: Located<IsolationContext>,
): ClaudeRun[] {
  const context: RunContext = { surface: 'dockerfile', isolation };
  const runs: ClaudeRun[] = [];
  const offset = (p: { line: number; character: number }): number =>
    file.lines.lineStart(p.line + 1) + p.character;
  let entrypoint: { run: ClaudeRun; words: ExecWord[] } | undefined;
  for (const instruction of DockerfileParser.parse(file.text).getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    if (keyword === 'FROM') entrypoint = undefined;
    if (!COMMANDS.has(keyword)) continue;
    const args = instruction.getArguments();
    const first = args[0];
    if (!first) continue;
    const start = offset(first.getRange().start);
    const end = offset(instruction.getRange().end);
    const raw = file.text.slice(start, end);
    if (!raw.includes('claude')) {
      if (keyword === 'CMD' && entrypoint && raw.trimStart().startsWith('[')) {
        // Default arguments for a Claude entrypoint.
        const words = execWords(file, instruction as unknown as JsonInstruction, offset);
        const [run] = execFormRuns(file, parser, [...entrypoint.words, ...words], context);
        if (run) runs[runs.indexOf(entrypoint.run)] = { ...run, span: entrypoint.run.span };
      }
      continue;
    }
    if (raw.trimStart().startsWith('[')) {
      const words = execWords(file, instruction as unknown as JsonInstruction, offset);
      const found = execFormRuns(file, parser, words, context);
      runs.push(...found);
      if (keyword === 'ENTRYPOINT' && found[0] && words[0] && words[0].value.endsWith('claude')) {
        entrypoint = { run: found[0], words };
      }
    } else {
      runs.push(...shellFormRuns(file, parser(), raw, (i) => start + i, context));
    }
  }
  return runs;
}

interface JsonInstruction {
  getJSONStrings(): { getRange(): { start: { line: number; character: number } } }[];
}

function execWords(
  file: SourceFile,
  instruction: JsonInstruction,
  offset: (p: { line: number; character: number }) => number,
): ExecWord[] {
  return instruction.getJSONStrings().map((s) => {
    const quoteAt = offset(s.getRange().start);
    const { value, offsets } = jsonStringOffsets(file.text, quoteAt);
    const end = (offsets.at(-1) ?? quoteAt) + 2;
    return { value, offsets, start: quoteAt, end };
  });
}
