import { describe, expect, test } from '@jest/globals';
import { compileEndpoint, endpointAllowed, endpointOf, isLoopback } from '../src/model/endpoints.js';
import { isCredentialName, standInReason } from '../src/model/env.js';
import { sslModeOff, tlsOffBy } from '../src/model/tls.js';
import { parsePolicy } from '../src/policy/load.js';
import { defaultPolicy, type Policy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

async function found(
  ids: string[],
  files: Record<string, string>,
  policy: Policy = defaultPolicy(),
): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), policy);
  return verdict.findings
    .filter((f) => ids.includes(f.ruleId))
    .map((f) => `${f.ruleId} ${f.severity} ${f.path}:${f.line}:${f.column}-${f.endColumn} ${f.message}`);
}

describe('credential names and stand-ins', () => {
  test.each([
    ['ANTHROPIC_API_KEY', true],
    ['ANTHROPIC_AUTH_TOKEN', true],
    ['CLAUDE_CODE_OAUTH_TOKEN', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['GITHUB_TOKEN', true],
    ['DB_PASSWORD', true],
    ['X_API_KEY', true],
    ['AWS_ACCESS_KEY_ID', false],
    ['GITHUB_TOKEN_FILE', false],
    ['CLAUDE_CODE_MAX_OUTPUT_TOKENS', false],
    ['BYPASS_CACHE', false],
    ['TOKENIZER', false],
    ['ANTHROPIC_BASE_URL', false],
  ])('%s: %s', (name, credential) => {
    expect(isCredentialName(name)).toBe(credential);
  });

  test.each([
    ['', 'empty'],
    ['<your-token>', 'a placeholder'],
    ['xxxxxxxxxxxx', 'a placeholder'],
    ['your-api-key-here', 'a placeholder'],
    ['dummy', 'a placeholder'],
    ['abc123', 'too short to be a credential'],
    ['k9d8f7a6s5d4f3g2h1j0', undefined],
  ])('%j is a stand-in: %s', (value, reason) => {
    expect(standInReason(value)).toBe(reason);
  });
});

describe('endpoints', () => {
  test('a URL is cut at its host, and a host written with a variable is not judged', () => {
    expect(endpointOf('http://user:pw@Example.COM:8080/v1')).toMatchObject({
      scheme: 'http',
      host: 'example.com',
      port: '8080',
      path: '/v1',
      hostStart: 15,
      hostEnd: 26,
    });
    expect(endpointOf('${BASE:-https://api.example.com}')).toBeUndefined();
    expect(endpointOf('https://$HOST/v1')).toBeUndefined();
    expect(endpointOf('not a url')).toBeUndefined();
  });

  test.each([
    ['localhost', true],
    ['api.localhost', true],
    ['127.0.0.1', true],
    ['[::1]', true],
    ['host.docker.internal', true],
    ['10.0.0.5', false],
    ['localhost.evil.example', false],
  ])('loopback %s: %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });

  test.each([
    ['https://api.anthropic.com', 'https://api.anthropic.com/v1/messages', true],
    ['https://api.anthropic.com', 'http://api.anthropic.com', false],
    ['https://api.anthropic.com', 'https://api.anthropic.com.evil.example', false],
    ['https://bedrock-runtime.*.amazonaws.com', 'https://bedrock-runtime.us-east-1.amazonaws.com', true],
    ['https://bedrock-runtime.*.amazonaws.com', 'https://bedrock-runtime.a.b.amazonaws.com', false],
    ['https://*-aiplatform.googleapis.com', 'https://us-east5-aiplatform.googleapis.com', true],
    ['gateway.corp.example', 'http://gateway.corp.example:8080', true],
    ['https://gw.example:8443/claude', 'https://gw.example:8443/claude/v1', true],
    ['https://gw.example:8443/claude', 'https://gw.example:8443/other', false],
    ['https://gw.example:8443', 'https://gw.example', false],
  ])('%s allows %s: %s', (pattern, url, allowed) => {
    const compiled = compileEndpoint(pattern);
    const endpoint = endpointOf(url);
    if ('error' in compiled || !endpoint) throw new Error('bad case');
    expect(endpointAllowed(endpoint, compiled)).toBe(allowed);
  });

  test('a policy entry that is not a URL or host is refused with the reason', () => {
    expect(compileEndpoint('https://')).toHaveProperty('error');
    expect(compileEndpoint('**.example.com')).toHaveProperty('error');
  });
});

describe('TLS switches', () => {
  test.each([
    ['NODE_TLS_REJECT_UNAUTHORIZED', '0', true],
    ['NODE_TLS_REJECT_UNAUTHORIZED', '1', false],
    ['GIT_SSL_NO_VERIFY', 'true', true],
    ['PGSSLMODE', 'disable', true],
    ['PGSSLMODE', 'require', false],
    ['POSTGRES_SSL', 'false', true],
    ['POSTGRES_SSL', 'require', false],
    ['VERIFY_SSL', 'false', true],
    ['SSL_CERT_FILE', '0', false],
  ])('%s=%s turns TLS checks off: %s', (name, value, off) => {
    expect(tlsOffBy(name, value) !== undefined).toBe(off);
  });

  test('sslmode in a connection string', () => {
    expect(sslModeOff('postgres://h/db?sslmode=disable')).toEqual({ at: 16, length: 15 });
    expect(sslModeOff('sslmode=allow')).toEqual({ at: 0, length: 13 });
    expect(sslModeOff('postgres://h/db?sslmode=require')).toBeUndefined();
    expect(sslModeOff('xsslmode=disable')).toBeUndefined();
  });
});

const IDS = ['CG202', 'CG203', 'CG301', 'CG302', 'CG303'];
const CASES: [string, Record<string, string>, Policy?][] = [
  [
    'wf',
    {
      '.github/workflows/c.yml': [
        'on: issue_comment',
        'env:',
        '  ANTHROPIC_BASE_URL: http://gw.corp.example:8080/v1',
        'jobs:',
        '  a:',
        '    runs-on: ubuntu-latest',
        '    env:',
        '      ANTHROPIC_API_KEY: k9d8f7a6s5d4f3g2h1j0',
        '      NODE_TLS_REJECT_UNAUTHORIZED: "0"',
        '    steps:',
        '      - run: |',
        '          AUTH_TOKEN=zz9d8f7a6s5d4f3g2h1 claude -p "x"',
        '          docker run -e GH_TOKEN=ghx9d8f7a6s5d4f3g2h1j0 --env=DB_PASSWORD="p4ss-w0rd-long" img claude -p y',
        '        env:',
        '          ANTHROPIC_API_KEY: ${{ secrets.KEY }}',
        '      - uses: anthropics/claude-code-action@v1',
        '        with:',
        '          anthropic_api_key: k9d8f7a6s5d4f3g2h1j0',
        '          github_token: ${{ github.token }}',
        '  b:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: echo no claude here',
        '        env:',
        '          SOME_TOKEN: abcdefghijklmnop',
        '',
      ].join('\n'),
    },
  ],
  [
    'mcp',
    {
      '.mcp.json':
        JSON.stringify(
          {
            mcpServers: {
              gh: {
                command: 'docker',
                args: [
                  'run',
                  '-i',
                  '-e',
                  'GITHUB_PERSONAL_ACCESS_TOKEN=abcd1234efgh5678',
                  '-e',
                  'OTHER_TOKEN',
                  'img',
                ],
              },
              pg: {
                command: 'npx',
                args: [
                  '-y',
                  'pg-mcp',
                  '--password',
                  's3cr3tpassw0rd',
                  '--api-key=${KEY}',
                  'postgres://u@h/db?sslmode=disable',
                ],
                env: { PGSSLMODE: 'disable', API_TOKEN: 'xxxx', DB_PASSWORD: 'real-long-pass-123' },
              },
              web: {
                type: 'http',
                url: 'http://mcp.example.com/mcp?api_key=abcd1234efgh5678',
                headers: { Authorization: 'Bearer ${T}', 'X-Api-Key': 'abcd1234efgh5678' },
              },
              local: {
                type: 'sse',
                url: 'http://localhost:3000/sse',
                headers: { Authorization: 'Bearer abcd1234efgh5678' },
              },
            },
          },
          null,
          2,
        ) + '\n',
    },
  ],
  [
    'settings',
    {
      '.claude/settings.json':
        JSON.stringify(
          {
            env: {
              ANTHROPIC_BASE_URL: 'http://127.0.0.1:3456',
              OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector.corp.example:4318',
              HTTPS_PROXY: 'http://proxy.corp.example:3128',
              ANTHROPIC_AUTH_TOKEN: 'gw-token-abcdef123456',
              NODE_TLS_REJECT_UNAUTHORIZED: '0',
            },
          },
          null,
          2,
        ) + '\n',
    },
  ],
  [
    'policy',
    {
      '.claude/settings.json':
        JSON.stringify(
          {
            env: {
              ANTHROPIC_BASE_URL: 'https://gw.corp.example/claude',
              HTTPS_PROXY: 'http://proxy.corp.example:3128',
              HTTP_PROXY: 'http://allowed-proxy.corp.example:3128',
            },
          },
          null,
          2,
        ) + '\n',
    },
    parsePolicy(
      [
        'version: 1',
        'network:',
        '  allowed-endpoints: [https://gw.corp.example/claude]',
        '  allowed-proxies: [allowed-proxy.corp.example]',
      ].join('\n'),
      'p',
    ),
  ],
];

const EXPECTED: Record<string, string[]> = {
  wf: [
    `CG302 high .github/workflows/c.yml:3:23-45 ANTHROPIC_BASE_URL in the workflow's env sends model traffic and the API key to gw.corp.example over clear text`,
    `CG202 high .github/workflows/c.yml:8:26-46 ANTHROPIC_API_KEY is given to Claude as literal text in the job's env; pass a secret reference instead`,
    `CG301 high .github/workflows/c.yml:9:38-39 NODE_TLS_REJECT_UNAUTHORIZED=0 in the job's env: Node.js (and Claude Code with it) accepts any certificate`,
    'CG202 high .github/workflows/c.yml:12:22-41 AUTH_TOKEN is given to Claude as literal text in its command line; pass a secret reference instead',
    'CG202 high .github/workflows/c.yml:13:34-56 GH_TOKEN is given to Claude as literal text in its container options; pass a secret reference instead',
    'CG202 high .github/workflows/c.yml:13:76-90 DB_PASSWORD is given to Claude as literal text in its container options; pass a secret reference instead',
    'CG202 high .github/workflows/c.yml:18:30-50 input anthropic_api_key of claude-code-action is literal text; pass ${{ secrets.… }} instead',
    `CG303 medium .github/workflows/c.yml:3:30-45 ANTHROPIC_BASE_URL in the workflow's env sends model traffic and its credentials to gw.corp.example, which network.allowed-endpoints does not list`,
  ],
  mcp: [
    'CG203 high .mcp.json:9:39-55 MCP server "gh" has a literal credential in its argument GITHUB_PERSONAL_ACCESS_TOKEN=; use a ${VAR} reference',
    'CG203 high .mcp.json:21:10-24 MCP server "pg" has a literal credential in its argument --password; use a ${VAR} reference',
    'CG301 high .mcp.json:23:28-43 MCP server "pg" connects with sslmode=disable: the database connection may go without TLS',
    'CG301 high .mcp.json:26:23-30 PGSSLMODE=disable in env of MCP server "pg": the database connection may go without TLS',
    'CG203 high .mcp.json:28:25-43 MCP server "pg" has a literal credential in its env DB_PASSWORD; use a ${VAR} reference',
    'CG302 high .mcp.json:33:15-37 MCP server "web" is reached at mcp.example.com over clear text',
    'CG203 high .mcp.json:33:50-66 MCP server "web" has a literal credential in its URL parameter api_key=; use a ${VAR} reference',
    'CG203 high .mcp.json:36:23-39 MCP server "web" has a literal credential in its header X-Api-Key; use a ${VAR} reference',
    'CG203 high .mcp.json:43:34-50 MCP server "local" has a literal credential in its header Authorization; use a ${VAR} reference',
  ],
  settings: [
    'CG302 high .claude/settings.json:4:37-66 OTEL_EXPORTER_OTLP_ENDPOINT in env in .claude/settings.json sends telemetry to collector.corp.example over clear text',
    'CG202 high .claude/settings.json:6:30-51 ANTHROPIC_AUTH_TOKEN is given to Claude as literal text in env in .claude/settings.json; pass a secret reference instead',
    'CG301 high .claude/settings.json:7:38-39 NODE_TLS_REJECT_UNAUTHORIZED=0 in env in .claude/settings.json: Node.js (and Claude Code with it) accepts any certificate',
    'CG303 medium .claude/settings.json:3:35-44 ANTHROPIC_BASE_URL in env in .claude/settings.json sends model traffic and its credentials to a gateway on this machine (127.0.0.1), which network.allowed-endpoints does not list, and the gateway forwards it where it is set up to',
    'CG303 medium .claude/settings.json:4:44-66 OTEL_EXPORTER_OTLP_ENDPOINT in env in .claude/settings.json sends telemetry to collector.corp.example, which network.allowed-endpoints does not list',
  ],
  policy: [
    'CG303 medium .claude/settings.json:4:28-46 HTTPS_PROXY in env in .claude/settings.json sends all its traffic through proxy.corp.example, which network.allowed-proxies does not list',
  ],
};

describe('CG202, CG203, CG301, CG302, CG303 where each value is set', () => {
  test.each(CASES.map(([name, files, policy]) => ({ name, files, policy: policy ?? defaultPolicy() })))(
    '$name',
    async ({ name, files, policy }) => {
      expect(await found(IDS, files, policy)).toEqual(EXPECTED[name]);
    },
  );
});

describe('a credential found by where it is written is masked like one found by its shape', () => {
  test('in every snippet of its line, and among the values to mask in logs', async () => {
    const files = {
      '.claude.json':
        '{"mcpServers": {"gh": {"command": "npx", "env": {"GITHUB_TOKEN": "abcd1234efgh5678ijkl"}}}}\n',
      '.mcp.json':
        '{"mcpServers": {"t": {"type": "http", "url": "http://t.example/mcp", "headers": {"Authorization": "Bearer 9a8b7c6d5e4f3a2b1c0d"}}}}\n',
      'run.sh': '#!/bin/sh\nAPI_TOKEN=zz9d8f7a6s5d4f3g2h1 claude -p "x" --dangerously-skip-permissions\n',
    };
    const { verdict, secretValues } = await scan(memorySource(files), defaultPolicy());
    const literals = ['abcd1234efgh5678ijkl', '9a8b7c6d5e4f3a2b1c0d', 'zz9d8f7a6s5d4f3g2h1'];
    expect(verdict.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}:${f.column}`)).toEqual([
      'CG101 run.sh:2:45',
      'CG204 .claude.json:1:1',
      'CG203 .claude.json:1:67',
      'CG302 .mcp.json:1:47',
      'CG203 .mcp.json:1:107',
      'CG202 run.sh:2:11',
    ]);
    const text = JSON.stringify(verdict);
    for (const literal of literals) expect(text).not.toContain(literal);
    expect(secretValues).toEqual(expect.arrayContaining(literals));
  });
});

describe('CG203: a password in a connection URL of an MCP server', () => {
  test('fires on a literal password, at the password; silent on a reference or a stand-in', async () => {
    const mcp = JSON.stringify(
      {
        mcpServers: {
          a: {
            command: 'npx',
            args: ['-y', 'pg-mcp@1.0.0', 'postgresql://app:Vq7mR2xK9pLw4Tz8@pg.corp.internal/app'],
          },
          b: {
            command: 'npx',
            args: ['-y', 'pg-mcp@1.0.0', 'postgresql://app:${PGPASSWORD}@pg.corp.internal/app'],
          },
          c: {
            command: 'npx',
            args: ['-y', 'pg-mcp@1.0.0', 'postgresql://app:<password>@pg.corp.internal/app'],
          },
        },
      },
      null,
      2,
    );
    expect(await found(['CG203'], { '.mcp.json': `${mcp}\n` })).toEqual([
      'CG203 high .mcp.json:8:27-43 MCP server "a" has a literal credential in its URL password; use a ${VAR} reference',
    ]);
  });
});

describe('gaps found by an audit on hand-written repositories', () => {
  test('a stand-in word inside a random token does not make it a stand-in', () => {
    expect(standInReason('Qw8rT2vL9mY3kP0zXc7B')).toBeUndefined();
    expect(standInReason('glpat-7Hq2-my-Zx9Kk2Lw')).toBe('a placeholder');
    expect(standInReason('my_token')).toBe('a placeholder');
  });

  test.each([
    ['AZURE_DEVOPS_PAT', true],
    ['GITHUB_PAT', true],
    ['DB_PASS', true],
    ['SMTP_PWD', true],
    ['SIGNING_KEY', true],
    ['CACHE_KEY', false],
    ['PATH', false],
    ['PASSTHROUGH', false],
  ])('%s holds a credential: %s', (name, credential) => {
    expect(isCredentialName(name)).toBe(credential);
  });

  test('CG203: a bearer header given as an argument, and a password in an env connection string', async () => {
    const mcp = [
      '{',
      '  "mcpServers": {',
      '    "remote": { "command": "npx", "args": ["-y", "mcp-remote@0.1.18", "https://mcp.acme.io/sse", "--header", "Authorization: Bearer b14f9c2e7a3d8f61"] },',
      '    "pg": { "command": "uvx", "args": ["pg-mcp==1.2"], "env": { "DATABASE_URL": "postgresql+psycopg://claude:Jh2sK8pQ4wRt@wh.acme.io/db" } },',
      '    "ok": { "command": "npx", "args": ["-y", "mcp-remote@0.1.18", "https://mcp.acme.io/sse", "--header", "Authorization: Bearer ${TOKEN}"] }',
      '  }',
      '}',
      '',
    ].join('\n');
    expect(await found(['CG203'], { '.mcp.json': mcp })).toEqual([
      'CG203 high .mcp.json:3:133-149 MCP server "remote" has a literal credential in its header Authorization; use a ${VAR} reference',
      'CG203 high .mcp.json:4:110-122 MCP server "pg" has a literal credential in its env DATABASE_URL (URL password); use a ${VAR} reference',
    ]);
  });

  test('CG303: a telemetry collector on this machine is not reported; a model gateway there is', async () => {
    const settings = [
      '{',
      '  "env": {',
      '    "OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4318",',
      '    "ANTHROPIC_BASE_URL": "http://127.0.0.1:3456"',
      '  }',
      '}',
      '',
    ].join('\n');
    expect(await found(['CG302', 'CG303'], { '.claude/settings.json': settings })).toEqual([
      'CG303 medium .claude/settings.json:4:35-44 ANTHROPIC_BASE_URL in env in .claude/settings.json sends model traffic and its credentials to a gateway on this machine (127.0.0.1), which network.allowed-endpoints does not list, and the gateway forwards it where it is set up to',
    ]);
  });
});

describe('an MCP config named by --mcp-config is read as one', () => {
  test('its servers are judged where they are written; a file nobody names is not an MCP config', async () => {
    const mcp = [
      '{',
      '  "mcpServers": {',
      '    "tickets": { "type": "http", "url": "http://tickets.acme.io/mcp", "headers": { "Authorization": "Bearer 4f9e2a7c1d8b3e6a5c0f" } }',
      '  }',
      '}',
      '',
    ].join('\n');
    const files = {
      '.github/workflows/triage.yml': [
        'on: issues',
        'jobs:',
        '  triage:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: claude -p "triage" --mcp-config .github/mcp.json',
        '',
      ].join('\n'),
      '.github/mcp.json': mcp,
      'other/mcp.json': mcp,
    };
    expect(await found(['CG203', 'CG302'], files)).toEqual([
      'CG302 high .github/mcp.json:3:42-64 MCP server "tickets" is reached at tickets.acme.io over clear text',
      'CG203 high .github/mcp.json:3:109-129 MCP server "tickets" has a literal credential in its header Authorization; use a ${VAR} reference',
    ]);
  });
});

describe('a telemetry collector on the container network', () => {
  test('is neither clear-text traffic out nor an override; a model proxy there still is', async () => {
    const compose = [
      'services:',
      '  agent:',
      '    image: ghcr.io/acme/agent:1.4',
      '    command: ["claude", "-p", "triage"]',
      '    environment:',
      '      OTEL_EXPORTER_OTLP_ENDPOINT: http://otel-collector:4318',
      '      ANTHROPIC_BASE_URL: http://llm-proxy:4000',
      '',
    ].join('\n');
    expect(await found(['CG302', 'CG303'], { 'docker-compose.yml': compose })).toEqual([
      "CG302 high docker-compose.yml:7:27-43 ANTHROPIC_BASE_URL in its container's environment sends model traffic and the API key to llm-proxy over clear text",
      "CG303 medium docker-compose.yml:7:34-43 ANTHROPIC_BASE_URL in its container's environment sends model traffic and its credentials to llm-proxy, which network.allowed-endpoints does not list",
    ]);
  });
});

describe('CG202 in a Dockerfile: ENV X=${X} after ARG X=literal', () => {
  test('points at the literal the ARG writes, not at the reference', async () => {
    const dockerfile = [
      'FROM node:22 AS build',
      'ARG ANTHROPIC_API_KEY=k9d8f7a6s5d4f3g2h1j0qq',
      'ENV ANTHROPIC_API_KEY=${ANTHROPIC_API_KEY}',
      'ENTRYPOINT ["claude", "-p", "x"]',
      '',
    ].join('\n');
    expect(await found(['CG202'], { Dockerfile: dockerfile })).toEqual([
      "CG202 high Dockerfile:2:23-45 ANTHROPIC_API_KEY is given to Claude as literal text in its image's ENV; pass a secret reference instead",
    ]);
  });
});
