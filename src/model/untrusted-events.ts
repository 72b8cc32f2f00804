import { parseExpression, refsOf } from '../syntax/actions-expression.js';
import type { WorkflowTrigger } from './types.js';

/**
 * The GitHub events whose actor or text may be an outsider's (anyone with an account, on a public repository):
 * who can cause each activity type, and which text of the payload someone wrote. Facts from GitHub's events
 * reference, for the views that judge who reaches a workflow's Claude run.
 */

export type PayloadRoot = 'issue' | 'comment' | 'pull_request' | 'review' | 'discussion' | 'workflow_run';

export interface EventFacts {
  /** Every activity type, and those the event fires on when `types:` is not given. */
  types: readonly string[];
  defaults?: readonly string[];
  /** Types an outsider causes as the actor, writing `own`. */
  byOutsider: readonly string[];
  /** The object the actor writes or acts on for those types. */
  own: PayloadRoot;
  /** The payload objects of the event that carry someone's text. */
  roots: readonly PayloadRoot[];
  /**
   * Objects another person may have written while the actor is someone trusted, with the types when that is
   * so (`any`: always) — a maintainer labelling an outsider's issue, a member commenting on it. Text someone
   * edits or deletes is not counted: they have read it (a pull request's code is, edited or not).
   */
  others: readonly { root: PayloadRoot; types: readonly string[] | 'any' }[];
  /** What an outsider does to start it, for messages. */
  outsiderDoes: string;
}

/** A list written as words. */
const wordsOf = (text: string): string[] => text.split(' ');

const ISSUE_TYPES = wordsOf(
  'opened edited deleted transferred pinned unpinned closed reopened assigned unassigned labeled unlabeled locked unlocked milestoned demilestoned typed untyped',
);
const PR_TYPES = wordsOf(
  'assigned auto_merge_disabled auto_merge_enabled closed converted_to_draft demilestoned dequeued edited enqueued labeled locked milestoned opened ready_for_review reopened review_request_removed review_requested synchronize unassigned unlabeled unlocked',
);
const COMMENT_TYPES = ['created', 'edited', 'deleted'];
const DISCUSSION_TYPES = wordsOf(
  'created edited deleted transferred pinned unpinned labeled unlabeled locked unlocked category_changed answered unanswered closed reopened',
);
const but = (all: readonly string[], ...left: string[]): string[] => all.filter((t) => !left.includes(t));

/**
 * The events whose actor or text may be an outsider's (GitHub's events reference, activity types and who may
 * cause each). `pull_request` is not here: a fork's run gets a read-only token and no secrets.
 */
export const UNTRUSTED_EVENTS: ReadonlyMap<string, EventFacts> = new Map<string, EventFacts>([
  [
    'issues',
    {
      types: ISSUE_TYPES,
      byOutsider: ['opened', 'edited', 'closed', 'reopened'],
      own: 'issue',
      roots: ['issue'],
      others: [{ root: 'issue', types: but(ISSUE_TYPES, 'opened', 'edited', 'deleted') }],
      outsiderDoes: 'opens an issue',
    },
  ],
  [
    'issue_comment',
    {
      types: COMMENT_TYPES,
      byOutsider: COMMENT_TYPES,
      own: 'comment',
      roots: ['issue', 'comment'],
      others: [{ root: 'issue', types: 'any' }],
      outsiderDoes: 'comments on an issue or pull request',
    },
  ],
  [
    'pull_request_target',
    {
      types: PR_TYPES,
      defaults: ['opened', 'synchronize', 'reopened'],
      byOutsider: [
        'opened',
        'edited',
        'closed',
        'reopened',
        'synchronize',
        'ready_for_review',
        'converted_to_draft',
      ],
      own: 'pull_request',
      roots: ['pull_request'],
      // A maintainer who pushes to the branch, reopens, edits or labels it acts on the author's code.
      others: [{ root: 'pull_request', types: but(PR_TYPES, 'opened') }],
      outsiderDoes: 'opens a pull request from a fork',
    },
  ],
  [
    'pull_request_review',
    {
      types: ['submitted', 'edited', 'dismissed'],
      byOutsider: ['submitted', 'edited'],
      own: 'review',
      roots: ['pull_request', 'review'],
      others: [{ root: 'pull_request', types: 'any' }],
      outsiderDoes: 'reviews a pull request',
    },
  ],
  [
    'pull_request_review_comment',
    {
      types: COMMENT_TYPES,
      byOutsider: COMMENT_TYPES,
      own: 'comment',
      roots: ['pull_request', 'comment'],
      others: [{ root: 'pull_request', types: 'any' }],
      outsiderDoes: "comments on a pull request's diff",
    },
  ],
  [
    'discussion',
    {
      types: DISCUSSION_TYPES,
      byOutsider: ['created', 'edited', 'answered', 'unanswered', 'closed', 'reopened'],
      own: 'discussion',
      roots: ['discussion'],
      others: [{ root: 'discussion', types: but(DISCUSSION_TYPES, 'created', 'edited', 'deleted') }],
      outsiderDoes: 'starts a discussion',
    },
  ],
  [
    'discussion_comment',
    {
      types: COMMENT_TYPES,
      byOutsider: COMMENT_TYPES,
      own: 'comment',
      roots: ['discussion', 'comment'],
      others: [{ root: 'discussion', types: 'any' }],
      outsiderDoes: 'comments on a discussion',
    },
  ],
  [
    'workflow_run',
    {
      types: ['completed', 'requested', 'in_progress'],
      byOutsider: ['completed', 'requested', 'in_progress'],
      own: 'workflow_run',
      roots: ['workflow_run'],
      others: [],
      outsiderDoes: 'starts the workflow it follows (a pull request from a fork does)',
    },
  ],
]);

