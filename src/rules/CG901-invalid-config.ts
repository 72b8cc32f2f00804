import type { Located } from '../model/span.js';
import {
  isPermissionMode,
  modeIgnoredInScope,
  modeMisspelled,
  PERMISSION_MODES,
} from '../model/permission-mode.js';
import { isUnanchoredToolGlob, unconsultedPathRule } from '../model/tool-rule.js';
import type { ConfigProblem, McpServer, ScanModel, SettingsDoc, ToolRule } from '../model/types.js';
import type { Rule, RuleFinding } from './types.js';

/** The fix for a problem a reader recorded, by what its message says; the first match wins. */
const PROBLEM_FIXES: readonly [RegExp, (p: ConfigProblem) => string][] = [
  [
    /^invalid JSON: comments are not allowed/,
    () =>
      'Delete the comment: Claude Code reads this file as strict JSON, not JSONC (a `.jsonc` name is not read ' +
      'either), so keep notes in a README beside it.',
  ],
  [
    /\(a trailing comma\?\)$/,
    () =>
      'If a comma ends the list or object here, delete it (strict JSON allows none); otherwise write the quoted name or the value that is missing.',
  ],
  [/^invalid JSON: /, () => 'Fix the JSON at this position (`jq . <file>` reports the same error).'],
  [/^the file is empty/, () => 'Write `{}` if the file should set nothing, or delete the file.'],
  [
    /^the top level must be a JSON object/,
    (p) =>
      p.fileKind === 'MCP config'
        ? 'Put the servers in one object: `{ "mcpServers": { … } }`.'
        : 'Put the settings in one object: `{ "permissions": { … } }`.',
  ],
  [/^duplicate key /, () => 'Keep one of the keys, the one holding the value that should apply.'],
  [
    /must be an array of strings$/,
    () => 'Write it as a JSON array of strings, e.g. `["Read", "Edit(src/**)"]`.',
  ],
  [
    /^permissions\.defaultMode must be a string$/,
    () => `Write the mode as a string, one of ${PERMISSION_MODES.join(', ')}.`,
  ],
  [
    /^permission rule /,
    () => 'Write the rule as `Tool` or `Tool(specifier)`, e.g. `Bash(npm test:*)` or `Edit(src/**)`.',
  ],
  [
    /^invalid YAML somewhere /,
    () =>
      'Check the front matter for an unclosed quote or bracket (a YAML linter shows where); until it parses, nothing in it is checked.',
  ],
  [
    /^invalid YAML: /,
    () => 'Fix the YAML at this position; until the file parses, nothing in it is checked.',
  ],
];

/** A reader's record of a file that does not parse or does not have the shape its tool expects. */
function problemFinding(problem: ConfigProblem): RuleFinding {
  const fix = PROBLEM_FIXES.find(([pattern]) => pattern.test(problem.message))?.[1](problem);
  const consequence = problem.consequence.charAt(0).toUpperCase() + problem.consequence.slice(1);
  return {
    span: problem.span,
    message: `${problem.fileKind}: ${problem.message}. ${consequence}.${fix ? ` ${fix}` : ''}`,
    evidence: `${problem.fileKind}:${problem.message}`,
  };
}

/** How a settings object is named in messages (and in the evidence, as the readers named it before). */
function settingsKind(doc: SettingsDoc, model: ScanModel): string {
  if (doc.scope !== 'inline') return 'Claude settings';
  return model.runs.some((run) => run.inlineSettings === doc) ? 'settings input' : '--settings JSON';
}

/** Whether a project or local settings file sits in a folder copied to someone's home (a dev container image). */
function inHomeTemplate(path: string): boolean {
  const at = path.lastIndexOf('.claude/');
  return (
    at > 0 &&
    path
      .slice(0, at)
      .split('/')
      .some((segment) => segment.startsWith('.'))
  );
}

function modeFindings(doc: SettingsDoc, model: ScanModel): RuleFinding[] {
  const mode = doc.defaultMode;
  if (!mode) return [];
  const kind = settingsKind(doc, model);
  if (!isPermissionMode(mode.value)) {
    const message = `"${mode.value}" is not a permission mode (expected one of ${PERMISSION_MODES.join(', ')})`;
    const spelled = modeMisspelled(mode.value);
    let fix = 'Write one of those modes, or remove the key.';
    if (spelled === 'bypassPermissions')
      fix =
        'Modes are case-sensitive: Claude Code knows "bypassPermissions", which turns every permission check ' +
        'off; prefer "acceptEdits", or "dontAsk" for unattended runs.';
    else if (spelled) fix = `Modes are case-sensitive: write "${spelled}".`;
    const f: RuleFinding = {
      span: mode.span,
      message: `${kind}: ${message}. Claude Code ignores the setting and starts in the default mode. ${fix}`,
      evidence: `${kind}:${message}`,
    };
    if (spelled && spelled !== 'bypassPermissions') f.edit = { expect: mode.value, replacement: spelled };
    return [f];
  }
  if (modeIgnoredInScope(mode.value, doc.scope) && !inHomeTemplate(doc.path)) {
    return [
      {
        span: mode.span,
        severity: 'low',
        message:
          `${kind}: defaultMode "auto" is not taken from a project's own settings files. Claude Code (v2.1.142 ` +
          'and later) ignores it there and starts in the default mode. Set it in user settings ' +
          '(~/.claude/settings.json) or start Claude with --permission-mode auto.',
        evidence: `${kind}:defaultMode auto ignored in ${doc.scope} settings`,
      },
    ];
  }
  return [];
}

