import { basename, unwrap } from './claude-invocation.js';
import { isExactVersion, npmPin, within } from './mcp-pinning.js';
import type { Located, Span } from './span.js';
import type { ActionStep, Arg, ClaudeInstall, ScanModel } from './types.js';

/*
 * Recognising where Claude Code itself is installed or fetched — by a package manager, a package runner, the
 * install script piped to a shell, a dev container feature, or the action — and how exactly the release is
 * pinned. Readers hand over the words of their commands; whether those install Claude is decided here.
 */

const PACKAGE = '@anthropic-ai/claude-code';

/** `npm install`, `pnpm add`, `yarn global add`, `bun add`…: subcommands of each manager that install. */
const INSTALLERS = new Map<string, ReadonlySet<string>>([
  [
    'npm',
    new Set([
      'install',
      'i',
      'add',
      'in',
      'ins',
      'inst',
      'insta',
      'instal',
      'isnt',
      'isnta',
      'isntal',
      'isntall',
      'update',
      'up',
      'upgrade',
      'udpate',
    ]),
  ],
  ['pnpm', new Set(['add', 'install', 'i', 'update', 'up', 'upgrade'])],
  ['yarn', new Set(['add', 'upgrade', 'up'])],
  ['bun', new Set(['add', 'a', 'install', 'i', 'update'])],
  ['volta', new Set(['install'])],
]);

/** Options of the managers that take a value before the subcommand (`npm --prefix /opt install …`). */
const MANAGER_VALUED = new Set([
  '--prefix',
  '-C',
  '--dir',
  '--cwd',
  '--registry',
  '--userconfig',
  '--location',
]);

/** Package runners that fetch what they run: one word (`npx`), or a manager and its subcommand (`pnpm dlx`). */
const RUNNERS = new Set(['npx', 'pnpx', 'bunx']);
const RUNNER_SUBCOMMANDS = new Map<string, ReadonlySet<string>>([
  ['npm', new Set(['exec', 'x'])],
  ['pnpm', new Set(['dlx'])],
  ['yarn', new Set(['dlx'])],
  ['bun', new Set(['x'])],
]);
/** Runner options that take the next word as their value; `-p`/`--package` names the package itself. */
const RUNNER_VALUED = new Set([
  '-c',
  '--call',
  '--cache',
  '--registry',
  '--userconfig',
  '-w',
  '--workspace',
  '--cwd',
]);

/** The package word of Claude Code in `word` from `from` on, with the version after its `@`, if any. */
function claudePackage(word: Arg, from: number): { span: Span; version?: Located<string> } | undefined {
  const text = word.value.slice(from);
  if (text === PACKAGE) return { span: word.sub(from, word.value.length) };
  if (!text.startsWith(`${PACKAGE}@`)) return undefined;
  const at = from + PACKAGE.length + 1;
  return {
    span: word.sub(from, word.value.length),
    version: { value: word.value.slice(at), span: word.sub(at, word.value.length) },
  };
}

function installOf(
  how: ClaudeInstall['how'],
  via: string,
  found: { span: Span; version?: Located<string> },
): ClaudeInstall {
  const install: ClaudeInstall = { path: found.span.path, how, via, span: found.span };
  if (found.version) install.version = found.version;
  return install;
}

/**
 * `npm install -g @anthropic-ai/claude-code…` and the like at `words[i]`; undefined when `words[i]` is no
 * manager or does not install (`npm run`, `pnpm dlx`).
 */
