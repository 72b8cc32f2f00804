import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { CONTENT_NEEDLES } from '../src/model/needles.js';
import { redact, SECRET_GREP_PATTERNS, SECRET_PATTERNS } from '../src/model/secret-patterns.js';
import type { SecretKind } from '../src/model/types.js';
import { defaultPolicy } from '../src/policy/policy.js';
import type { Finding, Verdict } from '../src/policy/verdict.js';
import { renderGithub } from '../src/report/github.js';
import { renderJson } from '../src/report/json.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { renderSarif } from '../src/report/sarif.js';
import { renderText } from '../src/report/text.js';
import { diskSource, memorySource, scan, type ScanResult } from '../src/scan.js';
import { findSecrets } from '../src/surfaces/secrets.js';
import { SourceFile } from '../src/syntax/source.js';
import { randomish } from './hostile/material.js';

/*
 * Slack tokens and webhooks, passwords in URLs and private keys: found in any text file, pointed at exactly,
 * told from the placeholders documentation writes, and never printed. No credential is written whole in
 * this file: each is assembled at run time from pieces and a deterministic random-looking body.
 */

const DIGITS = '0123456789';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PRIVATE = 'PRIVATE' + ' KEY';

const fake = {
  slackBot: (n = 1): string =>
    'xo' + 'xb-' + randomish(12, n, DIGITS) + '-' + randomish(13, n + 1, DIGITS) + '-' + randomish(24, n + 2),
  slackUser: (n = 4): string =>
    'xo' +
    'xp-' +
    [randomish(12, n, DIGITS), randomish(12, n + 1, DIGITS), randomish(13, n + 2, DIGITS)].join('-') +
    '-' +
    randomish(32, n + 3, HEX),
  slackConfig: (n = 8): string => 'xo' + 'xe.xoxp-1-' + randomish(164, n, UPPER_DIGITS),
  slackWebhook: (n = 9): string =>
    'https://hooks.' +
    'slack.com/services/T' +
    randomish(10, n, UPPER_DIGITS) +
    '/B' +
    randomish(10, n + 1, UPPER_DIGITS) +
    '/' +
    randomish(24, n + 2),
  /** A password as a service generates one: mixed letters and digits, no word in it. */
  password: (n = 12, length = 20): string => randomish(length, n),
  /** A PEM block of `type` (`RSA `, `EC `, ``…), with optional header lines, indented by `indent`. */
  pem: (n = 13, type = 'RSA ', headers: string[] = [], indent = ''): string =>
    [
      `-----BEGIN ${type}${PRIVATE}-----`,
      ...headers,
      randomish(64, n, BASE64),
      randomish(64, n + 1, BASE64),
      randomish(40, n + 2, BASE64) + '==',
      `-----END ${type}${PRIVATE}-----`,
    ]
      .map((line) => indent + line)
      .join('\n'),
};

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function secretsIn(text: string, path = 'notes.txt'): ReturnType<typeof findSecrets> {
  return findSecrets(new SourceFile(path, text));
}

async function scanFiles(files: Record<string, string>): Promise<ScanResult> {
  return scan(memorySource(files), defaultPolicy());
}

function cg201(verdict: Verdict): Finding[] {
  return verdict.findings.filter((f) => f.ruleId === 'CG201');
}

/** Every way a verdict is printed. */
function renders(verdict: Verdict): [string, string][] {
  return [
    ['json', renderJson(verdict)],
    ['sarif', renderSarif(verdict)],
    ['text', renderText(verdict, { colour: false })],
    ['text (colour)', renderText(verdict, { colour: true })],
    ['github', renderGithub(verdict)],
    ['markdown', renderMarkdown(verdict)],
  ];
}

