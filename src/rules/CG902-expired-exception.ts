import type { Rule } from './types.js';

/** Reported by the verdict stage, where suppressions meet findings (src/policy/suppress.ts); `check` finds nothing. */
export const expiredException: Rule = {
  meta: {
    id: 'CG902',
    name: 'expired-exception',
    severity: 'high',
    summary:
      'A policy exception or an inline suppression whose last day (`expires:`, `until=`) has passed: it no longer suppresses, and the finding it covered counts again.',
    rationale:
      'An exception is a decision with a date on it: accepted until someone looks again. When the day passes, claude-guard does not keep hiding the finding — it reports it as it would without the exception, and this finding says which exception lapsed, who owns it and why it was granted, so the owner renews it on purpose or fixes the cause. A date that silently stops mattering is how exceptions rot.',
    fix: 'Fix what the exception covered, or renew it with a new `expires:` (`until=`) after reviewing the reason; remove it when it is no longer needed.',
    bad: [
      {
        path: 'Dockerfile',
        note: 'An inline suppression that ended in 2020: it is reported, and the finding below it counts again.',
        content:
          'FROM node:20\nRUN npm install -g @anthropic-ai/claude-code@1.0.100\n# claude-guard: ignore[CG402] reason="legacy image" until=2020-01-31\nUSER root\nCMD ["claude", "-p", "review"]\n',
        lines: [3],
      },
      {
        path: '.github/workflows/sandbox.yml',
        note: 'A policy exception for CG101 that ended in 2020: reported on each finding it covered.',
        policy:
          'version: 1\nexceptions:\n  - rule: CG101\n    paths: [".github/workflows/sandbox.yml"]\n    reason: "throwaway VM"\n    owner: "@acme/platform"\n    expires: 2020-03-31\n',
        content:
          'on: workflow_dispatch\npermissions: { contents: read }\njobs:\n  run:\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n      - run: claude -p "tidy" --dangerously-skip-permissions --max-turns 3\n        env: { ANTHROPIC_API_KEY: "${{ secrets.ANTHROPIC_API_KEY }}" }\n',
        lines: [8],
      },
    ],
    good: [
      {
        path: 'Dockerfile',
        note: 'A suppression that runs until 2999 still suppresses.',
        content:
          'FROM node:20\nRUN npm install -g @anthropic-ai/claude-code@1.0.100\n# claude-guard: ignore[CG402] reason="legacy image" until=2999-01-31\nUSER root\nCMD ["claude", "-p", "review"]\n',
      },
    ],
  },
  check: () => [],
};
