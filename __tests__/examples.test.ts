import { describe, expect, test } from '@jest/globals';
import { defaultPolicy } from '../src/policy/policy.js';
import { diskSource, scan } from '../src/scan.js';

const at = (f: { ruleId: string; path: string; line: number; column: number }): string =>
  `${f.ruleId} ${f.path}:${f.line}:${f.column}`;

describe('examples/insecure-repo', () => {
  test('trips every rule at its known line and column', async () => {
    const { verdict } = await scan(await diskSource('examples/insecure-repo'), defaultPolicy());
    expect(verdict.findings.map(at).sort()).toEqual(
      [
        'CG101 .claude/settings.json:3:21',
        'CG101 .github/workflows/claude.yml:17:13',
        'CG101 .github/workflows/claude.yml:29:31',
        'CG101 Dockerfile:7:24',
        'CG101 scripts/agent.sh:4:8',
        'CG102 .claude/settings.json:6:8',
        'CG102 .claude/settings.local.json:4:16',
        'CG102 .github/workflows/claude.yml:28:39',
        'CG102 package.json:5:52',
        'CG103 .claude/settings.json:10:8',
        'CG104 .claude/settings.json:9:8',
        'CG107 .claude/settings.json:8:8',
        'CG108 deploy/claude/managed-settings.json:1:1',
        'CG201 .mcp.json:13:90',
        'CG201 .mcp.json:9:38',
        'CG201 package.json:6:34',
        'CG202 .claude/settings.json:16:30',
        'CG202 .github/workflows/claude.yml:33:29',
        'CG203 .mcp.json:13:90',
        'CG203 .mcp.json:18:45',
        'CG204 .claude/settings.local.json:1:1',
        'CG301 .claude/settings.json:17:38',
        'CG301 .mcp.json:13:133',
        'CG302 .claude/settings.json:15:28',
        'CG302 .mcp.json:17:15',
        'CG303 .claude/settings.json:15:35',
        'CG303 .github/workflows/claude.yml:34:44',
        'CG401 .claude/settings.json:12:32',
        'CG401 .github/workflows/claude.yml:37:28',
        'CG401 scripts/agent.sh:7:51',
        'CG402 Dockerfile:4:27',
        'CG402 scripts/agent.sh:7:1',
        'CG501 .github/workflows/claude.yml:16:11',
        'CG501 .github/workflows/claude.yml:36:14',
        'CG502 .github/workflows/claude.yml:30:3',
        'CG503 .github/workflows/claude.yml:24:45',
        'CG503 .github/workflows/claude.yml:45:45',
        'CG504 .github/workflows/claude.yml:24:15',
        'CG504 .github/workflows/claude.yml:36:14',
        'CG505 .github/workflows/claude.yml:49:29',
        'CG507 .github/workflows/claude.yml:48:11',
        'CG508 .github/workflows/claude.yml:50:74',
        'CG509 .github/workflows/claude.yml:12:15',
        'CG510 .github/workflows/claude.yml:51:15',
        'CG601 .mcp.json:22:23',
        'CG602 .claude/settings.json:19:33',
        'CG604 .claude/settings.json:22:104',
        'CG901 .claude/settings.local.json:2:3',
        'CG901 .mcp.json:4:15',
      ].sort(),
    );
    expect(verdict.summary.conclusion).toBe('failure');
  });
});

describe('examples/secure-repo', () => {
  test('has no findings', async () => {
    const { verdict } = await scan(await diskSource('examples/secure-repo'), defaultPolicy());
    expect(verdict.findings).toEqual([]);
    expect(verdict.summary.filesScanned).toBeGreaterThan(4);
    expect(verdict.summary.conclusion).toBe('success');
  });
});
