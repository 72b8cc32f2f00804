import { describe, expect, test } from '@jest/globals';
import { diffPowers, type Power, type PowersDiff, powersOf } from '../src/model/powers.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { codeCell, renderPowersChange } from '../src/report/powers.js';
import { memorySource, scan } from '../src/scan.js';

type Files = Record<string, string>;

async function powersIn(files: Files): Promise<Power[]> {
  const { model } = await scan(memorySource(files), defaultPolicy());
  return powersOf(model);
}

async function change(base: Files, head: Files): Promise<PowersDiff> {
  return diffPowers(await powersIn(base), await powersIn(head));
}

/** One line per changed power: sign, kind, label, risk, and the line it is written on (head or base). */
function lines(diff: PowersDiff): string[] {
  const line = (sign: string, p: Power): string =>
    `${sign} ${p.kind}: ${p.label} [${p.risk ?? '-'}] @${p.span.path}:${p.span.line}`;
  return [...diff.added.map((p) => line('+', p)), ...diff.removed.map((p) => line('-', p))];
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

const settings = (permissions: Record<string, unknown>, rest: Record<string, unknown> = {}): Files => ({
  '.claude/settings.json': json({ permissions, ...rest }),
});

const workflow = (run: string): Files => ({
  '.github/workflows/fix.yml': [
    'name: fix',
    'on: issue_comment',
    'permissions: { contents: read }',
    'jobs:',
    '  fix:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    `      - run: ${run}`,
    '',
  ].join('\n'),
});

describe('diffPowers: what a pull request changes in Claude’s powers', () => {
  test('adding Bash to permissions.allow is an added grant with execute risk', async () => {
    const diff = await change(
      settings({ allow: ['Read', 'Bash(npm test:*)'] }),
      settings({ allow: ['Read', 'Bash(npm test:*)', 'Bash'] }),
    );
    expect(lines(diff)).toEqual([
      '+ grant: `Bash` allowed in `.claude/settings.json` [execute] @.claude/settings.json:6',
    ]);
    expect(diff.added[0]?.direction).toBe('widens');
  });

  test('removing a deny rule is a removed deny, placed on its base line', async () => {
    const diff = await change(
      settings({ deny: ['Read(./.env)', 'Bash(rm:*)'] }),
      settings({ deny: ['Read(./.env)'] }),
    );
    expect(lines(diff)).toEqual([
      '- deny: `Bash(rm:*)` denied in `.claude/settings.json` [execute] @.claude/settings.json:5',
    ]);
    expect(diff.removed[0]?.direction).toBe('narrows');
  });

  test('switching defaultMode to bypassPermissions removes the old mode and adds the new one', async () => {
    const diff = await change(
      settings({ defaultMode: 'acceptEdits' }),
      settings({ defaultMode: 'bypassPermissions' }),
    );
    expect(lines(diff)).toEqual([
      '+ mode: `bypassPermissions` mode (`defaultMode`) in `.claude/settings.json` [admin] @.claude/settings.json:3',
      '- mode: `acceptEdits` mode (`defaultMode`) in `.claude/settings.json` [write] @.claude/settings.json:3',
    ]);
  });

  test('adding --dangerously-skip-permissions to a workflow run is bypass mode in that job', async () => {
    const diff = await change(
      workflow('claude -p "fix the bug" --allowedTools "Bash(npm test:*)"'),
      workflow('claude -p "fix the bug" --allowedTools "Bash(npm test:*)" --dangerously-skip-permissions'),
    );
    expect(lines(diff)).toEqual([
      '+ mode: `bypassPermissions` mode (`--dangerously-skip-permissions`) in `.github/workflows/fix.yml` job `fix` [admin] @.github/workflows/fix.yml:9',
    ]);
  });

  test('the bypass flag and --permission-mode bypassPermissions are one power', async () => {
    const diff = await change(
      workflow('claude -p "fix" --permission-mode bypassPermissions'),
      workflow('claude -p "fix" --dangerously-skip-permissions'),
    );
    expect(lines(diff)).toEqual([]);
  });

  test('adding an MCP server lists its transport, command and env names, never env values', async () => {
    const diff = await change(
      { '.mcp.json': json({ mcpServers: {} }) },
      {
        '.mcp.json': json({
          mcpServers: {
            github: {
              command: 'npx',
              args: ['-y', '@modelcontextprotocol/server-github@1.2.3'],
              env: { GITHUB_PERSONAL_ACCESS_TOKEN: '${GITHUB_TOKEN}' },
            },
            docs: { type: 'http', url: 'https://mcp.example.com/mcp' },
          },
        }),
      },
    );
    expect(lines(diff)).toEqual([
      '+ mcp-server: MCP server `github` (stdio: `npx -y @modelcontextprotocol/server-github@1.2.3`) with env `GITHUB_PERSONAL_ACCESS_TOKEN` in `.mcp.json` [execute] @.mcp.json:3',
      '+ mcp-server: MCP server `docs` (http: `https://mcp.example.com/mcp`) in `.mcp.json` [-] @.mcp.json:13',
    ]);
  });

  test('an MCP server whose command changed is the old server removed and the new one added', async () => {
    const server = (version: string): Files => ({
      '.mcp.json': json({
        mcpServers: { github: { command: 'npx', args: ['-y', `server-github@${version}`] } },
      }),
    });
    expect(lines(await change(server('1.0.0'), server('2.0.0')))).toEqual([
      '+ mcp-server: MCP server `github` (stdio: `npx -y server-github@2.0.0`) in `.mcp.json` [execute] @.mcp.json:3',
      '- mcp-server: MCP server `github` (stdio: `npx -y server-github@1.0.0`) in `.mcp.json` [execute] @.mcp.json:3',
    ]);
  });

  test('adding a hook lists its event, matcher and command', async () => {
    const diff = await change(
      settings({ allow: ['Read'] }),
      settings(
        { allow: ['Read'] },
        {
          hooks: {
            PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './.claude/check.sh' }] }],
          },
        },
      ),
    );
    expect(lines(diff)).toEqual([
      '+ hook: hook `PreToolUse` on `Bash` runs `./.claude/check.sh` in `.claude/settings.json` [execute] @.claude/settings.json:14',
    ]);
  });

  test('moving lines changes nothing', async () => {
    const base: Files = {
      ...settings({
        allow: ['Read', 'Bash(npm test:*)'],
        deny: ['Bash(rm:*)'],
        additionalDirectories: ['../docs'],
      }),
      ...workflow('claude -p "fix" --allowedTools "Edit" --permission-mode acceptEdits'),
    };
    const head: Files = {
      ...settings({
        additionalDirectories: ['../docs'],
        deny: ['Bash(rm:*)'],
        allow: ['Bash(npm test:*)', 'Read'],
      }),
      '.github/workflows/fix.yml': [
        'name: fix',
        '',
        '# moved down a few lines',
        'on: issue_comment',
        'permissions: { contents: read }',
        'jobs:',
        '  fix:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '      - run: echo first',
        '      - run: claude --permission-mode acceptEdits -p "fix" --allowedTools "Edit"',
        '',
      ].join('\n'),
    };
    const diff = await change(base, head);
    expect(lines(diff)).toEqual([]);
    expect((await powersIn(head)).length).toBe(6);
  });

  test('reformatting JSON changes nothing', async () => {
    const doc = { permissions: { allow: ['Bash(npm test:*)'], defaultMode: 'acceptEdits' } };
    const diff = await change(
      { '.claude/settings.json': JSON.stringify(doc) },
      {
        '.claude/settings.json': `{\n\t"permissions" : {\n\t\t"defaultMode":"acceptEdits",\n\n\t\t"allow" : [ "Bash(npm test:*)" ]\n\t}\n}\n`,
      },
    );
    expect(lines(diff)).toEqual([]);
  });

  test('a legacy tool name is the same rule as today’s', async () => {
    expect(
      lines(await change(settings({ allow: ['View(src/**)'] }), settings({ allow: ['Read(src/**)'] }))),
    ).toEqual([]);
  });

  test('renaming a job moves its powers to the new job', async () => {
    const base = workflow('claude -p "fix" --allowedTools Bash');
    const head = {
      '.github/workflows/fix.yml': (base['.github/workflows/fix.yml'] as string).replace(
        '  fix:',
        '  repair:',
      ),
    };
    expect(lines(await change(base, head))).toEqual([
      '+ grant: `Bash` allowed (`--allowedTools`) in `.github/workflows/fix.yml` job `repair` [execute] @.github/workflows/fix.yml:9',
      '- grant: `Bash` allowed (`--allowedTools`) in `.github/workflows/fix.yml` job `fix` [execute] @.github/workflows/fix.yml:9',
    ]);
  });

  test('powers are listed once, most risky first, then by path and label', async () => {
    const powers = await powersIn({
      ...settings({ allow: ['Read', 'Edit', 'Bash(npm test:*)', 'Read'], ask: ['WebFetch'] }),
      '.claude/commands/deploy.md': '---\nallowed-tools: Bash(git push:*)\n---\nDeploy.\n',
      '.claude/agents/fixer.md':
        '---\nname: fixer\ntools: Bash\npermissionMode: bypassPermissions\n---\nFix.\n',
    });
    expect(powers.map((p) => `${p.kind}: ${p.label} [${p.risk ?? '-'}]`)).toEqual([
      'mode: `bypassPermissions` mode (`permissionMode`) in `.claude/agents/fixer.md` [admin]',
      'grant: `Bash(git push:*)` allowed (`allowed-tools`) in `.claude/commands/deploy.md` [execute]',
      'grant: `Bash(npm test:*)` allowed in `.claude/settings.json` [execute]',
      'grant: `Edit` allowed in `.claude/settings.json` [write]',
      'grant: `Read` allowed in `.claude/settings.json` [read]',
      'ask: `WebFetch` needs approval in `.claude/settings.json` [read]',
    ]);
  });
});

