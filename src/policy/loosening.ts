import { riskRank } from '../model/powers.js';
import { severityRank } from '../model/types.js';
import { ruleById } from '../rules/registry.js';
import { type Origin, originText, type Policy } from './policy.js';

/** One way a new version of the policy is weaker than the one in force, and where the new one says so. */
export interface Loosening {
  message: string;
  /** Where the new policy writes it, when known. */
  origin?: Origin;
}

const added = (before: readonly string[], after: readonly string[]): string[] =>
  after.filter((x) => !before.includes(x));

const listed = (items: readonly string[]): string =>
  items
    .slice(0, 8)
    .map((i) => `"${i}"`)
    .join(', ') + (items.length > 8 ? `, and ${items.length - 8} more` : '');

/**
 * What `after` (a pull request's policy) loosens compared with `before` (the base branch's, in force): rules
 * turned off, lowered or unlocked, a higher fail-on, `block: new` for `all`, more ignored paths, new or
 * longer exceptions, wider allow lists, shorter deny lists and requirements, riskier environments, weaker
 * suppression requirements, extended policies dropped. Tightening is not listed.
 */
export function policyLoosening(before: Policy, after: Policy): Loosening[] {
  const out: Loosening[] = [];
  const say = (message: string, key?: string): void => {
    const origin = key ? after.origins[key] : undefined;
    out.push(origin ? { message, origin } : { message });
  };

  // The last source is the policy file itself (its two versions); the others are what it extends.
  for (const source of before.sources.slice(0, -1))
    if (!after.sources.includes(source)) say(`no longer extends ${source}`);
  // A lower rank is more severe: fail-on moving towards critical (or to never) lets more through.
  const failRank = (f: Policy['failOn']): number => (f === 'never' ? -1 : severityRank(f));
  if (failRank(after.failOn) < failRank(before.failOn))
    say(`fail-on goes from ${before.failOn} to ${after.failOn}: fewer findings block`, 'fail-on');
  if (before.block === 'all' && after.block === 'new')
    say('block goes from all to new: findings already there stop blocking', 'block');
  const ignored = added(before.ignore, after.ignore);
  if (ignored.length > 0) say(`stops scanning ${listed(ignored)}`, 'ignore');

  const ids = [...new Set([...Object.keys(before.rules), ...Object.keys(after.rules)])].sort();
  for (const id of ids) {
    const was = before.rules[id];
    const now = after.rules[id];
    const key = `rules.${id}`;
    if (now?.off && !was?.off) {
      say(`turns ${id} off`, key);
      continue;
    }
    const defaultSeverity = ruleById(id)?.meta.severity;
    const wasSeverity = was?.severity ?? defaultSeverity;
    const nowSeverity = now?.severity ?? defaultSeverity;
    if (wasSeverity && nowSeverity && severityRank(nowSeverity) > severityRank(wasSeverity))
      say(`lowers ${id} from ${wasSeverity} to ${nowSeverity}`, key);
    if (was?.locked && !now?.locked) say(`unlocks ${id} (locked at ${originText(was.locked)})`, key);
  }

  const modes = added(before.dangerousModeAllowIn, after.dangerousModeAllowIn);
  if (modes.length > 0) say(`allows bypass mode in ${listed(modes)}`, 'dangerous-mode.allow-in');

  const widerList = (
    name: string,
    key: string,
    was: readonly string[] | undefined,
    now: readonly string[] | undefined,
  ): void => {
    if (was === undefined) return; // nothing was restricted
    if (now === undefined) say(`drops ${name}: anything is accepted`, key);
    else {
      const more = added(was, now);
      if (more.length > 0) say(`adds ${listed(more)} to ${name}`, key);
    }
  };
  widerList('tools.allow', 'tools.allow', before.tools.allow, after.tools.allow);
  const undenied = added(after.tools.deny, before.tools.deny);
  if (undenied.length > 0) say(`no longer denies ${listed(undenied)}`, 'tools.deny');
  widerList(
    'mcp.allowed-servers',
    'mcp.allowed-servers',
    before.mcp.allowedServers,
    after.mcp.allowedServers,
  );
  const insensitive = added(after.mcp.sensitiveServers, before.mcp.sensitiveServers);
  if (insensitive.length > 0)
    say(`no longer treats ${listed(insensitive)} as sensitive`, 'mcp.sensitive-servers');
  const endpoints = added(before.allowedEndpoints, after.allowedEndpoints);
  if (endpoints.length > 0)
    say(`lets Claude send its traffic to ${listed(endpoints)}`, 'network.allowed-endpoints');
  widerList(
    'network.allowed-proxies',
    'network.allowed-proxies',
    before.allowedProxies,
    after.allowedProxies,
  );
  widerList(
    'plugins.allowed-sources',
    'plugins.allowed-sources',
    before.plugins.allowedSources,
    after.plugins.allowedSources,
  );
  for (const [key, was, now] of [
    ['ci.require-flags', before.ci.requireFlags, after.ci.requireFlags],
    ['ci.forbid-flags', before.ci.forbidFlags, after.ci.forbidFlags],
    ['ci.require-env', before.ci.requireEnv, after.ci.requireEnv],
  ] as const) {
    const dropped = added(now, was);
    if (dropped.length > 0) say(`drops ${listed(dropped)} from ${key}`, key);
  }

  for (const env of before.environments) {
    const next = after.environments.find((e) => e.name === env.name);
    if (!next) {
      say(`removes environment ${env.name} (max-risk ${env.maxRisk})`);
      continue;
    }
    const where = next.origin.line > 0 ? next.origin : undefined;
    const note = (message: string): void => {
      out.push(where ? { message, origin: where } : { message });
    };
    if (riskRank(next.maxRisk) > riskRank(env.maxRisk))
      note(`raises the max-risk of environment ${env.name} from ${env.maxRisk} to ${next.maxRisk}`);
    const allow = added(env.allow, next.allow);
    if (allow.length > 0) note(`lets environment ${env.name} accept ${listed(allow)}`);
    const deny = added(next.deny, env.deny);
    if (deny.length > 0) note(`no longer denies ${listed(deny)} in environment ${env.name}`);
    const lost = added(next.workflowEnvironments, env.workflowEnvironments);
    if (lost.length > 0) note(`no longer places deployment environment ${listed(lost)} in ${env.name}`);
    const paths = added(next.paths, env.paths);
    if (paths.length > 0) note(`no longer places ${listed(paths)} in environment ${env.name}`);
  }

  const known = new Set(before.exceptions.map((e) => `${e.rule}\0${e.paths.join('\0')}\0${e.expires}`));
  for (const e of after.exceptions)
    if (!known.has(`${e.rule}\0${e.paths.join('\0')}\0${e.expires}`))
      out.push({
        message: `excepts ${e.rule} in ${listed(e.paths)} until ${e.expires} ("${e.reason}", owner ${e.owner})`,
        origin: e.origin,
      });

  const s = [before.suppressions, after.suppressions] as const;
  if (!s[0].allowed && s[1].allowed) say('honours inline suppressions again', 'suppressions');
  if (s[0].requireReason && !s[1].requireReason)
    say('lets inline suppressions omit a reason', 'suppressions');
  if (s[0].requireOwner && !s[1].requireOwner) say('lets inline suppressions omit an owner', 'suppressions');
  if (s[0].requireExpiry && !s[1].requireExpiry)
    say('lets inline suppressions omit an expiry', 'suppressions');
  return out;
}
