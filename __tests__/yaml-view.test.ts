import { describe, expect, test } from '@jest/globals';
import { isAlias, isScalar, parseDocument, visit } from 'yaml';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';
import { MAX_YAML_WORK, YamlView } from '../src/syntax/yaml-nodes.js';

describe('YamlView aliases', () => {
  test('each alias points where the yaml package resolves it: the last anchor of its name before it', () => {
    const text = [
      'a: &x first',
      'b: *x',
      'c: &x second',
      'd: *x',
      'e: [&y {k: 1}, *y, *x]',
      'f: *nowhere',
      '',
    ].join('\n');
    const doc = parseDocument(text, { uniqueKeys: false });
    const view = new YamlView(doc);
    const ours: unknown[] = [];
    const theirs: unknown[] = [];
    visit(doc, {
      Alias: (_k, alias) => {
        ours.push(view.deref(alias));
        theirs.push(alias.resolve(doc));
      },
    });
    expect(ours).toHaveLength(5);
    expect(ours).toEqual(theirs);
    const scalars = ours.map((n) => (isScalar(n) ? n.value : n === undefined ? 'none' : 'map'));
    expect(scalars).toEqual(['first', 'second', 'map', 'second', 'none']);
    expect(ours.some(isAlias)).toBe(false);
  });

  test('a file whose aliases stand for millions of entries is read up to a bound, and a notice says so', async () => {
    const steps = Array.from({ length: 50 }, () => '    - run: claude -p hi --dangerously-skip-permissions');
    const jobs = Array.from({ length: 20_000 }, (_, i) => `  j${i}:\n    runs-on: x\n    steps: *steps`);
    const text = [
      'on: push',
      'x-steps: &steps',
      ...steps,
      'jobs:',
      '  first:',
      '    runs-on: x',
      '    steps: *steps',
      ...jobs,
      '',
    ].join('\n');
    const started = performance.now();
    const { verdict } = await scan(memorySource({ '.github/workflows/w.yml': text }), defaultPolicy());
    // The reading stops, and what was read before the bound is still judged.
    expect(verdict.findings.some((f) => f.ruleId === 'CG101' && f.line === 3)).toBe(true);
    expect(verdict.notices).toContainEqual({
      path: '.github/workflows/w.yml',
      message: `its YAML (aliases included) holds more than ${MAX_YAML_WORK} entries: the rest is not read`,
    });
    // A guard against the alias walk of old (one walk of the document per alias), not a measurement.
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
