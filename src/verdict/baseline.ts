/**
 * An earlier JSON report (`--format json`, or the action's `report` output) used as a baseline: its findings'
 * fingerprints are the findings that already exist. The file is input like any other — possibly written by
 * whoever opened the pull request — so it is read strictly: a JSON report of schema version 1, or an error.
 */

/** A baseline larger than this is refused. */
export const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

const FINGERPRINT = /^[0-9a-f]{32}(?::\d{1,6})?$/;

export class BaselineError extends Error {}

/** A report nests a few levels deep and holds about two arrays or objects per finding. */
const MAX_DEPTH = 64;
const MAX_CONTAINERS = 1_000_000;

/**
 * Whether JSON text stays within MAX_DEPTH and MAX_CONTAINERS, counted in one pass before it is parsed:
 * 64 MiB of `[` would otherwise become millions of nested arrays, over half a gigabyte.
 */
function boundedShape(text: string): boolean {
  let depth = 0;
  let containers = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > MAX_DEPTH || ++containers > MAX_CONTAINERS) return false;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return true;
}

/** The fingerprints of a JSON report's findings; throws BaselineError naming `display` when it is not one. */
export function baselineFingerprints(text: string, display: string): Set<string> {
  if (text.length > MAX_BASELINE_BYTES)
    throw new BaselineError(`${display}: the baseline is larger than 64 MiB`);
  if (!boundedShape(text))
    throw new BaselineError(
      `${display}: the baseline nests deeper than ${MAX_DEPTH} levels or holds more than ${MAX_CONTAINERS} arrays and objects`,
    );
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new BaselineError(
      `${display}: the baseline is not JSON (expected a claude-guard --format json report)`,
    );
  }
  const report = data as { schemaVersion?: unknown; tool?: { name?: unknown }; findings?: unknown };
  if (
    typeof report !== 'object' ||
    report === null ||
    report.schemaVersion !== 1 ||
    report.tool?.name !== 'claude-guard' ||
    !Array.isArray(report.findings)
  )
    throw new BaselineError(`${display}: not a claude-guard JSON report of schema version 1`);
  const found = new Set<string>();
  for (const [i, f] of (report.findings as unknown[]).entries()) {
    const fingerprint = (f as { fingerprint?: unknown } | null)?.fingerprint;
    if (typeof fingerprint !== 'string' || !FINGERPRINT.test(fingerprint))
      throw new BaselineError(`${display}: findings[${i}] has no valid fingerprint`);
    found.add(fingerprint);
  }
  return found;
}
