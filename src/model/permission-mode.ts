import type { SettingsScope } from './types.js';

/** The permission modes Claude Code knows (`manual` is an alias of `default` since v2.1.200). */
export const PERMISSION_MODES = [
  'default',
  'acceptEdits',
  'plan',
  'auto',
  'dontAsk',
  'bypassPermissions',
  'manual',
] as const;

export type PermissionMode = (typeof PERMISSION_MODES)[number];

const BY_LOWER_CASE: ReadonlyMap<string, PermissionMode> = new Map(
  PERMISSION_MODES.map((mode) => [mode.toLowerCase(), mode]),
);

export function isPermissionMode(value: string): value is PermissionMode {
  return (PERMISSION_MODES as readonly string[]).includes(value);
}

/**
 * The mode a value that is not one names when spaces and letter case are ignored (`AcceptEdits`,
 * `bypasspermissions`, ` plan`): Claude Code compares modes exactly, so those are unknown to it.
 */
export function modeMisspelled(value: string): PermissionMode | undefined {
  return isPermissionMode(value) ? undefined : BY_LOWER_CASE.get(value.trim().toLowerCase());
}

/**
 * Whether Claude Code ignores this `defaultMode` in a settings file of this scope: `auto` is not taken from
 * a project's own files (`.claude/settings.json`, `.claude/settings.local.json`) since v2.1.142.
 */
export function modeIgnoredInScope(mode: string, scope: SettingsScope): boolean {
  return mode === 'auto' && (scope === 'project' || scope === 'local');
}
