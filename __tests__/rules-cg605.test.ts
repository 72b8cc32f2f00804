import { describe, expect, test } from '@jest/globals';
import { parsePolicy } from '../src/policy/load.js';
import { defaultPolicy, type Policy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

const policyOf = (...lines: string[]): Policy =>
  parsePolicy(['version: 1', ...lines, ''].join('\n'), '.github/claude-guard.yml');

const ACME = policyOf('plugins:', '  allowed-sources: [acme/claude-plugins]');

async function cg605(files: Record<string, string>, policy: Policy = ACME): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), policy);
  return verdict.findings
    .filter((f) => f.ruleId === 'CG605')
    .map(
      (f) =>
        `${f.severity} ${f.path}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.message}` +
        f.related.map((r) => ` [${r.path}:${r.line} ${r.message}]`).join(''),
    );
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const KEY = 'policy plugins.allowed-sources';

const SETTINGS = json({
  extraKnownMarketplaces: {
    acme: { source: { source: 'github', repo: 'acme/claude-plugins' } },
    'acme-git': { source: { source: 'git', url: 'git@github.com:ACME/claude-plugins.git' } },
    helpers: { source: { source: 'git', url: 'https://deploy:t0ps3cret@git.example.net/tools/plugins.git' } },
    local: { source: { source: 'directory', path: './tools/marketplace' } },
    outside: { source: { source: 'directory', path: '../shared/marketplace' } },
  },
  enabledPlugins: {
    'formatter@acme': true,
    'lint@acme-git': true,
    'shell-tools@helpers': true,
    'off@helpers': false,
    'deploy@local': true,
    'review@claude-plugins-official': true,
    'thing@nowhere': true,
  },
});

describe('CG605 untrusted-plugin-source: settings', () => {
  test('marketplaces and enabled plugins outside the list, at their names, without credentials', async () => {
    const found = await cg605({ '.claude/settings.json': SETTINGS });
    expect(found).toEqual([
      `medium .claude/settings.json:15:6-15:13 Marketplace "helpers" in .claude/settings.json comes from git https://git.example.net/tools/plugins.git, outside ${KEY}`,
      `medium .claude/settings.json:27:6-27:13 Marketplace "outside" in .claude/settings.json comes from directory ../shared/marketplace, outside ${KEY}`,
      `medium .claude/settings.json:37:6-37:25 Plugin "shell-tools@helpers" in .claude/settings.json comes from marketplace "helpers", whose source git https://git.example.net/tools/plugins.git it does not list: ${KEY} [.claude/settings.json:15 marketplace "helpers" is declared here]`,
      `medium .claude/settings.json:40:6-40:36 Plugin "review@claude-plugins-official" in .claude/settings.json comes from marketplace "claude-plugins-official", Anthropic's marketplace, which it does not list: ${KEY}`,
      `medium .claude/settings.json:41:6-41:19 Plugin "thing@nowhere" in .claude/settings.json comes from marketplace "nowhere", which it does not list by name, and which no settings here declare: ${KEY}`,
    ]);
    expect(found.join('\n')).not.toContain('t0ps3cret');
  });

  test('allowed by name, by git URL, by wildcard, and the official marketplace by name or by its repository', async () => {
    const files = { '.claude/settings.json': SETTINGS };
    expect(
      await cg605(
        files,
        policyOf(
          'plugins:',
          '  allowed-sources:',
          '    - https://github.com/acme/claude-plugins.git',
          '    - "git.example.net/tools/*"',
          '    - outside',
          '    - nowhere',
          '    - claude-plugins-official',
        ),
      ),
    ).toEqual([]);
    expect(
      await cg605(
        files,
        policyOf(
          'plugins:',
          '  allowed-sources: ["acme/*", helpers, outside, "now*", anthropics/claude-plugins-official]',
        ),
      ),
    ).toEqual([]);
  });

  test('silent under the built-in policy', async () => {
    expect(await cg605({ '.claude/settings.json': SETTINGS }, defaultPolicy())).toEqual([]);
  });

  test('a marketplace declared in one settings file judges the plugins another enables', async () => {
    expect(
      await cg605({
        '.claude/settings.json': json({
          extraKnownMarketplaces: { team: { source: { source: 'github', repo: 'someone/plugins' } } },
        }),
        'tools/.claude/settings.json': json({ enabledPlugins: { 'x@team': true } }),
      }),
    ).toEqual([
      `medium .claude/settings.json:3:6-3:10 Marketplace "team" in .claude/settings.json comes from github someone/plugins, outside ${KEY}`,
      `medium tools/.claude/settings.json:3:6-3:12 Plugin "x@team" in tools/.claude/settings.json comes from marketplace "team", whose source github someone/plugins it does not list: ${KEY} [.claude/settings.json:3 marketplace "team" is declared here]`,
    ]);
  });
});

describe('CG605 untrusted-plugin-source: action inputs', () => {
  const workflow = (...inputs: string[]): string =>
    [
      'on: workflow_dispatch',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: anthropics/claude-code-action@v1',
      '        with:',
      ...inputs,
      '',
    ].join('\n');

  test('plugin_marketplaces outside the list (a block of them: at the block); plugins from them are judged there', async () => {
    expect(
      await cg605({
        '.github/workflows/a.yml': workflow(
          '          plugin_marketplaces: |',
          '            https://github.com/acme/claude-plugins.git',
          '            https://github.com/someone/plugins.git',
          '          plugins: |',
          '            formatter@acme',
          '            shell@someone',
        ),
      }),
    ).toEqual([
      `medium .github/workflows/a.yml:9:13-11:1 Marketplace https://github.com/someone/plugins.git added by the claude-code-action step is outside ${KEY}`,
    ]);
  });

  test('plugins without plugin_marketplaces come from the official marketplace or settings', async () => {
    expect(
      await cg605({
        '.github/workflows/a.yml': workflow('          plugins: "code-review@claude-plugins-official"'),
      }),
    ).toEqual([
      `medium .github/workflows/a.yml:8:21-8:56 Plugin "code-review@claude-plugins-official" in the claude-code-action step comes from marketplace "claude-plugins-official", Anthropic's marketplace, which it does not list: ${KEY}`,
    ]);
  });

  test('silent: allowed marketplaces and the built-in policy', async () => {
    const files = {
      '.github/workflows/a.yml': workflow(
        '          plugin_marketplaces: https://github.com/acme/claude-plugins.git',
        '          plugins: formatter@acme',
      ),
    };
    expect(await cg605(files)).toEqual([]);
    expect(
      await cg605(
        {
          '.github/workflows/a.yml': workflow(
            '          plugin_marketplaces: https://github.com/someone/plugins.git',
          ),
        },
        defaultPolicy(),
      ),
    ).toEqual([]);
  });
});

describe('CG605 untrusted-plugin-source: hostile settings', () => {
  test('long names and sources are quoted short, and read in linear time', async () => {
    const start = Date.now();
    const found = await cg605({
      '.claude/settings.json': json({
        extraKnownMarketplaces: {
          ['m'.repeat(5000)]: { source: { source: 'git', url: `https://${'/'.repeat(50_000)}x` } },
          slashes: { source: { source: 'url', url: `https://h.example/${'/'.repeat(50_000)}` } },
        },
        enabledPlugins: { [`${'p'.repeat(5000)}@${'q'.repeat(5000)}`]: true },
      }),
    });
    expect(Date.now() - start).toBeLessThan(3000);
    expect(found).toHaveLength(3);
    for (const f of found) expect(f.length).toBeLessThan(500);
  });
});
