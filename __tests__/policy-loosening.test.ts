import { describe, expect, test } from '@jest/globals';
import { parsePolicy } from '../src/policy/load.js';
import { policyLoosening } from '../src/policy/loosening.js';
import { defaultPolicy, originText } from '../src/policy/policy.js';

const BASE = [
  'version: 1',
  'fail-on: medium',
  'block: all',
  'ignore: [vendor/**]',
  'rules: { CG103: { severity: critical, locked: true }, CG504: { severity: high } }',
  'dangerous-mode: { allow-in: [] }',
  'tools: { allow: [Read, Grep], deny: ["Bash(curl:*)", WebFetch] }',
  'mcp: { allowed-servers: [github], sensitive-servers: [postgres] }',
  'network: { allowed-endpoints: ["https://api.anthropic.com"], allowed-proxies: [proxy.corp.example] }',
  'plugins: { allowed-sources: [acme/plugins] }',
  'ci: { require-flags: [--max-turns], forbid-flags: [--verbose], require-env: [CI_AUDIT] }',
  'environments:',
  '  production: { match: { workflow-environments: [production, prod] }, max-risk: read, tools: { deny: [Edit] } }',
  '  qa: { max-risk: write }',
  'suppressions: { require-reason: true, require-owner: true, require-expiry: true }',
  '',
].join('\n');

/** The loosening of `head` against BASE, each as `message @ line:column`. */
function loosened(head: string): string[] {
  return policyLoosening(parsePolicy(BASE, 'base.yml'), parsePolicy(head, 'head.yml')).map(
    (l) => `${l.message}${l.origin ? ` @ ${originText(l.origin)}` : ''}`,
  );
}

describe('what a pull request would loosen in the policy', () => {
  test('the same policy loosens nothing; a stricter one neither', () => {
    expect(loosened(BASE)).toEqual([]);
    expect(
      loosened(BASE.replace('fail-on: medium', 'fail-on: low').replace('[Read, Grep]', '[Read]')),
    ).toEqual([]);
  });

  test('every way of loosening is named, where the new policy writes it', () => {
    const head = [
      'version: 1',
      'fail-on: critical',
      'block: new',
      'ignore: [vendor/**, scripts/**]',
      'rules: { CG101: off, CG103: { severity: high }, CG504: { severity: low } }',
      'dangerous-mode: { allow-in: [container] }',
      'tools: { allow: [Read, Grep, Bash], deny: [WebFetch] }',
      'mcp: { allowed-servers: [github, postgres], sensitive-servers: [] }',
      'network: { allowed-endpoints: ["https://api.anthropic.com", "https://gw.example"] }',
      'plugins: { allowed-sources: [acme/plugins, evil/plugins] }',
      'ci: { require-flags: [], forbid-flags: [], require-env: [] }',
      'environments:',
      '  production: { match: { workflow-environments: [production] }, max-risk: write, tools: { allow: [Bash] } }',
      'exceptions:',
      '  - { rule: CG102, paths: [ops/**], reason: "ops shell", owner: "@acme/ops", expires: 2027-01-01 }',
      'suppressions: { require-owner: false, require-expiry: false }',
      '',
    ].join('\n');
    expect(loosened(head)).toEqual([
      'fail-on goes from medium to critical: fewer findings block @ head.yml:2:10',
      'block goes from all to new: findings already there stop blocking @ head.yml:3:8',
      'stops scanning "scripts/**" @ head.yml:4:9',
      'turns CG101 off @ head.yml:5:17',
      'lowers CG103 from critical to high @ head.yml:5:29',
      'unlocks CG103 (locked at base.yml:5:47) @ head.yml:5:29',
      'lowers CG504 from high to low @ head.yml:5:56',
      'allows bypass mode in "container" @ head.yml:6:29',
      'adds "Bash" to tools.allow @ head.yml:7:17',
      'no longer denies "Bash(curl:*)" @ head.yml:7:43',
      'adds "postgres" to mcp.allowed-servers @ head.yml:8:25',
      'no longer treats "postgres" as sensitive @ head.yml:8:64',
      'lets Claude send its traffic to "https://gw.example" @ head.yml:9:31',
      'drops network.allowed-proxies: anything is accepted',
      'adds "evil/plugins" to plugins.allowed-sources @ head.yml:10:29',
      'drops "--max-turns" from ci.require-flags @ head.yml:11:22',
      'drops "--verbose" from ci.forbid-flags @ head.yml:11:40',
      'drops "CI_AUDIT" from ci.require-env @ head.yml:11:57',
      'raises the max-risk of environment production from read to write @ head.yml:13:3',
      'lets environment production accept "Bash" @ head.yml:13:3',
      'no longer denies "Edit" in environment production @ head.yml:13:3',
      'no longer places deployment environment "prod" in production @ head.yml:13:3',
      'removes environment qa (max-risk write)',
      'excepts CG102 in "ops/**" until 2027-01-01 ("ops shell", owner @acme/ops) @ head.yml:15:5',
      'lets inline suppressions omit an owner @ head.yml:16:15',
      'lets inline suppressions omit an expiry @ head.yml:16:15',
    ]);
  });

  test('a repository without a base policy: the PR policy is compared with the built-in default', () => {
    const l = policyLoosening(
      defaultPolicy(),
      parsePolicy('version: 1\nrules: { CG101: off }\n', 'head.yml'),
    );
    expect(l.map((x) => x.message)).toEqual(['turns CG101 off']);
  });
});
