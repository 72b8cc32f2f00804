import type { Located, Span } from './span.js';
import type { ClaudeRun, ScanModel, SettingsDoc, ToolRule } from './types.js';

/**
 * The settings a run loads besides its own: the repository's `.claude/settings.json` and a committed
 * `.claude/settings.local.json` at the root, which Claude reads when it starts in the checkout.
 */
function projectSettings(model: ScanModel): SettingsDoc[] {
  return model.settings.filter(
    (s) => s.path === '.claude/settings.json' || s.path === '.claude/settings.local.json',
  );
}

/** Every rule that pre-approves a tool for this run: its command line or inputs, inline settings, project settings. */
export function runGrants(model: ScanModel, run: ClaudeRun): Located<ToolRule>[] {
  return [
    ...(run.command?.allowedTools ?? []),
    ...(run.command?.inlineSettings?.allow ?? []),
    ...(run.inlineSettings?.allow ?? []),
    ...projectSettings(model).flatMap((s) => s.allow),
  ];
}

/** The grants of a run that let it run shell commands: any `Bash`/`PowerShell` rule. */
export function shellGrants(model: ScanModel, run: ClaudeRun): Located<ToolRule>[] {
  return runGrants(model, run).filter(
    (g) => !g.value.problem && (g.value.canonical === 'Bash' || g.value.canonical === 'PowerShell'),
  );
}

/** Where the run skips every permission check, when it does: a flag, a mode, or its settings' default mode. */
export function bypassOf(model: ScanModel, run: ClaudeRun): Span | undefined {
  const command = run.command;
  if (command?.dangerouslySkipPermissions) return command.dangerouslySkipPermissions;
  if (command?.permissionMode?.value === 'bypassPermissions') return command.permissionMode.span;
  for (const doc of [command?.inlineSettings, run.inlineSettings, ...projectSettings(model)]) {
    if (doc?.defaultMode?.value === 'bypassPermissions') return doc.defaultMode.span;
  }
  return undefined;
}
