import type { Located, Span } from '../model/span.js';
import type { IsolationContext } from '../model/types.js';
import type { Rule, RuleContext, RuleFinding } from './types.js';

const ISOLATION_WORDS: Record<IsolationContext, string> = {
  container: 'a container',
  devcontainer: 'a dev container',
};

function finding(
  span: Span,
  message: string,
  evidence: string,
  isolation: Located<IsolationContext> | undefined,
  ctx: RuleContext,
): RuleFinding {
  if (isolation && ctx.dangerousModeAllowIn.includes(isolation.value)) {
    return {
      span,
      message: `${message}, inside ${ISOLATION_WORDS[isolation.value]} (allowed by dangerous-mode.allow-in)`,
      severity: 'low',
      evidence,
      related: [{ span: isolation.span, message: `runs in ${ISOLATION_WORDS[isolation.value]}` }],
    };
  }
  return { span, message, evidence };
}

export const dangerousMode: Rule = {
  meta: {
    id: 'CG101',
    name: 'dangerous-mode',
    severity: 'critical',
    summary: 'Claude Code runs with every permission check skipped (bypass mode).',
    rationale:
      'In bypass mode (`--dangerously-skip-permissions`, `--permission-mode bypassPermissions`, ' +
      '`defaultMode: "bypassPermissions"`) Claude runs every tool call without asking: any shell command, any ' +
      'file write, protected paths such as `.git` and `.claude` included. Anthropic documents that it offers no ' +
      'protection against prompt injection, so whatever text reaches the model decides what runs. ' +
      '`--allow-dangerously-skip-permissions` lets a session be switched into that mode at any moment. Inside a ' +
      'container the policy allows (`dangerous-mode.allow-in`, by default `container` and `devcontainer`) the ' +
      'finding is reported as low.',
    fix:
      'Remove the flag or setting. Grant the few tools the job needs with `--allowedTools` (or ' +
      '`permissions.allow`), and use `--permission-mode dontAsk` in CI so anything not granted is refused.',
    bad: [
      {
        path: '.github/workflows/fix.yml',
        note: 'A workflow step that starts Claude in bypass mode.',
        lines: [9],
        content: [
          'on: workflow_dispatch',
          'permissions: { contents: read }',
          'jobs:',
          '  fix:',
          '    runs-on: ubuntu-latest',
          '    timeout-minutes: 10',
          '    steps:',
          '      - run: |',
          '          claude -p "fix the failing tests" --dangerously-skip-permissions',
          '',
        ].join('\n'),
      },
      {
        path: '.claude/settings.json',
        note: 'Project settings that start every session in bypass mode.',
        lines: [3],
        content: ['{', '  "permissions": {', '    "defaultMode": "bypassPermissions"', '  }', '}', ''].join(
          '\n',
        ),
      },
      {
        path: 'scripts/agent.sh',
        note: 'The mode given through `--permission-mode`, behind `sudo` and an env prefix.',
        lines: [2],
        content: ['#!/bin/sh', 'CI=1 sudo -E claude --permission-mode bypassPermissions -p "$1"', ''].join(
          '\n',
        ),
      },
      {
        path: '.claude/agents/fixer.md',
        note: 'A subagent that runs in bypass mode whenever it is used.',
        lines: [4],
        content: [
          '---',
          'name: fixer',
          'description: Fixes failing tests',
          'permissionMode: bypassPermissions',
          '---',
          'Fix the failing tests.',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.github/workflows/fix.yml',
        note: 'The same job with a narrow grant and `dontAsk`, so anything else is refused.',
        content: [
          'on: workflow_dispatch',
          'permissions: { contents: read }',
          'jobs:',
          '  fix:',
          '    runs-on: ubuntu-latest',
          '    timeout-minutes: 10',
          '    steps:',
          '      - run: |',
          '          claude -p "fix the failing tests" --permission-mode dontAsk \\',
          '            --allowedTools "Bash(npm test:*)" Read Edit',
          '',
        ].join('\n'),
      },
      {
        path: '.claude/settings.json',
        note: 'Edits accepted without a prompt; everything else still asks.',
        content: ['{', '  "permissions": {', '    "defaultMode": "acceptEdits"', '  }', '}', ''].join('\n'),
      },
      {
        path: 'scripts/agent.sh',
        note: 'The flag only mentioned in a message, not passed to Claude.',
        content: ['#!/bin/sh', 'echo "never run claude --dangerously-skip-permissions here"', ''].join('\n'),
      },
    ],
  },
  check(model, ctx) {
    const findings: RuleFinding[] = [];
    for (const run of model.runs) {
      const cmd = run.command;
      if (!cmd) continue;
      const isolation = run.context.isolation;
      const via = run.kind === 'action' ? ' (claude_args)' : '';
      if (cmd.dangerouslySkipPermissions) {
        const f = finding(
          cmd.dangerouslySkipPermissions,
          `Claude runs with every permission check skipped: --dangerously-skip-permissions${via}`,
          '--dangerously-skip-permissions',
          isolation,
          ctx,
        );
        // Refuse what is not granted instead of allowing everything, unless a mode is already given.
        if (!cmd.permissionMode)
          f.edit = { expect: '--dangerously-skip-permissions', replacement: '--permission-mode dontAsk' };
        findings.push(f);
      }
      if (cmd.allowDangerouslySkipPermissions) {
        findings.push(
          finding(
            cmd.allowDangerouslySkipPermissions,
            `Claude can be switched into bypass mode at any moment: --allow-dangerously-skip-permissions${via}`,
            '--allow-dangerously-skip-permissions',
            isolation,
            ctx,
          ),
        );
      }
      if (cmd.permissionMode?.value === 'bypassPermissions') {
        const f = finding(
          cmd.permissionMode.span,
          `Claude runs with every permission check skipped: --permission-mode bypassPermissions${via}`,
          '--permission-mode bypassPermissions',
          isolation,
          ctx,
        );
        f.edit = { expect: 'bypassPermissions', replacement: 'dontAsk' };
        findings.push(f);
      }
    }
    for (const doc of model.settings) {
      if (doc.defaultMode?.value !== 'bypassPermissions') continue;
      const where = doc.scope === 'inline' ? 'the settings input' : doc.path;
      findings.push(
        finding(
          doc.defaultMode.span,
          `permissions.defaultMode "bypassPermissions" in ${where} starts Claude with every permission check skipped`,
          'defaultMode bypassPermissions',
          doc.isolation,
          ctx,
        ),
      );
    }
    for (const definition of model.definitions) {
      if (definition.permissionMode?.value !== 'bypassPermissions') continue;
      findings.push(
        finding(
          definition.permissionMode.span,
          `permissionMode "bypassPermissions" in agent ${definition.path} runs it with every permission check skipped`,
          'agent permissionMode bypassPermissions',
          definition.isolation,
          ctx,
        ),
      );
    }
    return findings;
  },
};
