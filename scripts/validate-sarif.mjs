// Validates SARIF files with Microsoft's SARIF Multitool and GitHub's ingestion rules (`--rule-kind Gh;Sarif`),
// offline. Exits 1 when any file has an error or a warning, or when the Multitool reports nothing about a
// file (it then could not read it). `--json` prints { files: { <path>: { error, warning, note } }, problems }.
//   node scripts/validate-sarif.mjs [--json] FILE.sarif...
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const json = args[0] === '--json';
const files = (json ? args.slice(1) : args).map((f) => resolve(f));
if (files.length === 0) {
  console.error('usage: node scripts/validate-sarif.mjs [--json] FILE.sarif...');
  process.exit(2);
}

// The platform package's index.js names its binary. npm no longer runs the package's postinstall
// (`chmod u+x Sarif.Multitool`), so the binary may not be executable yet.
const require = createRequire(import.meta.url);
const multitool = require(`@microsoft/sarif-multitool-${process.platform}`);
if (process.platform !== 'win32') {
  const { mode } = statSync(multitool);
  if ((mode & 0o100) === 0) chmodSync(multitool, mode | 0o100);
}

const work = mkdtempSync(join(tmpdir(), 'cg-sarif-'));
try {
  // SARIF2006 fetches every URI in the file to see that it answers: off, so validation stays offline.
  const config = join(work, 'config.xml');
  writeFileSync(
    config,
    [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<Properties>',
      '  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">',
      '    <Property Key="RuleEnabled" Value="Disabled" Type="Driver.RuleEnabledState" />',
      '  </Properties>',
      '</Properties>',
      '',
    ].join('\n'),
  );
  const output = join(work, 'validation.sarif');
  const run = spawnSync(
    multitool,
    [
      'validate',
      '--quiet',
      'true',
      '--rule-kind',
      'Gh;Sarif',
      '--level',
      'Error;Warning;Note',
      // It skips files over 10,000 KB unless told otherwise.
      '--max-file-size-in-kb',
      '4194304',
      '--config',
      config,
      '--output',
      output,
      ...files,
    ],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
      timeout: 600_000,
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
    },
  );
  if (run.status !== 0 || run.error) {
    console.error(run.stdout, run.stderr, run.error ?? '');
    throw new Error(`the SARIF Multitool exited ${run.status}`);
  }
  const log = JSON.parse(readFileSync(output, 'utf8'));
  const counts = Object.fromEntries(files.map((f) => [f, { error: 0, warning: 0, note: 0 }]));
  const problems = [];
  for (const r of log.runs ?? []) {
    const rules = r.tool?.driver?.rules ?? [];
    for (const result of r.results ?? []) {
      const rule = rules[result.ruleIndex] ?? {};
      const template = rule.messageStrings?.[result.message?.id]?.text ?? result.message?.text ?? '';
      const text = template.replace(/\{(\d+)\}/g, (_, i) => result.message?.arguments?.[Number(i)] ?? '');
      const where = result.locations?.[0]?.physicalLocation;
      const uri = where?.artifactLocation?.uri ?? '';
      const file = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
      const level = result.level ?? 'warning';
      if (counts[file]) counts[file][level] = (counts[file][level] ?? 0) + 1;
      if (level === 'error' || level === 'warning') {
        const region = where?.region ?? {};
        problems.push(
          `${file}(${region.startLine},${region.startColumn}): ${level} ${result.ruleId}: ${text}`,
        );
      }
    }
  }
  // The Multitool drops a file it cannot deserialize (a value outside an enum, such as an unknown `level`)
  // without a word, and then reports nothing for any file of the run. Every run it reads gets notes at least.
  for (const [file, c] of Object.entries(counts)) {
    if (c.error + c.warning + c.note === 0)
      problems.push(`${file}: the SARIF Multitool reported nothing about it, so it could not read it`);
  }
  if (json) console.log(JSON.stringify({ files: counts, problems }, null, 2));
  else {
    for (const p of problems) console.error(p);
    for (const [file, c] of Object.entries(counts))
      console.log(`${file}: ${c.error} errors, ${c.warning} warnings, ${c.note} notes`);
  }
  process.exitCode = problems.length > 0 ? 1 : 0;
} finally {
  rmSync(work, { recursive: true, force: true });
}
