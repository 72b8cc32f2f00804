import { VERSION } from '../version.js';

/** Where editors find the JSON Schema of this version's policy (the npm package ships it). */
export const SCHEMA_URL = `https://unpkg.com/claude-guard@${VERSION}/policy.schema.json`;

/**
 * The policy `claude-guard policy init` writes: the built-in defaults spelled out, every other section
 * present as a commented example. It validates against the schema (a test checks it).
 */
export function starterPolicy(): string {
  return `# yaml-language-server: $schema=${SCHEMA_URL}
# claude-guard policy: what Claude Code may do in this repository. Reference: the README's "Policy" section;
# check it with \`claude-guard policy validate\`, see what is in force with \`claude-guard policy show\`.
version: 1

# An organisation's shared policy, read through the GitHub API (pin it to a commit: a branch can change
# under you). Later entries win; this file is applied last.
# extends: [acme/.github/claude-guard/org.yml@<commit sha>]

fail-on: high        # the lowest severity that fails the check: critical | high | medium | low | info | never
block: new           # on a pull request, block only on findings it adds (new) or on every finding (all)

# Paths never scanned.
ignore: []

# Per rule: off, or a severity; \`locked: true\` stops policies that extend this one from loosening it.
rules:
  CG101: { locked: true }
  # CG504: off
  # CG503: { severity: high }

# Where Claude may run with every permission check skipped: container, devcontainer; [] = nowhere.
dangerous-mode:
  allow-in: [container, devcontainer]

# Grants refused everywhere (CG106), written as Claude Code permission rules.
# tools:
#   deny: ["Bash(git push:*)", "mcp__postgres__*"]

# MCP servers: only these may be configured (CG603); wildcard grants on sensitive ones are high (CG104).
# mcp:
#   allowed-servers: [github, git]
#   sensitive-servers: [postgres]

# Where Claude may send model and telemetry traffic (CG303).
# network:
#   allowed-endpoints: ["https://api.anthropic.com"]

# Plugin marketplaces and sources accepted (CG605).
# plugins:
#   allowed-sources: ["acme/claude-plugins"]

# What every CI run of Claude must pass or be given (CG506).
# ci:
#   require-flags: ["--max-turns"]
#   forbid-flags: ["--dangerously-skip-permissions"]
#   require-env: []

# Risk profiles (CG105): a run is placed by its job's deployment environment, else by path, else the default.
environments:
  production:
    match: { workflow-environments: [production, prod] }
    max-risk: read
  development:
    default: true
    max-risk: execute

# Accepted findings: each says why, who answers for it, and until when (CG902 when it has expired).
# exceptions:
#   - rule: CG101
#     paths: [".github/workflows/sandbox.yml"]
#     reason: "runs in a throwaway VM"
#     owner: "@acme/platform"
#     expires: 2027-03-31

# What an inline \`# claude-guard: ignore[CG103] reason="…" until=YYYY-MM-DD\` comment must say.
suppressions:
  require-reason: true
  require-expiry: false
`;
}
