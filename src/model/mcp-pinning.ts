import type { Span } from './span.js';
import type { McpServer } from './types.js';

/**
 * Whether a stdio MCP server that Claude starts through a package runner (`npx`, `bunx`, `uvx`, `pipx run`)
 * or a container (`docker run`) names an exact release. An unpinned one runs whatever the registry serves on
 * the day Claude starts it.
 */
export interface McpPinning {
  runner: 'npx' | 'bunx' | 'uvx' | 'pipx' | 'docker';
  /** The package or image as written (`@scope/pkg@1.2.3`, `mcp/github@sha256:…`); absent when none is found. */
  target?: string;
  /**
   * `version`: an exact release (`1.2.3`, `==1.2.3`, an image tag `1.2.3`); `digest`: an image digest;
   * `commit`: a git source at a full commit; `unpinned`: a tag, a range or nothing; `unknown`: no package
   * named, one that is only known when the server starts (`$VERSION`), or a local path.
   */
  pin: 'version' | 'digest' | 'commit' | 'unpinned' | 'unknown';
}

/** An exact semantic version, with an optional leading `v`, pre-release and build. */
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** `1.2.3`, `v1.2.3`, `1.2.3-beta.1`: one release, not a range or a tag. */
export function isExactVersion(text: string): boolean {
  return EXACT_VERSION.test(text);
}
const COMMIT = /^[0-9a-f]{40}$/i;
const DIGEST = /@sha256:[0-9a-f]{64}$/i;

/**
 * Options of each runner that take the next word as their value; any other option is taken to stand alone.
 * For npx and bunx, `-p`/`--package` names the package itself.
 */
const VALUE_OPTIONS = new Map<McpPinning['runner'], ReadonlySet<string>>([
  [
    'npx',
    new Set([
      '-p',
      '--package',
      '-c',
      '--call',
      '--registry',
      '--cache',
      '--userconfig',
      '-w',
      '--workspace',
    ]),
  ],
  ['bunx', new Set(['-p', '--package', '--cwd', '--registry'])],
  [
    'uvx',
    new Set([
      '--from',
      '--with',
      '--with-editable',
      '--with-requirements',
      '-w',
      '--python',
      '-p',
      '--index',
      '--default-index',
      '--index-url',
      '-i',
      '--extra-index-url',
      '--find-links',
      '-f',
      '--constraints',
      '-c',
      '--overrides',
      '--directory',
      '--project',
      '--config-file',
      '--cache-dir',
      '--python-preference',
      '--color',
      '--exclude-newer',
      '--env-file',
      '--index-strategy',
      '--keyring-provider',
      '--resolution',
      '--prerelease',
      '--link-mode',
      '--refresh-package',
      '--reinstall-package',
      '--upgrade-package',
      '-P',
    ]),
  ],
]);

/** `docker run` options that stand alone; every other option takes a value (`-e X`, `--network host`). */
const DOCKER_FLAGS = new Set([
  '--rm',
  '--init',
  '--privileged',
  '--read-only',
  '--interactive',
  '--tty',
  '--detach',
  '--publish-all',
  '--no-healthcheck',
  '--oom-kill-disable',
  '--quiet',
  '--disable-content-trust',
  '--help',
]);
/** Bundled one-letter `docker run` options that stand alone: `-i`, `-t`, `-it`, `-d`, `-P`, `-q`. */
const DOCKER_SHORT_FLAGS = /^-[itdPq]+$/;

/** The program's name without folders or a Windows extension: `/usr/local/bin/npx.cmd` → `npx`. */
function programName(command: string): string {
  return (command.split(/[\\/]/).pop() ?? '').replace(/\.(cmd|exe|bat)$/i, '').toLowerCase();
}

// pipx reads the same requirement forms as uv (`pkg==1.2.3`, `--spec pkg==1.2.3`).
VALUE_OPTIONS.set('pipx', new Set(['--spec', '--python', '--index-url', '-i', '--pip-args', '--backend']));

