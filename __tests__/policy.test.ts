import { describe, expect, test } from '@jest/globals';
import { defaultPolicy } from '../src/policy/policy.js';
import { parsePolicy, PolicyError } from '../src/policy/load.js';
import { memorySource, scan } from '../src/scan.js';

function policyError(text: string): PolicyError {
  try {
    parsePolicy(text, '.github/claude-guard.yml');
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw error;
  }
  throw new Error('the policy was accepted');
}

describe('policy file', () => {
  test('a full valid policy applies over the defaults', () => {
    const policy = parsePolicy(
      [
        'version: 1',
        'fail-on: medium',
        'block: all',
        'ignore: ["vendor/**"]',
        'rules:',
        '  CG102: off',
        '  CG901: { severity: high }',
        'dangerous-mode:',
        '  allow-in: []',
        'network:',
        '  allowed-endpoints: [https://gw.corp.example, "*.services.ai.azure.com"]',
        '  allowed-proxies: [proxy.corp.example]',
        '',
      ].join('\n'),
      'p.yml',
    );
    expect(policy).toMatchObject({
      sources: ['p.yml'],
      failOn: 'medium',
      block: 'all',
      ignore: ['vendor/**'],
      rules: { CG102: { off: true }, CG901: { off: false, severity: 'high' } },
      dangerousModeAllowIn: [],
      allowedEndpoints: ['https://gw.corp.example', '*.services.ai.azure.com'],
      allowedProxies: ['proxy.corp.example'],
    });
  });

  test('an endpoint that is not a URL or host is placed on the entry', () => {
    const e = policyError('version: 1\nnetwork:\n  allowed-endpoints:\n    - "https://"\n');
    expect(e.message).toMatch(/^\.github\/claude-guard\.yml:4:7: .*is not a URL or a host name/);
  });

  test('an unknown top-level key names the file, line, column and key', () => {
    const e = policyError('version: 1\nfail-on: high\nfail_on: low\n');
    expect(e.message).toBe('.github/claude-guard.yml:3:1: unknown key "fail_on"');
  });

  test('an unknown nested key is placed on that key', () => {
    const e = policyError('version: 1\ndangerous-mode:\n  allow-in: [container]\n  allow_in: []\n');
    expect(e.message).toBe('.github/claude-guard.yml:4:3: unknown key "allow_in" in dangerous-mode');
  });

  test('a wrong type names the key path and its position', () => {
    const e = policyError('version: 1\nfail-on: 3\n');
    expect(e.file).toBe('.github/claude-guard.yml');
    expect([e.line, e.column]).toEqual([2, 10]);
    expect(e.detail).toMatch(/^fail-on: /);
  });

  test('a wrong value deep in a list points at the value', () => {
    const e = policyError('version: 1\ndangerous-mode:\n  allow-in: [container, laptop]\n');
    expect([e.line, e.column]).toEqual([3, 25]);
    expect(e.detail).toMatch(/^dangerous-mode\.allow-in\[1\]: /);
  });

  test('a rule id outside the catalogue is refused at its key', () => {
    const e = policyError('version: 1\nrules:\n  CG999: off\n');
    expect([e.line, e.column]).toEqual([3, 3]);
    expect(e.detail).toMatch(/CG999|rule id/);
  });

  test('a missing version is refused', () => {
    expect(policyError('fail-on: high\n').detail).toMatch(/version/);
  });

  test('invalid YAML is refused with its position', () => {
    const e = policyError('version: 1\nrules: [\n');
    expect(e.line).toBeGreaterThan(1);
    expect(e.detail).toMatch(/^invalid YAML/);
  });

  test('an empty file is refused', () => {
    expect(policyError('').detail).toMatch(/empty/);
  });
});

