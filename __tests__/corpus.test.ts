import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { defaultPolicy } from '../src/policy/policy.js';
import { diskSource, scan } from '../src/scan.js';

/**
 * Real public Claude Code files (../shared/corpus, one folder per repository). Every finding below was
 * reviewed against the file; a change in this list is a change in behaviour to review again.
 */
const CORPUS = join('..', 'shared', 'corpus');
const REVIEWED: Record<string, string[]> = {
  '0FL01__Oxide-Agent': [],
  // "Bash" in permissions.allow.
  '0K-cool__athena': [
    'CG102 high .claude/settings.json:5:8',
    'CG107 medium .claude/settings.json:7:8',
    'CG107 medium .claude/settings.json:8:8',
    'CG104 medium .claude/settings.json:11:8',
    'CG104 medium .claude/settings.json:14:8',
    // "mcp__*" in allow: a tool glob without a literal mcp__<server>__, which Claude skips in allow.
    'CG901 low .claude/settings.json:14:8',
  ],
  // Its workflows use claude-code-action with scoped grants; entrypoint.sh writes bypass settings through a
  // here-doc into a JSON file (not read as settings).
  // A review workflow granting Bash(find:*): find -exec runs anything.
  '0x666c6f__safe-agentic': [
    'CG103 high .github/workflows/claude-code-review.yml:85:197',
    // The checkout keeps a token with pull-requests: write in .git/config; the review action then runs Bash.
    'CG509 medium .github/workflows/claude-code-review.yml:23:15',
    // show_full_output: true on the review action: every tool result in the public log.
    'CG505 medium .github/workflows/claude-code-review.yml:51:29',
    // allowed_tools on @v1: ignored, the make/go grants it lists never apply.
    'CG507 medium .github/workflows/claude.yml:40:11',
    // claude-code-action@v1: a tag, not a commit.
    'CG503 low .github/workflows/claude-code-review.yml:46:45',
    'CG503 low .github/workflows/claude.yml:37:45',
  ],
  // A review workflow granting bare Edit, MultiEdit and Write.
  '0xsend__sendapp': [
    // claude-code-action@beta: a moving ref (and the pre-v1 action).
    'CG503 medium .github/workflows/claude.yml:34:45',
    'CG107 medium .github/workflows/claude.yml:61:13',
    'CG107 medium .github/workflows/claude.yml:62:13',
    'CG107 medium .github/workflows/claude.yml:63:13',
  ],
  // claude-code-action@v1: a tag, not a commit.
  '1c-syntax__bsl-language-server': [
    // The @claude action job has no timeout-minutes and no --max-turns.
    'CG504 low .github/workflows/claude.yml:35:15',
    'CG503 low .github/workflows/claude.yml:35:45',
  ],
  // Bash(find:*) beside scoped test commands.
  'OpenVAA__voting-advice-application': [
    'CG103 high .claude/settings.json:3:37',
    // contents: write token left in .git/config by the checkout; Claude then has Bash(git push:*) and more.
    'CG509 medium .github/workflows/claude-solve-issue.yml:29:15',
    'CG509 medium .github/workflows/claude.yml:179:15',
    // Action runs with neither a turn cap nor a timeout: the reusable solve workflow (its caller cannot set
    // one) and the generic @claude job.
    'CG504 low .github/workflows/claude-solve-issue.yml:35:15',
    // claude-code-action@v1 in both: a tag, not a commit.
    'CG503 low .github/workflows/claude-solve-issue.yml:35:45',
    'CG504 low .github/workflows/claude.yml:185:15',
    'CG503 low .github/workflows/claude.yml:185:45',
  ],
  // Workflows with scoped --allowedTools; example settings with "Bash" only in ask.
  // claude-code-action@v1 in its three workflows: a tag, not a commit. The devcontainer Dockerfile installs
  // @anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}, a build argument, which is not judged.
  'anthropics__claude-code': [
    // Issue triage and dedupe: claude-code-action with allowed_non_write_users "*", so anyone who opens an
    // issue (or comments, for triage) starts Claude with an issues: write token.
    'CG501 critical .github/workflows/claude-dedupe-issues.yml:28:15',
    'CG501 critical .github/workflows/claude-issue-triage.yml:30:15',
    'CG503 low .github/workflows/claude-dedupe-issues.yml:28:45',
    'CG503 low .github/workflows/claude-issue-triage.yml:30:45',
    // The @claude job runs the action without a timeout or a turn cap (the triage jobs have timeouts).
    'CG504 low .github/workflows/claude.yml:34:15',
    'CG503 low .github/workflows/claude.yml:34:45',
  ],
  // Its own workflows run claude-code-action@main (a branch) and @v1 (a tag).
  'anthropics__claude-code-action': [
    // Issue triage with allowed_non_write_users "*": anyone who opens an issue starts Claude with issues: write.
    'CG501 critical .github/workflows/issue-triage.yml:25:15',
    // contents: write token left in .git/config by the checkout; Claude then runs Bash(bun …) rules.
    'CG509 medium .github/workflows/claude.yml:28:15',
    'CG503 medium .github/workflows/claude.yml:34:45',
    'CG503 medium .github/workflows/issue-triage.yml:25:45',
    // The review and @claude jobs run the action without a timeout or a turn cap; issue-triage has one.
    'CG504 low .github/workflows/claude-review.yml:23:15',
    'CG503 low .github/workflows/claude-review.yml:23:45',
    'CG504 low .github/workflows/claude.yml:34:15',
  ],
  // A wrapper script that always skips permissions.
  'j5ik2o__chronos-parser-scala': ['CG101 critical scripts/run-claude.sh:6:8'],
  // settings.json.tpl is a template, not read as settings.
  // The Dockerfile installs @anthropic-ai/claude-code without a version.
  'jianlanglinhei__claude-agent-ui': ['CG503 medium Dockerfile:222:20'],
  // Bypass mode inside the dev container: its image settings and the shell functions install.sh writes.
  'kodflow__devcontainer-template': [
    'CG103 high .devcontainer/images/.claude/settings.json:18:8',
    'CG103 high .devcontainer/images/.claude/settings.json:19:8',
    'CG103 high .devcontainer/images/.claude/settings.json:20:8',
    'CG103 high .devcontainer/images/.claude/settings.json:21:8',
    'CG103 high .devcontainer/images/.claude/settings.json:22:8',
    'CG103 high .devcontainer/images/.claude/settings.json:23:8',
    'CG103 high .devcontainer/images/.claude/settings.json:47:8',
    'CG103 high .devcontainer/images/.claude/settings.json:49:8',
    'CG103 high .devcontainer/images/.claude/settings.json:50:8',
    'CG103 high .devcontainer/images/.claude/settings.json:51:8',
    'CG103 high .devcontainer/images/.claude/settings.json:52:8',
    'CG103 high .devcontainer/images/.claude/settings.json:71:8',
    'CG103 high .devcontainer/images/.claude/settings.json:100:8',
    'CG103 high .devcontainer/images/.claude/settings.json:107:8',
    'CG103 high .devcontainer/images/.claude/settings.json:108:8',
    'CG104 medium .devcontainer/images/.claude/settings.json:134:8',
    // "enableAllProjectMcpServers": true: every server of the project's .mcp.json approved in advance.
    'CG602 medium .devcontainer/images/.claude/settings.json:148:33',
    // Command hooks on SessionStart (session-init.sh; post-compact.sh on "compact") and UserPromptSubmit:
    // scripts of the image, run in every session before any tool is called.
    'CG604 medium .devcontainer/images/.claude/settings.json:157:25',
    'CG604 medium .devcontainer/images/.claude/settings.json:167:25',
    'CG604 medium .devcontainer/images/.claude/settings.json:191:25',
    // install.sh installs Claude with npm, else with the install script piped to sh, neither at a version.
    'CG503 medium .devcontainer/install.sh:196:27',
    'CG503 medium .devcontainer/install.sh:203:19',
    // Glob(**/*) and Write(.claude/**)… in allow: path rules Claude never consults (Read(**/*) and the Edit
    // rules beside them already say the same).
    'CG901 low .devcontainer/images/.claude/settings.json:132:8',
    'CG901 low .devcontainer/images/.claude/settings.json:135:8',
    'CG901 low .devcontainer/images/.claude/settings.json:136:8',
    'CG901 low .devcontainer/images/.claude/settings.json:137:8',
    'CG901 low .devcontainer/images/.claude/settings.json:138:8',
    'CG101 low .devcontainer/images/.claude/settings.json:145:21',
    'CG101 low .devcontainer/install.sh:1005:16',
    'CG101 low .devcontainer/install.sh:1008:16',
    'CG101 low .devcontainer/install.sh:1010:16',
  ],
  // ENTRYPOINT ["claude", "--dangerously-skip-permissions"] in a container image, installed by the install
  // script piped to bash without a version.
  'pct__claude-code-alpine-docker': ['CG503 medium Dockerfile:4:16', 'CG101 low Dockerfile:9:24'],
};

const repos = existsSync(CORPUS) ? readdirSync(CORPUS).filter((d) => !d.includes('.')) : [];

describe('../shared/corpus', () => {
  if (repos.length === 0) {
    test.skip('skipped: ../shared/corpus is absent', () => undefined);
    return;
  }
  test.each(repos)('%s scans without error, with the reviewed findings', async (repo) => {
    const { verdict } = await scan(await diskSource(join(CORPUS, repo)), defaultPolicy());
    expect(verdict.findings.map((f) => `${f.ruleId} ${f.severity} ${f.path}:${f.line}:${f.column}`)).toEqual(
      REVIEWED[repo] ?? [],
    );
    expect(verdict.summary.filesScanned).toBeGreaterThan(0);
  });

  test('every corpus repository has a reviewed entry', () => {
    expect(repos.filter((r) => !(r in REVIEWED))).toEqual([]);
  });
});
