/**
 * Class 5: terminal control characters and workflow commands an attacker places where the report will
 * print them: in the line of a finding (the snippet), in JSON- and YAML-decoded strings (messages), in file
 * names (paths), in the policy (error messages). The text report must hold no C0/DEL/C1 character but TAB
 * and LF; no report but the github format may hold a line the runner reads as a workflow command, and
 * the github format only the annotations claude-guard writes, escaped.
 */
import { join } from 'node:path';
import { type HostileCase, hostileSuite } from './harness.js';
import { commitAll, DSP, put, symlink } from './material.js';

const ESC = '\x1b';
const BEL = '\x07';
const script = (extra: string): string => `#!/bin/sh\n${extra}\n`;
const bypassLine = `claude -p go ${DSP}`;

const cases: HostileCase[] = [
  {
    id: 'snippet-esc',
    title: 'OSC title, BEL and clear-screen after the bypass flag (lands in the snippet)',
    build: (ctx) =>
      put(ctx.root, 'scripts/a.sh', script(`${bypassLine} # ${ESC}]0;pwned${BEL} ${ESC}[2J${ESC}[1;1H`)),
    expectStatus: [1],
  },
  {
    id: 'snippet-c1',
    title: 'C1 controls U+009B (CSI), U+0085 (NEL), U+0090 (DCS) on the bypass line',
    build: (ctx) =>
      put(ctx.root, 'scripts/a.sh', script(`${bypassLine} # \u009b31m red \u0085 nel \u0090dcs\u009c`)),
    expectStatus: [1],
  },
  {
    id: 'snippet-c0',
    title: 'BS, DEL, VT, FF, SOH, US on the bypass line',
    build: (ctx) =>
      put(ctx.root, 'scripts/a.sh', script(`${bypassLine} # a\x08\x08\x08b \x7f \x0b \x0c \x01 \x1f`)),
    expectStatus: [1],
  },
  {
    id: 'snippet-cr',
    title: 'a CR inside the bypass line, followed by ::stop-commands::',
    build: (ctx) => put(ctx.root, 'scripts/a.sh', script(`echo x\r::stop-commands::tok; ${bypassLine}`)),
    expectStatus: [1],
  },
  {
    id: 'snippet-workflow-commands',
    title: '::error::, ::stop-commands:: and ::add-mask:: lines around and on the bypass line',
    build: (ctx) =>
      put(
        ctx.root,
        'scripts/a.sh',
        script(
          `::error::before\n::stop-commands::tok\n::add-mask::v; ${bypassLine}\n::error file=x::after\n  ::warning::indented`,
        ),
      ),
    expectStatus: [1],
  },
  {
    id: 'json-decoded-controls',
    title: 'allow rules "\\u001b[31m…", "\\u009b2J", "\\u0007", "\\u0000" decoded from JSON',
    build: (ctx) =>
      put(
        ctx.root,
        '.claude/settings.json',
        '{"permissions": {"allow": ["\\u001b[31mred", "\\u009b2J", "\\u0007bell", "a\\u0000nul", "\\u001b]0;t\\u0007"]}}\n',
      ),
  },
  {
    id: 'json-decoded-commands',
    title:
      'allow rules "x\\n::error::pwned", "y\\r::warning::cr", "\\u0085::notice::nel", "\\u2028::error::ls"',
    build: (ctx) =>
      put(
        ctx.root,
        '.claude/settings.json',
        '{"permissions": {"allow": ["x\\n::error::pwned", "y\\r::warning::cr", "\\u0085::notice::nel", ' +
          '"\\u2028::error::ls", "z\\r\\n::add-mask::m"]}}\n',
      ),
  },
  {
    id: 'json-mcp-name',
    title:
      '.mcp.json servers named "\\u001b]0;pwn\\u0007" and "::error::x\\r\\n::add-mask::y" (url, no type)',
    build: (ctx) =>
      put(
        ctx.root,
        '.mcp.json',
        '{"mcpServers": {"\\u001b]0;pwn\\u0007": {"url": "https://a.invalid"}, ' +
          '"::error::x\\r\\n::add-mask::y": {"url": "https://b.invalid"}}}\n',
      ),
  },
  {
    id: 'json-mode-value',
    title: 'defaultMode "\\u001b[2J\\n::error::mode" (not a permission mode: quoted in the message)',
    build: (ctx) =>
      put(
        ctx.root,
        '.claude/settings.json',
        '{"permissions": {"defaultMode": "\\u001b[2J\\n::error::mode\\u009b"}}\n',
      ),
  },
  {
    id: 'yaml-decoded-controls',
    title: 'front matter permissionMode "\\e[2J\\n::error::fm" and a YAML error beside a raw ESC',
    build: (ctx) => {
      put(
        ctx.root,
        '.claude/agents/a.md',
        '---\nname: a\npermissionMode: "\\e[2J\\n::error::fm\\x9b"\ntools: "\\e]0;t\\a, Bash"\n---\nhi\n',
      );
      put(ctx.root, '.claude/commands/c.md', `---\nallowed-tools: [Bash\n${ESC}[2J: \x07\n---\nrun\n`);
      put(ctx.root, 'scripts/a.sh', script(bypassLine));
    },
    expectStatus: [1],
  },
  {
    id: 'workflow-raw-esc',
    title: 'a workflow whose run: block holds a raw ESC and a CR before ::error::',
    build: (ctx) =>
      put(
        ctx.root,
        '.github/workflows/ci.yml',
        `on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          ${bypassLine} # ${ESC}[2J\r::error::wf\n`,
      ),
  },
  {
    id: 'name-esc',
    title: 'a script named a\\x1b[31mb.sh starting Claude in bypass mode',
    build: (ctx) => put(ctx.root, `scripts/a${ESC}[31mb.sh`, script(bypassLine)),
    expectStatus: [1],
  },
  {
    id: 'name-c1',
    title: 'a script named c\\u009b31md.sh (UTF-8 C1 CSI) starting Claude in bypass mode',
    build: (ctx) => put(ctx.root, 'scripts/c\u009b31md\u0085.sh', script(bypassLine)),
    expectStatus: [1],
  },
  {
    id: 'name-newline',
    title: 'a script named "n\\n::error::pwned.sh" starting Claude in bypass mode',
    build: (ctx) => put(ctx.root, 'scripts/n\n::error::pwned.sh', script(bypassLine)),
    expectStatus: [1],
  },
  {
    id: 'name-cr',
    title: 'a script named "r\\r::warning::x.sh" starting Claude in bypass mode',
    build: (ctx) => put(ctx.root, 'scripts/r\r::warning::x.sh', script(bypassLine)),
    expectStatus: [1],
  },
  {
    id: 'name-colons',
    title: 'scripts named ::error::top.sh, ::add-mask::m.sh, ::stop-commands::tok.sh at the root',
    build: (ctx) => {
      put(ctx.root, '::error::top.sh', script(bypassLine));
      put(ctx.root, '::add-mask::m.sh', script(bypassLine));
      put(ctx.root, '::stop-commands::tok.sh', script(bypassLine));
      put(ctx.root, ' ::warning::lead.sh', script(bypassLine));
    },
    expectStatus: [1],
  },
  {
    id: 'name-git',
    title: 'the same hostile names committed to git (listed by git ls-files -z)',
    build: (ctx) => {
      put(ctx.root, `scripts/a${ESC}[31mb.sh`, script(bypassLine));
      put(ctx.root, 'scripts/n\n::error::pwned.sh', script(bypassLine));
      put(ctx.root, 'scripts/r\r::warning::x.sh', script(bypassLine));
      put(ctx.root, '::error::top.sh', script(bypassLine));
      commitAll(ctx.root, ctx.home);
    },
    expectStatus: [1],
  },
  {
    id: 'name-notice',
    title: 'a symlink leaving the folder named "\\x1b]0;t\\x07\\n::error::n.json" (printed as a note)',
    build: (ctx) => {
      put(ctx.outside, 'x.json', '{}\n');
      symlink(join(ctx.outside, 'x.json'), join(ctx.root, `.claude/${ESC}]0;t${BEL}\n::error::n.json`));
      put(ctx.root, 'run.sh', script(bypassLine));
    },
    expectStatus: [1],
  },
  {
    id: 'policy-key',
    title: 'a policy key "\\e]0;x\\a\\n::error::pol" (quoted in the error)',
    build: (ctx) =>
      put(ctx.root, '.github/claude-guard.yml', 'version: 1\n"\\e]0;x\\a\\n::error::pol\\x9b": 1\n'),
    expectStatus: [2],
  },
  {
    id: 'policy-raw-controls',
    title: 'a policy with raw ESC, BEL and a CR-split ::error:: in a value',
    build: (ctx) =>
      put(ctx.root, '.github/claude-guard.yml', `version: 1\nfail-on: ${ESC}[2J${BEL}\r::error::raw\n`),
    expectStatus: [2],
  },
  {
    id: 'policy-rule-id',
    title: 'a policy rule id "\\r::add-mask::id\\e[2J"',
    build: (ctx) =>
      put(ctx.root, '.github/claude-guard.yml', 'version: 1\nrules:\n  "\\r::add-mask::id\\e[2J": off\n'),
    expectStatus: [2],
  },
];

hostileSuite('control-chars', cases);
