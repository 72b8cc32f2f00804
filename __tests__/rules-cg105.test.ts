import { describe, expect, test } from '@jest/globals';
import { parseToolRule } from '../src/model/tool-rule.js';
import { parsePolicy } from '../src/policy/load.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { grantRisk } from '../src/rules/CG105-grant-exceeds-environment.js';
import { memorySource, scan } from '../src/scan.js';

async function cg105(files: Record<string, string>, policy?: string): Promise<string[]> {
  const p = policy === undefined ? defaultPolicy() : parsePolicy(policy, '.github/claude-guard.yml');
  const { verdict } = await scan(memorySource(files), p);
  return verdict.findings
    .filter((f) => f.ruleId === 'CG105')
    .map((f) => `${f.severity} ${f.path}:${f.line}:${f.column}-${f.endColumn} ${f.message}`);
}

/** A workflow whose job `job` is in `environment` (a line, or none) and runs Claude with `args`. */
function workflow(environment: string | undefined, args: string, job = 'deploy'): string {
  return [
    'on: workflow_dispatch',
    'permissions: { contents: read }',
    'jobs:',
    `  ${job}:`,
    '    runs-on: ubuntu-latest',
    ...(environment === undefined ? [] : [`    environment: ${environment}`]),
    '    timeout-minutes: 15',
    '    steps:',
    `      - run: claude -p "do it" ${args}`,
    '',
  ].join('\n');
}

const W = '.github/workflows/w.yml';

describe('grantRisk', () => {
  test.each([
    ['Read', 'read'],
    ['Edit(src/**)', 'write'],
    ['Bash(npm test)', 'execute'],
    ['mcp__pg__query', 'execute'],
    ['Bash(sudo:*)', 'admin'],
    ['Bash(docker run *)', 'admin'],
    ['Bash(docker ps)', 'execute'],
    ['Bash(npx:*)', 'execute'],
  ])('%s is %s', (raw, risk) => {
    expect(grantRisk(parseToolRule(raw))).toBe(risk);
  });
});

