import { realpath } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Parser as TSParser } from 'web-tree-sitter';
import {
  classify,
  hasShellShebang,
  isBinaryPath,
  isolationOfPath,
  localConfigOf,
  mayBeClaudeFile,
  PluginFolders,
  type SurfaceKind,
} from './fs/classify.js';
import { type GitPlan, gitPlan, listFiles, type Needle } from './fs/list.js';
import { decodeText, readText, type ReadResult } from './fs/read.js';
import { CONTENT_NEEDLES } from './model/needles.js';
import { fileSpan, type Located, type Span } from './model/span.js';
import type { ClaudeRun, IsolationContext, ScanModel } from './model/types.js';
import { globsMatcher } from './policy/glob.js';
import { type Policy, ruleContext } from './policy/policy.js';
import { dayOf, inlineSuppressions, type InlineSuppression } from './policy/suppress.js';
import { judge, type Notice, type Suggestion, type Verdict } from './policy/verdict.js';
import { RULES } from './rules/registry.js';
import { capFindings } from './verdict/cap.js';
import { readMcpConfig } from './surfaces/mcp.js';
import { findSecrets } from './surfaces/secrets.js';
import { type Facts, readFacts, readerFor } from './surfaces/readers.js';
import { readSettings } from './surfaces/settings.js';
import { takeCuts } from './surfaces/cuts.js';
import { MAX_CLAUDE_CALLS } from './surfaces/shell.js';
import { shellParser } from './syntax/shell-parser.js';
import { SourceFile } from './syntax/source.js';

/** Where the files come from: a folder on disk, or (in tests and docs examples) a map of path → text. */
export interface FileSource {
  list(): Promise<string[]>;
  read(path: string): Promise<ReadResult>;
  /** For a git checkout: what to read and what `git grep` already searched (see GitPlan). */
  plan?(needles: readonly Needle[]): Promise<GitPlan | undefined>;
  /** What listing the files could not do or chose not to trust, once `list` or `plan` has run. */
  notices?(): Notice[];
}

/** A folder on disk; `started` is a plan already set going for it (see cli/early.ts). */
export async function diskSource(root: string, started?: Promise<GitPlan | undefined>): Promise<FileSource> {
  const realRoot = await realpath(root);
  const folders = new Map<string, string>();
  let listed: Notice[] = [];
  let planned: Notice[] = [];
  // One plan per set of needles: a second scan of the same checkout (a pull request's base, see
  // overlaySource) reuses what git listed and found instead of running it again.
  const plans = new Map<readonly Needle[], Promise<GitPlan | undefined>>();
  return {
    list: async () => {
      const listing = await listFiles(root);
      listed = listing.notices ?? [];
      return listing.files;
    },
    plan: async (needles) => {
      let going = plans.get(needles);
      if (!going) {
        going = started && needles === CONTENT_NEEDLES ? started : gitPlan(root, needles);
        plans.set(needles, going);
      }
      const plan = await going;
      // The plan's notices grow while git works: read them when asked.
      planned = plan?.notices ?? [];
      return plan;
    },
    read: (path) => readText(root, realRoot, path, folders),
    notices: () => [...listed, ...planned],
  };
}

export function memorySource(files: Record<string, string>): FileSource {
  return {
    list: async () => Object.keys(files).sort(),
    read: async (path) => {
      const text = files[path];
      return text === undefined ? { skipped: 'missing' } : decodeText(new TextEncoder().encode(text));
    },
  };
}

/**
 * Another version of a source: `changes` gives the text of some paths in that version (null: the path does
 * not exist there); every other path reads as in `source`. Used to scan the base of a pull request from its
 * head checkout and the changed files' base versions, so that only those are fetched.
 */
