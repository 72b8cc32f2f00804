import { claudeInstalls, installPinning } from '../model/claude-install.js';
import type { ClaudeInstall } from '../model/types.js';
import type { Rule } from './types.js';

/** What installs it, as a reader would name it. */
function what(install: ClaudeInstall): string {
  switch (install.how) {
    case 'action':
      return install.via;
    case 'package-install':
    case 'package-runner':
      return `${install.via} @anthropic-ai/claude-code`;
    case 'install-script': {
      const [fetcher, runner] = install.via.split(' | ');
      return `the install script fetched by ${fetcher} and run by ${runner}`;
    }
    case 'devcontainer-feature':
      return `the dev container feature ${install.via}`;
  }
}

export const unpinnedClaude: Rule = {
  meta: {
    id: 'CG503',
    name: 'unpinned-claude',
    severity: 'medium',
    summary:
      'Claude Code taken without an exact release: claude-code-action on a branch (`@main`, `@beta`) or a tag (low), `npm install -g @anthropic-ai/claude-code` or `npx` without a version, `curl … install.sh | bash`, the dev container feature.',
    rationale:
      "Whatever is installed here runs with the job's token, the repository's secrets and every grant the " +
      'configuration gives Claude. A branch such as `@main` or `@beta` changes under the workflow with every ' +
      'push to it; a package without a version (or with `@latest`, `@next`, a range) is whatever the registry ' +
      'serves on the day the job runs; the install script without a version argument installs the newest ' +
      'release; and the `ghcr.io/anthropics/devcontainer-features/claude-code` feature has no version option ' +
      "at all, so its tag only picks the feature's own script. A compromised or broken release then reaches " +
      'every run at once, and two runs of the same commit may not run the same Claude. A tag such as `@v1` is ' +
      'reported low: it is a release line, but its owner can move it. A full commit SHA, an exact version ' +
      '(`@anthropic-ai/claude-code@2.1.0`, `install.sh | bash -s 2.1.0`) and a version set by a variable are ' +
      'not reported.',
    fix:
      'Pin the action to a full commit SHA (`anthropics/claude-code-action@<40-hex sha> # v1.0.x`, kept fresh ' +
      'by Dependabot or Renovate); install an exact release (`npm install -g @anthropic-ai/claude-code@2.1.0`, ' +
      '`curl -fsSL https://claude.ai/install.sh | bash -s 2.1.0`); in a dev container, install it that way in ' +
      'the Dockerfile or `postCreateCommand` instead of the feature.',
    bad: [
      {
        path: '.github/workflows/claude.yml',
        note: 'The action on its main branch, and the CLI installed at whatever version is newest.',
        lines: [9, 11],
        content: [
          'on: workflow_dispatch',
          'permissions: { contents: read }',
          'jobs:',
          '  review:',
          '    runs-on: ubuntu-latest',
          '    timeout-minutes: 10',
          '    steps:',
          '      - uses: actions/checkout@v4',
          '      - uses: anthropics/claude-code-action@main',
          '      - run: |',
          '          npm install -g @anthropic-ai/claude-code@latest',
          '          claude -p "Summarise the changes" --max-turns 3',
          '',
        ].join('\n'),
      },
      {
        path: 'Dockerfile',
        note: 'The install script piped to a shell without a version.',
        lines: [2],
        content: [
          'FROM node:22-slim',
          'RUN curl -fsSL https://claude.ai/install.sh | bash',
          'USER node',
          '',
        ].join('\n'),
      },
      {
        path: '.devcontainer/devcontainer.json',
        note: "Anthropic's feature installs the newest release whenever the container is built.",
        lines: [4],
        content: [
          '{',
          '  "image": "mcr.microsoft.com/devcontainers/typescript-node:22",',
          '  "features": {',
          '    "ghcr.io/anthropics/devcontainer-features/claude-code:1": {}',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.github/workflows/claude.yml',
        note: 'The action at a full commit SHA, and an exact release of the CLI.',
        content: [
          'on: workflow_dispatch',
          'permissions: { contents: read }',
          'jobs:',
          '  review:',
          '    runs-on: ubuntu-latest',
          '    timeout-minutes: 10',
          '    steps:',
          '      - uses: anthropics/claude-code-action@0123456789abcdef0123456789abcdef01234567 # v1',
          '      - run: |',
          '          npm install -g @anthropic-ai/claude-code@2.1.0',
          '          npx -y @anthropic-ai/claude-code@2.1.0 -p "Summarise the changes" --max-turns 3',
          '',
        ].join('\n'),
      },
      {
        path: 'Dockerfile',
        note: 'The install script given an exact version, and a version chosen at build time.',
        content: [
          'FROM node:22-slim',
          'ARG CLAUDE_CODE_VERSION',
          'RUN curl -fsSL https://claude.ai/install.sh | bash -s 2.1.0',
          'RUN npm install -g @anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model) {
    return claudeInstalls(model).flatMap((install) => {
      const { pin, why } = installPinning(install);
      if (pin !== 'unpinned' && pin !== 'tag') return [];
      const message =
        install.how === 'action'
          ? `${install.via}@${install.version?.value ?? ''} is ${why}; pin it to a full commit SHA`
          : `${what(install)} is not pinned to one release: ${why}`;
      const finding = {
        span: install.span,
        message,
        evidence: `${install.how}:${install.via}@${install.version?.value ?? ''}`,
      };
      return [pin === 'tag' ? { ...finding, severity: 'low' as const } : finding];
    });
  },
};
