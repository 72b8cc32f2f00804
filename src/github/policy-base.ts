import { pathInside } from '../fs/names.js';
import { readAtCommit } from '../fs/list.js';
import { PolicyError, type RemotePolicyReader, resolvePolicy } from '../policy/load.js';
import { policyLoosening } from '../policy/loosening.js';
import { defaultPolicy, type Policy } from '../policy/policy.js';
import { contentAt } from './base.js';
import { type Client, statusOf } from './client.js';
import type { EventContext } from './context.js';

/**
 * Reads repository files at the base commit: from the checkout's own history when it holds the commit,
 * else through the contents API. A file's text, null when it is absent at the base, undefined when it
 * cannot be known.
 */
export function baseFileReader(
  client: Client | undefined,
  ctx: EventContext,
  baseSha: string,
  workspace: string,
): (path: string) => Promise<string | null | undefined> {
  return async (path) => {
    const local = await readAtCommit(workspace, baseSha, [path]);
    const known = local?.get(path);
    if (known !== undefined) return known;
    if (!client) return undefined;
    try {
      return await contentAt(client, ctx, path, baseSha);
    } catch (error) {
      if (statusOf(error) === undefined) throw error;
      return undefined;
    }
  };
}

/** The policy in force on a pull request, and what to say about how it was found. */
export interface BasePolicy {
  policy: Policy;
  /** Said in the log and the summary when the base's policy could not be used as it is. */
  note?: string;
  /** The base's policy could not be known (unreadable or invalid): `policy` is the built-in default. */
  unknown?: true;
}

/**
 * The policy in force on a pull request: the base branch's version of the policy file (and of the local
 * policies it extends), read at the base commit from the checkout's own history when it holds it, else
 * through the contents API — so a pull request that edits `.github/claude-guard.yml` is judged by the
 * policy it edits, not by its edit. Without a policy file at the base, the built-in default is in force
 * (never the pull request's); when the base's cannot be read or is invalid, `unknown` is set and the caller
 * decides (see the action: the stricter of the built-in policy and the pull request's).
 */
export async function basePolicy(options: {
  client: Client | undefined;
  ctx: EventContext;
  baseSha: string;
  workspace: string;
  /** The policy file, absolute, inside the workspace. */
  path: string;
  display: string;
  readRemote?: RemotePolicyReader;
}): Promise<BasePolicy> {
  const { workspace } = options;
  const atBase = baseFileReader(options.client, options.ctx, options.baseSha, workspace);
  const fallback = (why: string): BasePolicy => ({
    policy: defaultPolicy(),
    note: why,
    unknown: true,
  });
  const own = pathInside(workspace, options.path);
  if (own === undefined) return fallback(`the policy ${options.display} is not inside the workspace`);
  const text = await atBase(own);
  if (text === null) return { policy: defaultPolicy() };
  if (text === undefined) return fallback(`the base branch's ${options.display} could not be read`);
  try {
    const policy = await resolvePolicy(
      text,
      options.display,
      { kind: 'local', path: options.path },
      {
        readLocal: async (absolute) => {
          const path = pathInside(workspace, absolute);
          if (path === undefined) throw new Error('outside the repository');
          const found = await atBase(path);
          if (found === null) throw new Error('not in the base branch');
          if (found === undefined) throw new Error('could not be read at the base');
          return found;
        },
        ...(options.readRemote ? { readRemote: options.readRemote } : {}),
      },
    );
    return { policy };
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    return fallback(`the base branch's policy is not valid (${error.issues[0]?.message ?? error.message})`);
  }
}

/**
 * The policy a pull request is judged by, from the base's: the base's when it is known; when it is not
 * (unreadable, invalid), the pull request's own if it loosens nothing of the built-in policy, else the built-in
 * one — never less than the built-in policy. `note` says which, when it is not simply the base's.
 */
export function policyInForce(base: BasePolicy, head: Policy): { policy: Policy; note?: string } {
  if (!base.unknown) return base.note ? { policy: base.policy, note: base.note } : { policy: base.policy };
  const headHolds = policyLoosening(base.policy, head).length === 0;
  const why = base.note ?? "the base branch's policy is unknown";
  return headHolds
    ? {
        policy: head,
        note: `${why}: the pull request's policy, which loosens nothing of the built-in one, is in force`,
      }
    : { policy: base.policy, note: `${why}: the built-in default policy is in force for this pull request` };
}
