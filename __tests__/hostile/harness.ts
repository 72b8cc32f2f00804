/**
 * Runs the bundle (a bare copy of action.yml + dist/) on hostile repositories built at test time, and checks
 * what every run must satisfy whatever the input: an exit status in {0,1,2} (never 3, never killed), less
 * than 20 s of wall time, bounded memory, no credential printed, no terminal control character in the text
 * report, no workflow command smuggled into a report, nothing read or run from outside the folder.
 *
 * Each test file declares cases with `hostileSuite(name, cases)`. All runs of a file are made once, in
 * `beforeAll`, by a small scheduler (light runs a few at a time, runs that may block on a FIFO all at once,
 * CPU-heavy runs alone so that their time is not inflated), then each case × format is one test that lists
 * every violation it saw.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test as jestTest } from '@jest/globals';
import { bareCopy, runBundle } from '../bare-bundle.js';
import type { Key } from './material.js';

export const FORMATS = ['text', 'json', 'github', 'markdown', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

/** Wall time a scan may take. */
export const LIMIT_MS = 20_000;
/** Peak resident memory a scan may use (the V8 heap is capped at 512 MB with --max-old-space-size). */
const RSS_LIMIT_KB = 1024 * 1024;
/** Heavy cases run their other formats only when the first took less than this (the cost is the scan). */
const HEAVY_REPEAT_MS = 5_000;
const TIME = '/usr/bin/time';
const STRACE = '/usr/bin/strace';
const OUTPUT_CAP = 256 * 1024 * 1024;
const LIGHT_CONCURRENCY = Number(process.env.HOSTILE_CONCURRENCY ?? 4);
/** Heavy runs go one at a time, so that the time measured is the scan's own (HOSTILE_HEAVY_CONCURRENCY raises it). */
const HEAVY_CONCURRENCY = Number(process.env.HOSTILE_HEAVY_CONCURRENCY ?? 1);

export interface CaseContext {
  /** This case's own temporary folder: holds root, outside, home and output files. */
  dir: string;
  /** The scanned folder. */
  root: string;
  /** A folder beside the scanned one: nothing in it may be opened, run or printed. */
  outside: string;
  /** HOME for git and the scan: empty, so no user configuration leaks in. */
  home: string;
}

export interface HostileCase {
  id: string;
  title: string;
  /**
   * A weakness we know and have not fixed yet, in a sentence. Its tests run as `test.failing`: they pass
   * while the weakness is there, and fail (so someone drops this field) the day it is gone.
   */
  openGap?: string;
  /** The formats the gap shows in, when not all of them. */
  openGapFormats?: Format[];
  build(ctx: CaseContext): void;
  /** Arguments after `scan <root> --format F` (e.g. `--policy FILE`). */
  args?(ctx: CaseContext): string[];
  /** Credentials planted anywhere (inside or outside): never printed, whole or as a 16-char window of the body. */
  keys?: Key[];
  /** Tokens planted outside the folder: never printed. */
  canaries?: string[];
  /** Narrower than {0,1,2}: e.g. [1] when a planted bypass must still block. */
  expectStatus?: number[];
  /** The policy file's name as the message must give it (default `.github/claude-guard.yml`). */
  policyDisplay?(ctx: CaseContext): string;
  /** CPU-heavy: runs alone, one format first (the others only when it took < 5 s). */
  heavy?: boolean;
  /** For a heavy case whose cost depends on the format (a report of 100 000 findings): run them all. */
  everyFormat?: boolean;
  /** May block on I/O (a FIFO): its runs start at once, beside the others. */
  mayBlock?: boolean;
  /** Also run every format with `--output FILE` and check the file. */
  outputFile?: boolean;
  /** One more pass under strace: nothing under `outside` opened or executed. */
  strace?: boolean;
  /** Files whose existence after the scan means a program of the repository ran. */
  markers?(ctx: CaseContext): string[];
}

export interface RunResult {
  label: string;
  format: Format;
  status: number | null;
  signal: string | null;
  timedOut: boolean;
  ms: number;
  rssKb?: number;
  stdout: string;
  stderr: string;
  outFile?: string;
  error?: string;
}

