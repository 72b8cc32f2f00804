import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { parseToolRule, splitToolList } from '../model/tool-rule.js';
import type { Located } from '../model/span.js';
import type { ConfigProblem, IsolationContext, MarkdownDefinition, ToolRule } from '../model/types.js';
import type { SourceFile } from '../syntax/source.js';
import { scalarOffsets } from '../syntax/yaml-scalar.js';

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(\r?\n|$)/;

export function definitionKind(path: string): MarkdownDefinition['kind'] | undefined {
  const m = /(^|\/)\.claude\/(commands|agents|skills)\//.exec(path);
  if (!m) return undefined;
  if (m[2] === 'skills') return path.endsWith('/SKILL.md') ? 'skill' : undefined;
  return m[2] === 'agents' ? 'agent' : 'command';
}

/**
 * Reads the front matter of a Claude command, agent or skill: `allowed-tools` (a grant while it runs),
 * an agent's `tools` (a limit, not a grant) and `permissionMode`.
 */
export function readDefinition(
  file: SourceFile,
  kind: MarkdownDefinition['kind'],
  isolation?: Located<IsolationContext>,
): { definition?: MarkdownDefinition; problems: ConfigProblem[] } {
  const m = FRONT_MATTER.exec(file.text);
  if (!m) return { problems: [] };
  const base = m[0].indexOf('\n') + 1;
  const yamlText = m[1] as string;
  const doc = parseDocument(yamlText, {
    lineCounter: new LineCounter(),
    prettyErrors: false,
    uniqueKeys: false,
  });
  const error = doc.errors[0];
  if (error) {
    return {
      problems: [
        file.problem(
          'front matter',
          base + error.pos[0],
          base + Math.max(error.pos[1], error.pos[0] + 1),
          `invalid YAML: ${error.message.split('\n')[0]}`,
          `Claude Code cannot read the ${kind}'s settings`,
        ),
      ],
    };
  }
  const root = doc.contents;
  const definition: MarkdownDefinition = { path: file.path, kind, allowedTools: [], tools: [] };
  if (isolation) definition.isolation = isolation;
  if (!isMap(root)) return { definition, problems: [] };
  const get = (key: string): Node | undefined =>
    root.items.find((p) => isScalar(p.key) && p.key.value === key)?.value as Node | undefined;
  const rules = (node: Node | undefined): Located<ToolRule>[] => {
    const scalars = isSeq(node) ? node.items : node ? [node] : [];
    return scalars.flatMap((item) => {
      if (!isScalar(item) || typeof item.value !== 'string') return [];
      const value = item.value;
      const at = scalarOffsets(yamlText, item, value);
      return splitToolList(value).map((part) => ({
        value: parseToolRule(part.value),
        span: file.span(base + at(part.start), base + at(part.end - 1) + 1),
      }));
    });
  };
  if (kind !== 'agent') definition.allowedTools = rules(get('allowed-tools'));
  else definition.tools = rules(get('tools'));
  const mode = get('permissionMode');
  if (isScalar(mode) && typeof mode.value === 'string') {
    const at = scalarOffsets(yamlText, mode, mode.value);
    definition.permissionMode = {
      value: mode.value,
      span: file.span(base + at(0), base + at(mode.value.length - 1) + 1),
    };
  }
  return { definition, problems: [] };
}
