import { describe, expect, test } from '@jest/globals';
import type { Located } from '../../src/model/span.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { memorySource, scan } from '../../src/scan.js';

const at = (l: Located<unknown> | undefined): string | undefined =>
  l && `${String(l.value)}@${l.span.line}:${l.span.column}-${l.span.endColumn}`;

describe('a settings file is kept whole: helpers, MCP approval keys, plugins and marketplaces', () => {
  test('each with where it is written, whether or not it names Claude', async () => {
    const settings = [
      '{',
      '  "apiKeyHelper": "./bin/key.sh",',
      '  "statusLine": { "type": "command", "command": "npx ccusage statusline" },',
      '  "enableAllProjectMcpServers": true,',
      '  "enabledMcpjsonServers": ["github"],',
      '  "disabledMcpjsonServers": ["db"],',
      '  "enabledPlugins": { "formatter@acme-tools": true, "old@acme-tools": false },',
      '  "extraKnownMarketplaces": {',
      '    "acme-tools": { "source": { "source": "github", "repo": "acme/claude-plugins" } }',
      '  }',
      '}',
      '',
    ].join('\n');
    const { model } = await scan(memorySource({ '.claude/settings.json': settings }), defaultPolicy());
    const [doc] = model.settings;
    expect(doc?.helpers.map((h) => [h.key, at(h.run)])).toEqual([
      ['apiKeyHelper', './bin/key.sh@2:20-32'],
      ['statusLine', 'npx ccusage statusline@3:50-72'],
    ]);
    expect(at(doc?.enableAllProjectMcpServers)).toBe('true@4:33-37');
    expect(doc?.enabledMcpjsonServers.map(at)).toEqual(['github@5:30-36']);
    expect(doc?.disabledMcpjsonServers.map(at)).toEqual(['db@6:31-33']);
    expect(doc?.plugins.map((p) => [at(p.name), p.enabled])).toEqual([
      ['formatter@acme-tools@7:24-44', true],
      ['old@acme-tools@7:54-68', false],
    ]);
    expect(doc?.marketplaces.map((m) => [at(m.name), at(m.source), at(m.location)])).toEqual([
      ['acme-tools@9:6-16', 'github@9:44-50', 'acme/claude-plugins@9:62-81'],
    ]);
  });
});
