import { describe, expect, test } from '@jest/globals';
import { normalisePath, sensitivePath } from '../src/model/sensitive-paths.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

async function cg401(files: Record<string, string>): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return verdict.findings
    .filter((f) => f.ruleId === 'CG401')
    .map((f) => `${f.severity} ${f.path}:${f.line}:${f.column}-${f.endColumn} ${f.message}`);
}

describe('normalisePath', () => {
  test.each([
    ['/', '/'],
    ['//', '/'],
    ['/./', '/'],
    ['/etc/', '/etc'],
    ['//etc//ssh/.', '/etc/ssh'],
    ['~', '~'],
    ['~/', '~'],
    ['~node', '~'],
    ['~node/.ssh', '~/.ssh'],
    ['$HOME', '~'],
    ['${HOME}/', '~'],
    ['$HOME/.aws/credentials', '~/.aws/credentials'],
    ['/root', '~'],
    ['/root/.ssh/', '~/.ssh'],
    ['/home/node', '~'],
    ['/home/$USER/.kube', '~/.kube'],
    ['/Users/alice/.docker', '~/.docker'],
    ['/home/node/..', '/home'],
    ['/root/..', '/'],
    ['~/..', '/home'],
    ['/home/node/app', '~/app'],
    ['/workspace', '/workspace'],
    ['./', undefined],
    ['.', undefined],
    ['src', undefined],
    ['../sibling-repo', undefined],
    ['$GITHUB_WORKSPACE', undefined],
    ['${{ github.workspace }}', undefined],
    ['', undefined],
  ])('%s → %s', (raw, normal) => {
    expect(normalisePath(raw)).toBe(normal);
  });
});

describe('sensitivePath: the table', () => {
  test.each([
    ['/', '/'],
    ['~', '~'],
    ['~/', '~'],
    ['$HOME', '~'],
    ['${HOME}', '~'],
    ['/root', '~'],
    ['/home/node', '~'],
    ['/home', '/home'],
    ['/home/', '/home'],
    ['/Users', '/Users'],
    ['/etc', '/etc'],
    ['/etc/ssh', '/etc'],
    ['/var', '/var'],
    ['/usr', '/usr'],
    ['/var/run/docker.sock', '/var/run/docker.sock'],
    ['/run/docker.sock', '/run/docker.sock'],
    ['/var/run/secrets/kubernetes.io', '/var/run/secrets'],
    ['/proc/self', '/proc'],
    ['~/.ssh', '~/.ssh'],
    ['~/.ssh/id_ed25519', '~/.ssh'],
    ['$HOME/.ssh', '~/.ssh'],
    ['${HOME}/.aws/', '~/.aws'],
    ['/root/.aws', '~/.aws'],
    ['/home/runner/.kube/config', '~/.kube'],
    ['~/.config', '~/.config'],
    ['~/.config/gh', '~/.config/gh'],
    ['~/.gnupg', '~/.gnupg'],
    ['~/.docker', '~/.docker'],
    ['~/.claude', '~/.claude'],
    ['~/.claude/', '~/.claude'],
    ['~/.netrc', '~/.netrc'],
  ])('%s is sensitive (%s)', (raw, entry) => {
    expect(sensitivePath(raw)?.path).toBe(entry);
  });

  test.each([
    '/home/node/app',
    '/root/app',
    '~/projects/site',
    '/workspace',
    '/workspaces/repo',
    '/usr/src/app',
    '/var/www/html',
    '/opt/agent',
    '/tmp',
    './',
    '.',
    '../sibling-repo',
    'src',
    '$REPO_DIR',
    '$HOME/$PROJECT',
    '~/.claude/skills',
    '~/.config/nvim',
    '${{ github.workspace }}',
  ])('%s is not sensitive', (raw) => {
    expect(sensitivePath(raw)).toBeUndefined();
  });
});