describe('Slack tokens and webhooks', () => {
  const cases: [string, () => string, SecretKind, string, string][] = [
    ['a bot token', () => fake.slackBot(), 'slack-token', 'Slack token', 'xoxb-********'],
    ['a user token', () => fake.slackUser(), 'slack-token', 'Slack token', 'xoxp-********'],
    [
      'a rotating configuration token',
      () => fake.slackConfig(),
      'slack-token',
      'Slack token',
      'xoxe.xoxp-********',
    ],
    [
      'a workspace token',
      () => 'xo' + 'xa-2-' + randomish(40, 20),
      'slack-token',
      'Slack token',
      'xoxa-********',
    ],
    [
      'a refresh token',
      () => 'xo' + 'xr-' + randomish(12, 21, DIGITS) + '-' + randomish(40, 22),
      'slack-token',
      'Slack token',
      'xoxr-********',
    ],
    [
      'a session token',
      () =>
        'xo' +
        'xs-' +
        randomish(12, 23, DIGITS) +
        '-' +
        randomish(12, 24, DIGITS) +
        '-' +
        randomish(40, 25, HEX),
      'slack-token',
      'Slack token',
      'xoxs-********',
    ],
    [
      'an incoming webhook URL',
      () => fake.slackWebhook(),
      'slack-webhook',
      'Slack webhook URL',
      'https://hooks.slack.com/services/********',
    ],
    [
      'a webhook written without its scheme',
      () => fake.slackWebhook(26).slice('https://'.length),
      'slack-webhook',
      'Slack webhook URL',
      'hooks.slack.com/services/********',
    ],
  ];

  test.each(cases)('%s is found at its exact place, masked', async (_name, make, kind, label, masked) => {
    const value = make();
    const line = `  SLACK_TOKEN: "${value}" # ops`;
    const text = `notify:\n${line}\n`;
    expect(secretsIn(text)).toMatchObject([{ kind, value, masked }]);
    expect(secretsIn(text)[0]?.placeholder).toBeUndefined();
    const { verdict, secretValues } = await scanFiles({ 'deploy/notify.yml': text });
    const column = line.indexOf(value) + 1;
    expect(cg201(verdict)).toMatchObject([
      {
        severity: 'critical',
        blocking: true,
        path: 'deploy/notify.yml',
        line: 2,
        column,
        endLine: 2,
        endColumn: column + value.length,
        message: `${label} written in plain text (${masked})`,
        snippet: `SLACK_TOKEN: "${masked}" # ops`,
      },
    ]);
    expect(secretValues).toEqual([value]);
    for (const [, out] of renders(verdict)) expect(out).not.toContain(value.slice(-16));
  });

  test.each([
    ['your-token-here', 'xo' + 'xb-your-token-here'],
    ['all X', 'xo' + 'xb-XXXXXXXXXXXX-XXXXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX'],
    ['counting ids', 'xo' + 'xb-123456789012-1234567890123-' + randomish(24, 30)],
    ['elided', 'xo' + 'xp-...'],
    ['too short', 'xo' + 'xb-' + randomish(12, 31)],
    ['a word that starts with xox', 'xoxo-and-hugs-from-the-whole-team-' + randomish(20, 32)],
    [
      "Slack's documented webhook",
      'https://hooks.' + 'slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
    ],
    ['webhook placeholder', 'https://hooks.' + 'slack.com/services/YOUR/WEBHOOK/URL'],
    ['webhook with an elided path', 'https://hooks.' + 'slack.com/services/...'],
  ])('%s is not a Slack credential', async (_name, value) => {
    const { verdict, secretValues } = await scanFiles({ 'README.md': `Set SLACK=${value}\n` });
    expect(cg201(verdict)).toEqual([]);
    expect(secretValues).toEqual([]);
  });
});

