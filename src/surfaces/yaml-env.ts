import type { Node } from 'yaml';
import { envOrigin } from '../model/env.js';
import type { ClaudeRun, EnvScope } from '../model/types.js';
import type { SourceFile } from '../syntax/source.js';
import { type Dialect, hasExpansion, wordArg } from '../syntax/words.js';
import { execWordOf, type YamlView } from '../syntax/yaml-nodes.js';

/**
 * Adds to a run the variables of YAML maps (`env:`, GitLab `variables:`), closest first: a name the run already
 * has, or that a closer map set, is not set again. A value may be written `NAME: { value: "…" }` (GitLab).
 * `dialect` says which expansions leave a value unknown here.
 */
export function addYamlEnv(
  file: SourceFile,
  y: YamlView,
  run: ClaudeRun,
  blocks: [EnvScope, Node | null | undefined][],
  dialect: Dialect,
): void {
  const seen = new Set(run.env.map((e) => e.name));
  for (const [scope, block] of blocks) {
    for (const [key, node] of y.pairs(block)) {
      const name = String(key.value);
      if (seen.has(name)) continue;
      seen.add(name);
      const word = execWordOf(file, y, y.scalar(node) ? node : y.get(node, 'value'));
      if (!word) continue;
      const value = wordArg(
        word.value,
        (k) => word.offsets[k],
        (a, b) => file.span(a, b),
        hasExpansion(word.value, dialect),
        file.span(word.start, word.end),
      );
      const [a, b] = key.range ?? [0, 0];
      run.env.push({ name, value, origin: envOrigin(value), scope, nameSpan: file.span(a, b) });
    }
  }
}
