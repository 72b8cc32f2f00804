import { describe, expect, test } from '@jest/globals';
import { isUnscopedShell, parseToolRule, SHELL_TOOLS, splitToolList } from '../../src/model/tool-rule.js';

describe('parseToolRule: forms', () => {
  test('a bare tool name', () => {
    expect(parseToolRule('Bash')).toEqual({
      raw: 'Bash',
      tool: 'Bash',
      canonical: 'Bash',
      form: 'bare',
      risk: 'execute',
    });
  });

  test.each([
    ['Bash(*)', '*'],
    ['Bash(**)', '**'],
    ['Bash(:*)', ':*'],
    ['Bash(*:*)', '*:*'],
    ['Bash()', ''],
    ['Bash( * )', ' * '],
    ['Bash(   )', '   '],
  ])('%s matches every use: form any', (raw, specifier) => {
    const rule = parseToolRule(raw);
    expect(rule).toMatchObject({ tool: 'Bash', canonical: 'Bash', form: 'any', specifier });
    expect(rule.problem).toBeUndefined();
  });

  test.each([
    ['Bash(npm test:*)', 'npm test:*'],
    ['Bash(git diff:*)', 'git diff:*'],
    ['Bash(npm run test:* )', 'npm run test:* '],
  ])('%s is the legacy prefix form', (raw, specifier) => {
    expect(parseToolRule(raw)).toMatchObject({ tool: 'Bash', form: 'prefix', specifier, risk: 'execute' });
  });

  test.each([
    ['Bash(npm run *)', 'npm run *'],
    ['Bash(git * --dry-run)', 'git * --dry-run'],
    ['Bash(npm *:*)', 'npm *:*'],
    ['Read(./src/**)', './src/**'],
    ['Edit(*.ts)', '*.ts'],
  ])('%s is a glob', (raw, specifier) => {
    expect(parseToolRule(raw)).toMatchObject({ form: 'glob', specifier });
  });

  test.each([
    ['Bash(git status)', 'git status'],
    ['Bash(npm run lint)', 'npm run lint'],
    ['WebFetch(domain:example.com)', 'domain:example.com'],
    ['Read(./.env)', './.env'],
  ])('%s is exact', (raw, specifier) => {
    expect(parseToolRule(raw)).toMatchObject({ form: 'exact', specifier });
  });

  test('surrounding whitespace is trimmed for parsing but kept in raw', () => {
    expect(parseToolRule('  Bash(npm test:*)  ')).toEqual({
      raw: '  Bash(npm test:*)  ',
      tool: 'Bash',
      canonical: 'Bash',
      form: 'prefix',
      specifier: 'npm test:*',
      risk: 'execute',
    });
  });

  test('space between the name and the parenthesis', () => {
    expect(parseToolRule('Bash (ls)')).toMatchObject({ tool: 'Bash', form: 'exact', specifier: 'ls' });
  });
});

describe('parseToolRule: names and risks', () => {
  test.each([
    ['View', 'Read', 'read'],
    ['Task', 'Agent', 'read'],
    ['dispatch_agent', 'Agent', 'read'],
    ['GlobTool', 'Glob', 'read'],
    ['GrepTool', 'Grep', 'read'],
    ['LSTool', 'LS', 'read'],
    ['Replace', 'Write', 'write'],
    ['FileEditTool', 'Edit', 'write'],
    ['FileWriteTool', 'Write', 'write'],
    ['FileReadTool', 'Read', 'read'],
    ['BashTool', 'Bash', 'execute'],
  ])('legacy name %s is %s', (name, canonical, risk) => {
    const rule = parseToolRule(name);
    expect(rule).toMatchObject({ tool: name, canonical, risk, form: 'bare' });
  });

  test('a legacy name keeps its specifier', () => {
    expect(parseToolRule('View(./docs/**)')).toMatchObject({
      tool: 'View',
      canonical: 'Read',
      form: 'glob',
      specifier: './docs/**',
    });
  });

  test.each([
    ['Read', 'read'],
    ['Grep', 'read'],
    ['WebFetch', 'read'],
    ['Agent', 'read'],
    ['Edit', 'write'],
    ['Write', 'write'],
    ['MultiEdit', 'write'],
    ['NotebookEdit', 'write'],
    ['Bash', 'execute'],
    ['PowerShell', 'execute'],
    ['mcp__github__create_issue', 'execute'],
    ['mcp__github', 'execute'],
    ['SomeFutureTool', 'execute'],
  ])('%s has risk %s', (name, risk) => {
    expect(parseToolRule(name).risk).toBe(risk);
  });

  test('MCP names are kept as they are', () => {
    expect(parseToolRule('mcp__github__create_issue')).toEqual({
      raw: 'mcp__github__create_issue',
      tool: 'mcp__github__create_issue',
      canonical: 'mcp__github__create_issue',
      form: 'bare',
      risk: 'execute',
    });
  });
});

