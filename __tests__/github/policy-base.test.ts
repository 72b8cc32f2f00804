/**
 * The policy in force on a pull request, read at its base commit through the contents API of the local fake
 * GitHub: the base's when it is known, the built-in default when there is none, and when it cannot be known
 * the stricter of the built-in policy and the pull request's own.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { makeClient } from '../../src/github/client.js';
import type { EventContext } from '../../src/github/context.js';
import { basePolicy, policyInForce } from '../../src/github/policy-base.js';
import { parsePolicy } from '../../src/policy/load.js';
import { FAKE_TOKEN, type FakeGitHub, startFakeGitHub } from './fake-github.js';

const REPO = 'octo/app';
const BASE = '2'.repeat(40);
const POLICY = '.github/claude-guard.yml';

let gh: FakeGitHub;
let workspace: string;

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'cg-base-'));
  mkdirSync(join(workspace, '.github'));
  writeFileSync(join(workspace, POLICY), 'version: 1\n');
});
afterAll(() => rmSync(workspace, { recursive: true, force: true }));
afterEach(async () => gh?.close());

function ctx(): EventContext {
  return {
    eventName: 'pull_request',
    owner: 'octo',
    repo: 'app',
    headSha: '1'.repeat(40),
    baseSha: BASE,
    pullRequest: { number: 7, headRepo: REPO, fromFork: false },
    serverUrl: 'https://github.com',
    apiUrl: gh.url,
  };
}

const read = () =>
  basePolicy({
    client: makeClient(FAKE_TOKEN, gh.url, () => {}),
    ctx: ctx(),
    baseSha: BASE,
    workspace,
    path: join(workspace, POLICY),
    display: POLICY,
  });

describe('the policy in force on a pull request', () => {
  test("the base's policy and the local policy it extends, both read at the base commit", async () => {
    gh = await startFakeGitHub();
    gh.state.addFile(REPO, BASE, POLICY, 'version: 1\nextends: org.yml\nfail-on: low\n');
    gh.state.addFile(REPO, BASE, '.github/org.yml', 'version: 1\nrules: { CG101: { locked: true } }\n');
    const base = await read();
    expect(base.unknown).toBeUndefined();
    expect(base.policy.failOn).toBe('low');
    expect(base.policy.rules.CG101?.locked?.file).toBe(join(workspace, '.github/org.yml'));
    expect(gh.violations).toEqual([]);
  });

  test('no policy at the base: the built-in default, not the pull request’s', async () => {
    gh = await startFakeGitHub();
    gh.state.addFile(REPO, BASE, 'README.md', 'x\n');
    const base = await read();
    expect(base).toEqual({ policy: expect.objectContaining({ sources: ['(built-in)'] }) });
    const head = parsePolicy('version: 1\nrules: { CG101: off }\n', POLICY);
    expect(policyInForce(base, head).policy.sources).toEqual(['(built-in)']);
  });

  test('the API fails: the pull request’s policy when it loosens nothing of the built-in one, else the built-in', async () => {
    gh = await startFakeGitHub();
    gh.failNext({ path: /\/contents\//, status: 500, times: 10 });
    const base = await read();
    expect(base.unknown).toBe(true);
    const strict = parsePolicy('version: 1\nfail-on: low\n', POLICY);
    expect(policyInForce(base, strict)).toEqual({
      policy: strict,
      note: `the base branch's ${POLICY} could not be read: the pull request's policy, which loosens nothing of the built-in one, is in force`,
    });
    const loose = parsePolicy('version: 1\nrules: { CG101: off }\n', POLICY);
    expect(policyInForce(base, loose)).toEqual({
      policy: base.policy,
      note: `the base branch's ${POLICY} could not be read: the built-in default policy is in force for this pull request`,
    });
  }, 30_000);

  test('an invalid base policy is unknown too', async () => {
    gh = await startFakeGitHub();
    gh.state.addFile(REPO, BASE, POLICY, 'version: 2\n');
    const base = await read();
    expect(base.unknown).toBe(true);
    expect(base.note).toBe("the base branch's policy is not valid (version: version must be 1)");
  });
});
