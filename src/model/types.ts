import type { LocalConfigKind } from '../fs/classify.js';
import type { Located, Span } from './span.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
/** Most severe first. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Where a Claude run happens, as far as `dangerous-mode.allow-in` is concerned. */
export type IsolationContext = 'container' | 'devcontainer';

/** One word of a command line, after quote removal, with where it came from. */
export interface Arg {
  value: string;
  span: Span;
  /** The span of `value.slice(from, to)`; the whole word's span when the word was not written verbatim. */
  sub(from: number, to: number): Span;
  /** The word holds an expansion (`$X`, `$(…)`, `${{ … }}`) whose value is not known here. */
  dynamic: boolean;
}

/** Risk classes of a grant, from least to most powerful. */
export type Risk = 'read' | 'write' | 'execute' | 'admin';

/** A parsed permission rule such as `Bash(npm run test:*)`. */
export interface ToolRule {
  raw: string;
  /** The tool name as written. */
  tool: string;
  /** Today's name of the tool (`View` → `Read`, `Task` → `Agent`…); `mcp__…` names are kept. */
  canonical: string;
  /** Text between the parentheses, when there are any. */
  specifier?: string;
  /** `bare` (no parentheses), `any` (`*`, `:*`, `**`), `prefix` (legacy `cmd:*`), `glob`, `exact`. */
  form: 'bare' | 'any' | 'prefix' | 'glob' | 'exact';
  risk: Risk;
  /** The rule is not well-formed; `problem` says why. */
  problem?: string;
}

export type GrantSource = 'settings' | 'cli-flag' | 'action-input' | 'front-matter';

/** A rule that pre-approves a tool, with where it was granted. */
export interface Grant {
  rule: Located<ToolRule>;
  source: GrantSource;
  /** Human words for the origin, e.g. "permissions.allow in .claude/settings.json". */
  origin: string;
  run?: ClaudeRun;
  settings?: SettingsDoc;
  definition?: MarkdownDefinition;
}

export interface ClaudeFlag {
  /** The flag as written, without a `=value` part. */
  name: string;
  span: Span;
  values: Arg[];
}

/** A parsed `claude …` command line. */
export interface ClaudeCommand {
  args: Arg[];
  flags: ClaudeFlag[];
  permissionMode?: Located<string>;
  dangerouslySkipPermissions?: Span;
  allowDangerouslySkipPermissions?: Span;
  allowedTools: Located<ToolRule>[];
  disallowedTools: Located<ToolRule>[];
  addDirs: Located<string>[];
  print: boolean;
  /** Settings passed as inline JSON with `--settings '{…}'`. */
  inlineSettings?: SettingsDoc;
}

export interface WorkflowContext {
  path: string;
  name?: string;
  /** The events that start it, by name. */
  triggers: Located<string>[];
  /** The same events with their filters. */
  on: WorkflowTrigger[];
  permissions?: Located<unknown>;
  /** Each scope of a `permissions:` map with its level, located at the level (`contents: write`). */
  permissionScopes?: Record<string, Located<string>>;
  /** Every job, whether or not it starts Claude. */
  jobs: JobContext[];
  /** A composite action's steps (`runs.steps` of an `action.yml`). */
  steps?: WorkflowStep[];
  /** Its `env:`, by name, each located at its value. */
  env?: Record<string, Located<string>>;
}

/** An event that starts a workflow, with the activity types it is limited to (`types: [created]`). */
export interface WorkflowTrigger {
  event: Located<string>;
  types: Located<string>[];
}

export interface JobContext {
  id: string;
  span: Span;
  permissions?: Located<unknown>;
  /** Each scope of a `permissions:` map with its level, located at the level (`contents: write`). */
  permissionScopes?: Record<string, Located<string>>;
  container?: Span;
  environment?: Located<string>;
  timeoutMinutes?: Located<number>;
  /** `timeout-minutes` written as an expression (`${{ inputs.timeout }}`): a limit whose number is not known here. */
  timeoutExpression?: Located<string>;
  /** The job's `if:` condition. */
  if?: Located<string>;
  /** The jobs it waits for (`needs:`), by id. */
  needs?: string[];
  /** Its `env:`, by name, each located at its value. */
  env?: Record<string, Located<string>>;
  /** Its `outputs:`, by name, each located at its value (`result: ${{ steps.claude.outputs.result }}`). */
  outputs?: Record<string, Located<string>>;
  /** A reusable workflow the job calls instead of running steps (`uses: org/repo/.github/workflows/x.yml@v1`). */
  uses?: Located<string>;
  /** Every step, whatever it runs. */
  steps: WorkflowStep[];
}

