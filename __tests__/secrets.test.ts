import { describe, expect, test } from '@jest/globals';
import type { SecretKind } from '../src/model/types.js';
import { defaultPolicy } from '../src/policy/policy.js';
import type { Finding, Verdict } from '../src/policy/verdict.js';
import { renderGithub } from '../src/report/github.js';
import { renderJson } from '../src/report/json.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { renderText } from '../src/report/text.js';
import { memorySource, scan, type ScanResult } from '../src/scan.js';
import { findSecrets } from '../src/surfaces/secrets.js';
import { SourceFile } from '../src/syntax/source.js';

/*
 * No credential is written whole in this file: every fake key is assembled at test time from a prefix and a
 * deterministic, random-looking body, so the test source itself never trips a secret scanner.
 */

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const BASE64 = `${ALNUM}+/`;
/** What a generated body must not contain, so that it is never taken for a placeholder by accident. */
const PLACEHOLDERISH = /your|here|placeholder|redacted|replace|insert|changeme|dummy|xxxx|example|(.)\1{3,}/i;

/** A deterministic, random-looking string (xorshift32), never containing a placeholder-looking word. */
function randomish(length: number, seed: number, alphabet = ALNUM): string {
  for (let attempt = seed; ; attempt += 7919) {
    let x = Math.imul(attempt + 1, 2654435761) >>> 0 || 1;
    let out = '';
    while (out.length < length) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      out += alphabet[x % alphabet.length];
    }
    if (!PLACEHOLDERISH.test(out)) return out;
  }
}

/** 93 characters after the prefix, like a real key: random, with EXAMPLE in it, ending in AA. */
function keyBody(seed: number): string {
  return `${randomish(40, seed)}EXAMPLE${randomish(44, seed + 1, `${ALNUM}-_`)}AA`;
}

const fake = {
  anthropic: (seed = 1): string => 'sk-ant-' + 'api03-' + keyBody(seed),
  admin: (seed = 2): string => 'sk-ant-' + 'admin01-' + keyBody(seed),
  oauth: (seed = 3): string => 'sk-ant-' + 'oat01-' + keyBody(seed),
  ghp: (seed = 4): string => 'gh' + 'p_' + randomish(36, seed),
  githubPat: (seed = 5): string => 'github' + '_pat_' + randomish(22, seed) + '_' + randomish(59, seed + 1),
  aws: (seed = 6): string => 'AK' + 'IA' + randomish(16, seed, UPPER_DIGITS),
  /** A PEM block: BEGIN line, body lines, END line (no trailing newline). */
  privateKey: (seed = 7, type = 'RSA '): string =>
    [
      `-----BEGIN ${type}PRIVATE` + ' KEY-----',
      randomish(64, seed, BASE64),
      randomish(64, seed + 1, BASE64),
      randomish(40, seed + 2, BASE64) + '==',
      `-----END ${type}PRIVATE` + ' KEY-----',
    ].join('\n'),
};

function secretsIn(text: string, path = 'notes.txt'): ReturnType<typeof findSecrets> {
  return findSecrets(new SourceFile(path, text));
}

async function scanFiles(files: Record<string, string>): Promise<ScanResult> {
  return scan(memorySource(files), defaultPolicy());
}

function cg201(verdict: Verdict): Finding[] {
  return verdict.findings.filter((f) => f.ruleId === 'CG201');
}

describe('the fake keys of this test', () => {
  test('are shaped like real ones', () => {
    expect(fake.anthropic()).toHaveLength('sk-ant-api03-'.length + 93);
    expect(fake.anthropic()).toContain('EXAMPLE');
    expect(fake.ghp()).toMatch(/^ghp_[A-Za-z0-9]{36}$/);
    expect(fake.githubPat()).toMatch(/^github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}$/);
    expect(fake.aws()).toMatch(/^AKIA[A-Z0-9]{16}$/);
    expect(fake.anthropic(1)).not.toBe(fake.anthropic(11));
  });
});

