import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, visit, type Node } from 'yaml';
import { readText } from '../fs/read.js';
import type { z } from 'zod';
import { applyPolicyFile, defaultPolicy, type Policy } from './policy.js';
import { PolicySchema } from './schema.js';

/** A policy that cannot be used, said in one sentence with its place: `file:line:col: message`. */
export class PolicyError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${column}: ${detail}`);
    this.name = 'PolicyError';
  }
}

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
    } else if (node && 'items' in node && Array.isArray((node as { items: unknown[] }).items)) {
      node = (node as { items: Node[] }).items[Number(step)];
      key = undefined;
    } else break;
  }
  return { node: node ?? key ?? undefined, key };
}

/** The most telling issue: inside a union, the branch that got furthest; inside a record key, the key's own. */
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

function describe(outer: z.core.$ZodIssue): {
  path: readonly PropertyKey[];
  message: string;
  keyNode?: string;
} {
  const issue = deepest(outer);
  if (issue.code === 'unrecognized_keys') {
    const unknown = issue.keys[0] as string;
    const at = issue.path.length > 0 ? ` in ${keyPath(issue.path)}` : '';
    return { path: [...issue.path, unknown], message: `unknown key "${unknown}"${at}`, keyNode: unknown };
  }
  const where = issue.path.length > 0 ? keyPath(issue.path) : 'the policy';
  return { path: issue.path, message: `${where}: ${issue.message}` };
}

/** Parses policy text; throws PolicyError naming the file, line, column and key of the first problem. */
export function parsePolicy(text: string, file: string, base: Policy = defaultPolicy()): Policy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    throw new PolicyError(file, pos.line, pos.col, `invalid YAML: ${first.message.split('\n')[0]}`);
  }
  // A key that JavaScript objects treat specially would vanish (or replace a prototype) on the way to the
  // schema, and so never be refused: it is refused here, where it is written.
  visit(doc, {
    Pair(_key, pair) {
      if (isScalar(pair.key) && ['__proto__', 'constructor', 'prototype'].includes(String(pair.key.value))) {
        const pos = lineCounter.linePos(pair.key.range?.[0] ?? 0);
        throw new PolicyError(file, pos.line, pos.col, `unknown key "${String(pair.key.value)}"`);
      }
    },
  });
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new PolicyError(file, 1, 1, `cannot read the policy: ${(error as Error).message}`);
  }
  if (data === null || data === undefined)
    throw new PolicyError(file, 1, 1, 'the policy is empty; it needs at least "version: 1"');
  const result = PolicySchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0] as z.core.$ZodIssue;
    const { path, message, keyNode } = describe(issue);
    const found = nodeAt(doc.contents, path);
    const target = keyNode
      ? found.key
      : ((issue.code === 'invalid_key' ? found.key : undefined) ?? found.node ?? found.key);
    const offset = target?.range?.[0] ?? 0;
    const pos = lineCounter.linePos(offset);
    throw new PolicyError(file, pos.line, pos.col, message);
  }
  return applyPolicyFile(base, result.data, file);
}

/**
 * Reads a policy file. A missing file is an error only when the user named it. With `inside`, the file
 * must lie in that folder (the scanned repository or the workspace, whose files a pull request writes): a
 * policy that is a symlink leaving it, or a folder on the way that is one, is refused and never read, so
 * that an error message can never echo a file from elsewhere.
 */
export async function loadPolicy(
  path: string | undefined,
  display: string,
  required: boolean,
  inside?: string,
): Promise<Policy> {
  if (!path) return defaultPolicy();
  let text: string;
  try {
    if (inside !== undefined) {
      const rel = relative(inside, path);
      if (rel === '' || rel.startsWith('..') || isAbsolute(rel))
        throw new PolicyError(display, 1, 1, 'the policy must be a file inside the workspace');
      await stat(path); // ENOENT first: a missing default policy is no error
      const read = await readText(inside, await realpath(inside), rel.split(sep).join('/'));
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
      text = read.text;
    } else {
      // A pipe or a device named as the policy would block or never end: only a regular file is read.
      const info = await stat(path);
      if (!info.isFile()) throw new PolicyError(display, 1, 1, 'the policy is not a regular file');
      if (info.size > 1024 * 1024)
        throw new PolicyError(display, 1, 1, 'the policy file is larger than 1 MiB');
      text = await readFile(path, 'utf8');
    }
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
  return parsePolicy(text.replace(/^\uFEFF/, ''), display);
}
