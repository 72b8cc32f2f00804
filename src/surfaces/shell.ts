import type { Node as TSNode, Parser as TSParser } from 'web-tree-sitter';
import {
  basename,
  type CallEnv,
  type ClaudeCall,
  claudeInWords,
  unwrap,
} from '../model/claude-invocation.js';
import {
  claudeInstallsInWords,
  type InstallScriptDownload,
  installScriptDownload,
  installScriptRun,
} from '../model/claude-install.js';
import type { LineIndex, Located, Span } from '../model/span.js';
import { cutMessage, noteCut } from './cuts.js';
import { noteInstall } from './installs.js';
import type { Arg, ShellCommand } from '../model/types.js';

/** A shell script, or a part of a file that holds one (a workflow `run:`), with the way back to the file. */
export interface ShellInput {
  text: string;
  /** Offset in `text` → offset in the file's text. */
  toFile: (i: number) => number;
  lines: LineIndex;
  /** How many scripts this one sits inside (`bash -c`, here-docs); past a few, nothing more is read. */
  depth?: number;
  /** Variables set outside the script (a Makefile's `FLAGS := …`), for `$(FLAGS)` and `${FLAGS}`. */
  outer?: Map<string, Arg[]>;
  /**
   * The values a CI expression standing alone as a word may take (`${{ env.FLAGS }}`,
   * `${{ matrix.mode }}`), given the text between the braces; undefined when unknown.
   */
  expression?: (inner: string) => Arg[][] | undefined;
}

/** Assignments seen so far in a script: each variable's values in order, as words and as one string. */
type Variables = Map<
  string,
  {
    at: number;
    words: Arg[];
    whole?: Arg;
    array: boolean;
    /** ids of the branches it sits in */ branches: number[];
    /** Set by `export NAME=value` (or `declare -x`): it reaches the commands the script starts. */
    exported?: boolean;
    /** Where the name is written. */
    nameSpan?: Span;
  }[]
>;

/** Nodes whose body may or may not run: an assignment inside one is one possibility among others. */
const BRANCHING = new Set([
  'if_statement',
  'elif_clause',
  'else_clause',
  'case_item',
  'list',
  'while_statement',
  'for_statement',
  'c_style_for_statement',
  'function_definition',
]);

function branchesOf(node: TSNode): number[] {
  const ids: number[] = [];
  for (let p = node.parent; p; p = p.parent) if (BRANCHING.has(p.type)) ids.push(p.id);
  return ids;
}

/** Syntax nesting read at most: far deeper than scripts people write. */
const MAX_TREE_DEPTH = 200;

/** Scripts inside scripts inside scripts… are read this deep at most. */
const MAX_NESTED_SCRIPTS = 8;

/** Statements looked at before a command for a `cd`, at most, and how deep a `&&` chain is read for one. */
const MAX_CD_LOOKBACK = 256;
const MAX_CD_NESTING = 32;

/**
 * Claude commands read from one script at most (one more is read, so a caller can tell there were more): a
 * script starting Claude thousands of times is written to flood the report, and each costs its reading.
 */
export const MAX_CLAUDE_CALLS = 1000;

/**
 * Claude commands read so far from each file (by its line index), over all the scripts a file holds — a
 * workflow's steps, a Dockerfile's `RUN`s, a Makefile's recipes: past MAX_CLAUDE_CALLS, the file's further
 * scripts are not parsed at all. Reading a file is synchronous, so one file's count never mixes with another's.
 */
const callsInFile = new WeakMap<LineIndex, number>();

/** Words of one command read for Claude's flags, at most: no real command line comes near. */
const MAX_WORDS = 2000;

/** At most this many readings of one command when its variables may hold several values. */
const MAX_VARIANTS = 16;

/**
 * For `commands()`: commands read from one script at most, how deep in its syntax, and commands recorded as
 * feeding one command (`stdin`, `$(…)`). Command lines Claude runs for hooks and helpers are short.
 */
const MAX_COMMANDS = 4096;
const MAX_COMMAND_DEPTH = 64;
const MAX_FEEDERS = 32;

const SHELL_NAMES = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh']);
/** File names that hold shell code: scripts and shell start-up files. */
const SCRIPT_FILE =
  /(\.(sh|bash|zsh|ksh)|(^|\/)\.?(bashrc|zshrc|profile|bash_profile|zprofile|bash_aliases)|-functions)$/;
/** GitHub `${{ … }}` and GitLab `$[[ … ]]` expressions: replaced before the shell ever sees them. */
const EXPRESSION = /\$\{\{[\s\S]*?\}\}|\$\[\[[\s\S]*?\]\]/g;
const EXPANSIONS = new Set([
  'simple_expansion',
  'expansion',
  'command_substitution',
  'arithmetic_expansion',
  'process_substitution',
]);

interface WordText {
  value: string;
  /** Offset in the script text of each character of `value`. */
  offsets: number[];
  dynamic: boolean;
  /**
   * Where in the script text what makes it dynamic is written (`$k` in `"--flag $k"`), so that splitting the
   * word keeps the other pieces literal; absent when the word as a whole is dynamic.
   */
  expansions?: [number, number][];
}

