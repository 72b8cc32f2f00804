import type { SecretKind } from './types.js';

export interface SecretPattern {
  kind: SecretKind;
  /** What the finding calls it. */
  label: string;
  /**
   * Global regex. Named groups: `body`, the part that must look random (else the whole match); for a URL,
   * `scheme`, `user`, `password` and `host`; for a private key, `header`, `armor` (PEM or PGP headers).
   */
  regex: RegExp;
  /** Fixed strings of which a match holds at least one: a cheap test before the regex, and what `git grep` looks for. */
  needles: string[];
  /**
   * What `git grep` looks for instead of `needles`: extended regular expressions that PCRE reads the same
   * way (classes in brackets, no backslash escapes), matching in every line where `regex` does. For shapes
   * no fixed string picks out (`://` is in most of a repository), and to look for several needles in one
   * pass (`gh[pousr]_`): git reads a file once per expression.
   */
  grep?: readonly string[];
  /** The shortest random part a real credential of this kind has. */
  minBody: number;
  /** What the masked form shows, never any of the secret. */
  mask: (m: RegExpMatchArray) => string;
  /** Why a match is not a real credential, or undefined when it may be one. */
  placeholder: (m: RegExpMatchArray, pattern: SecretPattern) => string | undefined;
  /**
   * The part of the match a finding points at, as [start, end) offsets into it (default: all of it), and
   * the part no report may show, when it reaches beyond that (a private key's body).
   */
  focus?: (m: RegExpMatchArray) => { at: [number, number]; secret?: [number, number] };
  /** Whether a match is shown as written wherever text is masked: a reference to a secret, never one itself. */
  shown?: (m: RegExpMatchArray) => boolean;
  /**
   * False when quotes and variables do not join its pieces, only escapes and continuations: a URL's parts
   * are told apart by the quotes around them, and a password given by a variable is no literal.
   */
  joins?: boolean;
}

/** Words that make a placeholder when they stand alone between separators, as in `your-key-here`. */
const PLACEHOLDER_WORDS =
  /(^|[-_/.])(your|here|placeholder|redacted|replace|insert|changeme|dummy)([-_/.]|$)/i;

/** The random part of a match: its `body` group, else its first non-empty group, else all of it. */
function bodyOf(m: RegExpMatchArray): string {
  return m.groups?.body ?? m.slice(1).find((g) => g !== undefined && g.length > 0) ?? m[0];
}

/**
 * Why a token-shaped string is not a real credential, or undefined when it may be one. Real keys are long
 * and random; documentation writes `sk-ant-api03-xxxx`, `sk-ant-api03-...`, `…-your-key-here`.
 */
function tokenPlaceholder(m: RegExpMatchArray, pattern: SecretPattern): string | undefined {
  const random = bodyOf(m).replace(/\s|\\n/g, '');
  if (random.length < pattern.minBody) return 'too short to be a real credential';
  if (PLACEHOLDER_WORDS.test(random)) return 'written as a placeholder';
  if (/(.)\1{7,}/.test(random)) return 'a long run of one character';
  if (hasRun(random, 8)) return 'a run of consecutive characters (abcdefgh, 12345678)';
  if (new Set(random).size < 10) return 'too few distinct characters';
  return undefined;
}

/** The secret part of a match, for the message: its public prefix kept, then eight stars. */
const starred = (prefix: string): string => `${prefix}${'*'.repeat(8)}`;

const anthropicPrefix = (m: RegExpMatchArray): string => starred(m[0].slice(0, m[0].indexOf('-', 7) + 1));

/**
 * A private key's base64 body is not random text a person writes: a key body that is too short or made of
 * few characters is a placeholder. Runs of one character are normal in real keys (an unencrypted OpenSSH
 * key's header encodes to `AAAAAAAAAAAB…`), so they do not count here.
 */
function keyPlaceholder(m: RegExpMatchArray, pattern: SecretPattern): string | undefined {
  const random = bodyOf(m).replace(/\\[nr]|\s|\\/g, '');
  if (random.length < pattern.minBody) return 'too short to be a real key';
  if (new Set(random).size < 16) return 'too few distinct characters to be a real key';
  if (hasRun(random, 8)) return 'a run of consecutive characters (ABCDEFGH)';
  return undefined;
}

