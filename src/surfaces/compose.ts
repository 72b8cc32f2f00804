import type { Parser as TSParser } from 'web-tree-sitter';
import { LineCounter, type Node, parseDocument } from 'yaml';
import type { Located } from '../model/span.js';
import type { ClaudeRun, ConfigProblem, IsolationContext, RunContext } from '../model/types.js';
import { execFormRuns, shellFormRuns } from './exec-form.js';
import type { ExecWord } from '../syntax/words.js';
import type { SourceFile } from '../syntax/source.js';
import { execWordOf, YamlView } from '../syntax/yaml-nodes.js';
import { scalarOffsets } from '../syntax/yaml-scalar.js';

/**
 * Claude runs in a Docker Compose file: a service's `entrypoint` and `command` (a string is run by a
 * shell, a list is run as it is; a list `command` gives arguments to a list `entrypoint`). Services run in
 * containers.
 */
export function readCompose(
  file: SourceFile,
  parser: () => TSParser,
): { runs: ClaudeRun[]; problems: ConfigProblem[] } {
  const doc = parseDocument(file.text, {
    lineCounter: new LineCounter(),
    prettyErrors: false,
    uniqueKeys: false,
  });
  if (doc.errors.length > 0) return { runs: [], problems: [] };
  const y = new YamlView(doc);
  const runs: ClaudeRun[] = [];
  const words = (node: Node | null | undefined): ExecWord[] =>
    y.items(node).flatMap((item) => execWordOf(file, y, item) ?? []);
  for (const [, service] of y.pairs(y.get(doc.contents, 'services'))) {
    const node = y.deref(service);
    const entrypoint = y.get(node, 'entrypoint');
    const command = y.get(node, 'command');
    const at = (n: Node | null | undefined): Located<IsolationContext> => ({
      value: 'container',
      span: file.span(n?.range?.[0] ?? 0, n?.range?.[1] ?? 0),
    });
    const context: RunContext = { surface: 'compose', isolation: at(entrypoint ?? command) };
    const shellOf = (n: Node | null | undefined): ClaudeRun[] => {
      const scalar = y.scalar(n);
      if (!scalar || typeof scalar.value !== 'string' || !scalar.value.includes('claude')) return [];
      return shellFormRuns(
        file,
        parser(),
        scalar.value,
        scalarOffsets(file.text, scalar, scalar.value),
        context,
      );
    };
    const listed = [...words(entrypoint), ...words(command)];
    if (listed.length > 0 && listed.some((w) => w.value.includes('claude'))) {
      runs.push(...execFormRuns(file, parser, listed, context));
    }
    runs.push(...shellOf(entrypoint), ...shellOf(command));
  }
  return { runs, problems: [] };
}
