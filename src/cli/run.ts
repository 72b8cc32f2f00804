import { lstat, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { type Policy } from '../policy/policy.js';
import { firstGlobError } from '../policy/glob.js';
import { issueText, loadPolicy, PolicyError, type RemotePolicyReader } from '../policy/load.js';
import { FailOnSchema } from '../policy/schema.js';
import { renderGithub } from '../report/github.js';
import { buildInventory, renderInventoryJson } from '../report/inventory.js';
import { renderInventoryText } from '../report/inventory-text.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { displayLine } from '../report/safe.js';
import { renderSarif } from '../report/sarif.js';
import { renderText } from '../report/text.js';
import { ruleById, RULES } from '../rules/registry.js';
import { renderRuleDoc } from '../rules/docs.js';
import { diskSource, scan } from '../scan.js';
import { BaselineError, baselineFingerprints, MAX_BASELINE_BYTES } from '../verdict/baseline.js';
import { markNew } from '../verdict/compare.js';
import { PolicyUsageError, policyCommand } from './policy-command.js';
import { type EarlyPlan, INVENTORY_OPTIONS, SCAN_OPTIONS } from './early.js';

export interface CliIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  /** Git already set going on the folder to scan, by the entry point. */
  early?: EarlyPlan;
}

export const EXIT = { ok: 0, blocking: 1, usage: 2, internal: 3 } as const;

/** A mistake the user can fix, said in one sentence; exits 2. */
class UsageError extends Error {}

const FORMATS = ['text', 'json', 'sarif', 'github', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

/**
 * Where `dir` lies in the git work tree that holds it (`packages/app`), so SARIF locations are relative to
 * the repository root, as code scanning reads them; empty when `dir` is the root or in no repository. Only
 * the folders above the scanned one are looked at, for a `.git` entry; nothing is read.
 */
async function repositoryPrefix(dir: string): Promise<string> {
  for (let d = dir; ; d = dirname(d)) {
    const git = await lstat(join(d, '.git')).catch(() => undefined);
    if (git) return relative(d, dir).split(sep).join('/');
    if (dirname(d) === d) return '';
  }
}

/** The one folder a command scans, checked to be a folder. */
async function folderToScan(command: string, positionals: string[], io: CliIO): Promise<string> {
  if (positionals.length > 1) throw new UsageError(`${command} takes one folder, got ${positionals.length}`);
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`${positionals[0] ?? '.'} is not a folder`);
  return dir;
}

/** The policy `--policy` names, else the folder's own (or the built-in one), with `--ignore` globs added. */
async function policyFor(
  dir: string,
  values: { policy?: string; ignore?: string[] },
  io: CliIO,
): Promise<Policy> {
  const named = values.policy !== undefined;
  const policyPath = named
    ? resolve(io.cwd, values.policy as string)
    : resolve(dir, '.github/claude-guard.yml');
  const display = named ? (values.policy as string) : '.github/claude-guard.yml';
  // A policy the user names is read wherever it is; the repository's own must stay inside it.
  const policy: Policy = await loadPolicy(
    policyPath,
    display,
    named,
    named ? undefined : dir,
    remoteReader(io),
  );
  const badGlob = firstGlobError(values.ignore ?? []);
  if (badGlob) throw new UsageError(`--ignore ${badGlob}`);
  return values.ignore ? { ...policy, ignore: [...policy.ignore, ...values.ignore] } : policy;
}

/** Reads policies extended from GitHub repositories; the API client is loaded only when one is. */
function remoteReader(io: CliIO): RemotePolicyReader {
  let reader: Promise<RemotePolicyReader> | undefined;
  return async (ref) => {
    reader ??= import('../github/policy-source.js').then((m) =>
      m.environmentPolicyReader(io.env, (message) => io.stderr(`claude-guard: ${displayLine(message)}\n`)),
    );
    return (await reader)(ref);
  };
}

/** The fingerprints of the report `--baseline` names: a regular file of a bounded size, or a usage error. */
async function readBaseline(file: string, io: CliIO): Promise<Set<string>> {
  const path = resolve(io.cwd, file);
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new UsageError(`--baseline ${file}: no such file`);
  // A pipe or a device would block or never end: only a regular file is read.
  if (!info.isFile()) throw new UsageError(`--baseline ${file}: not a regular file`);
  if (info.size > MAX_BASELINE_BYTES) throw new UsageError(`--baseline ${file}: larger than 64 MiB`);
  try {
    return baselineFingerprints(await readFile(path, 'utf8'), file);
  } catch (error) {
    if (error instanceof BaselineError) throw new UsageError(error.message);
    throw error;
  }
}

/** Writes to `--output` when given (its folder made), else to stdout. */
async function emit(rendered: string, output: string | undefined, io: CliIO): Promise<void> {
  if (output) {
    const out = resolve(io.cwd, output);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, rendered);
  } else io.stdout(rendered);
}

