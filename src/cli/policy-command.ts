import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pathInside } from '../fs/names.js';
import { parseArgs } from 'node:util';
import { loadPolicy, type RemotePolicyReader } from '../policy/load.js';
import { BUILT_IN, type Origin, originText, type Policy } from '../policy/policy.js';
import { policyJsonSchema } from '../policy/schema.js';
import { starterPolicy } from '../policy/starter.js';
import { displayLine } from '../report/safe.js';

/** A mistake the user can fix; the caller prints it and exits 2. */
export class PolicyUsageError extends Error {}

export interface PolicyIO {
  cwd: string;
  stdout: (s: string) => void;
  remote: RemotePolicyReader;
}

export const POLICY_USAGE = `claude-guard policy validate [FILE]     check a policy (default .github/claude-guard.yml) and every policy it extends
claude-guard policy show [DIR] [--policy FILE] [--format yaml|json]
                                        the policy in force for a folder, each value with where it was written
claude-guard policy init [--output FILE] [--force]
                                        write a commented starter policy (default .github/claude-guard.yml)
claude-guard policy schema              print the policy's JSON Schema`;

/** The policy in force, as YAML whose every line says where its value was written. */
export function renderPolicyShow(policy: Policy): string {
  const origin = (key: string): Origin => policy.origins[key] ?? BUILT_IN;
  const flow = (value: unknown): string => JSON.stringify(value);
  const lines: string[] = [
    `# The policy in force, built from: ${policy.sources.join(', ')}`,
    "# Each value says where it was written; (built-in) is claude-guard's default policy.",
    'version: 1',
  ];
  const entry = (indent: string, key: string, value: unknown, from: Origin): void => {
    lines.push(`${indent}${key}: ${flow(value)}  # ${originText(from)}`);
  };
  entry('', 'fail-on', policy.failOn, origin('fail-on'));
  entry('', 'block', policy.block, origin('block'));
  entry('', 'ignore', policy.ignore, origin('ignore'));
  const ruleIds = Object.keys(policy.rules).sort();
  if (ruleIds.length === 0) lines.push('rules: {}  # (built-in): every rule on, at its own severity');
  else {
    lines.push('rules:');
    for (const id of ruleIds) {
      const r = policy.rules[id];
      if (!r) continue;
      const value: Record<string, unknown> = r.off ? { off: true } : {};
      if (r.severity) value.severity = r.severity;
      if (r.locked) value.locked = originText(r.locked);
      entry('  ', id, value, origin(`rules.${id}`));
    }
  }
  lines.push('dangerous-mode:');
  entry('  ', 'allow-in', policy.dangerousModeAllowIn, origin('dangerous-mode.allow-in'));
  lines.push('tools:');
  if (policy.tools.allow) entry('  ', 'allow', policy.tools.allow, origin('tools.allow'));
  entry('  ', 'deny', policy.tools.deny, origin('tools.deny'));
  lines.push('mcp:');
  if (policy.mcp.allowedServers)
    entry('  ', 'allowed-servers', policy.mcp.allowedServers, origin('mcp.allowed-servers'));
  entry('  ', 'sensitive-servers', policy.mcp.sensitiveServers, origin('mcp.sensitive-servers'));
  lines.push('network:');
  entry('  ', 'allowed-endpoints', policy.allowedEndpoints, origin('network.allowed-endpoints'));
  if (policy.allowedProxies)
    entry('  ', 'allowed-proxies', policy.allowedProxies, origin('network.allowed-proxies'));
  lines.push('plugins:');
  if (policy.plugins.allowedSources)
    entry('  ', 'allowed-sources', policy.plugins.allowedSources, origin('plugins.allowed-sources'));
  else lines.push('  # allowed-sources: any (not listed)');
  lines.push('ci:');
  entry('  ', 'require-flags', policy.ci.requireFlags, origin('ci.require-flags'));
  entry('  ', 'forbid-flags', policy.ci.forbidFlags, origin('ci.forbid-flags'));
  entry('  ', 'require-env', policy.ci.requireEnv, origin('ci.require-env'));
  lines.push('environments:');
  for (const env of policy.environments) {
    const value = {
      match: { 'workflow-environments': env.workflowEnvironments, paths: env.paths },
      'max-risk': env.maxRisk,
      ...(env.default ? { default: true } : {}),
      ...(env.allow.length > 0 || env.deny.length > 0 ? { tools: { allow: env.allow, deny: env.deny } } : {}),
    };
    entry('  ', env.name, value, env.origin);
  }
  if (policy.exceptions.length === 0) lines.push('exceptions: []');
  else {
    lines.push('exceptions:');
    for (const e of policy.exceptions)
      lines.push(
        `  - ${flow({ rule: e.rule, paths: e.paths, reason: e.reason, owner: e.owner, expires: e.expires })}  # ${originText(e.origin)}`,
      );
  }
  entry(
    '',
    'suppressions',
    {
      allowed: policy.suppressions.allowed,
      'require-reason': policy.suppressions.requireReason,
      'require-owner': policy.suppressions.requireOwner,
      'require-expiry': policy.suppressions.requireExpiry,
    },
    origin('suppressions'),
  );
  // Policy text (globs, reasons, names) is repository text: one display-safe line each.
  return `${lines.map((l) => displayLine(l)).join('\n')}\n`;
}