function serverFindings(server: McpServer): RuleFinding[] {
  const name = server.name.value;
  if (server.url && !server.transport) {
    // The evidence is the same whether or not the entry also has a command: the cause is the missing type.
    const evidence = `MCP config:server "${name}" has a url but no "type" ("http", "sse" or "ws")`;
    const message = server.command
      ? `MCP config: server "${name}" has both a command and a url but no "type". Claude Code reads it as a ` +
        'stdio server: it runs the command and never connects to the url. Keep one transport: remove "url" ' +
        'for a local server, or remove "command" and add "type": "http".'
      : `MCP config: server "${name}" has a url but no "type" ("http", "sse" or "ws"). Claude Code reads it ` +
        'as a stdio server without a command and skips it. Add "type": "http" beside the url ("sse" for an ' +
        'older server-sent-events endpoint).';
    return [{ span: server.url.span, message, evidence }];
  }
  if (server.transport?.value === 'stdio' && server.url && !server.command) {
    return [
      {
        span: server.transport.span,
        message:
          `MCP config: server "${name}" says "type": "stdio" but has a url and no command. Claude Code cannot ` +
          'start it and skips it. Write "type": "http" (or "sse") for a remote server.',
        evidence: `MCP config:server "${name}" is stdio with a url and no command`,
      },
    ];
  }
  return [];
}

type RuleList = 'allow' | 'ask' | 'deny';

/** A permission rule with the list it is in, where that list is (in words), and the list's other rules. */
interface ListedRule {
  rule: Located<ToolRule>;
  list: RuleList;
  origin: string;
  /** Every rule of the same list, as written (trimmed). */
  siblings: ReadonlySet<string>;
}

/** Every permission rule Claude would match tool uses against: settings lists, command lines, front matter. */
function listedRules(model: ScanModel): ListedRule[] {
  const out: ListedRule[] = [];
  const add = (rules: Located<ToolRule>[], list: RuleList, origin: string): void => {
    const siblings = new Set(rules.map((r) => r.value.raw.trim()));
    for (const rule of rules) out.push({ rule, list, origin, siblings });
  };
  for (const doc of model.settings) {
    const where = doc.scope === 'inline' ? `the ${settingsKind(doc, model)}` : doc.path;
    for (const list of ['allow', 'ask', 'deny'] as const)
      add(doc[list], list, `permissions.${list} in ${where}`);
  }
  for (const run of model.runs) {
    const via = run.kind === 'action' ? ` (${run.action?.action ?? 'action'} inputs)` : '';
    add(run.command?.allowedTools ?? [], 'allow', `--allowedTools${via}`);
    add(run.command?.disallowedTools ?? [], 'deny', `--disallowedTools${via}`);
  }
  // An agent's `tools:` limits the agent and grants nothing, so only commands' and skills' lists count.
  for (const definition of model.definitions)
    add(definition.allowedTools, 'allow', `allowed-tools of ${definition.path}`);
  return out;
}

/** What a rule Claude never consults leaves undone, by the list it is in. */
const UNCONSULTED: ReadonlyMap<RuleList, string> = new Map([
  ['allow', 'it pre-approves nothing'],
  ['ask', 'it makes Claude ask about nothing'],
  ['deny', 'it blocks nothing'],
]);

function toolRuleFindings({ rule, list, origin, siblings }: ListedRule): RuleFinding[] {
  const { raw, tool } = rule.value;
  const written = raw.trim();
  const consulted = unconsultedPathRule(rule.value);
  if (consulted) {
    const replacement = raw.replace(tool, consulted);
    const covered = siblings.has(replacement.trim());
    const covers =
      consulted === 'Edit'
        ? 'file edits are checked against Edit(…) rules only, and an Edit rule covers every file-editing tool'
        : 'file reads are checked against Read(…) rules only, and a Read rule covers the built-in tools that read files';
    const fix = covered
      ? `"${replacement.trim()}" in the same list already does what it meant: delete it.`
      : `Write "${replacement.trim()}" instead.`;
    const f: RuleFinding = {
      span: rule.span,
      message:
        `"${written}" in ${origin} is a path rule on ${rule.value.canonical}, which Claude Code accepts but ` +
        `never consults: ${covers}, so ${UNCONSULTED.get(list)}. ${fix}`,
      evidence: `unconsulted-path-rule:${list}:${written}`,
    };
    if (!covered) f.edit = { expect: raw, replacement };
    // Skipped in allow, Claude asks instead: nothing is exposed. Skipped in ask or deny, a guard is missing.
    if (list === 'allow') f.severity = 'low';
    return [f];
  }
  if (list === 'allow' && isUnanchoredToolGlob(rule.value)) {
    return [
      {
        span: rule.span,
        severity: 'low',
        message:
          `"${written}" in ${origin} names tools with a glob that does not start with a literal ` +
          'mcp__<server>__. Claude Code skips such an allow rule (with a warning), so it pre-approves nothing. ' +
          'Name the tools, or one server\'s tools as mcp__<server>__*; globs such as "*" and "mcp__*" work only ' +
          'in ask and deny.',
        evidence: `unanchored-allow-glob:${written}`,
      },
    ];
  }
  return [];
}

