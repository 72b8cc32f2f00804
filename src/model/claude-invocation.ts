import { envOrigin } from './env.js';
import { parseClaudeArgs } from './claude-command.js';
import type { Located, Span } from './span.js';
import type { Arg, ClaudeCommand, ClaudeRun, IsolationContext, RunContext } from './types.js';

/*
 * Recognising Claude among commands: the words of one command, as any reader found them (a shell script, a
 * Dockerfile's exec form, a workflow input), through the wrappers that start another command (`sudo`, `env`,
 * `timeout`, `npx`, `docker run`…), to the `claude` word or the `@anthropic-ai/claude-code` package.
 */

/** One `claude …` command found in a script. */
export interface ClaudeCall {
  /** The word that names Claude: `claude`, a path to it, or the `@anthropic-ai/claude-code` package. */
  program: Arg;
  args: Arg[];
  /** `NAME=value` prefixes (also those given to `env` and `sudo`), and `-e NAME=value` of a container runner. */
  env: CallEnv[];
  /** Wrappers Claude was started through (`sudo`, `timeout`, `npx`…), outermost first. */
  wrappers: Located<string>[];
  command: ClaudeCommand;
  /**
   * The user a `sudo`/`doas` wrapper runs it as (its `-u`, else `root` at the wrapper's word), or the user a
   * container runner's `-u`/`--user` names.
   */
  runAs?: Located<string>;
  /** Which of the two gave `runAs`. */
  runAsBy?: 'sudo' | 'container-option';
  /** A wrapper starts it with a fresh environment (`sudo` without `-E`, `env -i`, a container runner). */
  freshEnv?: boolean;
  /** The folder a `cd` before it in the same script moves to (`cd /srv && claude`). */
  workingDirectory?: Located<string>;
}

/** A variable a command line sets for Claude. */
export interface CallEnv {
  name: string;
  value: Arg;
  scope: 'command-line' | 'container-option' | 'script';
  nameSpan?: Span;
}

/** Options of `docker run`/`docker exec` (and podman's) that take a value. */
const CONTAINER_VALUED = (
  '-e --env --env-file -v --volume -w --workdir --name -u --user --network --net --entrypoint -p --publish ' +
  '--mount --platform -l --label --cpus -m --memory --gpus --add-host --cap-add --cap-drop --security-opt ' +
  '--ulimit --restart -h --hostname --pull --shm-size --tmpfs --device --dns --ipc --pid --runtime ' +
  '--stop-signal --log-driver --log-opt --detach-keys --cidfile --group-add --label-file --memory-swap'
).split(' ');
const DEVCONTAINER_VALUED = [
  '--workspace-folder',
  '--container-id',
  '--id-label',
  '--config',
  '--override-config',
  '--remote-env',
  '--docker-path',
  '--docker-compose-path',
  '--log-level',
  '--log-format',
  '--user-data-folder',
];

/** Wrappers that put the command inside a container, and which kind. */
const CONTAINER_WRAPPERS = new Map<string, IsolationContext>(
  Object.entries({
    'docker run': 'container',
    'docker exec': 'container',
    'podman run': 'container',
    'podman exec': 'container',
    'kubectl exec': 'container',
    'devcontainer exec': 'devcontainer',
  }),
);

/**
 * The run a Claude command found in a script makes, in its file's context: a command started through
 * `docker run` or `devcontainer exec` runs inside that container, whatever the file's own context.
 */
export function runOf(path: string, call: ClaudeCall, context: RunContext): ClaudeRun {
  const wrapper = call.wrappers.find((w) => CONTAINER_WRAPPERS.has(w.value));
  let inside: RunContext = context;
  if (wrapper) {
    // The file's user, folder and sudo rules are the host's, not the container's.
    const { user: _user, workingDirectory: _dir, sudoGrants: _sudo, ...host } = context;
    inside = {
      ...host,
      isolation: { value: CONTAINER_WRAPPERS.get(wrapper.value) as IsolationContext, span: wrapper.span },
    };
  } else if (call.workingDirectory) inside = { ...inside, workingDirectory: call.workingDirectory };
  if (call.runAs)
    inside = {
      ...inside,
      user: { ...call.runAs, from: call.runAsBy === 'container-option' ? 'setting' : 'sudo' },
    };
  return {
    kind: 'cli',
    path,
    span: call.program.span,
    context: inside,
    command: call.command,
    program: call.program,
    wrappers: call.wrappers,
    env: call.env.map(({ name, value, scope, nameSpan }) =>
      nameSpan
        ? { name, value, origin: envOrigin(value), scope, nameSpan }
        : { name, value, origin: envOrigin(value), scope },
    ),
  };
}

