import { maskSecrets } from './safe.js';

/**
 * What of a value from the repository a listing may show. Credential patterns (safe.ts) catch keys of known
 * shapes; a listing that prints every value Claude receives must also keep back the ones whose shape is
 * unknown but whose name says what they are (`DB_PASSWORD=hunter2`, `--token abc`, `https://u:p@host`).
 */

const MASK = '********';

/**
 * Parts of a name that say it holds a credential. Singular on purpose: `MAX_OUTPUT_TOKENS` counts tokens,
 * `GITHUB_TOKEN` is one.
 */
const CREDENTIAL_PART =
  /^(key|apikey|token|secret|password|passwd|pwd|pass|credential|credentials|creds|auth|authorization|bearer|cookie|session|sessionid|privatekey|accesskey|signature)$/i;

/** Values that say nothing even under a credential's name. */
const HARMLESS = /^(|true|false|yes|no|on|off|0|1)$/i;

/** True when a name (variable, header, flag, input) says its value is a credential. */
export function isCredentialName(name: string): boolean {
  return name
    .replace(/^-+/, '')
    .split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/)
    .some((part) => CREDENTIAL_PART.test(part));
}

/** A value that only names where the credential comes from: `$TOKEN`, `${TOKEN}`, `${{ secrets.X }}`. */
const isReference = (value: string): boolean => value.startsWith('$');

// Every repetition below is bounded or anchored after a blank, so no text makes a match attempt quadratic.
/** Userinfo of a URL (`https://user:pass@host`). */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]{0,31}:\/\/[^/\s:@]{0,256}):[^/\s@]{1,256}@/gi;
/** Text with the password of every URL in it (`https://user:pass@host`) masked. */
export function maskUrlPasswords(text: string): string {
  return text.replace(URL_PASSWORD, `$1:${MASK}@`);
}
/** `Bearer abc…`, `token abc…` as in an Authorization header. */
const AUTH_SCHEME = /\b(Bearer|Basic|token)([ \t]+)([A-Za-z0-9._~+/=-]{8,})/gi;
/** `NAME=value` (an assignment, a query parameter, `--flag=value`). */
const ASSIGNED = /([A-Za-z_][A-Za-z0-9_.-]{0,63})=("[^"\n]*"?|'[^'\n]*'?|[^\s&;"']+)/g;
/** `--flag value`, the value bare or quoted. */
const FLAG_VALUE = /(^|\s)(--?[A-Za-z][A-Za-z0-9_-]{0,63})([ \t]+)("[^"\n]*"?|'[^'\n]*'?|[^\s"'-][^\s"']*)/g;

/**
 * Text such as a command line or a URL with every credential it visibly carries replaced by `********`:
 * known credential shapes, `known` secret values and their pieces, a URL's password, the token of an
 * Authorization scheme, and the value of a credential-named assignment or flag. References (`$X`) stay.
 */
export function maskCredentials(text: string, known: readonly string[] = []): string {
  return maskSecrets(text, known)
    .replace(URL_PASSWORD, `$1:${MASK}@`)
    .replace(AUTH_SCHEME, (m, scheme: string, gap: string, token: string) =>
      token === MASK ? m : `${scheme}${gap}${MASK}`,
    )
    .replace(ASSIGNED, (m, name: string, value: string) =>
      isCredentialName(name) && !isReference(value.replace(/^["']/, '')) && !HARMLESS.test(value)
        ? `${name}=${MASK}`
        : m,
    )
    .replace(FLAG_VALUE, (m, before: string, flag: string, gap: string, value: string) =>
      isCredentialName(flag) && !isReference(value.replace(/^["']/, '')) && !HARMLESS.test(value)
        ? `${before}${flag}${gap}${MASK}`
        : m,
    );
}

/** Words of a command line with credentials masked, including a value that follows a credential-named flag. */
export function maskArgs(words: readonly string[], known: readonly string[] = []): string[] {
  return words.map((word, i) => {
    const before = i > 0 ? (words[i - 1] as string) : '';
    const flagged = /^--?[A-Za-z]/.test(before) && !before.includes('=') && isCredentialName(before);
    if (flagged && !isReference(word) && !HARMLESS.test(word) && !word.startsWith('-')) return MASK;
    return maskCredentials(word, known);
  });
}

/** How a value given to Claude may be shown. */
export interface ShownValue {
  /** The value as written; null when it is, or may be, a credential. */
  value: string | null;
  /** In place of a withheld value: its masked form (credential patterns keep their public prefix). */
  masked: string | null;
}

/**
 * A literal value under a name: shown only when it is not secret-shaped. Secret-shaped is a credential
 * pattern, a known secret or piece of one, a URL with a password, or any value but `true`/`false`/`0`/`1`
 * under a credential's name.
 */
export function shownLiteral(name: string, value: string, known: readonly string[] = []): ShownValue {
  const masked = maskCredentials(value, known);
  if (masked !== value) return { value: null, masked };
  if (isCredentialName(name) && !HARMLESS.test(value)) return { value: null, masked: MASK };
  return { value, masked: null };
}
