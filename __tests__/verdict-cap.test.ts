import { describe, expect, test } from '@jest/globals';
import type { Notice } from '../src/policy/verdict.js';
import { defaultPolicy } from '../src/policy/policy.js';
import type { Rule, RuleFinding } from '../src/rules/types.js';
import { memorySource, scan } from '../src/scan.js';
import { MAX_GRANTS, MAX_HOOKS, MAX_SERVERS } from '../src/surfaces/cuts.js';
import { MAX_CLAUDE_CALLS } from '../src/surfaces/shell.js';
import { capFindings, MAX_FINDINGS, MAX_PER_RULE_AND_FILE } from '../src/verdict/cap.js';
import type { Severity } from '../src/model/types.js';

function rule(id: string, severity: Severity = 'high'): Rule {
  return {
    meta: {
      id,
      name: `rule-${id}`,
      severity,
      summary: 's',
      rationale: 'r',
      fix: 'f',
      examples: { bad: [], good: [] },
    } as unknown as Rule['meta'],
    check: () => [],
  };
}

function found(path: string, line: number, severity?: Severity): RuleFinding {
  const f: RuleFinding = {
    span: { path, line, column: 1, endLine: line, endColumn: 2 },
    message: 'm',
    evidence: `${path}:${line}`,
  };
  if (severity) f.severity = severity;
  return f;
}

const lines = (fs: RuleFinding[]): string[] => fs.map((f) => `${f.span.path}:${f.span.line}`);

