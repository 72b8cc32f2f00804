import { getOctokit } from '@actions/github';
import { defaults } from '@actions/github/lib/utils';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

/** The REST client every `github/` module takes. */
export type Client = ReturnType<typeof getOctokit>;

/** Longest wait for a rate limit the client accepts before it gives up on a request (and falls back). */
const MAX_WAIT_S = 60;

/**
 * An Octokit for `apiUrl` that waits out secondary rate limits (`retry-after`) and retries server errors
 * (5xx) and 429 — and nothing else. Facts: `reference/github-platform.md` §6:
 * - the toolkit's request defaults (proxy-aware `fetch`) are spread, never replaced;
 * - no client-wide `request.retries`: `@octokit/plugin-retry` then retries every 4xx, a fork token's 403
 *   and a 422 included. Its defaults already leave 400/401/403/404/410/422/451 alone;
 * - `@octokit/plugin-throttling` paces writes (1 s apart, 3 s for requests that notify) and handles 403
 *   secondary limits; a primary limit that resets more than a minute away is not waited for.
 */
export function makeClient(token: string, apiUrl: string, log: (message: string) => void): Client {
  return getOctokit(
    token,
    {
      baseUrl: apiUrl,
      // Each request is given up after REQUEST_TIMEOUT_MS, so a hung API cannot hold the job.
      request: { ...defaults.request, fetch: withTimeout(defaults.request?.fetch ?? fetch) },
      // Server errors are tried twice more (1 s, then 4 s later); the 4xx of plugin-retry's defaults never.
      retry: { retries: 2 },
      throttle: {
        onSecondaryRateLimit: (
          retryAfter: number,
          options: { method: string; url: string },
          _o: unknown,
          count: number,
        ) => {
          log(`GitHub's secondary rate limit on ${options.method} ${options.url}: waiting ${retryAfter} s`);
          return count < 2 && retryAfter <= MAX_WAIT_S;
        },
        onRateLimit: (
          retryAfter: number,
          options: { method: string; url: string },
          _o: unknown,
          count: number,
        ) => {
          log(`GitHub's rate limit on ${options.method} ${options.url}: resets in ${retryAfter} s`);
          return count < 1 && retryAfter <= MAX_WAIT_S;
        },
      },
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    },
    retry,
    throttling,
  );
}

/** How long one request may take, answer included. */
export const REQUEST_TIMEOUT_MS = 20_000;

type Fetch = typeof fetch;

/** `fetch` with a deadline added to whatever signal the request already has. */
function withTimeout(inner: Fetch): Fetch {
  return (input, init) => {
    const deadline = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    return inner(input, { ...init, signal });
  };
}

/**
 * An API error's HTTP status, or undefined for anything else (a bug). Octokit reports a network error or a
 * timeout as status 500.
 */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
