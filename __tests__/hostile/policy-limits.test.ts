/**
 * The policy system's own inputs written by an attacker, through the modules the command line and the action
 * use: globs by the hundred thousand, chains of extends that fan out, a remote API that lies about sizes
 * or sends a body without end, a repository named `..`, a baseline of nested arrays or that is a pipe.
 * Each must end fast with a located, one-line reason.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runCli } from '../../src/cli/run.js';
import { makeClient } from '../../src/github/client.js';
import { remotePolicyReader } from '../../src/github/policy-source.js';
import { loadPolicy, parsePolicyFile, PolicyError, resolvePolicy } from '../../src/policy/load.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { applySuppressions, type Suppressible } from '../../src/policy/suppress.js';
import { BaselineError, baselineFingerprints } from '../../src/verdict/baseline.js';

const tmp = mkdtempSync(join(tmpdir(), 'cg-policy-limits-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function failure(run: () => unknown): PolicyError {
  try {
    run();
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw error;
  }
  throw new Error('the policy was accepted');
}

async function failing(run: Promise<unknown>): Promise<PolicyError> {
  try {
    await run;
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw error;
  }
  throw new Error('the policy was accepted');
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

describe('path globs in a policy are bounded', () => {
  test('100 000 ignore globs: one error at ignore, fast (they took a minute against 3 000 files)', () => {
    const text = `version: 1\nignore: [${Array.from({ length: 100_000 }, (_, i) => `a${i}/**`).join(',')}]\n`;
    const { value: e, ms } = timed(() => failure(() => parsePolicyFile(text, 'p.yml')));
    expect(e.message).toBe(
      'p.yml:2:9: ignore: a policy may hold at most 1000 path globs, each {…} alternative counted (this one holds 100000)',
    );
    expect(ms).toBeLessThan(5_000);
  });

  test('{…} alternatives count: 250 exceptions of two globs of three alternatives each are too many', () => {
    const lines = ['version: 1', 'exceptions:'];
    for (let i = 0; i < 250; i++)
      lines.push(
        `- { rule: CG101, paths: ["**/s${i}*{a,b,c}*.sh", "x/{a,b,c}"], reason: r, owner: o, expires: 2099-01-01 }`,
      );
    const e = failure(() => parsePolicyFile(`${lines.join('\n')}\n`, 'p.yml'));
    expect(e.message).toMatch(
      /^p\.yml:169:25: exceptions\[166\]\.paths: a policy may hold at most 1000 path globs, each \{…\} alternative counted \(this one holds 1500\)$/,
    );
  });

  test('1 000 globs in one file are accepted', () => {
    const text = `version: 1\nignore: [${Array.from({ length: 1000 }, (_, i) => `a${i}/**`).join(',')}]\n`;
    expect(parsePolicyFile(text, 'p.yml').data.ignore).toHaveLength(1000);
  });

  test('exceptions against thousands of findings: each exception looks at its rule, once per file', () => {
    const findings: Suppressible[] = [];
    for (let i = 0; i < 3000; i++)
      for (const ruleId of ['CG101', 'CG103'])
        findings.push({ ruleId, path: `many/s${i}.sh`, line: 2, column: 1, suppression: null });
    const policy = defaultPolicy();
    const origin = { file: 'p.yml', line: 1, column: 1 };
    for (let i = 0; i < 330; i++)
      policy.exceptions.push({
        rule: 'CG101',
        paths: [`**/s${i}*[a-z]?*x`, `many/*${i}*`, '**'],
        reason: 'r',
        owner: 'o',
        expires: '2099-01-01',
        origin,
      } as (typeof policy.exceptions)[number]);
    const { ms } = timed(() => applySuppressions(findings, [], policy, '2026-01-01'));
    expect(
      findings.filter((f) => f.ruleId === 'CG101').every((f) => f.suppression?.kind === 'exception'),
    ).toBe(true);
    expect(findings.filter((f) => f.ruleId === 'CG103').every((f) => f.suppression === null)).toBe(true);
    expect(ms).toBeLessThan(5_000);
  });
});

describe('a chain of extends is bounded', () => {
  const read = (files: Record<string, string>) => async (path: string) => {
    const text = files[path];
    if (text === undefined) throw new Error('ENOENT');
    return text;
  };

  test('a fan of 16 × 16 policies: refused past 32 files, naming the chain', async () => {
    const files: Record<string, string> = {};
    const list = (names: string[]): string => `version: 1\nextends: [${names.join(', ')}]\n`;
    for (let i = 0; i < 16; i++) {
      files[`/r/a${i}.yml`] = list(Array.from({ length: 16 }, (_, j) => `b${i}_${j}.yml`));
      for (let j = 0; j < 16; j++) files[`/r/b${i}_${j}.yml`] = 'version: 1\n';
    }
    const root = list(Array.from({ length: 16 }, (_, i) => `a${i}.yml`));
    const e = await failing(
      resolvePolicy(root, 'root.yml', { kind: 'local', path: '/r/root.yml' }, { readLocal: read(files) }),
    );
    expect(e.message).toBe(
      '/r/a1.yml:2:144: extends: more than 32 policies in all: root.yml → /r/a1.yml → /r/b1_13.yml',
    );
  });

  test('globs add up along the chain: 600 + 600 is refused where the second list is', async () => {
    const globs = (p: string): string =>
      `version: 1\nignore: [${Array.from({ length: 600 }, (_, i) => `${p}${i}`).join(',')}]\n`;
    const files = { '/r/base.yml': globs('b') };
    const e = await failing(
      resolvePolicy(
        `extends: base.yml\n${globs('a')}`,
        'root.yml',
        { kind: 'local', path: '/r/root.yml' },
        {
          readLocal: read(files),
        },
      ),
    );
    expect(e.message).toBe(
      'root.yml:3:9: this policy and those it extends hold more than 1000 path globs in all, each {…} alternative counted: root.yml',
    );
  });

  test('a policy text over 1 MiB is refused before it is parsed, whoever read it', async () => {
    const big = `version: 1\n${'#'.repeat(1024 * 1024)}\n`;
    expect(failure(() => parsePolicyFile(big, 'p.yml')).message).toBe(
      'p.yml:1:1: the policy file is larger than 1 MiB',
    );
    const e = await failing(
      resolvePolicy(
        'version: 1\nextends: a.yml\n',
        'root.yml',
        { kind: 'local', path: '/r/root.yml' },
        {
          readLocal: read({ '/r/a.yml': big }),
        },
      ),
    );
    expect(e.message).toBe('/r/a.yml:1:1: the policy file is larger than 1 MiB');
  });

  test('a remote entry naming the repository "." or "..": refused, no request made', async () => {
    for (const repo of ['..', '.']) {
      let asked = 0;
      const e = await failing(
        resolvePolicy(
          `version: 1\nextends: acme/${repo}/p.yml@main\n`,
          'root.yml',
          { kind: 'local', path: '/r/root.yml' },
          {
            readLocal: read({}),
            readRemote: async () => {
              asked++;
              return 'version: 1\n';
            },
          },
        ),
      );
      expect(e.message).toBe(
        `root.yml:2:10: extends: "acme/${repo}/p.yml@main": "${repo}" is not a repository name`,
      );
      expect(asked).toBe(0);
    }
  });
});

describe('a hostile contents API', () => {
  let server: Server;
  let url: string;
  let answer: (res: import('node:http').ServerResponse) => void;
  const file = (text: string, extra: Record<string, unknown> = {}): string =>
    JSON.stringify({
      type: 'file',
      encoding: 'base64',
      size: Buffer.byteLength(text),
      name: 'p.yml',
      path: 'p.yml',
      sha: 'x',
      content: Buffer.from(text).toString('base64'),
      ...extra,
    });

  beforeAll(async () => {
    server = createServer((_req, res) => answer(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function reason(): Promise<string> {
    const reader = remotePolicyReader(makeClient('token', url, () => {}));
    try {
      await reader({ owner: 'acme', repo: 'policies', path: 'p.yml', ref: 'main' });
    } catch (error) {
      return (error as Error).message;
    }
    return 'read';
  }

  const json = (body: string) => (res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  };

  test('a size of 10 said for 1.2 MB of content: larger than 1 MiB', async () => {
    answer = json(file(`version: 1\n${'#'.repeat(1_200_000)}\n`, { size: 10 }));
    expect(await reason()).toBe('larger than 1 MiB');
  });

  test('a size of 10 said for 800 kB of content: read (it is under 1 MiB)', async () => {
    answer = json(file(`version: 1\n${'#'.repeat(800_000)}\n`, { size: 10 }));
    expect(await reason()).toBe('read');
  });

  test('an answer of 100 MiB without a length: dropped after 2 MiB, fast', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'x'.repeat(1 << 20);
      let sent = 0;
      const more = (): void => {
        while (sent < 100 && res.write(chunk)) sent++;
        if (sent >= 100) res.end();
        else res.once('drain', more);
      };
      res.on('close', () => (sent = 100));
      more();
    };
    const start = performance.now();
    expect(await reason()).toBe('larger than 1 MiB');
    expect(performance.now() - start).toBeLessThan(5_000);
  });

  test('content that is not a string, null, a listing, a symlink: short reasons', async () => {
    answer = json(JSON.stringify({ type: 'file', encoding: 'base64', size: 3, content: 12 }));
    expect(await reason()).toBe('the API sent no content');
    answer = json('null');
    expect(await reason()).toBe('not a file');
    answer = json(`[${file('a')}]`);
    expect(await reason()).toBe('not a file');
    answer = json(JSON.stringify({ type: 'symlink', target: '/etc/passwd', size: 11 }));
    expect(await reason()).toBe('not a file');
  });
});

describe('a hostile baseline', () => {
  test('64 MiB-class nesting and a million objects are refused before JSON.parse', () => {
    const deep = `${'['.repeat(2_000_000)}${']'.repeat(2_000_000)}`;
    expect(() => baselineFingerprints(deep, 'b.json')).toThrow(
      new BaselineError(
        'b.json: the baseline nests deeper than 64 levels or holds more than 1000000 arrays and objects',
      ),
    );
    const wide = `{"schemaVersion":1,"tool":{"name":"claude-guard"},"findings":[${'{},'.repeat(1_000_000)}{}]}`;
    const { ms } = timed(() => expect(() => baselineFingerprints(wide, 'b.json')).toThrow(BaselineError));
    expect(ms).toBeLessThan(5_000);
  });

  test('brackets inside strings do not count', () => {
    const fp = '0123456789abcdef0123456789abcdef';
    const text = `{"schemaVersion":1,"tool":{"name":"claude-guard"},"note":"${'[{\\"'.repeat(100)}","findings":[{"fingerprint":"${fp}"}]}`;
    expect([...baselineFingerprints(text, 'b.json')]).toEqual([fp]);
  });

  test('a baseline that is a FIFO: a usage error, no hang', async () => {
    const fifo = join(tmp, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    const repo = join(tmp, 'repo');
    mkdirSync(repo);
    writeFileSync(join(repo, 'x.sh'), 'echo hi\n');
    let err = '';
    const code = await runCli(['scan', repo, '--baseline', fifo], {
      cwd: tmp,
      env: {},
      stdout: () => {},
      stderr: (s) => (err += s),
      isTTY: false,
    });
    expect(code).toBe(2);
    expect(err).toBe(`claude-guard: --baseline ${fifo}: not a regular file\n`);
  });
});

test('a repository policy extending /etc/passwd and ../../ is refused unread, located', async () => {
  const repo = join(tmp, 'ext');
  mkdirSync(join(repo, '.github'), { recursive: true });
  const path = join(repo, '.github/claude-guard.yml');
  writeFileSync(path, 'version: 1\nextends: [/etc/passwd]\n');
  const e = await failing(loadPolicy(path, '.github/claude-guard.yml', true, repo));
  expect(e.message).toBe(
    '.github/claude-guard.yml:2:11: extends: cannot read /etc/passwd (the policy must be a file inside the workspace): .github/claude-guard.yml → /etc/passwd',
  );
  expect(e.message).not.toMatch(/root:/);
});
