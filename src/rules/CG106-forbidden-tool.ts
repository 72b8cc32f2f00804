import { escapeHatchOf } from '../model/escape-hatches.js';
import { allowedBy, deniedBy, grantsNothing } from '../model/grant-match.js';
import { grantsOf } from '../model/grants.js';
import type { ToolRule } from '../model/types.js';
import type { Rule } from './types.js';

/** Text of the repository or the policy in a message, kept short. */
function short(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 77)}…` : one;
}

/** The words a fingerprint holds for a grant: the tool and its specifier, as Claude reads them. */
function identity(rule: ToolRule): string {
  return rule.specifier === undefined ? rule.canonical : `${rule.canonical}(${rule.specifier.trim()})`;
}

export const forbiddenTool: Rule = {
  meta: {
    id: 'CG106',
    name: 'forbidden-tool',
    severity: 'high',
    summary:
      'A grant lets Claude use a tool the policy forbids (`tools.deny`), or one outside the tools the policy accepts (`tools.allow`).',
    rationale:
      'An organisation lists in its policy the tools Claude must never be pre-approved for — pushing with ' +
      'git, a production database server, reading a secrets folder — and, when it wants, the only ones it may ' +
      'be. A grant is compared the way Claude Code matches permission rules: a bare tool is every use of it, ' +
      '`git:*` and `git *` are every git command, legacy names are the tools they stand for, `mcp__srv` is ' +
      'every tool of that server, and `*` in a tool name is any run of characters. A grant wider than a denied ' +
      'pattern is caught too (`Bash(git:*)` lets Claude run `git push`), and so is a scoped grant of a ' +
      'command that runs any other (`Bash(sudo:*)`, `Bash(env *)`). Against an allow list a grant is accepted ' +
      'only when one pattern covers all of it.',
    fix:
      'Remove the grant, or narrow it to commands the policy accepts (`Bash(git status)` rather than ' +
      '`Bash(git:*)`); if the policy is what is wrong, change `tools` in `.github/claude-guard.yml`.',
    bad: [
      {
        path: '.claude/settings.json',
        note: 'The policy denies `git push`; `Bash(git:*)` grants it among every other git command.',
        policy: ['version: 1', 'tools:', '  deny: ["Bash(git push:*)", "mcp__postgres__*"]', ''].join('\n'),
        lines: [3, 3],
        content: [
          '{',
          '  "permissions": {',
          '    "allow": ["Read", "Bash(git:*)", "mcp__postgres"]',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
      {
        path: '.github/workflows/review.yml',
        note: 'The policy accepts read-only tools and git status; the run is also given `Edit`.',
        policy: ['version: 1', 'tools:', '  allow: [Read, Grep, Glob, "Bash(git status)"]', ''].join('\n'),
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
          '            --allowedTools "Read,Grep,Bash(git status),Edit"',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.claude/settings.json',
        note: 'Git commands other than push, under a policy that denies push.',
        policy: ['version: 1', 'tools:', '  deny: ["Bash(git push:*)"]', ''].join('\n'),
        content: [
          '{',
          '  "permissions": {',
          '    "allow": ["Read", "Bash(git status)", "Bash(git diff:*)", "Bash(git log *)"]',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
      {
        path: '.claude/settings.json',
        note: 'Without `tools` in the policy, nothing is forbidden.',
        content: ['{', '  "permissions": {', '    "allow": ["Bash(git:*)", "Edit"]', '  }', '}', ''].join(
          '\n',
        ),
      },
    ],
  },
  check(model, ctx) {
    const { allow, deny } = ctx.tools;
    if (deny.length === 0 && allow === undefined) return [];
    return grantsOf(model).flatMap((grant) => {
      const rule = grant.rule.value;
      if (grantsNothing(rule)) return [];
      const name = `"${short(rule.raw)}" in ${grant.origin}`;
      const denied = deniedBy(deny, rule);
      if (denied !== undefined) {
        const hatch = deniedBy(deny, rule, false) === undefined ? escapeHatchOf(rule) : undefined;
        const through = hatch ? `: ${hatch.fixed} with any arguments ${hatch.hatch.why}` : '';
        return [
          {
            span: grant.rule.span,
            message: `${name} lets Claude do what policy tools.deny forbids with "${short(denied)}"${through}`,
            evidence: `${grant.source}:deny:${denied}:${identity(rule)}`,
          },
        ];
      }
      if (allow !== undefined && allowedBy(allow, rule) === undefined) {
        const why =
          allow.length === 0 ? ', which is empty' : ': no pattern there covers all the grant allows';
        return [
          {
            span: grant.rule.span,
            message: `${name} is outside policy tools.allow${why}`,
            evidence: `${grant.source}:allow:${identity(rule)}`,
          },
        ];
      }
      return [];
    });
  },
};
