/**
 * GitHub Actions expressions (`github.event.comment.author_association == 'OWNER'`, `contains(fromJSON('[…]'),
 * github.actor)`): the text inside `${{ … }}` or an `if:` condition, parsed into a tree. Knows the grammar and
 * nothing about what a context means.
 */

export type ExpressionLiteral = string | number | boolean | null;

export type Expression =
  | { kind: 'literal'; value: ExpressionLiteral }
  /** A context path, lower-cased (contexts are case-insensitive), `a['b']` written `a.b`, `a.*.b` kept. */
  | { kind: 'ref'; path: string }
  /** A function call; the name lower-cased. */
  | { kind: 'call'; name: string; args: Expression[] }
  | { kind: 'not'; operand: Expression }
  | { kind: 'binary'; op: BinaryOperator; left: Expression; right: Expression }
  /**
   * A part that is not a path or literal (`fn()[0]`, `fromJSON(x).label`, an index that is computed): its value
   * is not known; `parts` are what it is built from (`fromJSON(x)`, the index), whose references it reads.
   */
  | { kind: 'opaque'; parts?: Expression[] };

export type BinaryOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

type Token =
  { t: 'str'; v: string } | { t: 'num'; v: number } | { t: 'id'; v: string } | { t: 'op'; v: string };

/** Longer than any condition a person writes; a hostile file gets `undefined`, not a slow parse. */
const MAX_TOKENS = 4000;
const MAX_DEPTH = 64;

function tokenize(text: string): Token[] | undefined {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (out.length > MAX_TOKENS) return undefined;
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let v = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) return undefined;
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            v += "'";
            j += 2;
            continue;
          }
          break;
        }
        v += text[j];
        j++;
      }
      out.push({ t: 'str', v });
      i = j + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (['==', '!=', '<=', '>=', '&&', '||'].includes(two)) {
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if ('()[].,!<>*'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    const number = /^(0x[0-9a-f]+|-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?)/i.exec(text.slice(i, i + 64));
    if (number && (out.length === 0 || out[out.length - 1]?.v !== '.')) {
      out.push({ t: 'num', v: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i, i + 256));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    return undefined;
  }
  return out;
}

class Parser {
  private at = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): Expression | undefined {
    const e = this.or();
    return this.at === this.tokens.length ? e : undefined;
  }

  private peek(v: string): boolean {
    const t = this.tokens[this.at];
    return t !== undefined && t.t === 'op' && t.v === v;
  }

  private take(v: string): boolean {
    if (!this.peek(v)) return false;
    this.at++;
    return true;
  }

  private expect(v: string): void {
    if (!this.take(v)) throw new SyntaxError(`expected ${v}`);
  }

  private nested<T>(f: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new SyntaxError('too deep');
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private or(): Expression {
    return this.nested(() => {
      let left = this.and();
      while (this.take('||')) left = { kind: 'binary', op: '||', left, right: this.and() };
      return left;
    });
  }

  private and(): Expression {
    let left = this.equality();
    while (this.take('&&')) left = { kind: 'binary', op: '&&', left, right: this.equality() };
    return left;
  }

  private equality(): Expression {
    let left = this.comparison();
    for (;;) {
      const op = this.take('==') ? '==' : this.take('!=') ? '!=' : undefined;
      if (!op) return left;
      left = { kind: 'binary', op, left, right: this.comparison() };
    }
  }

  private comparison(): Expression {
    let left = this.unary();
    for (;;) {
      const op = (['<=', '>=', '<', '>'] as const).find((o) => this.take(o));
      if (!op) return left;
      left = { kind: 'binary', op, left, right: this.unary() };
    }
  }

  private unary(): Expression {
    if (this.take('!')) return this.nested(() => ({ kind: 'not', operand: this.unary() }));
    return this.postfix();
  }

  private postfix(): Expression {
    let e = this.primary();
    for (;;) {
      if (this.take('.')) {
        const t = this.tokens[this.at++];
        const name = t?.t === 'id' ? t.v : t?.t === 'op' && t.v === '*' ? '*' : undefined;
        if (name === undefined) throw new SyntaxError('expected a property name');
        e =
          e.kind === 'ref'
            ? { kind: 'ref', path: `${e.path}.${name.toLowerCase()}` }
            : { kind: 'opaque', parts: [e] };
        continue;
      }
      if (this.take('[')) {
        const index = this.peek('*') ? (this.at++, { kind: 'literal', value: '*' } as const) : this.or();
        this.expect(']');
        const name =
          index.kind === 'literal' && typeof index.value === 'string'
            ? index.value.toLowerCase()
            : index.kind === 'literal' && typeof index.value === 'number'
              ? String(index.value)
              : undefined;
        e =
          e.kind === 'ref' && name !== undefined
            ? { kind: 'ref', path: `${e.path}.${name}` }
            : { kind: 'opaque', parts: [e, index] };
        continue;
      }
      return e;
    }
  }

  private primary(): Expression {
    const t = this.tokens[this.at++];
    if (!t) throw new SyntaxError('unexpected end');
    if (t.t === 'str' || t.t === 'num') return { kind: 'literal', value: t.v };
    if (t.t === 'op') {
      if (t.v !== '(') throw new SyntaxError(`unexpected ${t.v}`);
      const e = this.or();
      this.expect(')');
      return e;
    }
    const word = t.v.toLowerCase();
    if (word === 'true' || word === 'false') return { kind: 'literal', value: word === 'true' };
    if (word === 'null') return { kind: 'literal', value: null };
    if (this.take('(')) {
      const args: Expression[] = [];
      if (!this.take(')')) {
        do args.push(this.or());
        while (this.take(','));
        this.expect(')');
      }
      return { kind: 'call', name: word, args };
    }
    return { kind: 'ref', path: word };
  }
}

/** The tree of an expression, or `undefined` when it does not parse. */
export function parseExpression(text: string): Expression | undefined {
  const tokens = tokenize(text);
  if (!tokens || tokens.length === 0) return undefined;
  try {
    return new Parser(tokens).parse();
  } catch (e) {
    if (e instanceof SyntaxError) return undefined;
    throw e;
  }
}

/**
 * The expression an `if:` holds: its text, or the inside of `${{ … }}` when that is the whole value (GitHub
 * reads both the same). `undefined` when the value mixes text and `${{ … }}` (then it is a non-empty string,
 * always true).
 */
export function conditionText(value: string): string | undefined {
  const trimmed = value.trim();
  const open = trimmed.indexOf('${{');
  if (open < 0) return trimmed;
  if (open !== 0 || !trimmed.endsWith('}}') || trimmed.indexOf('${{', 3) >= 0) return undefined;
  return trimmed.slice(3, -2);
}

/**
 * Every context path the expression reads, in order, also inside calls and what a member or index is taken of
 * (`fromJSON(steps.a.outputs.b).label` reads `steps.a.outputs.b`).
 */
export function refsOf(e: Expression): string[] {
  const out: string[] = [];
  const walk = (x: Expression): void => {
    if (x.kind === 'ref') out.push(x.path);
    else if (x.kind === 'call') x.args.forEach(walk);
    else if (x.kind === 'not') walk(x.operand);
    else if (x.kind === 'opaque') x.parts?.forEach(walk);
    else if (x.kind === 'binary') {
      walk(x.left);
      walk(x.right);
    }
  };
  walk(e);
  return out;
}