const KILL_NAMES: Record<number, string> = { 6: 'SIGABRT', 9: 'SIGKILL', 11: 'SIGSEGV', 15: 'SIGTERM' };

/**
 * Spawns one command in its own process group, kills the whole group (git children included) when it
 * outlives `timeoutMs`, and measures wall time and (with GNU time) peak RSS.
 */
export function spawnBounded(
  argv: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; measureRss: boolean; rssFile: string },
): Promise<Omit<RunResult, 'label' | 'format'>> {
  const withTime = options.measureRss && existsSync(TIME);
  const cmd = withTime ? TIME : (argv[0] as string);
  const args = withTime ? ['-f', '%M', '-o', options.rssFile, ...argv] : argv.slice(1);
  return new Promise((resolve) => {
    const started = performance.now();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let timedOut = false;
    const child = spawn(cmd, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (into: Buffer[]) => (chunk: Buffer) => {
      if (size < OUTPUT_CAP) into.push(chunk);
      size += chunk.length;
    };
    child.stdout.on('data', keep(out));
    child.stderr.on('data', keep(err));
    const killGroup = (): void => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({
        status: null,
        signal: null,
        timedOut,
        ms: performance.now() - started,
        stdout: '',
        stderr: '',
        error: error.message,
      });
    });
    child.on('close', (code, signal) => {
      const ms = performance.now() - started;
      clearTimeout(timer);
      // Whatever the scan left running in its group (a git blocked on a FIFO) goes too.
      killGroup();
      let status = code;
      let sig: string | null = signal;
      let rssKb: number | undefined;
      if (withTime && existsSync(options.rssFile)) {
        const lines = readFileSync(options.rssFile, 'utf8').trim().split('\n');
        const last = Number(lines[lines.length - 1]);
        if (Number.isFinite(last)) rssKb = last;
        const killed = /terminated by signal (\d+)/.exec(lines.join('\n'));
        if (killed) {
          sig = KILL_NAMES[Number(killed[1])] ?? `signal ${killed[1]}`;
          status = null;
        }
      }
      const result: Omit<RunResult, 'label' | 'format'> = {
        status: sig ? null : status,
        signal: sig,
        timedOut,
        ms,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (rssKb !== undefined) result.rssKb = rssKb;
      if (size > OUTPUT_CAP) result.error = `printed ${size} bytes (kept the first ${OUTPUT_CAP})`;
      resolve(result);
    });
  });
}

/** Runs `jobs` at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  });
  await Promise.all(lanes);
}

// ---------------------------------------------------------------------------------------------------------
// Checks

/** A short, escaped view of `text` around `at`. */
function around(text: string, at: number): string {
  return JSON.stringify(text.slice(Math.max(0, at - 30), at + 50));
}

/** Characters a terminal acts on: C0 but TAB and LF, DEL, C1. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function controlChars(where: string, text: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(CONTROL)) {
    const code = `U+${(m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    if (seen.has(code)) continue;
    seen.add(code);
    found.push(`${where}: raw control character ${code} at ${around(text, m.index ?? 0)}`);
  }
  return found;
}

/**
 * Lines as the Actions runner reads them (StreamReader.ReadLine: CR, LF or CRLF end a line); a line is a
 * workflow command when, after its leading white space (.NET's, U+0085 included), it starts with `::`.
 */
function runnerLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
const COMMAND_START = /^[\s\u0085]*::/;
/** What claude-guard's github format emits: one annotation per line, properties escaped. */
const WELL_FORMED = /^::(error|warning|notice) [A-Za-z]+=[^,:\r\n]*(,[A-Za-z]+=[^,:\r\n]*)*::[^\r\n]*$/;

export function workflowCommands(where: string, text: string, format: Format | 'stderr'): string[] {
  const found: string[] = [];
  runnerLines(text).forEach((line, i) => {
    if (format === 'github') {
      if (line.length > 0 && !WELL_FORMED.test(line))
        found.push(
          `${where}: line ${i + 1} is not a well-formed annotation: ${JSON.stringify(line.slice(0, 90))}`,
        );
    } else if (COMMAND_START.test(line)) {
      found.push(
        `${where}: line ${i + 1} is a workflow command to the runner: ${JSON.stringify(line.slice(0, 90))}`,
      );
    }
  });
  return found.slice(0, 5);
}