/** The first word that is not an option, skipping options and the values they take. */
function firstOperand(words: readonly string[], takesValue: (option: string) => boolean): number {
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word === '--') return i + 1 < words.length ? i + 1 : -1;
    if (!word.startsWith('-') || word === '-') return i;
    if (!word.includes('=') && takesValue(word)) i++;
  }
  return -1;
}

/** The package or image among a runner's words: the word, and where in it the name starts. */
interface Target {
  index: number;
  from: number;
}

/** Where the value of an option is, given as `--from x` or `--from=x`. */
function optionValue(words: readonly string[], names: readonly string[], end: number): Target | undefined {
  for (let i = 0; i < end; i++) {
    const word = words[i] as string;
    for (const name of names) {
      if (word === name) return i + 1 < words.length ? { index: i + 1, from: 0 } : undefined;
      if (word.startsWith(`${name}=`)) return { index: i, from: name.length + 1 };
    }
  }
  return undefined;
}

const isDynamic = (text: string): boolean => /\$/.test(text);
const isLocal = (text: string): boolean => /^(\.{0,2}\/|~\/|[A-Za-z]:[\\/]|file:)/.test(text);

/** An npm package spec: `pkg@1.2.3` is exact; `pkg`, `pkg@latest`, `pkg@^1` are not. */
export function npmPin(spec: string): McpPinning['pin'] {
  if (isDynamic(spec) || isLocal(spec)) return 'unknown';
  const hash = spec.lastIndexOf('#');
  if (/^(git\+|github:|https?:)/.test(spec) || (hash > 0 && !spec.startsWith('@'))) {
    return hash > 0 && COMMIT.test(spec.slice(hash + 1)) ? 'commit' : 'unpinned';
  }
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  if (at < 0) return 'unpinned';
  return EXACT_VERSION.test(spec.slice(at + 1).replace(/^=/, '')) ? 'version' : 'unpinned';
}

/** A Python requirement as uv reads it: `pkg==1.2.3` or `pkg@1.2.3` is exact. */
function uvPin(spec: string): McpPinning['pin'] {
  if (isDynamic(spec) || isLocal(spec)) return 'unknown';
  if (/^git\+/.test(spec)) {
    const at = spec.lastIndexOf('@');
    return at > 0 && COMMIT.test(spec.slice(at + 1)) ? 'commit' : 'unpinned';
  }
  const exact = /^[A-Za-z0-9._-]+(?:\[[A-Za-z0-9._,\s-]*\])?\s*(?:===?|@)\s*([^\s,;]+)$/.exec(spec);
  return exact && /^v?\d+(\.\d+)*([a-z0-9.+-]*)$/i.test(exact[1] as string) ? 'version' : 'unpinned';
}

/** An image reference: a digest pins it; an exact version tag is a version; anything else is not pinned. */
function imagePin(image: string): McpPinning['pin'] {
  if (isDynamic(image)) return 'unknown';
  if (DIGEST.test(image)) return 'digest';
  const name = image.slice(image.lastIndexOf('/') + 1);
  const colon = name.indexOf(':');
  return colon >= 0 && EXACT_VERSION.test(name.slice(colon + 1)) ? 'version' : 'unpinned';
}

function pinningOf(runner: McpPinning['runner'], words: readonly string[]): McpPinning | undefined {
  return locatedPinningOf(runner, words)?.pinning;
}

