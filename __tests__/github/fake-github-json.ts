/**
 * The JSON the fake answers with, in the shapes of GitHub's REST description (the fake's own test checks
 * every answer against the response schemas): users, apps, repositories, check runs and annotations,
 * comments, pull requests, files, reviews, statuses and contents.
 */
import {
  GITHUB_ACTIONS_APP,
  blobSha,
  type AnnotationRecord,
  type CheckRunRecord,
  type GitHubApp,
  type GitHubUser,
  type IssueCommentRecord,
  type PullFileRecord,
  type PullRecord,
  type RepoRecord,
  type ReviewCommentRecord,
  type ReviewRecord,
  type StatusRecord,
} from './fake-github-state.js';

/** Only the fake's own origin is needed to write `url` fields. */
type Origin = { baseUrl: string };

const WEB = 'https://github.com';

export function api(ctx: Origin, repo: RepoRecord): string {
  return `${ctx.baseUrl}/repos/${repo.owner}/${repo.name}`;
}

export function web(repo: RepoRecord): string {
  return `${WEB}/${repo.owner}/${repo.name}`;
}

function nodeId(prefix: string, id: number): string {
  return `${prefix}_kwDO${Buffer.from(String(id)).toString('base64').replace(/=+$/, '')}`;
}

export function userJson(ctx: Origin, user: GitHubUser): Record<string, unknown> {
  const bot = user.type === 'Bot';
  const url = `${ctx.baseUrl}/users/${encodeURIComponent(user.login)}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(bot ? 'BOT' : user.type === 'Organization' ? 'O' : 'U', user.id),
    avatar_url: bot
      ? `https://avatars.githubusercontent.com/in/${GITHUB_ACTIONS_APP.id}?v=4`
      : `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: '',
    url,
    html_url: bot ? `${WEB}/apps/${user.login.replace(/\[bot\]$/, '')}` : `${WEB}/${user.login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: user.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

export function appJson(ctx: Origin, app: GitHubApp): Record<string, unknown> {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId('MDM6QXBw', app.id),
    client_id: `Iv1.${app.slug.replace(/[^a-z0-9]/gi, '').slice(0, 16)}`,
    owner: userJson(ctx, { login: 'github', id: 9919, type: 'Organization' }),
    name: app.name,
    description: app.id === GITHUB_ACTIONS_APP.id ? 'Automate your workflow from idea to production' : '',
    external_url:
      app.id === GITHUB_ACTIONS_APP.id ? 'https://help.github.com/en/actions' : `${WEB}/apps/${app.slug}`,
    html_url: `${WEB}/apps/${app.slug}`,
    created_at: '2018-07-30T09:30:17Z',
    updated_at: '2024-04-10T20:33:16Z',
    permissions: {
      checks: 'write',
      contents: 'write',
      issues: 'write',
      metadata: 'read',
      pull_requests: 'write',
      statuses: 'write',
    },
    events: ['check_run', 'check_suite', 'pull_request', 'push'],
  };
}

/** URL templates every repository object carries, relative to the repository's API URL. */
const REPO_URLS: ReadonlyArray<[string, string]> = [
  ['archive_url', '/{archive_format}{/ref}'],
  ['assignees_url', '/assignees{/user}'],
  ['blobs_url', '/git/blobs{/sha}'],
  ['branches_url', '/branches{/branch}'],
  ['collaborators_url', '/collaborators{/collaborator}'],
  ['comments_url', '/comments{/number}'],
  ['commits_url', '/commits{/sha}'],
  ['compare_url', '/compare/{base}...{head}'],
  ['contents_url', '/contents/{+path}'],
  ['contributors_url', '/contributors'],
  ['deployments_url', '/deployments'],
  ['downloads_url', '/downloads'],
  ['events_url', '/events'],
  ['forks_url', '/forks'],
  ['git_commits_url', '/git/commits{/sha}'],
  ['git_refs_url', '/git/refs{/sha}'],
  ['git_tags_url', '/git/tags{/sha}'],
  ['hooks_url', '/hooks'],
  ['issue_comment_url', '/issues/comments{/number}'],
  ['issue_events_url', '/issues/events{/number}'],
  ['issues_url', '/issues{/number}'],
  ['keys_url', '/keys{/key_id}'],
  ['labels_url', '/labels{/name}'],
  ['languages_url', '/languages'],
  ['merges_url', '/merges'],
  ['milestones_url', '/milestones{/number}'],
  ['notifications_url', '/notifications{?since,all,participating}'],
  ['pulls_url', '/pulls{/number}'],
  ['releases_url', '/releases{/id}'],
  ['stargazers_url', '/stargazers'],
  ['statuses_url', '/statuses/{sha}'],
  ['subscribers_url', '/subscribers'],
  ['subscription_url', '/subscription'],
  ['tags_url', '/tags'],
  ['teams_url', '/teams'],
  ['trees_url', '/git/trees{/sha}'],
];

/** A repository object; `fullName` may name a fork of `repo` (a pull request's head). */
export function repoJson(
  ctx: Origin,
  repo: RepoRecord,
  fullName = `${repo.owner}/${repo.name}`,
): Record<string, unknown> {
  const [owner = repo.owner, name = repo.name] = fullName.split('/');
  const same = fullName.toLowerCase() === `${repo.owner}/${repo.name}`.toLowerCase();
  const id = same ? repo.id : repo.id + 1;
  const apiUrl = `${ctx.baseUrl}/repos/${owner}/${name}`;
  const json: Record<string, unknown> = {
    id,
    node_id: nodeId('R', id),
    name,
    full_name: `${owner}/${name}`,
    private: repo.private,
    owner: userJson(ctx, { login: owner, id: id + 7, type: same ? 'Organization' : 'User' }),
    html_url: `${WEB}/${owner}/${name}`,
    description: null,
    fork: !same,
    url: apiUrl,
  };
  for (const [key, suffix] of REPO_URLS) json[key] = apiUrl + suffix;
  return Object.assign(json, {
    git_url: `git://github.com/${owner}/${name}.git`,
    ssh_url: `git@github.com:${owner}/${name}.git`,
    clone_url: `${WEB}/${owner}/${name}.git`,
    svn_url: `${WEB}/${owner}/${name}`,
    mirror_url: null,
    homepage: null,
    language: null,
    license: null,
    size: 0,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    open_issues: repo.issues.size + repo.pulls.size,
    open_issues_count: repo.issues.size + repo.pulls.size,
    network_count: 0,
    subscribers_count: 0,
    default_branch: repo.default_branch,
    visibility: repo.private ? 'private' : 'public',
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    pushed_at: '2026-01-01T00:00:00Z',
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  });
}

export function checkRunJson(ctx: Origin, repo: RepoRecord, run: CheckRunRecord): Record<string, unknown> {
  const full = `${repo.owner}/${repo.name}`;
  const pulls = [...repo.pulls.values()].filter(
    (p) => p.head.sha === run.head_sha && p.head.repo.toLowerCase() === full.toLowerCase(),
  );
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId('CR', run.id),
    head_sha: run.head_sha,
    external_id: run.external_id ?? '',
    url: `${api(ctx, repo)}/check-runs/${run.id}`,
    html_url: `${web(repo)}/runs/${run.id}`,
    details_url: run.details_url ?? `${web(repo)}/runs/${run.id}`,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.started_at,
    completed_at: run.completed_at,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.annotations.length,
      annotations_url: `${api(ctx, repo)}/check-runs/${run.id}/annotations`,
    },
    check_suite: { id: run.check_suite_id },
    app: appJson(ctx, run.app),
    pull_requests: pulls.map((p) => ({
      id: p.id,
      number: p.number,
      url: `${api(ctx, repo)}/pulls/${p.number}`,
      head: { ref: p.head.ref, sha: p.head.sha, repo: { id: repo.id, url: api(ctx, repo), name: repo.name } },
      base: { ref: p.base.ref, sha: p.base.sha, repo: { id: repo.id, url: api(ctx, repo), name: repo.name } },
    })),
  };
}

