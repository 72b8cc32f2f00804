import type { Parser as TSParser } from 'web-tree-sitter';
import { cutMessage, MAX_GRANTS, MAX_HOOKS, noteCut } from './cuts.js';
import { parseToolRule } from '../model/tool-rule.js';
import type { Located } from '../model/span.js';
import type {
  ConfigProblem,
  HelperCommand,
  IsolationContext,
  SettingsDoc,
  SettingsHook,
  SettingsScope,
  ToolRule,
} from '../model/types.js';
import {
  child,
  entries,
  type JsonNode,
  parseStrictJson,
  stringAt,
  stringMap,
  stringsAt,
} from '../syntax/json-doc.js';
import { jsonStringOffsets } from '../syntax/json-string.js';
import type { SourceFile } from '../syntax/source.js';
import { commandRemote } from './remote-code.js';

const REJECTED = 'Claude Code rejects the whole file and none of its settings apply';

export function settingsScope(path: string): SettingsScope {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === 'settings.local.json') return 'local';
  if (name === 'managed-settings.json' || path.includes('managed-settings.d/')) return 'managed';
  return 'project';
}

function rules(file: SourceFile, node: JsonNode | undefined): Located<ToolRule>[] {
  let strings = stringsAt(file, node);
  if (strings.length > MAX_GRANTS) {
    noteCut(file.lines, cutMessage('permission rules in one list', MAX_GRANTS));
    strings = strings.slice(0, MAX_GRANTS);
  }
  return strings.map((s) => ({ value: parseToolRule(s.value), span: s.span }));
}

function expectArray(
  file: SourceFile,
  node: JsonNode | undefined,
  key: string,
  fileKind: string,
  problems: ConfigProblem[],
): void {
  if (!node) return;
  const bad = node.type !== 'array' || (node.children ?? []).some((c) => c.type !== 'string');
  if (bad) {
    problems.push(
      file.problem(
        fileKind,
        node.offset,
        node.offset + node.length,
        `${key} must be an array of strings`,
        'Claude Code skips the entries it cannot read',
      ),
    );
  }
}

/**
 * Reads a Claude settings object from JSON text: permissions, mode, directories, env, hooks and helpers. With
 * `shell`, the bash grammar, the commands of hooks and helpers are read for the remote code they run.
 */
