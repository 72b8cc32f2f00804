import { describe, expect, test } from '@jest/globals';
import {
  claudeFeature,
  claudeInstallsInWords,
  installPinning,
  installScriptDownload,
} from '../src/model/claude-install.js';
import type { Arg, ClaudeInstall } from '../src/model/types.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

async function cg503(files: Record<string, string>): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return verdict.findings
    .filter((f) => f.ruleId === 'CG503')
    .map((f) => `${f.severity} ${f.path}:${f.line}:${f.column}-${f.endColumn} ${f.message}`);
}

/** Words as a reader would give them, each on line 1 at its place in `text`. */
function words(text: string): Arg[] {
  let at = 0;
  return text.split(' ').map((value) => {
    const column = text.indexOf(value, at) + 1;
    at = column - 1 + value.length;
    const span = (from: number, to: number) => ({
      path: 'a.sh',
      line: 1,
      column: column + from,
      endLine: 1,
      endColumn: column + to,
    });
    return { value, span: span(0, value.length), sub: span, dynamic: value.includes('$') };
  });
}

const NO_VERSION = 'no version is given: it gets whatever release npm serves then';
const BRANCH = 'a branch or a moving name: each run takes whatever was pushed to it last';
const TAG = 'a tag, which can be moved to other code';

describe('claudeInstallsInWords and installPinning', () => {
  test.each([
    ['npm install -g @anthropic-ai/claude-code', 'npm install -g', 'unpinned'],
    ['npm i --global @anthropic-ai/claude-code@latest', 'npm i -g', 'unpinned'],
    ['npm -g i @anthropic-ai/claude-code@1.0.58', 'npm i -g', 'exact'],
    ['npm --prefix /opt install @anthropic-ai/claude-code@^1.0', 'npm install', 'unpinned'],
    ['npm install --location=global @anthropic-ai/claude-code@2.1.0-beta.1', 'npm install -g', 'exact'],
    ['npm update -g @anthropic-ai/claude-code', 'npm update -g', 'unpinned'],
    ['pnpm add -g @anthropic-ai/claude-code@1', 'pnpm add -g', 'unpinned'],
    ['yarn global add @anthropic-ai/claude-code@next', 'yarn global add', 'unpinned'],
    ['bun add -g @anthropic-ai/claude-code@=1.0.58', 'bun add -g', 'exact'],
    ['sudo -E npm install -g @anthropic-ai/claude-code', 'npm install -g', 'unpinned'],
    ['docker run --rm node:22 npm i -g @anthropic-ai/claude-code', 'npm i -g', 'unpinned'],
    ['npx -y @anthropic-ai/claude-code -p hi', 'npx', 'unpinned'],
    ['npx -y @anthropic-ai/claude-code@2.1.0 -p hi', 'npx', 'exact'],
    ['npx -p @anthropic-ai/claude-code claude -p hi', 'npx', 'unpinned'],
    ['npx --package=@anthropic-ai/claude-code@latest claude', 'npx', 'unpinned'],
    ['bunx @anthropic-ai/claude-code', 'bunx', 'unpinned'],
    ['pnpm dlx @anthropic-ai/claude-code', 'pnpm dlx', 'unpinned'],
    ['npm exec -- @anthropic-ai/claude-code', 'npm exec', 'unpinned'],
    ['yarn dlx @anthropic-ai/claude-code@2.0.0', 'yarn dlx', 'exact'],
    ['npm i -g @anthropic-ai/claude-code@$VERSION', 'npm i -g', 'unknown'],
  ])('%s: %s, %s', (line, via, pin) => {
    const found = claudeInstallsInWords(words(line));
    expect(found.map((i) => [i.via, installPinning(i).pin])).toEqual([[via, pin]]);
  });

  test.each([
    'npm install -g @anthropic-ai/claude-code-router',
    'npm uninstall -g @anthropic-ai/claude-code',
    'npm view @anthropic-ai/claude-code version',
    'npm run install @anthropic-ai/claude-code',
    'pnpm exec claude -p hi',
    'npx claude -p hi',
    'npm install -g @openai/codex',
    'echo npm install -g @anthropic-ai/claude-code',
  ])('%s installs nothing', (line) => {
    expect(claudeInstallsInWords(words(line))).toEqual([]);
  });

  test('an action ref: a full SHA is a commit, a version a tag, anything else a branch', () => {
    const at = { path: 'w.yml', line: 1, column: 1, endLine: 1, endColumn: 1 };
    const action = (ref: string): ClaudeInstall => ({
      path: 'w.yml',
      how: 'action',
      via: 'anthropics/claude-code-action',
      span: at,
      version: { value: ref, span: at },
    });
    expect(
      [
        '0123456789abcdef0123456789abcdef01234567',
        'v1',
        'v1.0',
        'v1.0.3',
        '1',
        'main',
        'beta',
        'v1-branch',
        '0123abc',
      ].map((ref) => installPinning(action(ref)).pin),
    ).toEqual(['commit', 'tag', 'tag', 'tag', 'tag', 'unpinned', 'unpinned', 'unpinned', 'unpinned']);
  });
});

