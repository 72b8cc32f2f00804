import type { ClaudeRun, Grant, ScanModel, SettingsDoc } from './types.js';

function settingsOrigin(doc: SettingsDoc): string {
  return doc.scope === 'inline' ? 'the settings input' : `permissions.allow in ${doc.path}`;
}

function runOrigin(run: ClaudeRun): string {
  if (run.kind === 'action') return `${run.action?.action ?? 'action'} inputs`;
  return '--allowedTools';
}

/** Every rule that pre-approves a tool, wherever it was written. */
export function grantsOf(model: ScanModel): Grant[] {
  const grants: Grant[] = [];
  for (const settings of model.settings) {
    for (const rule of settings.allow)
      grants.push({ rule, source: 'settings', origin: settingsOrigin(settings), settings });
  }
  for (const definition of model.definitions) {
    for (const rule of definition.allowedTools) {
      grants.push({
        rule,
        source: 'front-matter',
        origin: `allowed-tools of ${definition.path}`,
        definition,
      });
    }
  }
  for (const run of model.runs) {
    for (const rule of run.command?.allowedTools ?? []) {
      grants.push({
        rule,
        source: run.kind === 'action' ? 'action-input' : 'cli-flag',
        origin: runOrigin(run),
        run,
      });
    }
  }
  return grants;
}
