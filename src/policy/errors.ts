/** One problem of a policy, with its place: `file:line:col: message`. */
export interface PolicyIssue {
  file: string;
  line: number;
  column: number;
  message: string;
}

export function issueText(issue: PolicyIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.message}`;
}

/**
 * A policy that cannot be used: every problem found, each with its place. `file`, `line`, `column` and
 * `detail` are those of the first; the message lists them all, one per line.
 */
export class PolicyError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly detail: string;
  readonly issues: PolicyIssue[];

  constructor(issues: PolicyIssue[]);
  constructor(file: string, line: number, column: number, detail: string);
  constructor(...args: [PolicyIssue[]] | [string, number, number, string]) {
    const issues: PolicyIssue[] =
      args.length === 1 ? args[0] : [{ file: args[0], line: args[1], column: args[2], message: args[3] }];
    super(issues.map(issueText).join('\n'));
    const first = issues[0] as PolicyIssue;
    this.file = first.file;
    this.line = first.line;
    this.column = first.column;
    this.detail = first.message;
    this.issues = issues;
    this.name = 'PolicyError';
  }
}
