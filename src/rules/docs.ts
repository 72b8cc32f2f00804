import type { RuleExample, RuleMeta } from './types.js';

function fence(path: string): string {
  if (path.endsWith('.json')) return 'json';
  if (path.endsWith('.yml') || path.endsWith('.yaml')) return 'yaml';
  if (path.endsWith('.sh')) return 'sh';
  return 'text';
}

/** An example's files, its policy first: each with its path, then the file in a fenced block. */
function exampleFiles(ex: RuleExample, first: string): string[] {
  const out: string[] = [];
  if (ex.policy)
    out.push('With this policy, `.github/claude-guard.yml`:', '', '```yaml', ex.policy.trimEnd(), '```', '');
  out.push(first, '', '```' + fence(ex.path), ex.content.trimEnd(), '```', '');
  for (const other of ex.with ?? [])
    out.push(`and \`${other.path}\`:`, '', '```' + fence(other.path), other.content.trimEnd(), '```', '');
  return out;
}

/** The docs page of a rule, generated from its metadata; its examples are the rule's test cases. */
export function renderRuleDoc(meta: RuleMeta): string {
  const out: string[] = [];
  out.push(`# ${meta.id} ${meta.name}`, '');
  out.push(`Default severity: **${meta.severity}**`, '');
  out.push(meta.summary, '');
  out.push('## Why it matters', '', meta.rationale, '');
  out.push('## How to fix', '', meta.fix, '');
  out.push('## Examples that are reported', '');
  for (const ex of meta.bad) {
    const lines = ex.lines.length === 1 ? `line ${ex.lines[0]}` : `lines ${ex.lines.join(', ')}`;
    out.push(...exampleFiles(ex, `\`${ex.path}\` — ${ex.note} (reported at ${lines})`));
  }
  out.push('## Examples that are not reported', '');
  for (const ex of meta.good) out.push(...exampleFiles(ex, `\`${ex.path}\` — ${ex.note}`));
  out.push(
    '## Configuration',
    '',
    'In `.github/claude-guard.yml`:',
    '',
    '```yaml',
    'version: 1',
    'rules:',
    `  ${meta.id}: off                 # or: { severity: medium }`,
    '```',
    '',
    "_This page is generated from the rule's metadata (`npm run build`); its examples are tested._",
    '',
  );
  return out.join('\n');
}
