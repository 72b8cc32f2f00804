import type { ConfigProblem, McpServer } from '../model/types.js';
import { child, entries, parseStrictJson, stringAt, stringMap, stringsAt } from '../syntax/json-doc.js';
import type { SourceFile } from '../syntax/source.js';

const FILE_KIND = 'MCP config';

/** Reads the servers of a `.mcp.json` file. */
export function readMcpConfig(file: SourceFile): { servers: McpServer[]; problems: ConfigProblem[] } {
  const { root, problems } = parseStrictJson(
    file,
    FILE_KIND,
    'Claude Code cannot load any server from this file',
  );
  const servers: McpServer[] = [];
  for (const [key, node] of entries(child(root, 'mcpServers'))) {
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
    servers.push(server);
  }
  return { servers, problems };
}