/** Wrappers that run a package: `npx @anthropic-ai/claude-code` is Claude. */
const PACKAGE_RUNNERS = new Set([
  'npx',
  'bunx',
  'npm exec',
  'npm x',
  'pnpm dlx',
  'pnpm exec',
  'yarn dlx',
  'yarn exec',
]);

const CLAUDE_PACKAGE = /^@anthropic-ai\/claude-code(@[^/\s]*)?$/;

/** Options of wrappers that take a value; every other option is a lone switch. */
const WRAPPERS = new Map<string, { valued: string[]; operands?: number }>(
  Object.entries({
    sudo: { valued: ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '--user', '--group'] },
    doas: { valued: ['-u', '-C'] },
    // Privilege droppers of container entry points: `gosu node claude`, `su-exec node claude`,
    // `runuser -u node -- claude`, `s6-setuidgid node claude`.
    gosu: { valued: [], operands: 1 },
    'su-exec': { valued: [], operands: 1 },
    's6-setuidgid': { valued: [], operands: 1 },
    runuser: {
      valued: ['-u', '--user', '-g', '--group', '-G', '--supp-group', '-w', '--whitelist-environment'],
    },
    // `ssh [options] host cmd…`: the command runs on that host (one word is a script for its shell).
    ssh: {
      valued: [
        '-p',
        '-i',
        '-l',
        '-o',
        '-F',
        '-J',
        '-L',
        '-R',
        '-D',
        '-b',
        '-c',
        '-E',
        '-e',
        '-m',
        '-O',
        '-Q',
        '-S',
        '-W',
        '-w',
        '-B',
      ],
      operands: 1,
    },
    env: { valued: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string'] },
    'cross-env': { valued: [] },
    'cross-env-shell': { valued: [] },
    dotenv: { valued: ['-e', '-c', '-v', '-p'] },
    timeout: { valued: ['-s', '--signal', '-k', '--kill-after'], operands: 1 },
    nohup: { valued: [] },
    exec: { valued: ['-a'] },
    nice: { valued: ['-n', '--adjustment'] },
    ionice: { valued: ['-c', '-n', '-p', '--class', '--classdata'] },
    time: { valued: ['-f', '-o', '--format', '--output'] },
    stdbuf: { valued: ['-i', '-o', '-e'] },
    command: { valued: [] },
    builtin: { valued: [] },
    noglob: { valued: [] },
    unbuffer: { valued: [] },
    chronic: { valued: [] },
    watch: { valued: ['-n', '--interval', '-d', '-q', '--equexit'] },
    // `-i`, `-l` and `-e` take their value only when it is attached (`-i{}`, `-l1`): alone they are switches.
    xargs: {
      valued: [
        '-I',
        '-n',
        '-P',
        '-L',
        '-d',
        '-E',
        '-s',
        '-a',
        '--max-args',
        '--max-procs',
        '--max-chars',
        '--arg-file',
        '--delimiter',
        '--process-slot-var',
      ],
    },
    npx: { valued: ['-p', '--package', '-c', '--call', '--cache', '--registry'] },
    bunx: { valued: ['-p', '--package'] },
  }),
);

/** The name a command word runs: its last path part. */
export function basename(word: string): string {
  const slash = word.lastIndexOf('/');
  return slash >= 0 ? word.slice(slash + 1) : word;
}

/**
 * The Claude command in a command's words, through any wrappers (`sudo`, `env`, `timeout`, `npx`…), or
 * undefined when the command does not start Claude. `env` collects `NAME=value` prefixes met on the way.
 */
