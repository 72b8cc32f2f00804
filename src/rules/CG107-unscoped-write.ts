import { grantsOf } from '../model/grants.js';
import { isUnscopedWrite } from '../model/tool-rule.js';
import type { Rule } from './types.js';

export const unscopedWrite: Rule = {
  meta: {
    id: 'CG107',
    name: 'unscoped-write',
    severity: 'medium',
    summary:
      'A file-editing tool is granted without a path: `Edit`, `Write`, `MultiEdit`, `NotebookEdit`, `Edit(**)`.',
    rationale:
      'A bare `Edit` or `Write` grant (or one over the whole tree, `Edit(**)`) lets Claude change any file ' +
      'without asking: CI workflows, build scripts, `package.json` scripts, git hooks, and its own settings in ' +
      '`.claude/`. A change to any of those runs code later, on a developer machine or in CI, so a prompt ' +
      'injection that reaches the model can plant it. Path rules on `Edit` keep writes where the task needs ' +
      'them; Claude Code consults path rules on `Edit` only (rules on `Write(…)` with a path are never ' +
      'consulted).',
    fix:
      'Grant edits under the folders the task works on, e.g. `Edit(src/**)`, `Edit(docs/**)`; leave the rest to ' +
      'ask, and deny `Edit(.github/**)` and `Edit(.claude/**)`.',
    bad: [
      {
        path: '.claude/settings.json',
        note: 'Every file may be edited and written without a prompt.',
        lines: [3, 3],
        content: ['{', '  "permissions": {', '    "allow": ["Read", "Edit", "Write"]', '  }', '}', ''].join(
          '\n',
        ),
      },
      {
        path: 'scripts/fix.sh',
        note: 'A CI script granting edits over the whole tree.',
        lines: [2],
        content: ['#!/bin/sh', 'claude -p "fix the lint errors" --allowedTools "Read,Edit(**)"', ''].join(
          '\n',
        ),
      },
    ],
    good: [
      {
        path: '.claude/settings.json',
        note: 'Edits limited to the source and docs folders; workflows denied.',
        content: [
          '{',
          '  "permissions": {',
          '    "allow": ["Read", "Edit(src/**)", "Edit(docs/**)"],',
          '    "deny": ["Edit(.github/**)", "Write"]',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model) {
    return grantsOf(model)
      .filter((grant) => isUnscopedWrite(grant.rule.value))
      .map((grant) => ({
        span: grant.rule.span,
        message: `"${grant.rule.value.raw.trim()}" in ${grant.origin} lets Claude change any file without asking`,
        evidence: `${grant.source}:${grant.rule.value.canonical}:${grant.rule.value.specifier?.trim() ?? ''}`,
      }));
  },
};