/**
 * `claude-guard policy …`. `loadFor` builds the policy a folder's scan would use (`--policy` or its own
 * `.github/claude-guard.yml`, extends resolved), as `scan` does.
 */
export async function policyCommand(
  args: string[],
  io: PolicyIO,
  loadFor: (dir: string, policyFile: string | undefined) => Promise<Policy>,
): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'schema': {
      if (rest.length > 0) throw new PolicyUsageError('policy schema takes no arguments');
      io.stdout(`${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
      return 0;
    }
    case 'validate': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
      if (positionals.length > 1) throw new PolicyUsageError('policy validate takes one file');
      const display = positionals[0] ?? '.github/claude-guard.yml';
      const path = resolve(io.cwd, display);
      if (!existsSync(path)) throw new PolicyUsageError(`${display}: no such file`);
      // Every problem of the file itself is reported at once, before the policies it extends are read.
      // A policy inside the current folder is a repository's (perhaps a clone just fetched): the local
      // policies it extends must stay inside that folder too, as when it is scanned.
      const inside = pathInside(io.cwd, path) === undefined ? undefined : io.cwd;
      const policy = await loadPolicy(path, display, true, inside, io.remote);
      io.stdout(
        `${displayLine(display)}: valid${
          policy.sources.length > 1
            ? ` (with ${policy.sources
                .slice(0, -1)
                .map((s) => displayLine(s))
                .join(', ')})`
            : ''
        }\n`,
      );
      return 0;
    }
    case 'show': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { policy: { type: 'string' }, format: { type: 'string', default: 'yaml' } },
      });
      if (positionals.length > 1) throw new PolicyUsageError('policy show takes one folder');
      if (values.format !== 'yaml' && values.format !== 'json')
        throw new PolicyUsageError(`unknown format "${values.format}" (expected yaml, json)`);
      const policy = await loadFor(resolve(io.cwd, positionals[0] ?? '.'), values.policy);
      io.stdout(values.format === 'json' ? `${JSON.stringify(policy, null, 2)}\n` : renderPolicyShow(policy));
      return 0;
    }
    case 'init': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { output: { type: 'string', short: 'o' }, force: { type: 'boolean', default: false } },
      });
      if (positionals.length > 0)
        throw new PolicyUsageError('policy init takes no folder; use --output FILE');
      const display = values.output ?? '.github/claude-guard.yml';
      if (display === '-') {
        io.stdout(starterPolicy());
        return 0;
      }
      const path = resolve(io.cwd, display);
      if (existsSync(path) && !values.force)
        throw new PolicyUsageError(`${display} exists; --force replaces it`);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, starterPolicy());
      io.stdout(
        `wrote ${displayLine(display)}; check it with claude-guard policy validate ${displayLine(display)}\n`,
      );
      return 0;
    }
    default:
      throw new PolicyUsageError(
        sub === undefined
          ? `policy needs a subcommand:\n${POLICY_USAGE}`
          : `unknown policy subcommand "${sub}"\n${POLICY_USAGE}`,
      );
  }
}
