import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { defaultPolicy } from '../src/policy/policy.js';
import type { Verdict } from '../src/policy/verdict.js';
import { diskSource, scan, type FileSource } from '../src/scan.js';
// @ts-expect-error: the generator is plain JavaScript shared with npm run bench.
import { generateRepo } from '../bench/generate.mjs';

/**
 * The speed work must not change results: the findings on a generated repository are those recorded before
 * it (__tests__/fixtures/bench-3000-findings.json), and reading only what git grep points at gives the
 * same findings as reading every file.
 */
const dir = mkdtempSync(join(tmpdir(), 'claude-guard-stability-'));
const rows = (v: Verdict): string[] =>
  v.findings.map((f) =>
    [f.ruleId, f.severity, f.path, f.line, f.column, f.endLine, f.endColumn, f.fingerprint].join(' '),
  );

beforeAll(() => {
  (generateRepo as (dir: string, files: number, seed: number) => unknown)(dir, 3000, 1);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('results on the generated 3000-file repository', () => {
  test('equal those recorded before the speed work', async () => {
    const expected = JSON.parse(readFileSync('__tests__/fixtures/bench-3000-findings.json', 'utf8'));
    const { verdict } = await scan(await diskSource(dir), defaultPolicy());
    expect(rows(verdict)).toEqual(expected.findings);
    expect(verdict.summary.filesScanned).toBe(expected.files);
  });

  test('reading only the files git grep points at equals reading them all', async () => {
    const source = await diskSource(dir);
    const everything: FileSource = { list: () => source.list(), read: (p) => source.read(p) };
    const fast = await scan(source, defaultPolicy());
    const full = await scan(everything, defaultPolicy());
    expect(rows(fast.verdict)).toEqual(rows(full.verdict));
    expect(fast.model.runs.length).toBe(full.model.runs.length);
  });
});
