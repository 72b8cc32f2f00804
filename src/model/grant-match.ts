import { escapeHatchOf } from './escape-hatches.js';
import { parseToolRule, SHELL_TOOLS, unconsultedPathRule } from './tool-rule.js';
import type { ToolRule } from './types.js';

/**
 * Whether a policy's tool pattern (`Bash(git push:*)`, `Read(./secrets/**)`, `mcp__*__query`) covers a grant
 * written in a repository (`permissions.allow`, `--allowedTools`, `allowed-tools`), matched the way Claude
 * Code matches permission rules.
 *
 * A rule stands for a set of tool uses. A deny list asks whether the two sets meet: a grant of `Bash(git:*)`
 * lets Claude run `git push`, so a policy denying `Bash(git push:*)` is hit by it, however much wider the
 * grant is. An allow list asks whether the pattern's set holds the grant's whole set. Both questions are
 * answered exactly for patterns made of literals and stars, in time bounded by the product of the two
 * lengths (no backtracking); past a size bound the answer is the cautious one (met, not held).
 */

/** A star that matches any run of characters, or (in paths) any run without a `/`. */
type Token = string | { star: 'any' | 'segment' };

/** How a tool's specifier is read. */
type SpecKind = 'command' | 'path' | 'domain' | 'text';

/** Past this many cells of the product of two patterns, answer cautiously. */
const MAX_CELLS = 1 << 22;

const EDITING = ['Edit', 'Write', 'MultiEdit', 'NotebookEdit'];
const READING = ['Read', 'NotebookRead', 'Grep', 'Glob', 'LS'];

/**
 * Tools whose uses Claude Code checks against rules written on another tool: `Edit(…)` rules apply to every
 * tool that edits files and `Read(…)` rules to every tool that reads them. A deny on `Read` also blocks edits
 * of the path, so in a deny list a `Read` pattern is met by an editing grant too.
 */
const GOVERNS_ALLOW = new Map<string, readonly string[]>([
  ['Edit', EDITING],
  ['Read', READING],
]);
const GOVERNS_DENY = new Map<string, readonly string[]>([
  ['Edit', EDITING],
  ['Read', [...READING, ...EDITING]],
]);

function specKind(tool: string): SpecKind {
  if (SHELL_TOOLS.includes(tool)) return 'command';
  if (EDITING.includes(tool) || READING.includes(tool)) return 'path';
  if (tool === 'WebFetch') return 'domain';
  return 'text';
}

/** `mcp__srv`, every tool of a server, is `mcp__srv__*`. */
function toolName(rule: ToolRule): string {
  const name = rule.canonical;
  if (!name.startsWith('mcp__')) return name;
  const rest = name.slice('mcp__'.length);
  return rest.includes('__') || rest.includes('*') ? name : `${name}__*`;
}

function tokens(text: string, kind: SpecKind | 'name'): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c !== '*') {
      out.push(c);
      continue;
    }
    let star: 'any' | 'segment' = 'any';
    if (kind === 'path') {
      if (text[i + 1] === '*') i++;
      else star = 'segment';
    }
    while (text[i + 1] === '*') i++;
    const last = out.at(-1);
    if (typeof last === 'object') {
      if (star === 'any') last.star = 'any';
    } else out.push({ star });
  }
  return out;
}

/** Paths that name the whole tree, or the whole file system. */
const WHOLE_TREE = new Set(['', '*', '**', '**/*', '//**']);

/**
 * The uses a rule's specifier allows, as alternatives; undefined when it allows every use of the tool.
 * A command pattern ending in ` *` (or the legacy `:*`) also matches the command alone.
 */
function specOf(rule: ToolRule, kind: SpecKind): Token[][] | undefined {
  if (rule.specifier === undefined || rule.form === 'bare' || rule.form === 'any') return undefined;
  let spec = rule.specifier.trim();
  switch (kind) {
    case 'command': {
      spec = spec.replace(/\s+/g, ' ');
      if (rule.form === 'prefix') spec = `${spec.slice(0, -2).trimEnd()} *`;
      if (spec === '*') return undefined;
      if (spec.endsWith(' *') && rule.form !== 'exact') {
        const base = spec.slice(0, -2);
        return [literal(base), tokens(spec, kind)];
      }
      return [rule.form === 'exact' ? literal(spec) : tokens(spec, kind)];
    }
    case 'path': {
      while (spec.startsWith('./')) spec = spec.slice(2);
      if (spec.startsWith('/') && !spec.startsWith('//')) spec = spec.slice(1);
      if (WHOLE_TREE.has(spec)) return undefined;
      const alternatives = [tokens(spec, kind)];
      // `**/x` matches `x` at the top too.
      if (spec.startsWith('**/')) alternatives.push(tokens(spec.slice(3), kind));
      return alternatives;
    }
    case 'domain': {
      if (!/^domain:/i.test(spec)) return [tokens(spec, 'text')];
      const host = spec.slice('domain:'.length).trim().toLowerCase();
      return host === '*' ? undefined : [tokens(host, kind)];
    }
    case 'text':
      return [tokens(spec, kind)];
  }
}

function literal(text: string): Token[] {
  return [...text];
}

function canEat(star: 'any' | 'segment', t: Token): boolean {
  if (star === 'any') return true;
  return typeof t === 'string' ? t !== '/' : t.star === 'segment';
}

/**
 * True when every text `inner` matches is matched by `outer`. Stars of `inner` are read as letters no
 * literal of `outer` can match, so only a star of `outer` can take them: that decides inclusion exactly.
 * `undefined` when the patterns are too long to compare.
 */
