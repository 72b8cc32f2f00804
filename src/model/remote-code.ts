import { basename, unwrap } from './claude-invocation.js';
import { type McpPinning, runnerPinning } from './mcp-pinning.js';
import type { Arg, RemoteCode, ShellCommand } from './types.js';

/*
 * Code a command line fetches from outside the repository and runs: a download handed to an interpreter
 * (`curl … | sh`, `eval "$(curl …)"`, `bash <(curl …)`, `bash -c "$(wget -qO- …)"`), or a package or image a
 * runner fetches without an exact version (`npx pkg`, `pnpm dlx pkg@latest`, `uvx tool`, `pipx run tool`,
 * `docker run image`). Read from the commands a reader found in a script, never from its text. Packages and
 * images fetched at an exact version or digest are found too (`fetchedCodeIn`), for the inventory to list.
 */

/** Wrappers that run the command after them on the same machine, with the same input. */
const PASS_THROUGH = new Set([
  'sudo',
  'doas',
  'env',
  'exec',
  'nohup',
  'timeout',
  'nice',
  'ionice',
  'command',
  'builtin',
  'stdbuf',
  'time',
  'chronic',
  'unbuffer',
  'cross-env',
  'dotenv',
]);

/** How an interpreter is given code: the options whose value is code, those that take another value. */
interface Interpreter {
  /** Options followed by code (`-c`, `-e`); for the shells and python, also inside a cluster (`-ec`). */
  code: readonly string[];
  /** The letter of the code option inside a cluster of one-letter options, where clusters are read. */
  codeLetter?: string;
  /** Options that take the next word as their value. */
  valued: readonly string[];
  /** Options after which it does not read a program at all (`python -m module`). */
  stops?: readonly string[];
  /** `-s`: the shells read their program from standard input even with operands. */
  fromStdin?: string;
}

const SHELL: Interpreter = {
  code: ['-c'],
  codeLetter: 'c',
  valued: ['-o', '-O', '+o', '+O', '--rcfile', '--init-file'],
  fromStdin: 's',
};
const INTERPRETERS = new Map<string, Interpreter>([
  ['sh', SHELL],
  ['bash', SHELL],
  ['zsh', SHELL],
  ['dash', SHELL],
  ['ksh', SHELL],
  ['mksh', SHELL],
  ['ash', SHELL],
  ['fish', { code: ['-c', '--command'], valued: ['-C', '--init-command', '-d', '--debug'] }],
  ['python', { code: ['-c'], codeLetter: 'c', valued: ['-W', '-X', '-Q'], stops: ['-m'] }],
  [
    'node',
    {
      code: ['-e', '--eval', '-p', '--print'],
      valued: ['-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions'],
    },
  ],
  ['perl', { code: ['-e', '-E'], valued: ['-I', '-x'] }],
  ['ruby', { code: ['-e'], valued: ['-I', '-r', '-C'] }],
  ['php', { code: ['-r'], valued: ['-c', '-d', '-z'] }],
  // PowerShell's `irm https://… | iex`.
  ['iex', { code: [], valued: [] }],
  ['invoke-expression', { code: [], valued: [] }],
]);

/** PowerShell's download commands, which write what they fetch to their output unless given `-OutFile`. */
const POWERSHELL_FETCHERS = new Set(['irm', 'iwr', 'invoke-restmethod', 'invoke-webrequest']);

/** The interpreter a program name runs: `python3.12` is python, `nodejs` is node. */
function interpreterOf(name: string): Interpreter | undefined {
  return INTERPRETERS.get(/^python(\d+(\.\d+)?)?$/.test(name) ? 'python' : name === 'nodejs' ? 'node' : name);
}

/** `find` actions that run a command for the files found, up to `;` (one file each) or `{} +` (many). */
const FIND_EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);

/** A command another one starts, and the index of the word it runs. */
interface Launched {
  command: ShellCommand;
  at: number;
}

/**
 * The commands a command runs, each with the index of the word it runs: past wrappers such as `sudo`, `env`
 * and `xargs` (whose command reads no pipeline: xargs gives it the input as arguments), and the commands of
 * `find … -exec cmd {} +`. Empty when what runs is not known (a word held in a variable).
 */
