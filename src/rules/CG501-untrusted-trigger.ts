import { runInJobs } from '../model/run-callers.js';
import type { Span } from '../model/span.js';
import type { ClaudeRun } from '../model/types.js';
import {
  type ReachingEvent,
  secretsOf,
  tokenPermissionsOf,
  untrustedReachOf,
  type UntrustedReach,
  wideGrantsOf,
} from '../model/workflow-trust.js';
import { type PayloadRoot, UNTRUSTED_EVENTS } from '../model/untrusted-events.js';
import type { RelatedSpan, Rule, RuleFinding } from './types.js';

/** What an outsider wrote, by payload object. */
const OUTSIDER_WROTE: ReadonlyMap<PayloadRoot, string> = new Map<PayloadRoot, string>([
  ['issue', 'an issue an outsider opened'],
  ['comment', 'a comment an outsider wrote'],
  ['pull_request', 'a pull request an outsider opened'],
  ['review', 'a review an outsider wrote'],
  ['discussion', 'a discussion an outsider started'],
  ['workflow_run', 'a run an outsider started'],
]);

/** Text of the repository's, shown short: a hostile file's value is not repeated whole in every output. */
function short(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
}

function typesWords(e: ReachingEvent): string {
  if (e.trigger.types.length > 0) return ` (types: ${short(e.trigger.types.map((t) => t.value).join(', '))})`;
  const defaults = UNTRUSTED_EVENTS.get(e.trigger.event.value)?.defaults;
  if (defaults) return ` (by default ${defaults.join(', ')})`;
  return ' (every activity type)';
}

function triggerMessage(e: ReachingEvent): string {
  const event = e.trigger.event.value;
  const base = `triggered by ${event}${typesWords(e)}`;
  if (e.as === 'actor') return `${base}: anyone who ${UNTRUSTED_EVENTS.get(event)?.outsiderDoes} starts it`;
  const what = list(e.roots.map((r) => OUTSIDER_WROTE.get(r) ?? r));
  const all =
    e.trigger.types.length > 0
      ? e.trigger.types.length
      : (UNTRUSTED_EVENTS.get(event)?.defaults?.length ?? 0);
  const when = e.types.length < all ? ` (${short(e.types.join(', '))})` : '';
  return `${base}: someone with write access starts it${when} on ${what}`;
}

function openingMessage(reach: UntrustedReach): string {
  const opening = reach.opening;
  if (!opening) return '';
  switch (opening.kind) {
    case 'no-gate':
      if (opening.job?.callerPath)
        return `no if: of job "${short(opening.job.id)}" in ${opening.job.callerPath} (which calls this workflow), of the job or of the step checks who triggered it`;
      return `no if: of job "${short(opening.job?.id ?? '')}" or of the step checks who triggered it`;
    case 'weak-gate':
      return 'this if: does not check who triggered it (an author_association, github.actor or same-repository check would)';
    case 'allowed-non-write-users':
      return `allowed_non_write_users: "${short(opening.value ?? '')}" lets people without write access start Claude`;
    case 'allowed-bots':
      return 'allowed_bots: "*" lets any GitHub App start Claude';
    case 'unchecked-workflow-run':
      return `claude-code-action@${short(opening.value ?? '')} does not check who started the run it follows (it does from v1.0.185)`;
  }
}

