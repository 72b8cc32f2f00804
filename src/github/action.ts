import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import * as core from '@actions/core';
import { firstGlobError } from '../policy/glob.js';
import { loadPolicy, PolicyError } from '../policy/load.js';
import type { Policy } from '../policy/policy.js';
import { FailOnSchema } from '../policy/schema.js';
import { annotationLevel, annotationMessage, annotationTitle } from '../report/github.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { displayLine, displayVerdict } from '../report/safe.js';
import { diskSource, scan } from '../scan.js';

/** The action's inputs, parsed in one place. */
export interface ActionInputs {
  policy?: string;
  path: string;
  ignore: string[];
  failOn?: string;
}

export function readInputs(): ActionInputs {
  const inputs: ActionInputs = {
    path: core.getInput('path') || '.',
    ignore: core
      .getInput('ignore')
      .split(/\r?\n/)
      .map((s) => s.trim())
      .filter((s) => s.length > 0 && !s.startsWith('#')),
  };
  const policy = core.getInput('policy');
  if (policy) inputs.policy = policy;
  const failOn = core.getInput('fail-on');
  if (failOn) inputs.failOn = failOn;
  return inputs;
}

/**
 * Links for the job summary: files at the commit under test; rule pages in the action's own repository at
 * the ref the workflow used (or in this repository when the action runs as `uses: ./`).
 */
export function summaryLinks(
  env: NodeJS.ProcessEnv,
  prefix: string,
): { linkBase?: string; docsBase?: string } {
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const links: { linkBase?: string; docsBase?: string } = {};
  if (env.GITHUB_REPOSITORY && env.GITHUB_SHA) {
    const inRepo = prefix && prefix !== '.' ? `/${prefix}` : '';
    links.linkBase = `${server}/${env.GITHUB_REPOSITORY}/blob/${env.GITHUB_SHA}${inRepo}`;
    links.docsBase = `${server}/${env.GITHUB_REPOSITORY}/blob/${env.GITHUB_SHA}/`;
  }
  if (env.GITHUB_ACTION_REPOSITORY && env.GITHUB_ACTION_REF) {
    links.docsBase = `${server}/${env.GITHUB_ACTION_REPOSITORY}/blob/${env.GITHUB_ACTION_REF}/`;
  }
  return links;
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

/** Runs the action: scan, annotate, summarise, set outputs, fail the job when something blocks. */
export async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const inputs = readInputs();
    const workspace = resolve(env.GITHUB_WORKSPACE ?? process.cwd());
    const root = resolve(workspace, inputs.path);
    const policyDisplay = inputs.policy ?? '.github/claude-guard.yml';
    // The workspace is the pull request's checkout: its policy file, named or not, must stay inside it.
    let policy: Policy = await loadPolicy(
      resolve(workspace, policyDisplay),
      policyDisplay,
      inputs.policy !== undefined,
      workspace,
    );
    if (inputs.failOn) {
      const failOn = FailOnSchema.safeParse(inputs.failOn);
      if (!failOn.success)
        throw new Error(
          `input fail-on must be one of ${FailOnSchema.options.join(', ')}, got "${inputs.failOn}"`,
        );
      policy = { ...policy, failOn: failOn.data };
    }
    const badGlob = firstGlobError(inputs.ignore);
    if (badGlob) throw new Error(`input ignore: ${badGlob}`);
    if (inputs.ignore.length > 0) policy = { ...policy, ignore: [...policy.ignore, ...inputs.ignore] };

    const { verdict: unsafe, secretValues: secrets } = await scan(await diskSource(root), policy);
    // Mask before anything reaches the log.
    for (const value of secrets) core.setSecret(value);
    // Annotations and log lines carry file names, messages and snippets from the repository.
    const verdict = displayVerdict(unsafe, secrets);

    const prefix = toPosix(relative(workspace, root));
    const inWorkspace = (p: string): string => (prefix && prefix !== '.' ? `${prefix}/${p}` : p);
    for (const f of verdict.findings) {
      const props: core.AnnotationProperties = {
        title: annotationTitle(f),
        file: inWorkspace(f.path),
        startLine: f.line,
        endLine: f.endLine,
      };
      if (f.line === f.endLine) {
        props.startColumn = f.column;
        props.endColumn = f.endColumn;
      }
      const level = annotationLevel(f.severity);
      const message = annotationMessage(f);
      if (level === 'error') core.error(message, props);
      else if (level === 'warning') core.warning(message, props);
      else core.notice(message, props);
    }
    for (const n of verdict.notices)
      core.info(`claude-guard: ${displayLine(inWorkspace(n.path))}: ${n.message}`);

    const reportDir = join(env.RUNNER_TEMP ?? workspace, 'claude-guard');
    await mkdir(reportDir, { recursive: true });
    const reportPath = join(reportDir, 'report.json');
    await writeFile(reportPath, renderJson(unsafe, { secrets }));

    if (env.GITHUB_STEP_SUMMARY) {
      await core.summary.addRaw(renderMarkdown(unsafe, { ...summaryLinks(env, prefix), secrets })).write();
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
        `claude-guard: ${summary.blocking} blocking finding${summary.blocking === 1 ? '' : 's'} (fail-on: ${policy.failOn})`,
      );
    }
  } catch (error) {
    if (error instanceof PolicyError) {
      core.error(`invalid policy: ${displayLine(error.detail)}`, {
        file: displayLine(error.file),
        startLine: error.line,
        startColumn: error.column,
      });
      core.setFailed(`claude-guard: invalid policy: ${displayLine(error.message)}`);
    } else {
      core.setFailed(`claude-guard: ${displayLine((error as Error).message)}`);
    }
    // Not `failure`: a workflow that reads the output can tell "could not evaluate" from "findings block".
    core.setOutput('conclusion', 'error');
  }
}