export function overlaySource(source: FileSource, changes: ReadonlyMap<string, string | null>): FileSource {
  const present = [...changes].filter(([, text]) => text !== null).map(([path]) => path);
  const adjust = (paths: string[]): string[] => {
    const kept = paths.filter((p) => !changes.has(p));
    return [...kept, ...present].sort();
  };
  const overlay: FileSource = {
    list: async () => adjust(await source.list()),
    read: async (path) => {
      if (!changes.has(path)) return source.read(path);
      const text = changes.get(path);
      return text === null || text === undefined
        ? { skipped: 'missing' }
        : decodeText(new TextEncoder().encode(text));
    },
  };
  if (source.notices) overlay.notices = () => source.notices?.() ?? [];
  if (source.plan) {
    const plan = source.plan.bind(source);
    overlay.plan = async (needles) => {
      const head = await plan(needles);
      if (!head) return undefined;
      const tracked = adjust(head.tracked);
      return {
        tracked,
        untracked: async () => (await head.untracked()).filter((p) => !changes.has(p)),
        // The changed paths are handed over whatever they hold: git grep searched the other version.
        matches: async (onMatch) => {
          const complete = await head.matches((path) => {
            if (!changes.has(path)) onMatch(path);
          });
          for (const path of present) onMatch(path);
          return complete;
        },
        notices: head.notices,
      };
    };
  }
  return overlay;
}

export interface ScanResult {
  verdict: Verdict;
  model: ScanModel;
  /** Raw values of the credentials found, for masking in CI logs (`core.setSecret`). Never reported. */
  secretValues: string[];
  /** Mechanical fixes by finding fingerprint, for review suggestions. Never in the report. */
  suggestions: Map<string, Suggestion>;
}

const READ_CONCURRENCY = 32;
/**
 * Kinds read whatever they hold: their mere content can be a finding (invalid JSON, a bypass mode). Workflows
 * and actions (`action.yml`) too: they are few, and they are the CI context of the scripts and local actions
 * that start Claude without naming it in the workflow (`run: ./scripts/triage.sh`).
 */
const ALWAYS_READ = new Set<SurfaceKind>([
  'claude-settings',
  'mcp-config',
  'claude-state',
  'claude-markdown',
  'plugin-manifest',
  'plugin-hooks',
  'plugin-skill',
  'plugin-agent',
  'plugin-command',
  'workflow',
]);
/** A path that may be of a kind always read; only these are classified while git grep runs. */
const mayBeAlwaysRead = (path: string): boolean => mayBeClaudeFile(path) || /\.ya?ml$/i.test(path);

/**
 * Runs `work` on pushed items, at most `limit` at a time. `done()` waits for everything pushed so far, and
 * rejects with the first error any of it threw.
 */
function workQueue<T>(
  limit: number,
  work: (item: T) => Promise<void>,
): { push(item: T): void; done(): Promise<void> } {
  const waiting: T[] = [];
  let running = 0;
  let failure: unknown;
  let settle: { resolve: () => void; reject: (e: unknown) => void } | undefined;
  const finish = (): void => {
    if (running > 0 || waiting.length > 0 || !settle) return;
    if (failure === undefined) settle.resolve();
    else settle.reject(failure);
  };
  const next = (): void => {
    while (running < limit && waiting.length > 0) {
      const item = waiting.shift() as T;
      running++;
      work(item)
        .catch((error: unknown) => (failure ??= error))
        .finally(() => {
          running--;
          next();
          finish();
        });
    }
  };
  return {
    push(item) {
      waiting.push(item);
      next();
    },
    done: () =>
      new Promise<void>((resolve, reject) => {
        settle = { resolve, reject };
        finish();
      }),
  };
}

/** Runs `work` on every item, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = workQueue(limit, work);
  for (const item of items) queue.push(item);
  await queue.done();
}

/** Appends without spreading: a hostile file can yield more items than a call may take arguments. */
function append<T>(target: T[], items: readonly T[] | undefined): void {
  for (const item of items ?? []) target.push(item);
}

/** The isolation a file's place implies (under `.devcontainer/`, a Dockerfile), located at the file. */
function isolationOf(path: string): Located<IsolationContext> | undefined {
  const kind = isolationOfPath(path);
  return kind ? { value: kind, span: fileSpan(path) } : undefined;
}