function headline(reach: UntrustedReach, run: ClaudeRun): string {
  const opening = reach.opening;
  if (!opening) {
    return reach.texts.length > 0
      ? 'Text an outsider wrote reaches this Claude run when someone with write access triggers it'
      : "This Claude run starts in an outsider's pull request code when someone with write access triggers it";
  }
  const does = [
    ...new Set(
      reach.events
        .filter((e) => e.as === 'actor')
        .map((e) => UNTRUSTED_EVENTS.get(e.trigger.event.value)?.outsiderDoes),
    ),
  ].join(' or ');
  switch (opening.kind) {
    case 'allowed-non-write-users':
      return opening.value === '*'
        ? `Anyone who ${does} can start this Claude run: allowed_non_write_users "*" turns off the action's check that they can write to the repository`
        : `The users allowed_non_write_users names (${short(opening.value ?? '')}) can start this Claude run without write access`;
    case 'allowed-bots':
      return `Any GitHub App that ${does} can start this Claude run (allowed_bots "*")`;
    case 'unchecked-workflow-run':
      return `Anyone who ${does} can start this Claude run: claude-code-action@${short(opening.value ?? '')} does not check who started the run it follows`;
    default:
      return `Anyone who ${does} can start this Claude run: nothing in its if: checks who they are${run.context.job?.environment ? ` (environment "${short(run.context.job.environment.value)}" may require a reviewer's approval first, a setting of the repository: reported high)` : ''}`;
  }
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export const untrustedTrigger: Rule = {
  meta: {
    id: 'CG501',
    name: 'untrusted-trigger',
    severity: 'critical',
    summary:
      'Claude runs in a workflow that people outside the repository can start, or on text or pull request code they wrote: `issue_comment`, `issues`, `pull_request_target`, `pull_request_review*`, `discussion*`, `workflow_run`.',
    rationale:
      'On a public repository anyone can open an issue, comment, review, start a discussion or open a pull ' +
      "request from a fork, and those events run workflows with the repository's secrets and a token that can " +
      'write (`pull_request_target` and `workflow_run` even when a fork started them). When such an event ' +
      'starts Claude, whoever wrote the text steers the model: an issue title or a comment pasted into the ' +
      'prompt with `${{ github.event.* }}` (inline, through `env:`, or through a file, output or `$GITHUB_ENV` ' +
      'variable an earlier step writes), or the files of a pull request checked out before Claude starts — it ' +
      "then loads that code's `.claude/settings.json`, `.mcp.json` and hooks. With a token that can write, " +
      'secrets, bypass mode or an unscoped shell in reach that is code execution in the repository (critical); ' +
      'without them the model can still be made to post, label or leak what it reads (high). A `claude -p` ' +
      'step and `claude-code-base-action` check nobody: only an `if:` an outsider cannot pass keeps them out — ' +
      '`github.event.comment.author_association` in OWNER, MEMBER, COLLABORATOR, `github.actor` against a ' +
      'list or `contains(fromJSON(…), github.actor)` — also a list kept in a repository or organisation ' +
      'variable, `contains(fromJSON(vars.CLAUDE_USERS), github.actor)`, since only admins can set `vars.*` and ' +
      'whom it names is their choice (a variable read as one string is no gate: a login may be any part of ' +
      'it) —, the same-repository check ' +
      '`github.event.pull_request.head.repo.full_name == github.repository`, or a step or job that asks GitHub ' +
      "for the actor's permission and fails (`gh api repos/${{ github.repository }}/collaborators/${{ github.actor }}/permission`). " +
      "`contains(github.event.comment.body, '@claude')` checks nothing. " +
      '`anthropics/claude-code-action` checks on its own that whoever triggers it can write to the repository ' +
      '(issue, comment, pull request and review events; from v1.0.185 also who started the run a ' +
      '`workflow_run` follows; it refuses discussion events, and `pull_request_target` before v1.0.9), so it is ' +
      'reached only when `allowed_non_write_users` or `allowed_bots: "*"` turns that check off, or when ' +
      'someone with write access starts it on text or code an outsider wrote (a label on their issue, a ' +
      'comment on it, a push to their branch). A reusable workflow is judged with the events of the workflows ' +
      'that call it, a shell script with those of the workflow steps that run it, and a local composite ' +
      'action (`uses: ./.github/actions/review`) with those of the workflow steps that use it, the values ' +
      'they pass `with:` standing for its `inputs.*`; the finding is reported where Claude starts, in the ' +
      'script or the action, with the step that runs it as a related location. A job in an ' +
      "`environment:` may wait for a reviewer's approval, a setting this scan cannot see: it is reported high. " +
      "Without `permissions:` anywhere the token has the repository's default, which the finding says. Each " +
      'link of the chain is a related location: the trigger, the missing gate or the input that opens it, the ' +
      'untrusted text, the checkout, the wide grant, the token that can write and the secrets.',
    fix:
      'Gate the job on who triggered it (`if: contains(fromJSON(\'["OWNER","MEMBER","COLLABORATOR"]\'), ' +
      'github.event.comment.author_association)`), or use claude-code-action without `allowed_non_write_users`. ' +
      'Never paste `${{ github.event.* }}` text into a prompt: let Claude read the issue or comment through a ' +
      "scoped tool (`Bash(gh issue view:*)`). Do not check out a pull request's head under " +
      '`pull_request_target`/`workflow_run` where Claude starts; give the job `permissions:` it needs and no ' +
      'more, and no bypass mode or unscoped shell.',
    bad: [
      {
        path: '.github/workflows/answer.yml',
        note: 'Any commenter starts Claude with a shell, a write token and the API key; the `@claude` check gates nothing, and the comment reaches the prompt through env.',
        lines: [12],
        content: [
          'on:',
          '  issue_comment:',
          '    types: [created]',
          'permissions:',
          '  contents: write',
          'jobs:',
          '  answer:',
          "    if: contains(github.event.comment.body, '@claude')",
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: actions/checkout@v4',
          '      - run: claude -p "Reply to $COMMENT" --allowedTools Bash',
          '        env:',
          '          COMMENT: ${{ github.event.comment.body }}',
          '          ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}',
          '',
        ].join('\n'),
      },
      {
        path: '.github/workflows/triage.yml',
        note: 'claude-code-action with its write-access check turned off for everyone.',
        lines: [11],
        content: [
          'on:',
          '  issues:',
          '    types: [opened]',
          'permissions:',
          '  contents: read',
          '  issues: write',
          'jobs:',
          '  triage:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          github_token: ${{ secrets.GITHUB_TOKEN }}',
          '          allowed_non_write_users: "*"',
          '          prompt: "Label issue #${{ github.event.issue.number }}"',
          '',
        ].join('\n'),
      },
      {
        path: '.github/workflows/review.yml',
        note: "A fork's pull request checked out under pull_request_target: Claude starts in its code and loads its settings, MCP servers and hooks.",
        lines: [9],
        content: [
          'on: pull_request_target',
          'jobs:',
          '  review:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: actions/checkout@v4',
          '        with:',
          '          ref: ${{ github.event.pull_request.head.sha }}',
          '      - run: claude -p "Review this pull request"',
          '        env:',
          '          ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}',
          '',
        ].join('\n'),
      },
      {
        path: '.github/workflows/label.yml',
        note: "A maintainer's label starts the action, which passes its own check, on an issue anyone wrote: its title and body go into the prompt.",
        lines: [11],
        content: [
          'on:',
          '  issues:',
          '    types: [labeled]',
          'permissions:',
          '  issues: write',
          'jobs:',
          '  fix:',
          "    if: github.event.label.name == 'claude'",
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          prompt: |',
          '            Triage this issue:',
          '            ${{ github.event.issue.title }}',
          '            ${{ github.event.issue.body }}',
          '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.github/workflows/claude.yml',
        note: 'claude-code-action on comments, as documented: it checks on its own that the commenter can write.',
        content: [
          'on:',
          '  issue_comment:',
          '    types: [created]',
          'permissions:',
          '  contents: write',
          'jobs:',
          '  claude:',
          "    if: contains(github.event.comment.body, '@claude')",
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
          '',
        ].join('\n'),
      },
      {
        path: '.github/workflows/answer.yml',
        note: 'claude -p only for the owner, members and collaborators, reading the comment through a scoped tool.',
        content: [
          'on:',
          '  issue_comment:',
          '    types: [created]',
          'jobs:',
          '  answer:',
          '    if: >-',
          "      contains(github.event.comment.body, '@claude') &&",
          '      contains(fromJSON(\'["OWNER","MEMBER","COLLABORATOR"]\'), github.event.comment.author_association)',
          '    runs-on: ubuntu-latest',
          '    permissions:',
          '      issues: write',
          '    steps:',
          '      - run: claude -p "Answer comment ${{ github.event.comment.id }}" --allowedTools "Bash(gh issue view:*)"',
          '        env:',
          '          ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}',
          '',
        ].join('\n'),
      },
      {
        path: '.github/workflows/review.yml',
        note: 'pull_request_target only for branches of the repository itself, not forks.',
        content: [
          'on: pull_request_target',
          'jobs:',
          '  review:',
          '    if: github.event.pull_request.head.repo.full_name == github.repository',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: actions/checkout@v4',
          '        with:',
          '          ref: ${{ github.event.pull_request.head.sha }}',
          '      - run: claude -p "Review this pull request"',
          '',
        ].join('\n'),
      },
      {
        path: '.github/workflows/manual.yml',
        note: 'Started by hand, or on a push: only people with write access do that.',
        content: [
          'on:',
          '  workflow_dispatch:',
          '  push:',
          '    branches: [main]',
          'permissions:',
          '  contents: write',
          'jobs:',
          '  fix:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - run: claude -p "Fix the lint errors" --dangerously-skip-permissions',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model) {
    const findings: RuleFinding[] = [];
    for (const found of model.runs) {
      // A script's or a local action's run is judged where a workflow step runs the script or uses the
      // action, and reported where Claude starts, in the script or the action.
      const views = runInJobs(model, found);
      let reach: UntrustedReach | undefined;
      const run = views.find((v) => (reach = untrustedReachOf(model, v))) ?? found;
      const workflow = run.context.workflow;
      if (!reach || !workflow) continue;
      const related: RelatedSpan[] = [];
      const add = (span: Span, message: string): void => {
        related.push({ span, message });
      };
      for (const e of reach.events) add(e.trigger.event.span, triggerMessage(e));
      const step = run.context.step;
      if (run !== found && step?.uses) {
        add(step.uses.span, `this step uses ${step.uses.value}, where Claude starts (${found.path})`);
      } else if (run !== found && step?.run) {
        add(step.run.span, `this step runs ${found.path}, where Claude starts`);
      }
      if (reach.opening) add(reach.opening.span, openingMessage(reach));
      for (const t of reach.texts) {
        const words = list([...new Set(t.texts.map((x) => x.words))]);
        add(t.span, `${words} reaches Claude through ${t.via}`);
      }
      const whose = reach.checkout?.upstream ? 'the upstream run' : 'the pull request';
      if (reach.checkout) {
        add(
          reach.checkout.span,
          `checks out ${whose}'s code before Claude runs: Claude starts in it and loads its .claude/settings.json, .mcp.json and hooks`,
        );
      }
      const grants = wideGrantsOf(model, run);
      for (const g of grants)
        add(g.span, `it holds ${g.what}${g.span.path === run.path ? '' : ` (from ${g.span.path})`}`);
      // A reusable workflow that sets no permissions gets its caller's token.
      const own = tokenPermissionsOf(workflow, run.context.job);
      const caller = reach.callers[0];
      const token = own.level === 'default' && caller ? tokenPermissionsOf(caller.workflow, caller.job) : own;
      if (token.level === 'write' && token.span)
        add(token.span, `its token can write: ${token.writes.join(', ')}`);
      const tokenJob = token === own ? run.context.job : caller?.job;
      if (token.level === 'default' && tokenJob) {
        add(
          tokenJob.span,
          "no permissions: at job or workflow level: the token has the repository's default permissions (read and write on repositories and organisations that keep the older default)",
        );
      }
      const secrets = secretsOf(run);
      for (const s of secrets) add(s.span, `it holds secret ${s.name} (${s.via})`);

      const holds: string[] = [];
      if (token.level === 'write') holds.push(`a token that can write (${token.writes.join(', ')})`);
      if (secrets.length > 0)
        holds.push(
          `secret${secrets.length > 1 ? 's' : ''} ${list([...new Set(secrets.map((s) => s.name))])}`,
        );
      const bypass = grants.some((g) => g.kind === 'bypass');
      const shell = grants.some((g) => g.kind === 'shell');
      if (bypass) holds.push('bypass mode');
      if (shell) holds.push('an unscoped shell');
      const parts = [headline(reach, run)];
      if (reach.texts.length > 0) {
        const words = [...new Set(reach.texts.flatMap((t) => t.texts.map((x) => x.words)))];
        parts.push(`${list(words)} ${words.length > 1 ? 'reach' : 'reaches'} it`);
      }
      if (reach.checkout) parts.push(`it starts in ${whose}'s checked-out code`);
      if (holds.length > 0) parts.push(`it holds ${list(holds)}`);
      else if (token.level === 'default') parts.push("its token has the repository's default permissions");
      // Named users are said in the headline; a missing github_token input is said here.
      if (reach.limited === 'no-github-token')
        parts.push('the action applies allowed_non_write_users only when the github_token input is given');
      // An environment may require a reviewer's approval before the job runs: a gate this file cannot see.
      const environment =
        (reach.opening?.kind === 'no-gate' || reach.opening?.kind === 'weak-gate') &&
        run.context.job?.environment !== undefined;
      const critical = holds.length > 0 && !reach.limited && !environment;
      const evidence = [
        reach.events.map((e) => `${e.trigger.event.value}:${e.as}`).join(','),
        reach.opening?.kind ?? 'content',
        [...new Set(reach.texts.flatMap((t) => t.texts.map((x) => x.words)))].sort().join(','),
        reach.checkout ? 'checkout' : '',
      ].join('|');
      const finding: RuleFinding = { span: run.span, message: parts.join('; '), related, evidence };
      if (!critical) finding.severity = 'high';
      findings.push(finding);
    }
    return findings;
  },
};
