import { describe, expect, test } from '@jest/globals';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

async function findings(files: Record<string, string>): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return verdict.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}:${f.column}-${f.endColumn}`);
}

describe('--settings given as JSON on the command line', () => {
  test('its defaultMode and allow rules are read at their positions', async () => {
    const script = `#!/bin/sh\nclaude -p go --settings '{"permissions":{"defaultMode":"bypassPermissions","allow":["Bash"]}}'\n`;
    expect(await findings({ 'run.sh': script })).toEqual(['CG101 run.sh:2:57-74', 'CG102 run.sh:2:86-90']);
  });

  test('invalid JSON there is reported; a settings file path is not JSON', async () => {
    expect(await findings({ 'run.sh': `#!/bin/sh\nclaude --settings '{"permissions": {'\n` })).toEqual([
      'CG901 run.sh:2:36-37',
    ]);
    expect(await findings({ 'run.sh': '#!/bin/sh\nclaude --settings ci/settings.json\n' })).toEqual([]);
  });
});