/** The activity types a trigger fires on: its `types:`, else the event's defaults. */
export function triggerTypes(trigger: WorkflowTrigger): string[] {
  const facts = UNTRUSTED_EVENTS.get(trigger.event.value);
  if (!facts) return [];
  if (trigger.types.length === 0) return [...(facts.defaults ?? facts.types)];
  return trigger.types.map((t) => t.value);
}

/** A piece of someone's text an expression reads. */
export interface UntrustedText {
  /** The object it is part of; `event` for the whole payload, `changes` for the text before an edit. */
  root: PayloadRoot | 'event' | 'changes';
  /** In words: "the issue title". */
  words: string;
}

const TEXT_FIELDS: ReadonlyMap<PayloadRoot, ReadonlyMap<string, string>> = new Map([
  [
    'issue',
    new Map([
      ['title', 'the issue title'],
      ['body', 'the issue body'],
    ]),
  ],
  ['comment', new Map([['body', 'the comment']])],
  ['review', new Map([['body', 'the review']])],
  [
    'pull_request',
    new Map([
      ['title', 'the pull request title'],
      ['body', 'the pull request body'],
      ['head.ref', "the pull request's branch name"],
      ['head.label', "the pull request's branch name"],
    ]),
  ],
  [
    'discussion',
    new Map([
      ['title', 'the discussion title'],
      ['body', 'the discussion body'],
    ]),
  ],
  [
    'workflow_run',
    new Map([
      ['head_branch', "the upstream run's branch name"],
      ['display_title', "the upstream run's title (a commit message or pull request title)"],
      ['head_commit.message', "the upstream run's commit message"],
      ['head_commit.author.name', "the upstream run's commit author"],
      ['head_commit.author.email', "the upstream run's commit author"],
    ]),
  ],
] as [PayloadRoot, ReadonlyMap<string, string>][]);

const ROOT_WORDS: ReadonlyMap<PayloadRoot, string> = new Map<PayloadRoot, string>([
  ['issue', 'the whole issue, its title and body included'],
  ['comment', 'the whole comment, its body included'],
  ['review', 'the whole review, its body included'],
  ['pull_request', 'the whole pull request, its title and body included'],
  ['discussion', 'the whole discussion, its title and body included'],
  ['workflow_run', 'the whole upstream run, its branch and commit message included'],
]);

/** The text of someone else's making a context path reads, if any. */
export function untrustedTextOfPath(path: string): UntrustedText | undefined {
  if (path === 'github.head_ref') return { root: 'pull_request', words: "the pull request's branch name" };
  if (path === 'github.event') return { root: 'event', words: 'the whole event payload' };
  const m = /^github\.event\.([a-z_]+)(?:\.(.+))?$/.exec(path);
  if (!m) return undefined;
  const [, first, rest] = m as unknown as [string, string, string | undefined];
  if (first === 'changes') {
    return rest && /^(title|body)\.from$/.test(rest)
      ? { root: 'changes', words: `the ${rest.slice(0, -5)} before the edit` }
      : undefined;
  }
  const fields = TEXT_FIELDS.get(first as PayloadRoot);
  if (!fields) return undefined;
  const root = first as PayloadRoot;
  if (rest === undefined) return { root, words: ROOT_WORDS.get(root) as string };
  // `pull_requests.*.head.ref` of a workflow run is a branch name too.
  const words =
    fields.get(rest) ??
    (root === 'workflow_run' && /^pull_requests\..+\.head\.ref$/.test(rest)
      ? "the upstream pull request's branch name"
      : undefined);
  return words ? { root, words } : undefined;
}

/** The untrusted text an expression (the inside of `${{ … }}`) reads. */
export function untrustedTextIn(expression: string): UntrustedText[] {
  const tree = parseExpression(expression);
  const paths = tree
    ? refsOf(tree)
    : [...expression.toLowerCase().matchAll(/github\.(?:head_ref|event(?:\.[a-z_*]+)*)/g)].map((m) => m[0]);
  const out: UntrustedText[] = [];
  for (const path of paths) {
    const text = untrustedTextOfPath(path);
    if (text && !out.some((o) => o.root === text.root && o.words === text.words)) out.push(text);
  }
  return out;
}

/** Whether the text is in the payload of this event (a comment's body is not in an `issues` event). */
export function textInEvent(text: UntrustedText, event: string): boolean {
  const facts = UNTRUSTED_EVENTS.get(event);
  if (!facts) return false;
  if (text.root === 'event' || text.root === 'changes') return true;
  return facts.roots.includes(text.root);
}

/** The payload objects a text belongs to, for an event: the whole payload is all of them. */
export function rootsOfText(text: UntrustedText, event: string): PayloadRoot[] {
  const facts = UNTRUSTED_EVENTS.get(event);
  if (!facts) return [];
  if (text.root === 'event') return [...facts.roots];
  if (text.root === 'changes') return [facts.own];
  return facts.roots.includes(text.root) ? [text.root] : [];
}

/** The payload objects that carry someone's text. */
export const TEXT_ROOTS: ReadonlySet<string> = new Set(TEXT_FIELDS.keys());
