/**
 * What the fake GitHub holds, per repository: check runs and their annotations, issue comments, pull
 * requests with their files, reviews and review comments, commit statuses and file contents per ref.
 * Tests seed it before the action runs and read it afterwards; the fake's endpoints change it.
 */
import { createHash } from 'node:crypto';
import { parsePatch } from './unified-diff.js';

export interface GitHubUser {
  login: string;
  id: number;
  type: 'User' | 'Bot' | 'Organization';
}

export interface GitHubApp {
  id: number;
  slug: string;
  name: string;
}

/** The author of everything a workflow's `GITHUB_TOKEN` writes. */
export const GITHUB_ACTIONS_BOT: GitHubUser = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

/** The GitHub App behind `GITHUB_TOKEN`; its id is what rulesets pin a required check to. */
export const GITHUB_ACTIONS_APP: GitHubApp = { id: 15368, slug: 'github-actions', name: 'GitHub Actions' };

/** A person, with a stable id derived from the login. */
export function humanUser(login: string, id?: number): GitHubUser {
  return { login, id: id ?? 1000 + (parseInt(sha1(login).slice(0, 6), 16) % 9_000_000), type: 'User' };
}

export interface AnnotationRecord {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunRecord {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  details_url: string | null;
  external_id: string | null;
  started_at: string | null;
  completed_at: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  /** Every annotation sent, across the create and all updates, in order. */
  annotations: AnnotationRecord[];
  app: GitHubApp;
  check_suite_id: number;
}

export interface IssueCommentRecord {
  id: number;
  issue_number: number;
  body: string;
  user: GitHubUser;
  created_at: string;
  updated_at: string;
  author_association: string;
}

export interface PullFileRecord {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  /** Absent for binary and very large files, as on GitHub. */
  patch?: string;
  previous_filename?: string;
  additions: number;
  deletions: number;
  changes: number;
  sha: string;
}

export interface ReviewRecord {
  id: number;
  user: GitHubUser;
  body: string;
  state: 'COMMENTED' | 'APPROVED' | 'CHANGES_REQUESTED' | 'PENDING' | 'DISMISSED';
  commit_id: string;
  submitted_at: string | null;
}

export interface ReviewCommentRecord {
  id: number;
  review_id: number;
  path: string;
  body: string;
  line: number | null;
  side: 'LEFT' | 'RIGHT' | null;
  start_line: number | null;
  start_side: 'LEFT' | 'RIGHT' | null;
  position: number | null;
  commit_id: string;
  user: GitHubUser;
  created_at: string;
  updated_at: string;
}

export interface PullRecord {
  number: number;
  id: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  merged: boolean;
  user: GitHubUser;
  head: { sha: string; ref: string; repo: string };
  base: { sha: string; ref: string };
  /** Commits of the pull request, oldest first; the last one is the head. */
  commits: string[];
  files: PullFileRecord[];
  reviews: ReviewRecord[];
  reviewComments: ReviewCommentRecord[];
  created_at: string;
}

export interface StatusRecord {
  id: number;
  sha: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  context: string;
  description: string | null;
  target_url: string | null;
  creator: GitHubUser;
  created_at: string;
}

export interface RepoRecord {
  owner: string;
  name: string;
  id: number;
  default_branch: string;
  private: boolean;
  checkRuns: CheckRunRecord[];
  issueComments: IssueCommentRecord[];
  pulls: Map<number, PullRecord>;
  /** Numbers of plain issues; a pull request is an issue too, for comments. */
  issues: Set<number>;
  /** ref (branch name or commit SHA) → path → file content. */
  contents: Map<string, Map<string, string>>;
  statuses: StatusRecord[];
  /** `base...head` → the files GitHub's compare lists between them. */
  comparisons: Map<string, PullFileSeed[]>;
}

export interface PullFileSeed {
  filename: string;
  patch?: string;
  status?: PullFileRecord['status'];
  previous_filename?: string;
}

export interface PullSeed {
  number: number;
  title?: string;
  body?: string;
  user?: GitHubUser;
  draft?: boolean;
  state?: 'open' | 'closed';
  head?: { sha?: string; ref?: string; repo?: string };
  base?: { sha?: string; ref?: string };
  commits?: string[];
  files?: PullFileSeed[];
}

export interface CommentSeed {
  body: string;
  user?: GitHubUser;
  author_association?: string;
  created_at?: string;
}

/** GitHub writes times to the second, in UTC. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function sha1(text: string | Buffer): string {
  return createHash('sha1').update(text).digest('hex');
}

/** The git blob id of a file's content, as `sha` in the contents API. */
export function blobSha(content: string): string {
  const bytes = Buffer.from(content, 'utf8');
  return sha1(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]));
}

export class FakeState {
  readonly repos = new Map<string, RepoRecord>();
  private lastId = 1_000_000;

  constructor(
    private readonly clock: () => Date,
    /** Who the token writes as. */
    readonly tokenUser: GitHubUser,
  ) {}

  nextId(): number {
    return ++this.lastId;
  }

  now(): string {
    return isoSeconds(this.clock());
  }

  /** The repository `owner/name`, created on first use with `main` as its default branch. */
  repo(fullName: string): RepoRecord {
    const key = fullName.toLowerCase();
    let repo = this.repos.get(key);
    if (!repo) {
      const [owner = '', name = ''] = fullName.split('/');
      repo = {
        owner,
        name,
        id: this.nextId(),
        default_branch: 'main',
        private: false,
        checkRuns: [],
        issueComments: [],
        pulls: new Map(),
        issues: new Set(),
        contents: new Map(),
        statuses: [],
        comparisons: new Map(),
      };
      this.repos.set(key, repo);
    }
    return repo;
  }

