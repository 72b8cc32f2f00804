import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { runCli } from '../src/cli/run.js';
import { defaultPolicy } from '../src/policy/policy.js';
import type { Finding, Verdict } from '../src/policy/verdict.js';
import { GITHUB_LIMITS, renderSarif, SARIF_SCHEMA } from '../src/report/sarif.js';
import { RULES } from '../src/rules/registry.js';
import { memorySource, scan } from '../src/scan.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- SARIF is read back as plain JSON */

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A deterministic, random-looking string (xorshift32). */
function randomish(length: number, seed: number): string {
  let x = Math.imul(seed + 1, 2654435761) >>> 0 || 1;
  let out = '';
  while (out.length < length) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out += ALNUM[x % ALNUM.length];
  }
  return out;
}

// Built at run time: no source file holds a whole key.
const BODY = randomish(40, 7) + 'Qz' + randomish(44, 8);
const KEY = `sk-ant-${'api03'}-${BODY}AA`;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    cwd: process.cwd(),
    env: {},
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    isTTY: false,
  });
  return { code, out, err };
}

const tmp = mkdtempSync(join(tmpdir(), 'cg-sarif-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The insecure example as `claude-guard scan examples/insecure-repo --format sarif` writes it. */
let insecure: { code: number; text: string; log: any };

/**
 * A verdict with what the example lacks: suppressions of both kinds, related locations, a notice, a rule
 * the registry does not hold, file names that need percent-encoding, and a key in every string that can
 * carry one (message, snippet, related message, suppression reason, path, notice).
 */
let crafted: { verdict: Verdict; secrets: string[]; text: string; log: any };

beforeAll(async () => {
  const run = await cli('scan', 'examples/insecure-repo', '--format', 'sarif');
  insecure = { code: run.code, text: run.out, log: JSON.parse(run.out) };

  const { verdict: scanned, secretValues } = await scan(
    memorySource({
      '.claude/settings.json':
        '{ "permissions": { "allow": ["Bash"], "defaultMode": "bypassPermissions" } }\n',
      '.mcp.json': `{ "mcpServers": { "x": { "command": "x", "env": { "ANTHROPIC_API_KEY": "${KEY}" } } } }\n`,
      'scripts/run agent #1.sh': 'claude -p "go" --dangerously-skip-permissions\n',
    }),
    defaultPolicy(),
  );
  const [first, second, third] = scanned.findings as [Finding, Finding, Finding, ...Finding[]];
  const findings: Finding[] = [
    {
      ...first,
      message: `${first.message}, the key ${KEY} included, with [a link](1) of the file's own`,
      snippet: `"x": "${KEY}" \u001b[31m`,
      related: [
        { path: '.github/workflows/claude.yml', line: 3, message: 'triggered by issue_comment [untrusted]' },
        { path: 'docs/ünïcode name.md', line: 12, message: `granted here, next to ${KEY}` },
      ],
    },
    {
      ...second,
      blocking: false,
      suppression: { kind: 'inline', reason: `runs only our pinned formatter ${KEY}` },
    },
    {
      ...third,
      blocking: false,
      suppression: { kind: 'exception', reason: 'sandbox job', owner: '@acme/sec', expires: '2027-03-31' },
    },
    {
      ...third,
      ruleId: 'CG999',
      ruleName: 'made-up',
      severity: 'low',
      path: `weird/${KEY}/a:b%c?d#e\udcff.sh`,
      fingerprint: 'f'.repeat(32),
    },
  ];
  const verdict: Verdict = {
    ...scanned,
    findings,
    summary: { ...scanned.summary, findings: findings.length, suppressed: 2 },
    notices: [{ path: 'assets/big.json', message: `skipped: larger than 1 MiB, near ${KEY}` }],
  };
  const text = renderSarif(verdict, {
    secrets: secretValues,
    category: 'pr/checks',
    uriPrefix: 'packages/app',
  });
  crafted = { verdict, secrets: secretValues, text, log: JSON.parse(text) };
});

describe('the SARIF 2.1.0 schema (Ajv)', () => {
  const schema = JSON.parse(
    readFileSync(`node_modules/@microsoft/sarif-multitool-${process.platform}/sarif-2.1.0.json`, 'utf8'),
  );
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);

  test('the schema is the one the Multitool ships, a JSON Schema 2020-12 document', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.properties.version.enum).toEqual(['2.1.0']);
  });

  test('the insecure example validates', () => {
    expect(validate(insecure.log) ? [] : validate.errors).toEqual([]);
  });

  test('a verdict with suppressions, related locations, a notice and a key validates', () => {
    expect(validate(crafted.log) ? [] : validate.errors).toEqual([]);
  });

  test('the schema is enforced: an unknown level and a line 0 are refused', () => {
    const broken = structuredClone(insecure.log);
    broken.runs[0].results[0].level = 'fatal';
    broken.runs[0].results[1].locations[0].physicalLocation.region.startLine = 0;
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toEqual(
      expect.arrayContaining([
        '/runs/0/results/0/level',
        '/runs/0/results/1/locations/0/physicalLocation/region/startLine',
      ]),
    );
  });
});