describe('capFindings', () => {
  test('under both bounds the findings are left as they are, with no notice', () => {
    const notices: Notice[] = [];
    const results = [{ rule: rule('CG101'), findings: [found('a', 1), found('b', 2)] }];
    const out = capFindings(results, defaultPolicy(), notices);
    expect(out[0]?.findings).toBe(results[0]?.findings);
    expect(notices).toEqual([]);
  });

  test('one rule in one file keeps the most severe first, then in the order found; a notice counts the rest', () => {
    const many = Array.from({ length: MAX_PER_RULE_AND_FILE + 50 }, (_, i) => found('run.sh', i + 1));
    // Two critical ones late in the file are kept before the first high ones.
    many[230] = found('run.sh', 231, 'critical');
    many[240] = found('run.sh', 241, 'critical');
    const other = [found('other.sh', 1), found('other.sh', 2)];
    const notices: Notice[] = [];
    const [out] = capFindings(
      [{ rule: rule('CG101'), findings: [...many, ...other] }],
      defaultPolicy(),
      notices,
    );
    const kept = lines(out?.findings ?? []);
    expect(kept).toHaveLength(MAX_PER_RULE_AND_FILE + 2);
    expect(kept).toContain('run.sh:231');
    expect(kept).toContain('run.sh:241');
    expect(kept).toContain(`run.sh:${MAX_PER_RULE_AND_FILE - 2}`);
    expect(kept).not.toContain(`run.sh:${MAX_PER_RULE_AND_FILE - 1}`);
    // The other file is untouched, and the order is the rule's own.
    expect(kept.slice(-2)).toEqual(['other.sh:1', 'other.sh:2']);
    expect(kept.indexOf('run.sh:231')).toBeGreaterThan(kept.indexOf('run.sh:1'));
    expect(notices).toEqual([
      {
        path: 'run.sh',
        message: `50 more CG101 findings in this file are not listed (${MAX_PER_RULE_AND_FILE} are, the most severe first)`,
      },
    ]);
  });

  test('in all, the most severe are kept across rules, by the severity the policy gives a rule', () => {
    // Each rule alone is within the bound, both together over it.
    const files = Math.ceil((MAX_FINDINGS * 0.6) / 100);
    const spread = (prefix: string): RuleFinding[] =>
      Array.from({ length: files * 100 }, (_, i) => found(`${prefix}${Math.floor(i / 100)}`, (i % 100) + 1));
    const low = rule('CG504', 'medium');
    const high = rule('CG102', 'high');
    const notices: Notice[] = [];
    const policy = defaultPolicy();
    // The policy raises CG504 to critical: its findings now come first.
    policy.rules.CG504 = { ...policy.rules.CG504, severity: 'critical' } as (typeof policy.rules)[string];
    const out = capFindings(
      [
        { rule: high, findings: spread('h') },
        { rule: low, findings: spread('l') },
      ],
      policy,
      notices,
    );
    const total = (out[0]?.findings.length ?? 0) + (out[1]?.findings.length ?? 0);
    expect(total).toBe(MAX_FINDINGS);
    expect(out[1]?.findings).toHaveLength(files * 100);
    expect(out[0]?.findings).toHaveLength(MAX_FINDINGS - files * 100);
    expect(notices).toEqual([
      {
        path: '.',
        message: `${2 * files * 100 - MAX_FINDINGS} findings are not listed: a scan lists at most ${MAX_FINDINGS}, the most severe first`,
      },
    ]);
  });

  test('the same cause found many times (jobs inheriting one script) is counted once, as the verdict lists it', () => {
    const same = Array.from({ length: MAX_PER_RULE_AND_FILE + 100 }, () => found('.gitlab-ci.yml', 3));
    const notices: Notice[] = [];
    const [out] = capFindings(
      [{ rule: rule('CG101'), findings: [...same, found('.gitlab-ci.yml', 9)] }],
      defaultPolicy(),
      notices,
    );
    expect(lines(out?.findings ?? [])).toEqual(['.gitlab-ci.yml:3', '.gitlab-ci.yml:9']);
    expect(notices).toEqual([]);
  });

  test('a rule the policy turned off neither spends the bound nor is cut', () => {
    const policy = defaultPolicy();
    policy.rules.CG102 = { ...policy.rules.CG102, off: true } as (typeof policy.rules)[string];
    const flood = Array.from({ length: MAX_FINDINGS + 5 }, (_, i) => found(`f${i}`, 1));
    const notices: Notice[] = [];
    const out = capFindings(
      [
        { rule: rule('CG102'), findings: flood },
        { rule: rule('CG101'), findings: [found('a', 1)] },
      ],
      policy,
      notices,
    );
    expect(out[0]?.findings).toHaveLength(MAX_FINDINGS + 5);
    expect(out[1]?.findings).toHaveLength(1);
    expect(notices).toEqual([]);
  });
});

