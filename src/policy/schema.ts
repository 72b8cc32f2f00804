import { z } from 'zod';
import { CATALOGUE_IDS } from '../rules/registry.js';
import { compileEndpoint } from '../model/endpoints.js';
import { parseToolRule } from '../model/tool-rule.js';
import { compileGlob, MAX_GLOB_PATTERNS } from './glob.js';

/**
 * The policy file, `.github/claude-guard.yml`, as a zod schema. Every key carries a description: the JSON
 * Schema (`claude-guard policy schema`, `policy.schema.json`) and the README's policy reference are generated
 * from them. Unknown keys are errors everywhere: a typo must never weaken a policy.
 */

export const SeveritySchema = z.enum(['critical', 'high', 'medium', 'low', 'info']);
export const FailOnSchema = z.enum(['critical', 'high', 'medium', 'low', 'info', 'never']);
export const RiskSchema = z.enum(['read', 'write', 'execute', 'admin']);

const RuleId = z
  .enum(CATALOGUE_IDS as [string, ...string[]], { error: 'not a claude-guard rule id (CG101, CG102…)' })
  .meta({ description: 'A rule id of the catalogue, e.g. CG101.' });

const RuleSetting = z.union(
  [
    z.literal('off'),
    z.strictObject({
      severity: SeveritySchema.optional().meta({ description: 'The severity its findings are reported at.' }),
      enabled: z.boolean().optional().meta({ description: 'false turns the rule off.' }),
      locked: z.boolean().optional().meta({
        description:
          'true: a policy that extends this one cannot turn the rule off, lower its severity, except it or widen the lists it reads.',
      }),
    }),
  ],
  { error: 'must be off or { severity: critical|high|medium|low|info, locked: true|false }' },
);

/** A path glob, refused with the reason when it is too long, too broad to expand or not understood. */
const Glob = z
  .string()
  .superRefine((glob, ctx) => {
    const compiled = compileGlob(glob);
    if ('error' in compiled) ctx.addIssue({ code: 'custom', message: compiled.error });
  })
  .meta({ description: 'A path glob relative to the scanned folder (`**`, `*`, `?`, `[a-z]`, `{a,b}`).' });

/** An endpoint: a URL or host, `*` standing for part of one label. */
const EndpointEntry = z
  .string()
  .superRefine((text, ctx) => {
    const compiled = compileEndpoint(text);
    if ('error' in compiled) ctx.addIssue({ code: 'custom', message: compiled.error });
  })
  .meta({ description: 'A URL or a host; `*` stands for part of one label.' });

