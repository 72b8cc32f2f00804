/**
 * GitHub's REST OpenAPI description (`@octokit/openapi`, the 2022-11-28 API) as a request contract: which
 * route a method and path reach, and what is wrong with a request's path parameters, query and JSON body.
 *
 * The 13 MB description is read once per module registry (Jest: once per test file) and validators are
 * compiled on first use per operation, so a test file pays for the few operations it calls.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

export interface Operation {
  method: string;
  template: string;
  operationId: string;
  docsUrl: string;
}

export interface RouteMatch {
  operation: Operation;
  params: Record<string, string>;
}

interface Route {
  template: string;
  regex: RegExp;
  names: string[];
  literalSegments: number;
  multiParams: number;
  operations: Map<string, Operation>;
}

interface Compiled {
  params: ValidateFunction;
  paramTypes: Map<string, string | undefined>;
  body?: ValidateFunction;
  bodyRequired: boolean;
}

export class OpenApiContract {
  private readonly routes: Route[] = [];
  private readonly compiled = new Map<Operation, Compiled>();
  private readonly ajv: Ajv;

  constructor(private readonly spec: Json) {
    const paths = spec.paths as Record<string, Record<string, Json>>;
    for (const [template, item] of Object.entries(paths)) this.routes.push(routeFor(template, item, spec));
    this.ajv = new Ajv({
      strict: false,
      allErrors: true,
      validateSchema: false,
      unicodeRegExp: false,
      logger: false,
    });
    addFormats.default(this.ajv);
    // Formats the description names that no JSON Schema library knows: accept any value.
    for (const format of ['repo.nwo', 'timestamp', 'int32', 'int64', 'double', 'binary'])
      if (!this.ajv.formats[format]) this.ajv.addFormat(format, true);
  }

  /** The operation a request reaches, the most specific template first (literal segments beat parameters). */
  match(method: string, rawPath: string): RouteMatch | { pathExists: boolean } {
    let best: { route: Route; m: RegExpExecArray } | undefined;
    for (const route of this.routes) {
      const m = route.regex.exec(rawPath);
      if (!m) continue;
      if (
        !best ||
        route.literalSegments > best.route.literalSegments ||
        (route.literalSegments === best.route.literalSegments && route.multiParams < best.route.multiParams)
      )
        best = { route, m };
    }
    if (!best) return { pathExists: false };
    const operation = best.route.operations.get(method.toLowerCase());
    if (!operation) return { pathExists: true };
    const params: Record<string, string> = {};
    best.route.names.forEach((name, i) => {
      params[name] = safeDecode(best.m[i + 1] ?? '');
    });
    return { operation, params };
  }

  /** Every way the request departs from the description, in words; empty when it conforms. */
  check(
    match: RouteMatch,
    query: URLSearchParams,
    body: { present: false } | { present: true; value: unknown },
  ): string[] {
    const c = this.compile(match.operation);
    const problems: string[] = [];
    const values: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(match.params))
      values[name] = coerce(value, c.paramTypes.get(name));
    for (const name of new Set(query.keys())) {
      if (!c.paramTypes.has(name)) continue; // GitHub ignores query parameters it does not know
      const all = query.getAll(name);
      values[name] = coerce(all.length > 1 ? all.join(',') : (all[0] ?? ''), c.paramTypes.get(name));
    }
    if (!c.params(values)) problems.push(...describe(c.params.errors, 'parameter '));
    if (c.body) {
      if (!body.present) {
        if (c.bodyRequired) problems.push('the request has no JSON body; the operation requires one');
      } else if (!c.body(body.value)) problems.push(...describe(c.body.errors, 'body'));
    }
    return problems.map(
      (p) => `${match.operation.operationId} (${match.operation.method} ${match.operation.template}): ${p}`,
    );
  }

  /**
   * How a JSON answer departs from the operation's response schema for that status: the fake's own test
   * uses it to show the fake answers in GitHub's shapes. Statuses the description does not list pass.
   */
  checkResponse(op: Operation, status: number, json: unknown): string[] {
    const key = `${op.method} ${op.template} ${status}`;
    let validate = this.responses.get(key);
    if (validate === undefined) {
      const raw = (this.spec.paths as Record<string, Record<string, Json>>)[op.template]?.[
        op.method.toLowerCase()
      ];
      const response = (raw?.responses as Record<string, Json> | undefined)?.[String(status)];
      const [resolved] = response ? this.deref(response, '') : [undefined];
      const schema = (resolved?.content as Record<string, Json> | undefined)?.['application/json']?.schema as
        Json | undefined;
      validate = schema ? this.ajv.compile(this.selfContained(schema)) : null;
      this.responses.set(key, validate);
    }
    if (!validate || validate(json)) return [];
    return describe(validate.errors, 'response').map((p) => `${op.operationId} ${status}: ${p}`);
  }

  private readonly responses = new Map<string, ValidateFunction | null>();

  private compile(op: Operation): Compiled {
    const hit = this.compiled.get(op);
    if (hit) return hit;
    const pointer = `#/paths/${escapePointer(op.template)}/${op.method.toLowerCase()}`;
    const raw = (this.spec.paths as Record<string, Record<string, Json>>)[op.template]?.[
      op.method.toLowerCase()
    ];
    const properties: Record<string, unknown> = {};
    const paramTypes = new Map<string, string | undefined>();
    const required = new Set<string>();
    const list = (raw?.parameters ?? []) as Json[];
    list.forEach((p, i) => {
      const [param] = this.deref(p, `${pointer}/parameters/${i}`);
      if (param.in !== 'path' && param.in !== 'query') return;
      const name = String(param.name);
      properties[name] = param.schema ?? {};
      paramTypes.set(name, this.typeOf(param.schema as Json | undefined));
      if (param.required === true) required.add(name);
    });
    const compiled: Compiled = {
      params: this.ajv.compile(this.selfContained({ type: 'object', properties, required: [...required] })),
      paramTypes,
      bodyRequired: false,
    };
    const requestBody = raw?.requestBody as Json | undefined;
    const content = requestBody?.content as Record<string, Json> | undefined;
    if (content?.['application/json']?.schema) {
      compiled.body = this.ajv.compile(this.selfContained(content['application/json'].schema as Json));
      compiled.bodyRequired = requestBody?.required === true;
    }
    this.compiled.set(op, compiled);
    return compiled;
  }

  /**
   * A copy of an operation's schema with every component it refers to, directly or not, under
   * `definitions`, and `nullable` rewritten: Ajv then compiles a few kilobytes, never the whole description.
   */
  private selfContained(root: Json): Json {
    const definitions: Json = {};
    const pending: string[] = [];
    const copy = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(copy);
      if (!node || typeof node !== 'object') return node;
      const out: Json = {};
      for (const [key, value] of Object.entries(node as Json)) {
        if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/')) {
          const name = value.slice('#/components/'.length).replace(/\//g, '.');
          if (!(name in definitions)) {
            definitions[name] = true;
            pending.push(value);
          }
          out.$ref = `#/definitions/${name}`;
        } else out[key] = copy(value);
      }
      return out;
    };
    const schema = copy(root) as Json;
    for (let ref = pending.pop(); ref !== undefined; ref = pending.pop())
      definitions[ref.slice('#/components/'.length).replace(/\//g, '.')] = copy(
        resolvePointer(this.spec, ref),
      );
    schema.definitions = { ...((schema.definitions as Json | undefined) ?? {}), ...definitions };
    openApiNullable(schema);
    return schema;
  }

  private deref(node: Json, pointer: string): [Json, string] {
    let current = node;
    let at = pointer;
    for (let hops = 0; typeof current.$ref === 'string' && hops < 10; hops++) {
      at = current.$ref;
      current = resolvePointer(this.spec, at);
    }
    return [current, at];
  }

  private typeOf(schema: Json | undefined): string | undefined {
    if (!schema) return undefined;
    const [resolved] = this.deref(schema, '');
    const type = resolved.type;
    if (Array.isArray(type)) return type.find((t) => t !== 'null') as string | undefined;
    return typeof type === 'string' ? type : undefined;
  }
}

