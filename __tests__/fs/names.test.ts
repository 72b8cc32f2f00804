import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { listFiles } from '../../src/fs/list.js';
import {
  pathInside,
  fromOsPath,
  hasRawBytes,
  nameFromBytes,
  osPath,
  splitNames,
} from '../../src/fs/names.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { renderJson } from '../../src/report/json.js';
import { renderText } from '../../src/report/text.js';
import { diskSource, scan } from '../../src/scan.js';

const bytes = (...b: number[]): Buffer => Buffer.from(b);

describe('names that are not UTF-8', () => {
  test.each([
    ['plain ASCII', Buffer.from('a/b.sh'), 'a/b.sh'],
    ['valid UTF-8, astral too', Buffer.from('é/😀.sh'), 'é/😀.sh'],
    ['a name holding U+FFFD itself', Buffer.from('a\uFFFD.sh'), 'a\uFFFD.sh'],
    ['lone bytes', bytes(0x75, 0xff, 0xfe, 0x2e, 0x73, 0x68), 'u\uDCFF\uDCFE.sh'],
    ['a truncated sequence', bytes(0x61, 0xe2, 0x82), 'a\uDCE2\uDC82'],
    ['an overlong form', bytes(0xc0, 0xaf), '\uDCC0\uDCAF'],
    ['an encoded surrogate', bytes(0xed, 0xa0, 0x80), '\uDCED\uDCA0\uDC80'],
    ['past U+10FFFF', bytes(0xf4, 0x90, 0x80, 0x80), '\uDCF4\uDC90\uDC80\uDC80'],
  ])('%s: decoded, and turned back into the same bytes', (_name, raw, text) => {
    const name = nameFromBytes(raw);
    expect(name).toBe(text);
    const os = osPath(name);
    expect(Buffer.isBuffer(os) ? os : Buffer.from(os)).toEqual(raw);
    expect(fromOsPath(os)).toBe(name);
  });

  test('an astral character whose low half lies in the escape range is not taken for a raw byte', () => {
    const name = String.fromCodePoint(0x10080); // \uD800\uDC80
    expect(hasRawBytes(name)).toBe(false);
    expect(osPath(name)).toBe(name);
  });

  test('NUL-separated names: fast when all are UTF-8, exact when some are not', () => {
    expect(splitNames(Buffer.from('a\0b c\0'))).toEqual(['a', 'b c']);
    const mixed = Buffer.concat([Buffer.from('x\0'), bytes(0x79, 0xff), Buffer.from('\0z')]);
    expect(splitNames(mixed)).toEqual(['x', 'y\uDCFF', 'z']);
  });
});

describe('a repository with such names', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const bypass = '#!/bin/sh\nclaude -p go --dangerously-skip-permissions\n';

  function make(git: boolean): string {
    const root = mkdtempSync(join(tmpdir(), 'claude-guard-names-'));
    dirs.push(root);
    mkdirSync(join(root, 'scripts'));
    writeFileSync(
      Buffer.concat([Buffer.from(`${root}/scripts/`), bytes(0x75, 0xff, 0x2e, 0x73, 0x68)]),
      bypass,
    );
    const folder = Buffer.concat([Buffer.from(`${root}/`), bytes(0xc3, 0x28)]);
    mkdirSync(folder);
    mkdirSync(Buffer.concat([folder, Buffer.from('/.claude')]));
    writeFileSync(
      Buffer.concat([folder, Buffer.from('/.claude/settings.json')]),
      '{"permissions": {"defaultMode": "bypassPermissions"}}\n',
    );
    if (git) {
      const env = { ...process.env, HOME: root, GIT_CONFIG_NOSYSTEM: '1' };
      const run = (...args: string[]): void => {
        execFileSync('git', args, { cwd: root, env, stdio: 'ignore' });
      };
      run('init', '-q');
      run('add', '-A');
      run('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'x');
    }
    return root;
  }

  test.each([
    ['walked', false],
    ['listed by git', true],
  ])('%s: every file is read, found at its place, and shown with its bytes escaped', async (_n, git) => {
    const root = make(git);
    const listing = await listFiles(root);
    expect(listing.via).toBe(git ? 'git' : 'walk');
    expect(listing.files).toEqual(
      expect.arrayContaining(['scripts/u\uDCFF.sh', '\uDCC3(/.claude/settings.json']),
    );
    const { verdict, secretValues } = await scan(await diskSource(root), defaultPolicy());
    const where = verdict.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}:${f.column}`);
    expect(where).toEqual(
      expect.arrayContaining(['CG101 scripts/u\uDCFF.sh:2:14', 'CG101 \uDCC3(/.claude/settings.json:1:34']),
    );
    const text = renderText(verdict, { secrets: secretValues });
    expect(text).toContain('scripts/u\\xFF.sh');
    expect(text).not.toMatch(/[\uD800-\uDFFF\uFFFD]/);
    const json = renderJson(verdict, { secrets: secretValues });
    expect(JSON.parse(json).findings.map((f: { path: string }) => f.path)).toContain('scripts/u\uDCFF.sh');
    expect(json).toContain('scripts/u\\udcff.sh');
  });
});

describe('pathInside', () => {
  test('a path under the folder, as a /-separated relative path; the folder itself and what lies outside, not', () => {
    expect(pathInside('/ws', '/ws/.github/claude-guard.yml')).toBe('.github/claude-guard.yml');
    expect(pathInside('/ws', '/ws/..hidden/p.yml')).toBe('..hidden/p.yml');
    expect(pathInside('/ws', '/ws')).toBeUndefined();
    expect(pathInside('/ws', '/etc/passwd')).toBeUndefined();
    expect(pathInside('/ws', '/ws/../etc/passwd')).toBeUndefined();
    expect(pathInside('/ws/a', '/ws/ab/x')).toBeUndefined();
  });
});