describe('CG201 finds real-looking credentials', () => {
  const cases: [string, () => string, SecretKind, string, string][] = [
    [
      'an Anthropic API key',
      () => fake.anthropic(),
      'anthropic-api-key',
      'Anthropic API key',
      'sk-ant-api03-********',
    ],
    [
      'an Anthropic admin key',
      () => fake.admin(),
      'anthropic-admin-key',
      'Anthropic admin API key',
      'sk-ant-admin01-********',
    ],
    [
      'a Claude OAuth token',
      () => fake.oauth(),
      'anthropic-oauth-token',
      'Claude OAuth token',
      'sk-ant-oat01-********',
    ],
    ['a classic GitHub token', () => fake.ghp(), 'github-token', 'GitHub token', 'ghp_********'],
    [
      'a fine-grained GitHub token',
      () => fake.githubPat(),
      'github-token',
      'GitHub token',
      'github_pat_********',
    ],
    ['an AWS access key id', () => fake.aws(), 'aws-access-key', 'AWS access key id', 'AKIA********'],
    [
      'an RSA private key',
      () => fake.privateKey(),
      'private-key',
      'private key',
      '-----BEGIN RSA PRIVATE KEY-----********',
    ],
    [
      'a PKCS#8 private key',
      () => fake.privateKey(8, ''),
      'private-key',
      'private key',
      '-----BEGIN PRIVATE KEY-----********',
    ],
    [
      'an OpenSSH private key',
      () => fake.privateKey(9, 'OPENSSH '),
      'private-key',
      'private key',
      '-----BEGIN OPENSSH PRIVATE KEY-----********',
    ],
  ];

  test.each(cases)('%s', async (_name, make, kind, label, masked) => {
    const value = make();
    const text = `# config\nSECRET=${value}\n`;
    const tokens = secretsIn(text);
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ kind, value, masked });
    expect(tokens[0]?.placeholder).toBeUndefined();

    const { verdict, secretValues } = await scanFiles({ 'config/app.env': text });
    const findings = cg201(verdict);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'CG201',
      ruleName: 'hardcoded-secret',
      severity: 'critical',
      blocking: true,
      path: 'config/app.env',
      line: 2,
      column: 'SECRET='.length + 1,
      message: `${label} written in plain text (${masked})`,
    });
    // A private key's body lines are masked on their own too, wherever they show up.
    expect(secretValues).toEqual(
      kind === 'private-key' ? [value, ...value.split('\n').slice(1, -1)] : [value],
    );
    expect(verdict.summary.conclusion).toBe('failure');
  });

  test('a key inside JSON, YAML and shell quoting is found', async () => {
    const key = fake.anthropic(21);
    const { verdict } = await scanFiles({
      '.mcp.json': `{"mcpServers": {"x": {"command": "srv", "env": {"ANTHROPIC_API_KEY": "${key}"}}}}\n`,
      '.github/workflows/ci.yml': `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      KEY: '${key}'\n    steps:\n      - run: echo hi\n`,
      'run.sh': `#!/bin/sh\nexport ANTHROPIC_API_KEY="${key}"\n`,
    });
    expect(cg201(verdict).map((f) => `${f.path}:${f.line}`)).toEqual([
      '.github/workflows/ci.yml:6',
      '.mcp.json:1',
      'run.sh:2',
    ]);
  });

  test('the same key in two files gives two findings with different fingerprints', async () => {
    const key = fake.oauth(22);
    const { verdict, secretValues } = await scanFiles({ 'a.txt': `${key}\n`, 'b.txt': `${key}\n` });
    const findings = cg201(verdict);
    expect(findings.map((f) => f.path)).toEqual(['a.txt', 'b.txt']);
    expect(findings[0]?.fingerprint).not.toBe(findings[1]?.fingerprint);
    expect(secretValues).toEqual([key]);
  });
});