let cached: { contract: OpenApiContract; loadMs: number } | undefined;

/** The contract, read from disk on the first call in this module registry (loadMs is 0 after that). */
export function loadContract(): { contract: OpenApiContract; loadMs: number } {
  if (cached) return { contract: cached.contract, loadMs: 0 };
  const started = performance.now();
  const require = createRequire(import.meta.url);
  const file = join(
    dirname(require.resolve('@octokit/openapi/package.json')),
    'generated',
    'api.github.com.json',
  );
  const spec = JSON.parse(readFileSync(file, 'utf8')) as Json;
  cached = { contract: new OpenApiContract(spec), loadMs: performance.now() - started };
  return cached;
}

/**
 * OpenAPI 3.0 writes "may be null" as `nullable: true`, which JSON Schema does not know; Ajv only accepts it
 * beside a `type`, and then still rejects null when an `enum` omits it. Rewrite it once as JSON Schema.
 */
export function openApiNullable(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) openApiNullable(item);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const schema = node as Json;
  for (const value of Object.values(schema)) openApiNullable(value);
  if (!('nullable' in schema) || typeof schema.nullable !== 'boolean') return;
  const nullable = schema.nullable;
  delete schema.nullable;
  if (!nullable) return;
  if (typeof schema.type === 'string') {
    schema.type = [schema.type, 'null'];
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum.push(null);
    return;
  }
  const inner: Json = {};
  for (const key of Object.keys(schema)) {
    if (key === 'description' || key === 'title') continue;
    inner[key] = schema[key];
    delete schema[key];
  }
  schema.anyOf = [inner, { type: 'null' }];
}