/** A permission rule as Claude Code writes it: `Bash`, `Bash(npm run test:*)`, `mcp__github__*`. */
const ToolPattern = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    const problem = parseToolRule(text).problem;
    if (problem) ctx.addIssue({ code: 'custom', message: `not a tool rule: ${problem}` });
  })
  .meta({
    description:
      'A tool as Claude Code permission rules write it: `Bash`, `Bash(npm run test:*)`, `Read(./secrets/**)`, `mcp__github__*`.',
  });

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `text` is a real calendar day written `YYYY-MM-DD`. */
export function isDay(text: string): boolean {
  const m = DAY.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const Day = z
  .string({ error: 'must be a date written YYYY-MM-DD' })
  .refine(isDay, { error: 'must be a real date written YYYY-MM-DD' })
  .meta({ description: 'A day, `YYYY-MM-DD` (UTC).', pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

const NonEmpty = z.string().trim().min(1, { error: 'must not be empty' });

/** `owner/repo/path@ref` or a local path, relative to the file that names it. */
export const REMOTE_POLICY =
  /^([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100})\/([^@\s]+)@([^\s@]+)$/;

const ExtendsEntry = z
  .string()
  .min(1)
  .refine((text) => !text.includes('\0'), { error: 'must not hold a NUL' })
  .meta({
    description:
      'A policy this one builds on: a path relative to this file, or `owner/repo/path@ref` read through the GitHub API (pin `@<commit>`).',
  });

const ToolLists = z.strictObject({
  allow: z.array(ToolPattern).optional().meta({
    description: 'When given, only grants these patterns cover are accepted anywhere (CG106).',
  }),
  deny: z
    .array(ToolPattern)
    .optional()
    .meta({ description: 'Grants that are never accepted (CG106); lists of extended policies add up.' }),
});

const Environment = z.strictObject({
  match: z
    .strictObject({
      'workflow-environments': z
        .array(NonEmpty)
        .optional()
        .meta({ description: "GitHub deployment environments (a job's `environment:`) that select it." }),
      paths: z.array(Glob).optional().meta({ description: 'Files that select it.' }),
    })
    .optional()
    .meta({ description: 'What places a Claude run in this environment.' }),
  'max-risk': RiskSchema.meta({
    description: 'The riskiest grant allowed there: read < write < execute < admin (CG105).',
  }),
  default: z.boolean().optional().meta({ description: 'The environment of every run no other one matches.' }),
  tools: z
    .strictObject({
      allow: z
        .array(ToolPattern)
        .optional()
        .meta({ description: 'Grants accepted in this environment whatever their risk class.' }),
      deny: z
        .array(ToolPattern)
        .optional()
        .meta({ description: 'Grants never accepted in this environment.' }),
    })
    .optional()
    .meta({ description: 'Grants this environment accepts above its max-risk, or refuses.' }),
});

const Exception = z.strictObject({
  rule: RuleId,
  paths: z.array(Glob).min(1, { error: 'must list at least one path glob' }).meta({
    description: 'The files it applies to.',
  }),
  reason: NonEmpty.meta({ description: 'Why the finding is accepted.' }),
  owner: NonEmpty.meta({ description: 'Who answers for it (a team or a person).' }),
  expires: Day.meta({
    description: 'The last day it suppresses; from the next day the finding blocks again (CG902).',
  }),
});

export const PolicySchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'The JSON Schema the file follows (for editors).' }),
    version: z.literal(1, { error: 'version must be 1' }).meta({ description: 'The format version: 1.' }),
    extends: z
      .union([ExtendsEntry, z.array(ExtendsEntry).max(16, { error: 'at most 16 policies can be extended' })])
      .optional()
      .meta({ description: 'Policies this one builds on, in order; later ones win, this file last.' }),
    'fail-on': FailOnSchema.optional().meta({
      description:
        'The lowest severity that blocks (fails the check): critical, high, medium, low, info or never.',
    }),
    block: z.enum(['new', 'all']).optional().meta({
      description: 'On a pull request: block on findings it adds (`new`) or on all of them (`all`).',
    }),
    ignore: z.array(Glob).optional().meta({ description: 'Path globs never scanned.' }),
    rules: z
      .partialRecord(RuleId, RuleSetting)
      .optional()
      .meta({ description: 'Per rule: `off`, or `{ severity, locked }`.' }),
    'dangerous-mode': z
      .strictObject({
        'allow-in': z.array(z.enum(['container', 'devcontainer'])).meta({
          description:
            'Where bypass mode is tolerated (reported as low): container, devcontainer; [] = nowhere.',
        }),
      })
      .optional()
      .meta({ description: 'Where Claude may run with every permission check skipped (CG101).' }),
    tools: ToolLists.optional().meta({
      description: 'Grants the organisation allows or denies everywhere (CG106).',
    }),
    mcp: z
      .strictObject({
        'allowed-servers': z.array(NonEmpty).optional().meta({
          description:
            'When given, only MCP servers of these names may be configured (CG603); `*` stands for any run of characters (`github-*`).',
        }),
        'sensitive-servers': z.array(NonEmpty).optional().meta({
          description:
            'MCP servers whose tools reach production data: wildcard grants on them are high (CG104).',
        }),
      })
      .optional()
      .meta({ description: 'MCP servers.' }),
    network: z
      .strictObject({
        'allowed-endpoints': z.array(EndpointEntry).optional().meta({
          description:
            'Where Claude may send model and telemetry traffic; replaces the default list (CG303).',
        }),
        'allowed-proxies': z
          .array(EndpointEntry)
          .optional()
          .meta({ description: 'Proxies Claude may use; when given, other proxies are reported (CG303).' }),
      })
      .optional()
      .meta({ description: 'Where Claude may connect.' }),
    plugins: z
      .strictObject({
        'allowed-sources': z.array(NonEmpty).optional().meta({
          description:
            "Plugin marketplaces and plugin sources accepted (CG605): `owner/repo` on GitHub, a git URL, or a marketplace name; `*` stands for any run of characters. Anthropic's official marketplace is accepted only when listed.",
        }),
      })
      .optional()
      .meta({ description: 'Claude Code plugins.' }),
    ci: z
      .strictObject({
        'require-flags': z
          .array(NonEmpty)
          .optional()
          .meta({ description: 'Flags every CI run of Claude must pass, e.g. `--max-turns` (CG506).' }),
        'forbid-flags': z
          .array(NonEmpty)
          .optional()
          .meta({ description: 'Flags no CI run of Claude may pass (CG506).' }),
        'require-env': z
          .array(NonEmpty)
          .optional()
          .meta({ description: 'Environment variables every CI run of Claude must be given (CG506).' }),
      })
      .optional()
      .meta({ description: 'What every CI run of Claude must or must not have.' }),
    environments: z
      .record(
        z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'an environment name is letters, digits, ._-' }),
        Environment,
      )
      .optional()
      .meta({ description: 'Risk profiles by deployment environment or path (CG105).' }),
    exceptions: z
      .array(Exception)
      .optional()
      .meta({ description: 'Accepted findings, each with a reason, an owner and an expiry.' }),
    suppressions: z
      .strictObject({
        'require-reason': z
          .boolean()
          .optional()
          .meta({ description: 'Inline suppressions must give reason="…" (default true; CG904).' }),
        'require-owner': z
          .boolean()
          .optional()
          .meta({ description: 'Inline suppressions must give owner="…" (CG904).' }),
        'require-expiry': z
          .boolean()
          .optional()
          .meta({ description: 'Inline suppressions must give until=YYYY-MM-DD (CG904).' }),
        allowed: z.boolean().optional().meta({
          description: 'false: inline suppressions are not honoured at all; only policy exceptions.',
        }),
      })
      .optional()
      .meta({ description: 'What an inline `# claude-guard: ignore[…]` comment must say.' }),
  })
  .superRefine((policy, ctx) => {
    const lists = globLists(policy);
    const over = lists.find((list) => list.total > MAX_GLOB_PATTERNS);
    if (over)
      ctx.addIssue({
        code: 'custom',
        path: over.path,
        message: `a policy may hold at most ${MAX_GLOB_PATTERNS} path globs, each {…} alternative counted (this one holds ${lists.at(-1)?.total})`,
      });
    const defaults = Object.entries(policy.environments ?? {}).filter(([, env]) => env.default === true);
    for (const [name] of defaults.slice(1))
      ctx.addIssue({
        code: 'custom',
        path: ['environments', name, 'default'],
        message: `only one environment can be the default (${defaults[0]?.[0]} already is)`,
      });
  });

