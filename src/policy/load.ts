import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, posix, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node } from 'yaml';
import { pathInside } from '../fs/names.js';
import { readText } from '../fs/read.js';
import type { z } from 'zod';
import { issueText, PolicyError, type PolicyIssue } from './errors.js';
import { mergePolicyFile } from './merge.js';
import { defaultPolicy, type Origin, type Policy } from './policy.js';
import { MAX_GLOB_PATTERNS } from './glob.js';
import { globLists, type PolicyFile, PolicySchema, REMOTE_POLICY } from './schema.js';

export { issueText, PolicyError, type PolicyIssue } from './errors.js';

function keyPath(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
    .join('.')
    .replace(/\.\[/g, '[');
}

/** The YAML node at a path, and the key node for its last step when there is one. */
function nodeAt(root: Node | null, path: readonly PropertyKey[]): { node?: Node; key?: Node } {
  let node: Node | null | undefined = root;
  let key: Node | undefined;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) return { node: node as Node };
      key = pair.key as Node;
      node = pair.value as Node | null;
    } else if (isSeq(node)) {
      node = node.items[Number(step)] as Node | undefined;
      key = undefined;
    } else break;
  }
  return { node: node ?? key ?? undefined, key };
}

/** The most telling issue: inside a union, the branch that got furthest. */
function deepest(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const inner = issue.errors
      .flat()
      .reduce(
        (best, i) => (i.path.length > best.path.length ? i : best),
        issue.errors.flat()[0] as z.core.$ZodIssue,
      );
    if (inner.path.length > 0)
      return deepest({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue);
  }
  if (issue.code === 'invalid_key' && issue.issues.length > 0) {
    return {
      ...(issue.issues[0] as z.core.$ZodIssue),
      path: issue.path,
      code: 'invalid_key',
    } as z.core.$ZodIssue;
  }
  return issue;
}

/** What one zod issue says, as problems placed at a key path (one per unknown key). */
function describe(
  outer: z.core.$ZodIssue,
): { path: readonly PropertyKey[]; message: string; onKey: boolean }[] {
  const issue = deepest(outer);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((unknown) => {
      const path = [...issue.path, unknown];
      if (keyPath(issue.path) === 'rules')
        return {
          path,
          message: `rules: "${unknown}" is not a claude-guard rule id (CG101, CG102…)`,
          onKey: true,
        };
      const at = issue.path.length > 0 ? ` in ${keyPath(issue.path)}` : '';
      return { path, message: `unknown key "${unknown}"${at}`, onKey: true };
    });
  }
  const where = issue.path.length > 0 ? keyPath(issue.path) : 'the policy';
  return [{ path: issue.path, message: `${where}: ${issue.message}`, onKey: issue.code === 'invalid_key' }];
}

/** A policy file read and checked: its data, and where each of its keys and values is written. */
export interface ParsedPolicyFile {
  file: string;
  data: PolicyFile;
  /** Where the value at `path` is written (its key with `onKey`); the file's start when it is not. */
  at(path: readonly PropertyKey[], onKey?: boolean): Origin;
}

/** At most this many problems of one file are reported. */
const MAX_ISSUES = 50;

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A policy's text is at most this long, whatever read it (a file, git, the API): 1 MiB. */
export const MAX_POLICY_BYTES = 1024 * 1024;

