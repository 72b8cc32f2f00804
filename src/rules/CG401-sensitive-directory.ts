import { startsSession } from '../model/run-as.js';
import { sensitivePath } from '../model/sensitive-paths.js';
import type { Located } from '../model/span.js';
import type { Rule, RuleFinding } from './types.js';

export const sensitiveDirectory: Rule = {
  meta: {
    id: 'CG401',
    name: 'sensitive-directory',
    severity: 'high',
    summary:
      'Claude is given a sensitive folder: `/`, a home directory, `/etc`, `~/.ssh`, `~/.aws`, the Docker socket… through `--add-dir`, `additionalDirectories`, or the folder it starts in.',
    rationale:
      'Claude reads, searches and (with edit permissions) changes everything under the folder it starts in ' +
      'and every folder added with `--add-dir` or `permissions.additionalDirectories`. Given the root of the ' +
      'file system, a home directory, system configuration or a credential folder (`~/.ssh`, `~/.aws`, ' +
      '`~/.kube`, `~/.docker`, `~/.config/gh`, `~/.claude`…), anything that steers the model — a README, an ' +
      'issue, a web page — can have it read keys and tokens or change the system. The table of sensitive ' +
      'folders is curated and tested; paths are compared after `~`, `$HOME`, `/root` and `/home/<user>` are ' +
      'read as a home directory and `//`, `/.` and trailing slashes are removed.',
    fix:
      'Start Claude in the project folder and add only the folders the task needs (`--add-dir ../shared-lib`); ' +
      'hand it credentials through environment variables or a credential helper, never their folder.',
    bad: [
      {
        path: 'scripts/agent.sh',
        note: "The user's SSH keys and the whole file system added to a session.",
        lines: [2, 2],
        content: ['#!/bin/sh', 'claude -p "$1" --add-dir ~/.ssh --add-dir /', ''].join('\n'),
      },
      {
        path: '.claude/settings.json',
        note: 'AWS credentials shared with every session of the project.',
        lines: [3],
        content: [
          '{',
          '  "permissions": {',
          '    "additionalDirectories": ["../shared-lib", "$HOME/.aws/"]',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
      {
        path: '.github/workflows/agent.yml',
        note: 'A CI step that starts Claude at the root of the runner.',
        lines: [8],
        content: [
          'on: workflow_dispatch',
          'permissions: { contents: read }',
          'jobs:',
          '  agent:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - run: claude -p "tidy up" --allowedTools Read',
          '        working-directory: /',
          '',
        ].join('\n'),
      },
      {
        path: 'Dockerfile',
        note: "An image whose agent starts in root's home directory.",
        lines: [3],
        content: ['FROM node:20', 'USER node', 'WORKDIR /root', 'CMD ["claude"]', ''].join('\n'),
      },
    ],
    good: [
      {
        path: 'scripts/agent.sh',
        note: 'A sibling repository and the project folder itself.',
        content: [
          '#!/bin/sh',
          'cd /home/node/app && claude -p "$1" --add-dir ../sibling-repo --add-dir ./',
          '',
        ].join('\n'),
      },
      {
        path: 'Dockerfile',
        note: 'The agent starts in the workspace.',
        content: ['FROM node:20', 'USER node', 'WORKDIR /workspace', 'CMD ["claude"]', ''].join('\n'),
      },
    ],
  },
  check(model) {
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    // `how` names the flag or setting; without one, the folder is the one Claude starts in.
    const report = (folder: Located<string>, evidence: string, how?: string): void => {
      const entry = sensitivePath(folder.value);
      if (!entry) return;
      const s = folder.span;
      const key = `${s.path}\0${s.line}\0${s.column}\0${evidence}`;
      if (seen.has(key)) return;
      seen.add(key);
      findings.push({
        span: folder.span,
        message: how
          ? `${how} gives Claude ${folder.value}: ${entry.why}`
          : `Claude starts in ${folder.value}, which gives it ${entry.why}`,
        evidence: `${evidence}:${entry.path}`,
      });
    };
    for (const run of model.runs) {
      for (const dir of run.command?.addDirs ?? []) report(dir, 'add-dir', '--add-dir');
      const folder = run.context.workingDirectory;
      if (folder && startsSession(run)) report(folder, 'working-directory');
    }
    for (const doc of model.settings) {
      const where = doc.scope === 'inline' ? 'the settings input' : doc.path;
      for (const dir of doc.additionalDirectories) {
        report(dir, 'additionalDirectories', `permissions.additionalDirectories in ${where}`);
      }
    }
    return findings;
  },
};
