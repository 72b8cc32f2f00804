import type { Rule } from './types.js';

/** Reported by the verdict stage, where suppressions meet findings (src/policy/suppress.ts); `check` finds nothing. */
export const unexplainedSuppression: Rule = {
  meta: {
    id: 'CG904',
    name: 'unexplained-suppression',
    severity: 'low',
    summary:
      'An inline suppression that does not say what the policy asks of it — a reason (`reason="…"`, asked by default), an owner or an expiry when the policy requires them, a rule id, a real `until=` date: it does not apply.',
    rationale:
      'A suppression is read later by someone who did not write it. Without a reason they cannot tell an accepted risk from a silenced alarm, without an owner they cannot ask, and without an expiry nobody ever looks again. A suppression that lacks what the policy requires therefore does not suppress: the finding it meant to hide still counts, and this finding says what is missing.',
    fix: 'Complete the comment: `# claude-guard: ignore[CG103] reason="why this is acceptable" owner="@team" until=YYYY-MM-DD`.',
    bad: [
      {
        path: 'scripts/review.sh',
        note: 'No reason: the suppression does not apply, and CG101 is still reported on the same line.',
        content:
          '#!/bin/sh\nclaude -p "review" --dangerously-skip-permissions  # claude-guard: ignore[CG101]\n',
        lines: [2],
      },
    ],
    good: [
      {
        path: 'scripts/review.sh',
        note: 'A reason is given: the CG101 finding is suppressed.',
        content:
          '#!/bin/sh\n# claude-guard: ignore[CG101] reason="runs in a throwaway VM"\nclaude -p "review" --dangerously-skip-permissions\n',
      },
    ],
  },
  check: () => [],
};