function packageInstall(words: Arg[], i: number, name: string): ClaudeInstall[] | undefined {
  const subcommands = INSTALLERS.get(name);
  if (!subcommands) return undefined;
  let global = false;
  let sub: string | undefined;
  let j = i + 1;
  for (; j < words.length && sub === undefined; j++) {
    const w = (words[j] as Arg).value;
    if (w === '-g' || w === '--global' || w === '--location=global') global = true;
    else if (w.startsWith('-')) {
      if (MANAGER_VALUED.has(w)) j++;
    } else if (name === 'yarn' && w === 'global' && !global) global = true;
    else if (subcommands.has(w)) sub = w;
    else return undefined;
  }
  if (sub === undefined) return undefined;
  const installs: ClaudeInstall[] = [];
  for (; j < words.length; j++) {
    const w = words[j] as Arg;
    if (w.value === '-g' || w.value === '--global' || w.value === '--location=global') global = true;
    const found = claudePackage(w, 0);
    if (found) installs.push(installOf('package-install', '', found));
  }
  const via = name === 'yarn' && global ? `yarn global ${sub}` : `${name} ${sub}${global ? ' -g' : ''}`;
  return installs.map((install) => ({ ...install, via }));
}

/** `npx @anthropic-ai/claude-code`, `pnpm dlx …`, `npx -p @anthropic-ai/claude-code claude`: at `words[i]`. */
function runnerInstall(words: Arg[], i: number, name: string): ClaudeInstall[] | undefined {
  const sub = words[i + 1]?.value ?? '';
  const twoWords = RUNNER_SUBCOMMANDS.get(name)?.has(sub) ?? false;
  if (!RUNNERS.has(name) && !twoWords) return undefined;
  const via = twoWords ? `${name} ${sub}` : name;
  const installs: ClaudeInstall[] = [];
  for (let j = i + (twoWords ? 2 : 1); j < words.length; j++) {
    const w = words[j] as Arg;
    if (w.value === '--') {
      const found = words[j + 1] && claudePackage(words[j + 1] as Arg, 0);
      if (found) installs.push(installOf('package-runner', via, found));
      break;
    }
    if (w.value.startsWith('--package=')) {
      const found = claudePackage(w, '--package='.length);
      if (found) installs.push(installOf('package-runner', via, found));
    } else if (w.value === '-p' || w.value === '--package') {
      const found = words[j + 1] && claudePackage(words[j + 1] as Arg, 0);
      if (found) installs.push(installOf('package-runner', via, found));
      j++;
    } else if (w.value.startsWith('-')) {
      if (RUNNER_VALUED.has(w.value)) j++;
    } else {
      // The command it runs: the package itself, or a binary another `-p` brought.
      const found = claudePackage(w, 0);
      if (found) installs.push(installOf('package-runner', via, found));
      break;
    }
  }
  return installs;
}

/**
 * The installs of Claude Code one command makes, given its words: a package manager (`npm install -g
 * @anthropic-ai/claude-code`, `pnpm add -g`, `yarn global add`, `bun add -g`) or a package runner (`npx -y
 * @anthropic-ai/claude-code`, `bunx`, `pnpm dlx`, `npm exec`), through wrappers (`sudo`, `env`, `docker run
 * IMAGE …`).
 */
export function claudeInstallsInWords(words: Arg[]): ClaudeInstall[] {
  let i = 0;
  while (i < words.length) {
    const word = words[i] as Arg;
    if (word.dynamic) return [];
    const name = basename(word.value).toLowerCase();
    const found = packageInstall(words, i, name) ?? runnerInstall(words, i, name);
    if (found) return found;
    const next = unwrap(name, words, i, []);
    if (next === undefined || next <= i) return [];
    i = next;
  }
  return [];
}

/** Claude Code's install script, wherever it is fetched from: `https://claude.ai/install.sh` (and `.ps1`, `.cmd`). */
const INSTALL_SCRIPT = /(?:https?:\/\/)?(?:www\.)?claude\.ai\/install\.(?:sh|ps1|cmd)(?![\w.-])/i;
const FETCHERS = new Set(['curl', 'wget', 'irm', 'iwr', 'invoke-restmethod', 'invoke-webrequest']);
/** What runs a script handed to it: shells, PowerShell's `iex`, and `eval`/`source`. */
const INTERPRETERS = new Set([
  'bash',
  'sh',
  'zsh',
  'dash',
  'ksh',
  'iex',
  'invoke-expression',
  'eval',
  'source',
  '.',
]);