export type PolicyFile = z.infer<typeof PolicySchema>;

/**
 * The path glob lists of a policy file (ignore, each exception's paths, each environment's paths), each with
 * the number of patterns counted up to and including it. Every glob is tried against every file or finding
 * it may cover, so their number is bounded (MAX_GLOB_PATTERNS), in one file and in a chain of extends.
 */
export function globLists(
  policy: Pick<PolicyFile, 'ignore' | 'exceptions' | 'environments'>,
): { path: PropertyKey[]; total: number }[] {
  const lists: [PropertyKey[], readonly string[]][] = [
    [['ignore'], policy.ignore ?? []],
    ...(policy.exceptions ?? []).map((e, i): [PropertyKey[], string[]] => [
      ['exceptions', i, 'paths'],
      e.paths,
    ]),
    ...Object.entries(policy.environments ?? {}).map(([name, env]): [PropertyKey[], string[]] => [
      ['environments', name, 'match', 'paths'],
      env.match?.paths ?? [],
    ]),
  ];
  let total = 0;
  return lists
    .filter(([, globs]) => globs.length > 0)
    .map(([path, globs]) => {
      for (const glob of globs) {
        const compiled = compileGlob(glob);
        total += 'error' in compiled ? 1 : compiled.patterns;
      }
      return { path, total };
    });
}
export type FailOn = z.infer<typeof FailOnSchema>;
export type EnvironmentFile = z.infer<typeof Environment>;
export type ExceptionFile = z.infer<typeof Exception>;

/** The JSON Schema of the policy file, generated from the zod schema. */
export function policyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(PolicySchema, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    io: 'input',
  });
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://github.com/claude-guard/claude-guard/raw/main/policy.schema.json',
    title: 'claude-guard policy',
    description: 'The claude-guard policy file, .github/claude-guard.yml.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