export function claudeInWords(words: Arg[], env: CallEnv[] = []): ClaudeCall | undefined {
  const wrappers: Located<string>[] = [];
  let runAs: Located<string> | undefined;
  let runAsBy: 'sudo' | 'container-option' = 'sudo';
  let freshEnv = false;
  let i = 0;
  for (;;) {
    const word = words[i];
    if (!word) return undefined;
    // `"$HOME/.local/bin/claude"` is Claude wherever HOME points.
    if (word.dynamic && !/\/claude$/.test(word.value)) return undefined;
    // `npx @devcontainers/cli exec …` is the devcontainer CLI.
    const viaRunner = wrappers.some((w) => PACKAGE_RUNNERS.has(w.value));
    const name =
      viaRunner && /^@devcontainers\/cli(@|$)/.test(word.value) ? 'devcontainer' : basename(word.value);
    if (name === 'claude' || CLAUDE_PACKAGE.test(word.value)) {
      if (CLAUDE_PACKAGE.test(word.value) && !wrappers.some((w) => PACKAGE_RUNNERS.has(w.value)))
        return undefined;
      const args = words.slice(i + 1);
      const call: ClaudeCall = { program: word, args, env, wrappers, command: parseClaudeArgs(args) };
      if (runAs) {
        call.runAs = runAs;
        call.runAsBy = runAsBy;
      }
      if (freshEnv) call.freshEnv = true;
      return call;
    }
    const next = unwrap(name, words, i, env);
    if (next === undefined) return undefined;
    const runner = ['npm', 'pnpm', 'yarn', 'docker', 'podman', 'kubectl', 'devcontainer'].includes(name);
    const sub =
      words[i + 1]?.value === 'container' ? (words[i + 2]?.value ?? '') : (words[i + 1]?.value ?? '');
    const wrapper = runner ? `${name} ${sub}` : name;
    wrappers.push({ value: wrapper, span: word.span });
    const options = words.slice(i + 1, next).map((w) => w.value);
    if (name === 'sudo' || name === 'doas') {
      runAs = switchedUser(words, i + 1, next, word);
      runAsBy = 'sudo';
      // sudo resets the environment unless told to keep it.
      if (name === 'doas' || !options.some((o) => /^(-[A-Za-z]*E[A-Za-z]*|--preserve-env(=.*)?)$/.test(o)))
        freshEnv = true;
    } else if (name === 'gosu' || name === 'su-exec' || name === 's6-setuidgid') {
      const user = words[next - 1] as Arg;
      runAs = { value: user.value, span: user.span };
      runAsBy = 'sudo';
    } else if (name === 'runuser') {
      runAs = switchedUser(words, i + 1, next, word);
      runAsBy = 'sudo';
    } else if (
      name === 'env' &&
      options.some((o) => o === '-' || o === '--ignore-environment' || /^-[a-zA-Z]*i/.test(o))
    ) {
      freshEnv = true;
    } else if (CONTAINER_WRAPPERS.has(wrapper)) {
      // Inside the container: neither the outer user nor the outer environment; its own `-u`, when given.
      runAs = containerUser(words, i + 1, next);
      runAsBy = 'container-option';
      freshEnv = true;
    }
    i = next;
  }
}

/**
 * The user `sudo`/`doas` switches to, from its options `words[from…to)`: `-u name`, `-uname`, `--user=name`,
 * `-Eu name`; root (at the wrapper's word) when none is given; undefined when `-g` alone keeps the caller.
 */
function switchedUser(words: Arg[], from: number, to: number, wrapper: Arg): Located<string> | undefined {
  let group = false;
  for (let j = from; j < to; j++) {
    const w = words[j] as Arg;
    const next = words[j + 1];
    if (/^-[A-Za-z]*u$/.test(w.value) || w.value === '--user') {
      return next && j + 1 < to ? { value: next.value, span: next.span } : undefined;
    }
    if (w.value.startsWith('--user=')) return { value: w.value.slice(7), span: w.sub(7, w.value.length) };
    if (/^-u./.test(w.value)) return { value: w.value.slice(2), span: w.sub(2, w.value.length) };
    if (/^-[A-Za-z]*g$/.test(w.value) || w.value.startsWith('--group')) group = true;
  }
  return group ? undefined : { value: 'root', span: wrapper.span };
}

/** The user a container runner's options `words[from…to)` name: `-u root`, `--user=0`, `-u0:0`. */
function containerUser(words: Arg[], from: number, to: number): Located<string> | undefined {
  for (let j = from; j < to; j++) {
    const w = words[j] as Arg;
    if ((w.value === '-u' || w.value === '--user') && j + 1 < to) {
      const next = words[j + 1] as Arg;
      return { value: next.value, span: next.span };
    }
    if (w.value.startsWith('--user=')) return { value: w.value.slice(7), span: w.sub(7, w.value.length) };
    if (/^-u[^-]/.test(w.value)) return { value: w.value.slice(2), span: w.sub(2, w.value.length) };
  }
  return undefined;
}

