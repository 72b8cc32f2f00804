import { describe, expect, test } from '@jest/globals';
import type { Located } from '../../src/model/span.js';
import type { WorkflowStep } from '../../src/model/types.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { memorySource, scan } from '../../src/scan.js';

const at = (l: Located<string> | undefined): string | undefined =>
  l && `${l.value}@${l.span.line}:${l.span.column}-${l.span.endColumn}`;

function stepSummary(step: WorkflowStep): Record<string, unknown> {
  return {
    index: step.index,
    line: step.span.line,
    id: at(step.id),
    name: at(step.name),
    if: at(step.if),
    uses: at(step.uses),
    run: at(step.run),
    with: Object.fromEntries(Object.entries(step.with).map(([k, v]) => [k, at(v)])),
    env: Object.fromEntries(Object.entries(step.env).map(([k, v]) => [k, at(v)])),
    timeout: at(step.timeoutMinutes),
    dir: at(step.workingDirectory),
  };
}

const WORKFLOW = [
  'name: Claude',
  'on:',
  '  issue_comment:',
  '    types: [created, edited]',
  '  pull_request_target:',
  '    types: opened',
  '  workflow_dispatch:',
  'jobs:',
  '  claude:',
  "    if: contains(github.event.comment.body, '@claude')",
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '        with:',
  '          ref: ${{ github.event.pull_request.head.sha }}',
  '      - id: review',
  '        name: Review',
  '        if: always()',
  '        timeout-minutes: 10',
  '        working-directory: app',
  '        run: claude -p "review"',
  '        env:',
  '          TOKEN: ${{ secrets.T }}',
  '  shared:',
  '    uses: acme/workflows/.github/workflows/claude.yml@v2',
  '',
].join('\n');

describe('a workflow that names Claude is kept whole: every trigger, job and step', () => {
  test('triggers with their activity types; jobs with if and uses; every step with its keys', async () => {
    const { model } = await scan(memorySource({ '.github/workflows/c.yml': WORKFLOW }), defaultPolicy());
    expect(model.workflows).toHaveLength(1);
    const [workflow] = model.workflows;
    expect(workflow?.on.map((t) => [at(t.event), t.types.map(at)])).toEqual([
      ['issue_comment@3:3-16', ['created@4:13-20', 'edited@4:22-28']],
      ['pull_request_target@5:3-22', ['opened@6:12-18']],
      ['workflow_dispatch@7:3-20', []],
    ]);
    expect(workflow?.jobs.map((j) => [j.id, at(j.if), at(j.uses), j.steps.length])).toEqual([
      ['claude', "contains(github.event.comment.body, '@claude')@10:9-55", undefined, 2],
      ['shared', undefined, 'acme/workflows/.github/workflows/claude.yml@v2@25:11-57', 0],
    ]);
    expect(workflow?.jobs[0]?.steps.map(stepSummary)).toEqual([
      {
        index: 0,
        line: 13,
        id: undefined,
        name: undefined,
        if: undefined,
        uses: 'actions/checkout@v4@13:15-34',
        run: undefined,
        with: { ref: '${{ github.event.pull_request.head.sha }}@15:16-57' },
        env: {},
        timeout: undefined,
        dir: undefined,
      },
      {
        index: 1,
        line: 16,
        id: 'review@16:13-19',
        name: 'Review@17:15-21',
        if: 'always()@18:13-21',
        uses: undefined,
        run: 'claude -p "review"@21:14-32',
        with: {},
        env: { TOKEN: '${{ secrets.T }}@23:18-34' },
        timeout: '10@19:26-28',
        dir: 'app@20:28-31',
      },
    ]);
    // The Claude run knows its step.
    expect(model.runs.map((r) => [r.span.line, r.context.step?.index, r.context.job?.id])).toEqual([
      [21, 1, 'claude'],
    ]);
  });

  test("a composite action's steps", async () => {
    const action = [
      'name: review',
      'runs:',
      '  using: composite',
      '  steps:',
      '    - uses: actions/setup-node@v4',
      '    - run: npx @anthropic-ai/claude-code -p "review"',
      '      shell: bash',
      '',
    ].join('\n');
    const { model } = await scan(memorySource({ 'action.yml': action }), defaultPolicy());
    expect(model.workflows[0]?.steps?.map((s) => [s.index, at(s.uses), at(s.run)])).toEqual([
      [0, 'actions/setup-node@v4@5:13-34', undefined],
      [1, undefined, 'npx @anthropic-ai/claude-code -p "review"@6:12-53'],
    ]);
    expect(model.workflows[0]?.jobs).toEqual([]);
  });
});
