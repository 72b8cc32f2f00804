/**
 * A local fake of GitHub's REST API for the action's reporting tests: check runs, the sticky PR comment,
 * the inline review and their fallbacks run against it through a real HTTP client (Octokit from
 * `@actions/github`, with `baseUrl` set to `url`), never against the network.
 *
 * Every request is checked against GitHub's REST OpenAPI description: a request GitHub's schema would
 * refuse is answered 422 and described in `violations`; a route that does not exist is 404 and a
 * violation too. Requests the description accepts but GitHub refuses (a summary over 65535 bytes, a review
 * comment outside the diff, editing someone else's comment…) are answered as GitHub does and described in
 * `rejections`. A test that expects neither asserts both are empty.
 *
 *     const gh = await startFakeGitHub();
 *     gh.state.addPull('octo/repo', { number: 7, files: [{ filename: 'a.ts', patch: addedFilePatch('x\n') }] });
 *     const octokit = getOctokit(FAKE_TOKEN, { baseUrl: gh.url });
 *     // … run the reporting code …
 *     expect(gh.violations).toEqual([]);
 *     await gh.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { loadContract, type RouteMatch } from './openapi-contract.js';
import { FakeState, GITHUB_ACTIONS_BOT, type GitHubUser } from './fake-github-state.js';
import { errorBody, type Reply } from './fake-github-reply.js';
import { HANDLERS } from './fake-github-routes.js';

export * from './fake-github-state.js';
export { addedFilePatch, hunk, parsePatch, patchFor } from './unified-diff.js';
export {
  examplePayload,
  exampleEvents,
  mergeGroupEvent,
  pullRequestEvent,
  pushEvent,
  scheduleEvent,
  workflowDispatchEvent,
  workflowEnv,
} from './event-payloads.js';
export { reviewCommentProblems } from './fake-github-pulls.js';
export { toSentence } from './fake-github-reply.js';

/** The token the fake accepts unless told otherwise; `ghs_` is the prefix of installation tokens. */
export const FAKE_TOKEN = 'ghs_FakeGitHubInstallationToken0000000000';

/** What GitHub says when a secondary rate limit is hit (the request id sentence is added per request). */
export const SECONDARY_RATE_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';

const SECONDARY_RATE_LIMIT_DOCS =
  'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits';
const PRIMARY_RATE_LIMIT_DOCS =
  'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits';
const NOT_ACCESSIBLE = 'Resource not accessible by integration';

export interface FakeOptions {
  /** The one token that authenticates (default FAKE_TOKEN). */
  token?: string;
  /** The token of a fork's pull request (or Dependabot's): every write is 403, reads work. */
  readOnly?: boolean;
  /** Who the token writes as (default github-actions[bot]). */
  tokenUser?: GitHubUser;
  /** "Allow GitHub Actions to create and approve pull requests" (off by default, as on GitHub). */
  allowApprove?: boolean;
  /** Requests per hour before the primary rate limit (default 1000, GITHUB_TOKEN's). */
  rateLimit?: number;
  /** The clock for created_at/updated_at (default: real time). */
  now?: () => Date;
}

export interface RecordedRequest {
  requestId: string;
  method: string;
  /** The path as sent, without the query. */
  path: string;
  query: Record<string, string>;
  headers: Partial<
    Record<'authorization' | 'accept' | 'content-type' | 'user-agent' | 'x-github-api-version', string>
  >;
  /** The parsed JSON body (the raw text when it is not JSON; undefined when there is none). */
  body: unknown;
  /** The operation of GitHub's description the request reached, e.g. `checks/create`. */
  operationId?: string;
  status: number;
  /** The answer's JSON (or text). */
  response: unknown;
  /** Answered by a failNext rule. */
  fault: boolean;
}

export interface FaultRule {
  method?: string;
  /** Tested against the path without the query. */
  path?: RegExp;
  status: number;
  headers?: Record<string, string>;
  /** The JSON answered; a function gets the request id (GitHub puts it in some messages). */
  body?: unknown;
  /** How many matching requests fail (default 1). */
  times?: number;
}

export interface FakeGitHub {
  /** `http://127.0.0.1:<port>`: the value for `GITHUB_API_URL` or Octokit's `baseUrl`. */
  url: string;
  requests: RecordedRequest[];
  /** Requests that GitHub's REST description does not allow, each in words. */
  violations: string[];
  /** Requests the description allows but GitHub refuses (limits, diff hunks, permissions), each in words. */
  rejections: string[];
  state: FakeState;
  /** Whether the token is read-only; can be changed between requests. */
  readOnly: boolean;
  /** The next request(s) matching the rule fail with its status, headers and body. */
  failNext(rule: FaultRule): void;
  /** Milliseconds spent reading GitHub's REST description (0 once this test file has read it). */
  contractLoadMs: number;
  close(): Promise<void>;
}