function routeFor(template: string, item: Record<string, Json>, spec: Json): Route {
  const multi = new Set<string>();
  const operations = new Map<string, Operation>();
  for (const op of Object.values(item)) {
    if (!op || typeof op !== 'object' || typeof op.operationId !== 'string') continue;
    for (const p of (op.parameters ?? []) as Json[]) {
      const param = typeof p.$ref === 'string' ? resolvePointer(spec, p.$ref) : p;
      if (param.in === 'path' && param['x-multi-segment'] === true) multi.add(String(param.name));
    }
  }
  const names: string[] = [];
  const lastName = /\{([^}]+)\}$/.exec(template)?.[1];
  let literalSegments = 0;
  let multiParams = 0;
  const pattern = template
    .split('/')
    .map((segment) => {
      if (!segment.includes('{')) {
        if (segment) literalSegments++;
        return escapeRegex(segment);
      }
      return segment
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const name = /^\{([^}]+)\}$/.exec(part)?.[1];
          if (!name) return escapeRegex(part);
          names.push(name);
          if (multi.has(name)) {
            multiParams++;
            // the repository's root: GET /repos/{owner}/{repo}/contents/ with an empty path
            return name === lastName ? '(.*)' : '(.+)';
          }
          return '([^/]+)';
        })
        .join('');
    })
    .join('/');
  const route: Route = {
    template,
    regex: new RegExp(`^${pattern}$`),
    names,
    literalSegments,
    multiParams,
    operations,
  };
  for (const [method, op] of Object.entries(item)) {
    if (!op || typeof op !== 'object' || typeof op.operationId !== 'string') continue;
    const docs = op.externalDocs as Json | undefined;
    operations.set(method, {
      method: method.toUpperCase(),
      template,
      operationId: op.operationId,
      docsUrl: typeof docs?.url === 'string' ? docs.url : 'https://docs.github.com/rest',
    });
  }
  return route;
}

function coerce(value: string, type: string | undefined): unknown {
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  if (type === 'array') return value.split(',');
  return value;
}

function describe(errors: ErrorObject[] | null | undefined, where: string): string[] {
  const out = new Set<string>();
  for (const e of errors ?? []) {
    const at = where + (e.instancePath || '');
    let detail = e.message ?? e.keyword;
    if (e.keyword === 'enum')
      detail += ` ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`;
    if (e.keyword === 'additionalProperties')
      detail += ` (${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)})`;
    out.add(`${at.trim() || 'request'}: ${detail}`);
  }
  return [...out];
}

function resolvePointer(root: Json, ref: string): Json {
  const path = ref.replace(/^[^#]*#/, '');
  let node: unknown = root;
  for (const raw of path.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Json | undefined)?.[key];
  }
  if (!node || typeof node !== 'object') throw new Error(`Unresolvable $ref ${ref} in the REST description`);
  return node as Json;
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
