import { describe, expect, test } from '@jest/globals';
import {
  isUnanchoredToolGlob,
  isUnscopedWrite,
  parseToolRule,
  unconsultedPathRule,
} from '../src/model/tool-rule.js';
import { modeIgnoredInScope, modeMisspelled } from '../src/model/permission-mode.js';
import { defaultPolicy, ruleContext } from '../src/policy/policy.js';
import { invalidConfig } from '../src/rules/CG901-invalid-config.js';
import { memorySource, scan } from '../src/scan.js';
import { yamlProblem } from '../src/surfaces/front-matter.js';
import { SourceFile } from '../src/syntax/source.js';
import { parseDocument, YAMLParseError } from 'yaml';

/** CG901 findings as `severity path:line:column-endColumn`. */
async function cg901(files: Record<string, string>): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return verdict.findings
    .filter((f) => f.ruleId === 'CG901')
    .map((f) => `${f.severity} ${f.path}:${f.line}:${f.column}-${f.endColumn}`);
}

/** CG901 findings with their messages. */
async function messages(files: Record<string, string>): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return verdict.findings
    .filter((f) => f.ruleId === 'CG901')
    .map((f) => `${f.path}:${f.line}:${f.column} ${f.message}`);
}

/** What the rule itself returns (evidence and edit included) for a scanned tree. */
async function raw(files: Record<string, string>) {
  const { model } = await scan(memorySource(files), defaultPolicy());
  return invalidConfig.check(model, ruleContext(defaultPolicy()));
}

const settings = (permissions: string): string => `{\n  "permissions": ${permissions}\n}\n`;

describe('model helpers', () => {
  test.each([
    ['Write(src/**)', 'Edit'],
    ['Write(./x)', 'Edit'],
    ['MultiEdit(src/*.ts)', 'Edit'],
    ['NotebookEdit(nb/**)', 'Edit'],
    ['Replace(src/**)', 'Edit'],
    ['Glob(docs/**)', 'Read'],
    ['Glob(**/*)', 'Read'],
    ['Write(**)', 'Edit'],
    ['Write', undefined],
    ['Write(*)', undefined],
    ['Write( * )', undefined],
    ['Write()', undefined],
    ['Edit(src/**)', undefined],
    ['Edit(//abs/**)', undefined],
    ['Read(./.env)', undefined],
    ['Grep(src/**)', undefined],
    ['Bash(npm test:*)', undefined],
    ['Write(src/**', undefined],
  ])('unconsultedPathRule(%s) = %s', (rule, tool) => {
    expect(unconsultedPathRule(parseToolRule(rule))).toBe(tool);
  });

  test.each([
    ['*', true],
    ['mcp__*', true],
    ['B*', true],
    ['Bash*', true],
    ['mcp__*__query', true],
    ['mcp__git*__status', true],
    ['*(x)', true],
    ['mcp__github__*', false],
    ['mcp__github__get_*', false],
    ['mcp__my-db__*', false],
    ['mcp__github', false],
    ['Bash(*)', false],
    ['Read(*.env)', false],
    ['Bash(git * main)', false],
    ['Edit(**/x)', false],
  ])('isUnanchoredToolGlob(%s) = %s', (rule, unanchored) => {
    expect(isUnanchoredToolGlob(parseToolRule(rule))).toBe(unanchored);
  });

  test('CG107 leaves path rules Claude never consults to CG901: they grant nothing', () => {
    expect(isUnscopedWrite(parseToolRule('Write(./**)'))).toBe(false);
    expect(isUnscopedWrite(parseToolRule('Write(src/**)'))).toBe(false);
    expect(isUnscopedWrite(parseToolRule('Edit(./**)'))).toBe(true);
  });

  test.each([
    ['AcceptEdits', 'acceptEdits'],
    ['bypasspermissions', 'bypassPermissions'],
    ['PLAN', 'plan'],
    [' plan', 'plan'],
    ['DontAsk', 'dontAsk'],
    ['acceptEdits', undefined],
    ['yolo', undefined],
    ['accept-edits', undefined],
  ])('modeMisspelled(%s) = %s', (value, mode) => {
    expect(modeMisspelled(value)).toBe(mode);
  });

  test('auto is ignored in project and local files only', () => {
    expect(modeIgnoredInScope('auto', 'project')).toBe(true);
    expect(modeIgnoredInScope('auto', 'local')).toBe(true);
    expect(modeIgnoredInScope('auto', 'managed')).toBe(false);
    expect(modeIgnoredInScope('auto', 'inline')).toBe(false);
    expect(modeIgnoredInScope('auto', 'file')).toBe(false);
    expect(modeIgnoredInScope('plan', 'project')).toBe(false);
  });
});

