import { describe, expect, test } from '@jest/globals';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

/** CI hygiene rules that every minimal CI fixture trips (no `permissions:`, no run limits); judged in their own tests. */
// Rules on how CI is set up (token, limits, pinning, checkout), asserted in their own tests.
const CI_HYGIENE = new Set(['CG502', 'CG503', 'CG504', 'CG509']);

async function findings(files: Record<string, string>): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return verdict.findings
    .filter((f) => !CI_HYGIENE.has(f.ruleId))
    .map((f) => `${f.ruleId} ${f.path}:${f.line}:${f.column}-${f.endColumn}`);
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

describe('settings files named by --settings or the settings: input', () => {
  test('are read as settings, relative to the repository or to the script', async () => {
    const files = {
      'ci/claude.json': '{ "permissions": { "defaultMode": "bypassPermissions" } }\n',
      'scripts/agent.json': '{ "permissions": { "allow": ["Bash"] } }\n',
      'scripts/agent.sh': '#!/bin/sh\nclaude -p go --settings agent.json\n',
      '.github/workflows/a.yml': [
        'on: push',
        'jobs:',
        '  a:',
        '    runs-on: x',
        '    steps:',
        '      - uses: anthropics/claude-code-action@v1',
        '        with:',
        '          settings: ./ci/claude.json',
        '',
      ].join('\n'),
    };
    expect(await findings(files)).toEqual([
      'CG101 ci/claude.json:1:36-53',
      'CG102 scripts/agent.json:1:31-35',
    ]);
  });

  test('a named file that is not in the repository, or a path from a variable, is left alone', async () => {
    expect(
      await findings({
        'a.sh': '#!/bin/sh\nclaude --settings "$CFG" && claude --settings /etc/claude.json\n',
      }),
    ).toEqual([]);
  });
});
