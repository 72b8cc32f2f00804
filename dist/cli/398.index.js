export const id = 398;
export const ids = [398];
export const modules = {

/***/ 5398:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runCli: () => (/* binding */ runCli)
});

// UNUSED EXPORTS: EXIT

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
;// CONCATENATED MODULE: ./lib/policy/glob.js
/**
 * Path globs from a policy file, an action input or the command line. The policy file belongs to whoever
 * opens the pull request, so a glob is untrusted input: it is length-checked, and matched by a matcher
 * whose time is at most the product of the glob's and the path's lengths. A regular expression built from
 * a glob backtracks: `*a*a*a*…b` against a long name takes exponential time.
 *
 * Syntax, matched against `/`-separated paths relative to the scanned folder; dot files are not special:
 * - `*` any characters but `/`; `?` one character but `/`; `[abc]`, `[a-z]`, `[!a-z]` (or `[^…]`) one of
 *   (or none of) a set; `\` takes the next character literally;
 * - `**` as a whole segment: any number of folders, none included (`docs/**`, `**\/fixtures/**`);
 * - `{a,b}` alternatives, nested at will, at most 64 patterns in all;
 * - a trailing `/` means everything under that folder (`vendor/` is `vendor/**`).
 * Negation (`!x`) and extended globs (`+(…)`, `@(…)`…) are refused, so that no glob means something other
 * than what it seems to.
 */
const MAX_GLOB_LENGTH = 1024;
const MAX_EXPANSIONS = 64;
/** `{a,b}` alternatives expanded, innermost first; undefined past the limit. */
function expandBraces(glob) {
    let open = -1;
    for (let i = 0; i < glob.length; i++) {
        const c = glob[i];
        if (c === '\\')
            i++;
        else if (c === '{')
            open = i;
        else if (c === '}' && open >= 0) {
            const options = [];
            let start = open + 1;
            for (let j = open + 1; j < i; j++) {
                if (glob[j] === '\\')
                    j++;
                else if (glob[j] === ',') {
                    options.push(glob.slice(start, j));
                    start = j + 1;
                }
            }
            options.push(glob.slice(start, i));
            if (options.length < 2)
                continue; // `{x}` is literal, as in the shell
            const out = [];
            for (const option of options) {
                const more = expandBraces(glob.slice(0, open) + option + glob.slice(i + 1));
                if (!more)
                    return undefined;
                out.push(...more);
                if (out.length > MAX_EXPANSIONS)
                    return undefined;
            }
            return out;
        }
    }
    return [glob];
}
/** A `[…]` class at `glob[at]`: its test and the index after it; undefined when it is not closed. */
function readClass(glob, at) {
    let i = at + 1;
    const negated = glob[i] === '!' || glob[i] === '^';
    if (negated)
        i++;
    const singles = new Set();
    const ranges = [];
    let first = true;
    for (; i < glob.length; i++) {
        let c = glob[i];
        if (c === ']' && !first) {
            const test = (x) => x !== '/' && (singles.has(x) || ranges.some(([a, b]) => a <= x && x <= b)) !== negated;
            return { test, end: i + 1 };
        }
        first = false;
        if (c === '\\' && i + 1 < glob.length)
            c = glob[++i];
        if (glob[i + 1] === '-' && i + 2 < glob.length && glob[i + 2] !== ']') {
            let hi = glob[i + 2];
            i += 2;
            if (hi === '\\' && i + 1 < glob.length)
                hi = glob[++i];
            ranges.push([c, hi]);
        }
        else
            singles.add(c);
    }
    return undefined;
}
function compileSegment(text) {
    if (text === '**')
        return { kind: 'globstar' };
    if (!/[*?[\\]/.test(text))
        return { kind: 'literal', text };
    const chars = [];
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '*') {
            if (chars.at(-1)?.kind !== 'star')
                chars.push({ kind: 'star' });
        }
        else if (c === '?')
            chars.push({ kind: 'char', test: (x) => x !== '/' });
        else if (c === '[') {
            const cls = readClass(text, i);
            if (!cls)
                return 'a "[" is never closed with "]"';
            chars.push({ kind: 'char', test: cls.test });
            i = cls.end - 1;
        }
        else {
            const literal = c === '\\' ? text[++i] : c;
            if (literal === undefined)
                return 'the glob ends with a lone "\\"';
            chars.push({ kind: 'char', test: (x) => x === literal });
        }
    }
    return { kind: 'wild', chars };
}
/**
 * Wildcard matching with one kind of star, greedy with a return to the last star: each step either
 * advances the text or moves the restart point, so the time is at most the product of the two lengths.
 */
