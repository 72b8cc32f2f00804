import { compileEndpoint, DEFAULT_ALLOWED_ENDPOINTS, type EndpointPattern } from '../model/endpoints.js';
import type { RuleContext } from '../rules/types.js';
import { keyedByText } from '../model/keyed.js';
import type { IsolationContext, Risk, Severity } from '../model/types.js';
import type { FailOn } from './schema.js';

/** Where a value of the policy was written: a file and a place in it, or the built-in policy. */
export interface Origin {
  file: string;
  line: number;
  column: number;
}

export const BUILT_IN: Origin = { file: '(built-in)', line: 0, column: 0 };

export function originText(origin: Origin): string {
  return origin.line > 0 ? `${origin.file}:${origin.line}:${origin.column}` : origin.file;
}

export interface RulePolicy {
  off: boolean;
  severity?: Severity;
  /** Set when a policy locked the rule: where. Policies extending it cannot loosen the rule. */
  locked?: Origin;
}

/** A risk profile (DESIGN §6): where it applies and the riskiest grant allowed there. */
export interface EnvironmentPolicy {
  name: string;
  maxRisk: Risk;
  /** Deployment environments (a job's `environment:`) that place a run here. */
  workflowEnvironments: string[];
  /** Path globs that place a file's runs here. */
  paths: string[];
  /** The environment of runs no other matches. */
  default: boolean;
  /** Grants accepted here whatever their risk class. */
  allow: string[];
  /** Grants never accepted here. */
  deny: string[];
  origin: Origin;
}

/** A finding accepted by the policy, for some paths, until a day. */
export interface ExceptionPolicy {
  rule: string;
  paths: string[];
  reason: string;
  owner: string;
  /** The last day it suppresses, `YYYY-MM-DD`. */
  expires: string;
  origin: Origin;
}

/** What an inline `# claude-guard: ignore[…]` comment must say, and whether it is honoured at all. */
export interface SuppressionPolicy {
  allowed: boolean;
  requireReason: boolean;
  requireOwner: boolean;
  requireExpiry: boolean;
}

/** The policy in force: the built-in defaults, policy files over them, then command-line or action inputs. */
export interface Policy {
  /** The files it was built from, outermost (first extended) first; `(built-in)` when there are none. */
  sources: string[];
  failOn: FailOn;
  block: 'new' | 'all';
  ignore: string[];
  rules: Record<string, RulePolicy>;
  dangerousModeAllowIn: IsolationContext[];
  /** Where Claude may send model and telemetry traffic (CG303). */
  allowedEndpoints: string[];
  /** Proxies Claude may use; undefined: proxies are not checked. */
  allowedProxies?: string[];
  /** Grants accepted everywhere (undefined: any) and refused everywhere (CG106). */
  tools: { allow?: string[]; deny: string[] };
  /** MCP servers allowed by name (undefined: any; CG603) and those whose wildcard grants are high (CG104). */
  mcp: { allowedServers?: string[]; sensitiveServers: string[] };
  /** Plugin and marketplace sources accepted (undefined: any; CG605). */
  plugins: { allowedSources?: string[] };
  /** What every CI run of Claude must pass, must not pass, and must be given (CG506). */
  ci: { requireFlags: string[]; forbidFlags: string[]; requireEnv: string[] };
  environments: EnvironmentPolicy[];
  exceptions: ExceptionPolicy[];
  suppressions: SuppressionPolicy;
  /** Where each setting in force was written, by its key path (`fail-on`, `rules.CG101`, `mcp.allowed-servers`). */
  origins: Record<string, Origin>;
}

/**
 * The built-in policy, from the Claude Code security guide: bypass mode only inside containers, no unscoped
 * shell, no literal secrets, and three risk profiles — production view-only, staging view-only plus read-only
 * queries, development (the default) edits and scoped commands; block on high and above.
 */
export function defaultPolicy(): Policy {
  const env = (
    name: string,
    maxRisk: Risk,
    workflowEnvironments: string[],
    allow: string[] = [],
    isDefault = false,
  ): EnvironmentPolicy => ({
    name,
    maxRisk,
    workflowEnvironments,
    paths: [],
    default: isDefault,
    allow,
    deny: [],
    origin: BUILT_IN,
  });
  return {
    sources: ['(built-in)'],
    failOn: 'high',
    block: 'new',
    ignore: [],
    rules: keyedByText(),
    dangerousModeAllowIn: ['container', 'devcontainer'],
    allowedEndpoints: [...DEFAULT_ALLOWED_ENDPOINTS],
    tools: { deny: [] },
    mcp: { sensitiveServers: [] },
    plugins: {},
    ci: { requireFlags: [], forbidFlags: [], requireEnv: [] },
    environments: [
      env('production', 'read', ['production', 'prod']),
      env(
        'staging',
        'read',
        ['staging', 'stage'],
        [
          'Bash(kubectl get:*)',
          'Bash(kubectl describe:*)',
          'Bash(kubectl logs:*)',
          'mcp__*__query',
          'mcp__*__select',
        ],
      ),
      env('development', 'execute', [], [], true),
    ],
    exceptions: [],
    suppressions: { allowed: true, requireReason: true, requireOwner: false, requireExpiry: false },
    origins: keyedByText(),
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
    tools: policy.tools,
    mcp: policy.mcp,
    plugins: policy.plugins,
    ci: policy.ci,
    environments: policy.environments,
  };
  if (policy.allowedProxies) ctx.allowedProxies = compiled(policy.allowedProxies);
  return ctx;
}
