import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import type { Span } from '../src/model/span.js';
import type { Severity } from '../src/model/types.js';
import { defaultPolicy, type Policy } from '../src/policy/policy.js';
import { judge, type Verdict } from '../src/policy/verdict.js';
import { annotationLevel, escapeData, escapeProperty, renderGithub } from '../src/report/github.js';
import { renderJson } from '../src/report/json.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { renderText } from '../src/report/text.js';
import type { Rule, RuleFinding } from '../src/rules/types.js';
import { diskSource, memorySource, scan } from '../src/scan.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const PLACEHOLDERISH = /your|here|placeholder|redacted|replace|insert|changeme|dummy|xxxx|example|(.)\1{3,}/i;

/** A deterministic, random-looking string (xorshift32) that never looks like a placeholder. */
function randomish(length: number, seed: number, alphabet = ALNUM): string {
  for (let attempt = seed; ; attempt += 7919) {
    let x = Math.imul(attempt + 1, 2654435761) >>> 0 || 1;
    let out = '';
    while (out.length < length) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      out += alphabet[x % alphabet.length];
    }
    if (!PLACEHOLDERISH.test(out)) return out;
  }
}

/** A fake Anthropic key, assembled at test time. */
function fakeKey(seed: number): string {
  return 'sk-ant-' + 'api03-' + randomish(40, seed) + 'EXAMPLE' + randomish(44, seed + 1) + 'AA';
}

function fakeRule(id: string, severity: Severity, name = 'fake-rule'): Rule {
  return {
    meta: {
      id,
      name,
      severity,
      summary: 'A rule made up for this test only.',
      rationale: 'None.',
      fix: 'Fix it.',
      bad: [],
      good: [],
    },
    check: () => [],
  };
}

function at(path: string, line: number, column: number, endLine = line, endColumn = column + 4): Span {
  return { path, line, column, endLine, endColumn };
}

function finding(span: Span, message: string, evidence = message): RuleFinding {
  return { span, message, evidence };
}

function verdictOf(
  results: { rule: Rule; findings: RuleFinding[] }[],
  policy: Policy = defaultPolicy(),
): Verdict {
  return judge(results, policy, 1, { lineText: () => '' }, []);
}

/** One workflow command per line: level, properties and message. */
function parseCommands(out: string): { level: string; props: Record<string, string>; message: string }[] {
  expect(out.endsWith('\n')).toBe(true);
  return out
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const m = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
      if (!m) throw new Error(`not a workflow command: ${line}`);
      const props = Object.fromEntries(
        (m[2] as string).split(',').map((p) => p.split('=') as [string, string]),
      );
      return { level: m[1] as string, props, message: m[3] as string };
    });
}

function tempTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'claude-guard-report-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  return root;
}

/** A tree that makes every implemented rule fire, in several files. */
function sampleTree(blankLinesAbove = 0): Record<string, string> {
  const pad = '\n'.repeat(blankLinesAbove);
  return {
    '.claude/settings.json': `${pad}{\n  "permissions": {\n    "defaultMode": "bypassPermissions",\n    "allow": ["Read", "Bash"]\n  }\n}\n`,
    '.claude/settings.local.json': `${pad}{\n  "permissions": {\n    "defaultMode": "yolo"\n  }\n}\n`,
    '.github/workflows/fix.yml': [
      `${pad}on: workflow_dispatch`,
      'permissions: { contents: read }',
      'jobs:',
      '  fix:',
      '    runs-on: ubuntu-latest',
      '    timeout-minutes: 10',
      '    steps:',
      '      - run: |',
      '          claude -p "fix the failing tests" --dangerously-skip-permissions',
      '',
    ].join('\n'),
    'scripts/agent.sh': `${pad}CI=1 claude --permission-mode bypassPermissions --allowedTools Bash -p "$1"\n`,
    'deploy/.env': `${pad}MODEL=claude-sonnet-4-5\nANTHROPIC_API_KEY=${fakeKey(1)}\nOTHER=${fakeKey(3)}\nAGAIN=${fakeKey(1)}\n`,
    'README.md': `${pad}# Project\n`,
  };
}

