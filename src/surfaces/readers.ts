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
import { takeCuts } from './cuts.js';
import { takeInstalls } from './installs.js';
import { readCompose } from './compose.js';
import { shellFormRuns } from './exec-form.js';
import { readJustfile } from './justfile.js';
import { readPreCommit, readVscodeTasks } from './task-configs.js';
import { readMakefile } from './makefile.js';
import { readClaudeJson, readMcpConfig } from './mcp.js';
import { readPackageScripts, readShellScript } from './scripts.js';
import { readPluginHooks, readPluginManifest } from './plugin.js';
import { readSettings, type SettingsCommand, settingsScope } from './settings.js';
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
  /** What the reader chose not to read (a cut for a file built to be too large to read), one line each. */
  notices?: string[];
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

/** The Claude runs among the commands a settings file or a plugin makes Claude run (hooks, helpers). */
function commandRuns(file: SourceFile, ctx: ReadContext, commands: readonly SettingsCommand[]): ClaudeRun[] {
  const context: RunContext = ctx.isolation
    ? { surface: 'settings-command', isolation: ctx.isolation }
    : { surface: 'settings-command' };
  return commands
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
}

/** The shell commands of a command's or skill's body, as commands Claude Code runs (Claude may be one). */
function inlineRuns(
  file: SourceFile,
  ctx: ReadContext,
  definition: MarkdownDefinition | undefined,
): ClaudeRun[] {
  const commands = (definition?.inlineShell ?? []).map((c): SettingsCommand => {
    const start = file.lines.lineStart(c.run.span.line) + c.run.span.column - 1;
    return {
      source: 'inline shell',
      value: c.run.value,
      offsets: Array.from({ length: c.run.value.length }, (_, i) => start + i),
    };
  });
  return commands.length > 0 ? commandRuns(file, ctx, commands) : [];
}

/** A command, agent or skill of a plugin folder, its kind known from where it sits. */
function definitionReader(kind: MarkdownDefinition['kind']): Reader {
  return {
    usesShell: false,
    // Hooks in the front matter of an agent or a skill, shell in the body of a command or a skill.
    wantsShell: (text) => /hooks|\\|!`/.test(text),
    read: (file, ctx) => {
      const { definition, problems } = readDefinition(file, kind, ctx.isolation, ctx.shell);
      return {
        definitions: definition ? [definition] : [],
        problems,
        runs: inlineRuns(file, ctx, definition),
      };
    },
  };
}

/**
 * Text of a workflow or action that may run a file of the repository: a local path (`./scripts/x`,
 * `uses: ./.github/actions/x`, a called `./.github/workflows/x.yml`), a shell script by its extension, or a
 * shell given a file (`bash scripts/x`).
 */
const MAY_RUN_FILE = /\.\/|\.(?:sh|bash|zsh|ksh|dash)\b|\b(?:ba|z|k|da)?sh\s/;

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
      return { settings: doc ? [doc] : [], problems, runs: commandRuns(file, ctx, commands) };
    },
  },
  // A plugin's manifest and hooks: their hook commands, and the manifest's MCP servers.
  'plugin-manifest': {
    usesShell: false,
    wantsShell: (text) => mentionsClaude(text) || RUNS_COMMANDS.test(text),
    read: (file, ctx) => {
      const { commands, ...facts } = readPluginManifest(file, ctx.shell);
      return { ...facts, runs: commandRuns(file, ctx, commands) };
    },
  },
  'plugin-hooks': {
    usesShell: false,
    wantsShell: (text) => mentionsClaude(text) || RUNS_COMMANDS.test(text),
    read: (file, ctx) => {
      const { commands, ...facts } = readPluginHooks(file, ctx.shell);
      return { ...facts, runs: commandRuns(file, ctx, commands) };
    },
  },
  'plugin-skill': definitionReader('skill'),
  'plugin-agent': definitionReader('agent'),
  'plugin-command': definitionReader('command'),
  'mcp-config': {
    usesShell: false,
    wantsShell: (text) => RUNS_COMMANDS.test(text),
    read: (file, ctx) => {
      const { servers, problems } = readMcpConfig(file, ctx.shell);
      return { mcpServers: servers, problems };
    },
  },
  'claude-state': {
    usesShell: false,
    // A server's `headersHelper` is a command.
    wantsShell: (text) => text.includes('headersHelper'),
    read: (file, ctx) => ({ mcpServers: readClaudeJson(file, ctx.shell) }),
  },
  'claude-markdown': {
    usesShell: false,
    // Hooks in the front matter of an agent or a skill, shell in the body of a command or a skill.
    wantsShell: (text) => /hooks|\\|!`/.test(text),
    read: (file, ctx) => {
      const kind = definitionKind(file.path);
      if (!kind) return {};
      const { definition, problems } = readDefinition(file, kind, ctx.isolation, ctx.shell);
      return {
        definitions: definition ? [definition] : [],
        problems,
        runs: inlineRuns(file, ctx, definition),
      };
    },
  },
  // Every workflow and action is read: one that never names Claude cannot start it (claude-code-action's
  // name says claude too), but its steps may run a script or a local action that does, and are then that
  // run's context. Its shell commands are parsed only when it names Claude, and only then is YAML it cannot
  // read a problem worth reporting; one that runs no file at all is not parsed.
  workflow: {
    usesShell: false,
    wantsShell: mentionsClaude,
    read: (file, ctx) => {
      const names = mentionsClaude(file.text);
      if (!names && !MAY_RUN_FILE.test(file.text)) return {};
      const facts = new WorkflowReader(file, ctx.shell).read();
      return names ? facts : { ...facts, problems: [] };
    },
  },
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
  // Pushed one by one: a file can hold thousands of runs, and neither a copy per run nor a spread of
  // thousands of arguments is affordable.
  const add = <T>(
    key: 'installs' | 'mcpServers' | 'notices' | 'problems' | 'settings',
    items: readonly T[],
  ): void => {
    if (items.length === 0) return;
    const list = (facts[key] ??= []) as T[];
    for (const item of items) list.push(item);
  };
  add('installs', takeInstalls(file.lines));
  add('notices', takeCuts(file.lines));
  for (const run of facts.runs ?? []) {
    const mcp = inlineMcpServersOf(run, file.lines);
    add('mcpServers', mcp.servers);
    add('problems', mcp.problems);
    if (run.command?.inlineSettings) continue;
    const inline = inlineSettingsOf(run, file.lines, ctx.shell);
    add('settings', inline.docs);
    add('problems', inline.problems);
  }
  return facts;
}