describe("Microsoft's SARIF Multitool with GitHub's rules", () => {
  test('no error and no warning on the insecure example and the crafted verdict (one run of the tool)', () => {
    writeFileSync(join(tmp, 'insecure.sarif'), insecure.text);
    writeFileSync(join(tmp, 'crafted.sarif'), crafted.text);
    // scripts/validate-sarif.mjs makes the binary executable, runs `validate --rule-kind "Gh;Sarif"` and
    // reads the results back; .ci/run uses it too.
    const run = spawnSync(
      process.execPath,
      ['scripts/validate-sarif.mjs', '--json', join(tmp, 'insecure.sarif'), join(tmp, 'crafted.sarif')],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    expect(report.problems).toEqual([]);
    for (const counts of Object.values(report.files) as { error: number; warning: number; note: number }[]) {
      expect(counts.error + counts.warning).toBe(0);
      expect(counts.note).toBeGreaterThan(0); // proof the Multitool read the file
    }
    expect(run.status).toBe(0);
  }, 120_000);
});

describe('renderSarif', () => {
  test('one run, every rule of the registry with what GitHub requires', () => {
    const { log } = insecure;
    expect(log.$schema).toBe(SARIF_SCHEMA);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0];
    expect(run.tool.driver).toMatchObject({
      name: 'claude-guard',
      version: '0.1.0',
      semanticVersion: '0.1.0',
      informationUri: 'https://github.com/org/claude-guard',
    });
    expect(run.tool.driver.rules.map((r: any) => r.id)).toEqual(RULES.map((r) => r.meta.id));
    for (const rule of run.tool.driver.rules) {
      expect(rule.name.length).toBeLessThanOrEqual(GITHUB_LIMITS.ruleName);
      expect(rule.shortDescription.text.length).toBeGreaterThan(0);
      expect(rule.shortDescription.text.length).toBeLessThanOrEqual(GITHUB_LIMITS.description);
      expect(rule.fullDescription.text.length).toBeLessThanOrEqual(GITHUB_LIMITS.description);
      expect(rule.help.text).toContain('How to fix:');
      expect(rule.help.markdown).toContain('### How to fix');
      expect(rule.helpUri).toBe(`https://github.com/org/claude-guard/blob/v0.1.0/docs/rules/${rule.id}.md`);
      expect(rule.properties.tags).toEqual(['security', 'claude-code']);
    }
    const cg101 = run.tool.driver.rules[0];
    expect(cg101).toMatchObject({
      id: 'CG101',
      name: 'dangerous-mode',
      defaultConfiguration: { level: 'error' },
      properties: { 'security-severity': '9.5' },
    });
    expect(run.tool.driver.rules.find((r: any) => r.id === 'CG901').properties['security-severity']).toBe(
      '5.5',
    );
    expect(run.automationDetails).toEqual({ id: 'claude-guard/' });
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(Object.keys(run.originalUriBaseIds)).toEqual(['%SRCROOT%']);
    expect(run.properties).toMatchObject({
      conclusion: 'failure',
      findings: 49,
      blocking: 31,
      resultsOmitted: 0,
    });
  });

  test('exact positions of the insecure example, repository-relative', () => {
    const { results } = insecure.log.runs[0];
    expect(results).toHaveLength(49);
    const where = (r: any) => {
      const { artifactLocation, region } = r.locations[0].physicalLocation;
      return `${r.ruleId} ${artifactLocation.uri} ${region.startLine}:${region.startColumn}-${region.endLine}:${region.endColumn}`;
    };
    expect(results.map(where)).toEqual(
      expect.arrayContaining([
        'CG101 examples/insecure-repo/.claude/settings.json 3:21-3:38',
        'CG101 examples/insecure-repo/.github/workflows/claude.yml 17:13-17:43',
        'CG201 examples/insecure-repo/.mcp.json 9:38-9:152',
        'CG102 examples/insecure-repo/package.json 5:52-5:56',
        'CG901 examples/insecure-repo/.claude/settings.local.json 2:3-2:36',
      ]),
    );
    const first = results[0];
    expect(first).toMatchObject({
      ruleId: 'CG101',
      ruleIndex: 0,
      level: 'error',
      suppressions: [],
      properties: { severity: 'critical', blocking: true, new: true },
    });
    expect(first.locations[0].physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%');
    expect(first.locations[0].physicalLocation.region.snippet.text).toBe(
      '"defaultMode": "bypassPermissions",',
    );
    expect(first.message.text).toMatch(
      /^permissions\.defaultMode .* skipped\. Fix: Remove the flag or setting\. /,
    );
    expect(results.filter((r: any) => r.level === 'warning').map((r: any) => r.ruleId)).toEqual([
      'CG107',
      'CG104',
      'CG303',
      'CG602',
      'CG901',
      'CG509',
      'CG502',
      'CG303',
      'CG503',
      'CG507',
      'CG505',
      'CG901',
      'CG601',
    ]);
  });

  test('fingerprints: our own key, and a line hash that does not move with the line', async () => {
    const json = JSON.parse((await cli('scan', 'examples/insecure-repo', '--format', 'json')).out);
    const { results } = insecure.log.runs[0];
    results.forEach((r: any, i: number) => {
      expect(r.partialFingerprints['claudeGuard/v1']).toBe(json.findings[i].fingerprint);
      expect(r.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:\d+$/);
    });
    const hashes = results.map((r: any) => r.partialFingerprints.primaryLocationLineHash);
    expect(new Set(hashes).size).toBe(hashes.length);

    // The same tree with three lines added on top of every file: other lines, same hashes.
    const files = {
      '.claude/settings.json': '{\n  "permissions": {\n    "allow": ["Bash"]\n  }\n}\n',
      'run.sh': 'claude -p "go" --dangerously-skip-permissions\n',
    };
    const moved = Object.fromEntries(
      Object.entries(files).map(([p, c]) => [p, p.endsWith('.json') ? `\n\n\n${c}` : `#!/bin/sh\n\n\n${c}`]),
    );
    const render = async (tree: Record<string, string>) =>
      JSON.parse(renderSarif((await scan(memorySource(tree), defaultPolicy())).verdict)).runs[0].results;
    const [before, after] = [await render(files), await render(moved)];
    expect(after.map((r: any) => r.locations[0].physicalLocation.region.startLine)).not.toEqual(
      before.map((r: any) => r.locations[0].physicalLocation.region.startLine),
    );
    expect(after.map((r: any) => r.partialFingerprints)).toEqual(
      before.map((r: any) => r.partialFingerprints),
    );
  });

  test('suppressions, related locations, notices and rules outside the registry', () => {
    const run = crafted.log.runs[0];
    const [first, inline, exception, outside] = run.results;
    expect(first.suppressions).toEqual([]);
    expect(inline.suppressions).toEqual([
      {
        kind: 'inSource',
        status: 'accepted',
        justification: 'runs only our pinned formatter sk-ant-api03-********',
      },
    ]);
    expect(exception.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'sandbox job (owner @acme/sec, until 2027-03-31)',
        properties: { owner: '@acme/sec', expires: '2027-03-31' },
      },
    ]);
    expect(first.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: {
          artifactLocation: { uri: 'packages/app/.github/workflows/claude.yml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 3 },
        },
        message: { text: 'triggered by issue_comment [untrusted]' },
      },
      {
        id: 2,
        physicalLocation: {
          artifactLocation: { uri: 'packages/app/docs/%C3%BCn%C3%AFcode%20name.md', uriBaseId: '%SRCROOT%' },
          region: { startLine: 12 },
        },
        message: { text: 'granted here, next to sk-ant-api03-********' },
      },
    ]);
    // The file's own "[a link](1)" stays text; the related locations are linked.
    expect(first.message.text).toContain('with \\[a link\\](1) of the file');
    expect(first.message.text).toMatch(
      / Related: \[triggered by issue_comment \\\[untrusted\\\]\]\(1\); \[granted here, next to sk-ant-api03-\*{8}\]\(2\)\.$/,
    );
    expect(outside.locations[0].physicalLocation.artifactLocation.uri).toBe(
      'packages/app/weird/sk-ant-api03-********/a%3Ab%25c%3Fd%23e%FF.sh',
    );
    const descriptor = run.tool.driver.rules[outside.ruleIndex];
    expect(descriptor).toMatchObject({
      id: 'CG999',
      name: 'made-up',
      defaultConfiguration: { level: 'note' },
    });
    expect(descriptor.properties['security-severity']).toBe('3.0');
    expect(run.automationDetails).toEqual({ id: 'claude-guard/pr/checks/' });
    expect(run.invocations).toEqual([
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          {
            level: 'note',
            message: { text: 'skipped: larger than 1 MiB, near sk-ant-api03-********.' },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: 'packages/app/assets/big.json', uriBaseId: '%SRCROOT%' },
                },
              },
            ],
          },
        ],
      },
    ]);
  });

  test('no key, piece of a key or control character leaves', () => {
    expect(crafted.text).toContain('sk-ant-api03-********');
    expect(JSON.stringify(crafted.verdict)).toContain(BODY.slice(0, 16)); // the input does hold it
    for (let i = 0; i + 16 <= BODY.length; i += 8) expect(crafted.text).not.toContain(BODY.slice(i, i + 16));
    expect(crafted.text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(crafted.text).toContain('\\u001b[31m');
    expect(insecure.text).not.toContain('EXAMPLEa1B2');
  });

  test('deterministic: the same verdict gives the same bytes, and so does a second scan', async () => {
    const again = renderSarif(crafted.verdict, {
      secrets: crafted.secrets,
      category: 'pr/checks',
      uriPrefix: 'packages/app',
    });
    expect(again).toBe(crafted.text);
    expect((await cli('scan', 'examples/insecure-repo', '--format', 'sarif')).out).toBe(insecure.text);
    expect(insecure.text.endsWith('}\n')).toBe(true);
    expect(insecure.text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:|\/work\/|\/tmp\//);
  });

  test('past 25,000 results the most severe unsuppressed findings are kept, and the run says so', () => {
    const template = crafted.verdict.findings[0] as Finding;
    const findings: Finding[] = [];
    findings.push({
      ...template,
      suppression: { kind: 'exception', reason: 'r' },
      blocking: false,
      fingerprint: 's',
    });
    for (let i = 0; i < GITHUB_LIMITS.resultsPerRun; i++)
      findings.push({ ...template, related: [], line: i + 1, endLine: i + 1, fingerprint: `f${i}` });
    findings.push({ ...template, related: [], severity: 'low', line: 1, endLine: 1, fingerprint: 'last' });
    const verdict: Verdict = { ...crafted.verdict, findings, notices: [] };
    const run = JSON.parse(renderSarif(verdict)).runs[0];
    expect(run.results).toHaveLength(GITHUB_LIMITS.resultsPerRun);
    expect(
      run.results.every((r: any) => r.suppressions.length === 0 && r.properties.severity !== 'low'),
    ).toBe(true);
    expect(run.properties.resultsOmitted).toBe(2);
    expect(run.invocations[0].toolExecutionNotifications[0]).toEqual({
      level: 'warning',
      message: {
        text:
          '2 of 25002 findings are left out: GitHub code scanning rejects a file with more than 25000 results in ' +
          'a run or more than 10 MB compressed. The most severe are kept; the JSON report (--format json) has them all.',
      },
    });
  }, 60_000);

  test('a file that would pass 10 MB compressed keeps fewer results', () => {
    const template = crafted.verdict.findings[0] as Finding;
    const findings = Array.from({ length: 200 }, (_, i) => ({
      ...template,
      related: [],
      message: randomish(2000, i),
      fingerprint: `f${i}`,
    }));
    const verdict: Verdict = { ...crafted.verdict, findings, notices: [] };
    const text = renderSarif(verdict, { limits: { gzipBytes: 100_000 } });
    const run = JSON.parse(text).runs[0];
    expect(run.results.length).toBeGreaterThan(0);
    expect(run.results.length).toBeLessThan(200);
    expect(run.properties.resultsOmitted).toBe(200 - run.results.length);
    expect(run.invocations[0].toolExecutionNotifications[0].message.text).toContain(
      'more than 100000 bytes compressed',
    );
    expect(gzipSync(text).length).toBeLessThanOrEqual(100_000);
  });
});