function greedy(pattern, text, isStar, one) {
    let p = 0;
    let t = 0;
    let star = -1;
    let resume = 0;
    while (t < text.length) {
        const token = pattern[p];
        if (token !== undefined && !isStar(token) && one(token, text[t])) {
            p++;
            t++;
        }
        else if (token !== undefined && isStar(token)) {
            star = p++;
            resume = t;
        }
        else if (star >= 0) {
            p = star + 1;
            t = ++resume;
        }
        else
            return false;
    }
    while (p < pattern.length && isStar(pattern[p]))
        p++;
    return p === pattern.length;
}
function matchSegment(segment, name) {
    if (segment.kind === 'literal')
        return segment.text === name;
    if (segment.kind === 'globstar')
        return true;
    return greedy(segment.chars, name, (c) => c.kind === 'star', (c, x) => c.kind === 'char' && c.test(x));
}
function compileOne(glob) {
    let text = glob.replace(/^(\.\/)+/, '');
    if (text.endsWith('/'))
        text += '**';
    const segments = [];
    for (const part of text.split('/')) {
        if (part === '' || part === '.')
            continue;
        if (part === '..')
            return '".." cannot name anything inside the scanned folder';
        const segment = compileSegment(part);
        if (typeof segment === 'string')
            return segment;
        if (!(segment.kind === 'globstar' && segments.at(-1)?.kind === 'globstar'))
            segments.push(segment);
    }
    if (segments.length === 0)
        return 'the glob names no path';
    return segments;
}
/** Compiles one glob, or says in a sentence why it is refused. */
function compileGlob(glob) {
    if (glob.length === 0)
        return { error: 'a glob cannot be empty' };
    if (glob.length > MAX_GLOB_LENGTH)
        return {
            error: `a glob may be at most ${MAX_GLOB_LENGTH} characters long (this one has ${glob.length})`,
        };
    if (glob.startsWith('!'))
        return { error: 'negated globs ("!…") are not supported: list what to match' };
    if (/[?*+@!]\(/.test(glob))
        return { error: 'extended globs such as "+(a|b)" are not supported' };
    if (glob.startsWith('/'))
        return { error: 'a glob is relative to the scanned folder: drop the leading "/"' };
    const expanded = expandBraces(glob);
    if (!expanded)
        return { error: `a glob may expand to at most ${MAX_EXPANSIONS} patterns through {…}` };
    const compiled = [];
    for (const one of expanded) {
        const segments = compileOne(one);
        if (typeof segments === 'string')
            return { error: segments };
        compiled.push(segments);
    }
    return {
        match: (path) => {
            const parts = path.split('/');
            return compiled.some((segments) => greedy(segments, parts, (s) => s.kind === 'globstar', matchSegment));
        },
    };
}
/** The first refused glob of a list, said as `"glob": why`; undefined when every one compiles. */
function firstGlobError(globs) {
    for (const glob of globs) {
        const compiled = compileGlob(glob);
        if ('error' in compiled)
            return `"${glob}": ${compiled.error}`;
    }
    return undefined;
}
/** One matcher for several globs, each already valid (a policy or input that was checked). */
function globsMatcher(globs) {
    const matchers = [];
    for (const glob of globs) {
        const compiled = compileGlob(glob);
        if ('error' in compiled)
            throw new Error(`invalid glob "${glob}": ${compiled.error}`);
        matchers.push(compiled.match);
    }
    if (matchers.length === 0)
        return () => false;
    return (path) => matchers.some((m) => m(path));
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./lib/fs/read.js
var fs_read = __webpack_require__(9495);
;// CONCATENATED MODULE: ./lib/model/keyed.js
/**
 * A table keyed by text from a scanned file (env names, action inputs, headers). It has no prototype, so a
 * key such as `__proto__`, `constructor` or `toString` is only a key: it can neither find an inherited
 * function nor replace the object's prototype. Fixed tables of our own are `Map`s, for the same reason.
 * ESLint refuses a `Record<string, …>` written as an object literal (eslint.config.js).
 */
function keyedByText() {
    return Object.create(null);
}

;// CONCATENATED MODULE: ./lib/policy/policy.js

/**
 * The built-in policy, from the Claude Code security guide: bypass mode only inside containers, no unscoped
 * shell, no literal secrets; block on high and above.
 */
function defaultPolicy() {
    return {
        sources: ['(built-in)'],
        failOn: 'high',
        block: 'new',
        ignore: [],
        rules: keyedByText(),
        dangerousModeAllowIn: ['container', 'devcontainer'],
    };
}
function applyPolicyFile(base, file, source) {
    const rules = Object.assign(keyedByText(), base.rules);
    for (const [id, setting] of Object.entries(file.rules ?? {})) {
        if (setting === 'off')
            rules[id] = { off: true };
        else {
            const rule = { off: setting.enabled === false };
            if (setting.severity)
                rule.severity = setting.severity;
            rules[id] = rule;
        }
    }
    return {
        sources: [source],
        failOn: file['fail-on'] ?? base.failOn,
        block: file.block ?? base.block,
        ignore: [...base.ignore, ...(file.ignore ?? [])],
        rules,
        dangerousModeAllowIn: file['dangerous-mode']?.['allow-in'] ?? base.dangerousModeAllowIn,
    };
}

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 17 modules
var schemas = __webpack_require__(8816);
;// CONCATENATED MODULE: ./lib/rules/CG101-dangerous-mode.js
const ISOLATION_WORDS = {
    container: 'a container',
    devcontainer: 'a dev container',
};
function finding(span, message, evidence, isolation, ctx) {
    if (isolation && ctx.dangerousModeAllowIn.includes(isolation.value)) {
        return {
            span,
            message: `${message}, inside ${ISOLATION_WORDS[isolation.value]} (allowed by dangerous-mode.allow-in)`,
            severity: 'low',
            evidence,
            related: [{ span: isolation.span, message: `runs in ${ISOLATION_WORDS[isolation.value]}` }],
        };
    }
    return { span, message, evidence };
}
const dangerousMode = {
    meta: {
        id: 'CG101',
        name: 'dangerous-mode',
        severity: 'critical',
        summary: 'Claude Code runs with every permission check skipped (bypass mode).',
        rationale: 'In bypass mode (`--dangerously-skip-permissions`, `--permission-mode bypassPermissions`, ' +
            '`defaultMode: "bypassPermissions"`) Claude runs every tool call without asking: any shell command, any ' +
            'file write, protected paths such as `.git` and `.claude` included. Anthropic documents that it offers no ' +
            'protection against prompt injection, so whatever text reaches the model decides what runs. ' +
            '`--allow-dangerously-skip-permissions` lets a session be switched into that mode at any moment. Inside a ' +
            'container the policy allows (`dangerous-mode.allow-in`, by default `container` and `devcontainer`) the ' +
            'finding is reported as low.',
        fix: 'Remove the flag or setting. Grant the few tools the job needs with `--allowedTools` (or ' +
            '`permissions.allow`), and use `--permission-mode dontAsk` in CI so anything not granted is refused.',
        bad: [
            {
                path: '.github/workflows/fix.yml',
                note: 'A workflow step that starts Claude in bypass mode.',
                lines: [9],
                content: [
                    'on: workflow_dispatch',
                    'permissions: { contents: read }',
                    'jobs:',
                    '  fix:',
                    '    runs-on: ubuntu-latest',
                    '    timeout-minutes: 10',
                    '    steps:',
                    '      - run: |',
                    '          claude -p "fix the failing tests" --dangerously-skip-permissions',
                    '',
                ].join('\n'),
            },
            {
                path: '.claude/settings.json',
                note: 'Project settings that start every session in bypass mode.',
                lines: [3],
                content: ['{', '  "permissions": {', '    "defaultMode": "bypassPermissions"', '  }', '}', ''].join('\n'),
            },
            {
                path: 'scripts/agent.sh',
                note: 'The mode given through `--permission-mode`, behind `sudo` and an env prefix.',
                lines: [2],
                content: ['#!/bin/sh', 'CI=1 sudo -E claude --permission-mode bypassPermissions -p "$1"', ''].join('\n'),
            },
            {
                path: '.claude/agents/fixer.md',
                note: 'A subagent that runs in bypass mode whenever it is used.',
                lines: [4],
                content: [
                    '---',
                    'name: fixer',
                    'description: Fixes failing tests',
                    'permissionMode: bypassPermissions',
                    '---',
                    'Fix the failing tests.',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.github/workflows/fix.yml',
                note: 'The same job with a narrow grant and `dontAsk`, so anything else is refused.',
                content: [
                    'on: workflow_dispatch',
                    'permissions: { contents: read }',
                    'jobs:',
                    '  fix:',
                    '    runs-on: ubuntu-latest',
                    '    timeout-minutes: 10',
                    '    steps:',
                    '      - run: |',
                    '          claude -p "fix the failing tests" --permission-mode dontAsk \\',
                    '            --allowedTools "Bash(npm test:*)" Read Edit',
                    '',
                ].join('\n'),
            },
            {
                path: '.claude/settings.json',
                note: 'Edits accepted without a prompt; everything else still asks.',
                content: ['{', '  "permissions": {', '    "defaultMode": "acceptEdits"', '  }', '}', ''].join('\n'),
            },
            {
                path: 'scripts/agent.sh',
                note: 'The flag only mentioned in a message, not passed to Claude.',
                content: ['#!/bin/sh', 'echo "never run claude --dangerously-skip-permissions here"', ''].join('\n'),
            },
        ],
    },
    check(model, ctx) {
        const findings = [];
        for (const run of model.runs) {
            const cmd = run.command;
            if (!cmd)
                continue;
            const isolation = run.context.isolation;
            const via = run.kind === 'action' ? ' (claude_args)' : '';
            if (cmd.dangerouslySkipPermissions) {
                const f = finding(cmd.dangerouslySkipPermissions, `Claude runs with every permission check skipped: --dangerously-skip-permissions${via}`, '--dangerously-skip-permissions', isolation, ctx);
                // Refuse what is not granted instead of allowing everything, unless a mode is already given.
                if (!cmd.permissionMode)
                    f.edit = { expect: '--dangerously-skip-permissions', replacement: '--permission-mode dontAsk' };
                findings.push(f);
            }
            if (cmd.allowDangerouslySkipPermissions) {
                findings.push(finding(cmd.allowDangerouslySkipPermissions, `Claude can be switched into bypass mode at any moment: --allow-dangerously-skip-permissions${via}`, '--allow-dangerously-skip-permissions', isolation, ctx));
            }
            if (cmd.permissionMode?.value === 'bypassPermissions') {
                const f = finding(cmd.permissionMode.span, `Claude runs with every permission check skipped: --permission-mode bypassPermissions${via}`, '--permission-mode bypassPermissions', isolation, ctx);
                f.edit = { expect: 'bypassPermissions', replacement: 'dontAsk' };
                findings.push(f);
            }
        }
        for (const doc of model.settings) {
            if (doc.defaultMode?.value !== 'bypassPermissions')
                continue;
            const where = doc.scope === 'inline' ? 'the settings input' : doc.path;
            findings.push(finding(doc.defaultMode.span, `permissions.defaultMode "bypassPermissions" in ${where} starts Claude with every permission check skipped`, 'defaultMode bypassPermissions', doc.isolation, ctx));
        }
        for (const definition of model.definitions) {
            if (definition.permissionMode?.value !== 'bypassPermissions')
                continue;
            findings.push(finding(definition.permissionMode.span, `permissionMode "bypassPermissions" in agent ${definition.path} runs it with every permission check skipped`, 'agent permissionMode bypassPermissions', definition.isolation, ctx));
        }
        return findings;
    },
};

;// CONCATENATED MODULE: ./lib/model/grants.js
function settingsOrigin(doc) {
    return doc.scope === 'inline' ? 'the settings input' : `permissions.allow in ${doc.path}`;
}
function runOrigin(run) {
    if (run.kind === 'action')
        return `${run.action?.action ?? 'action'} inputs`;
    return '--allowedTools';
}
/** Every rule that pre-approves a tool, wherever it was written. */
function grantsOf(model) {
    const grants = [];
    for (const settings of model.settings) {
        for (const rule of settings.allow)
            grants.push({ rule, source: 'settings', origin: settingsOrigin(settings), settings });
    }
    for (const definition of model.definitions) {
        for (const rule of definition.allowedTools) {
            grants.push({
                rule,
                source: 'front-matter',
                origin: `allowed-tools of ${definition.path}`,
                definition,
            });
        }
    }
    for (const run of model.runs) {
        for (const rule of run.command?.allowedTools ?? []) {
            grants.push({
                rule,
                source: run.kind === 'action' ? 'action-input' : 'cli-flag',
                origin: runOrigin(run),
                run,
            });
        }
    }
    return grants;
}

;// CONCATENATED MODULE: ./lib/model/tool-rule.js
/** Old tool names Claude Code still accepts in rules, mapped to today's names. */
const LEGACY_NAMES = new Map(Object.entries({
    View: 'Read',
    GlobTool: 'Glob',
    GrepTool: 'Grep',
    Replace: 'Write',
    dispatch_agent: 'Agent',
    Task: 'Agent',
    LSTool: 'LS',
    BashTool: 'Bash',
    FileReadTool: 'Read',
    FileEditTool: 'Edit',
    FileWriteTool: 'Write',
}));
const RISK = new Map(Object.entries({
    Bash: 'execute',
    PowerShell: 'execute',
    Edit: 'write',
    Write: 'write',
    MultiEdit: 'write',
    NotebookEdit: 'write',
    TodoWrite: 'read',
    Read: 'read',
    NotebookRead: 'read',
    Glob: 'read',
    Grep: 'read',
    LS: 'read',
    WebFetch: 'read',
    WebSearch: 'read',
    Agent: 'read',
    Skill: 'read',
    SlashCommand: 'read',
    AskUserQuestion: 'read',
    ExitPlanMode: 'read',
}));
/** Tools whose every use runs arbitrary commands. */
const SHELL_TOOLS = ['Bash', 'PowerShell'];
/** Specifiers that match every use of the tool. */
const ANY_SPECIFIER = /^\s*(\*|\*\*|:\*|\*:\*)?\s*$/;
/**
 * Parses one permission rule: `Tool`, `Tool(specifier)`, `mcp__server__tool`. The legacy prefix form
 * `Bash(npm run test:*)` and the current glob form `Bash(npm run *)` are told apart.
 */
function parseToolRule(raw) {
    const text = raw.trim();
    const open = text.indexOf('(');
    let tool = text;
    let specifier;
    let problem;
    if (open >= 0) {
        tool = text.slice(0, open).trim();
        if (text.endsWith(')'))
            specifier = text.slice(open + 1, -1);
        else {
            specifier = text.slice(open + 1);
            problem = 'the rule opens a parenthesis it never closes';
        }
    }
    if (!problem && !/^[A-Za-z_*][\w*.-]*$/.test(tool))
        problem = `"${tool}" is not a tool name`;
    const canonical = LEGACY_NAMES.get(tool) ?? tool;
    let form;
    if (specifier === undefined)
        form = 'bare';
    else if (ANY_SPECIFIER.test(specifier))
        form = 'any';
    else if (/:\*\s*$/.test(specifier) && !specifier.slice(0, -2).includes('*'))
        form = 'prefix';
    else if (specifier.includes('*'))
        form = 'glob';
    else
        form = 'exact';
    const risk = canonical.startsWith('mcp__') ? 'execute' : (RISK.get(canonical) ?? 'execute');
    const rule = { raw, tool, canonical, form, risk };
    if (specifier !== undefined)
        rule.specifier = specifier;
    if (problem)
        rule.problem = problem;
    return rule;
}
/** True when the rule grants every use of a shell tool (`Bash`, `Bash(*)`, `Bash(:*)`, `PowerShell`). */
function isUnscopedShell(rule) {
    return SHELL_TOOLS.includes(rule.canonical) && (rule.form === 'bare' || rule.form === 'any');
}
/**
 * Splits a list of rules written as one string, the way `--allowedTools` and `allowed_tools` take them:
 * separated by commas or whitespace, except inside parentheses. Returns each rule with its offsets.
 */
function splitToolList(text) {
    const out = [];
    let depth = 0;
    let start = -1;
    for (let i = 0; i <= text.length; i++) {
        const c = i < text.length ? text[i] : ',';
        if (c === '(')
            depth++;
        else if (c === ')')
            depth = Math.max(0, depth - 1);
        // The end of the text ends the last rule even inside an unclosed parenthesis, so that the rule is kept
        // and reported as malformed rather than dropped.
        const separator = i === text.length ||
            (depth === 0 && (c === ',' || c === ' ' || c === '\t' || c === '\n' || c === '\r'));
        if (separator) {
            if (start >= 0)
                out.push({ value: text.slice(start, i), start, end: i });
            start = -1;
        }
        else if (start < 0)
            start = i;
    }
    return out;
}
/**
 * The scope of a rule that grants many tools or targets at once: `*`, `mcp__*`, `mcp__srv` (a server's
 * every tool), `mcp__srv__*`, `WebFetch(domain:*)`. Undefined for anything narrower.
 */
function wildcardScope(rule) {
    if (rule.problem)
        return undefined;
    const { canonical } = rule;
    if (canonical === '*' && rule.form === 'bare')
        return { kind: 'every-tool' };
    if (canonical === 'mcp__*' || canonical === 'mcp__*__*')
        return { kind: 'every-mcp-tool' };
    const m = /^mcp__(.+?)(?:__(.*))?$/.exec(canonical);
    if (m && !m[1]?.includes('*') && (m[2] === undefined || m[2] === '*'))
        return { kind: 'mcp-server', server: m[1] };
    if (canonical === 'WebFetch' && rule.specifier?.replace(/\s+/g, '') === 'domain:*')
        return { kind: 'any-domain' };
    return undefined;
}
/** Tools that change files. */
const WRITE_TOOLS = ['Edit', 'Write', 'MultiEdit', 'NotebookEdit'];
/** A path specifier that covers the whole tree: two stars, alone or after `/` or `./`, maybe then `/` and a star. */
const WHOLE_TREE = /^\s*(?:\.\/|\/)?\*\*(?:\/\*)?\s*$/;
/** True when the rule lets Claude change any file: `Edit`, `Write`, `Edit(*)`, `Edit(**)`, `Write(./**)`. */
function isUnscopedWrite(rule) {
    if (rule.problem || !WRITE_TOOLS.includes(rule.canonical))
        return false;
    return (rule.form === 'bare' ||
        rule.form === 'any' ||
        (rule.specifier !== undefined && WHOLE_TREE.test(rule.specifier)));
}

;// CONCATENATED MODULE: ./lib/rules/CG102-unscoped-shell.js


const unscopedShell = {
    meta: {
        id: 'CG102',
        name: 'unscoped-shell',
        severity: 'high',
        summary: 'A shell tool is granted without a scope: `Bash`, `Bash(*)`, `Bash(:*)`, `PowerShell`.',
        rationale: 'A bare `Bash` rule (or `Bash(*)`, `Bash(:*)`) pre-approves every shell command, so Claude may run ' +
            'anything the user could, without asking: install packages, read credentials, push code, call the ' +
            'network. Anything that can steer the model (a file it reads, an issue it is asked to fix) can then ' +
            'run commands. Grants come from `permissions.allow`, `--allowedTools`, `allowed-tools` in commands and ' +
            'skills, and the `allowed_tools` input of pre-v1 claude-code-action.',
        fix: 'Grant the commands the job needs, one rule each, e.g. `Bash(npm test:*)`, `Bash(git diff:*)`; ask for ' +
            'the rest.',
        bad: [
            {
                path: '.claude/settings.json',
                note: 'Every shell command pre-approved for everyone who opens the repository.',
                lines: [3],
                content: ['{', '  "permissions": {', '    "allow": ["Read", "Bash"]', '  }', '}', ''].join('\n'),
            },
            {
                path: '.github/workflows/review.yml',
                note: 'An unscoped grant hidden in a list passed to claude-code-action.',
                lines: [10],
                content: [
                    'on: pull_request',
                    'permissions: { contents: read }',
                    'jobs:',
                    '  review:',
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          claude_args: |',
                    '            --allowedTools "Read,Grep,Bash(*)"',
                    '',
                ].join('\n'),
            },
            {
                path: '.claude/commands/release.md',
                note: 'A slash command whose `allowed-tools` pre-approves every shell command while it runs.',
                lines: [2],
                content: [
                    '---',
                    'allowed-tools: Read, Bash',
                    'description: Cut a release',
                    '---',
                    'Tag and publish.',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.claude/settings.json',
                note: 'Only the test and lint commands are pre-approved.',
                content: [
                    '{',
                    '  "permissions": {',
                    '    "allow": ["Read", "Bash(npm test:*)", "Bash(npm run lint)"],',
                    '    "deny": ["Bash"]',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
            {
                path: '.github/workflows/review.yml',
                note: 'Scoped grants only.',
                content: [
                    'on: pull_request',
                    'permissions: { contents: read }',
                    'jobs:',
                    '  review:',
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          claude_args: |',
                    '            --allowedTools "Read,Grep,Bash(gh pr diff:*)"',
                    '',
                ].join('\n'),
            },
            {
                path: '.claude/agents/reviewer.md',
                note: "An agent's `tools` list limits what it may use; it pre-approves nothing.",
                content: ['---', 'name: reviewer', 'tools: Read, Grep, Bash', '---', 'Review the diff.', ''].join('\n'),
            },
        ],
    },
    check(model) {
        return grantsOf(model)
            .filter((grant) => isUnscopedShell(grant.rule.value))
            .map((grant) => ({
            span: grant.rule.span,
            message: `"${grant.rule.value.raw.trim()}" in ${grant.origin} lets Claude run any ${grant.rule.value.canonical} command without asking`,
            evidence: `${grant.source}:${grant.rule.value.canonical}`,
        }));
    },
};

;// CONCATENATED MODULE: ./lib/model/escape-hatches.js
const hatch = (command, risk, why) => ({
    words: command.split(' '),
    risk,
    why,
});
const PACKAGE = 'fetches and runs any package from the registry';
const CODE = 'runs any code given on its command line, or any script';
const SHELL = 'is a shell: it runs any command';
const WRAPPER = 'runs any command given as its argument';
/**
 * The curated table. Each entry is a command whose arguments can make it run anything; a grant that lets
 * Claude choose those arguments is an unscoped shell in disguise. Commands whose arguments only select a
 * task the repository defines (`npm run`, `npm test`) are not here.
 */
const ESCAPE_HATCHES = [
    ...[
        'npx',
        'bunx',
        'pnpx',
        'uvx',
        'bun x',
        'npm exec',
        'npm x',
        'pnpm dlx',
        'pnpm exec',
        'yarn dlx',
        'pipx run',
    ].map((c) => hatch(c, 'execute', PACKAGE)),
    ...['node', 'deno', 'bun', 'python', 'python3', 'ruby', 'perl', 'php', 'lua', 'Rscript', 'osascript'].map((c) => hatch(c, 'execute', CODE)),
    ...['uv run', 'poetry run', 'go run', 'cargo run', 'dotnet run'].map((c) => hatch(c, 'execute', CODE)),
    // A grant that fixes the inline-code flag still leaves the code free.
    ...[
        'node -e',
        'node --eval',
        'node -p',
        'python -c',
        'python3 -c',
        'perl -e',
        'ruby -e',
        'php -r',
        'deno eval',
        'bun -e',
    ].map((c) => hatch(c, 'execute', 'runs the code given after the flag')),
    ...['bash -c', 'sh -c', 'zsh -c', 'pwsh -c', 'pwsh -Command'].map((c) => hatch(c, 'execute', 'runs the command line given after the flag')),
    ...['bash', 'sh', 'zsh', 'dash', 'ksh', 'fish', 'pwsh', 'powershell', 'cmd'].map((c) => hatch(c, 'execute', SHELL)),
    ...['eval', 'exec', 'source', 'command', 'builtin'].map((c) => hatch(c, 'execute', SHELL)),
    ...['env', 'xargs', 'nohup', 'timeout', 'nice', 'time', 'watch', 'stdbuf', 'setsid', 'parallel'].map((c) => hatch(c, 'execute', WRAPPER)),
    hatch('find', 'execute', 'runs any command through -exec and -ok'),
    hatch('awk', 'execute', 'runs any command through system()'),
    hatch('make', 'execute', 'runs any recipe, and any makefile given with -f'),
    hatch('git -c', 'execute', 'sets configuration that runs programs (core.sshCommand, core.pager, an alias starting with !)'),
    hatch('ssh', 'execute', 'runs any command on another host'),
    ...['docker run', 'docker exec', 'podman run', 'podman exec', 'kubectl exec', 'kubectl run'].map((c) => hatch(c, 'admin', 'runs any command in a container, and a privileged or mounted container reaches the host')),
    ...['sudo', 'su', 'doas', 'pkexec'].map((c) => hatch(c, 'admin', 'runs any command as another user, root included')),
];
/** The words a scoped shell rule fixes, before the part Claude may choose; undefined when none is free. */
function fixedWords(rule) {
    const spec = rule.specifier?.trim() ?? '';
    if (rule.form === 'prefix')
        return spec.slice(0, -2).trim().split(/\s+/).filter(Boolean);
    if (rule.form === 'glob') {
        const words = spec.split(/\s+/);
        const free = words.findIndex((w) => w.includes('*'));
        return words.slice(0, free === -1 ? words.length : free);
    }
    return undefined;
}
/**
 * The escape hatch a scoped shell grant opens: one whose words start with all the words the grant fixes
 * (`Bash(docker:*)` allows `docker run …`), so Claude may choose the arguments that run anything.
 */
function escapeHatchOf(rule) {
    if (rule.canonical !== 'Bash' || rule.problem)
        return undefined;
    const words = fixedWords(rule);
    if (!words || words.length === 0)
        return undefined;
    const program = words[0].slice(words[0].lastIndexOf('/') + 1);
    const fixed = [program, ...words.slice(1)];
    const found = ESCAPE_HATCHES.find((h) => fixed.length <= h.words.length && fixed.every((w, i) => w === h.words[i]));
    return found ? { hatch: found, fixed: fixed.join(' ') } : undefined;
}

;// CONCATENATED MODULE: ./lib/rules/CG103-shell-escape-hatch.js


const shellEscapeHatch = {
    meta: {
        id: 'CG103',
        name: 'shell-escape-hatch',
        severity: 'high',
        summary: 'A scoped shell grant that still runs anything: `Bash(npx:*)`, `Bash(python3 -c:*)`, `Bash(docker:*)`, `Bash(env *)`, `Bash(find:*)`…',
        rationale: 'Scoping `Bash` to one command only helps when that command cannot run others. Package runners (`npx`, ' +
            '`uvx`, `npm exec`), interpreters (`node`, `python`, `bash -c`), wrappers (`env`, `xargs`, `timeout`, ' +
            '`sudo`), `find -exec`, `make`, `git -c`, and `docker run`/`exec` all run whatever their arguments say, ' +
            'so a grant that lets Claude choose those arguments is an unscoped shell in disguise — and anything that ' +
            'steers the model can use it. The table of such commands is curated and tested; each carries the risk ' +
            'it opens (`execute`, or `admin` for containers and other users).',
        fix: 'Grant the exact command the task runs (`Bash(npx prettier --check .)`, `Bash(python3 -m pytest:*)`) ' +
            'instead of the runner with any arguments.',
        bad: [
            {
                path: '.claude/settings.json',
                note: 'Any package through npx, and any container.',
                lines: [3, 3],
                content: [
                    '{',
                    '  "permissions": {',
                    '    "allow": ["Read", "Bash(npx:*)", "Bash(docker run:*)"]',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
            {
                path: '.github/workflows/fix.yml',
                note: 'Inline Python with any code, granted to a CI run.',
                lines: [10],
                content: [
                    'on: workflow_dispatch',
                    'permissions: { contents: read }',
                    'jobs:',
                    '  fix:',
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          claude_args: |',
                    '            --allowedTools "Read,Bash(python3 -c:*)"',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.claude/settings.json',
                note: 'Exact commands, and runners fixed to one tool.',
                content: [
                    '{',
                    '  "permissions": {',
                    '    "allow": ["Bash(npx prettier --check .)", "Bash(python3 -m pytest:*)", "Bash(npm run lint)", "Bash(docker ps:*)"]',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model) {
        return grantsOf(model).flatMap((grant) => {
            const found = escapeHatchOf(grant.rule.value);
            if (!found)
                return [];
            return [
                {
                    span: grant.rule.span,
                    message: `"${grant.rule.value.raw.trim()}" in ${grant.origin} lets Claude run ${found.fixed} with any arguments: it ${found.hatch.why} (${found.hatch.risk})`,
                    evidence: `${grant.source}:${found.fixed}`,
                },
            ];
        });
    },
};

;// CONCATENATED MODULE: ./lib/rules/CG104-wildcard-grant.js


/**
 * Words that make an MCP server sensitive (a database, a cloud account, a cluster, a shell, the file
 * system): a wildcard over its tools is high. DESIGN §5's default list; a policy key will extend it.
 */
const SENSITIVE = [
    'postgres',
    'mysql',
    'sql',
    'mongo',
    'redis',
    'db',
    'database',
    'kubernetes',
    'k8s',
    'aws',
    'gcp',
    'azure',
    'terraform',
    'shell',
    'exec',
    'filesystem',
    'ssh',
];
/** Short words match only as a whole part of the name (`my-db`, `aws_prod`), so `feedback` is not a database. */
const WHOLE_WORD_ONLY = new Set(['db', 'aws', 'gcp', 'k8s', 'ssh']);
function isSensitiveServer(name) {
    const lower = name.toLowerCase();
    const parts = lower.split(/[^a-z0-9]+/);
    return SENSITIVE.some((word) => (WHOLE_WORD_ONLY.has(word) ? parts.includes(word) : lower.includes(word)));
}
const wildcardGrant = {
    meta: {
        id: 'CG104',
        name: 'wildcard-grant',
        severity: 'medium',
        summary: 'A grant pre-approves many tools at once: `*`, `mcp__*`, a whole MCP server (`mcp__srv`, `mcp__srv__*`), or `WebFetch(domain:*)`.',
        rationale: 'A wildcard grant approves tools nobody has looked at: every tool an MCP server offers today and every ' +
            'tool it adds in its next release, or a fetch of any web address. A server that reaches a database, a ' +
            'cloud account, a cluster, a shell or the file system then acts without asking whenever something steers ' +
            'the model there, and `WebFetch(domain:*)` lets a prompt injection send what Claude read to any host. ' +
            'The finding is high when the server is one of those (its name holds postgres, mysql, sql, mongo, redis, ' +
            'db, database, kubernetes, k8s, aws, gcp, azure, terraform, shell, exec, filesystem or ssh), or when `*` ' +
            'or `mcp__*` covers such a server configured in the repository.',
        fix: 'Grant the tools the job uses by their full names (`mcp__github__get_issue`), and the domains it needs ' +
            '(`WebFetch(domain:docs.example.com)`); leave the rest to ask.',
        bad: [
            {
                path: '.claude/settings.json',
                note: 'Every tool of two MCP servers, one of them a database, pre-approved.',
                lines: [3, 3],
                content: [
                    '{',
                    '  "permissions": {',
                    '    "allow": ["Read", "mcp__github", "mcp__postgres__*"]',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
            {
                path: '.github/workflows/triage.yml',
                note: 'Every MCP tool and any web domain granted to a CI run.',
                lines: [10, 10],
                content: [
                    'on: issues',
                    'permissions: { contents: read }',
                    'jobs:',
                    '  triage:',
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          claude_args: |',
                    '            --allowedTools "mcp__*,WebFetch(domain:*)"',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.claude/settings.json',
                note: 'Named tools of a server, and named domains.',
                content: [
                    '{',
                    '  "permissions": {',
                    '    "allow": ["mcp__github__get_issue", "mcp__github__list_issues", "WebFetch(domain:docs.anthropic.com)"],',
                    '    "deny": ["mcp__postgres"]',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model) {
        const sensitiveConfigured = model.mcpServers.some((s) => isSensitiveServer(s.name.value));
        return grantsOf(model).flatMap((grant) => {
            const scope = wildcardScope(grant.rule.value);
            if (!scope)
                return [];
            const raw = grant.rule.value.raw.trim();
            const where = `"${raw}" in ${grant.origin}`;
            switch (scope.kind) {
                case 'mcp-server': {
                    const sensitive = isSensitiveServer(scope.server);
                    return [
                        {
                            span: grant.rule.span,
                            message: `${where} pre-approves every tool of MCP server "${scope.server}"${sensitive ? ', a sensitive server' : ''}`,
                            evidence: `${grant.source}:mcp-server:${scope.server}`,
                            ...(sensitive ? { severity: 'high' } : {}),
                        },
                    ];
                }
                case 'every-tool':
                case 'every-mcp-tool':
                    return [
                        {
                            span: grant.rule.span,
                            message: `${where} pre-approves ${scope.kind === 'every-tool' ? 'every tool' : 'every tool of every MCP server'}${sensitiveConfigured ? ', sensitive servers of this repository included' : ''}`,
                            evidence: `${grant.source}:${scope.kind}`,
                            ...(sensitiveConfigured ? { severity: 'high' } : {}),
                        },
                    ];
                case 'any-domain':
                    return [
                        {
                            span: grant.rule.span,
                            message: `${where} lets Claude fetch from any web domain without asking`,
                            evidence: `${grant.source}:any-domain`,
                        },
                    ];
            }
        });
    },
};

;// CONCATENATED MODULE: ./lib/rules/CG107-unscoped-write.js


const unscopedWrite = {
    meta: {
        id: 'CG107',
        name: 'unscoped-write',
        severity: 'medium',
        summary: 'A file-editing tool is granted without a path: `Edit`, `Write`, `MultiEdit`, `NotebookEdit`, `Edit(**)`.',
        rationale: 'A bare `Edit` or `Write` grant (or one over the whole tree, `Edit(**)`) lets Claude change any file ' +
            'without asking: CI workflows, build scripts, `package.json` scripts, git hooks, and its own settings in ' +
            '`.claude/`. A change to any of those runs code later, on a developer machine or in CI, so a prompt ' +
            'injection that reaches the model can plant it. Path rules on `Edit` keep writes where the task needs ' +
            'them; Claude Code consults path rules on `Edit` only (rules on `Write(…)` with a path are never ' +
            'consulted).',
        fix: 'Grant edits under the folders the task works on, e.g. `Edit(src/**)`, `Edit(docs/**)`; leave the rest to ' +
            'ask, and deny `Edit(.github/**)` and `Edit(.claude/**)`.',
        bad: [
            {
                path: '.claude/settings.json',
                note: 'Every file may be edited and written without a prompt.',
                lines: [3, 3],
                content: ['{', '  "permissions": {', '    "allow": ["Read", "Edit", "Write"]', '  }', '}', ''].join('\n'),
            },
            {
                path: 'scripts/fix.sh',
                note: 'A CI script granting edits over the whole tree.',
                lines: [2],
                content: ['#!/bin/sh', 'claude -p "fix the lint errors" --allowedTools "Read,Edit(**)"', ''].join('\n'),
            },
        ],
        good: [
            {
                path: '.claude/settings.json',
                note: 'Edits limited to the source and docs folders; workflows denied.',
                content: [
                    '{',
                    '  "permissions": {',
                    '    "allow": ["Read", "Edit(src/**)", "Edit(docs/**)"],',
                    '    "deny": ["Edit(.github/**)", "Write"]',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model) {
        return grantsOf(model)
            .filter((grant) => isUnscopedWrite(grant.rule.value))
            .map((grant) => ({
            span: grant.rule.span,
            message: `"${grant.rule.value.raw.trim()}" in ${grant.origin} lets Claude change any file without asking`,
            evidence: `${grant.source}:${grant.rule.value.canonical}:${grant.rule.value.specifier?.trim() ?? ''}`,
        }));
    },
};

;// CONCATENATED MODULE: ./lib/model/span.js
/**
 * Turns offsets into a file's text (UTF-16 indices, the way JavaScript strings and every parser we use count
 * them) into 1-based line/column spans. `\r\n`, `\n` and a lone `\r` all end a line.
 */
class LineIndex {
    path;
    text;
    starts = [0];
    constructor(path, text) {
        this.path = path;
        this.text = text;
        for (let i = 0; i < text.length; i++) {
            const c = text.charCodeAt(i);
            if (c === 10)
                this.starts.push(i + 1);
            else if (c === 13) {
                if (text.charCodeAt(i + 1) === 10)
                    i++;
                this.starts.push(i + 1);
            }
        }
    }
    get lineCount() {
        return this.starts.length;
    }
    /** 1-based line and column of an offset; offsets past the end clamp to the end. */
    position(offset) {
        const at = Math.max(0, Math.min(offset, this.text.length));
        let lo = 0;
        let hi = this.starts.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (this.starts[mid] <= at)
                lo = mid;
            else
                hi = mid - 1;
        }
        return { line: lo + 1, column: at - this.starts[lo] + 1 };
    }
    span(start, end) {
        const a = this.position(start);
        const b = this.position(Math.max(start, end));
        return { path: this.path, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
    }
    /** Offset of the first character of a 1-based line. */
    lineStart(line) {
        return this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))];
    }
    /** The text of a 1-based line without its line break. */
    lineText(line) {
        const start = this.lineStart(line);
        const next = line < this.starts.length ? this.starts[line] : this.text.length;
        return this.text.slice(start, next).replace(/\r?\n$|\r$/, '');
    }
}
/** The span of a whole file, for findings about the file itself. */
function fileSpan(path) {
    return { path, line: 1, column: 1, endLine: 1, endColumn: 1 };
}

;// CONCATENATED MODULE: ./lib/rules/CG108-bypass-not-disabled.js


/** The folder whose managed settings merge: `managed-settings.json` and the files of `managed-settings.d/`. */
function managedFolder(path) {
    const dir = external_node_path_.posix.dirname(path);
    return external_node_path_.posix.basename(dir) === 'managed-settings.d' ? external_node_path_.posix.dirname(dir) : dir;
}
const bypassNotDisabled = {
    meta: {
        id: 'CG108',
        name: 'bypass-not-disabled',
        severity: 'low',
        summary: 'Managed settings that do not set `permissions.disableBypassPermissionsMode: "disable"`, so users may still start Claude in bypass mode.',
        rationale: 'Managed settings are how an organisation sets what every user of a machine gets, above anything a ' +
            'user or a repository writes. `disableBypassPermissionsMode: "disable"` is the documented control that ' +
            'makes `--dangerously-skip-permissions` and `bypassPermissions` unavailable; without it, a managed ' +
            'policy that is careful everywhere else still lets any session skip every permission check. A file in ' +
            '`managed-settings.d/` merges with `managed-settings.json` in the same folder, so the setting counts ' +
            'wherever it is among them.',
        fix: 'Add `"disableBypassPermissionsMode": "disable"` under `permissions` in the managed settings.',
        bad: [
            {
                path: 'deploy/claude/managed-settings.json',
                note: 'A managed policy that denies secrets but leaves bypass mode available.',
                lines: [1],
                content: ['{', '  "permissions": {', '    "deny": ["Read(./.env)"]', '  }', '}', ''].join('\n'),
            },
        ],
        good: [
            {
                path: 'deploy/claude/managed-settings.json',
                note: 'Bypass mode turned off for everyone.',
                content: [
                    '{',
                    '  "permissions": {',
                    '    "deny": ["Read(./.env)"],',
                    '    "disableBypassPermissionsMode": "disable"',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model) {
        const groups = new Map();
        for (const doc of model.settings) {
            if (doc.scope !== 'managed')
                continue;
            const key = managedFolder(doc.path);
            const group = groups.get(key);
            if (group)
                group.push(doc);
            else
                groups.set(key, [doc]);
        }
        const findings = [];
        for (const [folder, docs] of groups) {
            if (docs.some((d) => d.disableBypassPermissionsMode?.value === 'disable'))
                continue;
            const other = docs.find((d) => d.disableBypassPermissionsMode !== undefined);
            if (other?.disableBypassPermissionsMode) {
                findings.push({
                    span: other.disableBypassPermissionsMode.span,
                    message: `permissions.disableBypassPermissionsMode is "${other.disableBypassPermissionsMode.value}" in ${other.path}: only "disable" turns bypass mode off`,
                    evidence: `managed:${folder}:value`,
                });
                continue;
            }
            const main = docs.find((d) => external_node_path_.posix.basename(d.path) === 'managed-settings.json') ?? docs[0];
            if (!main)
                continue;
            findings.push({
                span: fileSpan(main.path),
                message: `the managed settings in ${folder === '.' ? 'the repository root' : folder} do not set permissions.disableBypassPermissionsMode to "disable": users may still skip every permission check`,
                evidence: `managed:${folder}:missing`,
            });
        }
        return findings;
    },
};

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./lib/model/secret-patterns.js
var secret_patterns = __webpack_require__(4501);
;// CONCATENATED MODULE: ./lib/rules/CG201-hardcoded-secret.js


/** Visibly fake, but shaped like a real key; assembled so no source file holds it whole. */
const EXAMPLE_ANTHROPIC_KEY = 'sk-ant-' +
    'api03-' +
    'EXAMPLEa1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0u1V2w3X4y5Z6_EXAMPLE-KEY_7Qx9Lm2Vr8Tn4Wz6Pd3Hs5Kj1GbAA';
const LABELS = new Map(secret_patterns/* SECRET_PATTERNS */.XN.map((p) => [p.kind, p.label]));
const hardcodedSecret = {
    meta: {
        id: 'CG201',
        name: 'hardcoded-secret',
        severity: 'critical',
        summary: 'A credential is written in a tracked file: Anthropic API keys and OAuth tokens, GitHub tokens, AWS keys, private keys.',
        rationale: 'A key in a file is a key for everyone who can read the repository, its forks, its history and every ' +
            'log that prints the file. An Anthropic key bills your organisation and reaches its workspaces; a ' +
            'Claude OAuth token acts as the person who created it. Removing the line does not help: the key stays ' +
            'in git history and must be revoked. Reports never show the key: only its public prefix. Strings that ' +
            'are obviously placeholders (`sk-ant-api03-xxxx`, `sk-ant-api03-your-key-here`, too short to be real) ' +
            'are not reported.',
        fix: 'Revoke the key now (console.anthropic.com → API keys), then read it from a secret: ' +
            '`${{ secrets.ANTHROPIC_API_KEY }}` in workflows, `${ANTHROPIC_API_KEY}` in `.mcp.json`, an environment ' +
            'variable or `apiKeyHelper` locally.',
        bad: [
            {
                path: '.github/workflows/claude.yml',
                note: 'An API key given to claude-code-action as a literal.',
                lines: [9],
                content: [
                    'on: issue_comment',
                    'jobs:',
                    '  claude:',
                    '    runs-on: ubuntu-latest',
                    '    permissions: { contents: read }',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    `          anthropic_api_key: ${EXAMPLE_ANTHROPIC_KEY}`,
                    '',
                ].join('\n'),
            },
            {
                path: 'deploy/.env.production',
                note: 'Any tracked text file is searched, not only Claude files.',
                lines: [2],
                content: ['MODEL=claude-sonnet-4-5', `ANTHROPIC_API_KEY=${EXAMPLE_ANTHROPIC_KEY}`, ''].join('\n'),
            },
        ],
        good: [
            {
                path: '.github/workflows/claude.yml',
                note: 'The key comes from the repository secrets.',
                content: [
                    'on: issue_comment',
                    'jobs:',
                    '  claude:',
                    '    runs-on: ubuntu-latest',
                    '    permissions: { contents: read }',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
                    '',
                ].join('\n'),
            },
            {
                path: 'README.md',
                note: 'Placeholders in documentation are not keys.',
                content: [
                    '# Setup',
                    'export ANTHROPIC_API_KEY=sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
                    'or: ANTHROPIC_API_KEY=sk-ant-api03-your-key-here, or sk-your-key-here, or sk-ant-api03-...',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model) {
        return model.secrets
            .filter((secret) => secret.placeholder === undefined)
            .map((secret) => ({
            span: secret.span,
            message: `${LABELS.get(secret.kind) ?? 'Credential'} written in plain text (${secret.masked})`,
            evidence: `${secret.kind}:${(0,external_node_crypto_.createHash)('sha256').update(secret.value).digest('hex').slice(0, 24)}`,
        }));
    },
};

;// CONCATENATED MODULE: ./lib/rules/CG204-committed-local-config.js

const WHAT = new Map([
    [
        'settings-local',
        {
            holds: "one person's local settings (their own permissions and environment), which Claude Code keeps out of git",
            severity: 'high',
        },
    ],
    [
        'claude-json',
        {
            holds: "a user's Claude Code state: their account, per-project MCP servers and their environment, history",
            severity: 'high',
        },
    ],
    ['credentials', { holds: "Claude Code's login credentials (OAuth tokens)", severity: 'high' }],
    [
        'claude-local-md',
        { holds: "one person's private instructions to Claude, meant to stay out of git", severity: 'low' },
    ],
]);
const committedLocalConfig = {
    meta: {
        id: 'CG204',
        name: 'committed-local-config',
        severity: 'high',
        summary: 'A personal Claude file is committed: `.claude/settings.local.json`, `.claude.json`, `.credentials.json` (`CLAUDE.local.md` is low).',
        rationale: 'Claude Code keeps some files for one person and adds them to `.gitignore` itself: ' +
            '`.claude/settings.local.json` (their own permissions and environment), `~/.claude.json` (account, MCP ' +
            'servers with their environment, history), `~/.claude/.credentials.json` (OAuth tokens), and ' +
            "`CLAUDE.local.md`. Committed, they hand one developer's grants and tokens to everyone who clones the " +
            'repository, and a grant in a committed local settings file applies to every checkout without review. In ' +
            'a git checkout only tracked files are reported; in a folder that is not one, every such file found is.',
        fix: 'Remove the file from the repository (`git rm --cached <file>`), add it to `.gitignore`, and revoke any credential it held.',
        bad: [
            {
                path: '.claude/settings.local.json',
                note: "A developer's local grants, committed.",
                lines: [1],
                content: ['{', '  "permissions": { "allow": ["Bash(npm test:*)"] }', '}', ''].join('\n'),
            },
        ],
        good: [
            {
                path: '.claude/settings.json',
                note: 'Shared project settings belong in the repository.',
                content: ['{', '  "permissions": { "allow": ["Bash(npm test:*)"] }', '}', ''].join('\n'),
            },
        ],
    },
    check(model) {
        return model.localConfigs.map((file) => {
            const what = WHAT.get(file.kind) ?? { holds: 'personal Claude settings', severity: 'high' };
            return {
                span: fileSpan(file.path),
                message: `${file.path} is in the repository: it holds ${what.holds}`,
                evidence: `local-config:${file.kind}`,
                ...(what.severity === 'high' ? {} : { severity: what.severity }),
            };
        });
    },
};

;// CONCATENATED MODULE: ./lib/rules/CG901-invalid-config.js
const invalidConfig = {
    meta: {
        id: 'CG901',
        name: 'invalid-config',
        severity: 'medium',
        summary: 'A configuration file that Claude Code (or GitHub) would reject or silently ignore.',
        rationale: 'Claude Code reads `.claude/settings.json` as strict JSON: a comment or a trailing comma makes it ' +
            'discard the whole file, and in `claude -p` it says nothing. The deny rules you wrote then do not apply, ' +
            'and nobody notices. An unknown `defaultMode` is ignored; an MCP server with a `url` but no `type` is ' +
            'skipped. A workflow that runs Claude but is not valid YAML cannot be checked at all.',
        fix: 'Make the file valid: strict JSON for Claude settings and `.mcp.json` (no comments, no trailing commas).',
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
                content: ['{', '  "mcpServers": { "docs": { "url": "https://mcp.example.com/mcp" } }', '}', ''].join('\n'),
            },
        ],
        good: [
            {
                path: '.claude/settings.json',
                note: 'Strict JSON.',
                content: ['{', '  "permissions": {', '    "deny": ["Read(./.env)"]', '  }', '}', ''].join('\n'),
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
        return model.problems.map((problem) => ({
            span: problem.span,
            message: `${problem.fileKind}: ${problem.message}. ${problem.consequence}.`,
            evidence: `${problem.fileKind}:${problem.message}`,
        }));
    },
};

;// CONCATENATED MODULE: ./lib/rules/registry.js









/** Every rule, in id order. Docs pages and `claude-guard rules` are generated from this list. */
const RULES = [
    dangerousMode,
    unscopedShell,
    shellEscapeHatch,
    wildcardGrant,
    unscopedWrite,
    bypassNotDisabled,
    hardcodedSecret,
    committedLocalConfig,
    invalidConfig,
];
function ruleById(id) {
    return RULES.find((r) => r.meta.id === id.toUpperCase());
}
/**
 * Ids of the whole catalogue (docs/DESIGN.md §5), implemented or not yet, so a policy written for it is not
 * rejected; a policy that names an id outside it is.
 */
const CATALOGUE_IDS = [
    'CG101',
    'CG102',
    'CG103',
    'CG104',
    'CG105',
    'CG106',
    'CG107',
    'CG108',
    'CG201',
    'CG202',
    'CG203',
    'CG204',
    'CG301',
    'CG302',
    'CG303',
    'CG401',
    'CG402',
    'CG501',
    'CG502',
    'CG503',
    'CG504',
    'CG505',
    'CG506',
    'CG507',
    'CG601',
    'CG602',
    'CG603',
    'CG604',
    'CG605',
    'CG901',
    'CG902',
    'CG903',
    'CG904',
];

;// CONCATENATED MODULE: ./lib/policy/schema.js



const SeveritySchema = schemas/* enum */.k5n(['critical', 'high', 'medium', 'low', 'info']);
const FailOnSchema = schemas/* enum */.k5n(['critical', 'high', 'medium', 'low', 'info', 'never']);
const RuleSetting = schemas/* union */.KCZ([
    schemas/* literal */.euz('off'),
    schemas/* strictObject */.rej({
        severity: SeveritySchema.optional(),
        enabled: schemas/* boolean */.zMY().optional(),
    }),
], { error: 'must be off or { severity: critical|high|medium|low|info }' });
/** A path glob, refused with the reason when it is too long, too broad to expand or not understood. */
const Glob = schemas/* string */.YjP().superRefine((glob, ctx) => {
    const compiled = compileGlob(glob);
    if ('error' in compiled)
        ctx.addIssue({ code: 'custom', message: compiled.error });
});
/** The policy file, `.github/claude-guard.yml`. Unknown keys are errors: a typo must not weaken a policy. */
const PolicySchema = schemas/* strictObject */.rej({
    version: schemas/* literal */.euz(1, { error: 'version must be 1' }),
    'fail-on': FailOnSchema.optional(),
    block: schemas/* enum */.k5n(['new', 'all']).optional(),
    ignore: schemas/* array */.YOg(Glob).optional(),
    rules: schemas/* record */.g1P(schemas/* string */.YjP()
        .refine((id) => CATALOGUE_IDS.includes(id), { error: 'not a claude-guard rule id (CG101, CG102…)' }), RuleSetting)
        .optional(),
    'dangerous-mode': schemas/* strictObject */.rej({
        'allow-in': schemas/* array */.YOg(schemas/* enum */.k5n(['container', 'devcontainer'])),
    })
        .optional(),
});

;// CONCATENATED MODULE: ./lib/policy/load.js






/** A policy that cannot be used, said in one sentence with its place: `file:line:col: message`. */
class PolicyError extends Error {
    file;
    line;
    column;
    detail;
    constructor(file, line, column, detail) {
        super(`${file}:${line}:${column}: ${detail}`);
        this.file = file;
        this.line = line;
        this.column = column;
        this.detail = detail;
        this.name = 'PolicyError';
    }
}
function keyPath(path) {
    return path
        .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
        .join('.')
        .replace(/\.\[/g, '[');
}
/** The YAML node at a path, and the key node for its last step when there is one. */
function nodeAt(root, path) {
    let node = root;
    let key;
    for (const step of path) {
        if ((0,dist/* isMap */.jh)(node)) {
            const pair = node.items.find((p) => (0,dist/* isScalar */.jn)(p.key) && String(p.key.value) === String(step));
            if (!pair)
                return { node: node };
            key = pair.key;
            node = pair.value;
        }
        else if (node && 'items' in node && Array.isArray(node.items)) {
            node = node.items[Number(step)];
            key = undefined;
        }
        else
            break;
    }
    return { node: node ?? key ?? undefined, key };
}
/** The most telling issue: inside a union, the branch that got furthest; inside a record key, the key's own. */
function deepest(issue) {
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
        const inner = issue.errors
            .flat()
            .reduce((best, i) => (i.path.length > best.path.length ? i : best), issue.errors.flat()[0]);
        if (inner.path.length > 0)
            return deepest({ ...inner, path: [...issue.path, ...inner.path] });
    }
    if (issue.code === 'invalid_key' && issue.issues.length > 0) {
        return {
            ...issue.issues[0],
            path: issue.path,
            code: 'invalid_key',
        };
    }
    return issue;
}
function describe(outer) {
    const issue = deepest(outer);
    if (issue.code === 'unrecognized_keys') {
        const unknown = issue.keys[0];
        const at = issue.path.length > 0 ? ` in ${keyPath(issue.path)}` : '';
        return { path: [...issue.path, unknown], message: `unknown key "${unknown}"${at}`, keyNode: unknown };
    }
    const where = issue.path.length > 0 ? keyPath(issue.path) : 'the policy';
    return { path: issue.path, message: `${where}: ${issue.message}` };
}
/** Parses policy text; throws PolicyError naming the file, line, column and key of the first problem. */
function parsePolicy(text, file, base = defaultPolicy()) {
    const lineCounter = new dist/* LineCounter */.HN();
    const doc = (0,dist/* parseDocument */.Tp)(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    const first = doc.errors[0];
    if (first) {
        const pos = lineCounter.linePos(first.pos[0]);
        throw new PolicyError(file, pos.line, pos.col, `invalid YAML: ${first.message.split('\n')[0]}`);
    }
    // A key that JavaScript objects treat specially would vanish (or replace a prototype) on the way to the
    // schema, and so never be refused: it is refused here, where it is written.
    (0,dist/* visit */.YR)(doc, {
        Pair(_key, pair) {
            if ((0,dist/* isScalar */.jn)(pair.key) && ['__proto__', 'constructor', 'prototype'].includes(String(pair.key.value))) {
                const pos = lineCounter.linePos(pair.key.range?.[0] ?? 0);
                throw new PolicyError(file, pos.line, pos.col, `unknown key "${String(pair.key.value)}"`);
            }
        },
    });
    let data;
    try {
        data = doc.toJS({ maxAliasCount: 100 });
    }
    catch (error) {
        throw new PolicyError(file, 1, 1, `cannot read the policy: ${error.message}`);
    }
    if (data === null || data === undefined)
        throw new PolicyError(file, 1, 1, 'the policy is empty; it needs at least "version: 1"');
    const result = PolicySchema.safeParse(data);
    if (!result.success) {
        const issue = result.error.issues[0];
        const { path, message, keyNode } = describe(issue);
        const found = nodeAt(doc.contents, path);
        const target = keyNode
            ? found.key
            : ((issue.code === 'invalid_key' ? found.key : undefined) ?? found.node ?? found.key);
        const offset = target?.range?.[0] ?? 0;
        const pos = lineCounter.linePos(offset);
        throw new PolicyError(file, pos.line, pos.col, message);
    }
    return applyPolicyFile(base, result.data, file);
}
/**
 * Reads a policy file. A missing file is an error only when the user named it. With `inside`, the file
 * must lie in that folder (the scanned repository or the workspace, whose files a pull request writes): a
 * policy that is a symlink leaving it, or a folder on the way that is one, is refused and never read, so
 * that an error message can never echo a file from elsewhere.
 */
async function loadPolicy(path, display, required, inside) {
    if (!path)
        return defaultPolicy();
    let text;
    try {
        if (inside !== undefined) {
            const rel = (0,external_node_path_.relative)(inside, path);
            if (rel === '' || rel.startsWith('..') || (0,external_node_path_.isAbsolute)(rel))
                throw new PolicyError(display, 1, 1, 'the policy must be a file inside the workspace');
            await (0,promises_.stat)(path); // ENOENT first: a missing default policy is no error
            const read = await (0,fs_read/* readText */.yR)(inside, await (0,promises_.realpath)(inside), rel.split(external_node_path_.sep).join('/'));
            if ('skipped' in read) {
                const why = read.skipped.startsWith('symlink')
                    ? 'the policy is a symlink that leads outside the folder: it is not read'
                    : read.skipped.startsWith('larger')
                        ? 'the policy file is larger than 1 MiB'
                        : read.skipped === 'not a regular file'
                            ? 'the policy is not a regular file'
                            : `cannot read the policy file (${read.skipped})`;
                throw new PolicyError(display, 1, 1, why);
            }
            text = read.text;
        }
        else {
            // A pipe or a device named as the policy would block or never end: only a regular file is read.
            const info = await (0,promises_.stat)(path);
            if (!info.isFile())
                throw new PolicyError(display, 1, 1, 'the policy is not a regular file');
            if (info.size > 1024 * 1024)
                throw new PolicyError(display, 1, 1, 'the policy file is larger than 1 MiB');
            text = await (0,promises_.readFile)(path, 'utf8');
        }
    }
    catch (error) {
        if (error instanceof PolicyError)
            throw error;
        if (error.code === 'ENOENT' && !required)
            return defaultPolicy();
        throw new PolicyError(display, 1, 1, `cannot read the policy file (${error.code ?? 'error'})`);
    }
    return parsePolicy(text.replace(/^\uFEFF/, ''), display);
}

;// CONCATENATED MODULE: ./lib/report/safe.js

/**
 * The one edge every string passes on its way out of the program. Everything in a verdict — messages,
 * snippets, paths, notices — and every error message may carry bytes from the scanned repository or its
 * policy file, so before any of it is printed, written or sent:
 *
 * - credentials are masked: every credential-shaped string, and every known secret or piece of one (a key
 *   found only after decoding escapes or joining quotes leaves pieces that no pattern recognises);
 * - for people (text, markdown, workflow commands), control characters are shown as escapes (`\x1B`), so a
 *   file cannot move the cursor, retitle the terminal, hide lines or start a new line, and a value that would
 *   open a line with `::` (a runner workflow command) is neutralised;
 * - for programs (JSON, SARIF), the same characters are written as JSON escapes, which keeps the value
 *   exact.
 */
/** Shorter strings are not masked on their own: they could be common text. */
const MIN_FRAGMENT = 8;
/** C0, DEL, C1, and the characters that reorder or break displayed text (bidi controls, line separators). */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
function hex(c, width) {
    return c.charCodeAt(0).toString(16).toUpperCase().padStart(width, '0');
}
/** Masks every credential in `text`: by shape, and every known secret value or piece of one. */
function maskSecrets(text, secrets = []) {
    let out = (0,secret_patterns/* redact */.E$)(text);
    for (const secret of secrets) {
        if (secret.length >= MIN_FRAGMENT && out.includes(secret))
            out = out.split(secret).join('********');
    }
    return out;
}
/** A surrogate that is not half of a pair: a byte of a file name that is not UTF-8 (`fs/names.ts`), or junk. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Control characters as visible escapes; a tab becomes a space; a name's raw byte shows as `\xFF`. */
function escapeControls(text) {
    return text
        .replace(UNSAFE, (c) => c === '\t' ? ' ' : c.charCodeAt(0) < 0x100 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`)
        .replace(LONE_SURROGATE, (c) => {
        const code = c.charCodeAt(0);
        return code >= 0xdc80 && code <= 0xdcff
            ? `\\x${(code - 0xdc00).toString(16).toUpperCase()}`
            : `\\u${hex(c, 4)}`;
    });
}
/**
 * One value made safe to show a person, on one line: masked, controls escaped, and never starting (after
 * blanks) with `::`, which the Actions runner reads as a command on any line of a step's output.
 */
function displayLine(text, secrets = []) {
    const line = escapeControls(maskSecrets(text, secrets));
    return /^\s*::/.test(line) ? line.replace('::', '\\x3A:') : line;
}
/** A value as JSON with every character a terminal or a log viewer could act on written as an escape. */
function safeJson(value, indent = 2) {
    return JSON.stringify(value, null, indent).replace(UNSAFE_IN_JSON, (c) => `\\u${hex(c, 4)}`);
}
function suppression(s, f) {
    const out = { kind: s.kind, reason: f(s.reason) };
    if (s.owner !== undefined)
        out.owner = f(s.owner);
    if (s.expires !== undefined)
        out.expires = f(s.expires);
    return out;
}
function mapStrings(verdict, f) {
    const finding = (x) => ({
        ...x,
        ruleName: f(x.ruleName),
        message: f(x.message),
        path: f(x.path),
        snippet: f(x.snippet),
        suppression: x.suppression && suppression(x.suppression, f),
        related: x.related.map((r) => ({ path: f(r.path), line: r.line, message: f(r.message) })),
        help: f(x.help),
        docs: f(x.docs),
    });
    const notice = (n) => ({ path: f(n.path), message: f(n.message) });
    return {
        ...verdict,
        policy: { ...verdict.policy, sources: verdict.policy.sources.map(f) },
        findings: verdict.findings.map(finding),
        notices: verdict.notices.map(notice),
    };
}
/** The verdict as shown to people: every string masked and on one visible line. */
function displayVerdict(verdict, secrets = []) {
    return mapStrings(verdict, (s) => displayLine(s, secrets));
}
/** The verdict as data for programs: every string masked; controls are escaped when it is serialised. */
function dataVerdict(verdict, secrets = []) {
    return mapStrings(verdict, (s) => maskSecrets(s, secrets));
}

;// CONCATENATED MODULE: ./lib/report/github.js

function annotationLevel(severity) {
    if (severity === 'critical' || severity === 'high')
        return 'error';
    return severity === 'medium' ? 'warning' : 'notice';
}
/** Escaping of workflow-command data (actions/toolkit command.ts): `%` first, then CR and LF. */
function escapeData(s) {
    return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
/** Escaping of workflow-command properties: as data, plus `:` and `,`. */
function escapeProperty(s) {
    return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
function annotationTitle(f) {
    return `${f.ruleId} ${f.ruleName} (${f.severity})`;
}
/** The annotation text: the message, then how to fix it. */
function annotationMessage(f) {
    return `${f.message}\nFix: ${f.help}`;
}
/**
 * One workflow command per finding, most severe first (the runner keeps only the first ten of each level
 * per step). Columns are given only when the span is on one line, as the runner requires.
 */
function renderGithub(unsafe, options = {}) {
    const prefix = options.prefix ?? '';
    return displayVerdict(unsafe, options.secrets)
        .findings.map((f) => {
        const props = [`file=${escapeProperty(prefix + f.path)}`, `line=${f.line}`, `endLine=${f.endLine}`];
        if (f.line === f.endLine)
            props.push(`col=${f.column}`, `endColumn=${f.endColumn}`);
        props.push(`title=${escapeProperty(annotationTitle(f))}`);
        return `::${annotationLevel(f.severity)} ${props.join(',')}::${escapeData(annotationMessage(f))}\n`;
    })
        .join('');
}

;// CONCATENATED MODULE: ./lib/report/json.js

/**
 * The JSON report, schema version 1: a public contract, extended only additively. Credentials are masked
 * everywhere, paths included; control characters are JSON escapes, so the value is exact and the file is
 * safe to print.
 */
function renderJson(verdict, options = {}) {
    return `${safeJson(dataVerdict(verdict, options.secrets))}\n`;
}

;// CONCATENATED MODULE: ./lib/report/text.js

const COLOURS = {
    critical: '\x1b[1;31m',
    high: '\x1b[31m',
    medium: '\x1b[33m',
    low: '\x1b[36m',
    info: '\x1b[2m',
};
/** `1 finding`, `2 findings`. */
function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
function countsLine(verdict) {
    const { summary } = verdict;
    const parts = Object.entries(summary.bySeverity)
        .filter(([, n]) => n > 0)
        .map(([s, n]) => `${n} ${s}`);
    const findings = `${summary.findings} finding${summary.findings === 1 ? '' : 's'}`;
    return parts.length > 0 ? `${findings} (${parts.join(', ')})` : findings;
}
/**
 * The human report: findings grouped by file, then a one-line verdict. Colour only when asked (a TTY).
 * `secrets` are values to mask wherever they appear (see safe.ts).
 */
function renderText(unsafe, options = {}) {
    const verdict = displayVerdict(unsafe, options.secrets);
    const colour = options.colour ?? false;
    const c = (code, s) => (colour ? `${code}${s}\x1b[0m` : s);
    const lines = [];
    const byPath = new Map();
    for (const f of verdict.findings) {
        const list = byPath.get(f.path);
        if (list)
            list.push(f);
        else
            byPath.set(f.path, [f]);
    }
    for (const path of [...byPath.keys()].sort()) {
        lines.push(c('\x1b[1m', path));
        const findings = (byPath.get(path) ?? []).sort((a, b) => a.line - b.line || a.column - b.column);
        for (const f of findings) {
            const where = `${f.line}:${f.column}`.padEnd(8);
            const block = f.blocking ? ' (blocking)' : '';
            lines.push(`  ${where}${c(COLOURS[f.severity], f.severity.padEnd(9))}${f.ruleId} ${f.ruleName}${block}`);
            lines.push(`          ${f.message}`);
            if (f.snippet)
                lines.push(c('\x1b[2m', `          > ${f.snippet}`));
            for (const r of f.related)
                lines.push(c('\x1b[2m', `          related: ${r.path}:${r.line} ${r.message}`));
            lines.push(c('\x1b[2m', `          fix: ${f.help} (${f.docs})`));
        }
        lines.push('');
    }
    for (const n of verdict.notices)
        lines.push(c('\x1b[2m', `note: ${n.path}: ${n.message}`));
    if (verdict.notices.length > 0)
        lines.push('');
    const { summary } = verdict;
    const outcome = summary.conclusion === 'failure'
        ? c('\x1b[1;31m', `${summary.blocking} blocking (fail-on: ${verdict.policy.failOn})`)
        : c('\x1b[32m', `nothing blocks (fail-on: ${verdict.policy.failOn})`);
    lines.push(`${countsLine(verdict)} in ${summary.filesScanned} file${summary.filesScanned === 1 ? '' : 's'}; ${outcome}`);
    return `${lines.join('\n')}\n`;
}

;// CONCATENATED MODULE: ./lib/report/markdown.js


const ICONS = {
    critical: '🛑',
    high: '🔴',
    medium: '🟠',
    low: '🔵',
    info: '⚪',
};
/**
 * A table cell holding text of the file's making (already on one line): no HTML, no pipe or backtick that
 * would break the table, no link or image of its own, no @-mention that would notify someone.
 */
function cell(s) {
    return (s
        .replace(/\\/g, '\\\\')
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        // GitHub links a mention, an issue reference or a bare URL after rendering: a zero-width space breaks each.
        .replace(/#(?=\d)/g, '#&#8203;')
        .replace(/:\/\//g, ':&#8203;//')
        .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}&#8203;.`)
        .replace(/@/g, '@&#8203;')
        .replace(/[[\]]/g, (c) => `\\${c}`)
        .replace(/\|/g, '\\|')
        .replace(/`/g, "'"));
}
/** Cuts `text` to at most `max` UTF-8 bytes, never inside a character. */
function cutToBytes(text, max) {
    if (Buffer.byteLength(text) <= max)
        return text;
    let cut = Buffer.from(text).subarray(0, max).toString('utf8');
    // A character cut in half decodes to U+FFFD: drop it.
    if (cut.endsWith('\uFFFD'))
        cut = cut.slice(0, -1);
    return cut;
}
/** A repository path as a URL path: each segment encoded, so `)`, `#` or spaces cannot end the link. */
function urlPath(path) {
    // encodeURIComponent leaves ( ) ' ! * alone, and an unbalanced `)` would end the link.
    return path
        .split('/')
        .map((segment) => encodeURIComponent(segment).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
        .join('/');
}
/**
 * The report as Markdown (job summary, PR comment): a verdict line and a table of findings. `linkBase` turns
 * locations into links to the files, `docsBase` rule ids into links to their pages. Rows are dropped
 * past `maxBytes`, with a line saying how many, so the runner never rejects the summary.
 */
function renderMarkdown(unsafe, options = {}) {
    const verdict = displayVerdict(unsafe, options.secrets);
    const maxBytes = options.maxBytes ?? 900 * 1024;
    const { summary } = verdict;
    const head = [];
    const status = summary.conclusion === 'failure' ? `❌ **${summary.blocking} blocking**` : '✅ **nothing blocks**';
    head.push('## claude-guard', '');
    head.push(`${status} · ${countsLine(verdict)} in ${summary.filesScanned} file${summary.filesScanned === 1 ? '' : 's'} · fail-on: \`${verdict.policy.failOn}\``, '');
    if (verdict.findings.length === 0)
        return `${head.join('\n')}\n`;
    head.push('| | Severity | Rule | Location | Finding |', '|---|---|---|---|---|');
    let out = head.join('\n');
    let bytes = Buffer.byteLength(out);
    let shown = 0;
    for (const f of verdict.findings) {
        const location = options.linkBase
            ? `[${cell(f.path)}:${f.line}](${options.linkBase}/${urlPath(f.path)}#L${f.line})`
            : `\`${f.path.replace(/[`|]/g, "'")}:${f.line}:${f.column}\``;
        const row = `\n| ${ICONS[f.severity]} | ${f.severity}${f.blocking ? ' (blocking)' : ''} | [${f.ruleId}](${(options.docsBase ?? '') + f.docs}) ${f.ruleName} | ${location} | ${cell(f.message)} |`;
        const size = Buffer.byteLength(row);
        if (bytes + size > maxBytes - 200)
            break;
        out += row;
        bytes += size;
        shown++;
    }
    if (shown < verdict.findings.length) {
        out += `\n\n_${verdict.findings.length - shown} more findings are in the JSON report (\`--format json\`, or the action's \`report\` output)._`;
    }
    return `${out}\n`;
}

// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
// EXTERNAL MODULE: ./lib/version.js
var version = __webpack_require__(3411);
;// CONCATENATED MODULE: ./lib/report/sarif.js




/**
 * The verdict as SARIF 2.1.0, shaped for GitHub code scanning (`github/codeql-action/upload-sarif`): the
 * properties GitHub requires, the limits past which it rejects a file, and fingerprints that keep an alert the
 * same alert when lines move. Facts from `reference/github-platform.md` §5 and GitHub's "SARIF support for
 * code scanning".
 */
/** The schema URI GitHub's documentation uses; the SARIF Multitool accepts it as the final 2.1.0 schema. */
const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Where claude-guard lives; rule pages are under `docs/rules/` at the release tag. */
const PROJECT_URL = 'https://github.com/org/claude-guard';
/** What GitHub code scanning accepts; past any of these it rejects the whole file. */
const GITHUB_LIMITS = {
    resultsPerRun: 25_000,
    locationsPerResult: 1_000,
    /** The upload is at most 10 MB gzip-compressed. */
    gzipBytes: 10 * 1024 * 1024,
    ruleName: 255,
    description: 1_024,
};
const LEVELS = {
    critical: 'error',
    high: 'error',
    medium: 'warning',
    low: 'note',
    info: 'note',
};
/**
 * GitHub reads a rule's `security-severity` as critical above 9.0, high from 7.0, medium from 4.0, low from
 * 0.1; `info` has no security severity.
 */
const SECURITY_SEVERITY = {
    critical: '9.5',
    high: '8.0',
    medium: '5.5',
    low: '3.0',
    info: undefined,
};
/** For tools that read only the non-security scale. */
const PROBLEM_SEVERITY = {
    critical: 'error',
    high: 'error',
    medium: 'warning',
    low: 'recommendation',
    info: 'recommendation',
};
const SRCROOT = '%SRCROOT%';
/** At most `max` UTF-16 code units, cut at a space when one is near, never inside a surrogate pair. */
function clip(text, max) {
    if (text.length <= max)
        return text;
    let end = max - 1;
    if (/[\uD800-\uDBFF]/.test(text[end - 1] ?? ''))
        end--;
    const space = text.lastIndexOf(' ', end);
    if (space > max * 0.8)
        end = space;
    return `${text.slice(0, end).trimEnd()}…`;
}
/** A sentence ends with a stop; SARIF asks plain-text messages to be sentences. */
function sentence(text) {
    const t = text.trim();
    return /[.!?]$/.test(t) ? t : `${t}.`;
}
/**
 * SARIF reads `[text](n)` in a message as a link to related location n. Text of a file's making keeps its
 * brackets literal: escaped wherever a link could form.
 */
function literal(text) {
    return text.includes('](') ? text.replace(/[[\]\\]/g, (c) => `\\${c}`) : text;
}
/** One path segment of a URI (RFC 3986): a raw byte of a name that is not UTF-8 (`fs/names.ts`) stays that byte. */
function encodeSegment(segment) {
    let out = '';
    for (const ch of segment) {
        const code = ch.codePointAt(0);
        if (code >= 0xdc80 && code <= 0xdcff)
            out += `%${(code - 0xdc00).toString(16).toUpperCase()}`;
        else if (code >= 0xd800 && code <= 0xdfff)
            out += '%EF%BF%BD';
        else
            out += encodeURIComponent(ch);
    }
    return out;
}
/** A repository-relative, `/`-separated URI reference for a path relative to the scanned folder. */
function fileUri(path, prefix) {
    const full = prefix ? `${prefix}/${path}` : path;
    return full.split('/').map(encodeSegment).join('/');
}
function normalisePrefix(prefix) {
    return (prefix ?? '')
        .replace(/\\/g, '/')
        .split('/')
        .filter((s) => s !== '' && s !== '.')
        .join('/');
}
function docsBaseOf(docsBase) {
    const fallback = `${PROJECT_URL}/blob/v${version/* VERSION */.x}/`;
    if (!docsBase)
        return fallback;
    try {
        const url = new URL(docsBase);
        if (url.protocol !== 'https:' && url.protocol !== 'http:')
            return fallback;
    }
    catch {
        return fallback;
    }
    return docsBase.endsWith('/') ? docsBase : `${docsBase}/`;
}
/** Every rule of the registry, and any rule a finding names that the registry does not hold. */
function ruleEntries(findings) {
    const entries = RULES.map(({ meta }) => ({
        id: meta.id,
        name: meta.name,
        severity: meta.severity,
        summary: meta.summary,
        rationale: meta.rationale,
        fix: meta.fix,
    }));
    const known = new Set(entries.map((e) => e.id));
    const extra = new Map();
    for (const f of findings) {
        if (known.has(f.ruleId) || extra.has(f.ruleId))
            continue;
        extra.set(f.ruleId, {
            id: f.ruleId,
            name: f.ruleName,
            severity: f.severity,
            summary: f.ruleName,
            rationale: f.ruleName,
            fix: f.help,
        });
    }
    return [...entries, ...[...extra.values()].sort((a, b) => (a.id < b.id ? -1 : 1))];
}
function ruleDescriptor(rule, docsBase, mask, limits) {
    const helpUri = `${docsBase}docs/rules/${encodeURIComponent(rule.id)}.md`;
    const summary = mask(rule.summary);
    const rationale = mask(rule.rationale);
    const fix = mask(rule.fix);
    const security = SECURITY_SEVERITY[rule.severity];
    return {
        id: rule.id,
        name: clip(mask(rule.name), limits.ruleName),
        shortDescription: { text: clip(summary, limits.description) },
        fullDescription: { text: clip(`${sentence(summary)} ${sentence(rationale)}`, limits.description) },
        helpUri,
        help: {
            text: `${sentence(summary)}\n\nWhy it matters: ${sentence(rationale)}\n\nHow to fix: ${sentence(fix)}\n\nDocumentation: ${helpUri}`,
            markdown: `**${sentence(summary)}**\n\n### Why it matters\n\n${sentence(rationale)}\n\n### How to fix\n\n${sentence(fix)}\n\n[${rule.id} ${mask(rule.name)}](${helpUri})`,
        },
        defaultConfiguration: { level: LEVELS[rule.severity] },
        properties: {
            tags: ['security', 'claude-code'],
            precision: 'high',
            ...(security ? { 'security-severity': security } : {}),
            'problem.severity': PROBLEM_SEVERITY[rule.severity],
        },
    };
}
function suppressionOf(s) {
    const who = [s.owner ? `owner ${s.owner}` : '', s.expires ? `until ${s.expires}` : ''].filter(Boolean);
    const properties = {};
    if (s.owner !== undefined)
        properties.owner = s.owner;
    if (s.expires !== undefined)
        properties.expires = s.expires;
    return {
        kind: s.kind === 'inline' ? 'inSource' : 'external',
        status: 'accepted',
        justification: who.length > 0 ? `${s.reason} (${who.join(', ')})` : s.reason,
        ...(Object.keys(properties).length > 0 ? { properties } : {}),
    };
}
/**
 * GitHub matches alerts across runs by `primaryLocationLineHash`. The fingerprint already hashes the rule,
 * the path and what was found (never where), so a hash taken from it follows the finding when lines move;
 * `:n` counts findings with the same evidence, as GitHub's own line hashes do.
 */
function lineHash(fingerprint) {
    const [base = '', n = '0'] = fingerprint.split(':');
    return `${base.slice(0, 16)}:${Number(n) + 1}`;
}
function result(f, ruleIndex, prefix, limits) {
    const related = f.related.slice(0, limits.locationsPerResult);
    const links = related.map((r, i) => `[${r.message.replace(/[[\]\\]/g, (c) => `\\${c}`)}](${i + 1})`);
    const text = `${literal(sentence(f.message || f.ruleName))} Fix: ${literal(sentence(f.help))}` +
        (links.length > 0 ? ` Related: ${links.join('; ')}.` : '');
    const region = { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn };
    if (f.snippet)
        region.snippet = { text: f.snippet };
    return {
        ruleId: f.ruleId,
        ruleIndex,
        level: LEVELS[f.severity],
        message: { text },
        locations: [
            {
                physicalLocation: { artifactLocation: { uri: fileUri(f.path, prefix), uriBaseId: SRCROOT }, region },
            },
        ],
        ...(related.length > 0
            ? {
                relatedLocations: related.map((r, i) => ({
                    id: i + 1,
                    physicalLocation: {
                        artifactLocation: { uri: fileUri(r.path, prefix), uriBaseId: SRCROOT },
                        region: { startLine: r.line },
                    },
                    message: { text: r.message },
                })),
            }
            : {}),
        partialFingerprints: {
            primaryLocationLineHash: lineHash(f.fingerprint),
            'claudeGuard/v1': f.fingerprint,
        },
        // Every finding was checked for suppressions, so an unsuppressed one says so with an empty list.
        suppressions: f.suppression ? [suppressionOf(f.suppression)] : [],
        properties: { severity: f.severity, blocking: f.blocking, new: f.new },
    };
}
function noticeNotification(n, prefix) {
    return {
        level: 'note',
        message: { text: sentence(n.message) },
        locations: [
            { physicalLocation: { artifactLocation: { uri: fileUri(n.path, prefix), uriBaseId: SRCROOT } } },
        ],
    };
}
function size(bytes) {
    return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MB` : `${bytes} bytes`;
}
/** Which findings fit: unsuppressed before suppressed, most severe first (the verdict's order), in that order. */
function kept(findings, count) {
    if (count >= findings.length)
        return [...findings];
    const order = findings
        .map((f, i) => ({ f, i }))
        .sort((a, b) => Number(!!a.f.suppression) - Number(!!b.f.suppression) || a.i - b.i);
    return order
        .slice(0, count)
        .sort((a, b) => a.i - b.i)
        .map(({ f }) => f);
}
/**
 * The SARIF log of a verdict: one run, every registered rule, one result per finding (suppressed ones with
 * their suppression). Same verdict, same bytes: no time, no absolute path, fixed key order, a final newline.
 * When the verdict holds more than GitHub accepts, the most severe findings are kept and the run says how
 * many were left out.
 */
function renderSarif(unsafe, options = {}) {
    const verdict = dataVerdict(unsafe, options.secrets);
    const mask = (s) => maskSecrets(s, options.secrets);
    const limits = { ...GITHUB_LIMITS, ...options.limits };
    const prefix = normalisePrefix(mask(options.uriPrefix ?? ''));
    const category = normalisePrefix(mask(options.category ?? ''));
    const docsBase = docsBaseOf(options.docsBase);
    const rules = ruleEntries(verdict.findings);
    const index = new Map(rules.map((r, i) => [r.id, i]));
    const driver = {
        name: 'claude-guard',
        version: version/* VERSION */.x,
        semanticVersion: version/* VERSION */.x,
        informationUri: PROJECT_URL,
        rules: rules.map((r) => ruleDescriptor(r, docsBase, mask, limits)),
    };
    const render = (count) => {
        const findings = kept(verdict.findings, count);
        const omitted = verdict.findings.length - findings.length;
        const notifications = verdict.notices.map((n) => noticeNotification(n, prefix));
        if (omitted > 0) {
            notifications.unshift({
                level: 'warning',
                message: {
                    text: `${omitted} of ${verdict.findings.length} findings are left out: GitHub code scanning rejects a file ` +
                        `with more than ${limits.resultsPerRun} results in a run or more than ` +
                        `${size(limits.gzipBytes)} compressed. The most severe are kept; the JSON ` +
                        'report (--format json) has them all.',
                },
            });
        }
        const { summary } = verdict;
        const run = {
            tool: { driver },
            automationDetails: { id: category ? `claude-guard/${category}/` : 'claude-guard/' },
            invocations: [
                {
                    executionSuccessful: true,
                    toolExecutionNotifications: notifications,
                },
            ],
            originalUriBaseIds: {
                [SRCROOT]: {
                    description: {
                        text: 'The root of the repository scanned (the scanned folder when it is not in a git repository).',
                    },
                },
            },
            columnKind: 'utf16CodeUnits',
            results: findings.map((f) => result(f, index.get(f.ruleId), prefix, limits)),
            properties: {
                conclusion: summary.conclusion,
                failOn: verdict.policy.failOn,
                block: verdict.policy.block,
                policySources: verdict.policy.sources,
                filesScanned: summary.filesScanned,
                findings: summary.findings,
                blocking: summary.blocking,
                suppressed: summary.suppressed,
                bySeverity: summary.bySeverity,
                resultsOmitted: omitted,
            },
        };
        return `${safeJson({ $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] })}\n`;
    };
    let count = Math.min(verdict.findings.length, limits.resultsPerRun);
    for (;;) {
        const text = render(count);
        // gzip never grows text by more than a few bytes per 16 KiB block, so most files need no compressing.
        if (count === 0 || Buffer.byteLength(text) < limits.gzipBytes * 0.99)
            return text;
        const compressed = (0,external_node_zlib_.gzipSync)(text).length;
        if (compressed <= limits.gzipBytes)
            return text;
        count = Math.floor((count * limits.gzipBytes * 0.95) / compressed);
    }
}

;// CONCATENATED MODULE: ./lib/rules/docs.js
function fence(path) {
    if (path.endsWith('.json'))
        return 'json';
    if (path.endsWith('.yml') || path.endsWith('.yaml'))
        return 'yaml';
    if (path.endsWith('.sh'))
        return 'sh';
    return 'text';
}
/** The docs page of a rule, generated from its metadata; its examples are the rule's test cases. */
function renderRuleDoc(meta) {
    const out = [];
    out.push(`# ${meta.id} ${meta.name}`, '');
    out.push(`Default severity: **${meta.severity}**`, '');
    out.push(meta.summary, '');
    out.push('## Why it matters', '', meta.rationale, '');
    out.push('## How to fix', '', meta.fix, '');
    out.push('## Examples that are reported', '');
    for (const ex of meta.bad) {
        const lines = ex.lines.length === 1 ? `line ${ex.lines[0]}` : `lines ${ex.lines.join(', ')}`;
        out.push(`\`${ex.path}\` — ${ex.note} (reported at ${lines})`, '', '```' + fence(ex.path), ex.content.trimEnd(), '```', '');
    }
    out.push('## Examples that are not reported', '');
    for (const ex of meta.good) {
        out.push(`\`${ex.path}\` — ${ex.note}`, '', '```' + fence(ex.path), ex.content.trimEnd(), '```', '');
    }
    out.push('## Configuration', '', 'In `.github/claude-guard.yml`:', '', '```yaml', 'version: 1', 'rules:', `  ${meta.id}: off                 # or: { severity: medium }`, '```', '', "_This page is generated from the rule's metadata (`npm run build`); its examples are tested._", '');
    return out.join('\n');
}

;// CONCATENATED MODULE: ./lib/fs/classify.js
const BINARY_EXT = new Set(('png jpg jpeg gif bmp ico webp tif tiff psd pdf zip gz tgz bz2 xz 7z rar jar war class so dylib dll exe ' +
    'o a lib bin wasm woff woff2 ttf otf eot mp3 mp4 m4a mov avi mkv wav ogg flac webm pyc pyo db sqlite ' +
    'sqlite3 iso dmg img deb rpm apk ipa node pack idx keystore jks p12 pfx der heic avif').split(' '));
const SHELL_EXT = new Set(['sh', 'bash', 'zsh', 'ksh', 'dash']);
/** A path whose extension says it is binary: never read, not counted. */
function isBinaryPath(path) {
    const dot = path.lastIndexOf('.');
    return dot > path.lastIndexOf('/') + 1 && BINARY_EXT.has(path.slice(dot + 1).toLowerCase());
}
function classify(path) {
    const slash = path.lastIndexOf('/');
    const name = path.slice(slash + 1);
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
    if (BINARY_EXT.has(ext))
        return 'binary';
    if (name === 'settings.json' || name === 'settings.local.json') {
        if (path === `.claude/${name}` || path.endsWith(`/.claude/${name}`))
            return 'claude-settings';
    }
    if (name === 'managed-settings.json')
        return 'claude-settings';
    if (ext === 'json' && (path.startsWith('managed-settings.d/') || path.includes('/managed-settings.d/'))) {
        return 'claude-settings';
    }
    if (name === '.mcp.json')
        return 'mcp-config';
    if (ext === 'md' && /(^|\/)\.claude\/(commands|agents|skills)\//.test(path))
        return 'claude-markdown';
    if ((ext === 'yml' || ext === 'yaml') && /(^|\/)\.github\/workflows\/[^/]+$/.test(path))
        return 'workflow';
    if (name === 'action.yml' || name === 'action.yaml')
        return 'workflow';
    if (SHELL_EXT.has(ext) || path.startsWith('.husky/') || path.includes('/.husky/'))
        return 'shell-script';
    if (name === 'package.json')
        return 'package-json';
    if (/^(Dockerfile|Containerfile)(\..+)?$/.test(name) || /\.(dockerfile|containerfile)$/i.test(name))
        return 'dockerfile';
    if (name === 'devcontainer.json' || name === '.devcontainer.json')
        return 'devcontainer';
    if (name === 'Makefile' || name === 'makefile' || name === 'GNUmakefile' || ext === 'mk')
        return 'makefile';
    // `.gitlab-ci.yml`, and the `*.gitlab-ci.yml` files it conventionally includes.
    if (/(^|\.)gitlab-ci\.ya?ml$/.test(name))
        return 'gitlab-ci';
    if (/^(justfile|Justfile|\.justfile)$/.test(name) || ext === 'just')
        return 'justfile';
    if (name === '.pre-commit-config.yaml' || name === '.pre-commit-config.yml')
        return 'pre-commit';
    if (path === '.vscode/tasks.json' || path.endsWith('/.vscode/tasks.json'))
        return 'vscode-tasks';
    if (/^(docker-)?compose(\.[\w.-]+)?\.ya?ml$/.test(name))
        return 'compose';
    return 'text';
}
/** Which personal Claude file a path is, by name; undefined for any other path. Cheap: called on every path. */
function localConfigOf(path) {
    if (path.endsWith('.claude/settings.local.json'))
        return 'settings-local';
    if (path === '.claude.json' || path.endsWith('/.claude.json'))
        return 'claude-json';
    if (path === '.credentials.json' || path.endsWith('.claude/.credentials.json'))
        return 'credentials';
    if (path === 'CLAUDE.local.md' || path.endsWith('/CLAUDE.local.md'))
        return 'claude-local-md';
    return undefined;
}
function mayBeClaudeFile(path) {
    return path.includes('.claude/') || path.endsWith('.mcp.json') || path.includes('managed-settings');
}
/** A text file that is a shell script by its first line. */
function hasShellShebang(text) {
    // `#!/bin/bash`, `#!/usr/bin/env bash`, `#!/usr/bin/env -S bash -e`.
    return /^#!\s*\S*(\/|\s)(env\s+(-\S+\s+)*)?(ba|z|k|da)?sh\b/.test(text.slice(0, 80));
}
/**
 * The isolation a path itself implies: files under `.devcontainer/` are used inside a dev container;
 * Dockerfiles build containers.
 */
function isolationOfPath(path) {
    if (path.startsWith('.devcontainer/') ||
        path.includes('/.devcontainer/') ||
        path.endsWith('.devcontainer.json')) {
        return 'devcontainer';
    }
    return classify(path) === 'dockerfile' ? 'container' : undefined;
}

// EXTERNAL MODULE: ./lib/fs/list.js
var list = __webpack_require__(9683);
// EXTERNAL MODULE: ./lib/model/needles.js
var model_needles = __webpack_require__(7889);
;// CONCATENATED MODULE: ./lib/model/types.js
/** Most severe first. */
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
function severityRank(s) {
    return SEVERITIES.indexOf(s);
}

;// CONCATENATED MODULE: ./lib/policy/verdict.js




const SNIPPET_MAX = 200;
/**
 * The source line a span starts on, trimmed, shortened to a window around the span, with every credential
 * masked: those the line shows by their shape, and `hidden`, the ranges of the line that hold credentials
 * written in pieces (escaped, or split by quotes), which no pattern can see on the line itself. The window
 * is chosen on the line as written (so it holds the span) and widened so that it never cuts through a
 * credential, which would leave part of it unrecognisable and so unmasked.
 */
function snippetFor(lineText, span, hidden = [], found = (0,secret_patterns/* secretRanges */.xv)(lineText)) {
    const ranges = [...found, ...hidden].sort((a, b) => a[0] - b[0]);
    let start = 0;
    let end = lineText.length;
    if (lineText.length > SNIPPET_MAX) {
        start = Math.max(0, Math.min(span.column - 1 - 40, lineText.length - SNIPPET_MAX));
        end = start + SNIPPET_MAX;
        for (const [a, b] of ranges) {
            if (a < start && b > start)
                start = a;
            if (a < end && b > end)
                end = b;
        }
    }
    let shown = '';
    let at = start;
    for (const [a, b] of hidden.filter(([a, b]) => b > start && a < end).sort((x, y) => x[0] - y[0])) {
        if (a > at)
            shown += lineText.slice(at, a);
        if (b > at)
            shown += '********';
        at = Math.max(at, b);
    }
    shown += lineText.slice(at, end);
    return `${start > 0 ? '…' : ''}${(0,secret_patterns/* redact */.E$)(shown).trim()}${end < lineText.length ? '…' : ''}`;
}
function compareFindings(a, b) {
    return (severityRank(a.severity) - severityRank(b.severity) ||
        (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
        a.line - b.line ||
        a.column - b.column ||
        (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
        (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}
function blocks(severity, failOn) {
    return failOn !== 'never' && severityRank(severity) <= severityRank(failOn);
}
/**
 * Turns what the rules found into the verdict the policy gives. `suggestions`, when given, receives the
 * mechanical fixes by fingerprint (they are not part of the report).
 */
function judge(results, policy, filesScanned, source, notices, suggestions) {
    const findings = [];
    const seen = new Map();
    // Credentials on a line are looked for once, however many findings the line holds.
    const onLine = new Map();
    const snippetOf = (span) => {
        const text = source.lineText(span.path, span.line);
        const key = `${span.path}\0${span.line}`;
        let found = onLine.get(key);
        if (!found)
            onLine.set(key, (found = (0,secret_patterns/* secretRanges */.xv)(text)));
        return snippetFor(text, span, source.hiddenSecrets?.(span.path, span.line), found);
    };
    for (const { rule, findings: raw } of results) {
        const setting = policy.rules[rule.meta.id];
        if (setting?.off)
            continue;
        // The same cause found twice (a command read once per value its variables may hold) is one finding.
        const seenHere = new Set();
        for (const f of raw) {
            const key = `${f.span.path}:${f.span.line}:${f.span.column}:${f.span.endLine}:${f.span.endColumn}:${f.message}`;
            if (seenHere.has(key))
                continue;
            seenHere.add(key);
            const severity = f.severity ?? setting?.severity ?? rule.meta.severity;
            const base = (0,external_node_crypto_.createHash)('sha256')
                .update(`${rule.meta.id}\0${f.span.path}\0${f.evidence}`)
                .digest('hex')
                .slice(0, 32);
            const n = seen.get(base) ?? 0;
            seen.set(base, n + 1);
            const fingerprint = n === 0 ? base : `${base}:${n}`;
            if (suggestions && f.edit && f.span.line === f.span.endLine) {
                const line = source.lineText(f.span.path, f.span.line);
                const [from, to] = [f.span.column - 1, f.span.endColumn - 1];
                if (line.slice(from, to) === f.edit.expect)
                    suggestions.set(fingerprint, {
                        startLine: f.span.line,
                        endLine: f.span.line,
                        text: line.slice(0, from) + f.edit.replacement + line.slice(to),
                    });
            }
            findings.push({
                ruleId: rule.meta.id,
                ruleName: rule.meta.name,
                severity,
                message: (0,secret_patterns/* redact */.E$)(f.message),
                path: f.span.path,
                line: f.span.line,
                column: f.span.column,
                endLine: f.span.endLine,
                endColumn: f.span.endColumn,
                snippet: snippetOf(f.span),
                fingerprint,
                blocking: blocks(severity, policy.failOn),
                new: true,
                suppression: null,
                related: (f.related ?? []).map((r) => ({
                    path: r.span.path,
                    line: r.span.line,
                    message: (0,secret_patterns/* redact */.E$)(r.message),
                })),
                help: rule.meta.fix,
                docs: `docs/rules/${rule.meta.id}.md`,
            });
        }
    }
    findings.sort(compareFindings);
    const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
    for (const f of findings)
        bySeverity[f.severity]++;
    const blocking = findings.filter((f) => f.blocking).length;
    return {
        schemaVersion: 1,
        tool: { name: 'claude-guard', version: version/* VERSION */.x },
        policy: { sources: policy.sources, failOn: policy.failOn, block: policy.block },
        summary: {
            filesScanned,
            findings: findings.length,
            blocking,
            suppressed: 0,
            bySeverity,
            conclusion: blocking > 0 ? 'failure' : 'success',
        },
        findings,
        notices: [...notices].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    };
}

;// CONCATENATED MODULE: ./lib/surfaces/secrets.js

const ESCAPE = /\\(?:u\{([0-9A-Fa-f]{1,6})\}|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|x([0-9A-Fa-f]{2}))|\\\r?\n|\$?['"]/g;
/** `${NAME}`, `$NAME`, make's `$(NAME)`, and a workflow's `${{ env.NAME }}`. */
const REFERENCE = /\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*)|\(([A-Za-z_]\w*)\)|\{\{[ \t]*env\.([A-Za-z_]\w*)[ \t]*\}\})/g;
/**
 * `NAME=value` at the start of a line (after `export`/`readonly`/`local`/`declare`, or a Dockerfile's
 * `ENV`/`ARG`; make's `:=`/`?=` too), the value bare or quoted.
 */
const ASSIGNMENT = /^[ \t]*(?:(?:export|readonly|local|declare|ENV|ARG)[ \t]+)?([A-Za-z_]\w*)[ \t]*[:?]?=[ \t]*(?:"([^"\\$`\n]{1,64})"|'([^'\n]{1,64})'|([^\s"'\\$`;&|()<>]{1,64}))(?=[\s;&|)]|$)/gm;
/** A YAML mapping entry `NAME: value` on one line (a workflow's `env:`), the value bare or quoted. */
const YAML_ENTRY = /^[ \t]*(?:-[ \t]+)?([A-Za-z_]\w*):[ \t]+(?:"([^"\\\n]{1,64})"|'([^'\n]{1,64})'|([^\s"'#{}[\],&*!|>]{1,64}))[ \t]*$/gm;
/** Short values the text assigns to names; a name assigned twice with different values is left out. */
function assignedValues(text) {
    const values = new Map();
    const ambiguous = new Set();
    for (const m of [...text.matchAll(ASSIGNMENT), ...text.matchAll(YAML_ENTRY)]) {
        const name = m[1];
        const value = (m[2] ?? m[3] ?? m[4]);
        const seen = values.get(name);
        if (seen !== undefined && seen !== value)
            ambiguous.add(name);
        values.set(name, value);
    }
    for (const name of ambiguous)
        values.delete(name);
    return values;
}
/** Whether a text may hold something written in pieces: an escape, a continuation, quotes side by side. */
function mayBeWrittenInPieces(text) {
    return /\\[uUx]|\\\r?\n|['"]\$?['"]|\$['"]|\$[{(]?[A-Za-z_]|\$\{\{/.test(text);
}
function decodedView(text) {
    const variables = text.includes('$') ? assignedValues(text) : new Map();
    const pattern = variables.size === 0 ? ESCAPE : new RegExp(`${ESCAPE.source}|${REFERENCE.source}`, 'g');
    // Pieces of the view, each either copied from the source or standing for a source range.
    const parts = [];
    const copied = [];
    const starts = [];
    const ends = [];
    let length = 0;
    const piece = (value, copy, start, end) => {
        if (value.length === 0)
            return;
        parts.push(value);
        copied.push(copy);
        starts.push(start);
        ends.push(end);
        length += value.length;
    };
    let last = 0;
    for (const m of text.matchAll(pattern)) {
        const at = m.index ?? 0;
        const end = at + m[0].length;
        const name = m[5] ?? m[6] ?? m[7] ?? m[8];
        const value = name !== undefined
            ? variables.get(name)
            : (m[1] ?? m[2] ?? m[3] ?? m[4])
                ? escaped(m[1] ?? m[2] ?? m[3] ?? m[4])
                : '';
        if (value === undefined)
            continue; // a variable this text gives no value: kept as written
        piece(text.slice(last, at), true, last, at);
        piece(value, false, at, end); // empty for a continuation or a quote: dropped
        last = end;
    }
    piece(text.slice(last), true, last, text.length);
    const from = new Int32Array(length);
    const to = new Int32Array(length);
    let n = 0;
    for (let p = 0; p < parts.length; p++) {
        const size = parts[p].length;
        const start = starts[p];
        const end = ends[p];
        for (let k = 0; k < size; k++, n++) {
            from[n] = copied[p] ? start + k : start;
            to[n] = copied[p] ? start + k + 1 : end;
        }
    }
    return { text: parts.join(''), from, to };
}
function escaped(hex) {
    const code = Number.parseInt(hex, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
}
/** The parts of a source text that a view joins: split at escapes, quotes and variable references. */
const SEAMS = new RegExp(`${ESCAPE.source}|\\$(?:\\{[A-Za-z_]\\w*\\}|[A-Za-z_]\\w*|\\([A-Za-z_]\\w*\\)|\\{\\{[ \\t]*env\\.[A-Za-z_]\\w*[ \\t]*\\}\\})`, 'g');
function tokenFor(file, pattern, m, start, end) {
    const match = m[0];
    const body = m.slice(1).find((g) => g !== undefined && g.length > 0 && !/^([A-Z]+ )+$/.test(g)) ?? match;
    const token = {
        kind: pattern.kind,
        span: file.span(start, end),
        value: match,
        masked: (0,secret_patterns/* maskSecret */.$l)(pattern, match),
    };
    const reason = (0,secret_patterns/* placeholderReason */.E6)(pattern, match, body);
    if (reason)
        token.placeholder = reason;
    const source = file.text.slice(start, end);
    if (source !== match) {
        // Written in pieces: each piece of the source is masked wherever it shows up.
        token.pieces = [source, ...source.split(SEAMS).filter((p) => typeof p === 'string')];
    }
    return token;
}
/**
 * Every credential-shaped string in a text file, each with its exact span: as written, and as a program
 * would read it once escapes are decoded and quoted pieces joined (then the span covers every piece).
 */
function findSecrets(file) {
    const found = [];
    const ranges = [];
    const view = mayBeWrittenInPieces(file.text) ? decodedView(file.text) : undefined;
    if (view && view.text !== file.text) {
        for (const pattern of secret_patterns/* SECRET_PATTERNS */.XN) {
            if (!(0,secret_patterns/* mayHold */.BV)(pattern, view.text))
                continue;
            for (const m of view.text.matchAll(pattern.regex)) {
                const i = m.index ?? 0;
                const start = view.from[i];
                const end = view.to[i + m[0].length - 1];
                ranges.push([start, end]);
                found.push(tokenFor(file, pattern, m, start, end));
            }
        }
    }
    for (const pattern of secret_patterns/* SECRET_PATTERNS */.XN) {
        if (!(0,secret_patterns/* mayHold */.BV)(pattern, file.text))
            continue;
        for (const m of file.text.matchAll(pattern.regex)) {
            const start = m.index ?? 0;
            const end = start + m[0].length;
            // Already found whole in the decoded view.
            if (ranges.some(([a, b]) => a <= start && end <= b))
                continue;
            found.push(tokenFor(file, pattern, m, start, end));
        }
    }
    return found;
}

// EXTERNAL MODULE: ./node_modules/jsonc-parser/lib/umd/main.js
var main = __webpack_require__(9547);
;// CONCATENATED MODULE: ./lib/model/claude-command.js

/** Flags of the `claude` CLI and how many values each takes (variadic ones take words until the next flag). */
const FLAGS = new Map(Object.entries({
    '-p': 'none',
    '--print': 'none',
    '--dangerously-skip-permissions': 'none',
    '--allow-dangerously-skip-permissions': 'none',
    '--verbose': 'none',
    '--debug': 'none',
    '-d': 'none',
    '-c': 'none',
    '--continue': 'none',
    '--strict-mcp-config': 'none',
    '--bare': 'none',
    '--safe-mode': 'none',
    '--include-partial-messages': 'none',
    '--replay-user-messages': 'none',
    '--fork-session': 'none',
    '--no-session-persistence': 'none',
    '--ide': 'none',
    '-v': 'none',
    '--version': 'none',
    '-h': 'none',
    '--help': 'none',
    '--permission-mode': 'one',
    '--model': 'one',
    '--fallback-model': 'one',
    '--output-format': 'one',
    '--input-format': 'one',
    '--max-turns': 'one',
    '--max-budget-usd': 'one',
    '--settings': 'one',
    '--setting-sources': 'one',
    '--system-prompt': 'one',
    '--system-prompt-file': 'one',
    '--append-system-prompt': 'one',
    '--append-system-prompt-file': 'one',
    '--permission-prompt-tool': 'one',
    '--json-schema': 'one',
    '--agent': 'one',
    '--agents': 'one',
    '--session-id': 'one',
    '-r': 'optional',
    '--resume': 'optional',
    '--debug-file': 'one',
    '--plugin-url': 'one',
    '--api-key': 'one',
    '--allowedTools': 'many',
    '--allowed-tools': 'many',
    '--disallowedTools': 'many',
    '--disallowed-tools': 'many',
    '--tools': 'many',
    '--add-dir': 'many',
    '--mcp-config': 'many',
    '--plugin-dir': 'many',
    '--betas': 'many',
}));
const ALLOWED = new Set(['--allowedTools', '--allowed-tools']);
const DISALLOWED = new Set(['--disallowedTools', '--disallowed-tools']);
/** A word that could be a permission rule (rather than a prompt given after a variadic flag). */
const RULE_LIKE = /^[A-Za-z_*][\w*.-]*(\(.*)?$/s;
function isFlag(arg) {
    return !arg.dynamic && arg.value.startsWith('-') && arg.value.length > 1;
}
/** Splits `--name=value` into a flag and a value word that keeps exact positions. */
function splitEquals(arg) {
    const eq = arg.value.indexOf('=');
    if (!arg.value.startsWith('--') || eq < 0)
        return { name: arg.value };
    const text = arg.value.slice(eq + 1);
    const value = {
        value: text,
        span: arg.sub(eq + 1, arg.value.length),
        sub: (from, to) => arg.sub(eq + 1 + from, eq + 1 + to),
        dynamic: arg.dynamic,
    };
    return { name: arg.value.slice(0, eq), value };
}
/** The rules in one value of `--allowedTools`, each with its own span. */
function toolRulesIn(arg) {
    return splitToolList(arg.value)
        .filter((part) => RULE_LIKE.test(part.value))
        .map((part) => ({ value: parseToolRule(part.value), span: arg.sub(part.start, part.end) }));
}
/**
 * Reads the arguments of a `claude` command (everything after the program name). Unknown flags are kept
 * with no value; words that are not flags are prompts or subcommands.
 */
function parseClaudeArgs(args) {
    const cmd = {
        args,
        flags: [],
        allowedTools: [],
        disallowedTools: [],
        addDirs: [],
        print: false,
    };
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (!arg.dynamic && arg.value === '--')
            break;
        if (!isFlag(arg))
            continue;
        const { name, value: inline } = splitEquals(arg);
        const arity = FLAGS.get(name) ?? 'none';
        const values = [];
        if (inline)
            values.push(inline);
        else if (arity === 'one' && i + 1 < args.length)
            values.push(args[++i]);
        // `--resume` alone opens a picker; it takes the next word only when that is not a flag.
        else if (arity === 'optional' && i + 1 < args.length && !isFlag(args[i + 1]))
            values.push(args[++i]);
        else if (arity === 'many') {
            while (i + 1 < args.length && !isFlag(args[i + 1]))
                values.push(args[++i]);
        }
        const flag = { name, span: arg.span, values };
        cmd.flags.push(flag);
        const first = values[0];
        if (name === '-p' || name === '--print')
            cmd.print = true;
        else if (name === '--dangerously-skip-permissions')
            cmd.dangerouslySkipPermissions = arg.span;
        else if (name === '--allow-dangerously-skip-permissions')
            cmd.allowDangerouslySkipPermissions = arg.span;
        else if (name === '--permission-mode' && first) {
            cmd.permissionMode = { value: first.value, span: first.span };
        }
        else if (ALLOWED.has(name))
            cmd.allowedTools.push(...values.flatMap(toolRulesIn));
        else if (DISALLOWED.has(name))
            cmd.disallowedTools.push(...values.flatMap(toolRulesIn));
        else if (name === '--add-dir')
            cmd.addDirs.push(...values.map((v) => ({ value: v.value, span: v.span })));
    }
    return cmd;
}
/**
 * Splits a string of command-line arguments (a `claude_args` input) into words the way a POSIX shell would
 * quote them, without running anything: `'…'`, `"…"`, backslash escapes, whitespace and newlines separate.
 * Offsets of each character of each word are kept, so a word's parts keep exact positions.
 */
function splitArgString(text) {
    const words = [];
    let i = 0;
    while (i < text.length) {
        // Whitespace and backslash-newline line continuations separate words.
        while (i < text.length && (/\s/.test(text[i]) || (text[i] === '\\' && text[i + 1] === '\n'))) {
            i += text[i] === '\\' ? 2 : 1;
        }
        if (i >= text.length)
            break;
        if (text[i] === '#') {
            while (i < text.length && text[i] !== '\n')
                i++;
            continue;
        }
        const start = i;
        let value = '';
        let quoted = false;
        const offsets = [];
        while (i < text.length && !/\s/.test(text[i])) {
            const c = text[i];
            if (c === "'" || c === '"')
                quoted = true;
            if (c === "'") {
                i++;
                while (i < text.length && text[i] !== "'") {
                    offsets.push(i);
                    value += text[i++];
                }
                i++;
            }
            else if (c === '"') {
                i++;
                while (i < text.length && text[i] !== '"') {
                    if (text[i] === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]))
                        i++;
                    offsets.push(i);
                    value += text[i++];
                }
                i++;
            }
            else if (c === '\\' && i + 1 < text.length) {
                i++;
                if (text[i] === '\n') {
                    i++;
                    continue;
                }
                offsets.push(i);
                value += text[i++];
            }
            else {
                offsets.push(i);
                value += c;
                i++;
            }
        }
        if (value.length > 0 || quoted)
            words.push({ value, start, end: Math.min(i, text.length), offsets });
    }
    return words;
}

;// CONCATENATED MODULE: ./lib/surfaces/shell.js

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
function branchesOf(node) {
    const ids = [];
    for (let p = node.parent; p; p = p.parent)
        if (BRANCHING.has(p.type))
            ids.push(p.id);
    return ids;
}
/** Syntax nesting read at most: far deeper than scripts people write. */
const MAX_TREE_DEPTH = 200;
/** Scripts inside scripts inside scripts… are read this deep at most. */
const MAX_NESTED_SCRIPTS = 8;
/** At most this many readings of one command when its variables may hold several values. */
const MAX_VARIANTS = 16;
/** Options of `docker run`/`docker exec` (and podman's) that take a value. */
const CONTAINER_VALUED = ('-e --env --env-file -v --volume -w --workdir --name -u --user --network --net --entrypoint -p --publish ' +
    '--mount --platform -l --label --cpus -m --memory --gpus --add-host --cap-add --cap-drop --security-opt ' +
    '--ulimit --restart -h --hostname --pull --shm-size --tmpfs --device --dns --ipc --pid --runtime ' +
    '--stop-signal --log-driver --log-opt --detach-keys --cidfile --group-add --label-file --memory-swap').split(' ');
const DEVCONTAINER_VALUED = [
    '--workspace-folder',
    '--container-id',
    '--id-label',
    '--config',
    '--override-config',
    '--remote-env',
    '--docker-path',
    '--docker-compose-path',
    '--log-level',
    '--log-format',
    '--user-data-folder',
];
/** Wrappers that put the command inside a container, and which kind. */
const CONTAINER_WRAPPERS = new Map(Object.entries({
    'docker run': 'container',
    'docker exec': 'container',
    'podman run': 'container',
    'podman exec': 'container',
    'devcontainer exec': 'devcontainer',
}));
/**
 * The run a Claude command found in a script makes, in its file's context: a command started through
 * `docker run` or `devcontainer exec` runs inside that container, whatever the file's own context.
 */
function runOf(path, call, context) {
    const wrapper = call.wrappers.find((w) => CONTAINER_WRAPPERS.has(w.value));
    const inside = wrapper
        ? {
            ...context,
            isolation: { value: CONTAINER_WRAPPERS.get(wrapper.value), span: wrapper.span },
        }
        : context;
    return {
        kind: 'cli',
        path,
        span: call.program.span,
        context: inside,
        command: call.command,
        program: call.program,
        wrappers: call.wrappers,
        env: call.env.map(({ name, value }) => ({ name, value, origin: envOrigin(value) })),
    };
}
/**
 * Where a value comes from, by how it is written: a workflow secret (`${{ secrets.X }}`), another workflow
 * expression, a shell variable or substitution, or the literal text.
 */
function envOrigin(value) {
    if (/\$\{\{\s*secrets\./.test(value.value))
        return 'secret';
    if (/\$\{\{/.test(value.value))
        return 'expression';
    if (value.dynamic || /\$[A-Za-z_{(]/.test(value.value))
        return 'variable';
    return 'literal';
}
/** Wrappers that run a package: `npx @anthropic-ai/claude-code` is Claude. */
const PACKAGE_RUNNERS = new Set([
    'npx',
    'bunx',
    'npm exec',
    'npm x',
    'pnpm dlx',
    'pnpm exec',
    'yarn dlx',
    'yarn exec',
]);
const SHELL_NAMES = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh']);
/** File names that hold shell code: scripts and shell start-up files. */
const SCRIPT_FILE = /(\.(sh|bash|zsh|ksh)|(^|\/)\.?(bashrc|zshrc|profile|bash_profile|zprofile|bash_aliases)|-functions)$/;
/** GitHub `${{ … }}` and GitLab `$[[ … ]]` expressions: replaced before the shell ever sees them. */
const EXPRESSION = /\$\{\{[\s\S]*?\}\}|\$\[\[[\s\S]*?\]\]/g;
const CLAUDE_PACKAGE = /^@anthropic-ai\/claude-code(@[^/\s]*)?$/;
const EXPANSIONS = new Set([
    'simple_expansion',
    'expansion',
    'command_substitution',
    'arithmetic_expansion',
    'process_substitution',
]);
/** Options of wrappers that take a value; every other option is a lone switch. */
const WRAPPERS = new Map(Object.entries({
    sudo: { valued: ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '--user', '--group'] },
    doas: { valued: ['-u', '-C'] },
    env: { valued: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string'] },
    'cross-env': { valued: [] },
    'cross-env-shell': { valued: [] },
    dotenv: { valued: ['-e', '-c', '-v', '-p'] },
    timeout: { valued: ['-s', '--signal', '-k', '--kill-after'], operands: 1 },
    nohup: { valued: [] },
    exec: { valued: ['-a'] },
    nice: { valued: ['-n', '--adjustment'] },
    ionice: { valued: ['-c', '-n', '-p', '--class', '--classdata'] },
    time: { valued: ['-f', '-o', '--format', '--output'] },
    stdbuf: { valued: ['-i', '-o', '-e'] },
    command: { valued: [] },
    builtin: { valued: [] },
    noglob: { valued: [] },
    unbuffer: { valued: [] },
    chronic: { valued: [] },
    watch: { valued: ['-n', '--interval', '-d', '-q', '--equexit'] },
    xargs: {
        valued: ['-I', '-i', '-n', '-P', '-L', '-l', '-d', '-E', '-e', '-s', '-a', '--max-args', '--max-procs'],
    },
    npx: { valued: ['-p', '--package', '-c', '--call', '--cache', '--registry'] },
    bunx: { valued: ['-p', '--package'] },
}));
function basename(word) {
    const slash = word.lastIndexOf('/');
    return slash >= 0 ? word.slice(slash + 1) : word;
}
class ShellReader {
    parser;
    input;
    original;
    parsedText;
    expressions = [];
    /** Offsets in the script text of each character of an Arg this reader made, for scripts inside words. */
    argOffsets = new WeakMap();
    marks;
    constructor(parser, input) {
        this.parser = parser;
        this.input = input;
        this.original = input.text;
        // GitHub expressions are not shell; the parser sees a word of the same length in their place.
        this.parsedText = input.text.replace(EXPRESSION, (m, at) => {
            this.expressions.push([at, at + m.length]);
            return 'E'.repeat(m.length);
        });
    }
    /** Every `claude` command in the script, in order of appearance. */
    claudeCalls() {
        const tree = this.parser.parse(this.parsedText);
        if (!tree)
            return [];
        try {
            const calls = [];
            const variables = new Map();
            // A cursor walks the tree without building a node object for every node; only the nodes of the
            // three kinds read here are materialised, and commands that cannot start Claude are passed over.
            const cursor = tree.walk();
            // Iterative: a script nested thousands deep must not exhaust the stack.
            let depth = 0;
            const visit = () => {
                for (;;) {
                    const type = cursor.nodeType;
                    if (type === 'variable_assignment')
                        this.recordVariable(cursor.currentNode, variables);
                    else if (type === 'command' && this.mayStartClaude(cursor.startIndex, cursor.endIndex)) {
                        const node = cursor.currentNode;
                        const variants = this.commandVariants(node, variables);
                        for (const words of variants) {
                            const call = this.claudeCallIn(node, words);
                            if (call)
                                calls.push(call);
                        }
                        for (const call of this.shellCommandString(variants[0] ?? []))
                            calls.push(call);
                    }
                    else if (type === 'redirected_statement' &&
                        this.mayStartClaude(cursor.startIndex, cursor.endIndex)) {
                        for (const call of this.heredocScript(cursor.currentNode, variables))
                            calls.push(call);
                    }
                    // Nesting deeper than any real script is not descended into (each level costs every level above).
                    if (depth < MAX_TREE_DEPTH && cursor.gotoFirstChild()) {
                        depth++;
                        continue;
                    }
                    while (!cursor.gotoNextSibling()) {
                        if (!cursor.gotoParent())
                            return;
                        depth--;
                    }
                }
            };
            try {
                visit();
            }
            finally {
                cursor.delete();
            }
            return calls;
        }
        finally {
            tree.delete();
        }
    }
    /** Claude can start only where its name is written, or hides in an expansion (`$CLAUDE`, `$(…)`). */
    mayStartClaude(start, end) {
        // Where `claude` and `$` stand in the script, found once; each command then asks in log time.
        this.marks ??= [...this.original.matchAll(/claude|\$/g)].map((m) => m.index ?? 0);
        let lo = 0;
        let hi = this.marks.length;
        while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (this.marks[mid] < start)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo < this.marks.length && this.marks[lo] < end;
    }
    isDynamicRange(start, end) {
        return this.expressions.some(([a, b]) => a < end && b > start);
    }
    arg(word) {
        const { lines, toFile } = this.input;
        const first = word.offsets[0] ?? 0;
        const last = word.offsets[word.offsets.length - 1] ?? first;
        // Spans are computed when asked for: most words of most commands never are.
        let span;
        const whole = () => (span ??= lines.span(toFile(first), toFile(last) + 1));
        const arg = {
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
    wordText(node) {
        const src = this.original;
        const out = { value: '', offsets: [], dynamic: false };
        const push = (i) => {
            out.value += src[i];
            out.offsets.push(i);
        };
        const raw = (from, to) => {
            for (let i = from; i < to; i++)
                push(i);
        };
        const start = node.startIndex;
        const end = node.endIndex;
        if (this.isDynamicRange(start, end))
            out.dynamic = true;
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
                        if (src[i] === '\n')
                            continue;
                    }
                    push(i);
                }
                if (node.namedChildren.some((c) => c && EXPANSIONS.has(c.type)))
                    out.dynamic = true;
                break;
            case 'concatenation':
                for (const child of node.children) {
                    if (!child)
                        continue;
                    const part = this.wordText(child);
                    out.value += part.value;
                    for (const o of part.offsets)
                        out.offsets.push(o);
                    out.dynamic ||= part.dynamic;
                }
                break;
            case 'word':
            case 'number':
                for (let i = start; i < end; i++) {
                    if (src[i] === '\\' && i + 1 < end) {
                        i++;
                        if (src[i] === '\n')
                            continue;
                    }
                    push(i);
                }
                break;
            default:
                raw(start, end);
                out.dynamic = true;
        }
        return out;
    }
    /** Splits a word's text on whitespace, as an unquoted expansion would be. */
    fieldSplit(word) {
        const args = [];
        let current;
        for (let i = 0; i <= word.value.length; i++) {
            const c = word.value[i];
            if (c === undefined || c === ' ' || c === '\t' || c === '\n') {
                if (current)
                    args.push(this.arg(current));
                current = undefined;
            }
            else {
                current ??= { value: '', offsets: [], dynamic: word.dynamic };
                current.value += c;
                current.offsets.push(word.offsets[i]);
            }
        }
        return args;
    }
    recordVariable(node, variables) {
        const name = node.childForFieldName('name');
        const value = node.childForFieldName('value');
        if (!name || name.type !== 'variable_name')
            return;
        // `FLAGS=x cmd` sets FLAGS for cmd only, not for the rest of the script.
        if (node.parent?.type === 'command')
            return;
        const list = variables.get(name.text) ?? [];
        const branches = branchesOf(node);
        if (value?.type === 'array') {
            const words = value.namedChildren
                .filter((c) => !!c)
                .map((c) => this.arg(this.wordText(c)));
            list.push({ at: node.startIndex, words, array: true, branches });
        }
        else if (value) {
            const text = this.wordText(value);
            list.push({
                at: node.startIndex,
                words: this.fieldSplit(text),
                whole: this.arg(text),
                array: false,
                branches,
            });
        }
        else
            list.push({ at: node.startIndex, words: [], array: false, branches });
        variables.set(name.text, list);
    }
    /**
     * The values a variable may hold at `at`, as words: the last assignment that surely ran, and every
     * assignment after it that may have (inside an `if`, a `case`, after `&&`…). Undefined when the script
     * never assigns it before.
     */
    variableAlternatives(name, at, quoted, variables, useBranches) {
        // Assignments are recorded in the order of the script: those before `at` are a prefix.
        const all = variables.get(name) ?? [];
        let count = 0;
        let hi = all.length;
        while (count < hi) {
            const mid = (count + hi) >> 1;
            if (all[mid].at < at)
                count = mid + 1;
            else
                hi = mid;
        }
        if (count === 0)
            return undefined;
        let from = count - 1;
        while (from > 0 && !all[from].branches.every((id) => useBranches.has(id)))
            from--;
        // "$FLAGS" is one word; "${ARGS[@]}" is one word per element; unquoted $FLAGS is split on whitespace.
        return all.slice(from, count).map((e) => (quoted && !e.array ? (e.whole ? [e.whole] : []) : e.words));
    }
    /** The words of a command, with `$FLAGS` and `"${ARGS[@]}"` expanded when this script assigns them. */
    commandWords(node, variables) {
        return this.commandVariants(node, variables)[0] ?? [];
    }
    /** Every reading of a command's words, one per combination of the values its variables may hold. */
    commandVariants(node, variables) {
        const useBranches = new Set(branchesOf(node).concat(node.id));
        let variants = [[]];
        const parts = [node.childForFieldName('name'), ...node.childrenForFieldName('argument')];
        for (const part of parts) {
            if (!part)
                continue;
            const target = part.type === 'command_name' ? part.firstNamedChild : part;
            if (!target)
                continue;
            const options = this.expandAlternatives(target, variables, useBranches) ?? [
                [this.arg(this.wordText(target))],
            ];
            if (options.length === 1) {
                // One value: every reading grows in place (copying each time made long commands quadratic).
                for (const variant of variants)
                    for (const word of options[0])
                        variant.push(word);
                continue;
            }
            const next = [];
            for (const variant of variants) {
                for (const option of options)
                    if (next.length < MAX_VARIANTS)
                        next.push([...variant, ...option]);
            }
            variants = next;
        }
        return variants;
    }
    expandVariable(node, variables) {
        const options = this.expandAlternatives(node, variables, new Set(branchesOf(node)));
        return options?.[options.length - 1];
    }
    expandAlternatives(node, variables, useBranches) {
        if (this.input.expression) {
            // A word that is only a CI expression, quoted or not.
            const raw = this.original.slice(node.startIndex, node.endIndex).replace(/^"(.*)"$/s, '$1');
            const m = /^\$\{\{\s*([\s\S]*?)\s*\}\}$/.exec(raw);
            if (m)
                return this.input.expression(m[1]);
        }
        let inner = node;
        if (node.type === 'string' && node.namedChildCount === 1)
            inner = node.namedChildren[0];
        if (inner.type === 'simple_expansion' || inner.type === 'expansion') {
            const text = inner.text;
            const m = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)(\[[@*]\])?\}?$/.exec(text);
            if (!m ||
                (node.type === 'string' && inner.endIndex - inner.startIndex !== node.endIndex - node.startIndex - 2)) {
                return undefined;
            }
            const name = m[1];
            const outer = this.input.outer?.get(name);
            return (this.variableAlternatives(name, node.startIndex, node.type === 'string', variables, useBranches) ??
                (outer ? [outer] : undefined));
        }
        if (inner.type === 'command_substitution' && this.input.outer) {
            // In a Makefile recipe `$(FLAGS)` is the make variable, not a command.
            const m = /^\$\(([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(inner.text);
            const outer = m ? this.input.outer.get(m[1]) : undefined;
            if (outer)
                return [outer];
        }
        return undefined;
    }
    /** Claude commands in a script held by a word (`bash -c "…"`), read with the word's own positions. */
    nested(text, offsets) {
        const { toFile, lines } = this.input;
        const depth = (this.input.depth ?? 0) + 1;
        if (depth > MAX_NESTED_SCRIPTS)
            return [];
        const at = (i) => toFile(offsets[Math.min(i, offsets.length - 1)] ?? 0);
        return new ShellReader(this.parser, { text, toFile: at, lines, depth }).claudeCalls();
    }
    /** `bash -c 'claude …'`, `sudo sh -c "…"`: the string is a script of its own. */
    shellCommandString(words) {
        if (words[0]?.value === 'alias') {
            // `alias yolo='claude --dangerously-skip-permissions'`: the value runs whenever the alias does.
            return words.slice(1).flatMap((w) => {
                const eq = w.value.indexOf('=');
                const offsets = this.argOffsets.get(w);
                if (eq < 0 || !offsets || !w.value.includes('claude'))
                    return [];
                return this.nested(w.value.slice(eq + 1), offsets.slice(eq + 1));
            });
        }
        let i = 0;
        while (i < words.length &&
            ['sudo', 'env', 'exec', 'nohup', 'timeout'].includes(basename(words[i]?.value ?? ''))) {
            i = unwrap(basename(words[i]?.value ?? ''), words, i, []) ?? words.length;
        }
        const split = words.findIndex((w, k) => k > 0 &&
            basename(words[0]?.value ?? '') === 'env' &&
            (w.value === '-S' || w.value === '--split-string'));
        if (split > 0) {
            // `env -S "claude --flag"` splits its string into a command line.
            const script = words[split + 1];
            const offsets = script && this.argOffsets.get(script);
            if (script && offsets && script.value.includes('claude'))
                return this.nested(script.value, offsets);
        }
        if (!SHELL_NAMES.has(basename(words[i]?.value ?? '')))
            return [];
        for (let j = i + 1; j < words.length - 1; j++) {
            const flag = words[j]?.value ?? '';
            if (!/^-[a-zA-Z]*c[a-zA-Z]*$/.test(flag))
                continue;
            const script = words[j + 1];
            const offsets = this.argOffsets.get(script);
            return offsets && script.value.includes('claude') ? this.nested(script.value, offsets) : [];
        }
        return [];
    }
    /**
     * A here-doc is data, not commands, unless it is fed to a shell (`bash <<EOF`) or written to a script file
     * (`cat > run.sh <<EOF`, or a variable this script set to such a name).
     */
    heredocScript(node, variables) {
        const body = node.namedChildren
            .find((c) => c?.type === 'heredoc_redirect')
            ?.namedChildren.find((c) => c?.type === 'heredoc_body');
        if (!body || !this.original.slice(body.startIndex, body.endIndex).includes('claude'))
            return [];
        const command = node.childForFieldName('body');
        const program = command?.type === 'command' ? this.commandWords(command, variables)[0] : undefined;
        const toShell = (program !== undefined && SHELL_NAMES.has(basename(program.value))) ||
            // A script written whole, such as a git hook: its first line says so.
            /^\s*#!/.test(this.original.slice(body.startIndex, body.endIndex));
        const toScript = node.namedChildren.some((c) => {
            if (c?.type !== 'file_redirect')
                return false;
            const target = c.childForFieldName('destination') ?? c.lastNamedChild;
            if (!target)
                return false;
            const words = this.expandVariable(target, variables) ?? [this.arg(this.wordText(target))];
            return words.some((w) => SCRIPT_FILE.test(w.value));
        });
        if (!toShell && !toScript)
            return [];
        const offsets = Array.from({ length: body.endIndex - body.startIndex }, (_, k) => body.startIndex + k);
        return this.nested(this.original.slice(body.startIndex, body.endIndex), offsets);
    }
    /** The Claude command a command node starts, once per reading of its variables. */
    claudeCall(node, variables) {
        return this.commandVariants(node, variables).flatMap((words) => this.claudeCallIn(node, words) ?? []);
    }
    claudeCallIn(node, words) {
        const env = [];
        for (const child of node.children) {
            if (child?.type !== 'variable_assignment')
                continue;
            const name = child.childForFieldName('name');
            const value = child.childForFieldName('value');
            if (name && value)
                env.push({ name: name.text, value: this.arg(this.wordText(value)) });
        }
        return claudeInWords(words, env);
    }
}
/** Span of the whole input, for messages about a script that could not be read. */
function inputSpan(input) {
    return input.lines.span(input.toFile(0), input.toFile(Math.max(0, input.text.length - 1)) + 1);
}
/**
 * The Claude command in a command's words, through any wrappers (`sudo`, `env`, `timeout`, `npx`…), or
 * undefined when the command does not start Claude. `env` collects `NAME=value` prefixes met on the way.
 */
function claudeInWords(words, env = []) {
    const wrappers = [];
    let i = 0;
    for (;;) {
        const word = words[i];
        if (!word)
            return undefined;
        // `"$HOME/.local/bin/claude"` is Claude wherever HOME points.
        if (word.dynamic && !/\/claude$/.test(word.value))
            return undefined;
        // `npx @devcontainers/cli exec …` is the devcontainer CLI.
        const viaRunner = wrappers.some((w) => PACKAGE_RUNNERS.has(w.value));
        const name = viaRunner && /^@devcontainers\/cli(@|$)/.test(word.value) ? 'devcontainer' : basename(word.value);
        if (name === 'claude' || CLAUDE_PACKAGE.test(word.value)) {
            if (CLAUDE_PACKAGE.test(word.value) && !wrappers.some((w) => PACKAGE_RUNNERS.has(w.value)))
                return undefined;
            const args = words.slice(i + 1);
            return { program: word, args, env, wrappers, command: parseClaudeArgs(args) };
        }
        const next = unwrap(name, words, i, env);
        if (next === undefined)
            return undefined;
        const runner = ['npm', 'pnpm', 'yarn', 'docker', 'podman', 'devcontainer'].includes(name);
        const sub = words[i + 1]?.value === 'container' ? (words[i + 2]?.value ?? '') : (words[i + 1]?.value ?? '');
        wrappers.push({ value: runner ? `${name} ${sub}` : name, span: word.span });
        i = next;
    }
}
/** When `words[i]` is a wrapper that runs the command after it, the index of that command. */
function unwrap(name, words, i, env) {
    // `npm exec`, `pnpm dlx`, `pnpm exec`, `yarn dlx` behave like npx.
    if ((name === 'npm' || name === 'pnpm' || name === 'yarn') &&
        ['exec', 'dlx', 'x'].includes(words[i + 1]?.value ?? '')) {
        return skipOptions(words, i + 2, WRAPPERS.get('npx')?.valued ?? [], env, 0);
    }
    // `docker run [options] IMAGE cmd…`, `docker exec [options] CONTAINER cmd…`, and podman's, and
    // `devcontainer exec [options] cmd…`: the command runs inside the container.
    const sub = words[i + 1]?.value === 'container' ? 2 : 1;
    if ((name === 'docker' || name === 'podman') && ['run', 'exec'].includes(words[i + sub]?.value ?? '')) {
        return skipOptions(words, i + sub + 1, CONTAINER_VALUED, [], 1);
    }
    if (name === 'devcontainer' && words[i + 1]?.value === 'exec') {
        return skipOptions(words, i + 2, DEVCONTAINER_VALUED, [], 0);
    }
    const spec = WRAPPERS.get(name);
    if (!spec)
        return undefined;
    if (name === 'command' && ['-v', '-V'].includes(words[i + 1]?.value ?? ''))
        return undefined;
    return skipOptions(words, i + 1, spec.valued, env, spec.operands ?? 0, ['env', 'sudo', 'cross-env', 'cross-env-shell'].includes(name));
}
function skipOptions(words, from, valued, env, operands, takesAssignments = false) {
    let j = from;
    while (j < words.length) {
        const w = words[j].value;
        if (w === '--') {
            j++;
            break;
        }
        if (w.startsWith('-') && w.length > 1) {
            // `-u ci`, and clusters such as `-Eu ci` whose last letter takes the value.
            const cluster = !w.startsWith('--') && w.length > 2 && valued.includes(`-${w.at(-1)}`);
            j += valued.includes(w) || cluster ? 2 : 1;
            continue;
        }
        const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(w);
        if (takesAssignments && assignment) {
            const arg = words[j];
            const offset = assignment[1].length + 1;
            env.push({
                name: assignment[1],
                value: {
                    ...arg,
                    value: w.slice(offset),
                    span: arg.sub(offset, w.length),
                    sub: (a, b) => arg.sub(offset + a, offset + b),
                },
            });
            j++;
            continue;
        }
        break;
    }
    return j + operands;
}

;// CONCATENATED MODULE: ./lib/syntax/words.js
const words_EXPANSIONS = new Map([
    ['actions', /\$\{\{|\$\(|\$[A-Za-z_{]/],
    ['exec', /\$\{?[A-Za-z_]/],
    ['make', /\$[({]/],
    ['yaml', /\$/],
    ['literal', undefined],
]);
/** Whether a word holds an expansion of its language, whose value is not known here. */
function hasExpansion(value, dialect) {
    return words_EXPANSIONS.get(dialect)?.test(value) ?? false;
}
/**
 * The one way a word becomes an `Arg`. `offsetOf(k)` is the offset of its `k`-th character (a word written
 * with quotes or escapes maps each character to where it is written) and `toSpan` turns offsets into a span,
 * both in the caller's coordinates; `whole`, the span given when a character cannot be mapped (the word as
 * written, quotes included), defaults to the word's own.
 */
function wordArg(value, offsetOf, toSpan, dynamic, whole) {
    const spanOf = (from, to) => {
        const a = offsetOf(from);
        const b = offsetOf(Math.max(from, to - 1));
        return a === undefined || b === undefined ? undefined : toSpan(a, b + 1);
    };
    const own = value.length > 0 ? spanOf(0, value.length) : undefined;
    const fallback = (whole ?? own);
    return { value, span: own ?? fallback, dynamic, sub: (from, to) => spanOf(from, to) ?? fallback };
}
/** An exec-form element as an `Arg`. */
function execArg(file, word) {
    return wordArg(word.value, (k) => word.offsets[k], (a, b) => file.span(a, b), hasExpansion(word.value, 'exec'), file.span(word.start, word.end));
}

;// CONCATENATED MODULE: ./lib/surfaces/exec-form.js


const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh']);
function exec_form_basename(word) {
    return word.slice(word.lastIndexOf('/') + 1);
}
/** Claude runs in a command line given as a shell string (`"postCreateCommand": "…"`, `RUN …`). */
function shellFormRuns(file, parser, text, toFile, context) {
    return new ShellReader(parser, { text, toFile, lines: file.lines })
        .claudeCalls()
        .map((call) => runOf(file.path, call, context));
}
/**
 * Claude runs in an exec-form command: `["claude", "--flag"]` runs Claude without a shell;
 * `["sh", "-c", "claude …"]` hands a script to one.
 */
function execFormRuns(file, parser, words, context) {
    const program = words[0];
    if (!program)
        return [];
    const name = exec_form_basename(program.value);
    // `["claude", …]`, and through wrappers: `["npx", "-y", "@anthropic-ai/claude-code", …]`.
    const call = claudeInWords(words.map((w) => execArg(file, w)));
    if (call)
        return [runOf(file.path, call, context)];
    if (SHELLS.has(name)) {
        const at = words.findIndex((w, i) => i > 0 && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(w.value));
        const script = at > 0 ? words[at + 1] : undefined;
        if (script && script.value.includes('claude')) {
            const offsets = script.offsets;
            return shellFormRuns(file, parser(), script.value, (i) => offsets[Math.min(i, offsets.length - 1)] ?? script.start, context);
        }
    }
    return [];
}

;// CONCATENATED MODULE: ./lib/syntax/json-doc.js


const MESSAGES = new Map(Object.entries({
    InvalidCommentToken: 'comments are not allowed in strict JSON',
    PropertyNameExpected: 'a property name is expected here (a trailing comma?)',
    ValueExpected: 'a value is expected here (a trailing comma?)',
    CommaExpected: 'a comma is expected here',
    ColonExpected: 'a colon is expected here',
    CloseBraceExpected: 'a closing brace is expected here',
    CloseBracketExpected: 'a closing bracket is expected here',
    EndOfFileExpected: 'nothing may follow the JSON value',
    InvalidSymbol: 'this is not valid JSON',
    UnexpectedEndOfComment: 'the comment is never closed',
    UnexpectedEndOfString: 'the string is never closed',
    InvalidEscapeCharacter: 'invalid escape in a string',
    InvalidUnicode: 'invalid unicode escape',
    InvalidCharacter: 'invalid character in a string',
}));
/**
 * Parses a JSON file as strictly as Claude does (no comments, no trailing commas) while still building a
 * tree, so facts can be read from a file Claude would reject and the rejection reported at its position.
 */
function parseStrictJson(file, fileKind, consequence) {
    const errors = [];
    if (file.text.trim().length === 0) {
        const problem = file.problem(fileKind, 0, 0, 'the file is empty, which is not valid JSON', consequence);
        return { root: undefined, problems: [problem] };
    }
    const root = (0,main.parseTree)(file.text, errors, { disallowComments: true, allowTrailingComma: false });
    // One problem per place: an unfinished document ends in several errors at its last character.
    const seen = new Set();
    const problems = errors
        .filter((e) => !seen.has(e.offset) && seen.add(e.offset))
        .map((e) => {
        const code = (0,main.printParseErrorCode)(e.error);
        // A trailing comma is reported at the bracket after it; point at the comma itself.
        let at = e.offset;
        let length = Math.max(1, e.length);
        if (code === 'PropertyNameExpected' || code === 'ValueExpected') {
            let k = e.offset - 1;
            while (k >= 0 && /\s/.test(file.text[k]))
                k--;
            if (file.text[k] === ',') {
                at = k;
                length = 1;
            }
        }
        return file.problem(fileKind, at, at + length, `invalid JSON: ${MESSAGES.get(code) ?? code}`, consequence);
    });
    if (root && root.type !== 'object' && errors.length === 0) {
        problems.push(file.problem(fileKind, root.offset, root.offset + root.length, 'the top level must be a JSON object', consequence));
    }
    for (const key of duplicateKeys(root)) {
        problems.push(file.problem(fileKind, key.offset, key.offset + key.length, `duplicate key ${JSON.stringify(key.value)}: the last one is used and the earlier ones are ignored`, 'a reader of the file may believe a value that does not apply'));
    }
    return { root: root?.type === 'object' ? root : undefined, problems };
}
/**
 * The node at a path of keys (or array indices). Where an object repeats a key, the last one counts, as it
 * does for `JSON.parse` and so for Claude Code.
 */
function child(node, ...path) {
    let at = node;
    for (const step of path) {
        if (!at)
            return undefined;
        if (typeof step === 'number')
            at = at.type === 'array' ? at.children?.[step] : undefined;
        else if (at.type !== 'object')
            return undefined;
        else {
            let found;
            for (const prop of at.children ?? [])
                if (prop.children?.[0]?.value === step)
                    found = prop.children?.[1];
            at = found;
        }
    }
    return at;
}
/** Keys an object gives more than once, anywhere in the document: each repeat, located at its key. */
function duplicateKeys(root) {
    const repeats = [];
    const visit = (node) => {
        if (node.type === 'object') {
            const seen = new Set();
            for (const prop of node.children ?? []) {
                const key = prop.children?.[0];
                if (key && seen.has(key.value))
                    repeats.push(key);
                if (key)
                    seen.add(key.value);
            }
        }
        for (const c of node.children ?? [])
            visit(c);
    };
    if (root)
        visit(root);
    return repeats;
}
/** A string node's value, located at its content (without the quotes) when written without escapes. */
function stringAt(file, node) {
    if (!node || node.type !== 'string' || typeof node.value !== 'string')
        return undefined;
    const inner = file.text.slice(node.offset + 1, node.offset + node.length - 1);
    if (inner === node.value)
        return file.located(node.value, node.offset + 1, node.offset + node.length - 1);
    return file.located(node.value, node.offset, node.offset + node.length);
}
/** The string items of an array node, each located. */
function stringsAt(file, node) {
    if (!node || node.type !== 'array')
        return [];
    return (node.children ?? []).flatMap((c) => stringAt(file, c) ?? []);
}
/** The properties of an object node as [key, value node] pairs, in order. */
function entries(node) {
    if (!node || node.type !== 'object')
        return [];
    return (node.children ?? []).flatMap((p) => {
        const [k, v] = p.children ?? [];
        return k && v ? [[k, v]] : [];
    });
}
/** A string map such as `env`, with each value located. */
function stringMap(file, node) {
    const out = keyedByText();
    for (const [k, v] of entries(node)) {
        const value = stringAt(file, v);
        if (value && typeof k.value === 'string')
            out[k.value] = value;
    }
    return out;
}

;// CONCATENATED MODULE: ./lib/syntax/json-string.js
const SIMPLE_ESCAPES = new Map([
    ['n', '\n'],
    ['t', '\t'],
    ['r', '\r'],
    ['b', '\b'],
    ['f', '\f'],
    ['"', '"'],
    ['\\', '\\'],
    ['/', '/'],
]);
/**
 * Offsets of each character of a JSON string's value within the file, given the offset of its opening
 * quote: escapes such as `\"` and `\u0041` are one character of the value but several of the source.
 */
function jsonStringOffsets(source, quoteAt) {
    let value = '';
    const offsets = [];
    let i = quoteAt + 1;
    while (i < source.length && source[i] !== '"') {
        if (source[i] === '\\') {
            const e = source[i + 1] ?? '';
            if (e === 'u') {
                value += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16) || 0);
                offsets.push(i);
                i += 6;
            }
            else {
                value += SIMPLE_ESCAPES.get(e) ?? e;
                offsets.push(i + 1);
                i += 2;
            }
            continue;
        }
        value += source[i];
        offsets.push(i);
        i++;
    }
    return { value, offsets };
}

;// CONCATENATED MODULE: ./lib/surfaces/devcontainer.js




/** Lifecycle commands; all but `initializeCommand` (which runs on the host) run inside the dev container. */
const LIFECYCLE = [
    'initializeCommand',
    'onCreateCommand',
    'updateContentCommand',
    'postCreateCommand',
    'postStartCommand',
    'postAttachCommand',
];
/** Claude runs in a `devcontainer.json` (JSONC): lifecycle commands as a string, an array or named commands. */
function readDevcontainer(file, parser, isolation) {
    const root = (0,main.parseTree)(file.text, [], { allowTrailingComma: true, disallowComments: false });
    const runs = [];
    for (const [key, value] of entries(root)) {
        if (!LIFECYCLE.includes(String(key.value)))
            continue;
        const context = key.value === 'initializeCommand'
            ? { surface: 'devcontainer' }
            : { surface: 'devcontainer', isolation };
        const commands = value.type === 'object' ? entries(value).map(([, v]) => v) : [value];
        for (const command of commands)
            runs.push(...commandRuns(file, parser, command, context));
    }
    return runs;
}
function commandRuns(file, parser, node, context) {
    if (node.type === 'string' && typeof node.value === 'string' && node.value.includes('claude')) {
        const { value, offsets } = jsonStringOffsets(file.text, node.offset);
        return shellFormRuns(file, parser(), value, (i) => offsets[Math.min(i, offsets.length - 1)] ?? node.offset, context);
    }
    if (node.type === 'array') {
        const words = (node.children ?? [])
            .filter((c) => c.type === 'string')
            .map((c) => ({ ...jsonStringOffsets(file.text, c.offset), start: c.offset, end: c.offset + c.length }));
        return execFormRuns(file, parser, words, context);
    }
    return [];
}

// EXTERNAL MODULE: ./node_modules/dockerfile-ast/lib/main.js
var lib_main = __webpack_require__(8390);
;// CONCATENATED MODULE: ./lib/surfaces/dockerfile.js




const COMMANDS = new Set(['RUN', 'CMD', 'ENTRYPOINT']);
/** True when the text can start Claude, so the Dockerfile is worth reading. */
function dockerfileMentionsClaude(text) {
    return text.includes('claude');
}
/**
 * Claude runs in a Dockerfile or Containerfile: `RUN`, `CMD` and `ENTRYPOINT` in shell form (parsed as
 * shell) and exec form (a JSON array). An exec-form `CMD` after an `ENTRYPOINT ["claude", …]` adds its
 * arguments to Claude's, as Docker does.
 */
function readDockerfile(file, parser, isolation) {
    const context = { surface: 'dockerfile', isolation };
    const runs = [];
    const offset = (p) => file.lines.lineStart(p.line + 1) + p.character;
    let entrypoint;
    for (const instruction of lib_main.DockerfileParser.parse(file.text).getInstructions()) {
        const keyword = instruction.getKeyword().toUpperCase();
        if (keyword === 'FROM')
            entrypoint = undefined;
        if (!COMMANDS.has(keyword))
            continue;
        const args = instruction.getArguments();
        const first = args[0];
        if (!first)
            continue;
        const start = offset(first.getRange().start);
        const end = offset(instruction.getRange().end);
        const raw = file.text.slice(start, end);
        if (!raw.includes('claude')) {
            if (keyword === 'CMD' && entrypoint && raw.trimStart().startsWith('[')) {
                // Default arguments for a Claude entrypoint.
                const words = execWords(file, instruction, offset);
                const [run] = execFormRuns(file, parser, [...entrypoint.words, ...words], context);
                if (run)
                    runs[runs.indexOf(entrypoint.run)] = { ...run, span: entrypoint.run.span };
            }
            continue;
        }
        if (raw.trimStart().startsWith('[')) {
            const words = execWords(file, instruction, offset);
            const found = execFormRuns(file, parser, words, context);
            runs.push(...found);
            if (keyword === 'ENTRYPOINT' && found[0] && words[0] && words[0].value.endsWith('claude')) {
                entrypoint = { run: found[0], words };
            }
        }
        else {
            runs.push(...shellFormRuns(file, parser(), raw, (i) => start + i, context));
        }
    }
    return runs;
}
function execWords(file, instruction, offset) {
    return instruction.getJSONStrings().map((s) => {
        const quoteAt = offset(s.getRange().start);
        const { value, offsets } = jsonStringOffsets(file.text, quoteAt);
        const end = (offsets.at(-1) ?? quoteAt) + 2;
        return { value, offsets, start: quoteAt, end };
    });
}

;// CONCATENATED MODULE: ./lib/syntax/yaml-scalar.js

/**
 * Maps each character of a YAML scalar's value back to its offset in the file. Block scalars lose their
 * indentation, folded ones their line breaks, quoted ones their escapes; walking the value and the source
 * side by side recovers where every character of the value was written.
 */
function scalarOffsets(source, scalar, value) {
    const range = scalar.range;
    if (!range)
        return () => 0;
    let [j, end] = range;
    const type = scalar.type;
    const double = type === dist/* Scalar */.X5.QUOTE_DOUBLE;
    const single = type === dist/* Scalar */.X5.QUOTE_SINGLE;
    if (double || single) {
        j++;
        end--;
    }
    else if (type === dist/* Scalar */.X5.BLOCK_LITERAL || type === dist/* Scalar */.X5.BLOCK_FOLDED) {
        const header = source.indexOf('\n', j);
        j = header < 0 ? end : header + 1;
    }
    const map = new Array(value.length);
    let i = 0;
    while (i < value.length) {
        if (j >= end) {
            map[i++] = Math.max(range[0], end - 1);
            continue;
        }
        const v = value[i];
        const s = source[j];
        if (single && s === "'" && source[j + 1] === "'") {
            // '' is one quote in a single-quoted scalar.
            map[i++] = j;
            j += 2;
        }
        else if (double && s === '\\') {
            const e = source[j + 1];
            if (e === '\n' || e === '\r') {
                j++;
                while (j < end && /\s/.test(source[j]))
                    j++;
            }
            else {
                // One character of the value for the whole escape: \n, \", \xXX, \uXXXX, \UXXXXXXXX (two units).
                const width = e === 'x' ? 4 : e === 'u' ? 6 : e === 'U' ? 10 : 2;
                const units = e === 'U' && (value.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
                for (let k = 0; k < units && i < value.length; k++)
                    map[i++] = j;
                j += width;
            }
        }
        else if (v === s) {
            map[i++] = j++;
        }
        else if (s === ' ' || s === '\t' || s === '\n' || s === '\r') {
            j++;
        }
        else if (v === ' ' || v === '\n') {
            map[i++] = j;
        }
        else {
            map[i++] = j++;
        }
    }
    return (i) => {
        if (value.length === 0)
            return range[0];
        if (i < 0)
            return map[0];
        if (i >= value.length)
            return map[value.length - 1] + (i - value.length + 1);
        return map[i];
    };
}

;// CONCATENATED MODULE: ./lib/surfaces/front-matter.js



const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(\r?\n|$)/;
function definitionKind(path) {
    const m = /(^|\/)\.claude\/(commands|agents|skills)\//.exec(path);
    if (!m)
        return undefined;
    if (m[2] === 'skills')
        return path.endsWith('/SKILL.md') ? 'skill' : undefined;
    return m[2] === 'agents' ? 'agent' : 'command';
}
/**
 * Reads the front matter of a Claude command, agent or skill: `allowed-tools` (a grant while it runs),
 * an agent's `tools` (a limit, not a grant) and `permissionMode`.
 */
function readDefinition(file, kind, isolation) {
    const m = FRONT_MATTER.exec(file.text);
    if (!m)
        return { problems: [] };
    const base = m[0].indexOf('\n') + 1;
    const yamlText = m[1];
    const doc = (0,dist/* parseDocument */.Tp)(yamlText, {
        lineCounter: new dist/* LineCounter */.HN(),
        prettyErrors: false,
        uniqueKeys: false,
    });
    const error = doc.errors[0];
    if (error) {
        return {
            problems: [
                file.problem('front matter', base + error.pos[0], base + Math.max(error.pos[1], error.pos[0] + 1), `invalid YAML: ${error.message.split('\n')[0]}`, `Claude Code cannot read the ${kind}'s settings`),
            ],
        };
    }
    const root = doc.contents;
    const definition = { path: file.path, kind, allowedTools: [], tools: [] };
    if (isolation)
        definition.isolation = isolation;
    if (!(0,dist/* isMap */.jh)(root))
        return { definition, problems: [] };
    const get = (key) => root.items.find((p) => (0,dist/* isScalar */.jn)(p.key) && p.key.value === key)?.value;
    const rules = (node) => {
        const scalars = (0,dist/* isSeq */.oP)(node) ? node.items : node ? [node] : [];
        return scalars.flatMap((item) => {
            if (!(0,dist/* isScalar */.jn)(item) || typeof item.value !== 'string')
                return [];
            const value = item.value;
            const at = scalarOffsets(yamlText, item, value);
            return splitToolList(value).map((part) => ({
                value: parseToolRule(part.value),
                span: file.span(base + at(part.start), base + at(part.end - 1) + 1),
            }));
        });
    };
    if (kind !== 'agent')
        definition.allowedTools = rules(get('allowed-tools'));
    else
        definition.tools = rules(get('tools'));
    const mode = get('permissionMode');
    if ((0,dist/* isScalar */.jn)(mode) && typeof mode.value === 'string') {
        const at = scalarOffsets(yamlText, mode, mode.value);
        definition.permissionMode = {
            value: mode.value,
            span: file.span(base + at(0), base + at(mode.value.length - 1) + 1),
        };
    }
    return { definition, problems: [] };
}

;// CONCATENATED MODULE: ./lib/syntax/yaml-nodes.js



/**
 * Reading a YAML document the way GitHub and GitLab do: aliases (`*step`) stand for what their anchor
 * holds, and merge keys (`<<: *defaults`) bring in another map's entries, which the map's own keys override.
 */
/** Entries read from one map, merges included: far more than any real CI file has. */
const MAX_ENTRIES = 100_000;
class YamlView {
    doc;
    constructor(doc) {
        this.doc = doc;
    }
    /** The node an alias points at (through chains of aliases), or the node itself. */
    deref(node) {
        let at = node;
        for (let hops = 0; (0,dist/* isAlias */.Vj)(at) && hops < 16; hops++)
            at = at.resolve(this.doc);
        return (0,dist/* isAlias */.Vj)(at) ? undefined : at;
    }
    /** A map's entries with scalar keys, merges first so that the map's own keys come last and win. */
    pairs(node) {
        const out = [];
        // Each merged map is taken once, and the entries are capped: a merge-key bomb stays small.
        const merged = new Set();
        const collect = (at, depth) => {
            const map = this.deref(at);
            if (!(0,dist/* isMap */.jh)(map) || depth > 16 || merged.has(map))
                return;
            merged.add(map);
            for (const p of map.items) {
                if (out.length >= MAX_ENTRIES)
                    return;
                const key = p.key;
                if (!(0,dist/* isScalar */.jn)(key))
                    continue;
                // `<<` is a string under YAML 1.2 and a merge marker under `%YAML 1.1`.
                if (key.value === '<<' || (typeof key.value === 'symbol' && String(key.source) === '<<')) {
                    const source = this.deref(p.value);
                    for (const m of (0,dist/* isSeq */.oP)(source) ? source.items : [source])
                        collect(m, depth + 1);
                }
                else
                    out.push([key, p.value ?? null]);
            }
        };
        collect(node, 0);
        return out;
    }
    /** The value of a key (the last one given), aliases followed. */
    get(node, key) {
        let found;
        for (const [k, v] of this.pairs(node))
            if (String(k.value) === key)
                found = v;
        return this.deref(found);
    }
    /** A sequence's items, aliases followed. */
    items(node) {
        const seq = this.deref(node);
        if (!(0,dist/* isSeq */.oP)(seq))
            return [];
        return seq.items.flatMap((i) => this.deref(i) ?? []);
    }
    isMap(node) {
        return (0,dist/* isMap */.jh)(this.deref(node));
    }
    /** A scalar, aliases followed; undefined for anything else. */
    scalar(node) {
        const at = this.deref(node);
        return (0,dist/* isScalar */.jn)(at) ? at : undefined;
    }
}
/** A scalar's value split into words as an unquoted `$VAR` is, each word located in the file. */
function scalarWords(file, scalar) {
    if (scalar.value === null || typeof scalar.value === 'object')
        return [];
    const text = String(scalar.value);
    const toFile = scalarOffsets(file.text, scalar, text);
    const words = [];
    for (const m of text.matchAll(/\S+/g)) {
        const at = m.index ?? 0;
        const value = m[0];
        words.push(wordArg(value, (k) => toFile(at + k), (a, b) => file.lines.span(a, b), hasExpansion(value, 'yaml')));
    }
    return words;
}
/** Variables (`env:`, GitLab `variables:`) of several maps, later maps overriding earlier ones. */
function variablesOf(file, view, maps) {
    const vars = new Map();
    for (const map of maps) {
        for (const [key, value] of view.pairs(map)) {
            // GitLab also writes `NAME: { value: "…", description: "…" }`.
            const scalar = view.scalar(value) ?? view.scalar(view.get(value, 'value'));
            if (scalar)
                vars.set(String(key.value), scalarWords(file, scalar));
        }
    }
    return vars;
}
/** A scalar as one exec-form word (`["claude", "--flag"]`), every character located in the file. */
function execWordOf(file, view, node) {
    const scalar = view.scalar(node);
    if (!scalar || scalar.value === null || typeof scalar.value === 'object')
        return undefined;
    const value = String(scalar.value);
    const at = scalarOffsets(file.text, scalar, value);
    const [start, end] = scalar.range ?? [0, 0];
    return { value, offsets: Array.from({ length: value.length }, (_, i) => at(i)), start, end };
}

;// CONCATENATED MODULE: ./lib/surfaces/gitlab-ci.js




/** Top-level keys of `.gitlab-ci.yml` that are not jobs. */
const RESERVED = new Set([
    'stages',
    'variables',
    'default',
    'include',
    'workflow',
    'image',
    'services',
    'before_script',
    'after_script',
    'cache',
    'spec',
]);
const SCRIPTS = ['before_script', 'script', 'after_script'];
const MAX_EXTENDS = 10;
/**
 * Claude runs in `.gitlab-ci.yml`: every line of a job's `script`, `before_script` and `after_script` is a
 * shell command. Anchors, `<<` merges and `extends:` are followed, as GitLab does; hidden jobs (`.name`)
 * run only through the jobs that extend them. A job with an `image:` (its own, inherited, or the
 * default) runs in a container. A `spec:` header before `---` is allowed.
 */
function readGitlabCi(file, parser) {
    const docs = (0,dist/* parseAllDocuments */.hR)(file.text, {
        lineCounter: new dist/* LineCounter */.HN(),
        prettyErrors: false,
        uniqueKeys: false,
    });
    const list = Array.isArray(docs) ? docs : [];
    const error = list.flatMap((d) => d.errors)[0];
    if (error || list.length === 0) {
        const at = error?.pos[0] ?? 0;
        return {
            runs: [],
            problems: [
                file.problem('GitLab CI', at, Math.max(error?.pos[1] ?? at + 1, at + 1), `invalid YAML: ${error?.message.split('\n')[0] ?? 'the file holds no document'}`, 'GitLab rejects the pipeline, and claude-guard cannot check what it runs'),
            ],
        };
    }
    // With a `spec:` header the pipeline is the second document.
    const doc = list.length > 1 ? list[list.length - 1] : list[0];
    const y = new YamlView(doc);
    const root = doc.contents;
    if (!y.isMap(root))
        return { runs: [], problems: [] };
    const jobs = new Map(y.pairs(root).map(([k, v]) => [String(k.value), v]));
    /** A job key's value through `extends:` (the last parent wins), as GitLab merges them. */
    // Memoised per job and key, and a chain through a job already on it stops: `extends` cycles and fans
    // cannot blow up.
    const memo = new Map();
    const inherited = (job, key, depth = 0, path = new Set()) => {
        const cached = memo.get(job)?.get(key);
        if (cached !== undefined || memo.get(job)?.has(key))
            return cached;
        const found = inheritedUncached(job, key, depth, path);
        if (!memo.has(job))
            memo.set(job, new Map());
        memo.get(job)?.set(key, found);
        return found;
    };
    const inheritedUncached = (job, key, depth, path) => {
        const own = y.get(job, key);
        if (own !== undefined || depth > MAX_EXTENDS || path.has(job))
            return own;
        path.add(job);
        const parents = y.get(job, 'extends');
        const names = y.items(parents).length > 0 ? y.items(parents) : parents ? [parents] : [];
        for (const name of [...names].reverse()) {
            const parent = (0,dist/* isScalar */.jn)(name) ? jobs.get(String(name.value)) : undefined;
            const found = parent && !path.has(parent) ? inheritedUncached(parent, key, depth + 1, path) : undefined;
            if (found !== undefined)
                return found;
        }
        return undefined;
    };
    const defaults = y.get(root, 'default');
    const rootImage = y.get(root, 'image') ?? y.get(defaults, 'image');
    const rootVariables = y.get(root, 'variables');
    const rootScripts = new Map(SCRIPTS.map((key) => [key, key === 'script' ? undefined : (y.get(root, key) ?? y.get(defaults, key))]));
    const runs = [];
    for (const [name, job] of jobs) {
        if (RESERVED.has(name) || name.startsWith('.') || !y.isMap(job))
            continue;
        const image = inherited(job, 'image') ?? rootImage;
        const context = { surface: 'gitlab-ci' };
        if (image?.range)
            context.isolation = { value: 'container', span: file.span(image.range[0], image.range[1]) };
        const outer = variablesOf(file, y, [rootVariables, inherited(job, 'variables')]);
        for (const key of SCRIPTS) {
            const node = inherited(job, key) ?? rootScripts.get(key);
            // A script is a string or a list of strings; a list item may be an alias of another list.
            const lines = y.scalar(node) ? [node] : y.items(node).flatMap((i) => (y.scalar(i) ? [i] : y.items(i)));
            for (const line of lines) {
                const scalar = y.scalar(line);
                if (!scalar || typeof scalar.value !== 'string' || !/claude|\$/.test(scalar.value))
                    continue;
                const text = scalar.value;
                const toFile = scalarOffsets(file.text, scalar, text);
                const reader = new ShellReader(parser(), { text, toFile, lines: file.lines, outer });
                for (const call of reader.claudeCalls()) {
                    runs.push(runOf(file.path, call, context));
                }
            }
        }
    }
    return { runs, problems: [] };
}

;// CONCATENATED MODULE: ./lib/surfaces/settings.js



const PERMISSION_MODES = [
    'default',
    'acceptEdits',
    'plan',
    'auto',
    'dontAsk',
    'bypassPermissions',
    'manual',
];
const REJECTED = 'Claude Code rejects the whole file and none of its settings apply';
function settingsScope(path) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (name === 'settings.local.json')
        return 'local';
    if (name === 'managed-settings.json' || path.includes('managed-settings.d/'))
        return 'managed';
    return 'project';
}
function rules(file, node) {
    return stringsAt(file, node).map((s) => ({ value: parseToolRule(s.value), span: s.span }));
}
function expectArray(file, node, key, fileKind, problems) {
    if (!node)
        return;
    const bad = node.type !== 'array' || (node.children ?? []).some((c) => c.type !== 'string');
    if (bad) {
        problems.push(file.problem(fileKind, node.offset, node.offset + node.length, `${key} must be an array of strings`, 'Claude Code skips the entries it cannot read'));
    }
}
/** Reads a Claude settings object from JSON text: permissions, mode, directories, env. */
function readSettings(file, scope, isolation, fileKind = 'Claude settings') {
    const { root, problems } = parseStrictJson(file, fileKind, REJECTED);
    if (!root)
        return { problems, commands: [] };
    const permissions = child(root, 'permissions');
    for (const key of ['allow', 'ask', 'deny', 'additionalDirectories']) {
        expectArray(file, child(permissions, key), `permissions.${key}`, fileKind, problems);
    }
    const doc = {
        path: file.path,
        scope,
        allow: rules(file, child(permissions, 'allow')),
        ask: rules(file, child(permissions, 'ask')),
        deny: rules(file, child(permissions, 'deny')),
        additionalDirectories: stringsAt(file, child(permissions, 'additionalDirectories')),
        env: stringMap(file, child(root, 'env')),
    };
    if (isolation)
        doc.isolation = isolation;
    const hooks = hooksOf(file, root);
    if (hooks.length > 0)
        doc.hooks = hooks;
    const modeNode = child(permissions, 'defaultMode');
    const mode = stringAt(file, modeNode);
    if (mode) {
        doc.defaultMode = mode;
        if (!PERMISSION_MODES.includes(mode.value)) {
            problems.push({
                span: mode.span,
                fileKind,
                message: `"${mode.value}" is not a permission mode (expected one of ${PERMISSION_MODES.join(', ')})`,
                consequence: 'Claude Code ignores the setting and starts in the default mode',
            });
        }
    }
    else if (modeNode) {
        problems.push(file.problem(fileKind, modeNode.offset, modeNode.offset + modeNode.length, 'permissions.defaultMode must be a string', 'Claude Code ignores the setting'));
    }
    const disable = stringAt(file, child(permissions, 'disableBypassPermissionsMode'));
    if (disable)
        doc.disableBypassPermissionsMode = disable;
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
const HOOK_RUNS = new Map([
    ['command', 'command'],
    ['http', 'url'],
    ['prompt', 'prompt'],
    ['agent', 'prompt'],
    ['mcp_tool', 'tool'],
]);
/** The hooks of a settings object: `hooks.<Event>[].hooks[]`, each with its group's matcher. */
function hooksOf(file, root) {
    const hooks = [];
    for (const [key, groups] of entries(child(root, 'hooks'))) {
        const event = stringAt(file, key);
        if (!event || groups.type !== 'array')
            continue;
        for (const group of groups.children ?? []) {
            const matcher = stringAt(file, child(group, 'matcher'));
            for (const hook of child(group, 'hooks')?.children ?? []) {
                const type = stringAt(file, child(hook, 'type'))?.value ?? 'command';
                const run = stringAt(file, child(hook, HOOK_RUNS.get(type) ?? 'command'));
                if (!run)
                    continue;
                const h = { event, type, run };
                if (matcher)
                    h.matcher = matcher;
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
/** The hook and helper commands of a settings object. */
function settingsCommands(file, root) {
    const commands = [];
    const add = (source, node) => {
        if (node?.type !== 'string' || typeof node.value !== 'string')
            return;
        const { value, offsets } = jsonStringOffsets(file.text, node.offset);
        commands.push({ source, value, offsets: offsets.map((o) => file.toFile(o)) });
    };
    for (const key of HELPERS)
        add(key, child(root, key));
    for (const key of COMMAND_OBJECTS)
        add(key, child(root, key, 'command'));
    for (const [event, groups] of entries(child(root, 'hooks'))) {
        for (const group of groups.children ?? []) {
            for (const hook of child(group, 'hooks')?.children ?? [])
                add(`hooks.${String(event.value)}`, child(hook, 'command'));
        }
    }
    return commands;
}

;// CONCATENATED MODULE: ./lib/syntax/source.js

/** A text as the readers see it: decoded, BOM removed, with the way to turn offsets into spans. */
class SourceFile {
    path;
    text;
    embedding;
    lines;
    constructor(path, text, embedding) {
        this.path = path;
        this.text = text;
        this.embedding = embedding;
        this.lines = embedding?.lines ?? new LineIndex(path, text);
    }
    /** Offset in this text → offset in the file on disk. */
    toFile(i) {
        return this.embedding && 'toFile' in this.embedding ? this.embedding.toFile(i) : i;
    }
    span(start, end) {
        if (!this.embedding)
            return this.lines.span(start, end);
        if ('spanOf' in this.embedding)
            return this.embedding.spanOf(start, Math.max(start + 1, end));
        const last = Math.max(start, end - 1);
        return this.lines.span(this.toFile(start), this.toFile(last) + (end > start ? 1 : 0));
    }
    located(value, start, end) {
        return { value, span: this.span(start, end) };
    }
    problem(fileKind, start, end, message, consequence) {
        return { span: this.span(start, end), fileKind, message, consequence };
    }
}

;// CONCATENATED MODULE: ./lib/surfaces/inline-settings.js


/**
 * Settings given on a command line as JSON (`claude --settings '{"permissions": …}'`), read as a settings
 * object whose positions are those of the characters in the file.
 */
function inlineSettingsOf(run, lines) {
    const docs = [];
    const problems = [];
    for (const flag of run.command?.flags ?? []) {
        const value = flag.values[0];
        if (flag.name !== '--settings' || !value || value.dynamic || !value.value.trimStart().startsWith('{'))
            continue;
        const embedded = new SourceFile(run.path, value.value, { lines, spanOf: (a, b) => value.sub(a, b) });
        const read = readSettings(embedded, 'inline', run.context.isolation, '--settings JSON');
        if (read.doc) {
            docs.push(read.doc);
            if (run.command)
                run.command.inlineSettings = read.doc;
        }
        problems.push(...read.problems);
    }
    return { docs, problems };
}

;// CONCATENATED MODULE: ./lib/surfaces/compose.js




/**
 * Claude runs in a Docker Compose file: a service's `entrypoint` and `command` (a string is run by a
 * shell, a list is run as it is; a list `command` gives arguments to a list `entrypoint`). Services run in
 * containers.
 */
function readCompose(file, parser) {
    const doc = (0,dist/* parseDocument */.Tp)(file.text, {
        lineCounter: new dist/* LineCounter */.HN(),
        prettyErrors: false,
        uniqueKeys: false,
    });
    if (doc.errors.length > 0)
        return { runs: [], problems: [] };
    const y = new YamlView(doc);
    const runs = [];
    const words = (node) => y.items(node).flatMap((item) => execWordOf(file, y, item) ?? []);
    for (const [, service] of y.pairs(y.get(doc.contents, 'services'))) {
        const node = y.deref(service);
        const entrypoint = y.get(node, 'entrypoint');
        const command = y.get(node, 'command');
        const at = (n) => ({
            value: 'container',
            span: file.span(n?.range?.[0] ?? 0, n?.range?.[1] ?? 0),
        });
        const context = { surface: 'compose', isolation: at(entrypoint ?? command) };
        const shellOf = (n) => {
            const scalar = y.scalar(n);
            if (!scalar || typeof scalar.value !== 'string' || !scalar.value.includes('claude'))
                return [];
            return shellFormRuns(file, parser(), scalar.value, scalarOffsets(file.text, scalar, scalar.value), context);
        };
        const listed = [...words(entrypoint), ...words(command)];
        if (listed.length > 0 && listed.some((w) => w.value.includes('claude'))) {
            runs.push(...execFormRuns(file, parser, listed, context));
        }
        runs.push(...shellOf(entrypoint), ...shellOf(command));
    }
    return { runs, problems: [] };
}

;// CONCATENATED MODULE: ./lib/surfaces/justfile.js


const RECIPE = /^@?[A-Za-z_][\w-]*(\s[^:=]*)?:(?!=)/;
const justfile_ASSIGNMENT = /^(?:export\s+)?([A-Za-z_][\w-]*)\s*:=\s*(.*)$/;
/**
 * Claude runs in a justfile: every indented line under a recipe is a shell command. `name := value`
 * variables are read, and `{{name}}` interpolations stand for them.
 */
function readJustfile(file, parser, isolation) {
    const context = isolation ? { surface: 'makefile', isolation } : { surface: 'makefile' };
    const outer = new Map();
    const runs = [];
    let inRecipe = false;
    let offset = 0;
    for (const raw of file.text.split('\n')) {
        const start = offset;
        offset += raw.length + 1;
        const line = raw.replace(/\r$/, '');
        if (line.trim().length === 0)
            continue;
        if (!/^\s/.test(line)) {
            inRecipe = RECIPE.test(line);
            const m = justfile_ASSIGNMENT.exec(line);
            if (m) {
                // The value of `flags := "--x --y"`, words located in the file.
                const value = m[2].replace(/^(["'])(.*)\1\s*$/, '$2');
                const valueStart = start + line.indexOf(value, line.indexOf(':=') + 2);
                outer.set(m[1], [...value.matchAll(/\S+/g)].map((w) => {
                    const at = valueStart + (w.index ?? 0);
                    return wordArg(w[0], (k) => at + k, (a, b) => file.span(a, b), hasExpansion(w[0], 'literal'));
                }));
            }
            continue;
        }
        if (!inRecipe || !/claude|\{\{/.test(line))
            continue;
        // Indentation and just's `@`/`-` line prefixes blanked; `{{name}}` read as `${name}`, same length.
        const script = line
            .replace(/^(\s*)([@-]+)/, (_m, space, marks) => space + ' '.repeat(marks.length))
            .replace(/\{\{\s*([A-Za-z_][\w-]*)\s*\}\}/g, (m, name) => `\${${name}}`.padEnd(m.length));
        const reader = new ShellReader(parser, {
            text: script,
            toFile: (i) => start + i,
            lines: file.lines,
            outer,
        });
        for (const call of reader.claudeCalls())
            runs.push(runOf(file.path, call, context));
    }
    return runs;
}

;// CONCATENATED MODULE: ./lib/surfaces/task-configs.js








/** The words of a command line held in one string, each character mapped to the file. */
function lineWords(value, toFile) {
    return splitArgString(value).map((w) => ({
        value: w.value,
        offsets: w.offsets.map(toFile),
        start: toFile(w.start),
        end: toFile(Math.max(w.start, w.end - 1)) + 1,
    }));
}
/**
 * Claude run by a pre-commit hook: `entry` (split like a command line, no shell) followed by `args`, as
 * pre-commit runs them.
 */
function readPreCommit(file, parser) {
    const doc = (0,dist/* parseDocument */.Tp)(file.text, {
        lineCounter: new dist/* LineCounter */.HN(),
        prettyErrors: false,
        uniqueKeys: false,
    });
    if (doc.errors.length > 0)
        return { runs: [], problems: [] };
    const y = new YamlView(doc);
    const context = { surface: 'task-config' };
    const runs = [];
    const scalarWords = (node) => {
        const scalar = y.scalar(node);
        if (!scalar || scalar.value === null || typeof scalar.value === 'object')
            return [];
        const value = String(scalar.value);
        return lineWords(value, scalarOffsets(file.text, scalar, value));
    };
    for (const repo of y.items(y.get(doc.contents, 'repos'))) {
        for (const hook of y.items(y.get(repo, 'hooks'))) {
            const entry = scalarWords(y.get(hook, 'entry'));
            if (!entry.some((w) => w.value.includes('claude')))
                continue;
            const args = y.items(y.get(hook, 'args')).flatMap((a) => execWordOf(file, y, a) ?? []);
            runs.push(...execFormRuns(file, parser, [...entry, ...args], context));
        }
    }
    return { runs, problems: [] };
}
/** Claude run by a VS Code task: `command` (a command line) followed by `args`. */
function readVscodeTasks(file, parser) {
    const root = (0,main.parseTree)(file.text, [], { allowTrailingComma: true, disallowComments: false });
    const context = { surface: 'task-config' };
    const runs = [];
    const tasks = child(root, 'tasks');
    for (const task of tasks?.type === 'array' ? (tasks.children ?? []) : []) {
        const command = child(task, 'command');
        if (command?.type !== 'string' || typeof command.value !== 'string' || !command.value.includes('claude'))
            continue;
        const { value, offsets } = jsonStringOffsets(file.text, command.offset);
        const words = lineWords(value, (i) => offsets[Math.min(i, offsets.length - 1)] ?? command.offset);
        const args = child(task, 'args');
        for (const arg of args?.type === 'array' ? (args.children ?? []) : []) {
            const node = arg.type === 'object' ? entries(arg).find(([k]) => k.value === 'value')?.[1] : arg;
            if (node?.type !== 'string')
                continue;
            const text = jsonStringOffsets(file.text, node.offset);
            words.push({ ...text, start: node.offset, end: node.offset + node.length });
        }
        runs.push(...execFormRuns(file, parser, words, context));
    }
    return { runs, problems: [] };
}

;// CONCATENATED MODULE: ./lib/surfaces/makefile.js


const makefile_ASSIGNMENT = /^(?:export\s+|override\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(?::{1,3}=|\?=|\+=|=)\s*(.*)$/;
/** Words of a make variable's value, each located in the Makefile. */
function valueWords(file, text, start) {
    const words = [];
    for (const m of text.matchAll(/\S+/g)) {
        const at = start + (m.index ?? 0);
        const value = m[0];
        words.push(wordArg(value, (k) => at + k, (a, b) => file.span(a, b), hasExpansion(value, 'make')));
    }
    return words;
}
/**
 * Claude runs in a Makefile's recipes. Each recipe line (with its `\` continuations) is a shell command;
 * `@`, `-` and `+` prefixes are make's, `$$` is a shell `$`, and `$(FLAGS)` is a make variable set in the
 * same file.
 */
function readMakefile(file, parser, isolation) {
    const context = isolation ? { surface: 'makefile', isolation } : { surface: 'makefile' };
    const lines = file.text.split('\n');
    const outer = new Map();
    const runs = [];
    /** One recipe command, make's own syntax blanked to the same length so positions hold. */
    const readRecipe = (text, start) => {
        const script = text
            .replace(/^(\s*)([@+-]+)/, (_m, space, marks) => space + ' '.repeat(marks.length))
            .replace(/\$\$/g, ' $')
            .replace(/\r/g, ' ')
            .replace(/\n\t/g, '\n ');
        const reader = new ShellReader(parser, {
            text: script,
            toFile: (i) => start + i,
            lines: file.lines,
            outer,
        });
        for (const call of reader.claudeCalls()) {
            runs.push(runOf(file.path, call, context));
        }
    };
    let offset = 0;
    for (let n = 0; n < lines.length; n++) {
        const line = lines[n].replace(/\r$/, '');
        const lineStart = offset;
        offset += lines[n].length + 1;
        // `target: prerequisites ; command` puts a recipe on the rule's own line.
        const inline = line.startsWith('\t') ? undefined : /^[^\t#=:]+::?[^=;#]*;(.*)$/.exec(line);
        if (inline && /claude/i.test(inline[1])) {
            readRecipe(inline[1], lineStart + line.length - inline[1].length);
            continue;
        }
        if (!line.startsWith('\t')) {
            const m = makefile_ASSIGNMENT.exec(line);
            if (m && !line.startsWith(' ')) {
                const raw = m[2];
                const hash = raw.search(/\s#/);
                const value = (hash >= 0 ? raw.slice(0, hash) : raw).trimEnd();
                const valueStart = lineStart + line.length - m[2].length;
                const words = valueWords(file, value, valueStart);
                outer.set(m[1], /\+=/.test(line.slice(0, line.length - m[2].length))
                    ? [...(outer.get(m[1]) ?? []), ...words]
                    : words);
            }
            continue;
        }
        // A recipe line and its continuations, as one script; make's own syntax blanked to the same length.
        let end = n;
        while (lines[end].replace(/\r$/, '').endsWith('\\') && end + 1 < lines.length)
            end++;
        const start = lineStart + 1;
        const script = lines
            .slice(n, end + 1)
            .join('\n')
            .slice(1);
        offset = lineStart + lines.slice(n, end + 1).join('\n').length + 1;
        n = end;
        if (!/claude/i.test(script))
            continue;
        readRecipe(script, start);
    }
    return runs;
}

;// CONCATENATED MODULE: ./lib/surfaces/mcp.js

const FILE_KIND = 'MCP config';
/** Reads the servers of a `.mcp.json` file. */
function readMcpConfig(file) {
    const { root, problems } = parseStrictJson(file, FILE_KIND, 'Claude Code cannot load any server from this file');
    const servers = [];
    for (const [key, node] of entries(child(root, 'mcpServers'))) {
        const name = stringAt(file, key);
        if (!name)
            continue;
        const server = {
            path: file.path,
            name,
            args: stringsAt(file, child(node, 'args')),
            env: stringMap(file, child(node, 'env')),
            headers: stringMap(file, child(node, 'headers')),
        };
        const transport = stringAt(file, child(node, 'type'));
        const command = stringAt(file, child(node, 'command'));
        const url = stringAt(file, child(node, 'url'));
        if (transport)
            server.transport = transport;
        if (command)
            server.command = command;
        if (url)
            server.url = url;
        if (url && !transport) {
            problems.push({
                span: url.span,
                fileKind: FILE_KIND,
                message: `server "${name.value}" has a url but no "type" ("http", "sse" or "ws")`,
                consequence: 'Claude Code reads it as a stdio server without a command and skips it',
            });
        }
        servers.push(server);
    }
    return { servers, problems };
}

;// CONCATENATED MODULE: ./lib/surfaces/scripts.js



function runsIn(file, parser, input, context) {
    return new ShellReader(parser, input).claudeCalls().map((call) => runOf(file.path, call, context));
}
/** Claude commands in a shell script. CRLF line ends are read as LF, keeping every position. */
function readShellScript(file, parser, isolation) {
    const removed = [];
    const text = file.text.replace(/\r\n/g, (_m, at) => {
        removed.push(at);
        return '\n';
    });
    const toFile = (i) => {
        let lo = 0;
        let hi = removed.length;
        while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (removed[mid] - mid <= i)
                lo = mid + 1;
            else
                hi = mid;
        }
        return i + lo;
    };
    const context = isolation
        ? { surface: 'shell-script', isolation }
        : { surface: 'shell-script' };
    return runsIn(file, parser, { text, toFile, lines: file.lines }, context);
}
/** Claude commands in the `scripts` of a `package.json`; each script is a shell command line. */
function readPackageScripts(file, parser, isolation) {
    const context = isolation
        ? { surface: 'package-json', isolation }
        : { surface: 'package-json' };
    const { root } = parseStrictJson(file, 'package.json', 'npm cannot read it');
    const runs = [];
    for (const [, value] of entries(child(root, 'scripts'))) {
        if (value.type !== 'string' || typeof value.value !== 'string' || !value.value.includes('claude'))
            continue;
        const { value: text, offsets } = jsonStringOffsets(file.text, value.offset);
        const toFile = (i) => offsets[Math.min(i, offsets.length - 1)] ?? value.offset;
        runs.push(...runsIn(file, parser(), { text, toFile, lines: file.lines }, context));
    }
    return { runs, problems: [] };
}

;// CONCATENATED MODULE: ./lib/surfaces/workflow.js










const workflow_FILE_KIND = 'workflow';
const ACTION = /^anthropics\/(claude-code-action|claude-code-base-action)(\/[^@]*)?@(.+)$/;
/** Step shells whose command lines are read: a `claude …` line is the same in each. */
const workflow_SHELLS = /^(bash|sh|pwsh|powershell|cmd)\b/;
function generation(ref) {
    if (/^[0-9a-f]{40}$/i.test(ref))
        return 'unknown';
    if (/^(beta|v0(\.|$))/.test(ref))
        return 'v0';
    return 'v1';
}
/** True when the text can start Claude, so the shell parser is worth running on it. */
function mentionsClaude(text) {
    return text.includes('claude');
}
class WorkflowReader {
    file;
    shell;
    doc;
    y;
    facts = { runs: [], settings: [], problems: [] };
    workflowEnv;
    jobEnv = new Map();
    jobMatrix = new Map();
    jobVars = new Map();
    constructor(file, shell) {
        this.file = file;
        this.shell = shell;
        this.doc = (0,dist/* parseDocument */.Tp)(file.text, {
            lineCounter: new dist/* LineCounter */.HN(),
            keepSourceTokens: false,
            uniqueKeys: false,
            prettyErrors: false,
        });
        this.y = new YamlView(this.doc);
    }
    read() {
        // The first error is the cause; the ones after it follow from it.
        for (const error of this.doc.errors.slice(0, 1)) {
            this.facts.problems.push(this.file.problem(workflow_FILE_KIND, error.pos[0], Math.max(error.pos[1], error.pos[0] + 1), `invalid YAML: ${error.message.split('\n')[0]}`, 'GitHub rejects the workflow, and claude-guard cannot check what it runs'));
        }
        if (this.doc.errors.length > 0)
            return this.facts;
        const root = this.doc.contents;
        if (!this.y.isMap(root))
            return this.facts;
        const workflow = {
            path: this.file.path,
            triggers: this.triggers(this.y.get(root, 'on')),
        };
        const name = this.y.get(root, 'name');
        if ((0,dist/* isScalar */.jn)(name))
            workflow.name = String(name.value);
        const permissions = this.y.get(root, 'permissions');
        if (permissions)
            workflow.permissions = this.locate(permissions, permissions.toJSON());
        const defaultShell = this.defaultShell(root);
        this.workflowEnv = this.y.get(root, 'env');
        for (const [key, job] of this.y.pairs(this.y.get(root, 'jobs'))) {
            if (!this.y.isMap(job))
                continue;
            this.readJob(workflow, key, job, this.defaultShell(job) ?? defaultShell);
        }
        // A composite action (`action.yml`) has its steps under `runs:`.
        const runs = this.y.get(root, 'runs');
        if (this.y.isMap(runs) && this.y.items(this.y.get(runs, 'steps')).length > 0) {
            this.readSteps(this.y.get(runs, 'steps'), { surface: 'workflow', workflow }, undefined);
        }
        return this.facts;
    }
    locate(node, value) {
        const [start, end] = node.range ?? [0, 0];
        return this.file.located(value, start, end);
    }
    scalarText(raw) {
        const node = this.y.scalar(raw);
        if (!node || node.value === null || typeof node.value === 'object')
            return undefined;
        const value = String(node.value);
        return { value, toFile: scalarOffsets(this.file.text, node, value) };
    }
    /** A scalar located at its content. */
    scalar(node) {
        const text = this.scalarText(node);
        if (!text)
            return undefined;
        const start = text.toFile(0);
        const end = text.value.length > 0 ? text.toFile(text.value.length - 1) + 1 : start;
        return this.file.located(text.value, start, end);
    }
    triggers(on) {
        if ((0,dist/* isScalar */.jn)(on))
            return [this.scalar(on)].filter((t) => !!t);
        if ((0,dist/* isSeq */.oP)(on))
            return this.y.items(on).flatMap((i) => this.scalar(i) ?? []);
        return this.y.pairs(on).flatMap(([k]) => this.scalar(k) ?? []);
    }
    defaultShell(node) {
        const shell = this.y.get(this.y.get(this.y.get(node, 'defaults'), 'run'), 'shell');
        return (0,dist/* isScalar */.jn)(shell) ? String(shell.value) : undefined;
    }
    readJob(workflow, key, job, shell) {
        const [start, end] = key.range ?? [0, 0];
        const context = { id: String(key.value), span: this.file.span(start, end) };
        const permissions = this.y.get(job, 'permissions');
        if (permissions)
            context.permissions = this.locate(permissions, permissions.toJSON());
        const containerPair = this.y.pairs(job).find(([k]) => k.value === 'container');
        if (containerPair && containerPair[1]) {
            const [a, b] = containerPair[0].range ?? [0, 0];
            context.container = this.file.span(a, b);
        }
        const environment = this.y.get(job, 'environment');
        const envName = this.y.isMap(environment)
            ? this.scalar(this.y.get(environment, 'name'))
            : this.scalar(environment);
        if (envName)
            context.environment = envName;
        const timeout = this.y.get(job, 'timeout-minutes');
        if ((0,dist/* isScalar */.jn)(timeout) && typeof timeout.value === 'number') {
            context.timeoutMinutes = this.locate(timeout, timeout.value);
        }
        const run = { surface: 'workflow', workflow, job: context };
        this.jobEnv.set(context.id, this.y.get(job, 'env'));
        this.jobMatrix.set(context.id, this.y.get(this.y.get(job, 'strategy'), 'matrix'));
        if (context.container)
            run.isolation = { value: 'container', span: context.container };
        this.readSteps(this.y.get(job, 'steps'), run, shell);
    }
    readSteps(steps, context, shell) {
        for (const step of this.y.items(steps)) {
            if (!this.y.isMap(step))
                continue;
            const name = this.y.get(step, 'name');
            const stepContext = (0,dist/* isScalar */.jn)(name) ? { ...context, stepName: String(name.value) } : context;
            const uses = this.scalar(this.y.get(step, 'uses'));
            if (uses)
                this.readActionStep(uses, step, stepContext);
            const run = this.y.get(step, 'run');
            const stepShell = this.scalar(this.y.get(step, 'shell'))?.value ?? shell;
            if (run && (!stepShell || workflow_SHELLS.test(stepShell)))
                this.readRun(run, stepContext, this.y.get(step, 'env'), stepShell);
        }
    }
    /** `env:` of the workflow, the job and the step (later wins): what `$FLAGS` in a `run:` may hold. */
    /**
     * What `${{ env.X }}`, `${{ matrix.x }}` and `${{ inputs.x }}` may stand for in a step: the env value,
     * every value of the matrix axis (and its `include` entries), an input's default.
     */
    expressionValues(inner, context, step) {
        const m = /^(env|matrix|inputs)\.([A-Za-z_][\w-]*)$/.exec(inner);
        if (!m)
            return undefined;
        const [, scope, name] = m;
        if (scope === 'env') {
            const words = this.envOf(context, step).get(name);
            return words ? [words] : undefined;
        }
        const values = [];
        if (scope === 'matrix') {
            const matrix = context.job ? this.jobMatrix.get(context.job.id) : undefined;
            values.push(...this.y.items(this.y.get(matrix, name)));
            for (const entry of this.y.items(this.y.get(matrix, 'include'))) {
                const value = this.y.get(entry, name);
                if (value)
                    values.push(value);
            }
        }
        else {
            for (const trigger of ['workflow_call', 'workflow_dispatch']) {
                const value = this.y.get(this.y.get(this.y.get(this.y.get(this.doc.contents, 'on'), trigger), 'inputs'), name);
                const fallback = this.y.get(value, 'default');
                if (fallback)
                    values.push(fallback);
            }
        }
        const options = values.flatMap((v) => {
            const scalar = this.y.scalar(v);
            return scalar ? [scalarWords(this.file, scalar)] : [];
        });
        return options.length > 0 ? options : undefined;
    }
    envOf(context, step) {
        // The workflow's and the job's env are read once per job; a step's own env is laid over a copy.
        const key = context.job?.id ?? '';
        let shared = this.jobVars.get(key);
        if (!shared) {
            const job = context.job ? this.jobEnv.get(context.job.id) : undefined;
            shared = variablesOf(this.file, this.y, [this.workflowEnv, job]);
            this.jobVars.set(key, shared);
        }
        if (this.y.pairs(step).length === 0)
            return shared;
        const vars = new Map(shared);
        for (const [name, words] of variablesOf(this.file, this.y, [step]))
            vars.set(name, words);
        return vars;
    }
    readRun(node, context, env, shell) {
        const text = this.scalarText(node);
        if (!text || !mentionsClaude(text.value))
            return;
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
    argsOf(node) {
        const text = this.scalarText(node);
        if (!text)
            return [];
        const { lines } = this.file;
        return splitArgString(text.value).map((w) => wordArg(w.value, (k) => text.toFile(w.offsets[k] ?? w.start), (a, b) => lines.span(a, b), hasExpansion(w.value, 'actions')));
    }
    readActionStep(uses, step, context) {
        const m = ACTION.exec(uses.value);
        if (!m)
            return;
        const ref = m[3];
        const action = {
            action: m[1],
            uses,
            ref,
            generation: generation(ref),
            inputs: keyedByText(),
        };
        const withNode = this.y.get(step, 'with');
        for (const [k, v] of this.y.pairs(withNode)) {
            const value = this.scalar(v);
            if (value)
                action.inputs[String(k.value)] = value;
        }
        const run = {
            kind: 'action',
            path: this.file.path,
            span: uses.span,
            context,
            action,
            wrappers: [],
            env: [],
        };
        const claudeArgs = this.y.get(withNode, 'claude_args');
        if (claudeArgs)
            run.command = parseClaudeArgs(this.argsOf(claudeArgs));
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
            const { doc, problems } = readSettings(embedded, 'inline', context.isolation, 'settings input');
            if (doc) {
                run.inlineSettings = doc;
                this.facts.settings.push(doc);
            }
            this.facts.problems.push(...problems);
        }
        this.facts.runs.push(run);
    }
    toolList(node) {
        const text = this.scalarText(node);
        if (!text)
            return [];
        return splitToolList(text.value).map((part) => ({
            value: parseToolRule(part.value),
            span: this.file.lines.span(text.toFile(part.start), text.toFile(part.end - 1) + 1),
        }));
    }
}

;// CONCATENATED MODULE: ./lib/surfaces/readers.js















const runs = (read) => ({
    usesShell: true,
    read: (file, ctx) => ({ runs: read(file, ctx) }),
});
/** One reader per kind of file. Readers turn text into facts with spans; they never judge them. */
const READERS = {
    'claude-settings': {
        usesShell: false,
        // A hook or helper command may start Claude itself.
        wantsShell: mentionsClaude,
        read: (file, ctx) => {
            const { doc, problems, commands } = readSettings(file, settingsScope(file.path), ctx.isolation);
            const context = ctx.isolation
                ? { surface: 'settings-command', isolation: ctx.isolation }
                : { surface: 'settings-command' };
            const runs = commands
                .filter((c) => mentionsClaude(c.value))
                .flatMap((c) => shellFormRuns(file, ctx.shell(), c.value, (i) => c.offsets[Math.min(i, c.offsets.length - 1)] ?? 0, context));
            return { settings: doc ? [doc] : [], problems, runs };
        },
    },
    'mcp-config': {
        usesShell: false,
        read: (file) => {
            const { servers, problems } = readMcpConfig(file);
            return { mcpServers: servers, problems };
        },
    },
    'claude-markdown': {
        usesShell: false,
        read: (file, ctx) => {
            const kind = definitionKind(file.path);
            if (!kind)
                return {};
            const { definition, problems } = readDefinition(file, kind, ctx.isolation);
            return { definitions: definition ? [definition] : [], problems };
        },
    },
    // A workflow that never names Claude cannot start it (claude-code-action's name says claude too).
    workflow: { usesShell: true, read: (file, ctx) => new WorkflowReader(file, ctx.shell).read() },
    'gitlab-ci': { usesShell: true, read: (file, ctx) => readGitlabCi(file, ctx.shell) },
    'shell-script': runs((file, ctx) => readShellScript(file, ctx.shell(), ctx.isolation)),
    'package-json': runs((file, ctx) => readPackageScripts(file, ctx.shell, ctx.isolation).runs),
    makefile: runs((file, ctx) => readMakefile(file, ctx.shell(), ctx.isolation)),
    justfile: runs((file, ctx) => readJustfile(file, ctx.shell(), ctx.isolation)),
    compose: { usesShell: true, read: (file, ctx) => readCompose(file, ctx.shell) },
    'pre-commit': { usesShell: true, read: (file, ctx) => readPreCommit(file, ctx.shell) },
    'vscode-tasks': { usesShell: true, read: (file, ctx) => readVscodeTasks(file, ctx.shell) },
    dockerfile: runs((file, ctx) => readDockerfile(file, ctx.shell, ctx.isolation ?? { value: 'container', span: fileSpan(file.path) })),
    devcontainer: runs((file, ctx) => readDevcontainer(file, ctx.shell, ctx.isolation ?? { value: 'devcontainer', span: fileSpan(file.path) })),
};
/** The reader for a kind of file, when this file is one it reads. */
function readerFor(kind, text) {
    const reader = READERS[kind];
    return reader && (!reader.usesShell || mentionsClaude(text)) ? reader : undefined;
}
/** A reader's facts, with the settings its runs give inline (`--settings '{…}'`). */
function readFacts(reader, file, ctx) {
    const facts = reader.read(file, ctx);
    for (const run of facts.runs ?? []) {
        if (run.command?.inlineSettings)
            continue;
        const inline = inlineSettingsOf(run, file.lines);
        facts.settings = [...(facts.settings ?? []), ...inline.docs];
        facts.problems = [...(facts.problems ?? []), ...inline.problems];
    }
    return facts;
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:module"
var external_node_module_ = __webpack_require__(8995);
// EXTERNAL MODULE: external "node:v8"
var external_node_v8_ = __webpack_require__(8877);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./lib/syntax/shell-parser.js





/**
 * The bash grammar, loaded on first use so that `--version` and scans without shell pay nothing.
 *
 * The tree-sitter runtime (`web-tree-sitter.cjs`) and the two `.wasm` files ship beside the bundle in
 * `dist/`, copied there by scripts/build.mjs, so a bare copy of `dist/` runs with no `node_modules` anywhere.
 * The runtime is not bundled by ncc: its ESM build reads `createRequire` from `import("module")`, which
 * webpack turns into a namespace without it, and ncc cannot follow a `require` made by `createRequire`. Run
 * from the sources (tests, `lib/`), nothing sits beside this file and the packages are used instead.
 */
let loading;
const here = (0,external_node_path_.dirname)((0,external_node_url_.fileURLToPath)(import.meta.url));
const shell_parser_require = (0,external_node_module_.createRequire)(import.meta.url);
/** `name` beside this module when it ships there, else `specifier` resolved from the installed package. */
function shipped(name, specifier) {
    const beside = (0,external_node_path_.join)(here, name);
    return (0,external_node_fs_.existsSync)(beside) ? beside : shell_parser_require.resolve(specifier);
}
function shellParser() {
    loading ??= (async () => {
        // Baseline (Liftoff) code only: on Node 20 the optimising tier compiles the grammar in the background
        // for ~300 ms after the scan is done, and the process waits for it before exiting. For grammar-sized
        // inputs Liftoff code parses as fast (measured: 20 parses of a 46 kB script, 129 ms vs 219 ms).
        (0,external_node_v8_.setFlagsFromString)('--liftoff-only');
        const { Parser, Language } = shell_parser_require(shipped('web-tree-sitter.cjs', 'web-tree-sitter'));
        await Parser.init({
            wasmBinary: (0,external_node_fs_.readFileSync)(shipped('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm')),
        });
        const bash = await Language.load((0,external_node_fs_.readFileSync)(shipped('tree-sitter-bash.wasm', 'tree-sitter-bash/tree-sitter-bash.wasm')));
        const parser = new Parser();
        parser.setLanguage(bash);
        return parser;
    })();
    return loading;
}

;// CONCATENATED MODULE: ./lib/scan.js















/** A folder on disk; `started` is a plan already set going for it (see cli/early.ts). */
async function diskSource(root, started) {
    const realRoot = await (0,promises_.realpath)(root);
    const folders = new Map();
    let listed = [];
    let planned = [];
    // One plan per set of needles: a second scan of the same checkout (a pull request's base, see
    // overlaySource) reuses what git listed and found instead of running it again.
    const plans = new Map();
    return {
        list: async () => {
            const listing = await (0,list/* listFiles */.CS)(root);
            listed = listing.notices ?? [];
            return listing.files;
        },
        plan: async (needles) => {
            let going = plans.get(needles);
            if (!going) {
                going = started && needles === model_needles/* CONTENT_NEEDLES */.b ? started : (0,list/* gitPlan */.gH)(root, needles);
                plans.set(needles, going);
            }
            const plan = await going;
            // The plan's notices grow while git works: read them when asked.
            planned = plan?.notices ?? [];
            return plan;
        },
        read: (path) => (0,fs_read/* readText */.yR)(root, realRoot, path, folders),
        notices: () => [...listed, ...planned],
    };
}
function memorySource(files) {
    return {
        list: async () => Object.keys(files).sort(),
        read: async (path) => {
            const text = files[path];
            return text === undefined ? { skipped: 'missing' } : decodeText(new TextEncoder().encode(text));
        },
    };
}
/**
 * Another version of a source: `changes` gives the text of some paths in that version (null: the path does
 * not exist there); every other path reads as in `source`. Used to scan the base of a pull request from its
 * head checkout and the changed files' base versions, so that only those are fetched.
 */
function overlaySource(source, changes) {
    const present = [...changes].filter(([, text]) => text !== null).map(([path]) => path);
    const adjust = (paths) => {
        const kept = paths.filter((p) => !changes.has(p));
        return [...kept, ...present].sort();
    };
    const overlay = {
        list: async () => adjust(await source.list()),
        read: async (path) => {
            if (!changes.has(path))
                return source.read(path);
            const text = changes.get(path);
            return text === null || text === undefined
                ? { skipped: 'missing' }
                : decodeText(new TextEncoder().encode(text));
        },
    };
    if (source.notices)
        overlay.notices = () => source.notices?.() ?? [];
    if (source.plan) {
        const plan = source.plan.bind(source);
        overlay.plan = async (needles) => {
            const head = await plan(needles);
            if (!head)
                return undefined;
            const tracked = adjust(head.tracked);
            return {
                tracked,
                untracked: async () => (await head.untracked()).filter((p) => !changes.has(p)),
                // The changed paths are handed over whatever they hold: git grep searched the other version.
                matches: async (onMatch) => {
                    const complete = await head.matches((path) => {
                        if (!changes.has(path))
                            onMatch(path);
                    });
                    for (const path of present)
                        onMatch(path);
                    return complete;
                },
                notices: head.notices,
            };
        };
    }
    return overlay;
}
const READ_CONCURRENCY = 32;
/** Kinds read whatever they hold: their mere content can be a finding (invalid JSON, a bypass mode). */
const ALWAYS_READ = new Set(['claude-settings', 'mcp-config', 'claude-markdown']);
/**
 * Runs `work` on pushed items, at most `limit` at a time. `done()` waits for everything pushed so far, and
 * rejects with the first error any of it threw.
 */
function workQueue(limit, work) {
    const waiting = [];
    let running = 0;
    let failure;
    let settle;
    const finish = () => {
        if (running > 0 || waiting.length > 0 || !settle)
            return;
        if (failure === undefined)
            settle.resolve();
        else
            settle.reject(failure);
    };
    const next = () => {
        while (running < limit && waiting.length > 0) {
            const item = waiting.shift();
            running++;
            work(item)
                .catch((error) => (failure ??= error))
                .finally(() => {
                running--;
                next();
                finish();
            });
        }
    };
    return {
        push(item) {
            waiting.push(item);
            next();
        },
        done: () => new Promise((resolve, reject) => {
            settle = { resolve, reject };
            finish();
        }),
    };
}
/** Runs `work` on every item, at most `limit` at a time. */
async function eachLimited(items, limit, work) {
    const queue = workQueue(limit, work);
    for (const item of items)
        queue.push(item);
    await queue.done();
}
/** Appends without spreading: a hostile file can yield more items than a call may take arguments. */
function append(target, items) {
    for (const item of items ?? [])
        target.push(item);
}
/** The isolation a file's place implies (under `.devcontainer/`, a Dockerfile), located at the file. */
function isolationOf(path) {
    const kind = isolationOfPath(path);
    return kind ? { value: kind, span: fileSpan(path) } : undefined;
}
/**
 * Paths of settings files the runs name, as files of the scan: relative to the scanned folder (where a
 * workflow runs), or else to the folder of the file that names it.
 */
function settingsFilesNamed(runs, lists) {
    const found = new Set();
    let known;
    const listedHas = (p) => (known ??= new Set(lists.flat())).has(p);
    for (const run of runs) {
        const named = [
            ...(run.command?.flags ?? []).filter((f) => f.name === '--settings').map((f) => f.values[0]),
            run.action?.inputs.settings,
        ];
        for (const value of named) {
            const text = value?.value.trim();
            if (!text || text.startsWith('{') || text.includes('$'))
                continue;
            const clean = external_node_path_.posix.normalize(text).replace(/^\.\//, '');
            const beside = external_node_path_.posix.normalize(external_node_path_.posix.join(external_node_path_.posix.dirname(run.path), clean));
            if (listedHas(clean))
                found.add(clean);
            else if (listedHas(beside))
                found.add(beside);
        }
    }
    return [...found].sort();
}
/** Scans a file source under a policy: files → surfaces → model → rules → verdict. */
async function scan(source, policy) {
    const ignored = globsMatcher(policy.ignore);
    // In a git checkout only the files that name Claude or hold something shaped like a credential are
    // read (git grep finds them), besides the Claude files themselves, which are read while git grep runs.
    const plan = await source.plan?.(model_needles/* CONTENT_NEEDLES */.b);
    const listed = [];
    const entries = (paths) => {
        listed.push(paths);
        return paths
            .filter((p) => !ignored(p))
            .map((path) => ({ path, kind: classify(path) }))
            .filter((f) => f.kind !== 'binary');
    };
    const model = {
        fileCount: 0,
        runs: [],
        settings: [],
        definitions: [],
        mcpServers: [],
        secrets: [],
        problems: [],
        localConfigs: [],
    };
    const noteLocal = (path, tracked) => {
        const kind = localConfigOf(path);
        if (kind && !ignored(path))
            model.localConfigs.push(tracked ? { path, kind, tracked } : { path, kind });
    };
    const kept = new Map();
    const notices = [];
    let parser;
    const readOne = async ({ path, kind: listedKind }) => {
        let kind = listedKind;
        const result = await source.read(path);
        if ('skipped' in result) {
            if (result.skipped !== 'not a regular file')
                notices.push({ path, message: `skipped: ${result.skipped}` });
            return;
        }
        model.fileCount++;
        const file = new SourceFile(path, result.text);
        const secrets = findSecrets(file);
        let facts = secrets.length;
        append(model.secrets, secrets);
        if (kind === 'text' && hasShellShebang(file.text))
            kind = 'shell-script';
        const reader = readerFor(kind, file.text);
        if (reader) {
            if (reader.usesShell || reader.wantsShell?.(file.text))
                parser ??= await shellParser();
            let found;
            try {
                found = readFacts(reader, file, { shell: () => parser, isolation: isolationOf(path) });
            }
            catch (error) {
                // Parsers recurse: a file nested thousands deep ends in a note, not a crash.
                if (!(error instanceof RangeError))
                    throw error;
                notices.push({ path, message: 'skipped: nested too deeply to read' });
                found = {};
            }
            append(model.runs, found.runs);
            append(model.settings, found.settings);
            append(model.definitions, found.definitions);
            append(model.mcpServers, found.mcpServers);
            append(model.problems, found.problems);
            facts += 1;
        }
        if (facts > 0)
            kept.set(path, file);
    };
    if (plan) {
        // A checkout can hold a hundred thousand paths: only Claude's own files are classified and read now,
        // while git grep runs; the others are counted.
        listed.push(plan.tracked);
        let tracked = 0;
        const claudeFiles = [];
        for (const path of plan.tracked) {
            if (ignored(path) || isBinaryPath(path))
                continue;
            tracked++;
            noteLocal(path, true);
            if (!mayBeClaudeFile(path))
                continue;
            const kind = classify(path);
            if (ALWAYS_READ.has(kind))
                claudeFiles.push({ path, kind });
        }
        await eachLimited(claudeFiles, READ_CONCURRENCY, readOne);
        // Files git grep points at are read as it finds them; the rest it searched and found empty-handed.
        const queue = workQueue(READ_CONCURRENCY, readOne);
        const handed = new Set();
        const complete = await plan.matches((path) => {
            if (ignored(path))
                return;
            const kind = classify(path);
            if (kind === 'binary' || ALWAYS_READ.has(kind))
                return;
            handed.add(path);
            queue.push({ path, kind });
        });
        if (complete)
            model.fileCount += tracked - claudeFiles.length - handed.size;
        else {
            // git grep failed: read every tracked file it did not already hand over.
            for (const f of entries(plan.tracked))
                if (!ALWAYS_READ.has(f.kind) && !handed.has(f.path))
                    queue.push(f);
        }
        await queue.done();
        // git grep searched tracked files only: untracked ones are read whole.
        await eachLimited(entries(await plan.untracked()), READ_CONCURRENCY, readOne);
    }
    else {
        const all = await source.list();
        for (const path of all)
            noteLocal(path, false);
        await eachLimited(entries(all), READ_CONCURRENCY, readOne);
    }
    append(notices, source.notices?.());
    // Settings files named on a command line (`--settings ci/claude.json`) or by the action's `settings:`.
    for (const path of settingsFilesNamed(model.runs, listed)) {
        if (model.settings.some((doc) => doc.path === path))
            continue;
        const result = await source.read(path);
        if ('skipped' in result)
            continue;
        const file = new SourceFile(path, result.text);
        try {
            const { doc, problems } = readSettings(file, 'file', isolationOf(path));
            if (doc)
                model.settings.push(doc);
            append(model.problems, problems);
            kept.set(path, file);
        }
        catch (error) {
            if (!(error instanceof RangeError))
                throw error;
            notices.push({ path, message: 'skipped: nested too deeply to read' });
        }
    }
    // Reads finish in any order; the model is ordered so that everything after it is deterministic.
    const byPlace = (a, b) => {
        const pa = a.span?.path ?? a.path ?? '';
        const pb = b.span?.path ?? b.path ?? '';
        return pa < pb
            ? -1
            : pa > pb
                ? 1
                : (a.span?.line ?? 0) - (b.span?.line ?? 0) || (a.span?.column ?? 0) - (b.span?.column ?? 0);
    };
    model.runs.sort(byPlace);
    model.settings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    model.definitions.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    model.mcpServers.sort((a, b) => byPlace({ span: a.name.span }, { span: b.name.span }));
    model.secrets.sort(byPlace);
    model.problems.sort(byPlace);
    const ctx = { dangerousModeAllowIn: policy.dangerousModeAllowIn };
    const results = RULES.map((rule) => ({ rule, findings: rule.check(model, ctx) }));
    const lineText = (path, line) => kept.get(path)?.lines.lineText(line) ?? '';
    // Credentials written in pieces, by file: their ranges are masked in any snippet of a line they touch.
    const inPieces = new Map();
    for (const s of model.secrets) {
        if (!s.pieces)
            continue;
        const spans = inPieces.get(s.span.path);
        if (spans)
            spans.push(s.span);
        else
            inPieces.set(s.span.path, [s.span]);
    }
    const hiddenSecrets = (path, line) => (inPieces.get(path) ?? [])
        .filter((s) => s.line <= line && line <= s.endLine)
        .map((s) => [s.line === line ? s.column - 1 : 0, s.endLine === line ? s.endColumn - 1 : Infinity]);
    const suggestions = new Map();
    const verdict = judge(results, policy, model.fileCount, { lineText, hiddenSecrets }, notices, suggestions);
    // Every value and piece to mask in logs and reports; placeholders too when written in pieces, as the
    // pieces of a real key and of a placeholder cannot be told apart once printed.
    const secretValues = [
        ...new Set(model.secrets.flatMap((s) => (s.placeholder ? (s.pieces ?? []) : [s.value, ...(s.pieces ?? [])]))),
    ].filter((v) => v.length >= 8);
    return { verdict, model, secretValues, suggestions };
}

// EXTERNAL MODULE: ./lib/cli/early.js
var early = __webpack_require__(8433);
;// CONCATENATED MODULE: ./lib/cli/run.js
















const EXIT = { ok: 0, blocking: 1, usage: 2, internal: 3 };
/** A mistake the user can fix, said in one sentence; exits 2. */
class UsageError extends Error {
}
const FORMATS = ['text', 'json', 'sarif', 'github', 'markdown'];
/**
 * Where `dir` lies in the git work tree that holds it (`packages/app`), so SARIF locations are relative to
 * the repository root, as code scanning reads them; empty when `dir` is the root or in no repository. Only
 * the folders above the scanned one are looked at, for a `.git` entry; nothing is read.
 */
async function repositoryPrefix(dir) {
    for (let d = dir;; d = (0,external_node_path_.dirname)(d)) {
        const git = await (0,promises_.lstat)((0,external_node_path_.join)(d, '.git')).catch(() => undefined);
        if (git)
            return (0,external_node_path_.relative)(d, dir).split(external_node_path_.sep).join('/');
        if ((0,external_node_path_.dirname)(d) === d)
            return '';
    }
}
async function scanCommand(args, io) {
    const { values, positionals } = (0,external_node_util_.parseArgs)({ args, allowPositionals: true, options: early.SCAN_OPTIONS });
    if (positionals.length > 1)
        throw new UsageError(`scan takes one folder, got ${positionals.length}`);
    const format = values.format;
    if (!FORMATS.includes(format))
        throw new UsageError(`unknown format "${format}" (expected ${FORMATS.join(', ')})`);
    if (values['sarif-category'] !== undefined && format !== 'sarif')
        throw new UsageError('--sarif-category applies only to --format sarif');
    const dir = (0,external_node_path_.resolve)(io.cwd, positionals[0] ?? '.');
    const info = await (0,promises_.stat)(dir).catch(() => undefined);
    if (!info?.isDirectory())
        throw new UsageError(`${positionals[0] ?? '.'} is not a folder`);
    const named = values.policy !== undefined;
    const policyPath = named
        ? (0,external_node_path_.resolve)(io.cwd, values.policy)
        : (0,external_node_path_.resolve)(dir, '.github/claude-guard.yml');
    const display = named ? values.policy : '.github/claude-guard.yml';
    // A policy the user names is read wherever it is; the repository's own must stay inside it.
    let policy = await loadPolicy(policyPath, display, named, named ? undefined : dir);
    if (values['fail-on'] !== undefined) {
        const failOn = FailOnSchema.safeParse(values['fail-on']);
        if (!failOn.success)
            throw new UsageError(`--fail-on must be one of ${FailOnSchema.options.join(', ')}`);
        policy = { ...policy, failOn: failOn.data };
    }
    const badGlob = firstGlobError(values.ignore ?? []);
    if (badGlob)
        throw new UsageError(`--ignore ${badGlob}`);
    if (values.ignore)
        policy = { ...policy, ignore: [...policy.ignore, ...values.ignore] };
    const started = io.early?.root === dir ? io.early.plan : undefined;
    const { verdict, secretValues: secrets } = await scan(await diskSource(dir, started), policy);
    const colour = io.isTTY && values.output === undefined && !io.env.NO_COLOR;
    const uriPrefix = format === 'sarif' ? await repositoryPrefix(dir) : '';
    const rendered = format === 'json'
        ? renderJson(verdict, { secrets })
        : format === 'sarif'
            ? renderSarif(verdict, { secrets, category: values['sarif-category'], uriPrefix })
            : format === 'github'
                ? renderGithub(verdict, { secrets })
                : format === 'markdown'
                    ? renderMarkdown(verdict, { secrets })
                    : renderText(verdict, { colour, secrets });
    if (values.output) {
        const out = (0,external_node_path_.resolve)(io.cwd, values.output);
        await (0,promises_.mkdir)((0,external_node_path_.dirname)(out), { recursive: true });
        await (0,promises_.writeFile)(out, rendered);
    }
    else
        io.stdout(rendered);
    return verdict.summary.conclusion === 'failure' ? EXIT.blocking : EXIT.ok;
}
function rulesCommand(args, io) {
    const { values } = (0,external_node_util_.parseArgs)({ args, options: { json: { type: 'boolean', default: false } } });
    if (values.json) {
        const list = RULES.map(({ meta }) => ({
            id: meta.id,
            name: meta.name,
            severity: meta.severity,
            summary: meta.summary,
            docs: `docs/rules/${meta.id}.md`,
        }));
        io.stdout(`${JSON.stringify(list, null, 2)}\n`);
    }
    else {
        for (const { meta } of RULES)
            io.stdout(`${meta.id}  ${meta.name.padEnd(20)} ${meta.severity.padEnd(9)} ${meta.summary}\n`);
    }
    return EXIT.ok;
}
function explainCommand(args, io) {
    const id = args[0];
    if (!id)
        throw new UsageError('explain needs a rule id, e.g. claude-guard explain CG101');
    const rule = ruleById(id) ?? RULES.find((r) => r.meta.name === id);
    if (!rule)
        throw new UsageError(`no rule "${id}"; claude-guard rules lists them`);
    io.stdout(renderRuleDoc(rule.meta));
    return EXIT.ok;
}
/** Runs one CLI command and returns its exit code; never throws. */
async function runCli(argv, io) {
    const [command, ...rest] = argv;
    try {
        switch (command) {
            case 'scan':
                return await scanCommand(rest, io);
            case 'rules':
                return rulesCommand(rest, io);
            case 'explain':
                return explainCommand(rest, io);
            default:
                throw new UsageError(`unknown command "${command}"; try claude-guard --help`);
        }
    }
    catch (error) {
        // Messages can quote the policy file or the arguments: they leave through the same edge as reports.
        const say = (s) => io.stderr(`claude-guard: ${s
            .split('\n')
            .map((l) => displayLine(l))
            .join('\n')}\n`);
        if (error instanceof PolicyError) {
            say(`invalid policy: ${error.message}`);
            return EXIT.usage;
        }
        if (error instanceof UsageError || error.code?.startsWith('ERR_PARSE_ARGS')) {
            say(error.message);
            return EXIT.usage;
        }
        say(`internal error: ${error.stack ?? String(error)}`);
        return EXIT.internal;
    }
}


/***/ })

};
