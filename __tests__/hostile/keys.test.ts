/**
 * Class 4: credentials an attacker makes the report print: as a policy key or value, through a policy
 * symlinked to a file outside, split by JSON / YAML / shell escapes and quoting (so that the raw line no
 * longer looks like a key, while the snippet still shows its body), and as file or folder names. Neither
 * the whole key nor any 16-character window of its secret body may appear in stdout, stderr or the
 * `--output` file, in any format.
 */
import { join } from 'node:path';
import { type CaseContext, type HostileCase, hostileSuite } from './harness.js';
import {
  anthropicKey,
  canary,
  commitAll,
  DSP,
  KEY_PREFIX,
  type Key,
  put,
  randomish,
  symlink,
} from './material.js';

const K = Array.from({ length: 40 }, (_, i) => anthropicKey(i + 1));
const key = (i: number): Key => K[i] as Key;
const CANARY = canary(4);
/** A GitHub token and an AWS key id, for the cases that are not about Anthropic's format. */
const GHP_BODY = randomish(36, 901);
const GHP: Key = { value: 'gh' + 'p_' + GHP_BODY, body: GHP_BODY };
const AWS_BODY = randomish(16, 902, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');
const AWS: Key = { value: 'AK' + 'IA' + AWS_BODY, body: AWS_BODY };

/** `\u00XX` for a character, as JSON writes it. */
const jsonEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
/** `\xXX` for a character, as YAML double-quoted scalars and bash $'…' write it. */
const hexEscape = (c: string): string => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

const policyCase = (id: string, title: string, k: Key, text: (v: string) => string): HostileCase => ({
  id,
  title,
  build: (ctx) => put(ctx.root, '.github/claude-guard.yml', text(k.value)),
  keys: [k],
  expectStatus: [2],
});

const withFindings = (c: HostileCase): HostileCase => ({ outputFile: true, ...c });

const cases: HostileCase[] = [
  policyCase(
    'policy-rule-id',
    'the policy turns off a rule whose id is a key: rules: { <key>: off }',
    key(0),
    (v) => `version: 1\nrules:\n  ${v}: off\n`,
  ),
  policyCase(
    'policy-top-key',
    'a top-level policy key that is a key: <key>: 1',
    key(1),
    (v) => `version: 1\n${v}: 1\n`,
  ),
  policyCase(
    'policy-rule-field',
    'rules: { CG101: { <key>: x } }',
    key(2),
    (v) => `version: 1\nrules:\n  CG101:\n    ${v}: x\n`,
  ),
  policyCase(
    'policy-dangerous-mode-key',
    'dangerous-mode: { <key>: [] }',
    key(3),
    (v) => `version: 1\ndangerous-mode:\n  ${v}: []\n`,
  ),
  policyCase('policy-fail-on-value', 'fail-on: <key>', key(4), (v) => `version: 1\nfail-on: ${v}\n`),
  policyCase('policy-version-value', 'version: <key>', key(5), (v) => `version: ${v}\n`),
  policyCase('policy-block-value', 'block: <key>', key(6), (v) => `version: 1\nblock: ${v}\n`),
  policyCase(
    'policy-allow-in-value',
    'dangerous-mode: { allow-in: [<key>] }',
    key(7),
    (v) => `version: 1\ndangerous-mode:\n  allow-in: [${v}]\n`,
  ),
  policyCase(
    'policy-alias',
    'an unresolved alias named after the key: fail-on: *<key>',
    key(8),
    (v) => `version: 1\nfail-on: *${v}\n`,
  ),
  policyCase(
    'policy-yaml-error',
    'a YAML syntax error on the line of the key',
    key(9),
    (v) => `version: 1\n${v}: [unclosed\n  - {\n`,
  ),
  policyCase(
    'policy-duplicate',
    'the key twice as a map key',
    key(10),
    (v) => `version: 1\n${v}: 1\n${v}: 2\n`,
  ),
  policyCase(
    'policy-tag',
    'a tag named after the key: version: !<key> 1',
    key(11),
    (v) => `version: !${v} 1\n`,
  ),
  policyCase(
    'policy-anchor-merge',
    'the key as an anchor name merged into rules',
    key(12),
    (v) => `x: &${v} {CG101: loud}\nversion: 1\nrules:\n  <<: *${v}\n`,
  ),
  {
    id: 'policy-symlink-outside-key',
    title: '.github/claude-guard.yml is a symlink to a file outside holding <key>: 1',
    build: (ctx) => {
      put(ctx.outside, 'policy.yml', `version: 1\n${key(13).value}: 1\n`);
      symlink(join(ctx.outside, 'policy.yml'), join(ctx.root, '.github/claude-guard.yml'));
    },
    keys: [key(13)],
    strace: true,
  },
  {
    id: 'policy-symlink-outside-canary',
    title: '.github/claude-guard.yml is a symlink to a file outside whose first unknown key is a canary',
    build: (ctx) => {
      put(ctx.outside, 'secret-config.yml', `version: 1\n${CANARY}: ${key(14).value}\n`);
      symlink(join(ctx.outside, 'secret-config.yml'), join(ctx.root, '.github/claude-guard.yml'));
    },
    keys: [key(14)],
    canaries: [CANARY],
    strace: true,
  },
  withFindings({
    id: 'json-escape-body',
    title:
      'settings.json: bypass mode and "sk-ant-api03-\\u00XX…" (first body character escaped) on one line',
    build: (ctx) => {
      const k = key(15);
      const raw = KEY_PREFIX + jsonEscape(k.body[0] as string) + k.body.slice(1);
      put(
        ctx.root,
        '.claude/settings.json',
        `{"env": {"ANTHROPIC_API_KEY": "${raw}"}, "permissions": {"defaultMode": "bypassPermissions"}}\n`,
      );
    },
    keys: [key(15)],
    expectStatus: [1],
  }),
  withFindings({
    id: 'json-escape-prefix',
    title: 'settings.json: "sk-ant-\\u0061pi03-<body>" beside bypass mode',
    build: (ctx) => {
      const raw = 'sk-ant-' + jsonEscape('a') + 'pi03-' + key(16).body;
      put(
        ctx.root,
        '.claude/settings.json',
        `{"permissions": {"defaultMode": "bypassPermissions"}, "apiKeyHelper": "echo ${raw}"}\n`,
      );
    },
    keys: [key(16)],
    expectStatus: [1],
  }),
  withFindings({
    id: 'json-escape-rule',
    title: 'a permission rule holding an escaped key (reported as not a tool name)',
    build: (ctx) => {
      const k = key(17);
      const raw = KEY_PREFIX + jsonEscape(k.body[0] as string) + k.body.slice(1);
      put(ctx.root, '.claude/settings.json', `{"permissions": {"allow": ["Bash", "x y ${raw}"]}}\n`);
    },
    keys: [key(17)],
    expectStatus: [1],
  }),
  withFindings({
    id: 'json-escape-mcp-name',
    title: '.mcp.json: a server named by an escaped key, with a url and no type',
    build: (ctx) => {
      const k = key(18);
      const raw = KEY_PREFIX + jsonEscape(k.body[0] as string) + k.body.slice(1);
      put(ctx.root, '.mcp.json', `{"mcpServers": {"${raw}": {"url": "https://example.invalid/mcp"}}}\n`);
    },
    keys: [key(18)],
  }),
  withFindings({
    id: 'yaml-escape-workflow',
    title: 'a workflow run: in a YAML double-quoted scalar, the key split by a \\xNN escape',
    build: (ctx) => {
      const k = key(19);
      const raw = KEY_PREFIX + hexEscape(k.body[0] as string) + k.body.slice(1);
      put(
        ctx.root,
        '.github/workflows/ci.yml',
        `on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "claude -p go ${DSP} --api-key ${raw}"\n`,
      );
    },
    keys: [key(19)],
    expectStatus: [1],
  }),
  withFindings({
    id: 'yaml-escape-gitlab',
    title: 'a GitLab script in a double-quoted scalar, the key split by \\x escapes',
    build: (ctx) => {
      const k = key(20);
      const raw =
        KEY_PREFIX +
        hexEscape(k.body[0] as string) +
        k.body.slice(1, 50) +
        hexEscape(k.body[50] as string) +
        k.body.slice(51);
      put(ctx.root, '.gitlab-ci.yml', `job:\n  script:\n    - "claude -p go ${DSP} --api-key ${raw}"\n`);
    },
    keys: [key(20)],
    expectStatus: [1],
  }),
  withFindings({
    id: 'shell-quote-join',
    title: 'a script: claude --api-key \'sk-ant-\'"api03-<body>" beside the bypass flag',
    build: (ctx) =>
      put(
        ctx.root,
        'scripts/a.sh',
        `#!/bin/sh\nclaude -p go ${DSP} --api-key 'sk-ant-'"api03-${key(21).body}"\n`,
      ),
    keys: [key(21)],
    expectStatus: [1],
  }),
  withFindings({
    id: 'shell-quote-split-body',
    title: 'a script: the body split in two quoted halves',
    build: (ctx) => {
      const b = key(22).body;
      put(
        ctx.root,
        'scripts/a.sh',
        `#!/bin/sh\nclaude -p go ${DSP} --api-key ${KEY_PREFIX}"${b.slice(0, 47)}""${b.slice(47)}"\n`,
      );
    },
    keys: [key(22)],
    expectStatus: [1],
  }),
  withFindings({
    id: 'shell-line-continuation',
    title: 'a script: the key cut by a line continuation, the bypass flag on the second line',
    build: (ctx) => {
      const b = key(23).body;
      put(
        ctx.root,
        'scripts/a.sh',
        `#!/bin/sh\nclaude -p go --api-key ${KEY_PREFIX}${b.slice(0, 40)}\\\n${b.slice(40)} ${DSP}\n`,
      );
    },
    keys: [key(23)],
    expectStatus: [1],
  }),
  withFindings({
    id: 'shell-variable-prefix',
    title: 'a script: the prefix in a variable, the body on the bypass line',
    build: (ctx) =>
      put(
        ctx.root,
        'scripts/a.sh',
        `#!/bin/sh\nP=${KEY_PREFIX}\nclaude -p go ${DSP} --api-key "\${P}${key(24).body}"\n`,
      ),
    keys: [key(24)],
    expectStatus: [1],
  }),
  withFindings({
    id: 'shell-ansi-c',
    title: "a script: $'sk-ant-api03-\\xNN…' (bash ANSI-C quoting)",
    build: (ctx) => {
      const b = key(25).body;
      put(
        ctx.root,
        'scripts/a.sh',
        `#!/bin/bash\nclaude -p go ${DSP} --api-key $'${KEY_PREFIX}${hexEscape(b[0] as string)}${b.slice(1)}'\n`,
      );
    },
    keys: [key(25)],
    expectStatus: [1],
  }),
  withFindings({
    id: 'name-project-folder',
    title: 'a key as a folder name: <key>/.claude/settings.json in bypass mode',
    build: (ctx) =>
      put(
        ctx.root,
        `${key(26).value}/.claude/settings.json`,
        '{"permissions": {"defaultMode": "bypassPermissions"}}\n',
      ),
    keys: [key(26)],
    expectStatus: [1],
  }),
  withFindings({
    id: 'name-claude-subfolder',
    title: 'a key as names under .claude/: .claude/<key>/settings.json, agents/<key>.md, commands/<key>.md',
    build: (ctx) => {
      const v = key(27).value;
      put(ctx.root, `.claude/${v}/settings.json`, '{"permissions": {"defaultMode": "bypassPermissions"}}\n');
      put(ctx.root, `.claude/agents/${v}.md`, '---\nname: a\npermissionMode: bypassPermissions\n---\nhi\n');
      put(ctx.root, `.claude/commands/${v}.md`, '---\nallowed-tools: Bash\n---\nrun\n');
    },
    keys: [key(27)],
    expectStatus: [1],
  }),
  withFindings({
    id: 'name-script',
    title: 'a key as a script name: scripts/<key>.sh starting Claude with the bypass flag',
    build: (ctx) => put(ctx.root, `scripts/${key(28).value}.sh`, `#!/bin/sh\nclaude -p go ${DSP}\n`),
    keys: [key(28)],
    expectStatus: [1],
  }),
  withFindings({
    id: 'name-script-git',
    title: 'the same, committed: a git checkout with scripts/<key>.sh',
    build: (ctx) => {
      put(ctx.root, `scripts/${key(29).value}.sh`, `#!/bin/sh\nclaude -p go ${DSP}\n`);
      commitAll(ctx.root, ctx.home);
    },
    keys: [key(29)],
    expectStatus: [1],
  }),
  withFindings({
    id: 'name-notices',
    title: 'keys as names of files that are only noted: a symlink leaving the folder, a 2 MiB file',
    build: (ctx) => {
      put(ctx.outside, 'x.json', '{}\n');
      symlink(join(ctx.outside, 'x.json'), join(ctx.root, `.claude/${key(30).value}.json`));
      put(ctx.root, `${key(31).value}.sh`, `#!/bin/sh\n${'# claude\n'.repeat(240_000)}`);
      put(ctx.root, 'run.sh', `claude -p go ${DSP}\n`);
    },
    keys: [key(30), key(31)],
    expectStatus: [1],
  }),
  withFindings({
    id: 'name-other-credentials',
    title: 'a GitHub token and an AWS key id as script names',
    build: (ctx) => {
      put(ctx.root, `scripts/${GHP.value}.sh`, `#!/bin/sh\nclaude -p go ${DSP}\n`);
      put(ctx.root, `scripts/${AWS.value}.sh`, `#!/bin/sh\nclaude -p go ${DSP}\n`);
    },
    keys: [GHP, AWS],
    expectStatus: [1],
  }),
  // What the scanner already masks: these must keep passing.
  withFindings({
    id: 'plain-key-beside-finding',
    title:
      'control: a plain key in a comment on the bypass line, in inline --settings, across the snippet edge',
    build: (ctx: CaseContext) => {
      put(ctx.root, 'scripts/a.sh', `#!/bin/sh\nclaude -p go ${DSP} # ${key(32).value}\n`);
      put(
        ctx.root,
        'scripts/b.sh',
        `#!/bin/sh\nclaude -p go --settings '{"env":{"K":"${key(33).value}"}}' ${DSP}\n`,
      );
      put(
        ctx.root,
        'scripts/c.sh',
        `#!/bin/sh\necho ${'x'.repeat(150)} ${key(34).value}; claude -p go ${DSP}\n`,
      );
      put(
        ctx.root,
        '.mcp.json',
        `{"mcpServers": {"${key(35).value}": {"url": "https://example.invalid"}}}\n`,
      );
      put(ctx.root, '.github/claude-guard.yml', `version: 1\nignore: ["${key(36).value}"]\n`);
    },
    keys: [key(32), key(33), key(34), key(35), key(36)],
    expectStatus: [1],
  }),
];

hostileSuite('keys', cases);