describe('files that do not parse', () => {
  test('a // comment in settings.json is at the comment, with a fix for comments', async () => {
    const text = '{\n  // keep secrets out\n  "permissions": { "deny": ["Read(./.env)"] }\n}\n';
    expect(await cg901({ '.claude/settings.json': text })).toEqual(['medium .claude/settings.json:2:3-22']);
    expect((await messages({ '.claude/settings.json': text }))[0]).toBe(
      '.claude/settings.json:2:3 Claude settings: invalid JSON: comments are not allowed in strict JSON. ' +
        'Claude Code rejects the whole file and none of its settings apply. Delete the comment: Claude Code ' +
        'reads this file as strict JSON, not JSONC (a `.jsonc` name is not read either), so keep notes in a ' +
        'README beside it.',
    );
  });

  test('a /* block */ comment in settings.local.json and a comment in .mcp.json', async () => {
    expect(
      await cg901({
        '.claude/settings.local.json': '{ /* mine */ "permissions": {} }\n',
        '.mcp.json': '{\n  "mcpServers": {} // none yet\n}\n',
      }),
    ).toEqual(['medium .claude/settings.local.json:1:3-13', 'medium .mcp.json:2:20-31']);
  });

  test('JSONC is allowed in devcontainer.json: silent there', async () => {
    const devcontainer = [
      '{',
      '  // the image Claude runs in',
      '  "image": "node:20",',
      '  "postCreateCommand": "npm i -g @anthropic-ai/claude-code@1.0.100",',
      '}',
      '',
    ].join('\n');
    expect(await cg901({ '.devcontainer/devcontainer.json': devcontainer })).toEqual([]);
  });

  test('a trailing comma is at the comma, in a list and in an object', async () => {
    expect(
      await cg901({
        '.claude/settings.json': settings('{ "allow": ["Read",] }'),
        '.claude/settings.local.json': '{\n  "permissions": {},\n}\n',
      }),
    ).toEqual(['medium .claude/settings.json:2:36-37', 'medium .claude/settings.local.json:2:20-21']);
  });

  test('a BOM is dropped before reading: silent on valid JSON, columns of line 1 count without it', async () => {
    expect(await cg901({ '.claude/settings.json': `\uFEFF${settings('{ "allow": ["Read"] }')}` })).toEqual(
      [],
    );
    expect(await cg901({ '.claude/settings.json': '\uFEFF{ // x\n}\n' })).toEqual([
      'medium .claude/settings.json:1:3-7',
    ]);
  });

  test('an empty or blank file is at 1:1 and says what to write', async () => {
    expect(await cg901({ '.claude/settings.json': '', '.mcp.json': ' \n\n' })).toEqual([
      'medium .claude/settings.json:1:1-1',
      'medium .mcp.json:1:1-1',
    ]);
    expect((await messages({ '.claude/settings.json': '' }))[0]).toContain(
      'Write `{}` if the file should set nothing, or delete the file.',
    );
  });

  test('a top level that is not an object, a duplicate key, a list that is not a list', async () => {
    const found = await messages({
      '.claude/settings.json': '[]\n',
      '.claude/settings.local.json': settings('{ "allow": "Bash", "deny": [], "deny": ["Read(./.env)"] }'),
    });
    expect(found).toEqual([
      '.claude/settings.json:1:1 Claude settings: the top level must be a JSON object. Claude Code rejects the ' +
        'whole file and none of its settings apply. Put the settings in one object: `{ "permissions": { … } }`.',
      '.claude/settings.local.json:2:29 Claude settings: permissions.allow must be an array of strings. Claude ' +
        'Code skips the entries it cannot read. Write it as a JSON array of strings, e.g. `["Read", "Edit(src/**)"]`.',
      '.claude/settings.local.json:2:49 Claude settings: duplicate key "deny": the last one is used and the ' +
        'earlier ones are ignored. A reader of the file may believe a value that does not apply. Keep one of ' +
        'the keys, the one holding the value that should apply.',
    ]);
  });

  test('a malformed permission rule and a workflow that is not YAML', async () => {
    const found = await messages({
      '.claude/settings.json': settings('{ "deny": ["Bash(rm -rf"] }'),
      '.github/workflows/a.yml':
        'on: push\njobs:\n  a:\n    steps:\n      - run: claude -p "x\n     bad: [\n',
    });
    expect(found[1]).toMatch(/^\.github\/workflows\/a\.yml:\d+:\d+ workflow: invalid YAML: /);
    expect(found[1]).toMatch(
      /Fix the YAML at this position; until the file parses, nothing in it is checked\.$/,
    );
    expect(found[0]).toBe(
      '.claude/settings.json:2:30 Claude settings: permission rule "Bash(rm -rf": the rule opens a parenthesis ' +
        'it never closes. Claude Code skips this rule. Write the rule as `Tool` or `Tool(specifier)`, e.g. ' +
        '`Bash(npm test:*)` or `Edit(src/**)`.',
    );
  });

  test('the evidence of a problem is what it was before the fixes were added', async () => {
    const [f] = await raw({ '.claude/settings.json': '{ // x\n}\n' });
    expect(f?.evidence).toBe('Claude settings:invalid JSON: comments are not allowed in strict JSON');
  });
});

