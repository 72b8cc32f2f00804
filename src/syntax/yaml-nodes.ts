import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Node,
  type Scalar,
  visit,
  type YAMLMap,
} from 'yaml';
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

/**
 * Entries and items a reader may take from one document in all, each visit counted. Aliases let a small file
 * stand for millions of nodes (a list of 200 steps anchored once and named by 30,000 jobs); past this the
 * document reads as empty and `exhausted` says so. Real CI files take a few thousand.
 */
export const MAX_YAML_WORK = 400_000;

export class YamlView {
  private work = 0;
  /** The reading stopped at MAX_YAML_WORK: what was read is kept, the rest was not. */
  exhausted = false;

  constructor(private readonly doc: Document.Parsed) {}

  /** Counts `n` more entries or items read; false once the document's allowance is spent. */
  private spend(n: number): boolean {
    this.work += n;
    if (this.work > MAX_YAML_WORK) this.exhausted = true;
    return !this.exhausted;
  }

  /**
   * What every alias of the document points at, found in one walk: the last node before it (in document
   * order) anchored with its name, as the `yaml` package resolves it — which walks the whole document for each
   * alias, so a file of 30,000 aliases took minutes.
   */
  private targets: Map<Alias, Node | undefined> | undefined;

  private target(alias: Alias): Node | undefined {
    if (!this.targets) {
      const targets = new Map<Alias, Node | undefined>();
      const anchored = new Map<string, Node>();
      visit(this.doc, {
        Node: (_key, node) => {
          if (isAlias(node)) targets.set(node, anchored.get(node.source));
          else if (node.anchor) anchored.set(node.anchor, node);
        },
      });
      this.targets = targets;
    }
    return this.targets.get(alias);
  }

  /** The node an alias points at (through chains of aliases), or the node itself. */
  deref(node: unknown): Node | null | undefined {
    let at = node as Node | null | undefined;
    for (let hops = 0; isAlias(at) && hops < 16; hops++) at = this.target(at);
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
      if (!this.spend((map as YAMLMap).items.length)) return;
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
    if (!isSeq(seq) || !this.spend(seq.items.length)) return [];
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

/** The notice for a document whose reading stopped at MAX_YAML_WORK, as a reader's facts carry it. */
export function yamlNotices(y: YamlView): { notices?: string[] } {
  return y.exhausted
    ? {
        notices: [
          `its YAML (aliases included) holds more than ${MAX_YAML_WORK} entries: the rest is not read`,
        ],
      }
    : {};
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
