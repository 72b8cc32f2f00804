import type { EndpointPattern } from '../model/endpoints.js';
import type { EnvironmentPolicy, Policy } from '../policy/policy.js';
import type { Span } from '../model/span.js';
import type { IsolationContext, ScanModel, Severity } from '../model/types.js';

/** A file in a rule's documented example: the docs show it, and a test scans it. */
export interface RuleExample {
  path: string;
  content: string;
  /** One line on what the example shows. */
  note: string;
  /** Other files of the same repository, scanned with it (the findings asserted are those in `path`). */
  with?: { path: string; content: string }[];
  /** The policy (`.github/claude-guard.yml`) it is scanned under, when not the default. */
  policy?: string;
}

export interface RuleMeta {
  id: string;
  name: string;
  severity: Severity;
  /** One sentence: what the rule finds. */
  summary: string;
  /** Why it matters, in a paragraph. */
  rationale: string;
  /** How to fix a finding, in a sentence or two. */
  fix: string;
  /** Examples that must fire, each with the lines where a finding is expected. */
  bad: (RuleExample & { lines: number[] })[];
  /** Examples that must stay silent. */
  good: RuleExample[];
}

/** What a rule may know of the policy. */
export interface RuleContext {
  dangerousModeAllowIn: readonly IsolationContext[];
  /** Where Claude may send its traffic: policy `network.allowed-endpoints`, compiled. */
  allowedEndpoints: readonly EndpointPattern[];
  /** Proxies it may use (`network.allowed-proxies`); undefined when the policy does not list any. */
  allowedProxies?: readonly EndpointPattern[];
  /** Policy `tools`: grants accepted everywhere (undefined: any) and refused everywhere (CG106). */
  tools: Policy['tools'];
  /** Policy `mcp`: servers allowed by name (undefined: any; CG603), servers that are sensitive (CG104). */
  mcp: Policy['mcp'];
  /** Policy `plugins`: sources accepted (undefined: any; CG605). */
  plugins: Policy['plugins'];
  /** Policy `ci`: flags and env every CI run must have or must not have (CG506). */
  ci: Policy['ci'];
  /** Risk profiles (CG105), the default one among them. */
  environments: readonly EnvironmentPolicy[];
}

export interface RelatedSpan {
  span: Span;
  message: string;
}

/** What a rule reports; the verdict stage adds severity overrides, snippets, fingerprints and blocking. */
export interface RuleFinding {
  span: Span;
  message: string;
  /** Set when the rule itself chose a severity other than its default (e.g. lowered in a container). */
  severity?: Severity;
  related?: RelatedSpan[];
  /** Stable words for the fingerprint: what was found, not where. Never a secret's value. */
  evidence: string;
  /**
   * A mechanical fix: the span's text, when it is exactly `expect` on one line, replaced by `replacement`.
   * Offered as a suggestion in a pull request review; never applied by claude-guard.
   */
  edit?: { expect: string; replacement: string };
  /** The span's text is a credential: it is masked wherever its line is shown, and in the action's logs. */
  credential?: true;
}

export interface Rule {
  meta: RuleMeta;
  check(model: ScanModel, ctx: RuleContext): RuleFinding[];
}
