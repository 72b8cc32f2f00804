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
  return {
    sources: [source],
    failOn: file['fail-on'] ?? base.failOn,
    block: file.block ?? base.block,
    ignore: [...base.ignore, ...(file.ignore ?? [])],
    rules,
    dangerousModeAllowIn: file['dangerous-mode']?.['allow-in'] ?? base.dangerousModeAllowIn,
  };
}
