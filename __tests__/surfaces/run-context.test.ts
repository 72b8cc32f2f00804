import { describe, expect, test } from '@jest/globals';
import { defaultPolicy } from '../../src/policy/policy.js';
import { memorySource, scan } from '../../src/scan.js';

/** What a run records of how it is started: the program as written, its wrappers, its environment. */
describe('a Claude run records its program, wrappers and environment', () => {
  test('a script: env prefixes with their origins, wrappers outermost first', async () => {
    const script = [
      '#!/bin/sh',
      'sudo ANTHROPIC_BASE_URL=https://proxy.internal timeout 60 env MAX=3 KEY="$TOKEN" ./node_modules/.bin/claude -p go',
      '',
    ].join('\n');
    const { model } = await scan(memorySource({ 'run.sh': script }), defaultPolicy());
    const [run] = model.runs;
    expect(run?.program?.value).toBe('./node_modules/.bin/claude');
    expect(run?.program?.span).toMatchObject({ line: 2, column: 82 });
    expect(run?.wrappers.map((w) => w.value)).toEqual(['sudo', 'timeout', 'env']);
    expect(
      run?.env.map((e) => [e.name, e.value.value, e.origin, `${e.value.span.line}:${e.value.span.column}`]),
    ).toEqual([
      ['ANTHROPIC_BASE_URL', 'https://proxy.internal', 'literal', '2:25'],
      ['MAX', '3', 'literal', '2:67'],
      ['KEY', '$TOKEN', 'variable', '2:74'],
    ]);
  });

  test('a workflow run: a secret and an expression told apart from a literal', async () => {
    const wf = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: ANTHROPIC_API_KEY=${{ secrets.KEY }} MODEL=${{ inputs.model }} DEBUG=1 claude -p hi',
      '',
    ].join('\n');
    const { model } = await scan(memorySource({ '.github/workflows/a.yml': wf }), defaultPolicy());
    expect(model.runs[0]?.env.map((e) => [e.name, e.origin])).toEqual([
      ['ANTHROPIC_API_KEY', 'secret'],
      ['MODEL', 'expression'],
      ['DEBUG', 'literal'],
    ]);
    expect(model.runs[0]?.wrappers).toEqual([]);
  });

  test('an action step records no command-line environment', async () => {
    const wf = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: anthropics/claude-code-action@v1',
      '',
    ].join('\n');
    const { model } = await scan(memorySource({ '.github/workflows/a.yml': wf }), defaultPolicy());
    expect(model.runs[0]).toMatchObject({ kind: 'action', wrappers: [], env: [] });
    expect(model.runs[0]?.program).toBeUndefined();
  });
});
