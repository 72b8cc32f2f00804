import { type Client, statusOf } from './client.js';
import type { EventContext } from './context.js';

/** The login of the token's author when it is the Actions token, whose `GET /user` answers 403. */
export const ACTIONS_BOT = 'github-actions[bot]';

export type CommentResult =
  | {
      ok: true;
      action: 'created' | 'updated' | 'unchanged' | 'none';
      /** Who wrote the comment: the token's login, learnt here when `GET /user` could not tell. */
      author?: string;
      id?: number;
      url?: string;
    }
  | { ok: false; status: number | undefined; reason: string };

/**
 * Who comments with this token: a user token's login. Undefined for an installation token (the Actions
 * token, a GitHub App's), which cannot read `/user`: its comments are then recognised as a bot's.
 */
export async function tokenLogin(client: Client): Promise<string | undefined> {
  try {
    const { data } = await client.rest.users.getAuthenticated();
    return data.login;
  } catch {
    return undefined;
  }
}

interface Listed {
  id: number;
  body?: string | undefined;
  html_url: string;
  user: { login: string; type?: string } | null;
}

/**
 * Ours among the comments: one holding the marker written by `login`; without a login, one holding it
 * written by a bot — the Actions bot first. Anyone can paste the marker into a comment of their own.
 */
export function findOwn(
  comments: readonly Listed[],
  marker: string,
  login: string | undefined,
): Listed | undefined {
  const marked = comments.filter((c) => (c.body ?? '').includes(marker));
  if (login) return marked.find((c) => c.user?.login === login);
  const bots = marked.filter((c) => c.user?.type === 'Bot');
  return bots.find((c) => c.user?.login === ACTIONS_BOT) ?? bots[0];
}

/**
 * Keeps the one claude-guard comment of a pull request: found over every page of comments by its hidden
 * marker *and* its author, edited in place, created only when `body` is given, replaced by `resolved` when
 * there is nothing left to say but a comment exists. Never throws for an API answer.
 */
export async function upsertComment(
  client: Client,
  ctx: EventContext,
  marker: string,
  body: string | undefined,
  resolved: string,
  login: string | undefined,
): Promise<CommentResult> {
  const issue_number = ctx.pullRequest?.number as number;
  const repo = { owner: ctx.owner, repo: ctx.repo };
  try {
    const comments = await client.paginate(client.rest.issues.listComments, {
      ...repo,
      issue_number,
      per_page: 100,
    });
    const mine = findOwn(comments, marker, login);
    if (!mine) {
      if (body === undefined) return { ok: true, action: 'none' };
      const { data } = await client.rest.issues.createComment({ ...repo, issue_number, body });
      return {
        ok: true,
        action: 'created',
        author: data.user?.login ?? login,
        id: data.id,
        url: data.html_url,
      };
    }
    const author = mine.user?.login ?? login;
    const next = body ?? resolved;
    if (mine.body === next) return { ok: true, action: 'unchanged', author, id: mine.id, url: mine.html_url };
    const { data } = await client.rest.issues.updateComment({ ...repo, comment_id: mine.id, body: next });
    return { ok: true, action: 'updated', author, id: data.id, url: data.html_url };
  } catch (error) {
    const status = statusOf(error);
    if (status === undefined) throw error;
    return { ok: false, status, reason: (error as Error).message };
  }
}
