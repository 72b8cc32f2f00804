import { LineIndex, type Located, type Span } from '../model/span.js';
import type { ConfigProblem } from '../model/types.js';

/** Where a text embedded in another file (a JSON `settings:` input inside a workflow) sits in that file. */
export type Embedding =
  | {
      lines: LineIndex;
      /** Offset in the embedded text → offset in the outer file's text. */
      toFile: (i: number) => number;
    }
  | {
      lines: LineIndex;
      /** Span in the outer file of a range of the embedded text (a command-line word's characters). */
      spanOf: (start: number, end: number) => Span;
    };

/** A text as the readers see it: decoded, BOM removed, with the way to turn offsets into spans. */
export class SourceFile {
  readonly lines: LineIndex;

  constructor(
    readonly path: string,
    readonly text: string,
    private readonly embedding?: Embedding,
  ) {
    this.lines = embedding?.lines ?? new LineIndex(path, text);
  }

  /** Offset in this text → offset in the file on disk. */
  toFile(i: number): number {
    return this.embedding && 'toFile' in this.embedding ? this.embedding.toFile(i) : i;
  }

  span(start: number, end: number): Span {
    if (!this.embedding) return this.lines.span(start, end);
    if ('spanOf' in this.embedding) return this.embedding.spanOf(start, Math.max(start + 1, end));
    const last = Math.max(start, end - 1);
    return this.lines.span(this.toFile(start), this.toFile(last) + (end > start ? 1 : 0));
  }

  located<T>(value: T, start: number, end: number): Located<T> {
    return { value, span: this.span(start, end) };
  }

  problem(fileKind: string, start: number, end: number, message: string, consequence: string): ConfigProblem {
    return { span: this.span(start, end), fileKind, message, consequence };
  }
}