/** Programs whose string arguments are text to print, search, store or send, never commands they run. */
const TEXT_COMMANDS = new Set(
  (
    'echo printf print cat tee logger read git gh glab hub jq yq sed awk grep egrep fgrep rg ag ack curl wget ' +
    'http https notify-send say test [ [[ which type command hash help man info sleep exit return export ' +
    'declare local readonly set unset alias unalias source . mapfile readarray basename dirname realpath ' +
    'mkdir touch rm cp mv ln chmod chown ls find stat wc head tail sort uniq cut tr diff cmp base64 sha256sum ' +
    'md5sum openssl gpg jo python python3 node ruby perl php deno bun npm pnpm yarn pip pip3 uv cargo go make ' +
    'kubectl helm terraform'
  ).split(' '),
);

/** Wrappers a shell may be started through, for `sudo bash -c "…"` and the like. */
const SCRIPT_WRAPPERS = new Set([
  'sudo',
  'doas',
  'env',
  'exec',
  'nohup',
  'timeout',
  'gosu',
  'su-exec',
  'runuser',
  'docker',
  'podman',
  'kubectl',
  'ssh',
  'xargs',
]);

/** Where the command after the wrappers a shell may be started through begins (`sudo env X=1 bash`: at `bash`). */
function pastWrappers(words: Arg[]): number {
  let i = 0;
  while (i < words.length && SCRIPT_WRAPPERS.has(basename(words[i]?.value ?? ''))) {
    i = unwrap(basename(words[i]?.value ?? ''), words, i, []) ?? words.length;
  }
  return i;
}

/**
 * What the wrappers before `words[i]` do to what it runs (`sudo bash -c "claude …"` runs it as root), read as
 * if Claude stood where that command does; undefined when there are none.
 */
function wrappersBefore(words: Arg[], i: number): ClaudeCall | undefined {
  const at = words[i];
  if (i === 0 || !at) return undefined;
  const asClaude: Arg = { value: 'claude', span: at.span, dynamic: false, sub: () => at.span };
  return claudeInWords([...words.slice(0, i), asClaude]);
}

/** A call found in a script that `outer`'s wrappers start: theirs come first, and their user if it names none. */
function inside(outer: ClaudeCall, call: ClaudeCall): ClaudeCall {
  const merged: ClaudeCall = {
    ...call,
    wrappers: [...outer.wrappers, ...call.wrappers],
    env: [...call.env, ...outer.env],
  };
  if (!call.runAs && outer.runAs) {
    merged.runAs = outer.runAs;
    if (outer.runAsBy) merged.runAsBy = outer.runAsBy;
  }
  if (outer.freshEnv) merged.freshEnv = true;
  return merged;
}

export class ShellReader {
  private readonly original: string;
  private readonly parsedText: string;
  private readonly expressions: [number, number][] = [];
  /** Offsets in the script text of each character of an Arg this reader made, for scripts inside words. */
  private readonly argOffsets = new WeakMap<Arg, number[]>();
  private marks: number[] | undefined;
  /** Variables an `export` in this script has set, by name. */
  private readonly exportedNames = new Set<string>();
  /** What each statement looked at for a `cd` holds, by node id. */
  private readonly cdSeen = new Map<number, Located<string> | null | undefined>();
  /** The folder a `cd` in or before a statement leaves for what follows it, by node id. */
  private readonly cdAfter = new Map<number, Located<string> | null | undefined>();

  constructor(
    private readonly parser: TSParser,
    private readonly input: ShellInput,
  ) {
    this.original = input.text;
    // GitHub expressions are not shell; the parser sees a word of the same length in their place.
    this.parsedText = input.text.replace(EXPRESSION, (m, at: number) => {
      this.expressions.push([at, at + m.length]);
      return 'E'.repeat(m.length);
    });
  }

  /** Every `claude` command in the script, in order of appearance. */
  claudeCalls(): ClaudeCall[] {
    // A script nested in another is counted with the one that holds it.
    if (this.input.depth) return this.claudeCallsOfText();
    const before = callsInFile.get(this.input.lines) ?? 0;
    if (before > MAX_CLAUDE_CALLS) return [];
    const calls = this.claudeCallsOfText();
    callsInFile.set(this.input.lines, before + calls.length);
    return calls;
  }

  private claudeCallsOfText(): ClaudeCall[] {
    const tree = this.parser.parse(this.parsedText);
    if (!tree) return [];
    this.cdSeen.clear();
    this.cdAfter.clear();
    try {
      const calls: ClaudeCall[] = [];
      const variables = new Map() as Variables;
      // A cursor walks the tree without building a node object for every node; only the nodes of the
      // three kinds read here are materialised, and commands that cannot start Claude are passed over.
      const cursor = tree.walk();
      // Iterative: a script nested thousands deep must not exhaust the stack.
      let depth = 0;
      const visit = (): void => {
        for (;;) {
          const type = cursor.nodeType;
          if (type === 'variable_assignment') this.recordVariable(cursor.currentNode, variables);
          else if (type === 'command' && this.mayStartClaude(cursor.startIndex, cursor.endIndex)) {
            const node = cursor.currentNode;
            const variants = this.commandVariants(node, variables);
            for (const words of variants) {
              const call = this.claudeCallIn(node, words, variables);
              if (call) calls.push(call);
              if (words.some((w) => w.value.includes('claude'))) this.noteInstalls(node, words, variables);
            }
            for (const call of this.shellCommandString(variants[0] ?? [])) calls.push(call);
          } else if (
            type === 'redirected_statement' &&
            this.mayStartClaude(cursor.startIndex, cursor.endIndex)
          ) {
            for (const call of this.heredocScript(cursor.currentNode, variables)) calls.push(call);
          }
          if (calls.length > MAX_CLAUDE_CALLS) return;
          // Nesting deeper than any real script is not descended into (each level costs every level above).
          if (depth < MAX_TREE_DEPTH && cursor.gotoFirstChild()) {
            depth++;
            continue;
          }
          while (!cursor.gotoNextSibling()) {
            if (!cursor.gotoParent()) return;
            depth--;
          }
        }
      };
      try {
        visit();
      } finally {
        cursor.delete();
      }
      return calls;
    } finally {
      tree.delete();
    }
  }

