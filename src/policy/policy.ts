import { compileEndpoint, DEFAULT_ALLOWED_ENDPOINTS, type EndpointPattern } from '../model/endpoints.js';
import type { RuleContext } from '../rules/types.js';
import { keyedByText } from '../model/keyed.js';
import type { IsolationContext, Severity } from '../model/types.js';
import type { FailOn, PolicyFile } from './schema.js';

/** The policy in force: the built-in defaults, a policy file over them, then command-line or action inputs. */
export interface Policy {
  sources: string[];
  failOn: FailOn;
  block: 'new' | 'all';
  ignore: string[];
  rules: Record<string, { off: boolean; severity?: Severity }>;
  dangerousModeAllowIn: IsolationContext[];
  /** Where Claude may send model and telemetry traffic (CG303). */
  allowedEndpoints: string[];
  /** Proxies Claude may use; undefined: proxies are not checked. */
  allowedProxies?: string[];
}

/**
 * The built-in policy, from the Claude Code security guide: bypass mode only inside containers, no unscoped
 * shell, no literal secrets; block on high and above.
 */
export function defaultPolicy(): Policy {
  return {
    sources: ['(built-in)'],
    failOn: 'high',
    block: 'new',
    ignore: [],
    rules: keyedByText(),
    dangerousModeAllowIn: ['container', 'devcontainer'],
    allowedEndpoints: [...DEFAULT_ALLOWED_ENDPOINTS],
  };
}

export function applyPolicyFile(base: Policy, file: PolicyFile, source: string): Policy {
  const rules = Object.assign(keyedByText<{ off: boolean; severity?: Severity }>(), base.rules);
  for (const [id, setting] of Object.entries(file.rules ?? {})) {
    if (setting === 'off') rules[id] = { off: true };
    else {
      const rule: { off: boolean; severity?: Severity } = { off: setting.enabled === false };
      if (setting.severity) rule.severity = setting.severity;
      rules[id] = rule;
    }
  }
  const proxies = file.network?.['allowed-proxies'] ?? base.allowedProxies;
  return {
    ...(proxies ? { allowedProxies: proxies } : {}),
    sources: [source],
    failOn: file['fail-on'] ?? base.failOn,
    block: file.block ?? base.block,
    ignore: [...base.ignore, ...(file.ignore ?? [])],
    rules,
    dangerousModeAllowIn: file['dangerous-mode']?.['allow-in'] ?? base.dangerousModeAllowIn,
    allowedEndpoints: file.network?.['allowed-endpoints'] ?? base.allowedEndpoints,
  };
}

function compiled(entries: readonly string[]): EndpointPattern[] {
  return entries.flatMap((e) => {
    const c = compileEndpoint(e);
    return 'error' in c ? [] : [c];
  });
}

/** What the rules may know of a policy, compiled once per scan. */
export function ruleContext(policy: Policy): RuleContext {
  const ctx: RuleContext = {
    dangerousModeAllowIn: policy.dangerousModeAllowIn,
    allowedEndpoints: compiled(policy.allowedEndpoints),
  };
  if (policy.allowedProxies) ctx.allowedProxies = compiled(policy.allowedProxies);
  return ctx;
}
