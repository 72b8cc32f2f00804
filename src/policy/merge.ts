import { keyedByText } from '../model/keyed.js';
import { severityRank, type Severity } from '../model/types.js';
import { riskRank } from '../model/powers.js';
import { ruleById } from '../rules/registry.js';
import { PolicyError, type PolicyIssue } from './errors.js';
import type { ParsedPolicyFile } from './load.js';
import { type EnvironmentPolicy, type Origin, originText, type Policy, type RulePolicy } from './policy.js';

/**
 * The lists of the policy a rule reads: when a policy locks the rule, a policy applied after it may narrow
 * them but not widen them (a wider allow list is the rule turned partly off).
 */
const LOCKED_LISTS: { rule: string; key: string; get: (p: Policy) => readonly string[] | undefined }[] = [
  { rule: 'CG101', key: 'dangerous-mode.allow-in', get: (p) => p.dangerousModeAllowIn },
  { rule: 'CG106', key: 'tools.allow', get: (p) => p.tools.allow },
  { rule: 'CG303', key: 'network.allowed-endpoints', get: (p) => p.allowedEndpoints },
  { rule: 'CG303', key: 'network.allowed-proxies', get: (p) => p.allowedProxies },
  { rule: 'CG603', key: 'mcp.allowed-servers', get: (p) => p.mcp.allowedServers },
  { rule: 'CG605', key: 'plugins.allowed-sources', get: (p) => p.plugins.allowedSources },
];

function effectiveSeverity(id: string, rule: RulePolicy | undefined): Severity | undefined {
  return rule?.severity ?? ruleById(id)?.meta.severity;
}

/**
 * Applies one policy file over `base` (the built-in policy, or what the files before it made): what it sets
 * replaces, except lists that add up — `ignore`, `tools.deny`, `mcp.sensitive-servers`, the `ci`
 * requirements, `exceptions` — and the suppression requirements, where the stricter wins. Environments are
 * replaced by name. A rule locked by an earlier file cannot be turned off, lowered, excepted or have its
 * lists widened: every such attempt is an error naming both places.
 */