describe('CG201 stays silent on placeholders', () => {
  const cases: [string, string][] = [
    ['all-x short', 'sk-ant-' + 'api03-xxxx'],
    ['your-key-here', 'sk-ant-' + 'api03-your-key-here'],
    ['generic sk- placeholder', 'sk-' + 'your-key-here'],
    ['all-x body of real length', 'sk-ant-' + 'api03-' + 'x'.repeat(93)],
    ['all-X body of real length', 'sk-ant-' + 'api03-' + 'X'.repeat(93)],
    ['ellipsis', 'sk-ant-' + 'api03-...'],
    ['ellipsis character', 'sk-ant-' + 'api03-…'],
    ['too-short random body', 'sk-ant-' + 'api03-' + randomish(30, 31)],
    ['too-short admin body', 'sk-ant-' + 'admin01-' + randomish(39, 32)],
    ['too-short OAuth body', 'sk-ant-' + 'oat01-' + randomish(20, 33)],
    ['YOUR_API_KEY_HERE in a long body', 'sk-ant-' + 'api03-YOUR_API_KEY_HERE_' + randomish(60, 34)],
    ['<replace-me> marker', 'sk-ant-' + 'api03-replace-with-your-own-key-' + randomish(40, 35)],
    ['long run of one character', 'sk-ant-' + 'api03-' + randomish(30, 36) + '0'.repeat(40)],
    ['too few distinct characters', 'sk-ant-' + 'api03-' + 'abcabc'.repeat(15)],
    ['all-x GitHub token', 'gh' + 'p_' + 'x'.repeat(36)],
    ['short GitHub token', 'gh' + 'p_' + randomish(20, 37)],
    ['AWS documented example key', 'AKIA' + 'IOSFODNN7EXAMPLE'],
    ['AWS key of X', 'AKIA' + 'X'.repeat(16)],
    [
      'private key with a placeholder body',
      `-----BEGIN RSA PRIVATE` + ` KEY-----\n${'x'.repeat(64)}\n-----END RSA PRIVATE` + ' KEY-----',
    ],
    [
      'private key header only',
      `-----BEGIN RSA PRIVATE` + ` KEY-----\n...\n-----END RSA PRIVATE` + ' KEY-----',
    ],
  ];

  test.each(cases)('%s', async (_name, text) => {
    const { verdict, secretValues } = await scanFiles({
      'README.md': `# Setup\n\nexport ANTHROPIC_API_KEY=${text}\n`,
    });
    expect(cg201(verdict)).toEqual([]);
    expect(secretValues).toEqual([]);
  });

  test('placeholders are recorded in the model with the reason they are not keys', async () => {
    const { model } = await scanFiles({
      'README.md': [
        'sk-ant-' + 'api03-xxxx',
        'sk-ant-' + 'api03-' + 'x'.repeat(93),
        'AKIA' + 'IOSFODNN7EXAMPLE',
        '',
      ].join('\n'),
    });
    expect(model.secrets.map((s) => s.placeholder)).toEqual([
      'too short to be a real credential',
      'a long run of one character',
      "AWS's documented example key",
    ]);
  });

  test('a real key next to a placeholder: only the real key fires', async () => {
    const key = fake.anthropic(41);
    const { verdict } = await scanFiles({
      'docs/setup.md': `Use sk-ant-${'api03-your-key-here'} (e.g. ${key}).\n`,
    });
    expect(cg201(verdict).map((f) => f.column)).toEqual([`Use sk-ant-api03-your-key-here (e.g. `.length + 1]);
  });
});