export function readSettings(
  file: SourceFile,
  scope: SettingsScope,
  isolation?: Located<IsolationContext>,
  fileKind = 'Claude settings',
  shell?: () => TSParser | undefined,
): { doc?: SettingsDoc; problems: ConfigProblem[]; commands: SettingsCommand[] } {
  const { root, problems } = parseStrictJson(file, fileKind, REJECTED);
  if (!root) return { problems, commands: [] };
  const permissions = child(root, 'permissions');
  for (const key of ['allow', 'ask', 'deny', 'additionalDirectories']) {
    expectArray(file, child(permissions, key), `permissions.${key}`, fileKind, problems);
  }
  const doc: SettingsDoc = {
    path: file.path,
    scope,
    allow: rules(file, child(permissions, 'allow')),
    ask: rules(file, child(permissions, 'ask')),
    deny: rules(file, child(permissions, 'deny')),
    additionalDirectories: stringsAt(file, child(permissions, 'additionalDirectories')),
    env: stringMap(file, child(root, 'env')),
    helpers: helpersOf(file, root, shell),
    enabledMcpjsonServers: stringsAt(file, child(root, 'enabledMcpjsonServers')),
    disabledMcpjsonServers: stringsAt(file, child(root, 'disabledMcpjsonServers')),
    plugins: entries(child(root, 'enabledPlugins')).flatMap(([k, v]) => {
      const name = stringAt(file, k);
      return name ? [{ name, enabled: v.type === 'boolean' && v.value === true }] : [];
    }),
    marketplaces: entries(child(root, 'extraKnownMarketplaces')).flatMap(([k, v]) => {
      const name = stringAt(file, k);
      if (!name) return [];
      const source = child(v, 'source');
      const kind = stringAt(file, child(source, 'source'));
      const location =
        stringAt(file, child(source, 'repo')) ??
        stringAt(file, child(source, 'url')) ??
        stringAt(file, child(source, 'path'));
      return [{ name, ...(kind ? { source: kind } : {}), ...(location ? { location } : {}) }];
    }),
  };
  if (isolation) doc.isolation = isolation;
  const enabledList = child(root, 'enabledMcpjsonServers');
  if (enabledList?.type === 'array')
    doc.enabledMcpjsonServersSpan = file.span(enabledList.offset, enabledList.offset + enabledList.length);
  const enableAll = child(root, 'enableAllProjectMcpServers');
  if (enableAll?.type === 'boolean')
    doc.enableAllProjectMcpServers = file.located(
      enableAll.value as boolean,
      enableAll.offset,
      enableAll.offset + enableAll.length,
    );
  const hooks = hooksOf(file, child(root, 'hooks'), shell);
  if (hooks.length > 0) doc.hooks = hooks;
  const modeNode = child(permissions, 'defaultMode');
  const mode = stringAt(file, modeNode);
  // Whether Claude knows the mode is judged by CG901 over `doc.defaultMode`.
  if (mode) doc.defaultMode = mode;
  else if (modeNode) {
    problems.push(
      file.problem(
        fileKind,
        modeNode.offset,
        modeNode.offset + modeNode.length,
        'permissions.defaultMode must be a string',
        'Claude Code ignores the setting',
      ),
    );
  }
  const disable = stringAt(file, child(permissions, 'disableBypassPermissionsMode'));
  if (disable) doc.disableBypassPermissionsMode = disable;
  for (const rule of [...doc.allow, ...doc.ask, ...doc.deny]) {
    if (rule.value.problem) {
      problems.push({
        span: rule.span,
        fileKind,
        message: `permission rule "${rule.value.raw}": ${rule.value.problem}`,
        consequence: 'Claude Code skips this rule',
      });
    }
  }
  return { doc, problems, commands: settingsCommands(file, root) };
}

/** What each kind of hook runs, by its `type`. */
export const HOOK_RUNS: ReadonlyMap<string, string> = new Map([
  ['command', 'command'],
  ['http', 'url'],
  ['prompt', 'prompt'],
  ['agent', 'prompt'],
  ['mcp_tool', 'tool'],
]);

/**
 * A settings object that holds only the hooks of `hooks` (an object of events, as under a settings file's
 * `hooks`): a plugin's hooks, which take the same shape.
 */
export function hooksOnlySettings(
  file: SourceFile,
  scope: SettingsScope,
  hooks: JsonNode | undefined,
  shell?: () => TSParser | undefined,
): SettingsDoc {
  const doc: SettingsDoc = {
    path: file.path,
    scope,
    allow: [],
    ask: [],
    deny: [],
    additionalDirectories: [],
    env: {},
    helpers: [],
    enabledMcpjsonServers: [],
    disabledMcpjsonServers: [],
    plugins: [],
    marketplaces: [],
  };
  const found = hooksOf(file, hooks, shell);
  if (found.length > 0) doc.hooks = found;
  return doc;
}

