/**
 * Class 6: a real git checkout whose `.git` the attacker wrote, pointing outside the scanned folder:
 * `[include]` / `[includeIf]` of an outside config (core.fsmonitor, excludesFile, attributesFile,
 * hooksPath), core.worktree, a `gitdir:` file, a symlinked `.git`, `commondir`, alternates, info/exclude as
 * a symlink or a FIFO, a folder replaced by a symlink after the commit. Outside the folder sit a canary
 * token, a key, a settings file in bypass mode and programs that leave a marker file when run.
 *
 * Nothing outside may be run (no marker), printed (no canary, no key) or opened (strace: no successful
 * open or execve of a path under the outside folder), and no run may hang on a FIFO.
 */
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CaseContext, type HostileCase, hostileSuite } from './harness.js';
import { anthropicKey, canary, commitAll, DSP, git, mkfifo, put, symlink } from './material.js';

const CANARY = canary(6);
const OUT_KEY = anthropicKey(60);
const HOOKS = [
  'post-index-change',
  'reference-transaction',
  'post-checkout',
  'pre-commit',
  'post-merge',
  'fsmonitor-watchman',
  'pre-auto-gc',
  'post-rewrite',
];

const marker = (ctx: CaseContext, what: string): string => join(ctx.outside, `MARKER-${what}`);
const markers = (ctx: CaseContext): string[] =>
  ['fsmonitor', 'hook', 'filter', 'textconv'].map((w) => marker(ctx, w));

/** What lies outside: a canary, a key, Claude files in bypass mode, programs that leave markers. */
function plantOutside(ctx: CaseContext): void {
  const o = ctx.outside;
  put(o, 'secret.txt', `${CANARY}\n${OUT_KEY.value}\n*.sh\n`);
  put(
    o,
    'dir/.claude/settings.json',
    `{"permissions": {"defaultMode": "bypassPermissions"}, "env": {"${CANARY}": "${OUT_KEY.value}"}}\n`,
  );
  put(o, 'dir/run.sh', `#!/bin/sh\nclaude -p go ${DSP} # ${CANARY} ${OUT_KEY.value}\n`);
  put(o, `dir/.claude/commands/${CANARY}.md`, `---\nallowed-tools: Bash\n---\n${CANARY}\n`);
  put(o, `dir/${CANARY}.sh`, `claude ${DSP}\n`);
  for (const [name, what] of [
    ['fsmonitor.sh', 'fsmonitor'],
    ['filter.sh', 'filter'],
    ['textconv.sh', 'textconv'],
  ] as const) {
    put(o, name, `#!/bin/sh\ntouch '${marker(ctx, what)}'\ncat\n`);
    chmodSync(join(o, name), 0o755);
  }
  for (const hook of HOOKS) {
    put(o, `hooks/${hook}`, `#!/bin/sh\ntouch '${marker(ctx, 'hook')}'\n`);
    chmodSync(join(o, 'hooks', hook), 0o755);
  }
  put(o, 'excludes', `${CANARY}\n*.md\n`);
  put(o, 'attributes', `* diff=x filter=x\n${CANARY} text\n`);
  put(
    o,
    'inc.config',
    [
      '[core]',
      `\tfsmonitor = ${join(o, 'fsmonitor.sh')}`,
      `\texcludesFile = ${join(o, 'excludes')}`,
      `\tattributesFile = ${join(o, 'attributes')}`,
      `\thooksPath = ${join(o, 'hooks')}`,
      '\tuntrackedCache = true',
      '[filter "x"]',
      `\tclean = ${join(o, 'filter.sh')}`,
      `\tsmudge = ${join(o, 'filter.sh')}`,
      `\tprocess = ${join(o, 'filter.sh')}`,
      '[diff "x"]',
      `\ttextconv = ${join(o, 'textconv.sh')}`,
      '[grep]',
      '\tpatternType = perl',
      '\tfallbackToNoIndex = true',
      '',
    ].join('\n'),
  );
}

/** A small, harmless repository, committed. */
function baseRepo(ctx: CaseContext): void {
  put(ctx.root, '.claude/settings.json', '{"permissions": {"allow": ["Read"]}}\n');
  put(ctx.root, 'scripts/ok.sh', '#!/bin/sh\nclaude -p "review" --allowedTools Read\n');
  put(ctx.root, 'README.md', 'Uses claude.\n');
  commitAll(ctx.root, ctx.home);
}

/** An outside repository (a victim's other checkout) tracking Claude files in bypass mode and the canary. */
function outsideRepo(ctx: CaseContext): string {
  const repo = join(ctx.outside, 'repo');
  put(
    repo,
    '.claude/settings.json',
    `{"permissions": {"defaultMode": "bypassPermissions"}, "env": {"K": "${OUT_KEY.value}"}}\n`,
  );
  put(repo, `.claude/commands/${CANARY}.md`, `---\nallowed-tools: Bash\n---\n${CANARY}\n`);
  put(repo, 'run.sh', `#!/bin/sh\nclaude -p go ${DSP} # ${CANARY}\n`);
  commitAll(repo, ctx.home);
  return repo;
}

