import { type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { keyedByText } from '../model/keyed.js';
import type { Located } from '../model/span.js';
import type { ConfigProblem } from '../model/types.js';
import type { SourceFile } from './source.js';

export type { Node as JsonNode } from 'jsonc-parser';

const MESSAGES = new Map<string, string>(
  Object.entries({
    InvalidCommentToken: 'comments are not allowed in strict JSON',
    PropertyNameExpected: 'a property name is expected here (a trailing comma?)',
    ValueExpected: 'a value is expected here (a trailing comma?)',
    CommaExpected: 'a comma is expected here',
    ColonExpected: 'a colon is expected here',
    CloseBraceExpected: 'a closing brace is expected here',
    CloseBracketExpected: 'a closing bracket is expected here',
    EndOfFileExpected: 'nothing may follow the JSON value',
    InvalidSymbol: 'this is not valid JSON',
    UnexpectedEndOfComment: 'the comment is never closed',
    UnexpectedEndOfString: 'the string is never closed',
    InvalidEscapeCharacter: 'invalid escape in a string',
    InvalidUnicode: 'invalid unicode escape',
    InvalidCharacter: 'invalid character in a string',
  }),
);

/**
 * Parses a JSON file as strictly as Claude does (no comments, no trailing commas) while still building a
 * tree, so facts can be read from a file Claude would reject and the rejection reported at its position.
 */
export function parseStrictJson(
  file: SourceFile,
  fileKind: string,
  consequence: string,
): { root: Node | undefined; problems: ConfigProblem[] } {
  const errors: ParseError[] = [];
  if (file.text.trim().length === 0) {
    const problem = file.problem(fileKind, 0, 0, 'the file is empty, which is not valid JSON', consequence);
    return { root: undefined, problems: [problem] };
  }
  const root = parseTree(file.text, errors, { disallowComments: true, allowTrailingComma: false });
  // Every comment is a problem of its own; of the other errors only the first is: the parser's later
  // complaints (a colon expected after an unquoted key, a value after that…) follow from it.
  let other = false;
  const problems = errors
    .filter((e) => {
      if (printParseErrorCode(e.error) === 'InvalidCommentToken') return true;
      if (other) return false;
      other = true;
      return true;
    })
    .map((e) => {
      const code = printParseErrorCode(e.error);
      // A trailing comma is reported at the bracket after it; point at the comma itself.
      let at = e.offset;
      let length = Math.max(1, e.length);
      if (code === 'PropertyNameExpected' || code === 'ValueExpected') {
        let k = e.offset - 1;
        while (k >= 0 && /\s/.test(file.text[k] as string)) k--;
        if (file.text[k] === ',') {
          at = k;
          length = 1;
        }
      }
      return file.problem(
        fileKind,
        at,
        at + length,
        `invalid JSON: ${MESSAGES.get(code) ?? code}`,
        consequence,
      );
    });
  if (root && root.type !== 'object' && errors.length === 0) {
    problems.push(
      file.problem(
        fileKind,
        root.offset,
        root.offset + root.length,
        'the top level must be a JSON object',
        consequence,
      ),
    );
  }
  for (const key of duplicateKeys(root)) {
    problems.push(
      file.problem(
        fileKind,
        key.offset,
        key.offset + key.length,
        `duplicate key ${JSON.stringify(key.value)}: the last one is used and the earlier ones are ignored`,
        'a reader of the file may believe a value that does not apply',
      ),
    );
  }
  return { root: root?.type === 'object' ? root : undefined, problems };
}

/**
 * The node at a path of keys (or array indices). Where an object repeats a key, the last one counts, as it
 * does for `JSON.parse` and so for Claude Code.
 */
export function child(node: Node | undefined, ...path: (string | number)[]): Node | undefined {
  let at = node;
  for (const step of path) {
    if (!at) return undefined;
    if (typeof step === 'number') at = at.type === 'array' ? at.children?.[step] : undefined;
    else if (at.type !== 'object') return undefined;
    else {
      let found: Node | undefined;
      for (const prop of at.children ?? [])
        if (prop.children?.[0]?.value === step) found = prop.children?.[1];
      at = found;
    }
  }
  return at;
}

/** Keys an object gives more than once, anywhere in the document: each repeat, located at its key. */
export function duplicateKeys(root: Node | undefined): Node[] {
  const repeats: Node[] = [];
  const visit = (node: Node): void => {
    if (node.type === 'object') {
      const seen = new Set<unknown>();
      for (const prop of node.children ?? []) {
        const key = prop.children?.[0];
        if (key && seen.has(key.value)) repeats.push(key);
        if (key) seen.add(key.value);
      }
    }
    for (const c of node.children ?? []) visit(c);
  };
  if (root) visit(root);
  return repeats;
}

/** A string node's value, located at its content (without the quotes) when written without escapes. */
export function stringAt(file: SourceFile, node: Node | undefined): Located<string> | undefined {
  if (!node || node.type !== 'string' || typeof node.value !== 'string') return undefined;
  const inner = file.text.slice(node.offset + 1, node.offset + node.length - 1);
  if (inner === node.value) return file.located(node.value, node.offset + 1, node.offset + node.length - 1);
  return file.located(node.value, node.offset, node.offset + node.length);
}

/** The string items of an array node, each located. */
export function stringsAt(file: SourceFile, node: Node | undefined): Located<string>[] {
  if (!node || node.type !== 'array') return [];
  return (node.children ?? []).flatMap((c) => stringAt(file, c) ?? []);
}

/** The properties of an object node as [key, value node] pairs, in order. */
export function entries(node: Node | undefined): [Node, Node][] {
  if (!node || node.type !== 'object') return [];
  return (node.children ?? []).flatMap((p) => {
    const [k, v] = p.children ?? [];
    return k && v ? [[k, v] as [Node, Node]] : [];
  });
}

/** A string map such as `env`, with each value located. */
export function stringMap(file: SourceFile, node: Node | undefined): Record<string, Located<string>> {
  const out = keyedByText<Located<string>>();
  for (const [k, v] of entries(node)) {
    const value = stringAt(file, v);
    if (value && typeof k.value === 'string') out[k.value] = value;
  }
  return out;
}
