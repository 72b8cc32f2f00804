import { gzipSync } from 'node:zlib';
import type { Severity } from '../model/types.js';
import type { Finding, Notice, Suppression, Verdict } from '../policy/verdict.js';
import { RULES } from '../rules/registry.js';
import type { RuleMeta } from '../rules/types.js';
import { VERSION } from '../version.js';
import { dataVerdict, maskSecrets, safeJson } from './safe.js';

/**
 * The verdict as SARIF 2.1.0, shaped for GitHub code scanning (`github/codeql-action/upload-sarif`): the
 * properties GitHub requires, the limits past which it rejects a file, and fingerprints that keep an alert the
 * same alert when lines move. Facts from `reference/github-platform.md` §5 and GitHub's "SARIF support for
 * code scanning".
 */

/** The schema URI GitHub's documentation uses; the SARIF Multitool accepts it as the final 2.1.0 schema. */
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** Where claude-guard lives; rule pages are under `docs/rules/` at the release tag. */
export const PROJECT_URL = 'https://github.com/org/claude-guard';

/** What GitHub code scanning accepts; past any of these it rejects the whole file. */
export const GITHUB_LIMITS = {
  resultsPerRun: 25_000,
  locationsPerResult: 1_000,
  /** The upload is at most 10 MB gzip-compressed. */
  gzipBytes: 10 * 1024 * 1024,
  ruleName: 255,
  description: 1_024,
} as const;

export interface SarifOptions {
  /** Values to mask wherever they appear (see safe.ts). */
  secrets?: readonly string[];
  /** Tells apart several analyses of one commit (a monorepo's folders): `automationDetails.id` is `claude-guard/<category>/`. */
  category?: string;
  /** An absolute URL that `docs/rules/CGxxx.md` is appended to; by default this project's at the release tag. */
  docsBase?: string;
  /** Where the scanned folder lies in the repository (`packages/app`), so URIs are relative to the repository root. */
  uriPrefix?: string;
  /** Lower limits, for tests. */
  limits?: Partial<typeof GITHUB_LIMITS>;
}

const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/**
 * GitHub reads a rule's `security-severity` as critical above 9.0, high from 7.0, medium from 4.0, low from
 * 0.1; `info` has no security severity.
 */
const SECURITY_SEVERITY: Record<Severity, string | undefined> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: undefined,
};

/** For tools that read only the non-security scale. */
const PROBLEM_SEVERITY: Record<Severity, 'error' | 'warning' | 'recommendation'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'recommendation',
  info: 'recommendation',
};

const SRCROOT = '%SRCROOT%';

/** At most `max` UTF-16 code units, cut at a space when one is near, never inside a surrogate pair. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  if (/[\uD800-\uDBFF]/.test(text[end - 1] ?? '')) end--;
  const space = text.lastIndexOf(' ', end);
  if (space > max * 0.8) end = space;
  return `${text.slice(0, end).trimEnd()}…`;
}

/** A sentence ends with a stop; SARIF asks plain-text messages to be sentences. */
function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/**
 * SARIF reads `[text](n)` in a message as a link to related location n. Text of a file's making keeps its
 * brackets literal: escaped wherever a link could form.
 */
function literal(text: string): string {
  return text.includes('](') ? text.replace(/[[\]\\]/g, (c) => `\\${c}`) : text;
}