/** When `words[i]` is a wrapper that runs the command after it, the index of that command. */
export function unwrap(name: string, words: Arg[], i: number, env: CallEnv[]): number | undefined {
  // `npm exec`, `pnpm dlx`, `pnpm exec`, `yarn dlx` behave like npx.
  if (
    (name === 'npm' || name === 'pnpm' || name === 'yarn') &&
    ['exec', 'dlx', 'x'].includes(words[i + 1]?.value ?? '')
  ) {
    return skipOptions(words, i + 2, WRAPPERS.get('npx')?.valued ?? [], env, 0);
  }
  // `kubectl exec [options] POD -- cmd…`: the command runs in the pod's container.
  if (name === 'kubectl' && words[i + 1]?.value === 'exec') {
    const dashes = words.findIndex((w, k) => k > i + 1 && w.value === '--');
    return dashes > 0 ? dashes + 1 : undefined;
  }
  // `docker run [options] IMAGE cmd…`, `docker exec [options] CONTAINER cmd…`, and podman's, and
  // `devcontainer exec [options] cmd…`: the command runs inside the container.
  const sub = words[i + 1]?.value === 'container' ? 2 : 1;
  if ((name === 'docker' || name === 'podman') && ['run', 'exec'].includes(words[i + sub]?.value ?? '')) {
    return skipOptions(words, i + sub + 1, CONTAINER_VALUED, env, 1, false, CONTAINER_ENV);
  }
  if (name === 'devcontainer' && words[i + 1]?.value === 'exec') {
    return skipOptions(words, i + 2, DEVCONTAINER_VALUED, env, 0, false, ['--remote-env']);
  }
  const spec = WRAPPERS.get(name);
  if (!spec) return undefined;
  if (name === 'command' && ['-v', '-V'].includes(words[i + 1]?.value ?? '')) return undefined;
  return skipOptions(
    words,
    i + 1,
    spec.valued,
    env,
    spec.operands ?? 0,
    ['env', 'sudo', 'cross-env', 'cross-env-shell'].includes(name),
  );
}

/** Options of `docker run` / `docker exec` that set a variable inside the container. */
const CONTAINER_ENV = ['-e', '--env'];

/** `arg` from character `offset` on, as a word of its own. */
function tail(arg: Arg, offset: number): Arg {
  return {
    ...arg,
    value: arg.value.slice(offset),
    span: arg.sub(offset, arg.value.length),
    sub: (a, b) => arg.sub(offset + a, offset + b),
  };
}

/** `NAME=value` in `arg` from `offset` on, as an assignment; undefined when it is not one. */
function assignmentIn(arg: Arg, offset: number): { name: string; value: Arg } | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(arg.value.slice(offset));
  if (!m) return undefined;
  const name = m[1] as string;
  return { name, value: tail(arg, offset + name.length + 1) };
}

function skipOptions(
  words: Arg[],
  from: number,
  valued: string[],
  env: CallEnv[],
  operands: number,
  takesAssignments = false,
  envOptions: string[] = [],
): number {
  let j = from;
  while (j < words.length) {
    const w = (words[j] as Arg).value;
    if (w === '--') {
      j++;
      break;
    }
    // `-e NAME=value`, `--env NAME=value`, `--env=NAME=value`: set inside the container, for Claude.
    const option = envOptions.find((o) => w === o || w.startsWith(`${o}=`));
    if (option) {
      const inline = w.length > option.length;
      const word = inline ? (words[j] as Arg) : words[j + 1];
      const set = word && assignmentIn(word, inline ? option.length + 1 : 0);
      if (set) env.push({ ...set, scope: 'container-option' });
      j += inline ? 1 : 2;
      continue;
    }
    if (w.startsWith('-') && w.length > 1) {
      // `-u ci`, and clusters such as `-Eu ci` whose last letter takes the value.
      const cluster = !w.startsWith('--') && w.length > 2 && valued.includes(`-${w.at(-1)}`);
      j += valued.includes(w) || cluster ? 2 : 1;
      continue;
    }
    const set = takesAssignments ? assignmentIn(words[j] as Arg, 0) : undefined;
    if (set) {
      env.push({ ...set, scope: 'command-line' });
      j++;
      continue;
    }
    break;
  }
  return j + operands;
}
