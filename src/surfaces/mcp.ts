import type { Parser as TSParser } from 'web-tree-sitter';
import { cutMessage, MAX_SERVERS, noteCut } from './cuts.js';
import type { ConfigProblem, McpServer } from '../model/types.js';
import {
  child,
  entries,
  type JsonNode,
  parseStrictJson,
  stringAt,
  stringMap,
  stringsAt,
} from '../syntax/json-doc.js';
import type { SourceFile } from '../syntax/source.js';
import { commandRemote } from './remote-code.js';

const FILE_KIND = 'MCP config';

/** Reads the servers of a `.mcp.json` file; with the bash grammar, what their `headersHelper` runs too. */
export function readMcpConfig(
  file: SourceFile,
  shell?: () => TSParser | undefined,
): { servers: McpServer[]; problems: ConfigProblem[] } {
  const { root, problems } = parseStrictJson(
    file,
    FILE_KIND,
    'Claude Code cannot load any server from this file',
  );
  return { servers: serversIn(file, child(root, 'mcpServers'), shell), problems };
}

/**
 * The servers of a `.claude.json` (Claude Code's own state file, committed by mistake): its `mcpServers`,
 * and each project's. Claude does not read this file from a repository, so a file it could not parse is not
 * reported as a configuration problem; a credential written in it is still exposed.
 */
export function readClaudeJson(file: SourceFile, shell?: () => TSParser | undefined): McpServer[] {
  const { root } = parseStrictJson(file, 'Claude state file', '');
  const servers = serversIn(file, child(root, 'mcpServers'), shell);
  for (const [, project] of entries(child(root, 'projects'))) {
    servers.push(...serversIn(file, child(project, 'mcpServers'), shell));
  }
  return servers;
}

/** The servers of an `mcpServers` object; with the bash grammar, what their `headersHelper` runs too. */
export function serversIn(
  file: SourceFile,
  mcpServers: JsonNode | undefined,
  shell?: () => TSParser | undefined,
): McpServer[] {
  const servers: McpServer[] = [];
  for (const [key, node] of entries(mcpServers)) {
    if (servers.length >= MAX_SERVERS) {
      noteCut(file.lines, cutMessage('MCP servers in one mcpServers', MAX_SERVERS));
      break;
    }
    const name = stringAt(file, key);
    if (!name) continue;
    const server: McpServer = {
      path: file.path,
      name,
      args: stringsAt(file, child(node, 'args')),
      env: stringMap(file, child(node, 'env')),
      headers: stringMap(file, child(node, 'headers')),
    };
    const transport = stringAt(file, child(node, 'type'));
    const command = stringAt(file, child(node, 'command'));
    const url = stringAt(file, child(node, 'url'));
    if (transport) server.transport = transport;
    if (command) server.command = command;
    // A transport that does not fit the entry (a `url` without `type`) is judged by CG901 over the server.
    if (url) server.url = url;
    const helperNode = child(node, 'headersHelper');
    const helper = stringAt(file, helperNode);
    if (helper) {
      server.headersHelper = { key: 'headersHelper', run: helper };
      const remote = commandRemote(file, shell, helperNode);
      if (remote.length > 0) server.headersHelper.remote = remote;
    }
    servers.push(server);
  }
  return servers;
}