/** Parses and checks policy text; throws a PolicyError listing every problem, each placed. */
export function parsePolicyFile(text: string, file: string): ParsedPolicyFile {
  // Parsing takes about a second and 200 MB per MiB: a longer text is refused before it, wherever it came
  // from (a remote API can say one size and send another). Its UTF-8 bytes are at least its length.
  if (text.length > MAX_POLICY_BYTES)
    throw new PolicyError(file, 1, 1, 'the policy file is larger than 1 MiB');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), {
    lineCounter,
    prettyErrors: false,
    // The parser's own check compares every key with every other (minutes for a hostile file of 100,000
    // keys): duplicates are found below, in one pass per map.
    uniqueKeys: false,
  });
  const place = (offset: number): { line: number; column: number } => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0)
    throw new PolicyError(
      doc.errors.slice(0, 20).map((e) => ({
        file,
        ...place(e.pos[0]),
        message: `invalid YAML: ${e.message.split('\n')[0]}`,
      })),
    );
  // A key that JavaScript objects treat specially would vanish (or replace a prototype) on the way to the
  // schema, and so never be refused: it is refused here, where it is written.
  // A key written twice would silently keep one of its values: refused, as is a key that is not a plain
  // scalar (a map or a list as a key).
  const reserved: PolicyIssue[] = [];
  visit(doc, {
    Map(_key, map) {
      const keys = new Set<string>();
      for (const pair of map.items) {
        if (reserved.length >= MAX_ISSUES) return visit.BREAK;
        const where = { file, ...place((pair.key as Node | null)?.range?.[0] ?? map.range?.[0] ?? 0) };
        if (!isScalar(pair.key)) {
          reserved.push({ ...where, message: 'a key must be a plain word, not a map or a list' });
          continue;
        }
        const name = String(pair.key.value);
        if (RESERVED_KEYS.has(name)) reserved.push({ ...where, message: `unknown key "${name}"` });
        else if (keys.has(name)) reserved.push({ ...where, message: `the key "${name}" is written twice` });
        keys.add(name);
      }
      return undefined;
    },
  });
  if (reserved.length > 0) throw new PolicyError(reserved);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new PolicyError(file, 1, 1, `cannot read the policy: ${(error as Error).message}`);
  }
  if (data === null || data === undefined)
    throw new PolicyError(file, 1, 1, 'the policy is empty; it needs at least "version: 1"');
  const at = (path: readonly PropertyKey[], onKey = false): Origin => {
    const found = nodeAt(doc.contents, path);
    const target = onKey ? (found.key ?? found.node) : (found.node ?? found.key);
    return { file, ...place(target?.range?.[0] ?? 0) };
  };
  const result = PolicySchema.safeParse(data);
  if (!result.success) {
    const issues: PolicyIssue[] = [];
    const seen = new Set<string>();
    // A file can hold a hundred thousand mistakes: the first ones are located and reported, the rest counted
    // (placing each costs a walk of its map).
    let more = 0;
    for (const issue of result.error.issues) {
      for (const { path, message, onKey } of describe(issue)) {
        if (issues.length >= MAX_ISSUES) {
          more++;
          continue;
        }
        const origin = at(path, onKey);
        const text = issueText({ ...origin, message });
        if (seen.has(text)) continue;
        seen.add(text);
        issues.push({ ...origin, message });
      }
    }
    issues.sort((a, b) => a.line - b.line || a.column - b.column);
    if (more > 0) issues.push({ file, line: 1, column: 1, message: `and ${more} more problems` });
    throw new PolicyError(issues);
  }
  return { file, data: result.data, at };
}

/**
 * Parses one policy file over `base` (the built-in policy unless given). A file that extends others needs
 * `resolvePolicy`, which reads them.
 */
export function parsePolicy(text: string, file: string, base: Policy = defaultPolicy()): Policy {
  const parsed = parsePolicyFile(text, file);
  if (parsed.data.extends !== undefined) {
    const origin = parsed.at(['extends']);
    throw new PolicyError(
      origin.file,
      origin.line,
      origin.column,
      'extends: the policies it names were not read',
    );
  }
  return mergePolicyFile(base, parsed);
}

/** A policy in another repository, read through the GitHub API. */
export interface RemotePolicyRef {
  owner: string;
  repo: string;
  path: string;
  ref: string;
}

/** Reads a remote policy's text; throws with a short reason (`404 Not Found`, `no token`) when it cannot. */
export type RemotePolicyReader = (ref: RemotePolicyRef) => Promise<string>;

export interface ResolveOptions {
  /** Reads a local policy file named by `extends`, by its absolute path. */
  readLocal: (path: string) => Promise<string>;
  /** Reads `owner/repo/path@ref`; without it, remote entries are errors. */
  readRemote?: RemotePolicyReader;
  /** Policies extend at most this deep. */
  maxDepth?: number;
}

/** Where a policy file comes from: on disk, or in a repository at a ref. */
type PolicyPlace = { kind: 'local'; path: string } | ({ kind: 'remote' } & RemotePolicyRef);

