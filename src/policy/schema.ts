import { z } from 'zod';
import { CATALOGUE_IDS } from '../rules/registry.js';
import { compileEndpoint } from '../model/endpoints.js';
import { compileGlob } from './glob.js';

export const SeveritySchema = z.enum(['critical', 'high', 'medium', 'low', 'info']);
export const FailOnSchema = z.enum(['critical', 'high', 'medium', 'low', 'info', 'never']);

const RuleSetting = z.union(
  [
    z.literal('off'),
    z.strictObject({
      severity: SeveritySchema.optional(),
      enabled: z.boolean().optional(),
    }),
  ],
  { error: 'must be off or { severity: critical|high|medium|low|info }' },
);

/** A path glob, refused with the reason when it is too long, too broad to expand or not understood. */
const Glob = z.string().superRefine((glob, ctx) => {
  const compiled = compileGlob(glob);
  if ('error' in compiled) ctx.addIssue({ code: 'custom', message: compiled.error });
});

/** An endpoint: a URL or host, `*` standing for part of one label. */
const EndpointEntry = z.string().superRefine((text, ctx) => {
  const compiled = compileEndpoint(text);
  if ('error' in compiled) ctx.addIssue({ code: 'custom', message: compiled.error });
});

/** The policy file, `.github/claude-guard.yml`. Unknown keys are errors: a typo must not weaken a policy. */
export const PolicySchema = z.strictObject({
  version: z.literal(1, { error: 'version must be 1' }),
  'fail-on': FailOnSchema.optional(),
  block: z.enum(['new', 'all']).optional(),
  ignore: z.array(Glob).optional(),
  rules: z
    .record(
      z
        .string()
        .refine((id) => CATALOGUE_IDS.includes(id), { error: 'not a claude-guard rule id (CG101, CG102…)' }),
      RuleSetting,
    )
    .optional(),
  'dangerous-mode': z
    .strictObject({
      'allow-in': z.array(z.enum(['container', 'devcontainer'])),
    })
    .optional(),
  network: z
    .strictObject({
      'allowed-endpoints': z.array(EndpointEntry).optional(),
      'allowed-proxies': z.array(EndpointEntry).optional(),
    })
    .optional(),
});

export type PolicyFile = z.infer<typeof PolicySchema>;
export type FailOn = z.infer<typeof FailOnSchema>;
