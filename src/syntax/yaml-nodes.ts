import { type Document, isAlias, isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { Arg } from '../model/types.js';
import { hasExpansion, type ExecWord, wordArg } from './words.js';
import type { SourceFile } from './source.js';
import { scalarOffsets } from './yaml-scalar.js';

/**
 * Reading a YAML document the way GitHub and GitLab do: aliases (`*step`) stand for what their anchor
 * holds, and merge keys (`<<: *defaults`) bring in another map's entries, which the map's own keys override.
 */
/** Entries read from one map, merges included: far more than any real CI file has. */
const MAX_ENTRIES = 100_000;

export class YamlView {
  constructor(private readonly doc: Document.Parsed) {}

  /** The node an alias points at (through chains of aliases), or the node itself. */
  deref(node: unknown): Node | null | undefined {
    let at = node as Node | null | undefined;
    for (let hops = 0; isAlias(at) && hops < 16; hops++) at = at.resolve(this.doc) as Node | undefined;
    return isAlias(at) ? undefined : at;
  }

  /** A map's entries with scalar keys, merges first so that the map's own keys come last and win. */
  pairs(node: unknown): [Scalar, Node | null][] {
    const out: [Scalar, Node | null][] = [];
    // Each merged map is taken once, and the entries are capped: a merge-key bomb stays small.
    const merged = new Set<unknown>();
    const collect = (at: unknown, depth: number): void => {
      const map = this.deref(at);
      if (!isMap(map) || depth > 16 || merged.has(map)) return;
      merged.add(map);
      for (const p of (map as YAMLMap).items) {
        if (out.length >= MAX_ENTRIES) return;
        const key = p.key;
        if (!isScalar(key)) continue;
        // `<<` is a string under YAML 1.2 and a merge marker under `%YAML 1.1`.
        if (key.value === '<<' || (typeof key.value === 'symbol' && String(key.source) === '<<')) {
          const source = this.deref(p.value);
          for (const m of isSeq(source) ? source.items : [source]) collect(m, depth + 1);
        } else out.push([key as Scalar, (p.value as Node | null) ?? null]);
      }
    };
    collect(node, 0);
    return out;
  }

  /** The value of a key (the last one given), aliases followed. */
  get(node: unknown, key: string): Node | null | undefined {
    let found: Node | null | undefined;
    for (const [k, v] of this.pairs(node)) if (String(k.value) === key) found = v;
    return this.deref(found);
  }

  /** A sequence's items, aliases followed. */
  items(node: unknown): Node[] {
    const seq = this.deref(node);
    if (!isSeq(seq)) return [];
    return seq.items.flatMap((i) => this.deref(i) ?? []) as Node[];
  }

  isMap(node: unknown): node is YAMLMap {
    return isMap(this.deref(node));
  }

  /** A scalar, aliases followed; undefined for anything else. */
  scalar(node: unknown): Scalar | undefined {
    const at = this.deref(node);
    return isScalar(at) ? at : undefined;
  }
}

/** A scalar's value split into words as an unquoted `$VAR` is, each word located in the file. */
export function scalarWords(file: SourceFile, scalar: Scalar): Arg[] {
  if (scalar.value === null || typeof scalar.value === 'object') return [];
  const text = String(scalar.value);
  const toFile = scalarOffsets(file.text, scalar, text);
  const words: Arg[] = [];
  for (const m of text.matchAll(/\S+/g)) {
    const at = m.index ?? 0;
    const value = m[0];
    words.push(
      wordArg(
        value,
        (k) => toFile(at + k),
        (a, b) => file.lines.span(a, b),
        hasExpansion(value, 'yaml'),
      ),
    );
  }
  return words;
}

/** Variables (`env:`, GitLab `variables:`) of several maps, later maps overriding earlier ones. */
export function variablesOf(file: SourceFile, view: YamlView, maps: unknown[]): Map<string, Arg[]> {
  const vars = new Map<string, Arg[]>();
  for (const map of maps) {
    for (const [key, value] of view.pairs(map)) {
      // GitLab also writes `NAME: { value: "…", description: "…" }`.
      const scalar = view.scalar(value) ?? view.scalar(view.get(value, 'value'));
      if (scalar) vars.set(String(key.value), scalarWords(file, scalar));
    }
  }
  return vars;
}

/** A scalar as one exec-form word (`["claude", "--flag"]`), every character located in the file. */
export function execWordOf(file: SourceFile, view: YamlView, node: unknown): ExecWord | undefined {
  const scalar = view.scalar(node);
  if (!scalar || scalar.value === null || typeof scalar.value === 'object') return undefined;
  const value = String(scalar.value);
  const at = scalarOffsets(file.text, scalar, value);
  const [start, end] = scalar.range ?? [0, 0];
  return { value, offsets: Array.from({ length: value.length }, (_, i) => at(i)), start, end };
}
