/**
 * Material for hostile repositories, made at run time: credentials assembled from pieces (no key is ever
 * written whole in this source), unique canary tokens, and the small file-system moves an attacker makes
 * (FIFOs, symlinks, git repositories with a tampered `.git`).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** What a generated body must not hold, so that the scanner never takes it for a placeholder. */
const PLACEHOLDERISH = /your|here|placeholder|redacted|replace|insert|changeme|dummy|xxxx|example|(.)\1{3,}/i;

/** A deterministic, random-looking string (xorshift32) that never looks like a placeholder. */
export function randomish(length: number, seed: number, alphabet = ALNUM): string {
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
    let run = 1;
    let sequential = false;
    for (let i = 1; i < out.length; i++) {
      run = out.charCodeAt(i) === out.charCodeAt(i - 1) + 1 ? run + 1 : 1;
      if (run >= 4) sequential = true;
    }
    if (!PLACEHOLDERISH.test(out) && !sequential) return out;
  }
}

/** The public prefix of an Anthropic API key; what follows it is the secret body. */
export const KEY_PREFIX = 'sk-ant-' + 'api' + '03-';

export interface Key {
  /** The whole credential. */
  value: string;
  /** The part after the public prefix: no 16-character window of it may ever be printed. */
  body: string;
}

/** An Anthropic API key shaped like a real one: the prefix, a generated 93-character body, then `AA`. */
export function anthropicKey(seed: number): Key {
  const body = randomish(93, seed * 104729 + 17) + 'AA';
  return { value: KEY_PREFIX + body, body };
}

/** A token that appears nowhere but in files outside the scanned folder. */
export function canary(seed: number): string {
  return `CANARY${randomish(20, seed * 7 + 3, 'ABCDEFGHJKMNPQRSTUVWXYZ23456789')}`;
}

export const DSP = '--dangerously-' + 'skip-permissions';
export const BYPASS_JSON = '{"permissions":{"defaultMode":"bypassPermissions"}}\n';

/** Writes a file, making its folders. */
export function put(root: string, rel: string, content: string | Buffer = ''): string {
  const full = join(root, rel);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
  return full;
}

/** Writes a file whose name is raw bytes (invalid UTF-8 allowed) into an existing folder. */
export function putRawName(dir: string, name: Buffer, content: string): void {
  writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), name]), content);
}

export function mkfifo(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const r = spawnSync('mkfifo', [path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mkfifo ${path}: ${r.stderr}`);
}

export function symlink(target: string, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path);
}

/** An environment for the git commands that build repositories: no user or system configuration. */
export function gitEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'attacker',
    GIT_AUTHOR_EMAIL: 'a@example.invalid',
    GIT_COMMITTER_NAME: 'attacker',
    GIT_COMMITTER_EMAIL: 'a@example.invalid',
  };
}

export function git(cwd: string, home: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, env: gitEnv(home), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} in ${cwd}: ${r.stderr}`);
  return r.stdout;
}

/** `git init` + add everything + commit. */
export function commitAll(root: string, home: string): void {
  git(root, home, 'init', '-q');
  git(root, home, 'add', '-A');
  git(root, home, 'commit', '-q', '--no-verify', '-m', 'hostile');
}
