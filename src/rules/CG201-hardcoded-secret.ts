import { createHash } from 'node:crypto';
import { SECRET_PATTERNS } from '../model/secret-patterns.js';
import type { Rule, RuleFinding } from './types.js';

/** Visibly fake, but shaped like a real key; assembled so no source file holds it whole. */
export const EXAMPLE_ANTHROPIC_KEY =
  'sk-ant-' +
  'api03-' +
  'EXAMPLEa1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0u1V2w3X4y5Z6_EXAMPLE-KEY_7Qx9Lm2Vr8Tn4Wz6Pd3Hs5Kj1GbAA';

/** A database password as a service would generate it; assembled so no source file holds the URL whole. */
export const EXAMPLE_DB_PASSWORD = 'q7Vx' + '2mRk9Lp4T3wZ';

const LABELS = new Map(SECRET_PATTERNS.map((p) => [p.kind, p.label]));

export const hardcodedSecret: Rule = {
  meta: {
    id: 'CG201',
    name: 'hardcoded-secret',
    severity: 'critical',
    summary:
      'A credential is written in a tracked file: Anthropic API keys and OAuth tokens, GitHub tokens, AWS keys, ' +
      'Slack tokens and webhook URLs, private keys, passwords in URLs.',
    rationale:
      'A key in a file is a key for everyone who can read the repository, its forks, its history and every ' +
      'log that prints the file. An Anthropic key bills your organisation and reaches its workspaces; a ' +
      'Claude OAuth token acts as the person who created it; a Slack token or webhook posts as your ' +
      'workspace; a private key signs or decrypts as its owner; a password in a connection URL ' +
      '(`postgres://app:<password>@db`) opens that database. Removing the line does not help: the secret stays in git ' +
      'history and must be revoked. Reports never show the secret: only its public part (the key prefix, a ' +
      "private key's BEGIN line, a URL's scheme, user and host). A private key finding points at its BEGIN " +
      'line; a URL finding points at the password. Strings that are obviously placeholders are not ' +
      'reported: `sk-ant-api03-xxxx`, `sk-ant-api03-your-key-here`, bodies too short or too regular to be ' +
      'real, a key block whose body is `...` or `<key>`, and URL passwords that are a variable or template ' +
      '(`${DB_PASSWORD}`, `$PASS`, `${{ secrets.X }}`, `{{ pw }}`, `<password>`), elided (`***`, `xxx`), ' +
      'shorter than 6 characters, a plain word or a default (`password`, `pass`, `secret`, `changeme`, ' +
      '`guest`, the user name repeated), or for a documentation host (`example.com`, `.test`, `.invalid`). A ' +
      'password in a URL to the machine itself (`localhost`, `127.0.0.1`, `[::1]`) is low: it opens a ' +
      'service nobody else can reach, typically a local test database, though it should still not be reused.',
    fix:
      'Revoke or rotate the credential now (an Anthropic key at console.anthropic.com → API keys; a Slack ' +
      'token or webhook in the Slack app settings; a private key by replacing the key pair; a password at its ' +
      'service), then read it from a secret: `${{ secrets.ANTHROPIC_API_KEY }}` in workflows, ' +
      '`${ANTHROPIC_API_KEY}` in `.mcp.json`, an environment variable (`postgres://app:${DB_PASSWORD}@db`) or ' +
      '`apiKeyHelper` locally.',
    bad: [
      {
        path: '.github/workflows/claude.yml',
        note: 'An API key given to claude-code-action as a literal.',
        lines: [9],
        content: [
          'on: issue_comment',
          'jobs:',
          '  claude:',
          '    runs-on: ubuntu-latest',
          '    permissions: { contents: read }',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          `          anthropic_api_key: ${EXAMPLE_ANTHROPIC_KEY}`,
          '',
        ].join('\n'),
      },
      {
        path: 'deploy/.env.production',
        note: 'Any tracked text file is searched, not only Claude files.',
        lines: [2],
        content: ['MODEL=claude-sonnet-4-5', `ANTHROPIC_API_KEY=${EXAMPLE_ANTHROPIC_KEY}`, ''].join('\n'),
      },
      {
        path: '.mcp.json',
        note: 'A database password in the connection URL given to an MCP server: the finding points at the password.',
        lines: [7],
        content: [
          '{',
          '  "mcpServers": {',
          '    "postgres": {',
          '      "command": "npx",',
          '      "args": [',
          '        "@modelcontextprotocol/server-postgres",',
          `        "postgresql://claude_ro:${EXAMPLE_DB_PASSWORD}@db.internal.acme.io:5432/app"`,
          '      ]',
          '    }',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.github/workflows/claude.yml',
        note: 'The key comes from the repository secrets.',
        content: [
          'on: issue_comment',
          'jobs:',
          '  claude:',
          '    runs-on: ubuntu-latest',
          '    permissions: { contents: read }',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
          '',
        ].join('\n'),
      },
      {
        path: 'README.md',
        note: 'Placeholders in documentation are not keys.',
        content: [
          '# Setup',
          'export ANTHROPIC_API_KEY=sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
          'or: ANTHROPIC_API_KEY=sk-ant-api03-your-key-here, or sk-your-key-here, or sk-ant-api03-...',
          '',
        ].join('\n'),
      },
      {
        path: 'docs/database.md',
        note: 'Example URLs and key blocks in documentation: a placeholder password, a variable, an elided key.',
        content: [
          '# Database',
          'DATABASE_URL=postgres://user:password@localhost:5432/app',
          'DATABASE_URL=postgres://app:${DB_PASSWORD}@db.internal:5432/app',
          'REDIS_URL=redis://default:<your-password>@cache:6379',
          'AMQP_URL=amqp://guest:guest@rabbitmq:5672',
          '',
          'A deploy key looks like this:',
          '    -----BEGIN RSA PRIVATE KEY-----',
          '    MIIEpAIBAAKCAQEA...',
          '    -----END RSA PRIVATE KEY-----',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model) {
    return model.secrets
      .filter((secret) => secret.placeholder === undefined)
      .map((secret) => {
        const label = LABELS.get(secret.kind) ?? 'Credential';
        const finding: RuleFinding = {
          span: secret.span,
          message: secret.loopback
            ? `${label} written in plain text (${secret.masked}); its host is this machine`
            : `${label} written in plain text (${secret.masked})`,
          evidence: `${secret.kind}:${createHash('sha256').update(secret.value).digest('hex').slice(0, 24)}`,
        };
        // A service on the machine itself: nobody else can reach it with the password.
        if (secret.loopback) finding.severity = 'low';
        return finding;
      });
  },
};