export function keyLeaks(where: string, text: string, keys: readonly Key[]): string[] {
  const found: string[] = [];
  keys.forEach((key, k) => {
    if (text.includes(key.value)) {
      found.push(`${where}: prints key #${k + 1} whole (${key.value.slice(0, 17)}…)`);
      return;
    }
    for (let i = 0; i + 16 <= key.body.length; i++) {
      const at = text.indexOf(key.body.slice(i, i + 16));
      if (at >= 0) {
        found.push(
          `${where}: prints a 16-char window of key #${k + 1}'s secret body (body offset ${i}) at ${around(text, at)}`,
        );
        return;
      }
    }
  });
  return found;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface JsonReport {
  findings?: { path?: unknown; related?: { path?: unknown }[] }[];
  notices?: { path?: unknown }[];
}

/** Every violation one run shows. */
export function violations(c: HostileCase, ctx: CaseContext, run: RunResult): string[] {
  const v: string[] = [];
  const tag = run.label;
  if (run.error && run.status === null && !run.timedOut) v.push(`${tag}: could not run: ${run.error}`);
  if (run.timedOut) v.push(`${tag}: still running after ${LIMIT_MS} ms: killed`);
  else if (run.signal) v.push(`${tag}: killed by ${run.signal} after ${Math.round(run.ms)} ms`);
  else if (run.status !== null && ![0, 1, 2].includes(run.status)) {
    const first = run.stderr.split('\n').slice(0, 2).join(' | ').slice(0, 240);
    v.push(`${tag}: exit ${run.status} after ${Math.round(run.ms)} ms: ${first}`);
  }
  if (!run.timedOut && run.ms >= LIMIT_MS) v.push(`${tag}: took ${Math.round(run.ms)} ms`);
  if (run.rssKb !== undefined && run.rssKb > RSS_LIMIT_KB)
    v.push(`${tag}: peak RSS ${Math.round(run.rssKb / 1024)} MB`);
  if (run.error && run.status !== null) v.push(`${tag}: ${run.error}`);
  const finished = !run.timedOut && !run.signal && run.status !== null && [0, 1, 2].includes(run.status);
  if (finished && c.expectStatus && !c.expectStatus.includes(run.status as number))
    v.push(
      `${tag}: exit ${run.status}, expected ${c.expectStatus.join(' or ')}: ${run.stderr.slice(0, 200)}`,
    );
  if (finished && run.status === 2) {
    const display = c.policyDisplay?.(ctx) ?? '.github/claude-guard.yml';
    // One problem on the line of the message, or several, each on its own located line.
    const one = new RegExp(`^claude-guard: invalid policy: ${escapeRe(display)}:\\d+:\\d+: `, 'm');
    const many = new RegExp(
      `^claude-guard: invalid policy, (\\d+) problems:\\n((?:  ${escapeRe(display)}:\\d+:\\d+: [^\\n]*\\n)+)`,
    );
    const listed = many.exec(run.stderr);
    if (!one.test(run.stderr) && !(listed && listed[2]?.split('\n').length === Number(listed[1]) + 1))
      v.push(
        `${tag}: exit 2 without a located message naming ${display}: ${JSON.stringify(run.stderr.slice(0, 200))}`,
      );
  }

  const streams: [string, string][] = [
    [`${tag} stdout`, run.stdout],
    [`${tag} stderr`, run.stderr],
  ];
  if (run.outFile !== undefined) streams.push([`${tag} --output file`, run.outFile]);
  for (const [where, text] of streams) {
    v.push(...keyLeaks(where, text, c.keys ?? []));
    for (const token of c.canaries ?? [])
      if (text.includes(token))
        v.push(`${where}: prints the outside canary at ${around(text, text.indexOf(token))}`);
  }
  // Control characters: the text report, and stderr whatever the format (both go to a terminal or a log).
  const report = run.outFile ?? run.stdout;
  if (run.format === 'text')
    v.push(...controlChars(`${tag} ${run.outFile !== undefined ? 'file' : 'stdout'}`, report));
  v.push(...controlChars(`${tag} stderr`, run.stderr));
  v.push(...workflowCommands(`${tag} ${run.outFile !== undefined ? 'file' : 'stdout'}`, report, run.format));
  v.push(...workflowCommands(`${tag} stderr`, run.stderr, 'stderr'));
  if (run.format === 'json' && finished && run.status !== 2 && report.length > 0) {
    let parsed: JsonReport | undefined;
    try {
      parsed = JSON.parse(report) as JsonReport;
    } catch (error) {
      v.push(`${tag}: the json report does not parse: ${(error as Error).message}`);
    }
    const paths = [
      ...(parsed?.findings ?? []).flatMap((f) => [f.path, ...(f.related ?? []).map((r) => r.path)]),
      ...(parsed?.notices ?? []).map((n) => n.path),
    ];
    for (const p of paths) {
      if (typeof p !== 'string' || p.startsWith('/') || p.split('/').includes('..'))
        v.push(`${tag}: a reported path is not inside the folder: ${JSON.stringify(p)}`);
    }
  }
  for (const marker of c.markers?.(ctx) ?? [])
    if (existsSync(marker)) v.push(`${tag}: ${marker} exists: a program from the repository ran`);
  return v;
}

/** Successful opens and executions under `outside`, from an `strace -f -y` log. */
export function outsideAccess(log: string, outside: string[]): string[] {
  const under = (p: string): boolean => outside.some((o) => p === o || p.startsWith(`${o}/`));
  const found: string[] = [];
  for (const line of log.split('\n')) {
    if (/\bexecve\(/.test(line)) {
      const m = /execve\("([^"]+)"/.exec(line);
      if (m && under(m[1] as string) && !/=\s+-1\s/.test(line)) found.push(`executed: ${line.slice(0, 200)}`);
      continue;
    }
    if (!/open/.test(line)) continue;
    const ret = /=\s+\d+<([^>]*)>\s*$/.exec(line);
    if (ret && under(ret[1] as string)) found.push(`opened: ${line.slice(0, 200)}`);
  }
  return [...new Set(found)];
}

// ---------------------------------------------------------------------------------------------------------
// The suite

/**
 * A bare copy of the bundle under test: this clone's action.yml + dist/, or, with HOSTILE_BUNDLE=DIR, the
 * action.yml + dist/ in DIR (to run the suite against another build, e.g. one extracted with git archive).
 */
function bundleCopy(): string {
  const other = process.env.HOSTILE_BUNDLE;
  if (!other) return bareCopy();
  const dir = mkdtempSync(join(tmpdir(), 'cg-bare-'));
  cpSync(join(other, 'action.yml'), join(dir, 'action.yml'));
  cpSync(join(other, 'dist'), join(dir, 'dist'), { recursive: true });
  return dir;
}

interface CaseState {
  c: HostileCase;
  ctx: CaseContext;
  setupError?: string;
  runs: RunResult[];
  /** Formats a heavy case did not run, and why. */
  notRun?: string;
  strace?: { violations: string[]; note?: string };
}

export function hostileSuite(name: string, cases: HostileCase[]): void {
  const ids = new Set<string>();
  for (const c of cases) {
    if (ids.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
    ids.add(c.id);
  }
  let bundle = '';
  let base = '';
  const states = new Map<string, CaseState>();

  const runOne = async (
    s: CaseState,
    format: Format,
    toFile: boolean,
    extra: string[] = [],
  ): Promise<RunResult> => {
    const n = s.runs.length;
    const outPath = join(s.ctx.dir, `out-${n}.${format}`);
    const argv = [
      process.execPath,
      '--max-old-space-size=512',
      join(bundle, 'dist/cli.js'),
      'scan',
      s.ctx.root,
      '--format',
      format,
      ...(toFile ? ['--output', outPath] : []),
      ...(s.c.args?.(s.ctx) ?? []),
      ...extra,
    ];
    const raw = await spawnBounded(argv, {
      cwd: s.ctx.dir,
      env: { PATH: process.env.PATH, HOME: s.ctx.home },
      timeoutMs: LIMIT_MS,
      measureRss: true,
      rssFile: join(s.ctx.dir, `rss-${n}`),
    });
    const run: RunResult = { ...raw, label: `${format}${toFile ? ' --output' : ''}`, format };
    if (toFile && existsSync(outPath)) run.outFile = readFileSync(outPath, 'utf8');
    s.runs.push(run);
    return run;
  };

  const straceOne = async (s: CaseState): Promise<void> => {
    if (!existsSync(STRACE)) {
      s.strace = { violations: [], note: `${STRACE} is absent: the no-outside-open assertion was not made` };
      return;
    }
    const log = join(s.ctx.dir, 'strace.log');
    const argv = [
      STRACE,
      '-f',
      '-y',
      '-qq',
      '-e',
      'trace=open,openat,execve',
      '-o',
      log,
      process.execPath,
      '--max-old-space-size=512',
      join(bundle, 'dist/cli.js'),
      'scan',
      s.ctx.root,
      '--format',
      'json',
      ...(s.c.args?.(s.ctx) ?? []),
    ];
    const raw = await spawnBounded(argv, {
      cwd: s.ctx.dir,
      env: { PATH: process.env.PATH, HOME: s.ctx.home },
      timeoutMs: LIMIT_MS * 2,
      measureRss: false,
      rssFile: '',
    });
    const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
    if (text.length === 0 || /ptrace|Operation not permitted/.test(raw.stderr.slice(0, 500))) {
      s.strace = { violations: [], note: `strace could not trace here: ${raw.stderr.slice(0, 200)}` };
      return;
    }
    const outsides = [s.ctx.outside];
    try {
      outsides.push(realpathSync(s.ctx.outside));
    } catch {
      // removed by the case
    }
    const found = outsideAccess(text, [...new Set(outsides)]);
    const notes = raw.timedOut ? ['(the traced scan was killed after 40 s: the trace is partial)'] : [];
    s.strace = { violations: found.length > 0 ? [...found, ...notes] : [] };
  };

  beforeAll(async () => {
    bundle = bundleCopy();
    const version = runBundle(bundle, 'dist/cli.js', ['--version']);
    if (version.status !== 0)
      throw new Error(`the bare copy of dist/ does not run (rebuilt while copied?): ${version.stderr}`);
    base = mkdtempSync(join(tmpdir(), `cg-hostile-${name}-`));
    for (const c of cases) {
      const dir = join(base, c.id);
      const ctx: CaseContext = {
        dir,
        root: join(dir, 'repo'),
        outside: join(dir, 'outside'),
        home: join(dir, 'home'),
      };
      for (const d of [ctx.root, ctx.outside, ctx.home]) mkdirSync(d, { recursive: true });
      const s: CaseState = { c, ctx, runs: [] };
      try {
        c.build(ctx);
      } catch (error) {
        s.setupError = (error as Error).stack ?? String(error);
      }
      states.set(c.id, s);
    }
    const ready = [...states.values()].filter((s) => !s.setupError);
    const jobsOf = (s: CaseState): [CaseState, Format, boolean][] =>
      FORMATS.flatMap((f) => [
        [s, f, false] as [CaseState, Format, boolean],
        ...(s.c.outputFile ? [[s, f, true] as [CaseState, Format, boolean]] : []),
      ]);
    // Runs that may block on a FIFO start at once: blocked, they use no CPU.
    const blocking = Promise.all(
      ready.filter((s) => s.c.mayBlock).flatMap((s) => jobsOf(s).map(([st, f, o]) => runOne(st, f, o))),
    );
    await pool(
      ready.filter((s) => !s.c.mayBlock && !s.c.heavy).flatMap(jobsOf),
      LIGHT_CONCURRENCY,
      async ([s, f, o]) => {
        await runOne(s, f, o);
      },
    );
    await blocking;
    // Heavy runs alone, so that the time measured is the scan's own.
    await pool(
      ready.filter((x) => x.c.heavy && !x.c.mayBlock),
      HEAVY_CONCURRENCY,
      async (s) => {
        const first = await runOne(s, 'text', false);
        if (
          process.env.HOSTILE_ALL_FORMATS ||
          s.c.everyFormat ||
          (!first.timedOut && first.ms < HEAVY_REPEAT_MS)
        ) {
          for (const f of FORMATS.slice(1)) await runOne(s, f, false);
        } else {
          s.notRun = `json, github and markdown not run: the text run took ${Math.round(first.ms)} ms${
            first.timedOut ? ' (killed)' : ''
          }; this case's cost is the scan's, whatever the format (HOSTILE_ALL_FORMATS=1 runs them)`;
        }
      },
    );
    await pool(
      ready.filter((s) => s.c.strace),
      4,
      straceOne,
    );
    // HOSTILE_REPORT_DIR=DIR: what every run did (status, time, memory), one JSON file per suite.
    const reportDir = process.env.HOSTILE_REPORT_DIR;
    if (reportDir) {
      mkdirSync(reportDir, { recursive: true });
      const rows = [...states.values()].flatMap((s) => [
        ...(s.setupError ? [{ case: s.c.id, setupError: s.setupError.split('\n')[0] }] : []),
        ...s.runs.map((r) => ({
          case: s.c.id,
          run: r.label,
          status: r.status,
          signal: r.signal,
          timedOut: r.timedOut,
          ms: Math.round(r.ms),
          rssMb: r.rssKb === undefined ? null : Math.round(r.rssKb / 1024),
          violations: violations(s.c, s.ctx, r).length,
        })),
        ...(s.notRun ? [{ case: s.c.id, notRun: s.notRun }] : []),
        ...(s.strace
          ? [{ case: s.c.id, strace: s.strace.violations.length, note: s.strace.note ?? null }]
          : []),
      ]);
      writeFileSync(join(reportDir, `${name}.json`), `${JSON.stringify(rows, null, 1)}\n`);
    }
  }, 900_000);

  afterAll(() => {
    for (const dir of [base, bundle]) {
      if (!dir) continue;
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // reported below if anything is left
      }
      // Paths longer than PATH_MAX defeat rmSync: rm walks them relative to each folder.
      if (existsSync(dir)) spawnSync('rm', ['-rf', dir]);
    }
  });

  const state = (c: HostileCase): CaseState => {
    const s = states.get(c.id);
    if (!s) throw new Error(`case ${c.id} was not prepared`);
    return s;
  };

  for (const c of cases) {
    describe(`${c.id}: ${c.title}`, () => {
      const gap = (format?: Format): boolean =>
        c.openGap !== undefined && (!format || !c.openGapFormats || c.openGapFormats.includes(format));
      const test = gap() ? jestTest.failing : jestTest;
      if (c.heavy) {
        test('bounded time, every format run', () => {
          const s = state(c);
          expect(s.setupError ?? '').toBe('');
          if (s.notRun) console.log(`${c.id}: ${s.notRun}`);
          expect(s.runs.flatMap((r) => violations(c, s.ctx, r))).toEqual([]);
        });
      } else {
        for (const format of FORMATS) {
          (gap(format) ? jestTest.failing : jestTest)(format, () => {
            const s = state(c);
            expect(s.setupError ?? '').toBe('');
            const runs = s.runs.filter((r) => r.format === format);
            expect(runs.length).toBeGreaterThan(0);
            expect(runs.flatMap((r) => violations(c, s.ctx, r))).toEqual([]);
          });
        }
      }
      if (c.strace) {
        test('opens and executes nothing outside the folder (strace)', () => {
          const s = state(c);
          expect(s.setupError ?? '').toBe('');
          if (s.strace?.note) console.warn(`${c.id}: ${s.strace.note}`);
          expect(s.strace?.violations ?? ['strace pass missing']).toEqual([]);
        });
      }
    });
  }
}
