import { describe, expect, test } from '@jest/globals';
import { parsePolicy } from '../src/policy/load.js';
import { defaultPolicy, type Policy } from '../src/policy/policy.js';
import type { Finding } from '../src/policy/verdict.js';
import { renderJson } from '../src/report/json.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { renderSarif } from '../src/report/sarif.js';
import { renderText } from '../src/report/text.js';
import { memorySource, scan, type ScanOptions } from '../src/scan.js';

const BYPASS = 'claude -p "review" --dangerously-skip-permissions';

async function scanned(
  files: Record<string, string>,
  policy: Policy = defaultPolicy(),
  options: ScanOptions = {},
): Promise<Finding[]> {
  const { verdict } = await scan(memorySource(files), policy, options);
  return verdict.findings;
}

/** `id line:column suppressed|blocking|-` for each finding, in the verdict's order. */
function brief(findings: readonly Finding[]): string[] {
  return findings.map(
    (f) =>
      `${f.ruleId} ${f.path}:${f.line}:${f.column} ${f.suppression ? `suppressed(${f.suppression.kind})` : f.blocking ? 'blocking' : '-'}`,
  );
}

describe('inline suppressions in every #-commented file type', () => {
  const cases: [string, string, string][] = [
    [
      'a workflow (YAML)',
      '.github/workflows/review.yml',
      [
        'on: workflow_dispatch',
        'permissions: { contents: read }',
        'jobs:',
        '  review:',
        '    runs-on: ubuntu-latest',
        '    timeout-minutes: 10',
        '    container: node:20',
        '    steps:',
        '      # claude-guard: ignore[CG101] reason="sandbox job in a throwaway container"',
        `      - run: ${BYPASS} --max-turns 3`,
        '',
      ].join('\n'),
    ],
    [
      'a shell script',
      'scripts/review.sh',
      `#!/bin/sh\n# claude-guard: ignore[CG101] reason="lab VM"\n${BYPASS}\n`,
    ],
    [
      'a Dockerfile',
      'Dockerfile',
      `FROM node:20\nRUN npm i -g @anthropic-ai/claude-code@1.0.100\n# claude-guard: ignore[CG402] reason="image needs root"\nUSER root\nCMD ["claude", "-p", "review"]\n`,
    ],
    ['a Makefile', 'Makefile', `review:\n\t${BYPASS} # claude-guard: ignore[CG101] reason="lab VM"\n`],
    ['a justfile', 'justfile', `review:\n    # claude-guard: ignore[CG101] reason="lab VM"\n    ${BYPASS}\n`],
    [
      'a TOML file',
      'config/agent.toml',
      '[slack]\n# claude-guard: ignore[CG201] reason="revoked test token"\nwebhook = "https://hooks.slack.com/services/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"\n',
    ],
    [
      'a .env file',
      '.env.example',
      'SLACK_WEBHOOK=https://hooks.slack.com/services/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 # claude-guard: ignore[CG201] reason="revoked"\n',
    ],
  ];
  test.each(cases)(
    '%s: the finding is suppressed, stays in the report and does not block',
    async (_what, path, text) => {
      const findings = await scanned({ [path]: text });
      const covered = findings.filter((f) => f.suppression !== null);
      expect(covered.length).toBeGreaterThan(0);
      for (const f of covered) {
        expect(f.blocking).toBe(false);
        expect(f.suppression?.kind).toBe('inline');
      }
      expect(findings.filter((f) => ['CG902', 'CG903', 'CG904'].includes(f.ruleId))).toEqual([]);
    },
  );

  test('the line above covers the next line only; a trailing comment covers its own line', async () => {
    const findings = await scanned({
      'scripts/a.sh': [
        '#!/bin/sh',
        '# claude-guard: ignore[CG101] reason="lab"',
        BYPASS,
        BYPASS,
        `${BYPASS}  # claude-guard: ignore[CG101] reason="lab"`,
        '',
      ].join('\n'),
    });
    expect(brief(findings)).toEqual([
      'CG101 scripts/a.sh:3:20 suppressed(inline)',
      'CG101 scripts/a.sh:4:20 blocking',
      'CG101 scripts/a.sh:5:20 suppressed(inline)',
    ]);
  });

  test('a comment in a JSON file is not honoured: JSON files take policy exceptions', async () => {
    const settings = '{\n  "permissions": { "defaultMode": "bypassPermissions" }\n}\n';
    const findings = await scanned({ '.claude/settings.json': settings });
    expect(brief(findings)).toEqual(['CG101 .claude/settings.json:2:36 blocking']);
    const excepted = await scanned(
      { '.claude/settings.json': settings },
      parsePolicy(
        'version: 1\nexceptions:\n  - { rule: CG101, paths: [.claude/settings.json], reason: "devcontainer only", owner: "@acme/dx", expires: 2999-12-31 }\n',
        '.github/claude-guard.yml',
      ),
    );
    expect(brief(excepted)).toEqual(['CG101 .claude/settings.json:2:36 suppressed(exception)']);
    expect(excepted[0]?.suppression).toEqual({
      kind: 'exception',
      reason: 'devcontainer only',
      owner: '@acme/dx',
      expires: '2999-12-31',
    });
  });
});