/** The index of the program a command runs, through wrappers, when it is one of `names`; else -1. */
function programAmong(words: Arg[], names: ReadonlySet<string>): number {
  let i = 0;
  while (i < words.length) {
    const name = basename((words[i] as Arg).value).toLowerCase();
    if (names.has(name)) return i;
    const next = unwrap(name, words, i, []);
    if (next === undefined || next <= i) return -1;
    i = next;
  }
  return -1;
}

/** A download of the install script: the command that fetches it and where its URL is written. */
export interface InstallScriptDownload {
  fetcher: string;
  url: Span;
}

/** The install script's URL in the words of a download (`curl -fsSL https://claude.ai/install.sh`). */
export function installScriptDownload(words: Arg[]): InstallScriptDownload | undefined {
  const at = programAmong(words, FETCHERS);
  if (at < 0) return undefined;
  for (const word of words.slice(at + 1)) {
    const m = INSTALL_SCRIPT.exec(word.value);
    if (m) {
      return {
        fetcher: basename((words[at] as Arg).value).toLowerCase(),
        url: word.sub(m.index, m.index + m[0].length),
      };
    }
  }
  return undefined;
}

/**
 * The install script run by the command `words`, which receives the download: on its standard input when
 * `holder` is absent (`curl … | bash -s 1.0.58`: what follows `-s` is the script's argument), or in the word
 * at `holder` (`bash <(curl …) 1.0.58`, `sh -c "$(curl …)" sh 1.0.58`, `eval "$(curl …)"`). Undefined when
 * the command does not run what it receives (`curl … | tee install.sh`).
 */
export function installScriptRun(
  download: InstallScriptDownload,
  words: Arg[],
  holder?: number,
): ClaudeInstall | undefined {
  const at = programAmong(words, INTERPRETERS);
  if (at < 0 || (holder !== undefined && holder <= at)) return undefined;
  const program = basename((words[at] as Arg).value).toLowerCase();
  let version: Arg | undefined;
  if (program === 'eval' || program === 'iex' || program === 'invoke-expression') version = undefined;
  else if (holder === undefined) {
    const s = words.findIndex((w, k) => k > at && /^-[a-zA-Z]*s[a-zA-Z]*$/.test(w.value));
    if (s > 0) version = words[words[s + 1]?.value === '--' ? s + 2 : s + 1];
  } else if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(words[holder - 1]?.value ?? '')) {
    // `sh -c SCRIPT NAME ARG…`: the word after the script is its $0.
    version = words[holder + 2];
  } else version = words[words[holder + 1]?.value === '--' ? holder + 2 : holder + 1];
  const install: ClaudeInstall = {
    path: download.url.path,
    how: 'install-script',
    via: `${download.fetcher} | ${program}`,
    span: download.url,
  };
  if (version && !version.value.startsWith('-'))
    install.version = { value: version.value, span: version.span };
  return install;
}

const MAX_FEATURE_ID = 512;

/** Anthropic's own feature: it has no version option, and installs the newest release. */
const ANTHROPIC_FEATURE = /^ghcr\.io\/anthropics\/devcontainer-features\/claude-code(?:[:@]|$)/;

/**
 * A dev container feature that installs Claude Code — its id's last part is `claude-code`
 * (`ghcr.io/anthropics/devcontainer-features/claude-code:1`) — with the `version` option given to it. A local
 * feature (`./features/claude-code`) is the repository's own script, read where it is written.
 */
export function claudeFeature(id: Located<string>, version?: Located<string>): ClaudeInstall | undefined {
  const ref = id.value.trim();
  // No feature id is this long; a longer one is not quoted in a message.
  if (ref.length > MAX_FEATURE_ID || /^(\.{1,2}\/|\/)/.test(ref)) return undefined;
  const name = ref
    .replace(/@sha256:[0-9a-f]+$/i, '')
    .replace(/:[^/:]*$/, '')
    .split('/')
    .pop();
  if (name !== 'claude-code') return undefined;
  const install: ClaudeInstall = { path: id.span.path, how: 'devcontainer-feature', via: ref, span: id.span };
  if (version) install.version = version;
  return install;
}

