import type { Rule } from './types.js';

export const invalidConfig: Rule = {
  meta: {
    id: 'CG901',
    name: 'invalid-config',
    severity: 'medium',
    summary: 'A configuration file that Claude Code (or GitHub) would reject or silently ignore.',
    rationale:
      'Claude Code reads `.claude/settings.json` as strict JSON: a comment or a trailing comma makes it ' +
      'discard the whole file, and in `claude -p` it says nothing. The deny rules you wrote then do not apply, ' +
      'and nobody notices. An unknown `defaultMode` is ignored; an MCP server with a `url` but no `type` is ' +
      'skipped. A workflow that runs Claude but is not valid YAML cannot be checked at all.',
    fix: 'Make the file valid: strict JSON for Claude settings and `.mcp.json` (no comments, no trailing commas).',
    bad: [
      {
        path: '.claude/settings.json',
        note: 'A comment: Claude Code drops the whole file, deny rules included.',
        lines: [3],
        content: [
          '{',
          '  "permissions": {',
          '    // keep secrets out of reach',
          '    "deny": ["Read(./.env)"]',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
      {
        path: '.claude/settings.local.json',
        note: 'A mode that does not exist.',
        lines: [2],
        content: ['{', '  "permissions": { "defaultMode": "yolo" }', '}', ''].join('\n'),
      },
      {
        path: '.mcp.json',
        note: 'A remote server without its transport type.',
        lines: [2],
        content: ['{', '  "mcpServers": { "docs": { "url": "https://mcp.example.com/mcp" } }', '}', ''].join(
          '\n',
        ),
      },
    ],
    good: [
      {
        path: '.claude/settings.json',
        note: 'Strict JSON.',
        content: ['{', '  "permissions": {', '    "deny": ["Read(./.env)"]', '  }', '}', ''].join('\n'),
      },
      {
        path: '.mcp.json',
        note: 'The transport is named.',
        content: [
          '{',
          '  "mcpServers": { "docs": { "type": "http", "url": "https://mcp.example.com/mcp" } }',
          '}',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model) {
    return model.problems.map((problem) => ({
      span: problem.span,
      message: `${problem.fileKind}: ${problem.message}. ${problem.consequence}.`,
      evidence: `${problem.fileKind}:${problem.message}`,
    }));
  },
};
