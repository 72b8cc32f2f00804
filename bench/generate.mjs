// Deterministic synthetic repositories for `npm run bench` and the results-stability test: ordinary source
// trees with a few hundred workflows, Dockerfiles, scripts, package.json files and .claude/ folders, a small
// share of them with findings. The same (files, seed) always gives the same tree, byte for byte.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'const let return function import export from await async if else for while switch case break class ' +
  'interface type extends implements new this value result error request response config options data ' +
  'user id name items list map filter reduce string number boolean true false null undefined path file ' +
  'read write parse render handle update create delete fetch build test assert expect describe'
).split(' ');

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Assembled at run time so that no file of this project holds a key-shaped string whole. */
function fakeKey(rand) {
  let body = 'EXAMPLE';
  while (body.length < 91) body += ALNUM[Math.floor(rand() * ALNUM.length)];
  return 'sk-ant-' + 'api03-' + body + 'AA';
}

function sourceText(rand, bytes, ext) {
  const comment = ext === 'py' || ext === 'sh' ? '#' : '//';
  const lines = [];
  let size = 0;
  while (size < bytes) {
    const n = 3 + Math.floor(rand() * 9);
    const words = Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]);
    const indent = ' '.repeat(2 * Math.floor(rand() * 4));
    const line = rand() < 0.08 ? `${indent}${comment} ${words.join(' ')}` : `${indent}${words.join(' ')};`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

function sizeOf(rand) {
  // Mostly small files, a long tail of larger ones (200 B … ~40 kB).
  return Math.floor(200 * Math.exp(rand() * rand() * 5.3));
}

const workflow = (i, bad) => `name: agent-${i}
on:
  ${bad ? 'issue_comment:\n    types: [created]' : 'workflow_dispatch:'}
permissions:
  contents: read
jobs:
  run:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - uses: actions/checkout@v4
      - run: npm ci
      - name: Claude
        run: |
          claude -p "triage issue ${i}" --max-turns 5 \\
            ${bad ? '--dangerously-skip-permissions' : '--allowedTools "Bash(npm test:*)" Read'}
${
  i % 3 === 0
    ? `      - uses: anthropics/claude-code-action@v1
        with:
          anthropic_api_key: \${{ secrets.ANTHROPIC_API_KEY }}
          claude_args: |
            --allowedTools "Read,Grep,${bad ? 'Bash' : 'Bash(gh pr diff:*)'}"
`
    : ''
}`;

const plainWorkflow = (i) => `name: ci-${i}
on: [push, pull_request]
permissions: { contents: read }
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci && npm test
`;

/**
 * Writes a repository of about `files` files under `dir` and stages it in git. Returns how many of each
 * kind were written.
 */
export function generateRepo(dir, files, seed = 1) {
  const rand = prng(seed);
  const counts = {
    source: 0,
    workflows: 0,
    dockerfiles: 0,
    scripts: 0,
    packageJson: 0,
    claudeDirs: 0,
    keys: 0,
  };
  const write = (rel, text) => {
    const full = join(dir, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  };
  const workflows = Math.max(5, Math.round(Math.sqrt(files) * 1.0));
  for (let i = 0; i < workflows; i++) {
    if (i % 4 === 0) write(`.github/workflows/agent-${i}.yml`, workflow(i, i % 8 === 0));
    else write(`.github/workflows/ci-${i}.yml`, plainWorkflow(i));
    counts.workflows++;
  }
  let written = workflows;
  const exts = ['ts', 'ts', 'ts', 'js', 'py', 'md', 'json', 'go'];
  let pkg = 0;
  while (written < files) {
    const base = pkg % 7 === 0 ? `services/svc-${pkg}` : `packages/pkg-${pkg}`;
    const perPackage = 40 + Math.floor(rand() * 160);
    const bad = pkg % 11 === 5;
    write(
      `${base}/package.json`,
      `${JSON.stringify(
        {
          name: `@bench/pkg-${pkg}`,
          private: true,
          scripts: {
            build: 'tsc -p .',
            test: 'jest',
            ...(pkg % 5 === 0
              ? { agent: `claude -p "tidy" --allowedTools ${bad ? 'Bash' : '"Bash(npm run lint)"'}` }
              : {}),
          },
        },
        null,
        2,
      )}\n`,
    );
    counts.packageJson++;
    written++;
    if (pkg % 6 === 0) {
      write(
        `${base}/.claude/settings.json`,
        `${JSON.stringify({ permissions: { allow: ['Read', bad ? 'Bash' : 'Bash(npm test:*)'], deny: ['Read(./.env)'] } }, null, 2)}\n`,
      );
      counts.claudeDirs++;
      written++;
    }
    if (pkg % 9 === 0) {
      write(
        `${base}/Dockerfile`,
        `FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nUSER node\n${pkg % 18 === 0 ? 'ENTRYPOINT ["claude", "--dangerously-skip-permissions"]' : 'CMD ["node", "dist/index.js"]'}\n`,
      );
      counts.dockerfiles++;
      written++;
    }
    if (pkg % 4 === 0) {
      write(
        `${base}/scripts/run-agent.sh`,
        `#!/usr/bin/env bash\nset -euo pipefail\ncd "$(dirname "$0")/.."\n${bad ? 'claude --dangerously-skip-permissions -p "$1"' : 'claude -p "$1" --allowedTools Read'}\n`,
      );
      counts.scripts++;
      written++;
    }
    if (pkg % 23 === 7) {
      write(`${base}/.env.local`, `ANTHROPIC_API_KEY=${fakeKey(rand)}\n`);
      counts.keys++;
      written++;
    }
    for (let f = 0; f < perPackage && written < files; f++) {
      const ext = exts[Math.floor(rand() * exts.length)];
      const depth = Math.floor(rand() * 3);
      const folder = ['src', 'src/lib', 'src/components', 'test', 'docs'][Math.floor(rand() * 5)];
      const sub = depth > 0 ? `/${['core', 'util', 'api', 'ui'][Math.floor(rand() * 4)]}` : '';
      write(`${base}/${folder}${sub}/file-${f}.${ext}`, sourceText(rand, sizeOf(rand), ext));
      counts.source++;
      written++;
    }
    pkg++;
  }
  write('.gitignore', 'node_modules/\ndist/\n');
  execFileSync('git', ['init', '-q'], { cwd: dir });
  execFileSync('git', ['add', '-A'], { cwd: dir, maxBuffer: 1 << 30 });
  return counts;
}