describe('CG503 unpinned-claude: the action', () => {
  test('at the ref: a branch is medium, a tag low, a full SHA and other vendors silent', async () => {
    expect(
      await cg503({
        '.github/workflows/claude.yml': [
          'on: issue_comment',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-action@main',
          '      - uses: "anthropics/claude-code-action@v1"',
          '      - uses: anthropics/claude-code-action/base-action@beta',
          '      - uses: anthropics/claude-code-base-action@v0.0.63',
          '      - uses: anthropics/claude-code-action@0123456789abcdef0123456789abcdef01234567 # v1.0.3',
          '      - uses: anthropics/claude-code-action@v1-branch',
          '      - uses: openai/codex-action@main',
          '      - uses: google-github-actions/run-gemini-cli@main',
          '      - uses: actions/checkout@main',
          '',
        ].join('\n'),
      }),
    ).toEqual([
      `medium .github/workflows/claude.yml:6:45-49 anthropics/claude-code-action@main is ${BRANCH}; pin it to a full commit SHA`,
      `medium .github/workflows/claude.yml:8:57-61 anthropics/claude-code-action/base-action@beta is ${BRANCH}; pin it to a full commit SHA`,
      `medium .github/workflows/claude.yml:11:45-54 anthropics/claude-code-action@v1-branch is ${BRANCH}; pin it to a full commit SHA`,
      `low .github/workflows/claude.yml:7:46-48 anthropics/claude-code-action@v1 is ${TAG}; pin it to a full commit SHA`,
      `low .github/workflows/claude.yml:9:50-57 anthropics/claude-code-base-action@v0.0.63 is ${TAG}; pin it to a full commit SHA`,
    ]);
  });
});

