import type { SecretKind } from './types.js';

export interface SecretPattern {
  kind: SecretKind;
  /** What the finding calls it. */
  label: string;
  /** Global regex; group 1, when present, is the part that must look random. */
  regex: RegExp;
  /** Fixed strings of which a match holds at least one: a cheap test before the regex, and what `git grep` looks for. */
  needles: string[];
  /** The shortest random part a real credential of this kind has. */
  minBody: number;
  /** What the masked form keeps visible. */
  prefix: (match: string) => string;
}

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    kind: 'anthropic-api-key',
    label: 'Anthropic API key',
    regex: /sk-ant-api\d\d-([A-Za-z0-9_-]+)/g,
    needles: ['sk-ant-'],
    minBody: 40,
    prefix: (m) => m.slice(0, m.indexOf('-', 7) + 1),
  },
  {
    kind: 'anthropic-admin-key',
    label: 'Anthropic admin API key',
    regex: /sk-ant-admin\d\d-([A-Za-z0-9_-]+)/g,
    needles: ['sk-ant-'],
    minBody: 40,
    prefix: (m) => m.slice(0, m.indexOf('-', 7) + 1),
  },
  {
    kind: 'anthropic-oauth-token',
    label: 'Claude OAuth token',
    regex: /sk-ant-o[ar]t\d\d-([A-Za-z0-9_-]+)/g,
    needles: ['sk-ant-'],
    minBody: 40,
    prefix: (m) => m.slice(0, m.indexOf('-', 7) + 1),
  },
  {
    kind: 'github-token',
    label: 'GitHub token',
    regex: /\b(?:gh[pousr]_([A-Za-z0-9]{36,251})|github_pat_([A-Za-z0-9_]{70,251}))\b/g,
    needles: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    minBody: 36,
    prefix: (m) => (m.startsWith('github_pat_') ? 'github_pat_' : m.slice(0, 4)),
  },
  {
    kind: 'aws-access-key',
    label: 'AWS access key id',
    regex: /\b(?:AKIA|ASIA)([A-Z0-9]{16})\b/g,
    needles: ['AKIA', 'ASIA'],
    minBody: 16,
    prefix: (m) => m.slice(0, 4),
  },
  {
    kind: 'private-key',
    label: 'private key',
    regex:
      /-----BEGIN ((?:[A-Z]+ )*)PRIVATE KEY-----([A-Za-z0-9+/=\s\\]{64,16384}?)-----END (?:[A-Z]+ )*PRIVATE KEY-----/g,
    needles: ['PRIVATE KEY-----'],
    minBody: 64,
    prefix: () => '-----BEGIN PRIVATE KEY-----',
  },
];

/** Words that make a placeholder when they stand alone between separators, as in `your-key-here`. */
export function mayHold(pattern: SecretPattern, text: string): boolean {
  return pattern.needles.some((n) => text.includes(n));
}

/** Every fixed string some credential pattern needs. */
export const SECRET_NEEDLES: readonly string[] = [...new Set(SECRET_PATTERNS.flatMap((p) => p.needles))];

const PLACEHOLDER_WORDS = /(^|[-_])(your|here|placeholder|redacted|replace|insert|changeme|dummy)([-_]|$)/i;

/**
 * Why a credential-shaped string is not a real credential, or undefined when it may be one. Real keys are
 * long and random; documentation writes `sk-ant-api03-xxxx`, `sk-ant-api03-...`, `…-your-key-here`.
 */
export function placeholderReason(pattern: SecretPattern, match: string, body: string): string | undefined {
  if (pattern.kind === 'aws-access-key' && /EXAMPLE/.test(match)) return "AWS's documented example key";
  const random = body.replace(/\s|\\n/g, '');
  if (random.length < pattern.minBody) return 'too short to be a real credential';
  if (PLACEHOLDER_WORDS.test(random)) return 'written as a placeholder';
  if (/(.)\1{7,}/.test(random)) return 'a long run of one character';
  if (hasRun(random, 8)) return 'a run of consecutive characters (abcdefgh, 12345678)';
  if (new Set(random).size < 10) return 'too few distinct characters';
  return undefined;
}

/** The masked form shown in reports: the public prefix, never any of the random part. */
export function maskSecret(pattern: SecretPattern, match: string): string {
  return `${pattern.prefix(match)}${'*'.repeat(8)}`;
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

/** Replaces every credential-shaped string in a text with its masked form, placeholders included. */
export function redact(text: string): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) {
    if (!mayHold(pattern, out)) continue;
    out = out.replace(pattern.regex, (m) => maskSecret(pattern, m));
  }
  // A private key's body is masked even when the line holds only part of it.
  return out;
}