function includes(outer: readonly Token[], inner: readonly Token[]): boolean | undefined {
  const n = outer.length;
  const m = inner.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) return undefined;
  // next[j]: outer[i+1..] matches inner[j..]; cur[j]: outer[i..] matches inner[j..].
  let next = new Uint8Array(m + 1);
  next[m] = 1;
  for (let i = n - 1; i >= 0; i--) {
    const cur = new Uint8Array(m + 1);
    const p = outer[i] as Token;
    for (let j = m; j >= 0; j--) {
      if (typeof p === 'object') {
        cur[j] = next[j] || (j < m && canEat(p.star, inner[j] as Token) && cur[j + 1]) ? 1 : 0;
      } else cur[j] = j < m && inner[j] === p && next[j + 1] ? 1 : 0;
    }
    next = cur;
  }
  return next[0] === 1;
}

/** True when some text matches both patterns (a walk through the product of the two); undefined past the bound. */
function meets(a: readonly Token[], b: readonly Token[]): boolean | undefined {
  const n = a.length;
  const m = b.length;
  const width = m + 1;
  if ((n + 1) * width > MAX_CELLS) return undefined;
  const reached = new Uint8Array((n + 1) * width);
  reached[0] = 1;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      if (!reached[i * width + j]) continue;
      const x = a[i];
      const y = b[j];
      if (typeof x === 'object') reached[(i + 1) * width + j] = 1;
      if (typeof y === 'object') reached[i * width + j + 1] = 1;
      if (x === undefined || y === undefined) continue;
      if (typeof x === 'object' && typeof y === 'string' && canEat(x.star, y)) reached[i * width + j + 1] = 1;
      else if (typeof x === 'string' && typeof y === 'object' && canEat(y.star, x))
        reached[(i + 1) * width + j] = 1;
      else if (x === y) reached[(i + 1) * width + j + 1] = 1;
    }
  }
  return reached[n * width + m] === 1;
}

const isGlob = (name: string): boolean => name.includes('*');

/** Every use of tool `grant` is checked against rules on tool `pattern`. */
function nameHolds(pattern: string, grant: string): boolean {
  if (!isGlob(grant) && GOVERNS_ALLOW.get(pattern)?.includes(grant)) return true;
  return includes(tokens(pattern, 'name'), tokens(grant, 'name')) === true;
}

/** Some tool is both granted and named by the pattern. */
function nameMeets(pattern: string, grant: string): boolean {
  const heads = [pattern, ...(GOVERNS_DENY.get(pattern) ?? [])];
  const g = tokens(grant, 'name');
  return heads.some((head) => meets(tokens(head, 'name'), g) !== false);
}

/** The kind of specifier two rules are compared by: that of the granted tool, when it is one tool. */
function kindOf(pattern: string, grant: string): SpecKind {
  if (!isGlob(grant)) return specKind(grant);
  return isGlob(pattern) ? 'text' : specKind(pattern);
}

/**
 * True when the rule lets Claude do nothing: it is malformed, or a path rule Claude Code never consults
 * (`Write(src/**)`). Such a grant is neither denied nor outside an allow list (CG901 reports it).
 */
export function grantsNothing(rule: ToolRule): boolean {
  return rule.problem !== undefined || unconsultedPathRule(rule) !== undefined;
}

/**
 * True when the grant lets Claude do something the pattern names. With `escapeHatches: false`, a scoped shell
 * grant is compared by its own words only, not by the commands it lets Claude run through `sudo` or `env`.
 */
export function grantMeets(pattern: ToolRule, grant: ToolRule, escapeHatches = true): boolean {
  if (pattern.problem || grantsNothing(grant)) return false;
  const p = toolName(pattern);
  const g = toolName(grant);
  if (!nameMeets(p, g)) return false;
  const kind = kindOf(p, g);
  const patternSpec = specOf(pattern, kind);
  const grantSpec = specOf(grant, kind);
  if (!patternSpec || !grantSpec) return true;
  // A scoped shell grant whose command runs any other (`Bash(sudo:*)`, `Bash(env *)`) reaches what it names.
  if (escapeHatches && kind === 'command' && escapeHatchOf({ ...grant, canonical: 'Bash' })) return true;
  return patternSpec.some((a) => grantSpec.some((b) => meets(a, b) !== false));
}

/** True when everything the grant lets Claude do is named by the pattern. */
export function patternHolds(pattern: ToolRule, grant: ToolRule): boolean {
  if (pattern.problem || grantsNothing(grant)) return false;
  const p = toolName(pattern);
  const g = toolName(grant);
  if (!nameHolds(p, g)) return false;
  const kind = kindOf(p, g);
  const patternSpec = specOf(pattern, kind);
  if (!patternSpec) return true;
  const grantSpec = specOf(grant, kind);
  if (!grantSpec) return false;
  return grantSpec.every((b) => patternSpec.some((a) => includes(a, b) === true));
}

/**
 * The first pattern of a deny list the grant lets Claude do something of; undefined when none. With
 * `escapeHatches: false`, only what the grant's own words reach.
 */
export function deniedBy(
  patterns: readonly string[],
  rule: ToolRule,
  escapeHatches = true,
): string | undefined {
  return patterns.find((p) => grantMeets(parseToolRule(p), rule, escapeHatches));
}

/** The first pattern of an allow list that holds all the grant allows; undefined when none does. */
export function allowedBy(patterns: readonly string[], rule: ToolRule): string | undefined {
  return patterns.find((p) => patternHolds(parseToolRule(p), rule));
}
