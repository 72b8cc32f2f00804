import { isRootUser, startsSession } from '../model/run-as.js';
import type { Span } from '../model/span.js';
import type { ClaudeRun, EnvAssignment } from '../model/types.js';
import type { Rule, RuleFinding } from './types.js';

/** `IS_SANDBOX=1` is the only value Claude's root guard looks at. */
function sandboxFlag(run: ClaudeRun): EnvAssignment | undefined {
  return run.env.find((e) => e.name === 'IS_SANDBOX' && e.value.value.trim() === '1' && !e.value.dynamic);
}

/** An assignment from its name to its value when both are written on one line, else its value. */
function assignmentSpan(e: EnvAssignment): Span {
  const value = e.value.span;
  const name = e.nameSpan;
  if (!name || name.path !== value.path || name.line !== value.line || name.column > value.column)
    return value;
  return { ...value, column: name.column };
}

/** The user part of `user:group`. */
function userName(value: string): string {
  return value.trim().split(':')[0] ?? '';
}

/** A sudoers command list that allows every command: `ALL`, or `ALL` among others. */
function allowsAll(commands: string): boolean {
  return commands.split(',').some((c) => c.trim() === 'ALL');
}

/** Wrappers that run their command as another user. */
const USER_SWITCHERS = new Set(['sudo', 'doas', 'gosu', 'su-exec', 's6-setuidgid', 'runuser']);

export const privilegedRun: Rule = {
  meta: {
    id: 'CG402',
    name: 'privileged-run',
    severity: 'high',
    summary:
      'Claude runs as root, or can become root: `sudo claude`, `IS_SANDBOX=1` as root, a container user of root (medium), `NOPASSWD:ALL` for the user it runs as.',
    rationale:
      'As root, every command Claude runs — and every command a prompt injection makes it run — can change ' +
      'the whole system, read every secret on it and, in a container with the Docker socket or extra ' +
      'capabilities, the host. Claude refuses bypass mode as root; `IS_SANDBOX=1` is the undocumented way ' +
      'around that guard, so setting it where Claude runs as root removes the last check. A passwordless ' +
      '`sudo` rule for every command gives the same power to a non-root user. Root is known here when a ' +
      'file says so (`USER root`, `user: "0"`, `remoteUser: root`, a job container with `--user root`), ' +
      'through `sudo`/`doas` without `-u` another user, or — only together with `IS_SANDBOX=1`, which is ' +
      'needed only as root — when an image sets no `USER` at all and so runs as its default user, root for ' +
      'most base images. Each cause is its own finding.',
    fix:
      'Run Claude as an unprivileged user (`USER node`, `remoteUser: node`, `sudo -u agent claude`), drop ' +
      '`IS_SANDBOX`, and allow `sudo` only for the exact commands the environment needs ' +
      '(`node ALL=(root) NOPASSWD: /usr/local/bin/init-firewall.sh`).',
    bad: [
      {
        path: 'scripts/agent.sh',
        note: 'Claude started through sudo: it runs as root.',
        lines: [2],
        content: ['#!/bin/sh', 'sudo -E claude -p "$1" --allowedTools Read', ''].join('\n'),
      },
      {
        path: 'Dockerfile',
        note: 'An image that runs Claude as root with the root guard turned off: two findings, one per cause.',
        lines: [2, 3],
        content: [
          'FROM node:20',
          'ENV IS_SANDBOX=1',
          'USER root',
          'CMD ["claude", "--dangerously-skip-permissions"]',
          '',
        ].join('\n'),
      },
      {
        path: 'docker/agent.Dockerfile',
        note: 'The agent user may run anything as root without a password.',
        lines: [2],
        content: [
          'FROM node:20',
          'RUN echo "node ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/node',
          'USER node',
          'ENTRYPOINT ["claude"]',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: 'Dockerfile',
        note: "The official dev container's shape: a non-root user, sudo only for the firewall script.",
        content: [
          'FROM node:20',
          'COPY init-firewall.sh /usr/local/bin/',
          'RUN echo "node ALL=(root) NOPASSWD: /usr/local/bin/init-firewall.sh" > /etc/sudoers.d/node-firewall',
          'USER node',
          'CMD ["claude"]',
          '',
        ].join('\n'),
      },
      {
        path: 'scripts/agent.sh',
        note: 'sudo used to drop to another user, not to become root.',
        content: ['#!/bin/sh', 'sudo -u agent claude -p "$1"', ''].join('\n'),
      },
    ],
  },
  check(model) {
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    const add = (finding: RuleFinding): void => {
      const s = finding.span;
      const key = `${s.path}\0${s.line}\0${s.column}\0${finding.evidence}`;
      if (seen.has(key)) return;
      seen.add(key);
      findings.push(finding);
    };
    for (const run of model.runs) {
      if (!startsSession(run)) continue;
      const user = run.context.user;
      const root = user !== undefined && isRootUser(user.value);
      const sandbox = sandboxFlag(run);
      if (user?.from === 'sudo' && root) {
        const wrapper = [...run.wrappers].reverse().find((w) => USER_SWITCHERS.has(w.value));
        add({
          span: wrapper?.span ?? user.span,
          message: `Claude runs as root through ${wrapper?.value ?? 'sudo'}`,
          evidence: wrapper?.value ?? 'sudo',
        });
      }
      if (user?.from === 'setting' && root) {
        add({
          span: user.span,
          message: `Claude runs as root in the container (user ${user.value})`,
          severity: 'medium',
          evidence: `root-user:${user.value}`,
        });
      }
      if (user?.from === 'image-default' && sandbox) {
        add({
          span: user.span,
          message:
            "Claude runs as the image's default user, root: no user is set, and IS_SANDBOX=1 is only needed as root",
          severity: 'medium',
          evidence: 'root-user:image-default',
          related: [{ span: assignmentSpan(sandbox), message: 'IS_SANDBOX=1 set here' }],
        });
      }
      if (sandbox && root) {
        add({
          span: assignmentSpan(sandbox),
          message:
            "IS_SANDBOX=1 turns off Claude's refusal to skip permission checks as root, and Claude runs as root here",
          evidence: 'IS_SANDBOX=1',
          related: [
            {
              span: user.span,
              message: user.from === 'image-default' ? 'no user set: root' : 'runs as root',
            },
          ],
        });
      }
      if (user && !root && user.from !== 'image-default' && !user.value.includes('$')) {
        const name = userName(user.value);
        for (const grant of run.context.sudoGrants ?? []) {
          if (!allowsAll(grant.commands.value) || (grant.user !== name && grant.user !== 'ALL')) continue;
          add({
            span: grant.commands.span,
            message: `${grant.user === 'ALL' ? 'Every user' : grant.user} may run any command as root without a password (NOPASSWD: ALL), and Claude runs as ${name}`,
            evidence: `NOPASSWD:ALL:${grant.user}`,
            related: [{ span: user.span, message: `Claude runs as ${name}` }],
          });
        }
      }
    }
    return findings;
  },
};