/** One path segment of a URI (RFC 3986): a raw byte of a name that is not UTF-8 (`fs/names.ts`) stays that byte. */
function encodeSegment(segment: string): string {
  let out = '';
  for (const ch of segment) {
    const code = ch.codePointAt(0) as number;
    if (code >= 0xdc80 && code <= 0xdcff) out += `%${(code - 0xdc00).toString(16).toUpperCase()}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += '%EF%BF%BD';
    else out += encodeURIComponent(ch);
  }
  return out;
}

/** A repository-relative, `/`-separated URI reference for a path relative to the scanned folder. */
function fileUri(path: string, prefix: string): string {
  const full = prefix ? `${prefix}/${path}` : path;
  return full.split('/').map(encodeSegment).join('/');
}

function normalisePrefix(prefix: string | undefined): string {
  return (prefix ?? '')
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/');
}

function docsBaseOf(docsBase: string | undefined): string {
  const fallback = `${PROJECT_URL}/blob/v${VERSION}/`;
  if (!docsBase) return fallback;
  try {
    const url = new URL(docsBase);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return fallback;
  } catch {
    return fallback;
  }
  return docsBase.endsWith('/') ? docsBase : `${docsBase}/`;
}

interface RuleEntry {
  id: string;
  name: string;
  severity: Severity;
  summary: string;
  rationale: string;
  fix: string;
}

/** Every rule of the registry, and any rule a finding names that the registry does not hold. */
function ruleEntries(findings: readonly Finding[]): RuleEntry[] {
  const entries: RuleEntry[] = RULES.map(({ meta }: { meta: RuleMeta }) => ({
    id: meta.id,
    name: meta.name,
    severity: meta.severity,
    summary: meta.summary,
    rationale: meta.rationale,
    fix: meta.fix,
  }));
  const known = new Set(entries.map((e) => e.id));
  const extra = new Map<string, RuleEntry>();
  for (const f of findings) {
    if (known.has(f.ruleId) || extra.has(f.ruleId)) continue;
    extra.set(f.ruleId, {
      id: f.ruleId,
      name: f.ruleName,
      severity: f.severity,
      summary: f.ruleName,
      rationale: f.ruleName,
      fix: f.help,
    });
  }
  return [...entries, ...[...extra.values()].sort((a, b) => (a.id < b.id ? -1 : 1))];
}

function ruleDescriptor(
  rule: RuleEntry,
  docsBase: string,
  mask: (s: string) => string,
  limits: typeof GITHUB_LIMITS,
) {
  const helpUri = `${docsBase}docs/rules/${encodeURIComponent(rule.id)}.md`;
  const summary = mask(rule.summary);
  const rationale = mask(rule.rationale);
  const fix = mask(rule.fix);
  const security = SECURITY_SEVERITY[rule.severity];
  return {
    id: rule.id,
    name: clip(mask(rule.name), limits.ruleName),
    shortDescription: { text: clip(summary, limits.description) },
    fullDescription: { text: clip(`${sentence(summary)} ${sentence(rationale)}`, limits.description) },
    helpUri,
    help: {
      text: `${sentence(summary)}\n\nWhy it matters: ${sentence(rationale)}\n\nHow to fix: ${sentence(fix)}\n\nDocumentation: ${helpUri}`,
      markdown: `**${sentence(summary)}**\n\n### Why it matters\n\n${sentence(rationale)}\n\n### How to fix\n\n${sentence(fix)}\n\n[${rule.id} ${mask(rule.name)}](${helpUri})`,
    },
    defaultConfiguration: { level: LEVELS[rule.severity] },
    properties: {
      tags: ['security', 'claude-code'],
      precision: 'high',
      ...(security ? { 'security-severity': security } : {}),
      'problem.severity': PROBLEM_SEVERITY[rule.severity],
    },
  };
}

function suppressionOf(s: Suppression) {
  const who = [s.owner ? `owner ${s.owner}` : '', s.expires ? `until ${s.expires}` : ''].filter(Boolean);
  const properties: { owner?: string; expires?: string } = {};
  if (s.owner !== undefined) properties.owner = s.owner;
  if (s.expires !== undefined) properties.expires = s.expires;
  return {
    kind: s.kind === 'inline' ? 'inSource' : 'external',
    status: 'accepted',
    justification: who.length > 0 ? `${s.reason} (${who.join(', ')})` : s.reason,
    ...(Object.keys(properties).length > 0 ? { properties } : {}),
  };
}

/**
 * GitHub matches alerts across runs by `primaryLocationLineHash`. The fingerprint already hashes the rule,
 * the path and what was found (never where), so a hash taken from it follows the finding when lines move;
 * `:n` counts findings with the same evidence, as GitHub's own line hashes do.
 */
function lineHash(fingerprint: string): string {
  const [base = '', n = '0'] = fingerprint.split(':');
  return `${base.slice(0, 16)}:${Number(n) + 1}`;
}

function result(f: Finding, ruleIndex: number, prefix: string, limits: typeof GITHUB_LIMITS) {
  const related = f.related.slice(0, limits.locationsPerResult);
  const links = related.map((r, i) => `[${r.message.replace(/[[\]\\]/g, (c) => `\\${c}`)}](${i + 1})`);
  const text =
    `${literal(sentence(f.message || f.ruleName))} Fix: ${literal(sentence(f.help))}` +
    (links.length > 0 ? ` Related: ${links.join('; ')}.` : '');
  const region: {
    startLine: number;
    startColumn: number;
    endLine: number;
    endColumn: number;
    snippet?: { text: string };
  } = { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn };
  if (f.snippet) region.snippet = { text: f.snippet };
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVELS[f.severity],
    message: { text },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: fileUri(f.path, prefix), uriBaseId: SRCROOT }, region },
      },
    ],
    ...(related.length > 0
      ? {
          relatedLocations: related.map((r, i) => ({
            id: i + 1,
            physicalLocation: {
              artifactLocation: { uri: fileUri(r.path, prefix), uriBaseId: SRCROOT },
              region: { startLine: r.line },
            },
            message: { text: r.message },
          })),
        }
      : {}),
    partialFingerprints: {
      primaryLocationLineHash: lineHash(f.fingerprint),
      'claudeGuard/v1': f.fingerprint,
    },
    // Every finding was checked for suppressions, so an unsuppressed one says so with an empty list.
    suppressions: f.suppression ? [suppressionOf(f.suppression)] : [],
    properties: { severity: f.severity, blocking: f.blocking, new: f.new },
  };
}

