import { decodeText } from '../fs/read.js';
import { MAX_POLICY_BYTES, type RemotePolicyReader } from '../policy/load.js';
import { type Client, makeClient, statusOf } from './client.js';

/** The longest answer read for one policy: a 1 MiB file in base64, with its line breaks and fields. */
const MAX_ANSWER_BYTES = 2 * MAX_POLICY_BYTES;

/**
 * `fetch` that reads at most MAX_ANSWER_BYTES of an answer: a longer one is dropped unread past that and
 * replaced by what the API itself sends for a file over 1 MB (encoding "none", no content), so that a
 * hostile or broken server cannot make the reader hold hundreds of megabytes.
 */
function boundedFetch(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    const tooLarge = (): Response =>
      new Response(
        JSON.stringify({ type: 'file', encoding: 'none', size: MAX_POLICY_BYTES + 1, content: '' }),
        {
          status: 200,
          headers: { 'content-type': 'application/json; charset=utf-8' },
        },
      );
    if (Number(response.headers.get('content-length') ?? 0) > MAX_ANSWER_BYTES) {
      await response.body?.cancel().catch(() => {});
      return tooLarge();
    }
    if (!response.body) return response;
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > MAX_ANSWER_BYTES) {
        await reader.cancel().catch(() => {});
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
export function remotePolicyReader(client: Client): RemotePolicyReader {
  const inner = (client.request.endpoint.DEFAULTS.request?.fetch as typeof fetch | undefined) ?? fetch;
  const request = { fetch: boundedFetch(inner) };
  return async ({ owner, repo, path, ref }) => {
    let data: Awaited<ReturnType<Client['rest']['repos']['getContent']>>['data'];
    try {
      ({ data } = await client.rest.repos.getContent({ owner, repo, path, ref, request }));
    } catch (error) {
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
    if (typeof data.content !== 'string') throw new Error('the API sent no content');
    // Over 1 MB the API sends no content (encoding "none").
    if (data.encoding !== 'base64' || data.size > MAX_POLICY_BYTES) throw new Error('larger than 1 MiB');
    // Base64 is 4 characters for 3 bytes, with a line break every 60: the content is checked before decoding.
    if (data.content.length > (MAX_POLICY_BYTES / 3) * 4 * (61 / 60) + 8)
      throw new Error('larger than 1 MiB');
    const bytes = Buffer.from(data.content, 'base64');
    if (bytes.length > MAX_POLICY_BYTES) throw new Error('larger than 1 MiB');
    const read = decodeText(bytes);
    if (!('text' in read)) throw new Error(`cannot be read as text (${read.skipped})`);
    return read.text;
  };
}

/**
 * The reader the command line uses: a token from `CLAUDE_GUARD_POLICY_TOKEN` or `GITHUB_TOKEN`, the API at
 * `GITHUB_API_URL` (GitHub Enterprise Server) or api.github.com. The client is made on first use, so a
 * policy without remote entries never loads it.
 */
export function environmentPolicyReader(
  env: NodeJS.ProcessEnv,
  log: (m: string) => void,
): RemotePolicyReader {
  let reader: RemotePolicyReader | undefined;
  return async (ref) => {
    if (!reader) {
      const token = env.CLAUDE_GUARD_POLICY_TOKEN || env.GITHUB_TOKEN;
      if (!token)
        throw new Error(
          'a remote policy needs a GitHub token: set CLAUDE_GUARD_POLICY_TOKEN or GITHUB_TOKEN',
        );
      reader = remotePolicyReader(makeClient(token, env.GITHUB_API_URL || 'https://api.github.com', log));
    }
    return reader(ref);
  };
}
