import { dangerousMode } from './CG101-dangerous-mode.js';
import { unscopedShell } from './CG102-unscoped-shell.js';
import { shellEscapeHatch } from './CG103-shell-escape-hatch.js';
import { wildcardGrant } from './CG104-wildcard-grant.js';
import { grantExceedsEnvironment } from './CG105-grant-exceeds-environment.js';
import { forbiddenTool } from './CG106-forbidden-tool.js';
import { unscopedWrite } from './CG107-unscoped-write.js';
import { bypassNotDisabled } from './CG108-bypass-not-disabled.js';
import { hardcodedSecret } from './CG201-hardcoded-secret.js';
import { secretOnCommandLine } from './CG202-secret-on-command-line.js';
import { mcpLiteralCredential } from './CG203-mcp-literal-credential.js';
import { committedLocalConfig } from './CG204-committed-local-config.js';
import { tlsVerificationDisabled } from './CG301-tls-verification-disabled.js';
import { insecureEndpoint } from './CG302-insecure-endpoint.js';
import { endpointOverride } from './CG303-endpoint-override.js';
import { sensitiveDirectory } from './CG401-sensitive-directory.js';
import { privilegedRun } from './CG402-privileged-run.js';
import { untrustedTrigger } from './CG501-untrusted-trigger.js';
import { excessiveTokenPermissions } from './CG502-excessive-token-permissions.js';
import { unpinnedClaude } from './CG503-unpinned-claude.js';
import { noRunLimits } from './CG504-no-run-limits.js';
import { verboseCiOutput } from './CG505-verbose-ci-output.js';
import { ciPolicyRequirement } from './CG506-ci-policy-requirement.js';
import { legacyActionInputs } from './CG507-legacy-action-inputs.js';
import { agentOutputToShell } from './CG508-agent-output-to-shell.js';
import { persistedCheckoutCredentials } from './CG509-persisted-checkout-credentials.js';
import { lookalikeAgentAction } from './CG510-lookalike-agent-action.js';
import { unpinnedMcpServer } from './CG601-unpinned-mcp-server.js';
import { autoApprovedMcp } from './CG602-auto-approved-mcp.js';
import { mcpServerNotAllowed } from './CG603-mcp-server-not-allowed.js';
import { riskyHook } from './CG604-risky-hook.js';
import { untrustedPluginSource } from './CG605-untrusted-plugin-source.js';
import { invalidConfig } from './CG901-invalid-config.js';
import { expiredException } from './CG902-expired-exception.js';
import { unusedSuppression } from './CG903-unused-suppression.js';
import { unexplainedSuppression } from './CG904-unexplained-suppression.js';
import type { Rule } from './types.js';

/** Every rule, in id order. Docs pages and `claude-guard rules` are generated from this list. */
export const RULES: readonly Rule[] = [
  dangerousMode,
  unscopedShell,
  shellEscapeHatch,
  wildcardGrant,
  grantExceedsEnvironment,
  forbiddenTool,
  unscopedWrite,
  bypassNotDisabled,
  hardcodedSecret,
  secretOnCommandLine,
  mcpLiteralCredential,
  committedLocalConfig,
  tlsVerificationDisabled,
  insecureEndpoint,
  endpointOverride,
  sensitiveDirectory,
  privilegedRun,
  untrustedTrigger,
  excessiveTokenPermissions,
  unpinnedClaude,
  noRunLimits,
  verboseCiOutput,
  ciPolicyRequirement,
  legacyActionInputs,
  agentOutputToShell,
  persistedCheckoutCredentials,
  lookalikeAgentAction,
  unpinnedMcpServer,
  autoApprovedMcp,
  mcpServerNotAllowed,
  riskyHook,
  untrustedPluginSource,
  invalidConfig,
  expiredException,
  unusedSuppression,
  unexplainedSuppression,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id.toUpperCase());
}

/**
 * Ids of the whole catalogue (docs/DESIGN.md §5), implemented or not yet, so a policy written for it is not
 * rejected; a policy that names an id outside it is.
 */
export const CATALOGUE_IDS: readonly string[] = [
  'CG101',
  'CG102',
  'CG103',
  'CG104',
  'CG105',
  'CG106',
  'CG107',
  'CG108',
  'CG201',
  'CG202',
  'CG203',
  'CG204',
  'CG301',
  'CG302',
  'CG303',
  'CG401',
  'CG402',
  'CG501',
  'CG502',
  'CG503',
  'CG504',
  'CG505',
  'CG506',
  'CG507',
  'CG508',
  'CG509',
  'CG510',
  'CG601',
  'CG602',
  'CG603',
  'CG604',
  'CG605',
  'CG901',
  'CG902',
  'CG903',
  'CG904',
];
