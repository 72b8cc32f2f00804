/**
 * An organisation's policy extended from another repository, read through the contents API of the local
 * fake GitHub (every request checked against GitHub's OpenAPI description), by the reader the action uses
 * and by the one the command line uses.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { makeClient } from '../../src/github/client.js';
import { environmentPolicyReader, remotePolicyReader } from '../../src/github/policy-source.js';
import { loadPolicy, PolicyError } from '../../src/policy/load.js';
import { FAKE_TOKEN, type FakeGitHub, startFakeGitHub } from './fake-github.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const ORG = `acme/.github/policies/claude.yml@${SHA}`;

let gh: FakeGitHub;
let dir: string;

beforeAll(async () => {
  gh = await startFakeGitHub();
  gh.state.addFile(
    'acme/.github',
    SHA,
    'policies/claude.yml',
    'version: 1\nextends: base.yml\nrules: { CG101: { locked: true } }\n',
  );
  gh.state.addFile('acme/.github', SHA, 'policies/base.yml', 'version: 1\nfail-on: medium\n');
  dir = mkdtempSync(join(tmpdir(), 'cg-remote-'));
  mkdirSync(join(dir, '.github'));
});

afterAll(async () => {
  await gh.close();
  rmSync(dir, { recursive: true, force: true });
});

function repoPolicy(text: string): string {
  const path = join(dir, '.github', 'claude-guard.yml');
  writeFileSync(path, text);
  return path;
}

async function failure(run: Promise<unknown>): Promise<PolicyError> {
  try {
    await run;
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw error;
  }
  throw new Error('the policy was accepted');
}

describe('a policy extended from another repository', () => {
  const reader = () => remotePolicyReader(makeClient(FAKE_TOKEN, gh.url, () => {}));

  test('is read at its commit with its own extends, and its locks hold', async () => {
    const path = repoPolicy(`version: 1\nextends: ${ORG}\nrules: { CG102: off }\n`);
    const policy = await loadPolicy(path, '.github/claude-guard.yml', true, dir, reader());
    expect(policy.failOn).toBe('medium');
    expect(policy.rules.CG101?.locked).toEqual({ file: ORG, line: 3, column: 27 });
    expect(policy.sources).toEqual([
      `acme/.github/policies/base.yml@${SHA}`,
      ORG,
      '.github/claude-guard.yml',
    ]);
    expect(gh.violations).toEqual([]);
  });

  test('a repository policy that turns the locked rule off is refused, naming both files', async () => {
    const path = repoPolicy(`version: 1\nextends: ${ORG}\nrules: { CG101: off }\n`);
    const e = await failure(loadPolicy(path, '.github/claude-guard.yml', true, dir, reader()));
    expect(e.message).toBe(
      `.github/claude-guard.yml:3:17: CG101 is locked by ${ORG}:3:27: a policy extending it cannot turn it off`,
    );
  });

  test('a file missing at that ref is an error naming the chain', async () => {
    const missing = `acme/.github/policies/gone.yml@${SHA}`;
    const path = repoPolicy(`version: 1\nextends: [${missing}]\n`);
    const e = await failure(loadPolicy(path, '.github/claude-guard.yml', true, dir, reader()));
    expect(e.message).toBe(
      `.github/claude-guard.yml:2:11: extends: cannot read ${missing} (404 Not Found: no such file at that ref, or the token cannot read it): .github/claude-guard.yml → ${missing}`,
    );
    expect(gh.violations).toEqual([]);
  });

  test('a wrong token is said as such', async () => {
    const path = repoPolicy(`version: 1\nextends: ${ORG}\n`);
    const bad = remotePolicyReader(makeClient('ghs_WrongToken000000000000000000000000000', gh.url, () => {}));
    const e = await failure(loadPolicy(path, '.github/claude-guard.yml', true, dir, bad));
    expect(e.detail).toMatch(/^extends: cannot read .* \(401: the token cannot read acme\/\.github\)/);
  });

  test('the command line reads it with GITHUB_TOKEN at GITHUB_API_URL, and says which token is missing', async () => {
    const path = repoPolicy(`version: 1\nextends: ${ORG}\n`);
    const cli = environmentPolicyReader({ GITHUB_TOKEN: FAKE_TOKEN, GITHUB_API_URL: gh.url }, () => {});
    const policy = await loadPolicy(path, '.github/claude-guard.yml', true, dir, cli);
    expect(policy.failOn).toBe('medium');
    const none = environmentPolicyReader({}, () => {});
    const e = await failure(loadPolicy(path, '.github/claude-guard.yml', true, dir, none));
    expect(e.detail).toMatch(/set CLAUDE_GUARD_POLICY_TOKEN or GITHUB_TOKEN/);
  });
});