describe('policy applied to findings', () => {
  const repo = {
    '.claude/settings.json': '{ "permissions": { "allow": ["Bash"] } }\n',
    '.github/workflows/a.yml':
      'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n    timeout-minutes: 10\n    container: node:20\n    steps:\n      - run: claude --dangerously-skip-permissions\n',
    'vendor/.claude/settings.json': '{ "permissions": { "allow": ["Bash"] } }\n',
  };

  test('defaults: unscoped shell blocks; bypass mode inside a job container is low and does not block', async () => {
    const { verdict } = await scan(memorySource(repo), defaultPolicy());
    const summary = verdict.findings.map((f) => `${f.ruleId}:${f.severity}:${f.blocking}:${f.path}`);
    expect(summary).toEqual([
      'CG102:high:true:.claude/settings.json',
      'CG102:high:true:vendor/.claude/settings.json',
      'CG101:low:false:.github/workflows/a.yml',
    ]);
  });

  test('dangerous-mode.allow-in: [] keeps bypass mode critical everywhere', async () => {
    const policy = parsePolicy('version: 1\ndangerous-mode: { allow-in: [] }\n', 'p.yml');
    const { verdict } = await scan(memorySource(repo), policy);
    expect(verdict.findings.find((f) => f.ruleId === 'CG101')?.severity).toBe('critical');
  });

  test('rules off, severity overrides, ignore globs and fail-on', async () => {
    const policy = parsePolicy(
      'version: 1\nfail-on: critical\nignore: ["vendor/**"]\nrules:\n  CG101: off\n  CG102: { severity: medium }\n',
      'p.yml',
    );
    const { verdict } = await scan(memorySource(repo), policy);
    expect(verdict.findings.map((f) => `${f.ruleId}:${f.severity}:${f.blocking}:${f.path}`)).toEqual([
      'CG102:medium:false:.claude/settings.json',
    ]);
    expect(verdict.summary.conclusion).toBe('success');
    expect(verdict.policy).toEqual({ sources: ['p.yml'], failOn: 'critical', block: 'new' });
  });

  test('fail-on never blocks nothing', async () => {
    const { verdict } = await scan(memorySource(repo), { ...defaultPolicy(), failOn: 'never' });
    expect(verdict.summary.blocking).toBe(0);
    expect(verdict.findings.length).toBe(3);
  });
});

describe('a policy from the scanned folder cannot reach outside it', () => {
  test('__proto__, constructor and prototype keys are refused where they are written', () => {
    expect(() => parsePolicy('version: 1\nrules:\n  __proto__: off\n', 'p.yml')).toThrow(
      'p.yml:3:3: unknown key "__proto__"',
    );
    expect(() => parsePolicy('version: 1\nconstructor: {}\n', 'p.yml')).toThrow(
      'p.yml:2:1: unknown key "constructor"',
    );
  });

  test('a symlink leaving the folder is refused without being read; a link inside is followed', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, realpathSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadPolicy } = await import('../src/policy/load.js');
    const base = realpathSync(mkdtempSync(join(tmpdir(), 'cg-policy-link-')));
    const root = join(base, 'repo');
    mkdirSync(join(root, '.github'), { recursive: true });
    writeFileSync(join(base, 'outside.yml'), 'version: 1\nCANARY-outside: 1\n');
    symlinkSync(join(base, 'outside.yml'), join(root, '.github/claude-guard.yml'));
    const file = join(root, '.github/claude-guard.yml');
    await expect(loadPolicy(file, '.github/claude-guard.yml', false, root)).rejects.toThrow(
      '.github/claude-guard.yml:1:1: the policy is a symlink that leads outside the folder: it is not read',
    );
    // The user naming the file on the command line is another matter: it is read.
    await expect(loadPolicy(file, 'x.yml', true)).rejects.toThrow('unknown key "CANARY-outside"');
    writeFileSync(join(root, 'real.yml'), 'version: 1\nfail-on: low\n');
    const inside = join(root, '.github/inside.yml');
    symlinkSync(join(root, 'real.yml'), inside);
    expect((await loadPolicy(inside, 'i.yml', true, root)).failOn).toBe('low');
    await expect(loadPolicy(join(base, 'outside.yml'), 'o.yml', true, root)).rejects.toThrow(
      'o.yml:1:1: the policy must be a file inside the workspace',
    );
  });
});

describe('the README documents the policy as it is', () => {
  test('every default allowed endpoint is listed', async () => {
    const { readFileSync } = await import('node:fs');
    const { DEFAULT_ALLOWED_ENDPOINTS } = await import('../src/model/endpoints.js');
    const readme = readFileSync('README.md', 'utf8');
    for (const endpoint of DEFAULT_ALLOWED_ENDPOINTS) expect(readme).toContain(`\`${endpoint}\``);
  });
});
