import { describe, expect, test } from '@jest/globals';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

async function cg108(files: Record<string, string>): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return verdict.findings
    .filter((f) => f.ruleId === 'CG108')
    .map((f) => `${f.severity} ${f.path}:${f.line}:${f.column}-${f.endColumn} ${f.message}`);
}

describe('CG108 bypass-not-disabled', () => {
  test('missing: one finding per managed folder, at line 1 of managed-settings.json', async () => {
    expect(
      await cg108({
        'it/managed-settings.json': '{"permissions": {"deny": ["Bash(curl:*)"]}}\n',
        'it/managed-settings.d/10-mcp.json': '{"permissions": {"allow": ["Read"]}}\n',
      }),
    ).toEqual([
      'low it/managed-settings.json:1:1-1 the managed settings in it do not set permissions.disableBypassPermissionsMode to "disable": users may still skip every permission check',
    ]);
  });

  test('a value other than "disable" is pointed at', async () => {
    expect(
      await cg108({
        'managed-settings.json': '{"permissions": {"disableBypassPermissionsMode": "enable"}}\n',
      }),
    ).toEqual([
      'low managed-settings.json:1:51-57 permissions.disableBypassPermissionsMode is "enable" in managed-settings.json: only "disable" turns bypass mode off',
    ]);
  });

  test('silent when any file of the folder disables it, and on project or local settings', async () => {
    expect(
      await cg108({
        'it/managed-settings.json': '{"permissions": {"deny": ["Bash(curl:*)"]}}\n',
        'it/managed-settings.d/00-base.json':
          '{"permissions": {"disableBypassPermissionsMode": "disable"}}\n',
        '.claude/settings.json': '{"permissions": {"allow": ["Read"]}}\n',
      }),
    ).toEqual([]);
  });
});