describe('defaultMode', () => {
  test('an unknown mode is at its value', async () => {
    expect(await cg901({ '.claude/settings.json': settings('{ "defaultMode": "yolo" }') })).toEqual([
      'medium .claude/settings.json:2:36-40',
    ]);
  });

  test('case variants are unknown to Claude; the fix names the spelling, with a suggestion', async () => {
    const files = {
      '.claude/settings.json': settings('{ "defaultMode": "AcceptEdits" }'),
      '.claude/settings.local.json': settings('{ "defaultMode": "plan " }'),
    };
    expect(await cg901(files)).toEqual([
      'medium .claude/settings.json:2:36-47',
      'medium .claude/settings.local.json:2:36-41',
    ]);
    const found = await raw(files);
    expect(found.map((f) => [f.message, f.edit])).toEqual([
      [
        'Claude settings: "AcceptEdits" is not a permission mode (expected one of default, acceptEdits, plan, ' +
          'auto, dontAsk, bypassPermissions, manual). Claude Code ignores the setting and starts in the default ' +
          'mode. Modes are case-sensitive: write "acceptEdits".',
        { expect: 'AcceptEdits', replacement: 'acceptEdits' },
      ],
      [
        expect.stringContaining('Modes are case-sensitive: write "plan".'),
        { expect: 'plan ', replacement: 'plan' },
      ],
    ]);
    // The evidence (and so the fingerprint) is the one the settings reader gave before.
    expect(found[0]?.evidence).toBe(
      'Claude settings:"AcceptEdits" is not a permission mode (expected one of default, acceptEdits, plan, auto, ' +
        'dontAsk, bypassPermissions, manual)',
    );
  });

  test('a misspelt bypassPermissions gets no suggestion that would turn bypass mode on', async () => {
    const [f] = await raw({ '.claude/settings.json': settings('{ "defaultMode": "BYPASSPERMISSIONS" }') });
    expect(f?.edit).toBeUndefined();
    expect(f?.message).toContain('prefer "acceptEdits", or "dontAsk" for unattended runs');
  });

  test('every mode Claude knows is silent, in any settings file', async () => {
    const modes = ['default', 'acceptEdits', 'plan', 'dontAsk', 'bypassPermissions', 'manual'];
    const files = Object.fromEntries(
      modes.map((m, i) => [`p${i}/.claude/settings.json`, settings(`{ "defaultMode": "${m}" }`)]),
    );
    expect(await cg901(files)).toEqual([]);
  });

  test('"auto" is low in project and local files, silent where Claude takes it', async () => {
    const auto = settings('{ "defaultMode": "auto" }');
    expect(
      await cg901({
        '.claude/settings.json': auto,
        '.claude/settings.local.json': auto,
        'deploy/managed-settings.json': auto,
        // A user settings file baked into a dev container image: there "auto" applies.
        '.devcontainer/images/.claude/settings.json': auto,
      }),
    ).toEqual(['low .claude/settings.json:2:36-40', 'low .claude/settings.local.json:2:36-40']);
  });

  test('a mode that is not a string is at the value', async () => {
    expect(await cg901({ '.claude/settings.json': settings('{ "defaultMode": 1 }') })).toEqual([
      'medium .claude/settings.json:2:35-36',
    ]);
  });

  test('in --settings JSON on a command line, at the characters of the script', async () => {
    const script = `#!/bin/sh\nclaude -p go --settings '{"permissions":{"defaultMode":"Plan"}}'\n`;
    expect(await cg901({ 'run.sh': script })).toEqual(['medium run.sh:2:57-61']);
    const [f] = await raw({ 'run.sh': script });
    expect(f?.evidence).toMatch(/^--settings JSON:"Plan" is not a permission mode/);
  });

  test('in the settings input of claude-code-action', async () => {
    const wf = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: anthropics/claude-code-action@v1',
      '        with:',
      '          settings: \'{"permissions": {"defaultMode": "Yolo"}}\'',
      '',
    ].join('\n');
    expect(await cg901({ '.github/workflows/a.yml': wf })).toEqual([
      'medium .github/workflows/a.yml:8:55-59',
    ]);
    const [f] = await raw({ '.github/workflows/a.yml': wf });
    expect(f?.evidence).toMatch(/^settings input:"Yolo" is not a permission mode/);
  });
});

