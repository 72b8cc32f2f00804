import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runCli } from '../src/cli/run.js';
import { mcpPinning } from '../src/model/mcp-pinning.js';
import { maskArgs, maskCredentials, shownLiteral } from '../src/report/credentials.js';
import type { McpServer } from '../src/model/types.js';
import { EXAMPLE_ANTHROPIC_KEY } from '../src/rules/CG201-hardcoded-secret.js';
import type { Parser as TSParser } from 'web-tree-sitter';
import { LineIndex } from '../src/model/span.js';
import { fetchedCodeIn, isRiskyRemote } from '../src/model/remote-code.js';
import { ShellReader } from '../src/surfaces/shell.js';
import { shellParser } from '../src/syntax/shell-parser.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    cwd: process.cwd(),
    env: {},
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    isTTY: false,
  });
  return { code, out, err };
}

const tmp = mkdtempSync(join(tmpdir(), 'cg-inventory-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Writes a fixture tree under the temporary folder; returns its path. */
function tree(name: string, files: Record<string, string>): string {
  const root = join(tmp, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** The random part of the example key: no output may hold any of it. */
const KEY_BODY = EXAMPLE_ANTHROPIC_KEY.slice('sk-ant-api03-'.length);

const at = (path: string, line: number, column: number, endLine: number, endColumn: number) => ({
  path,
  line,
  column,
  endLine,
  endColumn,
});

interface Json {
  [key: string]: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function inventory(dir: string, ...rest: string[]): Promise<Json> {
  const { code, out, err } = await cli('inventory', dir, '--format', 'json', ...rest);
  expect({ code, err }).toEqual({ code: 0, err: '' });
  return JSON.parse(out) as Json;
}

const place = (l: Json): string => `${l.path}:${l.line}:${l.column}`;
const rules = (list: Json[]): string[] =>
  list.map((r) => `${r.rule} ${r.risk} ${r.location.line}:${r.location.column}`);

describe('claude-guard inventory examples/insecure-repo', () => {
  test('lists every Claude run with its place, mode and grants, and exits 0 although a scan would block', async () => {
    const inv = await inventory('examples/insecure-repo');
    expect(inv).toMatchObject({
      schema: 'claude-guard/inventory',
      version: 1,
      tool: { name: 'claude-guard', version: '0.1.0' },
      summary: { runs: 8, settings: 3, mcpServers: 5, definitions: 0 },
    });
    expect(
      inv.runs.map((r: Json) => [place(r.location), r.kind, r.surface, r.mode, rules(r.grants)]),
    ).toEqual([
      ['.github/workflows/claude.yml:16:11', 'cli', 'workflow', 'bypassPermissions', []],
      [
        '.github/workflows/claude.yml:24:15',
        'action',
        'workflow',
        'bypassPermissions',
        ['Read read 28:29', 'Grep read 28:34', 'Bash execute 28:39'],
      ],
      ['.github/workflows/claude.yml:36:14', 'cli', 'workflow', null, []],
      ['.github/workflows/claude.yml:45:15', 'action', 'workflow', null, []],
      ['Dockerfile:7:14', 'cli', 'dockerfile', 'bypassPermissions', []],
      ['package.json:5:15', 'cli', 'package-json', null, ['Bash execute 5:52']],
      ['scripts/agent.sh:6:13', 'cli', 'shell-script', 'bypassPermissions', []],
      ['scripts/agent.sh:7:6', 'cli', 'shell-script', null, []],
    ]);
  });

  test('a workflow run: exact spans, its workflow, job and step, and the flag that sets its mode', async () => {
    const [fix] = (await inventory('examples/insecure-repo')).runs;
    const file = '.github/workflows/claude.yml';
    expect(fix).toMatchObject({
      location: at(file, 16, 11, 16, 17),
      program: { value: 'claude', location: at(file, 16, 11, 16, 17) },
      action: null,
      wrappers: [],
      context: {
        isolation: null,
        workflow: {
          path: file,
          name: 'Claude',
          triggers: [{ value: 'issue_comment', location: at(file, 3, 3, 3, 16) }],
        },
        job: {
          id: 'fix',
          location: at(file, 7, 3, 7, 6),
          permissions: { value: { contents: 'write' }, location: at(file, 10, 7, 11, 1) },
          container: null,
        },
        step: { name: 'Let Claude fix it' },
      },
      mode: 'bypassPermissions',
      modes: [
        {
          mode: 'bypassPermissions',
          risk: 'admin',
          via: ['--dangerously-skip-permissions'],
          location: at(file, 17, 13, 17, 43),
        },
      ],
      grants: [],
      flags: [
        { name: '-p', values: [], location: at(file, 16, 18, 16, 20) },
        { name: '--dangerously-skip-permissions', values: [], location: at(file, 17, 13, 17, 43) },
        { name: '--max-turns', values: ['20'], location: at(file, 17, 44, 17, 55) },
      ],
    });
  });

  test('an action step: the action, its grants with risk class, and a secret input by reference only', async () => {
    const review = (await inventory('examples/insecure-repo')).runs[1];
    const file = '.github/workflows/claude.yml';
    expect(review.action).toEqual({
      name: 'claude-code-action',
      uses: 'anthropics/claude-code-action@v1',
      ref: 'v1',
      generation: 'v1',
      location: at(file, 24, 15, 24, 47),
    });
    expect(review.context.job.id).toBe('review');
    expect(review.grants[2]).toEqual({
      rule: 'Bash',
      tool: 'Bash',
      specifier: null,
      form: 'bare',
      risk: 'execute',
      via: ['action inputs'],
      problem: null,
      location: at(file, 28, 39, 28, 43),
    });
    expect(review.modes).toEqual([
      {
        mode: 'bypassPermissions',
        risk: 'admin',
        via: ['--permission-mode'],
        location: at(file, 29, 31, 29, 48),
      },
    ]);
    expect(review.inputs[0]).toEqual({
      name: 'anthropic_api_key',
      origin: 'secret',
      scope: null,
      value: null,
      masked: null,
      references: ['secrets.ANTHROPIC_API_KEY'],
      location: at(file, 26, 30, 26, 62),
    });
  });

  test('a script run through timeout; settings with their scopes; MCP servers with transport and pinning', async () => {
    const inv = await inventory('examples/insecure-repo');
    const agent = inv.runs.find((r: Json) => place(r.location) === 'scripts/agent.sh:6:13');
    expect(agent.wrappers).toEqual([{ value: 'timeout', location: at('scripts/agent.sh', 6, 1, 6, 8) }]);
    expect(agent.modes[0].location).toEqual(at('scripts/agent.sh', 4, 8, 4, 38));
    expect(
      inv.settings.map((d: Json) => [
        d.path,
        d.scope,
        d.defaultMode?.mode ?? null,
        rules(d.allow),
        rules(d.deny),
      ]),
    ).toEqual([
      [
        '.claude/settings.json',
        'project',
        'bypassPermissions',
        [
          'Read read 5:8',
          'Bash execute 6:8',
          'Bash(npm test:*) execute 7:8',
          'Edit write 8:8',
          'mcp__search execute 9:8',
          'Bash(npx:*) execute 10:8',
        ],
        [],
      ],
      ['.claude/settings.local.json', 'local', null, ['Bash(*) execute 4:16'], []],
      ['deploy/claude/managed-settings.json', 'managed', null, [], ['Read(./.env) read 3:15']],
    ]);
    const [docs, search] = inv.mcpServers;
    expect(docs).toMatchObject({
      name: 'docs',
      location: at('.mcp.json', 3, 6, 3, 10),
      scope: 'project',
      transport: { value: 'stdio', location: null },
      url: { value: 'https://mcp.example.com/mcp' },
      pinning: null,
    });
    expect(search).toMatchObject({
      name: 'search',
      command: { value: 'npx', location: at('.mcp.json', 7, 19, 7, 22) },
      args: [{ value: '-y' }, { value: '@example/search-mcp@1.4.0' }],
      pinning: { runner: 'npx', target: '@example/search-mcp@1.4.0', pin: 'version' },
      env: [
        {
          name: 'ANTHROPIC_API_KEY',
          origin: 'literal',
          value: null,
          masked: 'sk-ant-api03-********',
          location: at('.mcp.json', 9, 38, 9, 152),
        },
      ],
    });
  });

  test('the text listing groups each run with its context, mode and grants', async () => {
    const { code, out } = await cli('inventory', 'examples/insecure-repo');
    expect(code).toBe(0);
    expect(out).toMatch(
      /^Claude Code inventory \(claude-guard\/inventory v1\): 8 Claude runs, 3 settings documents, 5 MCP servers/,
    );
    const block = out.slice(
      out.indexOf('  .github/workflows/claude.yml:24:15'),
      out.indexOf('  .github/workflows/claude.yml:36:14'),
    );
    expect(block.split('\n')).toEqual([
      '  .github/workflows/claude.yml:24:15  anthropics/claude-code-action@v1  (workflow)',
      '    workflow   name Claude · triggers issue_comment',
      '    job        id review · permissions {"contents":"read","pull-requests":"write"}',
      '    mode       bypassPermissions [admin] via --permission-mode at 29:31',
      '    grant      Read [read] via action inputs at 28:29',
      '    grant      Grep [read] via action inputs at 28:34',
      '    grant      Bash [execute] via action inputs at 28:39',
      '    input      anthropic_api_key = secrets.ANTHROPIC_API_KEY (secret) at 26:30',
      '    input      claude_args = --allowedTools "Read,Grep,Bash"\\x0A--permission-mode bypassPermissions\\x0A (literal) at 28:13',
      '    flag       --allowedTools Read,Grep,Bash at 28:13',
      '    flag       --permission-mode bypassPermissions at 29:13',
      '    trust      only people with write access start it',
      '    limits     none',
      '',
      '',
    ]);
    expect(out).toContain(
      '\n  package.json:5:15  claude  (package-json)\n    mode       not set by this run',
    );
    expect(out).toContain(
      '    env        ANTHROPIC_API_KEY = sk-ant-api03-******** (literal, withheld) at 9:38\n',
    );
  });

  test('the same tree gives the same bytes, and no output holds the key', async () => {
    for (const format of ['json', 'text']) {
      const first = await cli('inventory', 'examples/insecure-repo', '--format', format);
      const second = await cli('inventory', 'examples/insecure-repo', '--format', format);
      expect(second.out).toBe(first.out);
      expect(first.out).not.toContain(KEY_BODY);
      expect(first.out).not.toContain(KEY_BODY.slice(0, 16));
    }
  });
});

/** A repository that uses most of what the inventory lists, with credentials in the places they leak from. */
const TOOLS = {
  'scripts/ci.sh': [
    '#!/bin/sh',
    `ANTHROPIC_API_KEY=${EXAMPLE_ANTHROPIC_KEY} DEBUG=1 DB_PASSWORD=hunter2hunter2 WORK=$HOME sudo claude -p go \\`,
    "  --add-dir /etc --allowedTools 'Bash(git:*)' --disallowedTools WebFetch \\",
    `  --settings '{"permissions":{"defaultMode":"acceptEdits"},"hooks":{"PreToolUse":[{"matcher":"Bash","hooks":[{"type":"command","command":"curl -H \\"Authorization: Bearer abcdefgh12345678\\" https://x"}]}]}}'`,
    '',
  ].join('\n'),
  '.mcp.json': `${JSON.stringify(
    {
      mcpServers: {
        loose: { command: 'npx', args: ['-y', 'some-mcp'] },
        py: { command: 'uvx', args: ['mcp-server-git==0.6.2'] },
        pinned: {
          command: 'docker',
          args: ['run', '-i', '--rm', '-e', 'TOKEN', `mcp/github@sha256:${'a'.repeat(64)}`],
        },
        latest: { command: 'docker', args: ['run', '-i', 'mcp/github:latest'] },
        remote: {
          type: 'http',
          url: 'https://user:s3cretpass@mcp.example.com/mcp',
          headers: { Authorization: 'Bearer literal-token-value', 'X-Trace': '${TRACE}' },
        },
      },
    },
    null,
    2,
  )}\n`,
  '.claude/agents/reviewer.md':
    '---\nname: reviewer\ntools: Read, Grep\npermissionMode: plan\n---\nReview.\n',
  '.claude/commands/fix.md': '---\nallowed-tools: Bash(npm test:*), Edit\n---\nFix it.\n',
  '.claude/settings.json': `${JSON.stringify(
    { env: { MAX_THINKING_TOKENS: '8000', GITHUB_TOKEN: 'abc-literal-gh' }, permissions: { ask: ['Write'] } },
    null,
    2,
  )}\n`,
};

/** Every credential written in TOOLS: none may reach any output. */
const TOOLS_SECRETS = [
  KEY_BODY,
  'hunter2hunter2',
  'abcdefgh12345678',
  's3cretpass',
  'literal-token-value',
  'abc-literal-gh',
];

describe('claude-guard inventory on a fixture', () => {
  const root = tree('tools', TOOLS);

  test('env with its origin: a literal key masked, a credential-named literal withheld, others shown', async () => {
    const [run] = (await inventory(root)).runs;
    const file = 'scripts/ci.sh';
    expect(run.location).toEqual(at(file, 2, 185, 2, 191));
    expect(run.wrappers.map((w: Json) => w.value)).toEqual(['sudo']);
    expect(run.env.map((e: Json) => [e.name, e.origin, e.value, e.masked, place(e.location)])).toEqual([
      ['ANTHROPIC_API_KEY', 'literal', null, 'sk-ant-api03-********', `${file}:2:19`],
      ['DEBUG', 'literal', '1', null, `${file}:2:140`],
      ['DB_PASSWORD', 'literal', null, '********', `${file}:2:154`],
      ['WORK', 'variable', '$HOME', null, `${file}:2:174`],
    ]);
  });

  test('grants, denials, directories, inline settings and their hooks belong to the run that gives them', async () => {
    const inv = await inventory(root);
    const [run] = inv.runs;
    const file = 'scripts/ci.sh';
    expect(run.mode).toBe('acceptEdits');
    expect(run.modes).toEqual([
      {
        mode: 'acceptEdits',
        risk: 'write',
        via: ['defaultMode', '--settings'],
        location: at(file, 4, 46, 4, 57),
      },
    ]);
    expect(rules(run.grants)).toEqual(['Bash(git:*) execute 3:34']);
    expect(run.grants[0]).toMatchObject({
      tool: 'Bash',
      specifier: 'git:*',
      form: 'prefix',
      via: ['--allowedTools'],
    });
    expect(rules(run.denied)).toEqual(['WebFetch read 3:65']);
    expect(run.addedDirectories).toEqual([
      { path: '/etc', via: ['--add-dir'], location: at(file, 3, 13, 3, 17) },
    ]);
    expect(run.settings).toEqual([{ inline: true, value: null, location: at(file, 4, 15, 4, 206) }]);
    expect(run.hooks).toEqual([
      {
        event: 'PreToolUse',
        matcher: 'Bash',
        type: 'command',
        run: 'curl -H "Authorization: Bearer ********" https://x',
        location: at(file, 4, 138, 4, 200),
        remoteCode: null,
      },
    ]);
    const inline = inv.settings.find((d: Json) => d.scope === 'inline');
    expect(inline).toMatchObject({
      path: file,
      givenBy: at(file, 2, 185, 2, 191),
      defaultMode: { mode: 'acceptEdits' },
    });
    const project = inv.settings.find((d: Json) => d.scope === 'project');
    expect(rules(project.ask)).toEqual(['Write write 8:8']);
    expect(project.env.map((e: Json) => [e.name, e.value, e.masked])).toEqual([
      ['MAX_THINKING_TOKENS', '8000', null],
      ['GITHUB_TOKEN', null, '********'],
    ]);
  });

  test('MCP servers: pinning of npx, uvx and docker; a URL password and a literal header withheld', async () => {
    const inv = await inventory(root);
    expect(inv.mcpServers.map((s: Json) => [s.name, s.transport.value, s.pinning?.pin ?? null])).toEqual([
      ['loose', 'stdio', 'unpinned'],
      ['py', 'stdio', 'version'],
      ['pinned', 'stdio', 'digest'],
      ['latest', 'stdio', 'unpinned'],
      ['remote', 'http', null],
    ]);
    const remote = inv.mcpServers[4];
    expect(remote.url.value).toBe('https://user:********@mcp.example.com/mcp');
    expect(remote.headers.map((h: Json) => [h.name, h.origin, h.value, h.masked])).toEqual([
      ['Authorization', 'literal', null, 'Bearer ********'],
      ['X-Trace', 'variable', '${TRACE}', null],
    ]);
  });

  test("commands and agents: a command's allowed-tools are grants, an agent's tools only limit it", async () => {
    const inv = await inventory(root);
    expect(
      inv.definitions.map((d: Json) => [
        d.path,
        d.kind,
        d.permissionMode?.mode ?? null,
        rules(d.allowedTools),
        rules(d.tools),
      ]),
    ).toEqual([
      ['.claude/agents/reviewer.md', 'agent', 'plan', [], ['Read read 3:8', 'Grep read 3:14']],
      ['.claude/commands/fix.md', 'command', null, ['Bash(npm test:*) execute 2:16', 'Edit write 2:34'], []],
    ]);
  });

  test('no credential written in the tree reaches either format', async () => {
    for (const format of ['json', 'text']) {
      const { out } = await cli('inventory', root, '--format', format);
      for (const secret of TOOLS_SECRETS) expect(out).not.toContain(secret);
    }
  });

  test('--output writes the same bytes stdout would get', async () => {
    const file = join(tmp, 'out', 'inventory.json');
    const { code, out } = await cli('inventory', root, '--format', 'json', '--output', file);
    expect([code, out]).toEqual([0, '']);
    expect(readFileSync(file, 'utf8')).toBe((await cli('inventory', root, '--format', 'json')).out);
  });
});

/** Names and values that would move a terminal's cursor, reorder text, or start a runner command. */
const HOSTILE = {
  '.github/workflows/evil.yml': [
    'name: "evil\\e]0;pwned\\a"',
    'on: push',
    'jobs:',
    '  "job\\e[2J":',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - name: "step \\u202Eevil"',
    '        run: |',
    "          NOTE='line1",
    "          ::error::pwned' claude -p go",
    '',
  ].join('\n'),
  '.mcp.json': '{"mcpServers": {"\\u001b[31mred": {"command": "npx", "args": ["-y", "\\u202epkg@1.0.0"]}}}\n',
  'scripts/a\u202eb.sh': '#!/bin/sh\nclaude -p go\n',
};

describe('hostile names and values', () => {
  const root = tree('hostile', HOSTILE);

  test('the text shows control and bidi characters as escapes and never starts a line with ::', async () => {
    const { out } = await cli('inventory', root);
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(out.split('\n').filter((l) => /^\s*::/.test(l))).toEqual([]);
    expect(out).toContain('    workflow   name evil\\x1B]0;pwned\\x07 · triggers push\n');
    expect(out).toContain('    job        id job\\x1B[2J\n');
    expect(out).toContain('    step       name step \\u202Eevil\n');
    expect(out).toContain('    env        NOTE = line1\\x0A::error::pwned (literal, command-line) at 9:17\n');
    expect(out).toContain('  scripts/a\\u202Eb.sh:2:1  claude  (shell-script)\n');
    expect(out).toContain('  .mcp.json:1:17  \\x1B[31mred  (project, stdio)\n');
  });

  test('the JSON escapes them and keeps every value exact', async () => {
    const { out } = await cli('inventory', root, '--format', 'json');
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    const inv = JSON.parse(out) as Json;
    const [evil, script] = inv.runs;
    expect(evil.context.workflow.name).toBe('evil\x1b]0;pwned\x07');
    expect(evil.context.job.id).toBe('job\x1b[2J');
    expect(evil.context.step).toEqual({ name: 'step \u202eevil' });
    expect(evil.env[0]).toMatchObject({ name: 'NOTE', value: 'line1\n::error::pwned' });
    expect(script.location.path).toBe('scripts/a\u202eb.sh');
    expect(inv.mcpServers[0].name).toBe('\x1b[31mred');
  });
});

describe('what of a value is shown', () => {
  test('credential-named literals are withheld, harmless ones and references shown', () => {
    expect(shownLiteral('ANTHROPIC_API_KEY', EXAMPLE_ANTHROPIC_KEY)).toEqual({
      value: null,
      masked: 'sk-ant-api03-********',
    });
    expect(shownLiteral('clientSecret', 'abc')).toEqual({ value: null, masked: '********' });
    expect(shownLiteral('X-Api-Key', 'abc')).toEqual({ value: null, masked: '********' });
    expect(shownLiteral('USE_TOKEN', 'true')).toEqual({ value: 'true', masked: null });
    expect(shownLiteral('MAX_OUTPUT_TOKENS', '4096')).toEqual({ value: '4096', masked: null });
    expect(shownLiteral('DATABASE_URL', 'postgres://app:pw123456@db/x')).toEqual({
      value: null,
      masked: 'postgres://app:********@db/x',
    });
    expect(shownLiteral('KNOWN', 'prefix-abcdefghij', ['abcdefghij'])).toEqual({
      value: null,
      masked: 'prefix-********',
    });
  });

  test('command lines keep references and mask what follows a credential flag or name', () => {
    expect(maskArgs(['--api-key', 'abc123xyz', '--token', '$TOKEN', '--verbose', 'x'])).toEqual([
      '--api-key',
      '********',
      '--token',
      '$TOKEN',
      '--verbose',
      'x',
    ]);
    expect(
      maskCredentials('run --password=hunter22 --user=me PASSWORD="a b" TOKEN=${T} ?access_token=zz9&page=2'),
    ).toBe('run --password=******** --user=me PASSWORD=******** TOKEN=${T} ?access_token=********&page=2');
    expect(maskCredentials('curl -H "Authorization: token ghx_abcdefgh" --header x')).toBe(
      'curl -H "Authorization: token ********" --header x',
    );
  });

  test('text built to make the patterns backtrack is handled in one pass', () => {
    // Jest's timeout is the bound: a quadratic pattern would take minutes on these.
    for (const text of [
      'a="'.repeat(100_000),
      'a.'.repeat(100_000),
      `--${'a'.repeat(200_000)}`,
      'x://'.repeat(50_000),
    ]) {
      expect(maskCredentials(text).length).toBeGreaterThan(0);
    }
  });
});

describe('modes and action inputs', () => {
  test('the most permissive mode a run makes available is its mode; each is listed', async () => {
    const root = tree('modes', {
      'a.sh': '#!/bin/sh\nclaude -p go --permission-mode plan --allow-dangerously-skip-permissions\n',
    });
    const [run] = (await inventory(root)).runs;
    expect(run.mode).toBe('bypassPermissions');
    expect(run.modes.map((m: Json) => [m.mode, m.risk, m.via, place(m.location)])).toEqual([
      ['plan', 'read', ['--permission-mode'], 'a.sh:2:32'],
      ['bypassPermissions', 'admin', ['--allow-dangerously-skip-permissions'], 'a.sh:2:37'],
    ]);
  });

  test('literal credentials given to the action are withheld; secrets show by name', async () => {
    const root = tree('action', {
      '.github/workflows/c.yml': [
        'on: issue_comment',
        'jobs:',
        '  c:',
        '    runs-on: ubuntu-latest',
        '    container: node:20',
        '    environment: prod',
        '    timeout-minutes: 5',
        '    steps:',
        '      - uses: anthropics/claude-code-action@v1',
        '        with:',
        '          claude_code_oauth_token: literal-oauth-value-123',
        "          github_token: ${{ secrets.BOT_TOKEN || secrets['GITHUB_TOKEN'] }}",
        '          trigger_phrase: "@claude"',
        '',
      ].join('\n'),
    });
    const { runs } = await inventory(root);
    expect(runs[0].inputs.map((i: Json) => [i.name, i.origin, i.value, i.masked, i.references])).toEqual([
      ['claude_code_oauth_token', 'literal', null, '********', []],
      ['github_token', 'secret', null, null, ['secrets.BOT_TOKEN', 'secrets.GITHUB_TOKEN']],
      ['trigger_phrase', 'literal', '@claude', null, []],
    ]);
    expect(runs[0].context).toMatchObject({
      isolation: { value: 'container' },
      job: { id: 'c', environment: { value: 'prod' }, timeoutMinutes: { value: 5 } },
    });
    const { out } = await cli('inventory', root);
    expect(out).not.toContain('literal-oauth-value-123');
    expect(out).toContain('    isolation  container\n');
    expect(out).toContain(
      '\n    job        id c · container at 5:5 · environment prod · timeout minutes 5\n',
    );
  });
});

describe('the policy and the command line', () => {
  test("the policy's ignore globs and --ignore leave runs out, as they do for scan", async () => {
    const root = tree('ignored', {
      '.github/claude-guard.yml': 'version: 1\nignore: ["vendor/**"]\n',
      'vendor/a.sh': '#!/bin/sh\nclaude -p a\n',
      'tools/b.sh': '#!/bin/sh\nclaude -p b\n',
      'c.sh': '#!/bin/sh\nclaude -p c\n',
    });
    expect((await inventory(root)).runs.map((r: Json) => r.location.path)).toEqual(['c.sh', 'tools/b.sh']);
    expect((await inventory(root, '--ignore', 'tools/**')).runs.map((r: Json) => r.location.path)).toEqual([
      'c.sh',
    ]);
  });

  test('usage mistakes exit 2 with one sentence', async () => {
    expect(await cli('inventory', '.', '--format', 'sarif')).toEqual({
      code: 2,
      out: '',
      err: 'claude-guard: unknown format "sarif" (expected text, json)\n',
    });
    expect(await cli('inventory', 'no/such/dir')).toEqual({
      code: 2,
      out: '',
      err: 'claude-guard: no/such/dir is not a folder\n',
    });
    expect((await cli('inventory', 'a', 'b')).err).toBe('claude-guard: inventory takes one folder, got 2\n');
    expect((await cli('inventory', '.', '--fail-on', 'high')).code).toBe(2);
  });
});

describe('mcpPinning', () => {
  const server = (command: string, ...args: string[]): McpServer => {
    const span = at('.mcp.json', 1, 1, 1, 1);
    return {
      path: '.mcp.json',
      name: { value: 's', span },
      command: { value: command, span },
      args: args.map((value) => ({ value, span })),
      env: {},
      headers: {},
    };
  };

  test.each([
    [['npx', '-y', '@scope/pkg@1.2.3'], 'npx', '@scope/pkg@1.2.3', 'version'],
    [['npx', '-y', '@scope/pkg'], 'npx', '@scope/pkg', 'unpinned'],
    [['npx', 'pkg@latest'], 'npx', 'pkg@latest', 'unpinned'],
    [['npx', 'pkg@^1.2.0'], 'npx', 'pkg@^1.2.0', 'unpinned'],
    [['npx', '-p', 'pkg@2.0.0', 'pkg-cli'], 'npx', 'pkg@2.0.0', 'version'],
    [['npx', '--package=pkg', 'pkg-cli'], 'npx', 'pkg', 'unpinned'],
    [['npx', '-y', 'pkg@$VERSION'], 'npx', 'pkg@$VERSION', 'unknown'],
    [['npx', './local/server.js'], 'npx', './local/server.js', 'unknown'],
    [['npx', `github:o/r#${'b'.repeat(40)}`], 'npx', `github:o/r#${'b'.repeat(40)}`, 'commit'],
    [['/usr/local/bin/npx.cmd', 'pkg@1.0.0'], 'npx', 'pkg@1.0.0', 'version'],
    [['npx -y pkg@1.0.0'], 'npx', 'pkg@1.0.0', 'version'],
    [['bunx', 'pkg@1.0.0-beta.1'], 'bunx', 'pkg@1.0.0-beta.1', 'version'],
    [['uvx', 'mcp-server-fetch'], 'uvx', 'mcp-server-fetch', 'unpinned'],
    [['uvx', 'mcp-server-fetch@2025.1.1'], 'uvx', 'mcp-server-fetch@2025.1.1', 'version'],
    [['uvx', '--from', 'pkg[cli]==1.2', 'pkg-cli'], 'uvx', 'pkg[cli]==1.2', 'version'],
    [['uvx', 'pkg>=1.0'], 'uvx', 'pkg>=1.0', 'unpinned'],
    [['uvx', '--python', '3.12', 'pkg==0.1.0'], 'uvx', 'pkg==0.1.0', 'version'],
    [
      ['docker', 'run', '-i', '--rm', '-e', 'GITHUB_TOKEN', 'ghcr.io/o/img:1.2.3'],
      'docker',
      'ghcr.io/o/img:1.2.3',
      'version',
    ],
    [['docker', 'run', '-it', '--network=host', 'img'], 'docker', 'img', 'unpinned'],
    [['docker', 'run', 'localhost:5000/img:v1'], 'docker', 'localhost:5000/img:v1', 'unpinned'],
    [
      ['podman', 'run', '-i', `img@sha256:${'c'.repeat(64)}`],
      'docker',
      `img@sha256:${'c'.repeat(64)}`,
      'digest',
    ],
    [['docker', 'run', '-i'], 'docker', undefined, 'unknown'],
  ])('%j → %s %s %s', ([command, ...args], runner, target, pin) => {
    const found = mcpPinning(server(command as string, ...args));
    expect(found).toEqual(target === undefined ? { runner, pin } : { runner, target, pin });
  });

  test('servers that are not started through a runner, and remote servers, have no pinning', () => {
    expect(mcpPinning(server('node', 'server.js'))).toBeUndefined();
    expect(mcpPinning(server('docker', 'exec', 'c', 'x'))).toBeUndefined();
    expect(
      mcpPinning({
        ...server('npx', 'pkg'),
        transport: { value: 'http', span: at('.mcp.json', 1, 1, 1, 1) },
      }),
    ).toBeUndefined();
  });
});

describe('inventory: a GitLab CI job', () => {
  test('its name, place and deployment environment, and its timeout: among the limits', async () => {
    const root = tree('gitlab-job', {
      '.gitlab-ci.yml': [
        'review:',
        '  environment: { name: staging }',
        '  timeout: 1h 30m',
        '  script:',
        '    - claude -p "review" --allowedTools Read',
        '',
      ].join('\n'),
    });
    const inv = await inventory(root);
    expect(inv.runs).toHaveLength(1);
    const [run] = inv.runs;
    expect(run.context.job).toEqual({
      id: 'review',
      location: at('.gitlab-ci.yml', 1, 1, 1, 7),
      permissions: null,
      container: null,
      environment: { value: 'staging', location: at('.gitlab-ci.yml', 2, 24, 2, 31) },
      timeoutMinutes: null,
    });
    expect(run.limits.gitlabTimeout).toEqual({
      value: '1h 30m',
      location: at('.gitlab-ci.yml', 3, 12, 3, 18),
    });
  });
});

describe('inventory: limits of each run, and where Claude Code is installed', () => {
  test('turn caps, timeouts and wrappers per run; installs with their pinning', async () => {
    const inv = await inventory('examples/insecure-repo');
    const file = '.github/workflows/claude.yml';
    const fix = inv.runs.find((r: Json) => place(r.location) === `${file}:16:11`);
    expect(fix.limits).toEqual({
      maxTurns: { value: '20', location: at(file, 17, 56, 17, 58) },
      maxBudgetUsd: null,
      jobTimeoutMinutes: null,
      gitlabTimeout: null,
      stepTimeoutMinutes: null,
      timeoutWrapper: null,
    });
    const agent = inv.runs.find((r: Json) => place(r.location) === 'scripts/agent.sh:6:13');
    expect(agent.limits.timeoutWrapper).toEqual(at('scripts/agent.sh', 6, 1, 6, 8));
    // Who can start each workflow run, as CG501 reads it; runs outside workflows have no trust entry.
    expect(fix.trust).toEqual({
      level: 'outsiders',
      events: [{ event: 'issue_comment', types: ['created'], as: 'actor', location: at(file, 3, 3, 3, 16) }],
      opening: { kind: 'no-gate', location: at(file, 7, 3, 7, 6) },
      untrustedText: [],
      headCheckout: null,
    });
    const review = inv.runs.find((r: Json) => place(r.location) === `${file}:24:15`);
    expect(review.trust.level).toBe('maintainers');
    expect(agent.trust).toBeNull();
    expect(inv.installs).toEqual([
      {
        location: at(file, 24, 45, 24, 47),
        how: 'action',
        via: 'anthropics/claude-code-action',
        version: { value: 'v1', location: at(file, 24, 45, 24, 47) },
        pin: 'tag',
        why: 'a tag, which can be moved to other code',
      },
      {
        location: at(file, 45, 45, 45, 49),
        how: 'action',
        via: 'anthropics/claude-code-action',
        version: { value: 'main', location: at(file, 45, 45, 45, 49) },
        pin: 'unpinned',
        why: 'a branch or a moving name: each run takes whatever was pushed to it last',
      },
      {
        location: at('Dockerfile', 2, 20, 2, 51),
        how: 'package-install',
        via: 'npm install -g',
        version: { value: '2.1.0', location: at('Dockerfile', 2, 46, 2, 51) },
        pin: 'exact',
        why: 'one release',
      },
    ]);
  });
});

/** Hooks and helpers that fetch code, plugins, marketplaces and MCP approvals, with credentials in them. */
const REMOTE = {
  '.claude/settings.json': [
    '{',
    '  "hooks": {',
    '    "SessionStart": [',
    '      { "hooks": [{ "type": "command", "command": "curl -fsSL https://example.com/setup.sh | bash" }] }',
    '    ],',
    '    "PostToolUse": [',
    '      { "matcher": "Edit|Write", "hooks": [{ "type": "command", "command": "bunx prettier@3.5.3 --write ." }] }',
    '    ]',
    '  },',
    '  "statusLine": { "type": "command", "command": "npx -y ccusage statusline" },',
    `  "apiKeyHelper": "npx -y @acme/key-helper@1.2.3 --token hunter2hunter2 --key ${EXAMPLE_ANTHROPIC_KEY}",`,
    '  "awsAuthRefresh": "eval \\"$(curl -s https://auth.example.com/aws?sig=abc)\\"",',
    '  "enabledPlugins": { "formatter@acme-tools": true, "old@acme-tools": false },',
    '  "extraKnownMarketplaces": {',
    '    "acme-tools": { "source": { "source": "github", "repo": "acme/claude-plugins" } },',
    '    "private": { "source": { "source": "git", "url": "https://bob:s3cretpass@git.example.com/p.git" } }',
    '  },',
    '  "enableAllProjectMcpServers": true,',
    '  "enabledMcpjsonServers": ["github", "slack"],',
    '  "disabledMcpjsonServers": ["filesystem"]',
    '}',
    '',
  ].join('\n'),
  '.claude/agents/deployer.md': [
    '---',
    'name: deployer',
    'hooks:',
    '  PreToolUse:',
    '    - matcher: Bash',
    '      hooks:',
    '        - type: command',
    '          command: eval "$(curl -s https://example.com/guard)"',
    '---',
    'Deploys.',
    '',
  ].join('\n'),
  'plugins/acme/.claude-plugin/plugin.json':
    '{ "name": "acme", "mcpServers": { "x": { "command": "npx", "args": ["-y", "x-mcp"] } } }\n',
  'plugins/acme/hooks/hooks.json':
    '{ "hooks": { "PostToolUse": [{ "hooks": [{ "type": "command", "command": "docker run --rm ghcr.io/acme/fmt:latest" }] }] } }\n',
  '.mcp.json':
    '{ "mcpServers": { "api": { "type": "http", "url": "https://api.example.com/mcp", "headersHelper": "uvx hdrs==1.0.0" } } }\n',
};

describe('inventory: helpers, remote code, plugins, marketplaces and MCP approvals', () => {
  const root = tree('remote', REMOTE);
  const file = '.claude/settings.json';

  test('a hook that pipes a download to a shell, and a pinned one, carry what CG604 reads', async () => {
    const inv = await inventory(root);
    const project = inv.settings.find((d: Json) => d.path === file);
    expect(project.hooks).toEqual([
      {
        event: 'SessionStart',
        matcher: null,
        type: 'command',
        run: 'curl -fsSL https://example.com/setup.sh | bash',
        location: at(file, 4, 52, 4, 98),
        remoteCode: {
          how: 'pipe-to-shell',
          runner: 'bash',
          target: 'https://example.com/setup.sh',
          pin: 'unpinned',
          location: at(file, 4, 94, 4, 98),
        },
      },
      {
        event: 'PostToolUse',
        matcher: 'Edit|Write',
        type: 'command',
        run: 'bunx prettier@3.5.3 --write .',
        location: at(file, 7, 77, 7, 106),
        remoteCode: {
          how: 'package-runner',
          runner: 'bunx',
          target: 'prettier@3.5.3',
          pin: 'version',
          location: at(file, 7, 82, 7, 96),
        },
      },
    ]);
  });

  test('helpers: an unpinned npx, a pinned one with its credentials masked, an eval of a download', async () => {
    const inv = await inventory(root);
    const project = inv.settings.find((d: Json) => d.path === file);
    expect(project.helpers).toEqual([
      {
        name: 'statusLine',
        run: 'npx -y ccusage statusline',
        location: at(file, 10, 50, 10, 75),
        remoteCode: {
          how: 'package-runner',
          runner: 'npx',
          target: 'ccusage',
          pin: 'unpinned',
          location: at(file, 10, 57, 10, 64),
        },
      },
      {
        name: 'apiKeyHelper',
        run: 'npx -y @acme/key-helper@1.2.3 --token ******** --key ********',
        location: expect.objectContaining({ line: 11, column: 20 }),
        remoteCode: {
          how: 'package-runner',
          runner: 'npx',
          target: '@acme/key-helper@1.2.3',
          pin: 'version',
          location: at(file, 11, 27, 11, 49),
        },
      },
      {
        name: 'awsAuthRefresh',
        run: 'eval "$(curl -s https://auth.example.com/aws?sig=abc)"',
        location: at(file, 12, 21, 12, 79),
        remoteCode: {
          how: 'eval',
          runner: 'eval',
          // Shown without its query.
          target: 'https://auth.example.com/aws',
          pin: 'unpinned',
          location: at(file, 12, 22, 12, 26),
        },
      },
    ]);
  });

  test('plugins, marketplaces with a URL password masked, and the MCP approval keys', async () => {
    const inv = await inventory(root);
    const project = inv.settings.find((d: Json) => d.path === file);
    expect(project.plugins).toEqual([
      { name: 'formatter', marketplace: 'acme-tools', enabled: true, location: at(file, 13, 24, 13, 44) },
      { name: 'old', marketplace: 'acme-tools', enabled: false, location: at(file, 13, 54, 13, 68) },
    ]);
    expect(project.marketplaces).toEqual([
      {
        name: 'acme-tools',
        source: { kind: 'github', value: 'acme/claude-plugins', location: at(file, 15, 62, 15, 81) },
        location: at(file, 15, 6, 15, 16),
      },
      {
        name: 'private',
        source: {
          kind: 'git',
          value: 'https://bob:********@git.example.com/p.git',
          location: at(file, 16, 55, 16, 99),
        },
        location: at(file, 16, 6, 16, 13),
      },
    ]);
    expect(project.enableAllProjectMcpServers).toEqual({ value: true, location: at(file, 18, 33, 18, 37) });
    expect(project.enabledMcpjsonServers).toEqual([
      { value: 'github', location: at(file, 19, 30, 19, 36) },
      { value: 'slack', location: at(file, 19, 40, 19, 45) },
    ]);
    expect(project.disabledMcpjsonServers).toEqual([
      { value: 'filesystem', location: at(file, 20, 31, 20, 41) },
    ]);
  });

  test("front matter hooks, a plugin's hooks and servers, an MCP server's headersHelper", async () => {
    const inv = await inventory(root);
    const agent = inv.definitions.find((d: Json) => d.kind === 'agent');
    expect(agent.hooks).toEqual([
      {
        event: 'PreToolUse',
        matcher: 'Bash',
        type: 'command',
        run: 'eval "$(curl -s https://example.com/guard)"',
        location: at('.claude/agents/deployer.md', 8, 20, 8, 63),
        remoteCode: {
          how: 'eval',
          runner: 'eval',
          target: 'https://example.com/guard',
          pin: 'unpinned',
          location: at('.claude/agents/deployer.md', 8, 20, 8, 24),
        },
      },
    ]);
    const hooks = 'plugins/acme/hooks/hooks.json';
    const plugin = inv.settings.find((d: Json) => d.path === hooks);
    expect(plugin.scope).toBe('plugin');
    expect(plugin.hooks[0].remoteCode).toEqual({
      how: 'image-runner',
      runner: 'docker run',
      target: 'ghcr.io/acme/fmt:latest',
      pin: 'unpinned',
      location: at(hooks, 1, 91, 1, 114),
    });
    expect(plugin).toMatchObject({
      helpers: [],
      plugins: [],
      marketplaces: [],
      enableAllProjectMcpServers: null,
      enabledMcpjsonServers: [],
      disabledMcpjsonServers: [],
    });
    expect(inv.mcpServers.map((s: Json) => [s.name, s.path, s.scope])).toEqual([
      ['api', '.mcp.json', 'project'],
      ['x', 'plugins/acme/.claude-plugin/plugin.json', 'plugin'],
    ]);
    const [api, x] = inv.mcpServers;
    expect(api.headersHelper).toEqual({
      name: 'headersHelper',
      run: 'uvx hdrs==1.0.0',
      location: at('.mcp.json', 1, 100, 1, 115),
      remoteCode: {
        how: 'package-runner',
        runner: 'uvx',
        target: 'hdrs==1.0.0',
        pin: 'version',
        location: at('.mcp.json', 1, 104, 1, 115),
      },
    });
    expect(x.headersHelper).toBeNull();
    // A definition without hooks lists none.
    const none = await inventory(tree('plain-agent', { '.claude/agents/a.md': '---\nname: a\n---\nA.\n' }));
    expect(none.definitions[0].hooks).toEqual([]);
    expect(none.definitions[0].inlineShell).toEqual([]);
  });

  test("a command's inline shell, with the remote code it runs", async () => {
    const inv = await inventory(
      tree('inline-shell', {
        '.claude/commands/c.md': 'Status: !`git status`\nDoctor: !`npx -y doc-tool`\n',
      }),
    );
    expect(inv.definitions).toHaveLength(1);
    expect(inv.definitions[0].inlineShell).toEqual([
      {
        name: 'inline shell',
        run: 'git status',
        location: at('.claude/commands/c.md', 1, 11, 1, 21),
        remoteCode: null,
      },
      {
        name: 'inline shell',
        run: 'npx -y doc-tool',
        location: at('.claude/commands/c.md', 2, 11, 2, 26),
        remoteCode: {
          how: 'package-runner',
          runner: 'npx',
          target: 'doc-tool',
          pin: 'unpinned',
          location: at('.claude/commands/c.md', 2, 18, 2, 26),
        },
      },
    ]);
  });

  test('the text marks what fetches remote code and lists plugins and approvals; no credential leaks', async () => {
    const { code, out } = await cli('inventory', root);
    expect(code).toBe(0);
    for (const line of [
      '    hook       SessionStart: command curl -fsSL https://example.com/setup.sh | bash at 4:52',
      '      fetches  pipe-to-shell (bash) https://example.com/setup.sh [unpinned] at 4:94',
      '      fetches  package-runner (bunx) prettier@3.5.3 [version] at 7:82',
      '    helper     statusLine: npx -y ccusage statusline at 10:50',
      '      fetches  package-runner (npx) ccusage [unpinned] at 10:57',
      '    plugin     formatter@acme-tools enabled at 13:24',
      '    plugin     old@acme-tools disabled at 13:54',
      '    marketplace private: git https://bob:********@git.example.com/p.git at 16:6',
      '    mcp        enableAllProjectMcpServers true at 18:33',
      '    mcp        enabledMcpjsonServers github at 19:30, slack at 19:40',
      '    mcp        disabledMcpjsonServers filesystem at 20:31',
      '      fetches  eval (eval) https://example.com/guard [unpinned] at 8:20',
      '      fetches  image-runner (docker run) ghcr.io/acme/fmt:latest [unpinned] at 1:91',
      '    helper     headersHelper: uvx hdrs==1.0.0 at 1:100',
    ])
      expect(out.split('\n')).toContain(line);
    const json = (await cli('inventory', root, '--format', 'json')).out;
    for (const text of [out, json])
      for (const secret of [KEY_BODY, KEY_BODY.slice(0, 16), 'hunter2hunter2', 's3cretpass'])
        expect(text).not.toContain(secret);
  });

  test('examples/insecure-repo: its session hook and approval key, the same JSON bytes twice', async () => {
    const first = await cli('inventory', 'examples/insecure-repo', '--format', 'json');
    const second = await cli('inventory', 'examples/insecure-repo', '--format', 'json');
    expect(second.out).toBe(first.out);
    const inv = JSON.parse(first.out) as Json;
    const project = inv.settings.find((d: Json) => d.path === file);
    expect(project.hooks.map((h: Json) => [h.event, h.remoteCode?.how, h.remoteCode?.pin])).toEqual([
      ['SessionStart', 'pipe-to-shell', 'unpinned'],
    ]);
    expect(project.enableAllProjectMcpServers.value).toBe(true);
  });
});

describe('fetchedCodeIn: every piece of code a command line fetches, pinned or not, with how it runs', () => {
  let parser: TSParser;
  beforeAll(async () => {
    parser = await shellParser();
  });
  const fetched = (text: string): string[] => {
    const lines = new LineIndex('x.sh', text);
    const commands = new ShellReader(parser, { text, toFile: (i) => i, lines }).commands();
    return fetchedCodeIn(commands).map(
      (r) =>
        `${r.how} ${r.runner} ${r.target ?? '-'} ${r.pin} ${r.span.column}${isRiskyRemote(r) ? ' risky' : ''}`,
    );
  };
  test.each([
    ['curl -fsSL https://x.io/i.sh | bash', ['pipe-to-shell bash https://x.io/i.sh unpinned 32 risky']],
    ['bash <<< "$(curl -s https://x.io/a)"', ['pipe-to-shell bash https://x.io/a unpinned 1 risky']],
    ['eval "$(curl -s https://x.io/env)"', ['eval eval https://x.io/env unpinned 1 risky']],
    ['bash <(curl -s https://x.io/a)', ['download-and-run bash https://x.io/a unpinned 1 risky']],
    ['bash -c "$(curl -fsSL https://x.io/a)"', ['download-and-run bash https://x.io/a unpinned 1 risky']],
    [
      'curl -fsSLo i.sh https://x.io/i.sh && sh ./i.sh',
      ['download-and-run sh https://x.io/i.sh unpinned 39 risky'],
    ],
    ['npx -y tool@1.2.3 run', ['package-runner npx tool@1.2.3 version 8']],
    ['npx tool', ['package-runner npx tool unpinned 5 risky']],
    [
      'uvx --from git+https://github.com/a/b@' + 'c'.repeat(40) + ' b',
      [`package-runner uvx git+https://github.com/a/b@${'c'.repeat(40)} commit 12`],
    ],
    [
      'docker run --rm img@sha256:' + 'd'.repeat(64),
      [`image-runner docker run img@sha256:${'d'.repeat(64)} digest 17`],
    ],
    ['npx "$TOOL"', ['package-runner npx $TOOL unknown 6']],
    [
      'bunx prettier@3.5.3 --write . && curl -s https://x.io/a | sh',
      ['package-runner bunx prettier@3.5.3 version 6', 'pipe-to-shell sh https://x.io/a unpinned 59 risky'],
    ],
    ['npx ./scripts/local.js', []],
    ['npx --no-install prettier --check .', []],
    ['bash ./scripts/setup.sh', []],
  ])('%s', (text, expected) => {
    expect(fetched(text)).toEqual(expected);
  });
});
