/**
 * Class 3: folders outside git, listed by the scanner's own walk that honours every `.gitignore`. The
 * attacker writes the `.gitignore` files: a million patterns, a thousand nested ones, patterns that
 * backtrack. Each run must still end in bounded time and report the bypass planted beside them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CaseContext, type HostileCase, hostileSuite } from './harness.js';
import { DSP, mkfifo, put, symlink } from './material.js';

const bypass = (ctx: CaseContext, rel = 'run.sh'): void => {
  put(ctx.root, rel, `#!/bin/sh\nclaude -p go ${DSP}\n`);
};

const cases: HostileCase[] = [
  {
    id: 'walk-million-patterns',
    title: 'a .gitignore of 1 000 000 patterns (~20 MB)',
    build: (ctx) => {
      const lines: string[] = [];
      for (let i = 0; i < 1_000_000; i++) lines.push(`build-${i.toString(36)}/**/*.tmp${i % 97}`);
      writeFileSync(join(ctx.root, '.gitignore'), `${lines.join('\n')}\n`);
      bypass(ctx);
      for (let i = 0; i < 20; i++) put(ctx.root, `src/f${i}.txt`, 'x\n');
    },
    expectStatus: [1],
    heavy: true,
  },
  {
    id: 'walk-nested-1000',
    title: 'a thousand nested folders, each with its own .gitignore (negations included)',
    build: (ctx) => {
      let dir = ctx.root;
      for (let i = 0; i < 1000; i++) {
        dir = join(dir, 'd');
        mkdirSync(dir);
        writeFileSync(join(dir, '.gitignore'), `*.log\n!keep.log\nx${i}\n/tmp-${i}/\n`);
        if (i % 100 === 0) writeFileSync(join(dir, 'keep.log'), 'x\n');
      }
      writeFileSync(join(dir, 'run.sh'), `#!/bin/sh\nclaude -p go ${DSP}\n`);
    },
    expectStatus: [1],
    heavy: true,
  },
  {
    id: 'walk-backtracking-patterns',
    title: "1 000 patterns '*a*a…*a*b' against a 200-character name",
    build: (ctx) => {
      const lines = Array.from({ length: 1000 }, (_, i) => `${'*a'.repeat(12)}*b${i}`);
      writeFileSync(join(ctx.root, '.gitignore'), `${lines.join('\n')}\n`);
      put(ctx.root, 'a'.repeat(200), 'x\n');
      put(ctx.root, `b/${'a'.repeat(200)}/${'a'.repeat(200)}`, 'x\n');
      bypass(ctx);
    },
    expectStatus: [1],
    heavy: true,
  },
  {
    id: 'walk-one-huge-pattern',
    title: 'a .gitignore that is one 8 MB pattern',
    build: (ctx) => {
      writeFileSync(join(ctx.root, '.gitignore'), `${'a*'.repeat(4_000_000)}\n`);
      put(ctx.root, 'a'.repeat(200), 'x\n');
      bypass(ctx);
    },
    expectStatus: [1],
    heavy: true,
  },
  {
    id: 'walk-wide',
    title: '3 000 sibling folders, each with a .gitignore and a file, under 10 000 top-level patterns',
    build: (ctx) => {
      writeFileSync(
        join(ctx.root, '.gitignore'),
        `${Array.from({ length: 10_000 }, (_, i) => `**/gen-${i}/**`).join('\n')}\n`,
      );
      for (let i = 0; i < 3000; i++) {
        const dir = join(ctx.root, `p${i}`);
        mkdirSync(dir);
        writeFileSync(join(dir, '.gitignore'), `*.o\n!x${i}.o\n`);
        writeFileSync(join(dir, `x${i}.o`), 'x\n');
      }
      bypass(ctx);
    },
    expectStatus: [1],
    heavy: true,
  },
  {
    id: 'walk-gitignore-not-a-file',
    title: '.gitignore files that are a FIFO, a symlink to /dev/zero, a folder',
    build: (ctx) => {
      mkfifo(join(ctx.root, '.gitignore'));
      symlink('/dev/zero', join(ctx.root, 'a/.gitignore'));
      mkdirSync(join(ctx.root, 'b/.gitignore'), { recursive: true });
      symlink('/dev/zero', join(ctx.root, 'c/zero.sh'));
      bypass(ctx, 'a/run.sh');
      bypass(ctx, 'b/run.sh');
    },
    expectStatus: [1],
    mayBlock: true,
  },
];

hostileSuite('walk', cases);