describe('CG401 sensitive-directory', () => {
  test('--add-dir on a command line, in exec form and in claude_args, at the value', async () => {
    expect(
      await cg401({
        'agent.sh': '#!/bin/sh\nclaude -p "$1" --add-dir ~/.ssh --add-dir /etc ../lib "$HOME/.aws"\n',
        Dockerfile: 'FROM node\nUSER node\nCMD ["claude", "--add-dir", "/var/run/docker.sock"]\n',
        '.github/workflows/a.yml': [
          'on: push',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          claude_args: --add-dir /root --max-turns 3',
          '',
        ].join('\n'),
      }),
    ).toEqual([
      'high .github/workflows/a.yml:8:34-39 --add-dir gives Claude /root: a home directory, with every credential and configuration file in it',
      'high Dockerfile:3:30-50 --add-dir gives Claude /var/run/docker.sock: the Docker socket, which is root on the host',
      'high agent.sh:2:26-32 --add-dir gives Claude ~/.ssh: SSH keys',
      'high agent.sh:2:43-47 --add-dir gives Claude /etc: the system configuration',
      'high agent.sh:2:56-66 --add-dir gives Claude $HOME/.aws: AWS credentials',
    ]);
  });

  test('settings additionalDirectories, at each sensitive entry', async () => {
    expect(
      await cg401({
        '.claude/settings.json':
          '{"permissions": {"additionalDirectories": ["../sibling-repo", "/", "${HOME}", "//etc/", "./"]}}\n',
      }),
    ).toEqual([
      'high .claude/settings.json:1:64-65 permissions.additionalDirectories in .claude/settings.json gives Claude /: the whole file system',
      'high .claude/settings.json:1:69-76 permissions.additionalDirectories in .claude/settings.json gives Claude ${HOME}: a home directory, with every credential and configuration file in it',
      'high .claude/settings.json:1:80-86 permissions.additionalDirectories in .claude/settings.json gives Claude //etc/: the system configuration',
    ]);
  });

  test('a cd before Claude in the same script: in its && chain, on an earlier line, cd alone', async () => {
    expect(
      await cg401({
        'a.sh': '#!/bin/sh\ncd / && git pull && claude -p one\n',
        'b.sh': '#!/bin/sh\nset -e\ncd "$HOME"\necho hi\nclaude -p two\n',
        'c.sh': '#!/bin/sh\ncd\nclaude -p three\n',
        'd.sh': '#!/bin/sh\ncd /root || exit 1\nclaude -p four\n',
      }),
    ).toEqual([
      'high a.sh:2:4-5 Claude starts in /, which gives it the whole file system',
      'high b.sh:3:5-10 Claude starts in $HOME, which gives it a home directory, with every credential and configuration file in it',
      'high c.sh:2:1-3 Claude starts in ~, which gives it a home directory, with every credential and configuration file in it',
      'high d.sh:2:4-9 Claude starts in /root, which gives it a home directory, with every credential and configuration file in it',
    ]);
  });

  test('silent on a cd that cannot be told, a later cd, a cd in a subshell, utility calls, a folder given to docker', async () => {
    expect(
      await cg401({
        'a.sh': '#!/bin/sh\ncd /\nif [ -n "$REPO" ]; then cd "$REPO"; fi\nclaude -p one\n',
        'b.sh': '#!/bin/sh\ncd / && cd /home/node/app && claude -p two\n',
        'c.sh': '#!/bin/sh\ncd /\ncd repo\nclaude -p three\n',
        'd.sh': '#!/bin/sh\ncd / && claude --version && claude mcp list\n',
        'e.sh': '#!/bin/sh\ncd ~ && docker run --rm -w /app img claude -p five\n',
        'f.sh': '#!/bin/sh\nrun() {\n  cd /\n}\ncd /srv/app\nclaude -p six\n',
        'g.sh': '#!/bin/sh\n# cd / first\nclaude -p seven\n',
      }),
    ).toEqual([]);
  });

  test('workflow working-directory: the step, the job and the workflow defaults', async () => {
    const workflow = [
      'on: push',
      'defaults:',
      '  run:',
      '    working-directory: /etc',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: claude -p one',
      '      - run: claude -p two',
      '        working-directory: ~/',
      '      - run: echo no claude here',
      '        working-directory: /',
      '  b:',
      '    runs-on: ubuntu-latest',
      '    defaults:',
      '      run:',
      '        working-directory: packages/app',
      '    steps:',
      '      - run: claude -p three',
      '      - uses: anthropics/claude-code-action@v1',
      '        working-directory: /',
      '',
    ].join('\n');
    expect(await cg401({ '.github/workflows/w.yml': workflow })).toEqual([
      'high .github/workflows/w.yml:4:24-28 Claude starts in /etc, which gives it the system configuration',
      'high .github/workflows/w.yml:11:28-30 Claude starts in ~/, which gives it a home directory, with every credential and configuration file in it',
    ]);
  });

  test('Dockerfile WORKDIR in effect: at a RUN, and the last of the stage for CMD', async () => {
    const dockerfile = [
      'FROM node:20',
      'WORKDIR /',
      'RUN claude -p "set up"',
      'USER node',
      'CMD ["claude"]',
      'WORKDIR /home/node',
      '',
    ].join('\n');
    expect(await cg401({ Dockerfile: dockerfile })).toEqual([
      'high Dockerfile:2:9-10 Claude starts in /, which gives it the whole file system',
      'high Dockerfile:6:9-19 Claude starts in /home/node, which gives it a home directory, with every credential and configuration file in it',
    ]);
  });

  test('silent on a Dockerfile that starts Claude in its workspace or a folder under a home', async () => {
    expect(
      await cg401({
        Dockerfile: 'FROM node\nWORKDIR /home/node\nWORKDIR app\nUSER node\nCMD ["claude"]\n',
        'docker/b.Dockerfile': 'FROM node\nWORKDIR /workspace\nCMD claude -p hi\n',
        'docker/c.Dockerfile': 'FROM node\nWORKDIR /\nRUN claude --version\n',
      }),
    ).toEqual([]);
  });

  test('devcontainer workspaceFolder and compose working_dir, for commands inside the container', async () => {
    expect(
      await cg401({
        '.devcontainer/devcontainer.json':
          '{\n  "workspaceFolder": "/",\n  "initializeCommand": "claude -p host",\n  "postCreateCommand": "claude -p hi"\n}\n',
        'docker-compose.yml': [
          'services:',
          '  agent:',
          '    image: node:20',
          '    working_dir: /root',
          '    command: claude -p hi',
          '  web:',
          '    image: node:20',
          '    working_dir: /etc',
          '    command: npm start',
          '',
        ].join('\n'),
      }),
    ).toEqual([
      'high .devcontainer/devcontainer.json:2:23-24 Claude starts in /, which gives it the whole file system',
      'high docker-compose.yml:4:18-23 Claude starts in /root, which gives it a home directory, with every credential and configuration file in it',
    ]);
  });

  test("silent on the official dev container's shape and on ordinary folders", async () => {
    expect(
      await cg401({
        '.devcontainer/devcontainer.json':
          '{\n  "remoteUser": "node",\n  "workspaceFolder": "/workspace",\n  "postStartCommand": "sudo /usr/local/bin/init-firewall.sh && claude -p hi"\n}\n',
        'docker-compose.yml':
          'services:\n  a:\n    image: x\n    working_dir: /usr/src/app\n    command: claude -p hi\n',
        '.claude/settings.json':
          '{"permissions": {"additionalDirectories": ["../docs", "/workspace/shared"]}}\n',
      }),
    ).toEqual([]);
  });
});

describe('CG401: --add-dir=VALUE with a variable', () => {
  test('the flag is read although its value is a variable, and the value judged as written', async () => {
    const script = [
      '#!/bin/sh',
      'claude -p x --add-dir=$HOME',
      'claude -p x --add-dir="$HOME"',
      'claude -p x --add-dir="${HOME}/.aws"',
      'claude -p x --add-dir="$WORKSPACE/docs"',
      '',
    ].join('\n');
    const { verdict } = await scan(memorySource({ 'run.sh': script }), defaultPolicy());
    expect(verdict.findings.map((f) => `${f.ruleId} ${f.line}:${f.column}-${f.endColumn}`)).toEqual([
      'CG401 2:23-28',
      'CG401 3:24-29',
      'CG401 4:24-36',
    ]);
  });
});
