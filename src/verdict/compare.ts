import { blocks, compareFindings, type Finding, type Verdict } from '../policy/verdict.js';

/**
 * What a comparison with the base of a change knows: which files the change touches, and the fingerprints
 * the base version of those files gave. A finding is new when its file changed and its fingerprint (rule,
 * path, evidence — never the line, so moving a line is not a change) is absent from the base.
 */
export interface BaseComparison {
  /** Paths (relative to the scanned folder) the change adds, edits or renames to. */
  changed: ReadonlySet<string>;
  /** Fingerprints of the findings the base gave in the changed files. */
  baseFingerprints: ReadonlySet<string>;
  /**
   * Changed files whose base version could not be read (too large, the API failed): their findings are
   * taken as new, so that what cannot be checked blocks rather than slips through.
   */
  unknown: ReadonlySet<string>;
}

/**
 * The verdict with each finding marked new or existing, and blocking recomputed: under `block: new` only
 * new findings block; under `block: all` any does. Without a comparison (not a pull request, or no base)
 * every finding counts as new, except those whose fingerprint is in `baseline` (an earlier report's).
 */
export function markNew(
  verdict: Verdict,
  comparison: BaseComparison | undefined,
  baseline?: ReadonlySet<string>,
): Verdict {
  const block = verdict.policy.block === 'all' ? 'all' : 'new';
  const failOn = verdict.policy.failOn as Parameters<typeof blocks>[1];
  const findings: Finding[] = verdict.findings.map((f) => {
    // A finding an earlier report (the baseline) already had exists, whatever the change.
    const isNew =
      !baseline?.has(f.fingerprint) &&
      (comparison === undefined ||
        comparison.unknown.has(f.path) ||
        (comparison.changed.has(f.path) && !comparison.baseFingerprints.has(f.fingerprint)));
    const blocking = f.suppression === null && blocks(f.severity, failOn) && (block === 'all' || isNew);
    return { ...f, new: isNew, blocking };
  });
  findings.sort(compareFindings);
  const blocking = findings.filter((f) => f.blocking).length;
  return {
    ...verdict,
    summary: { ...verdict.summary, blocking, conclusion: blocking > 0 ? 'failure' : 'success' },
    findings,
  };
}