describe('workflow command escaping', () => {
  test('escapeData escapes %, CR and LF, % first', () => {
    expect(escapeData('100% done')).toBe('100%25 done');
    expect(escapeData('a\r\nb\nc\rd')).toBe('a%0D%0Ab%0Ac%0Dd');
    expect(escapeData('%0A is not a newline')).toBe('%250A is not a newline');
    expect(escapeData('%%\n')).toBe('%25%25%0A');
  });

  test('escapeData leaves : and , alone', () => {
    expect(escapeData('a: b, c')).toBe('a: b, c');
  });

  test('escapeProperty escapes %, CR, LF, : and ,', () => {
    expect(escapeProperty('src/a:b,c.ts')).toBe('src/a%3Ab%2Cc.ts');
    expect(escapeProperty('50%:\r\n,')).toBe('50%25%3A%0D%0A%2C');
    expect(escapeProperty('%3A')).toBe('%253A');
    expect(escapeProperty('plain/path.json')).toBe('plain/path.json');
  });

  test('severities map to annotation levels', () => {
    expect(annotationLevel('critical')).toBe('error');
    expect(annotationLevel('high')).toBe('error');
    expect(annotationLevel('medium')).toBe('warning');
    expect(annotationLevel('low')).toBe('notice');
    expect(annotationLevel('info')).toBe('notice');
  });
});

describe('renderGithub', () => {
  const results = [
    { rule: fakeRule('CG901', 'low'), findings: [finding(at('z.json', 1, 1), 'low one')] },
    { rule: fakeRule('CG102', 'medium'), findings: [finding(at('a.json', 9, 3), 'medium one')] },
    {
      rule: fakeRule('CG201', 'critical'),
      findings: [finding(at('m.env', 4, 2, 8, 9), 'critical multi-line')],
    },
    { rule: fakeRule('CG101', 'high'), findings: [finding(at('b.sh', 2, 5), 'high one')] },
    { rule: fakeRule('CG999', 'info'), findings: [finding(at('c.md', 1, 1), 'info one')] },
  ];

  test('emits ::error for critical and high, ::warning for medium, ::notice for low, most severe first', () => {
    const commands = parseCommands(renderGithub(verdictOf(results)));
    expect(commands.map((c) => [c.level, c.props.file])).toEqual([
      ['error', 'm.env'],
      ['error', 'b.sh'],
      ['warning', 'a.json'],
      ['notice', 'z.json'],
      ['notice', 'c.md'],
    ]);
  });

  test('gives columns only when the span is on one line', () => {
    const commands = parseCommands(renderGithub(verdictOf(results)));
    const multi = commands.find((c) => c.props.file === 'm.env');
    expect(multi?.props).toEqual({
      file: 'm.env',
      line: '4',
      endLine: '8',
      title: 'CG201 fake-rule (critical)',
    });
    const single = commands.find((c) => c.props.file === 'b.sh');
    expect(single?.props).toEqual({
      file: 'b.sh',
      line: '2',
      endLine: '2',
      col: '5',
      endColumn: '9',
      title: 'CG101 fake-rule (high)',
    });
  });

  test('the exact command for a finding: message, then how to fix it', () => {
    const out = renderGithub(verdictOf([results[3] as (typeof results)[number]]));
    expect(out).toBe(
      '::error file=b.sh,line=2,endLine=2,col=5,endColumn=9,title=CG101 fake-rule (high)::high one%0AFix: Fix it.\n',
    );
  });

  test('escapes file names, titles and messages; one line per finding', () => {
    const v = verdictOf([
      {
        rule: fakeRule('CG102', 'high', 'odd:name,here'),
        findings: [finding(at('dir,1/a:b%.json', 3, 1), '100% bad\nsecond line, with: colon')],
      },
    ]);
    const out = renderGithub(v, { prefix: 'sub dir/' });
    expect(out.split('\n')).toHaveLength(2);
    expect(out).toBe(
      '::error file=sub dir/dir%2C1/a%3Ab%25.json,line=3,endLine=3,col=1,endColumn=5,' +
        // A newline of the file's making is shown, not obeyed; the one before "Fix:" is ours.
        'title=CG102 odd%3Aname%2Chere (high)::100%25 bad\\x0Asecond line, with: colon%0AFix: Fix it.\n',
    );
  });

  test('a real scan is rendered most severe first', async () => {
    const { verdict } = await scan(memorySource(sampleTree()), defaultPolicy());
    const severities = verdict.findings.map((f) => f.severity);
    expect(new Set(severities).size).toBeGreaterThan(1);
    const rank = ['critical', 'high', 'medium', 'low', 'info'];
    const ranks = severities.map((s) => rank.indexOf(s));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const levels = parseCommands(renderGithub(verdict)).map((c) => c.level);
    expect(levels).toEqual(severities.map((s) => annotationLevel(s)));
  });

  test('nothing is emitted when there are no findings', () => {
    expect(renderGithub(verdictOf([]))).toBe('');
  });
});