describe('CG201 spans', () => {
  test('every finding in a multi-line file has its exact line and column', async () => {
    const k = {
      anthropic: fake.anthropic(51),
      admin: fake.admin(52),
      oauth: fake.oauth(53),
      ghp: fake.ghp(54),
      pat: fake.githubPat(55),
      aws: fake.aws(56),
      second: fake.anthropic(57),
    };
    const lines = [
      '# deployment secrets (do not commit)', // 1
      '', // 2
      `ANTHROPIC_API_KEY=${k.anthropic}`, // 3
      `  admin: "${k.admin}"`, // 4
      `\ttoken = '${k.oauth}' # tab indented`, // 5
      `GH=${k.ghp} PAT=${k.pat}`, // 6
      'nothing here', // 7
      `      aws_access_key_id: ${k.aws}`, // 8
      `é🛑 ${k.second}`, // 9: columns count UTF-16 units
      '',
    ];
    const { verdict } = await scanFiles({ 'deploy/secrets.yml': lines.join('\n') });
    const where = (value: string, line: number): [number, number, number, number] => {
      const column = (lines[line - 1] as string).indexOf(value) + 1;
      expect(column).toBeGreaterThan(0);
      return [line, column, line, column + value.length];
    };
    const got = cg201(verdict).map((f) => [f.line, f.column, f.endLine, f.endColumn]);
    expect(got).toEqual([
      where(k.anthropic, 3),
      where(k.admin, 4),
      where(k.oauth, 5),
      where(k.ghp, 6),
      where(k.pat, 6),
      where(k.aws, 8),
      where(k.second, 9),
    ]);
    expect(got[6]?.[1]).toBe(5);
  });

  test('spans are right in a CRLF file', async () => {
    const key = fake.ghp(61);
    const { verdict } = await scanFiles({ '.env': ['A=1', 'B=2', `  TOKEN=${key}`, ''].join('\r\n') });
    expect(cg201(verdict).map((f) => [f.line, f.column, f.endLine, f.endColumn])).toEqual([
      [3, 9, 3, 9 + key.length],
    ]);
  });

  test('a private key finding points at its BEGIN line, where the header is', async () => {
    const pem = fake.privateKey(62);
    const { verdict } = await scanFiles({ 'certs/server.key': `# key\n\n${pem}\n` });
    const findings = cg201(verdict);
    expect(findings).toHaveLength(1);
    const header = '-----BEGIN RSA PRIVATE' + ' KEY-----';
    expect(findings[0]).toMatchObject({ line: 3, column: 1, endLine: 3, endColumn: header.length + 1 });
    expect(findings[0]?.snippet).toBe(header);
  });
});