describe('what is wrong with a suppression is reported', () => {
  test('no reason (CG904): it does not apply', async () => {
    const findings = await scanned({
      'scripts/a.sh': `#!/bin/sh\n${BYPASS}  # claude-guard: ignore[CG101]\n`,
    });
    expect(brief(findings)).toEqual(['CG101 scripts/a.sh:2:20 blocking', 'CG904 scripts/a.sh:2:52 -']);
    expect(findings[1]?.message).toBe('this suppression does not apply: it needs a reason (reason="…")');
  });

  test('an owner and an expiry when the policy requires them; a date that is not one', async () => {
    const policy = parsePolicy(
      'version: 1\nsuppressions: { require-owner: true, require-expiry: true }\n',
      '.github/claude-guard.yml',
    );
    const findings = await scanned(
      {
        'scripts/a.sh': [
          '#!/bin/sh',
          `${BYPASS}  # claude-guard: ignore[CG101] reason="lab"`,
          `${BYPASS}  # claude-guard: ignore[CG101] reason="lab" owner="@acme/dx" until=2027-02-30`,
          `${BYPASS}  # claude-guard: ignore[CG101] reason="lab" owner="@acme/dx" until=2999-01-01`,
          '',
        ].join('\n'),
      },
      policy,
    );
    expect(findings.filter((f) => f.ruleId === 'CG904').map((f) => `${f.line} ${f.message}`)).toEqual([
      '2 this suppression does not apply: it needs an owner (owner="…"), an expiry (until=YYYY-MM-DD)',
      '3 this suppression does not apply: it needs a real date in until= (not "2027-02-30")',
    ]);
    expect(brief(findings.filter((f) => f.ruleId === 'CG101'))).toEqual([
      'CG101 scripts/a.sh:2:20 blocking',
      'CG101 scripts/a.sh:3:20 blocking',
      'CG101 scripts/a.sh:4:20 suppressed(inline)',
    ]);
  });

  test('unused (CG903): nothing of that rule on the line, or a rule id that does not exist', async () => {
    const findings = await scanned({
      'scripts/a.sh': [
        '#!/bin/sh',
        '# claude-guard: ignore[CG102] reason="old"',
        BYPASS,
        '# claude-guard: ignore[CG999, CG101] reason="typo"',
        BYPASS,
        '',
      ].join('\n'),
    });
    expect(
      findings.filter((f) => f.ruleId === 'CG903').map((f) => `${f.line}:${f.column} ${f.message}`),
    ).toEqual([
      '2:1 no CG102 finding on line 3: this suppresses nothing',
      '4:1 CG999 is not a claude-guard rule: this suppresses nothing',
    ]);
    expect(brief(findings.filter((f) => f.ruleId === 'CG101'))).toEqual([
      'CG101 scripts/a.sh:3:20 blocking',
      'CG101 scripts/a.sh:5:20 suppressed(inline)',
    ]);
  });

  test('a rule locked by the policy cannot be suppressed inline, and inline suppressions can be turned off', async () => {
    const locked = parsePolicy('version: 1\nrules: { CG101: { locked: true } }\n', 'org.yml');
    const findings = await scanned(
      { 'scripts/a.sh': `#!/bin/sh\n# claude-guard: ignore[CG101] reason="lab"\n${BYPASS}\n` },
      locked,
    );
    expect(brief(findings)).toEqual(['CG101 scripts/a.sh:3:20 blocking', 'CG903 scripts/a.sh:2:1 -']);
    expect(findings[1]?.message).toBe('CG101 is locked by org.yml:2:27: it cannot be suppressed here');
    const off = parsePolicy('version: 1\nsuppressions: { allowed: false }\n', 'p.yml');
    const none = await scanned(
      { 'scripts/a.sh': `#!/bin/sh\n# claude-guard: ignore[CG101] reason="lab"\n${BYPASS}\n` },
      off,
    );
    expect(brief(none)).toEqual(['CG101 scripts/a.sh:3:20 blocking', 'CG903 scripts/a.sh:2:1 -']);
  });
});

