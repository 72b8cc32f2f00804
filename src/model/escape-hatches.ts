import type { Risk, ToolRule } from './types.js';

/** A command that runs whatever its arguments say: granting it with any arguments grants a shell. */
export interface EscapeHatch {
  /** The words that start it (`docker run`), the program without its path. */
  words: readonly string[];
  risk: Risk;
  /** What it lets Claude do, to finish "… with any arguments: it …". */
  why: string;
}

const hatch = (command: string, risk: Risk, why: string): EscapeHatch => ({
  words: command.split(' '),
  risk,
  why,
});

const PACKAGE = 'fetches and runs any package from the registry';
const CODE = 'runs any code given on its command line, or any script';
const SHELL = 'is a shell: it runs any command';
const WRAPPER = 'runs any command given as its argument';

/**
 * The curated table. Each entry is a command whose arguments can make it run anything; a grant that lets
 * Claude choose those arguments is an unscoped shell in disguise. Commands whose arguments only select a
 * task the repository defines (`npm run`, `npm test`) are not here.
 */
export const ESCAPE_HATCHES: readonly EscapeHatch[] = [
  ...[
    'npx',
    'bunx',
    'pnpx',
    'uvx',
    'bun x',
    'npm exec',
    'npm x',
    'pnpm dlx',
    'pnpm exec',
    'yarn dlx',
    'pipx run',
  ].map((c) => hatch(c, 'execute', PACKAGE)),
  ...['node', 'deno', 'bun', 'python', 'python3', 'ruby', 'perl', 'php', 'lua', 'Rscript', 'osascript'].map(
    (c) => hatch(c, 'execute', CODE),
  ),
  ...['uv run', 'poetry run', 'go run', 'cargo run', 'dotnet run'].map((c) => hatch(c, 'execute', CODE)),
  // A grant that fixes the inline-code flag still leaves the code free.
  ...[
    'node -e',
    'node --eval',
    'node -p',
    'python -c',
    'python3 -c',
    'perl -e',
    'ruby -e',
    'php -r',
    'deno eval',
    'bun -e',
  ].map((c) => hatch(c, 'execute', 'runs the code given after the flag')),
  ...['bash -c', 'sh -c', 'zsh -c', 'pwsh -c', 'pwsh -Command'].map((c) =>
    hatch(c, 'execute', 'runs the command line given after the flag'),
  ),
  ...['bash', 'sh', 'zsh', 'dash', 'ksh', 'fish', 'pwsh', 'powershell', 'cmd'].map((c) =>
    hatch(c, 'execute', SHELL),
  ),
  ...['eval', 'exec', 'source', 'command', 'builtin'].map((c) => hatch(c, 'execute', SHELL)),
  ...['env', 'xargs', 'nohup', 'timeout', 'nice', 'time', 'watch', 'stdbuf', 'setsid', 'parallel'].map((c) =>
    hatch(c, 'execute', WRAPPER),
  ),
  hatch('find', 'execute', 'runs any command through -exec and -ok'),
  hatch('awk', 'execute', 'runs any command through system()'),
  hatch('make', 'execute', 'runs any recipe, and any makefile given with -f'),
  hatch(
    'git -c',
    'execute',
    'sets configuration that runs programs (core.sshCommand, core.pager, an alias starting with !)',
  ),
  hatch('ssh', 'execute', 'runs any command on another host'),
  ...['docker run', 'docker exec', 'podman run', 'podman exec', 'kubectl exec', 'kubectl run'].map((c) =>
    hatch(
      c,
      'admin',
      'runs any command in a container, and a privileged or mounted container reaches the host',
    ),
  ),
  ...['sudo', 'su', 'doas', 'pkexec'].map((c) =>
    hatch(c, 'admin', 'runs any command as another user, root included'),
  ),
];

/** The words a scoped shell rule fixes, before the part Claude may choose; undefined when none is free. */
function fixedWords(rule: ToolRule): string[] | undefined {
  const spec = rule.specifier?.trim() ?? '';
  if (rule.form === 'prefix') return spec.slice(0, -2).trim().split(/\s+/).filter(Boolean);
  if (rule.form === 'glob') {
    const words = spec.split(/\s+/);
    const free = words.findIndex((w) => w.includes('*'));
    return words.slice(0, free === -1 ? words.length : free);
  }
  return undefined;
}

/**
 * The escape hatch a scoped shell grant opens: one whose words start with all the words the grant fixes
 * (`Bash(docker:*)` allows `docker run …`), so Claude may choose the arguments that run anything.
 */
export function escapeHatchOf(rule: ToolRule): { hatch: EscapeHatch; fixed: string } | undefined {
  if (rule.canonical !== 'Bash' || rule.problem) return undefined;
  const words = fixedWords(rule);
  if (!words || words.length === 0) return undefined;
  const program = (words[0] as string).slice((words[0] as string).lastIndexOf('/') + 1);
  const fixed = [program, ...words.slice(1)];
  const found = ESCAPE_HATCHES.find(
    (h) => fixed.length <= h.words.length && fixed.every((w, i) => w === h.words[i]),
  );
  return found ? { hatch: found, fixed: fixed.join(' ') } : undefined;
}