function placeName(place: PolicyPlace): string {
  return place.kind === 'local' ? place.path : `${place.owner}/${place.repo}/${place.path}@${place.ref}`;
}

function placeIdentity(place: PolicyPlace): string {
  return place.kind === 'local'
    ? `local:${place.path}`
    : `remote:${place.owner.toLowerCase()}/${place.repo.toLowerCase()}/${place.path}@${place.ref}`;
}

export const MAX_EXTENDS_DEPTH = 8;

/** A policy and everything it extends are at most this many files (each extends up to 16, 8 deep). */
export const MAX_POLICY_FILES = 32;

/**
 * Parses a policy and every policy it extends, in order (later entries win, the file itself last), over the
 * built-in policy. `display` names the file in messages; `place` is where its relative `extends` resolve.
 * Cycles, chains deeper than the limit, more than MAX_POLICY_FILES files, more than MAX_GLOB_PATTERNS path
 * globs in all and sources that cannot be read are errors naming the chain; a rule locked by an extended
 * policy cannot be loosened (an error naming both files and lines).
 */
export async function resolvePolicy(
  text: string,
  display: string,
  place: { kind: 'local'; path: string } | ({ kind: 'remote' } & RemotePolicyRef),
  options: ResolveOptions,
): Promise<Policy> {
  const maxDepth = options.maxDepth ?? MAX_EXTENDS_DEPTH;
  // The chain, flattened: each file after the files it extends (in their order), each file once. Folding
  // them over the built-in policy in this order makes later entries win, and lets every lock be checked
  // against every file applied after the one that set it.
  const order: ParsedPolicyFile[] = [];
  const applied = new Set<string>();
  let files = 1;
  let globs = 0;
  const visit = async (
    fileText: string,
    name: string,
    where: PolicyPlace,
    chain: string[],
    identities: string[],
  ): Promise<void> => {
    const parsed = parsePolicyFile(fileText, name);
    const entries = parsed.data.extends === undefined ? [] : ([] as string[]).concat(parsed.data.extends);
    for (const [i, entry] of entries.entries()) {
      const origin = parsed.at(typeof parsed.data.extends === 'string' ? ['extends'] : ['extends', i]);
      const fail = (message: string): never => {
        throw new PolicyError(origin.file, origin.line, origin.column, message);
      };
      const target = targetOf(entry, where);
      if ('error' in target) fail(`extends: ${target.error}`);
      const next = target as PolicyPlace;
      const nextName = placeName(next);
      const path = [...chain, nextName].join(' → ');
      if (identities.includes(placeIdentity(next))) fail(`extends: the policies extend each other: ${path}`);
      if (chain.length > maxDepth) fail(`extends: more than ${maxDepth} policies deep: ${path}`);
      if (applied.has(placeIdentity(next))) continue;
      if (++files > MAX_POLICY_FILES) fail(`extends: more than ${MAX_POLICY_FILES} policies in all: ${path}`);
      let nextText: string;
      try {
        if (next.kind === 'local') nextText = await options.readLocal(next.path);
        else if (!options.readRemote)
          throw new Error(
            "a remote policy needs a GitHub token (the action's policy-token, or GITHUB_TOKEN)",
          );
        else nextText = await options.readRemote(next);
      } catch (error) {
        if (error instanceof PolicyError) throw error;
        return fail(`extends: cannot read ${nextName} (${(error as Error).message}): ${path}`);
      }
      await visit(nextText, nextName, next, [...chain, nextName], [...identities, placeIdentity(next)]);
    }
    if (applied.has(placeIdentity(where))) return;
    applied.add(placeIdentity(where));
    // Each file holds at most MAX_GLOB_PATTERNS globs (the schema); the chain as a whole, too.
    const lists = globLists(parsed.data);
    const over = lists.find((list) => globs + list.total > MAX_GLOB_PATTERNS);
    if (over) {
      const origin = parsed.at(over.path);
      throw new PolicyError(
        origin.file,
        origin.line,
        origin.column,
        `this policy and those it extends hold more than ${MAX_GLOB_PATTERNS} path globs in all, each {…} alternative counted: ${chain.join(' → ')}`,
      );
    }
    globs += lists.at(-1)?.total ?? 0;
    order.push(parsed);
  };
  await visit(text, display, place, [display], [placeIdentity(place)]);
  return order.reduce((policy, file) => mergePolicyFile(policy, file), defaultPolicy());

  /** Where an `extends` entry points, from the policy that names it. */
  function targetOf(entry: string, from: PolicyPlace): PolicyPlace | { error: string } {
    const remote = REMOTE_POLICY.exec(entry);
    if (remote) {
      const [, owner, repo, path, ref] = remote as unknown as [string, string, string, string, string];
      // `..` as a repository would climb out of /repos/{owner}/ in the API's URL.
      if (repo === '.' || repo === '..') return { error: `"${entry}": "${repo}" is not a repository name` };
      const clean = posix.normalize(path);
      if (clean.startsWith('..') || clean.startsWith('/'))
        return { error: `"${entry}": the path leaves the repository` };
      return { kind: 'remote', owner, repo, path: clean, ref };
    }
    if (entry.includes('@') && !entry.startsWith('.') && !entry.startsWith('/'))
      return { error: `"${entry}" is neither a local path nor owner/repo/path@ref` };
    if (from.kind === 'remote') {
      const joined = posix.normalize(posix.join(posix.dirname(from.path), entry));
      if (joined.startsWith('..') || isAbsolute(entry))
        return { error: `"${entry}": the path leaves ${from.owner}/${from.repo}` };
      return { ...from, path: joined };
    }
    return { kind: 'local', path: resolve(dirname(from.path), entry) };
  }
}

