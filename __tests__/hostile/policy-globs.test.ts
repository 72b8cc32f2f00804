/**
 * Class 2: `ignore:` globs in the repository's own policy, written to make the glob compiler or matcher
 * blow up against a long file name. Each run must end fast with exit 0/1, or exit 2 with a located message.
 */
import { type HostileCase, hostileSuite } from './harness.js';
import { DSP, put } from './material.js';

const LONG_NAME = 'a'.repeat(200);

function globCase(
  id: string,
  title: string,
  globs: string[] | string,
  extra: Partial<HostileCase> = {},
): HostileCase {
  return {
    id,
    title,
    build: (ctx) => {
      put(ctx.root, LONG_NAME, 'x\n');
      put(ctx.root, `deep/${'a'.repeat(100)}/${LONG_NAME}`, 'x\n');
      put(ctx.root, 'run.sh', `#!/bin/sh\nclaude -p go ${DSP}\n`);
      const list =
        typeof globs === 'string' ? globs : globs.map((g) => `  - ${JSON.stringify(g)}`).join('\n');
      put(ctx.root, '.github/claude-guard.yml', `version: 1\nignore:\n${list}\n`);
    },
    // The policy is the attacker's own, so a glob may well ignore the bypass script (exit 0): what matters
    // is that the run ends, fast, with 0/1 or a located exit 2.
    ...extra,
  };
}

const cases: HostileCase[] = [
  globCase('glob-over-64k', 'a glob of 65 537 characters', ['a'.repeat(65_537)]),
  globCase('glob-300k', 'a glob of 300 000 characters with stars', ['*a'.repeat(150_000)]),
  globCase('glob-at-64k-stars', 'a glob of exactly 65 536 characters, all a*', ['a*'.repeat(32_768)], {
    heavy: true,
  }),
  globCase(
    'glob-star-trap',
    "'*a*a…*a*b' (20 stars) against a 200-character name of a's",
    [`${'*a'.repeat(20)}*b`],
    {
      heavy: true,
    },
  ),
  globCase('glob-globstar-chain', "'**/' × 200 then 'b'", [`${'**/'.repeat(200)}b`]),
  globCase('glob-globstar-a', "'**/a' × 100 then '/b'", [`${'**/a'.repeat(100)}/b`]),
  globCase('glob-extglob-plus', "'+(a|aa)' × 30 then 'b'", [`${'+(a|aa)'.repeat(30)}b`]),
  globCase('glob-extglob-at-star', "'@(a|a*)' × 25 then '!(a)'", [`${'@(a|a*)'.repeat(25)}!(a)`]),
  globCase('glob-extglob-nested', 'nested extglobs *(*(*(…(a|aa)…))) and !(!(!(…)))', [
    `${'*('.repeat(12)}a|aa${')'.repeat(12)}b`,
    `${'!('.repeat(12)}a${')'.repeat(12)}`,
    `${'+(a|*('.repeat(8)}a${'))'.repeat(8)}b`,
  ]),
  globCase('glob-braces-deep', "braces nested 2 000 deep: '{a,{a,{a,…}}}'", [
    `${'{a,'.repeat(2000)}b${'}'.repeat(2000)}`,
  ]),
  globCase('glob-braces-wide', 'one brace set of 20 000 alternatives', [
    `{${Array.from({ length: 20_000 }, (_, i) => `a${i}`).join(',')}}`,
  ]),
  globCase('glob-braces-product', "'{a,b}' × 40 (2^40 expansions)", [`${'{a,aa}'.repeat(40)}b`], {
    heavy: true,
  }),
  globCase('glob-ranges', 'numeric and character ranges: {1..99999999}, {a..z}×10', [
    '{1..99999999}',
    '{a..z}'.repeat(10),
    '{-99999999..99999999}x',
  ]),
  globCase('glob-parens-deep', "'(' × 10 000 and '[' × 10 000", ['('.repeat(10_000), '['.repeat(10_000)]),
  globCase('glob-invalid', 'invalid globs: [, [z-a], [[:alpha:], \\, ***, !, !!!, {a,b, ), ]]', [
    '[',
    '[z-a]',
    '[[:alpha:]',
    '\\',
    '***',
    '!',
    '!!!',
    '{a,b',
    ')',
    ']]',
    '?(',
    '@(',
  ]),
  globCase(
    'glob-twenty-thousand',
    '20 000 ignore globs',
    Array.from({ length: 20_000 }, (_, i) => `**/x${i}*/**/*.{js,ts}`),
  ),
  globCase('glob-empty', 'an empty glob', ['']),
  globCase(
    'glob-not-strings',
    'ignore entries that are a map, a number, null',
    '  - {a: 1}\n  - 5\n  - null',
  ),
  globCase('glob-scalar', 'ignore: a single string, not a list', ' "**"'),
];

hostileSuite('policy-globs', cases);