/** A failNext rule for GitHub's secondary rate limit: 403, `retry-after`, and GitHub's message. */
export function secondaryRateLimit(
  o: { method?: string; path?: RegExp; retryAfter?: number; times?: number } = {},
): FaultRule {
  return {
    ...(o.method ? { method: o.method } : {}),
    ...(o.path ? { path: o.path } : {}),
    times: o.times ?? 1,
    status: 403,
    headers: { 'retry-after': String(o.retryAfter ?? 1) },
    body: (requestId: string) =>
      errorBody(
        403,
        `${SECONDARY_RATE_LIMIT_MESSAGE} If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
        SECONDARY_RATE_LIMIT_DOCS,
      ),
  };
}

const WRITE_PERMISSION = new Map([
  ['checks', 'checks=write'],
  ['issues', 'issues=write; pull_requests=write'],
  ['pulls', 'pull_requests=write'],
  ['repos', 'contents=write; statuses=write'],
]);

export async function startFakeGitHub(options: FakeOptions = {}): Promise<FakeGitHub> {
  const { contract, loadMs } = loadContract();
  const token = options.token ?? FAKE_TOKEN;
  const state = new FakeState(options.now ?? (() => new Date()), options.tokenUser ?? GITHUB_ACTIONS_BOT);
  const faults: Array<Required<Pick<FaultRule, 'times'>> & FaultRule> = [];
  const sockets = new Set<Socket>();
  const limit = options.rateLimit ?? 1000;
  const rate = { limit, used: 0, remaining: limit, reset: Math.floor(Date.now() / 1000) + 3600 };
  let requestCount = 0;
  let url = '';

  const fake: FakeGitHub = {
    url: '',
    requests: [],
    violations: [],
    rejections: [],
    state,
    readOnly: options.readOnly ?? false,
    contractLoadMs: loadMs,
    failNext(rule) {
      faults.push({ ...rule, times: rule.times ?? 1 });
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      });
    },
  };

  const requestIdFor = (n: number): string => {
    const hex = (x: number, w: number): string =>
      (x >>> 0).toString(16).toUpperCase().padStart(w, '0').slice(-w);
    return `${hex(0xc0de, 4)}:${hex(n * 7919, 4)}:${hex(n * 2654435761, 8)}:${hex(n * 40503, 8)}:${hex(0x6a000000 + n, 8)}`;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = requestIdFor(++requestCount);
    const method = (req.method ?? 'GET').toUpperCase();
    const parsed = new URL(req.url ?? '/', url);
    const raw = await readBody(req);
    const header = (name: string): string | undefined => {
      const v = req.headers[name];
      return Array.isArray(v) ? v.join(', ') : v;
    };
    const record: RecordedRequest = {
      requestId,
      method,
      path: parsed.pathname,
      query: Object.fromEntries(parsed.searchParams),
      headers: {},
      body: undefined,
      status: 0,
      response: undefined,
      fault: false,
    };
    for (const name of [
      'authorization',
      'accept',
      'content-type',
      'user-agent',
      'x-github-api-version',
    ] as const) {
      const v = header(name);
      if (v !== undefined) record.headers[name] = v;
    }
    const send = (reply: Reply): void => {
      const headers: Record<string, string> = {
        'content-type': reply.contentType ?? 'application/json; charset=utf-8',
        'x-github-request-id': requestId,
        'x-github-api-version-selected': '2022-11-28',
        'x-github-media-type': 'github.v3; format=json',
        'x-ratelimit-limit': String(rate.limit),
        'x-ratelimit-remaining': String(rate.remaining),
        'x-ratelimit-used': String(rate.used),
        'x-ratelimit-reset': String(rate.reset),
        'x-ratelimit-resource': 'core',
        ...reply.headers,
      };
      const payload = reply.status === 204 ? '' : (reply.text ?? JSON.stringify(reply.json ?? {}));
      record.status = reply.status;
      record.response = reply.text ?? reply.json;
      fake.requests.push(record);
      res.writeHead(reply.status, { ...headers, 'content-length': String(Buffer.byteLength(payload)) });
      res.end(payload);
    };

    // 1. Does the route exist?
    const match = contract.match(method, parsed.pathname);
    if (!('operation' in match)) {
      fake.violations.push(
        match.pathExists
          ? `${method} ${parsed.pathname}: GitHub's REST description has this path but no ${method} operation on it`
          : `${method} ${parsed.pathname}: no operation in GitHub's REST description has this path`,
      );
      return send({ status: 404, json: errorBody(404, 'Not Found', 'https://docs.github.com/rest') });
    }
    const { operation } = match as RouteMatch;
    record.operationId = operation.operationId;

    // 2. Is the request what the description allows? (Recorded whatever is answered.)
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        record.body = raw.toString('utf8');
        fake.violations.push(
          `${operation.operationId} (${method} ${operation.template}): the body is not JSON`,
        );
        return send({ status: 400, json: errorBody(400, 'Problems parsing JSON', operation.docsUrl) });
      }
    }
    record.body = body;
    const problems = contract.check(
      match as RouteMatch,
      parsed.searchParams,
      raw.length > 0 ? { present: true, value: body } : { present: false },
    );
    fake.violations.push(...problems);

    // 3. An injected failure comes first, like a proxy or a limiter in front of the API.
    const fault = faults.find(
      (f) => (!f.method || f.method.toUpperCase() === method) && (!f.path || f.path.test(parsed.pathname)),
    );
    if (fault) {
      if (--fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
      record.fault = true;
      const json =
        typeof fault.body === 'function'
          ? (fault.body as (id: string) => unknown)(requestId)
          : (fault.body ?? errorBody(fault.status, 'Server Error', operation.docsUrl));
      return send({ status: fault.status, json, headers: fault.headers ?? {} });
    }

    // 4. Who is asking, and may they?
    const auth = /^(?:token|bearer)\s+(\S+)$/i.exec(header('authorization') ?? '');
    if (!auth)
      return send({ status: 401, json: errorBody(401, 'Requires authentication', operation.docsUrl) });
    if (auth[1] !== token)
      return send({ status: 401, json: errorBody(401, 'Bad credentials', 'https://docs.github.com/rest') });
    if (operation.operationId !== 'rate-limit/get') {
      if (rate.remaining === 0) {
        return send({
          status: 403,
          json: errorBody(403, 'API rate limit exceeded for installation ID 1.', PRIMARY_RATE_LIMIT_DOCS),
        });
      }
      rate.used++;
      rate.remaining--;
    }
    const write = method !== 'GET' && method !== 'HEAD';
    if (write && fake.readOnly) {
      const permission = WRITE_PERMISSION.get(operation.operationId.split('/')[0] ?? '');
      return send({
        status: 403,
        json: errorBody(403, NOT_ACCESSIBLE, operation.docsUrl),
        headers: permission ? { 'x-accepted-github-permissions': permission } : {},
      });
    }

    // 5. Refused by the schema, as GitHub's JSON-schema check does: "Invalid request." and the reasons.
    if (problems.length) {
      const reasons = problems.map((p) => p.slice(p.indexOf('): ') + 3));
      return send({
        status: 422,
        json: errorBody(422, `Invalid request.\n\n${reasons.join('\n')}`, operation.docsUrl),
      });
    }

    // 6. GitHub's behaviour.
    const handler = HANDLERS.get(operation.operationId);
    if (!handler) {
      fake.violations.push(
        `${operation.operationId} (${method} ${operation.template}): the fake does not implement this operation`,
      );
      return send({
        status: 501,
        json: errorBody(
          501,
          `The fake GitHub does not implement ${operation.operationId}`,
          operation.docsUrl,
        ),
      });
    }
    try {
      send(
        handler({
          state,
          operation,
          params: (match as RouteMatch).params,
          query: parsed.searchParams,
          body:
            body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {},
          accept: header('accept') ?? '',
          baseUrl: url,
          path: parsed.pathname,
          allowApprove: options.allowApprove ?? false,
          rate,
          reject(status, json, why) {
            fake.rejections.push(
              `${operation.operationId} (${method} ${parsed.pathname}) → ${status}: ${why}`,
            );
            return { status, json };
          },
        }),
      );
    } catch (err) {
      fake.violations.push(
        `${operation.operationId}: the fake failed: ${(err as Error).stack ?? String(err)}`,
      );
      send({ status: 500, json: errorBody(500, 'Server Error', operation.docsUrl) });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      fake.violations.push(`the fake failed: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.url = url;
  return fake;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy(new Error(`request body over ${MAX_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
