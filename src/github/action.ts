import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as core from '@actions/core';
import { diffPowers, powersOf } from '../model/powers.js';
import { firstGlobError } from '../policy/glob.js';
import { loadPolicy, PolicyError } from '../policy/load.js';
import { remotePolicyReader } from './policy-source.js';
import { baseFileReader, basePolicy, policyInForce } from './policy-base.js';
import { pathInside } from '../fs/names.js';
import { baselineFingerprints, MAX_BASELINE_BYTES } from '../verdict/baseline.js';
import { policyLoosening } from '../policy/loosening.js';
import { originText } from '../policy/policy.js';
import type { Policy } from '../policy/policy.js';
import { FailOnSchema } from '../policy/schema.js';
import {
  type CommentOptions,
  commentMarker,
  hasSomethingToSay,
  renderComment,
  renderResolved,
} from '../report/comment.js';
import { renderJson } from '../report/json.js';
import { cell, renderMarkdown } from '../report/markdown.js';
import { renderPowersChange } from '../report/powers.js';
import { displayLine, displayVerdict } from '../report/safe.js';
import { renderSarif } from '../report/sarif.js';
import { diskSource, scan } from '../scan.js';
import { type BaseComparison, markNew } from '../verdict/compare.js';
import { listComparedFiles, scanBase } from './base.js';
import { listPullFiles, planReview, postReview, type PullFile } from './review.js';
import { CHECK_NAME, planCheckRun, publishCheckRun } from './check-run.js';
import { type Client, makeClient } from './client.js';
import { tokenLogin, upsertComment } from './comment.js';
import { type EventContext, eventContext, readEventPayload } from './context.js';
import { annotateInLog } from './fallback.js';

/** The action's inputs, parsed in one place. */
export interface ActionInputs {
  policy?: string;
  path: string;
  ignore: string[];
  failOn?: string;
  block?: 'new' | 'all';
  token: string;
  /** Reads policies extended from other repositories; empty: the github-token. */
  policyToken: string;
  comment: 'sticky' | 'review' | 'off';
  checkRun: boolean;
  sarifFile?: string;
  /** An earlier JSON report whose findings count as existing. */
  baseline?: string;
}

/** A baseline file's text: undefined when it is missing, not a regular file or too large. */
async function readBaselineFile(path: string): Promise<string | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile() || info.size > MAX_BASELINE_BYTES) return undefined;
  return readFile(path, 'utf8');
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`input ${name} must be one of ${allowed.join(', ')}, got "${value}"`);
}

export function readInputs(): ActionInputs {
  const inputs: ActionInputs = {
    path: core.getInput('path') || '.',
    ignore: core
      .getInput('ignore')
      .split(/\r?\n/)
      .map((s) => s.trim())
      .filter((s) => s.length > 0 && !s.startsWith('#')),
    token: core.getInput('github-token'),
    policyToken: core.getInput('policy-token'),
    comment: oneOf('comment', core.getInput('comment') || 'sticky', ['sticky', 'review', 'off']),
    // As YAML 1.2 (and core.getBooleanInput) spell booleans.
    checkRun:
      oneOf('check-run', core.getInput('check-run') || 'true', [
        'true',
        'True',
        'TRUE',
        'false',
        'False',
        'FALSE',
      ]).toLowerCase() === 'true',
  };
  const policy = core.getInput('policy');
  if (policy) inputs.policy = policy;
  const failOn = core.getInput('fail-on');
  if (failOn) inputs.failOn = failOn;
  const block = core.getInput('block');
  if (block) inputs.block = oneOf('block', block, ['new', 'all'] as const);
  const baseline = core.getInput('baseline');
  if (baseline) inputs.baseline = baseline;
  const sarif = core.getInput('sarif-file');
  if (sarif) inputs.sarifFile = sarif;
  return inputs;
}

/**
 * Links for the job summary: files at the commit under test; rule pages in the action's own repository at
 * the ref the workflow used (or in this repository when the action runs as `uses: ./`).
 */
