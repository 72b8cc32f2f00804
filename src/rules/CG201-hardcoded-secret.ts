import { createHash } from 'node:crypto';
import { SECRET_PATTERNS } from '../model/secret-patterns.js';
import type { Rule } from './types.js';

/** Visibly fake, but shaped like a real key; assembled so no source file holds it whole. */
export const EXAMPLE_ANTHROPIC_KEY =
  'sk-ant-' +
  'api03-' +
  'EXAMPLEa1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0u1V2w3X4y5Z6_EXAMPLE-KEY_7Qx9Lm2Vr8Tn4Wz6Pd3Hs5Kj1GbAA';

const LABELS = new Map(SECRET_PATTERNS.map((p) => [p.kind, p.label]));

export const hardcodedSecret: Rule = {
  meta: {
    id: 'CG201',
    name: 'hardcoded-secret',
    severity: 'critical',
    summary:
      'A credential is written in a tracked file: Anthropic API keys and OAuth tokens, GitHub tokens, AWS keys, private keys.',
    rationale:
      'A key in a file is a key for everyone who can read the repository, its forks, its history and every ' +
      'log that prints the file. An Anthropic key bills your organisation and reaches its workspaces; a ' +
      'Claude OAuth token acts as the person who created it. Removing the line does not help: the key stays ' +
      'in git history and must be revoked. Reports never show the key: only its public prefix. Strings that ' +
      'are obviously placeholders (`sk-ant-api03-xxxx`, `sk-ant-api03-your-key-here`, too short to be real) ' +
      'are not reported.',
    fix:
      'Revoke the key now (console.anthropic.com → API keys), then read it from a secret: ' +
      '`${{ secrets.ANTHROPIC_API_KEY }}` in workflows, `${ANTHROPIC_API_KEY}` in `.mcp.json`, an environment ' +
      'variable or `apiKeyHelper` locally.',
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
    ],
  },
  check(model) {
    return model.secrets
      .filter((secret) => secret.placeholder === undefined)
      .map((secret) => ({
        span: secret.span,
        message: `${LABELS.get(secret.kind) ?? 'Credential'} written in plain text (${secret.masked})`,
        evidence: `${secret.kind}:${createHash('sha256').update(secret.value).digest('hex').slice(0, 24)}`,
      }));
  },
};