async function scanCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: SCAN_OPTIONS });
  const format = values.format as Format;
  if (!FORMATS.includes(format))
    throw new UsageError(`unknown format "${format}" (expected ${FORMATS.join(', ')})`);
  if (values['sarif-category'] !== undefined && format !== 'sarif')
    throw new UsageError('--sarif-category applies only to --format sarif');
  const dir = await folderToScan('scan', positionals, io);

  let policy = await policyFor(dir, values, io);
  if (values['fail-on'] !== undefined) {
    const failOn = FailOnSchema.safeParse(values['fail-on']);
    if (!failOn.success) throw new UsageError(`--fail-on must be one of ${FailOnSchema.options.join(', ')}`);
    policy = { ...policy, failOn: failOn.data };
  }

  // Read before the scan: a baseline that cannot be used is a usage error, not a verdict.
  const baseline = values.baseline === undefined ? undefined : await readBaseline(values.baseline, io);
  const started = io.early?.root === dir ? io.early.plan : undefined;
  const scanned = await scan(await diskSource(dir, started), policy);
  const secrets = scanned.secretValues;
  // Findings an earlier report already had are existing: under `block: new` only the others block.
  const verdict = baseline ? markNew(scanned.verdict, undefined, baseline) : scanned.verdict;
  const colour = io.isTTY && values.output === undefined && !io.env.NO_COLOR;
  const uriPrefix = format === 'sarif' ? await repositoryPrefix(dir) : '';
  const rendered =
    format === 'json'
      ? renderJson(verdict, { secrets })
      : format === 'sarif'
        ? renderSarif(verdict, { secrets, category: values['sarif-category'], uriPrefix })
        : format === 'github'
          ? renderGithub(verdict, { secrets })
          : format === 'markdown'
            ? renderMarkdown(verdict, { secrets })
            : renderText(verdict, { colour, secrets });
  await emit(rendered, values.output, io);
  return verdict.summary.conclusion === 'failure' ? EXIT.blocking : EXIT.ok;
}

const INVENTORY_FORMATS = ['text', 'json'] as const;

/**
 * `claude-guard inventory`: where Claude runs and what it may do there, from the same scan (the policy's
 * `ignore` applies), as a listing rather than a verdict. Exits 0 whatever it finds.
 */
async function inventoryCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: INVENTORY_OPTIONS });
  const format = values.format as (typeof INVENTORY_FORMATS)[number];
  if (!INVENTORY_FORMATS.includes(format))
    throw new UsageError(`unknown format "${format}" (expected ${INVENTORY_FORMATS.join(', ')})`);
  const dir = await folderToScan('inventory', positionals, io);
  const policy = await policyFor(dir, values, io);
  const started = io.early?.root === dir ? io.early.plan : undefined;
  const { model, verdict, secretValues: secrets } = await scan(await diskSource(dir, started), policy);
  const inventory = buildInventory(model, { secrets, notices: verdict.notices });
  const rendered =
    format === 'json'
      ? renderInventoryJson(inventory, { secrets })
      : renderInventoryText(inventory, { secrets });
  await emit(rendered, values.output, io);
  return EXIT.ok;
}

function rulesCommand(args: string[], io: CliIO): number {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
  if (values.json) {
    const list = RULES.map(({ meta }) => ({
      id: meta.id,
      name: meta.name,
      severity: meta.severity,
      summary: meta.summary,
      docs: `docs/rules/${meta.id}.md`,
    }));
    io.stdout(`${JSON.stringify(list, null, 2)}\n`);
  } else {
    for (const { meta } of RULES)
      io.stdout(`${meta.id}  ${meta.name.padEnd(20)} ${meta.severity.padEnd(9)} ${meta.summary}\n`);
  }
  return EXIT.ok;
}

function explainCommand(args: string[], io: CliIO): number {
  const id = args[0];
  if (!id) throw new UsageError('explain needs a rule id, e.g. claude-guard explain CG101');
  const rule = ruleById(id) ?? RULES.find((r) => r.meta.name === id);
  if (!rule) throw new UsageError(`no rule "${id}"; claude-guard rules lists them`);
  io.stdout(renderRuleDoc(rule.meta));
  return EXIT.ok;
}

/** Runs one CLI command and returns its exit code; never throws. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'scan':
        return await scanCommand(rest, io);
      case 'inventory':
        return await inventoryCommand(rest, io);
      case 'rules':
        return rulesCommand(rest, io);
      case 'explain':
        return explainCommand(rest, io);
      case 'policy':
        return await policyCommand(
          rest,
          { cwd: io.cwd, stdout: io.stdout, remote: remoteReader(io) },
          (dir, file) => policyFor(dir, file === undefined ? {} : { policy: file }, io),
        );
      default:
        throw new UsageError(`unknown command "${command}"; try claude-guard --help`);
    }
  } catch (error) {
    // Messages can quote the policy file or the arguments: they leave through the same edge as reports.
    const say = (s: string): void =>
      io.stderr(
        `claude-guard: ${s
          .split('\n')
          .map((l) => displayLine(l))
          .join('\n')}\n`,
      );
    if (error instanceof PolicyError) {
      say(
        error.issues.length === 1
          ? `invalid policy: ${error.message}`
          : `invalid policy, ${error.issues.length} problems:\n${error.issues.map((i) => `  ${issueText(i)}`).join('\n')}`,
      );
      return EXIT.usage;
    }
    if (
      error instanceof UsageError ||
      error instanceof PolicyUsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      say((error as Error).message);
      return EXIT.usage;
    }
    say(`internal error: ${(error as Error).stack ?? String(error)}`);
    return EXIT.internal;
  }
}