  /**
   * Every simple command of the script, whatever it runs, in order of appearance, with what feeds it: the
   * stages before it in its pipeline, the commands substituted into its words, and a script it hands to a
   * shell as a string. What they run is judged in `model/`.
   */
  commands(): ShellCommand[] {
    const tree = this.parser.parse(this.parsedText);
    if (!tree) return [];
    try {
      const variables = new Map() as Variables;
      const built = new Map<number, ShellCommand>();
      const commands: ShellCommand[] = [];
      const cursor = tree.walk();
      // The nodes above the cursor: a node is never asked for its parent, which costs a walk from the root.
      const above: Level[] = [];
      try {
        for (;;) {
          const type = cursor.nodeType;
          const parent = above[above.length - 1];
          if (parent?.stages && cursor.nodeIsNamed) parent.stages.push(cursor.currentNode);
          if (type === 'variable_assignment') {
            const around = { parentType: parent?.type, branches: branchIds(above) };
            this.recordVariable(
              cursor.currentNode,
              variables,
              parent?.node ? { ...around, parent: parent.node } : around,
            );
          } else if (type === 'command') {
            commands.push(this.shellCommand(cursor.currentNode, variables, built, above));
          }
          if (commands.length >= MAX_COMMANDS) break;
          const level: Level = { type, id: cursor.nodeId };
          if (KEPT_LEVELS.has(type)) level.node = cursor.currentNode;
          if (type === 'pipeline') level.stages = [];
          if (above.length < MAX_COMMAND_DEPTH && cursor.gotoFirstChild()) {
            above.push(level);
            continue;
          }
          let more = true;
          while (!cursor.gotoNextSibling()) {
            if (!cursor.gotoParent()) {
              more = false;
              break;
            }
            above.pop();
          }
          if (!more) break;
        }
      } finally {
        cursor.delete();
      }
      return commands;
    } finally {
      tree.delete();
    }
  }

  /** A command node as a `ShellCommand`, built once; `above` holds the nodes above it, nearest last. */
  private shellCommand(
    node: TSNode,
    variables: Variables,
    built: Map<number, ShellCommand>,
    above: readonly Level[],
  ): ShellCommand {
    const known = built.get(node.id);
    if (known) return known;
    const branches = branchIds(above);
    const words = this.commandWords(node, variables, branches);
    const command: ShellCommand = { words, stdin: [], substituted: [] };
    built.set(node.id, command);
    // What feeds a command is recorded by its words only, and looked for a few levels deep at most: a script
    // nested thousands deep costs each command no more than its neighbourhood.
    const feeders = (within: TSNode): ShellCommand[] =>
      (within.type === 'command' ? [within] : nodesNear(within, COMMAND, 4))
        .filter((c) => c.id !== node.id)
        .map((c) => {
          let fed = built.get(-c.id - 1);
          if (!fed) {
            fed = { words: this.commandWords(c, variables, branches), stdin: [], substituted: [] };
            built.set(-c.id - 1, fed);
          }
          return fed;
        });
    // The stages before it in its pipeline (`curl … | sh`), through a redirection around it (`sh 2>&1`).
    let up = above.length - 1;
    const redirected = above[up]?.type === 'redirected_statement' ? above[up]?.node : undefined;
    while (above[up]?.type === 'redirected_statement') up--;
    const stages = above[up]?.type === 'pipeline' ? (above[up]?.stages ?? []) : [];
    // The last stage seen is the one that holds this command.
    for (const stage of stages.slice(Math.max(0, stages.length - 1 - MAX_FEEDERS), -1))
      command.stdin.push(...feeders(stage));
    // A here-string given to it: `bash <<< "$(curl …)"`.
    const redirects = [...node.childrenForFieldName('redirect')];
    if (redirected) redirects.push(...redirected.childrenForFieldName('redirect'));
    for (const r of redirects) {
      if (r?.type !== 'herestring_redirect') continue;
      for (const sub of nodesNear(r, SUBSTITUTIONS, 3)) command.stdin.push(...feeders(sub));
    }
    // Commands substituted into its words, by the word that holds them (words and parts are in order).
    const parts = [node.childForFieldName('name'), ...node.childrenForFieldName('argument')];
    let word = 0;
    for (const part of parts) {
      if (!part || command.substituted.length >= MAX_FEEDERS) continue;
      const subs = SUBSTITUTIONS.has(part.type) ? [part] : nodesNear(part, SUBSTITUTIONS, 3);
      if (subs.length === 0) continue;
      const firstOf = (k: number): number => this.argOffsets.get(words[k] as Arg)?.[0] ?? -1;
      while (word < words.length && firstOf(word) < part.startIndex) word++;
      if (word >= words.length || firstOf(word) >= part.endIndex) continue;
      for (const sub of subs) {
        const kind = sub.type === 'process_substitution' ? 'file' : 'output';
        command.substituted.push({ word, kind, commands: feeders(sub) });
      }
    }
    const script = this.scriptOf(words);
    if (script) command.script = script;
    return command;
  }

