import { describe, expect, test } from '@jest/globals';
import { PolicyError, type RemotePolicyRef, resolvePolicy } from '../src/policy/load.js';
import type { Policy } from '../src/policy/policy.js';

/** Resolves `/repo/.github/claude-guard.yml` with the given local files and remote ones (`owner/repo/path@ref`). */
async function resolveWith(
  local: Record<string, string>,
  remote: Record<string, string> = {},
  root = '/repo/.github/claude-guard.yml',
): Promise<Policy> {
  const text = local[root];
  if (text === undefined) throw new Error(`no ${root}`);
  return resolvePolicy(
    text,
    '.github/claude-guard.yml',
    { kind: 'local', path: root },
    {
      readLocal: async (path) => {
        const found = local[path];
        if (found === undefined) throw new Error('ENOENT');
        return found;
      },
      readRemote: async (ref: RemotePolicyRef) => {
        const found = remote[`${ref.owner}/${ref.repo}/${ref.path}@${ref.ref}`];
        if (found === undefined) throw new Error('404 Not Found');
        return found;
      },
    },
  );
}

async function failure(
  local: Record<string, string>,
  remote: Record<string, string> = {},
): Promise<PolicyError> {
  try {
    await resolveWith(local, remote);
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw error;
  }
  throw new Error('the policy was accepted');
}

const ROOT = '/repo/.github/claude-guard.yml';
const ORG = 'acme/.github/policies/claude.yml@0123456789abcdef0123456789abcdef01234567';