export function mergePolicyFile(base: Policy, parsed: ParsedPolicyFile): Policy {
  const { data: file, at } = parsed;
  const issues: PolicyIssue[] = [];
  const origins: Record<string, Origin> = Object.assign(keyedByText<Origin>(), base.origins);
  const set = (key: string, path: readonly PropertyKey[]): void => {
    origins[key] = at(path);
  };
  const lockedBy = (id: string): Origin | undefined => {
    const lock = base.rules[id]?.locked;
    return lock && lock.file !== parsed.file ? lock : undefined;
  };
  const refuse = (
    path: readonly PropertyKey[],
    id: string,
    lock: Origin,
    what: string,
    onKey = false,
  ): void => {
    issues.push({
      ...at(path, onKey),
      message: `${id} is locked by ${originText(lock)}: a policy extending it cannot ${what}`,
    });
  };

  // Rules.
  const rules: Record<string, RulePolicy> = Object.assign(
    Object.create(null) as Record<string, RulePolicy>,
    base.rules,
  );
  for (const [id, setting] of Object.entries(file.rules ?? {})) {
    if (setting === undefined) continue;
    const before = base.rules[id];
    const lock = lockedBy(id);
    const next: RulePolicy = { off: before?.off ?? false };
    if (before?.severity) next.severity = before.severity;
    if (before?.locked) next.locked = before.locked;
    if (setting === 'off') next.off = true;
    else {
      if (setting.enabled !== undefined) next.off = !setting.enabled;
      if (setting.severity) next.severity = setting.severity;
      if (setting.locked === true && !next.locked) next.locked = at(['rules', id, 'locked']);
      if (setting.locked === false && lock) refuse(['rules', id, 'locked'], id, lock, 'unlock it');
    }
    if (lock) {
      if (next.off && !before?.off) refuse(['rules', id], id, lock, 'turn it off');
      const was = effectiveSeverity(id, before);
      if (next.severity && was && severityRank(next.severity) > severityRank(was))
        refuse(['rules', id, 'severity'], id, lock, `lower its severity below ${was}`);
    }
    rules[id] = next;
    set(`rules.${id}`, ['rules', id]);
  }

  const policy: Policy = {
    ...base,
    sources: [...base.sources.filter((s) => s !== '(built-in)'), parsed.file],
    rules,
    origins,
  };
  if (file['fail-on'] !== undefined) {
    policy.failOn = file['fail-on'];
    set('fail-on', ['fail-on']);
  }
  if (file.block !== undefined) {
    policy.block = file.block;
    set('block', ['block']);
  }
  if (file.ignore !== undefined) {
    policy.ignore = [...new Set([...base.ignore, ...file.ignore])];
    set('ignore', ['ignore']);
  }
  if (file['dangerous-mode'] !== undefined) {
    policy.dangerousModeAllowIn = file['dangerous-mode']['allow-in'];
    set('dangerous-mode.allow-in', ['dangerous-mode', 'allow-in']);
  }
  if (file.network?.['allowed-endpoints'] !== undefined) {
    policy.allowedEndpoints = file.network['allowed-endpoints'];
    set('network.allowed-endpoints', ['network', 'allowed-endpoints']);
  }
  if (file.network?.['allowed-proxies'] !== undefined) {
    policy.allowedProxies = file.network['allowed-proxies'];
    set('network.allowed-proxies', ['network', 'allowed-proxies']);
  }
  if (file.tools) {
    policy.tools = { ...base.tools, deny: [...new Set([...base.tools.deny, ...(file.tools.deny ?? [])])] };
    if (file.tools.allow !== undefined) {
      policy.tools.allow = file.tools.allow;
      set('tools.allow', ['tools', 'allow']);
    }
    if (file.tools.deny !== undefined) set('tools.deny', ['tools', 'deny']);
  }
  if (file.mcp) {
    policy.mcp = {
      ...base.mcp,
      sensitiveServers: [
        ...new Set([...base.mcp.sensitiveServers, ...(file.mcp['sensitive-servers'] ?? [])]),
      ],
    };
    if (file.mcp['allowed-servers'] !== undefined) {
      policy.mcp.allowedServers = file.mcp['allowed-servers'];
      set('mcp.allowed-servers', ['mcp', 'allowed-servers']);
    }
    if (file.mcp['sensitive-servers'] !== undefined)
      set('mcp.sensitive-servers', ['mcp', 'sensitive-servers']);
  }
  if (file.plugins?.['allowed-sources'] !== undefined) {
    policy.plugins = { allowedSources: file.plugins['allowed-sources'] };
    set('plugins.allowed-sources', ['plugins', 'allowed-sources']);
  }
  if (file.ci) {
    const add = (a: readonly string[], b: readonly string[] | undefined): string[] => [
      ...new Set([...a, ...(b ?? [])]),
    ];
    policy.ci = {
      requireFlags: add(base.ci.requireFlags, file.ci['require-flags']),
      forbidFlags: add(base.ci.forbidFlags, file.ci['forbid-flags']),
      requireEnv: add(base.ci.requireEnv, file.ci['require-env']),
    };
    for (const key of ['require-flags', 'forbid-flags', 'require-env'] as const)
      if (file.ci[key] !== undefined) set(`ci.${key}`, ['ci', key]);
  }
  if (file.environments) {
    const byName = new Map(base.environments.map((e) => [e.name, e]));
    const lock = lockedBy('CG105');
    for (const [name, env] of Object.entries(file.environments)) {
      const before = byName.get(name);
      const next: EnvironmentPolicy = {
        name,
        maxRisk: env['max-risk'],
        workflowEnvironments: env.match?.['workflow-environments'] ?? [],
        paths: env.match?.paths ?? [],
        default: env.default === true,
        allow: env.tools?.allow ?? [],
        deny: env.tools?.deny ?? [],
        origin: at(['environments', name], true),
      };
      if (lock && before) {
        if (riskRank(next.maxRisk) > riskRank(before.maxRisk))
          refuse(
            ['environments', name, 'max-risk'],
            'CG105',
            lock,
            `raise the max-risk of ${name} above ${before.maxRisk}`,
          );
        const added = next.allow.filter((t) => !before.allow.includes(t));
        if (added.length > 0)
          refuse(
            ['environments', name, 'tools', 'allow'],
            'CG105',
            lock,
            `allow more in ${name} (${added.join(', ')})`,
          );
      }
      if (next.default)
        for (const [other, e] of byName) if (e.default) byName.set(other, { ...e, default: false });
      byName.set(name, next);
      set(`environments.${name}`, ['environments', name]);
    }
    policy.environments = [...byName.values()];
  }
  if (file.exceptions) {
    const added = file.exceptions.map((e, i) => ({ ...e, origin: at(['exceptions', i]) }));
    for (const [i, e] of added.entries()) {
      const lock = lockedBy(e.rule);
      if (lock) refuse(['exceptions', i, 'rule'], e.rule, lock, 'except it');
    }
    policy.exceptions = [...base.exceptions, ...added];
    set('exceptions', ['exceptions']);
  }
  if (file.suppressions) {
    const s = file.suppressions;
    // The stricter wins: a policy cannot relax what one it extends asks of a suppression.
    policy.suppressions = {
      allowed: base.suppressions.allowed && s.allowed !== false,
      requireReason:
        base.sources.includes('(built-in)') && s['require-reason'] !== undefined
          ? s['require-reason']
          : base.suppressions.requireReason || s['require-reason'] === true,
      requireOwner: base.suppressions.requireOwner || s['require-owner'] === true,
      requireExpiry: base.suppressions.requireExpiry || s['require-expiry'] === true,
    };
    set('suppressions', ['suppressions']);
  }

  // Lists a locked rule reads may narrow, not widen.
  for (const { rule, key, get } of LOCKED_LISTS) {
    const lock = lockedBy(rule);
    if (!lock || origins[key] === base.origins[key]) continue;
    const before = get(base);
    const after = get(policy) ?? [];
    if (before === undefined) continue; // nothing was listed: any value narrows
    const widened = after.filter((v) => !before.includes(v));
    if (widened.length > 0) refuse(key.split('.'), rule, lock, `widen ${key} (${widened.join(', ')})`);
  }

  if (issues.length > 0) {
    issues.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new PolicyError(issues);
  }
  return policy;
}