function launched(command: ShellCommand, depth = 0): Launched[] {
  const words = command.words;
  let i = 0;
  let fed = true;
  for (let hops = 0; hops < 8; hops++) {
    const word = words[i];
    if (!word || word.dynamic) return [];
    const name = basename(word.value);
    if (name === 'find') return depth < 4 ? findExecs(command, i, depth) : [];
    if (!PASS_THROUGH.has(name) && name !== 'xargs')
      return [{ command: fed ? command : { ...command, stdin: [] }, at: i }];
    const next = unwrap(name, words as Arg[], i, []);
    if (next === undefined) return [];
    if (name === 'xargs') fed = false;
    i = next;
  }
  return [];
}

/** The commands `find` at `words[at]` runs with `-exec`, `-execdir`, `-ok`, `-okdir`, through their own wrappers. */
function findExecs(command: ShellCommand, at: number, depth: number): Launched[] {
  const words = command.words;
  const out: Launched[] = [];
  for (let k = at + 1; k < words.length; k++) {
    if (!FIND_EXEC.has((words[k] as Arg).value)) continue;
    let end = k + 1;
    while (
      end < words.length &&
      !(
        (words[end] as Arg).value === ';' ||
        ((words[end] as Arg).value === '+' && words[end - 1]?.value === '{}')
      )
    )
      end++;
    const from = k + 1;
    const inner: ShellCommand = {
      words: words.slice(from, end),
      stdin: [],
      substituted: command.substituted
        .filter((s) => s.word >= from && s.word < end)
        .map((s) => ({ ...s, word: s.word - from })),
    };
    out.push(...launched(inner, depth + 1));
    k = end;
  }
  return out;
}

const programName = (word: Arg): string =>
  basename(word.value)
    .replace(/\.(exe|cmd)$/i, '')
    .toLowerCase();

/** Whether the option `word` is the interpreter's code option, alone or in a cluster (`-ec`). */
function isCodeOption(word: string, spec: Interpreter): boolean {
  if (spec.code.includes(word)) return true;
  return spec.codeLetter !== undefined && new RegExp(`^-[A-Za-z]*${spec.codeLetter}[A-Za-z]*$`).test(word);
}

/**
 * How an interpreter started at `words[at]` gets its program: from a code option (the index of the code's
 * word), from standard input, or from a file operand (its index).
 */
function programSource(
  words: readonly Arg[],
  at: number,
  spec: Interpreter,
): { from: 'code' | 'file'; word: number } | { from: 'stdin' } | { from: 'none' } {
  let stdin = false;
  for (let j = at + 1; j < words.length; j++) {
    const w = (words[j] as Arg).value;
    if (w === '--') {
      if (stdin) return { from: 'stdin' };
      return j + 1 < words.length ? fileOrStdin(words, j + 1) : { from: 'stdin' };
    }
    if (w.startsWith('--') && w.includes('=')) {
      const name = w.slice(0, w.indexOf('='));
      if (spec.code.includes(name)) return { from: 'code', word: j };
      continue;
    }
    if (isCodeOption(w, spec)) return j + 1 < words.length ? { from: 'code', word: j + 1 } : { from: 'none' };
    if (spec.stops?.includes(w)) return { from: 'none' };
    if (w === '-') return { from: 'stdin' };
    if (/^[-+][A-Za-z]/.test(w)) {
      if (spec.fromStdin && /^-[A-Za-z]+$/.test(w) && w.includes(spec.fromStdin)) stdin = true;
      // `-o pipefail`, and a cluster ending in an option that takes a value (`-euxo pipefail`).
      const last = w.length > 2 && !w.startsWith('--') ? `${w[0]}${w.at(-1)}` : w;
      if (spec.valued.includes(w) || spec.valued.includes(last)) j++;
      continue;
    }
    return stdin ? { from: 'stdin' } : fileOrStdin(words, j);
  }
  return { from: 'stdin' };
}

function fileOrStdin(words: readonly Arg[], j: number): { from: 'file'; word: number } | { from: 'stdin' } {
  return /^\/dev\/(stdin|fd\/0)$/.test((words[j] as Arg).value)
    ? { from: 'stdin' }
    : { from: 'file', word: j };
}

