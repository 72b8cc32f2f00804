import type { Parser as TSParser } from 'web-tree-sitter';
import type { ConfigProblem, McpServer, SettingsDoc } from '../model/types.js';
import { child, type JsonNode, parseStrictJson } from '../syntax/json-doc.js';
import type { SourceFile } from '../syntax/source.js';
import { serversIn } from './mcp.js';
import { hookCommands, hooksOnlySettings, type SettingsCommand } from './settings.js';

/*
 * A Claude Code plugin folder (one that holds `.claude-plugin/plugin.json`) brings hooks (`hooks/hooks.json`,
 * or `hooks` in the manifest), MCP servers (`mcpServers` in the manifest, or a `.mcp.json` beside it, read as
 * any other), and commands, agents and skills (read as markdown definitions). They run for whoever installs
 * the plugin. Which files belong to a plugin folder is decided by `PluginFolders` in `fs/classify`.
 */

/** What one file of a plugin tells the model. */
export interface PluginFacts {
  settings: SettingsDoc[];
  mcpServers: McpServer[];
  problems: ConfigProblem[];
  /** The commands its hooks run, for the Claude runs among them. */
  commands: SettingsCommand[];
}

/** The events object of a plugin's hooks: under `hooks`, as the docs write it, or the top level itself. */
function eventsOf(root: JsonNode | undefined): JsonNode | undefined {
  const wrapped = child(root, 'hooks');
  return wrapped?.type === 'object' ? wrapped : root;
}

function hooksFacts(
  file: SourceFile,
  events: JsonNode | undefined,
  shell: (() => TSParser | undefined) | undefined,
): Pick<PluginFacts, 'settings' | 'commands'> {
  if (events?.type !== 'object') return { settings: [], commands: [] };
  const doc = hooksOnlySettings(file, 'plugin', events, shell);
  return doc.hooks
    ? { settings: [doc], commands: hookCommands(file, events) }
    : { settings: [], commands: [] };
}

/** A plugin's `hooks/hooks.json`. */
export function readPluginHooks(file: SourceFile, shell?: () => TSParser | undefined): PluginFacts {
  const { root, problems } = parseStrictJson(
    file,
    'plugin hooks',
    "Claude Code loads none of the plugin's hooks",
  );
  return { ...hooksFacts(file, eventsOf(root), shell), mcpServers: [], problems };
}

/**
 * A plugin's `.claude-plugin/plugin.json`: the hooks and MCP servers it declares inline. A `hooks` or
 * `mcpServers` value that names a file is not followed here; the default places (`hooks/hooks.json`,
 * `.mcp.json`) are read as files of their own.
 */
export function readPluginManifest(file: SourceFile, shell?: () => TSParser | undefined): PluginFacts {
  const { root, problems } = parseStrictJson(file, 'plugin manifest', 'Claude Code cannot load the plugin');
  const servers = child(root, 'mcpServers');
  return {
    ...hooksFacts(file, eventsOf(child(root, 'hooks')), shell),
    mcpServers: servers?.type === 'object' ? serversIn(file, servers, shell) : [],
    problems,
  };
}
