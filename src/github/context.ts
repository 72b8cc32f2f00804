import { readFileSync } from 'node:fs';

/**
 * What the workflow run is about, from the runner's environment and the event payload: which repository,
 * which commit the check run belongs on, and for a pull request its number and base. Pure: the environment
 * and the payload come in as values. Facts: `reference/github-platform.md` §8 — on `pull_request`,
 * `GITHUB_SHA` is a test merge commit; the check must go on `pull_request.head.sha`.
 */
export interface EventContext {
  eventName: string;
  owner: string;
  repo: string;
  /** The commit the check run and the review belong on. */
  headSha: string;
  /** The commit findings are compared with to tell new from existing; absent when there is none. */
  baseSha?: string;
  /** Set on `pull_request`, `pull_request_target` and the review events. */
  pullRequest?: PullRequestRef;
  /** `https://github.com` or a GitHub Enterprise Server's URL, for links. */
  serverUrl: string;
  /** The REST API's URL (`GITHUB_API_URL`). */
  apiUrl: string;
}

export interface PullRequestRef {
  number: number;
  /** `owner/name` of the head repository: another one for a pull request from a fork. */
  headRepo: string;
  /** The head repository is not this one (a fork): its token is read-only on `pull_request`. */
  fromFork: boolean;
}

/** A payload value of the expected type, or undefined: the payload is JSON the runner wrote, but check. */
function at(value: unknown, ...keys: string[]): unknown {
  let v = value;
  for (const k of keys) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, k)) return undefined;
    v = (v as { [key: string]: unknown })[k];
  }
  return v;
}

/** Events whose payload is about one pull request: the check belongs on its head commit. */
const PULL_REQUEST_EVENTS = new Set([
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment',
]);

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
const ZERO = /^0+$/;

function sha(value: unknown): string | undefined {
  return typeof value === 'string' && SHA.test(value) && !ZERO.test(value) ? value : undefined;
}

/** Reads the event payload the runner wrote; an absent or unreadable one is an empty payload. */
export function readEventPayload(path: string | undefined): unknown {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return {};
  }
}

/**
 * The context of this run, or a sentence saying why there is none (outside GitHub Actions, a repository
 * name that is not `owner/name`, no commit to report on).
 */
export function eventContext(env: NodeJS.ProcessEnv, payload: unknown): EventContext | string {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const [owner, repo, ...more] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo || more.length > 0) return 'GITHUB_REPOSITORY is not set to owner/name';
  const base = {
    eventName,
    owner,
    repo,
    serverUrl: (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, ''),
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
  };
  const number = at(payload, 'pull_request', 'number');
  if (PULL_REQUEST_EVENTS.has(eventName) && typeof number === 'number') {
    const headSha = sha(at(payload, 'pull_request', 'head', 'sha'));
    if (!headSha) return `the ${eventName} payload has no head commit`;
    const headRepo = at(payload, 'pull_request', 'head', 'repo', 'full_name');
    const context: EventContext = {
      ...base,
      headSha,
      pullRequest: {
        number,
        headRepo: typeof headRepo === 'string' ? headRepo : '',
        fromFork: headRepo !== `${owner}/${repo}`,
      },
    };
    const baseSha = sha(at(payload, 'pull_request', 'base', 'sha'));
    if (baseSha) context.baseSha = baseSha;
    return context;
  }
  if (eventName === 'merge_group') {
    const headSha = sha(at(payload, 'merge_group', 'head_sha')) ?? sha(env.GITHUB_SHA);
    if (!headSha) return 'the merge_group payload has no head commit';
    const context: EventContext = { ...base, headSha };
    const baseSha = sha(at(payload, 'merge_group', 'base_sha'));
    if (baseSha) context.baseSha = baseSha;
    return context;
  }
  if (eventName === 'push') {
    const headSha = sha(at(payload, 'after')) ?? sha(env.GITHUB_SHA);
    if (!headSha) return 'the push payload has no commit';
    const context: EventContext = { ...base, headSha };
    // All zeros for a new branch: nothing to compare with.
    const before = sha(at(payload, 'before'));
    if (before) context.baseSha = before;
    return context;
  }
  const headSha = sha(env.GITHUB_SHA);
  if (!headSha) return 'GITHUB_SHA is not a commit';
  return { ...base, headSha };
}
