import { envSettings, locatedArg } from '../model/env.js';
import { sslModeOff, tlsOffBy } from '../model/tls.js';
import type { Rule, RuleFinding } from './types.js';

export const tlsVerificationDisabled: Rule = {
  meta: {
    id: 'CG301',
    name: 'tls-verification-disabled',
    severity: 'high',
    summary:
      'Certificate checks turned off for Claude or an MCP server it starts: `NODE_TLS_REJECT_UNAUTHORIZED=0`, ' +
      '`sslmode=disable`, `GIT_SSL_NO_VERIFY`, a database `…_SSL` set to false.',
    rationale:
      'With certificate checks off, anyone on the network path can stand in for the API or the database: they ' +
      "read the prompts, the code Claude sends, the API key in its headers, and can answer in the model's " +
      'place. `NODE_TLS_REJECT_UNAUTHORIZED=0` in a settings `env` block applies to every session in the ' +
      'repository, interactive or in CI, and Claude Code prints no warning in `-p` mode. An MCP server ' +
      'connecting to a database with `sslmode=disable` sends its credentials and rows in clear text.',
    fix:
      'Remove the variable. Behind a TLS-inspecting proxy, give its CA certificate with `NODE_EXTRA_CA_CERTS` ' +
      'instead; for a database, use `sslmode=require` (or `verify-full`).',
    bad: [
      {
        path: '.claude/settings.json',
        note: 'Every session of the repository accepts any certificate.',
        lines: [3],
        content: ['{', '  "env": {', '    "NODE_TLS_REJECT_UNAUTHORIZED": "0"', '  }', '}', ''].join('\n'),
      },
      {
        path: '.mcp.json',
        note: 'A database server reached without TLS.',
        lines: [6],
        content: [
          '{',
          '  "mcpServers": {',
          '    "db": {',
          '      "command": "npx",',
          '      "args": ["-y", "@modelcontextprotocol/server-postgres@0.6.2",',
          '               "postgresql://reader@db.internal:5432/app?sslmode=disable"]',
          '    }',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.claude/settings.json',
        note: 'A corporate CA added, checks kept on.',
        content: [
          '{',
          '  "env": {',
          '    "NODE_EXTRA_CA_CERTS": "/etc/ssl/corp-ca.pem"',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
      {
        path: '.mcp.json',
        note: 'TLS required.',
        content: [
          '{',
          '  "mcpServers": {',
          '    "db": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-postgres@0.6.2", "postgresql://reader@db.internal/app?sslmode=require"] }',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model) {
    const out: RuleFinding[] = [];
    for (const setting of envSettings(model)) {
      if (setting.origin !== 'literal') continue;
      const says = tlsOffBy(setting.name, setting.value.value);
      if (says) {
        out.push({
          span: setting.value.span,
          message: `${setting.name}=${setting.value.value.trim()} in ${setting.where}: ${says}`,
          evidence: `env:${setting.name}`,
        });
        continue;
      }
      const mode = sslModeOff(setting.value.value);
      if (mode) {
        out.push({
          span: setting.value.sub(mode.at, mode.at + mode.length),
          message: `${setting.name} in ${setting.where} connects with ${setting.value.value.slice(mode.at, mode.at + mode.length)}: the database connection may go without TLS`,
          evidence: `env:${setting.name}:sslmode`,
        });
      }
    }
    for (const server of model.mcpServers) {
      const texts = [...server.args, ...(server.url ? [server.url] : [])];
      for (const text of texts) {
        const mode = sslModeOff(text.value);
        if (!mode) continue;
        const arg = locatedArg(text);
        out.push({
          span: arg.sub(mode.at, mode.at + mode.length),
          message: `MCP server "${server.name.value}" connects with ${text.value.slice(mode.at, mode.at + mode.length)}: the database connection may go without TLS`,
          evidence: `mcp:${server.name.value}:sslmode`,
        });
      }
    }
    return out;
  },
};
