import type { JobContext, WorkflowContext } from './types.js';
import { tokenPermissionsOf } from './workflow-trust.js';

/**
 * What a job's `GITHUB_TOKEN` may write, in words, or undefined when it may write nothing: `write-all`, each
 * scope set to `write` (not `id-token`, which only lets the job ask for an OIDC token), or the repository's
 * default when neither the job nor the workflow sets `permissions:` (write on many repositories).
 */
export function writeAccess(workflow: WorkflowContext, job: JobContext): string | undefined {
  const token = tokenPermissionsOf(workflow, job);
  if (token.level === 'default') return 'the default token (no permissions: set)';
  if (token.level !== 'write') return undefined;
  if (token.writes.includes('all')) return 'a write-all token';
  return `a token with ${token.writes.map((k) => `${k}: write`).join(', ')}`;
}
