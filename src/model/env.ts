import type { Located, Span } from './span.js';
import type { Arg, ClaudeRun, EnvOrigin, McpServer, ScanModel, SettingsDoc } from './types.js';

/** One variable set for Claude or for an MCP server it starts, wherever the repository sets it. */
export interface EnvSetting {
  name: string;
  /** Where the name is written; the value's span when the model does not keep the name's. */
  nameSpan: Span;
  value: Arg;
  origin: EnvOrigin;
  /** Who receives it: Claude itself, or an MCP server (its `env`). */
  target: 'claude' | 'mcp-server';
  /** Human words for where it is set, e.g. "the step's env", "env in .claude/settings.json". */
  where: string;
  run?: ClaudeRun;
  settings?: SettingsDoc;
  server?: McpServer;
}

/**
 * A located string as an `Arg`. Its parts are located exactly when the string is written as it reads (one
 * line, no escapes); otherwise a part is the whole string's span.
 */
export function locatedArg(located: Located<string>, origin?: EnvOrigin): Arg {
  const { value, span } = located;
  const verbatim = span.line === span.endLine && span.endColumn - span.column === value.length;
  return {
    value,
    span,
    dynamic: origin !== undefined && origin !== 'literal',
    sub: (from, to) =>
      verbatim && to > from ? { ...span, column: span.column + from, endColumn: span.column + to } : span,
  };
}

/** Where a value written in a JSON file comes from: Claude and MCP configs expand `${VAR}` and `$VAR`. */
export function jsonOrigin(value: string): EnvOrigin {
  return /\$\{?[A-Za-z_]/.test(value) ? 'variable' : 'literal';
}

const SCOPE_WORDS = new Map<string, string>([
  ['command-line', 'its command line'],
  ['container-option', 'its container options'],
  ['step', "the step's env"],
  ['job', "the job's env"],
  ['workflow', "the workflow's env"],
  ['script', 'an export earlier in its script'],
  ['image', "its image's ENV"],
  ['container', "its container's environment"],
]);

/**
 * Every variable the repository sets for Claude or its MCP servers: on a run (command line, container
 * options, workflow `env:` of its step, job and workflow), in a settings `env`, in an MCP server's `env`.
 * A workflow-level variable reaches every run of the workflow but is listed once, at the first.
 */
export function envSettings(model: ScanModel): EnvSetting[] {
  const out: EnvSetting[] = [];
  const seen = new Set<string>();
  const add = (setting: EnvSetting): void => {
    const s = setting.value.span;
    const key = `${s.path}\0${s.line}\0${s.column}\0${setting.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(setting);
  };
  for (const run of model.runs) {
    for (const e of run.env) {
      add({
        name: e.name,
        nameSpan: e.nameSpan ?? e.value.span,
        value: e.value,
        origin: e.origin,
        target: 'claude',
        where:
          run.context.surface === 'gitlab-ci' && (e.scope === 'job' || e.scope === 'workflow')
            ? `the ${e.scope === 'job' ? 'job' : 'pipeline'}'s variables`
            : (SCOPE_WORDS.get(e.scope) ?? e.scope),
        run,
      });
    }
  }
  for (const settings of model.settings) {
    for (const [name, located] of Object.entries(settings.env)) {
      const origin = jsonOrigin(located.value);
      add({
        name,
        nameSpan: located.span,
        value: locatedArg(located, origin),
        origin,
        target: 'claude',
        where: `env in ${settings.path}`,
        settings,
      });
    }
  }
  for (const server of model.mcpServers) {
    for (const [name, located] of Object.entries(server.env)) {
      const origin = jsonOrigin(located.value);
      add({
        name,
        nameSpan: located.span,
        value: locatedArg(located, origin),
        origin,
        target: 'mcp-server',
        where: `env of MCP server "${server.name.value}"`,
        server,
      });
    }
  }
  return out;
}

/**
 * A name that holds a credential: `…_API_KEY`, `…_TOKEN`, `…_SECRET…`, `…PASSWORD`, `…_AUTH_TOKEN`. Not the
 * names around one: `…_TOKEN_FILE`, `…_KEY_ID`, `…_API_KEY_HELPER`, `MAX_OUTPUT_TOKENS`, `…_URL`.
 */
export function isCredentialName(name: string): boolean {
  const upper = name.toUpperCase();
  if (
    /_(FILE|PATH|ID|URL|URI|HELPER|TTL_MS|TTL|NAME|TYPE|HEADER|ENDPOINT|EXPIRY|EXPIRES_AT|LENGTH)$/.test(
      upper,
    )
  )
    return false;
  return /(^|_)(API_?KEY|APIKEY|TOKEN|ACCESS_?TOKEN|SECRET|SECRET_?KEY|SECRET_ACCESS_KEY|CLIENT_SECRET|PASSWORD|PASSWD|PASS|PWD|PASSPHRASE|PAT|PRIVATE_KEY|(ACCESS|AUTH|SIGNING|MASTER|ENCRYPTION|LICENSE)_KEY|CREDENTIALS?|AUTH)($|_)/.test(
    upper,
  );
}

/** Words that say a value is a stand-in, not a credential. */
const STAND_IN =
  /^(<[^>]*>|\[[^\]]*\]|\{[^}]*\}|\*+|x+|\.+|-+|#+|0+|true|false|null|none|nil|undefined|empty|changeme|change-me|secret|password|token|api[-_]?key|test|testing|dummy|fake|mock|example|sample|placeholder|redacted|todo|tbd|foo|bar|baz)$/i;
/** The same words standing apart (between separators, not letters or digits): `your-token-here`, `my_key`. */
const STAND_IN_WORDS =
  /(^|[^a-z0-9])(your|my|here|placeholder|redacted|replace|insert|changeme|dummy|example|fake|mock|sample|xxxx|todo)([^a-z0-9]|$)/i;

/**
 * Why a literal given as a credential is not one: empty, too short to be a real key, or written as a
 * stand-in (`<token>`, `xxxx`, `your-key-here`, `dummy`); undefined when it may be real.
 */
export function standInReason(value: string): string | undefined {
  const v = value.trim();
  if (v.length === 0) return 'empty';
  if (STAND_IN.test(v)) return 'a placeholder';
  if (STAND_IN_WORDS.test(v)) return 'a placeholder';
  if (/^(.)\1+$/.test(v)) return 'one repeated character';
  if (v.length < 8) return 'too short to be a credential';
  return undefined;
}

/**
 * Where a value comes from, by how it is written: a workflow secret (`${{ secrets.X }}`), another workflow
 * expression, a shell variable or substitution, or the literal text.
 */
export function envOrigin(value: Arg): EnvOrigin {
  if (/\$\{\{\s*secrets\./.test(value.value)) return 'secret';
  if (/\$\{\{/.test(value.value)) return 'expression';
  if (value.dynamic || /\$[A-Za-z_{(]/.test(value.value)) return 'variable';
  return 'literal';
}