describe('renderPowersChange: the section of the pull request comment', () => {
  const LINK = 'https://github.com/acme/app/blob/0123abc';
  const KEY = `sk-ant-api03-${'A1b2C3d4'.repeat(6)}`;

  test('is empty when nothing changed', () => {
    expect(renderPowersChange({ added: [], removed: [] }, { secrets: [] })).toBe('');
  });

  test('shows each change with its effect, a removed deny rule as widening', async () => {
    const base: Files = {
      ...settings({ allow: ['Read'], deny: ['Bash(rm:*)'], defaultMode: 'acceptEdits' }),
      ...workflow('claude -p "fix the bug" --allowedTools "Bash(npm test:*)"'),
    };
    const head: Files = {
      ...settings({ allow: ['Read', 'Bash'], defaultMode: 'bypassPermissions' }),
      ...workflow('claude -p "fix the bug" --allowedTools "Bash(npm test:*)" --dangerously-skip-permissions'),
      '.mcp.json': json({ mcpServers: { github: { command: 'npx', args: ['-y', 'server-github@1.2.3'] } } }),
    };
    const out = renderPowersChange(await change(base, head), {
      secrets: [],
      linkBase: LINK,
      baseLinkBase: 'https://github.com/acme/app/blob/fedcba9',
    });
    expect(out).toBe(
      [
        "### What this PR changes in Claude's powers",
        '',
        '4 powers added, 2 removed: **5 changes widen** what Claude may do.',
        '',
        '| | Effect | Kind | What | Where | Risk |',
        '|---|---|---|---|---|---|',
        `| + | **widens** | mode | \`bypassPermissions\` mode (\`defaultMode\`) | [\`.claude/settings.json:7\`](${LINK}/.claude/settings.json#L7) | admin |`,
        `| + | **widens** | mode | \`bypassPermissions\` mode (\`--dangerously-skip-permissions\`) | [\`.github/workflows/fix.yml:9\`](${LINK}/.github/workflows/fix.yml#L9) job \`fix\` | admin |`,
        '| − | **widens** (limit removed) | deny | `Bash(rm:*)` denied | [`.claude/settings.json:7`](https://github.com/acme/app/blob/fedcba9/.claude/settings.json#L7) (base) | execute |',
        `| + | **widens** | grant | \`Bash\` allowed | [\`.claude/settings.json:5\`](${LINK}/.claude/settings.json#L5) | execute |`,
        `| + | **widens** | mcp-server | MCP server \`github\` (stdio: \`npx -y server-github@1.2.3\`) | [\`.mcp.json:3\`](${LINK}/.mcp.json#L3) | execute |`,
        '| − | narrows | mode | `acceptEdits` mode (`defaultMode`) | [`.claude/settings.json:9`](https://github.com/acme/app/blob/fedcba9/.claude/settings.json#L9) (base) | write |',
        '',
      ].join('\n'),
    );
  });

  test('removed rows are not linked to the head when no base link is given', async () => {
    const diff = await change(settings({ deny: ['Bash(rm:*)'] }), settings({}));
    expect(renderPowersChange(diff, { secrets: [], linkBase: LINK }).split('\n')[6]).toBe(
      '| − | **widens** (limit removed) | deny | `Bash(rm:*)` denied | `.claude/settings.json:4` (base) | execute |',
    );
  });

  test('masks keys in an MCP command, its URL and a hook command; env values are never shown', async () => {
    const head: Files = {
      '.mcp.json': json({
        mcpServers: {
          search: {
            command: 'npx',
            args: ['-y', 'search-mcp@1.0.0', '--api-key', KEY],
            env: { SEARCH_KEY: KEY },
          },
          remote: { type: 'http', url: 'https://bot:hunter2hunter2@mcp.example.com/mcp' },
        },
      }),
      ...settings(
        {},
        {
          hooks: {
            SessionStart: [
              { hooks: [{ type: 'command', command: `curl -H "x-api-key: ${KEY}" https://x.test` }] },
            ],
          },
        },
      ),
    };
    const diff = await change({}, head);
    const out = renderPowersChange(diff, { secrets: ['hunter2hunter2'] });
    expect(out).not.toContain(KEY.slice(13));
    expect(out).not.toContain('hunter2');
    expect(out.split('\n').slice(6)).toEqual([
      '| + | **widens** | hook | hook `SessionStart` runs `curl -H "x-api-key: sk-ant-api03-********" https://x.test` | `.claude/settings.json:9` | execute |',
      '| + | **widens** | mcp-server | MCP server `search` (stdio: `npx -y search-mcp@1.0.0 --api-key sk-ant-api03-********`) with env `SEARCH_KEY` | `.mcp.json:3` | execute |',
      '| + | **widens** | mcp-server | MCP server `remote` (http: `https://bot:********@mcp.example.com/mcp`) | `.mcp.json:15` | — |',
      '',
    ]);
  });

  test('hostile repository text neither breaks the table nor renders, links or pings', async () => {
    const rule = 'Bash(echo <img src=x onerror=alert(1)> @octocat | tee `x` [a](http://evil.test) a\\|b)';
    const diff = await change({}, settings({ allow: [rule] }));
    const row = renderPowersChange(diff, { secrets: [], linkBase: LINK }).split('\n')[6] as string;
    expect(row).toBe(
      '| + | **widens** | grant | ``Bash(echo <img src=x onerror=alert(1)> @octocat \\| tee `x` [a](http://evil.test) a\\\\\\|b)`` allowed ' +
        `| [\`.claude/settings.json:4\`](${LINK}/.claude/settings.json#L4) | execute |`,
    );
    // Outside code spans, a row holds only our words, our links and the table's own pipes.
    const outside = row.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, '');
    expect(outside).not.toMatch(/[<>@]|\]\(http:/);
    expect(outside.replace(/\]\(https:\/\/github\.com[^)]*\)/g, '').split('|').length).toBe(8);
  });

  test('a hostile path and job id stay in code spans, and the link encodes the path', async () => {
    const head: Files = {
      '.claude/commands/x](https:/evil.test) @team #1.md': '---\nallowed-tools: Read\n---\nHi.\n',
      '.github/workflows/fix.yml': [
        'on: push',
        'jobs:',
        '  "fix|@team <b>":',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: claude -p "hi" --add-dir ../shared',
        '',
      ].join('\n'),
    };
    const out = renderPowersChange(await change({}, head), { secrets: [], linkBase: LINK });
    expect(out.split('\n').slice(6, 8)).toEqual([
      `| + | **widens** | grant | \`Read\` allowed (\`allowed-tools\`) | [\`.claude/commands/x](https:/evil.test) @team #1.md:2\`](${LINK}/.claude/commands/x%5D%28https%3A/evil.test%29%20%40team%20%231.md#L2) | read |`,
      `| + | **widens** | directory | \`../shared\` added as a working directory (\`--add-dir\`) | [\`.github/workflows/fix.yml:6\`](${LINK}/.github/workflows/fix.yml#L6) job \`fix\\|@team <b>\` | read |`,
    ]);
  });

  test('control characters, new lines and a leading :: in repository text stay on one visible line', async () => {
    const diff = await change({}, settings({ allow: ['::Bash(a\u001b[31m\nb)'] }));
    expect(renderPowersChange(diff, { secrets: [] }).split('\n')[6]).toBe(
      '| + | **widens** | grant | `\\x3A:Bash(a\\x1B[31m\\x0Ab)` allowed | `.claude/settings.json:4` | execute |',
    );
  });

  test('caps the rows and says how many more there are', async () => {
    const rules = Array.from({ length: 12 }, (_, i) => `Bash(task-${String(i).padStart(2, '0')}:*)`);
    const out = renderPowersChange(await change({}, settings({ allow: rules })), { secrets: [], maxRows: 3 });
    expect(out.split('\n').slice(2)).toEqual([
      '12 powers added, 0 removed: **12 changes widen** what Claude may do.',
      '',
      '| | Effect | Kind | What | Where | Risk |',
      '|---|---|---|---|---|---|',
      '| + | **widens** | grant | `Bash(task-00:*)` allowed | `.claude/settings.json:4` | execute |',
      '| + | **widens** | grant | `Bash(task-01:*)` allowed | `.claude/settings.json:5` | execute |',
      '| + | **widens** | grant | `Bash(task-02:*)` allowed | `.claude/settings.json:6` | execute |',
      '',
      '_9 more changes are not shown._',
      '',
    ]);
  });
});