describe('every problem of a file at once', () => {
  test('a typo, a wrong type and a bad date are three located errors', async () => {
    const e = await failure({
      [ROOT]: [
        'version: 1',
        'fail_on: high',
        'ignore: 3',
        'exceptions:',
        '  - { rule: CG101, paths: [a.yml], reason: sandbox, owner: "@acme/sec", expires: 2027-02-30 }',
        '',
      ].join('\n'),
    });
    expect(e.issues.map((i) => `${i.line}:${i.column} ${i.message}`)).toEqual([
      '2:1 unknown key "fail_on"',
      '3:9 ignore: Invalid input: expected array, received number',
      '5:82 exceptions[0].expires: must be a real date written YYYY-MM-DD',
    ]);
    expect(e.message.split('\n')).toHaveLength(3);
    expect(e.message).toMatch(/^\.github\/claude-guard\.yml:2:1: /);
  });

  test('a rule id outside the catalogue and two unknown keys in one map are each reported', async () => {
    const e = await failure({
      [ROOT]: 'version: 1\nrules:\n  CG999: off\nmcp: { allowed: [a], sensitive: [b] }\n',
    });
    expect(e.issues.map((i) => `${i.line}:${i.column} ${i.message}`)).toEqual([
      '3:3 rules: "CG999" is not a claude-guard rule id (CG101, CG102…)',
      '4:8 unknown key "allowed" in mcp',
      '4:22 unknown key "sensitive" in mcp',
    ]);
  });

  test('a file with thousands of mistakes: the first fifty are located, the rest counted, quickly', async () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}: 1`).join('\n');
    const started = Date.now();
    const e = await failure({ [ROOT]: `version: 1\n${keys}\n` });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(e.issues).toHaveLength(51);
    expect(e.issues[0]).toMatchObject({ line: 2, column: 1, message: 'unknown key "k0"' });
    expect(e.issues[50]?.message).toBe('and 19950 more problems');
  });

  test('a key written twice, and a key that is a list, are refused where they are written', async () => {
    const e = await failure({
      [ROOT]: 'version: 1\nfail-on: high\nrules: { CG101: off }\nfail-on: never\n? [a, b]\n: 1\n',
    });
    expect(e.issues.map((i) => `${i.line}:${i.column} ${i.message}`)).toEqual([
      '4:1 the key "fail-on" is written twice',
      '5:3 a key must be a plain word, not a map or a list',
    ]);
  });

  test('two default environments: the second is refused', async () => {
    const e = await failure({
      [ROOT]: [
        'version: 1',
        'environments:',
        '  dev: { default: true, max-risk: execute }',
        '  lab: { default: true, max-risk: write }',
        '',
      ].join('\n'),
    });
    expect(e.issues.map((i) => `${i.line}:${i.column} ${i.message}`)).toEqual([
      '4:19 environments.lab.default: only one environment can be the default (dev already is)',
    ]);
  });
});

describe('extends', () => {
  test('later entries win, the file itself last; deny lists and requirements add up', async () => {
    const policy = await resolveWith({
      [ROOT]: [
        'version: 1',
        'extends: [../policies/base.yml, ../policies/strict.yml]',
        'block: all',
        'tools: { deny: ["Bash(curl:*)"] }',
        '',
      ].join('\n'),
      '/repo/policies/base.yml': [
        'version: 1',
        'fail-on: low',
        'block: new',
        'tools: { deny: [WebFetch] }',
        'ci: { require-flags: [--max-turns] }',
        '',
      ].join('\n'),
      '/repo/policies/strict.yml': [
        'version: 1',
        'fail-on: critical',
        'ci: { require-env: [CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC] }',
        '',
      ].join('\n'),
    });
    expect(policy.failOn).toBe('critical');
    expect(policy.block).toBe('all');
    expect(policy.tools.deny).toEqual(['WebFetch', 'Bash(curl:*)']);
    expect(policy.ci).toEqual({
      requireFlags: ['--max-turns'],
      forbidFlags: [],
      requireEnv: ['CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC'],
    });
    expect(policy.sources).toEqual([
      '/repo/policies/base.yml',
      '/repo/policies/strict.yml',
      '.github/claude-guard.yml',
    ]);
    expect(policy.origins['fail-on']).toEqual({ file: '/repo/policies/strict.yml', line: 2, column: 10 });
    expect(policy.origins.block).toEqual({ file: '.github/claude-guard.yml', line: 3, column: 8 });
  });

  test('a remote policy is read at its ref, and its own relative extends stay in its repository', async () => {
    const asked: string[] = [];
    const policy = await resolvePolicy(
      `version: 1\nextends: ${ORG}\n`,
      '.github/claude-guard.yml',
      { kind: 'local', path: ROOT },
      {
        readLocal: async () => {
          throw new Error('ENOENT');
        },
        readRemote: async (ref) => {
          asked.push(`${ref.owner}/${ref.repo}/${ref.path}@${ref.ref}`);
          if (ref.path === 'policies/claude.yml')
            return 'version: 1\nextends: ../shared/base.yml\nfail-on: medium\n';
          if (ref.path === 'shared/base.yml') return 'version: 1\nmcp: { allowed-servers: [github] }\n';
          throw new Error('404 Not Found');
        },
      },
    );
    expect(asked).toEqual([ORG, 'acme/.github/shared/base.yml@0123456789abcdef0123456789abcdef01234567']);
    expect(policy.failOn).toBe('medium');
    expect(policy.mcp.allowedServers).toEqual(['github']);
  });

  test('a remote policy without a way to read it names the token it needs', async () => {
    const e = await failure({ [ROOT]: `version: 1\nextends: ${ORG}\n` }, {});
    expect(e.message).toBe(
      `.github/claude-guard.yml:2:10: extends: cannot read ${ORG} (404 Not Found): .github/claude-guard.yml → ${ORG}`,
    );
    const none = await resolvePolicy(
      `version: 1\nextends: ${ORG}\n`,
      '.github/claude-guard.yml',
      { kind: 'local', path: ROOT },
      {
        readLocal: async () => '',
      },
    ).catch((error: unknown) => error as PolicyError);
    expect((none as PolicyError).detail).toMatch(/needs a GitHub token/);
  });

  test('a cycle is an error naming the chain', async () => {
    const e = await failure({
      [ROOT]: 'version: 1\nextends: ../a.yml\n',
      '/repo/a.yml': 'version: 1\nextends: b.yml\n',
      '/repo/b.yml': 'version: 1\nextends: [a.yml]\n',
    });
    expect(e.message).toBe(
      '/repo/b.yml:2:11: extends: the policies extend each other: .github/claude-guard.yml → /repo/a.yml → /repo/b.yml → /repo/a.yml',
    );
  });

  test('a chain deeper than eight policies is an error', async () => {
    const files: Record<string, string> = { [ROOT]: 'version: 1\nextends: ../p0.yml\n' };
    for (let i = 0; i < 12; i++) files[`/repo/p${i}.yml`] = `version: 1\nextends: p${i + 1}.yml\n`;
    files['/repo/p12.yml'] = 'version: 1\n';
    const e = await failure(files);
    expect(e.detail).toMatch(
      /^extends: more than 8 policies deep: \.github\/claude-guard\.yml → \/repo\/p0\.yml → /,
    );
  });

  test('a missing extended policy is an error naming the chain', async () => {
    const e = await failure({
      [ROOT]: 'version: 1\nextends: [../org.yml]\n',
      '/repo/org.yml': 'version: 1\nextends: gone.yml\n',
    });
    expect(e.message).toBe(
      '/repo/org.yml:2:10: extends: cannot read /repo/gone.yml (ENOENT): .github/claude-guard.yml → /repo/org.yml → /repo/gone.yml',
    );
  });

  test('an extended policy with its own errors reports them in its own file', async () => {
    const e = await failure({
      [ROOT]: 'version: 1\nextends: ../org.yml\n',
      '/repo/org.yml': 'version: 1\nfail-on: sometimes\n',
    });
    expect(e.file).toBe('/repo/org.yml');
    expect([e.line, e.column]).toEqual([2, 10]);
  });
});

describe('locked rules', () => {
  const ORG_POLICY = [
    'version: 1',
    'rules:',
    '  CG101: { locked: true }',
    '  CG103: { severity: critical, locked: true }',
    '  CG603: { locked: true }',
    'mcp: { allowed-servers: [github, git] }',
    'environments:',
    '  production: { match: { workflow-environments: [production] }, max-risk: read }',
    '',
  ].join('\n');
  const withRepo = (repo: string): Record<string, string> => ({
    [ROOT]: `version: 1\nextends: ${ORG}\n${repo}`,
  });

  test('a locked rule holds when the repository policy leaves it alone, and it may be raised', async () => {
    const policy = await resolveWith(withRepo('rules: { CG101: { severity: critical } }\n'), {
      [ORG]: ORG_POLICY,
    });
    expect(policy.rules.CG101).toEqual({
      off: false,
      severity: 'critical',
      locked: { file: ORG, line: 3, column: 20 },
    });
  });

  test('turning off, lowering, unlocking, excepting and widening are each refused, naming both places', async () => {
    const e = await failure(
      withRepo(
        [
          'rules:',
          '  CG101: off',
          '  CG103: { severity: high }',
          '  CG603: { locked: false }',
          'mcp: { allowed-servers: [github, postgres] }',
          'exceptions:',
          '  - { rule: CG101, paths: [sandbox.yml], reason: lab, owner: "@me", expires: 2030-01-01 }',
          '',
        ].join('\n'),
      ),
      { [ORG]: ORG_POLICY },
    );
    expect(e.issues.map((i) => `${i.line}:${i.column} ${i.message}`)).toEqual([
      `4:10 CG101 is locked by ${ORG}:3:20: a policy extending it cannot turn it off`,
      `5:22 CG103 is locked by ${ORG}:4:40: a policy extending it cannot lower its severity below critical`,
      `6:20 CG603 is locked by ${ORG}:5:20: a policy extending it cannot unlock it`,
      `7:25 CG603 is locked by ${ORG}:5:20: a policy extending it cannot widen mcp.allowed-servers (postgres)`,
      `9:13 CG101 is locked by ${ORG}:3:20: a policy extending it cannot except it`,
    ]);
  });

  test('a narrower list under a locked rule is accepted', async () => {
    const policy = await resolveWith(withRepo('mcp: { allowed-servers: [github] }\n'), { [ORG]: ORG_POLICY });
    expect(policy.mcp.allowedServers).toEqual(['github']);
  });

  test('the policy that locks a rule may still except it itself', async () => {
    const policy = await resolveWith({
      [ROOT]: [
        'version: 1',
        'rules: { CG101: { locked: true } }',
        'exceptions:',
        '  - { rule: CG101, paths: [sandbox.yml], reason: lab, owner: "@me", expires: 2030-01-01 }',
        '',
      ].join('\n'),
    });
    expect(policy.exceptions).toEqual([
      {
        rule: 'CG101',
        paths: ['sandbox.yml'],
        reason: 'lab',
        owner: '@me',
        expires: '2030-01-01',
        origin: { file: '.github/claude-guard.yml', line: 4, column: 5 },
      },
    ]);
  });

  test('a sibling extended later cannot loosen a rule an earlier one locked', async () => {
    const e = await failure({
      [ROOT]: 'version: 1\nextends: [../org.yml, ../team.yml]\n',
      '/repo/org.yml': 'version: 1\nrules: { CG101: { locked: true } }\n',
      '/repo/team.yml': 'version: 1\nrules: { CG101: off }\n',
    });
    expect(e.message).toBe(
      '/repo/team.yml:2:17: CG101 is locked by /repo/org.yml:2:27: a policy extending it cannot turn it off',
    );
  });

  test('with CG105 locked, an environment cannot be made riskier', async () => {
    const e = await failure({
      [ROOT]: 'version: 1\nextends: ../org.yml\nenvironments: { production: { max-risk: write } }\n',
      '/repo/org.yml':
        'version: 1\nrules: { CG105: { locked: true } }\nenvironments: { production: { max-risk: read } }\n',
    });
    expect(e.detail).toBe(
      'CG105 is locked by /repo/org.yml:2:27: a policy extending it cannot raise the max-risk of production above read',
    );
  });
});

describe('suppression requirements', () => {
  test('the stricter of the chain wins', async () => {
    const policy = await resolveWith({
      [ROOT]: 'version: 1\nextends: ../org.yml\nsuppressions: { require-reason: false, allowed: true }\n',
      '/repo/org.yml':
        'version: 1\nsuppressions: { require-owner: true, require-expiry: true, allowed: false }\n',
    });
    expect(policy.suppressions).toEqual({
      allowed: false,
      requireReason: true,
      requireOwner: true,
      requireExpiry: true,
    });
  });

  test('a single policy may relax the built-in reason requirement', async () => {
    const policy = await resolveWith({ [ROOT]: 'version: 1\nsuppressions: { require-reason: false }\n' });
    expect(policy.suppressions.requireReason).toBe(false);
  });
});
