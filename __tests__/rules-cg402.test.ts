import { describe, expect, test } from '@jest/globals';
import { isRootUser } from '../src/model/run-as.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';

async function cg402(files: Record<string, string>): Promise<string[]> {
  const { verdict } = await scan(memorySource(files), defaultPolicy());
  return verdict.findings
    .filter((f) => f.ruleId === 'CG402')
    .map((f) => `${f.severity} ${f.path}:${f.line}:${f.column}-${f.endColumn} ${f.message}`);
}

const ROOT = 'Claude runs as root through sudo';
const SANDBOX =
  "IS_SANDBOX=1 turns off Claude's refusal to skip permission checks as root, and Claude runs as root here";
const IMPLICIT =
  "Claude runs as the image's default user, root: no user is set, and IS_SANDBOX=1 is only needed as root";

describe('isRootUser', () => {
  test.each([
    ['root', true],
    ['0', true],
    ['0:0', true],
    ['root:root', true],
    ['#0', true],
    [' root ', true],
    ['node', false],
    ['1000:1000', false],
    ['00', false],
    ['rootless', false],
    ['$USER', false],
    ['', false],
  ])('%s: %s', (value, root) => {
    expect(isRootUser(value)).toBe(root);
  });
});

describe('CG402 privileged-run: sudo', () => {
  test('sudo and doas without another user, at the wrapper word', async () => {
    expect(
      await cg402({
        'a.sh': [
          '#!/bin/sh',
          'sudo claude -p one',
          'timeout 600 sudo -E claude -p two',
          'sudo -u root claude -p three',
          'doas claude -p four',
          'sudo -u#0 claude -p five',
          '',
        ].join('\n'),
      }),
    ).toEqual([
      `high a.sh:2:1-5 ${ROOT}`,
      `high a.sh:3:13-17 ${ROOT}`,
      `high a.sh:4:1-5 ${ROOT}`,
      'high a.sh:5:1-5 Claude runs as root through doas',
      `high a.sh:6:1-5 ${ROOT}`,
    ]);
  });

  test('silent: sudo to another user, utility calls, sudo around a container runner, sudo for an install', async () => {
    expect(
      await cg402({
        'a.sh': [
          '#!/bin/sh',
          'sudo -u node claude -p one',
          'sudo --user=agent claude -p two',
          'sudo -Eu ci claude -p three',
          'sudo claude update',
          'sudo claude --version',
          'sudo docker run --rm img claude -p four',
          'sudo npm install -g @anthropic-ai/claude-code@1.0.0',
          'sudo -u "$RUNNER_USER" claude -p five',
          '',
        ].join('\n'),
      }),
    ).toEqual([]);
  });
});

describe('CG402 privileged-run: root in a container', () => {
  test('Dockerfile USER root / 0 / 0:0 in effect where Claude starts (medium, at the value)', async () => {
    expect(
      await cg402({
        Dockerfile: 'FROM node:20\nUSER root\nRUN claude -p "set up"\nUSER node\nCMD ["claude"]\n',
        'b.Dockerfile': 'FROM node:20\nUSER node\nCMD claude -p hi\nUSER 0:0\n',
        'c.Dockerfile': 'FROM node:20 AS base\nUSER 0\nFROM base\nENTRYPOINT ["claude"]\n',
      }),
    ).toEqual([
      'medium Dockerfile:2:6-10 Claude runs as root in the container (user root)',
      'medium b.Dockerfile:4:6-9 Claude runs as root in the container (user 0:0)',
      'medium c.Dockerfile:2:6-7 Claude runs as root in the container (user 0)',
    ]);
  });

  test('Compose user, devcontainer remoteUser, a job container --user (medium, at the value)', async () => {
    expect(
      await cg402({
        'compose.yaml': [
          'services:',
          '  agent:',
          '    image: node:20',
          '    user: root',
          '    command: ["claude", "-p", "hi"]',
          '  other:',
          '    image: node:20',
          '    user: "0"',
          '    command: claude -p there',
          '',
        ].join('\n'),
        '.devcontainer/devcontainer.json':
          '{ "remoteUser": "root", "postCreateCommand": "claude -p setup" }\n',
        '.github/workflows/a.yml': [
          'on: push',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          '    container:',
          '      image: node:20',
          '      options: --cpus 2 --user 0',
          '    steps:',
          '      - run: claude -p hi',
          '  b:',
          '    runs-on: ubuntu-latest',
          '    container:',
          '      image: node:20',
          '      options: --user=root',
          '    steps:',
          '      - run: claude -p hi',
          '',
        ].join('\n'),
      }),
    ).toEqual([
      'medium .devcontainer/devcontainer.json:1:18-22 Claude runs as root in the container (user root)',
      'medium .github/workflows/a.yml:7:32-33 Claude runs as root in the container (user 0)',
      'medium .github/workflows/a.yml:14:23-27 Claude runs as root in the container (user root)',
      'medium compose.yaml:4:11-15 Claude runs as root in the container (user root)',
      'medium compose.yaml:8:12-13 Claude runs as root in the container (user 0)',
    ]);
  });

  test('silent: a non-root user, the implicit image user with no further sign, containerUser root under remoteUser node', async () => {
    expect(
      await cg402({
        Dockerfile: 'FROM node:20\nUSER root\nRUN apt-get update\nUSER node\nCMD ["claude", "-p", "hi"]\n',
        'b.Dockerfile': 'FROM node:20\nCMD ["claude", "--dangerously-skip-permissions"]\n',
        'c.Dockerfile':
          'FROM node:20\nUSER root\nRUN npm i -g @anthropic-ai/claude-code@1.0.0 && claude --version\n',
        'compose.yaml': 'services:\n  a:\n    image: node:20\n    command: claude -p hi\n',
        '.devcontainer/devcontainer.json':
          '{ "containerUser": "root", "remoteUser": "node", "postCreateCommand": "claude -p setup" }\n',
        '.github/workflows/a.yml': [
          'on: push',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          '    container: node:20',
          '    steps:',
          '      - run: claude -p hi',
          '',
        ].join('\n'),
      }),
    ).toEqual([]);
  });
});

