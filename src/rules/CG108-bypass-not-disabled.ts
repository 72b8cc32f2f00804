import { posix } from 'node:path';
import { fileSpan } from '../model/span.js';
import type { SettingsDoc } from '../model/types.js';
import type { Rule, RuleFinding } from './types.js';

/** The folder whose managed settings merge: `managed-settings.json` and the files of `managed-settings.d/`. */
function managedFolder(path: string): string {
  const dir = posix.dirname(path);
  return posix.basename(dir) === 'managed-settings.d' ? posix.dirname(dir) : dir;
}

export const bypassNotDisabled: Rule = {
  meta: {
    id: 'CG108',
    name: 'bypass-not-disabled',
    severity: 'low',
    summary:
      'Managed settings that do not set `permissions.disableBypassPermissionsMode: "disable"`, so users may still start Claude in bypass mode.',
    rationale:
      'Managed settings are how an organisation sets what every user of a machine gets, above anything a ' +
      'user or a repository writes. `disableBypassPermissionsMode: "disable"` is the documented control that ' +
      'makes `--dangerously-skip-permissions` and `bypassPermissions` unavailable; without it, a managed ' +
      'policy that is careful everywhere else still lets any session skip every permission check. A file in ' +
      '`managed-settings.d/` merges with `managed-settings.json` in the same folder, so the setting counts ' +
      'wherever it is among them.',
    fix: 'Add `"disableBypassPermissionsMode": "disable"` under `permissions` in the managed settings.',
    bad: [
      {
        path: 'deploy/claude/managed-settings.json',
        note: 'A managed policy that denies secrets but leaves bypass mode available.',
        lines: [1],
        content: ['{', '  "permissions": {', '    "deny": ["Read(./.env)"]', '  }', '}', ''].join('\n'),
      },
    ],
    good: [
      {
        path: 'deploy/claude/managed-settings.json',
        note: 'Bypass mode turned off for everyone.',
        content: [
          '{',
          '  "permissions": {',
          '    "deny": ["Read(./.env)"],',
          '    "disableBypassPermissionsMode": "disable"',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model) {
    const groups = new Map<string, SettingsDoc[]>();
    for (const doc of model.settings) {
      if (doc.scope !== 'managed') continue;
      const key = managedFolder(doc.path);
      const group = groups.get(key);
      if (group) group.push(doc);
      else groups.set(key, [doc]);
    }
    const findings: RuleFinding[] = [];
    for (const [folder, docs] of groups) {
      if (docs.some((d) => d.disableBypassPermissionsMode?.value === 'disable')) continue;
      const other = docs.find((d) => d.disableBypassPermissionsMode !== undefined);
      if (other?.disableBypassPermissionsMode) {
        findings.push({
          span: other.disableBypassPermissionsMode.span,
          message: `permissions.disableBypassPermissionsMode is "${other.disableBypassPermissionsMode.value}" in ${other.path}: only "disable" turns bypass mode off`,
          evidence: `managed:${folder}:value`,
        });
        continue;
      }
      const main = docs.find((d) => posix.basename(d.path) === 'managed-settings.json') ?? docs[0];
      if (!main) continue;
      findings.push({
        span: fileSpan(main.path),
        message: `the managed settings in ${folder === '.' ? 'the repository root' : folder} do not set permissions.disableBypassPermissionsMode to "disable": users may still skip every permission check`,
        evidence: `managed:${folder}:missing`,
      });
    }
    return findings;
  },
};