/**
 * Reads a policy file and every policy it extends. A missing file is an error only when the user named it.
 * With `inside`, the file and every local policy it extends must lie in that folder (the scanned repository
 * or the workspace, whose files a pull request writes): one that is a symlink leaving it, or a folder on the
 * way that is one, is refused and never read, so that an error message can never echo a file from elsewhere.
 */
export async function loadPolicy(
  path: string | undefined,
  display: string,
  required: boolean,
  inside?: string,
  readRemote?: RemotePolicyReader,
): Promise<Policy> {
  if (!path) return defaultPolicy();
  let text: string;
  try {
    text = await readPolicyText(path, display, inside);
  } catch (error) {
    if (error instanceof PolicyError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !required) return defaultPolicy();
    throw new PolicyError(
      display,
      1,
      1,
      `cannot read the policy file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const options: ResolveOptions = {
    readLocal: async (local) => {
      try {
        return await readPolicyText(local, local, inside);
      } catch (error) {
        if (error instanceof PolicyError) throw new Error(error.detail, { cause: error });
        throw new Error((error as NodeJS.ErrnoException).code ?? 'error', { cause: error });
      }
    },
  };
  if (readRemote) options.readRemote = readRemote;
  return resolvePolicy(text, display, { kind: 'local', path: resolve(path) }, options);
}

/** The text of a policy file: a regular file of at most 1 MiB, inside `inside` when given. */
async function readPolicyText(path: string, display: string, inside: string | undefined): Promise<string> {
  if (inside !== undefined) {
    const rel = pathInside(inside, path);
    if (rel === undefined)
      throw new PolicyError(display, 1, 1, 'the policy must be a file inside the workspace');
    await stat(path); // ENOENT first: a missing default policy is no error
    const read = await readText(inside, await realpath(inside), rel);
    if ('skipped' in read) {
      const why = read.skipped.startsWith('symlink')
        ? 'the policy is a symlink that leads outside the folder: it is not read'
        : read.skipped.startsWith('larger')
          ? 'the policy file is larger than 1 MiB'
          : read.skipped === 'not a regular file'
            ? 'the policy is not a regular file'
            : `cannot read the policy file (${read.skipped})`;
      throw new PolicyError(display, 1, 1, why);
    }
    return read.text;
  }
  // A pipe or a device named as the policy would block or never end: only a regular file is read.
  const info = await stat(path);
  if (!info.isFile()) throw new PolicyError(display, 1, 1, 'the policy is not a regular file');
  if (info.size > MAX_POLICY_BYTES)
    throw new PolicyError(display, 1, 1, 'the policy file is larger than 1 MiB');
  return readFile(path, 'utf8');
}