describe('passwords in URLs', () => {
  const pw = fake.password();
  const cases: [string, string, string][] = [
    [
      'postgres',
      `DATABASE_URL=postgres://app:${pw}@db.prod.acme.io:5432/app`,
      'postgres://app:********@db.prod.acme.io',
    ],
    [
      'postgresql',
      `DATABASE_URL="postgresql://app:${pw}@10.0.3.7/app?sslmode=require"`,
      'postgresql://app:********@10.0.3.7',
    ],
    [
      'mysql',
      `url: mysql://svc_api:${pw}@mysql.acme.internal:3306/orders`,
      'mysql://svc_api:********@mysql.acme.internal',
    ],
    [
      'mongodb+srv',
      `MONGO_URI=mongodb+srv://svc:${pw}@cluster0.ab1cd.mongodb.net/prod?retryWrites=true`,
      'mongodb+srv://svc:********@cluster0.ab1cd.mongodb.net',
    ],
    [
      'redis, no user',
      `REDIS_URL=redis://:${pw}@redis-123.cloud.acme.io:16379/0`,
      'redis://:********@redis-123.cloud.acme.io',
    ],
    [
      'rediss',
      `cache = "rediss://default:${pw}@cache.acme.io:6380"`,
      'rediss://default:********@cache.acme.io',
    ],
    [
      'amqps',
      `BROKER=amqps://worker:${pw}@b-1.mq.eu-west-1.amazonaws.com:5671`,
      'amqps://worker:********@b-1.mq.eu-west-1.amazonaws.com',
    ],
    [
      'https clone URL',
      `git clone https://deploy:${pw}@git.acme.io/org/repo.git`,
      'https://deploy:********@git.acme.io',
    ],
    ['a JDBC URL', `jdbc:postgresql://app:${pw}@db.acme.io/app`, 'postgresql://app:********@db.acme.io'],
    [
      'an IPv6 host',
      `postgres://app:${pw}@[2001:db8::17]:5432/app`,
      'postgres://app:********@[2001:db8::17]',
    ],
  ];

  test.each(cases)('%s: the finding points at the password', async (_name, line, masked) => {
    const { verdict, secretValues } = await scanFiles({ 'config/app.env': `# app\n${line}\n` });
    const column = line.indexOf(`:${pw}@`) + 2;
    expect(cg201(verdict)).toMatchObject([
      {
        severity: 'critical',
        path: 'config/app.env',
        line: 2,
        column,
        endLine: 2,
        endColumn: column + pw.length,
        message: `Password in a URL written in plain text (${masked})`,
      },
    ]);
    expect(cg201(verdict)[0]?.snippet).toContain(masked);
    expect(secretValues).toEqual([pw]);
    for (const [, out] of renders(verdict)) expect(out).not.toContain(pw);
  });

  test('a password holding @ ends at the last @ before the host, as URL parsers read it', () => {
    const at = `${pw.slice(0, 8)}@${pw.slice(8)}`;
    const line = `DSN=postgres://app:${at}@db.acme.io/app`;
    expect(secretsIn(line)).toMatchObject([
      {
        kind: 'url-credential',
        value: at,
        span: { column: line.indexOf(at) + 1, endColumn: line.indexOf(at) + 1 + at.length },
      },
    ]);
  });

  test.each([
    ['localhost', 'localhost:5432'],
    ['127.0.0.1', '127.0.0.1'],
    ['IPv6 loopback', '[::1]:6379'],
    ['a *.localhost name', 'db.localhost'],
  ])('a password for a service on %s is low, not blocking', async (_name, host) => {
    const line = `TEST_DATABASE_URL=postgres://ci:${pw}@${host}/test`;
    const { verdict } = await scanFiles({ '.env.test': `${line}\n` });
    const column = line.indexOf(pw) + 1;
    expect(cg201(verdict)).toMatchObject([
      {
        severity: 'low',
        blocking: false,
        line: 1,
        column,
        endColumn: column + pw.length,
        message: expect.stringContaining('its host is this machine'),
      },
    ]);
    expect(verdict.summary.conclusion).toBe('success');
  });

  test.each([
    ['the word password', 'postgres://user:password@db.acme.io/app'],
    ['pass', 'redis://user:pass@cache.acme.io:6379'],
    ['a variable ${…}', 'postgres://app:${DB_PASSWORD}@db.acme.io/app'],
    ['a variable $…', 'postgres://app:$DB_PASSWORD@db.acme.io/app'],
    ['a make variable', 'postgres://app:$(DB_PASSWORD)@db.acme.io/app'],
    ['a workflow secret', 'https://x-access-token:${{ secrets.GITHUB_TOKEN }}@github.com/o/r.git'],
    [
      'a workflow secret without spaces',
      'https://x-access-token:${{secrets.GITHUB_TOKEN}}@github.com/o/r.git',
    ],
    ['a shell token', 'https://x-access-token:${GITHUB_TOKEN}@github.com/o/r.git'],
    ['a template', 'postgres://app:{{db_password}}@db.acme.io/app'],
    ['a Python format', 'postgres://app:%(password)s@db.acme.io/app'],
    ['a Windows variable', 'postgres://app:%DB_PASSWORD%@db.acme.io/app'],
    ['angle brackets', 'postgres://app:<password>@db.acme.io/app'],
    ['square brackets', 'postgres://app:[password]@db.acme.io/app'],
    ['stars', 'postgres://app:*****@db.acme.io/app'],
    ['xxx', 'postgres://app:xxxxxxxx@db.acme.io/app'],
    ['an ellipsis', 'postgres://app:...@db.acme.io/app'],
    ['the user name repeated', 'amqp://rabbit_user:rabbit_user@mq.acme.io:5672'],
    ['guest:guest', 'amqp://guest:guest@rabbitmq:5672'],
    ['root:root', 'mysql://root:root@db:3306/app'],
    ['too short', 'postgres://app:Xk9@db.acme.io/app'],
    ['a plain word', 'postgres://app:flabada@db.acme.io/app'],
    ['a capitalised word', 'postgres://app:Sunshine@db.acme.io/app'],
    ['a default with digits', 'postgres://app:admin123@db.acme.io/app'],
    ['a leet password', 'postgres://app:P4ssw0rd!@db.acme.io/app'],
    ['secret in it', 'postgres://app:mysecretpassword@db.acme.io/app'],
    ['changeme', 'mongodb://admin:changeme123@mongo.acme.io/app'],
    ['abc123', 'postgres://app:abc123@db.acme.io/app'],
    ['digits only', 'postgres://app:73920461@db.acme.io/app'],
    ['counting', 'postgres://app:q123456z@db.acme.io/app'],
    ['example.com', `postgres://app:${pw}@db.example.com/app`],
    ['a .test host', `https://app:${pw}@api.test/v1`],
    ['a host word', `mongodb://app:${pw}@host:27017/app`],
    ['a your-host', `mongodb://app:${pw}@your-cluster.mongodb.net/app`],
    ['no password', 'https://user@github.com/o/r.git'],
    ['an ssh remote', 'git@github.com:org/repo.git'],
    ['an ssh URL', 'ssh://git@github.com/org/repo.git'],
    ['a scoped package URL', 'https://registry.npmjs.org/@babel/core/-/core-7.24.0.tgz'],
    ['a port and an @ in the path', 'http://localhost:8080/@scope/pkg'],
    ['an email address', 'mail ops@acme.io or see https://acme.io'],
  ])('%s is not a password in a URL', async (_name, url) => {
    const { verdict, secretValues, model } = await scanFiles({
      'docs/setup.md': `Connect with ${url} and go.\n`,
    });
    expect(cg201(verdict)).toEqual([]);
    expect(secretValues).toEqual([]);
    for (const s of model.secrets) expect(s.placeholder).toEqual(expect.any(String));
  });

  test('JSON values side by side are not read as one URL', async () => {
    const json = `{"url": "https://api.acme.io", "token": "${pw}@x"}\n`;
    const { verdict } = await scanFiles({ 'config.json': json });
    expect(cg201(verdict)).toEqual([]);
  });

  test('a password written with an escape is found over the escape and masked', async () => {
    const escaped = `${pw.slice(0, 4)}\\u00${pw.charCodeAt(4).toString(16)}${pw.slice(5)}`;
    const line = `{"env": {"DATABASE_URL": "postgres://app:${escaped}@db.acme.io/app"}, "permissions": {"allow": ["Bash"]}}`;
    const { verdict } = await scanFiles({ '.claude/settings.json': `${line}\n` });
    const column = line.indexOf(escaped) + 1;
    expect(cg201(verdict)).toMatchObject([{ line: 1, column, endColumn: column + escaped.length }]);
    const cg102 = verdict.findings.find((f) => f.ruleId === 'CG102');
    expect(cg102?.snippet).not.toContain(pw.slice(5));
    for (const [, out] of renders(verdict)) expect(out).not.toContain(pw.slice(5));
  });

  test('a password given by a variable the file assigns is not a literal in the URL', async () => {
    const { verdict } = await scanFiles({
      'scripts/db.sh': `#!/bin/sh\nP=changeme1\npsql "postgres://app:\${P}@db.acme.io/app"\n`,
    });
    expect(cg201(verdict)).toEqual([]);
  });

  test('in any printed text a password that is a variable stays as written; one with a $ inside is masked', async () => {
    const odd = `Pa$s${fake.password(41, 10)}`;
    const line = `psql "postgres://app:\${DB_PASSWORD}@db.acme.io/app" "postgres://app:${odd}@db.acme.io/app" && claude -p go --dangerously-skip-permissions`;
    const { verdict } = await scanFiles({ 'scripts/db.sh': `#!/bin/sh\n${line}\n` });
    // A $ followed by a name reads as a variable: not reported, but never shown either.
    expect(cg201(verdict)).toEqual([]);
    const cg101 = verdict.findings.find((f) => f.ruleId === 'CG101');
    expect(cg101?.snippet).toContain('postgres://app:${DB_PASSWORD}@db.acme.io/app');
    expect(cg101?.snippet).toContain('postgres://app:********@db.acme.io/app');
    expect(cg101?.help ?? '').not.toContain(odd);
    const cg201help = (await scanFiles({ 'a.env': `DB=postgres://app:${fake.password(42)}@db.acme.io\n` }))
      .verdict.findings[0]?.help;
    expect(cg201help).toContain('postgres://app:${DB_PASSWORD}@db');
  });

  test('a URL whose password is a GitHub token is one finding, the token', async () => {
    const token = 'gh' + 'p_' + randomish(36, 40);
    const { verdict } = await scanFiles({ 'ci.sh': `git clone https://bot:${token}@github.com/o/r.git\n` });
    expect(cg201(verdict).map((f) => f.message)).toEqual([
      'GitHub token written in plain text (ghp_********)',
    ]);
  });
});