describe('MCP servers', () => {
  const mcp = (servers: string): string => `{\n  "mcpServers": {\n${servers}\n  }\n}\n`;

  test('a url without type is at the url; the evidence is the one the reader gave before', async () => {
    const files = { '.mcp.json': mcp('    "docs": { "url": "https://mcp.example.com/mcp" }') };
    expect(await cg901(files)).toEqual(['medium .mcp.json:3:23-50']);
    const [f] = await raw(files);
    expect(f?.evidence).toBe('MCP config:server "docs" has a url but no "type" ("http", "sse" or "ws")');
    expect(f?.message).toContain('Add "type": "http" beside the url');
  });

  test('a url and a command without type: the command runs, the url is never used', async () => {
    const files = {
      '.mcp.json': mcp(
        '    "both": { "command": "npx", "args": ["srv@1.0.0"], "url": "https://x.example/mcp" }',
      ),
    };
    expect(await cg901(files)).toEqual(['medium .mcp.json:3:64-85']);
    const [f] = await raw(files);
    expect(f?.message).toContain('it runs the command and never connects to the url');
    expect(f?.evidence).toBe('MCP config:server "both" has a url but no "type" ("http", "sse" or "ws")');
  });

  test('"type": "stdio" with a url and no command is at the type', async () => {
    expect(
      await cg901({ '.mcp.json': mcp('    "s": { "type": "stdio", "url": "https://x.example/mcp" }') }),
    ).toEqual(['medium .mcp.json:3:21-26']);
  });

  test('silent on sse, http, streamable-http and ws with a url, and on stdio with a command', async () => {
    const servers = [
      '    "a": { "type": "sse", "url": "https://x.example/sse" },',
      '    "b": { "type": "http", "url": "https://x.example/mcp" },',
      '    "c": { "type": "streamable-http", "url": "https://x.example/mcp" },',
      '    "d": { "type": "ws", "url": "wss://x.example/ws" },',
      '    "e": { "type": "stdio", "command": "node", "args": ["server.js"] },',
      '    "f": { "command": "node", "args": ["server.js"] }',
    ].join('\n');
    expect(await cg901({ '.mcp.json': mcp(servers) })).toEqual([]);
  });
});