  /** The commands of a script a command hands to a shell as a string: `bash -c '…'`, `sudo sh -c "…"`. */
  private scriptOf(words: Arg[]): ShellCommand[] | undefined {
    const i = pastWrappers(words);
    if (!SHELL_NAMES.has(basename(words[i]?.value ?? ''))) return undefined;
    for (let j = i + 1; j < words.length - 1; j++) {
      if (!/^-[a-zA-Z]*c[a-zA-Z]*$/.test(words[j]?.value ?? '')) continue;
      const script = words[j + 1] as Arg;
      const offsets = this.argOffsets.get(script);
      const depth = (this.input.depth ?? 0) + 1;
      if (!offsets || depth > MAX_NESTED_SCRIPTS) return undefined;
      const { toFile, lines } = this.input;
      const at = (k: number): number => toFile(offsets[Math.min(k, offsets.length - 1)] ?? 0);
      return new ShellReader(this.parser, { text: script.value, toFile: at, lines, depth }).commands();
    }
    return undefined;
  }

  /**
   * Installs of Claude a command makes (`npm install -g @anthropic-ai/claude-code`, `npx …`), and the install
   * script it downloads when what receives the download runs it: a later stage of its pipeline
   * (`curl … | bash`), or the command its output or a file of it is given to (`bash <(curl …)`,
   * `sh -c "$(curl …)"`). Recorded for the file; what counts as an install is decided in the model.
   */
  private noteInstalls(node: TSNode, words: Arg[], variables: Variables): void {
    const { lines } = this.input;
    for (const install of claudeInstallsInWords(words)) noteInstall(lines, install);
    const download = installScriptDownload(words);
    if (!download) return;
    const run = this.installScriptRunOf(node, download, variables);
    if (run) noteInstall(lines, run);
  }

  private installScriptRunOf(
    node: TSNode,
    download: InstallScriptDownload,
    variables: Variables,
  ): ReturnType<typeof installScriptRun> {
    let stage = node;
    while (stage.parent?.type === 'redirected_statement') stage = stage.parent;
    if (stage.parent?.type === 'pipeline') {
      for (let s = stage.nextNamedSibling; s; s = s.nextNamedSibling) {
        const command = s.type === 'redirected_statement' ? s.childForFieldName('body') : s;
        if (command?.type !== 'command') continue;
        const run = installScriptRun(download, this.commandWords(command, variables));
        if (run) return run;
      }
      return undefined;
    }
    // The download substituted into a word: climb to that word, then to its command.
    const substitution = node.parent;
    if (substitution?.type !== 'command_substitution' && substitution?.type !== 'process_substitution')
      return undefined;
    let part: TSNode = substitution;
    while (part.parent && (part.parent.type === 'string' || part.parent.type === 'concatenation'))
      part = part.parent;
    const command = part.parent;
    if (command?.type !== 'command') return undefined;
    const parts = [command.childForFieldName('name'), ...command.childrenForFieldName('argument')];
    const holder = parts.findIndex((p) => p?.id === part.id);
    if (holder < 0) return undefined;
    const words = parts.map((p) => {
      const target = p?.type === 'command_name' ? p.firstNamedChild : p;
      return this.arg(target ? this.wordText(target) : { value: '', offsets: [], dynamic: true });
    });
    return installScriptRun(download, words, holder);
  }