describe('reports never show a credential', () => {
  const keys = {
    anthropic: fake.anthropic(71),
    admin: fake.admin(72),
    oauth: fake.oauth(73),
    ghp: fake.ghp(74),
    pat: fake.githubPat(75),
    aws: fake.aws(76),
    pem: fake.privateKey(77),
    inSettings: fake.anthropic(78),
    inMode: fake.oauth(79),
  };
  const files = {
    '.env': [
      `ANTHROPIC_API_KEY=${keys.anthropic}`,
      `ANTHROPIC_ADMIN_KEY=${keys.admin}`,
      `CLAUDE_CODE_OAUTH_TOKEN=${keys.oauth}`,
      `GITHUB_TOKEN=${keys.ghp}`,
      `GH_PAT=${keys.pat}`,
      `AWS_ACCESS_KEY_ID=${keys.aws}`,
      '',
    ].join('\n'),
    'certs/deploy.pem': `${keys.pem}\n`,
    // A CG102 finding on the same line as a key: its snippet shows that line.
    '.claude/settings.json': `{"env": {"ANTHROPIC_API_KEY": "${keys.inSettings}"}, "permissions": {"allow": ["Bash"]}}\n`,
    // A key where a permission mode belongs: the CG901 message quotes the value.
    '.claude/settings.local.json': `{\n  "permissions": {\n    "defaultMode": "${keys.inMode}"\n  }\n}\n`,
  };
  const masks = [
    'sk-ant-api03-********',
    'sk-ant-admin01-********',
    'sk-ant-oat01-********',
    'ghp_********',
    'github_pat_********',
    'AKIA********',
    '-----BEGIN RSA PRIVATE KEY-----********',
  ];

  /** Every raw value, and for the PEM block every line of its body too. */
  const raw = (): string[] => [...Object.values(keys), ...keys.pem.split('\n').slice(1, -1)];

  let result: ScanResult;
  const renders = (): [string, string][] => [
    ['json', renderJson(result.verdict)],
    ['text (colour)', renderText(result.verdict, { colour: true })],
    ['text (no colour)', renderText(result.verdict, { colour: false })],
    ['github', renderGithub(result.verdict)],
    ['github (prefixed)', renderGithub(result.verdict, { prefix: 'sub/dir/' })],
    ['markdown', renderMarkdown(result.verdict)],
    ['markdown (links)', renderMarkdown(result.verdict, { linkBase: 'https://github.com/o/r/blob/abc' })],
  ];

  test('the scan finds every key, plus the CG102 and CG901 findings on key lines', async () => {
    result = await scanFiles(files);
    const ids = result.verdict.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}`);
    expect(ids).toEqual(
      expect.arrayContaining([
        'CG201 .env:1',
        'CG201 .env:2',
        'CG201 .env:3',
        'CG201 .env:4',
        'CG201 .env:5',
        'CG201 .env:6',
        'CG201 certs/deploy.pem:1',
        'CG201 .claude/settings.json:1',
        'CG102 .claude/settings.json:1',
        'CG201 .claude/settings.local.json:3',
        'CG901 .claude/settings.local.json:3',
      ]),
    );
    expect([...result.secretValues].sort()).toEqual(raw().sort());
  });

  test('the CG102 snippet on a key line is masked', async () => {
    result ??= await scanFiles(files);
    const f = result.verdict.findings.find((x) => x.ruleId === 'CG102');
    // Masked by its shape (sk-ant-api03-********), or whole where another rule finds it as a literal.
    expect(f?.snippet).toMatch(
      /^\{"env": \{"ANTHROPIC_API_KEY": "(sk-ant-api03-)?\*{8}"\}, "permissions": \{"allow": \["Bash"\]\}\}$/,
    );
  });

  test('the CG901 message quoting a key is masked', async () => {
    result ??= await scanFiles(files);
    const f = result.verdict.findings.find((x) => x.ruleId === 'CG901');
    expect(f?.message).toContain('sk-ant-oat01-********');
    expect(f?.message).not.toContain(keys.inMode);
    expect(f?.snippet).toBe('"defaultMode": "sk-ant-oat01-********"');
  });

  test('no finding field holds a raw value', async () => {
    result ??= await scanFiles(files);
    for (const f of result.verdict.findings) {
      const fields = JSON.stringify(f);
      for (const value of raw()) expect(fields).not.toContain(value);
    }
  });

  test.each([
    'json',
    'text (colour)',
    'text (no colour)',
    'github',
    'github (prefixed)',
    'markdown',
    'markdown (links)',
  ])('the %s report holds no raw value, only masked prefixes', async (name) => {
    result ??= await scanFiles(files);
    const out = renders().find(([n]) => n === name)?.[1] ?? '';
    expect(out.length).toBeGreaterThan(0);
    for (const value of raw()) expect(out).not.toContain(value);
    for (const mask of masks) expect(out).toContain(mask);
  });
});

describe('regressions', () => {
  test('a private key written with \\n escapes in JSON (a service-account file) is found', () => {
    const body = [
      randomish(64, 11, BASE64),
      randomish(64, 12, BASE64),
      randomish(30, 13, BASE64) + '==',
    ].join('\\n');
    const json =
      `{\n  "type": "service_account",\n  "private_key": "-----BEGIN PRIVATE` +
      ` KEY-----\\n${body}\\n-----END PRIVATE` +
      ` KEY-----\\n"\n}\n`;
    const found = secretsIn(json, 'sa.json');
    expect(found.map((s) => [s.kind, s.placeholder, s.span.line, s.span.column, s.span.endColumn])).toEqual([
      ['private-key', undefined, 3, 19, 19 + '-----BEGIN PRIVATE KEY-----'.length],
    ]);
    // The body, written with \n escapes on the same line, is what no report shows.
    expect(found[0]?.extent).toMatchObject({ line: 3, column: 19 + '-----BEGIN PRIVATE KEY-----\\n'.length });
    expect(found[0]?.pieces).toEqual(body.split('\\n'));
  });

  test('a random key body that happens to contain a placeholder word is still a key', () => {
    const key = 'sk-ant-' + 'api03-' + randomish(30, 21) + 'YourHere' + randomish(55, 22) + 'AA';
    expect(secretsIn(`KEY=${key}\n`).map((s) => s.placeholder)).toEqual([undefined]);
  });

  test('the snippet of a finding on a long line with keys still shows the finding, keys masked', async () => {
    const keys = [1, 2, 3].map((n) => fake.anthropic(n));
    const line = `{ "env": { "A": "${keys[0]}", "B": "${keys[1]}", "C": "${keys[2]}" }, "permissions": { "allow": ["Bash"] }, "x": "${'p'.repeat(300)}" }`;
    const { verdict } = await scanFiles({ '.claude/settings.json': `${line}\n` });
    const cg102 = verdict.findings.find((f) => f.ruleId === 'CG102');
    expect(cg102?.snippet).toContain('"allow": ["Bash"]');
    for (const key of keys) expect(renderJson(verdict)).not.toContain(key.slice(13));
  });
});
