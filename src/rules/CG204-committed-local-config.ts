import type { LocalConfigKind } from '../fs/classify.js';
import { fileSpan } from '../model/span.js';
import type { Severity } from '../model/types.js';
import type { Rule } from './types.js';

const WHAT: ReadonlyMap<LocalConfigKind, { holds: string; severity: Severity }> = new Map([
  [
    'settings-local',
    {
      holds:
        "one person's local settings (their own permissions and environment), which Claude Code keeps out of git",
      severity: 'high',
    },
  ],
  [
    'claude-json',
    {
      holds:
        "a user's Claude Code state: their account, per-project MCP servers and their environment, history",
      severity: 'high',
    },
  ],
  ['credentials', { holds: "Claude Code's login credentials (OAuth tokens)", severity: 'high' }],
  [
    'claude-local-md',
    { holds: "one person's private instructions to Claude, meant to stay out of git", severity: 'low' },
  ],
]);

export const committedLocalConfig: Rule = {
  meta: {
    id: 'CG204',
    name: 'committed-local-config',
    severity: 'high',
    summary:
      'A personal Claude file is committed: `.claude/settings.local.json`, `.claude.json`, `.credentials.json` (`CLAUDE.local.md` is low).',
    rationale:
      'Claude Code keeps some files for one person and adds them to `.gitignore` itself: ' +
      '`.claude/settings.local.json` (their own permissions and environment), `~/.claude.json` (account, MCP ' +
      'servers with their environment, history), `~/.claude/.credentials.json` (OAuth tokens), and ' +
      "`CLAUDE.local.md`. Committed, they hand one developer's grants and tokens to everyone who clones the " +
      'repository, and a grant in a committed local settings file applies to every checkout without review. In ' +
      'a git checkout only tracked files are reported; in a folder that is not one, every such file found is.',
    fix: 'Remove the file from the repository (`git rm --cached <file>`), add it to `.gitignore`, and revoke any credential it held.',
    bad: [
      {
        path: '.claude/settings.local.json',
        note: "A developer's local grants, committed.",
        lines: [1],
        content: ['{', '  "permissions": { "allow": ["Bash(npm test:*)"] }', '}', ''].join('\n'),
      },
    ],
    good: [
      {
        path: '.claude/settings.json',
        note: 'Shared project settings belong in the repository.',
        content: ['{', '  "permissions": { "allow": ["Bash(npm test:*)"] }', '}', ''].join('\n'),
      },
    ],
  },
  check(model) {
    return model.localConfigs.map((file) => {
      const what = WHAT.get(file.kind) ?? { holds: 'personal Claude settings', severity: 'high' as const };
      return {
        span: fileSpan(file.path),
        message: `${file.path} is in the repository: it holds ${what.holds}`,
        evidence: `local-config:${file.kind}`,
        ...(what.severity === 'high' ? {} : { severity: what.severity }),
      };
    });
  },
};