describe('private keys', () => {
  const header = (type: string): string => `-----BEGIN ${type}${PRIVATE}-----`;
  const cases: [string, () => string, string][] = [
    ['RSA (PKCS#1)', () => fake.pem(50, 'RSA '), 'RSA '],
    ['EC', () => fake.pem(51, 'EC '), 'EC '],
    ['DSA', () => fake.pem(52, 'DSA '), 'DSA '],
    ['PKCS#8', () => fake.pem(53, ''), ''],
    ['encrypted PKCS#8', () => fake.pem(54, 'ENCRYPTED '), 'ENCRYPTED '],
    [
      'RSA encrypted with PEM headers',
      () =>
        fake.pem(55, 'RSA ', [
          'Proc-Type: 4,ENCRYPTED',
          `DEK-Info: AES-256-CBC,${randomish(32, 56, '0123456789ABCDEF')}`,
          '',
        ]),
      'RSA ',
    ],
    [
      'OpenSSH, with the long runs of A its header encodes to',
      () =>
        [
          header('OPENSSH '),
          'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
          'QyNTUxOQAAACD' + randomish(57, 57, BASE64),
          randomish(70, 58, BASE64),
          randomish(70, 59, BASE64) + '=',
          `-----END OPENSSH ${PRIVATE}-----`,
        ].join('\n'),
      'OPENSSH ',
    ],
  ];

  test.each(cases)(
    '%s: the finding points at the BEGIN header; the body is never shown',
    async (_name, make, type) => {
      const pem = make();
      const { verdict, secretValues } = await scanFiles({ 'deploy/id.key': `# deploy key\n${pem}\n` });
      const h = header(type);
      expect(cg201(verdict)).toMatchObject([
        {
          severity: 'critical',
          line: 2,
          column: 1,
          endLine: 2,
          endColumn: h.length + 1,
          message: `private key written in plain text (${h}********)`,
          snippet: h,
        },
      ]);
      const body = pem
        .split('\n')
        .slice(1, -1)
        .filter((l) => l.length >= 8 && !l.includes(':'));
      expect(secretValues).toEqual(expect.arrayContaining([pem, ...body]));
      for (const [, out] of renders(verdict)) for (const line of body) expect(out).not.toContain(line);
    },
  );

  test('a PGP secret key block with armor headers and a checksum', () => {
    const block = [
      '-----BEGIN PGP ' + PRIVATE + ' BLOCK-----',
      'Version: GnuPG v2',
      'Comment: release signing',
      '',
      randomish(64, 60, BASE64),
      randomish(64, 61, BASE64),
      randomish(20, 62, BASE64),
      '=' + randomish(4, 63, BASE64),
      '-----END PGP ' + PRIVATE + ' BLOCK-----',
    ].join('\n');
    const found = secretsIn(`${block}\n`, 'keys/release.asc');
    const h = `-----BEGIN PGP ${PRIVATE} BLOCK-----`;
    expect(found).toMatchObject([
      {
        kind: 'private-key',
        masked: `${h}********`,
        span: { line: 1, column: 1, endLine: 1, endColumn: h.length + 1 },
      },
    ]);
    expect(found[0]?.placeholder).toBeUndefined();
    expect(found[0]?.extent).toMatchObject({ line: 5, column: 1, endLine: 8, endColumn: 6 });
  });

  test('a key indented in a YAML block scalar, in a CRLF file', async () => {
    const pem = fake.pem(64, 'EC ', [], '    ');
    const text = ['tls:', '  key: |', ...pem.split('\n'), ''].join('\r\n');
    const { verdict } = await scanFiles({ 'helm/values.yaml': text });
    expect(cg201(verdict).map((f) => [f.line, f.column, f.endLine, f.endColumn])).toEqual([
      [3, 5, 3, 5 + header('EC ').length],
    ]);
  });

  test('an AWS key id inside a key body line is reported, and its snippet shows no body', async () => {
    const aws = 'AK' + 'IA' + randomish(16, 65, UPPER_DIGITS);
    const line = `${randomish(20, 66, BASE64)}/${aws}/${randomish(26, 67, BASE64)}`;
    const pem = [
      header('RSA '),
      randomish(64, 68, BASE64),
      line,
      randomish(30, 69, BASE64) + '==',
      `-----END RSA ${PRIVATE}-----`,
    ].join('\n');
    const { verdict } = await scanFiles({ 'k.pem': `${pem}\n` });
    const aws201 = cg201(verdict).find((f) => f.message.startsWith('AWS'));
    expect(aws201).toMatchObject({ line: 3, column: 22, endColumn: 22 + aws.length, snippet: '********' });
    for (const [, out] of renders(verdict)) expect(out).not.toContain(line.slice(0, 16));
  });

  test.each([
    ['an elided body', `${header('RSA ')}\n...\n-----END RSA ${PRIVATE}-----`],
    ['a body cut short with ...', `${header('RSA ')}\nMIIEpAIBAAKCAQEA...\n-----END RSA ${PRIVATE}-----`],
    ['a body of x', `${header('')}\n${'x'.repeat(64)}\n${'x'.repeat(64)}\n-----END ${PRIVATE}-----`],
    ['an angle-bracket placeholder', `${header('')}\n<your private key>\n-----END ${PRIVATE}-----`],
    [
      'an underscored placeholder',
      `${header('OPENSSH ')}\nYOUR_PRIVATE_KEY_HERE\n-----END OPENSSH ${PRIVATE}-----`,
    ],
    [
      'a body of few characters',
      `${header('EC ')}\n${'AAAABBBBCCCCDDDD'.repeat(6)}\n-----END EC ${PRIVATE}-----`,
    ],
    ['the alphabet', `${header('')}\n${BASE64}\n-----END ${PRIVATE}-----`],
    ['a header only', `Paste the line ${header('RSA ')} and what follows.`],
    ['a BEGIN without its END', `${header('RSA ')}\n${randomish(64, 70, BASE64)}\n`],
    ['a public key', `-----BEGIN PUBLIC KEY-----\n${randomish(64, 71, BASE64)}\n-----END PUBLIC KEY-----`],
  ])('%s is not a private key', async (_name, text) => {
    const { verdict, secretValues } = await scanFiles({ 'docs/keys.md': `${text}\n` });
    expect(cg201(verdict)).toEqual([]);
    expect(secretValues).toEqual([]);
  });
});

