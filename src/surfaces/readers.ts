import type { Parser as TSParser } from 'web-tree-sitter';
import type { SurfaceKind } from '../fs/classify.js';
import { fileSpan, type Located } from '../model/span.js';
import type {
  ClaudeInstall,
  ClaudeRun,
  ConfigProblem,
  IsolationContext,
  MarkdownDefinition,
  McpServer,
  RunContext,
  SettingsDoc,
  WorkflowContext,
} from '../model/types.js';
import { readDevcontainer } from './devcontainer.js';
import { readDockerfile } from './dockerfile.js';
import { definitionKind, readDefinition } from './front-matter.js';
import { readGitlabCi } from './gitlab-ci.js';
import { inlineSettingsOf } from './inline-settings.js';
import { inlineMcpServersOf } from './inline-mcp.js';
import { takeInstalls } from './installs.js';
import { readCompose } from './compose.js';
import { shellFormRuns } from './exec-form.js';
import { readJustfile } from './justfile.js';
import { readPreCommit, readVscodeTasks } from './task-configs.js';
import { readMakefile } from './makefile.js';
import { readClaudeJson, readMcpConfig } from './mcp.js';
import { readPackageScripts, readShellScript } from './scripts.js';
import { readSettings, settingsScope } from './settings.js';
import type { SourceFile } from '../syntax/source.js';
import { mentionsClaude, WorkflowReader } from './workflow.js';

/** What one file tells the model. */
export interface Facts {
  runs?: ClaudeRun[];
  settings?: SettingsDoc[];
  definitions?: MarkdownDefinition[];
  mcpServers?: McpServer[];
  problems?: ConfigProblem[];
  workflows?: WorkflowContext[];
  installs?: ClaudeInstall[];
}

export interface ReadContext {
  /** The bash grammar, loaded before a reader that `usesShell` runs. */
  shell: () => TSParser;
  /** The isolation the file's place implies (under `.devcontainer/`, a Dockerfile). */
  isolation?: Located<IsolationContext>;
}

interface Reader {
  /** Only files that name Claude can start it: the others are not read by this reader at all. */
  usesShell: boolean;
  /** For a reader that reads every file of its kind: whether this one needs the bash grammar too. */
  wantsShell?: (text: string) => boolean;
  read(file: SourceFile, ctx: ReadContext): Facts;
}

const runs = (read: (file: SourceFile, ctx: ReadContext) => ClaudeRun[]): Reader => ({
  usesShell: true,
  read: (file, ctx) => ({ runs: read(file, ctx) }),
});

/**
 * Text that may hold a command Claude runs: a hook's or a status line's `command`, a helper, an MCP
 * `headersHelper`, or a key written with a `\u` escape, which could spell any of them.
 */
const RUNS_COMMANDS = /command|Helper|awsAuthRefresh|awsCredentialExport|gcpAuthRefresh|\\u/;

/** One reader per kind of file. Readers turn text into facts with spans; they never judge them. */
const READERS: Partial<Record<SurfaceKind, Reader>> = {
  'claude-settings': {
    usesShell: false,
    // A hook or helper command may start Claude itself, or fetch and run code from elsewhere.
    wantsShell: (text) => mentionsClaude(text) || RUNS_COMMANDS.test(text),
    read: (file, ctx) => {
      const { doc, problems, commands } = readSettings(
        file,
        settingsScope(file.path),
        ctx.isolation,
        undefined,
        ctx.shell,
      );
      const context: RunContext = ctx.isolation
        ? { surface: 'settings-command', isolation: ctx.isolation }
        : { surface: 'settings-command' };
      const runs = commands
        .filter((c) => mentionsClaude(c.value))
        .flatMap((c) =>
          shellFormRuns(
            file,
            ctx.shell(),
            c.value,
            (i) => c.offsets[Math.min(i, c.offsets.length - 1)] ?? 0,
            context,
          ),
        );
      return { settings: doc ? [doc] : [], problems, runs };
    },
  },
  'mcp-config': {
    usesShell: false,
    wantsShell: (text) => RUNS_COMMANDS.test(text),
    read: (file, ctx) => {
      const { servers, problems } = readMcpConfig(file, ctx.shell);
      return { mcpServers: servers, problems };
    },
  },
  'claude-state': { usesShell: false, read: (file) => ({ mcpServers: readClaudeJson(file) }) },
  'claude-markdown': {
    usesShell: false,
    // Hooks in the front matter of an agent or a skill.
    wantsShell: (text) => /hooks|\\/.test(text),
    read: (file, ctx) => {
      const kind = definitionKind(file.path);
      if (!kind) return {};
      const { definition, problems } = readDefinition(file, kind, ctx.isolation, ctx.shell);
      return { definitions: definition ? [definition] : [], problems };
    },
  },
  // A workflow that never names Claude cannot start it (claude-code-action's name says claude too).
  workflow: { usesShell: true, read: (file, ctx) => new WorkflowReader(file, ctx.shell).read() },
  'gitlab-ci': { usesShell: true, read: (file, ctx) => readGitlabCi(file, ctx.shell) },
  'shell-script': runs((file, ctx) => readShellScript(file, ctx.shell(), ctx.isolation)),
  'package-json': runs((file, ctx) => readPackageScripts(file, ctx.shell, ctx.isolation).runs),
  makefile: runs((file, ctx) => readMakefile(file, ctx.shell(), ctx.isolation)),
  justfile: runs((file, ctx) => readJustfile(file, ctx.shell(), ctx.isolation)),
  compose: { usesShell: true, read: (file, ctx) => readCompose(file, ctx.shell) },
  'pre-commit': { usesShell: true, read: (file, ctx) => readPreCommit(file, ctx.shell) },
  'vscode-tasks': { usesShell: true, read: (file, ctx) => readVscodeTasks(file, ctx.shell) },
  dockerfile: runs((file, ctx) =>
    readDockerfile(file, ctx.shell, ctx.isolation ?? { value: 'container', span: fileSpan(file.path) }),
  ),
  devcontainer: runs((file, ctx) =>
    readDevcontainer(file, ctx.shell, ctx.isolation ?? { value: 'devcontainer', span: fileSpan(file.path) }),
  ),
};

/** The reader for a kind of file, when this file is one it reads. */
export function readerFor(kind: SurfaceKind, text: string): Reader | undefined {
  const reader = READERS[kind];
  return reader && (!reader.usesShell || mentionsClaude(text)) ? reader : undefined;
}

/**
 * A reader's facts, with the settings and MCP servers its runs give inline (`--settings '{…}'`,
 * `--mcp-config '{…}'`) and the installs of Claude its commands make.
 */
export function readFacts(reader: Reader, file: SourceFile, ctx: ReadContext): Facts {
  const facts = reader.read(file, ctx);
  const installs = takeInstalls(file.lines);
  if (installs.length > 0) facts.installs = [...(facts.installs ?? []), ...installs];
  for (const run of facts.runs ?? []) {
    const mcp = inlineMcpServersOf(run, file.lines);
    if (mcp.servers.length > 0) facts.mcpServers = [...(facts.mcpServers ?? []), ...mcp.servers];
    if (mcp.problems.length > 0) facts.problems = [...(facts.problems ?? []), ...mcp.problems];
    if (run.command?.inlineSettings) continue;
    const inline = inlineSettingsOf(run, file.lines, ctx.shell);
    facts.settings = [...(facts.settings ?? []), ...inline.docs];
    facts.problems = [...(facts.problems ?? []), ...inline.problems];
  }
  return facts;
}
