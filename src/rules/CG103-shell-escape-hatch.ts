import { escapeHatchOf } from '../model/escape-hatches.js';
import { grantsOf } from '../model/grants.js';
import type { Rule } from './types.js';

export const shellEscapeHatch: Rule = {
  meta: {
    id: 'CG103',
    name: 'shell-escape-hatch',
    severity: 'high',
    summary:
      'A scoped shell grant that still runs anything: `Bash(npx:*)`, `Bash(python3 -c:*)`, `Bash(docker:*)`, `Bash(env *)`, `Bash(find:*)`…',
    rationale:
      'Scoping `Bash` to one command only helps when that command cannot run others. Package runners (`npx`, ' +
      '`uvx`, `npm exec`), interpreters (`node`, `python`, `bash -c`), wrappers (`env`, `xargs`, `timeout`, ' +
      '`sudo`), `find -exec`, `make`, `git -c`, and `docker run`/`exec` all run whatever their arguments say, ' +
      'so a grant that lets Claude choose those arguments is an unscoped shell in disguise — and anything that ' +
      'steers the model can use it. The table of such commands is curated and tested; each carries the risk ' +
      'it opens (`execute`, or `admin` for containers and other users).',
    fix:
      'Grant the exact command the task runs (`Bash(npx prettier --check .)`, `Bash(python3 -m pytest:*)`) ' +
      'instead of the runner with any arguments.',
    bad: [
      {
        path: '.claude/settings.json',
        note: 'Any package through npx, and any container.',
        lines: [3, 3],
        content: [
          '{',
          '  "permissions": {',
          '    "allow": ["Read", "Bash(npx:*)", "Bash(docker run:*)"]',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
      {
        path: '.github/workflows/fix.yml',
        note: 'Inline Python with any code, granted to a CI run.',
        lines: [10],
        content: [
          'on: workflow_dispatch',
          'permissions: { contents: read }',
          'jobs:',
          '  fix:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          claude_args: |',
          '            --allowedTools "Read,Bash(python3 -c:*)"',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.claude/settings.json',
        note: 'Exact commands, and runners fixed to one tool.',
        content: [
          '{',
          '  "permissions": {',
          '    "allow": ["Bash(npx prettier --check .)", "Bash(python3 -m pytest:*)", "Bash(npm run lint)", "Bash(docker ps:*)"]',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model) {
    return grantsOf(model).flatMap((grant) => {
      const found = escapeHatchOf(grant.rule.value);
      if (!found) return [];
      return [
        {
          span: grant.rule.span,
          message: `"${grant.rule.value.raw.trim()}" in ${grant.origin} lets Claude run ${found.fixed} with any arguments: it ${found.hatch.why} (${found.hatch.risk})`,
          evidence: `${grant.source}:${found.fixed}`,
        },
      ];
    });
  },
};
