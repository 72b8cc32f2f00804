export const id = 421;
export const ids = [421];
export const modules = {

/***/ 6421:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  environmentPolicyReader: () => (/* binding */ environmentPolicyReader),
  remotePolicyReader: () => (/* binding */ remotePolicyReader)
});

// EXTERNAL MODULE: ./lib/fs/read.js
var fs_read = __webpack_require__(9495);
// EXTERNAL MODULE: ./lib/policy/load.js + 2 modules
var load = __webpack_require__(2012);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js
var github = __webpack_require__(1351);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/utils.js + 19 modules
var utils = __webpack_require__(5555);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-retry/dist-bundle/index.js
var dist_bundle = __webpack_require__(9735);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-throttling/dist-bundle/index.js
var plugin_throttling_dist_bundle = __webpack_require__(6856);
;// CONCATENATED MODULE: ./lib/github/client.js




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
function makeClient(token, apiUrl, log) {
    return (0,github/* getOctokit */.Q)(token, {
        baseUrl: apiUrl,
        // Each request is given up after REQUEST_TIMEOUT_MS, so a hung API cannot hold the job.
        request: { ...utils/* defaults */.NT.request, fetch: withTimeout(utils/* defaults */.NT.request?.fetch ?? fetch) },
        // Server errors are tried twice more (1 s, then 4 s later); the 4xx of plugin-retry's defaults never.
        retry: { retries: 2 },
        throttle: {
            onSecondaryRateLimit: (retryAfter, options, _o, count) => {
                log(`GitHub's secondary rate limit on ${options.method} ${options.url}: waiting ${retryAfter} s`);
                return count < 2 && retryAfter <= MAX_WAIT_S;
            },
            onRateLimit: (retryAfter, options, _o, count) => {
                log(`GitHub's rate limit on ${options.method} ${options.url}: resets in ${retryAfter} s`);
                return count < 1 && retryAfter <= MAX_WAIT_S;
            },
        },
        log: { debug: () => { }, info: () => { }, warn: () => { }, error: () => { } },
    }, dist_bundle/* retry */.L, plugin_throttling_dist_bundle/* throttling */.A);
}
/** How long one request may take, answer included. */
const REQUEST_TIMEOUT_MS = 20_000;
/** `fetch` with a deadline added to whatever signal the request already has. */
function withTimeout(inner) {
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
function statusOf(error) {
    const status = error?.status;
    return typeof status === 'number' ? status : undefined;
}

;// CONCATENATED MODULE: ./lib/github/policy-source.js



/** The longest answer read for one policy: a 1 MiB file in base64, with its line breaks and fields. */
const MAX_ANSWER_BYTES = 2 * load/* MAX_POLICY_BYTES */.mk;
/**
 * `fetch` that reads at most MAX_ANSWER_BYTES of an answer: a longer one is dropped unread past that and
 * replaced by what the API itself sends for a file over 1 MB (encoding "none", no content), so that a
 * hostile or broken server cannot make the reader hold hundreds of megabytes.
 */
function boundedFetch(inner) {
    return async (input, init) => {
        const response = await inner(input, init);
        const tooLarge = () => new Response(JSON.stringify({ type: 'file', encoding: 'none', size: load/* MAX_POLICY_BYTES */.mk + 1, content: '' }), {
            status: 200,
            headers: { 'content-type': 'application/json; charset=utf-8' },
        });
        if (Number(response.headers.get('content-length') ?? 0) > MAX_ANSWER_BYTES) {
            await response.body?.cancel().catch(() => { });
            return tooLarge();
        }
        if (!response.body)
            return response;
        const chunks = [];
        let size = 0;
        const reader = response.body.getReader();
        for (;;) {
            const { done, value } = await reader.read();
            if (done)
                break;
            size += value.length;
            if (size > MAX_ANSWER_BYTES) {
                await reader.cancel().catch(() => { });
                return tooLarge();
            }
            chunks.push(value);
        }
        return new Response(Buffer.concat(chunks), {
            status: response.status,
            statusText: response.statusText,
            headers: response.headers,
        });
    };
}
/**
 * Reads `owner/repo/path@ref` through the contents API (`GET /repos/{owner}/{repo}/contents/{path}?ref=`),
 * as an organisation's shared policy is read. Errors are short reasons for the message that names the chain:
 * `404 Not Found`, `not a file`, `larger than 1 MiB`, the HTTP status otherwise.
 */
function remotePolicyReader(client) {
    const inner = client.request.endpoint.DEFAULTS.request?.fetch ?? fetch;
    const request = { fetch: boundedFetch(inner) };
    return async ({ owner, repo, path, ref }) => {
        let data;
        try {
            ({ data } = await client.rest.repos.getContent({ owner, repo, path, ref, request }));
        }
        catch (error) {
            const status = statusOf(error);
            if (status === 404)
                throw new Error('404 Not Found: no such file at that ref, or the token cannot read it', {
                    cause: error,
                });
            if (status === 401 || status === 403)
                throw new Error(`${status}: the token cannot read ${owner}/${repo}`, { cause: error });
            throw new Error(status ? `HTTP ${status}` : 'the API could not be reached', { cause: error });
        }
        // The answer is read as untrusted: any shape, any size said, content of another size than the one said.
        if (typeof data !== 'object' || data === null || Array.isArray(data) || data.type !== 'file')
            throw new Error('not a file');
        if (typeof data.content !== 'string')
            throw new Error('the API sent no content');
        // Over 1 MB the API sends no content (encoding "none").
        if (data.encoding !== 'base64' || data.size > load/* MAX_POLICY_BYTES */.mk)
            throw new Error('larger than 1 MiB');
        // Base64 is 4 characters for 3 bytes, with a line break every 60: the content is checked before decoding.
        if (data.content.length > (load/* MAX_POLICY_BYTES */.mk / 3) * 4 * (61 / 60) + 8)
            throw new Error('larger than 1 MiB');
        const bytes = Buffer.from(data.content, 'base64');
        if (bytes.length > load/* MAX_POLICY_BYTES */.mk)
            throw new Error('larger than 1 MiB');
        const read = (0,fs_read/* decodeText */.g7)(bytes);
        if (!('text' in read))
            throw new Error(`cannot be read as text (${read.skipped})`);
        return read.text;
    };
}
/**
 * The reader the command line uses: a token from `CLAUDE_GUARD_POLICY_TOKEN` or `GITHUB_TOKEN`, the API at
 * `GITHUB_API_URL` (GitHub Enterprise Server) or api.github.com. The client is made on first use, so a
 * policy without remote entries never loads it.
 */
function environmentPolicyReader(env, log) {
    let reader;
    return async (ref) => {
        if (!reader) {
            const token = env.CLAUDE_GUARD_POLICY_TOKEN || env.GITHUB_TOKEN;
            if (!token)
                throw new Error('a remote policy needs a GitHub token: set CLAUDE_GUARD_POLICY_TOKEN or GITHUB_TOKEN');
            reader = remotePolicyReader(makeClient(token, env.GITHUB_API_URL || 'https://api.github.com', log));
        }
        return reader(ref);
    };
}


/***/ })

};
