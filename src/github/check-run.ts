import type { Severity } from '../model/types.js';
import type { Verdict } from '../policy/verdict.js';
import { annotationMessage, annotationTitle } from '../report/github.js';
import { cutToBytes, renderMarkdown } from '../report/markdown.js';
import { displayVerdict } from '../report/safe.js';
import { countsLine, plural } from '../report/text.js';
import { type Client, statusOf } from './client.js';
import type { EventContext } from './context.js';

/** The check run's name. It must differ from the job's name, or required-check matching gets confused. */
export const CHECK_NAME = 'claude-guard';

/** GitHub takes at most 50 annotations per request; more are appended by updates. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** At most this many annotations (ten requests): past it, the summary says how many more there are. */
export const MAX_ANNOTATIONS = 500;

/**
 * Unsuppressed findings in the order they are annotated: what blocks first, then what the change brings,
 * then the rest, each by severity (the verdict's order) — so a cap or the runner's ten per level never
 * hides the finding that fails the check behind older ones.
 */
export function annotationOrder<F extends { blocking: boolean; new: boolean; suppression: unknown }>(
  findings: readonly F[],
): F[] {
  const rank = (f: F): number => (f.blocking ? 0 : f.new ? 1 : 2);
  return findings
    .filter((f) => f.suppression === null)
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map(({ f }) => f);
}

/** `output.summary` is limited to 65535 bytes (not characters); this leaves room for the closing line. */
const SUMMARY_BYTES = 65_535 - 512;
const TITLE_CHARS = 255;
/** An annotation's message and raw details are limited to 64 KB. */
const MESSAGE_BYTES = 60 * 1024;

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title: string;
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  annotations: Annotation[];
}

export interface CheckRunPlan {
  conclusion: 'success' | 'failure';
  /** The first request's output, then one per further batch of annotations. */
  outputs: CheckRunOutput[];
}

const LEVEL: ReadonlyMap<Severity, Annotation['annotation_level']> = new Map([
  ['critical', 'failure'],
  ['high', 'failure'],
  ['medium', 'warning'],
  ['low', 'notice'],
  ['info', 'notice'],
]);

/** The check run's title: what blocks, then the counts. */
export function checkTitle(verdict: Verdict): string {
  const { summary } = verdict;
  const newOnes = verdict.findings.filter((f) => f.new && f.suppression === null).length;
  const lead =
    summary.blocking > 0
      ? `${plural(summary.blocking, 'blocking finding')}`
      : summary.findings > 0
        ? 'nothing blocks'
        : 'no findings';
  const counts = summary.findings > 0 ? ` · ${countsLine(verdict)}` : '';
  const news = summary.findings > 0 && newOnes < summary.findings ? ` · ${newOnes} new` : '';
  return cutToBytes(`${lead}${counts}${news}`, TITLE_CHARS);
}

/**
 * What to send for the check run of a verdict: the conclusion, a title with counts, the Markdown summary cut
 * to fit GitHub's byte limit (pointing to the job summary when cut), and every unsuppressed finding as an
 * annotation, most severe first, fifty per request. Columns only when a span is on one line.
 */
export function planCheckRun(
  unsafe: Verdict,
  options: {
    secrets: readonly string[];
    prefix: string;
    linkBase?: string;
    docsBase?: string;
    summaryUrl?: string;
  },
): CheckRunPlan {
  const verdict = displayVerdict(unsafe, options.secrets);
  const title = checkTitle(verdict);
  const full = renderMarkdown(unsafe, {
    secrets: options.secrets,
    maxBytes: SUMMARY_BYTES,
    ...(options.linkBase ? { linkBase: options.linkBase } : {}),
    ...(options.docsBase ? { docsBase: options.docsBase } : {}),
  });
  const pointer = options.summaryUrl
    ? `\n\nThe whole report is in the [job summary](${options.summaryUrl}).`
    : '\n\nThe whole report is in the job summary.';
  const shown = annotationOrder(verdict.findings);
  const unannotated = shown.length - Math.min(shown.length, MAX_ANNOTATIONS);
  const more =
    unannotated > 0 ? `\n\n${unannotated} more findings are not annotated (at most ${MAX_ANNOTATIONS}).` : '';
  const summary = cutToBytes(full, SUMMARY_BYTES - Buffer.byteLength(more)) + more + pointer;
  const annotations: Annotation[] = shown.slice(0, MAX_ANNOTATIONS).map((f) => {
    const a: Annotation = {
      path: options.prefix ? `${options.prefix}/${f.path}` : f.path,
      start_line: f.line,
      end_line: f.endLine,
      // A finding the change did not bring is a notice on its line, whatever its severity.
      annotation_level: f.new ? (LEVEL.get(f.severity) ?? 'notice') : 'notice',
      message: cutToBytes(`${f.new ? '' : '(existing) '}${annotationMessage(f)}`, MESSAGE_BYTES),
      title: cutToBytes(annotationTitle(f), TITLE_CHARS),
    };
    if (f.line === f.endLine) {
      a.start_column = f.column;
      a.end_column = f.endColumn;
    }
    return a;
  });
  const outputs: CheckRunOutput[] = [];
  for (let i = 0; i === 0 || i < annotations.length; i += ANNOTATIONS_PER_REQUEST)
    outputs.push({ title, summary, annotations: annotations.slice(i, i + ANNOTATIONS_PER_REQUEST) });
  return { conclusion: unsafe.summary.conclusion, outputs };
}

export type CheckRunResult =
  | { ok: true; id: number; url: string | undefined; annotations: number }
  | { ok: false; created: boolean; status: number | undefined; reason: string; annotations: number };

/**
 * Creates the check run on the head commit with the first batch of annotations and the conclusion, then
 * appends the other batches. Never throws for an API answer: a read-only token (403) or any other failure
 * is returned, with how many annotations made it.
 */
export async function publishCheckRun(
  client: Client,
  ctx: EventContext,
  plan: CheckRunPlan,
  now: () => Date = () => new Date(),
): Promise<CheckRunResult> {
  const [first, ...rest] = plan.outputs as [CheckRunOutput, ...CheckRunOutput[]];
  let id: number;
  let url: string | undefined;
  let sent: number;
  try {
    const { data } = await client.rest.checks.create({
      owner: ctx.owner,
      repo: ctx.repo,
      name: CHECK_NAME,
      head_sha: ctx.headSha,
      status: 'completed',
      conclusion: plan.conclusion,
      completed_at: now().toISOString(),
      output: first,
    });
    id = data.id;
    url = data.html_url ?? undefined;
    sent = first.annotations.length;
  } catch (error) {
    const status = statusOf(error);
    if (status === undefined) throw error;
    return { ok: false, created: false, status, reason: (error as Error).message, annotations: 0 };
  }
  for (const output of rest) {
    try {
      await client.rest.checks.update({ owner: ctx.owner, repo: ctx.repo, check_run_id: id, output });
      sent += output.annotations.length;
    } catch (error) {
      const status = statusOf(error);
      if (status === undefined) throw error;
      return { ok: false, created: true, status, reason: (error as Error).message, annotations: sent };
    }
  }
  return { ok: true, id, url, annotations: sent };
}