/** One step of a job (or of a composite action), whatever it runs. */
export interface WorkflowStep {
  /** Its position among the job's steps, from 0. */
  index: number;
  /** The step as a whole. */
  span: Span;
  id?: Located<string>;
  name?: Located<string>;
  if?: Located<string>;
  uses?: Located<string>;
  run?: Located<string>;
  with: Record<string, Located<string>>;
  env: Record<string, Located<string>>;
  timeoutMinutes?: Located<string>;
  workingDirectory?: Located<string>;
  /** Every `${{ … }}` written in its `run:`, `with:` and `env:` values, in file order. */
  expressions: StepExpression[];
}

/** A `${{ … }}` expression written in a step. */
export interface StepExpression {
  /** Where it is written: `run`, `with.<input>` or `env.<NAME>`. */
  in: string;
  /** The text between `${{` and `}}`, trimmed. */
  expression: string;
  /** The whole `${{ … }}`. */
  span: Span;
}

export interface RunContext {
  /** What kind of file starts Claude. */
  surface:
    | 'workflow'
    | 'shell-script'
    | 'package-json'
    | 'dockerfile'
    | 'devcontainer'
    | 'makefile'
    | 'gitlab-ci'
    | 'compose'
    | 'task-config'
    | 'settings-command';
  isolation?: Located<IsolationContext>;
  workflow?: WorkflowContext;
  job?: JobContext;
  /** The workflow step it runs in. */
  step?: WorkflowStep;
  stepName?: string;
  /** Who it runs as, when the file, a wrapper or the image says. */
  user?: RunUser;
  /**
   * The folder it starts in, where that is set: Dockerfile `WORKDIR`, Compose `working_dir`, devcontainer
   * `workspaceFolder`, workflow `working-directory` (step, job or workflow `defaults.run`), a `cd` before it
   * in the same script.
   */
  workingDirectory?: Located<string>;
  /** Passwordless sudo rules its image writes into sudoers before it runs. */
  sudoGrants?: SudoGrant[];
  /** A GitLab job's `timeout:` (its own, inherited through `extends:`, or the pipeline's `default:`), as written. */
  timeout?: Located<string>;
}

/** Who a run's commands run as, and how that is known. */
export interface RunUser extends Located<string> {
  /**
   * `setting`: written where the file says who runs its commands (Dockerfile `USER`, Compose `user:`,
   * devcontainer `remoteUser`/`containerUser`, a workflow job container's `--user`, `docker run -u`); `sudo`:
   * a wrapper that switches user — `sudo` or `doas` (its `-u`, else root at the wrapper's word), `gosu`,
   * `su-exec`, `s6-setuidgid`, `runuser -u`; `image-default`: nothing says, so the
   * image's default user runs it — root unless its base image chose another; the span is the image.
   */
  from: 'setting' | 'sudo' | 'image-default';
}

/** A passwordless sudo rule written into sudoers: `node ALL=(ALL) NOPASSWD:ALL`. */
export interface SudoGrant {
  /** Who it is for, as written, variables resolved where known: `node`, `ALL`, `%sudo`. */
  user: string;
  /** The commands after `NOPASSWD:` (`ALL`, `/usr/local/bin/init-firewall.sh`), located from `NOPASSWD`. */
  commands: Located<string>;
}

