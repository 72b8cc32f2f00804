/**
 * Workflow event payloads for tests, from the examples GitHub's Octokit team publishes
 * (`@octokit/webhooks-examples`, one list of `{name, actions, examples[]}` per webhook event), copied so a
 * test can change them, and set to the repository, pull request and commits the test is about.
 *
 * A workflow's `GITHUB_EVENT_PATH` file is the webhook payload of the event that started it, except for
 * `schedule`, which has no webhook: its payload is built here (`{schedule, repository}`, see scheduleEvent).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { WebhookDefinition } from '@octokit/webhooks-examples';

type Payload = Record<string, unknown>;
export type PullRequestPayload = WebhookDefinition<'pull_request'>['examples'][number];
export type PushPayload = WebhookDefinition<'push'>['examples'][number];
export type MergeGroupPayload = WebhookDefinition<'merge_group'>['examples'][number];

let definitions: WebhookDefinition[] | undefined;

function load(): WebhookDefinition[] {
  if (!definitions) {
    const require = createRequire(import.meta.url);
    definitions = JSON.parse(
      readFileSync(require.resolve('@octokit/webhooks-examples'), 'utf8'),
    ) as WebhookDefinition[];
  }
  return definitions;
}

/** The names of the events that have examples, each with the actions its examples show. */
export function exampleEvents(): Map<string, string[]> {
  return new Map(
    load().map((d) => [d.name, [...new Set(d.examples.map((e) => String((e as Payload).action ?? '')))]]),
  );
}

/** A deep copy of the first example of `name` (with `action`, when given). Throws when there is none. */
export function examplePayload<T = Payload>(name: string, action?: string): T {
  const definition = load().find((d) => d.name === name);
  const example = definition?.examples.find((e) => action === undefined || (e as Payload).action === action);
  if (!example)
    throw new Error(`@octokit/webhooks-examples has no ${name}${action ? `.${action}` : ''} example`);
  return structuredClone(example) as T;
}

export interface RepoRef {
  owner: string;
  repo: string;
}

function setRepository(payload: Payload, { owner, repo }: RepoRef): void {
  const repository = payload.repository as Payload & { owner: Payload };
  repository.name = repo;
  repository.full_name = `${owner}/${repo}`;
  repository.owner.login = owner;
  repository.html_url = `https://github.com/${owner}/${repo}`;
}

export interface PullRequestEventOptions extends RepoRef {
  number?: number;
  headSha?: string;
  baseSha?: string;
  headRef?: string;
  baseRef?: string;
  /** The head branch lives in a fork (owner given), so the workflow's token is read-only. */
  forkOwner?: string;
  action?: 'opened' | 'synchronize' | 'reopened';
}

/** A `pull_request` payload for the given repository, PR number, head and base, from a fork or not. */
export function pullRequestEvent(o: PullRequestEventOptions): PullRequestPayload {
  const payload = examplePayload<PullRequestPayload>(
    'pull_request',
    o.action === 'synchronize' ? 'synchronize' : 'opened',
  );
  const p = payload as unknown as Payload & {
    pull_request: Payload & Record<'head' | 'base', Payload & { repo: Payload & { owner: Payload } }>;
  };
  if (o.action) p.action = o.action;
  setRepository(p, o);
  const number = o.number ?? 1;
  p.number = number;
  const pr = p.pull_request;
  pr.number = number;
  pr.html_url = `https://github.com/${o.owner}/${o.repo}/pull/${number}`;
  pr.base.sha = o.baseSha ?? 'b'.repeat(40);
  pr.base.ref = o.baseRef ?? 'main';
  pr.base.label = `${o.owner}:${pr.base.ref}`;
  pr.base.repo = structuredClone(p.repository) as typeof pr.base.repo;
  pr.head.sha = o.headSha ?? 'a'.repeat(40);
  pr.head.ref = o.headRef ?? 'feature';
  const headOwner = o.forkOwner ?? o.owner;
  pr.head.label = `${headOwner}:${pr.head.ref}`;
  pr.head.repo = structuredClone(p.repository) as typeof pr.head.repo;
  pr.head.repo.owner.login = headOwner;
  pr.head.repo.full_name = `${headOwner}/${o.repo}`;
  pr.head.repo.fork = o.forkOwner !== undefined;
  if (p.action === 'synchronize') {
    p.before = 'e'.repeat(40);
    p.after = pr.head.sha;
  }
  return payload;
}

/** A `push` payload: `before`/`after` and the ref (a new branch has `before` all zeros). */
export function pushEvent(o: RepoRef & { before?: string; after?: string; ref?: string }): PushPayload {
  const payload = examplePayload<PushPayload>('push');
  const p = payload as unknown as Payload & { head_commit: Payload | null };
  setRepository(p, o);
  p.ref = o.ref ?? 'refs/heads/main';
  p.before = o.before ?? '0'.repeat(40);
  p.after = o.after ?? 'c'.repeat(40);
  p.created = /^0+$/.test(String(p.before));
  p.deleted = false;
  if (p.head_commit) p.head_commit.id = p.after;
  return payload;
}

/** A `merge_group` (`checks_requested`) payload: the merge group's head and base commits. */
export function mergeGroupEvent(
  o: RepoRef & { headSha?: string; baseSha?: string; baseRef?: string },
): MergeGroupPayload {
  const payload = examplePayload<MergeGroupPayload>('merge_group', 'checks_requested');
  const p = payload as unknown as Payload & { merge_group: Payload };
  setRepository(p, o);
  p.merge_group.head_sha = o.headSha ?? 'd'.repeat(40);
  p.merge_group.base_sha = o.baseSha ?? 'b'.repeat(40);
  p.merge_group.base_ref = `refs/heads/${o.baseRef ?? 'main'}`;
  return payload;
}

/** A `workflow_dispatch` payload with the given inputs. */
export function workflowDispatchEvent(
  o: RepoRef & { ref?: string; inputs?: Record<string, string> },
): Payload {
  const payload = examplePayload('workflow_dispatch');
  setRepository(payload, o);
  payload.ref = o.ref ?? 'refs/heads/main';
  payload.inputs = o.inputs ?? {};
  return payload;
}

/**
 * A `schedule` payload. There is no webhook for it, so no example: GitHub's docs give only `schedule` (the
 * cron string); the repository is taken from the push example so `context.payload.repository` is set.
 */
export function scheduleEvent(o: RepoRef & { cron?: string }): Payload {
  const push = examplePayload('push');
  setRepository(push, o);
  return { schedule: o.cron ?? '0 3 * * 1', repository: push.repository };
}

/**
 * The environment a runner gives a JavaScript action for this event, pointed at a fake API: write the
 * payload to `event.json` in `dir` (the test's own temporary folder), and return the `GITHUB_*` variables
 * `@actions/github`'s context reads.
 */
export function workflowEnv(o: {
  dir: string;
  apiUrl: string;
  eventName: string;
  payload: unknown;
  repository: string;
  sha: string;
  ref: string;
  workspace?: string;
}): Record<string, string> {
  const eventPath = join(o.dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(o.payload));
  return {
    GITHUB_ACTIONS: 'true',
    GITHUB_API_URL: o.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_GRAPHQL_URL: `${o.apiUrl}/graphql`,
    GITHUB_REPOSITORY: o.repository,
    GITHUB_EVENT_NAME: o.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: o.sha,
    GITHUB_REF: o.ref,
    GITHUB_WORKFLOW: 'claude-guard',
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_NUMBER: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'guard',
    GITHUB_ACTOR: 'octocat',
    ...(o.workspace ? { GITHUB_WORKSPACE: o.workspace } : {}),
  };
}
