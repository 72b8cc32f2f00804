/**
 * Class 4, the other credential kinds: Slack tokens and webhooks, passwords in URLs and private keys, put
 * where a report prints the line (beside a bypass flag, on the line of another finding, as a file name,
 * split by JSON escapes, as a body line of a key that holds another credential). Neither the whole value nor
 * any 16-character window of its secret part may appear in stdout, stderr or the `--output` file, in any
 * format.
 */
import { type HostileCase, hostileSuite } from './harness.js';
import { DSP, type Key, put, randomish } from './material.js';

const DIGITS = '0123456789';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PRIVATE = 'PRIVATE' + ' KEY';

/** A Slack token: its public prefix, then ids and the secret (the body). */
function slackToken(seed: number, prefix = 'xo' + 'xb-'): Key {
  const body = `${randomish(12, seed, DIGITS)}-${randomish(13, seed + 1, DIGITS)}-${randomish(24, seed + 2)}`;
  return { value: prefix + body, body };
}

function slackWebhook(seed: number): Key {
  const body = `T${randomish(10, seed, UPPER_DIGITS)}/B${randomish(10, seed + 1, UPPER_DIGITS)}/${randomish(24, seed + 2)}`;
  return { value: 'https://hooks.' + 'slack.com/services/' + body, body };
}

/** A generated password: the whole of it is secret. */
function password(seed: number): Key {
  const value = randomish(24, seed);
  return { value, body: value };
}

/** A private key's body lines, each a secret of its own. */
function keyLines(seed: number, count = 3): Key[] {
  return Array.from({ length: count }, (_, i) => {
    const value = randomish(64, seed + i, BASE64);
    return { value, body: value };
  });
}

const pem = (type: string, lines: readonly Key[], sep = '\n'): string =>
  [`-----BEGIN ${type}${PRIVATE}-----`, ...lines.map((l) => l.value), `-----END ${type}${PRIVATE}-----`].join(
    sep,
  );

/** `\u00XX` for a character, as JSON writes it. */
const jsonEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

const S = {
  bot: slackToken(1),
  user: slackToken(11, 'xo' + 'xp-'),
  escaped: slackToken(21),
  named: slackToken(31),
  hook: slackWebhook(41),
  pw: password(51),
  pwEscaped: password(52),
  pwLocal: password(53),
  key: keyLines(61),
  jsonKey: keyLines(71),
  awsKey: keyLines(81, 2),
};

/** A key whose first body line holds an AWS key id between two `/`: a finding of its own on that line. */
const AWS_IN_KEY: Key[] = (() => {
  const first = S.awsKey[0] as Key;
  const line = `${first.value.slice(0, 20)}/${'AK' + 'IA' + randomish(16, 91, UPPER_DIGITS)}/${first.value.slice(20, 40)}`;
  return [{ value: line, body: line }, S.awsKey[1] as Key];
})();

const withFindings = (c: HostileCase): HostileCase => ({ outputFile: true, expectStatus: [1], ...c });

const cases: HostileCase[] = [
  withFindings({
    id: 'slack-beside-bypass',
    title:
      'Slack bot and user tokens and a webhook in comments on lines that start Claude with the bypass flag',
    build: (ctx) =>
      put(
        ctx.root,
        'scripts/notify.sh',
        [
          '#!/bin/sh',
          `claude -p go ${DSP} # ${S.bot.value}`,
          `SLACK_TOKEN=${S.user.value} claude -p go ${DSP}`,
          `claude -p "post to ${S.hook.value}" ${DSP}`,
          '',
        ].join('\n'),
      ),
    keys: [S.bot, S.user, S.hook],
  }),
  withFindings({
    id: 'slack-json-escape',
    title: 'settings.json: bypass mode and "xox\\u0062-…" (the token split by an escape) on one line',
    build: (ctx) =>
      put(
        ctx.root,
        '.claude/settings.json',
        `{"env": {"SLACK_TOKEN": "xox${jsonEscape('b')}-${S.escaped.body}"}, "permissions": {"defaultMode": "bypassPermissions"}}\n`,
      ),
    keys: [S.escaped],
  }),
  withFindings({
    id: 'slack-name',
    title: 'a Slack token as a script name: scripts/<token>.sh starting Claude with the bypass flag',
    build: (ctx) => put(ctx.root, `scripts/${S.named.value}.sh`, `#!/bin/sh\nclaude -p go ${DSP}\n`),
    keys: [S.named],
  }),
  withFindings({
    id: 'url-password-beside-bypass',
    title: 'a database URL with a password, and one to localhost, on the bypass line',
    build: (ctx) =>
      put(
        ctx.root,
        'scripts/migrate.sh',
        [
          '#!/bin/sh',
          `DATABASE_URL=postgres://app:${S.pw.value}@db.prod.acme.io/app claude -p migrate ${DSP}`,
          `claude -p "check redis://:${S.pwLocal.value}@localhost:6379" ${DSP}`,
          '',
        ].join('\n'),
      ),
    keys: [S.pw, S.pwLocal],
  }),
  withFindings({
    id: 'url-password-json-escape',
    title: 'settings.json: bypass mode and a URL whose password starts with a \\u00XX escape',
    build: (ctx) => {
      const v = S.pwEscaped.value;
      put(
        ctx.root,
        '.claude/settings.json',
        `{"env": {"DATABASE_URL": "mysql://app:${jsonEscape(v[0] as string)}${v.slice(1)}@db.acme.io/x"}, "permissions": {"defaultMode": "bypassPermissions"}}\n`,
      );
    },
    keys: [S.pwEscaped],
  }),
  withFindings({
    id: 'private-key-beside-bypass',
    title:
      'a PEM key in a script that starts Claude with the bypass flag, the claude line right after the END line',
    build: (ctx) =>
      put(
        ctx.root,
        'scripts/deploy.sh',
        `#!/bin/sh\ncat > id <<'EOF'\n${pem('OPENSSH ', S.key)}\nEOF\nclaude -p deploy ${DSP}\n`,
      ),
    keys: S.key,
  }),
  withFindings({
    id: 'private-key-json-one-line',
    title: 'settings.json: bypass mode and a private key written on the same line with \\n escapes',
    build: (ctx) =>
      put(
        ctx.root,
        '.claude/settings.json',
        `{"permissions": {"defaultMode": "bypassPermissions"}, "env": {"TLS_KEY": "${pem('', S.jsonKey, '\\n')}\\n"}}\n`,
      ),
    keys: S.jsonKey,
  }),
  withFindings({
    id: 'private-key-body-holds-aws-id',
    title: "an AWS key id inside a key's body line: its finding's snippet is that body line",
    build: (ctx) => {
      put(ctx.root, 'certs/server.key', `${pem('RSA ', AWS_IN_KEY)}\n`);
      put(ctx.root, 'scripts/a.sh', `#!/bin/sh\nclaude -p go ${DSP}\n`);
    },
    keys: AWS_IN_KEY,
  }),
];

hostileSuite('secret-kinds', cases);