describe('JSON report', () => {
  const TOP_KEYS = ['schemaVersion', 'tool', 'policy', 'summary', 'findings', 'notices'];
  const FINDING_KEYS = [
    'ruleId',
    'ruleName',
    'severity',
    'message',
    'path',
    'line',
    'column',
    'endLine',
    'endColumn',
    'snippet',
    'fingerprint',
    'blocking',
    'new',
    'suppression',
    'related',
    'help',
    'docs',
  ];

  test('is byte-identical across two scans of the same tree on disk', async () => {
    const files: Record<string, string> = sampleTree();
    // More files than the reader runs at once, so reads finish in different orders.
    for (let i = 0; i < 80; i++) files[`pkg${i % 7}/file${i}.env`] = `K${i}=${fakeKey(100 + i)}\n`;
    files['pkg3/huge.txt'] = 'x'.repeat(1024 * 1024 + 1);
    const root = tempTree(files);
    try {
      const first = renderJson((await scan(await diskSource(root), defaultPolicy())).verdict);
      const second = renderJson((await scan(await diskSource(root), defaultPolicy())).verdict);
      expect(second).toBe(first);
      const parsed = JSON.parse(first) as Verdict;
      expect(parsed.findings.length).toBeGreaterThan(80);
      expect(parsed.notices).toHaveLength(1);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('the disk and in-memory scans of the same tree give the same report', async () => {
    const root = tempTree(sampleTree());
    try {
      const disk = renderJson((await scan(await diskSource(root), defaultPolicy())).verdict);
      const memory = renderJson((await scan(memorySource(sampleTree()), defaultPolicy())).verdict);
      expect(disk).toBe(memory);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('has exactly the contract keys, at the top and in every finding', async () => {
    const { verdict } = await scan(memorySource(sampleTree()), defaultPolicy());
    const json = renderJson(verdict);
    expect(json.endsWith('}\n')).toBe(true);
    const parsed = JSON.parse(json) as Record<string, unknown>;
    expect(Object.keys(parsed).sort()).toEqual([...TOP_KEYS].sort());
    expect(parsed.schemaVersion).toBe(1);
    expect(Object.keys(parsed.tool as object).sort()).toEqual(['name', 'version']);
    expect((parsed.tool as { name: string }).name).toBe('claude-guard');
    expect(Object.keys(parsed.summary as object).sort()).toEqual(
      ['blocking', 'bySeverity', 'conclusion', 'filesScanned', 'findings', 'suppressed'].sort(),
    );
    expect(Object.keys((parsed.summary as { bySeverity: object }).bySeverity).sort()).toEqual(
      ['critical', 'high', 'info', 'low', 'medium'].sort(),
    );
    const findings = parsed.findings as Record<string, unknown>[];
    expect(findings.length).toBeGreaterThan(3);
    expect(new Set(findings.map((f) => f.ruleId))).toEqual(
      new Set(['CG101', 'CG102', 'CG201', 'CG204', 'CG901']),
    );
    for (const f of findings) {
      expect(Object.keys(f).sort()).toEqual([...FINDING_KEYS].sort());
      expect(f.suppression).toBeNull();
      expect(f.new).toBe(true);
      expect(typeof f.fingerprint).toBe('string');
      expect(f.docs).toBe(`docs/rules/${f.ruleId as string}.md`);
      for (const r of f.related as Record<string, unknown>[])
        expect(Object.keys(r).sort()).toEqual(['line', 'message', 'path']);
    }
    expect((parsed.summary as { findings: number }).findings).toBe(findings.length);
  });

  test('fingerprints are unique and do not change when a finding moves to another line', async () => {
    const before = (await scan(memorySource(sampleTree(0)), defaultPolicy())).verdict.findings;
    const after = (await scan(memorySource(sampleTree(3)), defaultPolicy())).verdict.findings;
    expect(new Set(before.map((f) => f.fingerprint)).size).toBe(before.length);
    expect(after).toHaveLength(before.length);
    const moved = new Map(after.map((f) => [f.fingerprint, f]));
    for (const f of before) {
      const g = moved.get(f.fingerprint);
      expect(g).toBeDefined();
      // A file-level finding (CG204) stays at line 1.
      const shift = f.ruleId === 'CG204' ? 0 : 3;
      expect([g?.ruleId, g?.path, g?.line]).toEqual([f.ruleId, f.path, f.line + shift]);
    }
  });

  test('the same key twice in a file gets two distinct, stable fingerprints', async () => {
    const findings = (await scan(memorySource(sampleTree()), defaultPolicy())).verdict.findings.filter(
      (f) => f.ruleId === 'CG201' && f.path === 'deploy/.env',
    );
    expect(findings.map((f) => f.line)).toEqual([2, 3, 4]);
    const [first, , again] = findings;
    expect(again?.fingerprint).toBe(`${first?.fingerprint}:1`);
  });

  test('fingerprints differ between files and between keys', async () => {
    const { verdict } = await scan(
      memorySource({
        'a.env': `K=${fakeKey(7)}\n`,
        'b.env': `K=${fakeKey(7)}\n`,
        'c.env': `K=${fakeKey(9)}\n`,
      }),
      defaultPolicy(),
    );
    const prints = verdict.findings.map((f) => f.fingerprint);
    expect(prints).toHaveLength(3);
    expect(new Set(prints).size).toBe(3);
  });
});

describe('renderMarkdown', () => {
  async function manyFindings(n: number): Promise<Verdict> {
    const lines = Array.from({ length: n }, (_, i) => `KEY_${i}=${fakeKey(1000 + 2 * i)}`);
    // A hundred to a file: one rule lists at most MAX_PER_RULE_AND_FILE findings of a file.
    const files: Record<string, string> = {};
    for (let at = 0; at < n; at += 100)
      files[`config/many-${at / 100}.env`] = `${lines.slice(at, at + 100).join('\n')}\n`;
    return (await scan(memorySource(files), defaultPolicy())).verdict;
  }

  const rowsOf = (md: string): string[] =>
    md.split('\n').filter((l) => /^\| [^|]+ \| (critical|high|medium|low|info)\b/.test(l));

  test.each([2048, 4096, 10_000, 65_536])(
    'stays under maxBytes=%i and says how many findings were left out',
    async (maxBytes) => {
      const verdict = await manyFindings(600);
      expect(verdict.findings).toHaveLength(600);
      for (const options of [
        { maxBytes },
        { maxBytes, linkBase: 'https://github.com/o/r/blob/0123456789abcdef' },
      ]) {
        const md = renderMarkdown(verdict, options);
        expect(Buffer.byteLength(md)).toBeLessThanOrEqual(maxBytes);
        const shown = rowsOf(md).length;
        expect(shown).toBeGreaterThan(0);
        expect(shown).toBeLessThan(600);
        expect(md).toContain(
          `_${600 - shown} more findings are in the JSON report (\`--format json\`, or the action's \`report\` output)._`,
        );
      }
    },
  );

  test('shows every finding when they fit, with no left-out line', async () => {
    const verdict = await manyFindings(5);
    const md = renderMarkdown(verdict);
    expect(rowsOf(md)).toHaveLength(5);
    expect(md).not.toContain('more findings');
    expect(md).toContain('❌ **5 blocking**');
  });

  test('a clean scan says nothing blocks and has no table', async () => {
    const { verdict } = await scan(memorySource({ 'README.md': '# hi\n' }), defaultPolicy());
    const md = renderMarkdown(verdict);
    expect(md).toContain('✅ **nothing blocks**');
    expect(md).not.toContain('| Severity |');
  });

  test('pipes and newlines in a message do not break the table', () => {
    const v = verdictOf([
      { rule: fakeRule('CG102', 'high'), findings: [finding(at('a|b.json', 1, 1), 'x | y\nz `w`')] },
    ]);
    const rows = rowsOf(renderMarkdown(v));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('x \\| y\\\\x0Az');
    expect(rows[0]).toContain("'w'");
  });
});

describe('renderText', () => {
  test('colour only when asked', async () => {
    const { verdict } = await scan(memorySource(sampleTree()), defaultPolicy());
    expect(renderText(verdict, { colour: false })).not.toContain('\x1b[');
    expect(renderText(verdict, { colour: true })).toContain('\x1b[');
    // Same words either way.
    expect(renderText(verdict, { colour: true }).replace(/\x1b\[[0-9;]*m/g, '')).toBe(
      renderText(verdict, { colour: false }),
    );
  });
});
