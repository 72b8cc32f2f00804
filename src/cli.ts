#!/usr/bin/env node
/**
 * The `claude-guard` command. This entry answers `--version` and `--help` itself and loads the scanner only
 * when there is something to scan, so those answers start fast.
 */
import { VERSION } from './version.js';

export const USAGE = `claude-guard ${VERSION} — policy gate for Claude Code

Usage:
  claude-guard scan [dir] [--policy FILE] [--format text|json|sarif|github|markdown] [--output FILE]
                          [--fail-on critical|high|medium|low|info|never] [--ignore GLOB]...
                          [--sarif-category NAME] [--baseline REPORT.json]
  claude-guard inventory [dir] [--format text|json] [--output FILE] [--policy FILE] [--ignore GLOB]...
                          where Claude runs, in which mode, with which tools, MCP servers, hooks and env
  claude-guard policy validate [FILE] | show [DIR] [--policy FILE] | init [--output FILE] | schema
                          check, show, start or describe a policy (claude-guard policy for details)
  claude-guard rules [--json]
  claude-guard explain RULE            e.g. claude-guard explain CG101
  claude-guard --version | --help

Exit codes: 0 nothing blocks · 1 blocking findings · 2 bad usage, invalid policy or unreadable input · 3 internal error
`;

const argv = process.argv.slice(2);
if (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version') {
  process.stdout.write(`${VERSION}\n`);
} else if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
  process.stdout.write(USAGE);
} else {
  // Git starts on the folder while the scanner loads.
  const early =
    argv[0] === 'scan' || argv[0] === 'inventory'
      ? (await import('./cli/early.js')).startEarly(argv.slice(1), process.cwd(), argv[0])
      : undefined;
  const { runCli } = await import('./cli/run.js');
  process.exitCode = await runCli(argv, {
    cwd: process.cwd(),
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: Boolean(process.stdout.isTTY),
    early,
  });
}