describe('every output format masks every kind', () => {
  const k = {
    bot: fake.slackBot(80),
    hook: fake.slackWebhook(81),
    pw: fake.password(86, 24),
    local: fake.password(87, 18),
    pem: fake.pem(84, 'OPENSSH '),
  };
  const files: Record<string, string> = {
    '.env': [
      `SLACK_BOT_TOKEN=${k.bot}`,
      `SLACK_WEBHOOK=${k.hook}`,
      `DATABASE_URL=postgres://app:${k.pw}@db.prod.acme.io/app`,
      `TEST_DATABASE_URL=postgres://ci:${k.local}@localhost/test`,
      '',
    ].join('\n'),
    'deploy/key': `${k.pem}\n`,
    // Another rule's finding on each line that holds a credential: its snippet shows that line.
    '.claude/settings.json': `{"env": {"SLACK": "${k.bot}", "DB": "mysql://app:${k.pw}@db.acme.io/x"}, "permissions": {"allow": ["Bash"]}}\n`,
  };
  const raw = [k.bot, k.hook, k.pw, k.local, ...k.pem.split('\n').slice(1, -1)];

  test('findings, in order, at their exact places', async () => {
    const { verdict } = await scanFiles(files);
    const got = cg201(verdict).map((f) => `${f.severity} ${f.path}:${f.line}:${f.column}:${f.endColumn}`);
    const at = (text: string, value: string): number => text.indexOf(value) + 1;
    const settings = files['.claude/settings.json'] as string;
    const env = (files['.env'] as string).split('\n');
    expect(got).toEqual([
      `critical .claude/settings.json:1:${at(settings, k.bot)}:${at(settings, k.bot) + k.bot.length}`,
      `critical .claude/settings.json:1:${at(settings, k.pw)}:${at(settings, k.pw) + k.pw.length}`,
      `critical .env:1:${at(env[0] as string, k.bot)}:${at(env[0] as string, k.bot) + k.bot.length}`,
      `critical .env:2:${at(env[1] as string, k.hook)}:${at(env[1] as string, k.hook) + k.hook.length}`,
      `critical .env:3:${at(env[2] as string, k.pw)}:${at(env[2] as string, k.pw) + k.pw.length}`,
      `critical deploy/key:1:1:${`-----BEGIN OPENSSH ${PRIVATE}-----`.length + 1}`,
      `low .env:4:${at(env[3] as string, k.local)}:${at(env[3] as string, k.local) + k.local.length}`,
    ]);
    const cg102 = verdict.findings.find((f) => f.ruleId === 'CG102');
    expect(cg102?.snippet).toBe(
      '{"env": {"SLACK": "xoxb-********", "DB": "mysql://app:********@db.acme.io/x"}, "permissions": {"allow": ["Bash"]}}',
    );
  });

  test('no report holds a raw value, in any format', async () => {
    const { verdict } = await scanFiles(files);
    expect(JSON.stringify(verdict)).not.toMatch(
      new RegExp(raw.map((r) => r.replace(/[+/=]/g, '\\$&')).join('|')),
    );
    for (const [name, out] of renders(verdict)) {
      expect([name, out.length > 0]).toEqual([name, true]);
      for (const value of raw) expect([name, out.includes(value)]).toEqual([name, false]);
    }
  });
});