/** A URL fit to show: scheme, host and path, without credentials, query or fragment. */
function shownUrl(url: string): string {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)(?:[^@/?#\s]*@)?([^/?#\s]*)([^?#\s]*)/.exec(url);
  const shown = m ? `${m[1]}${m[2]}${m[3]}` : url;
  return shown.length > 120 ? `${shown.slice(0, 117)}…` : shown;
}

/** The value given to an option among `words` (`-o x`, `-ox`, `--output=x`, a cluster `-sSLo x`). */
function outputOf(words: readonly Arg[], short: string, long: string): string | undefined {
  for (let j = 1; j < words.length; j++) {
    const w = (words[j] as Arg).value;
    if (w === long) return words[j + 1]?.value ?? '';
    if (w.startsWith(`${long}=`)) return w.slice(long.length + 1);
    if (/^-[A-Za-z]/.test(w) && !w.startsWith('--')) {
      const at = w.indexOf(short);
      if (at < 0) continue;
      return at === w.length - 1 ? (words[j + 1]?.value ?? '') : w.slice(at + 1);
    }
  }
  return undefined;
}

const TO_STDOUT = new Set(['-', '/dev/stdout', '/dev/fd/1']);

/** A command that downloads something and writes it to its standard output: `curl URL`, `wget -qO- URL`. */
function downloadOf(command: ShellCommand): { fetcher: Arg; target?: string } | undefined {
  const first = launched(command)[0];
  if (!first) return undefined;
  const words = first.command.words.slice(first.at);
  const fetcher = words[0] as Arg;
  const name = programName(fetcher);
  if (name === 'curl') {
    // `-O`, `--remote-name`: saved to a file named after the URL; `-o FILE`: to that file.
    if (words.some((w) => /^--remote-name/.test(w.value) || /^-[A-Za-z]*O/.test(w.value))) return undefined;
    const out = outputOf(words, 'o', '--output');
    if (out !== undefined && !TO_STDOUT.has(out)) return undefined;
  } else if (name === 'wget') {
    // wget saves to a file unless told to write the document to standard output.
    const out = outputOf(words, 'O', '--output-document');
    if (out === undefined || !TO_STDOUT.has(out)) return undefined;
  } else if (POWERSHELL_FETCHERS.has(name)) {
    if (words.some((w) => /^-outf/i.test(w.value))) return undefined;
  } else if (!['http', 'https', 'xh', 'xhs'].includes(name)) return undefined;
  else if (words.some((w) => ['-d', '--download', '-o', '--output'].includes(w.value))) return undefined;
  const url = words.find((w, k) => k > 0 && !w.dynamic && /^(https?|ftp):\/\//i.test(w.value));
  return url ? { fetcher, target: shownUrl(url.value) } : { fetcher };
}

/**
 * A command that downloads something into a file, and that file's name as written: `curl -o FILE URL`,
 * `curl -O URL` (named after the URL), `wget URL`, `wget -O FILE URL`, `iwr URL -OutFile FILE`.
 */
function downloadToFile(
  command: ShellCommand,
  at: number,
): { file: string; fetcher: Arg; target?: string } | undefined {
  const words = command.words.slice(at);
  const fetcher = words[0] as Arg;
  const name = programName(fetcher);
  const url = words.find((w, k) => k > 0 && !w.dynamic && /^(https?|ftp):\/\//i.test(w.value))?.value;
  const named =
    url && /^[^?#]*\/([^/?#]+)(?:[?#]|$)/.exec(url.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/, ''))?.[1];
  let file: string | undefined;
  if (name === 'curl') {
    file = outputOf(words, 'o', '--output');
    if (
      file === undefined &&
      words.some((w) => /^--remote-name$/.test(w.value) || /^-[A-Za-z]*O[A-Za-z]*$/.test(w.value))
    )
      file = named;
  } else if (name === 'wget') {
    file = outputOf(words, 'O', '--output-document');
    if (
      file === undefined &&
      !words.some((w) => /^-[A-Za-z]*P/.test(w.value) || w.value.startsWith('--directory-prefix'))
    )
      file = named;
  } else if (POWERSHELL_FETCHERS.has(name)) {
    const k = words.findIndex((w) => /^-outf(ile)?$/i.test(w.value));
    if (k > 0) file = words[k + 1]?.value;
  } else return undefined;
  if (!file || TO_STDOUT.has(file)) return undefined;
  const found: { file: string; fetcher: Arg; target?: string } = { file: sameFile(file), fetcher };
  if (url) found.target = shownUrl(url);
  return found;
}

/** A file name as written, without a leading `./`. */
const sameFile = (file: string): string => file.replace(/^(\.\/)+/, '');

/**
 * A download saved to a file earlier in the same command line (`curl -o /tmp/i.sh URL && bash /tmp/i.sh`)
 * and run by the interpreter or `source` at `words[at]`.
 */
function savedDownloadRun(
  command: ShellCommand,
  at: number,
  saved: ReadonlyMap<string, { fetcher: Arg; target?: string }>,
): RemoteCode | undefined {
  if (saved.size === 0) return undefined;
  const words = command.words;
  const program = words[at] as Arg;
  const name = programName(program);
  let operand: Arg | undefined;
  if (name === 'source' || name === '.') operand = words[at + 1];
  else {
    const interpreter = interpreterOf(name);
    if (!interpreter) return undefined;
    const source = programSource(words, at, interpreter);
    if (source.from === 'file') operand = words[source.word];
  }
  const found = operand && saved.get(sameFile(operand.value));
  if (!found) return undefined;
  const remote: RemoteCode = {
    kind: 'download',
    span: program.span,
    runner: name,
    fetcher: { value: programName(found.fetcher), span: found.fetcher.span },
    how: 'download-and-run',
    pin: 'unpinned',
  };
  if (found.target) remote.target = found.target;
  return remote;
}

/** The first download among `commands`. */
function firstDownload(commands: readonly ShellCommand[]): ReturnType<typeof downloadOf> {
  for (const c of commands) {
    const found = downloadOf(c);
    if (found) return found;
  }
  return undefined;
}

/** A download handed to the interpreter, `eval` or `source` at `words[at]`, as the command runs it. */
function downloadRun(command: ShellCommand, at: number): RemoteCode | undefined {
  const words = command.words;
  const program = words[at] as Arg;
  const name = programName(program);
  const fromSubstitution = (word: number, kind: 'output' | 'file'): ReturnType<typeof downloadOf> =>
    firstDownload(
      command.substituted.filter((s) => s.word === word && s.kind === kind).flatMap((s) => s.commands),
    );
  let found: ReturnType<typeof downloadOf>;
  // Fed on standard input (a pipe, a here-string) or handed over otherwise (the code option, a file).
  let how: RemoteCode['how'] = 'download-and-run';
  if (name === 'eval') {
    how = 'eval';
    // `eval "$(curl …)"`, `` eval `curl …` ``: the output is the code.
    for (let k = at + 1; k < words.length && !found; k++) found = fromSubstitution(k, 'output');
  } else if (name === 'source' || name === '.') {
    const operand = at + 1;
    if (/^\/dev\/(stdin|fd\/0)$/.test(words[operand]?.value ?? '')) {
      found = firstDownload(command.stdin);
      how = 'pipe-to-shell';
    } else found = fromSubstitution(operand, 'file');
  } else {
    const interpreter = interpreterOf(name);
    if (!interpreter) return undefined;
    const source = programSource(words, at, interpreter);
    if (source.from === 'stdin') {
      found = firstDownload(command.stdin);
      how = 'pipe-to-shell';
    }
    // `bash -c "$(curl …)"`: the output is the code; `bash <(curl …)`: the download is the script file.
    else if (source.from === 'code') found = fromSubstitution(source.word, 'output');
    else if (source.from === 'file') found = fromSubstitution(source.word, 'file');
  }
  if (!found) return undefined;
  const remote: RemoteCode = {
    kind: 'download',
    span: program.span,
    runner: name,
    fetcher: { value: programName(found.fetcher), span: found.fetcher.span },
    how,
    pin: 'unpinned',
  };
  if (found.target) remote.target = found.target;
  return remote;
}

/** A runner that fetches a package or an image, by program and subcommand, and the runner it acts like. */
function runnerAt(
  words: readonly Arg[],
  at: number,
): { runner: string; like: string; from: number } | undefined {
  const name = programName(words[at] as Arg);
  const sub = words[at + 1]?.value;
  if (name === 'npx' || name === 'pnpx') return { runner: name, like: 'npx', from: at + 1 };
  if (name === 'bunx' || name === 'uvx') return { runner: name, like: name, from: at + 1 };
  if (name === 'npm' && (sub === 'exec' || sub === 'x'))
    return { runner: `npm ${sub}`, like: 'npx', from: at + 2 };
  if ((name === 'pnpm' || name === 'yarn') && sub === 'dlx')
    return { runner: `${name} dlx`, like: 'npx', from: at + 2 };
  if (name === 'bun' && sub === 'x') return { runner: 'bun x', like: 'bunx', from: at + 2 };
  if (name === 'uv' && sub === 'tool' && words[at + 2]?.value === 'run')
    return { runner: 'uv tool run', like: 'uvx', from: at + 3 };
  if (name === 'pipx' && sub === 'run') return { runner: 'pipx run', like: 'pipx', from: at + 1 };
  if ((name === 'docker' || name === 'podman') && (sub === 'run' || sub === 'container')) {
    if (sub === 'container' && words[at + 2]?.value !== 'run') return undefined;
    return { runner: `${name} run`, like: 'docker', from: sub === 'run' ? at + 1 : at + 2 };
  }
  return undefined;
}

/** npx options that forbid fetching: the package must already be installed. */
const NO_FETCH = new Set(['--no-install', '--no', '--offline', '--no-yes']);

/**
 * A package or image the runner at `words[at]` fetches, with how exactly it is named: an exact version, a
 * digest, a commit, none (`unpinned`), or a variable (`unknown`). Nothing for a local path or no package.
 */
function runnerRun(words: readonly Arg[], at: number): RemoteCode | undefined {
  const found = runnerAt(words, at);
  if (!found) return undefined;
  const rest = words.slice(found.from);
  if (found.like === 'npx' && found.runner !== 'pnpm dlx' && found.runner !== 'yarn dlx') {
    const operand = rest.findIndex((w) => !w.value.startsWith('-'));
    const options = operand < 0 ? rest : rest.slice(0, operand);
    if (options.some((w) => NO_FETCH.has(w.value))) return undefined;
  }
  const pinning: McpPinning | undefined = runnerPinning(
    found.like,
    rest.map((w) => w.value),
  );
  if (!pinning || pinning.target === undefined) return undefined;
  const target = pinning.target;
  const word =
    rest.find((w) => w.value === target) ??
    rest.find((w) => w.value.endsWith(`=${target}`) && w.value.startsWith('-'));
  if (!word) return undefined;
  // `unknown` is a local path (nothing fetched) or a value only known when it runs (`npx "$TOOL"`).
  if (pinning.pin === 'unknown' && !word.dynamic) return undefined;
  const from = word.value === target ? 0 : word.value.length - target.length;
  const image = pinning.runner === 'docker';
  return {
    kind: image ? 'image' : 'package',
    span: word.sub(from, word.value.length),
    runner: found.runner,
    target,
    how: image ? 'image-runner' : 'package-runner',
    pin: pinning.pin,
  };
}

/** Code CG604 reports: any download that is run, and a package or image without an exact version. */
export function isRiskyRemote(remote: RemoteCode): boolean {
  return remote.kind === 'download' || remote.pin === 'unpinned';
}

/** The remote code `commands` run that CG604 reports (`isRiskyRemote`), in order, each piece once. */
export function remoteCodeIn(commands: readonly ShellCommand[]): RemoteCode[] {
  return fetchedCodeIn(commands).filter(isRiskyRemote);
}

/**
 * Every piece of code `commands` fetch from outside the repository and run, pinned or not, in order, each
 * piece once (the same package or download run again in the same command line is the same piece); scripts
 * handed to a shell are read too.
 */
export function fetchedCodeIn(commands: readonly ShellCommand[]): RemoteCode[] {
  const out: RemoteCode[] = [];
  const seen = new Set<string>();
  // Files a download wrote earlier in the command line, by name: running one runs the download.
  const saved = new Map<string, { fetcher: Arg; target?: string }>();
  const visit = (list: readonly ShellCommand[], depth: number): void => {
    for (const outer of list) {
      for (const { command, at } of launched(outer)) {
        const found =
          downloadRun(command, at) ?? savedDownloadRun(command, at, saved) ?? runnerRun(command.words, at);
        const key = found && `${found.kind} ${found.runner} ${found.target ?? ''}`;
        if (found && key && !seen.has(key)) {
          seen.add(key);
          out.push(found);
        }
        const written = downloadToFile(command, at);
        if (written) saved.set(written.file, written);
      }
      if (outer.script && depth < 8) visit(outer.script, depth + 1);
    }
  };
  visit(commands, 0);
  return out;
}