export interface ActionStep {
  /** `claude-code-action` or `claude-code-base-action`. */
  action: 'claude-code-action' | 'claude-code-base-action';
  uses: Located<string>;
  /** The ref after `@`, e.g. `v1`, `main`, a commit SHA. */
  ref: string;
  /** v1 and later ignore the v0/beta inputs (`allowed_tools`, `direct_prompt`…); `unknown` for a commit SHA. */
  generation: 'v0' | 'v1' | 'unknown';
  inputs: Record<string, Located<string>>;
  /** Where each input's key is written under `with:`, whatever its value. */
  inputKeys: Record<string, Span>;
}

/** Where a value given to Claude's environment comes from. */
export type EnvOrigin = 'literal' | 'secret' | 'expression' | 'variable';

/**
 * Where a variable Claude receives is set: its command line (`NAME=value claude`, `env NAME=value`,
 * `sudo NAME=value`), a container option (`docker run -e NAME=value … claude`), or the `env:` of the workflow
 * step, job or workflow that runs it.
 */
export type EnvScope =
  | 'command-line'
  | 'container-option'
  | 'step'
  | 'job'
  | 'workflow'
  /** An `export NAME=value` earlier in the same script. */
  | 'script'
  /** A Dockerfile `ENV` of the stage it runs in. */
  | 'image'
  /** A Compose service's `environment:`, a dev container's `containerEnv` / `remoteEnv`. */
  | 'container';

/** A variable set for Claude, with where its value comes from and where it is set. */
export interface EnvAssignment {
  name: string;
  value: Arg;
  origin: EnvOrigin;
  scope: EnvScope;
  /** The name as written, when it is written apart from the value (a YAML key). */
  nameSpan?: Span;
}

/** One place where Claude Code is started. */
export interface ClaudeRun {
  kind: 'cli' | 'action';
  path: string;
  /** The `claude` word, or the action step's `uses:` value. */
  span: Span;
  context: RunContext;
  /** The word that starts Claude as written (`claude`, `./node_modules/.bin/claude`, the npm package). */
  program?: Arg;
  /** What it is started through, outermost first (`sudo`, `timeout`, `npx`…); empty for an action step. */
  wrappers: Located<string>[];
  /** Variables set for it, innermost first: its command line, then step, job and workflow `env:`. */
  env: EnvAssignment[];
  command?: ClaudeCommand;
  action?: ActionStep;
  /** Settings given inline to the action's `settings:` input. */
  inlineSettings?: SettingsDoc;
}

/**
 * `inline`: JSON given on a command line or to an input; `file`: a file named by `--settings` or `settings:`;
 * `plugin`: the hooks of a plugin folder (`hooks/hooks.json`, or `hooks` in `.claude-plugin/plugin.json`),
 * which run for whoever installs the plugin.
 */
export type SettingsScope = 'project' | 'local' | 'managed' | 'inline' | 'file' | 'plugin';

/** A Claude settings object. */
export interface SettingsDoc {
  path: string;
  scope: SettingsScope;
  isolation?: Located<IsolationContext>;
  allow: Located<ToolRule>[];
  ask: Located<ToolRule>[];
  deny: Located<ToolRule>[];
  defaultMode?: Located<string>;
  additionalDirectories: Located<string>[];
  disableBypassPermissionsMode?: Located<string>;
  env: Record<string, Located<string>>;
  /** The hooks it declares, in file order; absent when it declares none. */
  hooks?: SettingsHook[];
  /** Helper commands Claude runs: `apiKeyHelper`, `statusLine`, `otelHeadersHelper`… */
  helpers: HelperCommand[];
  /** `enableAllProjectMcpServers`: every server of the project's `.mcp.json` approved without asking. */
  enableAllProjectMcpServers?: Located<boolean>;
  /** `enabledMcpjsonServers` and `disabledMcpjsonServers`: servers of `.mcp.json` approved or refused. */
  enabledMcpjsonServers: Located<string>[];
  /** Where the `enabledMcpjsonServers` list is written, brackets included, when it is a list. */
  enabledMcpjsonServersSpan?: Span;
  disabledMcpjsonServers: Located<string>[];
  /** `enabledPlugins`: each `plugin@marketplace` with whether it is switched on. */
  plugins: { name: Located<string>; enabled: boolean }[];
  /** `extraKnownMarketplaces`: each marketplace with its source kind and where it comes from. */
  marketplaces: { name: Located<string>; source?: Located<string>; location?: Located<string> }[];
}