/** The action a step uses, as an install of Claude Code pinned by its ref (the part after `@`). */
function actionInstall(action: ActionStep): ClaudeInstall {
  const { uses } = action;
  const at = uses.value.lastIndexOf('@') + 1;
  const span = within(uses.span, uses.value, at, uses.value.length - at);
  return {
    path: uses.span.path,
    how: 'action',
    via: uses.value.slice(0, at - 1),
    span,
    version: { value: action.ref, span },
  };
}

/**
 * Every place Claude Code is installed or fetched: the installs the readers recorded, and each step using
 * claude-code-action or claude-code-base-action, by file and position.
 */
export function claudeInstalls(model: Pick<ScanModel, 'installs' | 'runs'>): ClaudeInstall[] {
  const actions = model.runs.flatMap((run) => (run.action ? [actionInstall(run.action)] : []));
  return [...model.installs, ...actions].sort(
    (a, b) =>
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
      a.span.line - b.span.line ||
      a.span.column - b.span.column,
  );
}

/** How exactly an install names the release of Claude Code it gets. */
export interface InstallPinning {
  /**
   * `exact`: one release; `commit`: the action at a full commit SHA; `tag`: the action at a tag, which can be
   * moved; `unpinned`: a branch, a channel, a range or nothing; `unknown`: only known when it runs (`$VERSION`).
   */
  pin: 'exact' | 'commit' | 'tag' | 'unpinned' | 'unknown';
  /** Why, in a few words. */
  why: string;
}

/** A version written with something only known when it runs: `$VERSION`, `${{ inputs.v }}`, `%V%`. */
const DYNAMIC = /\$|\{\{|%[A-Za-z_]\w*%/;

/** Text from the scanned file as a message quotes it: long text cut short. */
function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

export function installPinning(install: ClaudeInstall): InstallPinning {
  const version = install.version?.value.trim();
  if (version !== undefined && DYNAMIC.test(version)) return { pin: 'unknown', why: 'set when it runs' };
  switch (install.how) {
    case 'action': {
      const ref = version ?? '';
      if (/^[0-9a-f]{40}$/i.test(ref)) return { pin: 'commit', why: 'a full commit SHA' };
      if (/^v?\d+(\.\d+){0,2}$/.test(ref))
        return { pin: 'tag', why: 'a tag, which can be moved to other code' };
      return {
        pin: 'unpinned',
        why: 'a branch or a moving name: each run takes whatever was pushed to it last',
      };
    }
    case 'package-install':
    case 'package-runner': {
      if (version === undefined || version === '')
        return { pin: 'unpinned', why: 'no version is given: it gets whatever release npm serves then' };
      if (npmPin(`${PACKAGE}@${version}`) === 'version') return { pin: 'exact', why: 'one release' };
      return /^[A-Za-z][\w.-]*$/.test(version)
        ? { pin: 'unpinned', why: `@${clip(version)} is a tag that moves with each release` }
        : { pin: 'unpinned', why: `@${clip(version)} is a range, not one release` };
    }
    case 'install-script':
      if (version === undefined)
        return { pin: 'unpinned', why: 'no version argument: the script installs the newest release' };
      return isExactVersion(version)
        ? { pin: 'exact', why: 'one release' }
        : { pin: 'unpinned', why: `"${clip(version)}" is a channel, not one release` };
    case 'devcontainer-feature':
      if (ANTHROPIC_FEATURE.test(install.via))
        return {
          pin: 'unpinned',
          why: 'the feature has no version option: it installs the newest release whenever the container is built',
        };
      if (version === undefined)
        return { pin: 'unpinned', why: 'no version option: it installs the newest release' };
      return isExactVersion(version)
        ? { pin: 'exact', why: 'one release' }
        : { pin: 'unpinned', why: `version "${clip(version)}" is not one release` };
  }
}