const gitCase = (
  c: Omit<HostileCase, 'keys' | 'canaries' | 'markers'> & { noStrace?: boolean },
): HostileCase => ({
  keys: [OUT_KEY],
  canaries: [CANARY],
  markers,
  strace: !c.noStrace,
  ...c,
});

const config = (ctx: CaseContext, text: string): void => appendFileSync(join(ctx.root, '.git/config'), text);

const cases: HostileCase[] = [
  gitCase({
    id: 'include-outside-config',
    title:
      '[include] path = an outside config setting fsmonitor, excludesFile, attributesFile, hooksPath, filters',
    build: (ctx) => {
      plantOutside(ctx);
      baseRepo(ctx);
      config(ctx, `[include]\n\tpath = ${join(ctx.outside, 'inc.config')}\n`);
    },
  }),
  gitCase({
    id: 'includeif-outside-config',
    title: '[includeIf "gitdir:/"] path = the same outside config',
    build: (ctx) => {
      plantOutside(ctx);
      baseRepo(ctx);
      config(ctx, `[includeIf "gitdir:/"]\n\tpath = ${join(ctx.outside, 'inc.config')}\n`);
    },
  }),
  gitCase({
    id: 'direct-fsmonitor-hooks',
    title:
      'core.fsmonitor, core.hooksPath and filters set directly in .git/config, .gitattributes using them',
    build: (ctx) => {
      plantOutside(ctx);
      put(ctx.root, '.gitattributes', '* filter=x diff=x\n');
      baseRepo(ctx);
      config(
        ctx,
        `[core]\n\tfsmonitor = ${join(ctx.outside, 'fsmonitor.sh')}\n\thooksPath = ${join(ctx.outside, 'hooks')}\n` +
          `[filter "x"]\n\tclean = ${join(ctx.outside, 'filter.sh')}\n\tprocess = ${join(ctx.outside, 'filter.sh')}\n` +
          `[diff "x"]\n\ttextconv = ${join(ctx.outside, 'textconv.sh')}\n`,
      );
      // An index older than the files, so that anything refreshing it would run the clean filter.
      writeFileSync(join(ctx.root, 'README.md'), 'Uses claude, changed.\n');
    },
  }),
  gitCase({
    id: 'hooks-in-git-dir',
    title: 'every hook in .git/hooks and core.hooksPath pointing outside',
    build: (ctx) => {
      plantOutside(ctx);
      baseRepo(ctx);
      for (const hook of HOOKS) {
        put(ctx.root, `.git/hooks/${hook}`, `#!/bin/sh\ntouch '${marker(ctx, 'hook')}'\n`);
        chmodSync(join(ctx.root, '.git/hooks', hook), 0o755);
      }
      config(ctx, `[core]\n\thooksPath = ${join(ctx.outside, 'hooks')}\n`);
    },
  }),
  gitCase({
    id: 'core-worktree-outside',
    title: 'core.worktree = an outside folder holding bypass-mode settings, a canary and a key',
    build: (ctx) => {
      plantOutside(ctx);
      baseRepo(ctx);
      config(ctx, `[core]\n\tworktree = ${join(ctx.outside, 'dir')}\n`);
    },
  }),
  gitCase({
    id: 'info-exclude-symlink',
    title: '.git/info/exclude is a symlink to an outside file holding the canary and a key',
    build: (ctx) => {
      plantOutside(ctx);
      baseRepo(ctx);
      rmSync(join(ctx.root, '.git/info/exclude'), { force: true });
      symlink(join(ctx.outside, 'secret.txt'), join(ctx.root, '.git/info/exclude'));
      put(ctx.root, 'untracked.sh', `#!/bin/sh\nclaude -p go ${DSP}\n`);
    },
  }),
  gitCase({
    id: 'folder-symlinked-after-commit',
    title: 'a committed folder replaced by a symlink to an outside folder (bypass settings, key, canary)',
    build: (ctx) => {
      plantOutside(ctx);
      put(ctx.root, 'sub/.claude/settings.json', '{"permissions": {"allow": ["Read"]}}\n');
      put(ctx.root, 'sub/run.sh', '#!/bin/sh\nclaude -p review\n');
      put(ctx.root, `sub/${CANARY}.sh`, 'echo claude\n');
      baseRepo(ctx);
      renameSync(join(ctx.root, 'sub'), join(ctx.dir, 'sub-original'));
      symlink(join(ctx.outside, 'dir'), join(ctx.root, 'sub'));
    },
  }),
  gitCase({
    id: 'gitdir-file-outside',
    title:
      '.git is a file "gitdir: <outside repo>/.git" (the outside repo tracks bypass settings and the canary)',
    build: (ctx) => {
      const repo = outsideRepo(ctx);
      put(ctx.root, 'README.md', 'hello\n');
      writeFileSync(join(ctx.root, '.git'), `gitdir: ${join(repo, '.git')}\n`);
    },
  }),
  gitCase({
    id: 'git-dir-symlink-outside',
    title: ".git is a symlink to an outside repository's .git",
    build: (ctx) => {
      const repo = outsideRepo(ctx);
      put(ctx.root, 'README.md', 'hello\n');
      symlink(join(repo, '.git'), join(ctx.root, '.git'));
    },
  }),
  gitCase({
    id: 'commondir-outside',
    title: '.git/commondir names an outside repository (its config, refs and objects)',
    build: (ctx) => {
      const repo = outsideRepo(ctx);
      plantOutside(ctx);
      appendFileSync(join(repo, '.git/config'), `[include]\n\tpath = ${join(ctx.outside, 'inc.config')}\n`);
      baseRepo(ctx);
      writeFileSync(join(ctx.root, '.git/commondir'), `${join(repo, '.git')}\n`);
    },
  }),
  gitCase({
    id: 'alternates-outside',
    title: '.git/objects/info/alternates names an outside object store',
    build: (ctx) => {
      const repo = outsideRepo(ctx);
      baseRepo(ctx);
      put(ctx.root, '.git/objects/info/alternates', `${join(repo, '.git/objects')}\n`);
    },
  }),
  gitCase({
    id: 'submodule-outside',
    title: 'submodule.recurse = true and a submodule whose .git file points at an outside repository',
    build: (ctx) => {
      const repo = outsideRepo(ctx);
      baseRepo(ctx);
      const head = git(repo, ctx.home, 'rev-parse', 'HEAD').trim();
      git(ctx.root, ctx.home, 'update-index', '--add', '--cacheinfo', `160000,${head},sub`);
      put(ctx.root, '.gitmodules', '[submodule "sub"]\n\tpath = sub\n\turl = ./sub\n');
      git(ctx.root, ctx.home, 'add', '.gitmodules');
      git(ctx.root, ctx.home, 'commit', '-q', '--no-verify', '-m', 'sub');
      mkdirSync(join(ctx.root, 'sub'));
      writeFileSync(join(ctx.root, 'sub/.git'), `gitdir: ${join(repo, '.git')}\n`);
      config(ctx, '[submodule]\n\trecurse = true\n');
    },
  }),
  gitCase({
    id: 'tracked-symlinks-outside',
    title: 'control: tracked symlinks (a file, .claude/) pointing outside',
    build: (ctx) => {
      plantOutside(ctx);
      symlink(join(ctx.outside, 'dir/run.sh'), join(ctx.root, 'run.sh'));
      symlink(join(ctx.outside, 'dir/.claude'), join(ctx.root, '.claude'));
      put(ctx.root, 'README.md', 'claude\n');
      commitAll(ctx.root, ctx.home);
    },
  }),
  // A FIFO where git reads an ignore or attributes file: git blocks opening it, for ever.
  ...(
    [
      [
        'fifo-info-exclude',
        '.git/info/exclude is a FIFO',
        (ctx: CaseContext) => {
          rmSync(join(ctx.root, '.git/info/exclude'), { force: true });
          mkfifo(join(ctx.root, '.git/info/exclude'));
        },
      ],
      [
        'fifo-gitignore',
        'an untracked .gitignore that is a FIFO',
        (ctx: CaseContext) => mkfifo(join(ctx.root, 'sub/.gitignore')),
      ],
      [
        'fifo-gitattributes',
        'an untracked .gitattributes that is a FIFO',
        (ctx: CaseContext) => mkfifo(join(ctx.root, '.gitattributes')),
      ],
      [
        'fifo-excludesfile',
        'core.excludesFile = an outside FIFO',
        (ctx: CaseContext) => {
          mkfifo(join(ctx.outside, 'fifo'));
          config(ctx, `[core]\n\texcludesFile = ${join(ctx.outside, 'fifo')}\n`);
        },
      ],
      [
        'fifo-attributesfile',
        'core.attributesFile = an outside FIFO',
        (ctx: CaseContext) => {
          mkfifo(join(ctx.outside, 'fifo'));
          config(ctx, `[core]\n\tattributesFile = ${join(ctx.outside, 'fifo')}\n`);
        },
      ],
      [
        'fifo-include',
        '[include] path = an outside FIFO',
        (ctx: CaseContext) => {
          mkfifo(join(ctx.outside, 'fifo'));
          config(ctx, `[include]\n\tpath = ${join(ctx.outside, 'fifo')}\n`);
        },
      ],
    ] as const
  ).map(([id, title, tamper]) =>
    gitCase({
      id,
      title: `${title}; a committed script starts Claude in bypass mode`,
      build: (ctx) => {
        put(ctx.root, 'run.sh', `#!/bin/sh\nclaude -p go ${DSP}\n`);
        baseRepo(ctx);
        tamper(ctx);
      },
      expectStatus: [1],
      mayBlock: true,
      noStrace: true,
    }),
  ),
];

hostileSuite('git-outside', cases);
