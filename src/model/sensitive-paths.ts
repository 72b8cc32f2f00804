/**
 * Folders Claude should never be given: the file system's root, home directories, system folders, and the
 * places credentials live. Claude reads and (with edit permissions) writes everything under a folder it
 * starts in or is given with `--add-dir` / `additionalDirectories`.
 */

/** One entry of the table: a path in normal form (below), and why it is sensitive. */
export interface SensitivePath {
  /** `/`-separated, absolute (`/etc`) or under a home directory (`~/.ssh`); `~` is any user's home. */
  path: string;
  /** `exact`: only that folder; `subtree`: that folder and everything under it. */
  match: 'exact' | 'subtree';
  /** What it holds, to finish "… gives Claude …". */
  why: string;
}

const entry = (path: string, match: SensitivePath['match'], why: string): SensitivePath => ({
  path,
  match,
  why,
});

/** The curated table. `/home/<user>`, `/Users/<user>` and `/root` are read as `~` before it is consulted. */
export const SENSITIVE_PATHS: readonly SensitivePath[] = [
  entry('/', 'exact', 'the whole file system'),
  entry('~', 'exact', 'a home directory, with every credential and configuration file in it'),
  entry('/home', 'exact', "every user's home directory"),
  entry('/Users', 'exact', "every user's home directory"),
  entry('/etc', 'subtree', 'the system configuration'),
  entry('/usr', 'exact', 'the installed system software'),
  entry('/var', 'exact', 'system state, logs and runtime sockets'),
  entry('/run', 'exact', 'runtime sockets such as the Docker socket'),
  entry('/var/run', 'exact', 'runtime sockets such as the Docker socket'),
  entry('/run/docker.sock', 'exact', 'the Docker socket, which is root on the host'),
  entry('/var/run/docker.sock', 'exact', 'the Docker socket, which is root on the host'),
  entry('/run/secrets', 'subtree', 'mounted secrets'),
  entry('/var/run/secrets', 'subtree', 'mounted secrets, such as Kubernetes service account tokens'),
  entry('/proc', 'subtree', "every process's environment and memory maps"),
  entry('/sys', 'subtree', 'kernel and device settings'),
  entry('~/.ssh', 'subtree', 'SSH keys'),
  entry('~/.aws', 'subtree', 'AWS credentials'),
  entry('~/.azure', 'subtree', 'Azure credentials'),
  entry('~/.config', 'exact', 'application configuration and tokens (gh, gcloud, git…)'),
  entry('~/.config/gh', 'subtree', 'the GitHub CLI token'),
  entry('~/.config/gcloud', 'subtree', 'Google Cloud credentials'),
  entry('~/.config/git', 'subtree', 'git configuration and stored credentials'),
  entry('~/.gnupg', 'subtree', 'GPG keys'),
  entry('~/.kube', 'subtree', 'Kubernetes credentials'),
  entry('~/.docker', 'subtree', 'Docker registry credentials'),
  entry('~/.terraform.d', 'subtree', 'Terraform Cloud credentials'),
  entry('~/.claude', 'exact', "Claude's own settings, credentials and transcripts"),
  entry('~/.netrc', 'exact', 'stored login credentials'),
  entry('~/.git-credentials', 'exact', 'stored git credentials'),
  entry('~/.npmrc', 'exact', 'the npm registry token'),
  entry('~/.pypirc', 'exact', 'the PyPI upload token'),
];

const HOME_VARIABLE = /^(\$HOME|\$\{HOME\})$/;
/** A user-name segment written as the current user: `$USER`, `${USER}`. */
const USER_VARIABLE = /^(\$USER|\$\{USER\}|\$LOGNAME|\$\{LOGNAME\})$/;
const USER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * A path in normal form: `//` and `/.` removed, `..` resolved, trailing slashes dropped, and every way of
 * writing a home directory (`~`, `~user`, `$HOME`, `${HOME}`, `/root`, `/home/<user>`, `/Users/<user>`) made
 * `~`. Undefined for a path relative to wherever Claude runs (`./`, `src`, `../sibling-repo`) or one that
 * starts with a variable whose value is not known here.
 */
export function normalisePath(raw: string): string | undefined {
  const text = raw.trim();
  if (text.length === 0 || text.length > 4096) return undefined;
  const parts = text.split('/');
  const first = parts[0] as string;
  let base: string[];
  if (first === '') base = [];
  else if (first === '~' || HOME_VARIABLE.test(first)) base = ['~'];
  // `~user` is that user's home.
  else if (first.startsWith('~') && USER_NAME.test(first.slice(1))) base = ['~'];
  else return undefined;
  const segments = [...base];
  for (const part of parts.slice(1)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      // Above a home directory is the folder of all homes.
      if (segments.length === 1 && segments[0] === '~') segments.splice(0, 1, 'home');
      else segments.pop();
      continue;
    }
    segments.push(part);
  }
  // `/root`, `/home/<user>`, `/Users/<user>` are home directories.
  const [a, b] = segments;
  if (a === 'root') segments.splice(0, 1, '~');
  else if ((a === 'home' || a === 'Users') && b !== undefined && (USER_NAME.test(b) || USER_VARIABLE.test(b)))
    segments.splice(0, 2, '~');
  if (segments[0] === '~') return segments.join('/');
  return `/${segments.join('/')}`;
}

/** The table's entry for a folder, when it is a sensitive one; undefined for every other path. */
export function sensitivePath(raw: string): SensitivePath | undefined {
  const path = normalisePath(raw);
  if (path === undefined) return undefined;
  let best: SensitivePath | undefined;
  for (const e of SENSITIVE_PATHS) {
    const hit = path === e.path || (e.match === 'subtree' && path.startsWith(`${e.path}/`));
    // The most specific entry says best why.
    if (hit && (!best || e.path.length > best.path.length)) best = e;
  }
  return best;
}