describe('a scan of a repository written to flood the report', () => {
  test('a script starting Claude more than the bound: the first are read and listed, notices say the rest', async () => {
    const script = [
      '#!/bin/sh',
      ...Array(MAX_CLAUDE_CALLS + 300).fill('claude -p go --dangerously-skip-permissions'),
    ];
    const { verdict, model } = await scan(
      memorySource({ 'run.sh': `${script.join('\n')}\n` }),
      defaultPolicy(),
    );
    expect(model.runs).toHaveLength(MAX_CLAUDE_CALLS);
    const bypass = verdict.findings.filter((f) => f.ruleId === 'CG101');
    expect(bypass).toHaveLength(MAX_PER_RULE_AND_FILE);
    expect(bypass.map((f) => `${f.line}:${f.column}`).slice(0, 2)).toEqual(['2:14', '3:14']);
    expect(bypass.at(-1)?.line).toBe(MAX_PER_RULE_AND_FILE + 1);
    expect(verdict.summary.conclusion).toBe('failure');
    expect(verdict.notices).toEqual([
      {
        path: 'run.sh',
        message: `Claude is started here more than ${MAX_CLAUDE_CALLS} times: the first ${MAX_CLAUDE_CALLS} are read`,
      },
      {
        path: 'run.sh',
        message: `${MAX_CLAUDE_CALLS - MAX_PER_RULE_AND_FILE} more CG101 findings in this file are not listed (${MAX_PER_RULE_AND_FILE} are, the most severe first)`,
      },
    ]);
  });

  test('a settings file with more hooks than the bound: the first are read, a notice says so', async () => {
    const hooks = Array.from({ length: MAX_HOOKS + 5 }, (_, i) => ({
      type: 'command',
      command: `echo ${i}`,
    }));
    const settings = JSON.stringify({ hooks: { SessionStart: [{ hooks }] } });
    const { model, verdict } = await scan(
      memorySource({ '.claude/settings.json': settings }),
      defaultPolicy(),
    );
    expect(model.settings[0]?.hooks).toHaveLength(MAX_HOOKS);
    expect(verdict.notices).toEqual([
      {
        path: '.claude/settings.json',
        message: `more than ${MAX_HOOKS} hooks: the first ${MAX_HOOKS} are read`,
      },
      // Each command hook on SessionStart is a CG604 finding: those read are listed up to the bound.
      {
        path: '.claude/settings.json',
        message: `${MAX_HOOKS - MAX_PER_RULE_AND_FILE} more CG604 findings in this file are not listed (${MAX_PER_RULE_AND_FILE} are, the most severe first)`,
      },
    ]);
  });

  test('permission lists, front matter tools and MCP servers past the bound: the first are read, each cut said', async () => {
    const many = MAX_GRANTS + 3;
    const settings = JSON.stringify({
      permissions: { allow: Array.from({ length: many }, (_, i) => `Read(d${i}/**)`) },
    });
    const servers = Object.fromEntries(
      Array.from({ length: MAX_SERVERS + 3 }, (_, i) => [`s${i}`, { command: 'node', args: [`s${i}.js`] }]),
    );
    const tools = Array.from({ length: many }, (_, i) => `Read(d${i}/**)`).join(', ');
    const { model, verdict } = await scan(
      memorySource({
        '.claude/settings.json': settings,
        '.mcp.json': JSON.stringify({ mcpServers: servers }),
        '.claude/commands/c.md': `---\nallowed-tools: ${tools}\n---\nhi\n`,
      }),
      defaultPolicy(),
    );
    expect(model.settings[0]?.allow).toHaveLength(MAX_GRANTS);
    expect(model.mcpServers).toHaveLength(MAX_SERVERS);
    expect(model.definitions[0]?.allowedTools).toHaveLength(MAX_GRANTS);
    expect(verdict.notices).toEqual([
      {
        path: '.claude/commands/c.md',
        message: `more than ${MAX_GRANTS} tools in one list: the first ${MAX_GRANTS} are read`,
      },
      {
        path: '.claude/settings.json',
        message: `more than ${MAX_GRANTS} permission rules in one list: the first ${MAX_GRANTS} are read`,
      },
      {
        path: '.mcp.json',
        message: `more than ${MAX_SERVERS} MCP servers in one mcpServers: the first ${MAX_SERVERS} are read`,
      },
    ]);
  });

  test('an MCP config named on a command line is bounded too, and says so', async () => {
    const servers = Object.fromEntries(
      Array.from({ length: MAX_SERVERS + 1 }, (_, i) => [`s${i}`, { command: 'node', args: [`s${i}.js`] }]),
    );
    const { model, verdict } = await scan(
      memorySource({
        'ci/mcp.json': JSON.stringify({ mcpServers: servers }),
        'run.sh': '#!/bin/sh\nclaude -p hi --mcp-config ci/mcp.json\n',
      }),
      defaultPolicy(),
    );
    expect(model.mcpServers.filter((s) => s.path === 'ci/mcp.json')).toHaveLength(MAX_SERVERS);
    expect(verdict.notices).toContainEqual({
      path: 'ci/mcp.json',
      message: `more than ${MAX_SERVERS} MCP servers in one mcpServers: the first ${MAX_SERVERS} are read`,
    });
  });
});