  /** Claude can start only where its name is written, or hides in an expansion (`$CLAUDE`, `$(…)`). */
  private mayStartClaude(start: number, end: number): boolean {
    // Where `claude` and `$` stand in the script, found once; each command then asks in log time.
    this.marks ??= [...this.original.matchAll(/claude|\$/g)].map((m) => m.index ?? 0);
    let lo = 0;
    let hi = this.marks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.marks[mid] as number) < start) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.marks.length && (this.marks[lo] as number) < end;
  }

  private isDynamicRange(start: number, end: number): boolean {
    return this.expressions.some(([a, b]) => a < end && b > start);
  }

  private arg(word: WordText): Arg {
    const { lines, toFile } = this.input;
    const first = word.offsets[0] ?? 0;
    const last = word.offsets[word.offsets.length - 1] ?? first;
    // Spans are computed when asked for: most words of most commands never are.
    let span: Span | undefined;
    const whole = (): Span => (span ??= lines.span(toFile(first), toFile(last) + 1));
    const arg: Arg = {
      value: word.value,
      get span() {
        return whole();
      },
      dynamic: word.dynamic,
      sub: (from, to) => {
        // Past the end (a parser pointing just after the last character) means the last character.
        const end = word.offsets.length - 1;
        const a = word.offsets[Math.min(from, end)];
        const b = word.offsets[Math.min(Math.max(from, to - 1), end)];
        return a === undefined || b === undefined ? whole() : lines.span(toFile(a), toFile(b) + 1);
      },
    };
    this.argOffsets.set(arg, word.offsets);
    return arg;
  }

  /** The text of a word after quote removal, with the offset of every character. */
  private wordText(node: TSNode): WordText {
    const src = this.original;
    const out: WordText = { value: '', offsets: [], dynamic: false };
    const push = (i: number): void => {
      out.value += src[i];
      out.offsets.push(i);
    };
    const raw = (from: number, to: number): void => {
      for (let i = from; i < to; i++) push(i);
    };
    const start = node.startIndex;
    const end = node.endIndex;
    if (this.isDynamicRange(start, end)) {
      out.dynamic = true;
      out.expansions = this.expressions.filter(([a, b]) => a < end && b > start).map(([a, b]) => [a, b]);
    }
    switch (node.type) {
      case 'raw_string':
        raw(start + 1, end - 1);
        break;
      case 'ansi_c_string':
        raw(start + 2, end - 1);
        break;
      case 'string':
        for (let i = start + 1; i < end - 1; i++) {
          if (src[i] === '\\' && '"\\$`\n'.includes(src[i + 1] ?? '')) {
            i++;
            if (src[i] === '\n') continue;
          }
          push(i);
        }
        for (const c of node.namedChildren) {
          if (!c || !EXPANSIONS.has(c.type)) continue;
          out.dynamic = true;
          (out.expansions ??= []).push([c.startIndex, c.endIndex]);
        }
        break;
      case 'concatenation':
        for (const child of node.children) {
          if (!child) continue;
          const part = this.wordText(child);
          out.value += part.value;
          for (const o of part.offsets) out.offsets.push(o);
          out.dynamic ||= part.dynamic;
          // A dynamic part without known places makes the whole word dynamic: it is never split finer.
          if (part.dynamic)
            (out.expansions ??= []).push(...(part.expansions ?? [[child.startIndex, child.endIndex]]));
        }
        break;
      case 'word':
      case 'number':
        for (let i = start; i < end; i++) {
          if (src[i] === '\\' && i + 1 < end) {
            i++;
            if (src[i] === '\n') continue;
          }
          push(i);
        }
        break;
      default:
        raw(start, end);
        out.dynamic = true;
        // Dynamic as a whole: no piece of it is known.
        delete out.expansions;
    }
    return out;
  }

  /** Splits a word's text on whitespace, as an unquoted expansion would be. */
  private fieldSplit(word: WordText): Arg[] {
    const args: Arg[] = [];
    let current: WordText | undefined;
    for (let i = 0; i <= word.value.length; i++) {
      const c = word.value[i];
      if (c === undefined || c === ' ' || c === '\t' || c === '\n') {
        if (current) args.push(this.arg(current));
        current = undefined;
      } else {
        current ??= { value: '', offsets: [], dynamic: false };
        current.value += c;
        current.offsets.push(word.offsets[i] as number);
        // Only a piece holding what is dynamic is (`--flag` of "--flag $k" is as written).
        const at = word.offsets[i] as number;
        if (word.dynamic && (!word.expansions || word.expansions.some(([a, b]) => at >= a && at < b)))
          current.dynamic = true;
      }
    }
    return args;
  }

  /**
   * `around`, when the caller walked down to the node and knows them: its parent and the branching nodes it
   * sits in (asking a node for its parent costs a walk from the root).
   */
  private recordVariable(
    node: TSNode,
    variables: Variables,
    around?: { parent?: TSNode; parentType?: string; branches: number[] },
  ): void {
    const name = node.childForFieldName('name');
    const value = node.childForFieldName('value');
    if (!name || name.type !== 'variable_name') return;
    const parentType = around ? around.parentType : node.parent?.type;
    // `FLAGS=x cmd` sets FLAGS for cmd only, not for the rest of the script.
    if (parentType === 'command') return;
    const list = variables.get(name.text) ?? [];
    const branches = around ? around.branches : branchesOf(node);
    if (value?.type === 'array') {
      const words = value.namedChildren
        .filter((c): c is TSNode => !!c)
        .map((c) => this.arg(this.wordText(c)));
      list.push({ at: node.startIndex, words, array: true, branches });
    } else if (value) {
      const text = this.wordText(value);
      list.push({
        at: node.startIndex,
        words: this.fieldSplit(text),
        whole: this.arg(text),
        array: false,
        branches,
      });
    } else list.push({ at: node.startIndex, words: [], array: false, branches });
    const parent = around ? around.parent : node.parent;
    const declaration = parent?.type === 'declaration_command' ? parent : undefined;
    if (declaration && /^(export\b|(declare|typeset)\s+-[A-Za-z]*x)/.test(declaration.text)) {
      const entry = list[list.length - 1] as { exported?: boolean; nameSpan?: Span };
      entry.exported = true;
      entry.nameSpan = this.arg(this.wordText(name)).span;
      this.exportedNames.add(name.text);
    }
    variables.set(name.text, list);
  }

  /**
   * The values a variable may hold at `at`, as words: the last assignment that surely ran, and every
   * assignment after it that may have (inside an `if`, a `case`, after `&&`…). Undefined when the script
   * never assigns it before.
   */
  private variableAlternatives(
    name: string,
    at: number,
    quoted: boolean,
    variables: Variables,
    useBranches: Set<number>,
  ): Arg[][] | undefined {
    // Assignments are recorded in the order of the script: those before `at` are a prefix.
    const all = variables.get(name) ?? [];
    let count = 0;
    let hi = all.length;
    while (count < hi) {
      const mid = (count + hi) >> 1;
      if ((all[mid] as { at: number }).at < at) count = mid + 1;
      else hi = mid;
    }
    if (count === 0) return undefined;
    let from = count - 1;
    while (from > 0 && !(all[from] as { branches: number[] }).branches.every((id) => useBranches.has(id)))
      from--;
    // "$FLAGS" is one word; "${ARGS[@]}" is one word per element; unquoted $FLAGS is split on whitespace.
    return all.slice(from, count).map((e) => (quoted && !e.array ? (e.whole ? [e.whole] : []) : e.words));
  }

  /**
   * The words of a command, with `$FLAGS` and `"${ARGS[@]}"` expanded when this script assigns them.
   * `branches`: the branching nodes it sits in, when the caller knows them.
   */
  private commandWords(node: TSNode, variables: Variables, branches?: number[]): Arg[] {
    return this.commandVariants(node, variables, branches)[0] ?? [];
  }

  /** Every reading of a command's words, one per combination of the values its variables may hold. */
  private commandVariants(node: TSNode, variables: Variables, branches?: number[]): Arg[][] {
    const useBranches = new Set((branches ?? branchesOf(node)).concat(node.id));
    let variants: Arg[][] = [[]];
    const parts = [node.childForFieldName('name'), ...node.childrenForFieldName('argument')];
    for (const part of parts) {
      if (!part) continue;
      const target = part.type === 'command_name' ? part.firstNamedChild : part;
      if (!target) continue;
      const options = this.expandAlternatives(target, variables, useBranches) ?? [
        [this.arg(this.wordText(target))],
      ];
      if (options.length === 1) {
        // One value: every reading grows in place (copying each time made long commands quadratic).
        for (const variant of variants) for (const word of options[0] as Arg[]) variant.push(word);
        continue;
      }
      const next: Arg[][] = [];
      for (const variant of variants) {
        for (const option of options) if (next.length < MAX_VARIANTS) next.push([...variant, ...option]);
      }
      variants = next;
    }
    return variants;
  }

  private expandVariable(node: TSNode, variables: Variables): Arg[] | undefined {
    const options = this.expandAlternatives(node, variables, new Set(branchesOf(node)));
    return options?.[options.length - 1];
  }

  private expandAlternatives(
    node: TSNode,
    variables: Variables,
    useBranches: Set<number>,
  ): Arg[][] | undefined {
    if (this.input.expression) {
      // A word that is only a CI expression, quoted or not.
      const raw = this.original.slice(node.startIndex, node.endIndex).replace(/^"(.*)"$/s, '$1');
      const m = /^\$\{\{\s*([\s\S]*?)\s*\}\}$/.exec(raw);
      if (m) return this.input.expression(m[1] as string);
    }
    let inner = node;
    if (node.type === 'string' && node.namedChildCount === 1) inner = node.namedChildren[0] as TSNode;
    if (inner.type === 'simple_expansion' || inner.type === 'expansion') {
      const text = inner.text;
      const m = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)(\[[@*]\])?\}?$/.exec(text);
      if (
        !m ||
        (node.type === 'string' && inner.endIndex - inner.startIndex !== node.endIndex - node.startIndex - 2)
      ) {
        return undefined;
      }
      const name = m[1] as string;
      const outer = this.input.outer?.get(name);
      return (
        this.variableAlternatives(name, node.startIndex, node.type === 'string', variables, useBranches) ??
        (outer ? [outer] : undefined)
      );
    }
    if (inner.type === 'command_substitution' && this.input.outer) {
      // In a Makefile recipe `$(FLAGS)` is the make variable, not a command.
      const m = /^\$\(([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(inner.text);
      const outer = m ? this.input.outer.get(m[1] as string) : undefined;
      if (outer) return [outer];
    }
    return undefined;
  }

  /** Claude commands in a script held by a word (`bash -c "…"`), read with the word's own positions. */
  private nested(text: string, offsets: number[]): ClaudeCall[] {
    const { toFile, lines } = this.input;
    const depth = (this.input.depth ?? 0) + 1;
    if (depth > MAX_NESTED_SCRIPTS) return [];
    const at = (i: number): number => toFile(offsets[Math.min(i, offsets.length - 1)] ?? 0);
    return new ShellReader(this.parser, { text, toFile: at, lines, depth }).claudeCalls();
  }

  /** `bash -c 'claude …'`, `sudo sh -c "…"`: the string is a script of its own. */
  private shellCommandString(words: Arg[]): ClaudeCall[] {
    if (words[0]?.value === 'alias') {
      // `alias yolo='claude --dangerously-skip-permissions'`: the value runs whenever the alias does.
      return words.slice(1).flatMap((w) => {
        const eq = w.value.indexOf('=');
        const offsets = this.argOffsets.get(w);
        if (eq < 0 || !offsets || !w.value.includes('claude')) return [];
        return this.nested(w.value.slice(eq + 1), offsets.slice(eq + 1));
      });
    }
    const i = pastWrappers(words);
    // What the wrappers before the shell do to what it runs (`sudo bash -c "claude …"` runs it as root),
    // read as if Claude stood where the shell does.
    const outer = wrappersBefore(words, i);
    const within = (calls: ClaudeCall[]): ClaudeCall[] =>
      outer ? calls.map((c) => inside(outer, c)) : calls;
    // `ssh host 'claude …'`: one word after the host is a script for the remote shell.
    if (basename(words[0]?.value ?? '') === 'ssh' && i === words.length - 1) {
      const script = words[i] as Arg;
      const offsets = this.argOffsets.get(script);
      return offsets && script.value.includes('claude') ? within(this.nested(script.value, offsets)) : [];
    }
    const split = words.findIndex(
      (w, k) =>
        k > 0 &&
        basename(words[0]?.value ?? '') === 'env' &&
        (w.value === '-S' || w.value === '--split-string'),
    );
    if (split > 0) {
      // `env -S "claude --flag"` splits its string into a command line.
      const script = words[split + 1];
      const offsets = script && this.argOffsets.get(script);
      if (script && offsets && script.value.includes('claude')) return this.nested(script.value, offsets);
    }
    if (!SHELL_NAMES.has(basename(words[i]?.value ?? ''))) return within(this.handedOn(words));
    for (let j = i + 1; j < words.length - 1; j++) {
      const flag = words[j]?.value ?? '';
      if (!/^-[a-zA-Z]*c[a-zA-Z]*$/.test(flag)) continue;
      const script = words[j + 1] as Arg;
      const offsets = this.argOffsets.get(script);
      return offsets && script.value.includes('claude') ? within(this.nested(script.value, offsets)) : [];
    }
    return [];
  }

  /**
   * Command lines handed to another program as one string argument, which runs them somewhere: a project's own
   * remote-exec function (`cloud_exec "$app" "cd /srv && claude -p … --dangerously-skip-permissions"`),
   * `gcloud compute ssh --command "claude …"`, `trap "claude …" EXIT`. Programs that only print, search or
   * store text (`echo`, `printf`, `git commit -m`, `grep`…) and Claude's own prompts are not read this way.
   */
  private handedOn(words: Arg[]): ClaudeCall[] {
    const first = words[0];
    if (!first || first.dynamic || TEXT_COMMANDS.has(basename(first.value)) || claudeInWords(words))
      return [];
    const calls: ClaudeCall[] = [];
    for (const word of words.slice(1)) {
      if (!word.value.includes('claude') || !/\s/.test(word.value)) continue;
      const offsets = this.argOffsets.get(word);
      if (!offsets) continue;
      for (const call of this.nested(word.value, offsets))
        calls.push({
          ...call,
          wrappers: [{ value: basename(first.value), span: first.span }, ...call.wrappers],
        });
    }
    return calls;
  }

  /**
   * A here-doc is data, not commands, unless it is fed to a shell (`bash <<EOF`) or written to a script file
   * (`cat > run.sh <<EOF`, or a variable this script set to such a name).
   */
  private heredocScript(node: TSNode, variables: Variables): ClaudeCall[] {
    const body = node.namedChildren
      .find((c) => c?.type === 'heredoc_redirect')
      ?.namedChildren.find((c) => c?.type === 'heredoc_body');
    if (!body || !this.original.slice(body.startIndex, body.endIndex).includes('claude')) return [];
    const command = node.childForFieldName('body');
    const words = command?.type === 'command' ? this.commandWords(command, variables) : [];
    // Through wrappers (`sudo bash <<EOF`, `docker exec -i box sh <<EOF`), or to a remote shell
    // (`ssh host <<EOF`).
    const i = pastWrappers(words);
    const program = words[i];
    const remote = basename(words[0]?.value ?? '') === 'ssh' && i === words.length;
    const outer = wrappersBefore(words, i);
    const toShell =
      (program !== undefined && SHELL_NAMES.has(basename(program.value))) ||
      remote ||
      // A script written whole, such as a git hook: its first line says so.
      /^\s*#!/.test(this.original.slice(body.startIndex, body.endIndex));
    const toScript = node.namedChildren.some((c) => {
      if (c?.type !== 'file_redirect') return false;
      const target = c.childForFieldName('destination') ?? c.lastNamedChild;
      if (!target) return false;
      const words = this.expandVariable(target, variables) ?? [this.arg(this.wordText(target))];
      return words.some((w) => SCRIPT_FILE.test(w.value));
    });
    if (!toShell && !toScript) return [];
    const offsets = Array.from({ length: body.endIndex - body.startIndex }, (_, k) => body.startIndex + k);
    const calls = this.nested(this.original.slice(body.startIndex, body.endIndex), offsets);
    return outer && toShell ? calls.map((c) => inside(outer, c)) : calls;
  }

  /** The Claude command a command node starts, once per reading of its variables. */
  private claudeCall(node: TSNode, variables: Variables): ClaudeCall[] {
    return this.commandVariants(node, variables).flatMap(
      (words) => this.claudeCallIn(node, words, variables) ?? [],
    );
  }

  private claudeCallIn(node: TSNode, words: Arg[], variables: Variables): ClaudeCall | undefined {
    const env: CallEnv[] = [];
    for (const child of node.children) {
      if (child?.type !== 'variable_assignment') continue;
      const name = child.childForFieldName('name');
      const value = child.childForFieldName('value');
      if (name && value)
        env.push({ name: name.text, value: this.arg(this.wordText(value)), scope: 'command-line' });
    }
    let read = words;
    if (words.length > MAX_WORDS && words.some((w) => w.value.includes('claude'))) {
      noteCut(this.input.lines, cutMessage('words in one command', MAX_WORDS));
      read = words.slice(0, MAX_WORDS);
    }
    const call = claudeInWords(read, env);
    if (!call) return undefined;
    const dir = this.cdBefore(node);
    if (dir) call.workingDirectory = dir;
    if (!call.freshEnv) this.addExported(call, node.startIndex, variables);
    return call;
  }

  /** Variables an earlier `export` set, after those the command line sets; a name set closer wins. */
  private addExported(call: ClaudeCall, at: number, variables: Variables): void {
    const seen = new Set(call.env.map((e) => e.name));
    for (const name of this.exportedNames) {
      if (seen.has(name)) continue;
      const before = (variables.get(name) ?? []).filter((e) => e.at < at);
      const last = before[before.length - 1];
      if (!last?.whole || !before.some((e) => e.exported)) continue;
      const nameSpan = last.nameSpan;
      call.env.push(
        nameSpan
          ? { name, value: last.whole, scope: 'script', nameSpan }
          : { name, value: last.whole, scope: 'script' },
      );
    }
  }

  /**
   * The folder a `cd` moves to before a command runs: earlier in its `&&` chain (`cd /srv && claude`), or an
   * earlier statement of the blocks around it (`cd /srv` on a line before). Undefined when no `cd` comes
   * before it, or when one may have run that cannot be read here (inside an `if`, a function, a `||`…).
   */
  private cdBefore(node: TSNode): Located<string> | undefined {
    let current = node;
    let levels = 0;
    for (let parent = current.parent; parent; current = parent, parent = parent.parent) {
      if (parent.type === 'function_definition' || ++levels > MAX_TREE_DEPTH) return undefined;
      if (parent.type === 'list') {
        const [left, op] = parent.children;
        if (parent.lastChild?.id === current.id && left && op) {
          if (op.type === '&&') {
            const found = this.cdIn(left);
            if (found !== undefined) return found ?? undefined;
          } else if (this.cdIn(left) !== undefined) return undefined;
        }
        continue;
      }
      if (parent.type === 'pipeline' || parent.type === 'redirected_statement') continue;
      const found = this.cdAmongEarlier(current);
      if (found !== undefined) return found ?? undefined;
    }
    return undefined;
  }

  /**
   * The nearest `cd` among the statements before `node` in its block. What holds after each statement is
   * kept, so the statements of a script are looked at once however many Claude commands follow them.
   */
  private cdAmongEarlier(node: TSNode): Located<string> | null | undefined {
    const walked: number[] = [];
    let result: Located<string> | null | undefined;
    for (let s = node.previousSibling; s; s = s.previousSibling) {
      if (this.cdAfter.has(s.id)) {
        result = this.cdAfter.get(s.id);
        break;
      }
      if (walked.length >= MAX_CD_LOOKBACK) break;
      walked.push(s.id);
      result = this.cdIn(s);
      if (result !== undefined) break;
    }
    for (const id of walked) this.cdAfter.set(id, result);
    return result;
  }

  /** What a `cd` in a statement does: the folder, `null` when it cannot be told, undefined when none is there. */
  private cdIn(node: TSNode, depth = 0): Located<string> | null | undefined {
    if (node.type === 'comment') return undefined;
    if (depth > MAX_CD_NESTING) return null;
    // Every Claude command after a statement looks at it: each is read once.
    if (this.cdSeen.has(node.id)) return this.cdSeen.get(node.id);
    const found = this.cdInUncached(node, depth);
    this.cdSeen.set(node.id, found);
    return found;
  }

  private cdInUncached(node: TSNode, depth: number): Located<string> | null | undefined {
    if (!/\b(cd|pushd|popd)\b/.test(this.original.slice(node.startIndex, node.endIndex))) return undefined;
    if (node.type === 'command') {
      const words = [node.childForFieldName('name'), ...node.childrenForFieldName('argument')];
      const name = words[0]?.firstNamedChild ?? words[0];
      if (!name || name.text !== 'cd') return null;
      const target = words.slice(1).find((w) => w && !/^-[LPe@]+$/.test(w.text));
      if (!target) return { value: '~', span: this.arg(this.wordText(name)).span };
      const arg = this.arg(this.wordText(target));
      return arg.value === '-' ? null : { value: arg.value, span: arg.span };
    }
    if (node.type === 'list') {
      const [left, op, right] = node.children;
      if (!left || !op || !right) return null;
      // `cd /srv || exit 1`: past it, the folder is /srv.
      if (op.type === '||')
        return this.cdIn(right, depth + 1) === undefined ? this.cdIn(left, depth + 1) : null;
      if (op.type !== '&&') return null;
      const last = this.cdIn(right, depth + 1);
      return last !== undefined ? last : this.cdIn(left, depth + 1);
    }
    return null;
  }
}

/** A node above the one `commands()` looks at. */
interface Level {
  type: string;
  id: number;
  /** Kept for the kinds of node whose own parts are read (`KEPT_LEVELS`). */
  node?: TSNode;
  /** For a pipeline: its stages seen so far. */
  stages?: TSNode[];
}

const KEPT_LEVELS: ReadonlySet<string> = new Set(['redirected_statement', 'declaration_command']);

/** The branching nodes among `above` (see `BRANCHING`), nearest first, as `branchesOf` gives them. */
function branchIds(above: readonly Level[]): number[] {
  const ids: number[] = [];
  for (let k = above.length - 1; k >= 0; k--) {
    const level = above[k] as Level;
    if (BRANCHING.has(level.type)) ids.push(level.id);
  }
  return ids;
}

const COMMAND: ReadonlySet<string> = new Set(['command']);
const SUBSTITUTIONS: ReadonlySet<string> = new Set(['command_substitution', 'process_substitution']);

/**
 * Nodes of the given types under `node`, at most `depth` levels down and `MAX_FEEDERS` of them, in order; a
 * node found is not looked into.
 */
function nodesNear(node: TSNode, types: ReadonlySet<string>, depth: number): TSNode[] {
  const found: TSNode[] = [];
  const visit = (at: TSNode, level: number): void => {
    for (const c of at.namedChildren) {
      if (!c || found.length >= MAX_FEEDERS) return;
      if (types.has(c.type)) found.push(c);
      else if (level < depth) visit(c, level + 1);
    }
  };
  visit(node, 1);
  return found;
}

/** Span of the whole input, for messages about a script that could not be read. */
export function inputSpan(input: ShellInput): Span {
  return input.lines.span(input.toFile(0), input.toFile(Math.max(0, input.text.length - 1)) + 1);
}