export function annotationJson(
  repo: RepoRecord,
  run: CheckRunRecord,
  a: AnnotationRecord,
): Record<string, unknown> {
  return {
    path: a.path,
    blob_href: `${web(repo)}/blob/${run.head_sha}/${a.path}`,
    start_line: a.start_line,
    start_column: a.start_column ?? null,
    end_line: a.end_line,
    end_column: a.end_column ?? null,
    annotation_level: a.annotation_level,
    title: a.title ?? '',
    message: a.message,
    raw_details: a.raw_details ?? '',
  };
}

export function commentJson(ctx: Origin, repo: RepoRecord, c: IssueCommentRecord): Record<string, unknown> {
  const kind = repo.pulls.has(c.issue_number) ? 'pull' : 'issues';
  return {
    url: `${api(ctx, repo)}/issues/comments/${c.id}`,
    html_url: `${web(repo)}/${kind}/${c.issue_number}#issuecomment-${c.id}`,
    issue_url: `${api(ctx, repo)}/issues/${c.issue_number}`,
    id: c.id,
    node_id: nodeId('IC', c.id),
    user: userJson(ctx, c.user),
    created_at: c.created_at,
    updated_at: c.updated_at,
    author_association: c.author_association,
    body: c.body,
    reactions: {
      url: `${api(ctx, repo)}/issues/comments/${c.id}/reactions`,
      total_count: 0,
      '+1': 0,
      '-1': 0,
      laugh: 0,
      confused: 0,
      heart: 0,
      hooray: 0,
      eyes: 0,
      rocket: 0,
    },
    performed_via_github_app: c.user.type === 'Bot' ? appJson(ctx, GITHUB_ACTIONS_APP) : null,
  };
}

