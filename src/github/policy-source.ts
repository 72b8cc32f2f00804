import { decodeText } from '../fs/read.js';
import type { RemotePolicyReader } from '../policy/load.js';
import { type Client, makeClient, statusOf } from './client.js';

/** A remote policy larger than this is refused, as a local one is. */
const MAX_POLICY_BYTES = 1024 * 1024;

/**
 * Reads `owner/repo/path@ref` through the contents API (`GET /repos/{owner}/{repo}/contents/{path}?ref=`),
 * as an organisation's shared policy is read. Errors are short reasons for the message that names the chain:
 * `404 Not Found`, `not a file`, `larger than 1 MiB`, the HTTP status otherwise.
 */
export function remotePolicyReader(client: Client): RemotePolicyReader {
  return async ({ owner, repo, path, ref }) => {
    let data: Awaited<ReturnType<Client['rest']['repos']['getContent']>>['data'];
    try {
      ({ data } = await client.rest.repos.getContent({ owner, repo, path, ref }));
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
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) throw new Error('not a file');
    // Over 1 MB the API sends no content (encoding "none").
    if (data.encoding !== 'base64' || data.size > MAX_POLICY_BYTES) throw new Error('larger than 1 MiB');
    const read = decodeText(Buffer.from(data.content, 'base64'));
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