/** A hook of a settings file: what event runs it, for which tools, and what it runs. */
export interface SettingsHook {
  /** `PreToolUse`, `SessionStart`… */
  event: Located<string>;
  /** The tool-name pattern, for tool events. */
  matcher?: Located<string>;
  /** `command`, `http`, `prompt`, `agent`, `mcp_tool`. */
  type: string;
  /** What the hook runs: its command line, URL or prompt. */
  run: Located<string>;
  /**
   * For a command hook: the code it fetches and runs from outside the repository, pinned or not (see
   * `RemoteCode`; `isRiskyRemote` keeps what CG604 reports).
   */
  remote?: RemoteCode[];
}

/**
 * A shell command Claude runs to get a value or show something: `apiKeyHelper`, `statusLine`, an MCP
 * `headersHelper`…
 */
export interface HelperCommand {
  /** The key that holds it. */
  key: string;
  run: Located<string>;
  /** The code it fetches and runs from outside the repository, pinned or not (see `RemoteCode`). */
  remote?: RemoteCode[];
}

/** One simple command of a shell script, whatever it runs, with what feeds it. */
export interface ShellCommand {
  /** Its words after quote removal, with the variables its script sets expanded. */
  words: Arg[];
  /**
   * Commands whose output it reads on its standard input: the stages before it in its pipeline, and those
   * substituted into a here-string given to it (`bash <<< "$(curl …)"`).
   */
  stdin: ShellCommand[];
  /**
   * Commands substituted into its words, by word index: `$(…)` and backticks put their output in the word
   * (`output`), `<(…)` gives a file to read it from (`file`).
   */
  substituted: { word: number; kind: 'output' | 'file'; commands: ShellCommand[] }[];
  /** The commands of a script it hands to a shell as a string: `bash -c 'curl … | sh'`, `sudo sh -c "…"`. */
  script?: ShellCommand[];
}

/**
 * Code a command fetches from outside the repository and runs, as it runs: a download handed to an
 * interpreter (`curl … | sh`, `eval "$(curl …)"`, `bash <(curl …)`), or a package or image a runner fetches
 * without an exact version (`npx pkg`, `uvx tool`, `docker run image:latest`).
 */
export interface RemoteCode {
  kind: 'download' | 'package' | 'image';
  /** The word that runs it: the interpreter or `eval` a download is given to; the package or image. */
  span: Span;
  /** What runs it: `bash`, `eval`, `source`…; `npx`, `pnpm dlx`, `uvx`, `docker run`… */
  runner: string;
  /**
   * What is fetched, fit to show: a download's URL without credentials, query or fragment; the package or
   * image as written. Absent when it is not written out (`curl "$URL"`).
   */
  target?: string;
  /** The download command (`curl`, `wget`…), for a download. */
  fetcher?: Located<string>;
  /**
   * How it is run: `pipe-to-shell` (a download piped or fed to a shell or another interpreter), `eval` (`eval
   * "$(curl …)"`), `download-and-run` (`bash <(curl …)`, `bash -c "$(curl …)"`, a download saved to a file and
   * then run), `package-runner` (`npx`, `bunx`, `uvx`, `pipx run`…), `image-runner` (`docker run`, `podman run`).
   */
  how: 'pipe-to-shell' | 'eval' | 'download-and-run' | 'package-runner' | 'image-runner';
  /**
   * How exactly what it fetches is named, in the words of MCP pinning: `version`, `digest`, `commit`,
   * `unpinned`, or `unknown` (a package held in a variable). A download is `unpinned`: nothing checks what
   * the server sends. Only `unpinned` code is a risk CG604 reports; the pinned rest is listed by the inventory.
   */
  pin: 'version' | 'digest' | 'commit' | 'unpinned' | 'unknown';
}