export const invalidConfig: Rule = {
  meta: {
    id: 'CG901',
    name: 'invalid-config',
    severity: 'medium',
    summary:
      'A Claude Code file, or a part of one, that Claude Code would reject or silently ignore: invalid JSON, ' +
      'comments in settings, an unknown `defaultMode`, an MCP `url` without `type`, path rules on `Write(…)`, ' +
      'unanchored allow globs; files that cannot be parsed.',
    rationale:
      'Claude Code reads `.claude/settings.json` as strict JSON: a comment or a trailing comma makes it ' +
      'discard the whole file, and in `claude -p` it says nothing. The deny rules you wrote then do not apply, ' +
      'and nobody notices. Smaller mistakes drop one setting the same way. A `defaultMode` must be one of ' +
      '`default`, `acceptEdits`, `plan`, `auto`, `dontAsk`, `bypassPermissions`, `manual`, spelled exactly ' +
      "(`AcceptEdits` is unknown); `auto` is not taken from a project's own files. An MCP server with a " +
      '`url` but no `type` is read as a stdio server and skipped. Claude checks file access against ' +
      '`Edit(…)` and `Read(…)` path rules only: `Edit(src/**)` covers every file-editing tool, while ' +
      '`Write(src/**)`, `MultiEdit(…)`, `NotebookEdit(…)` and `Glob(…)` with a path are accepted and never ' +
      'consulted — a deny written that way blocks nothing. (Anchors are all valid: `//abs/path`, `~/path`, ' +
      "`/path` from the settings file's project, `path` or `./path` from the working directory.) An " +
      'unanchored allow glob is an allow rule whose tool name is a glob without a literal ' +
      '`mcp__<server>__` before its `*` (`*`, `mcp__*`, `B*`): Claude Code skips it with a warning, while ' +
      '`mcp__github__*` works and `ask`/`deny` take any tool glob. Globs inside a specifier are not this: ' +
      '`Read(*.env)` matches at any depth as in `.gitignore`, and `Bash(git * main)` is a valid command glob. ' +
      'Rules that are skipped only in `allow` are low: Claude then asks instead. A workflow or front matter ' +
      'that is not valid YAML cannot be checked at all.',
    fix:
      'Make the file valid: strict JSON for Claude settings and `.mcp.json` (no comments, no trailing commas), ' +
      'known mode names, a `type` beside every MCP `url`, and path rules on `Edit(…)` and `Read(…)`. Each ' +
      'finding says what to write instead.',
    bad: [
      {
        path: '.claude/settings.json',
        note: 'A comment: Claude Code drops the whole file, deny rules included.',
        lines: [3],
        content: [
          '{',
          '  "permissions": {',
          '    // keep secrets out of reach',
          '    "deny": ["Read(./.env)"]',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
      {
        path: '.claude/settings.local.json',
        note: 'A mode that does not exist.',
        lines: [2],
        content: ['{', '  "permissions": { "defaultMode": "yolo" }', '}', ''].join('\n'),
      },
      {
        path: '.mcp.json',
        note: 'A remote server without its transport type.',
        lines: [2],
        content: ['{', '  "mcpServers": { "docs": { "url": "https://mcp.example.com/mcp" } }', '}', ''].join(
          '\n',
        ),
      },
      {
        path: '.claude/settings.json',
        note: 'A deny on Write(…) that Claude never consults, and an allow glob it skips.',
        lines: [3, 4],
        content: [
          '{',
          '  "permissions": {',
          '    "deny": ["Write(./.env)"],',
          '    "allow": ["Read", "mcp__*"]',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
    ],
    good: [
      {
        path: '.claude/settings.json',
        note: "Strict JSON; path rules on Edit and Read; one server's tools by glob; a tool glob in ask.",
        content: [
          '{',
          '  "permissions": {',
          '    "defaultMode": "acceptEdits",',
          '    "allow": ["Read", "Edit(src/**)", "mcp__github__*"],',
          '    "ask": ["mcp__*"],',
          '    "deny": ["Read(./.env)", "Edit(./.env)", "Edit(//etc/**)"]',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
      {
        path: '.mcp.json',
        note: 'The transport is named.',
        content: [
          '{',
          '  "mcpServers": { "docs": { "type": "http", "url": "https://mcp.example.com/mcp" } }',
          '}',
          '',
        ].join('\n'),
      },
    ],
  },
  check(model) {
    return [
      ...model.problems.map(problemFinding),
      ...model.settings.flatMap((doc) => modeFindings(doc, model)),
      ...model.mcpServers.flatMap(serverFindings),
      ...listedRules(model).flatMap(toolRuleFindings),
    ];
  },
};