/** The pinning of what a runner starts, with where its package or image is among `words`. */
function locatedPinningOf(
  runner: McpPinning['runner'],
  words: readonly string[],
): { pinning: McpPinning; at?: Target } | undefined {
  if (runner === 'docker' || runner === 'pipx') {
    // `docker run …`, `pipx run …`: the subcommand comes first.
    if (words[0] !== 'run') return undefined;
    const rest = words.slice(1);
    const at =
      runner === 'docker'
        ? firstOperand(rest, (o) => !DOCKER_FLAGS.has(o) && !DOCKER_SHORT_FLAGS.test(o))
        : firstOperand(rest, (o) => VALUE_OPTIONS.get('pipx')?.has(o) ?? false);
    const named = runner === 'pipx' ? optionValue(rest, ['--spec'], at >= 0 ? at : rest.length) : undefined;
    const found = named ?? (at >= 0 ? { index: at, from: 0 } : undefined);
    if (!found) return { pinning: { runner, pin: 'unknown' } };
    const target = (rest[found.index] as string).slice(found.from);
    const pin = runner === 'docker' ? imagePin(target) : uvPin(target);
    return { pinning: { runner, target, pin }, at: { index: found.index + 1, from: found.from } };
  }
  const options = VALUE_OPTIONS.get(runner) ?? new Set<string>();
  const at = firstOperand(words, (o) => options.has(o));
  const end = at >= 0 ? at : words.length;
  const named =
    runner === 'uvx' ? optionValue(words, ['--from'], end) : optionValue(words, ['-p', '--package'], end);
  const found = named ?? (at >= 0 ? { index: at, from: 0 } : undefined);
  if (!found) return { pinning: { runner, pin: 'unknown' } };
  const target = (words[found.index] as string).slice(found.from);
  return { pinning: { runner, target, pin: runner === 'uvx' ? uvPin(target) : npmPin(target) }, at: found };
}

const RUNNERS = new Map<string, McpPinning['runner']>([
  ['npx', 'npx'],
  ['bunx', 'bunx'],
  ['uvx', 'uvx'],
  ['pipx', 'pipx'],
  ['docker', 'docker'],
  ['podman', 'docker'],
]);

/**
 * How a stdio server's package or image is pinned; undefined for a server that is not stdio or is not
 * started through npx, bunx, uvx, `pipx run` or `docker run` (`podman run` counts as docker). A `command`
 * that holds the whole command line (`"npx -y pkg"`) is split on blanks.
 */
export function mcpPinning(server: McpServer): McpPinning | undefined {
  const transport = server.transport?.value ?? 'stdio';
  if (transport !== 'stdio' || !server.command) return undefined;
  const [program = '', ...inline] = server.command.value.trim().split(/\s+/);
  return runnerPinning(program, [...inline, ...server.args.map((a) => a.value)]);
}

/**
 * How the package or image a runner's command line starts is pinned, given the program (`npx`, `uvx`,
 * `/usr/bin/docker`…) and the words after it; undefined when the program is not one of the runners.
 */
export function runnerPinning(program: string, words: readonly string[]): McpPinning | undefined {
  const runner = RUNNERS.get(programName(program));
  return runner ? pinningOf(runner, words) : undefined;
}

/** `mcpPinning`, with where the package or image is written (absent when none is named). */
export function locatedMcpPinning(server: McpServer): { pinning: McpPinning; span?: Span } | undefined {
  const transport = server.transport?.value ?? 'stdio';
  const command = server.command;
  if (transport !== 'stdio' || !command) return undefined;
  // The command's own words (`"npx -y pkg"`), with where each starts in it.
  const inline = [...command.value.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: m.index ?? 0 }));
  const [program, ...rest] = inline;
  const runner = RUNNERS.get(programName(program?.text ?? ''));
  if (!runner) return undefined;
  const found = locatedPinningOf(runner, [...rest.map((w) => w.text), ...server.args.map((a) => a.value)]);
  if (!found) return undefined;
  const target = found.pinning.target;
  if (!found.at || target === undefined) return { pinning: found.pinning };
  const { index, from } = found.at;
  const word = rest[index];
  const arg = server.args[index - rest.length];
  const span = word
    ? within(command.span, command.value, word.start + from, target.length)
    : arg && within(arg.span, arg.value, from, target.length);
  return span ? { pinning: found.pinning, span } : { pinning: found.pinning };
}

/**
 * The span of `value.slice(from, from + length)` in a value located at `span`, when the value is written as
 * it reads (on one line, as long as its text: no escapes); else the whole value's span.
 */
export function within(span: Span, value: string, from: number, length: number): Span {
  if (span.line !== span.endLine || span.endColumn - span.column !== value.length) return span;
  return { ...span, column: span.column + from, endColumn: span.column + from + length };
}