export function summaryLinks(
  env: NodeJS.ProcessEnv,
  prefix: string,
  sha: string | undefined = env.GITHUB_SHA,
): { linkBase?: string; docsBase?: string } {
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const links: { linkBase?: string; docsBase?: string } = {};
  if (env.GITHUB_REPOSITORY && sha) {
    const inRepo = prefix && prefix !== '.' ? `/${prefix}` : '';
    links.linkBase = `${server}/${env.GITHUB_REPOSITORY}/blob/${sha}${inRepo}`;
    links.docsBase = `${server}/${env.GITHUB_REPOSITORY}/blob/${sha}/`;
  }
  if (env.GITHUB_ACTION_REPOSITORY && env.GITHUB_ACTION_REF) {
    links.docsBase = `${server}/${env.GITHUB_ACTION_REPOSITORY}/blob/${env.GITHUB_ACTION_REF}/`;
  }
  return links;
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

/** The job summary's limit is 1 MiB per step; the runner drops a larger one whole. */
const SUMMARY_BYTES = 1024 * 1024 - 16 * 1024;

/** A failure's message, whatever was thrown. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Whether the API still takes writes. The first write GitHub refuses (a read-only token) or that fails
 * (after the client's retries) stops the others: what they would have shown goes to the log and the job
 * summary, and why is said once.
 */
class ApiWrites {
  private stopped: string | undefined;
  constructor(private readonly say: (line: string) => void) {}

  get open(): boolean {
    return this.stopped === undefined;
  }

  /** Records a failed write and says why, once. */
  failed(what: string, status: number | undefined, reason: string, secrets: readonly string[]): void {
    if (this.stopped) return;
    this.stopped = what;
    const why =
      status === 403 && /not accessible by integration/i.test(reason)
        ? 'the token is read-only (a pull request from a fork or Dependabot, or a workflow without `checks: write` and `pull-requests: write`)'
        : `GitHub answered HTTP ${status ?? '?'}: ${displayLine(reason, secrets).slice(0, 200)}`;
    this.say(
      `${what} was not written: ${why}. Nothing more is written to GitHub; the findings are in the log and this summary`,
    );
  }
}

/**
 * Runs the action: scan the head, compare it with the base on a pull request or a merge group, then report —
 * check run, sticky comment and review, job summary, SARIF, outputs — and fail the job when something
 * blocks. The verdict never depends on an API call: a read-only token or a failing API falls back to
 * annotations in the log and the summary, said once, and the job still fails when something blocks.
 */
export async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const said: string[] = [];
  const say = (line: string): void => {
    said.push(line);
    core.info(`claude-guard: ${line}`);
  };
  // Known before anything can fail, so that a failure can still be reported on the commit.
  let reporting: { client: Client; ctx: EventContext; checkRun: boolean } | undefined;
  try {
    const inputs = readInputs();
    const context = eventContext(env, readEventPayload(env.GITHUB_EVENT_PATH));
    const ctx = typeof context === 'string' ? undefined : context;
    const client =
      ctx && inputs.token ? makeClient(inputs.token, ctx.apiUrl, (m) => core.info(m)) : undefined;
    if (client && ctx) reporting = { client, ctx, checkRun: inputs.checkRun };

    const workspace = resolve(env.GITHUB_WORKSPACE ?? process.cwd());
    const root = resolve(workspace, inputs.path);
    const policyDisplay = inputs.policy ?? '.github/claude-guard.yml';
    // The workspace is the pull request's checkout: its policy file, named or not, must stay inside it.
    // Policies extended from other repositories are read with policy-token, else github-token.
    const policyToken = inputs.policyToken || inputs.token;
    const apiUrl = ctx?.apiUrl ?? env.GITHUB_API_URL ?? 'https://api.github.com';
    const readRemote = policyToken
      ? remotePolicyReader(
          (!inputs.policyToken && client) || makeClient(policyToken, apiUrl, (m) => core.info(m)),
        )
      : undefined;
    // The pull request's own version: it must be valid, and it is what the change would bring.
    const headPolicy: Policy = await loadPolicy(
      resolve(workspace, policyDisplay),
      policyDisplay,
      inputs.policy !== undefined,
      workspace,
      readRemote,
    );
    let policy = headPolicy;
    // On a pull request (and a merge group, the queued changes over their target) the base branch's policy is
    // in force: a change cannot loosen its own gate. What the change would loosen is shown to the reviewer.
    let policyChanges: { message: string; where?: string }[] = [];
    if ((ctx?.pullRequest || ctx?.eventName === 'merge_group') && ctx.baseSha) {
      const base = await basePolicy({
        client,
        ctx,
        baseSha: ctx.baseSha,
        workspace,
        path: resolve(workspace, policyDisplay),
        display: policyDisplay,
        ...optional('readRemote', readRemote),
      });
      const inForce = policyInForce(base, headPolicy);
      policy = inForce.policy;
      if (inForce.note) say(inForce.note);
      policyChanges = policyLoosening(policy, headPolicy).map((l) => ({
        message: l.message,
        ...optional('where', l.origin ? displayLine(originText(l.origin)) : undefined),
      }));
      if (policyChanges.length > 0)
        say(
          `the change's own policy would loosen the policy in force: ${policyChanges.map((c) => c.message).join('; ')}`,
        );
    }
    if (inputs.failOn) {
      const failOn = FailOnSchema.safeParse(inputs.failOn);
      if (!failOn.success)
        throw new Error(
          `input fail-on must be one of ${FailOnSchema.options.join(', ')}, got "${inputs.failOn}"`,
        );
      policy = { ...policy, failOn: failOn.data };
    }
    if (inputs.block) policy = { ...policy, block: inputs.block };
    const badGlob = firstGlobError(inputs.ignore);
    if (badGlob) throw new Error(`input ignore: ${badGlob}`);
    if (inputs.ignore.length > 0) policy = { ...policy, ignore: [...policy.ignore, ...inputs.ignore] };

    const source = await diskSource(root);
    const head = await scan(source, policy);
    let secrets = head.secretValues;
    // Mask before anything reaches the log.
    for (const value of secrets) core.setSecret(value);
    if (typeof context === 'string') say(`not reporting to GitHub: ${context}`);
    if (ctx && !inputs.token) say('no github-token: no check run and no comment');
    const prefix = toPosix(relative(workspace, root)).replace(/^\.$/, '');

    // New or existing: against the base version of the files a pull request or a merge group changes.
    let comparison: BaseComparison | undefined;
    let powers = '';
    let files: PullFile[] | undefined;
    if (client && ctx && (ctx.pullRequest || ctx.eventName === 'merge_group')) {
      const listed = ctx.pullRequest
        ? await listPullFiles(client, ctx)
        : await listComparedFiles(client, ctx);
      if (typeof listed === 'string') say(`${listed}: every finding counts as new`);
      else {
        const complete = 'capped' in listed ? !listed.capped : listed.complete;
        if ('capped' in listed) files = listed.files;
        if (!complete)
          say('GitHub does not list every changed file: findings in files it did not list count as new');
        const base = await scanBase(
          client,
          ctx,
          listed.files,
          { source, result: head, prefix, policy, root },
          complete,
        );
        comparison = base.comparison;
        for (const n of base.notices) say(n);
        // A key the change removes is in the base's files only: masked as well.
        for (const value of base.base.secretValues) if (!secrets.includes(value)) core.setSecret(value);
        secrets = [...new Set([...secrets, ...base.base.secretValues])];
        if (ctx.pullRequest)
          powers = renderPowersChange(diffPowers(powersOf(base.base.model), powersOf(head.model)), {
            secrets,
            ...optional('linkBase', summaryLinks(env, prefix, ctx.headSha).linkBase),
            ...optional(
              'baseLinkBase',
              ctx.baseSha ? summaryLinks(env, prefix, ctx.baseSha).linkBase : undefined,
            ),
          });
      }
    }
    let baseline: Set<string> | undefined;
    if (inputs.baseline) {
      const path = resolve(workspace, inputs.baseline);
      const inside = pathInside(workspace, path);
      let text: string | null | undefined;
      // In the workspace, a pull request could have edited it: its base version is the one that counts.
      if (inside !== undefined && ctx?.pullRequest && ctx.baseSha)
        text = await baseFileReader(client, ctx, ctx.baseSha, workspace)(inside);
      else text = await readBaselineFile(path);
      if (typeof text === 'string') baseline = baselineFingerprints(text, inputs.baseline);
      else
        say(
          `the baseline ${inputs.baseline} ${text === null ? 'does not exist at the base' : 'could not be read'}: every finding counts as new`,
        );
    }
    const unsafe = markNew(head.verdict, comparison, baseline);
    const verdict = displayVerdict(unsafe, secrets);
    for (const n of verdict.notices)
      core.info(`claude-guard: ${displayLine(inWorkspace(prefix, n.path))}: ${n.message}`);

    const links = summaryLinks(env, prefix, ctx?.headSha);
    const runUrl =
      ctx && env.GITHUB_RUN_ID
        ? `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined;
    const writes = new ApiWrites(say);

    // The check run; without it, annotations go to the log.
    let annotated = false;
    if (client && ctx && inputs.checkRun) {
      const plan = planCheckRun(unsafe, {
        secrets,
        prefix,
        ...links,
        ...(runUrl ? { summaryUrl: runUrl } : {}),
      });
      const result = await publishCheckRun(client, ctx, plan);
      if (result.ok) {
        annotated = true;
        core.info(`claude-guard: check run ${CHECK_NAME} on ${ctx.headSha.slice(0, 7)}: ${plan.conclusion}`);
      } else {
        // Created with its conclusion, but not every batch of annotations: the log has them all.
        if (result.created)
          core.info(`claude-guard: check run ${CHECK_NAME} created with ${result.annotations} annotations`);
        writes.failed('the check run', result.status, result.reason, secrets);
      }
    }
    let hidden = 0;
    if (!annotated) hidden = annotateInLog(unsafe, prefix, secrets);

    // The pull request's comment, then the inline review (it learns from the comment who "we" are).
    if (client && ctx?.pullRequest && inputs.comment !== 'off' && writes.open) {
      const options: CommentOptions = {
        marker: commentMarker(prefix || '.'),
        secrets,
        headSha: ctx.headSha,
        powers,
        policyChanges,
        ...links,
        ...(runUrl ? { runUrl } : {}),
      };
      const login = await tokenLogin(client);
      const body = hasSomethingToSay(unsafe, powers, policyChanges.length)
        ? renderComment(unsafe, options)
        : undefined;
      const result = await upsertComment(client, ctx, options.marker, body, renderResolved(options), login);
      let author = login;
      if (!result.ok) writes.failed('the pull request comment', result.status, result.reason, secrets);
      else {
        author ??= result.author;
        if (result.action !== 'none') core.info(`claude-guard: pull request comment ${result.action}`);
      }
      if (inputs.comment === 'review' && files && writes.open) {
        const withFixes = unsafe.findings.map((f) => {
          const suggestion = head.suggestions.get(f.fingerprint);
          return suggestion ? { ...f, suggestion } : f;
        });
        const plan = planReview(withFixes, files, {
          secrets,
          pathPrefix: prefix,
          ...optional('docsBase', links.docsBase),
        });
        const review = await postReview(client, ctx, plan, {
          secrets,
          log: (m) => core.info(m),
          ...optional('author', author),
        });
        if (review.posted > 0) core.info(`claude-guard: ${review.posted} inline review comments`);
        const skipped = review.skipped;
        if (
          skipped &&
          (skipped.reason === 'read-only' || skipped.reason === 'failed' || skipped.reason === 'rate-limited')
        )
          writes.failed('the inline review', undefined, skipped.message, secrets);
        else if (skipped && skipped.reason === 'rejected')
          say('GitHub refused the inline review (a line outside the diff): its findings are in the comment');
      }
    }

    const reportDir = join(env.RUNNER_TEMP ?? workspace, 'claude-guard');
    await mkdir(reportDir, { recursive: true });
    const reportPath = join(reportDir, 'report.json');
    await writeFile(reportPath, renderJson(unsafe, { secrets }));
    if (inputs.sarifFile) {
      const sarifPath = resolve(workspace, inputs.sarifFile);
      await mkdir(dirname(sarifPath), { recursive: true });
      await writeFile(
        sarifPath,
        renderSarif(unsafe, { secrets, uriPrefix: prefix, ...(prefix ? { category: prefix } : {}) }),
      );
      core.setOutput('sarif-file', sarifPath);
    }

    if (env.GITHUB_STEP_SUMMARY) {
      const notes = said.map((line) => `> ${displayLine(line, secrets)}`);
      if (hidden > 0)
        notes.push(
          `> The runner shows ten annotations per level per step: ${hidden} more findings are only in the log and the table below.`,
        );
      const notesText = notes.length > 0 ? `${notes.join('\n>\n')}\n\n` : '';
      const body = renderMarkdown(unsafe, {
        ...links,
        secrets,
        maxBytes: SUMMARY_BYTES - Buffer.byteLength(notesText),
      });
      await core.summary.addRaw(body + (notesText ? `\n${notesText}` : '')).write();
    }

    core.setOutput('conclusion', verdict.summary.conclusion);
    core.setOutput('findings', String(verdict.summary.findings));
    core.setOutput('blocking', String(verdict.summary.blocking));
    core.setOutput('report', reportPath);
    const { summary } = verdict;
    core.info(
      `claude-guard: ${summary.findings} findings, ${summary.blocking} blocking, ${summary.filesScanned} files scanned`,
    );
    if (summary.conclusion === 'failure') {
      core.setFailed(
        `claude-guard: ${summary.blocking} blocking finding${summary.blocking === 1 ? '' : 's'} (fail-on: ${policy.failOn}, block: ${policy.block})`,
      );
    }
  } catch (error) {
    const message = displayLine(messageOf(error));
    if (error instanceof PolicyError) {
      for (const issue of error.issues)
        core.error(`invalid policy: ${displayLine(issue.message)}`, {
          file: displayLine(issue.file),
          startLine: issue.line,
          startColumn: issue.column,
        });
      core.setFailed(`claude-guard: invalid policy: ${message}`);
    } else {
      core.setFailed(`claude-guard: ${message}`);
    }
    // Not `failure`: a workflow that reads the output can tell "could not evaluate" from "findings block".
    core.setOutput('conclusion', 'error');
    const text = `claude-guard could not evaluate this commit: ${message}`;
    if (env.GITHUB_STEP_SUMMARY) {
      await core.summary
        .addRaw(`## claude-guard\n\n⛔ **${cell(text)}**\n`)
        .write()
        .catch(() => undefined);
    }
    // A failed check run, so that an earlier passing one on this commit is not what a required check sees.
    if (reporting?.checkRun) {
      await reporting.client.rest.checks
        .create({
          owner: reporting.ctx.owner,
          repo: reporting.ctx.repo,
          name: CHECK_NAME,
          head_sha: reporting.ctx.headSha,
          conclusion: 'failure',
          output: { title: 'could not evaluate', summary: cell(text) },
        })
        .catch(() => undefined);
    }
  }
}

function inWorkspace(prefix: string, path: string): string {
  return prefix ? `${prefix}/${path}` : path;
}

/** `{ [key]: value }` when the value is defined, else nothing: for optional properties. */
function optional<K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [k in K]?: V });
}
