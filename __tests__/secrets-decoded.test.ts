import { describe, expect, test } from '@jest/globals';
import { defaultPolicy } from '../src/policy/policy.js';
import { renderGithub } from '../src/report/github.js';
import { renderJson } from '../src/report/json.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { renderText } from '../src/report/text.js';
import { memorySource, scan } from '../src/scan.js';
import { decodedView } from '../src/surfaces/secrets.js';

/*
 * Keys a file writes in pieces — escaped, or split by quotes — are found whole, reported once over every
 * piece, and no piece of them is printed. Built at run time: no source file holds a whole key.
 */
const BODY =
  'Zr4Kq9Lw2Xv7Bn3Mc8Td1Yf6Gh0Jp5Ss2Ae9Ui4Oo7Pl3Kj8Hg1Fd6Sa0Qw5Er2Ty9Uu4Ii7Op3As8Df1Gh6Jk0Lz5Xc2Vb9Nm4Qq7';
const KEY = `sk-ant-${'api03'}-${BODY}AA`;
const hex = (s: string): string => [...s].map((c) => `\\x${c.charCodeAt(0).toString(16)}`).join('');
const u4 = (s: string): string =>
  [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

/** Every 16-character window of the key's random part: none may appear in any output. */
const windows = [...Array(KEY.length - 13 - 16).keys()].map((i) => KEY.slice(13 + i, 13 + i + 16));

const cases: [
  string,
  string,
  string,
  { line: number; column: number; endLine: number; endColumn: number },
][] = [
  [
    'JSON \\u00XX in the middle',
    '.claude/settings.json',
    `{"env": {"ANTHROPIC_API_KEY": "${KEY.slice(0, 30)}${u4(KEY.slice(30, 32))}${KEY.slice(32)}"}}\n`,
    { line: 1, column: 32, endLine: 1, endColumn: 32 + KEY.length + 10 },
  ],
  [
    'JSON: the prefix itself escaped',
    '.mcp.json',
    `{"mcpServers": {"a": {"command": "x", "env": {"K": "${u4('sk')}${KEY.slice(2)}"}}}}\n`,
    { line: 1, column: 53, endLine: 1, endColumn: 53 + KEY.length + 10 },
  ],
  [
    'YAML \\xXX escapes',
    '.github/workflows/a.yml',
    `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      K: "${KEY.slice(0, 50)}${hex(KEY.slice(50, 53))}${KEY.slice(53)}"\n    steps:\n      - run: claude -p hi\n`,
    { line: 6, column: 11, endLine: 6, endColumn: 11 + KEY.length + 9 },
  ],
  [
    'shell quote joining',
    'scripts/run.sh',
    `#!/bin/sh\nclaude -p hi --api-key 'sk-ant-'"${KEY.slice(7, 60)}"'${KEY.slice(60)}'\n`,
    { line: 2, column: 25, endLine: 2, endColumn: 25 + KEY.length + 4 },
  ],
  [
    'bash $-quoting joined to a plain word',
    'scripts/b.sh',
    `#!/bin/bash\nexport ANTHROPIC_API_KEY=${KEY.slice(0, 40)}$'${hex(KEY.slice(40, 42))}'${KEY.slice(42)}\n`,
    { line: 2, column: 26, endLine: 2, endColumn: 26 + KEY.length + 9 },
  ],
  [
    'a backslash-newline continuation',
    'Makefile',
    `KEY = ${KEY.slice(0, 45)}\\\n${KEY.slice(45)}\n`,
    { line: 1, column: 7, endLine: 2, endColumn: KEY.length - 45 + 1 },
  ],
  [
    'the public prefix in a shell variable, the rest after the reference',
    'scripts/c.sh',
    `#!/bin/sh\nP=${KEY.slice(0, 13)}\nclaude -p go --api-key "\${P}${KEY.slice(13)}"\n`,
    { line: 3, column: 25, endLine: 3, endColumn: 25 + 4 + KEY.length - 13 },
  ],
  [
    'an exported prefix, $NAME without braces ended by a quote',
    'scripts/d.sh',
    `export PFX="${KEY.slice(0, 20)}"\nK="$PFX"${KEY.slice(20)}\nclaude -p hi\n`,
    { line: 2, column: 4, endLine: 2, endColumn: 4 + 5 + KEY.length - 20 },
  ],
  [
    "make's $(NAME) after a := assignment",
    'Makefile',
    `PFX := ${KEY.slice(0, 13)}\nrun:\n\tclaude -p go --api-key $(PFX)${KEY.slice(13)}\n`,
    { line: 3, column: 25, endLine: 3, endColumn: 25 + 6 + KEY.length - 13 },
  ],
  [
    "a Dockerfile's ARG, then ${NAME}",
    'Dockerfile',
    `FROM node:20\nARG PFX=${KEY.slice(0, 13)}\nENV ANTHROPIC_API_KEY=\${PFX}${KEY.slice(13)}\nRUN claude -p hi\n`,
    { line: 3, column: 23, endLine: 3, endColumn: 23 + 6 + KEY.length - 13 },
  ],
  [
    "a workflow's env entry, then ${{ env.NAME }}",
    '.github/workflows/b.yml',
    `on: push\nenv:\n  PFX: ${KEY.slice(0, 13)}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: claude -p hi --api-key \${{ env.PFX }}${KEY.slice(13)}\n`,
    { line: 8, column: 37, endLine: 8, endColumn: 37 + 14 + KEY.length - 13 },
  ],
];

describe('decodedView', () => {
  test('decodes escapes, drops continuations and joining quotes, and maps back to the source', () => {
    const text = `a\\u0041b\\x42c'd'"e"f\\\ng\\u{1F600}`;
    const view = decodedView(text);
    expect(view.text).toBe('aAbBcdefg😀');
    const at = view.text.indexOf('B');
    expect(text.slice(view.from[at], view.to[at])).toBe('\\x42');
    expect(text.slice(view.from[view.text.indexOf('g')], view.to[view.text.indexOf('g')])).toBe('g');
  });

  test('a reference to a variable the text assigns once stands for its value; others stay as written', () => {
    const text = 'A=xy\nB="1"\nB=2\necho "${A}z" $A $B $C ${D}';
    const view = decodedView(text);
    expect(view.text).toBe('A=xy\nB=1\nB=2\necho xyz xy $B $C ${D}');
    const at = view.text.indexOf('xyz');
    expect(text.slice(view.from[at], view.to[at + 1])).toBe('${A}');
    expect(text.slice(view.from[at + 2], view.to[at + 2])).toBe('z');
    expect(view.from.length).toBe(view.text.length);
  });
});

describe.each(cases)('a key written in pieces: %s', (_name, path, content, span) => {
  test('is one CG201 finding over every piece, and no piece is printed in any format', async () => {
    const { verdict, secretValues } = await scan(memorySource({ [path]: content }), defaultPolicy());
    const keys = verdict.findings.filter((f) => f.ruleId === 'CG201');
    expect(
      keys.map(({ line, column, endLine, endColumn }) => ({ line, column, endLine, endColumn })),
    ).toEqual([span]);
    expect(secretValues).toContain(KEY);
    const outputs = [
      renderJson(verdict, { secrets: secretValues }),
      renderText(verdict, { secrets: secretValues }),
      renderGithub(verdict, { secrets: secretValues }),
      renderMarkdown(verdict, { secrets: secretValues }),
    ];
    for (const out of outputs) {
      expect(out).toContain('sk-ant-api03-********');
      for (const w of windows) expect(out).not.toContain(w);
    }
  });
});