describe('claude-guard scan --format sarif', () => {
  test('exit codes as with every format: 1 when something blocks, 0 when nothing does', async () => {
    expect(insecure.code).toBe(1);
    const secure = await cli('scan', 'examples/secure-repo', '--format', 'sarif');
    expect(secure.code).toBe(0);
    const log = JSON.parse(secure.out);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].tool.driver.rules).toHaveLength(RULES.length);
  });

  test('--output writes the file; --sarif-category names the analysis', async () => {
    const out = join(tmp, 'out', 'claude-guard.sarif');
    const run = await cli(
      'scan',
      'examples/insecure-repo',
      '--format',
      'sarif',
      '--output',
      out,
      '--sarif-category',
      'examples',
    );
    expect(run).toEqual({ code: 1, out: '', err: '' });
    const log = JSON.parse(readFileSync(out, 'utf8'));
    expect(log.runs[0].automationDetails).toEqual({ id: 'claude-guard/examples/' });
    expect(log.runs[0].results).toHaveLength(49);
  });

  test('URIs are relative to the repository root, wherever the command runs from', async () => {
    let out = '';
    await runCli(['scan', '.', '--format', 'sarif'], {
      cwd: resolve('examples/insecure-repo'),
      env: {},
      stdout: (s) => (out += s),
      stderr: () => undefined,
      isTTY: false,
    });
    expect(out).toBe(insecure.text);
  });

  test('usage mistakes exit 2 and name sarif among the formats', async () => {
    const bad = await cli('scan', 'examples/insecure-repo', '--format', 'sarif2');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('(expected text, json, sarif, github, markdown)');
    const misplaced = await cli('scan', 'examples/insecure-repo', '--sarif-category', 'x');
    expect(misplaced).toMatchObject({
      code: 2,
      err: 'claude-guard: --sarif-category applies only to --format sarif\n',
    });
  });
});
