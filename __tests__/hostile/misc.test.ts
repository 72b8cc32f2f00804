/**
 * Class 7: inputs shaped to exhaust a parser or the reports: JSON and YAML nested 100 000 deep, alias and
 * merge-key bombs, a 50 MB file, a findings flood, a one-line script of 25 000 commands, FIFOs and device
 * symlinks where files are expected, file names with newlines or invalid UTF-8, paths longer than PATH_MAX,
 * a policy that is a folder, a FIFO, a device, empty, too deep.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CaseContext, type HostileCase, hostileSuite } from './harness.js';
import { anthropicKey, commitAll, DSP, mkfifo, put, putRawName, symlink } from './material.js';

const bypassLine = `claude -p go ${DSP}`;
const bypass = (ctx: CaseContext, rel = 'scripts/zz-bypass.sh'): void => {
  put(ctx.root, rel, `#!/bin/sh\n${bypassLine}\n`);
};
const POLICY = '.github/claude-guard.yml';

/** Anchors a0…a(n-1), each a list of ten aliases of the one before: 10^(n-1) nodes when expanded. */
function aliasBomb(n: number, seed: string): string[] {
  const lines = [`x0: &a0 [${seed}, ${seed}]`];
  for (let i = 1; i < n; i++)
    lines.push(
      `x${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return lines;
}
/** Maps m0…m(n-1), each merging the one before twenty times over. */
function mergeBomb(n: number): string[] {
  const lines = ['m0: &m0 {k: v}'];
  for (let i = 1; i < n; i++)
    lines.push(
      `m${i}: &m${i} {<<: [${Array(20)
        .fill(`*m${i - 1}`)
        .join(', ')}], k${i}: v}`,
    );
  return lines;
}

/** Keys packed on one line: every finding's snippet is that line. */
const keysOneLine = Array.from({ length: 8000 }, (_, i) => anthropicKey(9000 + i));

const cases: HostileCase[] = [
  {
    id: 'settings-deep-arrays',
    title: 'settings.json: permissions.allow nested 100 000 arrays deep',
    build: (ctx) => {
      put(
        ctx.root,
        '.claude/settings.json',
        `{"permissions": {"allow": ${'['.repeat(100_000)}${']'.repeat(100_000)}}}\n`,
      );
      bypass(ctx);
    },
    expectStatus: [1],
  },
  {
    id: 'settings-deep-objects',
    title: 'settings.json and .mcp.json: objects nested 100 000 deep',
    build: (ctx) => {
      put(ctx.root, '.claude/settings.json', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}\n`);
      put(ctx.root, '.mcp.json', `{"mcpServers": ${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}\n`);
      bypass(ctx);
    },
    expectStatus: [1],
  },
  {
    id: 'settings-deep-unclosed',
    title: 'settings.json: 300 000 unclosed brackets (invalid JSON that is also deep)',
    build: (ctx) => {
      put(ctx.root, '.claude/settings.json', `{"permissions": ${'[{"a":'.repeat(150_000)}`);
      bypass(ctx);
    },
    expectStatus: [1],
  },
  {
    id: 'yaml-deep',
    title: 'a workflow, a GitLab file and front matter nested 100 000 flow sequences deep',
    build: (ctx) => {
      const deep = `${'['.repeat(100_000)}claude${']'.repeat(100_000)}`;
      put(ctx.root, '.github/workflows/deep.yml', `on: push\njobs: ${deep}\n`);
      put(ctx.root, '.gitlab-ci.yml', `job:\n  script: ${deep}\n`);
      put(ctx.root, '.claude/agents/deep.md', `---\ntools: ${deep}\n---\n`);
      bypass(ctx);
    },
    expectStatus: [1],
  },
  {
    id: 'yaml-alias-bombs',
    title: 'billion-laughs alias bombs in a workflow, GitLab, Compose, pre-commit and front matter',
    build: (ctx) => {
      const seed = `"claude -p go ${DSP}"`;
      put(
        ctx.root,
        '.github/workflows/bomb.yml',
        [
          ...aliasBomb(12, seed),
          'on: push',
          'jobs:',
          '  j:',
          '    runs-on: x',
          '    steps:',
          `      - run: claude -p go`,
          '        with: *a11',
          '',
        ].join('\n'),
      );
      put(ctx.root, '.gitlab-ci.yml', [...aliasBomb(12, seed), 'job:', '  script: *a11', ''].join('\n'));
      put(
        ctx.root,
        'compose.yaml',
        [...aliasBomb(12, seed), 'services:', '  s:', '    image: x', '    command: *a11', ''].join('\n'),
      );
      put(ctx.root, '.pre-commit-config.yaml', [...aliasBomb(12, seed), 'repos: *a11', ''].join('\n'));
      put(
        ctx.root,
        '.claude/commands/bomb.md',
        ['---', ...aliasBomb(12, 'Bash'), 'allowed-tools: *a11', '---', ''].join('\n'),
      );
      bypass(ctx);
    },
    expectStatus: [1],
  },
  {
    id: 'yaml-merge-bombs',
    title: 'merge-key (<<) bombs in a workflow, GitLab jobs with extends fan-out',
    build: (ctx) => {
      put(
        ctx.root,
        '.github/workflows/merge.yml',
        [
          ...mergeBomb(8),
          'on: push',
          'jobs:',
          '  j:',
          '    <<: *m7',
          '    runs-on: x',
          '    steps:',
          `      - run: ${bypassLine}`,
          '',
        ].join('\n'),
      );
      const gl = ['.t0:', '  script: [claude -p go]'];
      for (let i = 1; i < 12; i++)
        gl.push(
          `.t${i}:`,
          `  extends: [${Array(8)
            .fill(`.t${i - 1}`)
            .join(', ')}]`,
        );
      gl.push('job:', '  extends: .t11', ...mergeBomb(8).map((l) => l.replace(/^m/, '.m')));
      put(ctx.root, '.gitlab-ci.yml', `${gl.join('\n')}\n`);
    },
    expectStatus: [1],
  },
  {
    id: 'policy-alias-bomb',
    title: 'a policy that is an alias bomb',
    build: (ctx) => {
      put(ctx.root, POLICY, [...aliasBomb(12, '"**"'), 'version: 1', 'ignore: *a11', ''].join('\n'));
      bypass(ctx);
    },
    expectStatus: [2],
  },
  {
    id: 'policy-deep',
    title: 'a policy nested 100 000 flow sequences deep',
    build: (ctx) => {
      put(ctx.root, POLICY, `version: 1\nrules: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
      bypass(ctx);
    },
    expectStatus: [2],
  },
  {
    id: 'policy-deep-block',
    title: '--policy naming a policy nested 5 000 deep in block style',
    build: (ctx) => {
      put(
        ctx.outside,
        'block.yml',
        `version: 1\n${Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} x\n`,
      );
      bypass(ctx);
    },
    args: (ctx) => ['--policy', join(ctx.outside, 'block.yml')],
    policyDisplay: (ctx) => join(ctx.outside, 'block.yml'),
    expectStatus: [2],
  },
  {
    id: 'file-50mb',
    title: 'a 50 MB script full of claude invocations (walk)',
    build: (ctx) => {
      const line = `${bypassLine}\n`;
      writeFileSync(join(ctx.root, 'big.sh'), line.repeat(Math.ceil((50 * 1024 * 1024) / line.length)));
      bypass(ctx);
    },
    expectStatus: [1],
    heavy: true,
  },
  {
    id: 'file-50mb-git',
    title: 'the same 50 MB script committed (git grep reads it)',
    build: (ctx) => {
      const line = `${bypassLine}\n`;
      writeFileSync(join(ctx.root, 'big.sh'), line.repeat(Math.ceil((50 * 1024 * 1024) / line.length)));
      bypass(ctx);
      commitAll(ctx.root, ctx.home);
    },
    expectStatus: [1],
    heavy: true,
  },
  {
    id: 'findings-flood',
    title: 'settings.json with 100 000 "Bash" rules (100 000 findings)',
    build: (ctx) =>
      put(
        ctx.root,
        '.claude/settings.json',
        `{"permissions": {"allow": [${Array(100_000).fill('"Bash"').join(',\n')}]}}\n`,
      ),
    expectStatus: [1],
    heavy: true,
    // The text report of 100 000 findings is what is slow: every format is run.
    everyFormat: true,
  },
  {
    id: 'one-line-25k-commands',
    title: 'a 975 kB one-line script (under the 1 MiB limit) of 25 000 claude commands in bypass mode',
    build: (ctx) => put(ctx.root, 'run.sh', `${Array(25_000).fill(`claude ${DSP}`).join(';')}\n`),
    expectStatus: [1],
    heavy: true,
  },
  {
    id: 'fifo-settings',
    title: 'FIFOs named .claude/settings.json, .mcp.json, run.sh (walk)',
    build: (ctx) => {
      mkfifo(join(ctx.root, '.claude/settings.json'));
      mkfifo(join(ctx.root, '.mcp.json'));
      mkfifo(join(ctx.root, 'run.sh'));
      bypass(ctx);
    },
    expectStatus: [1],
    mayBlock: true,
  },
  {
    id: 'fifo-settings-git',
    title: 'committed .claude/settings.json and run.sh replaced by FIFOs (git)',
    build: (ctx) => {
      put(ctx.root, '.claude/settings.json', '{}\n');
      put(ctx.root, 'run.sh', 'claude -p x\n');
      bypass(ctx);
      commitAll(ctx.root, ctx.home);
      spawnSync('rm', ['-f', join(ctx.root, '.claude/settings.json'), join(ctx.root, 'run.sh')]);
      mkfifo(join(ctx.root, '.claude/settings.json'));
      mkfifo(join(ctx.root, 'run.sh'));
    },
    expectStatus: [1],
    mayBlock: true,
  },
  {
    id: 'fifo-policy',
    title: 'the policy .github/claude-guard.yml is a FIFO',
    build: (ctx) => {
      mkfifo(join(ctx.root, POLICY));
      bypass(ctx);
    },
    expectStatus: [2],
    mayBlock: true,
  },
  {
    id: 'fifo-policy-arg',
    title: '--policy names a FIFO',
    build: (ctx) => {
      mkfifo(join(ctx.dir, 'policy.fifo'));
      bypass(ctx);
    },
    args: (ctx) => ['--policy', join(ctx.dir, 'policy.fifo')],
    policyDisplay: (ctx) => join(ctx.dir, 'policy.fifo'),
    expectStatus: [2],
    mayBlock: true,
  },
  {
    id: 'device-symlinks',
    title:
      'settings, MCP, a script and the policy as symlinks to /dev/zero, /dev/urandom, /dev/stdin, /dev/tty',
    build: (ctx) => {
      symlink('/dev/zero', join(ctx.root, '.claude/settings.json'));
      symlink('/dev/urandom', join(ctx.root, '.mcp.json'));
      symlink('/dev/stdin', join(ctx.root, 'scripts/stdin.sh'));
      symlink('/dev/tty', join(ctx.root, 'scripts/tty.sh'));
      symlink('/dev/zero', join(ctx.root, POLICY));
      bypass(ctx);
    },
    expectStatus: [2],
    mayBlock: true,
  },
  {
    id: 'device-symlinks-in-tree',
    title: 'symlinks to /dev/zero and /proc/self/mem inside .claude/ (no policy)',
    build: (ctx) => {
      symlink('/dev/zero', join(ctx.root, '.claude/settings.json'));
      symlink('/proc/self/mem', join(ctx.root, '.claude/settings.local.json'));
      symlink('/dev/zero', join(ctx.root, '.claude/commands/zero.md'));
      bypass(ctx);
    },
    expectStatus: [1],
    mayBlock: true,
  },
  {
    id: 'policy-is-directory',
    title: 'the policy .github/claude-guard.yml is a folder',
    build: (ctx) => {
      mkdirSync(join(ctx.root, POLICY), { recursive: true });
      bypass(ctx);
    },
    expectStatus: [2],
  },
  {
    id: 'policy-odd-contents',
    title: 'a policy that is only a comment, a bare null, a list, a BOM and NULs',
    build: (ctx) => {
      put(ctx.root, POLICY, '\uFEFF# nothing\n---\n~\n---\n- 1\n\0\0\0\n');
      bypass(ctx);
    },
    expectStatus: [2],
  },
  {
    id: 'policy-over-1mib',
    title: 'a 1 MiB + 1 policy',
    build: (ctx) => {
      put(ctx.root, POLICY, `version: 1\n#${'x'.repeat(1024 * 1024)}\n`);
      bypass(ctx);
    },
    expectStatus: [2],
  },
  {
    id: 'policy-symlink-loop',
    title: 'the policy is a symlink loop; .claude/settings.json a symlink to itself',
    build: (ctx) => {
      symlink('claude-guard.yml', join(ctx.root, POLICY));
      symlink('settings.json', join(ctx.root, '.claude/settings.json'));
      bypass(ctx);
    },
    expectStatus: [2],
  },
  {
    id: 'name-newlines',
    title: 'scripts whose names hold a newline, start Claude in bypass mode (walk and git)',
    build: (ctx) => {
      put(ctx.root, 'walk/a\nb.sh', `#!/bin/sh\n${bypassLine}\n`);
      put(
        ctx.root,
        'walk/\n.claude/settings.json',
        '{"permissions": {"defaultMode": "bypassPermissions"}}\n',
      );
      const g = join(ctx.root, 'git');
      put(g, 'a\nb.sh', `#!/bin/sh\n${bypassLine}\n`);
      commitAll(g, ctx.home);
    },
    expectStatus: [1],
  },
  {
    id: 'name-invalid-utf8',
    title: 'a script named with invalid UTF-8 (\\xff\\xfe.sh) starting Claude in bypass mode (walk)',
    build: (ctx) => {
      mkdirSync(join(ctx.root, 'scripts'), { recursive: true });
      putRawName(
        join(ctx.root, 'scripts'),
        Buffer.from([0x75, 0xff, 0xfe, 0x2e, 0x73, 0x68]),
        `#!/bin/sh\n${bypassLine}\n`,
      );
    },
    expectStatus: [1],
  },
  {
    id: 'name-invalid-utf8-git',
    title: 'the same script committed (git ls-files -z lists the raw bytes)',
    build: (ctx) => {
      mkdirSync(join(ctx.root, 'scripts'), { recursive: true });
      putRawName(
        join(ctx.root, 'scripts'),
        Buffer.from([0x75, 0xff, 0xfe, 0x2e, 0x73, 0x68]),
        `#!/bin/sh\n${bypassLine}\n`,
      );
      put(ctx.root, 'README.md', 'claude\n');
      commitAll(ctx.root, ctx.home);
    },
    expectStatus: [1],
  },
  {
    id: 'name-invalid-utf8-dir',
    title: 'a folder named with invalid UTF-8 holding .claude/settings.json in bypass mode (walk)',
    build: (ctx) => {
      const dir = Buffer.concat([Buffer.from(`${ctx.root}/`), Buffer.from([0xc3, 0x28])]);
      mkdirSync(dir);
      mkdirSync(Buffer.concat([dir, Buffer.from('/.claude')]));
      writeFileSync(
        Buffer.concat([dir, Buffer.from('/.claude/settings.json')]),
        '{"permissions": {"defaultMode": "bypassPermissions"}}\n',
      );
    },
    expectStatus: [1],
  },
  {
    id: 'path-over-path-max',
    title: 'a script under a path of 5 000+ characters (longer than PATH_MAX)',
    build: (ctx) => {
      // One folder at a time, relative to the last: no system call ever sees the whole path (a shell's cd
      // would rebuild it).
      const make =
        "const fs = require('fs'); const seg = 'd'.repeat(250);" +
        'for (let i = 0; i < 21; i++) { fs.mkdirSync(seg); process.chdir(seg); }' +
        `fs.writeFileSync('run.sh', ${JSON.stringify(`#!/bin/sh\n${bypassLine}\n`)});`;
      const r = spawnSync(process.execPath, ['-e', make], { cwd: ctx.root, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      bypass(ctx);
    },
    expectStatus: [1],
  },
  {
    id: 'workflow-alias-fanout',
    title: 'a workflow whose 20 000 jobs each name one anchored list of 100 bypass steps (2 million steps)',
    build: (ctx) => {
      const steps = Array.from({ length: 100 }, () => `    - run: claude -p hi ${DSP}`);
      const jobs = Array.from({ length: 20_000 }, (_, i) => `  j${i}:\n    runs-on: x\n    steps: *steps`);
      put(
        ctx.root,
        '.github/workflows/w.yml',
        ['on: push', 'x-steps: &steps', ...steps, 'jobs:', ...jobs, ''].join('\n'),
      );
    },
    expectStatus: [1],
    heavy: true,
  },
  {
    id: 'keys-one-line',
    title: '8 000 Anthropic keys on one line of a settings file, each also a finding of its own',
    build: (ctx) => {
      const env = Object.fromEntries(keysOneLine.map((k, i) => [`K${i}`, k.value]));
      put(ctx.root, '.claude/settings.json', `${JSON.stringify({ env })}\n`);
    },
    keys: keysOneLine,
    expectStatus: [1],
    heavy: true,
    everyFormat: true,
  },
  {
    id: 'many-small-claude-files',
    title: '5 000 agent files each granting Bash',
    build: (ctx) => {
      for (let i = 0; i < 5000; i++)
        put(ctx.root, `.claude/commands/c${i}.md`, '---\nallowed-tools: Bash\n---\nx\n');
    },
    expectStatus: [1],
    heavy: true,
  },
];

hostileSuite('misc', cases);