describe('path rules Claude never consults', () => {
  test('Write(./x) in deny is medium, at the rule, with Edit as the fix and a suggestion', async () => {
    const files = { '.claude/settings.json': settings('{ "deny": ["Write(./x)"] }') };
    expect(await cg901(files)).toEqual(['medium .claude/settings.json:2:30-40']);
    const [f] = await raw(files);
    expect(f?.message).toBe(
      '"Write(./x)" in permissions.deny in .claude/settings.json is a path rule on Write, which Claude Code ' +
        'accepts but never consults: file edits are checked against Edit(…) rules only, and an Edit rule ' +
        'covers every file-editing tool, so it blocks nothing. Write "Edit(./x)" instead.',
    );
    expect(f?.edit).toEqual({ expect: 'Write(./x)', replacement: 'Edit(./x)' });
    expect(f?.evidence).toBe('unconsulted-path-rule:deny:Write(./x)');
  });

  test('in allow it is low; ask is medium; Glob goes to Read; legacy names too', async () => {
    const files = {
      '.claude/settings.json': [
        '{',
        '  "permissions": {',
        '    "allow": ["Write(src/**)", "Glob(docs/**)", "Replace(lib/**)"],',
        '    "ask": ["NotebookEdit(nb/**)", "MultiEdit(x.ts)"]',
        '  }',
        '}',
        '',
      ].join('\n'),
    };
    expect(await cg901(files)).toEqual([
      'medium .claude/settings.json:4:14-33',
      'medium .claude/settings.json:4:37-52',
      'low .claude/settings.json:3:16-29',
      'low .claude/settings.json:3:33-46',
      'low .claude/settings.json:3:50-65',
    ]);
    const found = await raw(files);
    expect(found.map((f) => f.edit?.replacement)).toEqual([
      'Edit(src/**)',
      'Read(docs/**)',
      'Edit(lib/**)',
      'Edit(nb/**)',
      'Edit(x.ts)',
    ]);
  });

  test('when the Edit rule is already in the same list, the fix is to delete, with no suggestion', async () => {
    const [f] = await raw({
      '.claude/settings.json': settings('{ "deny": ["Edit(./.env)", "Write(./.env)"] }'),
    });
    expect(f?.message).toMatch(
      /"Edit\(\.\/\.env\)" in the same list already does what it meant: delete it\.$/,
    );
    expect(f?.edit).toBeUndefined();
  });

  test('on a command line, in front matter and in claude_args, at the rule', async () => {
    expect(
      await cg901({
        'ci.sh':
          '#!/bin/sh\nclaude -p fix --allowedTools "Read,Write(src/**)" --disallowedTools "Write(.github/**)"\n',
        '.claude/commands/w.md': '---\nallowed-tools: Read, Glob(docs/**)\n---\nGo.\n',
        '.github/workflows/a.yml': [
          'on: push',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          claude_args: --disallowedTools "NotebookEdit(x/**)"',
          '',
        ].join('\n'),
      }),
    ).toEqual([
      'medium .github/workflows/a.yml:8:43-61',
      'medium ci.sh:2:70-87',
      'low .claude/commands/w.md:2:22-35',
      'low ci.sh:2:36-49',
    ]);
  });

  test('silent on bare Write, Write(*), Edit and Read path rules of every anchor, and an agent tools list', async () => {
    expect(
      await cg901({
        '.claude/settings.json': settings(
          '{ "allow": ["Write", "Write(*)", "Edit(src/**)", "Read(~/notes/**)"], ' +
            '"deny": ["Edit(//abs/**)", "Edit(/docs/**)", "Read(./.env)", "Read(*.env)", "Edit(**/x)"] }',
        ),
        '.claude/agents/a.md': '---\nname: a\ntools: Read, Write(src/**)\n---\nHi.\n',
      }),
    ).toEqual([]);
  });
});

describe('unanchored allow globs', () => {
  test('tool-name globs in allow are low, at the rule', async () => {
    expect(
      await cg901({
        '.claude/settings.json': settings('{ "allow": ["*", "mcp__*", "B*", "mcp__*__query"] }'),
        'ci.sh': '#!/bin/sh\nclaude -p x --allowedTools "Read mcp__*"\n',
      }),
    ).toEqual([
      'low .claude/settings.json:2:31-32',
      'low .claude/settings.json:2:36-42',
      'low .claude/settings.json:2:46-48',
      'low .claude/settings.json:2:52-65',
      'low ci.sh:2:34-40',
    ]);
    const [f] = await raw({ '.claude/settings.json': settings('{ "allow": ["mcp__*"] }') });
    expect(f?.message).toBe(
      '"mcp__*" in permissions.allow in .claude/settings.json names tools with a glob that does not start ' +
        'with a literal mcp__<server>__. Claude Code skips such an allow rule (with a warning), so it ' +
        'pre-approves nothing. Name the tools, or one server\'s tools as mcp__<server>__*; globs such as "*" ' +
        'and "mcp__*" work only in ask and deny.',
    );
    expect(f?.evidence).toBe('unanchored-allow-glob:mcp__*');
  });

  test('silent on anchored MCP globs, on ask and deny, and on globs inside a specifier', async () => {
    expect(
      await cg901({
        '.claude/settings.json': settings(
          '{ "allow": ["mcp__github__*", "mcp__github__get_*", "Read(*.env)", "Edit(**/x)", "Bash(git * main)", ' +
            '"Bash(*)"], "ask": ["mcp__*"], "deny": ["*", "B*"] }',
        ),
      }),
    ).toEqual([]);
  });
});