/** Hosts that name no real server: reserved for documentation (RFC 2606, RFC 6761) or a word in their place. */
const DOCUMENTATION_HOST =
  /(^|\.)(example(\.(com|net|org))?|test|invalid)$|^(host|hostname|server|domain|address|your[\w.-]*|my[-_]?host)$/i;
/** Hosts on the machine itself: a credential for them opens nothing to anyone else. */
const LOOPBACK_HOST =
  /^(localhost|[\w-]+\.localhost|127(\.\d{1,3}){3}|0\.0\.0\.0|\[(0{0,4}:){2,7}0{0,3}1\])$/i;
/** A password that is a reference or a template filled in elsewhere: `${DB_PASS}`, `$PASS`, `{{ pw }}`, `<password>`, `%(pw)s`, `%PASS%`. */
const REFERENCE = /\$[{(A-Za-z_\d]|[{}<>[\]`]|%\(|%[A-Za-z_]\w*%/;
/** A password that is nothing but one reference or template: shown as written wherever text is masked. */
const WHOLE_REFERENCE =
  /^(?:\$\{[^{}]*\}|\$\{\{[^{}]*\}\}|\$[A-Za-z_]\w*|\$\([^()]*\)|\{\{[^{}]*\}\}|<[^<>]*>|%\([^()]*\)s|%[A-Za-z_]\w*%|\[[^[\]]*\])$/;
/**
 * The letters of passwords that examples and defaults use. A generated password (what a service hands out,
 * and what leaks) has none of them.
 */
const PASSWORD_WORDS =
  /passw|passwd|secret|changeme|changeit|example|sample|placeholder|redacted|dummy|fake|your|mypass|test|demo|default|qwerty|letmein|welcome/;
const DEFAULT_PASSWORDS = new Set([
  'pass',
  'pwd',
  'pw',
  'admin',
  'root',
  'guest',
  'user',
  'abc',
  'foo',
  'bar',
  'baz',
  'qux',
  'hunter',
  'postgres',
  'postgresql',
  'mysql',
  'redis',
  'mongo',
  'mongodb',
  'rabbit',
  'rabbitmq',
  'token',
  'key',
  'dev',
  'local',
  'xoauthbasic',
]);

/** Why the password of a `scheme://user:password@host` URL is not a real one, or undefined when it may be. */
export function urlPasswordPlaceholder(user: string, password: string, host: string): string | undefined {
  if (REFERENCE.test(password)) return 'a variable or template filled in elsewhere';
  if (/^[*xX.…#?_-]+$/.test(password) || /^(.)\1*$/.test(password)) return 'elided (***, xxx)';
  if (password.length < 6) return 'too short to be a real password';
  if (password.toLowerCase() === user.toLowerCase()) return 'the user name repeated: a default';
  if (!/[A-Za-z]/.test(password)) return 'no letters: an example';
  if (/^([a-z]+|[A-Z][a-z]*|[A-Z]+)$/.test(password)) return 'a plain word, as examples write';
  // Its letters (admin123 → admin), and the same with digits and signs written for letters read as letters
  // (P4ssw0rd → password, S3cr3t! → secreti).
  const lower = password.toLowerCase();
  const letters = lower.replace(/[^a-z]/g, '');
  const leet = lower
    .replace(/[4@]/g, 'a')
    .replace(/0/g, 'o')
    .replace(/[1!|]/g, 'i')
    .replace(/3/g, 'e')
    .replace(/[5$]/g, 's')
    .replace(/7/g, 't')
    .replace(/[^a-z]/g, '');
  if ([letters, leet].some((w) => PASSWORD_WORDS.test(w) || DEFAULT_PASSWORDS.has(w)))
    return 'a placeholder or default word';
  if (hasRun(password, 6)) return 'a run of consecutive characters (123456, abcdef)';
  if (DOCUMENTATION_HOST.test(host)) return 'a documentation host (example.com, .test, .invalid)';
  return undefined;
}

/** Whether a URL's host is the machine itself (localhost, 127.0.0.0/8, [::1], 0.0.0.0). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOST.test(host);
}

/** Characters that end a URL's user or password as written: space, a path, query or fragment, quotes, brackets. */
const NOT_IN_USERINFO = `\\s/?#'"\`<>\\\\`;

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    kind: 'anthropic-api-key',
    label: 'Anthropic API key',
    regex: /sk-ant-api\d\d-([A-Za-z0-9_-]+)/g,
    needles: ['sk-ant-'],
    minBody: 40,
    mask: anthropicPrefix,
    placeholder: tokenPlaceholder,
  },
  {
    kind: 'anthropic-admin-key',
    label: 'Anthropic admin API key',
    regex: /sk-ant-admin\d\d-([A-Za-z0-9_-]+)/g,
    needles: ['sk-ant-'],
    minBody: 40,
    mask: anthropicPrefix,
    placeholder: tokenPlaceholder,
  },
  {
    kind: 'anthropic-oauth-token',
    label: 'Claude OAuth token',
    regex: /sk-ant-o[ar]t\d\d-([A-Za-z0-9_-]+)/g,
    needles: ['sk-ant-'],
    minBody: 40,
    mask: anthropicPrefix,
    placeholder: tokenPlaceholder,
  },
  {
    kind: 'github-token',
    label: 'GitHub token',
    regex: /\b(?:gh[pousr]_([A-Za-z0-9]{36,251})|github_pat_([A-Za-z0-9_]{70,251}))\b/g,
    needles: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    grep: ['gh[pousr]_', 'github_pat_'],
    minBody: 36,
    mask: (m) => starred(m[0].startsWith('github_pat_') ? 'github_pat_' : m[0].slice(0, 4)),
    placeholder: tokenPlaceholder,
  },
  {
    kind: 'aws-access-key',
    label: 'AWS access key id',
    regex: /\b(?:AKIA|ASIA)([A-Z0-9]{16})\b/g,
    needles: ['AKIA', 'ASIA'],
    grep: ['A[KS]IA'],
    minBody: 16,
    mask: (m) => starred(m[0].slice(0, 4)),
    placeholder: (m, p) => (/EXAMPLE/.test(m[0]) ? "AWS's documented example key" : tokenPlaceholder(m, p)),
  },
  {
    // Bot (xoxb-), user (xoxp-), workspace (xoxa-), refresh (xoxr-), session (xoxs-), rotating
    // configuration (xoxe-, xoxe.xoxp-) and app-level (xapp-) tokens: each its prefix, then dash-separated ids
    // and the secret.
    kind: 'slack-token',
    label: 'Slack token',
    regex:
      /\b(?:xox(?:[abprs]|e(?:\.xox[bp])?)|xapp)-(?<body>[0-9A-Za-z]{1,200}(?:-[0-9A-Za-z]{1,200}){0,8})/g,
    needles: ['xox', 'xapp-'],
    minBody: 24,
    mask: (m) => starred(m[0].slice(0, m[0].indexOf('-') + 1)),
    placeholder: tokenPlaceholder,
  },
  {
    kind: 'slack-webhook',
    label: 'Slack webhook URL',
    regex:
      /\b(?:https?:\/\/)?hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<body>[A-Za-z0-9_+-]{1,64}(?:\/[A-Za-z0-9_+-]{1,64}){1,5})/g,
    needles: ['hooks.slack.com'],
    minBody: 24,
    mask: (m) => starred(m[0].slice(0, m[0].length - (m.groups?.body ?? '').length)),
    placeholder: tokenPlaceholder,
  },
  {
    // A URL's user information. The password ends at the last `@` before the host, as URL parsers read it.
    kind: 'url-credential',
    label: 'Password in a URL',
    regex: new RegExp(
      `\\b(?<scheme>[A-Za-z][A-Za-z0-9+.-]{0,31}):\\/\\/(?<user>[^${NOT_IN_USERINFO}@:]{0,128}):` +
        `(?<password>[^${NOT_IN_USERINFO}]{1,255})@` +
        `(?<host>\\[[0-9A-Fa-f:.]{2,64}\\]|[^${NOT_IN_USERINFO}@:,;()[\\]]{1,253})`,
      'g',
    ),
    needles: ['://'],
    grep: ['://[^/?#@[:space:]:]{0,255}:[^/?#@[:space:]]{0,255}@'],
    minBody: 6,
    joins: false,
    // `postgres://app:${DB_PASSWORD}@db` is the advice itself: masking it would hide what to write.
    shown: (m) => WHOLE_REFERENCE.test(m.groups?.password ?? ''),
    mask: (m) => `${m.groups?.scheme}://${m.groups?.user}:${'*'.repeat(8)}@${m.groups?.host}`,
    placeholder: (m) =>
      urlPasswordPlaceholder(m.groups?.user ?? '', m.groups?.password ?? '', m.groups?.host ?? ''),
    focus: (m) => {
      const start = (m.groups?.scheme ?? '').length + 3 + (m.groups?.user ?? '').length + 1;
      return { at: [start, start + (m.groups?.password ?? '').length] };
    },
  },
  {
    // PEM blocks (PKCS#1 RSA, SEC1 EC, DSA, OpenSSH, PKCS#8 plain and encrypted) and PGP secret key blocks;
    // header lines (`Proc-Type:`, `DEK-Info:`, `Version:`) may come before the body. The body may be
    // written on one line with `\n` escapes (a JSON service-account file).
    kind: 'private-key',
    label: 'private key',
    regex:
      /(?<header>-----BEGIN (?<type>(?:[A-Z0-9]+ ){0,3})PRIVATE KEY(?<block> BLOCK)?-----)(?<armor>(?:(?:\r?\n|\\r?\\n)[ \t]*[A-Za-z][A-Za-z0-9-]{0,40}: [^\r\n\\]{0,200})*)(?<body>[A-Za-z0-9+/=\s\\]{64,16384}?)-----END \k<type>PRIVATE KEY\k<block>-----/g,
    needles: ['PRIVATE KEY'],
    minBody: 64,
    mask: (m) => starred(m.groups?.header ?? '-----BEGIN PRIVATE KEY-----'),
    placeholder: keyPlaceholder,
    // The finding points at the BEGIN line's header, which names the kind of key and is not secret; the
    // body from there to the END line is what no report shows.
    focus: (m) => {
      const header = (m.groups?.header ?? '').length;
      const start = header + (m.groups?.armor ?? '').length;
      return { at: [0, header], secret: [start, start + (m.groups?.body ?? '').length] };
    },
  },
];

export function mayHold(pattern: SecretPattern, text: string): boolean {
  return pattern.needles.some((n) => text.includes(n));
}

/** The fixed strings `git grep` looks for to find credentials (for the patterns without `grep` expressions). */
export const SECRET_NEEDLES: readonly string[] = [
  ...new Set(SECRET_PATTERNS.filter((p) => p.grep === undefined).flatMap((p) => p.needles)),
];

/** The regular expressions `git grep` looks for to find the other credentials. */
export const SECRET_GREP_PATTERNS: readonly string[] = [
  ...new Set(SECRET_PATTERNS.flatMap((p) => p.grep ?? [])),
];

/** The masked form shown in reports: the public parts, never any of the secret. */
export function maskSecret(pattern: SecretPattern, m: RegExpMatchArray): string {
  return pattern.mask(m);
}

/** True when `text` has `length` characters in a row, each the one after the last (`abcd…`, `1234…`). */
function hasRun(text: string, length: number): boolean {
  let run = 1;
  for (let i = 1; i < text.length; i++) {
    run = text.charCodeAt(i) === text.charCodeAt(i - 1) + 1 ? run + 1 : 1;
    if (run >= length) return true;
  }
  return false;
}

/** Where credential-shaped strings are in a text, as [start, end) offsets. */
export function secretRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (const pattern of SECRET_PATTERNS) {
    if (!mayHold(pattern, text)) continue;
    for (const m of text.matchAll(pattern.regex)) ranges.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
  }
  return ranges;
}

/**
 * Replaces every credential-shaped string in a text with its masked form, placeholders included (but a URL
 * whose password is a variable or template, which holds no secret).
 */
export function redact(text: string): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) {
    if (!mayHold(pattern, out)) continue;
    let masked = '';
    let last = 0;
    for (const m of out.matchAll(pattern.regex)) {
      if (pattern.shown?.(m)) continue;
      const at = m.index ?? 0;
      masked += out.slice(last, at) + maskSecret(pattern, m);
      last = at + m[0].length;
    }
    if (last > 0) out = masked + out.slice(last);
  }
  return out;
}