interface Notification {
  level: 'warning' | 'note';
  message: { text: string };
  locations?: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }[];
}

function noticeNotification(n: Notice, prefix: string): Notification {
  return {
    level: 'note',
    message: { text: sentence(n.message) },
    locations: [
      { physicalLocation: { artifactLocation: { uri: fileUri(n.path, prefix), uriBaseId: SRCROOT } } },
    ],
  };
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MB` : `${bytes} bytes`;
}

/** Which findings fit: unsuppressed before suppressed, most severe first (the verdict's order), in that order. */
function kept(findings: readonly Finding[], count: number): Finding[] {
  if (count >= findings.length) return [...findings];
  const order = findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => Number(!!a.f.suppression) - Number(!!b.f.suppression) || a.i - b.i);
  return order
    .slice(0, count)
    .sort((a, b) => a.i - b.i)
    .map(({ f }) => f);
}

/**
 * The SARIF log of a verdict: one run, every registered rule, one result per finding (suppressed ones with
 * their suppression). Same verdict, same bytes: no time, no absolute path, fixed key order, a final newline.
 * When the verdict holds more than GitHub accepts, the most severe findings are kept and the run says how
 * many were left out.
 */
export function renderSarif(unsafe: Verdict, options: SarifOptions = {}): string {
  const verdict = dataVerdict(unsafe, options.secrets);
  const mask = (s: string): string => maskSecrets(s, options.secrets);
  const limits = { ...GITHUB_LIMITS, ...options.limits };
  const prefix = normalisePrefix(mask(options.uriPrefix ?? ''));
  const category = normalisePrefix(mask(options.category ?? ''));
  const docsBase = docsBaseOf(options.docsBase);
  const rules = ruleEntries(verdict.findings);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const driver = {
    name: 'claude-guard',
    version: VERSION,
    semanticVersion: VERSION,
    informationUri: PROJECT_URL,
    rules: rules.map((r) => ruleDescriptor(r, docsBase, mask, limits)),
  };

  const render = (count: number): string => {
    const findings = kept(verdict.findings, count);
    const omitted = verdict.findings.length - findings.length;
    const notifications: Notification[] = verdict.notices.map((n) => noticeNotification(n, prefix));
    if (omitted > 0) {
      notifications.unshift({
        level: 'warning',
        message: {
          text:
            `${omitted} of ${verdict.findings.length} findings are left out: GitHub code scanning rejects a file ` +
            `with more than ${limits.resultsPerRun} results in a run or more than ` +
            `${size(limits.gzipBytes)} compressed. The most severe are kept; the JSON ` +
            'report (--format json) has them all.',
        },
      });
    }
    const { summary } = verdict;
    const run = {
      tool: { driver },
      automationDetails: { id: category ? `claude-guard/${category}/` : 'claude-guard/' },
      invocations: [
        {
          executionSuccessful: true,
          toolExecutionNotifications: notifications,
        },
      ],
      originalUriBaseIds: {
        [SRCROOT]: {
          description: {
            text: 'The root of the repository scanned (the scanned folder when it is not in a git repository).',
          },
        },
      },
      columnKind: 'utf16CodeUnits',
      results: findings.map((f) => result(f, index.get(f.ruleId) as number, prefix, limits)),
      properties: {
        conclusion: summary.conclusion,
        failOn: verdict.policy.failOn,
        block: verdict.policy.block,
        policySources: verdict.policy.sources,
        filesScanned: summary.filesScanned,
        findings: summary.findings,
        blocking: summary.blocking,
        suppressed: summary.suppressed,
        bySeverity: summary.bySeverity,
        resultsOmitted: omitted,
      },
    };
    return `${safeJson({ $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] })}\n`;
  };

  let count = Math.min(verdict.findings.length, limits.resultsPerRun);
  for (;;) {
    const text = render(count);
    // gzip never grows text by more than a few bytes per 16 KiB block, so most files need no compressing.
    if (count === 0 || Buffer.byteLength(text) < limits.gzipBytes * 0.99) return text;
    const compressed = gzipSync(text).length;
    if (compressed <= limits.gzipBytes) return text;
    count = Math.floor((count * limits.gzipBytes * 0.95) / compressed);
  }
}