export interface McpServer {
  path: string;
  name: Located<string>;
  transport?: Located<string>;
  command?: Located<string>;
  args: Located<string>[];
  url?: Located<string>;
  env: Record<string, Located<string>>;
  headers: Record<string, Located<string>>;
  /** `headersHelper`: a shell command whose output gives the headers of a remote server. */
  headersHelper?: HelperCommand;
}

export type SecretKind =
  | 'anthropic-api-key'
  | 'anthropic-admin-key'
  | 'anthropic-oauth-token'
  | 'github-token'
  | 'aws-access-key'
  | 'slack-token'
  | 'slack-webhook'
  | 'url-credential'
  | 'private-key';

/** A string shaped like a credential. `value` never leaves the process: reports use `masked`. */
export interface SecretToken {
  kind: SecretKind;
  span: Span;
  value: string;
  masked: string;
  /** Why this is not a real secret (too short, all `x`, a "your-key-here" text), when it is not. */
  placeholder?: string;
  /**
   * When the file writes it in pieces (escapes, joined quotes): its source text and each piece of it. A
   * private key's pieces are the lines of its body.
   */
  pieces?: string[];
  /** The whole text that holds the credential, when the span points at a part of it (a key's BEGIN line). */
  extent?: Span;
  /** A credential for a service on the machine itself (a URL to localhost, 127.0.0.0/8 or [::1]). */
  loopback?: boolean;
}

/** A file Claude or GitHub would reject, or that we could not read as what it claims to be. */
export interface ConfigProblem {
  span: Span;
  /** What kind of file: "Claude settings", "MCP config", "workflow". */
  fileKind: string;
  message: string;
  /** What the tool that reads this file does with it. */
  consequence: string;
}

/** A command, agent or skill: markdown whose front matter configures Claude. */
export interface MarkdownDefinition {
  path: string;
  kind: 'command' | 'agent' | 'skill';
  isolation?: Located<IsolationContext>;
  /** `allowed-tools`: pre-approved while the command or skill runs (a grant). */
  allowedTools: Located<ToolRule>[];
  /** An agent's `tools`: what it may use, not a grant. */
  tools: Located<ToolRule>[];
  /** An agent's `permissionMode`. */
  permissionMode?: Located<string>;
  /** Hooks its front matter declares, active while it runs; absent when it declares none. */
  hooks?: SettingsHook[];
  /** Shell commands its body runs when it is invoked (``!`git diff` ``, commands and skills only). */
  inlineShell?: HelperCommand[];
}

/**
 * A place where Claude Code itself is installed or fetched to run: a package manager (`npm install -g
 * @anthropic-ai/claude-code`), a package runner (`npx @anthropic-ai/claude-code`), the install script piped to a
 * shell (`curl -fsSL https://claude.ai/install.sh | bash`), a dev container feature. Action steps are not
 * recorded here: the view `claudeInstalls` adds them from the runs.
 */
export interface ClaudeInstall {
  path: string;
  how: 'package-install' | 'package-runner' | 'install-script' | 'devcontainer-feature' | 'action';
  /** What installs it, in a few words: `npm install -g`, `npx`, `curl | bash`, the feature's id. */
  via: string;
  /** The package word, the install script's URL, the feature's id, the action's ref. */
  span: Span;
  /** The release asked for, where one is written: after the package's `@`, the script's argument, a ref. */
  version?: Located<string>;
}

/** Everything the readers found, for the rules. */
export interface ScanModel {
  /** How many text files were searched (read, or searched by `git grep`). */
  fileCount: number;
  runs: ClaudeRun[];
  settings: SettingsDoc[];
  definitions: MarkdownDefinition[];
  mcpServers: McpServer[];
  secrets: SecretToken[];
  problems: ConfigProblem[];
  /** Workflows and composite actions that name Claude, with every job and step. */
  workflows: WorkflowContext[];
  /** Where Claude Code is installed or fetched (package managers, runners, install script, features). */
  installs: ClaudeInstall[];
  /**
   * Personal Claude files in the scanned folder: tracked by git (`tracked: true`), or found by a walk of a
   * folder that is not a checkout (`tracked` absent). Files git shows as untracked are not listed.
   */
  localConfigs: { path: string; kind: LocalConfigKind; tracked?: true }[];
}