describe('CG105 grant-exceeds-environment', () => {
  test('a production job granting a write tool; exact column of the grant', async () => {
    expect(await cg105({ [W]: workflow('production', '--allowedTools "Read,Edit"') })).toEqual([
      'high .github/workflows/w.yml:9:53-57 "Edit" in --allowedTools is write-class, above the max risk (read) of environment "production" (placed by deployment environment "production" of job deploy)',
    ]);
  });

  test("a GitLab job's deployment environment places it, inherited through extends; staging and none do not", async () => {
    const gitlab = [
      '.deploy:',
      '  environment:',
      '    name: production',
      'release:',
      '  extends: .deploy',
      '  script:',
      '    - claude -p "ship it" --allowedTools "Read,Edit"',
      'review:',
      '  environment: review/$CI_COMMIT_REF_SLUG',
      '  script:',
      '    - claude -p "look" --allowedTools "Read,Edit"',
      'check:',
      '  environment: staging',
      '  script:',
      '    - claude -p "check" --allowedTools "Read,Grep"',
      '',
    ].join('\n');
    expect(await cg105({ '.gitlab-ci.yml': gitlab })).toEqual([
      'high .gitlab-ci.yml:7:48-52 "Edit" in --allowedTools is write-class, above the max risk (read) of environment "production" (placed by deployment environment "production" of job release)',
    ]);
  });

  test('a production job granting only Read and Grep stays silent', async () => {
    expect(
      await cg105({
        [W]: workflow(
          'production',
          '--allowedTools "Read,Grep,Glob,TodoRead,BashOutput,WebFetch(domain:docs.example.com)"',
        ),
      }),
    ).toEqual([]);
  });

  test('the environment as a map with a name, any case, and the other built-in name (prod)', async () => {
    expect(
      await cg105({ [W]: workflow('{ name: Production, url: "https://x.example" }', '--allowedTools Edit') }),
    ).toEqual([
      'high .github/workflows/w.yml:9:47-51 "Edit" in --allowedTools is write-class, above the max risk (read) of environment "production" (placed by deployment environment "Production" of job deploy)',
    ]);
    expect(await cg105({ [W]: workflow('prod', '--allowedTools "Bash(make deploy)"') })).toEqual([
      'high .github/workflows/w.yml:9:48-65 "Bash(make deploy)" in --allowedTools is execute-class, above the max risk (read) of environment "production" (placed by deployment environment "prod" of job deploy)',
    ]);
  });

  test('an expression environment cannot be matched: the run falls back to the path, then the default', async () => {
    const files = { [W]: workflow('${{ inputs.target }}', '--allowedTools "Edit,Bash(sudo:*)"') };
    expect(await cg105(files)).toEqual([
      'high .github/workflows/w.yml:9:53-65 "Bash(sudo:*)" in --allowedTools is admin-class, above the max risk (execute) of environment "development" (placed by default; the deployment environment of job deploy is an expression)',
    ]);
    const policy =
      'version: 1\nenvironments:\n  release:\n    match: { paths: [".github/workflows/**"] }\n    max-risk: read\n';
    expect(await cg105(files, policy)).toEqual([
      'high .github/workflows/w.yml:9:48-52 "Edit" in --allowedTools is write-class, above the max risk (read) of environment "release" (placed by path glob ".github/workflows/**"; the deployment environment of job deploy is an expression)',
      'high .github/workflows/w.yml:9:53-65 "Bash(sudo:*)" in --allowedTools is admin-class, above the max risk (read) of environment "release" (placed by path glob ".github/workflows/**"; the deployment environment of job deploy is an expression)',
    ]);
  });

  test('a deployment environment the policy does not name falls back, and the message says so', async () => {
    expect(await cg105({ [W]: workflow('qa', '--allowedTools "Bash(sudo:*)"') })).toEqual([
      'high .github/workflows/w.yml:9:48-60 "Bash(sudo:*)" in --allowedTools is admin-class, above the max risk (execute) of environment "development" (placed by default; the deployment environment "qa" of job deploy is in no environment of the policy)',
    ]);
  });

  test('the deployment environment wins over a path glob; a job without one is placed by path', async () => {
    const policy =
      'version: 1\nenvironments:\n  ci:\n    match: { paths: [".github/**"] }\n    max-risk: write\n';
    const files = {
      [W]: [
        'on: workflow_dispatch',
        'permissions: { contents: read }',
        'jobs:',
        '  check:',
        '    runs-on: ubuntu-latest',
        '    timeout-minutes: 5',
        '    steps:',
        '      - run: claude -p "check" --allowedTools "Edit,Bash(npm test)"',
        '  ship:',
        '    runs-on: ubuntu-latest',
        '    environment: production',
        '    timeout-minutes: 5',
        '    steps:',
        '      - run: claude -p "ship" --allowedTools "Edit,Bash(npm test)"',
        '',
      ].join('\n'),
    };
    expect(await cg105(files, policy)).toEqual([
      'high .github/workflows/w.yml:8:53-67 "Bash(npm test)" in --allowedTools is execute-class, above the max risk (write) of environment "ci" (placed by path glob ".github/**")',
      'high .github/workflows/w.yml:14:47-51 "Edit" in --allowedTools is write-class, above the max risk (read) of environment "production" (placed by deployment environment "production" of job ship)',
      'high .github/workflows/w.yml:14:52-66 "Bash(npm test)" in --allowedTools is execute-class, above the max risk (read) of environment "production" (placed by deployment environment "production" of job ship)',
    ]);
  });

  test('settings files and command front matter are placed by path', async () => {
    const policy =
      'version: 1\nenvironments:\n  infra:\n    match: { paths: ["infra/**"] }\n    max-risk: read\n';
    expect(
      await cg105(
        {
          'infra/.claude/settings.json': '{"permissions": {"allow": ["Read", "Edit(main.tf)"]}}\n',
          '.claude/commands/plan.md': '---\nallowed-tools: Bash(terraform plan:*)\n---\nPlan.\n',
        },
        policy,
      ),
    ).toEqual([
      'high infra/.claude/settings.json:1:37-50 "Edit(main.tf)" in permissions.allow in infra/.claude/settings.json is write-class, above the max risk (read) of environment "infra" (placed by path glob "infra/**")',
    ]);
  });

  test("staging's allow list accepts read-only commands and queries above its max risk", async () => {
    const args =
      '--allowedTools "Bash(kubectl get pods),Bash(kubectl logs:*),mcp__pg__query,Bash(kubectl delete:*),mcp__pg"';
    expect(await cg105({ [W]: workflow('staging', args) })).toEqual([
      'high .github/workflows/w.yml:9:107-129 "Bash(kubectl delete:*)" in --allowedTools is execute-class, above the max risk (read) of environment "staging" (placed by deployment environment "staging" of job deploy), and no pattern of its allow list covers it',
      'high .github/workflows/w.yml:9:130-137 "mcp__pg" in --allowedTools is execute-class, above the max risk (read) of environment "staging" (placed by deployment environment "staging" of job deploy), and no pattern of its allow list covers it',
    ]);
  });

  test("an environment's deny list catches a wider grant, whatever its risk class", async () => {
    const policy = [
      'version: 1',
      'environments:',
      '  development:',
      '    default: true',
      '    max-risk: execute',
      '    tools: { deny: ["Bash(git push:*)", "Read(./.env)"] }',
      '',
    ].join('\n');
    expect(
      await cg105(
        {
          '.claude/settings.json':
            '{"permissions": {"allow": ["Bash(git:*)", "Read", "Bash(git status)"]}}\n',
        },
        policy,
      ),
    ).toEqual([
      'high .claude/settings.json:1:29-40 "Bash(git:*)" in permissions.allow in .claude/settings.json is denied in environment "development" (placed by default) by "Bash(git push:*)"',
      'high .claude/settings.json:1:44-48 "Read" in permissions.allow in .claude/settings.json is denied in environment "development" (placed by default) by "Read(./.env)"',
    ]);
  });

  test('permission modes count by what they approve; bypass mode is left to CG101', async () => {
    expect(
      await cg105({ [W]: workflow('production', '--permission-mode acceptEdits --allowedTools Read') }),
    ).toEqual([
      'high .github/workflows/w.yml:9:50-61 the acceptEdits mode (--permission-mode) is write-class, above the max risk (read) of environment "production" (placed by deployment environment "production" of job deploy)',
    ]);
    expect(
      await cg105({ [W]: workflow('production', '--dangerously-skip-permissions --permission-mode plan') }),
    ).toEqual([]);
    expect(
      await cg105({ '.claude/settings.json': '{"permissions": {"defaultMode": "acceptEdits"}}\n' }),
    ).toEqual([]);
  });

  test('settings given inline to a production run are placed with it', async () => {
    const args = `--settings '{"permissions":{"allow":["Edit"]}}'`;
    expect(await cg105({ [W]: workflow('production', args) })).toEqual([
      'high .github/workflows/w.yml:9:70-74 "Edit" in permissions.allow of --settings is write-class, above the max risk (read) of environment "production" (placed by deployment environment "production" of job deploy)',
    ]);
  });

  test('development, the default, accepts edits and commands but not admin', async () => {
    expect(
      await cg105({
        '.claude/settings.json':
          '{"permissions": {"allow": ["Edit", "Bash", "Bash(npm run *)", "mcp__github", "Bash(docker compose up)", "Bash(docker:*)"]}}\n',
      }),
    ).toEqual([
      'high .claude/settings.json:1:106-120 "Bash(docker:*)" in permissions.allow in .claude/settings.json is admin-class, above the max risk (execute) of environment "development" (placed by default)',
    ]);
  });
});

test('CG105 on hostile grants: thousands of them, and one 100 kB long, in staging', async () => {
  const many = Array.from({ length: 3000 }, (_, i) => `Bash(kubectl get pod-${i}*)`).join(',');
  const long = `Bash(kubectl ${'delete *'.repeat(12_000)})`;
  const start = Date.now();
  const found = await cg105({ [W]: workflow('staging', `--allowedTools "${many},${long}"`) });
  expect(Date.now() - start).toBeLessThan(10_000);
  expect(found).toHaveLength(1);
  expect(found[0]).toMatch(
    /^high \.github\/workflows\/w\.yml:9:\d+-\d+ "Bash\(kubectl delete \*delete [^"]{0,60}…" in --allowedTools is execute-class/,
  );
});
