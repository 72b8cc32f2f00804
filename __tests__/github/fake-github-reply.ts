/**
 * What every fake endpoint shares: the request as a handler sees it, the answer it gives, GitHub's error
 * bodies and GitHub's pagination.
 */
import type { Operation } from './openapi-contract.js';
import type { FakeState, RepoRecord } from './fake-github-state.js';

export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RouteContext {
  state: FakeState;
  operation: Operation;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body; `{}` when there is none. */
  body: Record<string, unknown>;
  accept: string;
  /** The fake's own origin, for `url` fields and `Link` headers. */
  baseUrl: string;
  /** The request's path, without the query, as sent. */
  path: string;
  /** "Allow GitHub Actions to create and approve pull requests" (off by default on GitHub). */
  allowApprove: boolean;
  rate: { limit: number; remaining: number; used: number; reset: number };
  /** A refusal GitHub gives to a request its description accepts; the reason is kept in `rejections`. */
  reject(status: number, json: Record<string, unknown>, why: string): Reply;
}

export type Handler = (ctx: RouteContext) => Reply;

/** GitHub's error body: message, optional errors, documentation_url, and the status as a string. */
export function errorBody(
  status: number,
  message: string,
  docs: string,
  errors?: unknown[],
): Record<string, unknown> {
  return { message, ...(errors ? { errors } : {}), documentation_url: docs, status: String(status) };
}

export function notFound(ctx: RouteContext): Reply {
  return { status: 404, json: errorBody(404, 'Not Found', ctx.operation.docsUrl) };
}

/** Ruby's `to_sentence`, which GitHub uses to join review errors: "a", "a and b", "a, b, and c". */
export function toSentence(parts: readonly string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  if (parts.length === 2) return `${parts[0]} and ${parts[1]}`;
  return `${parts.slice(0, -1).join(', ')}, and ${parts[parts.length - 1]}`;
}

export function validationFailed(ctx: RouteContext, errors: Record<string, unknown>[], why: string): Reply {
  return ctx.reject(422, errorBody(422, 'Validation Failed', ctx.operation.docsUrl, errors), why);
}

export function unprocessable(ctx: RouteContext, messages: string[], why: string): Reply {
  return ctx.reject(
    422,
    errorBody(422, 'Unprocessable Entity', ctx.operation.docsUrl, [toSentence(messages)]),
    why,
  );
}

export function repoOf(ctx: RouteContext): RepoRecord {
  return ctx.state.repo(`${ctx.params.owner}/${ctx.params.repo}`);
}

export function int(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || !/^-?\d+$/.test(value)) return undefined;
  return Number(value);
}

/**
 * GitHub's pagination: `per_page` (default 30; above 100 is served as 100), `page` from 1, and a `Link`
 * header with prev/next/last/first built on the URL that was asked, other query parameters kept.
 */
export function paginate<T>(
  ctx: RouteContext,
  items: readonly T[],
): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, int(ctx.query.get('per_page')) || 30));
  const page = Math.max(1, int(ctx.query.get('page')) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const at = (n: number): string => {
    const q = new URLSearchParams(ctx.query);
    q.set('page', String(n));
    return `<${ctx.baseUrl}${ctx.path}?${q.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${at(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) links.push(`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`);
  if (page > 1) links.push(`${at(1)}; rel="first"`);
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length ? { link: links.join(', ') } : {},
  };
}

export function listReply<T>(ctx: RouteContext, items: readonly T[], render: (item: T) => unknown): Reply {
  const { items: page, headers } = paginate(ctx, items);
  return { status: 200, json: page.map(render), headers };
}
