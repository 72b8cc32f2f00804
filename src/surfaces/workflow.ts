import {
  type Document,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import type { Parser as TSParser } from 'web-tree-sitter';
import { keyedByText } from '../model/keyed.js';
import { parseClaudeArgs, splitArgString } from '../model/claude-command.js';
import type { Located, Span } from '../model/span.js';
import { parseToolRule, splitToolList } from '../model/tool-rule.js';
import type {
  ActionStep,
  Arg,
  ClaudeRun,
  ConfigProblem,
  EnvScope,
  JobContext,
  McpServer,
  RunContext,
  RunUser,
  SettingsDoc,
  StepExpression,
  ToolRule,
  WorkflowContext,
  WorkflowStep,
  WorkflowTrigger,
} from '../model/types.js';
import { readMcpConfig } from './mcp.js';
import { readSettings } from './settings.js';
import { runOf } from '../model/claude-invocation.js';
import { ShellReader } from './shell.js';
import { addYamlEnv } from './yaml-env.js';
import { SourceFile } from '../syntax/source.js';
import { scalarWords, variablesOf, YamlView, yamlNotices } from '../syntax/yaml-nodes.js';
import { scalarOffsets } from '../syntax/yaml-scalar.js';
import { hasExpansion, wordArg } from '../syntax/words.js';

const FILE_KIND = 'workflow';
const ACTION = /^anthropics\/(claude-code-action|claude-code-base-action)(\/[^@]*)?@(.+)$/;
/** Step shells whose command lines are read: a `claude …` line is the same in each. */
const SHELLS = /^(bash|sh|pwsh|powershell|cmd)\b/;

export interface WorkflowFacts {
  runs: ClaudeRun[];
  settings: SettingsDoc[];
  problems: ConfigProblem[];
  workflows: WorkflowContext[];
  /** MCP servers given inline to a v0/beta action's `mcp_config` input. */
  mcpServers: McpServer[];
  /** What was not read (a file whose YAML aliases expand past what is read). */
  notices?: string[];
}

/** A YAML scalar's text with the way from each of its characters back to the file. */
interface ScalarText {
  value: string;
  toFile: (i: number) => number;
}

function generation(ref: string): ActionStep['generation'] {
  if (/^[0-9a-f]{40}$/i.test(ref)) return 'unknown';
  if (/^(beta|v0(\.|$))/.test(ref)) return 'v0';
  return 'v1';
}

/** True when the text can start Claude, so the shell parser is worth running on it. */
export function mentionsClaude(text: string): boolean {
  return text.includes('claude');
}

export class WorkflowReader {
  private readonly doc: Document.Parsed;
  private readonly y: YamlView;
  private readonly facts: WorkflowFacts = {
    runs: [],
    settings: [],
    problems: [],
    workflows: [],
    mcpServers: [],
  };
  private workflowEnv: Node | null | undefined;
  private readonly jobEnv = new Map<string, Node | null | undefined>();
  /** The `env:` of a job's `container:`, set in the container every step runs in. */
  private readonly containerEnv = new Map<string, Node | null | undefined>();
  private readonly jobMatrix = new Map<string, Node | null | undefined>();
  private readonly jobVars = new Map<string, Map<string, Arg[]>>();

  constructor(
    private readonly file: SourceFile,
    private readonly shell: () => TSParser,
  ) {
    this.doc = parseDocument(file.text, {
      lineCounter: new LineCounter(),
      keepSourceTokens: false,
      uniqueKeys: false,
      prettyErrors: false,
    });
    this.y = new YamlView(this.doc);
  }

  read(): WorkflowFacts {
    // The first error is the cause; the ones after it follow from it.
    for (const error of this.doc.errors.slice(0, 1)) {
      this.facts.problems.push(
        this.file.problem(
          FILE_KIND,
          error.pos[0],
          Math.max(error.pos[1], error.pos[0] + 1),
          `invalid YAML: ${error.message.split('\n')[0]}`,
          'GitHub rejects the workflow, and claude-guard cannot check what it runs',
        ),
      );
    }
    if (this.doc.errors.length > 0) return this.facts;
    const root = this.doc.contents;
    if (!this.y.isMap(root)) return this.facts;
    const on = this.triggers(this.y.get(root, 'on'));
    const workflow: WorkflowContext = {
      path: this.file.path,
      triggers: on.map((t) => t.event),
      on,
      jobs: [],
    };
    this.facts.workflows.push(workflow);
    const name = this.y.get(root, 'name');
    if (isScalar(name)) workflow.name = String(name.value);
    const permissions = this.y.get(root, 'permissions');
    if (permissions) workflow.permissions = this.locate(permissions, permissions.toJSON());
    if (this.y.isMap(permissions)) workflow.permissionScopes = this.scalarMap(permissions);
    const defaultShell = this.defaultShell(root);
    this.workflowEnv = this.y.get(root, 'env');
    if (this.y.isMap(this.workflowEnv)) workflow.env = this.scalarMap(this.workflowEnv);
    for (const [key, job] of this.y.pairs(this.y.get(root, 'jobs'))) {
      if (!this.y.isMap(job)) continue;
      this.readJob(workflow, key, job, this.defaultShell(job) ?? defaultShell);
    }
    // A composite action (`action.yml`) has its steps under `runs:`.
    const runs = this.y.get(root, 'runs');
    if (this.y.isMap(runs) && this.y.items(this.y.get(runs, 'steps')).length > 0) {
      workflow.steps = [];
      this.readSteps(this.y.get(runs, 'steps'), { surface: 'workflow', workflow }, undefined);
    }
    const { notices } = yamlNotices(this.y);
    if (notices) this.facts.notices = notices;
    return this.facts;
  }

  private locate<T>(node: Node, value: T): Located<T> {
    const [start, end] = node.range ?? [0, 0];
    return this.file.located(value, start, end);
  }

  private scalarText(raw: Node | null | undefined): ScalarText | undefined {
    const node = this.y.scalar(raw);
    if (!node || node.value === null || typeof node.value === 'object') return undefined;
    const value = String(node.value);
    return { value, toFile: scalarOffsets(this.file.text, node, value) };
  }

  /** A scalar located at its content. */
  private scalar(node: Node | null | undefined): Located<string> | undefined {
    const text = this.scalarText(node);
    if (!text) return undefined;
    const start = text.toFile(0);
    const end = text.value.length > 0 ? text.toFile(text.value.length - 1) + 1 : start;
    return this.file.located(text.value, start, end);
  }

  private triggers(on: Node | null | undefined): WorkflowTrigger[] {
    const bare = (node: Node | null | undefined): WorkflowTrigger[] => {
      const event = this.scalar(node);
      return event ? [{ event, types: [] }] : [];
    };
    if (isScalar(on)) return bare(on);
    if (isSeq(on)) return this.y.items(on).flatMap(bare);
    return this.y.pairs(on).flatMap(([k, v]) => {
      const event = this.scalar(k);
      if (!event) return [];
      const types = this.y.get(v, 'types');
      const list = isSeq(types) ? this.y.items(types) : types ? [types] : [];
      return [{ event, types: list.flatMap((t) => this.scalar(t) ?? []) }];
    });
  }

  /** A step as the model keeps it, whatever it runs. */
  private stepOf(step: YAMLMap, index: number): WorkflowStep {
    const [start, end] = step.range ?? [0, 0];
    const out: WorkflowStep = {
      index,
      span: this.file.span(start, end),
      with: this.scalarMap(this.y.get(step, 'with')),
      env: this.scalarMap(this.y.get(step, 'env')),
      expressions: [
        ...this.expressionsIn('run', this.y.get(step, 'run')),
        ...this.y
          .pairs(this.y.get(step, 'with'))
          .flatMap(([k, v]) => this.expressionsIn(`with.${k.value}`, v)),
        ...this.y.pairs(this.y.get(step, 'env')).flatMap(([k, v]) => this.expressionsIn(`env.${k.value}`, v)),
      ].sort((a, b) => a.span.line - b.span.line || a.span.column - b.span.column),
    };
    const fields: [keyof WorkflowStep, string][] = [
      ['id', 'id'],
      ['name', 'name'],
      ['if', 'if'],
      ['uses', 'uses'],
      ['run', 'run'],
      ['timeoutMinutes', 'timeout-minutes'],
      ['workingDirectory', 'working-directory'],
    ];
    for (const [field, key] of fields) {
      const value = this.scalar(this.y.get(step, key));
      if (value) (out as unknown as Record<string, Located<string>>)[field] = value;
    }
    return out;
  }

  /** Each `${{ … }}` of a scalar, located exactly through the scalar's own offsets. */
  private expressionsIn(where: string, node: Node | null | undefined): StepExpression[] {
    const text = this.scalarText(node);
    if (!text) return [];
    const out: StepExpression[] = [];
    let at = text.value.indexOf('${{');
    while (at >= 0) {
      const end = text.value.indexOf('}}', at + 3);
      if (end < 0) break;
      out.push({
        in: where,
        expression: text.value.slice(at + 3, end).trim(),
        span: this.file.span(text.toFile(at), text.toFile(end + 1) + 1),
      });
      at = text.value.indexOf('${{', end + 2);
    }
    return out;
  }

  /** The scalar values of a map (`with:`, `env:`), each located at its content. */
  private scalarMap(node: Node | null | undefined): Record<string, Located<string>> {
    const out = keyedByText<Located<string>>();
    for (const [k, v] of this.y.pairs(node)) {
      const value = this.scalar(v);
      if (value) out[String(k.value)] = value;
    }
    return out;
  }

  private defaultShell(node: Node): string | undefined {
    const shell = this.y.get(this.y.get(this.y.get(node, 'defaults'), 'run'), 'shell');
    return isScalar(shell) ? String(shell.value) : undefined;
  }

  private readJob(workflow: WorkflowContext, key: Scalar, job: YAMLMap, shell: string | undefined): void {
    const [start, end] = key.range ?? [0, 0];
    const context: JobContext = { id: String(key.value), span: this.file.span(start, end), steps: [] };
    workflow.jobs.push(context);
    const condition = this.scalar(this.y.get(job, 'if'));
    if (condition) context.if = condition;
    const needs = this.y.get(job, 'needs');
    const needed = (isSeq(needs) ? this.y.items(needs) : [needs]).flatMap((n) => this.scalar(n)?.value ?? []);
    if (needed.length > 0) context.needs = needed;
    const outputs = this.y.get(job, 'outputs');
    if (this.y.isMap(outputs)) context.outputs = this.scalarMap(outputs);
    const calls = this.scalar(this.y.get(job, 'uses'));
    if (calls) context.uses = calls;
    const permissions = this.y.get(job, 'permissions');
    if (permissions) context.permissions = this.locate(permissions, permissions.toJSON());
    if (this.y.isMap(permissions)) context.permissionScopes = this.scalarMap(permissions);
    const containerPair = this.y.pairs(job).find(([k]) => k.value === 'container');
    if (containerPair && containerPair[1]) {
      const [a, b] = containerPair[0].range ?? [0, 0];
      context.container = this.file.span(a, b);
    }
    const environment = this.y.get(job, 'environment');
    const envName = this.y.isMap(environment)
      ? this.scalar(this.y.get(environment, 'name'))
      : this.scalar(environment);
    if (envName) context.environment = envName;
    const timeout = this.y.get(job, 'timeout-minutes');
    if (isScalar(timeout) && typeof timeout.value === 'number') {
      context.timeoutMinutes = this.locate(timeout, timeout.value);
    } else if (isScalar(timeout) && typeof timeout.value === 'string' && timeout.value.includes('${{')) {
      context.timeoutExpression = this.locate(timeout, timeout.value);
    }
    const run: RunContext = { surface: 'workflow', workflow, job: context };
    this.jobEnv.set(context.id, this.y.get(job, 'env'));
    const jobEnv = this.y.get(job, 'env');
    if (this.y.isMap(jobEnv)) context.env = this.scalarMap(jobEnv);
    this.containerEnv.set(context.id, this.y.get(containerPair?.[1], 'env'));
    this.jobMatrix.set(context.id, this.y.get(this.y.get(job, 'strategy'), 'matrix'));
    if (context.container) run.isolation = { value: 'container', span: context.container };
    const user = this.containerUser(containerPair?.[1]);
    if (user) run.user = user;
    const folder = this.defaultFolder(job) ?? this.defaultFolder(this.doc.contents);
    if (folder) run.workingDirectory = folder;
    this.readSteps(this.y.get(job, 'steps'), run, shell);
  }

  /** `defaults.run.working-directory` of a job or the workflow. */
  private defaultFolder(node: unknown): Located<string> | undefined {
    return this.scalar(this.y.get(this.y.get(this.y.get(node, 'defaults'), 'run'), 'working-directory'));
  }

  /**
   * Who a job's container runs steps as: its `options: --user …` (or `-u`), else the image's default user,
   * located at the image.
   */
  private containerUser(container: Node | null | undefined): RunUser | undefined {
    if (!container) return undefined;
    const options = this.argsOf(this.y.get(container, 'options'));
    for (const [i, word] of options.entries()) {
      const next = options[i + 1];
      if ((word.value === '--user' || word.value === '-u') && next) {
        return { value: next.value, span: next.span, from: 'setting' };
      }
      const inline = /^(--user=|-u)(.+)$/.exec(word.value);
      if (inline) {
        const at = (inline[1] as string).length;
        return { value: inline[2] as string, span: word.sub(at, word.value.length), from: 'setting' };
      }
    }
    const image = this.scalar(this.y.isMap(container) ? this.y.get(container, 'image') : container);
    return image ? { value: 'root', span: image.span, from: 'image-default' } : undefined;
  }

  private readSteps(steps: Node | null | undefined, context: RunContext, shell: string | undefined): void {
    for (const [index, step] of this.y.items(steps).entries()) {
      if (!this.y.isMap(step)) continue;
      const recorded = this.stepOf(step, index);
      (context.job?.steps ?? context.workflow?.steps)?.push(recorded);
      const name = this.y.get(step, 'name');
      const stepContext: RunContext = isScalar(name)
        ? { ...context, step: recorded, stepName: String(name.value) }
        : { ...context, step: recorded };
      const before = this.facts.runs.length;
      const uses = this.scalar(this.y.get(step, 'uses'));
      if (uses) this.readActionStep(uses, step, stepContext);
      const run = this.y.get(step, 'run');
      const stepShell = this.scalar(this.y.get(step, 'shell'))?.value ?? shell;
      if (run && (!stepShell || SHELLS.test(stepShell)))
        this.readRun(run, this.inFolder(stepContext, step), this.y.get(step, 'env'), stepShell);
      if (this.facts.runs.length > before) {
        const blocks: [EnvScope, Node | null | undefined][] = [
          ['step', this.y.get(step, 'env')],
          ['job', context.job ? this.jobEnv.get(context.job.id) : undefined],
          ['workflow', this.workflowEnv],
          // The runner passes the step's variables into the container over those it was created with.
          ['container', context.job ? this.containerEnv.get(context.job.id) : undefined],
        ];
        // The env a run receives from its step, job and workflow; a name set closer to it wins.
        for (const claude of this.facts.runs.slice(before))
          addYamlEnv(this.file, this.y, claude, blocks, 'actions');
      }
    }
  }

  /** A `run:` step's context with its own `working-directory`, when it sets one. */
  private inFolder(context: RunContext, step: Node): RunContext {
    const folder = this.scalar(this.y.get(step, 'working-directory'));
    return folder ? { ...context, workingDirectory: folder } : context;
  }

  /** `env:` of the workflow, the job and the step (later wins): what `$FLAGS` in a `run:` may hold. */
  /**
   * What `${{ env.X }}`, `${{ matrix.x }}` and `${{ inputs.x }}` may stand for in a step: the env value,
   * every value of the matrix axis (and its `include` entries), an input's default.
   */
  private expressionValues(
    inner: string,
    context: RunContext,
    step: Node | null | undefined,
  ): Arg[][] | undefined {
    const m = /^(env|matrix|inputs)\.([A-Za-z_][\w-]*)$/.exec(inner);
    if (!m) return undefined;
    const [, scope, name] = m as unknown as [string, string, string];
    if (scope === 'env') {
      const words = this.envOf(context, step).get(name);
      return words ? [words] : undefined;
    }
    const values: Node[] = [];
    if (scope === 'matrix') {
      const matrix = context.job ? this.jobMatrix.get(context.job.id) : undefined;
      values.push(...this.y.items(this.y.get(matrix, name)));
      for (const entry of this.y.items(this.y.get(matrix, 'include'))) {
        const value = this.y.get(entry, name);
        if (value) values.push(value);
      }
    } else {
      for (const trigger of ['workflow_call', 'workflow_dispatch']) {
        const value = this.y.get(
          this.y.get(this.y.get(this.y.get(this.doc.contents, 'on'), trigger), 'inputs'),
          name,
        );
        const fallback = this.y.get(value, 'default');
        if (fallback) values.push(fallback);
      }
    }
    const options = values.flatMap((v) => {
      const scalar = this.y.scalar(v);
      return scalar ? [scalarWords(this.file, scalar)] : [];
    });
    return options.length > 0 ? options : undefined;
  }

  private envOf(context: RunContext, step: Node | null | undefined): Map<string, Arg[]> {
    // The workflow's and the job's env are read once per job; a step's own env is laid over a copy.
    const key = context.job?.id ?? '';
    let shared = this.jobVars.get(key);
    if (!shared) {
      const job = context.job ? this.jobEnv.get(context.job.id) : undefined;
      shared = variablesOf(this.file, this.y, [this.workflowEnv, job]);
      this.jobVars.set(key, shared);
    }
    if (this.y.pairs(step).length === 0) return shared;
    const vars = new Map(shared);
    for (const [name, words] of variablesOf(this.file, this.y, [step])) vars.set(name, words);
    return vars;
  }

  private readRun(
    node: Node,
    context: RunContext,
    env: Node | null | undefined,
    shell: string | undefined,
  ): void {
    const text = this.scalarText(node);
    if (!text || !mentionsClaude(text.value)) return;
    // PowerShell continues a line with a backtick, cmd with a caret: read them as bash's backslash (same
    // length, so every position holds).
    const continuation = /^(pwsh|powershell)\b/.test(shell ?? '')
      ? '`'
      : /^cmd\b/.test(shell ?? '')
        ? '^'
        : undefined;
    const script = continuation
      ? text.value.replace(new RegExp(`\\${continuation}(?=\r?\n)`, 'g'), '\\')
      : text.value;
    const reader = new ShellReader(this.shell(), {
      text: script,
      toFile: text.toFile,
      lines: this.file.lines,
      outer: this.envOf(context, env),
      expression: (inner) => this.expressionValues(inner, context, env),
    });
    for (const call of reader.claudeCalls()) {
      this.facts.runs.push(runOf(this.file.path, call, context));
    }
  }

  /** The words of an input holding a command line, each with exact positions. */
  private argsOf(node: Node | null | undefined): Arg[] {
    const text = this.scalarText(node);
    if (!text) return [];
    const { lines } = this.file;
    return splitArgString(text.value).map((w) =>
      wordArg(
        w.value,
        (k) => text.toFile(w.offsets[k] ?? w.start),
        (a, b) => lines.span(a, b),
        hasExpansion(w.value, 'actions'),
      ),
    );
  }

  private readActionStep(uses: Located<string>, step: YAMLMap, context: RunContext): void {
    const m = ACTION.exec(uses.value);
    if (!m) return;
    const ref = m[3] as string;
    const action: ActionStep = {
      action: m[1] as ActionStep['action'],
      uses,
      ref,
      generation: generation(ref),
      inputs: keyedByText<Located<string>>(),
      inputKeys: keyedByText<Span>(),
    };
    const withNode = this.y.get(step, 'with');
    for (const [k, v] of this.y.pairs(withNode)) {
      const [a, b] = k.range ?? [0, 0];
      action.inputKeys[String(k.value)] = this.file.span(a, b);
      const value = this.scalar(v);
      if (value) action.inputs[String(k.value)] = value;
    }
    const run: ClaudeRun = {
      kind: 'action',
      path: this.file.path,
      span: uses.span,
      context,
      action,
      wrappers: [],
      env: [],
    };
    const claudeArgs = this.y.get(withNode, 'claude_args');
    if (claudeArgs) run.command = parseClaudeArgs(this.argsOf(claudeArgs));
    const allowed = this.y.get(withNode, 'allowed_tools');
    if (allowed && action.generation !== 'v1') {
      run.command ??= parseClaudeArgs([]);
      run.command.allowedTools.push(...this.toolList(allowed));
    }
    const settings = this.scalarText(this.y.get(withNode, 'settings'));
    if (settings && settings.value.trimStart().startsWith('{')) {
      const embedded = new SourceFile(this.file.path, settings.value, {
        lines: this.file.lines,
        toFile: settings.toFile,
      });
      const { doc, problems } = readSettings(
        embedded,
        'inline',
        context.isolation,
        'settings input',
        this.shell,
      );
      if (doc) {
        run.inlineSettings = doc;
        this.facts.settings.push(doc);
      }
      this.facts.problems.push(...problems);
    }
    // v0/beta `mcp_config:` given as JSON rather than a path (a path is read by the scan once files are listed).
    const mcpConfig = this.scalarText(this.y.get(withNode, 'mcp_config'));
    if (mcpConfig && action.generation !== 'v1' && mcpConfig.value.trimStart().startsWith('{')) {
      const embedded = new SourceFile(this.file.path, mcpConfig.value, {
        lines: this.file.lines,
        toFile: mcpConfig.toFile,
      });
      const { servers, problems } = readMcpConfig(embedded, this.shell);
      this.facts.mcpServers.push(...servers);
      this.facts.problems.push(...problems);
    }
    this.facts.runs.push(run);
  }

  private toolList(node: Node): Located<ToolRule>[] {
    const text = this.scalarText(node);
    if (!text) return [];
    return splitToolList(text.value).map((part) => ({
      value: parseToolRule(part.value),
      span: this.file.lines.span(text.toFile(part.start), text.toFile(part.end - 1) + 1),
    }));
  }
}