describe('codeCell', () => {
  test.each([
    ['plain', '`plain`'],
    ['a|b', '`a\\|b`'],
    ['a\\|b', '`a\\\\\\|b`'],
    ['a\\\\|b', '`a\\\\\\|b`'],
    ['has `tick`', '`` has `tick` ``'],
    ['`lead', '`` `lead ``'],
    ['', '_(empty)_'],
  ])('%j → %j', (text, cell) => {
    expect(codeCell(text)).toBe(cell);
  });
});

describe('hooks in the model', () => {
  test('each hook with its event, matcher, type and what it runs, located', async () => {
    const text = `{
  "hooks": {
    "PreToolUse": [{ "matcher": "Bash", "hooks": [{ "type": "command", "command": "./check.sh" }] }],
    "Stop": [{ "hooks": [{ "type": "http", "url": "https://hooks.example/stop" }, { "type": "prompt", "prompt": "sum up" }] }]
  }
}
`;
    const { model } = await scan(memorySource({ '.claude/settings.json': text }), defaultPolicy());
    const hooks = model.settings[0]?.hooks ?? [];
    expect(
      hooks.map((h) => [
        h.event.value,
        h.matcher?.value,
        h.type,
        h.run.value,
        `${h.run.span.line}:${h.run.span.column}`,
      ]),
    ).toEqual([
      ['PreToolUse', 'Bash', 'command', './check.sh', '3:84'],
      ['Stop', undefined, 'http', 'https://hooks.example/stop', '4:52'],
      ['Stop', undefined, 'prompt', 'sum up', '4:114'],
    ]);
  });
});
