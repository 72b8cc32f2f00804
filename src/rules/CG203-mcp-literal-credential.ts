import { isCredentialName, jsonOrigin, locatedArg, standInReason } from '../model/env.js';
import type { Located } from '../model/span.js';
import type { McpServer } from '../model/types.js';
import type { Rule } from './types.js';

/** Flags of MCP server programs that take a credential as their next argument (or after `=`). */
const CREDENTIAL_FLAG =
  /^--?(api[-_]?key|token|access[-_]token|auth[-_]token|password|secret|client[-_]secret|pat|personal[-_]access[-_]token|bearer[-_]token)$/i;
/** URL query parameters that carry a credential. */
const CREDENTIAL_PARAM =
  /[?&]((?:api[-_]?key|apikey|key|token|access[-_]token|auth|secret|password)=)([^&#\s]+)/i;
/** `scheme://user:password@host`: the password. */
const URL_PASSWORD = /([A-Za-z][A-Za-z0-9+.-]{0,15}:\/\/[^\s:@/]{0,128}:)([^\s@/]{1,256})@/;
/** `Bearer xyz`, `Basic xyz`, `token xyz`: the credential is what follows the scheme. */
const AUTH_SCHEME = /^\s*(bearer|basic|token|bot|apikey)\s+/i;

interface Found {
  at: Located<string>;
  from: number;
  to: number;
  what: string;
  key: string;
}

/** The literal credential in `text` from `from` on, or undefined when it is a reference or a stand-in. */
function literal(
  text: Located<string>,
  from: number,
  to: number,
  what: string,
  key: string,
): Found | undefined {
  const value = text.value.slice(from, to);
  if (jsonOrigin(value) !== 'literal' || standInReason(value)) return undefined;
  return { at: text, from, to, what, key };
}

function credentialsOf(server: McpServer): Found[] {
  const found: (Found | undefined)[] = [];
  for (const [name, value] of Object.entries(server.env)) {
    if (isCredentialName(name))
      found.push(literal(value, 0, value.value.length, `env ${name}`, `env:${name}`));
    else {
      // A connection string: `DATABASE_URL=postgres://app:pw@db/app`.
      const userinfo = URL_PASSWORD.exec(value.value);
      if (userinfo) {
        const from = (userinfo.index ?? 0) + (userinfo[1] as string).length;
        const to = from + (userinfo[2] as string).length;
        found.push(literal(value, from, to, `env ${name} (URL password)`, `env:${name}:url-password`));
      }
    }
  }
  for (const [name, value] of Object.entries(server.headers)) {
    const upper = name.toUpperCase().replace(/-/g, '_');
    if (!/^(PROXY_)?AUTHORIZATION$/.test(upper) && !isCredentialName(upper)) continue;
    const scheme = AUTH_SCHEME.exec(value.value)?.[0].length ?? 0;
    found.push(literal(value, scheme, value.value.length, `header ${name}`, `header:${name.toLowerCase()}`));
  }
  server.args.forEach((arg, i) => {
    // `--header "Authorization: Bearer …"` (mcp-remote and similar proxies).
    if ((arg.value === '--header' || arg.value === '-H') && server.args[i + 1]) {
      const header = server.args[i + 1] as Located<string>;
      const colon = header.value.indexOf(':');
      if (colon > 0) {
        const name = header.value.slice(0, colon).trim();
        const upper = name.toUpperCase().replace(/-/g, '_');
        if (/^(PROXY_)?AUTHORIZATION$/.test(upper) || isCredentialName(upper)) {
          const rest = header.value.slice(colon + 1);
          const lead = colon + 1 + (/^\s*/.exec(rest)?.[0].length ?? 0);
          const scheme = AUTH_SCHEME.exec(header.value.slice(lead))?.[0].length ?? 0;
          found.push(
            literal(
              header,
              lead + scheme,
              header.value.length,
              `header ${name}`,
              `arg-header:${name.toLowerCase()}`,
            ),
          );
        }
      }
      return;
    }
    const eq = arg.value.indexOf('=');
    const flag = eq > 0 ? arg.value.slice(0, eq) : arg.value;
    if (CREDENTIAL_FLAG.test(flag)) {
      if (eq > 0) found.push(literal(arg, eq + 1, arg.value.length, `argument ${flag}`, `arg:${flag}`));
      else {
        const next = server.args[i + 1];
        if (next) found.push(literal(next, 0, next.value.length, `argument ${flag}`, `arg:${flag}`));
      }
      return;
    }
    // `-e NAME=value` to a container, or `NAME=value` to `env`.
    const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(arg.value);
    if (assignment && isCredentialName(assignment[1] as string)) {
      const name = assignment[1] as string;
      found.push(literal(arg, name.length + 1, arg.value.length, `argument ${name}=`, `arg:${name}`));
    }
  });
  for (const text of [...server.args, ...(server.url ? [server.url] : [])]) {
    const userinfo = URL_PASSWORD.exec(text.value);
    if (userinfo) {
      const from = (userinfo.index ?? 0) + (userinfo[1] as string).length;
      found.push(literal(text, from, from + (userinfo[2] as string).length, 'URL password', 'url-password'));
    }
    const m = CREDENTIAL_PARAM.exec(text.value);
    if (!m) continue;
    const from = (m.index ?? 0) + 1 + (m[1] as string).length;
    found.push(literal(text, from, from + (m[2] as string).length, `URL parameter ${m[1]}`, `param:${m[1]}`));
  }
  return found.filter((f): f is Found => f !== undefined);
}

export const mcpLiteralCredential: Rule = {
  meta: {
    id: 'CG203',
    name: 'mcp-literal-credential',
    severity: 'high',
    summary:
      'An MCP server configured with a literal credential — in its `env`, its `headers`, its arguments or a ' +
      'URL (a password, a token parameter) — instead of a `${VAR}` reference.',
    rationale:
      '`.mcp.json` is meant to be committed and shared, so a token written into it is readable by everyone who ' +
      'can read the repository and stays in its history. Claude Code expands `${VAR}` and `${VAR:-default}` in ' +
      "a server's `command`, `args`, `env`, `url` and `headers`, so the value can come from each person's " +
      'environment instead. Values written as stand-ins (`<token>`, `xxxx`, `your-token-here`) are not ' +
      'reported. A value shaped like a known key is also CG201.',
    fix:
      'Replace the value with a reference such as `${GITHUB_TOKEN}` (or `Bearer ${API_TOKEN}` in a header), ' +
      'set it in the environment, and rotate the credential that was committed.',
    bad: [
      {
        path: '.mcp.json',
        note: 'A token in the env of a stdio server, and a bearer token in a header.',
        lines: [6, 11],
        content: [
          '{',
          '  "mcpServers": {',
          '    "github": {',
          '      "command": "npx",',
          '      "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"],',
          '      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "e1f2a3b4c5d6e7f8a9b0c1d2" }',
          '    },',
          '    "tickets": {',
          '      "type": "http",',
          '      "url": "https://mcp.tickets.example/mcp",',
          '      "headers": { "Authorization": "Bearer 9a8b7c6d5e4f3a2b1c0d" }',
          '    }',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.mcp.json',
        note: 'References to the environment.',
        content: [
          '{',
          '  "mcpServers": {',
          '    "github": {',
          '      "command": "npx",',
          '      "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"],',
          '      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "${GITHUB_TOKEN}" }',
          '    },',
          '    "tickets": {',
          '      "type": "http",',
          '      "url": "https://mcp.tickets.example/mcp",',
          '      "headers": { "Authorization": "Bearer ${TICKETS_TOKEN}" }',
          '    }',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model) {
    return model.mcpServers.flatMap((server) =>
      credentialsOf(server).map((f) => ({
        span: locatedArg(f.at).sub(f.from, f.to),
        message: `MCP server "${server.name.value}" has a literal credential in its ${f.what}; use a \${VAR} reference`,
        evidence: `${server.name.value}:${f.key}`,
        credential: true as const,
      })),
    );
  },
};