describe('CG402 privileged-run: IS_SANDBOX=1 as root', () => {
  test('with an explicit root user or sudo: at the assignment, and the root cause apart', async () => {
    expect(
      await cg402({
        Dockerfile:
          'FROM node:20\nUSER root\nENV IS_SANDBOX=1\nCMD ["claude", "--dangerously-skip-permissions"]\n',
        'a.sh': '#!/bin/sh\nexport IS_SANDBOX=1\nsudo -E claude --dangerously-skip-permissions -p hi\n',
        'b.sh': '#!/bin/sh\nsudo IS_SANDBOX=1 claude --dangerously-skip-permissions -p hi\n',
      }),
    ).toEqual([
      `high Dockerfile:3:5-17 ${SANDBOX}`,
      `high a.sh:2:8-20 ${SANDBOX}`,
      `high a.sh:3:1-5 ${ROOT}`,
      `high b.sh:2:1-5 ${ROOT}`,
      `high b.sh:2:17-18 ${SANDBOX}`,
      'medium Dockerfile:2:6-10 Claude runs as root in the container (user root)',
    ]);
  });

  test('with no USER at all: IS_SANDBOX=1 is the sign that the image runs as root (both causes)', async () => {
    expect(
      await cg402({
        Dockerfile: 'FROM node:20\nENV IS_SANDBOX=1\nCMD ["claude", "--dangerously-skip-permissions"]\n',
        'compose.yaml': [
          'services:',
          '  agent:',
          '    image: node:20',
          '    environment:',
          '      - IS_SANDBOX=1',
          '    command: claude --dangerously-skip-permissions',
          '',
        ].join('\n'),
        '.github/workflows/a.yml': [
          'on: push',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          '    container: node:20',
          '    env:',
          '      IS_SANDBOX: 1',
          '    steps:',
          '      - run: claude -p hi --dangerously-skip-permissions',
          '',
        ].join('\n'),
      }),
    ).toEqual([
      `high .github/workflows/a.yml:7:7-20 ${SANDBOX}`,
      `high Dockerfile:2:5-17 ${SANDBOX}`,
      `high compose.yaml:5:9-21 ${SANDBOX}`,
      `medium .github/workflows/a.yml:5:16-23 ${IMPLICIT}`,
      `medium Dockerfile:1:6-13 ${IMPLICIT}`,
      `medium compose.yaml:3:12-19 ${IMPLICIT}`,
    ]);
  });

  test('silent when root is not known, the user is not root, the value is not 1, or sudo drops the variable', async () => {
    expect(
      await cg402({
        'a.sh': '#!/bin/sh\nexport IS_SANDBOX=1\nclaude --dangerously-skip-permissions -p hi\n',
        'b.sh': '#!/bin/sh\nIS_SANDBOX=1 claude -p hi\n',
        Dockerfile: 'FROM node:20\nENV IS_SANDBOX=1\nUSER node\nCMD ["claude"]\n',
        'c.Dockerfile': 'FROM node:20\nUSER root\nENV IS_SANDBOX=0\nCMD ["claude"]\n',
        'd.sh': '#!/bin/sh\nexport IS_SANDBOX=1\nsudo claude -p hi\n',
        '.github/workflows/a.yml': [
          'on: push',
          'env:',
          '  IS_SANDBOX: 1',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - run: claude -p hi',
          '',
        ].join('\n'),
      }),
    ).toEqual([
      `high d.sh:3:1-5 ${ROOT}`,
      // Root is still a cause of its own.
      'medium c.Dockerfile:2:6-10 Claude runs as root in the container (user root)',
    ]);
  });
});

