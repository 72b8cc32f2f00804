import { describe, expect, test } from '@jest/globals';
import { defaultPolicy } from '../../src/policy/policy.js';
import { memorySource, scan } from '../../src/scan.js';

describe("GitLab variables are the environment of a job's Claude", () => {
  test('pipeline and job variables, the closer one winning, with origin; the rules judge them', async () => {
    const pipeline = [
      'variables:',
      '  ANTHROPIC_API_KEY: "k9d8f7a6s5d4f3g2h1j0xx"',
      '  NODE_TLS_REJECT_UNAUTHORIZED: "0"',
      '  MODE: outer',
      'review:',
      '  image: node:22',
      '  variables:',
      '    MODE: inner',
      '    OTEL_EXPORTER_OTLP_ENDPOINT: { value: "http://otel.monitoring.svc:4317", description: "x" }',
      '    GH_TOKEN: $GITLAB_TOKEN',
      '  script:',
      '    - claude -p "review the MR"',
      '',
    ].join('\n');
    const { model, verdict } = await scan(memorySource({ '.gitlab-ci.yml': pipeline }), defaultPolicy());
    expect(
      model.runs[0]?.env.map(
        (e) =>
          `${e.name}=${e.value.value} ${e.origin} ${e.scope} ${e.value.span.line}:${e.value.span.column}`,
      ),
    ).toEqual([
      'MODE=inner literal job 8:11',
      'OTEL_EXPORTER_OTLP_ENDPOINT=http://otel.monitoring.svc:4317 literal job 9:44',
      'GH_TOKEN=$GITLAB_TOKEN variable job 10:15',
      'ANTHROPIC_API_KEY=k9d8f7a6s5d4f3g2h1j0xx literal workflow 2:23',
      'NODE_TLS_REJECT_UNAUTHORIZED=0 literal workflow 3:34',
    ]);
    // CG504 (no run limits) is judged in its own tests.
    expect(
      verdict.findings
        .filter((f) => f.ruleId !== 'CG504')
        .map((f) => `${f.ruleId} ${f.line}:${f.column} ${f.message}`),
    ).toEqual([
      "CG202 2:23 ANTHROPIC_API_KEY is given to Claude as literal text in the pipeline's variables; pass a secret reference instead",
      "CG301 3:34 NODE_TLS_REJECT_UNAUTHORIZED=0 in the pipeline's variables: Node.js (and Claude Code with it) accepts any certificate",
      "CG302 9:44 OTEL_EXPORTER_OTLP_ENDPOINT in the job's variables sends telemetry to otel.monitoring.svc over clear text",
      "CG303 9:51 OTEL_EXPORTER_OTLP_ENDPOINT in the job's variables sends telemetry to otel.monitoring.svc, which network.allowed-endpoints does not list",
    ]);
  });
});

describe('before_script and script run in one shell', () => {
  test('an export in an earlier item reaches Claude in a later one, at its place in the file', async () => {
    const pipeline = [
      'review:',
      '  before_script:',
      '    - export ANTHROPIC_AUTH_TOKEN=a99c4e1f7b2d8e3c6f0a',
      '  script:',
      '    - npm ci',
      '    - claude -p "review" --dangerously-skip-permissions',
      '  after_script:',
      '    - claude -p "summarise"',
      '',
    ].join('\n');
    const { model, verdict } = await scan(memorySource({ '.gitlab-ci.yml': pipeline }), defaultPolicy());
    expect(
      model.runs.map((r) => `${r.span.line}:${r.span.column} ${r.env.map((e) => e.name).join(',')}`),
    ).toEqual(['6:7 ANTHROPIC_AUTH_TOKEN', '8:7 ']);
    expect(
      verdict.findings.filter((f) => f.ruleId !== 'CG504').map((f) => `${f.ruleId} ${f.line}:${f.column}`),
    ).toEqual(['CG101 6:26', 'CG202 3:35']);
  });
});
