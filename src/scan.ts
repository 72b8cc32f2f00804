import { realpath } from 'node:fs/promises';
import picomatch from 'picomatch';
import type { Parser as TSParser } from 'web-tree-sitter';
import { classify, hasShellShebang, isolationOfPath, type SurfaceKind } from './fs/classify.js';
import { listFiles } from './fs/list.js';
import { decodeText, readText, type ReadResult } from './fs/read.js';
import { fileSpan, type Located } from './model/span.js';
import type { IsolationContext, ScanModel } from './model/types.js';
import { readDevcontainer } from './surfaces/devcontainer.js';
import { readDockerfile } from './surfaces/dockerfile.js';
import { readGitlabCi } from './surfaces/gitlab-ci.js';
import { readMakefile } from './surfaces/makefile.js';
import { definitionKind, readDefinition } from './surfaces/front-matter.js';
import type { Policy } from './policy/policy.js';
import { judge, type Notice, type Verdict } from './policy/verdict.js';
import { RULES } from './rules/registry.js';
import { readMcpConfig } from './surfaces/mcp.js';
import { readPackageScripts, readShellScript } from './surfaces/scripts.js';
import { findSecrets } from './surfaces/secrets.js';
import { readSettings, settingsScope } from './surfaces/settings.js';
import { shellParser } from './surfaces/shell-parser.js';
import { inlineSettingsOf } from './surfaces/inline-settings.js';
import { SourceFile } from './surfaces/source.js';
import { mentionsClaude, WorkflowReader } from './surfaces/workflow.js';

/** Where the files come from: a folder on disk, or (in tests and docs examples) a map of path → text. */
export interface FileSource {
  list(): Promise<string[]>;
  read(path: string): Promise<ReadResult>;
}

export async function diskSource(root: string): Promise<FileSource> {
  const realRoot = await realpath(root);
  const folders = new Map<string, Promise<string>>();
  return {
    list: async () => (await listFiles(root)).files,
    read: (path) => readText(root, realRoot, path, folders),
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

export interface ScanResult {
  verdict: Verdict;
  model: ScanModel;
  /** Raw values of the credentials found, for masking in CI logs (`core.setSecret`). Never reported. */
  secretValues: string[];
}

const READ_CONCURRENCY = 32;
/** Kinds of file whose commands are shell and need the bash grammar when they mention Claude. */
const SHELL_KINDS = new Set<SurfaceKind>([
  'workflow',
  'shell-script',
  'package-json',
  'dockerfile',
  'devcontainer',
  'makefile',
  'gitlab-ci',
]);

async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  });
  await Promise.all(lanes);
}

