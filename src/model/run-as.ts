import type { ClaudeRun } from './types.js';

/**
 * A user as written for `USER`, Compose `user:`, `docker --user`, `sudo -u` is root: `root`, uid `0`, with or
 * without a group (`0:0`, `root:root`), or sudo's `#0`.
 */
export function isRootUser(value: string): boolean {
  const user = value.trim().split(':')[0] ?? '';
  return user === 'root' || user === '0' || user === '#0';
}

/** Subcommands of `claude` that manage the installation or its configuration and start no session. */
const UTILITY_SUBCOMMANDS = new Set([
  'mcp',
  'config',
  'doctor',
  'update',
  'upgrade',
  'install',
  'migrate-installer',
  'setup-token',
  'plugin',
  'plugins',
  'auth',
  'login',
  'logout',
]);
const UTILITY_FLAGS = new Set(['-v', '--version', '-h', '--help']);

/**
 * Whether a run starts a Claude session (the agent, interactive or `-p`), rather than a utility call such as
 * `claude --version`, `claude mcp add …` or `claude update`, which runs no model and no tool.
 */
export function startsSession(run: ClaudeRun): boolean {
  const cmd = run.command;
  if (run.kind === 'action' || !cmd) return true;
  if (cmd.flags.some((f) => UTILITY_FLAGS.has(f.name))) return false;
  const first = cmd.args[0];
  return !(first && !first.dynamic && UTILITY_SUBCOMMANDS.has(first.value));
}