describe('parseToolRule: malformed rules', () => {
  test('an unclosed parenthesis is a problem; the specifier is what follows it', () => {
    expect(parseToolRule('Bash(npm test')).toMatchObject({
      tool: 'Bash',
      specifier: 'npm test',
      problem: 'the rule opens a parenthesis it never closes',
    });
  });

  test.each(['1Bash', 'Bash X', 'Ba$h', '(ls)'])('%s is not a tool name', (raw) => {
    const rule = parseToolRule(raw);
    expect(rule.problem).toMatch(/is not a tool name$/);
  });

  test('well-formed rules have no problem', () => {
    for (const raw of ['Bash', 'Bash(*)', 'mcp__a__b', 'Read(./x)', 'Bash(npm test:*)']) {
      expect(parseToolRule(raw).problem).toBeUndefined();
    }
  });
});

describe('isUnscopedShell', () => {
  test('the shell tools are Bash and PowerShell', () => {
    expect(SHELL_TOOLS).toEqual(['Bash', 'PowerShell']);
  });

  test.each([
    'Bash',
    'Bash(*)',
    'Bash(:*)',
    'Bash()',
    'Bash(**)',
    'Bash(*:*)',
    ' Bash ',
    'BashTool',
    'BashTool(*)',
    'PowerShell',
    'PowerShell(*)',
  ])('%s grants every command', (raw) => {
    expect(isUnscopedShell(parseToolRule(raw))).toBe(true);
  });

  test.each([
    'Bash(npm test:*)',
    'Bash(npm run *)',
    'Bash(git status)',
    'PowerShell(Get-ChildItem)',
    'Read',
    'Edit(*)',
    'mcp__shell__run',
    'bash',
    'WebFetch',
  ])('%s does not', (raw) => {
    expect(isUnscopedShell(parseToolRule(raw))).toBe(false);
  });
});

describe('splitToolList', () => {
  test('commas and whitespace separate, with offsets of each rule', () => {
    expect(splitToolList('Read,Bash(git diff:*),Edit')).toEqual([
      { value: 'Read', start: 0, end: 4 },
      { value: 'Bash(git diff:*)', start: 5, end: 21 },
      { value: 'Edit', start: 22, end: 26 },
    ]);
  });

  test('commas and spaces inside parentheses do not split', () => {
    expect(splitToolList('Read, Bash(git log --oneline, -n 5) Edit')).toEqual([
      { value: 'Read', start: 0, end: 4 },
      { value: 'Bash(git log --oneline, -n 5)', start: 6, end: 35 },
      { value: 'Edit', start: 36, end: 40 },
    ]);
  });

  test('nested parentheses stay in one rule', () => {
    expect(splitToolList('Bash(echo $(date, now)),Read').map((p) => p.value)).toEqual([
      'Bash(echo $(date, now))',
      'Read',
    ]);
  });

  test('runs of separators, tabs, newlines and CRLF', () => {
    expect(splitToolList('Read,,  Edit\tGlob\nGrep\r\nBash(npm test:*)')).toEqual([
      { value: 'Read', start: 0, end: 4 },
      { value: 'Edit', start: 8, end: 12 },
      { value: 'Glob', start: 13, end: 17 },
      { value: 'Grep', start: 18, end: 22 },
      { value: 'Bash(npm test:*)', start: 24, end: 40 },
    ]);
  });

  test('empty or separator-only text has no rules', () => {
    expect(splitToolList('')).toEqual([]);
    expect(splitToolList(' , \n\t,')).toEqual([]);
  });

  test('an unmatched closing parenthesis does not swallow what follows', () => {
    expect(splitToolList('Read) Bash').map((p) => p.value)).toEqual(['Read)', 'Bash']);
  });

  test('offsets point back into the text', () => {
    const text = '  Read ,\tBash(*) ';
    for (const part of splitToolList(text)) expect(text.slice(part.start, part.end)).toBe(part.value);
    expect(splitToolList(text).map((p) => p.value)).toEqual(['Read', 'Bash(*)']);
  });
});
