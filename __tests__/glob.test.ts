import { describe, expect, test } from '@jest/globals';
import { compileGlob, globsMatcher, MAX_GLOB_LENGTH } from '../src/policy/glob.js';
import { parsePolicy, PolicyError } from '../src/policy/load.js';

function matches(glob: string, path: string): boolean {
  const compiled = compileGlob(glob);
  if ('error' in compiled) throw new Error(compiled.error);
  return compiled.match(path);
}

describe('path globs', () => {
  test.each([
    ['vendor/**', 'vendor/a/b.json', true],
    ['vendor/**', 'vendor', true],
    ['vendor/**', 'vendors/a', false],
    ['vendor/', 'vendor/x/y', true],
    ['**/fixtures/**', 'a/b/fixtures/c.json', true],
    ['**/fixtures/**', 'fixtures/c.json', true],
    ['**/fixtures/**', 'a/fixturesx/c', false],
    ['*.md', 'README.md', true],
    ['*.md', 'docs/README.md', false],
    ['**/*.md', 'docs/a/README.md', true],
    ['.github/*.yml', '.github/claude-guard.yml', true],
    ['*', '.env', true],
    ['a?c', 'abc', true],
    ['a?c', 'a/c', false],
    ['[ab]x', 'bx', true],
    ['[!ab]x', 'bx', false],
    ['[a-c]x', 'cx', true],
    ['[^a-c]x', 'dx', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['{docs,examples}/**', 'examples/x', true],
    ['{docs,examples}/**', 'src/x', false],
    ['a/{b,{c,d}}/e', 'a/d/e', true],
    ['{x}', '{x}', true],
    ['./src/*.ts', 'src/a.ts', true],
    ['a//b', 'a/b', true],
    ['*a*a*a*a*b', 'xaxaxaxab', true],
    ['*a*a*a*a*b', 'aaaaaaaa', false],
  ])('%s against %s: %s', (glob, path, expected) => {
    expect(matches(glob, path)).toBe(expected);
  });

  test.each([
    ['', 'cannot be empty'],
    ['x'.repeat(MAX_GLOB_LENGTH + 1), `at most ${MAX_GLOB_LENGTH} characters`],
    ['!vendor/**', 'negated globs'],
    ['+(a|aa)+(a|aa)', 'extended globs'],
    ['@(a)', 'extended globs'],
    ['/etc/**', 'relative to the scanned folder'],
    ['../x', '".." cannot name'],
    ['a[bc', 'never closed'],
    ['a\\', 'lone "\\"'],
    ['{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}', 'at most 64 patterns'],
  ])('refuses %j: %s', (glob, why) => {
    const compiled = compileGlob(glob);
    expect('error' in compiled && compiled.error).toContain(why);
  });

  test('patterns built to backtrack finish: time grows with the product of the lengths, not exponentially', () => {
    const long = 'a'.repeat(4000);
    const stars = `${'*a'.repeat(500)}*b`;
    const deep = `${'**/'.repeat(300)}x`;
    const manyFolders = Array.from({ length: 2000 }, () => 'a').join('/');
    expect(matches(stars, long)).toBe(false);
    expect(matches(deep, manyFolders)).toBe(false);
    expect(matches(`${'*'.repeat(1000)}b`, long)).toBe(false);
    expect(matches(`**/${'a*'.repeat(300)}`, `${manyFolders}/${long}`)).toBe(true);
  });

  test('globsMatcher: any of several; none matches nothing', () => {
    const m = globsMatcher(['docs/**', '*.lock']);
    expect(['docs/a', 'yarn.lock', 'src/a'].map(m)).toEqual([true, true, false]);
    expect(globsMatcher([])('x')).toBe(false);
  });

  test('a refused glob in a policy is an error at its line and column', () => {
    const text = `version: 1\nignore:\n  - "docs/**"\n  - "${'*a'.repeat(600)}*b"\n`;
    expect(() => parsePolicy(text, '.github/claude-guard.yml')).toThrow(PolicyError);
    expect(() => parsePolicy(text, '.github/claude-guard.yml')).toThrow(
      /^\.github\/claude-guard\.yml:4:5: ignore\[1\]: a glob may be at most 1024 characters long/,
    );
    expect(() => parsePolicy('version: 1\nignore: ["!x"]\n', 'p.yml')).toThrow(
      'p.yml:2:10: ignore[0]: negated globs',
    );
  });
});