export function pullJson(ctx: Origin, repo: RepoRecord, p: PullRecord): Record<string, unknown> {
  const base = repoJson(ctx, repo);
  const head = repoJson(ctx, repo, p.head.repo);
  const self = `${api(ctx, repo)}/pulls/${p.number}`;
  const issue = `${api(ctx, repo)}/issues/${p.number}`;
  const html = `${web(repo)}/pull/${p.number}`;
  const statuses = `${api(ctx, repo)}/statuses/${p.head.sha}`;
  const stats = p.files.reduce(
    (s, f) => ({ additions: s.additions + f.additions, deletions: s.deletions + f.deletions }),
    {
      additions: 0,
      deletions: 0,
    },
  );
  return {
    url: self,
    id: p.id,
    node_id: nodeId('PR', p.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: `${self}/commits`,
    review_comments_url: `${self}/comments`,
    review_comment_url: `${api(ctx, repo)}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: statuses,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    user: userJson(ctx, p.user),
    body: p.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: p.created_at,
    updated_at: p.created_at,
    closed_at: null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: {
      label: `${(head.owner as { login: string }).login}:${p.head.ref}`,
      ref: p.head.ref,
      sha: p.head.sha,
      user: head.owner,
      repo: head,
    },
    base: {
      label: `${repo.owner}:${p.base.ref}`,
      ref: p.base.ref,
      sha: p.base.sha,
      user: base.owner,
      repo: base,
    },
    _links: {
      self: { href: self },
      html: { href: html },
      issue: { href: issue },
      comments: { href: `${issue}/comments` },
      review_comments: { href: `${self}/comments` },
      review_comment: { href: `${api(ctx, repo)}/pulls/comments{/number}` },
      commits: { href: `${self}/commits` },
      statuses: { href: statuses },
    },
    author_association: 'MEMBER',
    auto_merge: null,
    draft: p.draft,
    merged: p.merged,
    mergeable: true,
    rebaseable: true,
    mergeable_state: 'clean',
    merged_by: null,
    comments: repo.issueComments.filter((c) => c.issue_number === p.number).length,
    review_comments: p.reviewComments.length,
    maintainer_can_modify: false,
    commits: p.commits.length,
    additions: stats.additions,
    deletions: stats.deletions,
    changed_files: p.files.length,
  };
}

export function fileJson(
  ctx: Origin,
  repo: RepoRecord,
  p: PullRecord,
  f: PullFileRecord,
): Record<string, unknown> {
  const path = f.filename.split('/').map(encodeURIComponent).join('/');
  return {
    sha: f.sha,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.changes,
    blob_url: `${web(repo)}/blob/${p.head.sha}/${path}`,
    raw_url: `${web(repo)}/raw/${p.head.sha}/${path}`,
    contents_url: `${api(ctx, repo)}/contents/${path}?ref=${p.head.sha}`,
    ...(f.patch !== undefined ? { patch: f.patch } : {}),
    ...(f.previous_filename !== undefined ? { previous_filename: f.previous_filename } : {}),
  };
}

export function reviewJson(
  ctx: Origin,
  repo: RepoRecord,
  p: PullRecord,
  r: ReviewRecord,
): Record<string, unknown> {
  return {
    id: r.id,
    node_id: nodeId('PRR', r.id),
    user: userJson(ctx, r.user),
    body: r.body,
    state: r.state,
    html_url: `${web(repo)}/pull/${p.number}#pullrequestreview-${r.id}`,
    pull_request_url: `${api(ctx, repo)}/pulls/${p.number}`,
    author_association: r.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    _links: {
      html: { href: `${web(repo)}/pull/${p.number}#pullrequestreview-${r.id}` },
      pull_request: { href: `${api(ctx, repo)}/pulls/${p.number}` },
    },
    ...(r.submitted_at ? { submitted_at: r.submitted_at } : {}),
    commit_id: r.commit_id,
  };
}

export function reviewCommentJson(
  ctx: Origin,
  repo: RepoRecord,
  p: PullRecord,
  c: ReviewCommentRecord,
): Record<string, unknown> {
  const file = p.files.find((f) => f.filename === c.path);
  return {
    url: `${api(ctx, repo)}/pulls/comments/${c.id}`,
    pull_request_review_id: c.review_id,
    id: c.id,
    node_id: nodeId('PRRC', c.id),
    diff_hunk: file?.patch ?? '',
    path: c.path,
    position: c.position,
    original_position: c.position,
    commit_id: c.commit_id,
    original_commit_id: c.commit_id,
    user: userJson(ctx, c.user),
    body: c.body,
    created_at: c.created_at,
    updated_at: c.updated_at,
    html_url: `${web(repo)}/pull/${p.number}#discussion_r${c.id}`,
    pull_request_url: `${api(ctx, repo)}/pulls/${p.number}`,
    author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    _links: {
      self: { href: `${api(ctx, repo)}/pulls/comments/${c.id}` },
      html: { href: `${web(repo)}/pull/${p.number}#discussion_r${c.id}` },
      pull_request: { href: `${api(ctx, repo)}/pulls/${p.number}` },
    },
    start_line: c.start_line,
    original_start_line: c.start_line,
    start_side: c.start_side,
    line: c.line,
    original_line: c.line,
    side: c.side,
    subject_type: 'line',
  };
}

export function contentEntry(
  ctx: Origin,
  repo: RepoRecord,
  ref: string,
  path: string,
  content?: string,
): Record<string, unknown> {
  const name = path.split('/').pop() ?? path;
  const url = `${api(ctx, repo)}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const sha = content !== undefined ? blobSha(content) : blobSha(`tree:${path}`);
  const html = `${web(repo)}/${content !== undefined ? 'blob' : 'tree'}/${ref}/${path}`;
  const git = `${api(ctx, repo)}/git/${content !== undefined ? 'blobs' : 'trees'}/${sha}`;
  return {
    type: content !== undefined ? 'file' : 'dir',
    size: content !== undefined ? Buffer.byteLength(content, 'utf8') : 0,
    name,
    path,
    sha,
    url,
    git_url: git,
    html_url: html,
    download_url:
      content !== undefined
        ? `https://raw.githubusercontent.com/${repo.owner}/${repo.name}/${ref}/${path}`
        : null,
    _links: { self: url, git, html },
  };
}

export function statusJson(ctx: Origin, repo: RepoRecord, st: StatusRecord): Record<string, unknown> {
  return {
    url: `${api(ctx, repo)}/statuses/${st.sha}`,
    avatar_url: `https://avatars.githubusercontent.com/in/${GITHUB_ACTIONS_APP.id}?v=4`,
    id: st.id,
    node_id: nodeId('SC', st.id),
    state: st.state,
    description: st.description,
    target_url: st.target_url,
    context: st.context,
    created_at: st.created_at,
    updated_at: st.created_at,
    creator: userJson(ctx, st.creator),
  };
}

/** The contents API sends base64 in lines of 60 characters, each ending in "\n". */
export function base64Lines(content: string): string {
  const b64 = Buffer.from(content, 'utf8').toString('base64');
  return (b64.match(/.{1,60}/g) ?? []).map((l) => l + '\n').join('');
}