  addPull(fullName: string, seed: PullSeed): PullRecord {
    const repo = this.repo(fullName);
    const headSha = seed.head?.sha ?? sha1(`${fullName}#${seed.number} head`);
    const pull: PullRecord = {
      number: seed.number,
      id: this.nextId(),
      title: seed.title ?? `Pull request ${seed.number}`,
      body: seed.body ?? null,
      state: seed.state ?? 'open',
      draft: seed.draft ?? false,
      merged: false,
      user: seed.user ?? humanUser('octocat', 583231),
      head: { sha: headSha, ref: seed.head?.ref ?? 'feature', repo: seed.head?.repo ?? fullName },
      base: {
        sha: seed.base?.sha ?? sha1(`${fullName}#${seed.number} base`),
        ref: seed.base?.ref ?? repo.default_branch,
      },
      commits: seed.commits ?? [headSha],
      files: [],
      reviews: [],
      reviewComments: [],
      created_at: this.now(),
    };
    if (pull.commits[pull.commits.length - 1] !== headSha) pull.commits.push(headSha);
    repo.pulls.set(pull.number, pull);
    for (const file of seed.files ?? []) this.addPullFile(fullName, seed.number, file);
    return pull;
  }

  addPullFile(fullName: string, number: number, seed: PullFileSeed): PullFileRecord {
    const pull = this.repo(fullName).pulls.get(number);
    if (!pull) throw new Error(`No pull request #${number} in ${fullName}: add it first`);
    const counted = parsePatch(seed.patch);
    const file: PullFileRecord = {
      filename: seed.filename,
      status: seed.status ?? (seed.previous_filename ? 'renamed' : 'modified'),
      additions: counted.additions,
      deletions: counted.deletions,
      changes: counted.additions + counted.deletions,
      sha: sha1(`${seed.filename}\n${seed.patch ?? ''}`),
    };
    if (seed.patch !== undefined) file.patch = seed.patch;
    if (seed.previous_filename !== undefined) file.previous_filename = seed.previous_filename;
    pull.files.push(file);
    return file;
  }

  addIssue(fullName: string, number: number): void {
    this.repo(fullName).issues.add(number);
  }

  /** Whether `number` is an issue or a pull request of the repository. */
  hasIssue(fullName: string, number: number): boolean {
    const repo = this.repo(fullName);
    return repo.issues.has(number) || repo.pulls.has(number);
  }

  /** A comment already on an issue or pull request, by anyone (the token's user unless `user` is given). */
  addComment(fullName: string, issueNumber: number, seed: CommentSeed): IssueCommentRecord {
    const repo = this.repo(fullName);
    if (!this.hasIssue(fullName, issueNumber)) repo.issues.add(issueNumber);
    const at = seed.created_at ?? this.now();
    const comment: IssueCommentRecord = {
      id: this.nextId(),
      issue_number: issueNumber,
      body: seed.body,
      user: seed.user ?? this.tokenUser,
      created_at: at,
      updated_at: at,
      author_association: seed.author_association ?? (seed.user?.type === 'User' ? 'MEMBER' : 'NONE'),
    };
    repo.issueComments.push(comment);
    return comment;
  }

  /** The comments of one issue or pull request, oldest first (GitHub lists them by ascending id). */
  comments(fullName: string, issueNumber: number): IssueCommentRecord[] {
    return this.repo(fullName)
      .issueComments.filter((c) => c.issue_number === issueNumber)
      .sort((a, b) => a.id - b.id);
  }

  /** The files changed between two commits, as the compare API lists them. */
  addComparison(fullName: string, base: string, head: string, files: PullFileSeed[]): void {
    this.repo(fullName).comparisons.set(`${base}...${head}`, files);
  }

  /** A file's content at a ref (a branch name or a commit SHA). */
  addFile(fullName: string, ref: string, path: string, content: string): void {
    const contents = this.repo(fullName).contents;
    let files = contents.get(ref);
    if (!files) contents.set(ref, (files = new Map()));
    files.set(path.replace(/^\/+/, ''), content);
  }

  /** A check run made by someone else (another app, or an earlier run), to see that the action leaves it. */
  addCheckRun(
    fullName: string,
    seed: Partial<CheckRunRecord> & { name: string; head_sha: string },
  ): CheckRunRecord {
    const run: CheckRunRecord = {
      id: this.nextId(),
      status: 'completed',
      conclusion: 'success',
      details_url: null,
      external_id: null,
      started_at: this.now(),
      completed_at: this.now(),
      output: { title: null, summary: null, text: null },
      annotations: [],
      app: GITHUB_ACTIONS_APP,
      check_suite_id: this.checkSuiteId(fullName, seed.head_sha),
      ...seed,
    };
    this.repo(fullName).checkRuns.push(run);
    return run;
  }

  /** The check runs on a commit, oldest first. */
  checkRuns(fullName: string, headSha?: string): CheckRunRecord[] {
    return this.repo(fullName).checkRuns.filter((r) => headSha === undefined || r.head_sha === headSha);
  }

  /** One GitHub Actions check suite per commit: check runs made with `GITHUB_TOKEN` all land in one. */
  checkSuiteId(fullName: string, headSha: string): number {
    return 5_000_000 + (parseInt(sha1(`${fullName.toLowerCase()}@${headSha}`).slice(0, 6), 16) % 1_000_000);
  }
}