/** The hooks of an object of events: `<Event>[].hooks[]`, each with its group's matcher. */
function hooksOf(
  file: SourceFile,
  events: JsonNode | undefined,
  shell?: () => TSParser | undefined,
): SettingsHook[] {
  const hooks: SettingsHook[] = [];
  for (const [key, groups] of entries(events)) {
    const event = stringAt(file, key);
    if (!event || groups.type !== 'array') continue;
    for (const group of groups.children ?? []) {
      const matcher = stringAt(file, child(group, 'matcher'));
      for (const hook of child(group, 'hooks')?.children ?? []) {
        if (hooks.length >= MAX_HOOKS) {
          noteCut(file.lines, cutMessage('hooks', MAX_HOOKS));
          return hooks;
        }
        const type = stringAt(file, child(hook, 'type'))?.value ?? 'command';
        const run = stringAt(file, child(hook, HOOK_RUNS.get(type) ?? 'command'));
        if (!run) continue;
        const h: SettingsHook = { event, type, run };
        if (matcher) h.matcher = matcher;
        // A PowerShell command (`"shell": "powershell"`) is read with the bash grammar too: its pipelines
        // (`irm https://… | iex`) read the same.
        const remote =
          type === 'command' ? commandRemote(file, shell, child(hook, 'command'), child(hook, 'args')) : [];
        if (remote.length > 0) h.remote = remote;
        hooks.push(h);
      }
    }
  }
  return hooks;
}

/** Settings keys whose string value is a shell command Claude runs. */
const HELPERS = [
  'apiKeyHelper',
  'awsAuthRefresh',
  'awsCredentialExport',
  'gcpAuthRefresh',
  'otelHeadersHelper',
];
/** Settings keys holding `{ "type": "command", "command": … }`. */
const COMMAND_OBJECTS = ['statusLine', 'subagentStatusLine', 'fileSuggestion'];

/** The helper commands of a settings object, each located at its text, with the remote code it runs. */
function helpersOf(
  file: SourceFile,
  root: JsonNode | undefined,
  shell?: () => TSParser | undefined,
): HelperCommand[] {
  const out: HelperCommand[] = [];
  const add = (key: string, node: JsonNode | undefined): void => {
    const run = stringAt(file, node);
    if (!run) return;
    const helper: HelperCommand = { key, run };
    const remote = commandRemote(file, shell, node);
    if (remote.length > 0) helper.remote = remote;
    out.push(helper);
  };
  for (const key of HELPERS) add(key, child(root, key));
  for (const key of COMMAND_OBJECTS) add(key, child(root, key, 'command'));
  return out;
}

/** A shell command a settings file makes Claude run: a hook or a helper. */
export interface SettingsCommand {
  /** `hooks.PreToolUse`, `apiKeyHelper`, `statusLine`… */
  source: string;
  value: string;
  /** File offset of each character of `value`. */
  offsets: number[];
}

/** The hook and helper commands of a settings object. */
export function settingsCommands(file: SourceFile, root: JsonNode | undefined): SettingsCommand[] {
  const commands: SettingsCommand[] = [];
  const add = (source: string, node: JsonNode | undefined): void => {
    if (node?.type !== 'string' || typeof node.value !== 'string') return;
    const { value, offsets } = jsonStringOffsets(file.text, node.offset);
    commands.push({ source, value, offsets: offsets.map((o) => file.toFile(o)) });
  };
  for (const key of HELPERS) add(key, child(root, key));
  for (const key of COMMAND_OBJECTS) add(key, child(root, key, 'command'));
  commands.push(...hookCommands(file, child(root, 'hooks')));
  return commands;
}

/** The commands of the hooks of an object of events (a settings file's `hooks`, a plugin's). */
export function hookCommands(file: SourceFile, events: JsonNode | undefined): SettingsCommand[] {
  const commands: SettingsCommand[] = [];
  for (const [event, groups] of entries(events)) {
    for (const group of groups.children ?? []) {
      for (const hook of child(group, 'hooks')?.children ?? []) {
        // The hooks read are the first MAX_HOOKS (see hooksOf), and so are their commands.
        if (commands.length >= MAX_HOOKS) return commands;
        const node = child(hook, 'command');
        if (node?.type !== 'string' || typeof node.value !== 'string') continue;
        const { value, offsets } = jsonStringOffsets(file.text, node.offset);
        commands.push({
          source: `hooks.${String(event.value)}`,
          value,
          offsets: offsets.map((o) => file.toFile(o)),
        });
      }
    }
  }
  return commands;
}