describe('CG402 privileged-run: NOPASSWD:ALL for the user Claude runs as', () => {
  test('a sudoers line written by the image, for that user or for every user, at NOPASSWD', async () => {
    expect(
      await cg402({
        Dockerfile: [
          'FROM node:20',
          'ARG USERNAME=node',
          'RUN echo "$USERNAME ALL=(ALL) NOPASSWD: ALL" >> /etc/sudoers.d/$USERNAME \\',
          '    && chmod 0440 /etc/sudoers.d/$USERNAME',
          'USER ${USERNAME}',
          'CMD ["claude"]',
          '',
        ].join('\n'),
        'b.Dockerfile': [
          'FROM node:20',
          "RUN echo 'ALL ALL=(ALL:ALL) NOPASSWD:ALL' | tee -a /etc/sudoers",
          'USER agent:agent',
          'CMD claude -p hi',
          '',
        ].join('\n'),
      }),
    ).toEqual([
      'high Dockerfile:3:31-44 node may run any command as root without a password (NOPASSWD: ALL), and Claude runs as node',
      'high b.Dockerfile:2:29-41 Every user may run any command as root without a password (NOPASSWD: ALL), and Claude runs as agent',
    ]);
  });

  test("silent: the official dev container's narrow rule, another user's rule, a group, and Claude as root", async () => {
    const official = [
      'FROM node:20',
      'ARG USERNAME=node',
      'WORKDIR /workspace',
      'USER node',
      'RUN npm install -g @anthropic-ai/claude-code@1.0.0',
      'COPY init-firewall.sh /usr/local/bin/',
      'USER root',
      'RUN chmod +x /usr/local/bin/init-firewall.sh && \\',
      '  echo "node ALL=(root) NOPASSWD: /usr/local/bin/init-firewall.sh" > /etc/sudoers.d/node-firewall && \\',
      '  chmod 0440 /etc/sudoers.d/node-firewall',
      'USER node',
      'CMD ["claude"]',
      '',
    ].join('\n');
    expect(
      await cg402({
        '.devcontainer/Dockerfile': official,
        '.devcontainer/devcontainer.json':
          '{\n  "remoteUser": "node",\n  "workspaceFolder": "/workspace",\n  "postStartCommand": "sudo /usr/local/bin/init-firewall.sh && claude -p hi"\n}\n',
        'b.Dockerfile':
          'FROM node\nRUN echo "ci ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers\nRUN echo "%sudo ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers\nUSER node\nCMD ["claude"]\n',
        'c.Dockerfile': 'FROM node\nRUN echo "node ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers\nCMD ["claude"]\n',
        'd.Dockerfile':
          'FROM node\nUSER node\nRUN claude -p hi\nRUN echo "node ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers\n',
      }),
    ).toEqual([]);
  });
});

describe('CG402 privileged-run: a container runner on the command line', () => {
  test("docker run's -u names the user inside; sudo outside it is the host's", async () => {
    expect(
      await cg402({
        'run.sh': [
          '#!/bin/sh',
          'docker run --rm -u root img claude -p hi',
          'docker run --rm --user=0:0 img claude -p hi',
          'docker run --rm --user=node img claude -p hi',
          'sudo docker run img claude -p x',
          '',
        ].join('\n'),
      }),
    ).toEqual([
      'medium run.sh:2:20-24 Claude runs as root in the container (user root)',
      'medium run.sh:3:24-27 Claude runs as root in the container (user 0:0)',
    ]);
  });
});

describe('CG402 privileged-run: privilege droppers of container entry points', () => {
  test('Claude is found behind gosu, su-exec and runuser; the user they name is the one it runs as', async () => {
    const files = {
      'entrypoint.sh': [
        '#!/bin/sh',
        'exec gosu node claude -p "$TASK" --dangerously-skip-permissions',
        'exec su-exec root claude -p "$TASK"',
        'runuser -u agent -- claude -p "$TASK"',
        '',
      ].join('\n'),
    };
    const { verdict, model } = await scan(memorySource(files), defaultPolicy());
    expect(
      model.runs.map((r) => [r.span.line, r.context.user?.value, r.wrappers.map((w) => w.value)]),
    ).toEqual([
      [2, 'node', ['exec', 'gosu']],
      [3, 'root', ['exec', 'su-exec']],
      [4, 'agent', ['runuser']],
    ]);
    expect(
      verdict.findings
        .filter((f) => ['CG101', 'CG402'].includes(f.ruleId))
        .map((f) => `${f.ruleId} ${f.path}:${f.line}:${f.column} ${f.message}`),
    ).toEqual([
      'CG101 entrypoint.sh:2:34 Claude runs with every permission check skipped: --dangerously-skip-permissions',
      'CG402 entrypoint.sh:3:6 Claude runs as root through su-exec',
    ]);
  });
});