/**
 * Paths of the files the runs name with `flag` (`--settings`, `--mcp-config`) or the action's `input`, as files
 * of the scan: relative to the scanned folder (where a workflow runs), or else to the folder of the file that
 * names it. Values written as JSON or with a variable are not paths.
 */
function filesNamed(runs: ClaudeRun[], lists: string[][], flag: string, input: string): string[] {
  const found = new Set<string>();
  let known: Set<string> | undefined;
  const listedHas = (p: string): boolean => (known ??= new Set(lists.flat())).has(p);
  for (const run of runs) {
    const named = [
      ...(run.command?.flags ?? []).filter((f) => f.name === flag).flatMap((f) => f.values),
      run.action?.inputs[input],
    ];
    for (const value of named) {
      const text = value?.value.trim();
      if (!text || text.startsWith('{') || text.includes('$')) continue;
      const clean = posix.normalize(text).replace(/^\.\//, '');
      const beside = posix.normalize(posix.join(posix.dirname(run.path), clean));
      if (listedHas(clean)) found.add(clean);
      else if (listedHas(beside)) found.add(beside);
    }
  }
  return [...found].sort();
}

export interface ScanOptions {
  /** The time the scan judges expiries by (exceptions, suppressions); the system clock unless given. */
  clock?: () => Date;
}

/** Scans a file source under a policy: files → surfaces → model → rules → verdict. */
export async function scan(
  source: FileSource,
  policy: Policy,
  options: ScanOptions = {},
): Promise<ScanResult> {
  const ignored = globsMatcher(policy.ignore);
  // In a git checkout only the files that name Claude or hold something shaped like a credential are
  // read (git grep finds them), besides the Claude files themselves, which are read while git grep runs.
  const plan = await source.plan?.(CONTENT_NEEDLES);
  const listed: string[][] = [];
  const entries = (paths: string[]): { path: string; kind: SurfaceKind }[] => {
    listed.push(paths);
    return paths
      .filter((p) => !ignored(p))
      .map((path) => ({ path, kind: classify(path) }))
      .filter((f) => f.kind !== 'binary');
  };
  const model: ScanModel = {
    fileCount: 0,
    runs: [],
    settings: [],
    definitions: [],
    mcpServers: [],
    secrets: [],
    problems: [],
    workflows: [],
    installs: [],
    localConfigs: [],
  };
  // Plugin folders, known by their manifests among the listed paths, before any file is read.
  const plugins = new PluginFolders();
  const noteLocal = (path: string, tracked: boolean): void => {
    plugins.note(path);
    const kind = localConfigOf(path);
    if (kind && !ignored(path)) model.localConfigs.push(tracked ? { path, kind, tracked } : { path, kind });
  };
  const kept = new Map<string, SourceFile>();
  const inline: InlineSuppression[] = [];
  const notices: Notice[] = [];
  let parser: TSParser | undefined;

  const readOne = async ({ path, kind: listedKind }: { path: string; kind: SurfaceKind }): Promise<void> => {
    let kind = plugins.kindOf(path, listedKind);
    const result = await source.read(path);
    if ('skipped' in result) {
      if (result.skipped !== 'not a regular file')
        notices.push({ path, message: `skipped: ${result.skipped}` });
      return;
    }
    model.fileCount++;
    const file = new SourceFile(path, result.text);
    const secrets = findSecrets(file);
    let facts = secrets.length;
    append(model.secrets, secrets);
    const marks = inlineSuppressions(file);
    if (marks.length > 0) {
      append(inline, marks);
      facts += 1;
    }
    if (kind === 'text' && hasShellShebang(file.text)) kind = 'shell-script';
    const reader = readerFor(kind, file.text);
    if (reader) {
      if (reader.usesShell || reader.wantsShell?.(file.text)) parser ??= await shellParser();
      let found: Facts;
      try {
        found = readFacts(reader, file, { shell: () => parser as TSParser, isolation: isolationOf(path) });
      } catch (error) {
        // Parsers recurse: a file nested thousands deep ends in a note, not a crash.
        if (!(error instanceof RangeError)) throw error;
        notices.push({ path, message: 'skipped: nested too deeply to read' });
        found = {};
      }
      if (found.runs && found.runs.length > MAX_CLAUDE_CALLS) {
        notices.push({
          path,
          message: `Claude is started here more than ${MAX_CLAUDE_CALLS} times: the first ${MAX_CLAUDE_CALLS} are read`,
        });
        found.runs = found.runs.slice(0, MAX_CLAUDE_CALLS);
      }
      append(model.runs, found.runs);
      append(model.settings, found.settings);
      append(model.definitions, found.definitions);
      append(model.mcpServers, found.mcpServers);
      append(model.problems, found.problems);
      append(model.workflows, found.workflows);
      append(model.installs, found.installs);
      for (const message of found.notices ?? []) notices.push({ path, message });
      facts += 1;
    }
    if (facts > 0) kept.set(path, file);
  };

  if (plan) {
    // A checkout can hold a hundred thousand paths: only Claude's own files are classified and read now,
    // while git grep runs; the others are counted.
    listed.push(plan.tracked);
    let tracked = 0;
    const claudeFiles: { path: string; kind: SurfaceKind }[] = [];
    for (const path of plan.tracked) {
      if (ignored(path) || isBinaryPath(path)) continue;
      tracked++;
      noteLocal(path, true);
      if (!mayBeAlwaysRead(path)) continue;
      const kind = classify(path);
      if (ALWAYS_READ.has(kind)) claudeFiles.push({ path, kind });
    }
    await eachLimited(claudeFiles, READ_CONCURRENCY, readOne);
    // Files git grep points at are read as it finds them; the rest it searched and found empty-handed.
    const queue = workQueue(READ_CONCURRENCY, readOne);
    const handed = new Set<string>();
    const complete = await plan.matches((path) => {
      if (ignored(path)) return;
      const kind = classify(path);
      if (kind === 'binary' || ALWAYS_READ.has(kind)) return;
      handed.add(path);
      queue.push({ path, kind });
    });
    if (complete) model.fileCount += tracked - claudeFiles.length - handed.size;
    else {
      // git grep failed: read every tracked file it did not already hand over.
      for (const f of entries(plan.tracked))
        if (!ALWAYS_READ.has(f.kind) && !handed.has(f.path)) queue.push(f);
    }
    await queue.done();
    // git grep searched tracked files only: untracked ones are read whole.
    await eachLimited(entries(await plan.untracked()), READ_CONCURRENCY, readOne);
  } else {
    const all = await source.list();
    for (const path of all) noteLocal(path, false);
    await eachLimited(entries(all), READ_CONCURRENCY, readOne);
  }
  append(notices, source.notices?.());
  /** Reads a file a run names, as `read` says; one nested past reading ends in a notice. */
  const readNamed = async (path: string, read: (file: SourceFile) => void): Promise<void> => {
    const result = await source.read(path);
    if ('skipped' in result) return;
    const file = new SourceFile(path, result.text);
    try {
      read(file);
      kept.set(path, file);
      for (const message of takeCuts(file.lines)) notices.push({ path, message });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      notices.push({ path, message: 'skipped: nested too deeply to read' });
    }
  };
  // MCP configs named on a command line (`--mcp-config ci/mcp.json`) or by the action's `mcp_config:`.
  for (const path of filesNamed(model.runs, listed, '--mcp-config', 'mcp_config')) {
    if (classify(path) === 'mcp-config' || model.mcpServers.some((s) => s.path === path)) continue;
    await readNamed(path, (file) => {
      // Runs name it, and runs are read with the bash grammar: it is loaded.
      const { servers, problems } = readMcpConfig(file, () => parser);
      append(model.mcpServers, servers);
      append(model.problems, problems);
    });
  }
  // Settings files named on a command line (`--settings ci/claude.json`) or by the action's `settings:`.
  for (const path of filesNamed(model.runs, listed, '--settings', 'settings')) {
    if (model.settings.some((doc) => doc.path === path)) continue;
    await readNamed(path, (file) => {
      const { doc, problems } = readSettings(file, 'file', isolationOf(path), undefined, () => parser);
      if (doc) model.settings.push(doc);
      append(model.problems, problems);
    });
  }
  // Reads finish in any order; the model is ordered so that everything after it is deterministic.
  const byPlace = <T extends { path?: string; span?: { path: string; line: number; column: number } }>(
    a: T,
    b: T,
  ): number => {
    const pa = a.span?.path ?? a.path ?? '';
    const pb = b.span?.path ?? b.path ?? '';
    return pa < pb
      ? -1
      : pa > pb
        ? 1
        : (a.span?.line ?? 0) - (b.span?.line ?? 0) || (a.span?.column ?? 0) - (b.span?.column ?? 0);
  };
  model.runs.sort(byPlace);
  model.settings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  model.definitions.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  model.mcpServers.sort((a, b) => byPlace({ span: a.name.span }, { span: b.name.span }));
  model.workflows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  model.installs.sort(byPlace);
  model.secrets.sort(byPlace);
  model.problems.sort(byPlace);

  const ctx = ruleContext(policy);
  const results = RULES.map((rule) => ({ rule, findings: rule.check(model, ctx) }));
  const lineText = (path: string, line: number): string => kept.get(path)?.lines.lineText(line) ?? '';
  // Credentials written in pieces, by file: their ranges are masked in any snippet of a line they touch.
  const inPieces = new Map<string, Span[]>();
  for (const s of model.secrets) {
    if (!s.pieces) continue;
    const hidden = s.extent ?? s.span;
    const spans = inPieces.get(hidden.path);
    if (spans) spans.push(hidden);
    else inPieces.set(hidden.path, [hidden]);
  }
  // Credentials a rule found by where they are written (a literal token under a credential's name), not by
  // their shape: masked like those, and given to the log masking below.
  const credentialValues: string[] = [];
  for (const { findings } of results) {
    for (const f of findings) {
      if (!f.credential) continue;
      const spans = inPieces.get(f.span.path);
      if (spans) spans.push(f.span);
      else inPieces.set(f.span.path, [f.span]);
      if (f.span.line === f.span.endLine)
        credentialValues.push(
          lineText(f.span.path, f.span.line).slice(f.span.column - 1, f.span.endColumn - 1),
        );
    }
  }
  // By line, built once per file: a file can hold thousands of them, each line asked about for its findings.
  const piecesByLine = new Map<string, { one: Map<number, Span[]>; many: Span[] }>();
  const hiddenSecrets = (path: string, line: number): [number, number][] => {
    let index = piecesByLine.get(path);
    if (!index) {
      index = { one: new Map(), many: [] };
      for (const s of inPieces.get(path) ?? []) {
        if (s.line !== s.endLine) index.many.push(s);
        else if (index.one.has(s.line)) index.one.get(s.line)?.push(s);
        else index.one.set(s.line, [s]);
      }
      piecesByLine.set(path, index);
    }
    return [
      ...(index.one.get(line) ?? []),
      ...index.many.filter((s) => s.line <= line && line <= s.endLine),
    ].map((s) => [s.line === line ? s.column - 1 : 0, s.endLine === line ? s.endColumn - 1 : Infinity]);
  };
  const suggestions = new Map<string, Suggestion>();
  inline.sort((a, b) => byPlace({ span: a.span }, { span: b.span }));
  const today = dayOf((options.clock ?? (() => new Date()))());
  // A repository written to flood the report lists a bounded number of findings (notices count the rest).
  const listedFindings = capFindings(results, policy, notices);
  const verdict = judge(
    listedFindings,
    policy,
    model.fileCount,
    { lineText, hiddenSecrets },
    notices,
    suggestions,
    {
      inline,
      today,
    },
  );
  // Every value and piece to mask in logs and reports; placeholders too when written in pieces, as the
  // pieces of a real key and of a placeholder cannot be told apart once printed.
  const secretValues = [
    ...new Set(
      model.secrets
        .flatMap((s) => (s.placeholder ? (s.pieces ?? []) : [s.value, ...(s.pieces ?? [])]))
        .concat(credentialValues),
    ),
  ].filter((v) => v.length >= 8);
  return { verdict, model, secretValues, suggestions };
}
