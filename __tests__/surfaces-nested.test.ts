import { describe, expect, test } from '@jest/globals';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

async function cg101(path: string, text: string): Promise<string[]> {
  const { verdict } = await scan(memorySource({ [path]: text }), {
    ...defaultPolicy(),
    dangerousModeAllowIn: [],
  });
  return verdict.findings.filter((f) => f.ruleId === 'CG101').map((f) => `${f.line}:${f.column}`);
}

describe('scripts inside scripts', () => {
  test('a here-doc written to a script file is read as shell', async () => {
    const text = [
      '#!/bin/bash',
      'install() {',
      '  local target="$HOME/.shell-functions.sh"',
      '  cat > "$target" << \'EOF\'',
      'run() {',
      '    claude --dangerously-skip-permissions "$@"',
      '}',
      'EOF',
      '}',
      '',
    ].join('\n');
    expect(await cg101('install.sh', text)).toEqual(['6:12']);
  });

  test('a here-doc fed to a shell is read as shell', async () => {
    expect(
      await cg101('a.sh', 'ssh_run() {\n  bash -s <<EOF\nclaude --dangerously-skip-permissions\nEOF\n}\n'),
    ).toEqual(['3:8']);
  });

  test('a here-doc printed or written to a text file is data', async () => {
    expect(await cg101('a.sh', 'cat <<EOF\nclaude --dangerously-skip-permissions\nEOF\n')).toEqual([]);
    expect(await cg101('a.sh', 'cat > notes.md <<EOF\nclaude --dangerously-skip-permissions\nEOF\n')).toEqual(
      [],
    );
  });

  test('bash -c and sudo sh -c strings are read as shell, at their own positions', async () => {
    expect(await cg101('a.sh', `bash -c 'cd /w && claude --dangerously-skip-permissions'\n`)).toEqual([
      '1:26',
    ]);
    expect(
      await cg101('a.sh', `sudo -u dev sh -c "claude -p \\"hi\\" --dangerously-skip-permissions"\n`),
    ).toEqual(['1:37']);
    expect(await cg101('a.sh', `bash -c 'echo claude --dangerously-skip-permissions'\n`)).toEqual([]);
  });
});
