/**
 * The bundle as users get it: `action.yml` and `dist/` copied, alone, into a fresh folder outside the clone,
 * so no `node_modules` lies above it. This is how GitHub runs an action (a checkout of this repository, never
 * `npm ci`), and what tests that spawn the bundle must run.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const CLONE = resolve('.');

/** Every folder from `dir` up to the file system root that holds a `node_modules`. */
export function nodeModulesAbove(dir: string): string[] {
  const found: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules'))) found.push(d);
    if (dirname(d) === d) return found;
  }
}

/** A fresh bare copy; the caller removes it. Throws when the temporary folder has a node_modules above it. */
export function bareCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cg-bare-'));
  cpSync(join(CLONE, 'action.yml'), join(dir, 'action.yml'));
  cpSync(join(CLONE, 'dist'), join(dir, 'dist'), { recursive: true });
  const above = nodeModulesAbove(dir);
  if (above.length > 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `the temporary folder has node_modules above it (${above.join(', ')}): set TMPDIR elsewhere`,
    );
  }
  return dir;
}

/** Runs a script of the bundle (`dist/cli.js`, `dist/index.js`) in `bundleDir` with Node. */
export function runBundle(
  bundleDir: string,
  script: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [join(bundleDir, script), ...args], {
    cwd: options.cwd ?? bundleDir,
    env: options.env ?? { PATH: process.env.PATH, HOME: process.env.HOME },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

export interface ActionRun {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: string;
  summary: string;
}

/** Runs the action in `bundleDir` the way a runner does: inputs and file commands in the environment. */
export function runAction(
  bundleDir: string,
  workspace: string,
  inputs: Record<string, string>,
  extraEnv: NodeJS.ProcessEnv = {},
): ActionRun {
  const dir = mkdtempSync(join(tmpdir(), 'cg-runner-'));
  const output = join(dir, 'output');
  const summary = join(dir, 'summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: dir,
    ...extraEnv,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const run = runBundle(bundleDir, 'dist/index.js', [], { env, cwd: workspace });
  const result = {
    status: run.status,
    stdout: run.stdout,
    stderr: run.stderr,
    outputs: readFileSync(output, 'utf8'),
    summary: readFileSync(summary, 'utf8'),
  };
  rmSync(dir, { recursive: true, force: true });
  return result;
}

/** One output of a `$GITHUB_OUTPUT` file written with heredoc delimiters. */
export function actionOutput(outputs: string, name: string): string | undefined {
  const m = new RegExp(`^${name}<<(\\S+)\\n([\\s\\S]*?)\\n\\1$`, 'm').exec(outputs);
  return m?.[2];
}
