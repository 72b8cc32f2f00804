import type { McpServer } from './types.js';

/**
 * Whether a stdio MCP server that Claude starts through a package runner (`npx`, `bunx`, `uvx`) or a
 * container (`docker run`) names an exact release. An unpinned one runs whatever the registry serves on the
 * day Claude starts it.
 */
export interface McpPinning {
  runner: 'npx' | 'bunx' | 'uvx' | 'docker';
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

/** The value an option is given, as `--from x` or `--from=x`. */
function optionValue(words: readonly string[], names: readonly string[], end: number): string | undefined {
  for (let i = 0; i < end; i++) {
    const word = words[i] as string;
    for (const name of names) {
      if (word === name) return words[i + 1];
      if (word.startsWith(`${name}=`)) return word.slice(name.length + 1);
    }
  }
  return undefined;
}

const isDynamic = (text: string): boolean => /\$/.test(text);
const isLocal = (text: string): boolean => /^(\.{0,2}\/|~\/|[A-Za-z]:[\\/]|file:)/.test(text);

/** An npm package spec: `pkg@1.2.3` is exact; `pkg`, `pkg@latest`, `pkg@^1` are not. */
function npmPin(spec: string): McpPinning['pin'] {
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
  if (runner === 'docker') {
    if (words[0] !== 'run') return undefined;
    const rest = words.slice(1);
    const at = firstOperand(rest, (o) => !DOCKER_FLAGS.has(o) && !DOCKER_SHORT_FLAGS.test(o));
    const image = at >= 0 ? rest[at] : undefined;
    return image === undefined ? { runner, pin: 'unknown' } : { runner, target: image, pin: imagePin(image) };
  }
  const options = VALUE_OPTIONS.get(runner) ?? new Set<string>();
  const at = firstOperand(words, (o) => options.has(o));
  const end = at >= 0 ? at : words.length;
  const named =
    runner === 'uvx' ? optionValue(words, ['--from'], end) : optionValue(words, ['-p', '--package'], end);
  const target = named ?? (at >= 0 ? words[at] : undefined);
  if (target === undefined) return { runner, pin: 'unknown' };
  return { runner, target, pin: runner === 'uvx' ? uvPin(target) : npmPin(target) };
}

const RUNNERS = new Map<string, McpPinning['runner']>([
  ['npx', 'npx'],
  ['bunx', 'bunx'],
  ['uvx', 'uvx'],
  ['docker', 'docker'],
  ['podman', 'docker'],
]);

/**
 * How a stdio server's package or image is pinned; undefined for a server that is not stdio or is not
 * started through npx, bunx, uvx or `docker run` (`podman run` counts as docker). A `command` that holds the
 * whole command line (`"npx -y pkg"`) is split on blanks.
 */
export function mcpPinning(server: McpServer): McpPinning | undefined {
  const transport = server.transport?.value ?? 'stdio';
  if (transport !== 'stdio' || !server.command) return undefined;
  const [program = '', ...inline] = server.command.value.trim().split(/\s+/);
  const runner = RUNNERS.get(programName(program));
  if (!runner) return undefined;
  return pinningOf(runner, [...inline, ...server.args.map((a) => a.value)]);
}
