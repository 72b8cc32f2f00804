import { grantsOf } from '../model/grants.js';
import { isUnscopedShell } from '../model/tool-rule.js';
import type { Rule } from './types.js';

export const unscopedShell: Rule = {
  meta: {
    id: 'CG102',
    name: 'unscoped-shell',
    severity: 'high',
    summary: 'A shell tool is granted without a scope: `Bash`, `Bash(*)`, `Bash(:*)`, `PowerShell`.',
    rationale:
      'A bare `Bash` rule (or `Bash(*)`, `Bash(:*)`) pre-approves every shell command, so Claude may run ' +
      'anything the user could, without asking: install packages, read credentials, push code, call the ' +
      'network. Anything that can steer the model (a file it reads, an issue it is asked to fix) can then ' +
      'run commands. Grants come from `permissions.allow`, `--allowedTools`, `allowed-tools` in commands and ' +
      'skills, and the `allowed_tools` input of pre-v1 claude-code-action.',
    fix:
      'Grant the commands the job needs, one rule each, e.g. `Bash(npm test:*)`, `Bash(git diff:*)`; ask for ' +
      'the rest.',
    bad: [
      {
        path: '.claude/settings.json',
        note: 'Every shell command pre-approved for everyone who opens the repository.',
        lines: [3],
        content: ['{', '  "permissions": {', '    "allow": ["Read", "Bash"]', '  }', '}', ''].join('\n'),
      },
      {
        path: '.github/workflows/review.yml',
        note: 'An unscoped grant hidden in a list passed to claude-code-action.',
        lines: [10],
        content: [
          'on: pull_request',
          'permissions: { contents: read }',
          'jobs:',
          '  review:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          claude_args: |',
          '            --allowedTools "Read,Grep,Bash(*)"',
          '',
        ].join('\n'),
      },
      {
        path: '.claude/commands/release.md',
        note: 'A slash command whose `allowed-tools` pre-approves every shell command while it runs.',
        lines: [2],
        content: [
          '---',
          'allowed-tools: Read, Bash',
          'description: Cut a release',
          '---',
          'Tag and publish.',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.claude/settings.json',
        note: 'Only the test and lint commands are pre-approved.',
        content: [
          '{',
          '  "permissions": {',
          '    "allow": ["Read", "Bash(npm test:*)", "Bash(npm run lint)"],',
          '    "deny": ["Bash"]',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
      {
        path: '.github/workflows/review.yml',
        note: 'Scoped grants only.',
        content: [
          'on: pull_request',
          'permissions: { contents: read }',
          'jobs:',
          '  review:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          claude_args: |',
          '            --allowedTools "Read,Grep,Bash(gh pr diff:*)"',
          '',
        ].join('\n'),
      },
      {
        path: '.claude/agents/reviewer.md',
        note: "An agent's `tools` list limits what it may use; it pre-approves nothing.",
        content: ['---', 'name: reviewer', 'tools: Read, Grep, Bash', '---', 'Review the diff.', ''].join(
          '\n',
        ),
      },
    ],
  },
  check(model) {
    return grantsOf(model)
      .filter((grant) => isUnscopedShell(grant.rule.value))
      .map((grant) => ({
        span: grant.rule.span,
        message: `"${grant.rule.value.raw.trim()}" in ${grant.origin} lets Claude run any ${grant.rule.value.canonical} command without asking`,
        evidence: `${grant.source}:${grant.rule.value.canonical}`,
      }));
  },
};