/** Scans a file source under a policy: files → surfaces → model → rules → verdict. */
export async function scan(source: FileSource, policy: Policy): Promise<ScanResult> {
  const ignored = policy.ignore.length > 0 ? picomatch(policy.ignore, { dot: true }) : () => false;
  const listed = (await source.list()).filter((p) => !ignored(p));
  const model: ScanModel = {
    files: [],
    runs: [],
    settings: [],
    definitions: [],
    mcpServers: [],
    secrets: [],
    problems: [],
  };
  const kept = new Map<string, SourceFile>();
  const notices: Notice[] = [];
  let parser: TSParser | undefined;

  const readOne = async (path: string): Promise<void> => {
    let kind: SurfaceKind = classify(path);
    if (kind === 'binary') return;
    const result = await source.read(path);
    if ('skipped' in result) {
      if (result.skipped !== 'not a regular file')
        notices.push({ path, message: `skipped: ${result.skipped}` });
      return;
    }
    model.files.push(path);
    const file = new SourceFile(path, result.text);
    const secrets = findSecrets(file);
    let facts = secrets.length;
    model.secrets.push(...secrets);
    if (kind === 'text' && hasShellShebang(file.text)) kind = 'shell-script';
    const isolationKind = isolationOfPath(path);
    const isolation: Located<IsolationContext> | undefined = isolationKind
      ? { value: isolationKind, span: fileSpan(path) }
      : undefined;
    const needsShell = SHELL_KINDS.has(kind) && mentionsClaude(file.text);
    if (needsShell) parser ??= await shellParser();
    const shell = (): TSParser => parser as TSParser;
    const firstRun = model.runs.length;
    switch (kind) {
      case 'claude-settings': {
        const { doc, problems } = readSettings(file, settingsScope(path), isolation);
        if (doc) model.settings.push(doc);
        model.problems.push(...problems);
        facts += 1;
        break;
      }
      case 'mcp-config': {
        const { servers, problems } = readMcpConfig(file);
        model.mcpServers.push(...servers);
        model.problems.push(...problems);
        facts += 1;
        break;
      }
      case 'workflow': {
        const facts_ = new WorkflowReader(file, shell).read();
        model.runs.push(...facts_.runs);
        model.settings.push(...facts_.settings);
        model.problems.push(...facts_.problems);
        facts += facts_.runs.length + facts_.problems.length;
        break;
      }
      case 'shell-script':
        if (needsShell) {
          const runs = readShellScript(file, shell(), isolation);
          model.runs.push(...runs);
          facts += runs.length;
        }
        break;
      case 'package-json':
        if (needsShell) {
          const { runs } = readPackageScripts(file, shell, isolation);
          model.runs.push(...runs);
          facts += runs.length;
        }
        break;
      case 'claude-markdown': {
        const kind_ = definitionKind(path);
        if (!kind_) break;
        const { definition, problems } = readDefinition(file, kind_, isolation);
        if (definition) model.definitions.push(definition);
        model.problems.push(...problems);
        facts += 1;
        break;
      }
      case 'makefile':
        if (needsShell) {
          const runs = readMakefile(file, shell(), isolation);
          model.runs.push(...runs);
          facts += runs.length;
        }
        break;
      case 'gitlab-ci':
        if (needsShell) {
          const read = readGitlabCi(file, shell);
          model.runs.push(...read.runs);
          model.problems.push(...read.problems);
          facts += read.runs.length + read.problems.length;
        }
        break;
      case 'dockerfile':
        if (needsShell) {
          const runs = readDockerfile(file, shell, isolation ?? { value: 'container', span: fileSpan(path) });
          model.runs.push(...runs);
          facts += runs.length;
        }
        break;
      case 'devcontainer':
        if (needsShell) {
          const runs = readDevcontainer(
            file,
            shell,
            isolation ?? { value: 'devcontainer', span: fileSpan(path) },
          );
          model.runs.push(...runs);
          facts += runs.length;
        }
        break;
      default:
        break;
    }
    // Readers run synchronously from here, so the runs from `firstRun` on are this file's.
    for (const run of model.runs.slice(firstRun)) {
      if (run.command?.inlineSettings) continue;
      const inline = inlineSettingsOf(run, file.lines);
      model.settings.push(...inline.docs);
      model.problems.push(...inline.problems);
    }
    if (facts > 0) kept.set(path, file);
  };

  await eachLimited(listed, READ_CONCURRENCY, readOne);
  // Reads finish in any order; the model is ordered so that everything after it is deterministic.
  model.files.sort();
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
  model.secrets.sort(byPlace);
  model.problems.sort(byPlace);

  const ctx = { dangerousModeAllowIn: policy.dangerousModeAllowIn };
  const results = RULES.map((rule) => ({ rule, findings: rule.check(model, ctx) }));
  const lineText = (path: string, line: number): string => kept.get(path)?.lines.lineText(line) ?? '';
  const verdict = judge(results, policy, model.files.length, lineText, notices);
  const secretValues = [...new Set(model.secrets.filter((s) => !s.placeholder).map((s) => s.value))];
  return { verdict, model, secretValues };
}