describe('expiry, judged by the clock given to the scan', () => {
  const files = {
    '.github/workflows/sandbox.yml': [
      'on: workflow_dispatch',
      'permissions: { contents: read }',
      'jobs:',
      '  run:',
      '    runs-on: ubuntu-latest',
      '    timeout-minutes: 10',
      '    steps:',
      `      - run: ${BYPASS} --max-turns 3`,
      '        env: { ANTHROPIC_API_KEY: "${{ secrets.ANTHROPIC_API_KEY }}" }',
      '      # claude-guard: ignore[CG101] reason="lab" until=2027-03-31',
      `      - run: ${BYPASS} --max-turns 3`,
      '',
    ].join('\n'),
  };
  const policy = parsePolicy(
    [
      'version: 1',
      'exceptions:',
      '  - rule: CG101',
      '    paths: [".github/workflows/sandbox.yml"]',
      '    reason: "throwaway VM"',
      '    owner: "@acme/platform"',
      '    expires: 2027-03-31',
      '',
    ].join('\n'),
    '.github/claude-guard.yml',
  );
  const on = (day: string): ScanOptions => ({ clock: () => new Date(`${day}T12:00:00Z`) });

  test('an exception and a suppression expiring today still suppress', async () => {
    const findings = await scanned(files, policy, on('2027-03-31'));
    expect(brief(findings.filter((f) => ['CG101', 'CG902'].includes(f.ruleId)))).toEqual([
      'CG101 .github/workflows/sandbox.yml:8:33 suppressed(exception)',
      'CG101 .github/workflows/sandbox.yml:11:33 suppressed(inline)',
    ]);
  });

  test('the day after, both findings block again, each with a CG902 saying which lapsed', async () => {
    const findings = await scanned(files, policy, on('2027-04-01'));
    expect(brief(findings.filter((f) => ['CG101', 'CG902'].includes(f.ruleId)))).toEqual([
      'CG101 .github/workflows/sandbox.yml:8:33 blocking',
      'CG101 .github/workflows/sandbox.yml:11:33 blocking',
      'CG902 .github/workflows/sandbox.yml:8:33 blocking',
      'CG902 .github/workflows/sandbox.yml:10:7 blocking',
      'CG902 .github/workflows/sandbox.yml:11:33 blocking',
    ]);
    const cg902 = findings.filter((f) => f.ruleId === 'CG902').map((f) => f.message);
    expect(cg902).toEqual([
      'the policy exception for CG101 here (.github/claude-guard.yml:3:5, owner @acme/platform: "throwaway VM") expired on 2027-03-31: it no longer suppresses',
      'this suppression of CG101 expired on 2027-03-31: it no longer suppresses',
      'the policy exception for CG101 here (.github/claude-guard.yml:3:5, owner @acme/platform: "throwaway VM") expired on 2027-03-31: it no longer suppresses',
    ]);
  });
});

describe('suppressed findings in every report', () => {
  test('JSON, SARIF, text and Markdown show them as suppressed and count them', async () => {
    const { verdict } = await scan(
      memorySource({
        'scripts/a.sh': `#!/bin/sh\n# claude-guard: ignore[CG101] reason="lab VM" until=2999-01-01\n${BYPASS}\n`,
      }),
      defaultPolicy(),
    );
    expect(verdict.summary).toMatchObject({ findings: 1, suppressed: 1, blocking: 0, conclusion: 'success' });
    const json = JSON.parse(renderJson(verdict));
    expect(json.findings[0].suppression).toEqual({ kind: 'inline', reason: 'lab VM', expires: '2999-01-01' });
    const sarif = JSON.parse(renderSarif(verdict));
    expect(sarif.runs[0].results[0].suppressions).toEqual([
      {
        kind: 'inSource',
        status: 'accepted',
        justification: 'lab VM (until 2999-01-01)',
        properties: { expires: '2999-01-01' },
      },
    ]);
    const text = renderText(verdict);
    expect(text).toContain('3:20    critical CG101 dangerous-mode (suppressed, inline)\n');
    expect(text).toContain('          suppressed: lab VM (until 2999-01-01)\n');
    expect(text).toMatch(/1 finding \(1 critical\), 1 suppressed in 1 file; nothing blocks/);
    expect(renderMarkdown(verdict)).toContain('critical (suppressed)');
  });
});
