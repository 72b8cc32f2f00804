import * as core from '@actions/core';
import type { Verdict } from '../policy/verdict.js';
import { annotationLevel, annotationMessage, annotationTitle } from '../report/github.js';
import { displayVerdict } from '../report/safe.js';
import { annotationOrder } from './check-run.js';

/** The runner turns only the first ten errors, ten warnings and ten notices of a step into annotations. */
export const RUNNER_ANNOTATIONS_PER_LEVEL = 10;

/**
 * Annotations as workflow commands, for when there is no check run (a read-only token, an API failure,
 * `check-run: false`): every unsuppressed finding, most severe first. Returns how many the runner will not
 * show as annotations (they stay in the log), so the summary can say so.
 */
export function annotateInLog(unsafe: Verdict, prefix: string, secrets: readonly string[]): number {
  const verdict = displayVerdict(unsafe, secrets);
  const perLevel = new Map<string, number>();
  let hidden = 0;
  for (const f of annotationOrder(verdict.findings)) {
    const props: core.AnnotationProperties = {
      title: annotationTitle(f),
      file: prefix ? `${prefix}/${f.path}` : f.path,
      startLine: f.line,
      endLine: f.endLine,
    };
    if (f.line === f.endLine) {
      props.startColumn = f.column;
      props.endColumn = f.endColumn;
    }
    // A finding the change did not bring is a notice, whatever its severity.
    const level = f.new ? annotationLevel(f.severity) : 'notice';
    const n = (perLevel.get(level) ?? 0) + 1;
    perLevel.set(level, n);
    if (n > RUNNER_ANNOTATIONS_PER_LEVEL) hidden++;
    const message = `${f.new ? '' : '(existing) '}${annotationMessage(f)}`;
    if (level === 'error') core.error(message, props);
    else if (level === 'warning') core.warning(message, props);
    else core.notice(message, props);
  }
  return hidden;
}
