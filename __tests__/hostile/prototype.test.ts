/**
 * Class 1: names an attacker picks to hit `Object.prototype` when the scanner looks them up in a plain
 * object: permission rules, agent `tools:`, MCP server names, hook events, variables, policy keys.
 */
import { type CaseContext, type HostileCase, hostileSuite } from './harness.js';
import { DSP, put } from './material.js';

const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'] as const;

/** A script that starts Claude in bypass mode: the scan must still report it (exit 1). */
const bypassScript = (ctx: CaseContext): void => {
  put(ctx.root, 'scripts/zz-bypass.sh', `#!/bin/sh\nclaude -p go ${DSP}\n`);
};
const settings = (ctx: CaseContext, json: unknown): void => {
  put(ctx.root, '.claude/settings.json', `${JSON.stringify(json, null, 2)}\n`);
};
const policy = (ctx: CaseContext, text: string): void => {
  put(ctx.root, '.github/claude-guard.yml', text);
};

const cases: HostileCase[] = [
  {
    id: 'settings-allow',
    title: 'permissions.allow holds constructor, __proto__(x), toString (bypass mode beside them)',
    build: (ctx) =>
      settings(ctx, {
        permissions: { defaultMode: 'bypassPermissions', allow: ['constructor', '__proto__(x)', 'toString'] },
      }),
    expectStatus: [1],
  },
  {
    id: 'settings-ask-deny',
    title: 'permissions.ask/deny hold hasOwnProperty, valueOf(*), __proto__, constructor(rm -rf /)',
    build: (ctx) =>
      settings(ctx, {
        permissions: {
          defaultMode: 'bypassPermissions',
          ask: ['hasOwnProperty', 'valueOf(*)'],
          deny: ['__proto__', 'constructor(rm -rf /)'],
        },
      }),
    expectStatus: [1],
  },
  {
    id: 'settings-every-form',
    title: 'every name bare, (*), (:*), as mcp__ server and tool, as a Bash specifier; Bash unscoped',
    build: (ctx) =>
      settings(ctx, {
        permissions: {
          allow: [
            ...NAMES.flatMap((n) => [n, `${n}(*)`, `${n}(:*)`, `Bash(${n})`, `mcp__${n}__${n}`, `mcp__${n}`]),
            'Bash',
          ],
        },
      }),
    expectStatus: [1],
  },
  {
    id: 'script-allowed-tools',
    title: 'a script passes --allowedTools constructor / "__proto__ toString" / --disallowedTools valueOf',
    build: (ctx) =>
      put(
        ctx.root,
        'scripts/run.sh',
        [
          '#!/bin/sh',
          `claude -p x --allowedTools constructor ${DSP}`,
          'claude -p y --allowedTools "__proto__ toString" --disallowedTools hasOwnProperty,valueOf',
          'claude -p z --permission-mode constructor --allowedTools=__proto__',
          '',
        ].join('\n'),
      ),
    expectStatus: [1],
  },
  {
    id: 'workflow-action-inputs',
    title: 'claude-code-action allowed_tools / claude_args naming prototype members, and a run: step',
    build: (ctx) =>
      put(
        ctx.root,
        '.github/workflows/claude.yml',
        [
          'on: push',
          'jobs:',
          '  __proto__:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - id: constructor',
          '        uses: anthropics/claude-code-action@v1',
          '        with:',
          '          allowed_tools: constructor,__proto__,toString',
          `          claude_args: --allowedTools valueOf ${DSP}`,
          '      - run: claude -p x --allowedTools hasOwnProperty --disallowedTools __proto__',
          '',
        ].join('\n'),
      ),
    expectStatus: [1],
  },
  {
    id: 'agent-tools',
    title: '.claude/agents/a.md with tools: constructor, __proto__ and permissionMode: toString',
    build: (ctx) => {
      put(
        ctx.root,
        '.claude/agents/a.md',
        '---\nname: a\ntools: constructor, __proto__\npermissionMode: toString\n---\nhi\n',
      );
      put(
        ctx.root,
        '.claude/agents/b.md',
        '---\nname: b\ntools: [hasOwnProperty, valueOf, "__proto__(x)"]\n---\nhi\n',
      );
      bypassScript(ctx);
    },
    expectStatus: [1],
  },
  {
    id: 'command-skill-allowed-tools',
    title: 'commands and skills whose allowed-tools are prototype members',
    build: (ctx) => {
      put(
        ctx.root,
        '.claude/commands/c.md',
        '---\nallowed-tools: toString, valueOf, __proto__(x)\n---\nrun\n',
      );
      put(
        ctx.root,
        '.claude/skills/s/SKILL.md',
        '---\nname: s\nallowed-tools: [hasOwnProperty, constructor]\n---\n',
      );
      bypassScript(ctx);
    },
    expectStatus: [1],
  },
  {
    id: 'mcp-server-names',
    title: '.mcp.json servers named constructor, __proto__, toString, hasOwnProperty',
    build: (ctx) => {
      put(
        ctx.root,
        '.mcp.json',
        '{"mcpServers": {"constructor": {"command": "x"}, "__proto__": {"url": "http://x"}, ' +
          '"toString": {"type": "http", "url": "http://y"}, "hasOwnProperty": {"command": "claude", ' +
          `"args": ["${DSP}"]}, "valueOf": {"url": "http://z"}}}\n`,
      );
      settings(ctx, {
        enabledMcpjsonServers: ['constructor', '__proto__'],
        permissions: { allow: ['mcp__constructor', 'mcp____proto____x'] },
      });
      bypassScript(ctx);
    },
    expectStatus: [1],
  },
  {
    id: 'hook-events',
    title: 'hooks keyed by constructor, __proto__, toString, each starting Claude in bypass mode',
    build: (ctx) => {
      const hook = [{ matcher: '*', hooks: [{ type: 'command', command: `claude -p x ${DSP}` }] }];
      put(
        ctx.root,
        '.claude/settings.json',
        `{"hooks": {"constructor": ${JSON.stringify(hook)}, "__proto__": ${JSON.stringify(hook)}, ` +
          `"toString": ${JSON.stringify(hook)}, "valueOf": 1}}\n`,
      );
    },
    expectStatus: [1],
  },
  {
    id: 'settings-proto-keys',
    title: 'settings with "__proto__" holding bypass mode, env keys constructor/__proto__',
    build: (ctx) =>
      put(
        ctx.root,
        '.claude/settings.json',
        '{"__proto__": {"permissions": {"allow": ["Bash"]}}, "env": {"constructor": "x", "__proto__": "y", ' +
          '"toString": "z"}, "permissions": {"__proto__": {"defaultMode": "default"}, "defaultMode": "bypassPermissions"}}\n',
      ),
    expectStatus: [1],
  },
  {
    id: 'shell-variables',
    title: 'the bypass flag held in shell variables named toString, __proto__, constructor',
    build: (ctx) =>
      put(
        ctx.root,
        'scripts/vars.sh',
        [
          '#!/bin/bash',
          `toString=${DSP}`,
          'claude -p a $toString',
          `__proto__="${DSP}"`,
          'claude -p b "$__proto__"',
          `constructor=(${DSP})`,
          'claude -p c "${constructor[@]}"',
          '',
        ].join('\n'),
      ),
    expectStatus: [1],
  },
  {
    id: 'make-variables',
    title: 'the bypass flag held in Makefile variables named constructor and __proto__',
    build: (ctx) =>
      put(
        ctx.root,
        'Makefile',
        `constructor := ${DSP}\n__proto__ = -p x\nrun:\n\tclaude $(__proto__) $(constructor)\n`,
      ),
    expectStatus: [1],
  },
  {
    id: 'workflow-env',
    title: 'the bypass flag held in a workflow env: entry named constructor (job __proto__)',
    build: (ctx) =>
      put(
        ctx.root,
        '.github/workflows/env.yml',
        [
          'on: push',
          'env:',
          `  constructor: ${DSP}`,
          '  toString: x',
          'jobs:',
          '  __proto__:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - run: claude -p go $constructor',
          '',
        ].join('\n'),
      ),
    expectStatus: [1],
  },
  {
    id: 'gitlab-jobs',
    title: 'GitLab jobs named __proto__ / constructor, extends: toString, variables: valueOf',
    build: (ctx) =>
      put(
        ctx.root,
        '.gitlab-ci.yml',
        [
          'toString:',
          '  image: node',
          'constructor:',
          '  extends: toString',
          '  script: [echo hi]',
          '__proto__:',
          '  extends: [constructor, hasOwnProperty]',
          '  variables:',
          `    valueOf: ${DSP}`,
          '  script:',
          '    - claude -p go $valueOf',
          'job:',
          '  script:',
          `    - claude -p go ${DSP}`,
          '',
        ].join('\n'),
      ),
    expectStatus: [1],
  },
  {
    id: 'package-json-scripts',
    title: 'package.json scripts named __proto__ and constructor starting Claude in bypass mode',
    build: (ctx) =>
      put(
        ctx.root,
        'package.json',
        `{"name": "x", "scripts": {"__proto__": "claude -p go ${DSP}", "constructor": "claude -p go ${DSP}", ` +
          '"toString": "node x"}}\n',
      ),
    expectStatus: [1],
  },
  {
    id: 'compose-devcontainer-anchors',
    title: 'compose services, devcontainer commands and YAML anchors named after prototype members',
    build: (ctx) => {
      put(
        ctx.root,
        'docker-compose.yml',
        `x: &constructor {image: node}\nservices:\n  __proto__:\n    <<: *constructor\n    command: claude -p go ${DSP}\n  toString: {image: x}\n`,
      );
      put(
        ctx.root,
        '.devcontainer/devcontainer.json',
        `{"postCreateCommand": {"constructor": "claude -p a ${DSP}", "__proto__": "claude -p b ${DSP}"}}\n`,
      );
      bypassScript(ctx);
    },
    expectStatus: [1],
  },
  ...(
    [
      ['policy-rule-constructor', 'rules: { constructor: off }', 'version: 1\nrules:\n  constructor: off\n'],
      ['policy-rule-proto', 'rules: { __proto__: off }', 'version: 1\nrules:\n  __proto__: off\n'],
      [
        'policy-rule-proto-map',
        'rules: { __proto__: { CG101: off } }',
        'version: 1\nrules:\n  __proto__:\n    CG101: off\n',
      ],
      [
        'policy-rule-tostring',
        'rules: { toString: { severity: low } }',
        'version: 1\nrules:\n  toString: {severity: low}\n',
      ],
      [
        'policy-rule-hasown',
        'rules: { hasOwnProperty: off, valueOf: off }',
        'version: 1\nrules:\n  hasOwnProperty: off\n  valueOf: off\n',
      ],
      [
        'policy-top-proto',
        'top-level __proto__: { fail-on: never }',
        '__proto__:\n  fail-on: never\nversion: 1\n',
      ],
      ['policy-top-constructor', 'top-level constructor: 1', 'version: 1\nconstructor: 1\n'],
      [
        'policy-allow-in-proto',
        'dangerous-mode: { allow-in: [constructor] }',
        'version: 1\ndangerous-mode:\n  allow-in: [constructor]\n',
      ],
      [
        'policy-dm-proto',
        'dangerous-mode: { __proto__: { allow-in: [] } }',
        'version: 1\ndangerous-mode:\n  __proto__: {allow-in: []}\n  allow-in: []\n',
      ],
    ] as const
  ).map(([id, title, text]): HostileCase => ({
    id,
    title: `policy ${title}: rejected with a located message`,
    build: (ctx) => {
      policy(ctx, text);
      bypassScript(ctx);
    },
    expectStatus: [2],
  })),
];

hostileSuite('prototype', cases);
