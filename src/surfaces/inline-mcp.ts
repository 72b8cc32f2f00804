import type { LineIndex } from '../model/span.js';
import type { ClaudeRun, ConfigProblem, McpServer } from '../model/types.js';
import { SourceFile } from '../syntax/source.js';
import { readMcpConfig } from './mcp.js';

/**
 * MCP servers given on a command line as JSON (`claude --mcp-config '{"mcpServers": …}'`, also through the
 * action's `claude_args`), read as an MCP config whose positions are those of the characters in the file.
 * Values that name files are read by the scan, once every file is listed.
 */
export function inlineMcpServersOf(
  run: ClaudeRun,
  lines: LineIndex,
): { servers: McpServer[]; problems: ConfigProblem[] } {
  const servers: McpServer[] = [];
  const problems: ConfigProblem[] = [];
  for (const flag of run.command?.flags ?? []) {
    if (flag.name !== '--mcp-config') continue;
    for (const value of flag.values) {
      if (value.dynamic || !value.value.trimStart().startsWith('{')) continue;
      const embedded = new SourceFile(run.path, value.value, { lines, spanOf: (a, b) => value.sub(a, b) });
      const read = readMcpConfig(embedded);
      servers.push(...read.servers);
      problems.push(...read.problems);
    }
  }
  return { servers, problems };
}
