import { type Client, statusOf } from './client.js';
import type { EventContext } from './context.js';

/** The login of the token's author when it is the Actions token, whose `GET /user` answers 403. */
export const ACTIONS_BOT = 'github-actions[bot]';

export type CommentResult =
  | { ok: true; action: 'created' | 'updated' | 'unchanged' | 'none'; id?: number; url?: string }
  | { ok: false; status: number | undefined; reason: string };

/** Who comments with this token: a user token's login, else the Actions bot. */
export async function tokenLogin(client: Client): Promise<string> {
  try {
    const { data } = await client.rest.users.getAuthenticated();
    return data.login;
  } catch {
    // An installation token (the Actions token) cannot read /user.
    return ACTIONS_BOT;
  }
}

/**
 * Keeps the one claude-guard comment of a pull request: found over every page of comments by its hidden
 * marker *and* its author (anyone can paste the marker into a comment), edited in place, created only when
 * `body` is given, replaced by `resolved` when there is nothing left to say but a comment exists. Never
 * throws for an API answer.
 */
export async function upsertComment(
  client: Client,
  ctx: EventContext,
  marker: string,
  body: string | undefined,
  resolved: string,
): Promise<CommentResult> {
  const issue_number = ctx.pullRequest?.number as number;
  const repo = { owner: ctx.owner, repo: ctx.repo };
  try {
    const login = await tokenLogin(client);
    const comments = await client.paginate(client.rest.issues.listComments, {
      ...repo,
      issue_number,
      per_page: 100,
    });
    const mine = comments.find((c) => c.user?.login === login && (c.body ?? '').includes(marker));
    if (!mine) {
      if (body === undefined) return { ok: true, action: 'none' };
      const { data } = await client.rest.issues.createComment({ ...repo, issue_number, body });
      return { ok: true, action: 'created', id: data.id, url: data.html_url };
    }
    const next = body ?? resolved;
    if (mine.body === next) return { ok: true, action: 'unchanged', id: mine.id, url: mine.html_url };
    const { data } = await client.rest.issues.updateComment({ ...repo, comment_id: mine.id, body: next });
    return { ok: true, action: 'updated', id: data.id, url: data.html_url };
  } catch (error) {
    const status = statusOf(error);
    if (status === undefined) throw error;
    return { ok: false, status, reason: (error as Error).message };
  }
}
