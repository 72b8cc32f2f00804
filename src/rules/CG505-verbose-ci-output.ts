import { envSettings, type EnvSetting } from '../model/env.js';
import type { ClaudeRun } from '../model/types.js';
import type { Rule, RuleFinding } from './types.js';

/** Flags that make Claude print its debug log: `-d` is `--debug`'s short form. */
const DEBUG_FLAGS = new Set(['--debug', '-d']);
/** Variables that make the Anthropic client log every request and response. */
const CLIENT_LOG = new Set(['ANTHROPIC_LOG', 'ANTHROPIC_LOG_LEVEL']);

function isCi(run: ClaudeRun | undefined): boolean {
  return run?.context.surface === 'workflow' || run?.context.surface === 'gitlab-ci';
}

/** A finding for a variable set where it reaches a CI run, or undefined. */
function envFinding(setting: EnvSetting, ciRepo: boolean): RuleFinding | undefined {
  if (setting.target !== 'claude') return undefined;
  const value = setting.value.value.trim();
  const surface = setting.run?.context.surface;
  if (CLIENT_LOG.has(setting.name)) {
    // A settings file's env reaches every run in the repository, CI runs included.
    const reachesCi = setting.run ? isCi(setting.run) : ciRepo;
    if (!reachesCi || value.toLowerCase() !== 'debug') return undefined;
    return {
      span: setting.value.span,
      message: `${setting.name}=debug in ${setting.where} makes Claude's API client log every request and response — prompts, file contents and tool output — to the CI job log`,
      evidence: `${setting.name}:debug`,
    };
  }
  if (setting.name === 'ACTIONS_STEP_DEBUG' && surface === 'workflow') {
    // claude-code-action shows its full output when this is "true", as show_full_output does.
    if (setting.origin === 'literal') {
      if (value.toLowerCase() !== 'true') return undefined;
      return {
        span: setting.value.span,
        message: `ACTIONS_STEP_DEBUG: true in ${setting.where} turns on step debug output in a workflow that runs Claude: claude-code-action then prints every message of the run, tool results included, to the job log`,
        evidence: 'ACTIONS_STEP_DEBUG:true',
      };
    }
    return {
      span: setting.value.span,
      severity: 'low',
      message: `ACTIONS_STEP_DEBUG in ${setting.where} is set by an expression: whenever it gives true, claude-code-action prints every message of the run, tool results included, to the job log`,
      evidence: 'ACTIONS_STEP_DEBUG:expression',
    };
  }
  if (setting.name === 'CI_DEBUG_TRACE' && surface === 'gitlab-ci') {
    if (setting.origin !== 'literal' || value.toLowerCase() !== 'true') return undefined;
    return {
      span: setting.value.span,
      message: `CI_DEBUG_TRACE: "true" in ${setting.where} prints every command and the value of every variable of the job that runs Claude, its credentials included, to the job log`,
      evidence: 'CI_DEBUG_TRACE:true',
    };
  }
  return undefined;
}

export const verboseCiOutput: Rule = {
  meta: {
    id: 'CG505',
    name: 'verbose-ci-output',
    severity: 'medium',
    summary:
      'A CI run of Claude prints what it saw into the job log: `show_full_output: true`, `--debug`, `ANTHROPIC_LOG=debug`, `ACTIONS_STEP_DEBUG: true`.',
    rationale:
      'Tool results are whatever Claude read or ran: file contents, command output, environment dumps, ' +
      'tokens a command printed. claude-code-action keeps them out of the log unless `show_full_output` is ' +
      'true or `ACTIONS_STEP_DEBUG` is "true" in its environment; `--debug` and a debug log level of the API ' +
      'client print requests, responses and tool details. Job logs of a public repository are public, and ' +
      'in a private one every reader of the repository can read them — long after the run, and outside the ' +
      "platform's secret masking, which only knows the exact values it was given.",
    fix:
      'Remove `show_full_output`, `--debug` and the debug variables from the workflow; to debug a run, re-run ' +
      'it once with debug logging in a private fork, or write the log to a file kept as a short-lived artifact.',
    bad: [
      {
        path: '.github/workflows/claude.yml',
        note: 'Full output and step debugging in the log of a public job.',
        lines: [5, 12],
        content: [
          'on: pull_request',
          'permissions: { contents: read }',
          'env:',
          '  ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}',
          '  ACTIONS_STEP_DEBUG: true',
          'jobs:',
          '  review:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          show_full_output: true',
          '',
        ].join('\n'),
      },
      {
        path: '.gitlab-ci.yml',
        note: 'The debug log of a GitLab run.',
        lines: [3],
        content: ['review:', '  script:', '    - claude -p "Review the change" --debug', ''].join('\n'),
      },
    ],
    good: [
      {
        path: '.github/workflows/claude.yml',
        note: 'Quiet output; the full log kept as a file.',
        content: [
          'on: pull_request',
          'permissions: { contents: read }',
          'jobs:',
          '  review:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          show_full_output: false',
          '      - run: claude -p "Summarise" --debug-file "$RUNNER_TEMP/claude-debug.log" --max-turns 3',
          '',
        ].join('\n'),
      },
      {
        path: 'scripts/debug.sh',
        note: 'Debugging by hand, outside CI.',
        content: ['#!/bin/sh', 'ANTHROPIC_LOG=debug claude --debug', ''].join('\n'),
      },
    ],
  },
  check(model) {
    const findings: RuleFinding[] = [];
    for (const run of model.runs) {
      if (!isCi(run)) continue;
      const full = run.action?.inputs.show_full_output;
      // The input came with v1.0.30: the v0/beta actions have none.
      if (full && run.action?.generation !== 'v0' && full.value.trim() === 'true') {
        findings.push({
          span: full.span,
          message:
            'show_full_output: true prints every message of the run — tool results, file contents, command output — to the job log',
          evidence: 'show_full_output:true',
        });
      }
      for (const flag of run.command?.flags ?? []) {
        if (!DEBUG_FLAGS.has(flag.name)) continue;
        findings.push({
          span: flag.span,
          message: `${flag.name} prints Claude's debug log — API traffic, hook and MCP server output, tool details — to the CI job log`,
          evidence: `flag:${flag.name}`,
        });
      }
    }
    const ciRepo = model.runs.some(isCi);
    for (const setting of envSettings(model)) {
      const found = envFinding(setting, ciRepo);
      if (found) findings.push(found);
    }
    return findings;
  },
};