describe('adversarial text', () => {
  const M = 1 << 20;
  const fill = (unit: string): string => unit.repeat(Math.ceil(M / unit.length)).slice(0, M);
  test.each([
    ['many schemes', fill('a://')],
    ['colons after a scheme', `x://${fill(':')}`],
    ['a password with no @', `x://u:${fill('p')}`],
    ['passwords with no host', fill('x://u:p@ ')],
    ['dotted words before one ://', `${fill('a.')}://`],
    ['@ after @', `x://u:${fill('@')}`],
    ['Slack ids without end', `xoxb-${fill('1-')}`],
    ['webhook path without end', `hooks.slack.com/services/${fill('a/')}`],
    ['a BEGIN with no END', `-----BEGIN ${'PRIVATE'} KEY-----\n${fill('A')}`],
    ['many BEGIN lines', fill(`-----BEGIN RSA ${'PRIVATE'} KEY-----\nAAAA\n`)],
    ['armor headers without end', `-----BEGIN PGP ${'PRIVATE'} KEY BLOCK-----${fill('\nVersion: x')}`],
    ['a body of blanks', `-----BEGIN ${'PRIVATE'} KEY-----${fill(' \n')}`],
  ])('%s (1 MiB): searched and masked in one pass', (_name, text) => {
    // Linear patterns: each of these takes milliseconds; a backtracking one would not end.
    expect(Array.isArray(findSecrets(new SourceFile('big.txt', text)))).toBe(true);
    expect(typeof redact(text)).toBe('string');
  });
});

