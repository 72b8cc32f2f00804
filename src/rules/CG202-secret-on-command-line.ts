import { envSettings, isCredentialName, locatedArg, standInReason } from '../model/env.js';
import type { Rule, RuleFinding } from './types.js';

/** Inputs of claude-code-action and claude-code-base-action that take a credential. */
const CREDENTIAL_INPUTS = new Set([
  'anthropic_api_key',
  'claude_code_oauth_token',
  'github_token',
  'ssh_signing_key',
]);

export const secretOnCommandLine: Rule = {
  meta: {
    id: 'CG202',
    name: 'secret-on-command-line',
    severity: 'high',
    summary:
      'A credential given to Claude as literal text: `ANTHROPIC_API_KEY=… claude`, `docker run -e TOKEN=…`, a ' +
      'workflow `env:` or a settings `env` value, a credential input of claude-code-action — instead of a ' +
      'secret reference.',
    rationale:
      'A credential written into a workflow, script or settings file is readable by everyone who can read the ' +
      'repository, stays in its history after it is removed, and lands in logs and process listings. It cannot ' +
      'be rotated without a commit, and forks copy it. GitHub masks `${{ secrets.X }}` in logs; it cannot mask ' +
      'a literal. This rule looks at the names that hold credentials (`…_API_KEY`, `…_TOKEN`, `…_SECRET`, ' +
      "`…PASSWORD`) and at the action's credential inputs, whatever the value looks like; values written as " +
      'stand-ins (`<token>`, `xxxx`, `dummy`, too short to be a key) are not reported. A value shaped like a ' +
      'known key is also CG201.',
    fix:
      'Store the credential as a repository or organisation secret and pass `${{ secrets.NAME }}`; in a script, ' +
      'read it from the environment the caller provides; then rotate the credential that was committed.',
    bad: [
      {
        path: '.github/workflows/claude.yml',
        note: 'A token written into the job, and an API key given to the action as text.',
        lines: [7, 12],
        content: [
          'on: issue_comment',
          'jobs:',
          '  claude:',
          '    runs-on: ubuntu-latest',
          '    env:',
          '      # a gateway token, written out',
          '      ANTHROPIC_AUTH_TOKEN: gw-7f3a9c2e41d84b6f9a0c',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          github_token: ${{ secrets.GITHUB_TOKEN }}',
          '          anthropic_api_key: "k9d8f7a6s5d4f3g2h1j0"',
          '',
        ].join('\n'),
      },
      {
        path: 'scripts/review.sh',
        note: 'A key passed into a container on the command line.',
        lines: [2],
        content: [
          '#!/bin/sh',
          'docker run --rm -e ANTHROPIC_API_KEY=k9d8f7a6s5d4f3g2h1j0 claude-image claude -p "review"',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.github/workflows/claude.yml',
        note: 'Secret references, and a variable passed through from the runner.',
        content: [
          'on: issue_comment',
          'jobs:',
          '  claude:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
          '      - run: docker run --rm -e ANTHROPIC_API_KEY img claude -p "review"',
          '        env:',
          '          ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}',
          '          GH_TOKEN: ${{ github.token }}',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model) {
    const out: RuleFinding[] = [];
    for (const setting of envSettings(model)) {
      if (setting.target !== 'claude' || setting.origin !== 'literal' || !isCredentialName(setting.name))
        continue;
      if (standInReason(setting.value.value)) continue;
      out.push({
        span: setting.value.span,
        message: `${setting.name} is given to Claude as literal text in ${setting.where}; pass a secret reference instead`,
        evidence: `env:${setting.name}`,
        credential: true,
      });
    }
    for (const run of model.runs) {
      for (const [name, value] of Object.entries(run.action?.inputs ?? {})) {
        if (!CREDENTIAL_INPUTS.has(name) || /\$\{\{/.test(value.value) || standInReason(value.value))
          continue;
        out.push({
          span: locatedArg(value).span,
          message: `input ${name} of ${run.action?.action} is literal text; pass \${{ secrets.… }} instead`,
          evidence: `input:${name}`,
          credential: true,
        });
      }
    }
    return out;
  },
};