describe('CG503 unpinned-claude: the CLI', () => {
  test('package managers and runners in a script, at the package word', async () => {
    expect(
      await cg503({
        'scripts/setup.sh': [
          '#!/bin/bash',
          'npm install -g @anthropic-ai/claude-code',
          'sudo npm i -g @anthropic-ai/claude-code@latest',
          'pnpm add -g @anthropic-ai/claude-code@^1.0',
          'yarn global add @anthropic-ai/claude-code@next',
          'npx -y @anthropic-ai/claude-code -p "hi"',
          'bash -c "bun add -g @anthropic-ai/claude-code"',
          'npm i -g @anthropic-ai/claude-code@2.1.0',
          'npx -y @anthropic-ai/claude-code@2.1.0 -p "hi"',
          'npm i -g "@anthropic-ai/claude-code@${CLAUDE_VERSION}"',
          'npm i -g @anthropic-ai/claude-code-router',
          'npm i -g @openai/codex',
          '',
        ].join('\n'),
      }),
    ).toEqual([
      `medium scripts/setup.sh:2:16-41 npm install -g @anthropic-ai/claude-code is not pinned to one release: ${NO_VERSION}`,
      'medium scripts/setup.sh:3:15-47 npm i -g @anthropic-ai/claude-code is not pinned to one release: @latest is a tag that moves with each release',
      'medium scripts/setup.sh:4:13-43 pnpm add -g @anthropic-ai/claude-code is not pinned to one release: @^1.0 is a range, not one release',
      'medium scripts/setup.sh:5:17-47 yarn global add @anthropic-ai/claude-code is not pinned to one release: @next is a tag that moves with each release',
      `medium scripts/setup.sh:6:8-33 npx @anthropic-ai/claude-code is not pinned to one release: ${NO_VERSION}`,
      `medium scripts/setup.sh:7:21-46 bun add -g @anthropic-ai/claude-code is not pinned to one release: ${NO_VERSION}`,
    ]);
  });

  test('the install script, run as it is fetched, at its URL; an exact version argument pins it', async () => {
    const NEWEST = 'no version argument: the script installs the newest release';
    expect(
      await cg503({
        'install.sh': [
          '#!/bin/sh',
          'curl -fsSL https://claude.ai/install.sh | bash',
          'wget -qO- https://claude.ai/install.sh | sudo bash -s -- stable',
          'bash <(curl -fsSL https://claude.ai/install.sh)',
          'sh -c "$(curl -fsSL https://claude.ai/install.sh)"',
          'eval "$(curl -fsSL claude.ai/install.sh)"',
          'curl -fsSL https://claude.ai/install.sh | bash > /tmp/install.log 2>&1',
          'curl -fsSL https://claude.ai/install.sh | bash -s 2.1.0',
          'bash <(curl -fsSL https://claude.ai/install.sh) 2.1.0',
          'curl -fsSL https://claude.ai/install.sh | bash -s "$CLAUDE_VERSION"',
          'curl -fsSL -o /tmp/install.sh https://claude.ai/install.sh',
          'curl -fsSL https://claude.ai/install.sh | tee /tmp/install.sh',
          '',
        ].join('\n'),
      }),
    ).toEqual([
      `medium install.sh:2:12-40 the install script fetched by curl and run by bash is not pinned to one release: ${NEWEST}`,
      'medium install.sh:3:11-39 the install script fetched by wget and run by bash is not pinned to one release: "stable" is a channel, not one release',
      `medium install.sh:4:19-47 the install script fetched by curl and run by bash is not pinned to one release: ${NEWEST}`,
      `medium install.sh:5:21-49 the install script fetched by curl and run by sh is not pinned to one release: ${NEWEST}`,
      `medium install.sh:6:20-40 the install script fetched by curl and run by eval is not pinned to one release: ${NEWEST}`,
      `medium install.sh:7:12-40 the install script fetched by curl and run by bash is not pinned to one release: ${NEWEST}`,
    ]);
  });

  test('every surface that runs shell: workflow, Dockerfile, dev container, Makefile, package.json, GitLab', async () => {
    expect(
      await cg503({
        '.github/workflows/ci.yml': [
          'on: push',
          'jobs:',
          '  a:',
          '    runs-on: windows-latest',
          '    steps:',
          '      - run: npm install -g @anthropic-ai/claude-code',
          '      - shell: pwsh',
          '        run: irm https://claude.ai/install.ps1 | iex',
          '',
        ].join('\n'),
        Dockerfile: [
          'FROM node:22',
          'RUN apt-get update && \\',
          '    npm install -g @anthropic-ai/claude-code && \\',
          '    rm -rf /var/lib/apt/lists/*',
          'RUN ["npm", "install", "-g", "@anthropic-ai/claude-code@latest"]',
          'ENTRYPOINT ["npx", "-y", "@anthropic-ai/claude-code"]',
          'CMD ["--help"]',
          '',
        ].join('\n'),
        '.devcontainer/devcontainer.json': [
          '{',
          '  // JSONC',
          '  "features": {',
          '    "ghcr.io/devcontainers/features/node:1": {},',
          '    "ghcr.io/anthropics/devcontainer-features/claude-code:1.0.5": {},',
          '    "ghcr.io/devcontainers-extra/features/claude-code:1": { "version": "latest" },',
          '    "ghcr.io/devcontainers-extra/features/claude-code:2": "1.0.58"',
          '  },',
          '  "postCreateCommand": "npm i -g @anthropic-ai/claude-code"',
          '}',
          '',
        ].join('\n'),
        Makefile: ['setup:', '\tnpm install -g @anthropic-ai/claude-code', ''].join('\n'),
        'package.json': '{"scripts": {"review": "bunx @anthropic-ai/claude-code -p review"}}\n',
        '.gitlab-ci.yml': [
          'review:',
          '  image: node:22',
          '  script:',
          '    - npm install -g @anthropic-ai/claude-code',
          '    - claude -p "review" --max-turns 5',
          '',
        ].join('\n'),
      }),
    ).toEqual([
      'medium .devcontainer/devcontainer.json:5:6-64 the dev container feature ghcr.io/anthropics/devcontainer-features/claude-code:1.0.5 is not pinned to one release: the feature has no version option: it installs the newest release whenever the container is built',
      'medium .devcontainer/devcontainer.json:6:6-56 the dev container feature ghcr.io/devcontainers-extra/features/claude-code:1 is not pinned to one release: version "latest" is not one release',
      `medium .devcontainer/devcontainer.json:9:34-59 npm i -g @anthropic-ai/claude-code is not pinned to one release: ${NO_VERSION}`,
      `medium .github/workflows/ci.yml:6:29-54 npm install -g @anthropic-ai/claude-code is not pinned to one release: ${NO_VERSION}`,
      'medium .github/workflows/ci.yml:8:18-47 the install script fetched by irm and run by iex is not pinned to one release: no version argument: the script installs the newest release',
      `medium .gitlab-ci.yml:4:22-47 npm install -g @anthropic-ai/claude-code is not pinned to one release: ${NO_VERSION}`,
      `medium Dockerfile:3:20-45 npm install -g @anthropic-ai/claude-code is not pinned to one release: ${NO_VERSION}`,
      'medium Dockerfile:5:31-63 npm install -g @anthropic-ai/claude-code is not pinned to one release: @latest is a tag that moves with each release',
      `medium Dockerfile:6:27-52 npx @anthropic-ai/claude-code is not pinned to one release: ${NO_VERSION}`,
      `medium Makefile:2:17-42 npm install -g @anthropic-ai/claude-code is not pinned to one release: ${NO_VERSION}`,
      `medium package.json:1:30-55 bunx @anthropic-ai/claude-code is not pinned to one release: ${NO_VERSION}`,
    ]);
  });

  test('silent: exact releases everywhere, versions set at build time, other agents', async () => {
    expect(
      await cg503({
        Dockerfile: [
          'FROM node:22',
          'ARG CLAUDE_CODE_VERSION',
          'RUN npm install -g @anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}',
          'RUN curl -fsSL https://claude.ai/install.sh | bash -s 2.1.0',
          'RUN npm install -g @openai/codex @google/gemini-cli',
          '',
        ].join('\n'),
        '.devcontainer/devcontainer.json':
          '{"features": {"ghcr.io/devcontainers-extra/features/claude-code:1": {"version": "2.1.0"}, "./local/claude-code": {}}}\n',
        '.github/workflows/ci.yml': [
          'on: push',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - run: npm install -g @anthropic-ai/claude-code@2.1.0 && claude -p hi',
          '      - uses: anthropics/claude-code-action@0123456789abcdef0123456789abcdef01234567',
          '',
        ].join('\n'),
      }),
    ).toEqual([]);
  });
});

describe('hostile text', () => {
  test('1 MiB words and ids are judged in linear time', () => {
    const big = 'x'.repeat(1 << 20);
    const started = Date.now();
    const line = (text: string) => claudeInstallsInWords(words(text));
    line(`npm install -g @anthropic-ai/claude-code@${'^'.repeat(1 << 20)}`).map(installPinning);
    line(`npx ${'-p '.repeat(1 << 18)}@anthropic-ai/claude-code`);
    expect(
      installScriptDownload(words(`curl ${'claude.ai/install.'.repeat(1 << 16)}${big}`)),
    ).toBeUndefined();
    const at = { path: 'd.json', line: 1, column: 1, endLine: 1, endColumn: 1 };
    expect(claudeFeature({ value: `${':'.repeat(1 << 20)}/claude-code`, span: at }) === undefined).toBe(true);
    expect(
      claudeFeature({ value: `x/claude-code${'@sha256:'.repeat(1 << 16)}`, span: at }) === undefined,
    ).toBe(true);
    expect(claudeFeature({ value: `x/${':a'.repeat(200)}`, span: at }) === undefined).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