describe('how git finds the files to search', () => {
  test('the URL expression for git finds every line the pattern finds', () => {
    const url = SECRET_PATTERNS.find((p) => p.kind === 'url-credential');
    const urlGrep = url?.grep?.[0] as string;
    expect(SECRET_GREP_PATTERNS).toContain(urlGrep);
    expect(CONTENT_NEEDLES).toContainEqual({ regex: urlGrep });
    const lines = [
      `postgres://app:${fake.password(90)}@db.acme.io`,
      `redis://:${fake.password(91)}@cache`,
      `https://u:${fake.password(92, 8)}@${fake.password(93, 8)}@h.io`,
      `x://a:b@c`,
    ];
    const grep = new RegExp(urlGrep.replace('[:space:]', '\\s').replace('[:space:]', '\\s'));
    for (const line of lines) {
      expect(line.match(url?.regex as RegExp)).not.toBeNull();
      expect(grep.test(line)).toBe(true);
    }
  });

  test('every credential the patterns find holds a needle or an expression git looks for', () => {
    const samples = [
      'sk-ant-' + 'api03-' + randomish(93, 100),
      'gh' + 'o_' + randomish(36, 101),
      'github' + '_pat_' + randomish(82, 102),
      'AS' + 'IA' + randomish(16, 103, UPPER_DIGITS),
      fake.slackBot(104),
      fake.slackConfig(105),
      fake.slackWebhook(106),
      `amqp://u:${fake.password(107)}@mq.acme.io`,
      fake.pem(108, 'EC '),
      fake.pem(109, 'PGP ').replace(/KEY-----/g, 'KEY BLOCK-----'),
    ];
    const lookFor = CONTENT_NEEDLES.map((n) =>
      typeof n === 'string'
        ? (t: string) => t.includes(n)
        : (t: string) => new RegExp(n.regex.replace(/\[:space:\]/g, '\\s')).test(t),
    );
    for (const sample of samples) {
      expect([
        sample.slice(0, 12),
        SECRET_PATTERNS.some((p) => new RegExp(p.regex.source).test(sample)),
      ]).toEqual([sample.slice(0, 12), true]);
      expect([sample.slice(0, 12), lookFor.some((f) => f(sample))]).toEqual([sample.slice(0, 12), true]);
    }
  });

  test('a checkout: a file holding only a password in a URL, a Slack token or a key is searched', async () => {
    const root = mkdtempSync(join(tmpdir(), 'claude-guard-kinds-'));
    made.push(root);
    const put = (rel: string, text: string): void => {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    };
    const pw = fake.password(94);
    put('services/api/config.py', `DB = "postgresql://api:${pw}@db.acme.io/api"\n`);
    put('ops/notify.json', `{"token": "${fake.slackBot(95)}"}\n`);
    put('ops/hook.txt', `${fake.slackWebhook(96)}\n`);
    put('certs/tls.key', `${fake.pem(97, 'EC ')}\n`);
    for (let i = 0; i < 30; i++) put(`src/f${i}.ts`, `export const url = "https://acme.io/${i}";\n`);
    const env = { ...process.env, HOME: root, GIT_CONFIG_NOSYSTEM: '1' };
    const git = (...args: string[]): void => {
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
        cwd: root,
        env,
        stdio: 'ignore',
      });
    };
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'x');
    const source = await diskSource(root);
    const plan = await source.plan?.(CONTENT_NEEDLES);
    const matched: string[] = [];
    expect(await plan?.matches((p) => matched.push(p))).toBe(true);
    expect(matched.sort()).toEqual([
      'certs/tls.key',
      'ops/hook.txt',
      'ops/notify.json',
      'services/api/config.py',
    ]);
    const { verdict } = await scan(source, defaultPolicy());
    expect(cg201(verdict).map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual([
      'certs/tls.key:1:1',
      'ops/hook.txt:1:1',
      'ops/notify.json:1:12',
      `services/api/config.py:1:${'DB = "postgresql://api:'.length + 1}`,
    ]);
    // git without PCRE reads the same expressions as POSIX extended ones.
    const ere = execFileSync(
      'git',
      [
        'grep',
        '-l',
        '-E',
        ...CONTENT_NEEDLES.flatMap((n) => [
          '-e',
          typeof n === 'string' ? n.replace(/[.+]/g, '\\$&') : n.regex,
        ]),
      ],
      { cwd: root, env: { ...env, LC_ALL: 'C' }, encoding: 'utf8' },
    );
    expect(ere.trim().split('\n').sort()).toEqual(matched.sort());
  });
});
