import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { runCli } from '../src/cli/run.js';
import { policyReferenceRows } from '../src/policy/reference.js';
import { policyJsonSchema } from '../src/policy/schema.js';
import { starterPolicy } from '../src/policy/starter.js';

const tmp = mkdtempSync(join(tmpdir(), 'cg-policy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    cwd,
    env: {},
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    isTTY: false,
  });
  return { code, out, err };
}

function folder(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** The YAML examples of the README's Policy section. */
function readmePolicyExamples(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Policy\n'), readme.indexOf('## JSON report'));
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

const validate = new Ajv2020({ allErrors: true, strict: false }).compile(policyJsonSchema());

describe('claude-guard policy validate', () => {
  test('a typo, a wrong type and a bad date: three located errors, exit 2', async () => {
    const dir = folder('broken', {
      'p.yml': [
        'version: 1',
        'fail_on: high',
        'block: sometimes',
        'exceptions:',
        '  - rule: CG101',
        '    paths: [a.yml]',
        '    reason: lab',
        '    owner: "@me"',
        '    expires: 2027-13-01',
        '',
      ].join('\n'),
    });
    const { code, err, out } = await cli(dir, 'policy', 'validate', 'p.yml');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.split('\n')).toEqual([
      'claude-guard: invalid policy, 3 problems:',
      '  p.yml:2:1: unknown key "fail_on"',
      '  p.yml:3:8: block: Invalid option: expected one of "new"|"all"',
      '  p.yml:9:14: exceptions[0].expires: must be a real date written YYYY-MM-DD',
      '',
    ]);
  });

  test('a valid policy and the policies it extends: exit 0', async () => {
    const dir = folder('good', {
      '.github/claude-guard.yml': 'version: 1\nextends: ../org.yml\nfail-on: medium\n',
      'org.yml': 'version: 1\nrules: { CG101: { locked: true } }\n',
    });
    const { code, out } = await cli(dir, 'policy', 'validate');
    expect(code).toBe(0);
    expect(out).toBe(`.github/claude-guard.yml: valid (with ${join(dir, 'org.yml')})\n`);
  });

  test("a policy in the current folder may not extend a file outside it (a clone's policy reading /etc)", async () => {
    const dir = folder('escape', { '.github/claude-guard.yml': 'version: 1\nextends: /etc/hostname\n' });
    const { code, err } = await cli(dir, 'policy', 'validate');
    expect(code).toBe(2);
    expect(err).toMatch(
      /^claude-guard: invalid policy: \.github\/claude-guard\.yml:2:10: extends: cannot read \/etc\/hostname \(the policy must be a file inside the workspace\)/,
    );
  });

  test('a missing file is a usage error', async () => {
    const { code, err } = await cli(tmp, 'policy', 'validate', 'nope.yml');
    expect(code).toBe(2);
    expect(err).toBe('claude-guard: nope.yml: no such file\n');
  });
});

describe('claude-guard policy init', () => {
  test('writes the starter policy, which validates; refuses to overwrite it without --force', async () => {
    const dir = folder('init', { 'README.md': 'x\n' });
    const first = await cli(dir, 'policy', 'init');
    expect(first.code).toBe(0);
    expect(readFileSync(join(dir, '.github/claude-guard.yml'), 'utf8')).toBe(starterPolicy());
    expect((await cli(dir, 'policy', 'validate')).code).toBe(0);
    const again = await cli(dir, 'policy', 'init');
    expect(again.code).toBe(2);
    expect(again.err).toBe('claude-guard: .github/claude-guard.yml exists; --force replaces it\n');
    expect((await cli(dir, 'policy', 'init', '--force')).code).toBe(0);
  });

  test('the starter policy names the schema for editors on its first line', () => {
    expect(starterPolicy().split('\n')[0]).toMatch(
      /^# yaml-language-server: \$schema=https:\/\/unpkg\.com\/claude-guard@\d+\.\d+\.\d+\/policy\.schema\.json$/,
    );
  });
});

describe('the JSON Schema', () => {
  test('is the committed policy.schema.json (npm run build writes it)', async () => {
    const { code, out } = await cli(tmp, 'policy', 'schema');
    expect(code).toBe(0);
    expect(out).toBe(readFileSync('policy.schema.json', 'utf8'));
  });

  test('accepts the starter policy and every example of the README', () => {
    const examples = [starterPolicy(), ...readmePolicyExamples()];
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const text of examples) {
      const ok = validate(parse(text));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  test('refuses a typo, a wrong type, an unknown rule id and a malformed date', () => {
    expect(validate({ version: 1, fail_on: 'high' })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({
      keyword: 'additionalProperties',
      params: { additionalProperty: 'fail_on' },
    });
    expect(validate({ version: 1, 'fail-on': 3 })).toBe(false);
    expect(validate({ version: 1, rules: { CG999: 'off' } })).toBe(false);
    expect(
      validate({
        version: 1,
        exceptions: [{ rule: 'CG101', paths: ['a'], reason: 'r', owner: 'o', expires: '31/03/2027' }],
      }),
    ).toBe(false);
  });

  test('the README reference is generated from it', () => {
    const readme = readFileSync('README.md', 'utf8');
    const block = /<!-- policy-reference:start[^>]*-->\n([\s\S]*?)<!-- policy-reference:end -->/.exec(readme);
    expect(block?.[1]).toBe(`${policyReferenceRows().join('\n')}\n`);
  });
});

describe('claude-guard policy show', () => {
  test('prints each value with the file and line it came from', async () => {
    const dir = folder('show', {
      '.github/claude-guard.yml': 'version: 1\nextends: ../org.yml\nfail-on: medium\n',
      'org.yml': 'version: 1\nrules: { CG101: { locked: true } }\nmcp: { allowed-servers: [github] }\n',
    });
    const { code, out } = await cli(dir, 'policy', 'show', '.');
    expect(code).toBe(0);
    const org = join(dir, 'org.yml');
    expect(out).toContain(`# The policy in force, built from: ${org}, .github/claude-guard.yml\n`);
    expect(out).toContain('fail-on: "medium"  # .github/claude-guard.yml:3:10\n');
    expect(out).toContain('block: "new"  # (built-in)\n');
    expect(out).toContain(`  CG101: {"locked":"${org}:2:27"}  # ${org}:2:17\n`);
    expect(out).toContain(`  allowed-servers: ["github"]  # ${org}:3:25\n`);
    const json = await cli(dir, 'policy', 'show', '.', '--format', 'json');
    expect(JSON.parse(json.out).failOn).toBe('medium');
  });

  test('an unknown subcommand lists the others', async () => {
    const { code, err } = await cli(tmp, 'policy', 'frobnicate');
    expect(code).toBe(2);
    expect(err).toContain('unknown policy subcommand "frobnicate"');
    expect(err).toContain('claude-guard policy validate [FILE]');
  });
});

describe('claude-guard scan --baseline', () => {
  test('findings an earlier report holds are existing: under block: new only the others block', async () => {
    const first = await cli(process.cwd(), 'scan', 'examples/insecure-repo', '--format', 'json');
    expect(first.code).toBe(1);
    const report = JSON.parse(first.out);
    const all = join(tmp, 'baseline-all.json');
    writeFileSync(all, first.out);
    const again = await cli(
      process.cwd(),
      'scan',
      'examples/insecure-repo',
      '--format',
      'json',
      '--baseline',
      all,
    );
    expect(again.code).toBe(0);
    const known = JSON.parse(again.out);
    expect(known.summary).toMatchObject({
      findings: report.summary.findings,
      blocking: 0,
      conclusion: 'success',
    });
    expect(known.findings.every((f: { new: boolean }) => !f.new)).toBe(true);

    // One blocking finding left out of the baseline: it alone is new, and it alone blocks.
    const dropped = report.findings.find((f: { blocking: boolean }) => f.blocking);
    const partial = join(tmp, 'baseline-partial.json');
    writeFileSync(
      partial,
      JSON.stringify({
        ...report,
        findings: report.findings.filter((f: { fingerprint: string }) => f !== dropped),
      }),
    );
    const one = await cli(
      process.cwd(),
      'scan',
      'examples/insecure-repo',
      '--format',
      'json',
      '--baseline',
      partial,
    );
    expect(one.code).toBe(1);
    const blocking = JSON.parse(one.out).findings.filter((f: { blocking: boolean }) => f.blocking);
    expect(blocking.map((f: { fingerprint: string }) => f.fingerprint)).toEqual([dropped.fingerprint]);
  });

  test('a baseline that is not a claude-guard JSON report is a usage error', async () => {
    const bad = join(tmp, 'baseline-bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ schemaVersion: 1, tool: { name: 'claude-guard' }, findings: [{ fingerprint: 'x' }] }),
    );
    const run = await cli(process.cwd(), 'scan', 'examples/secure-repo', '--baseline', bad);
    expect(run.code).toBe(2);
    expect(run.err).toBe(`claude-guard: ${bad}: findings[0] has no valid fingerprint\n`);
    writeFileSync(bad, '<html>');
    expect((await cli(process.cwd(), 'scan', 'examples/secure-repo', '--baseline', bad)).err).toMatch(
      /is not JSON/,
    );
    expect(
      (await cli(process.cwd(), 'scan', 'examples/secure-repo', '--baseline', join(tmp, 'none.json'))).code,
    ).toBe(2);
  });
});
