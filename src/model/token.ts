import type { JobContext, WorkflowContext } from './types.js';

/**
 * What a job's `GITHUB_TOKEN` may write, in words, or undefined when it may write nothing: `write-all`, each
 * scope set to `write` (not `id-token`, which only lets the job ask for an OIDC token), or the repository's
 * default when neither the job nor the workflow sets `permissions:` (write on many repositories).
 */
export function writeAccess(workflow: WorkflowContext, job: JobContext): string | undefined {
  const permissions = job.permissions ?? workflow.permissions;
  if (!permissions) return 'the default token (no permissions: set)';
  const value = permissions.value;
  if (value === 'write-all') return 'a write-all token';
  if (value && typeof value === 'object') {
    const writes = Object.entries(value as Record<string, unknown>).filter(
      ([scope, v]) => v === 'write' && scope !== 'id-token',
    );
    if (writes.length > 0) return `a token with ${writes.map(([k]) => `${k}: write`).join(', ')}`;
  }
  return undefined;
}