describe('Claude in a script handed to a shell, a remote host or a container', () => {
  test('sudo bash -c runs it as root; ssh, docker exec and kubectl exec are followed', async () => {
    const script = [
      '#!/bin/sh',
      `sudo bash -c "claude -p 'clean up' --dangerously-skip-permissions"`,
      `ssh build@ci-box 'claude -p "review" --add-dir ~/.ssh'`,
      'ssh -i key build@ci-box claude -p review --add-dir /etc',
      'docker exec -i box bash -c "claude -p x --dangerously-skip-permissions"',
      'kubectl exec -it agent-0 -- claude -p "triage" --dangerously-skip-permissions',
      'sudo -u node bash -c "claude -p ok"',
      '',
    ].join('\n');
    const { verdict } = await scan(memorySource({ 'run.sh': script }), defaultPolicy());
    expect(verdict.findings.map((f) => `${f.ruleId} ${f.severity} ${f.line}:${f.column}`)).toEqual([
      'CG101 critical 2:36',
      'CG402 high 2:1',
      'CG401 high 3:48',
      'CG401 high 4:52',
      'CG101 low 5:41',
      'CG101 low 6:48',
    ]);
  });
});

describe("a workflow job container's env is the environment of its steps' Claude", () => {
  test('IS_SANDBOX=1 in a root job container, TLS checks off there', async () => {
    const workflow = [
      'on: push',
      'jobs:',
      '  agent:',
      '    runs-on: ubuntu-latest',
      '    container:',
      '      image: node:22',
      '      options: --user root',
      '      env:',
      '        IS_SANDBOX: "1"',
      '        NODE_TLS_REJECT_UNAUTHORIZED: "0"',
      '    steps:',
      '      - run: claude -p "fix" --dangerously-skip-permissions',
      '',
    ].join('\n');
    const { verdict } = await scan(memorySource({ '.github/workflows/c.yml': workflow }), defaultPolicy());
    const judged = verdict.findings.filter((f) => !['CG502', 'CG504'].includes(f.ruleId));
    expect(judged.map((f) => `${f.ruleId} ${f.severity} ${f.line}:${f.column}`)).toEqual([
      'CG402 high 9:9',
      'CG301 high 10:40',
      'CG402 medium 7:23',
      'CG101 low 12:30',
    ]);
  });
});

describe('a here-doc fed to a shell through wrappers, or to a remote shell', () => {
  test('ssh host <<EOF and sudo bash <<EOF are scripts; cat <<EOF is data', async () => {
    const script = [
      '#!/bin/sh',
      "ssh build@ci-box <<'EOF'",
      'cd /srv/app',
      'claude -p "review" --add-dir ~/.ssh',
      'EOF',
      'sudo bash <<EOF',
      'claude -p x --dangerously-skip-permissions',
      'EOF',
      'cat <<EOF',
      'claude --dangerously-skip-permissions',
      'EOF',
      '',
    ].join('\n');
    const { verdict } = await scan(memorySource({ 'run.sh': script }), defaultPolicy());
    expect(verdict.findings.map((f) => `${f.ruleId} ${f.severity} ${f.line}:${f.column}`)).toEqual([
      'CG101 critical 7:13',
      'CG401 high 4:30',
      'CG402 high 6:1',
    ]);
  });
});

describe('a command line handed on as one string argument', () => {
  test("a project's remote-exec function, gcloud compute ssh --command and trap run it; echo, git and prompts do not", async () => {
    const script = [
      '#!/bin/bash',
      'cloud_exec() { gcloud compute ssh "$1" --command "$2"; }',
      `cloud_exec "$app" "cd /srv/app && claude -p 'fix it' --dangerously-skip-permissions"`,
      'gcloud compute ssh vm-1 --command "claude -p review --add-dir /etc"',
      'echo "claude --dangerously-skip-permissions"',
      'git commit -m "run claude --dangerously-skip-permissions"',
      'claude -p "then run claude --dangerously-skip-permissions in the container"',
      'trap "claude -p cleanup --dangerously-skip-permissions" EXIT',
      '',
    ].join('\n');
    const { verdict, model } = await scan(memorySource({ 'run.sh': script }), defaultPolicy());
    expect(verdict.findings.map((f) => `${f.ruleId} ${f.severity} ${f.line}:${f.column}`)).toEqual([
      'CG101 critical 3:54',
      'CG101 critical 8:25',
      'CG401 high 4:63',
    ]);
    expect(
      model.runs.filter((r) => r.span.line !== 7).map((r) => [r.span.line, r.wrappers[0]?.value]),
    ).toEqual([
      [3, 'cloud_exec'],
      [4, 'gcloud'],
      [8, 'trap'],
    ]);
  });
});
