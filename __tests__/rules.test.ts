import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { parsePolicy } from '../src/policy/load.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { renderRuleDoc } from '../src/rules/docs.js';
import { RULES } from '../src/rules/registry.js';
import type { RuleExample } from '../src/rules/types.js';
import { memorySource, scan } from '../src/scan.js';

/** An example scanned as a repository of its files, under its policy. */
async function findingsOf(id: string, ex: RuleExample): Promise<number[]> {
  const files = Object.fromEntries([
    [ex.path, ex.content],
    ...(ex.with ?? []).map((f) => [f.path, f.content]),
  ]);
  const policy = ex.policy ? parsePolicy(ex.policy, '.github/claude-guard.yml') : defaultPolicy();
  const { verdict } = await scan(memorySource(files), policy);
  return verdict.findings.filter((f) => f.ruleId === id && f.path === ex.path).map((f) => f.line);
}

/** The examples in each rule's docs page are its test cases: every bad one fires where it says, no good one fires. */
describe.each(RULES.map((r) => [r.meta.id, r] as const))('%s', (id, rule) => {
  test.each(rule.meta.bad.map((ex) => [ex.path, ex] as const))(
    'fires on the documented example %s',
    async (_path, ex) => {
      expect(await findingsOf(id, ex)).toEqual(ex.lines);
    },
  );

  test.each(rule.meta.good.map((ex) => [ex.path, ex] as const))(
    'stays silent on the documented example %s',
    async (_path, ex) => {
      expect(await findingsOf(id, ex)).toEqual([]);
    },
  );

  test('its docs page is what the metadata generates', () => {
    expect(readFileSync(`docs/rules/${id}.md`, 'utf8')).toBe(renderRuleDoc(rule.meta));
  });

  test('has complete metadata', () => {
    expect(rule.meta.id).toMatch(/^CG\d{3}$/);
    expect(rule.meta.name).toMatch(/^[a-z-]+$/);
    expect(rule.meta.summary.length).toBeGreaterThan(20);
    expect(rule.meta.rationale.length).toBeGreaterThan(100);
    expect(rule.meta.bad.length).toBeGreaterThan(0);
    expect(rule.meta.good.length).toBeGreaterThan(0);
  });
});