describe('a name or value missing where JSON expects one', () => {
  test('a missing value is at the brace after it, and the fix does not assume a comma', async () => {
    const found = await messages({ '.claude/settings.json': '{ "permissions": }\n' });
    expect(found).toEqual([
      '.claude/settings.json:1:18 Claude settings: invalid JSON: a value is expected here (a trailing comma?). ' +
        'Claude Code rejects the whole file and none of its settings apply. If a comma ends the list or object ' +
        'here, delete it (strict JSON allows none); otherwise write the quoted name or the value that is missing.',
    ]);
  });

  test('every comment is its own finding, as are the problems after it', async () => {
    expect(
      (await messages({ '.claude/settings.json': '{\n  // a\n  "x": 1,\n  // b\n  "y": 2,\n}\n' })).map((m) =>
        m.slice(0, 60),
      ),
    ).toEqual([
      '.claude/settings.json:2:3 Claude settings: invalid JSON: com',
      '.claude/settings.json:4:3 Claude settings: invalid JSON: com',
      '.claude/settings.json:5:9 Claude settings: invalid JSON: a p',
    ]);
  });

  test('an unquoted key is not JSON at all: the general JSON fix', async () => {
    // The errors the parser reports after the first one follow from it: only the first is reported.
    expect(await messages({ '.claude/settings.json': '{ permissions: {} }\n' })).toEqual([
      '.claude/settings.json:1:3 Claude settings: invalid JSON: this is not valid JSON. Claude Code rejects the ' +
        'whole file and none of its settings apply. Fix the JSON at this position (`jq . <file>` reports the ' +
        'same error).',
    ]);
  });
});

describe('front matter that is not valid YAML', () => {
  test('an unclosed quote or bracket is reported where it opens, not where the parser gave up', async () => {
    expect(
      await messages({
        '.claude/agents/broken.md': [
          '---',
          'name: broken',
          'description: "Summarises: the diff',
          'tools: Read',
          'model: sonnet',
          '---',
          'Body.',
          '',
        ].join('\n'),
        '.claude/skills/s/SKILL.md': "---\nname: s\ndescription: 'it''s\nallowed-tools: Read\n---\n",
        '.claude/commands/c.md': '---\nallowed-tools: [Bash, {a: 1\nmodel: x\n---\nGo.\n',
      }),
    ).toEqual([
      '.claude/agents/broken.md:3:14 front matter: invalid YAML: this quoted value is never closed (Missing ' +
        'closing "quote). Claude Code cannot read the agent\'s settings. Fix the YAML at this position; until the ' +
        'file parses, nothing in it is checked.',
      '.claude/commands/c.md:2:23 front matter: invalid YAML: this flow collection is never closed (Flow map in ' +
        'block collection must be sufficiently indented and end with a }). Claude Code cannot read the ' +
        "command's settings. Fix the YAML at this position; until the file parses, nothing in it is checked.",
      ".claude/skills/s/SKILL.md:3:14 front matter: invalid YAML: this quoted value is never closed (Missing closing 'quote). " +
        "Claude Code cannot read the skill's settings. Fix the YAML at this position; until the file parses, " +
        'nothing in it is checked.',
    ]);
  });

  test('other errors stay where the parser found them; valid quotes, colons and brackets are silent', async () => {
    expect(
      await cg901({
        '.claude/agents/a.md': '---\nname: a\ndescription: {"x" "y"}\n---\n',
        '.claude/agents/b.md': '---\nname: b\ndescription: "x"y\n---\n',
        '.claude/agents/ok.md':
          "---\nname: ok\ndescription: \"Summarises: #1 the diff\"\nnote: 'it''s'\ntools: [Read, Grep]\n---\n",
      }),
    ).toEqual(['medium .claude/agents/a.md:3:19-20', 'medium .claude/agents/b.md:3:17-18']);
  });

  test('when what was left open is not found, the first line, saying the place is not exact', async () => {
    const file = new SourceFile('.claude/agents/x.md', '---\nname: x\nb: c\n---\n');
    const doc = parseDocument('name: x\nb: c');
    const problem = yamlProblem(
      file,
      doc,
      new YAMLParseError([10, 11], 'MISSING_CHAR', 'Missing closing "quote'),
      4,
      'agent',
    );
    expect(problem.span).toEqual({
      path: '.claude/agents/x.md',
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 4,
    });
    expect(problem.message).toBe(
      'invalid YAML somewhere in the front matter (the parser gave up on line 3): Missing closing "quote',
    );
    const { model } = await scan(memorySource({}), defaultPolicy());
    const [finding] = invalidConfig.check({ ...model, problems: [problem] }, ruleContext(defaultPolicy()));
    expect(finding?.message).toMatch(
      /Claude Code cannot read the agent's settings\. Check the front matter for an unclosed quote or bracket/,
    );
  });
});
