/**
 * An organisation's policy, extended from a repository on the local fake GitHub, under a repository's own
 * policy, over a real checkout on disk: locked rules hold, environment profiles decide CG105 by workflow
 * environment and by path, and an exception suppresses through its last day and blocks again the day after.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { makeClient } from '../../src/github/client.js';
import { remotePolicyReader } from '../../src/github/policy-source.js';
import { loadPolicy, PolicyError } from '../../src/policy/load.js';
import type { Policy } from '../../src/policy/policy.js';
import { diskSource, scan } from '../../src/scan.js';
import { FAKE_TOKEN, type FakeGitHub, startFakeGitHub } from './fake-github.js';

const SHA = 'abcdef0123456789abcdef0123456789abcdef01';
const ORG = `acme/.github/claude-guard/org.yml@${SHA}`;
const ORG_POLICY = [
  'version: 1',
  'fail-on: high',
  'rules:',
  '  CG101: { locked: true }',
  '  CG105: { locked: true }',
  'environments:',
  '  production:',
  '    match: { workflow-environments: [production], paths: ["deploy/prod/**"] }',
  '    max-risk: read',
  '  development: { default: true, max-risk: execute }',
  '',
].join('\n');

/** A workflow job in `environment` running Claude with `tools`. */
const job = (environment: string, tools: string): string =>
  [
    'on: workflow_dispatch',
    'permissions: { contents: read }',
    'jobs:',
    '  run:',
    '    runs-on: ubuntu-latest',
    `    environment: ${environment}`,
    '    timeout-minutes: 15',
    '    steps:',
    `      - run: claude -p "go" --allowedTools "${tools}" --max-turns 5`,
    '        env: { ANTHROPIC_API_KEY: "${{ secrets.ANTHROPIC_API_KEY }}" }',
    '',
  ].join('\n');

const FILES: Record<string, string> = {
  '.github/workflows/release.yml': job('production', 'Read,Edit'),
  '.github/workflows/docs.yml': job('docs-preview', 'Read,Edit'),
  'deploy/prod/.claude/settings.json': '{ "permissions": { "allow": ["Read", "Edit(config/**)"] } }\n',
  'tools/.claude/settings.json': '{ "permissions": { "allow": ["Read", "Edit(src/**)"] } }\n',
  'sandbox/run.sh': '#!/bin/sh\nclaude -p "explore" --allowedTools Bash\n',
};

let gh: FakeGitHub;
let repo: string;

beforeAll(async () => {
  gh = await startFakeGitHub();
  gh.state.addFile('acme/.github', SHA, 'claude-guard/org.yml', ORG_POLICY);
  repo = mkdtempSync(join(tmpdir(), 'cg-org-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  execFileSync('git', ['init', '-q'], { cwd: repo });
  execFileSync('git', ['add', '-A'], { cwd: repo });
});

afterAll(async () => {
  await gh.close();
  rmSync(repo, { recursive: true, force: true });
});

async function repoPolicy(text: string): Promise<Policy> {
  mkdirSync(join(repo, '.github'), { recursive: true });
  writeFileSync(join(repo, '.github/claude-guard.yml'), text);
  return loadPolicy(
    join(repo, '.github/claude-guard.yml'),
    '.github/claude-guard.yml',
    true,
    repo,
    remotePolicyReader(makeClient(FAKE_TOKEN, gh.url, () => {})),
  );
}

const EXCEPTION = [
  `version: 1`,
  `extends: ${ORG}`,
  'exceptions:',
  '  - rule: CG102',
  '    paths: ["sandbox/**"]',
  '    reason: "an isolated VM for experiments"',
  '    owner: "@acme/research"',
  '    expires: 2027-03-31',
  '',
].join('\n');

/** `rule path:line status` of the findings of CG102, CG105 and CG902, on `day`. */
async function judged(policy: Policy, day: string): Promise<string[]> {
  const { verdict } = await scan(await diskSource(repo), policy, {
    clock: () => new Date(`${day}T09:00:00Z`),
  });
  return verdict.findings
    .filter((f) => ['CG102', 'CG105', 'CG902'].includes(f.ruleId))
    .map(
      (f) =>
        `${f.ruleId} ${f.path}:${f.line} ${f.suppression ? 'suppressed' : f.blocking ? 'blocking' : 'not blocking'}`,
    )
    .sort();
}

describe('an organisation policy from another repository, under a repository policy', () => {
  test('the locked rules hold: turning CG101 off, excepting it or raising production is refused, naming both files', async () => {
    const error = await repoPolicy(
      [
        'version: 1',
        `extends: ${ORG}`,
        'rules: { CG101: off }',
        'environments: { production: { max-risk: execute } }',
        'exceptions: [{ rule: CG101, paths: [sandbox/**], reason: lab, owner: "@acme/lab", expires: 2030-01-01 }]',
        '',
      ].join('\n'),
    ).catch((e: unknown) => e as PolicyError);
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).issues.map((i) => `${i.file}:${i.line}:${i.column} ${i.message}`)).toEqual([
      `.github/claude-guard.yml:3:17 CG101 is locked by ${ORG}:4:20: a policy extending it cannot turn it off`,
      `.github/claude-guard.yml:4:41 CG105 is locked by ${ORG}:5:20: a policy extending it cannot raise the max-risk of production above read`,
      `.github/claude-guard.yml:5:22 CG101 is locked by ${ORG}:4:20: a policy extending it cannot except it`,
    ]);
    expect(gh.violations).toEqual([]);
  });

  test('environments decide CG105 by workflow environment and by path; the exception holds through its last day', async () => {
    const policy = await repoPolicy(EXCEPTION);
    expect(await judged(policy, '2027-03-31')).toEqual(
      [
        // The sandbox's unscoped shell is excepted until 2027-03-31.
        'CG102 sandbox/run.sh:2 suppressed',
        // Placed in production by path: Edit is above read (tools/ and the docs-preview job are development: silent).
        'CG105 deploy/prod/.claude/settings.json:1 blocking',
        // Placed in production by the job's deployment environment: Edit is above read.
        'CG105 .github/workflows/release.yml:9 blocking',
      ].sort(),
    );
  });

  test('the day after the exception expires, the finding blocks again with CG902', async () => {
    const policy = await repoPolicy(EXCEPTION);
    expect(await judged(policy, '2027-04-01')).toEqual(
      [
        'CG102 sandbox/run.sh:2 blocking',
        'CG902 sandbox/run.sh:2 blocking',
        'CG105 deploy/prod/.claude/settings.json:1 blocking',
        'CG105 .github/workflows/release.yml:9 blocking',
      ].sort(),
    );
  });
});
