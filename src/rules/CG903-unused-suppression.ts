import type { Rule } from './types.js';

/** Reported by the verdict stage, where suppressions meet findings (src/policy/suppress.ts); `check` finds nothing. */
export const unusedSuppression: Rule = {
  meta: {
    id: 'CG903',
    name: 'unused-suppression',
    severity: 'low',
    summary:
      'A suppression that suppresses nothing: no finding of its rule on the line it covers, a rule id that does not exist, a rule locked by the organisation policy, inline suppressions turned off by the policy, or a policy exception that matches no finding.',
    rationale:
      'A suppression left behind after its finding is fixed is a blank cheque: the next problem of that rule on that line would be hidden without anyone deciding so. One that names a wrong rule id, or a rule the organisation locked, never did what its author believed. Saying so keeps the list of accepted risks equal to the risks actually accepted.',
    fix: 'Remove the suppression, or correct its rule id; for a locked rule, ask the owners of the organisation policy for an exception there.',
    bad: [
      {
        path: 'scripts/review.sh',
        note: 'The suppression names CG101, but the line below has no CG101 finding.',
        content:
          '#!/bin/sh\n# claude-guard: ignore[CG101] reason="sandboxed"\nclaude -p "review the diff" --max-turns 3\n',
        lines: [2],
      },
    ],
    good: [
      {
        path: 'scripts/review.sh',
        note: 'The suppression covers the CG101 finding on its line.',
        content:
          '#!/bin/sh\nclaude -p "review" --dangerously-skip-permissions  # claude-guard: ignore[CG101] reason="runs in a throwaway VM"\n',
      },
    ],
  },
  check: () => [],
};
