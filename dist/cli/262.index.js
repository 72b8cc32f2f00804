export const id = 262;
export const ids = [262];
export const modules = {

/***/ 6262:
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
// EXTERNAL MODULE: ./lib/policy/glob.js
var glob = __webpack_require__(6298);
// EXTERNAL MODULE: ./lib/policy/load.js + 2 modules
var load = __webpack_require__(2012);
// EXTERNAL MODULE: ./lib/policy/schema.js
var schema = __webpack_require__(5991);
// EXTERNAL MODULE: ./lib/model/secret-patterns.js
var secret_patterns = __webpack_require__(4501);
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
/**
 * Finds every occurrence of a set of strings (each at least MIN_FRAGMENT long) in one pass over a text. Each
 * string is filed under the hash of one of its MIN_FRAGMENT-character windows (its anchor), chosen where few
 * others are filed: keys that share a prefix (`sk-ant-api03-…`) are told apart by their random parts. At each
 * position of the text the window's hash (rolled, no allocation) picks the few strings to compare. A hostile
 * repository can hold tens of thousands of secrets, and every string of a report is checked against them: one
 * `includes` per secret made that quadratic.
 */
class FragmentIndex {
    byHash = new Map();
    /** Texts already masked (the help and docs of a rule repeat on every finding): bounded. */
    done = new Map();
    constructor(fragments) {
        for (const text of new Set(fragments)) {
            if (text.length < MIN_FRAGMENT)
                continue;
            let best = { hash: 0, anchor: -1, load: Infinity };
            let h = hashAt(text, 0);
            for (let at = 0; at + MIN_FRAGMENT <= text.length; at++) {
                if (at > 0)
                    h = roll(h, text.charCodeAt(at - 1), text.charCodeAt(at + MIN_FRAGMENT - 1));
                const load = this.byHash.get(h)?.length ?? 0;
                if (load < best.load)
                    best = { hash: h, anchor: at, load };
                if (load === 0)
                    break;
            }
            const list = this.byHash.get(best.hash);
            if (list)
                list.push({ text, anchor: best.anchor });
            else
                this.byHash.set(best.hash, [{ text, anchor: best.anchor }]);
        }
    }
    get empty() {
        return this.byHash.size === 0;
    }
    /** `text` with every stretch covered by an occurrence of a fragment replaced by `********`. */
    mask(text) {
        if (text.length < MIN_FRAGMENT)
            return text;
        const known = this.done.get(text);
        if (known !== undefined)
            return known;
        const found = [];
        let h = hashAt(text, 0);
        for (let i = 0; i + MIN_FRAGMENT <= text.length; i++) {
            if (i > 0)
                h = roll(h, text.charCodeAt(i - 1), text.charCodeAt(i + MIN_FRAGMENT - 1));
            const candidates = this.byHash.get(h);
            if (!candidates)
                continue;
            for (const f of candidates) {
                const start = i - f.anchor;
                if (start >= 0 && text.startsWith(f.text, start))
                    found.push([start, start + f.text.length]);
            }
        }
        let result = text;
        if (found.length > 0) {
            found.sort((a, b) => a[0] - b[0]);
            result = '';
            let copied = 0;
            let end = -1;
            for (const [from, to] of found) {
                if (from > end) {
                    if (end >= 0)
                        result += '********';
                    result += text.slice(copied, from);
                }
                end = Math.max(end, to);
                copied = end;
            }
            result += `********${text.slice(copied)}`;
        }
        if (this.done.size < MAX_REMEMBERED)
            this.done.set(text, result);
        return result;
    }
}
const MAX_REMEMBERED = 4096;
const BASE = 31;
/** BASE ** (MIN_FRAGMENT - 1), modulo 2^32. */
const TOP = Array.from({ length: MIN_FRAGMENT - 1 }).reduce((p) => Math.imul(p, BASE), 1);
function hashAt(text, at) {
    let h = 0;
    for (let k = 0; k < MIN_FRAGMENT; k++)
        h = (Math.imul(h, BASE) + text.charCodeAt(at + k)) | 0;
    return h;
}
function roll(h, leaving, entering) {
    return (Math.imul(h - Math.imul(leaving, TOP), BASE) + entering) | 0;
}
/** One index per list of secrets: callers pass the same list for every string of a report. */
const indexes = new WeakMap();
/** Masks every credential in `text`: by shape, and every known secret value or piece of one. */
function maskSecrets(text, secrets = []) {
    const out = (0,secret_patterns/* redact */.E$)(text);
    if (secrets.length === 0)
        return out;
    let index = indexes.get(secrets);
    if (!index)
        indexes.set(secrets, (index = new FragmentIndex(secrets)));
    return index.empty ? out : index.mask(out);
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

// EXTERNAL MODULE: ./lib/model/mcp-pinning.js
var mcp_pinning = __webpack_require__(2733);
// EXTERNAL MODULE: ./lib/model/powers.js
var powers = __webpack_require__(5891);
// EXTERNAL MODULE: ./lib/model/claude-install.js
var claude_install = __webpack_require__(9117);
// EXTERNAL MODULE: ./lib/model/workflow-trust.js + 1 modules
var workflow_trust = __webpack_require__(2863);
// EXTERNAL MODULE: ./lib/model/env.js
var env = __webpack_require__(7386);
// EXTERNAL MODULE: ./lib/model/remote-code.js
var remote_code = __webpack_require__(3405);
// EXTERNAL MODULE: ./lib/version.js
var version = __webpack_require__(3411);
;// CONCATENATED MODULE: ./lib/report/credentials.js

/**
 * What of a value from the repository a listing may show. Credential patterns (safe.ts) catch keys of known
 * shapes; a listing that prints every value Claude receives must also keep back the ones whose shape is
 * unknown but whose name says what they are (`DB_PASSWORD=hunter2`, `--token abc`, `https://u:p@host`).
 */
const MASK = '********';
/**
 * Parts of a name that say it holds a credential. Singular on purpose: `MAX_OUTPUT_TOKENS` counts tokens,
 * `GITHUB_TOKEN` is one.
 */
const CREDENTIAL_PART = /^(key|apikey|token|secret|password|passwd|pwd|pass|credential|credentials|creds|auth|authorization|bearer|cookie|session|sessionid|privatekey|accesskey|signature)$/i;
/** Values that say nothing even under a credential's name. */
const HARMLESS = /^(|true|false|yes|no|on|off|0|1)$/i;
/** True when a name (variable, header, flag, input) says its value is a credential. */
function isCredentialName(name) {
    return name
        .replace(/^-+/, '')
        .split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/)
        .some((part) => CREDENTIAL_PART.test(part));
}
/** A value that only names where the credential comes from: `$TOKEN`, `${TOKEN}`, `${{ secrets.X }}`. */
const isReference = (value) => value.startsWith('$');
// Every repetition below is bounded or anchored after a blank, so no text makes a match attempt quadratic.
/** Userinfo of a URL (`https://user:pass@host`). */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]{0,31}:\/\/[^/\s:@]{0,256}):[^/\s@]{1,256}@/gi;
/** Text with the password of every URL in it (`https://user:pass@host`) masked. */
function maskUrlPasswords(text) {
    return text.replace(URL_PASSWORD, `$1:${MASK}@`);
}
/** `Bearer abc…`, `token abc…` as in an Authorization header. */
const AUTH_SCHEME = /\b(Bearer|Basic|token)([ \t]+)([A-Za-z0-9._~+/=-]{8,})/gi;
/** `NAME=value` (an assignment, a query parameter, `--flag=value`). */
const ASSIGNED = /([A-Za-z_][A-Za-z0-9_.-]{0,63})=("[^"\n]*"?|'[^'\n]*'?|[^\s&;"']+)/g;
/** `--flag value`, the value bare or quoted. */
const FLAG_VALUE = /(^|\s)(--?[A-Za-z][A-Za-z0-9_-]{0,63})([ \t]+)("[^"\n]*"?|'[^'\n]*'?|[^\s"'-][^\s"']*)/g;
/**
 * Text such as a command line or a URL with every credential it visibly carries replaced by `********`:
 * known credential shapes, `known` secret values and their pieces, a URL's password, the token of an
 * Authorization scheme, and the value of a credential-named assignment or flag. References (`$X`) stay.
 */
function maskCredentials(text, known = []) {
    return maskSecrets(text, known)
        .replace(URL_PASSWORD, `$1:${MASK}@`)
        .replace(AUTH_SCHEME, (m, scheme, gap, token) => token === MASK ? m : `${scheme}${gap}${MASK}`)
        .replace(ASSIGNED, (m, name, value) => isCredentialName(name) && !isReference(value.replace(/^["']/, '')) && !HARMLESS.test(value)
        ? `${name}=${MASK}`
        : m)
        .replace(FLAG_VALUE, (m, before, flag, gap, value) => isCredentialName(flag) && !isReference(value.replace(/^["']/, '')) && !HARMLESS.test(value)
        ? `${before}${flag}${gap}${MASK}`
        : m);
}
/** Words of a command line with credentials masked, including a value that follows a credential-named flag. */
function maskArgs(words, known = []) {
    return words.map((word, i) => {
        const before = i > 0 ? words[i - 1] : '';
        const flagged = /^--?[A-Za-z]/.test(before) && !before.includes('=') && isCredentialName(before);
        if (flagged && !isReference(word) && !HARMLESS.test(word) && !word.startsWith('-'))
            return MASK;
        return maskCredentials(word, known);
    });
}
/**
 * A literal value under a name: shown only when it is not secret-shaped. Secret-shaped is a credential
 * pattern, a known secret or piece of one, a URL with a password, or any value but `true`/`false`/`0`/`1`
 * under a credential's name.
 */
function shownLiteral(name, value, known = []) {
    const masked = maskCredentials(value, known);
    if (masked !== value)
        return { value: null, masked };
    if (isCredentialName(name) && !HARMLESS.test(value))
        return { value: null, masked: MASK };
    return { value, masked: null };
}

;// CONCATENATED MODULE: ./lib/report/inventory.js









/**
 * The inventory: where Claude runs and what it may do there, as data. It is an audit listing, not a verdict:
 * no severity, no policy. Its JSON form is a public contract (docs/inventory.md): within a version, fields
 * are only added. Everything is sorted by place, so the same tree gives the same bytes.
 */
const INVENTORY_SCHEMA = 'claude-guard/inventory';
const INVENTORY_VERSION = 1;
// ---------------------------------------------------------------------------------------------------------
// Places and order
function inventory_location(span) {
    return {
        path: span.path,
        line: span.line,
        column: span.column,
        endLine: span.endLine,
        endColumn: span.endColumn,
    };
}
function placed(x) {
    return x ? { value: x.value, location: inventory_location(x.span) } : null;
}
function compareText(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
function compareLocations(a, b) {
    return (compareText(a.path, b.path) ||
        a.line - b.line ||
        a.column - b.column ||
        a.endLine - b.endLine ||
        a.endColumn - b.endColumn);
}
function byLocation(items) {
    return items.sort((a, b) => compareLocations(a.location, b.location));
}
/**
 * Repository data of any shape (a `permissions:` block) as plain JSON, bounded in depth. Its keys are
 * repository text too: masked here, as the renderers mask values only.
 */
function plainData(value, known, depth = 0) {
    if (value === null || typeof value === 'string' || typeof value === 'boolean')
        return value;
    if (typeof value === 'number')
        return Number.isFinite(value) ? value : String(value);
    if (depth >= 8)
        return '…';
    if (Array.isArray(value))
        return value.map((v) => plainData(v, known, depth + 1));
    if (typeof value === 'object') {
        // fromEntries defines own properties: a key such as `__proto__` stays a key.
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [maskSecrets(k, known), plainData(v, known, depth + 1)]));
    }
    return String(value);
}
function permissionsEntry(permissions, known) {
    return permissions
        ? { value: plainData(permissions.value, known), location: inventory_location(permissions.span) }
        : null;
}
function ruleEntry(power) {
    const rule = power.rule;
    return {
        rule: power.value,
        tool: rule.canonical,
        specifier: rule.specifier ?? null,
        form: rule.form,
        risk: rule.risk,
        via: power.via,
        problem: rule.problem ?? null,
        location: inventory_location(power.span),
    };
}
/** A rule that grants nothing (an agent's `tools:`), in the same shape. */
function limitEntry(rule, via) {
    return {
        rule: rule.value.raw.trim(),
        tool: rule.value.canonical,
        specifier: rule.value.specifier ?? null,
        form: rule.value.form,
        risk: rule.value.risk,
        via: [via],
        problem: rule.value.problem ?? null,
        location: inventory_location(rule.span),
    };
}
function sections(powers) {
    const of = (kind) => powers.filter((p) => p.kind === kind);
    return {
        modes: byLocation(of('mode').map((p) => ({
            mode: p.value,
            risk: p.risk ?? null,
            via: p.via,
            location: inventory_location(p.span),
        }))),
        grants: byLocation(of('grant').map(ruleEntry)),
        asks: byLocation(of('ask').map(ruleEntry)),
        denied: byLocation(of('deny').map(ruleEntry)),
        directories: byLocation(of('directory').map((p) => ({ path: p.value, via: p.via, location: inventory_location(p.span) }))),
    };
}
/** The most permissive of the modes, the first written on a tie; null when none is set. */
function strongest(modes) {
    let best;
    for (const m of modes)
        if (!best || (0,powers/* riskRank */.wv)(m.risk ?? undefined) > (0,powers/* riskRank */.wv)(best.risk ?? undefined))
            best = m;
    return best?.mode ?? null;
}
// ---------------------------------------------------------------------------------------------------------
// Values
const SECRET_REFERENCE = /\bsecrets\s*\.\s*([A-Za-z_][A-Za-z0-9_]{0,127})|\bsecrets\s*\[\s*'([^'\n]{1,128})'\s*\]/g;
/** A string value as the readers' `Arg`, for the one origin classifier. */
function asArg(value) {
    return { value: value.value, span: value.span, sub: () => value.span, dynamic: false };
}
/**
 * A value given under a name, never a credential: a secret reference shows its name only
 * (`secrets.ANTHROPIC_API_KEY`); a literal shows only when it is not secret-shaped, else its masked form;
 * expressions and variables show as written, with any credential they visibly hold masked.
 */
function valueEntry(name, value, origin, scope, known) {
    const entry = {
        name,
        origin,
        scope,
        value: null,
        masked: null,
        references: [],
        location: inventory_location(value.span),
    };
    if (origin === 'secret') {
        entry.references = [
            ...new Set([...value.value.matchAll(SECRET_REFERENCE)].map((m) => `secrets.${m[1] ?? m[2]}`)),
        ].sort();
    }
    else if (origin === 'literal') {
        Object.assign(entry, shownLiteral(name, value.value, known));
    }
    else {
        const masked = maskCredentials(value.value, known);
        if (masked === value.value)
            entry.value = masked;
        else
            entry.masked = masked;
    }
    return entry;
}
function namedValues(values, known, scope = null) {
    return byLocation(Object.entries(values).map(([name, v]) => {
        const arg = asArg(v);
        return valueEntry(name, arg, (0,env/* envOrigin */.Ye)(arg), scope, known);
    }));
}
/**
 * The remote code a command runs, as CG604 reads it: the first piece CG604 reports (a download run, a
 * package or image without a pin), else the first pinned one; null when it fetches nothing.
 */
function remoteCodeEntry(remote, known) {
    const r = remote?.find(remote_code/* isRiskyRemote */.xX) ?? remote?.[0];
    if (!r)
        return null;
    return {
        how: r.how,
        runner: r.runner,
        target: r.target === undefined ? null : maskCredentials(r.target, known),
        pin: r.pin,
        location: inventory_location(r.span),
    };
}
function hookEntry(hook, known) {
    return {
        event: hook.event.value,
        matcher: hook.matcher?.value ?? null,
        type: hook.type,
        run: maskCredentials(hook.run.value, known),
        location: inventory_location(hook.run.span),
        remoteCode: remoteCodeEntry(hook.remote, known),
    };
}
function hooksOf(owners, known) {
    return byLocation(owners.flatMap((d) => (d.hooks ?? []).map((h) => hookEntry(h, known))));
}
function helperEntry(helper, known) {
    return {
        name: helper.key,
        run: maskCredentials(helper.run.value, known),
        location: inventory_location(helper.run.span),
        remoteCode: remoteCodeEntry(helper.remote, known),
    };
}
// ---------------------------------------------------------------------------------------------------------
// Runs
function inlineSettingsOf(run) {
    const docs = [run.command?.inlineSettings, run.inlineSettings].filter((d) => d !== undefined);
    return [...new Set(docs)];
}
/**
 * Where the run happens. One line per field: a field the model gains (the user a run has, its working
 * directory) is one more line here and one row in docs/inventory.md; the text listing shows it unasked.
 */
function contextEntry(context, known) {
    // Fields the readers are gaining: read where present, so the listing does not wait on them.
    const ctx = context;
    const { workflow, job } = ctx;
    return {
        isolation: placed(ctx.isolation),
        workflow: workflow
            ? {
                path: workflow.path,
                name: workflow.name ?? null,
                triggers: byLocation(workflow.triggers.map((t) => placed(t))),
                permissions: permissionsEntry(workflow.permissions, known),
            }
            : null,
        job: job
            ? {
                id: job.id,
                location: inventory_location(job.span),
                permissions: permissionsEntry(job.permissions, known),
                container: job.container ? inventory_location(job.container) : null,
                environment: placed(job.environment),
                timeoutMinutes: placed(job.timeoutMinutes),
            }
            : null,
        step: ctx.stepName !== undefined ? { name: ctx.stepName } : null,
        user: ctx.user
            ? { value: ctx.user.value, from: ctx.user.from ?? null, location: inventory_location(ctx.user.span) }
            : null,
        workingDirectory: placed(ctx.workingDirectory),
        sudoGrants: byLocation((ctx.sudoGrants ?? []).map((g) => ({
            user: g.user,
            commands: g.commands.value,
            location: inventory_location(g.commands.span),
        }))),
    };
}
function references(run, flag, inputs, known) {
    const values = (run.command?.flags ?? []).filter((f) => f.name === flag).flatMap((f) => f.values);
    const out = values.map((v) => ({ text: v.value, span: v.span }));
    for (const name of inputs) {
        const input = run.action?.inputs[name];
        if (input)
            out.push({ text: input.value, span: input.span });
    }
    return byLocation(out.map(({ text, span }) => {
        const inline = /^\s*[{[]/.test(text);
        return { inline, value: inline ? null : maskCredentials(text.trim(), known), location: inventory_location(span) };
    }));
}
/** Who can start a workflow run, from the same reading CG501 makes. */
function trustOf(model, run) {
    if (run.context.surface !== 'workflow' || !run.context.workflow)
        return null;
    const reach = (0,workflow_trust/* untrustedReachOf */.NG)(model, run);
    if (!reach)
        return { level: 'maintainers', events: [], opening: null, untrustedText: [], headCheckout: null };
    return {
        level: 'outsiders',
        events: reach.events.map((e) => ({
            event: e.trigger.event.value,
            types: e.types,
            as: e.as,
            location: inventory_location(e.trigger.event.span),
        })),
        opening: reach.opening ? { kind: reach.opening.kind, location: inventory_location(reach.opening.span) } : null,
        untrustedText: reach.texts.map((t) => inventory_location(t.span)),
        headCheckout: reach.checkout ? inventory_location(reach.checkout.span) : null,
    };
}
function runEntry(run, powersIn, known, model) {
    const inline = inlineSettingsOf(run);
    const powers = powersIn({ runs: [run], settings: inline, definitions: [], mcpServers: [] });
    const action = run.action;
    const inputs = action
        ? byLocation(Object.entries(action.inputs).map(([name, v]) => {
            const arg = asArg(v);
            return valueEntry(name, arg, (0,env/* envOrigin */.Ye)(arg), null, known);
        }))
        : [];
    return {
        location: inventory_location(run.span),
        kind: run.kind,
        surface: run.context.surface,
        program: placed(run.program),
        action: action
            ? {
                name: action.action,
                uses: action.uses.value,
                ref: action.ref,
                generation: action.generation,
                location: inventory_location(action.uses.span),
            }
            : null,
        wrappers: run.wrappers.map((w) => placed(w)),
        context: contextEntry(run.context, known),
        mode: strongest(powers.modes),
        modes: powers.modes,
        grants: powers.grants,
        asks: powers.asks,
        denied: powers.denied,
        addedDirectories: powers.directories,
        hooks: hooksOf(inline, known),
        settings: references(run, '--settings', ['settings'], known),
        mcpConfigs: references(run, '--mcp-config', ['mcp_config'], known),
        env: byLocation(run.env.map((a) => valueEntry(a.name, a.value, a.origin, a.scope ?? null, known))),
        inputs,
        flags: (run.command?.flags ?? []).map((f) => ({
            name: f.name,
            values: maskArgs([f.name, ...f.values.map((v) => v.value)], known).slice(1),
            location: inventory_location(f.span),
        })),
        trust: trustOf(model, run),
        limits: limitsOf(run),
    };
}
/** The limits a run is started with. */
function limitsOf(run) {
    const flag = (name) => {
        const value = run.command?.flags.find((f) => f.name === name)?.values[0];
        return value ? { value: value.value, location: inventory_location(value.span) } : null;
    };
    const wrapper = run.wrappers.find((w) => w.value === 'timeout');
    return {
        maxTurns: flag('--max-turns'),
        maxBudgetUsd: flag('--max-budget-usd'),
        jobTimeoutMinutes: placed(run.context.job?.timeoutMinutes),
        stepTimeoutMinutes: placed(run.context.step?.timeoutMinutes),
        gitlabTimeout: placed(run.context.timeout),
        timeoutWrapper: wrapper ? inventory_location(wrapper.span) : null,
    };
}
/** Every place Claude Code is installed or fetched, with its pinning. */
function installsOf(model) {
    return byLocation((0,claude_install/* claudeInstalls */.fi)(model).map((install) => {
        const { pin, why } = (0,claude_install/* installPinning */.Hv)(install);
        return {
            location: inventory_location(install.span),
            how: install.how,
            via: install.via,
            version: placed(install.version),
            pin,
            why,
        };
    }));
}
// ---------------------------------------------------------------------------------------------------------
// Settings, MCP servers, definitions
function settingsEntry(doc, givenBy, powersIn, known) {
    const powers = powersIn({ runs: [], settings: [doc], definitions: [], mcpServers: [] });
    return {
        path: doc.path,
        scope: doc.scope,
        givenBy: givenBy ? inventory_location(givenBy.span) : null,
        isolation: placed(doc.isolation),
        defaultMode: powers.modes[0] ?? null,
        disableBypassPermissionsMode: placed(doc.disableBypassPermissionsMode),
        allow: powers.grants,
        ask: powers.asks,
        deny: powers.denied,
        additionalDirectories: powers.directories,
        env: namedValues(doc.env, known),
        hooks: hooksOf([doc], known),
        helpers: byLocation(doc.helpers.map((h) => helperEntry(h, known))),
        plugins: byLocation(doc.plugins.map((p) => {
            // `plugin@marketplace`: the marketplace is after the last `@`.
            const at = p.name.value.lastIndexOf('@');
            return {
                name: at > 0 ? p.name.value.slice(0, at) : p.name.value,
                marketplace: at > 0 ? p.name.value.slice(at + 1) : null,
                enabled: p.enabled,
                location: inventory_location(p.name.span),
            };
        })),
        marketplaces: byLocation(doc.marketplaces.map((m) => ({
            name: m.name.value,
            source: m.source || m.location
                ? {
                    kind: m.source?.value ?? null,
                    value: m.location ? maskCredentials(m.location.value, known) : null,
                    location: m.location ? inventory_location(m.location.span) : m.source ? inventory_location(m.source.span) : null,
                }
                : null,
            location: inventory_location(m.name.span),
        }))),
        enableAllProjectMcpServers: placed(doc.enableAllProjectMcpServers),
        enabledMcpjsonServers: byLocation(doc.enabledMcpjsonServers.map((n) => placed(n))),
        disabledMcpjsonServers: byLocation(doc.disabledMcpjsonServers.map((n) => placed(n))),
    };
}
function mcpScope(path) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (path === '.claude-plugin/plugin.json' || path.endsWith('/.claude-plugin/plugin.json'))
        return 'plugin';
    return name === '.mcp.json' ? 'project' : name === '.claude.json' ? 'local' : 'file';
}
function mcpEntry(server, known) {
    const pinning = (0,mcp_pinning/* mcpPinning */.gv)(server);
    const args = maskArgs(server.args.map((a) => a.value), known);
    return {
        name: server.name.value,
        location: inventory_location(server.name.span),
        path: server.path,
        scope: mcpScope(server.path),
        transport: {
            value: server.transport?.value ?? 'stdio',
            location: server.transport ? inventory_location(server.transport.span) : null,
        },
        command: server.command
            ? { value: maskCredentials(server.command.value, known), location: inventory_location(server.command.span) }
            : null,
        args: server.args.map((a, i) => ({ value: args[i], location: inventory_location(a.span) })),
        url: server.url
            ? { value: maskCredentials(server.url.value, known), location: inventory_location(server.url.span) }
            : null,
        env: namedValues(server.env, known),
        headers: namedValues(server.headers, known),
        pinning: pinning
            ? {
                runner: pinning.runner,
                target: pinning.target === undefined ? null : maskCredentials(pinning.target, known),
                pin: pinning.pin,
            }
            : null,
        headersHelper: server.headersHelper ? helperEntry(server.headersHelper, known) : null,
    };
}
function definitionEntry(definition, powersIn, known) {
    const powers = powersIn({ runs: [], settings: [], definitions: [definition], mcpServers: [] });
    return {
        path: definition.path,
        kind: definition.kind,
        location: inventory_location({ path: definition.path, line: 1, column: 1, endLine: 1, endColumn: 1 }),
        isolation: placed(definition.isolation),
        permissionMode: powers.modes[0] ?? null,
        allowedTools: powers.grants,
        tools: byLocation(definition.tools.map((t) => limitEntry(t, 'tools'))),
        hooks: hooksOf([definition], known),
        inlineShell: byLocation((definition.inlineShell ?? []).map((h) => helperEntry(h, known))),
    };
}
// ---------------------------------------------------------------------------------------------------------
/** The inventory of a scanned model. Pure: the same model gives the same inventory. */
function buildInventory(model, options = {}) {
    const known = options.secrets ?? [];
    const powersIn = (part) => sections((0,powers/* powersOf */.eJ)({ ...model, ...part }));
    const givers = new Map();
    for (const run of model.runs)
        for (const doc of inlineSettingsOf(run))
            if (!givers.has(doc))
                givers.set(doc, run);
    const settings = model.settings
        .map((doc) => settingsEntry(doc, givers.get(doc), powersIn, known))
        .sort((a, b) => compareText(a.path, b.path) ||
        (a.givenBy && b.givenBy
            ? compareLocations(a.givenBy, b.givenBy)
            : a.givenBy
                ? 1
                : b.givenBy
                    ? -1
                    : 0));
    const runs = byLocation(model.runs.map((run) => runEntry(run, powersIn, known, model)));
    const mcpServers = byLocation(model.mcpServers.map((s) => mcpEntry(s, known)));
    const definitions = byLocation(model.definitions.map((d) => definitionEntry(d, powersIn, known)));
    return {
        schema: INVENTORY_SCHEMA,
        version: INVENTORY_VERSION,
        tool: { name: 'claude-guard', version: version/* VERSION */.x },
        summary: {
            files: model.fileCount,
            runs: runs.length,
            settings: settings.length,
            mcpServers: mcpServers.length,
            definitions: definitions.length,
        },
        runs,
        settings,
        mcpServers,
        definitions,
        installs: installsOf(model),
        localConfigs: [...model.localConfigs]
            .sort((a, b) => compareText(a.path, b.path))
            .map((c) => ({ path: c.path, kind: c.kind, tracked: c.tracked ?? null })),
        notices: [...(options.notices ?? [])]
            .map((n) => ({ path: n.path, message: n.message }))
            .sort((a, b) => compareText(a.path, b.path) || compareText(a.message, b.message)),
    };
}
/** Every string of a value passed through `f`; object keys are ours and stay. */
function inventory_mapStrings(value, f) {
    const walk = (v) => {
        if (typeof v === 'string')
            return f(v);
        if (Array.isArray(v))
            return v.map(walk);
        if (v && typeof v === 'object')
            return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
        return v;
    };
    return walk(value);
}
/**
 * The inventory as JSON: every string masked (credential shapes and known secrets, paths too), control
 * characters written as JSON escapes, two-space indent, a final newline.
 */
function renderInventoryJson(inventory, options = {}) {
    return `${safeJson(inventory_mapStrings(inventory, (s) => maskSecrets(s, options.secrets)))}\n`;
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
    const counted = parts.length > 0 ? `${findings} (${parts.join(', ')})` : findings;
    return summary.suppressed > 0 ? `${counted}, ${summary.suppressed} suppressed` : counted;
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
            const block = f.blocking
                ? ' (blocking)'
                : f.suppression
                    ? ` (suppressed, ${f.suppression.kind === 'inline' ? 'inline' : 'policy exception'})`
                    : '';
            lines.push(`  ${where}${c(COLOURS[f.severity], f.severity.padEnd(9))}${f.ruleId} ${f.ruleName}${block}`);
            lines.push(`          ${f.message}`);
            if (f.suppression) {
                const who = [f.suppression.owner, f.suppression.expires ? `until ${f.suppression.expires}` : '']
                    .filter(Boolean)
                    .join(', ');
                lines.push(`          suppressed: ${f.suppression.reason}${who ? ` (${who})` : ''}`);
            }
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

;// CONCATENATED MODULE: ./lib/report/inventory-text.js


/** Longest piece of repository text on a line, after masking and escaping. */
const MAX_TEXT = 160;
const INDENT = '    ';
/**
 * The inventory for people: one block per Claude run, settings document, MCP server and command, agent or
 * skill, grouped, each detail on its own line with where it is written. Every string from the repository
 * passes the display edge (masked, controls escaped, no workflow command) and is cut to a readable length.
 */
function renderInventoryText(inventory, options = {}) {
    const secrets = options.secrets ?? [];
    const t = (text) => {
        const line = displayLine(text, secrets);
        return line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT - 1)}…` : line;
    };
    const out = [];
    const detail = (label, text) => {
        out.push(`${INDENT}${label.padEnd(10)} ${text}`);
    };
    /** `at 3:21`, or with the path when it is not the block's file. */
    const at = (l, path) => l.path === path ? `at ${l.line}:${l.column}` : `at ${t(l.path)}:${l.line}:${l.column}`;
    const via = (v) => (v.length > 0 ? ` via ${v.map(t).join(', ')}` : '');
    const rule = (label, r, path) => detail(label, `${t(r.rule)} [${r.risk}]${via(r.via)} ${at(r.location, path)}${r.problem ? ` (${t(r.problem)})` : ''}`);
    const mode = (m, path) => detail('mode', `${t(m.mode)}${m.risk ? ` [${m.risk}]` : ''}${via(m.via)} ${at(m.location, path)}`);
    const directory = (d, path) => detail('directory', `${t(d.path)}${via(d.via)} ${at(d.location, path)}`);
    /** The remote code a hook or helper runs, on the line after it: how, by what, what, and its pin. */
    const remote = (r, path) => {
        if (!r)
            return;
        const target = r.target !== null ? ` ${t(r.target)}` : '';
        detail('  fetches', `${r.how} (${t(r.runner)})${target} [${r.pin}] ${at(r.location, path)}`);
    };
    const hook = (h, path) => {
        detail('hook', `${t(h.event)}${h.matcher !== null ? ` on ${t(h.matcher)}` : ''}: ${h.type} ${t(h.run)} ${at(h.location, path)}`);
        remote(h.remoteCode, path);
    };
    const helper = (h, path) => {
        detail('helper', `${t(h.name)}: ${t(h.run)} ${at(h.location, path)}`);
        remote(h.remoteCode, path);
    };
    const value = (label, v, path) => {
        const shown = v.origin === 'secret'
            ? v.references.map(t).join(', ') || '(a secret)'
            : v.value !== null
                ? t(v.value)
                : `${t(v.masked ?? '********')}`;
        const facts = [
            v.origin,
            ...(v.scope ? [t(v.scope)] : []),
            ...(v.value === null && v.origin !== 'secret' ? ['withheld'] : []),
        ];
        detail(label, `${t(v.name)} = ${shown} (${facts.join(', ')}) ${at(v.location, path)}`);
    };
    const reference = (label, r, path) => detail(label, `${r.inline ? 'inline JSON' : t(r.value ?? '')} ${at(r.location, path)}`);
    const flag = (f, path) => detail('flag', `${[f.name, ...f.values].map(t).join(' ')} ${at(f.location, path)}`);
    const heading = (text) => {
        if (out.length > 0)
            out.push('');
        out.push(text);
    };
    /** A block's first line, after a blank one. */
    const block = (text) => {
        out.push('', text);
    };
    const { summary } = inventory;
    out.push(`Claude Code inventory (${inventory.schema} v${inventory.version}): ${plural(summary.runs, 'Claude run')}, ` +
        `${plural(summary.settings, 'settings document')}, ${plural(summary.mcpServers, 'MCP server')}, ` +
        `${summary.definitions} ${summary.definitions === 1 ? 'command, agent or skill' : 'commands, agents and skills'} ` +
        `in ${plural(summary.files, 'file')}`);
    heading('Claude runs');
    if (inventory.runs.length === 0)
        block('  none found');
    for (const run of inventory.runs) {
        const path = run.location.path;
        const what = run.action ? t(run.action.uses) : t(run.program?.value ?? 'claude');
        block(`  ${t(path)}:${run.location.line}:${run.location.column}  ${what}  (${run.surface})`);
        contextLines(run, t, detail);
        if (run.wrappers.length > 0)
            detail('through', run.wrappers.map((w) => t(w.value)).join(' → '));
        if (run.modes.length === 0)
            detail('mode', 'not set by this run (settings files and the default apply)');
        for (const m of run.modes)
            mode(m, path);
        if (run.grants.length === 0)
            detail('grants', 'none given by this run');
        for (const r of run.grants)
            rule('grant', r, path);
        for (const r of run.asks)
            rule('ask', r, path);
        for (const r of run.denied)
            rule('deny', r, path);
        for (const d of run.addedDirectories)
            directory(d, path);
        for (const h of run.hooks)
            hook(h, path);
        for (const r of run.settings)
            reference('settings', r, path);
        for (const r of run.mcpConfigs)
            reference('mcp config', r, path);
        for (const v of run.env)
            value('env', v, path);
        for (const v of run.inputs)
            value('input', v, path);
        for (const f of run.flags)
            flag(f, path);
        if (run.trust) {
            const events = run.trust.events.map((e) => `${t(e.event)}${e.types.length > 0 ? ` (${e.types.map(t).join(', ')})` : ''}`);
            detail('trust', run.trust.level === 'outsiders'
                ? `outsiders can start it: ${events.join(', ')}${run.trust.opening ? ` · ${run.trust.opening.kind} ${at(run.trust.opening.location, path)}` : ''}`
                : 'only people with write access start it');
        }
        const { limits } = run;
        const limitWords = [
            limits.maxTurns && `--max-turns ${t(limits.maxTurns.value)}`,
            limits.maxBudgetUsd && `--max-budget-usd ${t(limits.maxBudgetUsd.value)}`,
            limits.jobTimeoutMinutes && `job timeout ${limits.jobTimeoutMinutes.value} min`,
            limits.gitlabTimeout && `job timeout ${limits.gitlabTimeout.value}`,
            limits.stepTimeoutMinutes && `step timeout ${t(limits.stepTimeoutMinutes.value)} min`,
            limits.timeoutWrapper && 'a timeout wrapper',
        ].filter((w) => !!w);
        detail('limits', limitWords.length > 0 ? limitWords.join(' · ') : 'none');
    }
    heading('Where Claude Code is installed');
    if (inventory.installs.length === 0)
        block('  none found');
    for (const i of inventory.installs) {
        const version = i.version ? ` ${t(i.version.value)}` : '';
        block(`  ${t(i.location.path)}:${i.location.line}:${i.location.column}  ${t(i.via)}${version}  (${i.how})`);
        detail('pinning', `${i.pin}: ${t(i.why)}`);
    }
    heading('Settings');
    if (inventory.settings.length === 0)
        block('  none found');
    for (const doc of inventory.settings) {
        const given = doc.givenBy ? `, given by the run ${at(doc.givenBy, doc.path)}` : '';
        block(`  ${t(doc.path)}  (${doc.scope}${given})`);
        if (doc.isolation)
            detail('isolation', t(doc.isolation.value));
        if (doc.defaultMode)
            mode(doc.defaultMode, doc.path);
        if (doc.disableBypassPermissionsMode) {
            const d = doc.disableBypassPermissionsMode;
            detail('bypass', `disableBypassPermissionsMode ${t(d.value)} ${at(d.location, doc.path)}`);
        }
        for (const r of doc.allow)
            rule('allow', r, doc.path);
        for (const r of doc.ask)
            rule('ask', r, doc.path);
        for (const r of doc.deny)
            rule('deny', r, doc.path);
        for (const d of doc.additionalDirectories)
            directory(d, doc.path);
        for (const v of doc.env)
            value('env', v, doc.path);
        for (const h of doc.hooks)
            hook(h, doc.path);
        for (const h of doc.helpers)
            helper(h, doc.path);
        for (const p of doc.plugins) {
            const name = p.marketplace !== null ? `${t(p.name)}@${t(p.marketplace)}` : t(p.name);
            detail('plugin', `${name} ${p.enabled ? 'enabled' : 'disabled'} ${at(p.location, doc.path)}`);
        }
        for (const m of doc.marketplaces) {
            const source = m.source
                ? `: ${[m.source.kind, m.source.value]
                    .filter((x) => x !== null)
                    .map(t)
                    .join(' ')}`
                : '';
            detail('marketplace', `${t(m.name)}${source} ${at(m.location, doc.path)}`);
        }
        const all = doc.enableAllProjectMcpServers;
        if (all)
            detail('mcp', `enableAllProjectMcpServers ${String(all.value)} ${at(all.location, doc.path)}`);
        for (const [key, list] of [
            ['enabledMcpjsonServers', doc.enabledMcpjsonServers],
            ['disabledMcpjsonServers', doc.disabledMcpjsonServers],
        ]) {
            if (list.length > 0)
                detail('mcp', `${key} ${list.map((n) => `${t(n.value)} ${at(n.location, doc.path)}`).join(', ')}`);
        }
    }
    heading('MCP servers');
    if (inventory.mcpServers.length === 0)
        block('  none found');
    for (const s of inventory.mcpServers) {
        const path = s.path;
        const transport = `${t(s.transport.value)}${s.url && !s.transport.location ? ' (a url without a type)' : ''}`;
        block(`  ${t(path)}:${s.location.line}:${s.location.column}  ${t(s.name)}  (${s.scope}, ${transport})`);
        if (s.command)
            detail('command', `${[s.command, ...s.args].map((a) => t(a.value)).join(' ')} ${at(s.command.location, path)}`);
        if (s.url)
            detail('url', `${t(s.url.value)} ${at(s.url.location, path)}`);
        if (s.pinning) {
            const target = s.pinning.target !== null ? ` ${t(s.pinning.target)}` : '';
            detail('pinning', `${s.pinning.runner}${target}: ${s.pinning.pin}`);
        }
        for (const v of s.env)
            value('env', v, path);
        for (const v of s.headers)
            value('header', v, path);
        if (s.headersHelper)
            helper(s.headersHelper, path);
    }
    heading('Commands, agents and skills');
    if (inventory.definitions.length === 0)
        block('  none found');
    for (const d of inventory.definitions) {
        block(`  ${t(d.path)}  (${d.kind})`);
        if (d.isolation)
            detail('isolation', t(d.isolation.value));
        if (d.permissionMode)
            mode(d.permissionMode, d.path);
        for (const r of d.allowedTools)
            rule('grant', r, d.path);
        for (const r of d.tools)
            rule('tool', { ...r, via: ['tools (limits the agent, grants nothing)'] }, d.path);
        for (const h of d.hooks)
            hook(h, d.path);
        for (const h of d.inlineShell)
            helper(h, d.path);
    }
    if (inventory.localConfigs.length > 0) {
        heading('Personal Claude files');
        out.push('');
        for (const c of inventory.localConfigs) {
            const tracked = c.tracked === true ? ', tracked by git' : '';
            out.push(`  ${t(c.path)}  (${c.kind}${tracked})`);
        }
    }
    if (inventory.notices.length > 0) {
        heading('Notices');
        out.push('');
        for (const n of inventory.notices)
            out.push(`  ${t(n.path)}: ${t(n.message)}`);
    }
    return `${out.join('\n')}\n`;
}
/** A field name as words: `timeoutMinutes` → `timeout minutes`. */
function words(key) {
    return key.replace(/(?<=[a-z0-9])(?=[A-Z])/g, ' ').toLowerCase();
}
/**
 * The run's context, one line per field, read from the data: a field added to the context shows here
 * without a change. Locations are left out (the block heading says where the run is); `path` is left out
 * when it is the run's own file.
 */
function contextLines(run, t, detail) {
    const describe = (value) => {
        if (value === null || value === undefined)
            return '';
        if (typeof value === 'string')
            return t(value);
        if (typeof value === 'number' || typeof value === 'boolean')
            return String(value);
        if (Array.isArray(value))
            return value.map(describe).filter(Boolean).join(', ');
        if (typeof value === 'object') {
            const o = value;
            if ('value' in o && 'location' in o) {
                const shown = typeof o.value === 'object' && o.value !== null ? t(JSON.stringify(o.value)) : describe(o.value);
                const facts = Object.entries(o)
                    .filter(([k, v]) => k !== 'value' && k !== 'location' && v !== null)
                    .map(([k, v]) => `${words(k)} ${describe(v)}`);
                return facts.length > 0 ? `${shown} (${facts.join(', ')})` : shown;
            }
            if ('line' in o && 'column' in o)
                return `at ${o.line}:${o.column}`;
            return Object.entries(o)
                .filter(([k, v]) => k !== 'location' && !(k === 'path' && v === run.location.path))
                .map(([k, v]) => [k, describe(v)])
                .filter(([, text]) => text !== '')
                .map(([k, text]) => `${words(k)} ${text}`)
                .join(' · ');
        }
        return '';
    };
    for (const [key, value] of Object.entries(run.context)) {
        const text = describe(value);
        if (text !== '')
            detail(words(key), text);
    }
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
        const row = `\n| ${ICONS[f.severity]} | ${f.severity}${f.blocking ? ' (blocking)' : f.suppression ? ' (suppressed)' : ''} | [${f.ruleId}](${(options.docsBase ?? '') + f.docs}) ${f.ruleName} | ${location} | ${cell(f.message)}${f.suppression ? ` — suppressed: ${cell(f.suppression.reason)}` : ''} |`;
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
// EXTERNAL MODULE: ./lib/rules/registry.js + 48 modules
var registry = __webpack_require__(678);
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
    const entries = registry/* RULES */.y0.map(({ meta }) => ({
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
/** An example's files, its policy first: each with its path, then the file in a fenced block. */
function exampleFiles(ex, first) {
    const out = [];
    if (ex.policy)
        out.push('With this policy, `.github/claude-guard.yml`:', '', '```yaml', ex.policy.trimEnd(), '```', '');
    out.push(first, '', '```' + fence(ex.path), ex.content.trimEnd(), '```', '');
    for (const other of ex.with ?? [])
        out.push(`and \`${other.path}\`:`, '', '```' + fence(other.path), other.content.trimEnd(), '```', '');
    return out;
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
        out.push(...exampleFiles(ex, `\`${ex.path}\` — ${ex.note} (reported at ${lines})`));
    }
    out.push('## Examples that are not reported', '');
    for (const ex of meta.good)
        out.push(...exampleFiles(ex, `\`${ex.path}\` — ${ex.note}`));
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
    if (name === '.claude.json')
        return 'claude-state';
    if (ext === 'md' && /(^|\/)\.claude\/(commands|agents|skills)\//.test(path))
        return 'claude-markdown';
    const plugin = pluginPart(path, name, ext);
    if (plugin)
        return plugin.kind;
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
const PLUGIN_MANIFEST = '.claude-plugin/plugin.json';
const PLUGIN_PARTS = [
    [/(^|\/)hooks\/hooks\.json$/, 'plugin-hooks'],
    [/(^|\/)skills\/[^/]+\/SKILL\.md$/, 'plugin-skill'],
    [/(^|\/)agents\/[^/]+\.md$/, 'plugin-agent'],
    [/(^|\/)commands\/(?:[^/]+\/)?[^/]+\.md$/, 'plugin-command'],
];
/** What part of a plugin a path would be, and the folder that would be the plugin, by name alone. */
function pluginPart(path, name, ext) {
    if (name === 'plugin.json' && (path === PLUGIN_MANIFEST || path.endsWith(`/${PLUGIN_MANIFEST}`)))
        return { kind: 'plugin-manifest', root: path.slice(0, -PLUGIN_MANIFEST.length) };
    if (name !== 'hooks.json' && ext !== 'md')
        return undefined;
    for (const [pattern, kind] of PLUGIN_PARTS) {
        const m = pattern.exec(path);
        if (m)
            return { kind, root: path.slice(0, m.index + m[1].length) };
    }
    return undefined;
}
/**
 * The plugin folders of a listing, each known by its `.claude-plugin/plugin.json`: `note` every listed path,
 * then `kindOf` tells whether a plugin candidate (`hooks/hooks.json`, `agents/x.md`…) sits in one.
 */
class PluginFolders {
    roots = new Set();
    note(path) {
        if (path.endsWith(PLUGIN_MANIFEST) &&
            (path.length === PLUGIN_MANIFEST.length || path.endsWith(`/${PLUGIN_MANIFEST}`)))
            this.roots.add(path.slice(0, -PLUGIN_MANIFEST.length));
    }
    /** `kind` as `classify` gave it, or plain text for a plugin candidate outside every plugin folder. */
    kindOf(path, kind) {
        if (!kind.startsWith('plugin-') || kind === 'plugin-manifest')
            return kind;
        const slash = path.lastIndexOf('/');
        const name = path.slice(slash + 1);
        const dot = name.lastIndexOf('.');
        const part = pluginPart(path, name, dot > 0 ? name.slice(dot + 1).toLowerCase() : '');
        return part && this.roots.has(part.root) ? kind : 'text';
    }
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
/**
 * False when the path cannot be a Claude settings, MCP, command, agent, skill or plugin file: a cheap test that
 * spares classifying every path of a large checkout.
 */
function mayBeClaudeFile(path) {
    return (path.includes('.claude') ||
        path.endsWith('.mcp.json') ||
        path.includes('managed-settings') ||
        path.endsWith('/hooks.json') ||
        path === 'hooks/hooks.json' ||
        (path.endsWith('.md') &&
            (path.endsWith('/SKILL.md') || path.includes('agents/') || path.includes('commands/'))));
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
// EXTERNAL MODULE: ./lib/fs/read.js
var read = __webpack_require__(9495);
// EXTERNAL MODULE: ./lib/model/needles.js
var model_needles = __webpack_require__(7889);
// EXTERNAL MODULE: ./lib/model/span.js
var span = __webpack_require__(5577);
// EXTERNAL MODULE: ./lib/policy/policy.js
var policy_policy = __webpack_require__(3506);
;// CONCATENATED MODULE: ./lib/policy/suppress.js




/** The marker, where a `#` comment may start: at the line's start or after a blank or `;`. */
const DIRECTIVE = /(?:^|[\s;])(#+[ \t]*claude-guard:[ \t]*ignore\[([^\]\n]{0,300})\])([^\n]{0,1000})/gm;
const ATTRIBUTE = /\b(reason|owner|until)=(?:"([^"\n]{0,500})"|'([^'\n]{0,500})'|([^\s"']{1,200}))/g;
/** Files whose comments are not `#`: JSON takes exceptions from the policy instead. */
function takesHashComments(path) {
    return !/\.(json|jsonc|json5)$/i.test(path);
}
/** Every inline suppression of a file (none in JSON files). */
function inlineSuppressions(file) {
    if (!file.text.includes('claude-guard:') || !takesHashComments(file.path))
        return [];
    const found = [];
    for (const m of file.text.matchAll(DIRECTIVE)) {
        const marker = m[1];
        const start = (m.index ?? 0) + m[0].indexOf(marker);
        const end = (m.index ?? 0) + m[0].length;
        const span = file.span(start, end);
        const before = file.lines.lineText(span.line).slice(0, span.column - 1);
        const ids = m[2]
            .split(/[\s,]+/)
            .filter((id) => id.length > 0)
            .map((id) => id.toUpperCase());
        const s = {
            path: file.path,
            span,
            ids,
            covers: before.trim().length > 0 ? span.line : span.line + 1,
        };
        for (const a of m[3].matchAll(ATTRIBUTE)) {
            const value = (a[2] ?? a[3] ?? a[4] ?? '').trim();
            const key = a[1];
            if (value.length > 0 && s[key] === undefined)
                s[key] = value;
        }
        found.push(s);
        if (found.length >= 1000)
            break;
    }
    return found;
}
/** A span covering line `line` of `path` (its first column on). */
function lineSpan(path, line) {
    return { path, line, column: 1, endLine: line, endColumn: 1 };
}
/** The day `now` falls on, in UTC: `YYYY-MM-DD`. */
function dayOf(now) {
    return now.toISOString().slice(0, 10);
}
const META_RULES = new Set(['CG902', 'CG903', 'CG904']);
/**
 * Marks the findings the suppressions and the policy's exceptions cover (in place) and returns what is to
 * be said about the suppressions themselves. `today` is `YYYY-MM-DD`; a suppression or exception whose last
 * day is before it has expired. `policyPaths` are the policy files inside the scanned folder (their
 * exceptions' places can be reported).
 */
function applySuppressions(findings, inline, policy, today) {
    const said = [];
    const say = (ruleId, span, message, evidence) => {
        said.push({ ruleId, span, message, evidence });
    };
    const locked = (id) => {
        const lock = policy.rules[id]?.locked;
        return lock ? (0,policy_policy/* originText */.CQ)(lock) : undefined;
    };
    const byPlace = new Map();
    for (const f of findings) {
        if (META_RULES.has(f.ruleId))
            continue;
        const key = `${f.path}\0${f.line}`;
        const list = byPlace.get(key);
        if (list)
            list.push(f);
        else
            byPlace.set(key, [f]);
    }
    for (const s of inline) {
        const evidence = `${s.ids.join(',')}\0${s.reason ?? ''}`;
        if (!policy.suppressions.allowed) {
            say('CG903', s.span, 'inline suppressions are not honoured by the policy (suppressions.allowed: false): use a policy exception', evidence);
            continue;
        }
        const missing = [];
        if (s.ids.length === 0)
            missing.push('a rule id (ignore[CG103])');
        if (!s.reason && policy.suppressions.requireReason)
            missing.push('a reason (reason="…")');
        if (!s.owner && policy.suppressions.requireOwner)
            missing.push('an owner (owner="…")');
        if (!s.until && policy.suppressions.requireExpiry)
            missing.push('an expiry (until=YYYY-MM-DD)');
        if (s.until && !(0,schema/* isDay */.N)(s.until))
            missing.push(`a real date in until= (not "${s.until.slice(0, 40)}")`);
        if (missing.length > 0) {
            say('CG904', s.span, `this suppression does not apply: it needs ${missing.join(', ')}`, evidence);
            continue;
        }
        if (s.until && s.until < today) {
            say('CG902', s.span, `this suppression of ${s.ids.join(', ')} expired on ${s.until}: it no longer suppresses`, evidence);
            continue;
        }
        const here = byPlace.get(`${s.path}\0${s.covers}`) ?? [];
        for (const id of s.ids) {
            if (!registry/* CATALOGUE_IDS */.Pw.includes(id)) {
                say('CG903', s.span, `${id} is not a claude-guard rule: this suppresses nothing`, `${evidence}\0${id}`);
                continue;
            }
            const lock = locked(id);
            if (lock) {
                say('CG903', s.span, `${id} is locked by ${lock}: it cannot be suppressed here`, `${evidence}\0${id}`);
                continue;
            }
            const matched = here.filter((f) => f.ruleId === id && f.suppression === null);
            if (matched.length === 0 && !here.some((f) => f.ruleId === id)) {
                say('CG903', s.span, `no ${id} finding on line ${s.covers}: this suppresses nothing`, `${evidence}\0${id}`);
                continue;
            }
            for (const f of matched) {
                f.suppression = { kind: 'inline', reason: s.reason ?? '' };
                if (s.owner)
                    f.suppression.owner = s.owner;
                if (s.until)
                    f.suppression.expires = s.until;
            }
        }
    }
    // Each exception looks only at its rule's findings, and tries its globs once per file.
    const byRule = new Map();
    for (const f of findings) {
        let paths = byRule.get(f.ruleId);
        if (!paths)
            byRule.set(f.ruleId, (paths = new Map()));
        const list = paths.get(f.path);
        if (list)
            list.push(f);
        else
            paths.set(f.path, [f]);
    }
    for (const e of policy.exceptions)
        applyException(e);
    return said;
    function applyException(e) {
        const inPaths = (0,glob/* globsMatcher */.eN)(e.paths);
        const matched = [];
        for (const [path, list] of byRule.get(e.rule) ?? [])
            if (inPaths(path))
                for (const f of list)
                    matched.push(f);
        const where = (0,policy_policy/* originText */.CQ)(e.origin);
        const inRepository = !e.origin.file.startsWith('/') && !e.origin.file.includes('@');
        const evidence = `${e.rule}\0${e.paths.join(',')}\0${e.reason}`;
        if (e.expires < today) {
            // Each finding it covered blocks again, said where the finding is (the policy may live elsewhere).
            for (const f of matched)
                say('CG902', { path: f.path, line: f.line, column: f.column, endLine: f.line, endColumn: f.column }, `the policy exception for ${e.rule} here (${where}, owner ${e.owner}: "${e.reason}") expired on ${e.expires}: it no longer suppresses`, evidence);
            if (matched.length === 0 && inRepository)
                say('CG902', lineSpan(e.origin.file, e.origin.line), `this exception for ${e.rule} expired on ${e.expires}`, evidence);
            return;
        }
        if (matched.length === 0) {
            if (inRepository)
                say('CG903', lineSpan(e.origin.file, e.origin.line), `this exception for ${e.rule} matches no finding`, evidence);
            return;
        }
        for (const f of matched) {
            if (f.suppression !== null)
                continue;
            f.suppression = { kind: 'exception', reason: e.reason, owner: e.owner, expires: e.expires };
        }
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./lib/model/types.js
var types = __webpack_require__(3356);
;// CONCATENATED MODULE: ./lib/policy/verdict.js





const SNIPPET_MAX = 200;
/**
 * The source line a span starts on, trimmed, shortened to a window around the span, with every credential
 * masked: those the line shows by their shape, and `hidden`, the ranges of the line that hold credentials
 * written in pieces (escaped, or split by quotes), which no pattern can see on the line itself. The window
 * is chosen on the line as written (so it holds the span) and widened so that it never cuts through a
 * credential, which would leave part of it unrecognisable and so unmasked.
 */
function snippetFor(lineText, span, hidden = [], found = secretRanges(lineText)) {
    return snippetOf(lineText, span, lineSecrets(hidden, found));
}
const byStart = (a, b) => a[0] - b[0];
const longest = (ranges) => ranges.reduce((n, [a, b]) => Math.max(n, b - a), 0);
function lineSecrets(hidden, found) {
    const all = [...found, ...hidden].sort(byStart);
    const sortedHidden = [...hidden].sort(byStart);
    return { all, allLongest: longest(all), hidden: sortedHidden, hiddenLongest: longest(sortedHidden) };
}
/** The index of the first range that can reach past `at`: none before it starts late enough. */
function firstReaching(ranges, longestRange, at) {
    let lo = 0;
    let hi = ranges.length;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ranges[mid][0] + longestRange <= at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
/** `snippetFor` with the line's credentials prepared. */
function snippetOf(lineText, span, secrets) {
    let start = 0;
    let end = lineText.length;
    if (lineText.length > SNIPPET_MAX) {
        start = Math.max(0, Math.min(span.column - 1 - 40, lineText.length - SNIPPET_MAX));
        end = start + SNIPPET_MAX;
        const { all } = secrets;
        for (let i = firstReaching(all, secrets.allLongest, start); i < all.length; i++) {
            const [a, b] = all[i];
            // Sorted by start: past the window's end, none can cut through either edge.
            if (a >= end)
                break;
            if (a < start && b > start)
                start = a;
            if (a < end && b > end)
                end = b;
        }
    }
    let shown = '';
    let at = start;
    const { hidden } = secrets;
    for (let i = firstReaching(hidden, secrets.hiddenLongest, start); i < hidden.length; i++) {
        const [a, b] = hidden[i];
        if (a >= end)
            break;
        if (b <= start)
            continue;
        if (a > at)
            shown += lineText.slice(at, a);
        if (b > at)
            shown += '********';
        at = Math.max(at, b);
    }
    shown += lineText.slice(at, end);
    return `${start > 0 ? '…' : ''}${(0,secret_patterns/* redact */.E$)(shown).trim()}${end < lineText.length ? '…' : ''}`;
}
/** Two findings of a rule with this same key are one cause found twice (a command read once per value its variables may hold). */
function sameCauseKey(f) {
    const { path, line, column, endLine, endColumn } = f.span;
    return `${path}:${line}:${column}:${endLine}:${endColumn}:${f.message}`;
}
function compareFindings(a, b) {
    return ((0,types/* severityRank */.q)(a.severity) - (0,types/* severityRank */.q)(b.severity) ||
        (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
        a.line - b.line ||
        a.column - b.column ||
        (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
        (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}
function blocks(severity, failOn) {
    return failOn !== 'never' && (0,types/* severityRank */.q)(severity) <= (0,types/* severityRank */.q)(failOn);
}
/**
 * Turns what the rules found into the verdict the policy gives. `suggestions`, when given, receives the
 * mechanical fixes by fingerprint (they are not part of the report).
 */
function judge(results, policy, filesScanned, source, notices, suggestions, suppressions = {
    inline: [],
    today: dayOf(new Date()),
}) {
    const findings = [];
    const seen = new Map();
    // Credentials on a line are looked for once, however many findings the line holds.
    const onLine = new Map();
    const snippet = (span) => {
        const text = source.lineText(span.path, span.line);
        const key = `${span.path}\0${span.line}`;
        let secrets = onLine.get(key);
        if (!secrets)
            onLine.set(key, (secrets = lineSecrets(source.hiddenSecrets?.(span.path, span.line) ?? [], (0,secret_patterns/* secretRanges */.xv)(text))));
        return snippetOf(text, span, secrets);
    };
    const add = (rule, raw) => {
        const setting = policy.rules[rule.meta.id];
        if (setting?.off)
            return;
        // The same cause found twice (a command read once per value its variables may hold) is one finding.
        const seenHere = new Set();
        for (const f of raw) {
            const key = sameCauseKey(f);
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
                snippet: snippet(f.span),
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
    };
    for (const { rule, findings: raw } of results)
        add(rule, raw);
    // Suppressions and exceptions mark what they cover; what is wrong with them is reported by CG902-CG904.
    const said = applySuppressions(findings, suppressions.inline, policy, suppressions.today);
    for (const f of findings)
        if (f.suppression !== null)
            f.blocking = false;
    for (const rule of results.map((r) => r.rule).filter((r) => said.some((x) => x.ruleId === r.meta.id)))
        add(rule, said.filter((x) => x.ruleId === rule.meta.id));
    findings.sort(compareFindings);
    const bySeverity = Object.fromEntries(types/* SEVERITIES */.o.map((s) => [s, 0]));
    for (const f of findings)
        bySeverity[f.severity]++;
    const blocking = findings.filter((f) => f.blocking).length;
    const suppressed = findings.filter((f) => f.suppression !== null).length;
    return {
        schemaVersion: 1,
        tool: { name: 'claude-guard', version: version/* VERSION */.x },
        policy: { sources: policy.sources, failOn: policy.failOn, block: policy.block },
        summary: {
            filesScanned,
            findings: findings.length,
            blocking,
            suppressed,
            bySeverity,
            conclusion: blocking > 0 ? 'failure' : 'success',
        },
        findings,
        notices: [...notices].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    };
}

;// CONCATENATED MODULE: ./lib/verdict/cap.js


/**
 * Findings of one rule in one file past this many are not listed. No real file comes near it: a file that does
 * is written to flood the report, and each finding costs its snippet, fingerprint and place in every format.
 */
const MAX_PER_RULE_AND_FILE = 200;
/**
 * Findings past this many in all are not listed (GitHub code scanning shows 5,000 of a run and rejects more
 * than 25,000). The most severe are kept, so what decides the verdict is among them.
 */
const MAX_FINDINGS = 10_000;
/**
 * The rules' findings within the bounds above: per rule and file the most severe first (then in the order the
 * rule found them), and then in all. Each cut is said in a notice counting what was left out. Rules the policy
 * turned off are left as they are: the verdict drops them whole.
 */
function capFindings(results, policy, notices) {
    const severityOf = (rule, f) => (0,types/* severityRank */.q)(f.severity ?? policy.rules[rule.meta.id]?.severity ?? rule.meta.severity);
    const counted = results.reduce((n, r) => n + r.findings.length, 0);
    const busiest = Math.max(0, ...results.map((r) => r.findings.length));
    if (counted <= MAX_FINDINGS && busiest <= MAX_PER_RULE_AND_FILE)
        return [...results];
    // Per rule and file.
    const capped = results.map(({ rule, findings: all }) => {
        if (policy.rules[rule.meta.id]?.off || all.length <= MAX_PER_RULE_AND_FILE)
            return { rule, findings: all };
        // The same cause found twice is one finding (as the verdict counts them): counted once here too.
        const seen = new Set();
        const findings = all.filter((f) => {
            const key = sameCauseKey(f);
            return !seen.has(key) && !!seen.add(key);
        });
        const byFile = new Map();
        findings.forEach((f, i) => {
            const list = byFile.get(f.span.path);
            if (list)
                list.push(i);
            else
                byFile.set(f.span.path, [i]);
        });
        const keep = new Set();
        for (const [path, indexes] of byFile) {
            if (indexes.length <= MAX_PER_RULE_AND_FILE) {
                for (const i of indexes)
                    keep.add(i);
                continue;
            }
            const ranked = [...indexes].sort((a, b) => severityOf(rule, findings[a]) - severityOf(rule, findings[b]) ||
                a - b);
            for (const i of ranked.slice(0, MAX_PER_RULE_AND_FILE))
                keep.add(i);
            notices.push({
                path,
                message: `${indexes.length - MAX_PER_RULE_AND_FILE} more ${rule.meta.id} findings in this file are not listed ` +
                    `(${MAX_PER_RULE_AND_FILE} are, the most severe first)`,
            });
        }
        return { rule, findings: findings.filter((_, i) => keep.has(i)) };
    });
    // In all.
    const live = capped.filter((r) => !policy.rules[r.rule.meta.id]?.off);
    const total = live.reduce((n, r) => n + r.findings.length, 0);
    if (total <= MAX_FINDINGS)
        return capped;
    const all = [];
    capped.forEach(({ rule, findings }, r) => {
        if (policy.rules[rule.meta.id]?.off)
            return;
        findings.forEach((f, i) => all.push({ r, i, rank: severityOf(rule, f) }));
    });
    // Stable: within a severity, in rule order and then as found.
    all.sort((a, b) => a.rank - b.rank || a.r - b.r || a.i - b.i);
    const keep = new Set(all.slice(0, MAX_FINDINGS).map(({ r, i }) => `${r}:${i}`));
    notices.push({
        path: '.',
        message: `${total - MAX_FINDINGS} findings are not listed: a scan lists at most ${MAX_FINDINGS}, ` +
            'the most severe first',
    });
    return capped.map(({ rule, findings }, r) => policy.rules[rule.meta.id]?.off
        ? { rule, findings }
        : { rule, findings: findings.filter((_, i) => keep.has(`${r}:${i}`)) });
}

;// CONCATENATED MODULE: ./lib/surfaces/cuts.js
/*
 * What a reader chose not to read in a file built to be too large to read (thousands of hooks, stages or
 * servers in one file), kept by the file's line index until `readFacts` takes them as the file's notices.
 * Readers deep in a file (a settings object inside a command line, front matter inside a plugin) reach this
 * without a notice list passed through every signature. Reading a file is synchronous, so one file's cuts
 * never mix with another's.
 */
const cuts = new WeakMap();
/** Records that part of the file `lines` belongs to was not read; said once per message. */
function noteCut(lines, message) {
    const list = cuts.get(lines);
    if (list)
        list.add(message);
    else
        cuts.set(lines, new Set([message]));
}
/** The cuts recorded for a file, and forgets them. */
function takeCuts(lines) {
    const list = cuts.get(lines);
    cuts.delete(lines);
    return list ? [...list] : [];
}
/** Grants read from one list (`permissions.allow`, `allowed-tools`…), at most. */
const MAX_GRANTS = 1000;
/** MCP servers read from one `mcpServers` object, at most. */
const MAX_SERVERS = 1000;
/** Hooks read from one list of a file (settings, plugin hooks, front matter), at most. */
const MAX_HOOKS = 1000;
/** The notice for a list cut at `max` items. */
function cutMessage(what, max) {
    return `more than ${max} ${what}: the first ${max} are read`;
}

// EXTERNAL MODULE: ./node_modules/jsonc-parser/lib/umd/main.js
var main = __webpack_require__(9547);
// EXTERNAL MODULE: ./lib/model/keyed.js
var keyed = __webpack_require__(3939);
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
    // Every comment is a problem of its own; of the other errors only the first is: the parser's later
    // complaints (a colon expected after an unquoted key, a value after that…) follow from it.
    let other = false;
    const problems = errors
        .filter((e) => {
        if ((0,main.printParseErrorCode)(e.error) === 'InvalidCommentToken')
            return true;
        if (other)
            return false;
        other = true;
        return true;
    })
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
    const out = (0,keyed/* keyedByText */.F)();
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

;// CONCATENATED MODULE: ./lib/syntax/words.js
const EXPANSIONS = new Map([
    ['actions', /\$\{\{|\$\(|\$[A-Za-z_{]/],
    ['exec', /\$\{?[A-Za-z_]/],
    ['make', /\$[({]/],
    ['yaml', /\$/],
    ['literal', undefined],
]);
/** Whether a word holds an expansion of its language, whose value is not known here. */
function hasExpansion(value, dialect) {
    return EXPANSIONS.get(dialect)?.test(value) ?? false;
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

// EXTERNAL MODULE: ./lib/model/claude-invocation.js
var claude_invocation = __webpack_require__(9634);
;// CONCATENATED MODULE: ./lib/surfaces/installs.js
/*
 * Installs of Claude seen while a file is read, kept by the file's line index until `readFacts` takes them.
 * Shell text is read from a dozen places — workflow steps, Dockerfile `RUN`, Makefile recipes, package.json
 * scripts, dev container commands, scripts nested in `bash -c` and here-docs — and each hands its runs up
 * through its own return value; the installs met on the way join the file's facts here instead of through
 * every one of those signatures. Reading a file is synchronous, so one file's installs never mix with
 * another's.
 */
const seen = new WeakMap();
/** Records an install found in the file `lines` belongs to. */
function noteInstall(lines, install) {
    const list = seen.get(lines);
    if (list)
        list.push(install);
    else
        seen.set(lines, [install]);
}
/**
 * The installs recorded for a file, each once (a command read under several values of its variables, or a
 * Dockerfile `CMD` read again with its `ENTRYPOINT`, is one install), and forgets them.
 */
function takeInstalls(lines) {
    const list = seen.get(lines) ?? [];
    seen.delete(lines);
    const keys = new Set();
    return list.filter((i) => {
        const { line, column, endLine, endColumn } = i.span;
        const key = `${i.how} ${line}:${column}-${endLine}:${endColumn} ${i.version?.value ?? ''}`;
        return !keys.has(key) && !!keys.add(key);
    });
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
/** Statements looked at before a command for a `cd`, at most, and how deep a `&&` chain is read for one. */
const MAX_CD_LOOKBACK = 256;
const MAX_CD_NESTING = 32;
/**
 * Claude commands read from one script at most (one more is read, so a caller can tell there were more): a
 * script starting Claude thousands of times is written to flood the report, and each costs its reading.
 */
const MAX_CLAUDE_CALLS = 1000;
/**
 * Claude commands read so far from each file (by its line index), over all the scripts a file holds — a
 * workflow's steps, a Dockerfile's `RUN`s, a Makefile's recipes: past MAX_CLAUDE_CALLS, the file's further
 * scripts are not parsed at all. Reading a file is synchronous, so one file's count never mixes with another's.
 */
const callsInFile = new WeakMap();
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
const SCRIPT_FILE = /(\.(sh|bash|zsh|ksh)|(^|\/)\.?(bashrc|zshrc|profile|bash_profile|zprofile|bash_aliases)|-functions)$/;
/** GitHub `${{ … }}` and GitLab `$[[ … ]]` expressions: replaced before the shell ever sees them. */
const EXPRESSION = /\$\{\{[\s\S]*?\}\}|\$\[\[[\s\S]*?\]\]/g;
const shell_EXPANSIONS = new Set([
    'simple_expansion',
    'expansion',
    'command_substitution',
    'arithmetic_expansion',
    'process_substitution',
]);
/** Programs whose string arguments are text to print, search, store or send, never commands they run. */
const TEXT_COMMANDS = new Set(('echo printf print cat tee logger read git gh glab hub jq yq sed awk grep egrep fgrep rg ag ack curl wget ' +
    'http https notify-send say test [ [[ which type command hash help man info sleep exit return export ' +
    'declare local readonly set unset alias unalias source . mapfile readarray basename dirname realpath ' +
    'mkdir touch rm cp mv ln chmod chown ls find stat wc head tail sort uniq cut tr diff cmp base64 sha256sum ' +
    'md5sum openssl gpg jo python python3 node ruby perl php deno bun npm pnpm yarn pip pip3 uv cargo go make ' +
    'kubectl helm terraform').split(' '));
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
function pastWrappers(words) {
    let i = 0;
    while (i < words.length && SCRIPT_WRAPPERS.has((0,claude_invocation/* basename */.P8)(words[i]?.value ?? ''))) {
        i = (0,claude_invocation/* unwrap */.oA)((0,claude_invocation/* basename */.P8)(words[i]?.value ?? ''), words, i, []) ?? words.length;
    }
    return i;
}
/**
 * What the wrappers before `words[i]` do to what it runs (`sudo bash -c "claude …"` runs it as root), read as
 * if Claude stood where that command does; undefined when there are none.
 */
function wrappersBefore(words, i) {
    const at = words[i];
    if (i === 0 || !at)
        return undefined;
    const asClaude = { value: 'claude', span: at.span, dynamic: false, sub: () => at.span };
    return (0,claude_invocation/* claudeInWords */.Hf)([...words.slice(0, i), asClaude]);
}
/** A call found in a script that `outer`'s wrappers start: theirs come first, and their user if it names none. */
function inside(outer, call) {
    const merged = {
        ...call,
        wrappers: [...outer.wrappers, ...call.wrappers],
        env: [...call.env, ...outer.env],
    };
    if (!call.runAs && outer.runAs) {
        merged.runAs = outer.runAs;
        if (outer.runAsBy)
            merged.runAsBy = outer.runAsBy;
    }
    if (outer.freshEnv)
        merged.freshEnv = true;
    return merged;
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
    /** Variables an `export` in this script has set, by name. */
    exportedNames = new Set();
    /** What each statement looked at for a `cd` holds, by node id. */
    cdSeen = new Map();
    /** The folder a `cd` in or before a statement leaves for what follows it, by node id. */
    cdAfter = new Map();
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
        // A script nested in another is counted with the one that holds it.
        if (this.input.depth)
            return this.claudeCallsOfText();
        const before = callsInFile.get(this.input.lines) ?? 0;
        if (before > MAX_CLAUDE_CALLS)
            return [];
        const calls = this.claudeCallsOfText();
        callsInFile.set(this.input.lines, before + calls.length);
        return calls;
    }
    claudeCallsOfText() {
        const tree = this.parser.parse(this.parsedText);
        if (!tree)
            return [];
        this.cdSeen.clear();
        this.cdAfter.clear();
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
                            const call = this.claudeCallIn(node, words, variables);
                            if (call)
                                calls.push(call);
                            if (words.some((w) => w.value.includes('claude')))
                                this.noteInstalls(node, words, variables);
                        }
                        for (const call of this.shellCommandString(variants[0] ?? []))
                            calls.push(call);
                    }
                    else if (type === 'redirected_statement' &&
                        this.mayStartClaude(cursor.startIndex, cursor.endIndex)) {
                        for (const call of this.heredocScript(cursor.currentNode, variables))
                            calls.push(call);
                    }
                    if (calls.length > MAX_CLAUDE_CALLS)
                        return;
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
    /**
     * Every simple command of the script, whatever it runs, in order of appearance, with what feeds it: the
     * stages before it in its pipeline, the commands substituted into its words, and a script it hands to a
     * shell as a string. What they run is judged in `model/`.
     */
    commands() {
        const tree = this.parser.parse(this.parsedText);
        if (!tree)
            return [];
        try {
            const variables = new Map();
            const built = new Map();
            const commands = [];
            const cursor = tree.walk();
            // The nodes above the cursor: a node is never asked for its parent, which costs a walk from the root.
            const above = [];
            try {
                for (;;) {
                    const type = cursor.nodeType;
                    const parent = above[above.length - 1];
                    if (parent?.stages && cursor.nodeIsNamed)
                        parent.stages.push(cursor.currentNode);
                    if (type === 'variable_assignment') {
                        const around = { parentType: parent?.type, branches: branchIds(above) };
                        this.recordVariable(cursor.currentNode, variables, parent?.node ? { ...around, parent: parent.node } : around);
                    }
                    else if (type === 'command') {
                        commands.push(this.shellCommand(cursor.currentNode, variables, built, above));
                    }
                    if (commands.length >= MAX_COMMANDS)
                        break;
                    const level = { type, id: cursor.nodeId };
                    if (KEPT_LEVELS.has(type))
                        level.node = cursor.currentNode;
                    if (type === 'pipeline')
                        level.stages = [];
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
                    if (!more)
                        break;
                }
            }
            finally {
                cursor.delete();
            }
            return commands;
        }
        finally {
            tree.delete();
        }
    }
    /** A command node as a `ShellCommand`, built once; `above` holds the nodes above it, nearest last. */
    shellCommand(node, variables, built, above) {
        const known = built.get(node.id);
        if (known)
            return known;
        const branches = branchIds(above);
        const words = this.commandWords(node, variables, branches);
        const command = { words, stdin: [], substituted: [] };
        built.set(node.id, command);
        // What feeds a command is recorded by its words only, and looked for a few levels deep at most: a script
        // nested thousands deep costs each command no more than its neighbourhood.
        const feeders = (within) => (within.type === 'command' ? [within] : nodesNear(within, COMMAND, 4))
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
        while (above[up]?.type === 'redirected_statement')
            up--;
        const stages = above[up]?.type === 'pipeline' ? (above[up]?.stages ?? []) : [];
        // The last stage seen is the one that holds this command.
        for (const stage of stages.slice(Math.max(0, stages.length - 1 - MAX_FEEDERS), -1))
            command.stdin.push(...feeders(stage));
        // A here-string given to it: `bash <<< "$(curl …)"`.
        const redirects = [...node.childrenForFieldName('redirect')];
        if (redirected)
            redirects.push(...redirected.childrenForFieldName('redirect'));
        for (const r of redirects) {
            if (r?.type !== 'herestring_redirect')
                continue;
            for (const sub of nodesNear(r, SUBSTITUTIONS, 3))
                command.stdin.push(...feeders(sub));
        }
        // Commands substituted into its words, by the word that holds them (words and parts are in order).
        const parts = [node.childForFieldName('name'), ...node.childrenForFieldName('argument')];
        let word = 0;
        for (const part of parts) {
            if (!part || command.substituted.length >= MAX_FEEDERS)
                continue;
            const subs = SUBSTITUTIONS.has(part.type) ? [part] : nodesNear(part, SUBSTITUTIONS, 3);
            if (subs.length === 0)
                continue;
            const firstOf = (k) => this.argOffsets.get(words[k])?.[0] ?? -1;
            while (word < words.length && firstOf(word) < part.startIndex)
                word++;
            if (word >= words.length || firstOf(word) >= part.endIndex)
                continue;
            for (const sub of subs) {
                const kind = sub.type === 'process_substitution' ? 'file' : 'output';
                command.substituted.push({ word, kind, commands: feeders(sub) });
            }
        }
        const script = this.scriptOf(words);
        if (script)
            command.script = script;
        return command;
    }
    /** The commands of a script a command hands to a shell as a string: `bash -c '…'`, `sudo sh -c "…"`. */
    scriptOf(words) {
        const i = pastWrappers(words);
        if (!SHELL_NAMES.has((0,claude_invocation/* basename */.P8)(words[i]?.value ?? '')))
            return undefined;
        for (let j = i + 1; j < words.length - 1; j++) {
            if (!/^-[a-zA-Z]*c[a-zA-Z]*$/.test(words[j]?.value ?? ''))
                continue;
            const script = words[j + 1];
            const offsets = this.argOffsets.get(script);
            const depth = (this.input.depth ?? 0) + 1;
            if (!offsets || depth > MAX_NESTED_SCRIPTS)
                return undefined;
            const { toFile, lines } = this.input;
            const at = (k) => toFile(offsets[Math.min(k, offsets.length - 1)] ?? 0);
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
    noteInstalls(node, words, variables) {
        const { lines } = this.input;
        for (const install of (0,claude_install/* claudeInstallsInWords */.x8)(words))
            noteInstall(lines, install);
        const download = (0,claude_install/* installScriptDownload */.ND)(words);
        if (!download)
            return;
        const run = this.installScriptRunOf(node, download, variables);
        if (run)
            noteInstall(lines, run);
    }
    installScriptRunOf(node, download, variables) {
        let stage = node;
        while (stage.parent?.type === 'redirected_statement')
            stage = stage.parent;
        if (stage.parent?.type === 'pipeline') {
            for (let s = stage.nextNamedSibling; s; s = s.nextNamedSibling) {
                const command = s.type === 'redirected_statement' ? s.childForFieldName('body') : s;
                if (command?.type !== 'command')
                    continue;
                const run = (0,claude_install/* installScriptRun */.AZ)(download, this.commandWords(command, variables));
                if (run)
                    return run;
            }
            return undefined;
        }
        // The download substituted into a word: climb to that word, then to its command.
        const substitution = node.parent;
        if (substitution?.type !== 'command_substitution' && substitution?.type !== 'process_substitution')
            return undefined;
        let part = substitution;
        while (part.parent && (part.parent.type === 'string' || part.parent.type === 'concatenation'))
            part = part.parent;
        const command = part.parent;
        if (command?.type !== 'command')
            return undefined;
        const parts = [command.childForFieldName('name'), ...command.childrenForFieldName('argument')];
        const holder = parts.findIndex((p) => p?.id === part.id);
        if (holder < 0)
            return undefined;
        const words = parts.map((p) => {
            const target = p?.type === 'command_name' ? p.firstNamedChild : p;
            return this.arg(target ? this.wordText(target) : { value: '', offsets: [], dynamic: true });
        });
        return (0,claude_install/* installScriptRun */.AZ)(download, words, holder);
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
                        if (src[i] === '\n')
                            continue;
                    }
                    push(i);
                }
                for (const c of node.namedChildren) {
                    if (!c || !shell_EXPANSIONS.has(c.type))
                        continue;
                    out.dynamic = true;
                    (out.expansions ??= []).push([c.startIndex, c.endIndex]);
                }
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
                        if (src[i] === '\n')
                            continue;
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
                current ??= { value: '', offsets: [], dynamic: false };
                current.value += c;
                current.offsets.push(word.offsets[i]);
                // Only a piece holding what is dynamic is (`--flag` of "--flag $k" is as written).
                const at = word.offsets[i];
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
    recordVariable(node, variables, around) {
        const name = node.childForFieldName('name');
        const value = node.childForFieldName('value');
        if (!name || name.type !== 'variable_name')
            return;
        const parentType = around ? around.parentType : node.parent?.type;
        // `FLAGS=x cmd` sets FLAGS for cmd only, not for the rest of the script.
        if (parentType === 'command')
            return;
        const list = variables.get(name.text) ?? [];
        const branches = around ? around.branches : branchesOf(node);
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
        const parent = around ? around.parent : node.parent;
        const declaration = parent?.type === 'declaration_command' ? parent : undefined;
        if (declaration && /^(export\b|(declare|typeset)\s+-[A-Za-z]*x)/.test(declaration.text)) {
            const entry = list[list.length - 1];
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
    /**
     * The words of a command, with `$FLAGS` and `"${ARGS[@]}"` expanded when this script assigns them.
     * `branches`: the branching nodes it sits in, when the caller knows them.
     */
    commandWords(node, variables, branches) {
        return this.commandVariants(node, variables, branches)[0] ?? [];
    }
    /** Every reading of a command's words, one per combination of the values its variables may hold. */
    commandVariants(node, variables, branches) {
        const useBranches = new Set((branches ?? branchesOf(node)).concat(node.id));
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
        const i = pastWrappers(words);
        // What the wrappers before the shell do to what it runs (`sudo bash -c "claude …"` runs it as root),
        // read as if Claude stood where the shell does.
        const outer = wrappersBefore(words, i);
        const within = (calls) => outer ? calls.map((c) => inside(outer, c)) : calls;
        // `ssh host 'claude …'`: one word after the host is a script for the remote shell.
        if ((0,claude_invocation/* basename */.P8)(words[0]?.value ?? '') === 'ssh' && i === words.length - 1) {
            const script = words[i];
            const offsets = this.argOffsets.get(script);
            return offsets && script.value.includes('claude') ? within(this.nested(script.value, offsets)) : [];
        }
        const split = words.findIndex((w, k) => k > 0 &&
            (0,claude_invocation/* basename */.P8)(words[0]?.value ?? '') === 'env' &&
            (w.value === '-S' || w.value === '--split-string'));
        if (split > 0) {
            // `env -S "claude --flag"` splits its string into a command line.
            const script = words[split + 1];
            const offsets = script && this.argOffsets.get(script);
            if (script && offsets && script.value.includes('claude'))
                return this.nested(script.value, offsets);
        }
        if (!SHELL_NAMES.has((0,claude_invocation/* basename */.P8)(words[i]?.value ?? '')))
            return within(this.handedOn(words));
        for (let j = i + 1; j < words.length - 1; j++) {
            const flag = words[j]?.value ?? '';
            if (!/^-[a-zA-Z]*c[a-zA-Z]*$/.test(flag))
                continue;
            const script = words[j + 1];
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
    handedOn(words) {
        const first = words[0];
        if (!first || first.dynamic || TEXT_COMMANDS.has((0,claude_invocation/* basename */.P8)(first.value)) || (0,claude_invocation/* claudeInWords */.Hf)(words))
            return [];
        const calls = [];
        for (const word of words.slice(1)) {
            if (!word.value.includes('claude') || !/\s/.test(word.value))
                continue;
            const offsets = this.argOffsets.get(word);
            if (!offsets)
                continue;
            for (const call of this.nested(word.value, offsets))
                calls.push({
                    ...call,
                    wrappers: [{ value: (0,claude_invocation/* basename */.P8)(first.value), span: first.span }, ...call.wrappers],
                });
        }
        return calls;
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
        const words = command?.type === 'command' ? this.commandWords(command, variables) : [];
        // Through wrappers (`sudo bash <<EOF`, `docker exec -i box sh <<EOF`), or to a remote shell
        // (`ssh host <<EOF`).
        const i = pastWrappers(words);
        const program = words[i];
        const remote = (0,claude_invocation/* basename */.P8)(words[0]?.value ?? '') === 'ssh' && i === words.length;
        const outer = wrappersBefore(words, i);
        const toShell = (program !== undefined && SHELL_NAMES.has((0,claude_invocation/* basename */.P8)(program.value))) ||
            remote ||
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
        const calls = this.nested(this.original.slice(body.startIndex, body.endIndex), offsets);
        return outer && toShell ? calls.map((c) => inside(outer, c)) : calls;
    }
    /** The Claude command a command node starts, once per reading of its variables. */
    claudeCall(node, variables) {
        return this.commandVariants(node, variables).flatMap((words) => this.claudeCallIn(node, words, variables) ?? []);
    }
    claudeCallIn(node, words, variables) {
        const env = [];
        for (const child of node.children) {
            if (child?.type !== 'variable_assignment')
                continue;
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
        const call = (0,claude_invocation/* claudeInWords */.Hf)(read, env);
        if (!call)
            return undefined;
        const dir = this.cdBefore(node);
        if (dir)
            call.workingDirectory = dir;
        if (!call.freshEnv)
            this.addExported(call, node.startIndex, variables);
        return call;
    }
    /** Variables an earlier `export` set, after those the command line sets; a name set closer wins. */
    addExported(call, at, variables) {
        const seen = new Set(call.env.map((e) => e.name));
        for (const name of this.exportedNames) {
            if (seen.has(name))
                continue;
            const before = (variables.get(name) ?? []).filter((e) => e.at < at);
            const last = before[before.length - 1];
            if (!last?.whole || !before.some((e) => e.exported))
                continue;
            const nameSpan = last.nameSpan;
            call.env.push(nameSpan
                ? { name, value: last.whole, scope: 'script', nameSpan }
                : { name, value: last.whole, scope: 'script' });
        }
    }
    /**
     * The folder a `cd` moves to before a command runs: earlier in its `&&` chain (`cd /srv && claude`), or an
     * earlier statement of the blocks around it (`cd /srv` on a line before). Undefined when no `cd` comes
     * before it, or when one may have run that cannot be read here (inside an `if`, a function, a `||`…).
     */
    cdBefore(node) {
        let current = node;
        let levels = 0;
        for (let parent = current.parent; parent; current = parent, parent = parent.parent) {
            if (parent.type === 'function_definition' || ++levels > MAX_TREE_DEPTH)
                return undefined;
            if (parent.type === 'list') {
                const [left, op] = parent.children;
                if (parent.lastChild?.id === current.id && left && op) {
                    if (op.type === '&&') {
                        const found = this.cdIn(left);
                        if (found !== undefined)
                            return found ?? undefined;
                    }
                    else if (this.cdIn(left) !== undefined)
                        return undefined;
                }
                continue;
            }
            if (parent.type === 'pipeline' || parent.type === 'redirected_statement')
                continue;
            const found = this.cdAmongEarlier(current);
            if (found !== undefined)
                return found ?? undefined;
        }
        return undefined;
    }
    /**
     * The nearest `cd` among the statements before `node` in its block. What holds after each statement is
     * kept, so the statements of a script are looked at once however many Claude commands follow them.
     */
    cdAmongEarlier(node) {
        const walked = [];
        let result;
        for (let s = node.previousSibling; s; s = s.previousSibling) {
            if (this.cdAfter.has(s.id)) {
                result = this.cdAfter.get(s.id);
                break;
            }
            if (walked.length >= MAX_CD_LOOKBACK)
                break;
            walked.push(s.id);
            result = this.cdIn(s);
            if (result !== undefined)
                break;
        }
        for (const id of walked)
            this.cdAfter.set(id, result);
        return result;
    }
    /** What a `cd` in a statement does: the folder, `null` when it cannot be told, undefined when none is there. */
    cdIn(node, depth = 0) {
        if (node.type === 'comment')
            return undefined;
        if (depth > MAX_CD_NESTING)
            return null;
        // Every Claude command after a statement looks at it: each is read once.
        if (this.cdSeen.has(node.id))
            return this.cdSeen.get(node.id);
        const found = this.cdInUncached(node, depth);
        this.cdSeen.set(node.id, found);
        return found;
    }
    cdInUncached(node, depth) {
        if (!/\b(cd|pushd|popd)\b/.test(this.original.slice(node.startIndex, node.endIndex)))
            return undefined;
        if (node.type === 'command') {
            const words = [node.childForFieldName('name'), ...node.childrenForFieldName('argument')];
            const name = words[0]?.firstNamedChild ?? words[0];
            if (!name || name.text !== 'cd')
                return null;
            const target = words.slice(1).find((w) => w && !/^-[LPe@]+$/.test(w.text));
            if (!target)
                return { value: '~', span: this.arg(this.wordText(name)).span };
            const arg = this.arg(this.wordText(target));
            return arg.value === '-' ? null : { value: arg.value, span: arg.span };
        }
        if (node.type === 'list') {
            const [left, op, right] = node.children;
            if (!left || !op || !right)
                return null;
            // `cd /srv || exit 1`: past it, the folder is /srv.
            if (op.type === '||')
                return this.cdIn(right, depth + 1) === undefined ? this.cdIn(left, depth + 1) : null;
            if (op.type !== '&&')
                return null;
            const last = this.cdIn(right, depth + 1);
            return last !== undefined ? last : this.cdIn(left, depth + 1);
        }
        return null;
    }
}
const KEPT_LEVELS = new Set(['redirected_statement', 'declaration_command']);
/** The branching nodes among `above` (see `BRANCHING`), nearest first, as `branchesOf` gives them. */
function branchIds(above) {
    const ids = [];
    for (let k = above.length - 1; k >= 0; k--) {
        const level = above[k];
        if (BRANCHING.has(level.type))
            ids.push(level.id);
    }
    return ids;
}
const COMMAND = new Set(['command']);
const SUBSTITUTIONS = new Set(['command_substitution', 'process_substitution']);
/**
 * Nodes of the given types under `node`, at most `depth` levels down and `MAX_FEEDERS` of them, in order; a
 * node found is not looked into.
 */
function nodesNear(node, types, depth) {
    const found = [];
    const visit = (at, level) => {
        for (const c of at.namedChildren) {
            if (!c || found.length >= MAX_FEEDERS)
                return;
            if (types.has(c.type))
                found.push(c);
            else if (level < depth)
                visit(c, level + 1);
        }
    };
    visit(node, 1);
    return found;
}
/** Span of the whole input, for messages about a script that could not be read. */
function inputSpan(input) {
    return input.lines.span(input.toFile(0), input.toFile(Math.max(0, input.text.length - 1)) + 1);
}

;// CONCATENATED MODULE: ./lib/surfaces/remote-code.js





/** A file's positions for the shell reader, through the file's embedding (JSON inside a workflow input). */
class FileLines extends span/* LineIndex */.r {
    file;
    constructor(file) {
        super(file.path, '');
        this.file = file;
    }
    span(start, end) {
        return this.file.span(start, end);
    }
}
/**
 * The remote code a command line that Claude hands to a shell fetches and runs (a hook's `command`, a
 * helper), pinned or not. `offsetOf(i)` is the offset in `file`'s text of the command's `i`-th character.
 */
function shellRemoteCode(file, parser, text, offsetOf) {
    const reader = new ShellReader(parser, { text, toFile: offsetOf, lines: new FileLines(file) });
    return (0,remote_code/* fetchedCodeIn */.GI)(reader.commands());
}
/** The same for a command Claude runs without a shell: a program and its arguments (`"args": […]`). */
function execRemoteCode(words) {
    return (0,remote_code/* fetchedCodeIn */.GI)([{ words, stdin: [], substituted: [] }]);
}
/** A JSON string as a command word, each character located where it is written. */
function jsonArg(file, node) {
    if (node.type !== 'string')
        return undefined;
    const { value, offsets } = jsonStringOffsets(file.text, node.offset);
    return wordArg(value, (k) => offsets[k], (a, b) => file.span(a, b), hasExpansion(value, 'exec'), file.span(node.offset, node.offset + node.length));
}
/**
 * The remote code a JSON `command` fetches and runs: read as shell (`"command": "curl … | sh"`), or, when
 * `args` is given, as a program and its arguments run without a shell. Nothing without the bash grammar.
 */
function commandRemote(file, shell, command, args) {
    if (command?.type !== 'string')
        return [];
    if (args?.type === 'array') {
        const words = [command, ...(args.children ?? [])].flatMap((n) => jsonArg(file, n) ?? []);
        return execRemoteCode(words);
    }
    const parser = shell?.();
    if (!parser)
        return [];
    const { value, offsets } = jsonStringOffsets(file.text, command.offset);
    return shellRemoteCode(file, parser, value, (i) => offsets[Math.min(i, offsets.length - 1)] ?? command.offset);
}

;// CONCATENATED MODULE: ./lib/surfaces/mcp.js



const FILE_KIND = 'MCP config';
/** Reads the servers of a `.mcp.json` file; with the bash grammar, what their `headersHelper` runs too. */
function readMcpConfig(file, shell) {
    const { root, problems } = parseStrictJson(file, FILE_KIND, 'Claude Code cannot load any server from this file');
    return { servers: serversIn(file, child(root, 'mcpServers'), shell), problems };
}
/**
 * The servers of a `.claude.json` (Claude Code's own state file, committed by mistake): its `mcpServers`,
 * and each project's. Claude does not read this file from a repository, so a file it could not parse is not
 * reported as a configuration problem; a credential written in it is still exposed.
 */
function readClaudeJson(file, shell) {
    const { root } = parseStrictJson(file, 'Claude state file', '');
    const servers = serversIn(file, child(root, 'mcpServers'), shell);
    for (const [, project] of entries(child(root, 'projects'))) {
        servers.push(...serversIn(file, child(project, 'mcpServers'), shell));
    }
    return servers;
}
/** The servers of an `mcpServers` object; with the bash grammar, what their `headersHelper` runs too. */
function serversIn(file, mcpServers, shell) {
    const servers = [];
    for (const [key, node] of entries(mcpServers)) {
        if (servers.length >= MAX_SERVERS) {
            noteCut(file.lines, cutMessage('MCP servers in one mcpServers', MAX_SERVERS));
            break;
        }
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
        // A transport that does not fit the entry (a `url` without `type`) is judged by CG901 over the server.
        if (url)
            server.url = url;
        const helperNode = child(node, 'headersHelper');
        const helper = stringAt(file, helperNode);
        if (helper) {
            server.headersHelper = { key: 'headersHelper', run: helper };
            const remote = commandRemote(file, shell, helperNode);
            if (remote.length > 0)
                server.headersHelper.remote = remote;
        }
        servers.push(server);
    }
    return servers;
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
function tokenFor(file, pattern, m, toSource) {
    const at = m.index ?? 0;
    const match = m[0];
    const focus = pattern.focus?.(m);
    const [focusStart, focusEnd] = focus?.at ?? [0, match.length];
    const [start, end] = toSource(at, at + match.length);
    const [spanStart, spanEnd] = toSource(at + focusStart, at + focusEnd);
    const token = {
        kind: pattern.kind,
        span: file.span(spanStart, spanEnd),
        // A URL's secret is its password; other credentials are the whole match.
        value: pattern.kind === 'url-credential' ? match.slice(focusStart, focusEnd) : match,
        masked: (0,secret_patterns/* maskSecret */.$l)(pattern, m),
    };
    const reason = pattern.placeholder(m, pattern);
    if (reason)
        token.placeholder = reason;
    if (pattern.kind === 'url-credential' && (0,secret_patterns/* isLoopbackHost */.cW)(m.groups?.host ?? ''))
        token.loopback = true;
    const pieces = [];
    const source = file.text.slice(start, end);
    if (source !== match) {
        // Written in pieces: each piece of the source is masked wherever it shows up.
        pieces.push(source, ...source.split(SEAMS).filter((p) => typeof p === 'string'));
    }
    if (focus?.secret && !reason) {
        // A private key's body, masked wherever it shows up: every line of it, and the lines of the file it spans.
        // From its first character to its last: the blank lines around it hide nothing.
        const [a, b] = trimmed(match, ...focus.secret);
        const body = match.slice(a, b);
        pieces.push(...body.split(/(?:\\r)?\\n|\\r|\s+/).filter((line) => line.length > 0));
        const [secretStart, secretEnd] = toSource(at + a, at + b);
        if (secretEnd > secretStart)
            token.extent = file.span(secretStart, secretEnd);
    }
    if (pieces.length > 0)
        token.pieces = [...new Set(pieces)];
    return token;
}
/**
 * Every credential-shaped string in a text file, each with its exact span: as written, and as a program
 * would read it once escapes are decoded and quoted pieces joined (then the span covers every piece). The
 * span is the credential, or the part of it a finding points at: a URL's password, a private key's BEGIN
 * header (its body is then the token's `extent`).
 */
function findSecrets(file) {
    const found = [];
    const ranges = [];
    const view = mayBeWrittenInPieces(file.text) ? decodedView(file.text) : undefined;
    if (view && view.text !== file.text) {
        const toSource = (a, b) => [view.from[a], view.to[Math.max(a, b - 1)]];
        for (const pattern of secret_patterns/* SECRET_PATTERNS */.XN) {
            if (!(0,secret_patterns/* mayHold */.BV)(pattern, view.text))
                continue;
            for (const m of view.text.matchAll(pattern.regex)) {
                const i = m.index ?? 0;
                const [start, end] = toSource(i, i + m[0].length);
                if (pattern.joins === false && /['"$]/.test(file.text.slice(start, end)))
                    continue;
                ranges.push([start, end]);
                found.push(tokenFor(file, pattern, m, toSource));
            }
        }
    }
    const asWritten = (a, b) => [a, b];
    const whole = [];
    for (const pattern of secret_patterns/* SECRET_PATTERNS */.XN) {
        if (!(0,secret_patterns/* mayHold */.BV)(pattern, file.text))
            continue;
        for (const m of file.text.matchAll(pattern.regex)) {
            const start = m.index ?? 0;
            const end = start + m[0].length;
            // Already found whole in the decoded view.
            if (ranges.some(([a, b]) => a <= start && end <= b))
                continue;
            (pattern.kind === 'url-credential' ? whole : found).push(tokenFor(file, pattern, m, asWritten));
        }
    }
    // A URL whose password is itself a token found by its own shape (a GitHub token in a clone URL) is that
    // token's finding, not a second one.
    for (const url of whole)
        if (!found.some((t) => overlaps(t.span, url.span)))
            found.push(url);
    return found;
}
/** The range [a, b) of `text` without the blanks and `\n` escapes at its ends. */
function trimmed(text, a, b) {
    const blank = (i) => /\s/.test(text[i] ?? '') ? 1 : text[i] === '\\' && /[nr]/.test(text[i + 1] ?? '') ? 2 : 0;
    let start = a;
    for (let n = blank(start); n > 0 && start + n <= b; n = blank(start))
        start += n;
    let end = b;
    while (end > start && /\s/.test(text[end - 1] ?? ''))
        end--;
    // An escape at the end: `\n` written as two characters.
    while (end - 2 >= start && text[end - 2] === '\\' && /[nr]/.test(text[end - 1] ?? '')) {
        end -= 2;
        while (end > start && /\s/.test(text[end - 1] ?? ''))
            end--;
    }
    return [start, end];
}
function overlaps(a, b) {
    const before = (l1, c1, l2, c2) => l1 < l2 || (l1 === l2 && c1 <= c2);
    return (!before(a.endLine, a.endColumn, b.line, b.column) && !before(b.endLine, b.endColumn, a.line, a.column));
}

;// CONCATENATED MODULE: ./lib/surfaces/exec-form.js





const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh']);
function basename(word) {
    return word.slice(word.lastIndexOf('/') + 1);
}
/** Claude runs in a command line given as a shell string (`"postCreateCommand": "…"`, `RUN …`). */
function shellFormRuns(file, parser, text, toFile, context) {
    return new ShellReader(parser, { text, toFile, lines: file.lines })
        .claudeCalls()
        .map((call) => (0,claude_invocation/* runOf */.ng)(file.path, call, context));
}
/**
 * Claude runs in an exec-form command: `["claude", "--flag"]` runs Claude without a shell;
 * `["sh", "-c", "claude …"]` hands a script to one.
 */
function execFormRuns(file, parser, words, context) {
    const program = words[0];
    if (!program)
        return [];
    const name = basename(program.value);
    // `["claude", …]`, and through wrappers: `["npx", "-y", "@anthropic-ai/claude-code", …]`.
    const args = words.map((w) => execArg(file, w));
    // `["npm", "install", "-g", "@anthropic-ai/claude-code"]` installs it.
    if (args.some((a) => a.value.includes('claude')))
        for (const install of (0,claude_install/* claudeInstallsInWords */.x8)(args))
            noteInstall(file.lines, install);
    const call = (0,claude_invocation/* claudeInWords */.Hf)(args);
    if (call)
        return [(0,claude_invocation/* runOf */.ng)(file.path, call, context)];
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
/**
 * Claude runs in a `devcontainer.json` (JSONC): lifecycle commands as a string, an array or named commands.
 * Those inside the container run as `remoteUser` (else `containerUser`), in `workspaceFolder`, with
 * `remoteEnv` and `containerEnv`; `initializeCommand` runs on the host and gets none of them.
 */
function readDevcontainer(file, parser, isolation) {
    const root = (0,main.parseTree)(file.text, [], { allowTrailingComma: true, disallowComments: false });
    const top = new Map(entries(root).map(([k, v]) => [String(k.value), v]));
    const inside = { surface: 'devcontainer', isolation };
    const user = stringAt(file, top.get('remoteUser')) ?? stringAt(file, top.get('containerUser'));
    if (user)
        inside.user = { ...user, from: 'setting' };
    const folder = stringAt(file, top.get('workspaceFolder'));
    if (folder)
        inside.workingDirectory = folder;
    const env = [...envOf(file, top.get('remoteEnv')), ...envOf(file, top.get('containerEnv'))];
    // Features that install Claude Code: `"ghcr.io/…/claude-code:1": { "version": "…" }`, or a string value,
    // which is the feature's `version` option.
    for (const [key, value] of entries(top.get('features'))) {
        const id = stringAt(file, key);
        const version = stringAt(file, value.type === 'string' ? value : child(value, 'version'));
        const install = id && (0,claude_install/* claudeFeature */.H)(id, version);
        if (install)
            noteInstall(file.lines, install);
    }
    const runs = [];
    for (const [key, value] of entries(root)) {
        if (!LIFECYCLE.includes(String(key.value)))
            continue;
        const onHost = key.value === 'initializeCommand';
        const context = onHost ? { surface: 'devcontainer' } : inside;
        const commands = value.type === 'object' ? entries(value).map(([, v]) => v) : [value];
        for (const command of commands) {
            const found = commandRuns(file, parser, command, context);
            runs.push(...(onHost ? found : found.map((run) => withEnv(run, env))));
        }
    }
    return runs;
}
/** The variables of `containerEnv` or `remoteEnv`. */
function envOf(file, node) {
    if (node?.type !== 'object')
        return [];
    return entries(node).flatMap(([key, v]) => {
        if (v.type !== 'string')
            return [];
        const { value, offsets } = jsonStringOffsets(file.text, v.offset);
        const arg = wordArg(value, (k) => offsets[k], (a, b) => file.span(a, b), /\$\{/.test(value), file.span(v.offset, v.offset + v.length));
        return [
            {
                name: String(key.value),
                value: arg,
                origin: (0,env/* envOrigin */.Ye)(arg),
                scope: 'container',
                nameSpan: file.span(key.offset, key.offset + key.length),
            },
        ];
    });
}
/** A run with the container's variables after what its own command line sets; a name set closer wins. */
function withEnv(run, env) {
    const seen = new Set(run.env.map((e) => e.name));
    const added = env.filter((e) => !seen.has(e.name) && seen.add(e.name));
    return added.length > 0 ? { ...run, env: [...run.env, ...added] } : run;
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
 * A stage built on a chain of stages deeper than this starts afresh: each inherits a copy of everything set
 * before it, and a file of 15,000 chained stages made that quadratic. Real builds chain a handful.
 */
const MAX_STAGE_CHAIN = 64;
/** `NOPASSWD` tags read in one instruction at most: far more than any real image writes. */
const MAX_SUDO_RULES = 32;
/**
 * Claude runs in a Dockerfile or Containerfile: `RUN`, `CMD` and `ENTRYPOINT` in shell form (parsed as
 * shell) and exec form (a JSON array). An exec-form `CMD` after an `ENTRYPOINT ["claude", …]` adds its
 * arguments to Claude's, as Docker does. Each run carries what its stage sets: the `USER` and `WORKDIR` in
 * effect (for `CMD` and `ENTRYPOINT`, the last of the stage, as at container start; with no `USER`, the
 * image's default user, located at `FROM`), the stage's `ENV`, and the passwordless sudo rules its `RUN`
 * lines write. A stage built `FROM` an earlier one starts from what that one set.
 */
function readDockerfile(file, parser, isolation) {
    const offset = (p) => file.lines.lineStart(p.line + 1) + p.character;
    const instructions = lib_main.DockerfileParser.parse(file.text).getInstructions();
    const snapshots = stageSnapshots(file, instructions, offset);
    const runs = [];
    let entrypoint;
    instructions.forEach((instruction, index) => {
        const keyword = instruction.getKeyword().toUpperCase();
        if (keyword === 'FROM')
            entrypoint = undefined;
        if (!COMMANDS.has(keyword))
            return;
        const snapshot = snapshots.get(index);
        const context = contextOf(isolation, snapshot);
        const inImage = (run) => withImageEnv(run, snapshot);
        const args = instruction.getArguments();
        const first = args[0];
        if (!first)
            return;
        const start = offset(first.getRange().start);
        const end = offset(instruction.getRange().end);
        const raw = file.text.slice(start, end);
        if (!raw.includes('claude')) {
            if (keyword === 'CMD' && entrypoint && raw.trimStart().startsWith('[')) {
                // Default arguments for a Claude entrypoint.
                const words = execWords(file, instruction, offset);
                const [run] = execFormRuns(file, parser, [...entrypoint.words, ...words], context);
                if (run)
                    runs[runs.indexOf(entrypoint.run)] = inImage({ ...run, span: entrypoint.run.span });
            }
            return;
        }
        if (raw.trimStart().startsWith('[')) {
            const words = execWords(file, instruction, offset);
            const found = execFormRuns(file, parser, words, context).map(inImage);
            runs.push(...found);
            if (keyword === 'ENTRYPOINT' && found[0] && words[0] && words[0].value.endsWith('claude')) {
                entrypoint = { run: found[0], words };
            }
        }
        else {
            runs.push(...shellFormRuns(file, parser(), raw, (i) => start + i, context).map(inImage));
        }
    });
    return runs;
}
function contextOf(isolation, snapshot) {
    const context = { surface: 'dockerfile', isolation };
    if (!snapshot)
        return context;
    if (snapshot.user)
        context.user = snapshot.user;
    if (snapshot.workdir)
        context.workingDirectory = snapshot.workdir;
    if (snapshot.sudo > 0)
        context.sudoGrants = snapshot.stage.sudo.slice(0, snapshot.sudo);
    return context;
}
/** A run with the image's `ENV` after what its own command line sets; a name set closer to it wins. */
function withImageEnv(run, snapshot) {
    if (!snapshot || snapshot.env === 0)
        return run;
    const seen = new Set(run.env.map((e) => e.name));
    const env = [...run.env];
    for (let i = snapshot.env - 1; i >= 0; i--) {
        const e = snapshot.stage.env[i];
        if (seen.has(e.name))
            continue;
        seen.add(e.name);
        env.push(e);
    }
    return { ...run, env };
}
/** What each `RUN`, `CMD` and `ENTRYPOINT` (by index) sees of its stage. */
function stageSnapshots(file, instructions, offset) {
    const spanOf = (r) => file.span(offset(r.start), offset(r.end));
    const globalArgs = new Map();
    const globalWritten = new Map();
    const byName = new Map();
    let stage;
    const snapshots = new Map();
    const atStageEnd = [];
    instructions.forEach((instruction, index) => {
        const keyword = instruction.getKeyword().toUpperCase();
        if (keyword === 'FROM' && instruction instanceof lib_main.From) {
            const image = instruction.getImage() ?? '';
            const range = instruction.getImageRange();
            const named = byName.get(image.toLowerCase());
            const parent = named && named.depth < MAX_STAGE_CHAIN ? named : undefined;
            stage = {
                depth: parent ? parent.depth + 1 : 0,
                user: parent?.user,
                workdir: parent?.workdir,
                env: parent ? [...parent.env] : [],
                vars: parent ? new Map(parent.vars) : new Map(),
                written: parent ? new Map(parent.written) : new Map(),
                sudo: parent ? [...parent.sudo] : [],
            };
            const alias = instruction.getBuildStage();
            if (alias)
                stage.name = alias.toLowerCase();
            // Stage names are unique; the first of a name is the one later stages build on.
            if (stage.name !== undefined && !byName.has(stage.name))
                byName.set(stage.name, stage);
            // No USER yet: the image's own default user runs what follows.
            if (!stage.user && range) {
                stage.user = { value: 'root', span: spanOf(range), from: 'image-default' };
            }
            return;
        }
        if (keyword === 'ARG' && instruction instanceof lib_main.Arg) {
            const property = instruction.getProperty();
            if (!property)
                return;
            const name = property.getName();
            const value = property.getValue();
            const scope = stage?.vars ?? globalArgs;
            const writtenIn = stage?.written ?? globalWritten;
            // `ARG X` inside a stage brings in the global default.
            const known = value !== null ? substitute(value, scope) : stage ? globalArgs.get(name) : undefined;
            if (known !== undefined)
                scope.set(name, known);
            const range = property.getValueRange();
            if (value !== null && range && !value.includes('$'))
                writtenIn.set(name, [offset(range.start), offset(range.end)]);
            else if (value === null && stage && globalWritten.has(name))
                writtenIn.set(name, globalWritten.get(name));
            else
                writtenIn.delete(name);
            return;
        }
        if (!stage)
            return;
        const current = stage;
        if (keyword === 'ENV' && instruction instanceof lib_main.Env) {
            for (const property of instruction.getProperties()) {
                const range = property.getValueRange();
                const value = property.getValue();
                if (!range || value === null)
                    continue;
                const name = property.getName();
                const resolved = substitute(value, current.vars);
                current.vars.set(name, resolved);
                // `ENV X=$Y`: the value is where `Y` was written out (`ARG Y=…`), when it was.
                const ref = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(value.trim())?.[1];
                const [from, to] = (ref && current.written.get(ref)) || [offset(range.start), offset(range.end)];
                const arg = envArg(file, resolved, from, to);
                if (!value.includes('$') || (ref && current.written.has(ref)))
                    current.written.set(name, [from, to]);
                else
                    current.written.delete(name);
                current.env.push({
                    name,
                    value: arg,
                    origin: (0,env/* envOrigin */.Ye)(arg),
                    scope: 'image',
                    nameSpan: spanOf(property.getNameRange()),
                });
            }
            return;
        }
        if (keyword === 'USER' || keyword === 'WORKDIR') {
            const range = instruction.getArgumentsRange();
            const raw = instruction.getArgumentsContent();
            if (!range || raw === null)
                return;
            const value = substitute(raw.trim(), current.vars);
            const span = spanOf(range);
            if (keyword === 'USER')
                current.user = { value, span, from: 'setting' };
            else
                current.workdir = { value: joinWorkdir(current.workdir?.value, value), span };
            return;
        }
        if (!COMMANDS.has(keyword))
            return;
        if (keyword === 'RUN') {
            const range = instruction.getArgumentsRange();
            if (range)
                current.sudo.push(...sudoRules(file, offset(range.start), offset(range.end), current.vars));
            snapshots.set(index, {
                stage: current,
                user: current.user,
                workdir: current.workdir,
                env: current.env.length,
                sudo: current.sudo.length,
            });
        }
        else
            atStageEnd.push({ index, stage: current });
    });
    // `CMD` and `ENTRYPOINT` run when the container starts: as the stage ends, whatever their place in it.
    for (const { index, stage: s } of atStageEnd) {
        snapshots.set(index, {
            stage: s,
            user: s.user,
            workdir: s.workdir,
            env: s.env.length,
            sudo: s.sudo.length,
        });
    }
    return snapshots;
}
/** `WORKDIR` relative to the one before it, as Docker resolves it. */
function joinWorkdir(previous, next) {
    if (next.startsWith('/') || previous === undefined)
        return next;
    return `${previous.replace(/\/+$/, '')}/${next}`;
}
/** `$X`, `${X}`, `${X:-default}` and `${X:+alt}` with the values known; unknown ones are left as written. */
function substitute(text, vars) {
    if (!text.includes('$'))
        return text;
    return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced, op, word, bare) => {
        const value = vars.get((braced ?? bare));
        if (op === '-')
            return value !== undefined && value !== '' ? value : (word ?? '');
        if (op === '+')
            return value !== undefined && value !== '' ? (word ?? '') : '';
        return value ?? whole;
    });
}
/** An `ENV` value as an `Arg`: each character located when it is written as it reads (bare or quoted). */
function envArg(file, value, start, end) {
    const written = file.text.slice(start, end);
    const quoted = written.length >= 2 && /^(["']).*\1$/s.test(written) ? 1 : 0;
    const verbatim = written.slice(quoted, written.length - quoted) === value;
    return wordArg(value, (k) => (verbatim ? start + quoted + k : undefined), (a, b) => file.span(a, b), hasExpansion(value, 'exec'), file.span(start, end));
}
/**
 * Passwordless sudo rules a `RUN` writes into sudoers (`echo "node ALL=(ALL) NOPASSWD:ALL" >>
 * /etc/sudoers.d/node`): for each `NOPASSWD:`, the user named at the start of its rule and the commands after.
 */
function sudoRules(file, start, end, vars) {
    const text = file.text.slice(start, end);
    if (!text.includes('sudoers'))
        return [];
    const grants = [];
    let looked = 0;
    for (const m of text.matchAll(/NOPASSWD[ \t]*:[ \t]*/g)) {
        if (++looked > MAX_SUDO_RULES)
            break;
        const at = m.index ?? 0;
        // The rule's line, as far back as a rule's start can be.
        const window = text.slice(Math.max(0, at - 200), at);
        const user = sudoersUser(window.slice(window.lastIndexOf('\n') + 1));
        if (user === undefined)
            continue;
        const after = at + m[0].length;
        const commands = /^[^"'\n>|;&\\]*/.exec(text.slice(after, after + 400))?.[0].trimEnd() ?? '';
        if (commands.length === 0)
            continue;
        grants.push({
            user: substitute(user, vars),
            commands: file.located(commands, start + at, start + after + commands.length),
        });
    }
    return grants;
}
/** The user of a sudoers rule, from the text before its `NOPASSWD:` tag (`… node ALL=(ALL) `). */
function sudoersUser(before) {
    let rest = before.trimEnd();
    // Other tags before this one (`SETENV:`), read backwards so that a long line costs its length once.
    while (rest.endsWith(':')) {
        let k = rest.length - 1;
        while (k > 0 && /[A-Z_]/.test(rest[k - 1]))
            k--;
        if (k === rest.length - 1)
            break;
        rest = rest.slice(0, k).trimEnd();
    }
    // The run-as list, `(ALL)` or `\(root\)` when written unquoted.
    if (rest.endsWith(')')) {
        const open = rest.lastIndexOf('(');
        if (open < 0)
            return undefined;
        rest = rest.slice(0, open).replace(/\\$/, '').trimEnd();
    }
    if (!rest.endsWith('='))
        return undefined;
    const tokens = rest
        .slice(0, -1)
        .split(/[\s"']+/)
        .filter((t) => t.length > 0);
    // `user host=`: the host is the last word, the user the one before it.
    return tokens.length >= 2 ? tokens[tokens.length - 2] : undefined;
}
function execWords(file, instruction, offset) {
    return instruction.getJSONStrings().map((s) => {
        const quoteAt = offset(s.getRange().start);
        const { value, offsets } = jsonStringOffsets(file.text, quoteAt);
        const end = (offsets.at(-1) ?? quoteAt) + 2;
        return { value, offsets, start: quoteAt, end };
    });
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./lib/model/tool-rule.js
var tool_rule = __webpack_require__(5186);
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

;// CONCATENATED MODULE: ./lib/surfaces/settings.js





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
    let strings = stringsAt(file, node);
    if (strings.length > MAX_GRANTS) {
        noteCut(file.lines, cutMessage('permission rules in one list', MAX_GRANTS));
        strings = strings.slice(0, MAX_GRANTS);
    }
    return strings.map((s) => ({ value: (0,tool_rule/* parseToolRule */.us)(s.value), span: s.span }));
}
function expectArray(file, node, key, fileKind, problems) {
    if (!node)
        return;
    const bad = node.type !== 'array' || (node.children ?? []).some((c) => c.type !== 'string');
    if (bad) {
        problems.push(file.problem(fileKind, node.offset, node.offset + node.length, `${key} must be an array of strings`, 'Claude Code skips the entries it cannot read'));
    }
}
/**
 * Reads a Claude settings object from JSON text: permissions, mode, directories, env, hooks and helpers. With
 * `shell`, the bash grammar, the commands of hooks and helpers are read for the remote code they run.
 */
function readSettings(file, scope, isolation, fileKind = 'Claude settings', shell) {
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
        helpers: helpersOf(file, root, shell),
        enabledMcpjsonServers: stringsAt(file, child(root, 'enabledMcpjsonServers')),
        disabledMcpjsonServers: stringsAt(file, child(root, 'disabledMcpjsonServers')),
        plugins: entries(child(root, 'enabledPlugins')).flatMap(([k, v]) => {
            const name = stringAt(file, k);
            return name ? [{ name, enabled: v.type === 'boolean' && v.value === true }] : [];
        }),
        marketplaces: entries(child(root, 'extraKnownMarketplaces')).flatMap(([k, v]) => {
            const name = stringAt(file, k);
            if (!name)
                return [];
            const source = child(v, 'source');
            const kind = stringAt(file, child(source, 'source'));
            const location = stringAt(file, child(source, 'repo')) ??
                stringAt(file, child(source, 'url')) ??
                stringAt(file, child(source, 'path'));
            return [{ name, ...(kind ? { source: kind } : {}), ...(location ? { location } : {}) }];
        }),
    };
    if (isolation)
        doc.isolation = isolation;
    const enabledList = child(root, 'enabledMcpjsonServers');
    if (enabledList?.type === 'array')
        doc.enabledMcpjsonServersSpan = file.span(enabledList.offset, enabledList.offset + enabledList.length);
    const enableAll = child(root, 'enableAllProjectMcpServers');
    if (enableAll?.type === 'boolean')
        doc.enableAllProjectMcpServers = file.located(enableAll.value, enableAll.offset, enableAll.offset + enableAll.length);
    const hooks = settings_hooksOf(file, child(root, 'hooks'), shell);
    if (hooks.length > 0)
        doc.hooks = hooks;
    const modeNode = child(permissions, 'defaultMode');
    const mode = stringAt(file, modeNode);
    // Whether Claude knows the mode is judged by CG901 over `doc.defaultMode`.
    if (mode)
        doc.defaultMode = mode;
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
/**
 * A settings object that holds only the hooks of `hooks` (an object of events, as under a settings file's
 * `hooks`): a plugin's hooks, which take the same shape.
 */
function hooksOnlySettings(file, scope, hooks, shell) {
    const doc = {
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
    const found = settings_hooksOf(file, hooks, shell);
    if (found.length > 0)
        doc.hooks = found;
    return doc;
}
/** The hooks of an object of events: `<Event>[].hooks[]`, each with its group's matcher. */
function settings_hooksOf(file, events, shell) {
    const hooks = [];
    for (const [key, groups] of entries(events)) {
        const event = stringAt(file, key);
        if (!event || groups.type !== 'array')
            continue;
        for (const group of groups.children ?? []) {
            const matcher = stringAt(file, child(group, 'matcher'));
            for (const hook of child(group, 'hooks')?.children ?? []) {
                if (hooks.length >= MAX_HOOKS) {
                    noteCut(file.lines, cutMessage('hooks', MAX_HOOKS));
                    return hooks;
                }
                const type = stringAt(file, child(hook, 'type'))?.value ?? 'command';
                const run = stringAt(file, child(hook, HOOK_RUNS.get(type) ?? 'command'));
                if (!run)
                    continue;
                const h = { event, type, run };
                if (matcher)
                    h.matcher = matcher;
                // A PowerShell command (`"shell": "powershell"`) is read with the bash grammar too: its pipelines
                // (`irm https://… | iex`) read the same.
                const remote = type === 'command' ? commandRemote(file, shell, child(hook, 'command'), child(hook, 'args')) : [];
                if (remote.length > 0)
                    h.remote = remote;
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
function helpersOf(file, root, shell) {
    const out = [];
    const add = (key, node) => {
        const run = stringAt(file, node);
        if (!run)
            return;
        const helper = { key, run };
        const remote = commandRemote(file, shell, node);
        if (remote.length > 0)
            helper.remote = remote;
        out.push(helper);
    };
    for (const key of HELPERS)
        add(key, child(root, key));
    for (const key of COMMAND_OBJECTS)
        add(key, child(root, key, 'command'));
    return out;
}
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
    commands.push(...hookCommands(file, child(root, 'hooks')));
    return commands;
}
/** The commands of the hooks of an object of events (a settings file's `hooks`, a plugin's). */
function hookCommands(file, events) {
    const commands = [];
    for (const [event, groups] of entries(events)) {
        for (const group of groups.children ?? []) {
            for (const hook of child(group, 'hooks')?.children ?? []) {
                // The hooks read are the first MAX_HOOKS (see hooksOf), and so are their commands.
                if (commands.length >= MAX_HOOKS)
                    return commands;
                const node = child(hook, 'command');
                if (node?.type !== 'string' || typeof node.value !== 'string')
                    continue;
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
 * an agent's `tools` (a limit, not a grant), `permissionMode`, and `hooks` (with `shell`, the bash grammar,
 * what their commands fetch and run).
 */
function readDefinition(file, kind, isolation, shell) {
    const m = FRONT_MATTER.exec(file.text);
    // The body of a command or a skill can run shell commands of its own (``!`git diff` ``).
    const inline = kind === 'agent' ? [] : inlineShell(file, m ? m[0].length : 0, shell);
    const withInline = (definition) => {
        if (inline.length > 0)
            definition.inlineShell = inline;
        return definition;
    };
    if (!m) {
        if (inline.length === 0)
            return { problems: [] };
        const plain = { path: file.path, kind, allowedTools: [], tools: [] };
        if (isolation)
            plain.isolation = isolation;
        return { definition: withInline(plain), problems: [] };
    }
    const base = m[0].indexOf('\n') + 1;
    const yamlText = m[1];
    const doc = (0,dist/* parseDocument */.Tp)(yamlText, {
        lineCounter: new dist/* LineCounter */.HN(),
        prettyErrors: false,
        uniqueKeys: false,
    });
    const error = doc.errors[0];
    if (error)
        return { problems: [yamlProblem(file, doc, error, base, kind)] };
    const root = doc.contents;
    const definition = { path: file.path, kind, allowedTools: [], tools: [] };
    if (isolation)
        definition.isolation = isolation;
    withInline(definition);
    if (!(0,dist/* isMap */.jh)(root))
        return { definition, problems: [] };
    const get = (key) => root.items.find((p) => (0,dist/* isScalar */.jn)(p.key) && p.key.value === key)?.value;
    const rules = (node) => {
        const scalars = (0,dist/* isSeq */.oP)(node) ? node.items : node ? [node] : [];
        const out = [];
        for (const item of scalars) {
            if (!(0,dist/* isScalar */.jn)(item) || typeof item.value !== 'string')
                continue;
            const value = item.value;
            const at = scalarOffsets(yamlText, item, value);
            for (const part of (0,tool_rule/* splitToolList */.hU)(value)) {
                if (out.length >= MAX_GRANTS) {
                    noteCut(file.lines, cutMessage('tools in one list', MAX_GRANTS));
                    return out;
                }
                out.push({
                    value: (0,tool_rule/* parseToolRule */.us)(part.value),
                    span: file.span(base + at(part.start), base + at(part.end - 1) + 1),
                });
            }
        }
        return out;
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
    const hooks = frontMatterHooks(file, yamlText, base, get('hooks'), shell);
    if (hooks.length > 0)
        definition.hooks = hooks;
    return { definition, problems: [] };
}
/** A shell command in the body of a command or a skill, run when it is: ``!`git diff` ``. */
const INLINE_SHELL = /!`([^`\r\n]+)`/g;
/**
 * The shell commands a command's or skill's body runs before its prompt is sent (``!`cmd` ``), from `from` on
 * (past the front matter), each located at its text, with the remote code it fetches and runs.
 */
function inlineShell(file, from, shell) {
    const out = [];
    for (const m of file.text.slice(from).matchAll(INLINE_SHELL)) {
        if (out.length >= MAX_HOOKS) {
            noteCut(file.lines, cutMessage('inline shell commands', MAX_HOOKS));
            break;
        }
        const text = m[1];
        const start = from + (m.index ?? 0) + 2;
        const command = {
            key: 'inline shell',
            run: { value: text, span: file.span(start, start + text.length) },
        };
        const parser = shell?.();
        const remote = parser ? shellRemoteCode(file, parser, text, (i) => start + i) : [];
        if (remote.length > 0)
            command.remote = remote;
        out.push(command);
    }
    return out;
}
/**
 * A front matter that is not valid YAML, placed where the problem is. The parser reports an unclosed quoted
 * string or flow collection where it gave up looking for its end (often the last line): such a problem is
 * placed at the start of what was never closed, or, when that is not found, at the front matter's first line
 * with a message that says the place is not exact. Other errors are reported where the parser found them.
 */
function yamlProblem(file, doc, error, base, kind) {
    const message = error.message.split('\n')[0];
    const consequence = `Claude Code cannot read the ${kind}'s settings`;
    const [from, to] = error.pos;
    const quote = /^Missing closing (["'])quote/.exec(message)?.[1];
    // `Flow sequence must end with a ]`, `Flow map in block collection must … end with a }`.
    const flow = /\bend with an? [\]}]/.test(message);
    if (!quote && !flow)
        return file.problem('front matter', base + from, base + Math.max(to, from + 1), `invalid YAML: ${message}`, consequence);
    const start = unclosedAt(doc, from, quote);
    if (start !== undefined) {
        const what = quote ? 'this quoted value is never closed' : 'this flow collection is never closed';
        return file.problem('front matter', base + start, base + start + 1, `invalid YAML: ${what} (${message})`, consequence);
    }
    const line = file.span(base + from, base + from).line;
    return file.problem('front matter', 0, 3, `invalid YAML somewhere in the front matter (the parser gave up on line ${line}): ${message}`, consequence);
}
/**
 * The start of the innermost quoted scalar (with `quote`) or flow collection (without) that runs up to the
 * parser's error at `pos`.
 */
function unclosedAt(doc, pos, quote) {
    let found;
    const consider = (node) => {
        const range = node.range;
        if (!range || range[0] >= pos || range[1] < pos)
            return;
        if (found === undefined || range[0] > found)
            found = range[0];
    };
    const type = quote === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
    (0,dist/* visit */.YR)(doc, {
        Scalar: (_key, node) => {
            if (quote && node.type === type)
                consider(node);
        },
        Map: (_key, node) => {
            if (!quote && node.flow)
                consider(node);
        },
        Seq: (_key, node) => {
            if (!quote && node.flow)
                consider(node);
        },
    });
    return found;
}
function stringIn(yamlText, base, node) {
    if (!(0,dist/* isScalar */.jn)(node) || typeof node.value !== 'string' || node.value.length === 0)
        return undefined;
    const value = node.value;
    const at = scalarOffsets(yamlText, node, value);
    return { value, at: (i) => base + at(i) };
}
/** A key's value in a YAML mapping, as the last of its pairs gives it. */
function front_matter_valueOf(map, key) {
    if (!(0,dist/* isMap */.jh)(map))
        return undefined;
    let found;
    for (const pair of map.items)
        if ((0,dist/* isScalar */.jn)(pair.key) && pair.key.value === key)
            found = pair.value;
    return found;
}
/**
 * Hooks declared in front matter, in the shape of the settings files' `hooks`: `hooks.<Event>[].hooks[]`,
 * each with its group's matcher, and for command hooks the remote code they run.
 */
function frontMatterHooks(file, yamlText, base, node, shell) {
    if (!(0,dist/* isMap */.jh)(node))
        return [];
    const located = (s) => ({
        value: s.value,
        span: file.span(s.at(0), s.at(s.value.length - 1) + 1),
    });
    const hooks = [];
    for (const pair of node.items) {
        const key = stringIn(yamlText, base, pair.key);
        if (!key || !(0,dist/* isSeq */.oP)(pair.value))
            continue;
        for (const group of pair.value.items) {
            const matcher = stringIn(yamlText, base, front_matter_valueOf(group, 'matcher'));
            const list = front_matter_valueOf(group, 'hooks');
            for (const hook of (0,dist/* isSeq */.oP)(list) ? list.items : []) {
                if (hooks.length >= MAX_HOOKS) {
                    noteCut(file.lines, cutMessage('hooks', MAX_HOOKS));
                    return hooks;
                }
                const typeNode = front_matter_valueOf(hook, 'type');
                const type = (0,dist/* isScalar */.jn)(typeNode) && typeof typeNode.value === 'string' ? typeNode.value : 'command';
                const run = stringIn(yamlText, base, front_matter_valueOf(hook, HOOK_RUNS.get(type) ?? 'command'));
                if (!run)
                    continue;
                const h = { event: located(key), type, run: located(run) };
                if (matcher)
                    h.matcher = located(matcher);
                if (type === 'command') {
                    const remote = hookRemote(file, run, front_matter_valueOf(hook, 'args'), yamlText, base, shell);
                    if (remote.length > 0)
                        h.remote = remote;
                }
                hooks.push(h);
            }
        }
    }
    return hooks;
}
/** What a front matter command hook fetches and runs: its `command` read as shell, or with `args` as a program. */
function hookRemote(file, command, args, yamlText, base, shell) {
    if ((0,dist/* isSeq */.oP)(args)) {
        const strings = [command, ...args.items.flatMap((a) => stringIn(yamlText, base, a) ?? [])];
        return execRemoteCode(strings.map((s) => wordArg(s.value, (k) => (k < s.value.length ? s.at(k) : undefined), (a, b) => file.span(a, b), hasExpansion(s.value, 'exec'))));
    }
    const parser = shell?.();
    return parser ? shellRemoteCode(file, parser, command.value, command.at) : [];
}

;// CONCATENATED MODULE: ./lib/syntax/yaml-nodes.js



/**
 * Reading a YAML document the way GitHub and GitLab do: aliases (`*step`) stand for what their anchor
 * holds, and merge keys (`<<: *defaults`) bring in another map's entries, which the map's own keys override.
 */
/** Entries read from one map, merges included: far more than any real CI file has. */
const MAX_ENTRIES = 100_000;
/**
 * Entries and items a reader may take from one document in all, each visit counted. Aliases let a small file
 * stand for millions of nodes (a list of 200 steps anchored once and named by 30,000 jobs); past this the
 * document reads as empty and `exhausted` says so. Real CI files take a few thousand.
 */
const MAX_YAML_WORK = 400_000;
class YamlView {
    doc;
    work = 0;
    /** The reading stopped at MAX_YAML_WORK: what was read is kept, the rest was not. */
    exhausted = false;
    constructor(doc) {
        this.doc = doc;
    }
    /** Counts `n` more entries or items read; false once the document's allowance is spent. */
    spend(n) {
        this.work += n;
        if (this.work > MAX_YAML_WORK)
            this.exhausted = true;
        return !this.exhausted;
    }
    /**
     * What every alias of the document points at, found in one walk: the last node before it (in document
     * order) anchored with its name, as the `yaml` package resolves it — which walks the whole document for each
     * alias, so a file of 30,000 aliases took minutes.
     */
    targets;
    target(alias) {
        if (!this.targets) {
            const targets = new Map();
            const anchored = new Map();
            (0,dist/* visit */.YR)(this.doc, {
                Node: (_key, node) => {
                    if ((0,dist/* isAlias */.Vj)(node))
                        targets.set(node, anchored.get(node.source));
                    else if (node.anchor)
                        anchored.set(node.anchor, node);
                },
            });
            this.targets = targets;
        }
        return this.targets.get(alias);
    }
    /** The node an alias points at (through chains of aliases), or the node itself. */
    deref(node) {
        let at = node;
        for (let hops = 0; (0,dist/* isAlias */.Vj)(at) && hops < 16; hops++)
            at = this.target(at);
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
            if (!this.spend(map.items.length))
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
        if (!(0,dist/* isSeq */.oP)(seq) || !this.spend(seq.items.length))
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
/** The notice for a document whose reading stopped at MAX_YAML_WORK, as a reader's facts carry it. */
function yamlNotices(y) {
    return y.exhausted
        ? {
            notices: [
                `its YAML (aliases included) holds more than ${MAX_YAML_WORK} entries: the rest is not read`,
            ],
        }
        : {};
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

;// CONCATENATED MODULE: ./lib/surfaces/yaml-env.js



/**
 * Adds to a run the variables of YAML maps (`env:`, GitLab `variables:`), closest first: a name the run already
 * has, or that a closer map set, is not set again. A value may be written `NAME: { value: "…" }` (GitLab).
 * `dialect` says which expansions leave a value unknown here.
 */
function addYamlEnv(file, y, run, blocks, dialect) {
    const seen = new Set(run.env.map((e) => e.name));
    for (const [scope, block] of blocks) {
        for (const [key, node] of y.pairs(block)) {
            const name = String(key.value);
            if (seen.has(name))
                continue;
            seen.add(name);
            const word = execWordOf(file, y, y.scalar(node) ? node : y.get(node, 'value'));
            if (!word)
                continue;
            const value = wordArg(word.value, (k) => word.offsets[k], (a, b) => file.span(a, b), hasExpansion(word.value, dialect), file.span(word.start, word.end));
            const [a, b] = key.range ?? [0, 0];
            run.env.push({ name, value, origin: (0,env/* envOrigin */.Ye)(value), scope, nameSpan: file.span(a, b) });
        }
    }
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
    const jobKeys = new Map(y.pairs(root).map(([k]) => [String(k.value), k]));
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
        const [keyStart, keyEnd] = jobKeys.get(name)?.range ?? [0, 0];
        const jobContext = { id: name, span: file.span(keyStart, keyEnd), steps: [] };
        // The deployment environment (`environment: production` or its `name:`), as GitLab merges `extends`.
        const environment = inherited(job, 'environment');
        const envName = y.scalar(y.isMap(environment) ? y.get(environment, 'name') : environment);
        if (envName?.range && typeof envName.value === 'string')
            jobContext.environment = {
                value: envName.value,
                span: file.span(envName.range[0], envName.range[1]),
            };
        context.job = jobContext;
        if (image?.range)
            context.isolation = { value: 'container', span: file.span(image.range[0], image.range[1]) };
        const timeout = y.scalar(inherited(job, 'timeout') ?? y.get(defaults, 'timeout'));
        if (timeout?.range && timeout.value !== null && typeof timeout.value !== 'object')
            context.timeout = {
                value: String(timeout.value),
                span: file.span(timeout.range[0], timeout.range[1]),
            };
        const outer = variablesOf(file, y, [rootVariables, inherited(job, 'variables')]);
        // `before_script` and `script` run in one shell, one item after another (an `export` carries over);
        // `after_script` runs in a shell of its own.
        for (const session of [['before_script', 'script'], ['after_script']]) {
            const parts = [];
            for (const key of session) {
                const node = inherited(job, key) ?? rootScripts.get(key);
                // A script is a string or a list of strings; a list item may be an alias of another list.
                const lines = y.scalar(node)
                    ? [node]
                    : y.items(node).flatMap((i) => (y.scalar(i) ? [i] : y.items(i)));
                for (const line of lines) {
                    const scalar = y.scalar(line);
                    if (!scalar || typeof scalar.value !== 'string')
                        continue;
                    parts.push({
                        text: scalar.value,
                        toFile: scalarOffsets(file.text, scalar, scalar.value),
                    });
                }
            }
            if (!parts.some((p) => /claude|\$/.test(p.text)))
                continue;
            const { text, toFile } = joinedScript(parts);
            const reader = new ShellReader(parser(), { text, toFile, lines: file.lines, outer });
            for (const call of reader.claudeCalls()) {
                const run = (0,claude_invocation/* runOf */.ng)(file.path, call, context);
                // The job's `variables:`, then the pipeline's: the environment it runs with.
                addYamlEnv(file, y, run, [
                    ['job', inherited(job, 'variables')],
                    ['workflow', rootVariables],
                ], 'exec');
                runs.push(run);
            }
        }
    }
    return { runs, problems: [], ...yamlNotices(y) };
}
/**
 * Script items as one script, a line each, with the way from each character back to the file. The newline
 * after an item maps to its last character.
 */
function joinedScript(parts) {
    const starts = [];
    let text = '';
    for (const part of parts) {
        starts.push(text.length);
        text += `${part.text}\n`;
    }
    const toFile = (i) => {
        let lo = 0;
        let hi = starts.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (starts[mid] <= i)
                lo = mid;
            else
                hi = mid - 1;
        }
        const part = parts[lo];
        const k = i - starts[lo];
        return part.toFile(Math.min(k, Math.max(0, part.text.length - 1)));
    };
    return { text, toFile };
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
        this.lines = embedding?.lines ?? new span/* LineIndex */.r(path, text);
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
function inline_settings_inlineSettingsOf(run, lines, shell) {
    const docs = [];
    const problems = [];
    for (const flag of run.command?.flags ?? []) {
        const value = flag.values[0];
        if (flag.name !== '--settings' || !value || value.dynamic || !value.value.trimStart().startsWith('{'))
            continue;
        const embedded = new SourceFile(run.path, value.value, { lines, spanOf: (a, b) => value.sub(a, b) });
        const read = readSettings(embedded, 'inline', run.context.isolation, '--settings JSON', shell);
        if (read.doc) {
            docs.push(read.doc);
            if (run.command)
                run.command.inlineSettings = read.doc;
        }
        problems.push(...read.problems);
    }
    return { docs, problems };
}

;// CONCATENATED MODULE: ./lib/surfaces/inline-mcp.js


/**
 * MCP servers given on a command line as JSON (`claude --mcp-config '{"mcpServers": …}'`, also through the
 * action's `claude_args`), read as an MCP config whose positions are those of the characters in the file.
 * Values that name files are read by the scan, once every file is listed.
 */
function inlineMcpServersOf(run, lines) {
    const servers = [];
    const problems = [];
    for (const flag of run.command?.flags ?? []) {
        if (flag.name !== '--mcp-config')
            continue;
        for (const value of flag.values) {
            if (value.dynamic || !value.value.trimStart().startsWith('{'))
                continue;
            const embedded = new SourceFile(run.path, value.value, { lines, spanOf: (a, b) => value.sub(a, b) });
            const read = readMcpConfig(embedded);
            servers.push(...read.servers);
            problems.push(...read.problems);
        }
    }
    return { servers, problems };
}

;// CONCATENATED MODULE: ./lib/surfaces/compose.js






/**
 * Claude runs in a Docker Compose file: a service's `entrypoint` and `command` (a string is run by a
 * shell, a list is run as it is; a list `command` gives arguments to a list `entrypoint`). Services run in
 * containers, as the service's `user:` (else the image's default user, located at `image:` or `build:`), in
 * its `working_dir`, with its `environment:`.
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
        const user = located(file, y, y.get(node, 'user'));
        const image = y.get(node, 'image') ?? y.get(node, 'build');
        if (user)
            context.user = { ...user, from: 'setting' };
        else if (image)
            context.user = { value: 'root', span: at(image).span, from: 'image-default' };
        const workdir = located(file, y, y.get(node, 'working_dir'));
        if (workdir)
            context.workingDirectory = workdir;
        const env = environmentOf(file, y, y.get(node, 'environment'));
        const shellOf = (n) => {
            const scalar = y.scalar(n);
            if (!scalar || typeof scalar.value !== 'string' || !scalar.value.includes('claude'))
                return [];
            return shellFormRuns(file, parser(), scalar.value, scalarOffsets(file.text, scalar, scalar.value), context);
        };
        const found = [];
        const listed = [...words(entrypoint), ...words(command)];
        if (listed.length > 0 && listed.some((w) => w.value.includes('claude'))) {
            found.push(...execFormRuns(file, parser, listed, context));
        }
        found.push(...shellOf(entrypoint), ...shellOf(command));
        runs.push(...found.map((run) => compose_withEnv(run, env)));
    }
    return { runs, problems: [], ...yamlNotices(y) };
}
/** A scalar (string or number) located at its content. */
function located(file, y, node) {
    const scalar = y.scalar(node);
    if (!scalar || scalar.value === null || typeof scalar.value === 'object')
        return undefined;
    const value = String(scalar.value);
    if (value.length === 0)
        return undefined;
    const toFile = scalarOffsets(file.text, scalar, value);
    return { value, span: file.span(toFile(0), toFile(value.length - 1) + 1) };
}
/** A service's `environment:`, as a map (`NAME: value`) or a list (`- NAME=value`). */
function environmentOf(file, y, node) {
    const out = [];
    const add = (name, value, toFile, nameSpan) => {
        const arg = wordArg(value, (k) => toFile(k), (a, b) => file.span(a, b), hasExpansion(value, 'exec'), nameSpan);
        out.push({ name, value: arg, origin: (0,env/* envOrigin */.Ye)(arg), scope: 'container', nameSpan });
    };
    for (const [key, value] of y.pairs(node)) {
        const name = located(file, y, key);
        const scalar = y.scalar(value);
        if (!name || !scalar || scalar.value === null || typeof scalar.value === 'object')
            continue;
        const text = String(scalar.value);
        add(name.value, text, scalarOffsets(file.text, scalar, text), name.span);
    }
    for (const item of y.items(node)) {
        const scalar = y.scalar(item);
        if (!scalar || typeof scalar.value !== 'string')
            continue;
        const text = scalar.value;
        const eq = text.indexOf('=');
        if (eq <= 0)
            continue;
        const toFile = scalarOffsets(file.text, scalar, text);
        add(text.slice(0, eq), text.slice(eq + 1), (k) => toFile(eq + 1 + k), file.span(toFile(0), toFile(eq - 1) + 1));
    }
    return out;
}
/** A run with the service's variables after what its own command line sets; a name set closer wins. */
function compose_withEnv(run, env) {
    const seen = new Set(run.env.map((e) => e.name));
    const added = env.filter((e) => !seen.has(e.name) && seen.add(e.name));
    return added.length > 0 ? { ...run, env: [...run.env, ...added] } : run;
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
            runs.push((0,claude_invocation/* runOf */.ng)(file.path, call, context));
    }
    return runs;
}

// EXTERNAL MODULE: ./lib/model/claude-command.js
var claude_command = __webpack_require__(3471);
;// CONCATENATED MODULE: ./lib/surfaces/task-configs.js








/** The words of a command line held in one string, each character mapped to the file. */
function lineWords(value, toFile) {
    return (0,claude_command/* splitArgString */.mK)(value).map((w) => ({
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
    return { runs, problems: [], ...yamlNotices(y) };
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
            runs.push((0,claude_invocation/* runOf */.ng)(file.path, call, context));
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

;// CONCATENATED MODULE: ./lib/surfaces/scripts.js




function runsIn(file, parser, input, context) {
    return new ShellReader(parser, input).claudeCalls().map((call) => (0,claude_invocation/* runOf */.ng)(file.path, call, context));
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

;// CONCATENATED MODULE: ./lib/surfaces/plugin.js



/** The events object of a plugin's hooks: under `hooks`, as the docs write it, or the top level itself. */
function eventsOf(root) {
    const wrapped = child(root, 'hooks');
    return wrapped?.type === 'object' ? wrapped : root;
}
function hooksFacts(file, events, shell) {
    if (events?.type !== 'object')
        return { settings: [], commands: [] };
    const doc = hooksOnlySettings(file, 'plugin', events, shell);
    return doc.hooks
        ? { settings: [doc], commands: hookCommands(file, events) }
        : { settings: [], commands: [] };
}
/** A plugin's `hooks/hooks.json`. */
function readPluginHooks(file, shell) {
    const { root, problems } = parseStrictJson(file, 'plugin hooks', "Claude Code loads none of the plugin's hooks");
    return { ...hooksFacts(file, eventsOf(root), shell), mcpServers: [], problems };
}
/**
 * A plugin's `.claude-plugin/plugin.json`: the hooks and MCP servers it declares inline. A `hooks` or
 * `mcpServers` value that names a file is not followed here; the default places (`hooks/hooks.json`,
 * `.mcp.json`) are read as files of their own.
 */
function readPluginManifest(file, shell) {
    const { root, problems } = parseStrictJson(file, 'plugin manifest', 'Claude Code cannot load the plugin');
    const servers = child(root, 'mcpServers');
    return {
        ...hooksFacts(file, eventsOf(child(root, 'hooks')), shell),
        mcpServers: servers?.type === 'object' ? serversIn(file, servers, shell) : [],
        problems,
    };
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
    facts = {
        runs: [],
        settings: [],
        problems: [],
        workflows: [],
        mcpServers: [],
    };
    workflowEnv;
    jobEnv = new Map();
    /** The `env:` of a job's `container:`, set in the container every step runs in. */
    containerEnv = new Map();
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
        const on = this.triggers(this.y.get(root, 'on'));
        const workflow = {
            path: this.file.path,
            triggers: on.map((t) => t.event),
            on,
            jobs: [],
        };
        this.facts.workflows.push(workflow);
        const name = this.y.get(root, 'name');
        if ((0,dist/* isScalar */.jn)(name))
            workflow.name = String(name.value);
        const permissions = this.y.get(root, 'permissions');
        if (permissions)
            workflow.permissions = this.locate(permissions, permissions.toJSON());
        if (this.y.isMap(permissions))
            workflow.permissionScopes = this.scalarMap(permissions);
        const defaultShell = this.defaultShell(root);
        this.workflowEnv = this.y.get(root, 'env');
        if (this.y.isMap(this.workflowEnv))
            workflow.env = this.scalarMap(this.workflowEnv);
        for (const [key, job] of this.y.pairs(this.y.get(root, 'jobs'))) {
            if (!this.y.isMap(job))
                continue;
            this.readJob(workflow, key, job, this.defaultShell(job) ?? defaultShell);
        }
        // A composite action (`action.yml`) has its steps under `runs:`.
        const runs = this.y.get(root, 'runs');
        if (this.y.isMap(runs) && this.y.items(this.y.get(runs, 'steps')).length > 0) {
            workflow.steps = [];
            this.readSteps(this.y.get(runs, 'steps'), { surface: 'workflow', workflow }, undefined);
        }
        const { notices } = yamlNotices(this.y);
        if (notices)
            this.facts.notices = notices;
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
        const bare = (node) => {
            const event = this.scalar(node);
            return event ? [{ event, types: [] }] : [];
        };
        if ((0,dist/* isScalar */.jn)(on))
            return bare(on);
        if ((0,dist/* isSeq */.oP)(on))
            return this.y.items(on).flatMap(bare);
        return this.y.pairs(on).flatMap(([k, v]) => {
            const event = this.scalar(k);
            if (!event)
                return [];
            const types = this.y.get(v, 'types');
            const list = (0,dist/* isSeq */.oP)(types) ? this.y.items(types) : types ? [types] : [];
            return [{ event, types: list.flatMap((t) => this.scalar(t) ?? []) }];
        });
    }
    /** A step as the model keeps it, whatever it runs. */
    stepOf(step, index) {
        const [start, end] = step.range ?? [0, 0];
        const out = {
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
        const fields = [
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
            if (value)
                out[field] = value;
        }
        return out;
    }
    /** Each `${{ … }}` of a scalar, located exactly through the scalar's own offsets. */
    expressionsIn(where, node) {
        const text = this.scalarText(node);
        if (!text)
            return [];
        const out = [];
        let at = text.value.indexOf('${{');
        while (at >= 0) {
            const end = text.value.indexOf('}}', at + 3);
            if (end < 0)
                break;
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
    scalarMap(node) {
        const out = (0,keyed/* keyedByText */.F)();
        for (const [k, v] of this.y.pairs(node)) {
            const value = this.scalar(v);
            if (value)
                out[String(k.value)] = value;
        }
        return out;
    }
    defaultShell(node) {
        const shell = this.y.get(this.y.get(this.y.get(node, 'defaults'), 'run'), 'shell');
        return (0,dist/* isScalar */.jn)(shell) ? String(shell.value) : undefined;
    }
    readJob(workflow, key, job, shell) {
        const [start, end] = key.range ?? [0, 0];
        const context = { id: String(key.value), span: this.file.span(start, end), steps: [] };
        workflow.jobs.push(context);
        const condition = this.scalar(this.y.get(job, 'if'));
        if (condition)
            context.if = condition;
        const needs = this.y.get(job, 'needs');
        const needed = ((0,dist/* isSeq */.oP)(needs) ? this.y.items(needs) : [needs]).flatMap((n) => this.scalar(n)?.value ?? []);
        if (needed.length > 0)
            context.needs = needed;
        const outputs = this.y.get(job, 'outputs');
        if (this.y.isMap(outputs))
            context.outputs = this.scalarMap(outputs);
        const calls = this.scalar(this.y.get(job, 'uses'));
        if (calls)
            context.uses = calls;
        const permissions = this.y.get(job, 'permissions');
        if (permissions)
            context.permissions = this.locate(permissions, permissions.toJSON());
        if (this.y.isMap(permissions))
            context.permissionScopes = this.scalarMap(permissions);
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
        else if ((0,dist/* isScalar */.jn)(timeout) && typeof timeout.value === 'string' && timeout.value.includes('${{')) {
            context.timeoutExpression = this.locate(timeout, timeout.value);
        }
        const run = { surface: 'workflow', workflow, job: context };
        this.jobEnv.set(context.id, this.y.get(job, 'env'));
        const jobEnv = this.y.get(job, 'env');
        if (this.y.isMap(jobEnv))
            context.env = this.scalarMap(jobEnv);
        this.containerEnv.set(context.id, this.y.get(containerPair?.[1], 'env'));
        this.jobMatrix.set(context.id, this.y.get(this.y.get(job, 'strategy'), 'matrix'));
        if (context.container)
            run.isolation = { value: 'container', span: context.container };
        const user = this.containerUser(containerPair?.[1]);
        if (user)
            run.user = user;
        const folder = this.defaultFolder(job) ?? this.defaultFolder(this.doc.contents);
        if (folder)
            run.workingDirectory = folder;
        this.readSteps(this.y.get(job, 'steps'), run, shell);
    }
    /** `defaults.run.working-directory` of a job or the workflow. */
    defaultFolder(node) {
        return this.scalar(this.y.get(this.y.get(this.y.get(node, 'defaults'), 'run'), 'working-directory'));
    }
    /**
     * Who a job's container runs steps as: its `options: --user …` (or `-u`), else the image's default user,
     * located at the image.
     */
    containerUser(container) {
        if (!container)
            return undefined;
        const options = this.argsOf(this.y.get(container, 'options'));
        for (const [i, word] of options.entries()) {
            const next = options[i + 1];
            if ((word.value === '--user' || word.value === '-u') && next) {
                return { value: next.value, span: next.span, from: 'setting' };
            }
            const inline = /^(--user=|-u)(.+)$/.exec(word.value);
            if (inline) {
                const at = inline[1].length;
                return { value: inline[2], span: word.sub(at, word.value.length), from: 'setting' };
            }
        }
        const image = this.scalar(this.y.isMap(container) ? this.y.get(container, 'image') : container);
        return image ? { value: 'root', span: image.span, from: 'image-default' } : undefined;
    }
    readSteps(steps, context, shell) {
        for (const [index, step] of this.y.items(steps).entries()) {
            if (!this.y.isMap(step))
                continue;
            const recorded = this.stepOf(step, index);
            (context.job?.steps ?? context.workflow?.steps)?.push(recorded);
            const name = this.y.get(step, 'name');
            const stepContext = (0,dist/* isScalar */.jn)(name)
                ? { ...context, step: recorded, stepName: String(name.value) }
                : { ...context, step: recorded };
            const before = this.facts.runs.length;
            const uses = this.scalar(this.y.get(step, 'uses'));
            if (uses)
                this.readActionStep(uses, step, stepContext);
            const run = this.y.get(step, 'run');
            const stepShell = this.scalar(this.y.get(step, 'shell'))?.value ?? shell;
            if (run && (!stepShell || workflow_SHELLS.test(stepShell)))
                this.readRun(run, this.inFolder(stepContext, step), this.y.get(step, 'env'), stepShell);
            if (this.facts.runs.length > before) {
                const blocks = [
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
    inFolder(context, step) {
        const folder = this.scalar(this.y.get(step, 'working-directory'));
        return folder ? { ...context, workingDirectory: folder } : context;
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
            this.facts.runs.push((0,claude_invocation/* runOf */.ng)(this.file.path, call, context));
        }
    }
    /** The words of an input holding a command line, each with exact positions. */
    argsOf(node) {
        const text = this.scalarText(node);
        if (!text)
            return [];
        const { lines } = this.file;
        return (0,claude_command/* splitArgString */.mK)(text.value).map((w) => wordArg(w.value, (k) => text.toFile(w.offsets[k] ?? w.start), (a, b) => lines.span(a, b), hasExpansion(w.value, 'actions')));
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
            inputs: (0,keyed/* keyedByText */.F)(),
            inputKeys: (0,keyed/* keyedByText */.F)(),
        };
        const withNode = this.y.get(step, 'with');
        for (const [k, v] of this.y.pairs(withNode)) {
            const [a, b] = k.range ?? [0, 0];
            action.inputKeys[String(k.value)] = this.file.span(a, b);
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
            run.command = (0,claude_command/* parseClaudeArgs */.z_)(this.argsOf(claudeArgs));
        const allowed = this.y.get(withNode, 'allowed_tools');
        if (allowed && action.generation !== 'v1') {
            run.command ??= (0,claude_command/* parseClaudeArgs */.z_)([]);
            run.command.allowedTools.push(...this.toolList(allowed));
        }
        const settings = this.scalarText(this.y.get(withNode, 'settings'));
        if (settings && settings.value.trimStart().startsWith('{')) {
            const embedded = new SourceFile(this.file.path, settings.value, {
                lines: this.file.lines,
                toFile: settings.toFile,
            });
            const { doc, problems } = readSettings(embedded, 'inline', context.isolation, 'settings input', this.shell);
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
    toolList(node) {
        const text = this.scalarText(node);
        if (!text)
            return [];
        return (0,tool_rule/* splitToolList */.hU)(text.value).map((part) => ({
            value: (0,tool_rule/* parseToolRule */.us)(part.value),
            span: this.file.lines.span(text.toFile(part.start), text.toFile(part.end - 1) + 1),
        }));
    }
}

;// CONCATENATED MODULE: ./lib/surfaces/readers.js



















const runs = (read) => ({
    usesShell: true,
    read: (file, ctx) => ({ runs: read(file, ctx) }),
});
/**
 * Text that may hold a command Claude runs: a hook's or a status line's `command`, a helper, an MCP
 * `headersHelper`, or a key written with a `\u` escape, which could spell any of them.
 */
const RUNS_COMMANDS = /command|Helper|awsAuthRefresh|awsCredentialExport|gcpAuthRefresh|\\u/;
/** The Claude runs among the commands a settings file or a plugin makes Claude run (hooks, helpers). */
function readers_commandRuns(file, ctx, commands) {
    const context = ctx.isolation
        ? { surface: 'settings-command', isolation: ctx.isolation }
        : { surface: 'settings-command' };
    return commands
        .filter((c) => mentionsClaude(c.value))
        .flatMap((c) => shellFormRuns(file, ctx.shell(), c.value, (i) => c.offsets[Math.min(i, c.offsets.length - 1)] ?? 0, context));
}
/** The shell commands of a command's or skill's body, as commands Claude Code runs (Claude may be one). */
function inlineRuns(file, ctx, definition) {
    const commands = (definition?.inlineShell ?? []).map((c) => {
        const start = file.lines.lineStart(c.run.span.line) + c.run.span.column - 1;
        return {
            source: 'inline shell',
            value: c.run.value,
            offsets: Array.from({ length: c.run.value.length }, (_, i) => start + i),
        };
    });
    return commands.length > 0 ? readers_commandRuns(file, ctx, commands) : [];
}
/** A command, agent or skill of a plugin folder, its kind known from where it sits. */
function definitionReader(kind) {
    return {
        usesShell: false,
        // Hooks in the front matter of an agent or a skill, shell in the body of a command or a skill.
        wantsShell: (text) => /hooks|\\|!`/.test(text),
        read: (file, ctx) => {
            const { definition, problems } = readDefinition(file, kind, ctx.isolation, ctx.shell);
            return {
                definitions: definition ? [definition] : [],
                problems,
                runs: inlineRuns(file, ctx, definition),
            };
        },
    };
}
/**
 * Text of a workflow or action that may run a file of the repository: a local path (`./scripts/x`,
 * `uses: ./.github/actions/x`, a called `./.github/workflows/x.yml`), a shell script by its extension, or a
 * shell given a file (`bash scripts/x`).
 */
const MAY_RUN_FILE = /\.\/|\.(?:sh|bash|zsh|ksh|dash)\b|\b(?:ba|z|k|da)?sh\s/;
/** One reader per kind of file. Readers turn text into facts with spans; they never judge them. */
const READERS = {
    'claude-settings': {
        usesShell: false,
        // A hook or helper command may start Claude itself, or fetch and run code from elsewhere.
        wantsShell: (text) => mentionsClaude(text) || RUNS_COMMANDS.test(text),
        read: (file, ctx) => {
            const { doc, problems, commands } = readSettings(file, settingsScope(file.path), ctx.isolation, undefined, ctx.shell);
            return { settings: doc ? [doc] : [], problems, runs: readers_commandRuns(file, ctx, commands) };
        },
    },
    // A plugin's manifest and hooks: their hook commands, and the manifest's MCP servers.
    'plugin-manifest': {
        usesShell: false,
        wantsShell: (text) => mentionsClaude(text) || RUNS_COMMANDS.test(text),
        read: (file, ctx) => {
            const { commands, ...facts } = readPluginManifest(file, ctx.shell);
            return { ...facts, runs: readers_commandRuns(file, ctx, commands) };
        },
    },
    'plugin-hooks': {
        usesShell: false,
        wantsShell: (text) => mentionsClaude(text) || RUNS_COMMANDS.test(text),
        read: (file, ctx) => {
            const { commands, ...facts } = readPluginHooks(file, ctx.shell);
            return { ...facts, runs: readers_commandRuns(file, ctx, commands) };
        },
    },
    'plugin-skill': definitionReader('skill'),
    'plugin-agent': definitionReader('agent'),
    'plugin-command': definitionReader('command'),
    'mcp-config': {
        usesShell: false,
        wantsShell: (text) => RUNS_COMMANDS.test(text),
        read: (file, ctx) => {
            const { servers, problems } = readMcpConfig(file, ctx.shell);
            return { mcpServers: servers, problems };
        },
    },
    'claude-state': {
        usesShell: false,
        // A server's `headersHelper` is a command.
        wantsShell: (text) => text.includes('headersHelper'),
        read: (file, ctx) => ({ mcpServers: readClaudeJson(file, ctx.shell) }),
    },
    'claude-markdown': {
        usesShell: false,
        // Hooks in the front matter of an agent or a skill, shell in the body of a command or a skill.
        wantsShell: (text) => /hooks|\\|!`/.test(text),
        read: (file, ctx) => {
            const kind = definitionKind(file.path);
            if (!kind)
                return {};
            const { definition, problems } = readDefinition(file, kind, ctx.isolation, ctx.shell);
            return {
                definitions: definition ? [definition] : [],
                problems,
                runs: inlineRuns(file, ctx, definition),
            };
        },
    },
    // Every workflow and action is read: one that never names Claude cannot start it (claude-code-action's
    // name says claude too), but its steps may run a script or a local action that does, and are then that
    // run's context. Its shell commands are parsed only when it names Claude, and only then is YAML it cannot
    // read a problem worth reporting; one that runs no file at all is not parsed.
    workflow: {
        usesShell: false,
        wantsShell: mentionsClaude,
        read: (file, ctx) => {
            const names = mentionsClaude(file.text);
            if (!names && !MAY_RUN_FILE.test(file.text))
                return {};
            const facts = new WorkflowReader(file, ctx.shell).read();
            return names ? facts : { ...facts, problems: [] };
        },
    },
    'gitlab-ci': { usesShell: true, read: (file, ctx) => readGitlabCi(file, ctx.shell) },
    'shell-script': runs((file, ctx) => readShellScript(file, ctx.shell(), ctx.isolation)),
    'package-json': runs((file, ctx) => readPackageScripts(file, ctx.shell, ctx.isolation).runs),
    makefile: runs((file, ctx) => readMakefile(file, ctx.shell(), ctx.isolation)),
    justfile: runs((file, ctx) => readJustfile(file, ctx.shell(), ctx.isolation)),
    compose: { usesShell: true, read: (file, ctx) => readCompose(file, ctx.shell) },
    'pre-commit': { usesShell: true, read: (file, ctx) => readPreCommit(file, ctx.shell) },
    'vscode-tasks': { usesShell: true, read: (file, ctx) => readVscodeTasks(file, ctx.shell) },
    dockerfile: runs((file, ctx) => readDockerfile(file, ctx.shell, ctx.isolation ?? { value: 'container', span: (0,span/* fileSpan */.b)(file.path) })),
    devcontainer: runs((file, ctx) => readDevcontainer(file, ctx.shell, ctx.isolation ?? { value: 'devcontainer', span: (0,span/* fileSpan */.b)(file.path) })),
};
/** The reader for a kind of file, when this file is one it reads. */
function readerFor(kind, text) {
    const reader = READERS[kind];
    return reader && (!reader.usesShell || mentionsClaude(text)) ? reader : undefined;
}
/**
 * A reader's facts, with the settings and MCP servers its runs give inline (`--settings '{…}'`,
 * `--mcp-config '{…}'`) and the installs of Claude its commands make.
 */
function readFacts(reader, file, ctx) {
    const facts = reader.read(file, ctx);
    // Pushed one by one: a file can hold thousands of runs, and neither a copy per run nor a spread of
    // thousands of arguments is affordable.
    const add = (key, items) => {
        if (items.length === 0)
            return;
        const list = (facts[key] ??= []);
        for (const item of items)
            list.push(item);
    };
    add('installs', takeInstalls(file.lines));
    add('notices', takeCuts(file.lines));
    for (const run of facts.runs ?? []) {
        const mcp = inlineMcpServersOf(run, file.lines);
        add('mcpServers', mcp.servers);
        add('problems', mcp.problems);
        if (run.command?.inlineSettings)
            continue;
        const inline = inline_settings_inlineSettingsOf(run, file.lines, ctx.shell);
        add('settings', inline.docs);
        add('problems', inline.problems);
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
        read: (path) => (0,read/* readText */.yR)(root, realRoot, path, folders),
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
/**
 * Kinds read whatever they hold: their mere content can be a finding (invalid JSON, a bypass mode). Workflows
 * and actions (`action.yml`) too: they are few, and they are the CI context of the scripts and local actions
 * that start Claude without naming it in the workflow (`run: ./scripts/triage.sh`).
 */
const ALWAYS_READ = new Set([
    'claude-settings',
    'mcp-config',
    'claude-state',
    'claude-markdown',
    'plugin-manifest',
    'plugin-hooks',
    'plugin-skill',
    'plugin-agent',
    'plugin-command',
    'workflow',
]);
/** A path that may be of a kind always read; only these are classified while git grep runs. */
const mayBeAlwaysRead = (path) => mayBeClaudeFile(path) || /\.ya?ml$/i.test(path);
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
    return kind ? { value: kind, span: (0,span/* fileSpan */.b)(path) } : undefined;
}
/**
 * Paths of the files the runs name with `flag` (`--settings`, `--mcp-config`) or the action's `input`, as files
 * of the scan: relative to the scanned folder (where a workflow runs), or else to the folder of the file that
 * names it. Values written as JSON or with a variable are not paths.
 */
function filesNamed(runs, lists, flag, input) {
    const found = new Set();
    let known;
    const listedHas = (p) => (known ??= new Set(lists.flat())).has(p);
    for (const run of runs) {
        const named = [
            ...(run.command?.flags ?? []).filter((f) => f.name === flag).flatMap((f) => f.values),
            run.action?.inputs[input],
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
async function scan(source, policy, options = {}) {
    const ignored = (0,glob/* globsMatcher */.eN)(policy.ignore);
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
        workflows: [],
        installs: [],
        localConfigs: [],
    };
    // Plugin folders, known by their manifests among the listed paths, before any file is read.
    const plugins = new PluginFolders();
    const noteLocal = (path, tracked) => {
        plugins.note(path);
        const kind = localConfigOf(path);
        if (kind && !ignored(path))
            model.localConfigs.push(tracked ? { path, kind, tracked } : { path, kind });
    };
    const kept = new Map();
    const inline = [];
    const notices = [];
    let parser;
    const readOne = async ({ path, kind: listedKind }) => {
        let kind = plugins.kindOf(path, listedKind);
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
        const marks = inlineSuppressions(file);
        if (marks.length > 0) {
            append(inline, marks);
            facts += 1;
        }
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
            if (found.runs && found.runs.length > MAX_CLAUDE_CALLS) {
                notices.push({
                    path,
                    message: `Claude is started here more than ${MAX_CLAUDE_CALLS} times: the first ${MAX_CLAUDE_CALLS} are read`,
                });
                found.runs = found.runs.slice(0, MAX_CLAUDE_CALLS);
            }
            append(model.runs, found.runs);
            append(model.settings, found.settings);
            append(model.definitions, found.definitions);
            append(model.mcpServers, found.mcpServers);
            append(model.problems, found.problems);
            append(model.workflows, found.workflows);
            append(model.installs, found.installs);
            for (const message of found.notices ?? [])
                notices.push({ path, message });
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
            if (!mayBeAlwaysRead(path))
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
    /** Reads a file a run names, as `read` says; one nested past reading ends in a notice. */
    const readNamed = async (path, read) => {
        const result = await source.read(path);
        if ('skipped' in result)
            return;
        const file = new SourceFile(path, result.text);
        try {
            read(file);
            kept.set(path, file);
            for (const message of takeCuts(file.lines))
                notices.push({ path, message });
        }
        catch (error) {
            if (!(error instanceof RangeError))
                throw error;
            notices.push({ path, message: 'skipped: nested too deeply to read' });
        }
    };
    // MCP configs named on a command line (`--mcp-config ci/mcp.json`) or by the action's `mcp_config:`.
    for (const path of filesNamed(model.runs, listed, '--mcp-config', 'mcp_config')) {
        if (classify(path) === 'mcp-config' || model.mcpServers.some((s) => s.path === path))
            continue;
        await readNamed(path, (file) => {
            // Runs name it, and runs are read with the bash grammar: it is loaded.
            const { servers, problems } = readMcpConfig(file, () => parser);
            append(model.mcpServers, servers);
            append(model.problems, problems);
        });
    }
    // Settings files named on a command line (`--settings ci/claude.json`) or by the action's `settings:`.
    for (const path of filesNamed(model.runs, listed, '--settings', 'settings')) {
        if (model.settings.some((doc) => doc.path === path))
            continue;
        await readNamed(path, (file) => {
            const { doc, problems } = readSettings(file, 'file', isolationOf(path), undefined, () => parser);
            if (doc)
                model.settings.push(doc);
            append(model.problems, problems);
        });
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
    model.workflows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    model.installs.sort(byPlace);
    model.secrets.sort(byPlace);
    model.problems.sort(byPlace);
    const ctx = (0,policy_policy/* ruleContext */.wm)(policy);
    const results = registry/* RULES */.y0.map((rule) => ({ rule, findings: rule.check(model, ctx) }));
    const lineText = (path, line) => kept.get(path)?.lines.lineText(line) ?? '';
    // Credentials written in pieces, by file: their ranges are masked in any snippet of a line they touch.
    const inPieces = new Map();
    for (const s of model.secrets) {
        if (!s.pieces)
            continue;
        const hidden = s.extent ?? s.span;
        const spans = inPieces.get(hidden.path);
        if (spans)
            spans.push(hidden);
        else
            inPieces.set(hidden.path, [hidden]);
    }
    // Credentials a rule found by where they are written (a literal token under a credential's name), not by
    // their shape: masked like those, and given to the log masking below.
    const credentialValues = [];
    for (const { findings } of results) {
        for (const f of findings) {
            if (!f.credential)
                continue;
            const spans = inPieces.get(f.span.path);
            if (spans)
                spans.push(f.span);
            else
                inPieces.set(f.span.path, [f.span]);
            if (f.span.line === f.span.endLine)
                credentialValues.push(lineText(f.span.path, f.span.line).slice(f.span.column - 1, f.span.endColumn - 1));
        }
    }
    // By line, built once per file: a file can hold thousands of them, each line asked about for its findings.
    const piecesByLine = new Map();
    const hiddenSecrets = (path, line) => {
        let index = piecesByLine.get(path);
        if (!index) {
            index = { one: new Map(), many: [] };
            for (const s of inPieces.get(path) ?? []) {
                if (s.line !== s.endLine)
                    index.many.push(s);
                else if (index.one.has(s.line))
                    index.one.get(s.line)?.push(s);
                else
                    index.one.set(s.line, [s]);
            }
            piecesByLine.set(path, index);
        }
        return [
            ...(index.one.get(line) ?? []),
            ...index.many.filter((s) => s.line <= line && line <= s.endLine),
        ].map((s) => [s.line === line ? s.column - 1 : 0, s.endLine === line ? s.endColumn - 1 : Infinity]);
    };
    const suggestions = new Map();
    inline.sort((a, b) => byPlace({ span: a.span }, { span: b.span }));
    const today = dayOf((options.clock ?? (() => new Date()))());
    // A repository written to flood the report lists a bounded number of findings (notices count the rest).
    const listedFindings = capFindings(results, policy, notices);
    const verdict = judge(listedFindings, policy, model.fileCount, { lineText, hiddenSecrets }, notices, suggestions, {
        inline,
        today,
    });
    // Every value and piece to mask in logs and reports; placeholders too when written in pieces, as the
    // pieces of a real key and of a placeholder cannot be told apart once printed.
    const secretValues = [
        ...new Set(model.secrets
            .flatMap((s) => (s.placeholder ? (s.pieces ?? []) : [s.value, ...(s.pieces ?? [])]))
            .concat(credentialValues)),
    ].filter((v) => v.length >= 8);
    return { verdict, model, secretValues, suggestions };
}

;// CONCATENATED MODULE: ./lib/verdict/baseline.js
/**
 * An earlier JSON report (`--format json`, or the action's `report` output) used as a baseline: its findings'
 * fingerprints are the findings that already exist. The file is input like any other — possibly written by
 * whoever opened the pull request — so it is read strictly: a JSON report of schema version 1, or an error.
 */
/** A baseline larger than this is refused. */
const MAX_BASELINE_BYTES = 64 * 1024 * 1024;
const FINGERPRINT = /^[0-9a-f]{32}(?::\d{1,6})?$/;
class BaselineError extends Error {
}
/** A report nests a few levels deep and holds about two arrays or objects per finding. */
const MAX_DEPTH = 64;
const MAX_CONTAINERS = 1_000_000;
/**
 * Whether JSON text stays within MAX_DEPTH and MAX_CONTAINERS, counted in one pass before it is parsed:
 * 64 MiB of `[` would otherwise become millions of nested arrays, over half a gigabyte.
 */
function boundedShape(text) {
    let depth = 0;
    let containers = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x22 /* " */) {
            for (i++; i < text.length; i++) {
                const d = text.charCodeAt(i);
                if (d === 0x5c /* \ */)
                    i++;
                else if (d === 0x22)
                    break;
            }
        }
        else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
            if (++depth > MAX_DEPTH || ++containers > MAX_CONTAINERS)
                return false;
        }
        else if (c === 0x5d /* ] */ || c === 0x7d /* } */)
            depth--;
    }
    return true;
}
/** The fingerprints of a JSON report's findings; throws BaselineError naming `display` when it is not one. */
function baselineFingerprints(text, display) {
    if (text.length > MAX_BASELINE_BYTES)
        throw new BaselineError(`${display}: the baseline is larger than 64 MiB`);
    if (!boundedShape(text))
        throw new BaselineError(`${display}: the baseline nests deeper than ${MAX_DEPTH} levels or holds more than ${MAX_CONTAINERS} arrays and objects`);
    let data;
    try {
        data = JSON.parse(text);
    }
    catch {
        throw new BaselineError(`${display}: the baseline is not JSON (expected a claude-guard --format json report)`);
    }
    const report = data;
    if (typeof report !== 'object' ||
        report === null ||
        report.schemaVersion !== 1 ||
        report.tool?.name !== 'claude-guard' ||
        !Array.isArray(report.findings))
        throw new BaselineError(`${display}: not a claude-guard JSON report of schema version 1`);
    const found = new Set();
    for (const [i, f] of report.findings.entries()) {
        const fingerprint = f?.fingerprint;
        if (typeof fingerprint !== 'string' || !FINGERPRINT.test(fingerprint))
            throw new BaselineError(`${display}: findings[${i}] has no valid fingerprint`);
        found.add(fingerprint);
    }
    return found;
}

;// CONCATENATED MODULE: ./lib/verdict/compare.js

/**
 * The verdict with each finding marked new or existing, and blocking recomputed: under `block: new` only
 * new findings block; under `block: all` any does. Without a comparison (not a pull request, or no base)
 * every finding counts as new, except those whose fingerprint is in `baseline` (an earlier report's).
 */
function markNew(verdict, comparison, baseline) {
    const block = verdict.policy.block === 'all' ? 'all' : 'new';
    const failOn = verdict.policy.failOn;
    const findings = verdict.findings.map((f) => {
        // A finding an earlier report (the baseline) already had exists, whatever the change.
        const isNew = !baseline?.has(f.fingerprint) &&
            (comparison === undefined ||
                comparison.unknown.has(f.path) ||
                (comparison.changed.has(f.path) && !comparison.baseFingerprints.has(f.fingerprint)));
        const blocking = f.suppression === null && blocks(f.severity, failOn) && (block === 'all' || isNew);
        return { ...f, new: isNew, blocking };
    });
    findings.sort(compareFindings);
    const blocking = findings.filter((f) => f.blocking).length;
    return {
        ...verdict,
        summary: { ...verdict.summary, blocking, conclusion: blocking > 0 ? 'failure' : 'success' },
        findings,
    };
}

// EXTERNAL MODULE: ./lib/fs/names.js
var names = __webpack_require__(3259);
;// CONCATENATED MODULE: ./lib/policy/starter.js

/** Where editors find the JSON Schema of this version's policy (the npm package ships it). */
const SCHEMA_URL = `https://unpkg.com/claude-guard@${version/* VERSION */.x}/policy.schema.json`;
/**
 * The policy `claude-guard policy init` writes: the built-in defaults spelled out, every other section
 * present as a commented example. It validates against the schema (a test checks it).
 */
function starterPolicy() {
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

;// CONCATENATED MODULE: ./lib/cli/policy-command.js










/** A mistake the user can fix; the caller prints it and exits 2. */
class PolicyUsageError extends Error {
}
const POLICY_USAGE = `claude-guard policy validate [FILE]     check a policy (default .github/claude-guard.yml) and every policy it extends
claude-guard policy show [DIR] [--policy FILE] [--format yaml|json]
                                        the policy in force for a folder, each value with where it was written
claude-guard policy init [--output FILE] [--force]
                                        write a commented starter policy (default .github/claude-guard.yml)
claude-guard policy schema              print the policy's JSON Schema`;
/** The policy in force, as YAML whose every line says where its value was written. */
function renderPolicyShow(policy) {
    const origin = (key) => policy.origins[key] ?? policy_policy/* BUILT_IN */.$A;
    const flow = (value) => JSON.stringify(value);
    const lines = [
        `# The policy in force, built from: ${policy.sources.join(', ')}`,
        "# Each value says where it was written; (built-in) is claude-guard's default policy.",
        'version: 1',
    ];
    const entry = (indent, key, value, from) => {
        lines.push(`${indent}${key}: ${flow(value)}  # ${(0,policy_policy/* originText */.CQ)(from)}`);
    };
    entry('', 'fail-on', policy.failOn, origin('fail-on'));
    entry('', 'block', policy.block, origin('block'));
    entry('', 'ignore', policy.ignore, origin('ignore'));
    const ruleIds = Object.keys(policy.rules).sort();
    if (ruleIds.length === 0)
        lines.push('rules: {}  # (built-in): every rule on, at its own severity');
    else {
        lines.push('rules:');
        for (const id of ruleIds) {
            const r = policy.rules[id];
            if (!r)
                continue;
            const value = r.off ? { off: true } : {};
            if (r.severity)
                value.severity = r.severity;
            if (r.locked)
                value.locked = (0,policy_policy/* originText */.CQ)(r.locked);
            entry('  ', id, value, origin(`rules.${id}`));
        }
    }
    lines.push('dangerous-mode:');
    entry('  ', 'allow-in', policy.dangerousModeAllowIn, origin('dangerous-mode.allow-in'));
    lines.push('tools:');
    if (policy.tools.allow)
        entry('  ', 'allow', policy.tools.allow, origin('tools.allow'));
    entry('  ', 'deny', policy.tools.deny, origin('tools.deny'));
    lines.push('mcp:');
    if (policy.mcp.allowedServers)
        entry('  ', 'allowed-servers', policy.mcp.allowedServers, origin('mcp.allowed-servers'));
    entry('  ', 'sensitive-servers', policy.mcp.sensitiveServers, origin('mcp.sensitive-servers'));
    lines.push('network:');
    entry('  ', 'allowed-endpoints', policy.allowedEndpoints, origin('network.allowed-endpoints'));
    if (policy.allowedProxies)
        entry('  ', 'allowed-proxies', policy.allowedProxies, origin('network.allowed-proxies'));
    lines.push('plugins:');
    if (policy.plugins.allowedSources)
        entry('  ', 'allowed-sources', policy.plugins.allowedSources, origin('plugins.allowed-sources'));
    else
        lines.push('  # allowed-sources: any (not listed)');
    lines.push('ci:');
    entry('  ', 'require-flags', policy.ci.requireFlags, origin('ci.require-flags'));
    entry('  ', 'forbid-flags', policy.ci.forbidFlags, origin('ci.forbid-flags'));
    entry('  ', 'require-env', policy.ci.requireEnv, origin('ci.require-env'));
    lines.push('environments:');
    for (const env of policy.environments) {
        const value = {
            match: { 'workflow-environments': env.workflowEnvironments, paths: env.paths },
            'max-risk': env.maxRisk,
            ...(env.default ? { default: true } : {}),
            ...(env.allow.length > 0 || env.deny.length > 0 ? { tools: { allow: env.allow, deny: env.deny } } : {}),
        };
        entry('  ', env.name, value, env.origin);
    }
    if (policy.exceptions.length === 0)
        lines.push('exceptions: []');
    else {
        lines.push('exceptions:');
        for (const e of policy.exceptions)
            lines.push(`  - ${flow({ rule: e.rule, paths: e.paths, reason: e.reason, owner: e.owner, expires: e.expires })}  # ${(0,policy_policy/* originText */.CQ)(e.origin)}`);
    }
    entry('', 'suppressions', {
        allowed: policy.suppressions.allowed,
        'require-reason': policy.suppressions.requireReason,
        'require-owner': policy.suppressions.requireOwner,
        'require-expiry': policy.suppressions.requireExpiry,
    }, origin('suppressions'));
    // Policy text (globs, reasons, names) is repository text: one display-safe line each.
    return `${lines.map((l) => displayLine(l)).join('\n')}\n`;
}
/**
 * `claude-guard policy …`. `loadFor` builds the policy a folder's scan would use (`--policy` or its own
 * `.github/claude-guard.yml`, extends resolved), as `scan` does.
 */
async function policyCommand(args, io, loadFor) {
    const [sub, ...rest] = args;
    switch (sub) {
        case 'schema': {
            if (rest.length > 0)
                throw new PolicyUsageError('policy schema takes no arguments');
            io.stdout(`${JSON.stringify((0,schema/* policyJsonSchema */.qF)(), null, 2)}\n`);
            return 0;
        }
        case 'validate': {
            const { positionals } = (0,external_node_util_.parseArgs)({ args: rest, allowPositionals: true, options: {} });
            if (positionals.length > 1)
                throw new PolicyUsageError('policy validate takes one file');
            const display = positionals[0] ?? '.github/claude-guard.yml';
            const path = (0,external_node_path_.resolve)(io.cwd, display);
            if (!(0,external_node_fs_.existsSync)(path))
                throw new PolicyUsageError(`${display}: no such file`);
            // Every problem of the file itself is reported at once, before the policies it extends are read.
            // A policy inside the current folder is a repository's (perhaps a clone just fetched): the local
            // policies it extends must stay inside that folder too, as when it is scanned.
            const inside = (0,names/* pathInside */._l)(io.cwd, path) === undefined ? undefined : io.cwd;
            const policy = await (0,load/* loadPolicy */.tb)(path, display, true, inside, io.remote);
            io.stdout(`${displayLine(display)}: valid${policy.sources.length > 1
                ? ` (with ${policy.sources
                    .slice(0, -1)
                    .map((s) => displayLine(s))
                    .join(', ')})`
                : ''}\n`);
            return 0;
        }
        case 'show': {
            const { values, positionals } = (0,external_node_util_.parseArgs)({
                args: rest,
                allowPositionals: true,
                options: { policy: { type: 'string' }, format: { type: 'string', default: 'yaml' } },
            });
            if (positionals.length > 1)
                throw new PolicyUsageError('policy show takes one folder');
            if (values.format !== 'yaml' && values.format !== 'json')
                throw new PolicyUsageError(`unknown format "${values.format}" (expected yaml, json)`);
            const policy = await loadFor((0,external_node_path_.resolve)(io.cwd, positionals[0] ?? '.'), values.policy);
            io.stdout(values.format === 'json' ? `${JSON.stringify(policy, null, 2)}\n` : renderPolicyShow(policy));
            return 0;
        }
        case 'init': {
            const { values, positionals } = (0,external_node_util_.parseArgs)({
                args: rest,
                options: { output: { type: 'string', short: 'o' }, force: { type: 'boolean', default: false } },
            });
            if (positionals.length > 0)
                throw new PolicyUsageError('policy init takes no folder; use --output FILE');
            const display = values.output ?? '.github/claude-guard.yml';
            if (display === '-') {
                io.stdout(starterPolicy());
                return 0;
            }
            const path = (0,external_node_path_.resolve)(io.cwd, display);
            if ((0,external_node_fs_.existsSync)(path) && !values.force)
                throw new PolicyUsageError(`${display} exists; --force replaces it`);
            await (0,promises_.mkdir)((0,external_node_path_.dirname)(path), { recursive: true });
            await (0,promises_.writeFile)(path, starterPolicy());
            io.stdout(`wrote ${displayLine(display)}; check it with claude-guard policy validate ${displayLine(display)}\n`);
            return 0;
        }
        default:
            throw new PolicyUsageError(sub === undefined
                ? `policy needs a subcommand:\n${POLICY_USAGE}`
                : `unknown policy subcommand "${sub}"\n${POLICY_USAGE}`);
    }
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
/** The one folder a command scans, checked to be a folder. */
async function folderToScan(command, positionals, io) {
    if (positionals.length > 1)
        throw new UsageError(`${command} takes one folder, got ${positionals.length}`);
    const dir = (0,external_node_path_.resolve)(io.cwd, positionals[0] ?? '.');
    const info = await (0,promises_.stat)(dir).catch(() => undefined);
    if (!info?.isDirectory())
        throw new UsageError(`${positionals[0] ?? '.'} is not a folder`);
    return dir;
}
/** The policy `--policy` names, else the folder's own (or the built-in one), with `--ignore` globs added. */
async function policyFor(dir, values, io) {
    const named = values.policy !== undefined;
    const policyPath = named
        ? (0,external_node_path_.resolve)(io.cwd, values.policy)
        : (0,external_node_path_.resolve)(dir, '.github/claude-guard.yml');
    const display = named ? values.policy : '.github/claude-guard.yml';
    // A policy the user names is read wherever it is; the repository's own must stay inside it.
    const policy = await (0,load/* loadPolicy */.tb)(policyPath, display, named, named ? undefined : dir, remoteReader(io));
    const badGlob = (0,glob/* firstGlobError */.T8)(values.ignore ?? []);
    if (badGlob)
        throw new UsageError(`--ignore ${badGlob}`);
    return values.ignore ? { ...policy, ignore: [...policy.ignore, ...values.ignore] } : policy;
}
/** Reads policies extended from GitHub repositories; the API client is loaded only when one is. */
function remoteReader(io) {
    let reader;
    return async (ref) => {
        reader ??= Promise.all(/* import() */[__webpack_require__.e(392), __webpack_require__.e(421)]).then(__webpack_require__.bind(__webpack_require__, 6421)).then((m) => m.environmentPolicyReader(io.env, (message) => io.stderr(`claude-guard: ${displayLine(message)}\n`)));
        return (await reader)(ref);
    };
}
/** The fingerprints of the report `--baseline` names: a regular file of a bounded size, or a usage error. */
async function readBaseline(file, io) {
    const path = (0,external_node_path_.resolve)(io.cwd, file);
    const info = await (0,promises_.stat)(path).catch(() => undefined);
    if (!info)
        throw new UsageError(`--baseline ${file}: no such file`);
    // A pipe or a device would block or never end: only a regular file is read.
    if (!info.isFile())
        throw new UsageError(`--baseline ${file}: not a regular file`);
    if (info.size > MAX_BASELINE_BYTES)
        throw new UsageError(`--baseline ${file}: larger than 64 MiB`);
    try {
        return baselineFingerprints(await (0,promises_.readFile)(path, 'utf8'), file);
    }
    catch (error) {
        if (error instanceof BaselineError)
            throw new UsageError(error.message);
        throw error;
    }
}
/** Writes to `--output` when given (its folder made), else to stdout. */
async function emit(rendered, output, io) {
    if (output) {
        const out = (0,external_node_path_.resolve)(io.cwd, output);
        await (0,promises_.mkdir)((0,external_node_path_.dirname)(out), { recursive: true });
        await (0,promises_.writeFile)(out, rendered);
    }
    else
        io.stdout(rendered);
}
async function scanCommand(args, io) {
    const { values, positionals } = (0,external_node_util_.parseArgs)({ args, allowPositionals: true, options: early.SCAN_OPTIONS });
    const format = values.format;
    if (!FORMATS.includes(format))
        throw new UsageError(`unknown format "${format}" (expected ${FORMATS.join(', ')})`);
    if (values['sarif-category'] !== undefined && format !== 'sarif')
        throw new UsageError('--sarif-category applies only to --format sarif');
    const dir = await folderToScan('scan', positionals, io);
    let policy = await policyFor(dir, values, io);
    if (values['fail-on'] !== undefined) {
        const failOn = schema/* FailOnSchema */.fE.safeParse(values['fail-on']);
        if (!failOn.success)
            throw new UsageError(`--fail-on must be one of ${schema/* FailOnSchema */.fE.options.join(', ')}`);
        policy = { ...policy, failOn: failOn.data };
    }
    // Read before the scan: a baseline that cannot be used is a usage error, not a verdict.
    const baseline = values.baseline === undefined ? undefined : await readBaseline(values.baseline, io);
    const started = io.early?.root === dir ? io.early.plan : undefined;
    const scanned = await scan(await diskSource(dir, started), policy);
    const secrets = scanned.secretValues;
    // Findings an earlier report already had are existing: under `block: new` only the others block.
    const verdict = baseline ? markNew(scanned.verdict, undefined, baseline) : scanned.verdict;
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
    await emit(rendered, values.output, io);
    return verdict.summary.conclusion === 'failure' ? EXIT.blocking : EXIT.ok;
}
const INVENTORY_FORMATS = ['text', 'json'];
/**
 * `claude-guard inventory`: where Claude runs and what it may do there, from the same scan (the policy's
 * `ignore` applies), as a listing rather than a verdict. Exits 0 whatever it finds.
 */
async function inventoryCommand(args, io) {
    const { values, positionals } = (0,external_node_util_.parseArgs)({ args, allowPositionals: true, options: early.INVENTORY_OPTIONS });
    const format = values.format;
    if (!INVENTORY_FORMATS.includes(format))
        throw new UsageError(`unknown format "${format}" (expected ${INVENTORY_FORMATS.join(', ')})`);
    const dir = await folderToScan('inventory', positionals, io);
    const policy = await policyFor(dir, values, io);
    const started = io.early?.root === dir ? io.early.plan : undefined;
    const { model, verdict, secretValues: secrets } = await scan(await diskSource(dir, started), policy);
    const inventory = buildInventory(model, { secrets, notices: verdict.notices });
    const rendered = format === 'json'
        ? renderInventoryJson(inventory, { secrets })
        : renderInventoryText(inventory, { secrets });
    await emit(rendered, values.output, io);
    return EXIT.ok;
}
function rulesCommand(args, io) {
    const { values } = (0,external_node_util_.parseArgs)({ args, options: { json: { type: 'boolean', default: false } } });
    if (values.json) {
        const list = registry/* RULES */.y0.map(({ meta }) => ({
            id: meta.id,
            name: meta.name,
            severity: meta.severity,
            summary: meta.summary,
            docs: `docs/rules/${meta.id}.md`,
        }));
        io.stdout(`${JSON.stringify(list, null, 2)}\n`);
    }
    else {
        for (const { meta } of registry/* RULES */.y0)
            io.stdout(`${meta.id}  ${meta.name.padEnd(20)} ${meta.severity.padEnd(9)} ${meta.summary}\n`);
    }
    return EXIT.ok;
}
function explainCommand(args, io) {
    const id = args[0];
    if (!id)
        throw new UsageError('explain needs a rule id, e.g. claude-guard explain CG101');
    const rule = (0,registry/* ruleById */.BD)(id) ?? registry/* RULES */.y0.find((r) => r.meta.name === id);
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
            case 'inventory':
                return await inventoryCommand(rest, io);
            case 'rules':
                return rulesCommand(rest, io);
            case 'explain':
                return explainCommand(rest, io);
            case 'policy':
                return await policyCommand(rest, { cwd: io.cwd, stdout: io.stdout, remote: remoteReader(io) }, (dir, file) => policyFor(dir, file === undefined ? {} : { policy: file }, io));
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
        if (error instanceof load/* PolicyError */.pn) {
            say(error.issues.length === 1
                ? `invalid policy: ${error.message}`
                : `invalid policy, ${error.issues.length} problems:\n${error.issues.map((i) => `  ${(0,load/* issueText */.v4)(i)}`).join('\n')}`);
            return EXIT.usage;
        }
        if (error instanceof UsageError ||
            error instanceof PolicyUsageError ||
            error.code?.startsWith('ERR_PARSE_ARGS')) {
            say(error.message);
            return EXIT.usage;
        }
        say(`internal error: ${error.stack ?? String(error)}`);
        return EXIT.internal;
    }
}


/***/ }),

/***/ 3471:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   mK: () => (/* binding */ splitArgString),
/* harmony export */   z_: () => (/* binding */ parseClaudeArgs)
/* harmony export */ });
/* unused harmony export toolRulesIn */
/* harmony import */ var _tool_rule_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5186);

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
    // `--add-dir=$HOME`: the flag's name is written out even when its value is a variable.
    if (arg.dynamic)
        return /^--[A-Za-z][\w-]*=/.test(arg.value);
    return arg.value.startsWith('-') && arg.value.length > 1;
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
    return (0,_tool_rule_js__WEBPACK_IMPORTED_MODULE_0__/* .splitToolList */ .hU)(arg.value)
        .filter((part) => RULE_LIKE.test(part.value))
        .map((part) => ({ value: (0,_tool_rule_js__WEBPACK_IMPORTED_MODULE_0__/* .parseToolRule */ .us)(part.value), span: arg.sub(part.start, part.end) }));
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


/***/ }),

/***/ 9117:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AZ: () => (/* binding */ installScriptRun),
/* harmony export */   H: () => (/* binding */ claudeFeature),
/* harmony export */   Hv: () => (/* binding */ installPinning),
/* harmony export */   ND: () => (/* binding */ installScriptDownload),
/* harmony export */   fi: () => (/* binding */ claudeInstalls),
/* harmony export */   x8: () => (/* binding */ claudeInstallsInWords)
/* harmony export */ });
/* harmony import */ var _claude_invocation_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9634);
/* harmony import */ var _mcp_pinning_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2733);


/*
 * Recognising where Claude Code itself is installed or fetched — by a package manager, a package runner, the
 * install script piped to a shell, a dev container feature, or the action — and how exactly the release is
 * pinned. Readers hand over the words of their commands; whether those install Claude is decided here.
 */
const PACKAGE = '@anthropic-ai/claude-code';
/** `npm install`, `pnpm add`, `yarn global add`, `bun add`…: subcommands of each manager that install. */
const INSTALLERS = new Map([
    [
        'npm',
        new Set([
            'install',
            'i',
            'add',
            'in',
            'ins',
            'inst',
            'insta',
            'instal',
            'isnt',
            'isnta',
            'isntal',
            'isntall',
            'update',
            'up',
            'upgrade',
            'udpate',
        ]),
    ],
    ['pnpm', new Set(['add', 'install', 'i', 'update', 'up', 'upgrade'])],
    ['yarn', new Set(['add', 'upgrade', 'up'])],
    ['bun', new Set(['add', 'a', 'install', 'i', 'update'])],
    ['volta', new Set(['install'])],
]);
/** Options of the managers that take a value before the subcommand (`npm --prefix /opt install …`). */
const MANAGER_VALUED = new Set([
    '--prefix',
    '-C',
    '--dir',
    '--cwd',
    '--registry',
    '--userconfig',
    '--location',
]);
/** Package runners that fetch what they run: one word (`npx`), or a manager and its subcommand (`pnpm dlx`). */
const RUNNERS = new Set(['npx', 'pnpx', 'bunx']);
const RUNNER_SUBCOMMANDS = new Map([
    ['npm', new Set(['exec', 'x'])],
    ['pnpm', new Set(['dlx'])],
    ['yarn', new Set(['dlx'])],
    ['bun', new Set(['x'])],
]);
/** Runner options that take the next word as their value; `-p`/`--package` names the package itself. */
const RUNNER_VALUED = new Set([
    '-c',
    '--call',
    '--cache',
    '--registry',
    '--userconfig',
    '-w',
    '--workspace',
    '--cwd',
]);
/** The package word of Claude Code in `word` from `from` on, with the version after its `@`, if any. */
function claudePackage(word, from) {
    const text = word.value.slice(from);
    if (text === PACKAGE)
        return { span: word.sub(from, word.value.length) };
    if (!text.startsWith(`${PACKAGE}@`))
        return undefined;
    const at = from + PACKAGE.length + 1;
    return {
        span: word.sub(from, word.value.length),
        version: { value: word.value.slice(at), span: word.sub(at, word.value.length) },
    };
}
function installOf(how, via, found) {
    const install = { path: found.span.path, how, via, span: found.span };
    if (found.version)
        install.version = found.version;
    return install;
}
/**
 * `npm install -g @anthropic-ai/claude-code…` and the like at `words[i]`; undefined when `words[i]` is no
 * manager or does not install (`npm run`, `pnpm dlx`).
 */
function packageInstall(words, i, name) {
    const subcommands = INSTALLERS.get(name);
    if (!subcommands)
        return undefined;
    let global = false;
    let sub;
    let j = i + 1;
    for (; j < words.length && sub === undefined; j++) {
        const w = words[j].value;
        if (w === '-g' || w === '--global' || w === '--location=global')
            global = true;
        else if (w.startsWith('-')) {
            if (MANAGER_VALUED.has(w))
                j++;
        }
        else if (name === 'yarn' && w === 'global' && !global)
            global = true;
        else if (subcommands.has(w))
            sub = w;
        else
            return undefined;
    }
    if (sub === undefined)
        return undefined;
    const installs = [];
    for (; j < words.length; j++) {
        const w = words[j];
        if (w.value === '-g' || w.value === '--global' || w.value === '--location=global')
            global = true;
        const found = claudePackage(w, 0);
        if (found)
            installs.push(installOf('package-install', '', found));
    }
    const via = name === 'yarn' && global ? `yarn global ${sub}` : `${name} ${sub}${global ? ' -g' : ''}`;
    return installs.map((install) => ({ ...install, via }));
}
/** `npx @anthropic-ai/claude-code`, `pnpm dlx …`, `npx -p @anthropic-ai/claude-code claude`: at `words[i]`. */
function runnerInstall(words, i, name) {
    const sub = words[i + 1]?.value ?? '';
    const twoWords = RUNNER_SUBCOMMANDS.get(name)?.has(sub) ?? false;
    if (!RUNNERS.has(name) && !twoWords)
        return undefined;
    const via = twoWords ? `${name} ${sub}` : name;
    const installs = [];
    for (let j = i + (twoWords ? 2 : 1); j < words.length; j++) {
        const w = words[j];
        if (w.value === '--') {
            const found = words[j + 1] && claudePackage(words[j + 1], 0);
            if (found)
                installs.push(installOf('package-runner', via, found));
            break;
        }
        if (w.value.startsWith('--package=')) {
            const found = claudePackage(w, '--package='.length);
            if (found)
                installs.push(installOf('package-runner', via, found));
        }
        else if (w.value === '-p' || w.value === '--package') {
            const found = words[j + 1] && claudePackage(words[j + 1], 0);
            if (found)
                installs.push(installOf('package-runner', via, found));
            j++;
        }
        else if (w.value.startsWith('-')) {
            if (RUNNER_VALUED.has(w.value))
                j++;
        }
        else {
            // The command it runs: the package itself, or a binary another `-p` brought.
            const found = claudePackage(w, 0);
            if (found)
                installs.push(installOf('package-runner', via, found));
            break;
        }
    }
    return installs;
}
/**
 * The installs of Claude Code one command makes, given its words: a package manager (`npm install -g
 * @anthropic-ai/claude-code`, `pnpm add -g`, `yarn global add`, `bun add -g`) or a package runner (`npx -y
 * @anthropic-ai/claude-code`, `bunx`, `pnpm dlx`, `npm exec`), through wrappers (`sudo`, `env`, `docker run
 * IMAGE …`).
 */
function claudeInstallsInWords(words) {
    let i = 0;
    while (i < words.length) {
        const word = words[i];
        if (word.dynamic)
            return [];
        const name = (0,_claude_invocation_js__WEBPACK_IMPORTED_MODULE_0__/* .basename */ .P8)(word.value).toLowerCase();
        const found = packageInstall(words, i, name) ?? runnerInstall(words, i, name);
        if (found)
            return found;
        const next = (0,_claude_invocation_js__WEBPACK_IMPORTED_MODULE_0__/* .unwrap */ .oA)(name, words, i, []);
        if (next === undefined || next <= i)
            return [];
        i = next;
    }
    return [];
}
/** Claude Code's install script, wherever it is fetched from: `https://claude.ai/install.sh` (and `.ps1`, `.cmd`). */
const INSTALL_SCRIPT = /(?:https?:\/\/)?(?:www\.)?claude\.ai\/install\.(?:sh|ps1|cmd)(?![\w.-])/i;
const FETCHERS = new Set(['curl', 'wget', 'irm', 'iwr', 'invoke-restmethod', 'invoke-webrequest']);
/** What runs a script handed to it: shells, PowerShell's `iex`, and `eval`/`source`. */
const INTERPRETERS = new Set([
    'bash',
    'sh',
    'zsh',
    'dash',
    'ksh',
    'iex',
    'invoke-expression',
    'eval',
    'source',
    '.',
]);
/** The index of the program a command runs, through wrappers, when it is one of `names`; else -1. */
function programAmong(words, names) {
    let i = 0;
    while (i < words.length) {
        const name = (0,_claude_invocation_js__WEBPACK_IMPORTED_MODULE_0__/* .basename */ .P8)(words[i].value).toLowerCase();
        if (names.has(name))
            return i;
        const next = (0,_claude_invocation_js__WEBPACK_IMPORTED_MODULE_0__/* .unwrap */ .oA)(name, words, i, []);
        if (next === undefined || next <= i)
            return -1;
        i = next;
    }
    return -1;
}
/** The install script's URL in the words of a download (`curl -fsSL https://claude.ai/install.sh`). */
function installScriptDownload(words) {
    const at = programAmong(words, FETCHERS);
    if (at < 0)
        return undefined;
    for (const word of words.slice(at + 1)) {
        const m = INSTALL_SCRIPT.exec(word.value);
        if (m) {
            return {
                fetcher: (0,_claude_invocation_js__WEBPACK_IMPORTED_MODULE_0__/* .basename */ .P8)(words[at].value).toLowerCase(),
                url: word.sub(m.index, m.index + m[0].length),
            };
        }
    }
    return undefined;
}
/**
 * The install script run by the command `words`, which receives the download: on its standard input when
 * `holder` is absent (`curl … | bash -s 1.0.58`: what follows `-s` is the script's argument), or in the word
 * at `holder` (`bash <(curl …) 1.0.58`, `sh -c "$(curl …)" sh 1.0.58`, `eval "$(curl …)"`). Undefined when
 * the command does not run what it receives (`curl … | tee install.sh`).
 */
function installScriptRun(download, words, holder) {
    const at = programAmong(words, INTERPRETERS);
    if (at < 0 || (holder !== undefined && holder <= at))
        return undefined;
    const program = (0,_claude_invocation_js__WEBPACK_IMPORTED_MODULE_0__/* .basename */ .P8)(words[at].value).toLowerCase();
    let version;
    if (program === 'eval' || program === 'iex' || program === 'invoke-expression')
        version = undefined;
    else if (holder === undefined) {
        const s = words.findIndex((w, k) => k > at && /^-[a-zA-Z]*s[a-zA-Z]*$/.test(w.value));
        if (s > 0)
            version = words[words[s + 1]?.value === '--' ? s + 2 : s + 1];
    }
    else if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(words[holder - 1]?.value ?? '')) {
        // `sh -c SCRIPT NAME ARG…`: the word after the script is its $0.
        version = words[holder + 2];
    }
    else
        version = words[words[holder + 1]?.value === '--' ? holder + 2 : holder + 1];
    const install = {
        path: download.url.path,
        how: 'install-script',
        via: `${download.fetcher} | ${program}`,
        span: download.url,
    };
    if (version && !version.value.startsWith('-'))
        install.version = { value: version.value, span: version.span };
    return install;
}
const MAX_FEATURE_ID = 512;
/** Anthropic's own feature: it has no version option, and installs the newest release. */
const ANTHROPIC_FEATURE = /^ghcr\.io\/anthropics\/devcontainer-features\/claude-code(?:[:@]|$)/;
/**
 * A dev container feature that installs Claude Code — its id's last part is `claude-code`
 * (`ghcr.io/anthropics/devcontainer-features/claude-code:1`) — with the `version` option given to it. A local
 * feature (`./features/claude-code`) is the repository's own script, read where it is written.
 */
function claudeFeature(id, version) {
    const ref = id.value.trim();
    // No feature id is this long; a longer one is not quoted in a message.
    if (ref.length > MAX_FEATURE_ID || /^(\.{1,2}\/|\/)/.test(ref))
        return undefined;
    const name = ref
        .replace(/@sha256:[0-9a-f]+$/i, '')
        .replace(/:[^/:]*$/, '')
        .split('/')
        .pop();
    if (name !== 'claude-code')
        return undefined;
    const install = { path: id.span.path, how: 'devcontainer-feature', via: ref, span: id.span };
    if (version)
        install.version = version;
    return install;
}
/** The action a step uses, as an install of Claude Code pinned by its ref (the part after `@`). */
function actionInstall(action) {
    const { uses } = action;
    const at = uses.value.lastIndexOf('@') + 1;
    const span = (0,_mcp_pinning_js__WEBPACK_IMPORTED_MODULE_1__/* .within */ .ux)(uses.span, uses.value, at, uses.value.length - at);
    return {
        path: uses.span.path,
        how: 'action',
        via: uses.value.slice(0, at - 1),
        span,
        version: { value: action.ref, span },
    };
}
/**
 * Every place Claude Code is installed or fetched: the installs the readers recorded, and each step using
 * claude-code-action or claude-code-base-action, by file and position.
 */
function claudeInstalls(model) {
    const actions = model.runs.flatMap((run) => (run.action ? [actionInstall(run.action)] : []));
    return [...model.installs, ...actions].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
        a.span.line - b.span.line ||
        a.span.column - b.span.column);
}
/** A version written with something only known when it runs: `$VERSION`, `${{ inputs.v }}`, `%V%`. */
const DYNAMIC = /\$|\{\{|%[A-Za-z_]\w*%/;
/** Text from the scanned file as a message quotes it: long text cut short. */
function clip(text) {
    return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
function installPinning(install) {
    const version = install.version?.value.trim();
    if (version !== undefined && DYNAMIC.test(version))
        return { pin: 'unknown', why: 'set when it runs' };
    switch (install.how) {
        case 'action': {
            const ref = version ?? '';
            if (/^[0-9a-f]{40}$/i.test(ref))
                return { pin: 'commit', why: 'a full commit SHA' };
            if (/^v?\d+(\.\d+){0,2}$/.test(ref))
                return { pin: 'tag', why: 'a tag, which can be moved to other code' };
            return {
                pin: 'unpinned',
                why: 'a branch or a moving name: each run takes whatever was pushed to it last',
            };
        }
        case 'package-install':
        case 'package-runner': {
            if (version === undefined || version === '')
                return { pin: 'unpinned', why: 'no version is given: it gets whatever release npm serves then' };
            if ((0,_mcp_pinning_js__WEBPACK_IMPORTED_MODULE_1__/* .npmPin */ .Ln)(`${PACKAGE}@${version}`) === 'version')
                return { pin: 'exact', why: 'one release' };
            return /^[A-Za-z][\w.-]*$/.test(version)
                ? { pin: 'unpinned', why: `@${clip(version)} is a tag that moves with each release` }
                : { pin: 'unpinned', why: `@${clip(version)} is a range, not one release` };
        }
        case 'install-script':
            if (version === undefined)
                return { pin: 'unpinned', why: 'no version argument: the script installs the newest release' };
            return (0,_mcp_pinning_js__WEBPACK_IMPORTED_MODULE_1__/* .isExactVersion */ .Yb)(version)
                ? { pin: 'exact', why: 'one release' }
                : { pin: 'unpinned', why: `"${clip(version)}" is a channel, not one release` };
        case 'devcontainer-feature':
            if (ANTHROPIC_FEATURE.test(install.via))
                return {
                    pin: 'unpinned',
                    why: 'the feature has no version option: it installs the newest release whenever the container is built',
                };
            if (version === undefined)
                return { pin: 'unpinned', why: 'no version option: it installs the newest release' };
            return (0,_mcp_pinning_js__WEBPACK_IMPORTED_MODULE_1__/* .isExactVersion */ .Yb)(version)
                ? { pin: 'exact', why: 'one release' }
                : { pin: 'unpinned', why: `version "${clip(version)}" is not one release` };
    }
}


/***/ }),

/***/ 9634:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hf: () => (/* binding */ claudeInWords),
/* harmony export */   P8: () => (/* binding */ basename),
/* harmony export */   ng: () => (/* binding */ runOf),
/* harmony export */   oA: () => (/* binding */ unwrap)
/* harmony export */ });
/* harmony import */ var _env_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7386);
/* harmony import */ var _claude_command_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3471);


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
    'kubectl exec': 'container',
    'devcontainer exec': 'devcontainer',
}));
/**
 * The run a Claude command found in a script makes, in its file's context: a command started through
 * `docker run` or `devcontainer exec` runs inside that container, whatever the file's own context.
 */
function runOf(path, call, context) {
    const wrapper = call.wrappers.find((w) => CONTAINER_WRAPPERS.has(w.value));
    let inside = context;
    if (wrapper) {
        // The file's user, folder and sudo rules are the host's, not the container's.
        const { user: _user, workingDirectory: _dir, sudoGrants: _sudo, ...host } = context;
        inside = {
            ...host,
            isolation: { value: CONTAINER_WRAPPERS.get(wrapper.value), span: wrapper.span },
        };
    }
    else if (call.workingDirectory)
        inside = { ...inside, workingDirectory: call.workingDirectory };
    if (call.runAs)
        inside = {
            ...inside,
            user: { ...call.runAs, from: call.runAsBy === 'container-option' ? 'setting' : 'sudo' },
        };
    return {
        kind: 'cli',
        path,
        span: call.program.span,
        context: inside,
        command: call.command,
        program: call.program,
        wrappers: call.wrappers,
        env: call.env.map(({ name, value, scope, nameSpan }) => nameSpan
            ? { name, value, origin: (0,_env_js__WEBPACK_IMPORTED_MODULE_0__/* .envOrigin */ .Ye)(value), scope, nameSpan }
            : { name, value, origin: (0,_env_js__WEBPACK_IMPORTED_MODULE_0__/* .envOrigin */ .Ye)(value), scope }),
    };
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
const CLAUDE_PACKAGE = /^@anthropic-ai\/claude-code(@[^/\s]*)?$/;
/** Options of wrappers that take a value; every other option is a lone switch. */
const WRAPPERS = new Map(Object.entries({
    sudo: { valued: ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '--user', '--group'] },
    doas: { valued: ['-u', '-C'] },
    // Privilege droppers of container entry points: `gosu node claude`, `su-exec node claude`,
    // `runuser -u node -- claude`, `s6-setuidgid node claude`.
    gosu: { valued: [], operands: 1 },
    'su-exec': { valued: [], operands: 1 },
    's6-setuidgid': { valued: [], operands: 1 },
    runuser: {
        valued: ['-u', '--user', '-g', '--group', '-G', '--supp-group', '-w', '--whitelist-environment'],
    },
    // `ssh [options] host cmd…`: the command runs on that host (one word is a script for its shell).
    ssh: {
        valued: [
            '-p',
            '-i',
            '-l',
            '-o',
            '-F',
            '-J',
            '-L',
            '-R',
            '-D',
            '-b',
            '-c',
            '-E',
            '-e',
            '-m',
            '-O',
            '-Q',
            '-S',
            '-W',
            '-w',
            '-B',
        ],
        operands: 1,
    },
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
    // `-i`, `-l` and `-e` take their value only when it is attached (`-i{}`, `-l1`): alone they are switches.
    xargs: {
        valued: [
            '-I',
            '-n',
            '-P',
            '-L',
            '-d',
            '-E',
            '-s',
            '-a',
            '--max-args',
            '--max-procs',
            '--max-chars',
            '--arg-file',
            '--delimiter',
            '--process-slot-var',
        ],
    },
    npx: { valued: ['-p', '--package', '-c', '--call', '--cache', '--registry'] },
    bunx: { valued: ['-p', '--package'] },
}));
/** The name a command word runs: its last path part. */
function basename(word) {
    const slash = word.lastIndexOf('/');
    return slash >= 0 ? word.slice(slash + 1) : word;
}
/**
 * The Claude command in a command's words, through any wrappers (`sudo`, `env`, `timeout`, `npx`…), or
 * undefined when the command does not start Claude. `env` collects `NAME=value` prefixes met on the way.
 */
function claudeInWords(words, env = []) {
    const wrappers = [];
    let runAs;
    let runAsBy = 'sudo';
    let freshEnv = false;
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
            const call = { program: word, args, env, wrappers, command: (0,_claude_command_js__WEBPACK_IMPORTED_MODULE_1__/* .parseClaudeArgs */ .z_)(args) };
            if (runAs) {
                call.runAs = runAs;
                call.runAsBy = runAsBy;
            }
            if (freshEnv)
                call.freshEnv = true;
            return call;
        }
        const next = unwrap(name, words, i, env);
        if (next === undefined)
            return undefined;
        const runner = ['npm', 'pnpm', 'yarn', 'docker', 'podman', 'kubectl', 'devcontainer'].includes(name);
        const sub = words[i + 1]?.value === 'container' ? (words[i + 2]?.value ?? '') : (words[i + 1]?.value ?? '');
        const wrapper = runner ? `${name} ${sub}` : name;
        wrappers.push({ value: wrapper, span: word.span });
        const options = words.slice(i + 1, next).map((w) => w.value);
        if (name === 'sudo' || name === 'doas') {
            runAs = switchedUser(words, i + 1, next, word);
            runAsBy = 'sudo';
            // sudo resets the environment unless told to keep it.
            if (name === 'doas' || !options.some((o) => /^(-[A-Za-z]*E[A-Za-z]*|--preserve-env(=.*)?)$/.test(o)))
                freshEnv = true;
        }
        else if (name === 'gosu' || name === 'su-exec' || name === 's6-setuidgid') {
            const user = words[next - 1];
            runAs = { value: user.value, span: user.span };
            runAsBy = 'sudo';
        }
        else if (name === 'runuser') {
            runAs = switchedUser(words, i + 1, next, word);
            runAsBy = 'sudo';
        }
        else if (name === 'env' &&
            options.some((o) => o === '-' || o === '--ignore-environment' || /^-[a-zA-Z]*i/.test(o))) {
            freshEnv = true;
        }
        else if (CONTAINER_WRAPPERS.has(wrapper)) {
            // Inside the container: neither the outer user nor the outer environment; its own `-u`, when given.
            runAs = containerUser(words, i + 1, next);
            runAsBy = 'container-option';
            freshEnv = true;
        }
        i = next;
    }
}
/**
 * The user `sudo`/`doas` switches to, from its options `words[from…to)`: `-u name`, `-uname`, `--user=name`,
 * `-Eu name`; root (at the wrapper's word) when none is given; undefined when `-g` alone keeps the caller.
 */
function switchedUser(words, from, to, wrapper) {
    let group = false;
    for (let j = from; j < to; j++) {
        const w = words[j];
        const next = words[j + 1];
        if (/^-[A-Za-z]*u$/.test(w.value) || w.value === '--user') {
            return next && j + 1 < to ? { value: next.value, span: next.span } : undefined;
        }
        if (w.value.startsWith('--user='))
            return { value: w.value.slice(7), span: w.sub(7, w.value.length) };
        if (/^-u./.test(w.value))
            return { value: w.value.slice(2), span: w.sub(2, w.value.length) };
        if (/^-[A-Za-z]*g$/.test(w.value) || w.value.startsWith('--group'))
            group = true;
    }
    return group ? undefined : { value: 'root', span: wrapper.span };
}
/** The user a container runner's options `words[from…to)` name: `-u root`, `--user=0`, `-u0:0`. */
function containerUser(words, from, to) {
    for (let j = from; j < to; j++) {
        const w = words[j];
        if ((w.value === '-u' || w.value === '--user') && j + 1 < to) {
            const next = words[j + 1];
            return { value: next.value, span: next.span };
        }
        if (w.value.startsWith('--user='))
            return { value: w.value.slice(7), span: w.sub(7, w.value.length) };
        if (/^-u[^-]/.test(w.value))
            return { value: w.value.slice(2), span: w.sub(2, w.value.length) };
    }
    return undefined;
}
/** When `words[i]` is a wrapper that runs the command after it, the index of that command. */
function unwrap(name, words, i, env) {
    // `npm exec`, `pnpm dlx`, `pnpm exec`, `yarn dlx` behave like npx.
    if ((name === 'npm' || name === 'pnpm' || name === 'yarn') &&
        ['exec', 'dlx', 'x'].includes(words[i + 1]?.value ?? '')) {
        return skipOptions(words, i + 2, WRAPPERS.get('npx')?.valued ?? [], env, 0);
    }
    // `kubectl exec [options] POD -- cmd…`: the command runs in the pod's container.
    if (name === 'kubectl' && words[i + 1]?.value === 'exec') {
        const dashes = words.findIndex((w, k) => k > i + 1 && w.value === '--');
        return dashes > 0 ? dashes + 1 : undefined;
    }
    // `docker run [options] IMAGE cmd…`, `docker exec [options] CONTAINER cmd…`, and podman's, and
    // `devcontainer exec [options] cmd…`: the command runs inside the container.
    const sub = words[i + 1]?.value === 'container' ? 2 : 1;
    if ((name === 'docker' || name === 'podman') && ['run', 'exec'].includes(words[i + sub]?.value ?? '')) {
        return skipOptions(words, i + sub + 1, CONTAINER_VALUED, env, 1, false, CONTAINER_ENV);
    }
    if (name === 'devcontainer' && words[i + 1]?.value === 'exec') {
        return skipOptions(words, i + 2, DEVCONTAINER_VALUED, env, 0, false, ['--remote-env']);
    }
    const spec = WRAPPERS.get(name);
    if (!spec)
        return undefined;
    if (name === 'command' && ['-v', '-V'].includes(words[i + 1]?.value ?? ''))
        return undefined;
    return skipOptions(words, i + 1, spec.valued, env, spec.operands ?? 0, ['env', 'sudo', 'cross-env', 'cross-env-shell'].includes(name));
}
/** Options of `docker run` / `docker exec` that set a variable inside the container. */
const CONTAINER_ENV = ['-e', '--env'];
/** `arg` from character `offset` on, as a word of its own. */
function tail(arg, offset) {
    return {
        ...arg,
        value: arg.value.slice(offset),
        span: arg.sub(offset, arg.value.length),
        sub: (a, b) => arg.sub(offset + a, offset + b),
    };
}
/** `NAME=value` in `arg` from `offset` on, as an assignment; undefined when it is not one. */
function assignmentIn(arg, offset) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(arg.value.slice(offset));
    if (!m)
        return undefined;
    const name = m[1];
    return { name, value: tail(arg, offset + name.length + 1) };
}
function skipOptions(words, from, valued, env, operands, takesAssignments = false, envOptions = []) {
    let j = from;
    while (j < words.length) {
        const w = words[j].value;
        if (w === '--') {
            j++;
            break;
        }
        // `-e NAME=value`, `--env NAME=value`, `--env=NAME=value`: set inside the container, for Claude.
        const option = envOptions.find((o) => w === o || w.startsWith(`${o}=`));
        if (option) {
            const inline = w.length > option.length;
            const word = inline ? words[j] : words[j + 1];
            const set = word && assignmentIn(word, inline ? option.length + 1 : 0);
            if (set)
                env.push({ ...set, scope: 'container-option' });
            j += inline ? 1 : 2;
            continue;
        }
        if (w.startsWith('-') && w.length > 1) {
            // `-u ci`, and clusters such as `-Eu ci` whose last letter takes the value.
            const cluster = !w.startsWith('--') && w.length > 2 && valued.includes(`-${w.at(-1)}`);
            j += valued.includes(w) || cluster ? 2 : 1;
            continue;
        }
        const set = takesAssignments ? assignmentIn(words[j], 0) : undefined;
        if (set) {
            env.push({ ...set, scope: 'command-line' });
            j++;
            continue;
        }
        break;
    }
    return j + operands;
}


/***/ }),

/***/ 8231:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bf: () => (/* binding */ compileEndpoint),
/* harmony export */   U9: () => (/* binding */ isLoopback),
/* harmony export */   X5: () => (/* binding */ endpointOf),
/* harmony export */   _A: () => (/* binding */ isProxyVar),
/* harmony export */   dO: () => (/* binding */ BASE_URL_VARS),
/* harmony export */   kz: () => (/* binding */ DEFAULT_ALLOWED_ENDPOINTS),
/* harmony export */   w5: () => (/* binding */ endpointAllowed),
/* harmony export */   xY: () => (/* binding */ isNearbyCollector),
/* harmony export */   zA: () => (/* binding */ isOtelEndpointVar)
/* harmony export */ });
/* unused harmony export endpointAt */
const URL_AT = /([A-Za-z][A-Za-z0-9+.-]{0,15}):\/\/(?:([^@/?#\s]{0,256})@)?(\[[0-9A-Fa-f:.]{0,64}\]|[^:/?#\s@]{0,253})(?::(\d{0,5}))?([^\s?#]{0,2048})/y;
/**
 * The URL that starts at `from` in `text`, or undefined when there is none or when its scheme or host
 * hold a variable (`${BASE:-https://…}`, `https://$HOST/`): a host that is not written cannot be judged.
 */
function endpointAt(text, from = 0) {
    URL_AT.lastIndex = from;
    const m = URL_AT.exec(text);
    if (!m)
        return undefined;
    const [whole, scheme, user, host, port, path] = m;
    if (host.length === 0 || /[$%{}]/.test(host) || /[$%{}]/.test(scheme))
        return undefined;
    const hostStart = from + scheme.length + 3 + (user === undefined ? 0 : user.length + 1);
    const endpoint = {
        scheme: scheme.toLowerCase(),
        host: host.toLowerCase().replace(/\.$/, ''),
        path: path ?? '',
        hostStart,
        hostEnd: hostStart + host.length,
        start: from,
        end: from + whole.length,
    };
    if (port)
        endpoint.port = port;
    return endpoint;
}
/** A value that is a URL from its first character (after blanks). */
function endpointOf(value) {
    const lead = /^\s*/.exec(value)?.[0].length ?? 0;
    return endpointAt(value, lead);
}
/**
 * The host is this machine: `localhost` and `*.localhost`, 127.0.0.0/8, `::1`, `0.0.0.0`, and
 * `host.docker.internal` (the machine that runs the container). Traffic to it never crosses a network.
 */
function isLoopback(host) {
    const h = host.replace(/^\[|\]$/g, '');
    return (h === 'localhost' ||
        h.endsWith('.localhost') ||
        /^127(\.\d{1,3}){3}$/.test(h) ||
        h === '::1' ||
        h === '0:0:0:0:0:0:0:1' ||
        h === '0.0.0.0' ||
        h === 'host.docker.internal');
}
/**
 * Where a telemetry collector stays near: this machine, or a host named by one label (`otel-collector`, a
 * Compose service or a Kubernetes service in the same namespace), reached on the local container network.
 */
function isNearbyCollector(host) {
    return isLoopback(host) || /^[a-z0-9](?:[a-z0-9_-]{0,62})$/.test(host);
}
/**
 * Compiles a policy entry: a URL, or a bare host. `*` in the host stands for any run of characters within one
 * label (`bedrock-runtime.*.amazonaws.com`, `*-aiplatform.googleapis.com`). A path, when given, is a prefix.
 */
function compileEndpoint(source) {
    const text = source.trim();
    if (text.length === 0 || text.length > 512)
        return { error: 'an endpoint must be a URL or a host name' };
    const withScheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text) ? text : `any://${text}`;
    const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9*_.-]+)(?::(\d{1,5}))?(\/[^\s?#]*)?$/.exec(withScheme);
    if (!m)
        return { error: `"${text}" is not a URL or a host name (https://host[:port][/path])` };
    const [, scheme, host, port, path] = m;
    if (/\*\*/.test(host))
        return { error: `"${text}": * stands for part of one label; ** is not understood` };
    const label = host
        .toLowerCase()
        .split('.')
        .map((part) => part
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\-]/g, '\\$&'))
        .join('[a-z0-9-]+'))
        .join('\\.');
    const pattern = { source: text, host: new RegExp(`^${label}$`), path: path ?? '' };
    if (scheme.toLowerCase() !== 'any')
        pattern.scheme = scheme.toLowerCase();
    if (port)
        pattern.port = port;
    return pattern;
}
const DEFAULT_PORTS = new Map([
    ['http', '80'],
    ['https', '443'],
]);
/** Whether an endpoint is one the pattern allows. */
function endpointAllowed(endpoint, pattern) {
    if (pattern.scheme && pattern.scheme !== endpoint.scheme)
        return false;
    if (!pattern.host.test(endpoint.host))
        return false;
    if (pattern.port) {
        const port = endpoint.port ?? DEFAULT_PORTS.get(endpoint.scheme);
        if (port !== pattern.port)
            return false;
    }
    if (pattern.path && pattern.path !== '/') {
        const base = pattern.path.replace(/\/$/, '');
        if (endpoint.path !== base && !endpoint.path.startsWith(`${base}/`))
            return false;
    }
    return true;
}
/**
 * Where Claude Code may send its traffic by default: Anthropic's API and the cloud providers' own hosts for
 * Claude (Amazon Bedrock, Google Vertex AI, Microsoft Foundry).
 */
const DEFAULT_ALLOWED_ENDPOINTS = [
    'https://api.anthropic.com',
    'https://bedrock-runtime.*.amazonaws.com',
    'https://bedrock-runtime-fips.*.amazonaws.com',
    'https://aiplatform.googleapis.com',
    'https://*-aiplatform.googleapis.com',
    'https://*.services.ai.azure.com',
];
/** Variables that send Claude's model traffic elsewhere: the API base URLs. */
const BASE_URL_VARS = [
    'ANTHROPIC_BASE_URL',
    'ANTHROPIC_BEDROCK_BASE_URL',
    'ANTHROPIC_VERTEX_BASE_URL',
    'ANTHROPIC_FOUNDRY_BASE_URL',
];
/** OpenTelemetry exporter endpoints: where Claude's telemetry (prompts too, when logged) is sent. */
function isOtelEndpointVar(name) {
    return /^OTEL_EXPORTER_OTLP(_(TRACES|METRICS|LOGS))?_ENDPOINT$/.test(name);
}
/** Proxy variables: traffic goes through them; `http://` is their normal form (CONNECT carries TLS). */
function isProxyVar(name) {
    return /^(HTTPS?|ALL)_PROXY$/i.test(name);
}


/***/ }),

/***/ 7386:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hp: () => (/* binding */ envSettings),
/* harmony export */   Ye: () => (/* binding */ envOrigin),
/* harmony export */   ZX: () => (/* binding */ locatedArg),
/* harmony export */   _q: () => (/* binding */ standInReason),
/* harmony export */   hN: () => (/* binding */ isCredentialName),
/* harmony export */   p0: () => (/* binding */ jsonOrigin)
/* harmony export */ });
/**
 * A located string as an `Arg`. Its parts are located exactly when the string is written as it reads (one
 * line, no escapes); otherwise a part is the whole string's span.
 */
function locatedArg(located, origin) {
    const { value, span } = located;
    const verbatim = span.line === span.endLine && span.endColumn - span.column === value.length;
    return {
        value,
        span,
        dynamic: origin !== undefined && origin !== 'literal',
        sub: (from, to) => verbatim && to > from ? { ...span, column: span.column + from, endColumn: span.column + to } : span,
    };
}
/** Where a value written in a JSON file comes from: Claude and MCP configs expand `${VAR}` and `$VAR`. */
function jsonOrigin(value) {
    return /\$\{?[A-Za-z_]/.test(value) ? 'variable' : 'literal';
}
const SCOPE_WORDS = new Map([
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
function envSettings(model) {
    const out = [];
    const seen = new Set();
    const add = (setting) => {
        const s = setting.value.span;
        const key = `${s.path}\0${s.line}\0${s.column}\0${setting.name}`;
        if (seen.has(key))
            return;
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
                where: run.context.surface === 'gitlab-ci' && (e.scope === 'job' || e.scope === 'workflow')
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
function isCredentialName(name) {
    const upper = name.toUpperCase();
    if (/_(FILE|PATH|ID|URL|URI|HELPER|TTL_MS|TTL|NAME|TYPE|HEADER|ENDPOINT|EXPIRY|EXPIRES_AT|LENGTH)$/.test(upper))
        return false;
    return /(^|_)(API_?KEY|APIKEY|TOKEN|ACCESS_?TOKEN|SECRET|SECRET_?KEY|SECRET_ACCESS_KEY|CLIENT_SECRET|PASSWORD|PASSWD|PASS|PWD|PASSPHRASE|PAT|PRIVATE_KEY|(ACCESS|AUTH|SIGNING|MASTER|ENCRYPTION|LICENSE)_KEY|CREDENTIALS?|AUTH)($|_)/.test(upper);
}
/** Words that say a value is a stand-in, not a credential. */
const STAND_IN = /^(<[^>]*>|\[[^\]]*\]|\{[^}]*\}|\*+|x+|\.+|-+|#+|0+|true|false|null|none|nil|undefined|empty|changeme|change-me|secret|password|token|api[-_]?key|test|testing|dummy|fake|mock|example|sample|placeholder|redacted|todo|tbd|foo|bar|baz)$/i;
/** The same words standing apart (between separators, not letters or digits): `your-token-here`, `my_key`. */
const STAND_IN_WORDS = /(^|[^a-z0-9])(your|my|here|placeholder|redacted|replace|insert|changeme|dummy|example|fake|mock|sample|xxxx|todo)([^a-z0-9]|$)/i;
/**
 * Why a literal given as a credential is not one: empty, too short to be a real key, or written as a
 * stand-in (`<token>`, `xxxx`, `your-key-here`, `dummy`); undefined when it may be real.
 */
function standInReason(value) {
    const v = value.trim();
    if (v.length === 0)
        return 'empty';
    if (STAND_IN.test(v))
        return 'a placeholder';
    if (STAND_IN_WORDS.test(v))
        return 'a placeholder';
    if (/^(.)\1+$/.test(v))
        return 'one repeated character';
    if (v.length < 8)
        return 'too short to be a credential';
    return undefined;
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


/***/ }),

/***/ 3939:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F: () => (/* binding */ keyedByText)
/* harmony export */ });
/**
 * A table keyed by text from a scanned file (env names, action inputs, headers). It has no prototype, so a
 * key such as `__proto__`, `constructor` or `toString` is only a key: it can neither find an inherited
 * function nor replace the object's prototype. Fixed tables of our own are `Map`s, for the same reason.
 * ESLint refuses a `Record<string, …>` written as an object literal (eslint.config.js).
 */
function keyedByText() {
    return Object.create(null);
}


/***/ }),

/***/ 2733:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A5: () => (/* binding */ locatedMcpPinning),
/* harmony export */   GA: () => (/* binding */ runnerPinning),
/* harmony export */   Ln: () => (/* binding */ npmPin),
/* harmony export */   Yb: () => (/* binding */ isExactVersion),
/* harmony export */   gv: () => (/* binding */ mcpPinning),
/* harmony export */   ux: () => (/* binding */ within)
/* harmony export */ });
/** An exact semantic version, with an optional leading `v`, pre-release and build. */
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
/** `1.2.3`, `v1.2.3`, `1.2.3-beta.1`: one release, not a range or a tag. */
function isExactVersion(text) {
    return EXACT_VERSION.test(text);
}
const COMMIT = /^[0-9a-f]{40}$/i;
const DIGEST = /@sha256:[0-9a-f]{64}$/i;
/**
 * Options of each runner that take the next word as their value; any other option is taken to stand alone.
 * For npx and bunx, `-p`/`--package` names the package itself.
 */
const VALUE_OPTIONS = new Map([
    [
        'npx',
        new Set([
            '-p',
            '--package',
            '-c',
            '--call',
            '--registry',
            '--cache',
            '--userconfig',
            '-w',
            '--workspace',
        ]),
    ],
    ['bunx', new Set(['-p', '--package', '--cwd', '--registry'])],
    [
        'uvx',
        new Set([
            '--from',
            '--with',
            '--with-editable',
            '--with-requirements',
            '-w',
            '--python',
            '-p',
            '--index',
            '--default-index',
            '--index-url',
            '-i',
            '--extra-index-url',
            '--find-links',
            '-f',
            '--constraints',
            '-c',
            '--overrides',
            '--directory',
            '--project',
            '--config-file',
            '--cache-dir',
            '--python-preference',
            '--color',
            '--exclude-newer',
            '--env-file',
            '--index-strategy',
            '--keyring-provider',
            '--resolution',
            '--prerelease',
            '--link-mode',
            '--refresh-package',
            '--reinstall-package',
            '--upgrade-package',
            '-P',
        ]),
    ],
]);
/** `docker run` options that stand alone; every other option takes a value (`-e X`, `--network host`). */
const DOCKER_FLAGS = new Set([
    '--rm',
    '--init',
    '--privileged',
    '--read-only',
    '--interactive',
    '--tty',
    '--detach',
    '--publish-all',
    '--no-healthcheck',
    '--oom-kill-disable',
    '--quiet',
    '--disable-content-trust',
    '--help',
]);
/** Bundled one-letter `docker run` options that stand alone: `-i`, `-t`, `-it`, `-d`, `-P`, `-q`. */
const DOCKER_SHORT_FLAGS = /^-[itdPq]+$/;
/** The program's name without folders or a Windows extension: `/usr/local/bin/npx.cmd` → `npx`. */
function programName(command) {
    return (command.split(/[\\/]/).pop() ?? '').replace(/\.(cmd|exe|bat)$/i, '').toLowerCase();
}
// pipx reads the same requirement forms as uv (`pkg==1.2.3`, `--spec pkg==1.2.3`).
VALUE_OPTIONS.set('pipx', new Set(['--spec', '--python', '--index-url', '-i', '--pip-args', '--backend']));
/** The first word that is not an option, skipping options and the values they take. */
function firstOperand(words, takesValue) {
    for (let i = 0; i < words.length; i++) {
        const word = words[i];
        if (word === '--')
            return i + 1 < words.length ? i + 1 : -1;
        if (!word.startsWith('-') || word === '-')
            return i;
        if (!word.includes('=') && takesValue(word))
            i++;
    }
    return -1;
}
/** Where the value of an option is, given as `--from x` or `--from=x`. */
function optionValue(words, names, end) {
    for (let i = 0; i < end; i++) {
        const word = words[i];
        for (const name of names) {
            if (word === name)
                return i + 1 < words.length ? { index: i + 1, from: 0 } : undefined;
            if (word.startsWith(`${name}=`))
                return { index: i, from: name.length + 1 };
        }
    }
    return undefined;
}
const isDynamic = (text) => /\$/.test(text);
const isLocal = (text) => /^(\.{0,2}\/|~\/|[A-Za-z]:[\\/]|file:)/.test(text);
/** An npm package spec: `pkg@1.2.3` is exact; `pkg`, `pkg@latest`, `pkg@^1` are not. */
function npmPin(spec) {
    if (isDynamic(spec) || isLocal(spec))
        return 'unknown';
    const hash = spec.lastIndexOf('#');
    if (/^(git\+|github:|https?:)/.test(spec) || (hash > 0 && !spec.startsWith('@'))) {
        return hash > 0 && COMMIT.test(spec.slice(hash + 1)) ? 'commit' : 'unpinned';
    }
    const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
    if (at < 0)
        return 'unpinned';
    return EXACT_VERSION.test(spec.slice(at + 1).replace(/^=/, '')) ? 'version' : 'unpinned';
}
/** A Python requirement as uv reads it: `pkg==1.2.3` or `pkg@1.2.3` is exact. */
function uvPin(spec) {
    if (isDynamic(spec) || isLocal(spec))
        return 'unknown';
    if (/^git\+/.test(spec)) {
        const at = spec.lastIndexOf('@');
        return at > 0 && COMMIT.test(spec.slice(at + 1)) ? 'commit' : 'unpinned';
    }
    const exact = /^[A-Za-z0-9._-]+(?:\[[A-Za-z0-9._,\s-]*\])?\s*(?:===?|@)\s*([^\s,;]+)$/.exec(spec);
    return exact && /^v?\d+(\.\d+)*([a-z0-9.+-]*)$/i.test(exact[1]) ? 'version' : 'unpinned';
}
/** An image reference: a digest pins it; an exact version tag is a version; anything else is not pinned. */
function imagePin(image) {
    if (isDynamic(image))
        return 'unknown';
    if (DIGEST.test(image))
        return 'digest';
    const name = image.slice(image.lastIndexOf('/') + 1);
    const colon = name.indexOf(':');
    return colon >= 0 && EXACT_VERSION.test(name.slice(colon + 1)) ? 'version' : 'unpinned';
}
function pinningOf(runner, words) {
    return locatedPinningOf(runner, words)?.pinning;
}
/** The pinning of what a runner starts, with where its package or image is among `words`. */
function locatedPinningOf(runner, words) {
    if (runner === 'docker' || runner === 'pipx') {
        // `docker run …`, `pipx run …`: the subcommand comes first.
        if (words[0] !== 'run')
            return undefined;
        const rest = words.slice(1);
        const at = runner === 'docker'
            ? firstOperand(rest, (o) => !DOCKER_FLAGS.has(o) && !DOCKER_SHORT_FLAGS.test(o))
            : firstOperand(rest, (o) => VALUE_OPTIONS.get('pipx')?.has(o) ?? false);
        const named = runner === 'pipx' ? optionValue(rest, ['--spec'], at >= 0 ? at : rest.length) : undefined;
        const found = named ?? (at >= 0 ? { index: at, from: 0 } : undefined);
        if (!found)
            return { pinning: { runner, pin: 'unknown' } };
        const target = rest[found.index].slice(found.from);
        const pin = runner === 'docker' ? imagePin(target) : uvPin(target);
        return { pinning: { runner, target, pin }, at: { index: found.index + 1, from: found.from } };
    }
    const options = VALUE_OPTIONS.get(runner) ?? new Set();
    const at = firstOperand(words, (o) => options.has(o));
    const end = at >= 0 ? at : words.length;
    const named = runner === 'uvx' ? optionValue(words, ['--from'], end) : optionValue(words, ['-p', '--package'], end);
    const found = named ?? (at >= 0 ? { index: at, from: 0 } : undefined);
    if (!found)
        return { pinning: { runner, pin: 'unknown' } };
    const target = words[found.index].slice(found.from);
    return { pinning: { runner, target, pin: runner === 'uvx' ? uvPin(target) : npmPin(target) }, at: found };
}
const RUNNERS = new Map([
    ['npx', 'npx'],
    ['bunx', 'bunx'],
    ['uvx', 'uvx'],
    ['pipx', 'pipx'],
    ['docker', 'docker'],
    ['podman', 'docker'],
]);
/**
 * How a stdio server's package or image is pinned; undefined for a server that is not stdio or is not
 * started through npx, bunx, uvx, `pipx run` or `docker run` (`podman run` counts as docker). A `command`
 * that holds the whole command line (`"npx -y pkg"`) is split on blanks.
 */
function mcpPinning(server) {
    const transport = server.transport?.value ?? 'stdio';
    if (transport !== 'stdio' || !server.command)
        return undefined;
    const [program = '', ...inline] = server.command.value.trim().split(/\s+/);
    return runnerPinning(program, [...inline, ...server.args.map((a) => a.value)]);
}
/**
 * How the package or image a runner's command line starts is pinned, given the program (`npx`, `uvx`,
 * `/usr/bin/docker`…) and the words after it; undefined when the program is not one of the runners.
 */
function runnerPinning(program, words) {
    const runner = RUNNERS.get(programName(program));
    return runner ? pinningOf(runner, words) : undefined;
}
/** `mcpPinning`, with where the package or image is written (absent when none is named). */
function locatedMcpPinning(server) {
    const transport = server.transport?.value ?? 'stdio';
    const command = server.command;
    if (transport !== 'stdio' || !command)
        return undefined;
    // The command's own words (`"npx -y pkg"`), with where each starts in it.
    const inline = [...command.value.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: m.index ?? 0 }));
    const [program, ...rest] = inline;
    const runner = RUNNERS.get(programName(program?.text ?? ''));
    if (!runner)
        return undefined;
    const found = locatedPinningOf(runner, [...rest.map((w) => w.text), ...server.args.map((a) => a.value)]);
    if (!found)
        return undefined;
    const target = found.pinning.target;
    if (!found.at || target === undefined)
        return { pinning: found.pinning };
    const { index, from } = found.at;
    const word = rest[index];
    const arg = server.args[index - rest.length];
    const span = word
        ? within(command.span, command.value, word.start + from, target.length)
        : arg && within(arg.span, arg.value, from, target.length);
    return span ? { pinning: found.pinning, span } : { pinning: found.pinning };
}
/**
 * The span of `value.slice(from, from + length)` in a value located at `span`, when the value is written as
 * it reads (on one line, as long as its text: no escapes); else the whole value's span.
 */
function within(span, value, from, length) {
    if (span.line !== span.endLine || span.endColumn - span.column !== value.length)
        return span;
    return { ...span, column: span.column + from, endColumn: span.column + from + length };
}


/***/ }),

/***/ 5891:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   eJ: () => (/* binding */ powersOf),
/* harmony export */   wv: () => (/* binding */ riskRank)
/* harmony export */ });
/* unused harmony exports comparePowers, diffPowers */
const RISK_ORDER = ['read', 'write', 'execute', 'admin'];
/** Higher for riskier; -1 where no risk class applies. */
function riskRank(risk) {
    return risk ? RISK_ORDER.indexOf(risk) : -1;
}
/** Permission modes: the risk of what each lets Claude do without asking, and whether it widens or narrows. */
const MODES = new Map([
    ['bypassPermissions', { risk: 'admin', direction: 'widens' }],
    ['auto', { risk: 'execute', direction: 'widens' }],
    ['acceptEdits', { risk: 'write', direction: 'widens' }],
    ['plan', { risk: 'read', direction: 'narrows' }],
    ['dontAsk', { direction: 'narrows' }],
    ['default', { direction: 'neutral' }],
    ['manual', { direction: 'neutral' }],
]);
const code = (text) => ({ text, code: true });
const words = (text) => ({ text });
function plain(parts) {
    return parts.map((p) => (p.code ? `\`${p.text}\`` : p.text)).join('');
}
/** A rule as its meaning: today's tool name and the specifier, so `View(x)` and `Read(x)` are one rule. */
function ruleIdentity(rule) {
    return rule.specifier === undefined ? rule.canonical : `${rule.canonical}(${rule.specifier.trim()})`;
}
function whereOfRun(run) {
    return run.context.job ? { path: run.path, job: run.context.job.id } : { path: run.path };
}
function viaParts(via) {
    if (via.length === 0)
        return [];
    return [words(' ('), ...via.flatMap((v, i) => (i === 0 ? v : [words(', '), ...v])), words(')')];
}
/** Collects powers, keeping the first of each key in model order (the model is sorted by place). */
class PowerList {
    byKey = new Map();
    add(kind, where, identity, what, span, facts) {
        const key = JSON.stringify([kind, where.path, where.job ?? null, ...identity]);
        if (this.byKey.has(key))
            return;
        const place = [words(' in '), code(where.path)];
        if (where.job !== undefined)
            place.push(words(' job '), code(where.job));
        const power = {
            key,
            kind,
            what,
            where,
            label: plain([...what, ...place]),
            direction: facts.direction,
            span,
            value: facts.value,
            via: (facts.via ?? []).map((v) => v.map((p) => p.text).join('')),
        };
        if (facts.risk)
            power.risk = facts.risk;
        if (facts.rule)
            power.rule = facts.rule;
        this.byKey.set(key, power);
    }
    rule(kind, where, rule, via) {
        const verb = kind === 'grant' ? ' allowed' : kind === 'deny' ? ' denied' : ' needs approval';
        const what = [code(rule.value.raw.trim()), words(verb), ...viaParts(via)];
        this.add(kind, where, [ruleIdentity(rule.value)], what, rule.span, {
            risk: rule.value.risk,
            direction: kind === 'grant' ? 'widens' : 'narrows',
            value: rule.value.raw.trim(),
            via,
            rule: rule.value,
        });
    }
    mode(where, mode, span, via) {
        const facts = MODES.get(mode) ?? { direction: 'neutral' };
        const what = [code(mode), words(' mode'), ...viaParts(via)];
        this.add('mode', where, [mode], what, span, { ...facts, value: mode, via });
    }
    directory(where, dir, via) {
        const what = [code(dir.value), words(' added as a working directory'), ...viaParts(via)];
        this.add('directory', where, [dir.value], what, dir.span, {
            risk: 'read',
            direction: 'widens',
            value: dir.value,
            via,
        });
    }
    list() {
        return [...this.byKey.values()].sort(comparePowers);
    }
}
/** Most risky first, then by path, then by label; the key breaks the last ties. */
function comparePowers(a, b) {
    return (riskRank(b.risk) - riskRank(a.risk) ||
        compareText(a.where.path, b.where.path) ||
        compareText(a.label, b.label) ||
        compareText(a.key, b.key));
}
function compareText(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
/** `inline`: how the settings were given when a run gave them (`--settings '{…}'`, the settings input). */
function settingsPowers(out, doc, where, inline) {
    for (const rule of doc.allow)
        out.rule('grant', where, rule, inline);
    for (const rule of doc.ask)
        out.rule('ask', where, rule, inline);
    for (const rule of doc.deny)
        out.rule('deny', where, rule, inline);
    if (doc.defaultMode) {
        out.mode(where, doc.defaultMode.value, doc.defaultMode.span, [[code('defaultMode')], ...inline]);
    }
    const disable = doc.disableBypassPermissionsMode;
    if (disable?.value === 'disable') {
        const via = [[code('disableBypassPermissionsMode')], ...inline];
        const what = [words('bypass mode disabled'), ...viaParts(via)];
        const facts = { risk: 'admin', direction: 'narrows', value: disable.value, via };
        out.add('bypass-disabled', where, [], what, disable.span, facts);
    }
    for (const dir of doc.additionalDirectories)
        out.directory(where, dir, [[code('additionalDirectories')], ...inline]);
    for (const hook of doc.hooks ?? []) {
        const what = [words('hook '), code(hook.event.value)];
        if (hook.matcher)
            what.push(words(' on '), code(hook.matcher.value));
        what.push(words(hook.type === 'command' ? ' runs ' : ` ${hook.type} `), code(hook.run.value), ...viaParts(inline));
        const identity = [hook.event.value, hook.matcher?.value ?? '', hook.type, hook.run.value];
        const facts = hook.type === 'command'
            ? { risk: 'execute', direction: 'widens' }
            : { direction: 'widens' };
        out.add('hook', where, identity, what, hook.run.span, { ...facts, value: hook.run.value, via: inline });
    }
}
function runPowers(out, run) {
    const cmd = run.command;
    if (!cmd)
        return;
    const where = whereOfRun(run);
    const flag = (name) => [[code(name)]];
    const grantVia = run.kind === 'action' ? [[words('action inputs')]] : flag('--allowedTools');
    for (const rule of cmd.allowedTools)
        out.rule('grant', where, rule, grantVia);
    for (const rule of cmd.disallowedTools)
        out.rule('deny', where, rule, flag('--disallowedTools'));
    if (cmd.permissionMode)
        out.mode(where, cmd.permissionMode.value, cmd.permissionMode.span, flag('--permission-mode'));
    // The flag is the same power as the mode it switches on: trading one for the other changes nothing.
    if (cmd.dangerouslySkipPermissions) {
        const span = cmd.dangerouslySkipPermissions;
        out.mode(where, 'bypassPermissions', span, flag('--dangerously-skip-permissions'));
    }
    if (cmd.allowDangerouslySkipPermissions) {
        const via = flag('--allow-dangerously-skip-permissions');
        const what = [words('bypass mode may be switched on'), ...viaParts(via)];
        out.add('mode', where, ['bypass may be switched on'], what, cmd.allowDangerouslySkipPermissions, {
            risk: 'admin',
            direction: 'widens',
            value: 'bypassPermissions',
            via,
        });
    }
    for (const dir of cmd.addDirs)
        out.directory(where, dir, flag('--add-dir'));
}
function definitionPowers(out, definition) {
    const where = { path: definition.path };
    // An agent's `tools:` only limits what that agent may use: it grants nothing, so it is not a power.
    for (const rule of definition.allowedTools)
        out.rule('grant', where, rule, [[code('allowed-tools')]]);
    const mode = definition.permissionMode;
    if (mode)
        out.mode(where, mode.value, mode.span, [[code('permissionMode')]]);
}
/** `npx -y pkg` or the URL: what the server is. */
function serverTarget(server) {
    if (server.command)
        return [server.command.value, ...server.args.map((a) => a.value)].join(' ');
    return server.url?.value ?? '';
}
function listParts(names) {
    return names.flatMap((n, i) => (i === 0 ? [code(n)] : [words(', '), code(n)]));
}
function mcpPowers(out, server) {
    const transport = server.transport?.value ?? 'stdio';
    const target = serverTarget(server);
    const env = Object.keys(server.env).sort();
    const headers = Object.keys(server.headers).sort();
    const what = [
        words('MCP server '),
        code(server.name.value),
        words(` (${transport}: `),
        code(target),
        words(')'),
    ];
    if (env.length > 0)
        what.push(words(' with env '), ...listParts(env));
    if (headers.length > 0)
        what.push(words(env.length > 0 ? ' and headers ' : ' with headers '), ...listParts(headers));
    // Values of env and headers stay out of the key and the label: they may be credentials, and another value
    // does not change what the server may do.
    const identity = [server.name.value, transport, target, JSON.stringify(env), JSON.stringify(headers)];
    const facts = transport === 'stdio'
        ? { risk: 'execute', direction: 'widens' }
        : { direction: 'widens' };
    out.add('mcp-server', { path: server.path }, identity, what, server.name.span, { ...facts, value: target });
}
/**
 * Every power the model gives Claude, each once, most risky first: grants (`permissions.allow`,
 * `--allowedTools`, action inputs, `allowed-tools` of commands and skills), ask and deny rules, permission
 * modes (settings `defaultMode`, `--permission-mode`, the bypass flags, an agent's `permissionMode`), bypass
 * disabled, added directories, MCP servers and hooks. Powers of a run apply in its file and workflow job;
 * settings a run gives inline apply where that run does.
 */
function powersOf(model) {
    const out = new PowerList();
    const inlineRun = new Map();
    for (const run of model.runs) {
        if (run.inlineSettings)
            inlineRun.set(run.inlineSettings, run);
        if (run.command?.inlineSettings)
            inlineRun.set(run.command.inlineSettings, run);
    }
    for (const doc of model.settings) {
        const run = inlineRun.get(doc);
        if (!run)
            settingsPowers(out, doc, { path: doc.path }, []);
        else {
            const how = run.kind === 'action' && run.inlineSettings === doc
                ? [words('settings input')]
                : [code('--settings')];
            settingsPowers(out, doc, whereOfRun(run), [how]);
        }
    }
    for (const run of model.runs)
        runPowers(out, run);
    for (const definition of model.definitions)
        definitionPowers(out, definition);
    for (const server of model.mcpServers)
        mcpPowers(out, server);
    return out.list();
}
/**
 * What a change does to Claude's powers. A power is its key, which holds its whole value: a power whose
 * value changed (an MCP server given another command, a mode switched) is the old one removed and the new one
 * added. A reviewer then sees both values, each with its own risk and place, rather than a "changed" entry
 * that would have to show two of everything; the two rows of one MCP server or hook sort together.
 */
function diffPowers(base, head) {
    const baseKeys = new Set(base.map((p) => p.key));
    const headKeys = new Set(head.map((p) => p.key));
    const once = (powers, other) => {
        const seen = new Set();
        const out = [];
        for (const p of powers) {
            if (other.has(p.key) || seen.has(p.key))
                continue;
            seen.add(p.key);
            out.push(p);
        }
        return out.sort(comparePowers);
    };
    return { added: once(head, baseKeys), removed: once(base, headKeys) };
}


/***/ }),

/***/ 3405:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GI: () => (/* binding */ fetchedCodeIn),
/* harmony export */   xX: () => (/* binding */ isRiskyRemote)
/* harmony export */ });
/* unused harmony export remoteCodeIn */
/* harmony import */ var _claude_invocation_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9634);
/* harmony import */ var _mcp_pinning_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2733);


/*
 * Code a command line fetches from outside the repository and runs: a download handed to an interpreter
 * (`curl … | sh`, `eval "$(curl …)"`, `bash <(curl …)`, `bash -c "$(wget -qO- …)"`), or a package or image a
 * runner fetches without an exact version (`npx pkg`, `pnpm dlx pkg@latest`, `uvx tool`, `pipx run tool`,
 * `docker run image`). Read from the commands a reader found in a script, never from its text. Packages and
 * images fetched at an exact version or digest are found too (`fetchedCodeIn`), for the inventory to list.
 */
/** Wrappers that run the command after them on the same machine, with the same input. */
const PASS_THROUGH = new Set([
    'sudo',
    'doas',
    'env',
    'exec',
    'nohup',
    'timeout',
    'nice',
    'ionice',
    'command',
    'builtin',
    'stdbuf',
    'time',
    'chronic',
    'unbuffer',
    'cross-env',
    'dotenv',
]);
const SHELL = {
    code: ['-c'],
    codeLetter: 'c',
    valued: ['-o', '-O', '+o', '+O', '--rcfile', '--init-file'],
    fromStdin: 's',
};
const INTERPRETERS = new Map([
    ['sh', SHELL],
    ['bash', SHELL],
    ['zsh', SHELL],
    ['dash', SHELL],
    ['ksh', SHELL],
    ['mksh', SHELL],
    ['ash', SHELL],
    ['fish', { code: ['-c', '--command'], valued: ['-C', '--init-command', '-d', '--debug'] }],
    ['python', { code: ['-c'], codeLetter: 'c', valued: ['-W', '-X', '-Q'], stops: ['-m'] }],
    [
        'node',
        {
            code: ['-e', '--eval', '-p', '--print'],
            valued: ['-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions'],
        },
    ],
    ['perl', { code: ['-e', '-E'], valued: ['-I', '-x'] }],
    ['ruby', { code: ['-e'], valued: ['-I', '-r', '-C'] }],
    ['php', { code: ['-r'], valued: ['-c', '-d', '-z'] }],
    // PowerShell's `irm https://… | iex`.
    ['iex', { code: [], valued: [] }],
    ['invoke-expression', { code: [], valued: [] }],
]);
/** PowerShell's download commands, which write what they fetch to their output unless given `-OutFile`. */
const POWERSHELL_FETCHERS = new Set(['irm', 'iwr', 'invoke-restmethod', 'invoke-webrequest']);
/** The interpreter a program name runs: `python3.12` is python, `nodejs` is node. */
function interpreterOf(name) {
    return INTERPRETERS.get(/^python(\d+(\.\d+)?)?$/.test(name) ? 'python' : name === 'nodejs' ? 'node' : name);
}
/** `find` actions that run a command for the files found, up to `;` (one file each) or `{} +` (many). */
const FIND_EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);
/**
 * The commands a command runs, each with the index of the word it runs: past wrappers such as `sudo`, `env`
 * and `xargs` (whose command reads no pipeline: xargs gives it the input as arguments), and the commands of
 * `find … -exec cmd {} +`. Empty when what runs is not known (a word held in a variable).
 */
function launched(command, depth = 0) {
    const words = command.words;
    let i = 0;
    let fed = true;
    for (let hops = 0; hops < 8; hops++) {
        const word = words[i];
        if (!word || word.dynamic)
            return [];
        const name = (0,_claude_invocation_js__WEBPACK_IMPORTED_MODULE_0__/* .basename */ .P8)(word.value);
        if (name === 'find')
            return depth < 4 ? findExecs(command, i, depth) : [];
        if (!PASS_THROUGH.has(name) && name !== 'xargs')
            return [{ command: fed ? command : { ...command, stdin: [] }, at: i }];
        const next = (0,_claude_invocation_js__WEBPACK_IMPORTED_MODULE_0__/* .unwrap */ .oA)(name, words, i, []);
        if (next === undefined)
            return [];
        if (name === 'xargs')
            fed = false;
        i = next;
    }
    return [];
}
/** The commands `find` at `words[at]` runs with `-exec`, `-execdir`, `-ok`, `-okdir`, through their own wrappers. */
function findExecs(command, at, depth) {
    const words = command.words;
    const out = [];
    for (let k = at + 1; k < words.length; k++) {
        if (!FIND_EXEC.has(words[k].value))
            continue;
        let end = k + 1;
        while (end < words.length &&
            !(words[end].value === ';' ||
                (words[end].value === '+' && words[end - 1]?.value === '{}')))
            end++;
        const from = k + 1;
        const inner = {
            words: words.slice(from, end),
            stdin: [],
            substituted: command.substituted
                .filter((s) => s.word >= from && s.word < end)
                .map((s) => ({ ...s, word: s.word - from })),
        };
        out.push(...launched(inner, depth + 1));
        k = end;
    }
    return out;
}
const programName = (word) => (0,_claude_invocation_js__WEBPACK_IMPORTED_MODULE_0__/* .basename */ .P8)(word.value)
    .replace(/\.(exe|cmd)$/i, '')
    .toLowerCase();
/** Whether the option `word` is the interpreter's code option, alone or in a cluster (`-ec`). */
function isCodeOption(word, spec) {
    if (spec.code.includes(word))
        return true;
    return spec.codeLetter !== undefined && new RegExp(`^-[A-Za-z]*${spec.codeLetter}[A-Za-z]*$`).test(word);
}
/**
 * How an interpreter started at `words[at]` gets its program: from a code option (the index of the code's
 * word), from standard input, or from a file operand (its index).
 */
function programSource(words, at, spec) {
    let stdin = false;
    for (let j = at + 1; j < words.length; j++) {
        const w = words[j].value;
        if (w === '--') {
            if (stdin)
                return { from: 'stdin' };
            return j + 1 < words.length ? fileOrStdin(words, j + 1) : { from: 'stdin' };
        }
        if (w.startsWith('--') && w.includes('=')) {
            const name = w.slice(0, w.indexOf('='));
            if (spec.code.includes(name))
                return { from: 'code', word: j };
            continue;
        }
        if (isCodeOption(w, spec))
            return j + 1 < words.length ? { from: 'code', word: j + 1 } : { from: 'none' };
        if (spec.stops?.includes(w))
            return { from: 'none' };
        if (w === '-')
            return { from: 'stdin' };
        if (/^[-+][A-Za-z]/.test(w)) {
            if (spec.fromStdin && /^-[A-Za-z]+$/.test(w) && w.includes(spec.fromStdin))
                stdin = true;
            // `-o pipefail`, and a cluster ending in an option that takes a value (`-euxo pipefail`).
            const last = w.length > 2 && !w.startsWith('--') ? `${w[0]}${w.at(-1)}` : w;
            if (spec.valued.includes(w) || spec.valued.includes(last))
                j++;
            continue;
        }
        return stdin ? { from: 'stdin' } : fileOrStdin(words, j);
    }
    return { from: 'stdin' };
}
function fileOrStdin(words, j) {
    return /^\/dev\/(stdin|fd\/0)$/.test(words[j].value)
        ? { from: 'stdin' }
        : { from: 'file', word: j };
}
/** A URL fit to show: scheme, host and path, without credentials, query or fragment. */
function shownUrl(url) {
    const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)(?:[^@/?#\s]*@)?([^/?#\s]*)([^?#\s]*)/.exec(url);
    const shown = m ? `${m[1]}${m[2]}${m[3]}` : url;
    return shown.length > 120 ? `${shown.slice(0, 117)}…` : shown;
}
/** The value given to an option among `words` (`-o x`, `-ox`, `--output=x`, a cluster `-sSLo x`). */
function outputOf(words, short, long) {
    for (let j = 1; j < words.length; j++) {
        const w = words[j].value;
        if (w === long)
            return words[j + 1]?.value ?? '';
        if (w.startsWith(`${long}=`))
            return w.slice(long.length + 1);
        if (/^-[A-Za-z]/.test(w) && !w.startsWith('--')) {
            const at = w.indexOf(short);
            if (at < 0)
                continue;
            return at === w.length - 1 ? (words[j + 1]?.value ?? '') : w.slice(at + 1);
        }
    }
    return undefined;
}
const TO_STDOUT = new Set(['-', '/dev/stdout', '/dev/fd/1']);
/** A command that downloads something and writes it to its standard output: `curl URL`, `wget -qO- URL`. */
function downloadOf(command) {
    const first = launched(command)[0];
    if (!first)
        return undefined;
    const words = first.command.words.slice(first.at);
    const fetcher = words[0];
    const name = programName(fetcher);
    if (name === 'curl') {
        // `-O`, `--remote-name`: saved to a file named after the URL; `-o FILE`: to that file.
        if (words.some((w) => /^--remote-name/.test(w.value) || /^-[A-Za-z]*O/.test(w.value)))
            return undefined;
        const out = outputOf(words, 'o', '--output');
        if (out !== undefined && !TO_STDOUT.has(out))
            return undefined;
    }
    else if (name === 'wget') {
        // wget saves to a file unless told to write the document to standard output.
        const out = outputOf(words, 'O', '--output-document');
        if (out === undefined || !TO_STDOUT.has(out))
            return undefined;
    }
    else if (POWERSHELL_FETCHERS.has(name)) {
        if (words.some((w) => /^-outf/i.test(w.value)))
            return undefined;
    }
    else if (!['http', 'https', 'xh', 'xhs'].includes(name))
        return undefined;
    else if (words.some((w) => ['-d', '--download', '-o', '--output'].includes(w.value)))
        return undefined;
    const url = words.find((w, k) => k > 0 && !w.dynamic && /^(https?|ftp):\/\//i.test(w.value));
    return url ? { fetcher, target: shownUrl(url.value) } : { fetcher };
}
/**
 * A command that downloads something into a file, and that file's name as written: `curl -o FILE URL`,
 * `curl -O URL` (named after the URL), `wget URL`, `wget -O FILE URL`, `iwr URL -OutFile FILE`.
 */
function downloadToFile(command, at) {
    const words = command.words.slice(at);
    const fetcher = words[0];
    const name = programName(fetcher);
    const url = words.find((w, k) => k > 0 && !w.dynamic && /^(https?|ftp):\/\//i.test(w.value))?.value;
    const named = url && /^[^?#]*\/([^/?#]+)(?:[?#]|$)/.exec(url.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/, ''))?.[1];
    let file;
    if (name === 'curl') {
        file = outputOf(words, 'o', '--output');
        if (file === undefined &&
            words.some((w) => /^--remote-name$/.test(w.value) || /^-[A-Za-z]*O[A-Za-z]*$/.test(w.value)))
            file = named;
    }
    else if (name === 'wget') {
        file = outputOf(words, 'O', '--output-document');
        if (file === undefined &&
            !words.some((w) => /^-[A-Za-z]*P/.test(w.value) || w.value.startsWith('--directory-prefix')))
            file = named;
    }
    else if (POWERSHELL_FETCHERS.has(name)) {
        const k = words.findIndex((w) => /^-outf(ile)?$/i.test(w.value));
        if (k > 0)
            file = words[k + 1]?.value;
    }
    else
        return undefined;
    if (!file || TO_STDOUT.has(file))
        return undefined;
    const found = { file: sameFile(file), fetcher };
    if (url)
        found.target = shownUrl(url);
    return found;
}
/** A file name as written, without a leading `./`. */
const sameFile = (file) => file.replace(/^(\.\/)+/, '');
/**
 * A download saved to a file earlier in the same command line (`curl -o /tmp/i.sh URL && bash /tmp/i.sh`)
 * and run by the interpreter or `source` at `words[at]`.
 */
function savedDownloadRun(command, at, saved) {
    if (saved.size === 0)
        return undefined;
    const words = command.words;
    const program = words[at];
    const name = programName(program);
    let operand;
    if (name === 'source' || name === '.')
        operand = words[at + 1];
    else {
        const interpreter = interpreterOf(name);
        if (!interpreter)
            return undefined;
        const source = programSource(words, at, interpreter);
        if (source.from === 'file')
            operand = words[source.word];
    }
    const found = operand && saved.get(sameFile(operand.value));
    if (!found)
        return undefined;
    const remote = {
        kind: 'download',
        span: program.span,
        runner: name,
        fetcher: { value: programName(found.fetcher), span: found.fetcher.span },
        how: 'download-and-run',
        pin: 'unpinned',
    };
    if (found.target)
        remote.target = found.target;
    return remote;
}
/** The first download among `commands`. */
function firstDownload(commands) {
    for (const c of commands) {
        const found = downloadOf(c);
        if (found)
            return found;
    }
    return undefined;
}
/** A download handed to the interpreter, `eval` or `source` at `words[at]`, as the command runs it. */
function downloadRun(command, at) {
    const words = command.words;
    const program = words[at];
    const name = programName(program);
    const fromSubstitution = (word, kind) => firstDownload(command.substituted.filter((s) => s.word === word && s.kind === kind).flatMap((s) => s.commands));
    let found;
    // Fed on standard input (a pipe, a here-string) or handed over otherwise (the code option, a file).
    let how = 'download-and-run';
    if (name === 'eval') {
        how = 'eval';
        // `eval "$(curl …)"`, `` eval `curl …` ``: the output is the code.
        for (let k = at + 1; k < words.length && !found; k++)
            found = fromSubstitution(k, 'output');
    }
    else if (name === 'source' || name === '.') {
        const operand = at + 1;
        if (/^\/dev\/(stdin|fd\/0)$/.test(words[operand]?.value ?? '')) {
            found = firstDownload(command.stdin);
            how = 'pipe-to-shell';
        }
        else
            found = fromSubstitution(operand, 'file');
    }
    else {
        const interpreter = interpreterOf(name);
        if (!interpreter)
            return undefined;
        const source = programSource(words, at, interpreter);
        if (source.from === 'stdin') {
            found = firstDownload(command.stdin);
            how = 'pipe-to-shell';
        }
        // `bash -c "$(curl …)"`: the output is the code; `bash <(curl …)`: the download is the script file.
        else if (source.from === 'code')
            found = fromSubstitution(source.word, 'output');
        else if (source.from === 'file')
            found = fromSubstitution(source.word, 'file');
    }
    if (!found)
        return undefined;
    const remote = {
        kind: 'download',
        span: program.span,
        runner: name,
        fetcher: { value: programName(found.fetcher), span: found.fetcher.span },
        how,
        pin: 'unpinned',
    };
    if (found.target)
        remote.target = found.target;
    return remote;
}
/** A runner that fetches a package or an image, by program and subcommand, and the runner it acts like. */
function runnerAt(words, at) {
    const name = programName(words[at]);
    const sub = words[at + 1]?.value;
    if (name === 'npx' || name === 'pnpx')
        return { runner: name, like: 'npx', from: at + 1 };
    if (name === 'bunx' || name === 'uvx')
        return { runner: name, like: name, from: at + 1 };
    if (name === 'npm' && (sub === 'exec' || sub === 'x'))
        return { runner: `npm ${sub}`, like: 'npx', from: at + 2 };
    if ((name === 'pnpm' || name === 'yarn') && sub === 'dlx')
        return { runner: `${name} dlx`, like: 'npx', from: at + 2 };
    if (name === 'bun' && sub === 'x')
        return { runner: 'bun x', like: 'bunx', from: at + 2 };
    if (name === 'uv' && sub === 'tool' && words[at + 2]?.value === 'run')
        return { runner: 'uv tool run', like: 'uvx', from: at + 3 };
    if (name === 'pipx' && sub === 'run')
        return { runner: 'pipx run', like: 'pipx', from: at + 1 };
    if ((name === 'docker' || name === 'podman') && (sub === 'run' || sub === 'container')) {
        if (sub === 'container' && words[at + 2]?.value !== 'run')
            return undefined;
        return { runner: `${name} run`, like: 'docker', from: sub === 'run' ? at + 1 : at + 2 };
    }
    return undefined;
}
/** npx options that forbid fetching: the package must already be installed. */
const NO_FETCH = new Set(['--no-install', '--no', '--offline', '--no-yes']);
/**
 * A package or image the runner at `words[at]` fetches, with how exactly it is named: an exact version, a
 * digest, a commit, none (`unpinned`), or a variable (`unknown`). Nothing for a local path or no package.
 */
function runnerRun(words, at) {
    const found = runnerAt(words, at);
    if (!found)
        return undefined;
    const rest = words.slice(found.from);
    if (found.like === 'npx' && found.runner !== 'pnpm dlx' && found.runner !== 'yarn dlx') {
        const operand = rest.findIndex((w) => !w.value.startsWith('-'));
        const options = operand < 0 ? rest : rest.slice(0, operand);
        if (options.some((w) => NO_FETCH.has(w.value)))
            return undefined;
    }
    const pinning = (0,_mcp_pinning_js__WEBPACK_IMPORTED_MODULE_1__/* .runnerPinning */ .GA)(found.like, rest.map((w) => w.value));
    if (!pinning || pinning.target === undefined)
        return undefined;
    const target = pinning.target;
    const word = rest.find((w) => w.value === target) ??
        rest.find((w) => w.value.endsWith(`=${target}`) && w.value.startsWith('-'));
    if (!word)
        return undefined;
    // `unknown` is a local path (nothing fetched) or a value only known when it runs (`npx "$TOOL"`).
    if (pinning.pin === 'unknown' && !word.dynamic)
        return undefined;
    const from = word.value === target ? 0 : word.value.length - target.length;
    const image = pinning.runner === 'docker';
    return {
        kind: image ? 'image' : 'package',
        span: word.sub(from, word.value.length),
        runner: found.runner,
        target,
        how: image ? 'image-runner' : 'package-runner',
        pin: pinning.pin,
    };
}
/** Code CG604 reports: any download that is run, and a package or image without an exact version. */
function isRiskyRemote(remote) {
    return remote.kind === 'download' || remote.pin === 'unpinned';
}
/** The remote code `commands` run that CG604 reports (`isRiskyRemote`), in order, each piece once. */
function remoteCodeIn(commands) {
    return fetchedCodeIn(commands).filter(isRiskyRemote);
}
/**
 * Every piece of code `commands` fetch from outside the repository and run, pinned or not, in order, each
 * piece once (the same package or download run again in the same command line is the same piece); scripts
 * handed to a shell are read too.
 */
function fetchedCodeIn(commands) {
    const out = [];
    const seen = new Set();
    // Files a download wrote earlier in the command line, by name: running one runs the download.
    const saved = new Map();
    const visit = (list, depth) => {
        for (const outer of list) {
            for (const { command, at } of launched(outer)) {
                const found = downloadRun(command, at) ?? savedDownloadRun(command, at, saved) ?? runnerRun(command.words, at);
                const key = found && `${found.kind} ${found.runner} ${found.target ?? ''}`;
                if (found && key && !seen.has(key)) {
                    seen.add(key);
                    out.push(found);
                }
                const written = downloadToFile(command, at);
                if (written)
                    saved.set(written.file, written);
            }
            if (outer.script && depth < 8)
                visit(outer.script, depth + 1);
        }
    };
    visit(commands, 0);
    return out;
}


/***/ }),

/***/ 1547:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AX: () => (/* binding */ bypassOf),
/* harmony export */   rJ: () => (/* binding */ runGrants),
/* harmony export */   s8: () => (/* binding */ shellGrants)
/* harmony export */ });
/**
 * The settings a run loads besides its own: the repository's `.claude/settings.json` and a committed
 * `.claude/settings.local.json` at the root, which Claude reads when it starts in the checkout.
 */
function projectSettings(model) {
    return model.settings.filter((s) => s.path === '.claude/settings.json' || s.path === '.claude/settings.local.json');
}
/** Every rule that pre-approves a tool for this run: its command line or inputs, inline settings, project settings. */
function runGrants(model, run) {
    return [
        ...(run.command?.allowedTools ?? []),
        ...(run.command?.inlineSettings?.allow ?? []),
        ...(run.inlineSettings?.allow ?? []),
        ...projectSettings(model).flatMap((s) => s.allow),
    ];
}
/** The grants of a run that let it run shell commands: any `Bash`/`PowerShell` rule. */
function shellGrants(model, run) {
    return runGrants(model, run).filter((g) => !g.value.problem && (g.value.canonical === 'Bash' || g.value.canonical === 'PowerShell'));
}
/** Where the run skips every permission check, when it does: a flag, a mode, or its settings' default mode. */
function bypassOf(model, run) {
    const command = run.command;
    if (command?.dangerouslySkipPermissions)
        return command.dangerouslySkipPermissions;
    if (command?.permissionMode?.value === 'bypassPermissions')
        return command.permissionMode.span;
    for (const doc of [command?.inlineSettings, run.inlineSettings, ...projectSettings(model)]) {
        if (doc?.defaultMode?.value === 'bypassPermissions')
            return doc.defaultMode.span;
    }
    return undefined;
}


/***/ }),

/***/ 5577:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   b: () => (/* binding */ fileSpan),
/* harmony export */   r: () => (/* binding */ LineIndex)
/* harmony export */ });
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


/***/ }),

/***/ 5186:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BI: () => (/* binding */ wildcardScope),
/* harmony export */   E6: () => (/* binding */ unconsultedPathRule),
/* harmony export */   QC: () => (/* binding */ isUnanchoredToolGlob),
/* harmony export */   f$: () => (/* binding */ SHELL_TOOLS),
/* harmony export */   fH: () => (/* binding */ isUnscopedWrite),
/* harmony export */   hU: () => (/* binding */ splitToolList),
/* harmony export */   sn: () => (/* binding */ isUnscopedShell),
/* harmony export */   us: () => (/* binding */ parseToolRule)
/* harmony export */ });
/* unused harmony export WRITE_TOOLS */
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
    Cd: 'read',
    // Tools of Claude Code versions the reference does not list, seen in committed settings: reading the
    // to-do list, the output of a background shell Claude started (or stopping it), MCP resources.
    TodoRead: 'read',
    BashOutput: 'read',
    KillShell: 'read',
    KillBash: 'read',
    ListMcpResourcesTool: 'read',
    ReadMcpResourceTool: 'read',
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
/** The whole project (`**`, `./**`, `/**`), the whole file system (`//**`) or the home folder (`~/**`). */
const WHOLE_TREE = /^\s*(?:\.\/|\/\/?|~\/)?\*\*(?:\/\*)?\s*$/;
/**
 * True when the rule lets Claude change any file: `Edit`, `Write`, `Edit(*)`, `Edit(**)`, `Edit(./**)`. A path
 * rule on `Write` (`Write(**)`) is not one: Claude Code never consults it, so it grants nothing (CG901 says so).
 */
function isUnscopedWrite(rule) {
    if (rule.problem || !WRITE_TOOLS.includes(rule.canonical) || unconsultedPathRule(rule))
        return false;
    return (rule.form === 'bare' ||
        rule.form === 'any' ||
        (rule.specifier !== undefined && WHOLE_TREE.test(rule.specifier)));
}
/**
 * Tools whose rules Claude Code accepts with a path but never consults when it checks a file, each with the
 * tool whose path rules it does consult: `Edit(…)` covers every file-editing tool, `Read(…)` every reading one.
 */
const PATH_RULES_CONSULTED_ON = new Map([
    ['Write', 'Edit'],
    ['MultiEdit', 'Edit'],
    ['NotebookEdit', 'Edit'],
    ['Glob', 'Read'],
]);
/**
 * For a path rule Claude Code never consults (`Write(src/**)`, `NotebookEdit(./x.ipynb)`, `Glob(docs/**)`),
 * the tool to write it on instead (`Edit`, `Read`). Undefined for a bare tool, for `Tool(*)` (every use of the
 * tool, like the bare name) and for every other tool.
 */
function unconsultedPathRule(rule) {
    if (rule.problem || rule.specifier === undefined)
        return undefined;
    const specifier = rule.specifier.trim();
    if (specifier === '' || specifier === '*')
        return undefined;
    return PATH_RULES_CONSULTED_ON.get(rule.canonical);
}
/** A literal MCP server prefix, `mcp__<server>__`, before any `*`. */
const ANCHORED_TOOL_GLOB = /^mcp__[^*]+?__/;
/**
 * True when the tool name is a glob without a literal `mcp__<server>__` before its first `*` (`*`, `mcp__*`,
 * `B*`, `mcp__*__query`). Claude Code skips such a rule in `allow` with a warning; `ask` and `deny` take it.
 */
function isUnanchoredToolGlob(rule) {
    if (rule.problem || !rule.tool.includes('*'))
        return false;
    return !ANCHORED_TOOL_GLOB.test(rule.tool);
}


/***/ }),

/***/ 3356:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   o: () => (/* binding */ SEVERITIES),
/* harmony export */   q: () => (/* binding */ severityRank)
/* harmony export */ });
/** Most severe first. */
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
function severityRank(s) {
    return SEVERITIES.indexOf(s);
}


/***/ }),

/***/ 945:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   An: () => (/* binding */ triggerTypes),
/* harmony export */   Ih: () => (/* binding */ rootsOfText),
/* harmony export */   Js: () => (/* binding */ untrustedTextIn),
/* harmony export */   f4: () => (/* binding */ UNTRUSTED_EVENTS),
/* harmony export */   n2: () => (/* binding */ textInEvent),
/* harmony export */   yo: () => (/* binding */ TEXT_ROOTS)
/* harmony export */ });
/* unused harmony export untrustedTextOfPath */
/* harmony import */ var _syntax_actions_expression_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1739);

/** A list written as words. */
const wordsOf = (text) => text.split(' ');
const ISSUE_TYPES = wordsOf('opened edited deleted transferred pinned unpinned closed reopened assigned unassigned labeled unlabeled locked unlocked milestoned demilestoned typed untyped');
const PR_TYPES = wordsOf('assigned auto_merge_disabled auto_merge_enabled closed converted_to_draft demilestoned dequeued edited enqueued labeled locked milestoned opened ready_for_review reopened review_request_removed review_requested synchronize unassigned unlabeled unlocked');
const COMMENT_TYPES = ['created', 'edited', 'deleted'];
const DISCUSSION_TYPES = wordsOf('created edited deleted transferred pinned unpinned labeled unlabeled locked unlocked category_changed answered unanswered closed reopened');
const but = (all, ...left) => all.filter((t) => !left.includes(t));
/**
 * The events whose actor or text may be an outsider's (GitHub's events reference, activity types and who may
 * cause each). `pull_request` is not here: a fork's run gets a read-only token and no secrets.
 */
const UNTRUSTED_EVENTS = new Map([
    [
        'issues',
        {
            types: ISSUE_TYPES,
            byOutsider: ['opened', 'edited', 'closed', 'reopened'],
            own: 'issue',
            roots: ['issue'],
            others: [{ root: 'issue', types: but(ISSUE_TYPES, 'opened', 'edited', 'deleted') }],
            outsiderDoes: 'opens an issue',
        },
    ],
    [
        'issue_comment',
        {
            types: COMMENT_TYPES,
            byOutsider: COMMENT_TYPES,
            own: 'comment',
            roots: ['issue', 'comment'],
            others: [{ root: 'issue', types: 'any' }],
            outsiderDoes: 'comments on an issue or pull request',
        },
    ],
    [
        'pull_request_target',
        {
            types: PR_TYPES,
            defaults: ['opened', 'synchronize', 'reopened'],
            byOutsider: [
                'opened',
                'edited',
                'closed',
                'reopened',
                'synchronize',
                'ready_for_review',
                'converted_to_draft',
            ],
            own: 'pull_request',
            roots: ['pull_request'],
            // A maintainer who pushes to the branch, reopens, edits or labels it acts on the author's code.
            others: [{ root: 'pull_request', types: but(PR_TYPES, 'opened') }],
            outsiderDoes: 'opens a pull request from a fork',
        },
    ],
    [
        'pull_request_review',
        {
            types: ['submitted', 'edited', 'dismissed'],
            byOutsider: ['submitted', 'edited'],
            own: 'review',
            roots: ['pull_request', 'review'],
            others: [{ root: 'pull_request', types: 'any' }],
            outsiderDoes: 'reviews a pull request',
        },
    ],
    [
        'pull_request_review_comment',
        {
            types: COMMENT_TYPES,
            byOutsider: COMMENT_TYPES,
            own: 'comment',
            roots: ['pull_request', 'comment'],
            others: [{ root: 'pull_request', types: 'any' }],
            outsiderDoes: "comments on a pull request's diff",
        },
    ],
    [
        'discussion',
        {
            types: DISCUSSION_TYPES,
            byOutsider: ['created', 'edited', 'answered', 'unanswered', 'closed', 'reopened'],
            own: 'discussion',
            roots: ['discussion'],
            others: [{ root: 'discussion', types: but(DISCUSSION_TYPES, 'created', 'edited', 'deleted') }],
            outsiderDoes: 'starts a discussion',
        },
    ],
    [
        'discussion_comment',
        {
            types: COMMENT_TYPES,
            byOutsider: COMMENT_TYPES,
            own: 'comment',
            roots: ['discussion', 'comment'],
            others: [{ root: 'discussion', types: 'any' }],
            outsiderDoes: 'comments on a discussion',
        },
    ],
    [
        'workflow_run',
        {
            types: ['completed', 'requested', 'in_progress'],
            byOutsider: ['completed', 'requested', 'in_progress'],
            own: 'workflow_run',
            roots: ['workflow_run'],
            others: [],
            outsiderDoes: 'starts the workflow it follows (a pull request from a fork does)',
        },
    ],
]);
/** The activity types a trigger fires on: its `types:`, else the event's defaults. */
function triggerTypes(trigger) {
    const facts = UNTRUSTED_EVENTS.get(trigger.event.value);
    if (!facts)
        return [];
    if (trigger.types.length === 0)
        return [...(facts.defaults ?? facts.types)];
    return trigger.types.map((t) => t.value);
}
const TEXT_FIELDS = new Map([
    [
        'issue',
        new Map([
            ['title', 'the issue title'],
            ['body', 'the issue body'],
        ]),
    ],
    ['comment', new Map([['body', 'the comment']])],
    ['review', new Map([['body', 'the review']])],
    [
        'pull_request',
        new Map([
            ['title', 'the pull request title'],
            ['body', 'the pull request body'],
            ['head.ref', "the pull request's branch name"],
            ['head.label', "the pull request's branch name"],
        ]),
    ],
    [
        'discussion',
        new Map([
            ['title', 'the discussion title'],
            ['body', 'the discussion body'],
        ]),
    ],
    [
        'workflow_run',
        new Map([
            ['head_branch', "the upstream run's branch name"],
            ['display_title', "the upstream run's title (a commit message or pull request title)"],
            ['head_commit.message', "the upstream run's commit message"],
            ['head_commit.author.name', "the upstream run's commit author"],
            ['head_commit.author.email', "the upstream run's commit author"],
        ]),
    ],
]);
const ROOT_WORDS = new Map([
    ['issue', 'the whole issue, its title and body included'],
    ['comment', 'the whole comment, its body included'],
    ['review', 'the whole review, its body included'],
    ['pull_request', 'the whole pull request, its title and body included'],
    ['discussion', 'the whole discussion, its title and body included'],
    ['workflow_run', 'the whole upstream run, its branch and commit message included'],
]);
/** The text of someone else's making a context path reads, if any. */
function untrustedTextOfPath(path) {
    if (path === 'github.head_ref')
        return { root: 'pull_request', words: "the pull request's branch name" };
    if (path === 'github.event')
        return { root: 'event', words: 'the whole event payload' };
    const m = /^github\.event\.([a-z_]+)(?:\.(.+))?$/.exec(path);
    if (!m)
        return undefined;
    const [, first, rest] = m;
    if (first === 'changes') {
        return rest && /^(title|body)\.from$/.test(rest)
            ? { root: 'changes', words: `the ${rest.slice(0, -5)} before the edit` }
            : undefined;
    }
    const fields = TEXT_FIELDS.get(first);
    if (!fields)
        return undefined;
    const root = first;
    if (rest === undefined)
        return { root, words: ROOT_WORDS.get(root) };
    // `pull_requests.*.head.ref` of a workflow run is a branch name too.
    const words = fields.get(rest) ??
        (root === 'workflow_run' && /^pull_requests\..+\.head\.ref$/.test(rest)
            ? "the upstream pull request's branch name"
            : undefined);
    return words ? { root, words } : undefined;
}
/** The untrusted text an expression (the inside of `${{ … }}`) reads. */
function untrustedTextIn(expression) {
    const tree = (0,_syntax_actions_expression_js__WEBPACK_IMPORTED_MODULE_0__/* .parseExpression */ .YK)(expression);
    const paths = tree
        ? (0,_syntax_actions_expression_js__WEBPACK_IMPORTED_MODULE_0__/* .refsOf */ .gA)(tree)
        : [...expression.toLowerCase().matchAll(/github\.(?:head_ref|event(?:\.[a-z_*]+)*)/g)].map((m) => m[0]);
    const out = [];
    for (const path of paths) {
        const text = untrustedTextOfPath(path);
        if (text && !out.some((o) => o.root === text.root && o.words === text.words))
            out.push(text);
    }
    return out;
}
/** Whether the text is in the payload of this event (a comment's body is not in an `issues` event). */
function textInEvent(text, event) {
    const facts = UNTRUSTED_EVENTS.get(event);
    if (!facts)
        return false;
    if (text.root === 'event' || text.root === 'changes')
        return true;
    return facts.roots.includes(text.root);
}
/** The payload objects a text belongs to, for an event: the whole payload is all of them. */
function rootsOfText(text, event) {
    const facts = UNTRUSTED_EVENTS.get(event);
    if (!facts)
        return [];
    if (text.root === 'event')
        return [...facts.roots];
    if (text.root === 'changes')
        return [facts.own];
    return facts.roots.includes(text.root) ? [text.root] : [];
}
/** The payload objects that carry someone's text. */
const TEXT_ROOTS = new Set(TEXT_FIELDS.keys());


/***/ }),

/***/ 6770:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   HG: () => (/* binding */ expressionsOfArg),
/* harmony export */   VE: () => (/* binding */ textSourcesOf),
/* harmony export */   aH: () => (/* binding */ headCheckoutOf)
/* harmony export */ });
/* harmony import */ var _untrusted_events_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(945);

/** Inputs of the actions whose text is (part of) Claude's prompt or system prompt. */
const PROMPT_INPUTS = new Set([
    'prompt',
    'direct_prompt',
    'override_prompt',
    'custom_instructions',
    'claude_args',
    'system_prompt',
    'append_system_prompt',
    'prompt_file',
]);
/** Each `${{ … }}` written in an `Arg`, located through it. */
function expressionsOfArg(arg) {
    const out = [];
    let at = arg.value.indexOf('${{');
    while (at >= 0) {
        const end = arg.value.indexOf('}}', at + 3);
        if (end < 0)
            break;
        out.push({ expression: arg.value.slice(at + 3, end).trim(), span: arg.sub(at, end + 2) });
        at = arg.value.indexOf('${{', end + 2);
    }
    return out;
}
function within(inner, outer) {
    const starts = inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
    const ends = inner.endLine < outer.endLine || (inner.endLine === outer.endLine && inner.endColumn <= outer.endColumn);
    return starts && ends;
}
/** The variables a script reads: `$NAME`, `${NAME}`, `${NAME:-…}`, `$env:NAME`. */
function variablesRead(script) {
    return new Set([...script.matchAll(/\$(?:\{|env:)?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]));
}
function writesOf(script) {
    const out = { outputs: false, env: [], files: [] };
    for (const line of script.split('\n').slice(0, 2000)) {
        // A shell step writes $GITHUB_OUTPUT; actions/github-script calls core.setOutput / core.exportVariable.
        if (/GITHUB_OUTPUT|\bsetOutput\s*\(/.test(line))
            out.outputs = true;
        for (const m of line.matchAll(/\bexportVariable\s*\(\s*['"`]([A-Za-z_][A-Za-z0-9_]*)/g))
            out.env.push(m[1]);
        if (line.includes('GITHUB_ENV')) {
            // From the start of a name only, so a long word is read once.
            for (const m of line.matchAll(/(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*)(?:=|<<)/g))
                out.env.push(m[1]);
            continue;
        }
        for (const m of line.matchAll(/(?:>>?|\btee(?:\s+-a)?)\s*["']?([^\s"'|;&<>()$]+)/g)) {
            const file = m[1];
            if (/^(&\d|\/dev\/)/.test(file) || basenameOf(file).length < 3)
                continue;
            out.files.push(file);
        }
    }
    return out;
}
function basenameOf(path) {
    return path.slice(path.lastIndexOf('/') + 1);
}
/** A step's expressions are read once however many runs look at it; a hostile step gives at most this many. */
const MAX_CARRIED = 256;
/** Sources reported for one run: the first are enough to show the chain. */
const MAX_SOURCES = 16;
/** How far back a run looks for a step that hands it text: further than any real job. */
const MAX_EARLIER = 256;
const FACTS = new WeakMap();
function factsOf(step) {
    const known = FACTS.get(step);
    if (known)
        return known;
    const script = [step.run?.value ?? '', step.with.script?.value ?? ''].join('\n');
    const untrusted = [];
    const outputRefs = [];
    const envRefs = [];
    for (const x of step.expressions) {
        const output = /^steps\.([\w-]+)\.outputs\./.exec(x.expression);
        if (output)
            outputRefs.push(`${x.in}\0${output[1]}`);
        const env = /^env\.([A-Za-z_][\w-]*)$/.exec(x.expression);
        if (env)
            envRefs.push(`${x.in}\0${env[1]}`);
        if (untrusted.length >= MAX_CARRIED)
            continue;
        const texts = (0,_untrusted_events_js__WEBPACK_IMPORTED_MODULE_0__/* .untrustedTextIn */ .Js)(x.expression);
        if (texts.length > 0)
            untrusted.push({ ...x, texts });
    }
    const facts = {
        script,
        reads: variablesRead(script),
        untrusted,
        writes: script.trim() === '' ? { outputs: false, env: [], files: [] } : writesOf(script),
        outputRefs,
        envRefs,
    };
    FACTS.set(step, facts);
    return facts;
}
/** The untrusted `${{ … }}` of an `Arg` (an env value), as carried text. */
function carriedOfArg(arg) {
    return expressionsOfArg(arg).flatMap((x) => {
        const texts = (0,_untrusted_events_js__WEBPACK_IMPORTED_MODULE_0__/* .untrustedTextIn */ .Js)(x.expression);
        return texts.length > 0 ? [{ ...x, texts }] : [];
    });
}
const source = (x, via) => ({ span: x.span, texts: x.texts, via });
/**
 * Every untrusted `${{ … }}` that reaches a workflow run of Claude: in its command line or the script that
 * starts it, in the action's prompt inputs, through an `env:` variable it reads, and through what an earlier
 * step of the job writes (an output, a `$GITHUB_ENV` variable, a file) that the run then reads.
 */
function textSourcesOf(run) {
    const step = run.context.step;
    const job = run.context.job;
    if (!step)
        return [];
    const facts = factsOf(step);
    const out = [];
    const cli = run.kind === 'cli';
    // Claude started by a script the step runs (`run: ./scripts/triage.sh`): the step's env reaches the script.
    const script = run.path === step.span.path ? undefined : run.path;
    /** Where the run's text is written: its script, or its prompt inputs. */
    const readsHere = (where) => cli ? where === 'run' : where.startsWith('with.') && PROMPT_INPUTS.has(where.slice(5));
    const readText = cli
        ? [step.run?.value ?? '']
        : Object.entries(step.with).flatMap(([k, v]) => (PROMPT_INPUTS.has(k) ? [v.value] : []));
    const args = run.command?.args ?? [];
    const argVars = new Set(args.flatMap((a) => [...variablesRead(a.value)]));
    for (const x of facts.untrusted) {
        if (script && x.in.startsWith('env.') && argVars.has(x.in.slice(4))) {
            out.push(source(x, `env ${x.in.slice(4)}, which Claude's command line in ${script} reads`));
            continue;
        }
        if (!readsHere(x.in))
            continue;
        if (!cli)
            out.push(source(x, `the ${x.in.slice(5)} input`));
        else if (script)
            out.push(source(x, `the step that runs ${script}`));
        else {
            const inPrompt = args.some((a) => within(x.span, a.span));
            out.push(source(x, inPrompt ? "Claude's command line" : 'the script that starts Claude'));
        }
    }
    const refs = (list) => new Set(list.flatMap((r) => (readsHere(r.slice(0, r.indexOf('\0'))) ? [r.slice(r.indexOf('\0') + 1)] : [])));
    const outputRefs = refs(facts.outputRefs);
    const envRefs = refs(facts.envRefs);
    const readsEnv = (name) => envRefs.has(name) || (cli && (script ? argVars.has(name) : facts.reads.has(name)));
    // Variables the run reads: from its own env (step, job, workflow).
    for (const e of run.env) {
        if (!readsEnv(e.name))
            continue;
        const reader = !cli
            ? 'the prompt'
            : argVars.has(e.name)
                ? "Claude's command line"
                : 'the script that starts Claude';
        for (const x of carriedOfArg(e.value))
            out.push(source(x, `env ${e.name}, which ${reader} reads`));
    }
    if (job) {
        const how = { cli, outputRefs, readsEnv, readText };
        out.push(...(script ? handedOnNow(run, step, job.steps, how) : handedOn(run, step, job.steps, how)));
    }
    // Its own command line first, when there are more than a finding can show.
    const mine = out.filter((x) => x.via === "Claude's command line");
    return dedupe([...mine, ...out.filter((x) => !mine.includes(x))]).slice(0, MAX_SOURCES);
}
/** What earlier steps hand a Claude step, the same for every run in it: read once per step. */
const HANDED_ON = new WeakMap();
function handedOn(run, step, steps, how) {
    const known = HANDED_ON.get(step);
    if (known)
        return known;
    const out = handedOnNow(run, step, steps, how);
    HANDED_ON.set(step, out);
    return out;
}
function handedOnNow(run, step, steps, how) {
    const { cli, outputRefs, readsEnv, readText } = how;
    const out = [];
    // The job's and the workflow's env are the same for every run of the job.
    const jobEnv = run.env.filter((e) => e.scope === 'job' || e.scope === 'workflow');
    const first = Math.max(0, step.index - MAX_EARLIER);
    for (const earlier of steps) {
        if (earlier.index < first)
            continue;
        if (earlier.index >= step.index)
            break;
        const them = factsOf(earlier);
        const { writes } = them;
        if (!writes.outputs && writes.env.length === 0 && writes.files.length === 0)
            continue;
        const carried = [
            ...them.untrusted.filter((x) => x.in === 'run' ||
                x.in === 'with.script' ||
                (x.in.startsWith('env.') && them.reads.has(x.in.slice(4)))),
            ...jobEnv.filter((e) => them.reads.has(e.name)).flatMap((e) => carriedOfArg(e.value)),
        ];
        if (carried.length === 0)
            continue;
        const name = stepName(earlier);
        if (writes.outputs && earlier.id && outputRefs.has(earlier.id.value)) {
            const via = `${name}, whose outputs Claude's ${cli ? 'script' : 'prompt'} reads`;
            for (const x of carried)
                out.push(source(x, via));
        }
        const envRead = writes.env.filter((n) => readsEnv(n));
        if (envRead.length > 0) {
            const via = `${name}, which sets ${envRead.join(', ')} in $GITHUB_ENV for Claude's step`;
            for (const x of carried)
                out.push(source(x, via));
        }
        const files = writes.files.filter((f) => readText.some((t) => t.includes(basenameOf(f))));
        if (files.length > 0) {
            const via = `${name}, which writes ${files[0]} for Claude to read`;
            for (const x of carried)
                out.push(source(x, via));
        }
    }
    return out;
}
function stepName(s) {
    const name = s.name?.value ?? s.id?.value;
    return name === undefined ? `step ${s.index + 1}` : `step "${name}"`;
}
function dedupe(sources) {
    const seen = new Set();
    return sources.filter((s) => {
        const key = `${s.span.line}:${s.span.column}`;
        if (seen.has(key))
            return false;
        seen.add(key);
        return true;
    });
}
/** Refs of a pull request's (or upstream run's) head: what `actions/checkout` is given to run its code. */
const HEAD_REF = /github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref|github\.event\.pull_request\.merge_commit_sha|github\.event\.workflow_run\.head_(sha|branch)|github\.event\.pull_request\.head\.repo\.full_name|github\.event\.workflow_run\.head_repository\.full_name|refs\/pull\//i;
const CHECKOUTS = new WeakMap();
const trimFolder = (folder) => folder.replace(/^\.\/|\/$/g, '').replace(/^\.$/, '');
/** A line that fetches or checks out a pull request's head: `gh pr checkout`, `git fetch … pull/N/head`. */
function fetchesPullRequest(script) {
    return script
        .split('\n')
        .some((line) => /\bgh\s+pr\s+checkout\b/.test(line) ||
        (/\bgit\s+(fetch|checkout|switch|pull)\b/.test(line) &&
            (line.includes('refs/pull/') || /\bpull\/[^\s/]+\/head\b/.test(line))));
}
/** The steps of a job that check out a pull request's head, read once per job. */
function headCheckoutsOf(steps) {
    const known = CHECKOUTS.get(steps);
    if (known)
        return known;
    const out = [];
    for (const step of steps) {
        if (/^actions\/checkout@/i.test(step.uses?.value ?? '')) {
            const ref = step.with.ref ?? step.with.repository;
            if (!ref || !HEAD_REF.test(ref.value))
                continue;
            const expression = step.expressions.find((x) => (x.in === 'with.ref' || x.in === 'with.repository') && HEAD_REF.test(x.expression));
            const folder = trimFolder(step.with.path?.value ?? '');
            const found = { step, span: expression?.span ?? ref.span, folder };
            if (/workflow_run/.test(ref.value))
                found.upstream = true;
            out.push(found);
            continue;
        }
        const script = step.run?.value ?? '';
        if (script === '')
            continue;
        const expression = step.expressions.find((x) => x.in === 'run' && HEAD_REF.test(x.expression));
        const gitLine = script.split('\n').some((l) => /\bgit\s+(fetch|checkout|switch|pull)\b/.test(l));
        if (fetchesPullRequest(script) || (expression && gitLine)) {
            out.push({ step, span: expression?.span ?? step.run.span, folder: '' });
        }
    }
    CHECKOUTS.set(steps, out);
    return out;
}
/**
 * The first checkout of the pull request's (or the upstream run's) head before the run, in the folder Claude
 * starts in. The documented safe form — the pull request in a folder of its own, Claude started elsewhere — is
 * not one.
 */
function headCheckoutOf(run) {
    const step = run.context.step;
    const job = run.context.job;
    if (!step || !job)
        return undefined;
    const claudeFolder = trimFolder((step.workingDirectory ?? run.context.workingDirectory)?.value ?? '');
    const found = headCheckoutsOf(job.steps).find((c) => c.step.index < step.index &&
        (c.folder === '' || claudeFolder === c.folder || claudeFolder.startsWith(`${c.folder}/`)));
    if (!found)
        return undefined;
    const { folder: _folder, ...checkout } = found;
    return checkout;
}


/***/ }),

/***/ 2863:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Fj: () => (/* binding */ secretsOf),
  r0: () => (/* binding */ tokenPermissionsOf),
  NG: () => (/* binding */ untrustedReachOf),
  wb: () => (/* binding */ wideGrantsOf)
});

// EXTERNAL MODULE: ./lib/model/run-powers.js
var run_powers = __webpack_require__(1547);
// EXTERNAL MODULE: ./lib/model/tool-rule.js
var tool_rule = __webpack_require__(5186);
// EXTERNAL MODULE: ./lib/model/untrusted-events.js
var untrusted_events = __webpack_require__(945);
// EXTERNAL MODULE: ./lib/model/untrusted-input.js
var untrusted_input = __webpack_require__(6770);
// EXTERNAL MODULE: ./lib/syntax/actions-expression.js
var actions_expression = __webpack_require__(1739);
;// CONCATENATED MODULE: ./lib/model/workflow-gates.js


/** Association values an outsider can have; `OWNER`, `MEMBER` and `COLLABORATOR` are the trusted ones. */
const OUTSIDER_ASSOCIATIONS = ['NONE', 'FIRST_TIMER', 'FIRST_TIME_CONTRIBUTOR', 'CONTRIBUTOR', 'MANNEQUIN'];
const UNKNOWN = { t: 'unknown' };
function not(v) {
    return v === undefined ? undefined : !v;
}
function truthy(v) {
    switch (v.t) {
        case 'bool':
            return v.v;
        case 'literal':
            return v.v !== '' && v.v !== 0 && v.v !== null && v.v !== false;
        case 'permission-check':
            return false;
        case 'unknown':
            return undefined;
        default:
            return true;
    }
}
const upper = (x) => String(x).toUpperCase();
function equals(x, y) {
    if (x.t === 'permission-check' || y.t === 'permission-check')
        return false;
    // A literal, or else this repository, on the left.
    const swap = y.t === 'literal' || (x.t !== 'literal' && y.t === 'this-repo');
    const [a, b] = swap ? [y, x] : [x, y];
    if (a.t === 'literal' && b.t === 'literal') {
        return typeof a.v === 'string' && typeof b.v === 'string' ? upper(a.v) === upper(b.v) : a.v === b.v;
    }
    if (a.t === 'literal') {
        switch (b.t) {
            case 'association':
                return b.values.includes(upper(a.v)) ? (b.values.length === 1 ? true : undefined) : false;
            case 'login':
            case 'fork':
                return false;
            case 'action':
                return b.types.includes(String(a.v)) ? (b.types.length === 1 ? true : undefined) : false;
            case 'bool':
                return b.v === undefined || typeof a.v !== 'boolean' ? undefined : a.v === b.v;
            default:
                return undefined;
        }
    }
    if (a.t === 'this-repo' && (b.t === 'fork' || b.t === 'login'))
        return false;
    // `github.actor == vars.MAINTAINER`: an outsider's login is not the one an admin set.
    if ((a.t === 'admin-set' && !a.list && b.t === 'login') ||
        (b.t === 'admin-set' && !b.list && a.t === 'login'))
        return false;
    return undefined;
}
function contains(haystack, needle) {
    const some = (f) => {
        const found = needle.t === 'association' ? needle.values : needle.t === 'action' ? needle.types : [];
        if (found.length === 0)
            return undefined;
        return found.some(f) ? undefined : false;
    };
    // `contains(fromJSON(vars.ALLOWED), github.actor)`: an allow-list only admins write. A variable read as one
    // string is not: a login may be any part of it.
    if (haystack.t === 'admin-set' && haystack.list && ['login', 'association'].includes(needle.t))
        return false;
    if (haystack.t === 'list') {
        const items = haystack.items.map(upper);
        if (needle.t === 'literal')
            return items.includes(upper(needle.v));
        if (needle.t === 'login' || needle.t === 'fork')
            return false;
        return some((x) => items.includes(upper(x)));
    }
    if (haystack.t === 'literal' && typeof haystack.v === 'string') {
        const text = haystack.v.toUpperCase();
        if (needle.t === 'literal')
            return text.includes(upper(needle.v));
        // A login may be any part of a list written as one string ('alice,bob' holds 'lice'): not a gate.
        return some((x) => text.includes(upper(x)));
    }
    // `contains(github.event.comment.author_association, 'MEMBER')` reads the association as a string.
    if (haystack.t === 'association' && needle.t === 'literal') {
        const hits = haystack.values.filter((v) => v.includes(upper(needle.v)));
        return hits.length === 0 ? false : hits.length === haystack.values.length ? true : undefined;
    }
    return undefined;
}
function fromJson(v) {
    if (v.t === 'admin-set')
        return { t: 'admin-set', list: true };
    if (v.t !== 'literal' || typeof v.v !== 'string' || v.v.length > 10_000)
        return UNKNOWN;
    try {
        const parsed = JSON.parse(v.v);
        if (Array.isArray(parsed) &&
            parsed.every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x)))
            return { t: 'list', items: parsed };
        if (parsed === null || ['string', 'number', 'boolean'].includes(typeof parsed))
            return { t: 'literal', v: parsed };
    }
    catch {
        // Not JSON: GitHub fails the run; nothing is known.
    }
    return UNKNOWN;
}
/** Paths that name the repository the workflow runs in. */
const THIS_REPO = new Set([
    'github.repository',
    'github.event.repository.full_name',
    'github.event.pull_request.base.repo.full_name',
    'github.repository_owner',
    'github.event.repository.owner.login',
    'github.event.pull_request.base.repo.owner.login',
    'github.repository_id',
    'github.event.repository.id',
    'github.event.pull_request.base.repo.id',
]);
class ConditionReader {
    scenario;
    checks;
    constructor(scenario, checks) {
        this.scenario = scenario;
        this.checks = checks;
    }
    /** The party a path names the user of, when it does. */
    party(path) {
        if (path === 'github.actor' ||
            path === 'github.triggering_actor' ||
            path.startsWith('github.event.sender.'))
            return 'actor';
        const m = /^github\.event\.([a-z_]+)\.(user|author_association|actor|triggering_actor)\b/.exec(path);
        if (!m)
            return undefined;
        if (m[1] === 'workflow_run')
            return m[2] === 'actor' || m[2] === 'triggering_actor' ? 'actor' : undefined;
        return untrusted_events/* TEXT_ROOTS */.yo.has(m[1]) ? m[1] : undefined;
    }
    ref(path) {
        const s = this.scenario;
        if (path === 'github.event_name')
            return { t: 'literal', v: s.event };
        if (path === 'github.event.action')
            return { t: 'action', types: [...s.types] };
        if (THIS_REPO.has(path))
            return { t: 'this-repo' };
        if (/^vars\.[a-z_][a-z0-9_]*$/.test(path))
            return { t: 'admin-set', list: false };
        // A payload object the event does not carry is null: `github.event.comment…` on an `issues` event.
        const root = /^github\.event\.([a-z_]+)\b/.exec(path)?.[1];
        if (root && untrusted_events/* TEXT_ROOTS */.yo.has(root) && !untrusted_events/* UNTRUSTED_EVENTS */.f4.get(s.event)?.roots.includes(root))
            return { t: 'literal', v: null };
        const needs = /^needs\.([\w-]+)\.outputs\./.exec(path);
        const steps = /^steps\.([\w-]+)\.outputs\./.exec(path);
        if ((needs && this.checks.jobs.has(needs[1])) ||
            (steps && this.checks.steps.has(steps[1])))
            return s.outsiders.has('actor') ? { t: 'permission-check' } : UNKNOWN;
        const fork = /^github\.event\.(pull_request\.head\.repo|workflow_run\.head_repository)\.(.+)$/.exec(path);
        if (fork) {
            if (!s.fromFork)
                return UNKNOWN;
            const field = fork[2];
            if (field === 'fork')
                return { t: 'literal', v: true };
            if (field === 'owner.login')
                return { t: 'login' };
            if (['full_name', 'id', 'node_id', 'name', 'url', 'html_url', 'clone_url'].includes(field))
                return { t: 'fork' };
            return UNKNOWN;
        }
        const party = this.party(path);
        if (party === undefined || !s.outsiders.has(party))
            return UNKNOWN;
        if (path.endsWith('.author_association'))
            return { t: 'association', values: OUTSIDER_ASSOCIATIONS };
        if (path.endsWith('.login') || path === 'github.actor' || path === 'github.triggering_actor')
            return { t: 'login' };
        if (path.endsWith('.type'))
            return { t: 'literal', v: 'User' };
        return UNKNOWN;
    }
    value(e) {
        switch (e.kind) {
            case 'literal':
                return { t: 'literal', v: e.value };
            case 'ref':
                return this.ref(e.path);
            case 'opaque':
                return UNKNOWN;
            case 'not':
                return { t: 'bool', v: not(truthy(this.value(e.operand))) };
            case 'call':
                return this.call(e.name, e.args);
            case 'binary': {
                if (e.op === '&&' || e.op === '||') {
                    const a = truthy(this.value(e.left));
                    const b = truthy(this.value(e.right));
                    if (e.op === '&&')
                        return { t: 'bool', v: a === false || b === false ? false : a && b };
                    return {
                        t: 'bool',
                        v: a === true || b === true ? true : a === false && b === false ? false : undefined,
                    };
                }
                const left = this.value(e.left);
                const right = this.value(e.right);
                if (e.op === '==')
                    return { t: 'bool', v: equals(left, right) };
                // A comparison with what a permission check gave asks that the outsider passed it: they did not.
                if (left.t === 'permission-check' || right.t === 'permission-check')
                    return { t: 'bool', v: false };
                if (e.op === '!=')
                    return { t: 'bool', v: not(equals(left, right)) };
                return UNKNOWN;
            }
        }
    }
    call(name, args) {
        const values = () => args.map((a) => this.value(a));
        switch (name) {
            case 'contains': {
                const [a, b] = values();
                return a && b ? { t: 'bool', v: contains(a, b) } : UNKNOWN;
            }
            case 'fromjson': {
                const [a] = values();
                return a ? fromJson(a) : UNKNOWN;
            }
            case 'always':
                return { t: 'bool', v: true };
            case 'startswith':
            case 'endswith': {
                const [a, b] = values();
                // An outsider's login never ends in `[bot]`: GitHub keeps that for apps.
                if (name === 'endswith' && a?.t === 'login' && b?.t === 'literal' && upper(b.v) === '[BOT]')
                    return { t: 'bool', v: false };
                if (a?.t === 'literal' && b?.t === 'literal' && typeof a.v === 'string' && typeof b.v === 'string') {
                    const [x, y] = [a.v.toUpperCase(), b.v.toUpperCase()];
                    return { t: 'bool', v: name === 'startswith' ? x.startsWith(y) : x.endsWith(y) };
                }
                return UNKNOWN;
            }
            default:
                return UNKNOWN;
        }
    }
}
/**
 * Whether a condition can hold under the scenario: `false` when it keeps the outsider out, `true` or
 * `undefined` (not known) otherwise. A condition that does not parse is not known.
 */
/** Conditions parsed recently: the same `if:` is read for every run of its job and every scenario. */
const PARSED = new Map();
function parsed(text) {
    if (PARSED.has(text))
        return PARSED.get(text);
    const tree = (0,actions_expression/* parseExpression */.YK)(text);
    if (text.length > 4096)
        return tree;
    if (PARSED.size >= 512)
        PARSED.clear();
    PARSED.set(text, tree);
    return tree;
}
function conditionHolds(condition, scenario, checks) {
    const text = (0,actions_expression/* conditionText */.D3)(condition);
    if (text === undefined)
        return true;
    if (text === '')
        return true;
    const tree = parsed(text);
    if (!tree)
        return undefined;
    return truthy(new ConditionReader(scenario, checks).value(tree));
}
/** A step that asks GitHub for the actor's permission or association, and the API paths and actions that do. */
const PERMISSION_CHECK = /collaborators\/[^\s/]+\/permission|getCollaboratorPermissionLevel|checkCollaborator|author_association|\/teams\/[^\s/]+\/memberships\/|orgs\/[^\s/]+\/members\/|checkMembershipForUser|getMembershipForUserInOrg/;
const CHECKS = new WeakMap();
/**
 * A script with the space inside each `${{ … }}` taken out (`${{ github.actor }}` → `${{github.actor}}`), so
 * that an API path written with expressions reads as one word whatever the spacing.
 */
function compactExpressions(script) {
    return script.replace(/\$\{\{[^}]{0,512}\}\}/g, (x) => x.replace(/\s+/g, ''));
}
function isPermissionCheck(step) {
    const known = CHECKS.get(step);
    if (known !== undefined)
        return known;
    const uses = step.uses?.value.split('@')[0] ?? '';
    const script = [step.run?.value ?? '', step.with.script?.value ?? ''].join('\n');
    const is = /permission|collaborator|is-member|team-membership|org-member/i.test(uses) ||
        PERMISSION_CHECK.test(script) ||
        (script.includes('${{') && PERMISSION_CHECK.test(compactExpressions(script)));
    CHECKS.set(step, is);
    return is;
}
const FAILS = /\bexit\s+[1-9]|setFailed\s*\(|process\.exit\s*\(\s*[1-9]|throw\s+new\s+Error/;
/** A permission check that fails the job for an outsider: it exits non-zero or calls `core.setFailed`. */
function failsForOutsiders(step) {
    if (!isPermissionCheck(step))
        return false;
    if (step.uses && !/github-script/i.test(step.uses.value))
        return !step.id;
    const script = [step.run?.value ?? '', step.with.script?.value ?? ''].join('\n');
    return FAILS.test(script);
}
const FIRST_FAILING = new WeakMap();
/** Where a job first fails for an outsider (a step index), or `Infinity`; read once per job. */
function firstFailing(job) {
    const known = FIRST_FAILING.get(job);
    if (known !== undefined)
        return known;
    let found = Infinity;
    const ids = [];
    for (const s of job.steps) {
        const fails = s.if
            ? ids.some((id) => s.if?.value.includes(`steps.${id}.outputs`)) && FAILS.test(s.run?.value ?? '')
            : failsForOutsiders(s);
        if (fails) {
            found = s.index;
            break;
        }
        if (s.id && isPermissionCheck(s) && ids.length < 64)
            ids.push(s.id.value);
    }
    FIRST_FAILING.set(job, found);
    return found;
}
/**
 * Whether a step before `before` fails the job for an outsider: a permission check that fails on its own, or a
 * step that exits when a check's output says so (`if: steps.check.outputs.ok == 'false'` then `exit 1`).
 */
function failsBefore(job, before) {
    return firstFailing(job) < before;
}
const PERMISSION_CHECKS = new WeakMap();
const CHECK_JOBS = new WeakMap();
function permissionChecks(workflow, job) {
    const known = PERMISSION_CHECKS.get(job);
    if (known)
        return known;
    let jobs = CHECK_JOBS.get(workflow);
    if (!jobs) {
        jobs = new Set(workflow.jobs.filter((j) => j.steps.some(isPermissionCheck)).map((j) => j.id));
        CHECK_JOBS.set(workflow, jobs);
    }
    const steps = new Set(job.steps.flatMap((s) => (s.id && isPermissionCheck(s) ? [s.id.value] : [])));
    const checks = { steps, jobs };
    PERMISSION_CHECKS.set(job, checks);
    return checks;
}
/**
 * A job this one waits for (`needs:`) that fails for an outsider, when this job's `if:` does not run it
 * anyway (`always()`, `failure()`, `!cancelled()`): the job is then skipped.
 */
function failingNeededJob(workflow, job) {
    if (!job.needs || (job.if && /\b(always|failure|cancelled)\s*\(/.test(job.if.value)))
        return undefined;
    const needs = new Set(job.needs);
    return workflow.jobs.find((other) => other !== job && needs.has(other.id) && firstFailing(other) < Infinity);
}

;// CONCATENATED MODULE: ./lib/model/workflow-trust.js





function tokenPermissionsOf(workflow, job) {
    const given = job?.permissions ?? workflow.permissions;
    const scopes = job?.permissions ? job.permissionScopes : workflow.permissionScopes;
    if (!given)
        return { level: 'default', writes: [] };
    const value = given.value;
    if (typeof value === 'string') {
        const v = value.trim();
        if (v === 'write-all')
            return { level: 'write', writes: ['all'], span: given.span };
        if (v === 'read-all')
            return { level: 'read', writes: [], span: given.span };
        return { level: 'unknown', writes: [], span: given.span };
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
        return { level: 'unknown', writes: [], span: given.span };
    const entries = Object.entries(value);
    // `id-token: write` only lets the job ask for an OIDC token.
    const writes = entries.filter(([k, v]) => v === 'write' && k !== 'id-token').map(([k]) => k);
    // Pointed at the first scope that can write, where the reader located it.
    const first = writes.map((w) => scopes?.[w]).find((x) => x !== undefined);
    if (writes.length > 0)
        return { level: 'write', writes, span: first?.span ?? given.span };
    return { level: entries.some(([, v]) => v === 'read') ? 'read' : 'none', writes: [], span: given.span };
}
const OWN_TOKEN = /^secrets\.github_token$/i;
function secretsOf(run) {
    const out = [];
    const seen = new Set();
    const add = (expression, span, via) => {
        const m = /^secrets\.([A-Za-z_][A-Za-z0-9_]*)$/i.exec(expression) ??
            /\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)/i.exec(expression);
        if (!m || OWN_TOKEN.test(`secrets.${m[1]}`))
            return;
        const key = `${span.line}:${span.column}`;
        if (seen.has(key))
            return;
        seen.add(key);
        out.push({ name: m[1], span, via });
    };
    for (const e of run.env) {
        if (e.origin !== 'secret')
            continue;
        for (const x of (0,untrusted_input/* expressionsOfArg */.HG)(e.value))
            add(x.expression, x.span, `env ${e.name}`);
    }
    const step = run.context.step;
    for (const x of step?.expressions ?? []) {
        if (run.kind === 'action' && x.in.startsWith('with.'))
            add(x.expression, x.span, `the ${x.in.slice(5)} input`);
        // A script the step runs gets the step's env.
        if (run.kind === 'cli' && x.in.startsWith('env.') && step && run.path !== step.span.path)
            add(x.expression, x.span, `env ${x.in.slice(4)} of the step that runs ${run.path}`);
    }
    return out;
}
/** Bypass mode and unscoped shell grants the run holds (its own, inline settings, the project's settings). */
function wideGrantsOf(model, run) {
    const out = [];
    const bypass = (0,run_powers/* bypassOf */.AX)(model, run);
    if (bypass)
        out.push({ span: bypass, kind: 'bypass', what: 'bypass mode' });
    for (const rule of (0,run_powers/* runGrants */.rJ)(model, run)) {
        if ((0,tool_rule/* isUnscopedShell */.sn)(rule.value))
            out.push({ span: rule.span, kind: 'shell', what: `an unscoped shell (${rule.value.raw.trim()})` });
    }
    return out;
}
const CODE_EVENTS = new Set(['pull_request_target', 'workflow_run']);
/**
 * Whether claude-code-action at a ref is at least a release: a floating `v1`, `main` or a commit SHA are taken
 * as recent; `beta` and `v0…` as the old line.
 */
function actionAtLeast(ref, release) {
    if (/^[0-9a-f]{40}$/i.test(ref) || ref === 'main' || ref === 'v1')
        return true;
    const m = /^v(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(ref);
    if (!m)
        return ref !== 'beta' && !ref.startsWith('v0');
    const have = [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
    for (const [i, want] of release.entries()) {
        const got = have[i];
        if (got !== want)
            return got > want;
    }
    return true;
}
/**
 * Events claude-code-action refuses ("Unsupported event type"): discussions always, `pull_request_target`
 * before v1.0.9, `workflow_run` before v1.0.0.
 */
function actionRefuses(ref, event) {
    if (event === 'discussion' || event === 'discussion_comment')
        return true;
    if (event === 'pull_request_target')
        return !actionAtLeast(ref, [1, 0, 9]);
    if (event === 'workflow_run')
        return !actionAtLeast(ref, [1, 0, 0]);
    return false;
}
function entriesOf(model, workflow, job, step) {
    const untrusted = (on) => on.filter((t) => untrusted_events/* UNTRUSTED_EVENTS */.f4.has(t.event.value));
    const own = [job.if, step.if].filter((c) => c !== undefined);
    const failing = failsBefore(job, step.index) || failingNeededJob(workflow, job) !== undefined;
    const out = [];
    const triggers = untrusted(workflow.on);
    if (triggers.length > 0) {
        out.push({
            triggers,
            conditions: own,
            checks: permissionChecks(workflow, job),
            failing,
            jobSpan: job.span,
            job: { id: job.id },
        });
    }
    // A reusable workflow runs with the event of the workflow that calls it (`uses: ./.github/workflows/x.yml`).
    if (!workflow.on.some((t) => t.event.value === 'workflow_call'))
        return out;
    for (const caller of model.workflows) {
        const callerTriggers = untrusted(caller.on);
        if (caller === workflow || callerTriggers.length === 0)
            continue;
        for (const callerJob of caller.jobs) {
            const target = callerJob.uses?.value.replace(/^\.\//, '').replace(/@.*$/, '');
            if (target !== workflow.path)
                continue;
            out.push({
                triggers: callerTriggers,
                conditions: [...(callerJob.if ? [callerJob.if] : []), ...own],
                checks: permissionChecks(caller, callerJob),
                failing: failing || failingNeededJob(caller, callerJob) !== undefined,
                jobSpan: callerJob.span,
                job: { id: callerJob.id, callerPath: caller.path },
                caller: { workflow: caller, job: callerJob },
            });
        }
    }
    return out;
}
/**
 * Whether, and how, people outside the repository reach a Claude run of a workflow (directly, or through a
 * workflow that calls it); `undefined` when they do not (no such trigger, a gate keeps them out, or
 * claude-code-action's own check of the actor does).
 */
function untrustedReachOf(model, run) {
    const { workflow, job, step } = run.context;
    if (run.context.surface !== 'workflow' || !workflow || !job || !step)
        return undefined;
    const entries = entriesOf(model, workflow, job, step);
    if (entries.length === 0)
        return undefined;
    const sources = (0,untrusted_input/* textSourcesOf */.VE)(run);
    const checkout = (0,untrusted_input/* headCheckoutOf */.aH)(run);
    const action = run.kind === 'action' && run.action?.action === 'claude-code-action' ? run.action : undefined;
    const nonWrite = action?.inputs.allowed_non_write_users;
    const bots = action?.inputs.allowed_bots;
    const opener = nonWrite && nonWrite.value.trim() !== ''
        ? { span: nonWrite.span, kind: 'allowed-non-write-users', value: nonWrite.value.trim() }
        : bots?.value.trim() === '*'
            ? { span: bots.span, kind: 'allowed-bots', value: '*' }
            : undefined;
    const reach = { events: [], texts: [], callers: [] };
    const seen = new Set();
    const addTexts = (list) => {
        for (const t of list) {
            if (seen.has(t))
                continue;
            seen.add(t);
            reach.texts.push(t);
        }
    };
    const reached = (entry) => {
        if (entry.caller && !reach.callers.includes(entry.caller))
            reach.callers.push(entry.caller);
    };
    let actorEntry;
    let actionUnchecked = false;
    for (const entry of entries) {
        const passes = (scenario) => entry.conditions.every((c) => conditionHolds(c.value, scenario, entry.checks) !== false);
        for (const trigger of entry.triggers) {
            const event = trigger.event.value;
            const facts = untrusted_events/* UNTRUSTED_EVENTS */.f4.get(event);
            if (action && actionRefuses(action.ref, event))
                continue;
            const types = (0,untrusted_events/* triggerTypes */.An)(trigger);
            const checked = action !== undefined && (event !== 'workflow_run' || actionAtLeast(action.ref, [1, 0, 185]));
            const asActor = types.filter((t) => facts.byOutsider.includes(t));
            if (asActor.length > 0 && (!checked || opener)) {
                const scenario = {
                    event,
                    types: new Set(asActor),
                    outsiders: new Set(['actor', facts.own]),
                    fromFork: CODE_EVENTS.has(event),
                };
                if (!entry.failing && passes(scenario)) {
                    actorEntry ??= entry;
                    if (action && !checked)
                        actionUnchecked = true;
                    reach.events.push({ trigger, types: asActor, as: 'actor', roots: [] });
                    addTexts(sources.filter((s) => s.texts.some((t) => (0,untrusted_events/* textInEvent */.n2)(t, event))));
                    if (checkout && CODE_EVENTS.has(event))
                        reach.checkout = checkout;
                    reached(entry);
                    continue;
                }
            }
            for (const other of facts.others) {
                const when = other.types === 'any' ? types : types.filter((t) => other.types.includes(t));
                if (when.length === 0)
                    continue;
                const texts = sources.filter((s) => s.texts.some((t) => (0,untrusted_events/* rootsOfText */.Ih)(t, event).includes(other.root)));
                const code = checkout && other.root === 'pull_request' && event === 'pull_request_target' ? checkout : undefined;
                if (texts.length === 0 && !code)
                    continue;
                const scenario = {
                    event,
                    types: new Set(when),
                    outsiders: new Set([other.root]),
                    fromFork: other.root === 'pull_request',
                };
                if (!passes(scenario))
                    continue;
                const known = reach.events.find((e) => e.trigger === trigger);
                if (!known)
                    reach.events.push({ trigger, types: when, as: 'content', roots: [other.root] });
                else if (known.as === 'content' && !known.roots.includes(other.root))
                    known.roots.push(other.root);
                addTexts(texts);
                if (code)
                    reach.checkout = code;
                reached(entry);
            }
        }
    }
    if (reach.events.length === 0)
        return undefined;
    if (actorEntry) {
        if (action && opener)
            reach.opening = opener;
        else if (action && actionUnchecked)
            reach.opening = { span: action.uses.span, kind: 'unchecked-workflow-run', value: action.ref };
        else {
            const gate = actorEntry.conditions[0];
            reach.opening = gate
                ? { span: gate.span, kind: 'weak-gate', value: gate.value, job: actorEntry.job }
                : { span: actorEntry.jobSpan, kind: 'no-gate', job: actorEntry.job };
        }
        if (reach.opening.kind === 'allowed-non-write-users' && action) {
            const onlyThis = reach.events.every((e) => e.as === 'actor');
            if (!action.inputs.github_token && onlyThis)
                reach.limited = 'no-github-token';
            else if (reach.opening.value !== '*' && onlyThis)
                reach.limited = 'named-users';
        }
    }
    reach.texts.sort((a, b) => a.span.line - b.span.line || a.span.column - b.span.column);
    return reach;
}


/***/ }),

/***/ 6298:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SO: () => (/* binding */ compileGlob),
/* harmony export */   T8: () => (/* binding */ firstGlobError),
/* harmony export */   eN: () => (/* binding */ globsMatcher),
/* harmony export */   mb: () => (/* binding */ MAX_GLOB_PATTERNS)
/* harmony export */ });
/* unused harmony export MAX_GLOB_LENGTH */
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
/**
 * At most this many patterns (globs, each `{…}` alternative counted) in one policy file. Each pattern is
 * tried against every path it may match (every file for `ignore`, every finding's file for an exception):
 * a hostile policy of 100 000 globs made a scan of 3 000 files take a minute.
 */
const MAX_GLOB_PATTERNS = 1000;
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
    const compiled = compilePatterns(glob);
    if ('error' in compiled)
        return compiled;
    return { match: (path) => matchParts(compiled, path.split('/')), patterns: compiled.length };
}
function matchParts(compiled, parts) {
    return compiled.some((segments) => greedy(segments, parts, (s) => s.kind === 'globstar', matchSegment));
}
/** The patterns a glob expands to, each as its segments. */
function compilePatterns(glob) {
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
    return compiled;
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
/**
 * One matcher for several globs, each already valid (a policy or input that was checked). A glob written
 * twice is tried once, and a path is split once for all of them.
 */
function globsMatcher(globs) {
    const patterns = [];
    for (const glob of new Set(globs)) {
        const compiled = compilePatterns(glob);
        if ('error' in compiled)
            throw new Error(`invalid glob "${glob}": ${compiled.error}`);
        patterns.push(...compiled);
    }
    if (patterns.length === 0)
        return () => false;
    return (path) => matchParts(patterns, path.split('/'));
}


/***/ }),

/***/ 2012:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  mk: () => (/* binding */ MAX_POLICY_BYTES),
  pn: () => (/* reexport */ errors_PolicyError),
  v4: () => (/* reexport */ issueText),
  tb: () => (/* binding */ loadPolicy)
});

// UNUSED EXPORTS: MAX_EXTENDS_DEPTH, MAX_POLICY_FILES, parsePolicy, parsePolicyFile, resolvePolicy

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./lib/fs/names.js
var names = __webpack_require__(3259);
// EXTERNAL MODULE: ./lib/fs/read.js
var fs_read = __webpack_require__(9495);
;// CONCATENATED MODULE: ./lib/policy/errors.js
function issueText(issue) {
    return `${issue.file}:${issue.line}:${issue.column}: ${issue.message}`;
}
/**
 * A policy that cannot be used: every problem found, each with its place. `file`, `line`, `column` and
 * `detail` are those of the first; the message lists them all, one per line.
 */
class errors_PolicyError extends Error {
    file;
    line;
    column;
    detail;
    issues;
    constructor(...args) {
        const issues = args.length === 1 ? args[0] : [{ file: args[0], line: args[1], column: args[2], message: args[3] }];
        super(issues.map(issueText).join('\n'));
        const first = issues[0];
        this.file = first.file;
        this.line = first.line;
        this.column = first.column;
        this.detail = first.message;
        this.issues = issues;
        this.name = 'PolicyError';
    }
}

// EXTERNAL MODULE: ./lib/model/keyed.js
var keyed = __webpack_require__(3939);
// EXTERNAL MODULE: ./lib/model/types.js
var types = __webpack_require__(3356);
// EXTERNAL MODULE: ./lib/model/powers.js
var powers = __webpack_require__(5891);
// EXTERNAL MODULE: ./lib/rules/registry.js + 48 modules
var registry = __webpack_require__(678);
// EXTERNAL MODULE: ./lib/policy/policy.js
var policy_policy = __webpack_require__(3506);
;// CONCATENATED MODULE: ./lib/policy/merge.js






/**
 * The lists of the policy a rule reads: when a policy locks the rule, a policy applied after it may narrow
 * them but not widen them (a wider allow list is the rule turned partly off).
 */
const LOCKED_LISTS = [
    { rule: 'CG101', key: 'dangerous-mode.allow-in', get: (p) => p.dangerousModeAllowIn },
    { rule: 'CG106', key: 'tools.allow', get: (p) => p.tools.allow },
    { rule: 'CG303', key: 'network.allowed-endpoints', get: (p) => p.allowedEndpoints },
    { rule: 'CG303', key: 'network.allowed-proxies', get: (p) => p.allowedProxies },
    { rule: 'CG603', key: 'mcp.allowed-servers', get: (p) => p.mcp.allowedServers },
    { rule: 'CG605', key: 'plugins.allowed-sources', get: (p) => p.plugins.allowedSources },
];
function effectiveSeverity(id, rule) {
    return rule?.severity ?? (0,registry/* ruleById */.BD)(id)?.meta.severity;
}
/**
 * Applies one policy file over `base` (the built-in policy, or what the files before it made): what it sets
 * replaces, except lists that add up — `ignore`, `tools.deny`, `mcp.sensitive-servers`, the `ci`
 * requirements, `exceptions` — and the suppression requirements, where the stricter wins. Environments are
 * replaced by name. A rule locked by an earlier file cannot be turned off, lowered, excepted or have its
 * lists widened: every such attempt is an error naming both places.
 */
function merge_mergePolicyFile(base, parsed) {
    const { data: file, at } = parsed;
    const issues = [];
    const origins = Object.assign((0,keyed/* keyedByText */.F)(), base.origins);
    const set = (key, path) => {
        origins[key] = at(path);
    };
    const lockedBy = (id) => {
        const lock = base.rules[id]?.locked;
        return lock && lock.file !== parsed.file ? lock : undefined;
    };
    const refuse = (path, id, lock, what, onKey = false) => {
        issues.push({
            ...at(path, onKey),
            message: `${id} is locked by ${(0,policy_policy/* originText */.CQ)(lock)}: a policy extending it cannot ${what}`,
        });
    };
    // Rules.
    const rules = Object.assign(Object.create(null), base.rules);
    for (const [id, setting] of Object.entries(file.rules ?? {})) {
        if (setting === undefined)
            continue;
        const before = base.rules[id];
        const lock = lockedBy(id);
        const next = { off: before?.off ?? false };
        if (before?.severity)
            next.severity = before.severity;
        if (before?.locked)
            next.locked = before.locked;
        if (setting === 'off')
            next.off = true;
        else {
            if (setting.enabled !== undefined)
                next.off = !setting.enabled;
            if (setting.severity)
                next.severity = setting.severity;
            if (setting.locked === true && !next.locked)
                next.locked = at(['rules', id, 'locked']);
            if (setting.locked === false && lock)
                refuse(['rules', id, 'locked'], id, lock, 'unlock it');
        }
        if (lock) {
            if (next.off && !before?.off)
                refuse(['rules', id], id, lock, 'turn it off');
            const was = effectiveSeverity(id, before);
            if (next.severity && was && (0,types/* severityRank */.q)(next.severity) > (0,types/* severityRank */.q)(was))
                refuse(['rules', id, 'severity'], id, lock, `lower its severity below ${was}`);
        }
        rules[id] = next;
        set(`rules.${id}`, ['rules', id]);
    }
    const policy = {
        ...base,
        sources: [...base.sources.filter((s) => s !== '(built-in)'), parsed.file],
        rules,
        origins,
    };
    if (file['fail-on'] !== undefined) {
        policy.failOn = file['fail-on'];
        set('fail-on', ['fail-on']);
    }
    if (file.block !== undefined) {
        policy.block = file.block;
        set('block', ['block']);
    }
    if (file.ignore !== undefined) {
        policy.ignore = [...new Set([...base.ignore, ...file.ignore])];
        set('ignore', ['ignore']);
    }
    if (file['dangerous-mode'] !== undefined) {
        policy.dangerousModeAllowIn = file['dangerous-mode']['allow-in'];
        set('dangerous-mode.allow-in', ['dangerous-mode', 'allow-in']);
    }
    if (file.network?.['allowed-endpoints'] !== undefined) {
        policy.allowedEndpoints = file.network['allowed-endpoints'];
        set('network.allowed-endpoints', ['network', 'allowed-endpoints']);
    }
    if (file.network?.['allowed-proxies'] !== undefined) {
        policy.allowedProxies = file.network['allowed-proxies'];
        set('network.allowed-proxies', ['network', 'allowed-proxies']);
    }
    if (file.tools) {
        policy.tools = { ...base.tools, deny: [...new Set([...base.tools.deny, ...(file.tools.deny ?? [])])] };
        if (file.tools.allow !== undefined) {
            policy.tools.allow = file.tools.allow;
            set('tools.allow', ['tools', 'allow']);
        }
        if (file.tools.deny !== undefined)
            set('tools.deny', ['tools', 'deny']);
    }
    if (file.mcp) {
        policy.mcp = {
            ...base.mcp,
            sensitiveServers: [
                ...new Set([...base.mcp.sensitiveServers, ...(file.mcp['sensitive-servers'] ?? [])]),
            ],
        };
        if (file.mcp['allowed-servers'] !== undefined) {
            policy.mcp.allowedServers = file.mcp['allowed-servers'];
            set('mcp.allowed-servers', ['mcp', 'allowed-servers']);
        }
        if (file.mcp['sensitive-servers'] !== undefined)
            set('mcp.sensitive-servers', ['mcp', 'sensitive-servers']);
    }
    if (file.plugins?.['allowed-sources'] !== undefined) {
        policy.plugins = { allowedSources: file.plugins['allowed-sources'] };
        set('plugins.allowed-sources', ['plugins', 'allowed-sources']);
    }
    if (file.ci) {
        const add = (a, b) => [
            ...new Set([...a, ...(b ?? [])]),
        ];
        policy.ci = {
            requireFlags: add(base.ci.requireFlags, file.ci['require-flags']),
            forbidFlags: add(base.ci.forbidFlags, file.ci['forbid-flags']),
            requireEnv: add(base.ci.requireEnv, file.ci['require-env']),
        };
        for (const key of ['require-flags', 'forbid-flags', 'require-env'])
            if (file.ci[key] !== undefined)
                set(`ci.${key}`, ['ci', key]);
    }
    if (file.environments) {
        const byName = new Map(base.environments.map((e) => [e.name, e]));
        const lock = lockedBy('CG105');
        for (const [name, env] of Object.entries(file.environments)) {
            const before = byName.get(name);
            const next = {
                name,
                maxRisk: env['max-risk'],
                workflowEnvironments: env.match?.['workflow-environments'] ?? [],
                paths: env.match?.paths ?? [],
                default: env.default === true,
                allow: env.tools?.allow ?? [],
                deny: env.tools?.deny ?? [],
                origin: at(['environments', name], true),
            };
            if (lock && before) {
                if ((0,powers/* riskRank */.wv)(next.maxRisk) > (0,powers/* riskRank */.wv)(before.maxRisk))
                    refuse(['environments', name, 'max-risk'], 'CG105', lock, `raise the max-risk of ${name} above ${before.maxRisk}`);
                const added = next.allow.filter((t) => !before.allow.includes(t));
                if (added.length > 0)
                    refuse(['environments', name, 'tools', 'allow'], 'CG105', lock, `allow more in ${name} (${added.join(', ')})`);
            }
            if (next.default)
                for (const [other, e] of byName)
                    if (e.default)
                        byName.set(other, { ...e, default: false });
            byName.set(name, next);
            set(`environments.${name}`, ['environments', name]);
        }
        policy.environments = [...byName.values()];
    }
    if (file.exceptions) {
        const added = file.exceptions.map((e, i) => ({ ...e, origin: at(['exceptions', i]) }));
        for (const [i, e] of added.entries()) {
            const lock = lockedBy(e.rule);
            if (lock)
                refuse(['exceptions', i, 'rule'], e.rule, lock, 'except it');
        }
        policy.exceptions = [...base.exceptions, ...added];
        set('exceptions', ['exceptions']);
    }
    if (file.suppressions) {
        const s = file.suppressions;
        // The stricter wins: a policy cannot relax what one it extends asks of a suppression.
        policy.suppressions = {
            allowed: base.suppressions.allowed && s.allowed !== false,
            requireReason: base.sources.includes('(built-in)') && s['require-reason'] !== undefined
                ? s['require-reason']
                : base.suppressions.requireReason || s['require-reason'] === true,
            requireOwner: base.suppressions.requireOwner || s['require-owner'] === true,
            requireExpiry: base.suppressions.requireExpiry || s['require-expiry'] === true,
        };
        set('suppressions', ['suppressions']);
    }
    // Lists a locked rule reads may narrow, not widen.
    for (const { rule, key, get } of LOCKED_LISTS) {
        const lock = lockedBy(rule);
        if (!lock || origins[key] === base.origins[key])
            continue;
        const before = get(base);
        const after = get(policy) ?? [];
        if (before === undefined)
            continue; // nothing was listed: any value narrows
        const widened = after.filter((v) => !before.includes(v));
        if (widened.length > 0)
            refuse(key.split('.'), rule, lock, `widen ${key} (${widened.join(', ')})`);
    }
    if (issues.length > 0) {
        issues.sort((a, b) => a.line - b.line || a.column - b.column);
        throw new errors_PolicyError(issues);
    }
    return policy;
}

// EXTERNAL MODULE: ./lib/policy/glob.js
var glob = __webpack_require__(6298);
// EXTERNAL MODULE: ./lib/policy/schema.js
var schema = __webpack_require__(5991);
;// CONCATENATED MODULE: ./lib/policy/load.js











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
        else if ((0,dist/* isSeq */.oP)(node)) {
            node = node.items[Number(step)];
            key = undefined;
        }
        else
            break;
    }
    return { node: node ?? key ?? undefined, key };
}
/** The most telling issue: inside a union, the branch that got furthest. */
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
/** What one zod issue says, as problems placed at a key path (one per unknown key). */
function describe(outer) {
    const issue = deepest(outer);
    if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((unknown) => {
            const path = [...issue.path, unknown];
            if (keyPath(issue.path) === 'rules')
                return {
                    path,
                    message: `rules: "${unknown}" is not a claude-guard rule id (CG101, CG102…)`,
                    onKey: true,
                };
            const at = issue.path.length > 0 ? ` in ${keyPath(issue.path)}` : '';
            return { path, message: `unknown key "${unknown}"${at}`, onKey: true };
        });
    }
    const where = issue.path.length > 0 ? keyPath(issue.path) : 'the policy';
    return [{ path: issue.path, message: `${where}: ${issue.message}`, onKey: issue.code === 'invalid_key' }];
}
/** At most this many problems of one file are reported. */
const MAX_ISSUES = 50;
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** A policy's text is at most this long, whatever read it (a file, git, the API): 1 MiB. */
const MAX_POLICY_BYTES = 1024 * 1024;
/** Parses and checks policy text; throws a PolicyError listing every problem, each placed. */
function parsePolicyFile(text, file) {
    // Parsing takes about a second and 200 MB per MiB: a longer text is refused before it, wherever it came
    // from (a remote API can say one size and send another). Its UTF-8 bytes are at least its length.
    if (text.length > MAX_POLICY_BYTES)
        throw new errors_PolicyError(file, 1, 1, 'the policy file is larger than 1 MiB');
    const lineCounter = new dist/* LineCounter */.HN();
    const doc = (0,dist/* parseDocument */.Tp)(text.replace(/^\uFEFF/, ''), {
        lineCounter,
        prettyErrors: false,
        // The parser's own check compares every key with every other (minutes for a hostile file of 100,000
        // keys): duplicates are found below, in one pass per map.
        uniqueKeys: false,
    });
    const place = (offset) => {
        const pos = lineCounter.linePos(offset);
        return { line: pos.line, column: pos.col };
    };
    if (doc.errors.length > 0)
        throw new errors_PolicyError(doc.errors.slice(0, 20).map((e) => ({
            file,
            ...place(e.pos[0]),
            message: `invalid YAML: ${e.message.split('\n')[0]}`,
        })));
    // A key that JavaScript objects treat specially would vanish (or replace a prototype) on the way to the
    // schema, and so never be refused: it is refused here, where it is written.
    // A key written twice would silently keep one of its values: refused, as is a key that is not a plain
    // scalar (a map or a list as a key).
    const reserved = [];
    (0,dist/* visit */.YR)(doc, {
        Map(_key, map) {
            const keys = new Set();
            for (const pair of map.items) {
                if (reserved.length >= MAX_ISSUES)
                    return dist/* visit */.YR.BREAK;
                const where = { file, ...place(pair.key?.range?.[0] ?? map.range?.[0] ?? 0) };
                if (!(0,dist/* isScalar */.jn)(pair.key)) {
                    reserved.push({ ...where, message: 'a key must be a plain word, not a map or a list' });
                    continue;
                }
                const name = String(pair.key.value);
                if (RESERVED_KEYS.has(name))
                    reserved.push({ ...where, message: `unknown key "${name}"` });
                else if (keys.has(name))
                    reserved.push({ ...where, message: `the key "${name}" is written twice` });
                keys.add(name);
            }
            return undefined;
        },
    });
    if (reserved.length > 0)
        throw new errors_PolicyError(reserved);
    let data;
    try {
        data = doc.toJS({ maxAliasCount: 100 });
    }
    catch (error) {
        throw new errors_PolicyError(file, 1, 1, `cannot read the policy: ${error.message}`);
    }
    if (data === null || data === undefined)
        throw new errors_PolicyError(file, 1, 1, 'the policy is empty; it needs at least "version: 1"');
    const at = (path, onKey = false) => {
        const found = nodeAt(doc.contents, path);
        const target = onKey ? (found.key ?? found.node) : (found.node ?? found.key);
        return { file, ...place(target?.range?.[0] ?? 0) };
    };
    const result = schema/* PolicySchema */.Qz.safeParse(data);
    if (!result.success) {
        const issues = [];
        const seen = new Set();
        // A file can hold a hundred thousand mistakes: the first ones are located and reported, the rest counted
        // (placing each costs a walk of its map).
        let more = 0;
        for (const issue of result.error.issues) {
            for (const { path, message, onKey } of describe(issue)) {
                if (issues.length >= MAX_ISSUES) {
                    more++;
                    continue;
                }
                const origin = at(path, onKey);
                const text = issueText({ ...origin, message });
                if (seen.has(text))
                    continue;
                seen.add(text);
                issues.push({ ...origin, message });
            }
        }
        issues.sort((a, b) => a.line - b.line || a.column - b.column);
        if (more > 0)
            issues.push({ file, line: 1, column: 1, message: `and ${more} more problems` });
        throw new errors_PolicyError(issues);
    }
    return { file, data: result.data, at };
}
/**
 * Parses one policy file over `base` (the built-in policy unless given). A file that extends others needs
 * `resolvePolicy`, which reads them.
 */
function parsePolicy(text, file, base = defaultPolicy()) {
    const parsed = parsePolicyFile(text, file);
    if (parsed.data.extends !== undefined) {
        const origin = parsed.at(['extends']);
        throw new PolicyError(origin.file, origin.line, origin.column, 'extends: the policies it names were not read');
    }
    return mergePolicyFile(base, parsed);
}
function placeName(place) {
    return place.kind === 'local' ? place.path : `${place.owner}/${place.repo}/${place.path}@${place.ref}`;
}
function placeIdentity(place) {
    return place.kind === 'local'
        ? `local:${place.path}`
        : `remote:${place.owner.toLowerCase()}/${place.repo.toLowerCase()}/${place.path}@${place.ref}`;
}
const MAX_EXTENDS_DEPTH = 8;
/** A policy and everything it extends are at most this many files (each extends up to 16, 8 deep). */
const MAX_POLICY_FILES = 32;
/**
 * Parses a policy and every policy it extends, in order (later entries win, the file itself last), over the
 * built-in policy. `display` names the file in messages; `place` is where its relative `extends` resolve.
 * Cycles, chains deeper than the limit, more than MAX_POLICY_FILES files, more than MAX_GLOB_PATTERNS path
 * globs in all and sources that cannot be read are errors naming the chain; a rule locked by an extended
 * policy cannot be loosened (an error naming both files and lines).
 */
async function resolvePolicy(text, display, place, options) {
    const maxDepth = options.maxDepth ?? MAX_EXTENDS_DEPTH;
    // The chain, flattened: each file after the files it extends (in their order), each file once. Folding
    // them over the built-in policy in this order makes later entries win, and lets every lock be checked
    // against every file applied after the one that set it.
    const order = [];
    const applied = new Set();
    let files = 1;
    let globs = 0;
    const visit = async (fileText, name, where, chain, identities) => {
        const parsed = parsePolicyFile(fileText, name);
        const entries = parsed.data.extends === undefined ? [] : [].concat(parsed.data.extends);
        for (const [i, entry] of entries.entries()) {
            const origin = parsed.at(typeof parsed.data.extends === 'string' ? ['extends'] : ['extends', i]);
            const fail = (message) => {
                throw new errors_PolicyError(origin.file, origin.line, origin.column, message);
            };
            const target = targetOf(entry, where);
            if ('error' in target)
                fail(`extends: ${target.error}`);
            const next = target;
            const nextName = placeName(next);
            const path = [...chain, nextName].join(' → ');
            if (identities.includes(placeIdentity(next)))
                fail(`extends: the policies extend each other: ${path}`);
            if (chain.length > maxDepth)
                fail(`extends: more than ${maxDepth} policies deep: ${path}`);
            if (applied.has(placeIdentity(next)))
                continue;
            if (++files > MAX_POLICY_FILES)
                fail(`extends: more than ${MAX_POLICY_FILES} policies in all: ${path}`);
            let nextText;
            try {
                if (next.kind === 'local')
                    nextText = await options.readLocal(next.path);
                else if (!options.readRemote)
                    throw new Error("a remote policy needs a GitHub token (the action's policy-token, or GITHUB_TOKEN)");
                else
                    nextText = await options.readRemote(next);
            }
            catch (error) {
                if (error instanceof errors_PolicyError)
                    throw error;
                return fail(`extends: cannot read ${nextName} (${error.message}): ${path}`);
            }
            await visit(nextText, nextName, next, [...chain, nextName], [...identities, placeIdentity(next)]);
        }
        if (applied.has(placeIdentity(where)))
            return;
        applied.add(placeIdentity(where));
        // Each file holds at most MAX_GLOB_PATTERNS globs (the schema); the chain as a whole, too.
        const lists = (0,schema/* globLists */.IX)(parsed.data);
        const over = lists.find((list) => globs + list.total > glob/* MAX_GLOB_PATTERNS */.mb);
        if (over) {
            const origin = parsed.at(over.path);
            throw new errors_PolicyError(origin.file, origin.line, origin.column, `this policy and those it extends hold more than ${glob/* MAX_GLOB_PATTERNS */.mb} path globs in all, each {…} alternative counted: ${chain.join(' → ')}`);
        }
        globs += lists.at(-1)?.total ?? 0;
        order.push(parsed);
    };
    await visit(text, display, place, [display], [placeIdentity(place)]);
    return order.reduce((policy, file) => merge_mergePolicyFile(policy, file), (0,policy_policy/* defaultPolicy */.G4)());
    /** Where an `extends` entry points, from the policy that names it. */
    function targetOf(entry, from) {
        const remote = schema/* REMOTE_POLICY */.ez.exec(entry);
        if (remote) {
            const [, owner, repo, path, ref] = remote;
            // `..` as a repository would climb out of /repos/{owner}/ in the API's URL.
            if (repo === '.' || repo === '..')
                return { error: `"${entry}": "${repo}" is not a repository name` };
            const clean = external_node_path_.posix.normalize(path);
            if (clean.startsWith('..') || clean.startsWith('/'))
                return { error: `"${entry}": the path leaves the repository` };
            return { kind: 'remote', owner, repo, path: clean, ref };
        }
        if (entry.includes('@') && !entry.startsWith('.') && !entry.startsWith('/'))
            return { error: `"${entry}" is neither a local path nor owner/repo/path@ref` };
        if (from.kind === 'remote') {
            const joined = external_node_path_.posix.normalize(external_node_path_.posix.join(external_node_path_.posix.dirname(from.path), entry));
            if (joined.startsWith('..') || (0,external_node_path_.isAbsolute)(entry))
                return { error: `"${entry}": the path leaves ${from.owner}/${from.repo}` };
            return { ...from, path: joined };
        }
        return { kind: 'local', path: (0,external_node_path_.resolve)((0,external_node_path_.dirname)(from.path), entry) };
    }
}
/**
 * Reads a policy file and every policy it extends. A missing file is an error only when the user named it.
 * With `inside`, the file and every local policy it extends must lie in that folder (the scanned repository
 * or the workspace, whose files a pull request writes): one that is a symlink leaving it, or a folder on the
 * way that is one, is refused and never read, so that an error message can never echo a file from elsewhere.
 */
async function loadPolicy(path, display, required, inside, readRemote) {
    if (!path)
        return (0,policy_policy/* defaultPolicy */.G4)();
    let text;
    try {
        text = await readPolicyText(path, display, inside);
    }
    catch (error) {
        if (error instanceof errors_PolicyError)
            throw error;
        if (error.code === 'ENOENT' && !required)
            return (0,policy_policy/* defaultPolicy */.G4)();
        throw new errors_PolicyError(display, 1, 1, `cannot read the policy file (${error.code ?? 'error'})`);
    }
    const options = {
        readLocal: async (local) => {
            try {
                return await readPolicyText(local, local, inside);
            }
            catch (error) {
                if (error instanceof errors_PolicyError)
                    throw new Error(error.detail, { cause: error });
                throw new Error(error.code ?? 'error', { cause: error });
            }
        },
    };
    if (readRemote)
        options.readRemote = readRemote;
    return resolvePolicy(text, display, { kind: 'local', path: (0,external_node_path_.resolve)(path) }, options);
}
/** The text of a policy file: a regular file of at most 1 MiB, inside `inside` when given. */
async function readPolicyText(path, display, inside) {
    if (inside !== undefined) {
        const rel = (0,names/* pathInside */._l)(inside, path);
        if (rel === undefined)
            throw new errors_PolicyError(display, 1, 1, 'the policy must be a file inside the workspace');
        await (0,promises_.stat)(path); // ENOENT first: a missing default policy is no error
        const read = await (0,fs_read/* readText */.yR)(inside, await (0,promises_.realpath)(inside), rel);
        if ('skipped' in read) {
            const why = read.skipped.startsWith('symlink')
                ? 'the policy is a symlink that leads outside the folder: it is not read'
                : read.skipped.startsWith('larger')
                    ? 'the policy file is larger than 1 MiB'
                    : read.skipped === 'not a regular file'
                        ? 'the policy is not a regular file'
                        : `cannot read the policy file (${read.skipped})`;
            throw new errors_PolicyError(display, 1, 1, why);
        }
        return read.text;
    }
    // A pipe or a device named as the policy would block or never end: only a regular file is read.
    const info = await (0,promises_.stat)(path);
    if (!info.isFile())
        throw new errors_PolicyError(display, 1, 1, 'the policy is not a regular file');
    if (info.size > MAX_POLICY_BYTES)
        throw new errors_PolicyError(display, 1, 1, 'the policy file is larger than 1 MiB');
    return (0,promises_.readFile)(path, 'utf8');
}


/***/ }),

/***/ 3506:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $A: () => (/* binding */ BUILT_IN),
/* harmony export */   CQ: () => (/* binding */ originText),
/* harmony export */   G4: () => (/* binding */ defaultPolicy),
/* harmony export */   wm: () => (/* binding */ ruleContext)
/* harmony export */ });
/* harmony import */ var _model_endpoints_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8231);
/* harmony import */ var _model_keyed_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3939);


const BUILT_IN = { file: '(built-in)', line: 0, column: 0 };
function originText(origin) {
    return origin.line > 0 ? `${origin.file}:${origin.line}:${origin.column}` : origin.file;
}
/**
 * The built-in policy, from the Claude Code security guide: bypass mode only inside containers, no unscoped
 * shell, no literal secrets, and three risk profiles — production view-only, staging view-only plus read-only
 * queries, development (the default) edits and scoped commands; block on high and above.
 */
function defaultPolicy() {
    const env = (name, maxRisk, workflowEnvironments, allow = [], isDefault = false) => ({
        name,
        maxRisk,
        workflowEnvironments,
        paths: [],
        default: isDefault,
        allow,
        deny: [],
        origin: BUILT_IN,
    });
    return {
        sources: ['(built-in)'],
        failOn: 'high',
        block: 'new',
        ignore: [],
        rules: (0,_model_keyed_js__WEBPACK_IMPORTED_MODULE_1__/* .keyedByText */ .F)(),
        dangerousModeAllowIn: ['container', 'devcontainer'],
        allowedEndpoints: [..._model_endpoints_js__WEBPACK_IMPORTED_MODULE_0__/* .DEFAULT_ALLOWED_ENDPOINTS */ .kz],
        tools: { deny: [] },
        mcp: { sensitiveServers: [] },
        plugins: {},
        ci: { requireFlags: [], forbidFlags: [], requireEnv: [] },
        environments: [
            env('production', 'read', ['production', 'prod']),
            env('staging', 'read', ['staging', 'stage'], [
                'Bash(kubectl get:*)',
                'Bash(kubectl describe:*)',
                'Bash(kubectl logs:*)',
                'mcp__*__query',
                'mcp__*__select',
            ]),
            env('development', 'execute', [], [], true),
        ],
        exceptions: [],
        suppressions: { allowed: true, requireReason: true, requireOwner: false, requireExpiry: false },
        origins: (0,_model_keyed_js__WEBPACK_IMPORTED_MODULE_1__/* .keyedByText */ .F)(),
    };
}
function compiled(entries) {
    return entries.flatMap((e) => {
        const c = (0,_model_endpoints_js__WEBPACK_IMPORTED_MODULE_0__/* .compileEndpoint */ .Bf)(e);
        return 'error' in c ? [] : [c];
    });
}
/** What the rules may know of a policy, compiled once per scan. */
function ruleContext(policy) {
    const ctx = {
        dangerousModeAllowIn: policy.dangerousModeAllowIn,
        allowedEndpoints: compiled(policy.allowedEndpoints),
        tools: policy.tools,
        mcp: policy.mcp,
        plugins: policy.plugins,
        ci: policy.ci,
        environments: policy.environments,
    };
    if (policy.allowedProxies)
        ctx.allowedProxies = compiled(policy.allowedProxies);
    return ctx;
}


/***/ }),

/***/ 5991:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   IX: () => (/* binding */ globLists),
/* harmony export */   N: () => (/* binding */ isDay),
/* harmony export */   Qz: () => (/* binding */ PolicySchema),
/* harmony export */   ez: () => (/* binding */ REMOTE_POLICY),
/* harmony export */   fE: () => (/* binding */ FailOnSchema),
/* harmony export */   qF: () => (/* binding */ policyJsonSchema)
/* harmony export */ });
/* unused harmony exports SeveritySchema, RiskSchema */
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2311);
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(8439);
/* harmony import */ var _rules_registry_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(678);
/* harmony import */ var _model_endpoints_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8231);
/* harmony import */ var _model_tool_rule_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5186);
/* harmony import */ var _glob_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6298);





/**
 * The policy file, `.github/claude-guard.yml`, as a zod schema. Every key carries a description: the JSON
 * Schema (`claude-guard policy schema`, `policy.schema.json`) and the README's policy reference are generated
 * from them. Unknown keys are errors everywhere: a typo must never weaken a policy.
 */
const SeveritySchema = zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(['critical', 'high', 'medium', 'low', 'info']);
const FailOnSchema = zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(['critical', 'high', 'medium', 'low', 'info', 'never']);
const RiskSchema = zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(['read', 'write', 'execute', 'admin']);
const RuleId = zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(_rules_registry_js__WEBPACK_IMPORTED_MODULE_0__/* .CATALOGUE_IDS */ .Pw, { error: 'not a claude-guard rule id (CG101, CG102…)' })
    .meta({ description: 'A rule id of the catalogue, e.g. CG101.' });
const RuleSetting = zod__WEBPACK_IMPORTED_MODULE_3__/* .union */ .KCZ([
    zod__WEBPACK_IMPORTED_MODULE_3__/* .literal */ .euz('off'),
    zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({
        severity: SeveritySchema.optional().meta({ description: 'The severity its findings are reported at.' }),
        enabled: zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY().optional().meta({ description: 'false turns the rule off.' }),
        locked: zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY().optional().meta({
            description: 'true: a policy that extends this one cannot turn the rule off, lower its severity, except it or widen the lists it reads.',
        }),
    }),
], { error: 'must be off or { severity: critical|high|medium|low|info, locked: true|false }' });
/** A path glob, refused with the reason when it is too long, too broad to expand or not understood. */
const Glob = zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()
    .superRefine((glob, ctx) => {
    const compiled = (0,_glob_js__WEBPACK_IMPORTED_MODULE_4__/* .compileGlob */ .SO)(glob);
    if ('error' in compiled)
        ctx.addIssue({ code: 'custom', message: compiled.error });
})
    .meta({ description: 'A path glob relative to the scanned folder (`**`, `*`, `?`, `[a-z]`, `{a,b}`).' });
/** An endpoint: a URL or host, `*` standing for part of one label. */
const EndpointEntry = zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()
    .superRefine((text, ctx) => {
    const compiled = (0,_model_endpoints_js__WEBPACK_IMPORTED_MODULE_1__/* .compileEndpoint */ .Bf)(text);
    if ('error' in compiled)
        ctx.addIssue({ code: 'custom', message: compiled.error });
})
    .meta({ description: 'A URL or a host; `*` stands for part of one label.' });
/** A permission rule as Claude Code writes it: `Bash`, `Bash(npm run test:*)`, `mcp__github__*`. */
const ToolPattern = zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()
    .min(1)
    .superRefine((text, ctx) => {
    const problem = (0,_model_tool_rule_js__WEBPACK_IMPORTED_MODULE_2__/* .parseToolRule */ .us)(text).problem;
    if (problem)
        ctx.addIssue({ code: 'custom', message: `not a tool rule: ${problem}` });
})
    .meta({
    description: 'A tool as Claude Code permission rules write it: `Bash`, `Bash(npm run test:*)`, `Read(./secrets/**)`, `mcp__github__*`.',
});
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** True when `text` is a real calendar day written `YYYY-MM-DD`. */
function isDay(text) {
    const m = DAY.exec(text);
    if (!m)
        return false;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}
const Day = zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP({ error: 'must be a date written YYYY-MM-DD' })
    .refine(isDay, { error: 'must be a real date written YYYY-MM-DD' })
    .meta({ description: 'A day, `YYYY-MM-DD` (UTC).', pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const NonEmpty = zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().trim().min(1, { error: 'must not be empty' });
/** `owner/repo/path@ref` or a local path, relative to the file that names it. */
const REMOTE_POLICY = /^([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100})\/([^@\s]+)@([^\s@]+)$/;
const ExtendsEntry = zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()
    .min(1)
    .refine((text) => !text.includes('\0'), { error: 'must not hold a NUL' })
    .meta({
    description: 'A policy this one builds on: a path relative to this file, or `owner/repo/path@ref` read through the GitHub API (pin `@<commit>`).',
});
const ToolLists = zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({
    allow: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(ToolPattern).optional().meta({
        description: 'When given, only grants these patterns cover are accepted anywhere (CG106).',
    }),
    deny: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(ToolPattern)
        .optional()
        .meta({ description: 'Grants that are never accepted (CG106); lists of extended policies add up.' }),
});
const Environment = zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({
    match: zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({
        'workflow-environments': zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(NonEmpty)
            .optional()
            .meta({ description: "GitHub deployment environments (a job's `environment:`) that select it." }),
        paths: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(Glob).optional().meta({ description: 'Files that select it.' }),
    })
        .optional()
        .meta({ description: 'What places a Claude run in this environment.' }),
    'max-risk': RiskSchema.meta({
        description: 'The riskiest grant allowed there: read < write < execute < admin (CG105).',
    }),
    default: zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY().optional().meta({ description: 'The environment of every run no other one matches.' }),
    tools: zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({
        allow: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(ToolPattern)
            .optional()
            .meta({ description: 'Grants accepted in this environment whatever their risk class.' }),
        deny: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(ToolPattern)
            .optional()
            .meta({ description: 'Grants never accepted in this environment.' }),
    })
        .optional()
        .meta({ description: 'Grants this environment accepts above its max-risk, or refuses.' }),
});
const Exception = zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({
    rule: RuleId,
    paths: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(Glob).min(1, { error: 'must list at least one path glob' }).meta({
        description: 'The files it applies to.',
    }),
    reason: NonEmpty.meta({ description: 'Why the finding is accepted.' }),
    owner: NonEmpty.meta({ description: 'Who answers for it (a team or a person).' }),
    expires: Day.meta({
        description: 'The last day it suppresses; from the next day the finding blocks again (CG902).',
    }),
});
const PolicySchema = zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({
    $schema: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().optional().meta({ description: 'The JSON Schema the file follows (for editors).' }),
    version: zod__WEBPACK_IMPORTED_MODULE_3__/* .literal */ .euz(1, { error: 'version must be 1' }).meta({ description: 'The format version: 1.' }),
    extends: zod__WEBPACK_IMPORTED_MODULE_3__/* .union */ .KCZ([ExtendsEntry, zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(ExtendsEntry).max(16, { error: 'at most 16 policies can be extended' })])
        .optional()
        .meta({ description: 'Policies this one builds on, in order; later ones win, this file last.' }),
    'fail-on': FailOnSchema.optional().meta({
        description: 'The lowest severity that blocks (fails the check): critical, high, medium, low, info or never.',
    }),
    block: zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(['new', 'all']).optional().meta({
        description: 'On a pull request: block on findings it adds (`new`) or on all of them (`all`).',
    }),
    ignore: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(Glob).optional().meta({ description: 'Path globs never scanned.' }),
    rules: zod__WEBPACK_IMPORTED_MODULE_3__/* .partialRecord */ .jgl(RuleId, RuleSetting)
        .optional()
        .meta({ description: 'Per rule: `off`, or `{ severity, locked }`.' }),
    'dangerous-mode': zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({
        'allow-in': zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(['container', 'devcontainer'])).meta({
            description: 'Where bypass mode is tolerated (reported as low): container, devcontainer; [] = nowhere.',
        }),
    })
        .optional()
        .meta({ description: 'Where Claude may run with every permission check skipped (CG101).' }),
    tools: ToolLists.optional().meta({
        description: 'Grants the organisation allows or denies everywhere (CG106).',
    }),
    mcp: zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({
        'allowed-servers': zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(NonEmpty).optional().meta({
            description: 'When given, only MCP servers of these names may be configured (CG603); `*` stands for any run of characters (`github-*`).',
        }),
        'sensitive-servers': zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(NonEmpty).optional().meta({
            description: 'MCP servers whose tools reach production data: wildcard grants on them are high (CG104).',
        }),
    })
        .optional()
        .meta({ description: 'MCP servers.' }),
    network: zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({
        'allowed-endpoints': zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(EndpointEntry).optional().meta({
            description: 'Where Claude may send model and telemetry traffic; replaces the default list (CG303).',
        }),
        'allowed-proxies': zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(EndpointEntry)
            .optional()
            .meta({ description: 'Proxies Claude may use; when given, other proxies are reported (CG303).' }),
    })
        .optional()
        .meta({ description: 'Where Claude may connect.' }),
    plugins: zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({
        'allowed-sources': zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(NonEmpty).optional().meta({
            description: "Plugin marketplaces and plugin sources accepted (CG605): `owner/repo` on GitHub, a git URL, or a marketplace name; `*` stands for any run of characters. Anthropic's official marketplace is accepted only when listed.",
        }),
    })
        .optional()
        .meta({ description: 'Claude Code plugins.' }),
    ci: zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({
        'require-flags': zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(NonEmpty)
            .optional()
            .meta({ description: 'Flags every CI run of Claude must pass, e.g. `--max-turns` (CG506).' }),
        'forbid-flags': zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(NonEmpty)
            .optional()
            .meta({ description: 'Flags no CI run of Claude may pass (CG506).' }),
        'require-env': zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(NonEmpty)
            .optional()
            .meta({ description: 'Environment variables every CI run of Claude must be given (CG506).' }),
    })
        .optional()
        .meta({ description: 'What every CI run of Claude must or must not have.' }),
    environments: zod__WEBPACK_IMPORTED_MODULE_3__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'an environment name is letters, digits, ._-' }), Environment)
        .optional()
        .meta({ description: 'Risk profiles by deployment environment or path (CG105).' }),
    exceptions: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(Exception)
        .optional()
        .meta({ description: 'Accepted findings, each with a reason, an owner and an expiry.' }),
    suppressions: zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({
        'require-reason': zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY()
            .optional()
            .meta({ description: 'Inline suppressions must give reason="…" (default true; CG904).' }),
        'require-owner': zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY()
            .optional()
            .meta({ description: 'Inline suppressions must give owner="…" (CG904).' }),
        'require-expiry': zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY()
            .optional()
            .meta({ description: 'Inline suppressions must give until=YYYY-MM-DD (CG904).' }),
        allowed: zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY().optional().meta({
            description: 'false: inline suppressions are not honoured at all; only policy exceptions.',
        }),
    })
        .optional()
        .meta({ description: 'What an inline `# claude-guard: ignore[…]` comment must say.' }),
})
    .superRefine((policy, ctx) => {
    const lists = globLists(policy);
    const over = lists.find((list) => list.total > _glob_js__WEBPACK_IMPORTED_MODULE_4__/* .MAX_GLOB_PATTERNS */ .mb);
    if (over)
        ctx.addIssue({
            code: 'custom',
            path: over.path,
            message: `a policy may hold at most ${_glob_js__WEBPACK_IMPORTED_MODULE_4__/* .MAX_GLOB_PATTERNS */ .mb} path globs, each {…} alternative counted (this one holds ${lists.at(-1)?.total})`,
        });
    const defaults = Object.entries(policy.environments ?? {}).filter(([, env]) => env.default === true);
    for (const [name] of defaults.slice(1))
        ctx.addIssue({
            code: 'custom',
            path: ['environments', name, 'default'],
            message: `only one environment can be the default (${defaults[0]?.[0]} already is)`,
        });
});
/**
 * The path glob lists of a policy file (ignore, each exception's paths, each environment's paths), each with
 * the number of patterns counted up to and including it. Every glob is tried against every file or finding
 * it may cover, so their number is bounded (MAX_GLOB_PATTERNS), in one file and in a chain of extends.
 */
function globLists(policy) {
    const lists = [
        [['ignore'], policy.ignore ?? []],
        ...(policy.exceptions ?? []).map((e, i) => [
            ['exceptions', i, 'paths'],
            e.paths,
        ]),
        ...Object.entries(policy.environments ?? {}).map(([name, env]) => [
            ['environments', name, 'match', 'paths'],
            env.match?.paths ?? [],
        ]),
    ];
    let total = 0;
    return lists
        .filter(([, globs]) => globs.length > 0)
        .map(([path, globs]) => {
        for (const glob of globs) {
            const compiled = (0,_glob_js__WEBPACK_IMPORTED_MODULE_4__/* .compileGlob */ .SO)(glob);
            total += 'error' in compiled ? 1 : compiled.patterns;
        }
        return { path, total };
    });
}
/** The JSON Schema of the policy file, generated from the zod schema. */
function policyJsonSchema() {
    const schema = zod__WEBPACK_IMPORTED_MODULE_5__/* .toJSONSchema */ .bl(PolicySchema, {
        target: 'draft-2020-12',
        unrepresentable: 'any',
        io: 'input',
    });
    return {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: 'https://github.com/claude-guard/claude-guard/raw/main/policy.schema.json',
        title: 'claude-guard policy',
        description: 'The claude-guard policy file, .github/claude-guard.yml.',
        ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
    };
}


/***/ }),

/***/ 678:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Pw: () => (/* binding */ CATALOGUE_IDS),
  y0: () => (/* binding */ RULES),
  BD: () => (/* binding */ ruleById)
});

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

// EXTERNAL MODULE: ./lib/model/tool-rule.js
var tool_rule = __webpack_require__(5186);
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
            .filter((grant) => (0,tool_rule/* isUnscopedShell */.sn)(grant.rule.value))
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
            const scope = (0,tool_rule/* wildcardScope */.BI)(grant.rule.value);
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

;// CONCATENATED MODULE: ./lib/model/grant-match.js


/** Past this many cells of the product of two patterns, answer cautiously. */
const MAX_CELLS = 1 << 22;
const EDITING = ['Edit', 'Write', 'MultiEdit', 'NotebookEdit'];
const READING = ['Read', 'NotebookRead', 'Grep', 'Glob', 'LS'];
/**
 * Tools whose uses Claude Code checks against rules written on another tool: `Edit(…)` rules apply to every
 * tool that edits files and `Read(…)` rules to every tool that reads them. A deny on `Read` also blocks edits
 * of the path, so in a deny list a `Read` pattern is met by an editing grant too.
 */
const GOVERNS_ALLOW = new Map([
    ['Edit', EDITING],
    ['Read', READING],
]);
const GOVERNS_DENY = new Map([
    ['Edit', EDITING],
    ['Read', [...READING, ...EDITING]],
]);
function specKind(tool) {
    if (tool_rule/* SHELL_TOOLS */.f$.includes(tool))
        return 'command';
    if (EDITING.includes(tool) || READING.includes(tool))
        return 'path';
    if (tool === 'WebFetch')
        return 'domain';
    return 'text';
}
/** `mcp__srv`, every tool of a server, is `mcp__srv__*`. */
function toolName(rule) {
    const name = rule.canonical;
    if (!name.startsWith('mcp__'))
        return name;
    const rest = name.slice('mcp__'.length);
    return rest.includes('__') || rest.includes('*') ? name : `${name}__*`;
}
function tokens(text, kind) {
    const out = [];
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c !== '*') {
            out.push(c);
            continue;
        }
        let star = 'any';
        if (kind === 'path') {
            if (text[i + 1] === '*')
                i++;
            else
                star = 'segment';
        }
        while (text[i + 1] === '*')
            i++;
        const last = out.at(-1);
        if (typeof last === 'object') {
            if (star === 'any')
                last.star = 'any';
        }
        else
            out.push({ star });
    }
    return out;
}
/** Paths that name the whole tree, or the whole file system. */
const WHOLE_TREE = new Set(['', '*', '**', '**/*', '//**']);
/**
 * The uses a rule's specifier allows, as alternatives; undefined when it allows every use of the tool.
 * A command pattern ending in ` *` (or the legacy `:*`) also matches the command alone.
 */
function specOf(rule, kind) {
    if (rule.specifier === undefined || rule.form === 'bare' || rule.form === 'any')
        return undefined;
    let spec = rule.specifier.trim();
    switch (kind) {
        case 'command': {
            spec = spec.replace(/\s+/g, ' ');
            if (rule.form === 'prefix')
                spec = `${spec.slice(0, -2).trimEnd()} *`;
            if (spec === '*')
                return undefined;
            if (spec.endsWith(' *') && rule.form !== 'exact') {
                const base = spec.slice(0, -2);
                return [literal(base), tokens(spec, kind)];
            }
            return [rule.form === 'exact' ? literal(spec) : tokens(spec, kind)];
        }
        case 'path': {
            while (spec.startsWith('./'))
                spec = spec.slice(2);
            if (spec.startsWith('/') && !spec.startsWith('//'))
                spec = spec.slice(1);
            if (WHOLE_TREE.has(spec))
                return undefined;
            const alternatives = [tokens(spec, kind)];
            // `**/x` matches `x` at the top too.
            if (spec.startsWith('**/'))
                alternatives.push(tokens(spec.slice(3), kind));
            return alternatives;
        }
        case 'domain': {
            if (!/^domain:/i.test(spec))
                return [tokens(spec, 'text')];
            const host = spec.slice('domain:'.length).trim().toLowerCase();
            return host === '*' ? undefined : [tokens(host, kind)];
        }
        case 'text':
            return [tokens(spec, kind)];
    }
}
function literal(text) {
    return [...text];
}
function canEat(star, t) {
    if (star === 'any')
        return true;
    return typeof t === 'string' ? t !== '/' : t.star === 'segment';
}
/**
 * True when every text `inner` matches is matched by `outer`. Stars of `inner` are read as letters no
 * literal of `outer` can match, so only a star of `outer` can take them: that decides inclusion exactly.
 * `undefined` when the patterns are too long to compare.
 */
function includes(outer, inner) {
    const n = outer.length;
    const m = inner.length;
    if ((n + 1) * (m + 1) > MAX_CELLS)
        return undefined;
    // next[j]: outer[i+1..] matches inner[j..]; cur[j]: outer[i..] matches inner[j..].
    let next = new Uint8Array(m + 1);
    next[m] = 1;
    for (let i = n - 1; i >= 0; i--) {
        const cur = new Uint8Array(m + 1);
        const p = outer[i];
        for (let j = m; j >= 0; j--) {
            if (typeof p === 'object') {
                cur[j] = next[j] || (j < m && canEat(p.star, inner[j]) && cur[j + 1]) ? 1 : 0;
            }
            else
                cur[j] = j < m && inner[j] === p && next[j + 1] ? 1 : 0;
        }
        next = cur;
    }
    return next[0] === 1;
}
/** True when some text matches both patterns (a walk through the product of the two); undefined past the bound. */
function meets(a, b) {
    const n = a.length;
    const m = b.length;
    const width = m + 1;
    if ((n + 1) * width > MAX_CELLS)
        return undefined;
    const reached = new Uint8Array((n + 1) * width);
    reached[0] = 1;
    for (let i = 0; i <= n; i++) {
        for (let j = 0; j <= m; j++) {
            if (!reached[i * width + j])
                continue;
            const x = a[i];
            const y = b[j];
            if (typeof x === 'object')
                reached[(i + 1) * width + j] = 1;
            if (typeof y === 'object')
                reached[i * width + j + 1] = 1;
            if (x === undefined || y === undefined)
                continue;
            if (typeof x === 'object' && typeof y === 'string' && canEat(x.star, y))
                reached[i * width + j + 1] = 1;
            else if (typeof x === 'string' && typeof y === 'object' && canEat(y.star, x))
                reached[(i + 1) * width + j] = 1;
            else if (x === y)
                reached[(i + 1) * width + j + 1] = 1;
        }
    }
    return reached[n * width + m] === 1;
}
const isGlob = (name) => name.includes('*');
/** Every use of tool `grant` is checked against rules on tool `pattern`. */
function nameHolds(pattern, grant) {
    if (!isGlob(grant) && GOVERNS_ALLOW.get(pattern)?.includes(grant))
        return true;
    return includes(tokens(pattern, 'name'), tokens(grant, 'name')) === true;
}
/** Some tool is both granted and named by the pattern. */
function nameMeets(pattern, grant) {
    const heads = [pattern, ...(GOVERNS_DENY.get(pattern) ?? [])];
    const g = tokens(grant, 'name');
    return heads.some((head) => meets(tokens(head, 'name'), g) !== false);
}
/** The kind of specifier two rules are compared by: that of the granted tool, when it is one tool. */
function kindOf(pattern, grant) {
    if (!isGlob(grant))
        return specKind(grant);
    return isGlob(pattern) ? 'text' : specKind(pattern);
}
/**
 * True when the rule lets Claude do nothing: it is malformed, or a path rule Claude Code never consults
 * (`Write(src/**)`). Such a grant is neither denied nor outside an allow list (CG901 reports it).
 */
function grantsNothing(rule) {
    return rule.problem !== undefined || (0,tool_rule/* unconsultedPathRule */.E6)(rule) !== undefined;
}
/**
 * True when the grant lets Claude do something the pattern names. With `escapeHatches: false`, a scoped shell
 * grant is compared by its own words only, not by the commands it lets Claude run through `sudo` or `env`.
 */
function grantMeets(pattern, grant, escapeHatches = true) {
    if (pattern.problem || grantsNothing(grant))
        return false;
    const p = toolName(pattern);
    const g = toolName(grant);
    if (!nameMeets(p, g))
        return false;
    const kind = kindOf(p, g);
    const patternSpec = specOf(pattern, kind);
    const grantSpec = specOf(grant, kind);
    if (!patternSpec || !grantSpec)
        return true;
    // A scoped shell grant whose command runs any other (`Bash(sudo:*)`, `Bash(env *)`) reaches what it names.
    if (escapeHatches && kind === 'command' && escapeHatchOf({ ...grant, canonical: 'Bash' }))
        return true;
    return patternSpec.some((a) => grantSpec.some((b) => meets(a, b) !== false));
}
/** True when everything the grant lets Claude do is named by the pattern. */
function patternHolds(pattern, grant) {
    if (pattern.problem || grantsNothing(grant))
        return false;
    const p = toolName(pattern);
    const g = toolName(grant);
    if (!nameHolds(p, g))
        return false;
    const kind = kindOf(p, g);
    const patternSpec = specOf(pattern, kind);
    if (!patternSpec)
        return true;
    const grantSpec = specOf(grant, kind);
    if (!grantSpec)
        return false;
    return grantSpec.every((b) => patternSpec.some((a) => includes(a, b) === true));
}
/**
 * The first pattern of a deny list the grant lets Claude do something of; undefined when none. With
 * `escapeHatches: false`, only what the grant's own words reach.
 */
function deniedBy(patterns, rule, escapeHatches = true) {
    return patterns.find((p) => grantMeets((0,tool_rule/* parseToolRule */.us)(p), rule, escapeHatches));
}
/** The first pattern of an allow list that holds all the grant allows; undefined when none does. */
function allowedBy(patterns, rule) {
    return patterns.find((p) => patternHolds((0,tool_rule/* parseToolRule */.us)(p), rule));
}

// EXTERNAL MODULE: ./lib/model/powers.js
var powers = __webpack_require__(5891);
// EXTERNAL MODULE: ./lib/policy/glob.js
var policy_glob = __webpack_require__(6298);
;// CONCATENATED MODULE: ./lib/rules/CG105-grant-exceeds-environment.js





/** Text of the repository in a message, kept short. */
function CG105_grant_exceeds_environment_short(text) {
    const one = text.replace(/\s+/g, ' ').trim();
    return one.length > 60 ? `${one.slice(0, 57)}…` : one;
}
/** The risk of a grant: its tool's, or that of a command it lets Claude run with any arguments (`sudo`). */
function grantRisk(rule) {
    const hatch = escapeHatchOf(rule)?.hatch.risk;
    return hatch && (0,powers/* riskRank */.wv)(hatch) > (0,powers/* riskRank */.wv)(rule.risk) ? hatch : rule.risk;
}
const jobKey = (path, job) => `${path}\n${job}`;
/** Places powers in the policy's environments: by deployment environment, by path glob, else the default. */
class Placer {
    envs;
    jobs = new Map();
    globs = [];
    fallback;
    constructor(model, envs) {
        this.envs = envs;
        for (const workflow of model.workflows)
            for (const job of workflow.jobs)
                this.jobs.set(jobKey(workflow.path, job.id), job);
        for (const run of model.runs) {
            const job = run.context.job;
            if (job && !this.jobs.has(jobKey(run.path, job.id)))
                this.jobs.set(jobKey(run.path, job.id), job);
        }
        for (const env of envs) {
            for (const glob of env.paths) {
                const compiled = (0,policy_glob/* compileGlob */.SO)(glob);
                if (!('error' in compiled))
                    this.globs.push({ env, glob, match: compiled.match });
            }
        }
        this.fallback = envs.find((e) => e.default);
    }
    place(where) {
        const job = where.job === undefined ? undefined : this.jobs.get(jobKey(where.path, where.job));
        const named = job?.environment?.value.trim();
        let aside = '';
        if (named !== undefined && where.job !== undefined) {
            const of = `of job ${CG105_grant_exceeds_environment_short(where.job)}`;
            // `${{ … }}` (GitHub) or `$VAR` (GitLab): the environment is chosen when the workflow runs.
            if (named.includes('$'))
                aside = `; the deployment environment ${of} is an expression`;
            else {
                const wanted = named.toLowerCase(); // GitHub environment names are case-insensitive
                const env = this.envs.find((e) => e.workflowEnvironments.some((w) => w.toLowerCase() === wanted));
                if (env)
                    return { env, how: `deployment environment "${CG105_grant_exceeds_environment_short(named)}" ${of}` };
                aside = `; the deployment environment "${CG105_grant_exceeds_environment_short(named)}" ${of} is in no environment of the policy`;
            }
        }
        const byPath = this.globs.find((g) => g.match(where.path));
        if (byPath)
            return { env: byPath.env, how: `path glob "${CG105_grant_exceeds_environment_short(byPath.glob)}"${aside}` };
        if (this.fallback)
            return { env: this.fallback, how: `default${aside}` };
        return undefined;
    }
}
function CG105_grant_exceeds_environment_finding(power, message, evidence) {
    const job = power.where.job === undefined ? '' : `:job:${power.where.job}`;
    return { span: power.span, message, evidence: `${evidence}${job}` };
}
const grantExceedsEnvironment = {
    meta: {
        id: 'CG105',
        name: 'grant-exceeds-environment',
        severity: 'high',
        summary: "A grant or permission mode is riskier than the policy's environment it runs in allows (`max-risk`), or is denied there.",
        rationale: 'The Claude Code security guide asks for different profiles by environment: production view-only, ' +
            'staging view-only plus read-only queries, development edits and scoped commands. The policy names ' +
            'those environments, each with a max risk (read < write < execute < admin) and optional lists of grants ' +
            'allowed whatever their risk or never allowed. A run is placed in an environment by its job’s ' +
            'deployment environment (`environment: production` of a GitHub workflow job or a GitLab CI job, ' +
            'through `extends:` too), else by the first environment whose path globs ' +
            'match its file, else in the default one; a grant there above the max risk lets Claude change or run ' +
            'things the organisation decided it must only look at. Grants are classed by tool (`Read` read, `Edit` ' +
            'write, `Bash` and MCP tools execute) and by the command a shell grant lets Claude run with any ' +
            'arguments (`sudo`, `docker run`: admin); modes by what they approve (`acceptEdits` write, `auto` ' +
            'execute; bypass mode is CG101’s).',
        fix: 'Grant only what the environment allows (read-only tools in production), move the work to a job in an ' +
            'environment meant for it, or list the grant under the environment’s `tools.allow` in the policy if it ' +
            'is safe there.',
        bad: [
            {
                path: '.github/workflows/deploy.yml',
                note: 'A job in the production deployment environment lets Claude edit files; production is read-only.',
                lines: [14],
                content: [
                    'on: workflow_dispatch',
                    'permissions: { contents: read }',
                    'jobs:',
                    '  deploy:',
                    '    runs-on: ubuntu-latest',
                    '    environment: production',
                    '    timeout-minutes: 15',
                    '    steps:',
                    '      - uses: actions/checkout@v4',
                    '        with: { persist-credentials: false }',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          claude_args: |',
                    '            --allowedTools "Read,Grep,Edit"',
                    '',
                ].join('\n'),
            },
            {
                path: 'ops/rollout.sh',
                note: 'Files under ops/ are in a write-only environment; the script lets Claude run kubectl apply.',
                policy: [
                    'version: 1',
                    'environments:',
                    '  ops:',
                    '    match: { paths: ["ops/**"] }',
                    '    max-risk: write',
                    '',
                ].join('\n'),
                lines: [2],
                content: [
                    '#!/bin/sh',
                    'claude -p "roll out the new image" --allowedTools "Read,Bash(kubectl apply:*)" --max-turns 5',
                    '',
                ].join('\n'),
            },
            {
                path: '.claude/settings.json',
                note: 'Any command as root, in the default (development) environment, whose max risk is execute.',
                lines: [3],
                content: [
                    '{',
                    '  "permissions": {',
                    '    "allow": ["Bash(npm test)", "Bash(sudo:*)"]',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.github/workflows/deploy.yml',
                note: 'A production job that only reads.',
                content: [
                    'on: workflow_dispatch',
                    'permissions: { contents: read }',
                    'jobs:',
                    '  deploy:',
                    '    runs-on: ubuntu-latest',
                    '    environment: { name: production, url: "https://example.com" }',
                    '    timeout-minutes: 15',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          claude_args: |',
                    '            --allowedTools "Read,Grep,Glob"',
                    '',
                ].join('\n'),
            },
            {
                path: '.github/workflows/staging.yml',
                note: 'Staging is read-only but its allow list accepts kubectl get and logs.',
                content: [
                    'on: workflow_dispatch',
                    'permissions: { contents: read }',
                    'jobs:',
                    '  inspect:',
                    '    runs-on: ubuntu-latest',
                    '    environment: staging',
                    '    timeout-minutes: 15',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          claude_args: |',
                    '            --allowedTools "Read,Bash(kubectl get pods),Bash(kubectl logs:*)"',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model, ctx) {
        if (ctx.environments.length === 0)
            return [];
        const placer = new Placer(model, ctx.environments);
        const grants = new Map(grantsOf(model).map((g) => [g.rule.value, g]));
        return (0,powers/* powersOf */.eJ)(model).flatMap((power) => {
            if (power.direction !== 'widens' || power.risk === undefined)
                return [];
            let name;
            let risk;
            let rule;
            if (power.kind === 'grant' && power.rule) {
                rule = power.rule;
                if (grantsNothing(rule))
                    return [];
                const grant = grants.get(rule);
                // Settings given inline are named by how they were given (`--settings`, the action's settings input).
                const origin = grant?.settings?.scope === 'inline' || !grant
                    ? `permissions.allow of ${power.via.join(', ') || 'inline settings'}`
                    : grant.origin;
                name = `"${CG105_grant_exceeds_environment_short(rule.raw)}" in ${origin}`;
                risk = grantRisk(rule);
            }
            else if (power.kind === 'mode' && power.value !== 'bypassPermissions') {
                name = `the ${CG105_grant_exceeds_environment_short(power.value)} mode${power.via.length > 0 ? ` (${power.via.join(', ')})` : ''}`;
                risk = power.risk;
            }
            else
                return [];
            const placed = placer.place(power.where);
            if (!placed)
                return [];
            const { env, how } = placed;
            const where = `environment "${CG105_grant_exceeds_environment_short(env.name)}" (placed by ${how})`;
            const id = rule
                ? `grant:${rule.specifier === undefined ? rule.canonical : `${rule.canonical}(${rule.specifier.trim()})`}`
                : `mode:${power.value}`;
            const denied = rule ? deniedBy(env.deny, rule) : undefined;
            if (denied !== undefined)
                return [
                    CG105_grant_exceeds_environment_finding(power, `${name} is denied in ${where} by "${CG105_grant_exceeds_environment_short(denied)}"`, `${env.name}:deny:${id}`),
                ];
            if ((0,powers/* riskRank */.wv)(risk) <= (0,powers/* riskRank */.wv)(env.maxRisk))
                return [];
            if (rule && allowedBy(env.allow, rule) !== undefined)
                return [];
            const list = rule && env.allow.length > 0 ? ', and no pattern of its allow list covers it' : '';
            return [
                CG105_grant_exceeds_environment_finding(power, `${name} is ${risk}-class, above the max risk (${env.maxRisk}) of ${where}${list}`, `${env.name}:${id}`),
            ];
        });
    },
};

;// CONCATENATED MODULE: ./lib/rules/CG106-forbidden-tool.js



/** Text of the repository or the policy in a message, kept short. */
function CG106_forbidden_tool_short(text) {
    const one = text.replace(/\s+/g, ' ').trim();
    return one.length > 80 ? `${one.slice(0, 77)}…` : one;
}
/** The words a fingerprint holds for a grant: the tool and its specifier, as Claude reads them. */
function identity(rule) {
    return rule.specifier === undefined ? rule.canonical : `${rule.canonical}(${rule.specifier.trim()})`;
}
const forbiddenTool = {
    meta: {
        id: 'CG106',
        name: 'forbidden-tool',
        severity: 'high',
        summary: 'A grant lets Claude use a tool the policy forbids (`tools.deny`), or one outside the tools the policy accepts (`tools.allow`).',
        rationale: 'An organisation lists in its policy the tools Claude must never be pre-approved for — pushing with ' +
            'git, a production database server, reading a secrets folder — and, when it wants, the only ones it may ' +
            'be. A grant is compared the way Claude Code matches permission rules: a bare tool is every use of it, ' +
            '`git:*` and `git *` are every git command, legacy names are the tools they stand for, `mcp__srv` is ' +
            'every tool of that server, and `*` in a tool name is any run of characters. A grant wider than a denied ' +
            'pattern is caught too (`Bash(git:*)` lets Claude run `git push`), and so is a scoped grant of a ' +
            'command that runs any other (`Bash(sudo:*)`, `Bash(env *)`). Against an allow list a grant is accepted ' +
            'only when one pattern covers all of it.',
        fix: 'Remove the grant, or narrow it to commands the policy accepts (`Bash(git status)` rather than ' +
            '`Bash(git:*)`); if the policy is what is wrong, change `tools` in `.github/claude-guard.yml`.',
        bad: [
            {
                path: '.claude/settings.json',
                note: 'The policy denies `git push`; `Bash(git:*)` grants it among every other git command.',
                policy: ['version: 1', 'tools:', '  deny: ["Bash(git push:*)", "mcp__postgres__*"]', ''].join('\n'),
                lines: [3, 3],
                content: [
                    '{',
                    '  "permissions": {',
                    '    "allow": ["Read", "Bash(git:*)", "mcp__postgres"]',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
            {
                path: '.github/workflows/review.yml',
                note: 'The policy accepts read-only tools and git status; the run is also given `Edit`.',
                policy: ['version: 1', 'tools:', '  allow: [Read, Grep, Glob, "Bash(git status)"]', ''].join('\n'),
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
                    '            --allowedTools "Read,Grep,Bash(git status),Edit"',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.claude/settings.json',
                note: 'Git commands other than push, under a policy that denies push.',
                policy: ['version: 1', 'tools:', '  deny: ["Bash(git push:*)"]', ''].join('\n'),
                content: [
                    '{',
                    '  "permissions": {',
                    '    "allow": ["Read", "Bash(git status)", "Bash(git diff:*)", "Bash(git log *)"]',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
            {
                path: '.claude/settings.json',
                note: 'Without `tools` in the policy, nothing is forbidden.',
                content: ['{', '  "permissions": {', '    "allow": ["Bash(git:*)", "Edit"]', '  }', '}', ''].join('\n'),
            },
        ],
    },
    check(model, ctx) {
        const { allow, deny } = ctx.tools;
        if (deny.length === 0 && allow === undefined)
            return [];
        return grantsOf(model).flatMap((grant) => {
            const rule = grant.rule.value;
            if (grantsNothing(rule))
                return [];
            const name = `"${CG106_forbidden_tool_short(rule.raw)}" in ${grant.origin}`;
            const denied = deniedBy(deny, rule);
            if (denied !== undefined) {
                const hatch = deniedBy(deny, rule, false) === undefined ? escapeHatchOf(rule) : undefined;
                const through = hatch ? `: ${hatch.fixed} with any arguments ${hatch.hatch.why}` : '';
                return [
                    {
                        span: grant.rule.span,
                        message: `${name} lets Claude do what policy tools.deny forbids with "${CG106_forbidden_tool_short(denied)}"${through}`,
                        evidence: `${grant.source}:deny:${denied}:${identity(rule)}`,
                    },
                ];
            }
            if (allow !== undefined && allowedBy(allow, rule) === undefined) {
                const why = allow.length === 0 ? ', which is empty' : ': no pattern there covers all the grant allows';
                return [
                    {
                        span: grant.rule.span,
                        message: `${name} is outside policy tools.allow${why}`,
                        evidence: `${grant.source}:allow:${identity(rule)}`,
                    },
                ];
            }
            return [];
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
            .filter((grant) => (0,tool_rule/* isUnscopedWrite */.fH)(grant.rule.value))
            .map((grant) => ({
            span: grant.rule.span,
            message: `"${grant.rule.value.raw.trim()}" in ${grant.origin} lets Claude change any file without asking`,
            evidence: `${grant.source}:${grant.rule.value.canonical}:${grant.rule.value.specifier?.trim() ?? ''}`,
        }));
    },
};

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./lib/model/span.js
var span = __webpack_require__(5577);
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
                span: (0,span/* fileSpan */.b)(main.path),
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
/** A database password as a service would generate it; assembled so no source file holds the URL whole. */
const EXAMPLE_DB_PASSWORD = 'q7Vx' + '2mRk9Lp4T3wZ';
const LABELS = new Map(secret_patterns/* SECRET_PATTERNS */.XN.map((p) => [p.kind, p.label]));
const hardcodedSecret = {
    meta: {
        id: 'CG201',
        name: 'hardcoded-secret',
        severity: 'critical',
        summary: 'A credential is written in a tracked file: Anthropic API keys and OAuth tokens, GitHub tokens, AWS keys, ' +
            'Slack tokens and webhook URLs, private keys, passwords in URLs.',
        rationale: 'A key in a file is a key for everyone who can read the repository, its forks, its history and every ' +
            'log that prints the file. An Anthropic key bills your organisation and reaches its workspaces; a ' +
            'Claude OAuth token acts as the person who created it; a Slack token or webhook posts as your ' +
            'workspace; a private key signs or decrypts as its owner; a password in a connection URL ' +
            '(`postgres://app:<password>@db`) opens that database. Removing the line does not help: the secret stays in git ' +
            'history and must be revoked. Reports never show the secret: only its public part (the key prefix, a ' +
            "private key's BEGIN line, a URL's scheme, user and host). A private key finding points at its BEGIN " +
            'line; a URL finding points at the password. Strings that are obviously placeholders are not ' +
            'reported: `sk-ant-api03-xxxx`, `sk-ant-api03-your-key-here`, bodies too short or too regular to be ' +
            'real, a key block whose body is `...` or `<key>`, and URL passwords that are a variable or template ' +
            '(`${DB_PASSWORD}`, `$PASS`, `${{ secrets.X }}`, `{{ pw }}`, `<password>`), elided (`***`, `xxx`), ' +
            'shorter than 6 characters, a plain word or a default (`password`, `pass`, `secret`, `changeme`, ' +
            '`guest`, the user name repeated), or for a documentation host (`example.com`, `.test`, `.invalid`). A ' +
            'password in a URL to the machine itself (`localhost`, `127.0.0.1`, `[::1]`) is low: it opens a ' +
            'service nobody else can reach, typically a local test database, though it should still not be reused.',
        fix: 'Revoke or rotate the credential now (an Anthropic key at console.anthropic.com → API keys; a Slack ' +
            'token or webhook in the Slack app settings; a private key by replacing the key pair; a password at its ' +
            'service), then read it from a secret: `${{ secrets.ANTHROPIC_API_KEY }}` in workflows, ' +
            '`${ANTHROPIC_API_KEY}` in `.mcp.json`, an environment variable (`postgres://app:${DB_PASSWORD}@db`) or ' +
            '`apiKeyHelper` locally.',
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
            {
                path: '.mcp.json',
                note: 'A database password in the connection URL given to an MCP server: the finding points at the password.',
                lines: [7],
                content: [
                    '{',
                    '  "mcpServers": {',
                    '    "postgres": {',
                    '      "command": "npx",',
                    '      "args": [',
                    '        "@modelcontextprotocol/server-postgres",',
                    `        "postgresql://claude_ro:${EXAMPLE_DB_PASSWORD}@db.internal.acme.io:5432/app"`,
                    '      ]',
                    '    }',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
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
            {
                path: 'docs/database.md',
                note: 'Example URLs and key blocks in documentation: a placeholder password, a variable, an elided key.',
                content: [
                    '# Database',
                    'DATABASE_URL=postgres://user:password@localhost:5432/app',
                    'DATABASE_URL=postgres://app:${DB_PASSWORD}@db.internal:5432/app',
                    'REDIS_URL=redis://default:<your-password>@cache:6379',
                    'AMQP_URL=amqp://guest:guest@rabbitmq:5672',
                    '',
                    'A deploy key looks like this:',
                    '    -----BEGIN RSA PRIVATE KEY-----',
                    '    MIIEpAIBAAKCAQEA...',
                    '    -----END RSA PRIVATE KEY-----',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model) {
        return model.secrets
            .filter((secret) => secret.placeholder === undefined)
            .map((secret) => {
            const label = LABELS.get(secret.kind) ?? 'Credential';
            const finding = {
                span: secret.span,
                message: secret.loopback
                    ? `${label} written in plain text (${secret.masked}); its host is this machine`
                    : `${label} written in plain text (${secret.masked})`,
                evidence: `${secret.kind}:${(0,external_node_crypto_.createHash)('sha256').update(secret.value).digest('hex').slice(0, 24)}`,
            };
            // A service on the machine itself: nobody else can reach it with the password.
            if (secret.loopback)
                finding.severity = 'low';
            return finding;
        });
    },
};

// EXTERNAL MODULE: ./lib/model/env.js
var env = __webpack_require__(7386);
;// CONCATENATED MODULE: ./lib/rules/CG202-secret-on-command-line.js

/** Inputs of claude-code-action and claude-code-base-action that take a credential. */
const CREDENTIAL_INPUTS = new Set([
    'anthropic_api_key',
    'claude_code_oauth_token',
    'github_token',
    'ssh_signing_key',
]);
const secretOnCommandLine = {
    meta: {
        id: 'CG202',
        name: 'secret-on-command-line',
        severity: 'high',
        summary: 'A credential given to Claude as literal text: `ANTHROPIC_API_KEY=… claude`, `docker run -e TOKEN=…`, a ' +
            'workflow `env:` or a settings `env` value, a credential input of claude-code-action — instead of a ' +
            'secret reference.',
        rationale: 'A credential written into a workflow, script or settings file is readable by everyone who can read the ' +
            'repository, stays in its history after it is removed, and lands in logs and process listings. It cannot ' +
            'be rotated without a commit, and forks copy it. GitHub masks `${{ secrets.X }}` in logs; it cannot mask ' +
            'a literal. This rule looks at the names that hold credentials (`…_API_KEY`, `…_TOKEN`, `…_SECRET`, ' +
            "`…PASSWORD`) and at the action's credential inputs, whatever the value looks like; values written as " +
            'stand-ins (`<token>`, `xxxx`, `dummy`, too short to be a key) are not reported. A value shaped like a ' +
            'known key is also CG201.',
        fix: 'Store the credential as a repository or organisation secret and pass `${{ secrets.NAME }}`; in a script, ' +
            'read it from the environment the caller provides; then rotate the credential that was committed.',
        bad: [
            {
                path: '.github/workflows/claude.yml',
                note: 'A token written into the job, and an API key given to the action as text.',
                lines: [7, 12],
                content: [
                    'on: issue_comment',
                    'jobs:',
                    '  claude:',
                    '    runs-on: ubuntu-latest',
                    '    env:',
                    '      # a gateway token, written out',
                    '      ANTHROPIC_AUTH_TOKEN: gw-7f3a9c2e41d84b6f9a0c',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          github_token: ${{ secrets.GITHUB_TOKEN }}',
                    '          anthropic_api_key: "k9d8f7a6s5d4f3g2h1j0"',
                    '',
                ].join('\n'),
            },
            {
                path: 'scripts/review.sh',
                note: 'A key passed into a container on the command line.',
                lines: [2],
                content: [
                    '#!/bin/sh',
                    'docker run --rm -e ANTHROPIC_API_KEY=k9d8f7a6s5d4f3g2h1j0 claude-image claude -p "review"',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.github/workflows/claude.yml',
                note: 'Secret references, and a variable passed through from the runner.',
                content: [
                    'on: issue_comment',
                    'jobs:',
                    '  claude:',
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
                    '      - run: docker run --rm -e ANTHROPIC_API_KEY img claude -p "review"',
                    '        env:',
                    '          ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}',
                    '          GH_TOKEN: ${{ github.token }}',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model) {
        const out = [];
        for (const setting of (0,env/* envSettings */.Hp)(model)) {
            if (setting.target !== 'claude' || setting.origin !== 'literal' || !(0,env/* isCredentialName */.hN)(setting.name))
                continue;
            if ((0,env/* standInReason */._q)(setting.value.value))
                continue;
            out.push({
                span: setting.value.span,
                message: `${setting.name} is given to Claude as literal text in ${setting.where}; pass a secret reference instead`,
                evidence: `env:${setting.name}`,
                credential: true,
            });
        }
        for (const run of model.runs) {
            for (const [name, value] of Object.entries(run.action?.inputs ?? {})) {
                if (!CREDENTIAL_INPUTS.has(name) || /\$\{\{/.test(value.value) || (0,env/* standInReason */._q)(value.value))
                    continue;
                out.push({
                    span: (0,env/* locatedArg */.ZX)(value).span,
                    message: `input ${name} of ${run.action?.action} is literal text; pass \${{ secrets.… }} instead`,
                    evidence: `input:${name}`,
                    credential: true,
                });
            }
        }
        return out;
    },
};

;// CONCATENATED MODULE: ./lib/rules/CG203-mcp-literal-credential.js

/** Flags of MCP server programs that take a credential as their next argument (or after `=`). */
const CREDENTIAL_FLAG = /^--?(api[-_]?key|token|access[-_]token|auth[-_]token|password|secret|client[-_]secret|pat|personal[-_]access[-_]token|bearer[-_]token)$/i;
/** URL query parameters that carry a credential. */
const CREDENTIAL_PARAM = /[?&]((?:api[-_]?key|apikey|key|token|access[-_]token|auth|secret|password)=)([^&#\s]+)/i;
/** `scheme://user:password@host`: the password. */
const URL_PASSWORD = /([A-Za-z][A-Za-z0-9+.-]{0,15}:\/\/[^\s:@/]{0,128}:)([^\s@/]{1,256})@/;
/** `Bearer xyz`, `Basic xyz`, `token xyz`: the credential is what follows the scheme. */
const AUTH_SCHEME = /^\s*(bearer|basic|token|bot|apikey)\s+/i;
/** The literal credential in `text` from `from` on, or undefined when it is a reference or a stand-in. */
function CG203_mcp_literal_credential_literal(text, from, to, what, key) {
    const value = text.value.slice(from, to);
    if ((0,env/* jsonOrigin */.p0)(value) !== 'literal' || (0,env/* standInReason */._q)(value))
        return undefined;
    return { at: text, from, to, what, key };
}
function credentialsOf(server) {
    const found = [];
    for (const [name, value] of Object.entries(server.env)) {
        if ((0,env/* isCredentialName */.hN)(name))
            found.push(CG203_mcp_literal_credential_literal(value, 0, value.value.length, `env ${name}`, `env:${name}`));
        else {
            // A connection string: `DATABASE_URL=postgres://app:pw@db/app`.
            const userinfo = URL_PASSWORD.exec(value.value);
            if (userinfo) {
                const from = (userinfo.index ?? 0) + userinfo[1].length;
                const to = from + userinfo[2].length;
                found.push(CG203_mcp_literal_credential_literal(value, from, to, `env ${name} (URL password)`, `env:${name}:url-password`));
            }
        }
    }
    for (const [name, value] of Object.entries(server.headers)) {
        const upper = name.toUpperCase().replace(/-/g, '_');
        if (!/^(PROXY_)?AUTHORIZATION$/.test(upper) && !(0,env/* isCredentialName */.hN)(upper))
            continue;
        const scheme = AUTH_SCHEME.exec(value.value)?.[0].length ?? 0;
        found.push(CG203_mcp_literal_credential_literal(value, scheme, value.value.length, `header ${name}`, `header:${name.toLowerCase()}`));
    }
    server.args.forEach((arg, i) => {
        // `--header "Authorization: Bearer …"` (mcp-remote and similar proxies).
        if ((arg.value === '--header' || arg.value === '-H') && server.args[i + 1]) {
            const header = server.args[i + 1];
            const colon = header.value.indexOf(':');
            if (colon > 0) {
                const name = header.value.slice(0, colon).trim();
                const upper = name.toUpperCase().replace(/-/g, '_');
                if (/^(PROXY_)?AUTHORIZATION$/.test(upper) || (0,env/* isCredentialName */.hN)(upper)) {
                    const rest = header.value.slice(colon + 1);
                    const lead = colon + 1 + (/^\s*/.exec(rest)?.[0].length ?? 0);
                    const scheme = AUTH_SCHEME.exec(header.value.slice(lead))?.[0].length ?? 0;
                    found.push(CG203_mcp_literal_credential_literal(header, lead + scheme, header.value.length, `header ${name}`, `arg-header:${name.toLowerCase()}`));
                }
            }
            return;
        }
        const eq = arg.value.indexOf('=');
        const flag = eq > 0 ? arg.value.slice(0, eq) : arg.value;
        if (CREDENTIAL_FLAG.test(flag)) {
            if (eq > 0)
                found.push(CG203_mcp_literal_credential_literal(arg, eq + 1, arg.value.length, `argument ${flag}`, `arg:${flag}`));
            else {
                const next = server.args[i + 1];
                if (next)
                    found.push(CG203_mcp_literal_credential_literal(next, 0, next.value.length, `argument ${flag}`, `arg:${flag}`));
            }
            return;
        }
        // `-e NAME=value` to a container, or `NAME=value` to `env`.
        const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(arg.value);
        if (assignment && (0,env/* isCredentialName */.hN)(assignment[1])) {
            const name = assignment[1];
            found.push(CG203_mcp_literal_credential_literal(arg, name.length + 1, arg.value.length, `argument ${name}=`, `arg:${name}`));
        }
    });
    for (const text of [...server.args, ...(server.url ? [server.url] : [])]) {
        const userinfo = URL_PASSWORD.exec(text.value);
        if (userinfo) {
            const from = (userinfo.index ?? 0) + userinfo[1].length;
            found.push(CG203_mcp_literal_credential_literal(text, from, from + userinfo[2].length, 'URL password', 'url-password'));
        }
        const m = CREDENTIAL_PARAM.exec(text.value);
        if (!m)
            continue;
        const from = (m.index ?? 0) + 1 + m[1].length;
        found.push(CG203_mcp_literal_credential_literal(text, from, from + m[2].length, `URL parameter ${m[1]}`, `param:${m[1]}`));
    }
    return found.filter((f) => f !== undefined);
}
const mcpLiteralCredential = {
    meta: {
        id: 'CG203',
        name: 'mcp-literal-credential',
        severity: 'high',
        summary: 'An MCP server configured with a literal credential — in its `env`, its `headers`, its arguments or a ' +
            'URL (a password, a token parameter) — instead of a `${VAR}` reference.',
        rationale: '`.mcp.json` is meant to be committed and shared, so a token written into it is readable by everyone who ' +
            'can read the repository and stays in its history. Claude Code expands `${VAR}` and `${VAR:-default}` in ' +
            "a server's `command`, `args`, `env`, `url` and `headers`, so the value can come from each person's " +
            'environment instead. Values written as stand-ins (`<token>`, `xxxx`, `your-token-here`) are not ' +
            'reported. A value shaped like a known key is also CG201.',
        fix: 'Replace the value with a reference such as `${GITHUB_TOKEN}` (or `Bearer ${API_TOKEN}` in a header), ' +
            'set it in the environment, and rotate the credential that was committed.',
        bad: [
            {
                path: '.mcp.json',
                note: 'A token in the env of a stdio server, and a bearer token in a header.',
                lines: [6, 11],
                content: [
                    '{',
                    '  "mcpServers": {',
                    '    "github": {',
                    '      "command": "npx",',
                    '      "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"],',
                    '      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "e1f2a3b4c5d6e7f8a9b0c1d2" }',
                    '    },',
                    '    "tickets": {',
                    '      "type": "http",',
                    '      "url": "https://mcp.tickets.example/mcp",',
                    '      "headers": { "Authorization": "Bearer 9a8b7c6d5e4f3a2b1c0d" }',
                    '    }',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.mcp.json',
                note: 'References to the environment.',
                content: [
                    '{',
                    '  "mcpServers": {',
                    '    "github": {',
                    '      "command": "npx",',
                    '      "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"],',
                    '      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "${GITHUB_TOKEN}" }',
                    '    },',
                    '    "tickets": {',
                    '      "type": "http",',
                    '      "url": "https://mcp.tickets.example/mcp",',
                    '      "headers": { "Authorization": "Bearer ${TICKETS_TOKEN}" }',
                    '    }',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model) {
        return model.mcpServers.flatMap((server) => credentialsOf(server).map((f) => ({
            span: (0,env/* locatedArg */.ZX)(f.at).sub(f.from, f.to),
            message: `MCP server "${server.name.value}" has a literal credential in its ${f.what}; use a \${VAR} reference`,
            evidence: `${server.name.value}:${f.key}`,
            credential: true,
        })));
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
                span: (0,span/* fileSpan */.b)(file.path),
                message: `${file.path} is in the repository: it holds ${what.holds}`,
                evidence: `local-config:${file.kind}`,
                ...(what.severity === 'high' ? {} : { severity: what.severity }),
            };
        });
    },
};

;// CONCATENATED MODULE: ./lib/model/tls.js
/**
 * Variables that turn certificate checks off, each with the values that do it. A name may be a pattern: the
 * `…_SSL` and `…_VERIFY_SSL` families of database and HTTP clients.
 */
const TLS_OFF = [
    {
        name: /^NODE_TLS_REJECT_UNAUTHORIZED$/,
        off: /^0$/,
        says: 'Node.js (and Claude Code with it) accepts any certificate',
    },
    { name: /^GIT_SSL_NO_VERIFY$/i, off: /^(1|true|yes)$/i, says: 'git accepts any certificate' },
    { name: /^PYTHONHTTPSVERIFY$/, off: /^0$/, says: 'Python accepts any HTTPS certificate' },
    {
        name: /^(PG|POSTGRES_|POSTGRESQL_|DB_|DATABASE_)?SSL_?MODE$/i,
        off: /^(disable|allow)$/i,
        says: 'the database connection may go without TLS',
    },
    {
        name: /^(POSTGRES|POSTGRESQL|PG|DB|DATABASE|MYSQL|REDIS|MONGO|MONGODB)_(SSL|TLS)$/i,
        off: /^(0|false|no|off|disable|disabled)$/i,
        says: 'the database connection goes without TLS',
    },
    {
        name: /(^|_)(SSL|TLS)_?(NO_?VERIFY|INSECURE|SKIP_?VERIFY)$|(^|_)INSECURE_SKIP_(TLS_)?VERIFY$/i,
        off: /^(1|true|yes|on)$/i,
        says: 'certificates are not checked',
    },
    {
        name: /(^|_)(VERIFY_(SSL|TLS)|(SSL|TLS)_VERIFY(_CERTS?)?)$/i,
        off: /^(0|false|no|off)$/i,
        says: 'certificates are not checked',
    },
];
/** What a variable set to this value turns off; undefined when it leaves TLS checks on. */
function tlsOffBy(name, value) {
    const v = value.trim();
    return TLS_OFF.find((t) => t.name.test(name) && t.off.test(v))?.says;
}
/** `sslmode=disable` (or `allow`) in a connection string: where it starts and its length. */
function sslModeOff(text) {
    const m = /(^|[?&;\s])(sslmode=(?:disable|allow))\b/i.exec(text);
    if (!m)
        return undefined;
    return { at: (m.index ?? 0) + m[1].length, length: m[2].length };
}

;// CONCATENATED MODULE: ./lib/rules/CG301-tls-verification-disabled.js


const tlsVerificationDisabled = {
    meta: {
        id: 'CG301',
        name: 'tls-verification-disabled',
        severity: 'high',
        summary: 'Certificate checks turned off for Claude or an MCP server it starts: `NODE_TLS_REJECT_UNAUTHORIZED=0`, ' +
            '`sslmode=disable`, `GIT_SSL_NO_VERIFY`, a database `…_SSL` set to false.',
        rationale: 'With certificate checks off, anyone on the network path can stand in for the API or the database: they ' +
            "read the prompts, the code Claude sends, the API key in its headers, and can answer in the model's " +
            'place. `NODE_TLS_REJECT_UNAUTHORIZED=0` in a settings `env` block applies to every session in the ' +
            'repository, interactive or in CI, and Claude Code prints no warning in `-p` mode. An MCP server ' +
            'connecting to a database with `sslmode=disable` sends its credentials and rows in clear text.',
        fix: 'Remove the variable. Behind a TLS-inspecting proxy, give its CA certificate with `NODE_EXTRA_CA_CERTS` ' +
            'instead; for a database, use `sslmode=require` (or `verify-full`).',
        bad: [
            {
                path: '.claude/settings.json',
                note: 'Every session of the repository accepts any certificate.',
                lines: [3],
                content: ['{', '  "env": {', '    "NODE_TLS_REJECT_UNAUTHORIZED": "0"', '  }', '}', ''].join('\n'),
            },
            {
                path: '.mcp.json',
                note: 'A database server reached without TLS.',
                lines: [6],
                content: [
                    '{',
                    '  "mcpServers": {',
                    '    "db": {',
                    '      "command": "npx",',
                    '      "args": ["-y", "@modelcontextprotocol/server-postgres@0.6.2",',
                    '               "postgresql://reader@db.internal:5432/app?sslmode=disable"]',
                    '    }',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.claude/settings.json',
                note: 'A corporate CA added, checks kept on.',
                content: [
                    '{',
                    '  "env": {',
                    '    "NODE_EXTRA_CA_CERTS": "/etc/ssl/corp-ca.pem"',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
            {
                path: '.mcp.json',
                note: 'TLS required.',
                content: [
                    '{',
                    '  "mcpServers": {',
                    '    "db": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-postgres@0.6.2", "postgresql://reader@db.internal/app?sslmode=require"] }',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model) {
        const out = [];
        for (const setting of (0,env/* envSettings */.Hp)(model)) {
            if (setting.origin !== 'literal')
                continue;
            const says = tlsOffBy(setting.name, setting.value.value);
            if (says) {
                out.push({
                    span: setting.value.span,
                    message: `${setting.name}=${setting.value.value.trim()} in ${setting.where}: ${says}`,
                    evidence: `env:${setting.name}`,
                });
                continue;
            }
            const mode = sslModeOff(setting.value.value);
            if (mode) {
                out.push({
                    span: setting.value.sub(mode.at, mode.at + mode.length),
                    message: `${setting.name} in ${setting.where} connects with ${setting.value.value.slice(mode.at, mode.at + mode.length)}: the database connection may go without TLS`,
                    evidence: `env:${setting.name}:sslmode`,
                });
            }
        }
        for (const server of model.mcpServers) {
            const texts = [...server.args, ...(server.url ? [server.url] : [])];
            for (const text of texts) {
                const mode = sslModeOff(text.value);
                if (!mode)
                    continue;
                const arg = (0,env/* locatedArg */.ZX)(text);
                out.push({
                    span: arg.sub(mode.at, mode.at + mode.length),
                    message: `MCP server "${server.name.value}" connects with ${text.value.slice(mode.at, mode.at + mode.length)}: the database connection may go without TLS`,
                    evidence: `mcp:${server.name.value}:sslmode`,
                });
            }
        }
        return out;
    },
};

// EXTERNAL MODULE: ./lib/model/endpoints.js
var endpoints = __webpack_require__(8231);
;// CONCATENATED MODULE: ./lib/rules/CG302-insecure-endpoint.js


/** A URL in clear text to a host that is not this machine: where it is, and its host. */
function plainText(value) {
    const endpoint = (0,endpoints/* endpointOf */.X5)(value.value);
    if (!endpoint || !['http', 'ws'].includes(endpoint.scheme) || (0,endpoints/* isLoopback */.U9)(endpoint.host))
        return undefined;
    return { from: endpoint.start, to: endpoint.hostEnd, host: endpoint.host };
}
const insecureEndpoint = {
    meta: {
        id: 'CG302',
        name: 'insecure-endpoint',
        severity: 'high',
        summary: 'Claude or an MCP server talks to a host over clear text: an `http://` API base URL, telemetry endpoint ' +
            'or MCP `url` to a host that is not this machine.',
        rationale: 'Over `http://` the API key, the prompts, the source code Claude reads and the answers it acts on cross ' +
            'the network unencrypted; anyone on the path can read them or change the answer — and Claude runs what ' +
            'the answer says. A telemetry endpoint may receive prompts and tool output (`OTEL_LOG_USER_PROMPTS`). ' +
            'Proxies are not reported: `HTTPS_PROXY=http://…` is the normal way to reach a proxy, and TLS to the ' +
            'real host runs inside it. Loopback addresses (`localhost`, `127.0.0.1`, `host.docker.internal`) never ' +
            'leave the machine, and a telemetry collector named by one label (`http://otel-collector:4318`, a Compose ' +
            'or Kubernetes service) is on the container network.',
        fix: 'Use `https://` (or `wss://`) with a valid certificate.',
        bad: [
            {
                path: '.claude/settings.json',
                note: 'Model traffic, with the key, over clear text.',
                lines: [3],
                content: [
                    '{',
                    '  "env": {',
                    '    "ANTHROPIC_BASE_URL": "http://llm-gateway.corp.example:8080"',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
            {
                path: '.mcp.json',
                note: 'A remote MCP server over http.',
                lines: [2],
                content: [
                    '{',
                    '  "mcpServers": { "tickets": { "type": "http", "url": "http://mcp.example.com/mcp" } }',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.claude/settings.json',
                note: 'A gateway over TLS, a collector on this machine, and a proxy (proxies are reached over http).',
                content: [
                    '{',
                    '  "env": {',
                    '    "ANTHROPIC_BASE_URL": "https://llm-gateway.corp.example",',
                    '    "OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4318",',
                    '    "HTTPS_PROXY": "http://proxy.corp.example:3128"',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model) {
        const out = [];
        for (const setting of (0,env/* envSettings */.Hp)(model)) {
            if (setting.target !== 'claude')
                continue;
            if (!endpoints/* BASE_URL_VARS */.dO.includes(setting.name) && !(0,endpoints/* isOtelEndpointVar */.zA)(setting.name))
                continue;
            const plain = plainText(setting.value);
            if (!plain)
                continue;
            // Telemetry to a collector on the container network (`http://otel-collector:4318`) stays there.
            if ((0,endpoints/* isOtelEndpointVar */.zA)(setting.name) && (0,endpoints/* isNearbyCollector */.xY)(plain.host))
                continue;
            const what = (0,endpoints/* isOtelEndpointVar */.zA)(setting.name) ? 'telemetry' : 'model traffic and the API key';
            out.push({
                span: setting.value.sub(plain.from, plain.to),
                message: `${setting.name} in ${setting.where} sends ${what} to ${plain.host} over clear text`,
                evidence: `env:${setting.name}:${plain.host}`,
            });
        }
        for (const server of model.mcpServers) {
            if (!server.url)
                continue;
            const url = (0,env/* locatedArg */.ZX)(server.url);
            const plain = plainText(url);
            if (!plain)
                continue;
            out.push({
                span: url.sub(plain.from, plain.to),
                message: `MCP server "${server.name.value}" is reached at ${plain.host} over clear text`,
                evidence: `mcp:${server.name.value}:${plain.host}`,
            });
        }
        return out;
    },
};

;// CONCATENATED MODULE: ./lib/rules/CG303-endpoint-override.js


const endpointOverride = {
    meta: {
        id: 'CG303',
        name: 'endpoint-override',
        severity: 'medium',
        summary: 'Claude is pointed at a host outside policy `network.allowed-endpoints`: an API base URL ' +
            '(`ANTHROPIC_BASE_URL`, the Bedrock, Vertex and Foundry ones) or a telemetry endpoint; and a proxy outside ' +
            '`network.allowed-proxies`, when the policy lists proxies.',
        rationale: 'Whoever runs the host in `ANTHROPIC_BASE_URL` receives every prompt, every file Claude reads, and the API ' +
            "key or token in the request headers — and writes the model's answers, which Claude then acts on. A " +
            'committed settings file applies it to every session in the repository, before anyone reads it. A ' +
            'gateway on `localhost` (a model router) is reported too: it forwards the traffic to a provider of its ' +
            'own choosing. Telemetry endpoints receive usage data, and prompts when prompt logging is on; a collector ' +
            'on this machine or its container network (`localhost`, `otel-collector`) keeps them there and is not ' +
            'reported. The default ' +
            "policy allows Anthropic's API and the cloud providers' own Claude hosts (Amazon Bedrock, Google Vertex " +
            'AI, Microsoft Foundry); list your gateway or collector in `network.allowed-endpoints` to allow it.',
        fix: "Remove the override, or, when the host is your organisation's gateway or collector, add it to " +
            '`network.allowed-endpoints` in the policy (`https://llm-gateway.corp.example`).',
        bad: [
            {
                path: '.claude/settings.json',
                note: "Model traffic sent to a third party's host.",
                lines: [3],
                content: [
                    '{',
                    '  "env": {',
                    '    "ANTHROPIC_BASE_URL": "https://api.llm-relay.example/v1"',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
            {
                path: '.github/workflows/review.yml',
                note: 'Telemetry of a CI run sent to an outside collector.',
                lines: [9],
                content: [
                    'on: pull_request',
                    'jobs:',
                    '  review:',
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - run: claude -p "review this change"',
                    '        env:',
                    '          CLAUDE_CODE_ENABLE_TELEMETRY: "1"',
                    '          OTEL_EXPORTER_OTLP_ENDPOINT: https://otel.vendor.example:4318',
                    '',
                ].join('\n'),
            },
            {
                path: 'scripts/triage.sh',
                note: 'A proxy the policy does not list, when it lists the allowed ones.',
                lines: [2],
                policy: ['version: 1', 'network:', '  allowed-proxies: ["http://proxy.corp.example:3128"]', ''].join('\n'),
                content: [
                    '#!/bin/sh',
                    'HTTPS_PROXY=http://10.0.0.9:8888 claude -p "triage the logs in ./logs"',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.claude/settings.json',
                note: "The organisation's gateway, which its policy lists.",
                policy: [
                    'version: 1',
                    'network:',
                    '  allowed-endpoints: ["https://llm-gateway.corp.example"]',
                    '',
                ].join('\n'),
                content: [
                    '{',
                    '  "env": {',
                    '    "ANTHROPIC_BASE_URL": "https://llm-gateway.corp.example/v1"',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
            {
                path: '.claude/settings.json',
                note: "The cloud provider's own host.",
                content: [
                    '{',
                    '  "env": {',
                    '    "CLAUDE_CODE_USE_BEDROCK": "1",',
                    '    "ANTHROPIC_BEDROCK_BASE_URL": "https://bedrock-runtime.us-east-1.amazonaws.com"',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model, ctx) {
        const out = [];
        for (const setting of (0,env/* envSettings */.Hp)(model)) {
            if (setting.target !== 'claude' || setting.origin !== 'literal')
                continue;
            const proxy = (0,endpoints/* isProxyVar */._A)(setting.name);
            let allowed;
            let key;
            if (endpoints/* BASE_URL_VARS */.dO.includes(setting.name) || (0,endpoints/* isOtelEndpointVar */.zA)(setting.name)) {
                allowed = ctx.allowedEndpoints;
                key = 'network.allowed-endpoints';
            }
            else if (proxy && ctx.allowedProxies) {
                allowed = ctx.allowedProxies;
                key = 'network.allowed-proxies';
            }
            else
                continue;
            const endpoint = (0,endpoints/* endpointOf */.X5)(setting.value.value);
            if (!endpoint || allowed.some((p) => (0,endpoints/* endpointAllowed */.w5)(endpoint, p)))
                continue;
            // A collector on this machine or its container network keeps the telemetry there; a gateway there
            // forwards the model traffic on.
            if ((0,endpoints/* isOtelEndpointVar */.zA)(setting.name) && (0,endpoints/* isNearbyCollector */.xY)(endpoint.host))
                continue;
            const what = proxy
                ? 'sends all its traffic through'
                : (0,endpoints/* isOtelEndpointVar */.zA)(setting.name)
                    ? 'sends telemetry to'
                    : 'sends model traffic and its credentials to';
            const host = (0,endpoints/* isLoopback */.U9)(endpoint.host) ? `a gateway on this machine (${endpoint.host})` : endpoint.host;
            const forwards = (0,endpoints/* isLoopback */.U9)(endpoint.host) ? ', and the gateway forwards it where it is set up to' : '';
            out.push({
                span: setting.value.sub(endpoint.hostStart, endpoint.hostEnd),
                message: `${setting.name} in ${setting.where} ${what} ${host}, which ${key} does not list${forwards}`,
                evidence: `env:${setting.name}:${endpoint.host}`,
            });
        }
        return out;
    },
};

;// CONCATENATED MODULE: ./lib/model/run-as.js
/**
 * A user as written for `USER`, Compose `user:`, `docker --user`, `sudo -u` is root: `root`, uid `0`, with or
 * without a group (`0:0`, `root:root`), or sudo's `#0`.
 */
function isRootUser(value) {
    const user = value.trim().split(':')[0] ?? '';
    return user === 'root' || user === '0' || user === '#0';
}
/** Subcommands of `claude` that manage the installation or its configuration and start no session. */
const UTILITY_SUBCOMMANDS = new Set([
    'mcp',
    'config',
    'doctor',
    'update',
    'upgrade',
    'install',
    'migrate-installer',
    'setup-token',
    'plugin',
    'plugins',
    'auth',
    'login',
    'logout',
]);
const UTILITY_FLAGS = new Set(['-v', '--version', '-h', '--help']);
/**
 * Whether a run starts a Claude session (the agent, interactive or `-p`), rather than a utility call such as
 * `claude --version`, `claude mcp add …` or `claude update`, which runs no model and no tool.
 */
function startsSession(run) {
    const cmd = run.command;
    if (run.kind === 'action' || !cmd)
        return true;
    if (cmd.flags.some((f) => UTILITY_FLAGS.has(f.name)))
        return false;
    const first = cmd.args[0];
    return !(first && !first.dynamic && UTILITY_SUBCOMMANDS.has(first.value));
}

;// CONCATENATED MODULE: ./lib/model/sensitive-paths.js
/**
 * Folders Claude should never be given: the file system's root, home directories, system folders, and the
 * places credentials live. Claude reads and (with edit permissions) writes everything under a folder it
 * starts in or is given with `--add-dir` / `additionalDirectories`.
 */
const entry = (path, match, why) => ({
    path,
    match,
    why,
});
/** The curated table. `/home/<user>`, `/Users/<user>` and `/root` are read as `~` before it is consulted. */
const SENSITIVE_PATHS = [
    entry('/', 'exact', 'the whole file system'),
    entry('~', 'exact', 'a home directory, with every credential and configuration file in it'),
    entry('/home', 'exact', "every user's home directory"),
    entry('/Users', 'exact', "every user's home directory"),
    entry('/etc', 'subtree', 'the system configuration'),
    entry('/usr', 'exact', 'the installed system software'),
    entry('/var', 'exact', 'system state, logs and runtime sockets'),
    entry('/run', 'exact', 'runtime sockets such as the Docker socket'),
    entry('/var/run', 'exact', 'runtime sockets such as the Docker socket'),
    entry('/run/docker.sock', 'exact', 'the Docker socket, which is root on the host'),
    entry('/var/run/docker.sock', 'exact', 'the Docker socket, which is root on the host'),
    entry('/run/secrets', 'subtree', 'mounted secrets'),
    entry('/var/run/secrets', 'subtree', 'mounted secrets, such as Kubernetes service account tokens'),
    entry('/proc', 'subtree', "every process's environment and memory maps"),
    entry('/sys', 'subtree', 'kernel and device settings'),
    entry('~/.ssh', 'subtree', 'SSH keys'),
    entry('~/.aws', 'subtree', 'AWS credentials'),
    entry('~/.azure', 'subtree', 'Azure credentials'),
    entry('~/.config', 'exact', 'application configuration and tokens (gh, gcloud, git…)'),
    entry('~/.config/gh', 'subtree', 'the GitHub CLI token'),
    entry('~/.config/gcloud', 'subtree', 'Google Cloud credentials'),
    entry('~/.config/git', 'subtree', 'git configuration and stored credentials'),
    entry('~/.gnupg', 'subtree', 'GPG keys'),
    entry('~/.kube', 'subtree', 'Kubernetes credentials'),
    entry('~/.docker', 'subtree', 'Docker registry credentials'),
    entry('~/.terraform.d', 'subtree', 'Terraform Cloud credentials'),
    entry('~/.claude', 'exact', "Claude's own settings, credentials and transcripts"),
    entry('~/.netrc', 'exact', 'stored login credentials'),
    entry('~/.git-credentials', 'exact', 'stored git credentials'),
    entry('~/.npmrc', 'exact', 'the npm registry token'),
    entry('~/.pypirc', 'exact', 'the PyPI upload token'),
];
const HOME_VARIABLE = /^(\$HOME|\$\{HOME\})$/;
/** A user-name segment written as the current user: `$USER`, `${USER}`. */
const USER_VARIABLE = /^(\$USER|\$\{USER\}|\$LOGNAME|\$\{LOGNAME\})$/;
const USER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/**
 * A path in normal form: `//` and `/.` removed, `..` resolved, trailing slashes dropped, and every way of
 * writing a home directory (`~`, `~user`, `$HOME`, `${HOME}`, `/root`, `/home/<user>`, `/Users/<user>`) made
 * `~`. Undefined for a path relative to wherever Claude runs (`./`, `src`, `../sibling-repo`) or one that
 * starts with a variable whose value is not known here.
 */
function normalisePath(raw) {
    const text = raw.trim();
    if (text.length === 0 || text.length > 4096)
        return undefined;
    const parts = text.split('/');
    const first = parts[0];
    let base;
    if (first === '')
        base = [];
    else if (first === '~' || HOME_VARIABLE.test(first))
        base = ['~'];
    // `~user` is that user's home.
    else if (first.startsWith('~') && USER_NAME.test(first.slice(1)))
        base = ['~'];
    else
        return undefined;
    const segments = [...base];
    for (const part of parts.slice(1)) {
        if (part === '' || part === '.')
            continue;
        if (part === '..') {
            // Above a home directory is the folder of all homes.
            if (segments.length === 1 && segments[0] === '~')
                segments.splice(0, 1, 'home');
            else
                segments.pop();
            continue;
        }
        segments.push(part);
    }
    // `/root`, `/home/<user>`, `/Users/<user>` are home directories.
    const [a, b] = segments;
    if (a === 'root')
        segments.splice(0, 1, '~');
    else if ((a === 'home' || a === 'Users') && b !== undefined && (USER_NAME.test(b) || USER_VARIABLE.test(b)))
        segments.splice(0, 2, '~');
    if (segments[0] === '~')
        return segments.join('/');
    return `/${segments.join('/')}`;
}
/** The table's entry for a folder, when it is a sensitive one; undefined for every other path. */
function sensitivePath(raw) {
    const path = normalisePath(raw);
    if (path === undefined)
        return undefined;
    let best;
    for (const e of SENSITIVE_PATHS) {
        const hit = path === e.path || (e.match === 'subtree' && path.startsWith(`${e.path}/`));
        // The most specific entry says best why.
        if (hit && (!best || e.path.length > best.path.length))
            best = e;
    }
    return best;
}

;// CONCATENATED MODULE: ./lib/rules/CG401-sensitive-directory.js


const sensitiveDirectory = {
    meta: {
        id: 'CG401',
        name: 'sensitive-directory',
        severity: 'high',
        summary: 'Claude is given a sensitive folder: `/`, a home directory, `/etc`, `~/.ssh`, `~/.aws`, the Docker socket… through `--add-dir`, `additionalDirectories`, or the folder it starts in.',
        rationale: 'Claude reads, searches and (with edit permissions) changes everything under the folder it starts in ' +
            'and every folder added with `--add-dir` or `permissions.additionalDirectories`. Given the root of the ' +
            'file system, a home directory, system configuration or a credential folder (`~/.ssh`, `~/.aws`, ' +
            '`~/.kube`, `~/.docker`, `~/.config/gh`, `~/.claude`…), anything that steers the model — a README, an ' +
            'issue, a web page — can have it read keys and tokens or change the system. The table of sensitive ' +
            'folders is curated and tested; paths are compared after `~`, `$HOME`, `/root` and `/home/<user>` are ' +
            'read as a home directory and `//`, `/.` and trailing slashes are removed.',
        fix: 'Start Claude in the project folder and add only the folders the task needs (`--add-dir ../shared-lib`); ' +
            'hand it credentials through environment variables or a credential helper, never their folder.',
        bad: [
            {
                path: 'scripts/agent.sh',
                note: "The user's SSH keys and the whole file system added to a session.",
                lines: [2, 2],
                content: ['#!/bin/sh', 'claude -p "$1" --add-dir ~/.ssh --add-dir /', ''].join('\n'),
            },
            {
                path: '.claude/settings.json',
                note: 'AWS credentials shared with every session of the project.',
                lines: [3],
                content: [
                    '{',
                    '  "permissions": {',
                    '    "additionalDirectories": ["../shared-lib", "$HOME/.aws/"]',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
            {
                path: '.github/workflows/agent.yml',
                note: 'A CI step that starts Claude at the root of the runner.',
                lines: [8],
                content: [
                    'on: workflow_dispatch',
                    'permissions: { contents: read }',
                    'jobs:',
                    '  agent:',
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - run: claude -p "tidy up" --allowedTools Read',
                    '        working-directory: /',
                    '',
                ].join('\n'),
            },
            {
                path: 'Dockerfile',
                note: "An image whose agent starts in root's home directory.",
                lines: [3],
                content: ['FROM node:20', 'USER node', 'WORKDIR /root', 'CMD ["claude"]', ''].join('\n'),
            },
        ],
        good: [
            {
                path: 'scripts/agent.sh',
                note: 'A sibling repository and the project folder itself.',
                content: [
                    '#!/bin/sh',
                    'cd /home/node/app && claude -p "$1" --add-dir ../sibling-repo --add-dir ./',
                    '',
                ].join('\n'),
            },
            {
                path: 'Dockerfile',
                note: 'The agent starts in the workspace.',
                content: ['FROM node:20', 'USER node', 'WORKDIR /workspace', 'CMD ["claude"]', ''].join('\n'),
            },
        ],
    },
    check(model) {
        const findings = [];
        const seen = new Set();
        // `how` names the flag or setting; without one, the folder is the one Claude starts in.
        const report = (folder, evidence, how) => {
            const entry = sensitivePath(folder.value);
            if (!entry)
                return;
            const s = folder.span;
            const key = `${s.path}\0${s.line}\0${s.column}\0${evidence}`;
            if (seen.has(key))
                return;
            seen.add(key);
            findings.push({
                span: folder.span,
                message: how
                    ? `${how} gives Claude ${folder.value}: ${entry.why}`
                    : `Claude starts in ${folder.value}, which gives it ${entry.why}`,
                evidence: `${evidence}:${entry.path}`,
            });
        };
        for (const run of model.runs) {
            for (const dir of run.command?.addDirs ?? [])
                report(dir, 'add-dir', '--add-dir');
            const folder = run.context.workingDirectory;
            if (folder && startsSession(run))
                report(folder, 'working-directory');
        }
        for (const doc of model.settings) {
            const where = doc.scope === 'inline' ? 'the settings input' : doc.path;
            for (const dir of doc.additionalDirectories) {
                report(dir, 'additionalDirectories', `permissions.additionalDirectories in ${where}`);
            }
        }
        return findings;
    },
};

;// CONCATENATED MODULE: ./lib/rules/CG402-privileged-run.js

/** `IS_SANDBOX=1` is the only value Claude's root guard looks at. */
function sandboxFlag(run) {
    return run.env.find((e) => e.name === 'IS_SANDBOX' && e.value.value.trim() === '1' && !e.value.dynamic);
}
/** An assignment from its name to its value when both are written on one line, else its value. */
function assignmentSpan(e) {
    const value = e.value.span;
    const name = e.nameSpan;
    if (!name || name.path !== value.path || name.line !== value.line || name.column > value.column)
        return value;
    return { ...value, column: name.column };
}
/** The user part of `user:group`. */
function userName(value) {
    return value.trim().split(':')[0] ?? '';
}
/** A sudoers command list that allows every command: `ALL`, or `ALL` among others. */
function allowsAll(commands) {
    return commands.split(',').some((c) => c.trim() === 'ALL');
}
/** Wrappers that run their command as another user. */
const USER_SWITCHERS = new Set(['sudo', 'doas', 'gosu', 'su-exec', 's6-setuidgid', 'runuser']);
const privilegedRun = {
    meta: {
        id: 'CG402',
        name: 'privileged-run',
        severity: 'high',
        summary: 'Claude runs as root, or can become root: `sudo claude`, `IS_SANDBOX=1` as root, a container user of root (medium), `NOPASSWD:ALL` for the user it runs as.',
        rationale: 'As root, every command Claude runs — and every command a prompt injection makes it run — can change ' +
            'the whole system, read every secret on it and, in a container with the Docker socket or extra ' +
            'capabilities, the host. Claude refuses bypass mode as root; `IS_SANDBOX=1` is the undocumented way ' +
            'around that guard, so setting it where Claude runs as root removes the last check. A passwordless ' +
            '`sudo` rule for every command gives the same power to a non-root user. Root is known here when a ' +
            'file says so (`USER root`, `user: "0"`, `remoteUser: root`, a job container with `--user root`), ' +
            'through `sudo`/`doas` without `-u` another user, or — only together with `IS_SANDBOX=1`, which is ' +
            'needed only as root — when an image sets no `USER` at all and so runs as its default user, root for ' +
            'most base images. Each cause is its own finding.',
        fix: 'Run Claude as an unprivileged user (`USER node`, `remoteUser: node`, `sudo -u agent claude`), drop ' +
            '`IS_SANDBOX`, and allow `sudo` only for the exact commands the environment needs ' +
            '(`node ALL=(root) NOPASSWD: /usr/local/bin/init-firewall.sh`).',
        bad: [
            {
                path: 'scripts/agent.sh',
                note: 'Claude started through sudo: it runs as root.',
                lines: [2],
                content: ['#!/bin/sh', 'sudo -E claude -p "$1" --allowedTools Read', ''].join('\n'),
            },
            {
                path: 'Dockerfile',
                note: 'An image that runs Claude as root with the root guard turned off: two findings, one per cause.',
                lines: [2, 3],
                content: [
                    'FROM node:20',
                    'ENV IS_SANDBOX=1',
                    'USER root',
                    'CMD ["claude", "--dangerously-skip-permissions"]',
                    '',
                ].join('\n'),
            },
            {
                path: 'docker/agent.Dockerfile',
                note: 'The agent user may run anything as root without a password.',
                lines: [2],
                content: [
                    'FROM node:20',
                    'RUN echo "node ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/node',
                    'USER node',
                    'ENTRYPOINT ["claude"]',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: 'Dockerfile',
                note: "The official dev container's shape: a non-root user, sudo only for the firewall script.",
                content: [
                    'FROM node:20',
                    'COPY init-firewall.sh /usr/local/bin/',
                    'RUN echo "node ALL=(root) NOPASSWD: /usr/local/bin/init-firewall.sh" > /etc/sudoers.d/node-firewall',
                    'USER node',
                    'CMD ["claude"]',
                    '',
                ].join('\n'),
            },
            {
                path: 'scripts/agent.sh',
                note: 'sudo used to drop to another user, not to become root.',
                content: ['#!/bin/sh', 'sudo -u agent claude -p "$1"', ''].join('\n'),
            },
        ],
    },
    check(model) {
        const findings = [];
        const seen = new Set();
        const add = (finding) => {
            const s = finding.span;
            const key = `${s.path}\0${s.line}\0${s.column}\0${finding.evidence}`;
            if (seen.has(key))
                return;
            seen.add(key);
            findings.push(finding);
        };
        for (const run of model.runs) {
            if (!startsSession(run))
                continue;
            const user = run.context.user;
            const root = user !== undefined && isRootUser(user.value);
            const sandbox = sandboxFlag(run);
            if (user?.from === 'sudo' && root) {
                const wrapper = [...run.wrappers].reverse().find((w) => USER_SWITCHERS.has(w.value));
                add({
                    span: wrapper?.span ?? user.span,
                    message: `Claude runs as root through ${wrapper?.value ?? 'sudo'}`,
                    evidence: wrapper?.value ?? 'sudo',
                });
            }
            if (user?.from === 'setting' && root) {
                add({
                    span: user.span,
                    message: `Claude runs as root in the container (user ${user.value})`,
                    severity: 'medium',
                    evidence: `root-user:${user.value}`,
                });
            }
            if (user?.from === 'image-default' && sandbox) {
                add({
                    span: user.span,
                    message: "Claude runs as the image's default user, root: no user is set, and IS_SANDBOX=1 is only needed as root",
                    severity: 'medium',
                    evidence: 'root-user:image-default',
                    related: [{ span: assignmentSpan(sandbox), message: 'IS_SANDBOX=1 set here' }],
                });
            }
            if (sandbox && root) {
                add({
                    span: assignmentSpan(sandbox),
                    message: "IS_SANDBOX=1 turns off Claude's refusal to skip permission checks as root, and Claude runs as root here",
                    evidence: 'IS_SANDBOX=1',
                    related: [
                        {
                            span: user.span,
                            message: user.from === 'image-default' ? 'no user set: root' : 'runs as root',
                        },
                    ],
                });
            }
            if (user && !root && user.from !== 'image-default' && !user.value.includes('$')) {
                const name = userName(user.value);
                for (const grant of run.context.sudoGrants ?? []) {
                    if (!allowsAll(grant.commands.value) || (grant.user !== name && grant.user !== 'ALL'))
                        continue;
                    add({
                        span: grant.commands.span,
                        message: `${grant.user === 'ALL' ? 'Every user' : grant.user} may run any command as root without a password (NOPASSWD: ALL), and Claude runs as ${name}`,
                        evidence: `NOPASSWD:ALL:${grant.user}`,
                        related: [{ span: user.span, message: `Claude runs as ${name}` }],
                    });
                }
            }
        }
        return findings;
    },
};

// EXTERNAL MODULE: ./lib/syntax/actions-expression.js
var actions_expression = __webpack_require__(1739);
;// CONCATENATED MODULE: ./lib/model/expression-refs.js

/**
 * What a `${{ … }}` reads, through the expression parser: every context path, also inside calls
 * (`fromJSON(steps.claude.outputs.result).label`, `format('{0}', steps.claude.outputs.x)`) and index forms
 * (`steps['claude'].outputs.x`). Paths are lower-cased, as GitHub reads contexts.
 */
/** The same expressions are read by several rules for every step: the recent ones are kept. */
const CACHE = new Map();
const MAX_CACHED = 2048;
/** Longer than any expression a person writes: read, not kept. */
const MAX_KEPT_LENGTH = 4096;
/** Every context path an expression (the inside of `${{ … }}`) reads; a text that does not parse reads none. */
function pathsRead(expression) {
    const known = CACHE.get(expression);
    if (known)
        return known;
    const tree = (0,actions_expression/* parseExpression */.YK)(expression);
    const paths = tree ? (0,actions_expression/* refsOf */.gA)(tree) : [];
    if (expression.length <= MAX_KEPT_LENGTH) {
        if (CACHE.size >= MAX_CACHED)
            CACHE.clear();
        CACHE.set(expression, paths);
    }
    return paths;
}
/** The `${{ … }}` expressions written in a value, each trimmed, in order. */
function expressionTexts(text) {
    const out = [];
    for (let at = text.indexOf('${{'); at >= 0;) {
        const end = text.indexOf('}}', at + 3);
        if (end < 0)
            break;
        out.push(text.slice(at + 3, end).trim());
        at = text.indexOf('${{', end + 2);
    }
    return out;
}
/** The names under `<root>.<name>.…` an expression reads (`steps` → step ids, `needs` → job ids). */
function namesUnder(expression, root, then) {
    const out = [];
    for (const path of pathsRead(expression)) {
        const parts = path.split('.');
        if (parts[0] !== root || parts[1] === undefined || parts[1] === '*')
            continue;
        if (then !== undefined && parts[2] !== then)
            continue;
        if (!out.includes(parts[1]))
            out.push(parts[1]);
    }
    return out;
}
/** The ids (lower-cased) of the steps whose outputs an expression reads: `steps.<id>.outputs…`. */
function stepOutputsRead(expression) {
    return namesUnder(expression, 'steps', 'outputs');
}
/** The ids (lower-cased) of the jobs whose outputs an expression reads: `needs.<job>.outputs…`. */
function jobOutputsRead(expression) {
    return namesUnder(expression, 'needs', 'outputs');
}
/**
 * The job outputs (job ids and output names lower-cased) an expression reads: `needs.<job>.outputs.<name>`;
 * `output` is undefined when it reads them all (`toJSON(needs.<job>.outputs)`).
 */
function jobOutputRefs(expression) {
    const out = [];
    for (const path of pathsRead(expression)) {
        const [root, job, outputs, output] = path.split('.');
        if (root !== 'needs' || job === undefined || job === '*' || outputs !== 'outputs')
            continue;
        out.push(output === undefined || output === '*' ? { job } : { job, output });
    }
    return out;
}
/** The inputs (lower-cased) an expression reads: `inputs.<name>`, a workflow's or an action's. */
function inputsRead(expression) {
    return namesUnder(expression, 'inputs');
}

// EXTERNAL MODULE: ./lib/model/untrusted-input.js
var untrusted_input = __webpack_require__(6770);
;// CONCATENATED MODULE: ./lib/model/run-callers.js




/**
 * A Claude run that a workflow job reaches only through something it runs — a shell script
 * (`run: ./scripts/triage.sh`) or a local composite action (`uses: ./.github/actions/review`) — seen as it runs
 * in each workflow step that runs it: that step's workflow, job and step become its context, and for an action
 * the values the step passes `with:` stand for the action's `inputs.*`. Rules that judge a run by its job
 * (who can start it, its token, its limits, what it leaves behind) judge these views.
 */
/** Views of one run: the first are enough to judge it, and a hostile repository gets no more. */
const MAX_VIEWS = 16;
/** Actions using actions using a script: further than any real repository goes. */
const MAX_DEPTH = 4;
/** Whether a script's text runs the file at `path`: `./scripts/x.sh`, `bash scripts/x.sh`, `$GITHUB_WORKSPACE/scripts/x.sh`. */
function runsFile(script, path) {
    let at = script.indexOf(path);
    while (at >= 0) {
        const before = at === 0 ? ' ' : script[at - 1];
        const after = script[at + path.length] ?? ' ';
        if (/[\s/"'=]/.test(before) && /[\s"';&|)]/.test(after))
            return true;
        at = script.indexOf(path, at + path.length);
    }
    return false;
}
/**
 * The folder of the action a local `uses:` names (`./.github/actions/review` → `.github/actions/review`, `./`
 * → `.`), or `undefined` for an action of another repository or a path leaving the checkout.
 */
function localActionFolder(uses) {
    const value = uses.trim();
    if (!value.startsWith('./'))
        return undefined;
    const folder = external_node_path_.posix.normalize(value.slice(2) || '.').replace(/\/+$/, '') || '.';
    return folder === '..' || folder.startsWith('../') ? undefined : folder;
}
/** The folder of a composite action's file (`x/action.yml` → `x`), or `undefined` for another file. */
function actionFolder(workflow) {
    if (!workflow.steps)
        return undefined;
    const name = external_node_path_.posix.basename(workflow.path);
    if (name !== 'action.yml' && name !== 'action.yaml')
        return undefined;
    return external_node_path_.posix.dirname(workflow.path);
}
function* stepsOf(model) {
    for (const workflow of model.workflows) {
        for (const job of workflow.jobs)
            for (const step of job.steps)
                yield { workflow, job, step };
        for (const step of workflow.steps ?? [])
            yield { workflow, step };
    }
}
/**
 * An `Arg` made of expressions written in several places (a step's `with:` values standing for an action's
 * inputs): its value is the expressions, each located where it is written.
 */
function expressionsArg(pieces, whole) {
    let value = '';
    const at = [];
    for (const piece of pieces) {
        const text = `\${{ ${piece.expression} }}`;
        at.push({ from: value.length, to: value.length + text.length, span: piece.span });
        value += `${text} `;
    }
    return {
        value: value.trimEnd(),
        span: pieces[0]?.span ?? whole,
        sub: (from) => at.find((p) => from >= p.from && from < p.to)?.span ?? whole,
        dynamic: true,
    };
}
/** How an action's `inputs.*` read in its steps stand for what the step that uses it passes `with:`. */
class Inputs {
    caller;
    constructor(caller) {
        this.caller = caller;
    }
    /** The caller's expressions passed as input `name` (a literal value carries none). */
    passed(name) {
        return this.caller.expressions.filter((x) => x.in.toLowerCase() === `with.${name}`);
    }
    /** An expression of the action, or the caller's expressions it reads through its inputs. */
    resolve(x) {
        const names = inputsRead(x.expression);
        if (names.length === 0)
            return [x];
        return names.flatMap((n) => this.passed(n).map((p) => ({ expression: p.expression, span: p.span })));
    }
    expressions(list) {
        return list.flatMap((x) => this.resolve(x).map((r) => ({ in: x.in, ...r })));
    }
    /**
     * The run's env with `inputs.*` read as what the caller passes, and the caller step's own `env:` (which
     * reaches the action's steps) under the names the run does not set itself.
     */
    env(list) {
        const own = list.map((e) => {
            const pieces = (0,untrusted_input/* expressionsOfArg */.HG)(e.value);
            if (!pieces.some((p) => inputsRead(p.expression).length > 0))
                return e;
            const value = expressionsArg(pieces.flatMap((p) => this.resolve(p)), e.value.span);
            return { ...e, value, origin: (0,env/* envOrigin */.Ye)(value) };
        });
        const names = new Set(list.map((e) => e.name));
        const byName = new Map();
        for (const x of this.caller.expressions) {
            if (!x.in.startsWith('env.') || names.has(x.in.slice(4)))
                continue;
            byName.set(x.in.slice(4), [...(byName.get(x.in.slice(4)) ?? []), x]);
        }
        const passed = [...byName].map(([name, xs]) => {
            const value = expressionsArg(xs, this.caller.span);
            return { name, value, origin: (0,env/* envOrigin */.Ye)(value), scope: 'step' };
        });
        return [...own, ...passed];
    }
}
/**
 * The step a run of a composite action is seen in from the workflow step that uses the action: the caller's
 * place among the job's steps, its condition, name and `uses:`; the action step's text and commands (its
 * span, so the step is still the one that holds Claude's command line), with `inputs.*` read as what the
 * caller passes.
 */
function callerStep(inner, caller, inputs) {
    const step = {
        index: caller.index,
        span: inner.span,
        with: inner.with,
        env: { ...caller.env, ...inner.env },
        expressions: inputs.expressions(inner.expressions),
    };
    if (caller.id)
        step.id = caller.id;
    if (caller.name)
        step.name = caller.name;
    if (caller.if)
        step.if = caller.if;
    if (caller.uses)
        step.uses = caller.uses;
    if (inner.run)
        step.run = inner.run;
    const timeout = inner.timeoutMinutes ?? caller.timeoutMinutes;
    if (timeout)
        step.timeoutMinutes = timeout;
    const folder = inner.workingDirectory ?? caller.workingDirectory;
    if (folder)
        step.workingDirectory = folder;
    return step;
}
/**
 * The steps that may run a script or use a local action, found once per model: every run of a script or an
 * action asks, and a repository can hold thousands of them and thousands of steps.
 */
class CallerIndex {
    byFolder = new Map();
    withRun = [];
    byScript = new Map();
    constructor(model) {
        for (const place of stepsOf(model)) {
            if (place.step.run)
                this.withRun.push(place);
            const folder = place.step.uses && localActionFolder(place.step.uses.value);
            if (folder === undefined)
                continue;
            const list = this.byFolder.get(folder);
            if (list)
                list.push(place);
            else
                this.byFolder.set(folder, [place]);
        }
    }
    usersOf(folder) {
        return this.byFolder.get(folder) ?? [];
    }
    runnersOf(script) {
        let found = this.byScript.get(script);
        if (!found) {
            found = this.withRun.filter((p) => runsFile(p.step.run?.value ?? '', script));
            this.byScript.set(script, found);
        }
        return found;
    }
}
const INDEXES = new WeakMap();
function indexOf(model) {
    let index = INDEXES.get(model);
    if (!index)
        INDEXES.set(model, (index = new CallerIndex(model)));
    return index;
}
/** The views of a run one level out: the steps that run its script or use its action. */
function callersOf(model, run) {
    const out = [];
    const { context } = run;
    const script = context.surface === 'shell-script' && run.path.length >= 3 ? run.path : undefined;
    const folder = !script && context.workflow && !context.job ? actionFolder(context.workflow) : undefined;
    const inner = context.step;
    if (!script && (folder === undefined || !inner))
        return out;
    const index = indexOf(model);
    const places = script ? index.runnersOf(script) : index.usersOf(folder);
    for (const { workflow, job, step } of places) {
        if (out.length >= MAX_VIEWS)
            break;
        if (workflow === context.workflow)
            continue;
        if (script) {
            const viewContext = { ...context, surface: 'workflow', workflow, step };
            if (job)
                out.push({ ...run, context: { ...viewContext, job } });
            else
                out.push({ ...run, context: viewContext });
            continue;
        }
        if (!step.uses || localActionFolder(step.uses.value) !== folder || !inner)
            continue;
        const inputs = new Inputs(step);
        const viewStep = callerStep(inner, step, inputs);
        const viewContext = { ...context, workflow, step: viewStep };
        out.push({
            ...run,
            env: inputs.env(run.env),
            context: job ? { ...viewContext, job } : viewContext,
        });
    }
    return out;
}
const VIEWS = new WeakMap();
/**
 * A run as the workflow jobs that start it see it: itself when it runs in a job's step, else one view for each
 * step that runs its script or uses its local action (directly, or through other local actions), each in that
 * step's job; none when no workflow job runs it.
 */
function runInJobs(model, run) {
    if (run.context.surface === 'workflow' && run.context.job)
        return [run];
    let byRun = VIEWS.get(model);
    if (!byRun)
        VIEWS.set(model, (byRun = new WeakMap()));
    const known = byRun.get(run);
    if (known)
        return known;
    const out = [];
    let level = [run];
    for (let depth = 0; depth < MAX_DEPTH && level.length > 0 && out.length < MAX_VIEWS; depth++) {
        const next = [];
        for (const view of level) {
            for (const seen of callersOf(model, view)) {
                if (seen.context.job)
                    out.push(seen);
                else
                    next.push(seen);
            }
        }
        level = next.slice(0, MAX_VIEWS);
    }
    const views = out.slice(0, MAX_VIEWS);
    byRun.set(run, views);
    return views;
}
/** Every run of the model as the jobs that start it see it (a run no job starts is left out). */
function runsInJobs(model) {
    return model.runs.flatMap((run) => runInJobs(model, run));
}

// EXTERNAL MODULE: ./lib/model/workflow-trust.js + 1 modules
var workflow_trust = __webpack_require__(2863);
// EXTERNAL MODULE: ./lib/model/untrusted-events.js
var untrusted_events = __webpack_require__(945);
;// CONCATENATED MODULE: ./lib/rules/CG501-untrusted-trigger.js



/** What an outsider wrote, by payload object. */
const OUTSIDER_WROTE = new Map([
    ['issue', 'an issue an outsider opened'],
    ['comment', 'a comment an outsider wrote'],
    ['pull_request', 'a pull request an outsider opened'],
    ['review', 'a review an outsider wrote'],
    ['discussion', 'a discussion an outsider started'],
    ['workflow_run', 'a run an outsider started'],
]);
/** Text of the repository's, shown short: a hostile file's value is not repeated whole in every output. */
function CG501_untrusted_trigger_short(text) {
    const one = text.replace(/\s+/g, ' ').trim();
    return one.length > 60 ? `${one.slice(0, 57)}…` : one;
}
function typesWords(e) {
    if (e.trigger.types.length > 0)
        return ` (types: ${CG501_untrusted_trigger_short(e.trigger.types.map((t) => t.value).join(', '))})`;
    const defaults = untrusted_events/* UNTRUSTED_EVENTS */.f4.get(e.trigger.event.value)?.defaults;
    if (defaults)
        return ` (by default ${defaults.join(', ')})`;
    return ' (every activity type)';
}
function triggerMessage(e) {
    const event = e.trigger.event.value;
    const base = `triggered by ${event}${typesWords(e)}`;
    if (e.as === 'actor')
        return `${base}: anyone who ${untrusted_events/* UNTRUSTED_EVENTS */.f4.get(event)?.outsiderDoes} starts it`;
    const what = list(e.roots.map((r) => OUTSIDER_WROTE.get(r) ?? r));
    const all = e.trigger.types.length > 0
        ? e.trigger.types.length
        : (untrusted_events/* UNTRUSTED_EVENTS */.f4.get(event)?.defaults?.length ?? 0);
    const when = e.types.length < all ? ` (${CG501_untrusted_trigger_short(e.types.join(', '))})` : '';
    return `${base}: someone with write access starts it${when} on ${what}`;
}
function openingMessage(reach) {
    const opening = reach.opening;
    if (!opening)
        return '';
    switch (opening.kind) {
        case 'no-gate':
            if (opening.job?.callerPath)
                return `no if: of job "${CG501_untrusted_trigger_short(opening.job.id)}" in ${opening.job.callerPath} (which calls this workflow), of the job or of the step checks who triggered it`;
            return `no if: of job "${CG501_untrusted_trigger_short(opening.job?.id ?? '')}" or of the step checks who triggered it`;
        case 'weak-gate':
            return 'this if: does not check who triggered it (an author_association, github.actor or same-repository check would)';
        case 'allowed-non-write-users':
            return `allowed_non_write_users: "${CG501_untrusted_trigger_short(opening.value ?? '')}" lets people without write access start Claude`;
        case 'allowed-bots':
            return 'allowed_bots: "*" lets any GitHub App start Claude';
        case 'unchecked-workflow-run':
            return `claude-code-action@${CG501_untrusted_trigger_short(opening.value ?? '')} does not check who started the run it follows (it does from v1.0.185)`;
    }
}
function headline(reach, run) {
    const opening = reach.opening;
    if (!opening) {
        return reach.texts.length > 0
            ? 'Text an outsider wrote reaches this Claude run when someone with write access triggers it'
            : "This Claude run starts in an outsider's pull request code when someone with write access triggers it";
    }
    const does = [
        ...new Set(reach.events
            .filter((e) => e.as === 'actor')
            .map((e) => untrusted_events/* UNTRUSTED_EVENTS */.f4.get(e.trigger.event.value)?.outsiderDoes)),
    ].join(' or ');
    switch (opening.kind) {
        case 'allowed-non-write-users':
            return opening.value === '*'
                ? `Anyone who ${does} can start this Claude run: allowed_non_write_users "*" turns off the action's check that they can write to the repository`
                : `The users allowed_non_write_users names (${CG501_untrusted_trigger_short(opening.value ?? '')}) can start this Claude run without write access`;
        case 'allowed-bots':
            return `Any GitHub App that ${does} can start this Claude run (allowed_bots "*")`;
        case 'unchecked-workflow-run':
            return `Anyone who ${does} can start this Claude run: claude-code-action@${CG501_untrusted_trigger_short(opening.value ?? '')} does not check who started the run it follows`;
        default:
            return `Anyone who ${does} can start this Claude run: nothing in its if: checks who they are${run.context.job?.environment ? ` (environment "${CG501_untrusted_trigger_short(run.context.job.environment.value)}" may require a reviewer's approval first, a setting of the repository: reported high)` : ''}`;
    }
}
function list(items) {
    if (items.length <= 1)
        return items.join('');
    return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
const untrustedTrigger = {
    meta: {
        id: 'CG501',
        name: 'untrusted-trigger',
        severity: 'critical',
        summary: 'Claude runs in a workflow that people outside the repository can start, or on text or pull request code they wrote: `issue_comment`, `issues`, `pull_request_target`, `pull_request_review*`, `discussion*`, `workflow_run`.',
        rationale: 'On a public repository anyone can open an issue, comment, review, start a discussion or open a pull ' +
            "request from a fork, and those events run workflows with the repository's secrets and a token that can " +
            'write (`pull_request_target` and `workflow_run` even when a fork started them). When such an event ' +
            'starts Claude, whoever wrote the text steers the model: an issue title or a comment pasted into the ' +
            'prompt with `${{ github.event.* }}` (inline, through `env:`, or through a file, output or `$GITHUB_ENV` ' +
            'variable an earlier step writes), or the files of a pull request checked out before Claude starts — it ' +
            "then loads that code's `.claude/settings.json`, `.mcp.json` and hooks. With a token that can write, " +
            'secrets, bypass mode or an unscoped shell in reach that is code execution in the repository (critical); ' +
            'without them the model can still be made to post, label or leak what it reads (high). A `claude -p` ' +
            'step and `claude-code-base-action` check nobody: only an `if:` an outsider cannot pass keeps them out — ' +
            '`github.event.comment.author_association` in OWNER, MEMBER, COLLABORATOR, `github.actor` against a ' +
            'list or `contains(fromJSON(…), github.actor)` — also a list kept in a repository or organisation ' +
            'variable, `contains(fromJSON(vars.CLAUDE_USERS), github.actor)`, since only admins can set `vars.*` and ' +
            'whom it names is their choice (a variable read as one string is no gate: a login may be any part of ' +
            'it) —, the same-repository check ' +
            '`github.event.pull_request.head.repo.full_name == github.repository`, or a step or job that asks GitHub ' +
            "for the actor's permission and fails (`gh api repos/${{ github.repository }}/collaborators/${{ github.actor }}/permission`). " +
            "`contains(github.event.comment.body, '@claude')` checks nothing. " +
            '`anthropics/claude-code-action` checks on its own that whoever triggers it can write to the repository ' +
            '(issue, comment, pull request and review events; from v1.0.185 also who started the run a ' +
            '`workflow_run` follows; it refuses discussion events, and `pull_request_target` before v1.0.9), so it is ' +
            'reached only when `allowed_non_write_users` or `allowed_bots: "*"` turns that check off, or when ' +
            'someone with write access starts it on text or code an outsider wrote (a label on their issue, a ' +
            'comment on it, a push to their branch). A reusable workflow is judged with the events of the workflows ' +
            'that call it, a shell script with those of the workflow steps that run it, and a local composite ' +
            'action (`uses: ./.github/actions/review`) with those of the workflow steps that use it, the values ' +
            'they pass `with:` standing for its `inputs.*`; the finding is reported where Claude starts, in the ' +
            'script or the action, with the step that runs it as a related location. A job in an ' +
            "`environment:` may wait for a reviewer's approval, a setting this scan cannot see: it is reported high. " +
            "Without `permissions:` anywhere the token has the repository's default, which the finding says. Each " +
            'link of the chain is a related location: the trigger, the missing gate or the input that opens it, the ' +
            'untrusted text, the checkout, the wide grant, the token that can write and the secrets.',
        fix: 'Gate the job on who triggered it (`if: contains(fromJSON(\'["OWNER","MEMBER","COLLABORATOR"]\'), ' +
            'github.event.comment.author_association)`), or use claude-code-action without `allowed_non_write_users`. ' +
            'Never paste `${{ github.event.* }}` text into a prompt: let Claude read the issue or comment through a ' +
            "scoped tool (`Bash(gh issue view:*)`). Do not check out a pull request's head under " +
            '`pull_request_target`/`workflow_run` where Claude starts; give the job `permissions:` it needs and no ' +
            'more, and no bypass mode or unscoped shell.',
        bad: [
            {
                path: '.github/workflows/answer.yml',
                note: 'Any commenter starts Claude with a shell, a write token and the API key; the `@claude` check gates nothing, and the comment reaches the prompt through env.',
                lines: [12],
                content: [
                    'on:',
                    '  issue_comment:',
                    '    types: [created]',
                    'permissions:',
                    '  contents: write',
                    'jobs:',
                    '  answer:',
                    "    if: contains(github.event.comment.body, '@claude')",
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - uses: actions/checkout@v4',
                    '      - run: claude -p "Reply to $COMMENT" --allowedTools Bash',
                    '        env:',
                    '          COMMENT: ${{ github.event.comment.body }}',
                    '          ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}',
                    '',
                ].join('\n'),
            },
            {
                path: '.github/workflows/triage.yml',
                note: 'claude-code-action with its write-access check turned off for everyone.',
                lines: [11],
                content: [
                    'on:',
                    '  issues:',
                    '    types: [opened]',
                    'permissions:',
                    '  contents: read',
                    '  issues: write',
                    'jobs:',
                    '  triage:',
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          github_token: ${{ secrets.GITHUB_TOKEN }}',
                    '          allowed_non_write_users: "*"',
                    '          prompt: "Label issue #${{ github.event.issue.number }}"',
                    '',
                ].join('\n'),
            },
            {
                path: '.github/workflows/review.yml',
                note: "A fork's pull request checked out under pull_request_target: Claude starts in its code and loads its settings, MCP servers and hooks.",
                lines: [9],
                content: [
                    'on: pull_request_target',
                    'jobs:',
                    '  review:',
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - uses: actions/checkout@v4',
                    '        with:',
                    '          ref: ${{ github.event.pull_request.head.sha }}',
                    '      - run: claude -p "Review this pull request"',
                    '        env:',
                    '          ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}',
                    '',
                ].join('\n'),
            },
            {
                path: '.github/workflows/label.yml',
                note: "A maintainer's label starts the action, which passes its own check, on an issue anyone wrote: its title and body go into the prompt.",
                lines: [11],
                content: [
                    'on:',
                    '  issues:',
                    '    types: [labeled]',
                    'permissions:',
                    '  issues: write',
                    'jobs:',
                    '  fix:',
                    "    if: github.event.label.name == 'claude'",
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          prompt: |',
                    '            Triage this issue:',
                    '            ${{ github.event.issue.title }}',
                    '            ${{ github.event.issue.body }}',
                    '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.github/workflows/claude.yml',
                note: 'claude-code-action on comments, as documented: it checks on its own that the commenter can write.',
                content: [
                    'on:',
                    '  issue_comment:',
                    '    types: [created]',
                    'permissions:',
                    '  contents: write',
                    'jobs:',
                    '  claude:',
                    "    if: contains(github.event.comment.body, '@claude')",
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
                    '',
                ].join('\n'),
            },
            {
                path: '.github/workflows/answer.yml',
                note: 'claude -p only for the owner, members and collaborators, reading the comment through a scoped tool.',
                content: [
                    'on:',
                    '  issue_comment:',
                    '    types: [created]',
                    'jobs:',
                    '  answer:',
                    '    if: >-',
                    "      contains(github.event.comment.body, '@claude') &&",
                    '      contains(fromJSON(\'["OWNER","MEMBER","COLLABORATOR"]\'), github.event.comment.author_association)',
                    '    runs-on: ubuntu-latest',
                    '    permissions:',
                    '      issues: write',
                    '    steps:',
                    '      - run: claude -p "Answer comment ${{ github.event.comment.id }}" --allowedTools "Bash(gh issue view:*)"',
                    '        env:',
                    '          ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}',
                    '',
                ].join('\n'),
            },
            {
                path: '.github/workflows/review.yml',
                note: 'pull_request_target only for branches of the repository itself, not forks.',
                content: [
                    'on: pull_request_target',
                    'jobs:',
                    '  review:',
                    '    if: github.event.pull_request.head.repo.full_name == github.repository',
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - uses: actions/checkout@v4',
                    '        with:',
                    '          ref: ${{ github.event.pull_request.head.sha }}',
                    '      - run: claude -p "Review this pull request"',
                    '',
                ].join('\n'),
            },
            {
                path: '.github/workflows/manual.yml',
                note: 'Started by hand, or on a push: only people with write access do that.',
                content: [
                    'on:',
                    '  workflow_dispatch:',
                    '  push:',
                    '    branches: [main]',
                    'permissions:',
                    '  contents: write',
                    'jobs:',
                    '  fix:',
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - run: claude -p "Fix the lint errors" --dangerously-skip-permissions',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model) {
        const findings = [];
        for (const found of model.runs) {
            // A script's or a local action's run is judged where a workflow step runs the script or uses the
            // action, and reported where Claude starts, in the script or the action.
            const views = runInJobs(model, found);
            let reach;
            const run = views.find((v) => (reach = (0,workflow_trust/* untrustedReachOf */.NG)(model, v))) ?? found;
            const workflow = run.context.workflow;
            if (!reach || !workflow)
                continue;
            const related = [];
            const add = (span, message) => {
                related.push({ span, message });
            };
            for (const e of reach.events)
                add(e.trigger.event.span, triggerMessage(e));
            const step = run.context.step;
            if (run !== found && step?.uses) {
                add(step.uses.span, `this step uses ${step.uses.value}, where Claude starts (${found.path})`);
            }
            else if (run !== found && step?.run) {
                add(step.run.span, `this step runs ${found.path}, where Claude starts`);
            }
            if (reach.opening)
                add(reach.opening.span, openingMessage(reach));
            for (const t of reach.texts) {
                const words = list([...new Set(t.texts.map((x) => x.words))]);
                add(t.span, `${words} reaches Claude through ${t.via}`);
            }
            const whose = reach.checkout?.upstream ? 'the upstream run' : 'the pull request';
            if (reach.checkout) {
                add(reach.checkout.span, `checks out ${whose}'s code before Claude runs: Claude starts in it and loads its .claude/settings.json, .mcp.json and hooks`);
            }
            const grants = (0,workflow_trust/* wideGrantsOf */.wb)(model, run);
            for (const g of grants)
                add(g.span, `it holds ${g.what}${g.span.path === run.path ? '' : ` (from ${g.span.path})`}`);
            // A reusable workflow that sets no permissions gets its caller's token.
            const own = (0,workflow_trust/* tokenPermissionsOf */.r0)(workflow, run.context.job);
            const caller = reach.callers[0];
            const token = own.level === 'default' && caller ? (0,workflow_trust/* tokenPermissionsOf */.r0)(caller.workflow, caller.job) : own;
            if (token.level === 'write' && token.span)
                add(token.span, `its token can write: ${token.writes.join(', ')}`);
            const tokenJob = token === own ? run.context.job : caller?.job;
            if (token.level === 'default' && tokenJob) {
                add(tokenJob.span, "no permissions: at job or workflow level: the token has the repository's default permissions (read and write on repositories and organisations that keep the older default)");
            }
            const secrets = (0,workflow_trust/* secretsOf */.Fj)(run);
            for (const s of secrets)
                add(s.span, `it holds secret ${s.name} (${s.via})`);
            const holds = [];
            if (token.level === 'write')
                holds.push(`a token that can write (${token.writes.join(', ')})`);
            if (secrets.length > 0)
                holds.push(`secret${secrets.length > 1 ? 's' : ''} ${list([...new Set(secrets.map((s) => s.name))])}`);
            const bypass = grants.some((g) => g.kind === 'bypass');
            const shell = grants.some((g) => g.kind === 'shell');
            if (bypass)
                holds.push('bypass mode');
            if (shell)
                holds.push('an unscoped shell');
            const parts = [headline(reach, run)];
            if (reach.texts.length > 0) {
                const words = [...new Set(reach.texts.flatMap((t) => t.texts.map((x) => x.words)))];
                parts.push(`${list(words)} ${words.length > 1 ? 'reach' : 'reaches'} it`);
            }
            if (reach.checkout)
                parts.push(`it starts in ${whose}'s checked-out code`);
            if (holds.length > 0)
                parts.push(`it holds ${list(holds)}`);
            else if (token.level === 'default')
                parts.push("its token has the repository's default permissions");
            // Named users are said in the headline; a missing github_token input is said here.
            if (reach.limited === 'no-github-token')
                parts.push('the action applies allowed_non_write_users only when the github_token input is given');
            // An environment may require a reviewer's approval before the job runs: a gate this file cannot see.
            const environment = (reach.opening?.kind === 'no-gate' || reach.opening?.kind === 'weak-gate') &&
                run.context.job?.environment !== undefined;
            const critical = holds.length > 0 && !reach.limited && !environment;
            const evidence = [
                reach.events.map((e) => `${e.trigger.event.value}:${e.as}`).join(','),
                reach.opening?.kind ?? 'content',
                [...new Set(reach.texts.flatMap((t) => t.texts.map((x) => x.words)))].sort().join(','),
                reach.checkout ? 'checkout' : '',
            ].join('|');
            const finding = { span: run.span, message: parts.join('; '), related, evidence };
            if (!critical)
                finding.severity = 'high';
            findings.push(finding);
        }
        return findings;
    },
};

;// CONCATENATED MODULE: ./lib/rules/CG502-excessive-token-permissions.js

/** Text from the scanned file as a message quotes it: long text cut short. */
function clip(text) {
    return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
/** What the token a job's Claude runs with needs, by what runs it. */
function needs(runs) {
    const commenting = runs.some((r) => r.action?.action === 'claude-code-action');
    return commenting
        ? 'claude-code-action needs contents: read, and pull-requests: write and issues: write to comment ' +
            '(contents: write only when it pushes a branch)'
        : 'Claude needs contents: read to read the checkout, and a write scope only for what the job posts ' +
            '(pull-requests: write or issues: write to comment)';
}
/** A `permissions:` value that grants every scope write access. */
function isWriteAll(value) {
    return typeof value === 'string' && value.trim() === 'write-all';
}
const excessiveTokenPermissions = {
    meta: {
        id: 'CG502',
        name: 'excessive-token-permissions',
        severity: 'medium',
        summary: 'A workflow job that runs Claude gets `permissions: write-all`, or no `permissions:` at job or workflow level, so its token may write to everything.',
        rationale: "The job's `GITHUB_TOKEN` is within Claude's reach: in the environment of the action, in `.git/config` " +
            'after a checkout, to any tool that runs `gh` or `git push`. Whatever steers the model — a prompt ' +
            'injection in an issue, a pull request or a file it reads — can use every scope that token holds. ' +
            '`write-all` gives it write access to the code, releases, packages, issues, pull requests and more; with no ' +
            "`permissions:` block the job gets the repository's default, which is write on every scope in " +
            'repositories and organisations that keep the permissive setting. A job-level `permissions:` replaces ' +
            "the workflow's, so the job's own block is the one judged. A shell script or a local composite action " +
            '(`uses: ./.github/actions/…`) that starts Claude runs with the token of the job whose step runs it: ' +
            'that job is reported.',
        fix: 'Declare the least the job needs, on the job: `permissions: { contents: read }`, plus ' +
            '`pull-requests: write` / `issues: write` when Claude comments (claude-code-action), `id-token: write` ' +
            'when it signs in through OIDC.',
        bad: [
            {
                path: '.github/workflows/claude.yml',
                note: 'The token may write to everything the repository holds.',
                lines: [2],
                content: [
                    'on: issue_comment',
                    'permissions: write-all',
                    'jobs:',
                    '  claude:',
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
                    '',
                ].join('\n'),
            },
            {
                path: '.github/workflows/review.yml',
                note: "No permissions anywhere: the job gets the repository's default token.",
                lines: [3],
                content: [
                    'on: pull_request',
                    'jobs:',
                    '  review:',
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - run: claude -p "Review this change" --max-turns 5',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.github/workflows/claude.yml',
                note: 'The job declares what it uses; its block replaces the workflow-level write-all.',
                content: [
                    'on: issue_comment',
                    'permissions: write-all',
                    'jobs:',
                    '  claude:',
                    '    runs-on: ubuntu-latest',
                    '    permissions:',
                    '      contents: read',
                    '      pull-requests: write',
                    '      issues: write',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@v1',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model) {
        const exposures = new Map();
        // A script or a local composite action runs with the token of the job whose step runs it: each is judged
        // in that job. GitLab has no such token: only workflow jobs.
        for (const run of runsInJobs(model)) {
            const { workflow, job } = run.context;
            if (run.context.surface !== 'workflow' || !workflow || !job)
                continue;
            let exposure;
            if (job.permissions) {
                if (isWriteAll(job.permissions.value))
                    exposure = { span: job.permissions.span, kind: 'write-all', level: 'job', workflow };
            }
            else if (workflow.permissions) {
                if (isWriteAll(workflow.permissions.value))
                    exposure = { span: workflow.permissions.span, kind: 'write-all', level: 'workflow', workflow };
            }
            else
                exposure = { span: job.span, kind: 'missing', level: 'job', workflow };
            if (!exposure)
                continue;
            const s = exposure.span;
            const key = `${s.path}\0${s.line}\0${s.column}`;
            const found = exposures.get(key) ?? { ...exposure, jobs: [], runs: [] };
            exposures.set(key, found);
            if (!found.jobs.includes(job))
                found.jobs.push(job);
            found.runs.push(run);
        }
        return [...exposures.values()].map((e) => {
            const names = e.jobs.map((j) => `"${clip(j.id)}"`).join(', ');
            const jobWords = `job${e.jobs.length > 1 ? 's' : ''} ${names}`;
            const gets = e.kind === 'write-all'
                ? `${e.level === 'workflow' ? "the workflow's" : 'its'} permissions: write-all gives the token write access to every scope`
                : "it declares no permissions, at job or workflow level, so the token has the repository's default, write on every scope unless the repository or organisation restricts it";
            return {
                span: e.span,
                message: `Claude runs in ${jobWords} and ${gets}; ${needs(e.runs)}`,
                evidence: `${e.kind}:${e.level}:${e.jobs.map((j) => j.id).join(',')}`,
            };
        });
    },
};

// EXTERNAL MODULE: ./lib/model/claude-install.js
var claude_install = __webpack_require__(9117);
;// CONCATENATED MODULE: ./lib/rules/CG503-unpinned-claude.js

/** What installs it, as a reader would name it. */
function what(install) {
    switch (install.how) {
        case 'action':
            return install.via;
        case 'package-install':
        case 'package-runner':
            return `${install.via} @anthropic-ai/claude-code`;
        case 'install-script': {
            const [fetcher, runner] = install.via.split(' | ');
            return `the install script fetched by ${fetcher} and run by ${runner}`;
        }
        case 'devcontainer-feature':
            return `the dev container feature ${install.via}`;
    }
}
const unpinnedClaude = {
    meta: {
        id: 'CG503',
        name: 'unpinned-claude',
        severity: 'medium',
        summary: 'Claude Code taken without an exact release: claude-code-action on a branch (`@main`, `@beta`) or a tag (low), `npm install -g @anthropic-ai/claude-code` or `npx` without a version, `curl … install.sh | bash`, the dev container feature.',
        rationale: "Whatever is installed here runs with the job's token, the repository's secrets and every grant the " +
            'configuration gives Claude. A branch such as `@main` or `@beta` changes under the workflow with every ' +
            'push to it; a package without a version (or with `@latest`, `@next`, a range) is whatever the registry ' +
            'serves on the day the job runs; the install script without a version argument installs the newest ' +
            'release; and the `ghcr.io/anthropics/devcontainer-features/claude-code` feature has no version option ' +
            "at all, so its tag only picks the feature's own script. A compromised or broken release then reaches " +
            'every run at once, and two runs of the same commit may not run the same Claude. A tag such as `@v1` is ' +
            'reported low: it is a release line, but its owner can move it. A full commit SHA, an exact version ' +
            '(`@anthropic-ai/claude-code@2.1.0`, `install.sh | bash -s 2.1.0`) and a version set by a variable are ' +
            'not reported.',
        fix: 'Pin the action to a full commit SHA (`anthropics/claude-code-action@<40-hex sha> # v1.0.x`, kept fresh ' +
            'by Dependabot or Renovate); install an exact release (`npm install -g @anthropic-ai/claude-code@2.1.0`, ' +
            '`curl -fsSL https://claude.ai/install.sh | bash -s 2.1.0`); in a dev container, install it that way in ' +
            'the Dockerfile or `postCreateCommand` instead of the feature.',
        bad: [
            {
                path: '.github/workflows/claude.yml',
                note: 'The action on its main branch, and the CLI installed at whatever version is newest.',
                lines: [9, 11],
                content: [
                    'on: workflow_dispatch',
                    'permissions: { contents: read }',
                    'jobs:',
                    '  review:',
                    '    runs-on: ubuntu-latest',
                    '    timeout-minutes: 10',
                    '    steps:',
                    '      - uses: actions/checkout@v4',
                    '      - uses: anthropics/claude-code-action@main',
                    '      - run: |',
                    '          npm install -g @anthropic-ai/claude-code@latest',
                    '          claude -p "Summarise the changes" --max-turns 3',
                    '',
                ].join('\n'),
            },
            {
                path: 'Dockerfile',
                note: 'The install script piped to a shell without a version.',
                lines: [2],
                content: [
                    'FROM node:22-slim',
                    'RUN curl -fsSL https://claude.ai/install.sh | bash',
                    'USER node',
                    '',
                ].join('\n'),
            },
            {
                path: '.devcontainer/devcontainer.json',
                note: "Anthropic's feature installs the newest release whenever the container is built.",
                lines: [4],
                content: [
                    '{',
                    '  "image": "mcr.microsoft.com/devcontainers/typescript-node:22",',
                    '  "features": {',
                    '    "ghcr.io/anthropics/devcontainer-features/claude-code:1": {}',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.github/workflows/claude.yml',
                note: 'The action at a full commit SHA, and an exact release of the CLI.',
                content: [
                    'on: workflow_dispatch',
                    'permissions: { contents: read }',
                    'jobs:',
                    '  review:',
                    '    runs-on: ubuntu-latest',
                    '    timeout-minutes: 10',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@0123456789abcdef0123456789abcdef01234567 # v1',
                    '      - run: |',
                    '          npm install -g @anthropic-ai/claude-code@2.1.0',
                    '          npx -y @anthropic-ai/claude-code@2.1.0 -p "Summarise the changes" --max-turns 3',
                    '',
                ].join('\n'),
            },
            {
                path: 'Dockerfile',
                note: 'The install script given an exact version, and a version chosen at build time.',
                content: [
                    'FROM node:22-slim',
                    'ARG CLAUDE_CODE_VERSION',
                    'RUN curl -fsSL https://claude.ai/install.sh | bash -s 2.1.0',
                    'RUN npm install -g @anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model) {
        return (0,claude_install/* claudeInstalls */.fi)(model).flatMap((install) => {
            const { pin, why } = (0,claude_install/* installPinning */.Hv)(install);
            if (pin !== 'unpinned' && pin !== 'tag')
                return [];
            const message = install.how === 'action'
                ? `${install.via}@${install.version?.value ?? ''} is ${why}; pin it to a full commit SHA`
                : `${what(install)} is not pinned to one release: ${why}`;
            const finding = {
                span: install.span,
                message,
                evidence: `${install.how}:${install.via}@${install.version?.value ?? ''}`,
            };
            return [pin === 'tag' ? { ...finding, severity: 'low' } : finding];
        });
    },
};

;// CONCATENATED MODULE: ./lib/rules/CG504-no-run-limits.js

/** Flags that end a print-mode run: after so many turns, or once it has spent so much. */
const LIMIT_FLAGS = new Set(['--max-turns', '--max-budget-usd']);
/** Inputs of the v0/beta actions that limited a run; v1 ignores them. */
const LEGACY_LIMITS = ['max_turns', 'timeout_minutes'];
/** Text from the scanned file as a message quotes it: long text cut short. */
function CG504_no_run_limits_clip(text) {
    return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
/** True when something bounds how long or how far the run may go. */
function isLimited(run) {
    const { context, action } = run;
    if (run.command?.flags.some((f) => LIMIT_FLAGS.has(f.name)))
        return true;
    if (context.step?.timeoutMinutes || context.job?.timeoutMinutes || context.job?.timeoutExpression)
        return true;
    if (context.timeout)
        return true;
    if (run.wrappers.some((w) => w.value === 'timeout'))
        return true;
    if (action) {
        // v0 and beta of both actions stop Claude after `timeout_minutes`, 30 (claude-code-action) or 10
        // (base action) when not given.
        if (action.generation === 'v0')
            return true;
        // A commit may be of either generation: its legacy limits are taken at their word.
        if (action.generation === 'unknown' && LEGACY_LIMITS.some((k) => action.inputs[k]))
            return true;
    }
    return false;
}
const noRunLimits = {
    meta: {
        id: 'CG504',
        name: 'no-run-limits',
        severity: 'low',
        summary: 'Claude runs in CI with nothing to stop it: no `--max-turns` or `--max-budget-usd`, no job or step `timeout-minutes`, no GitLab `timeout:`, no `timeout` wrapper.',
        rationale: 'An unattended run goes on until the model decides it is done. A loop — a test that never passes, a ' +
            'tool that keeps failing, a prompt injection that sets it busy — spends API money on every turn and ' +
            "holds the runner until the platform's own limit (six hours for a GitHub job), with the job's token " +
            'and secrets in reach all the while. A turn or budget cap ends the session; a job or step timeout ends ' +
            'the process. Inputs claude-code-action v1 ignores (`max_turns`, `timeout_minutes` on `@v1`) limit ' +
            'nothing and do not count. Only CI runs are judged: a script run by hand has someone watching. A local ' +
            'composite action is judged in each job that uses it (`uses: ./.github/actions/…`), with that job and ' +
            "step's timeouts; it is reported at its Claude when one of them sets none.",
        fix: 'Cap the session (`--max-turns 10`, `--max-budget-usd 5`, in `claude_args` for the action) or the job ' +
            '(`timeout-minutes: 15` on the job or step; `timeout: 15m` in GitLab; `timeout 15m claude …`).',
        bad: [
            {
                path: '.github/workflows/claude.yml',
                note: 'A v1 action with the legacy max_turns (ignored) and no timeout.',
                lines: [8],
                content: [
                    'on: issue_comment',
                    'permissions: { contents: read, issues: write }',
                    'jobs:',
                    '  claude:',
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - uses: actions/checkout@v4',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          max_turns: 10',
                    '',
                ].join('\n'),
            },
            {
                path: '.gitlab-ci.yml',
                note: 'A GitLab job that runs Claude with no timeout and no cap.',
                lines: [4],
                content: [
                    'review:',
                    '  image: node:22',
                    '  script:',
                    '    - claude -p "Review the merge request" --allowedTools Read',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.github/workflows/claude.yml',
                note: 'A turn cap in claude_args and a job timeout.',
                content: [
                    'on: issue_comment',
                    'permissions: { contents: read, issues: write }',
                    'jobs:',
                    '  claude:',
                    '    runs-on: ubuntu-latest',
                    '    timeout-minutes: 15',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          claude_args: --max-turns 10',
                    '',
                ].join('\n'),
            },
            {
                path: '.gitlab-ci.yml',
                note: 'A job timeout, and a timeout wrapper around the command.',
                content: [
                    'review:',
                    '  timeout: 20m',
                    '  script:',
                    '    - claude -p "Review the merge request"',
                    'triage:',
                    '  script:',
                    '    - timeout 10m claude -p "Label the issue"',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model) {
        return model.runs.flatMap((found) => {
            // CI only. A local composite action's steps are bounded by the jobs that use it: it is reported, at its
            // Claude, when a job runs it without a limit.
            const run = found.context.surface === 'workflow' && !found.context.job
                ? runInJobs(model, found).find((view) => !isLimited(view))
                : found;
            if (!run)
                return [];
            const { surface, job } = run.context;
            if (surface !== 'workflow' && surface !== 'gitlab-ci')
                return [];
            if (surface === 'workflow' && !job)
                return [];
            if (isLimited(run))
                return [];
            const ignored = run.action?.generation === 'v1' ? LEGACY_LIMITS.filter((k) => run.action?.inputs[k]) : [];
            const note = ignored.length > 0
                ? ` (${ignored.join(' and ')} ${ignored.length > 1 ? 'are' : 'is'} ignored on @${CG504_no_run_limits_clip(run.action?.ref ?? '')})`
                : '';
            const how = surface === 'gitlab-ci'
                ? '--max-turns or --max-budget-usd, a timeout: on the job, or a timeout wrapper'
                : run.kind === 'action'
                    ? '--max-turns or --max-budget-usd in claude_args, or timeout-minutes on the job or step'
                    : '--max-turns or --max-budget-usd, timeout-minutes on the job or step, or a timeout wrapper';
            return [
                {
                    span: run.span,
                    message: `Claude runs in CI with no limit on turns, spend or time${note}: add ${how}`,
                    evidence: `${surface}:${job?.id ?? ''}:${run.program?.value ?? run.action?.action ?? ''}`,
                },
            ];
        });
    },
};

;// CONCATENATED MODULE: ./lib/rules/CG505-verbose-ci-output.js

/** Flags that make Claude print its debug log: `-d` is `--debug`'s short form. */
const DEBUG_FLAGS = new Set(['--debug', '-d']);
/** Variables that make the Anthropic client log every request and response. */
const CLIENT_LOG = new Set(['ANTHROPIC_LOG', 'ANTHROPIC_LOG_LEVEL']);
function isCi(run) {
    return run?.context.surface === 'workflow' || run?.context.surface === 'gitlab-ci';
}
/** A finding for a variable set where it reaches a CI run, or undefined. */
function envFinding(setting, ciRepo) {
    if (setting.target !== 'claude')
        return undefined;
    const value = setting.value.value.trim();
    const surface = setting.run?.context.surface;
    if (CLIENT_LOG.has(setting.name)) {
        // A settings file's env reaches every run in the repository, CI runs included.
        const reachesCi = setting.run ? isCi(setting.run) : ciRepo;
        if (!reachesCi || value.toLowerCase() !== 'debug')
            return undefined;
        return {
            span: setting.value.span,
            message: `${setting.name}=debug in ${setting.where} makes Claude's API client log every request and response — prompts, file contents and tool output — to the CI job log`,
            evidence: `${setting.name}:debug`,
        };
    }
    if (setting.name === 'ACTIONS_STEP_DEBUG' && surface === 'workflow') {
        // claude-code-action shows its full output when this is "true", as show_full_output does.
        if (setting.origin === 'literal') {
            if (value.toLowerCase() !== 'true')
                return undefined;
            return {
                span: setting.value.span,
                message: `ACTIONS_STEP_DEBUG: true in ${setting.where} turns on step debug output in a workflow that runs Claude: claude-code-action then prints every message of the run, tool results included, to the job log`,
                evidence: 'ACTIONS_STEP_DEBUG:true',
            };
        }
        return {
            span: setting.value.span,
            severity: 'low',
            message: `ACTIONS_STEP_DEBUG in ${setting.where} is set by an expression: whenever it gives true, claude-code-action prints every message of the run, tool results included, to the job log`,
            evidence: 'ACTIONS_STEP_DEBUG:expression',
        };
    }
    if (setting.name === 'CI_DEBUG_TRACE' && surface === 'gitlab-ci') {
        if (setting.origin !== 'literal' || value.toLowerCase() !== 'true')
            return undefined;
        return {
            span: setting.value.span,
            message: `CI_DEBUG_TRACE: "true" in ${setting.where} prints every command and the value of every variable of the job that runs Claude, its credentials included, to the job log`,
            evidence: 'CI_DEBUG_TRACE:true',
        };
    }
    return undefined;
}
const verboseCiOutput = {
    meta: {
        id: 'CG505',
        name: 'verbose-ci-output',
        severity: 'medium',
        summary: 'A CI run of Claude prints what it saw into the job log: `show_full_output: true`, `--debug`, `ANTHROPIC_LOG=debug`, `ACTIONS_STEP_DEBUG: true`.',
        rationale: 'Tool results are whatever Claude read or ran: file contents, command output, environment dumps, ' +
            'tokens a command printed. claude-code-action keeps them out of the log unless `show_full_output` is ' +
            'true or `ACTIONS_STEP_DEBUG` is "true" in its environment; `--debug` and a debug log level of the API ' +
            'client print requests, responses and tool details. Job logs of a public repository are public, and ' +
            'in a private one every reader of the repository can read them — long after the run, and outside the ' +
            "platform's secret masking, which only knows the exact values it was given.",
        fix: 'Remove `show_full_output`, `--debug` and the debug variables from the workflow; to debug a run, re-run ' +
            'it once with debug logging in a private fork, or write the log to a file kept as a short-lived artifact.',
        bad: [
            {
                path: '.github/workflows/claude.yml',
                note: 'Full output and step debugging in the log of a public job.',
                lines: [5, 12],
                content: [
                    'on: pull_request',
                    'permissions: { contents: read }',
                    'env:',
                    '  ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}',
                    '  ACTIONS_STEP_DEBUG: true',
                    'jobs:',
                    '  review:',
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          show_full_output: true',
                    '',
                ].join('\n'),
            },
            {
                path: '.gitlab-ci.yml',
                note: 'The debug log of a GitLab run.',
                lines: [3],
                content: ['review:', '  script:', '    - claude -p "Review the change" --debug', ''].join('\n'),
            },
        ],
        good: [
            {
                path: '.github/workflows/claude.yml',
                note: 'Quiet output; the full log kept as a file.',
                content: [
                    'on: pull_request',
                    'permissions: { contents: read }',
                    'jobs:',
                    '  review:',
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          show_full_output: false',
                    '      - run: claude -p "Summarise" --debug-file "$RUNNER_TEMP/claude-debug.log" --max-turns 3',
                    '',
                ].join('\n'),
            },
            {
                path: 'scripts/debug.sh',
                note: 'Debugging by hand, outside CI.',
                content: ['#!/bin/sh', 'ANTHROPIC_LOG=debug claude --debug', ''].join('\n'),
            },
        ],
    },
    check(model) {
        const findings = [];
        for (const run of model.runs) {
            if (!isCi(run))
                continue;
            const full = run.action?.inputs.show_full_output;
            // The input came with v1.0.30: the v0/beta actions have none.
            if (full && run.action?.generation !== 'v0' && full.value.trim() === 'true') {
                findings.push({
                    span: full.span,
                    message: 'show_full_output: true prints every message of the run — tool results, file contents, command output — to the job log',
                    evidence: 'show_full_output:true',
                });
            }
            for (const flag of run.command?.flags ?? []) {
                if (!DEBUG_FLAGS.has(flag.name))
                    continue;
                findings.push({
                    span: flag.span,
                    message: `${flag.name} prints Claude's debug log — API traffic, hook and MCP server output, tool details — to the CI job log`,
                    evidence: `flag:${flag.name}`,
                });
            }
        }
        const ciRepo = model.runs.some(isCi);
        for (const setting of (0,env/* envSettings */.Hp)(model)) {
            const found = envFinding(setting, ciRepo);
            if (found)
                findings.push(found);
        }
        return findings;
    },
};

;// CONCATENATED MODULE: ./lib/rules/CG506-ci-policy-requirement.js


/** Spellings of one flag, each mapped to the one the policy is compared with. */
const ALIASES = new Map([
    ['-p', '--print'],
    ['--allowed-tools', '--allowedTools'],
    ['--disallowed-tools', '--disallowedTools'],
    ['-c', '--continue'],
    ['-r', '--resume'],
    ['-d', '--debug'],
    ['-v', '--version'],
    ['-h', '--help'],
    ['-w', '--worktree'],
    ['--rc', '--remote-control'],
]);
/**
 * Inputs of the v0 and beta actions that became flags (v1 reads flags from `claude_args` only and ignores
 * them); a commit of unknown generation is taken at its word, as CG504 does.
 */
const LEGACY_INPUT_FLAGS = new Map([
    ['max_turns', '--max-turns'],
    ['allowed_tools', '--allowedTools'],
    ['disallowed_tools', '--disallowedTools'],
    ['model', '--model'],
    ['fallback_model', '--fallback-model'],
    ['mcp_config', '--mcp-config'],
    ['system_prompt', '--system-prompt'],
    ['append_system_prompt', '--append-system-prompt'],
]);
const BYPASS = '--dangerously-skip-permissions';
const MODE = '--permission-mode';
function canonical(name) {
    return ALIASES.get(name) ?? name;
}
function flagItem(item) {
    const text = item.trim();
    const cut = text.search(/[=\s]/);
    const raw = cut > 0 ? text.slice(0, cut) : text;
    const name = canonical(raw.startsWith('-') ? raw : `--${raw}`);
    const value = cut > 0 ? text.slice(cut + 1).trim() : undefined;
    return value ? { item: text, name, value } : { item: text, name };
}
/** Text from the scanned file as a message quotes it, kept short. */
function CG506_ci_policy_requirement_clip(text) {
    return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
/** Every flag a run passes, bypass mode under both of its spellings, legacy action inputs as flags. */
function passedFlags(run) {
    const out = [];
    for (const f of run.command?.flags ?? []) {
        const name = canonical(f.name);
        const values = f.values.map((v) => ({ value: v.value, dynamic: v.dynamic }));
        out.push({ name, values, span: f.span, written: f.name });
        // `--dangerously-skip-permissions` is `--permission-mode bypassPermissions`.
        if (name === BYPASS)
            out.push({
                name: MODE,
                values: [{ value: 'bypassPermissions', dynamic: false }],
                span: f.span,
                written: f.name,
            });
        if (name === MODE && values.some((v) => v.value === 'bypassPermissions'))
            out.push({ name: BYPASS, values: [], span: f.span, written: `${f.name} bypassPermissions` });
    }
    const action = run.action;
    if (action && action.generation !== 'v1') {
        for (const [input, flag] of LEGACY_INPUT_FLAGS) {
            const value = action.inputs[input];
            if (!value)
                continue;
            out.push({
                name: flag,
                values: [{ value: value.value, dynamic: value.value.includes('${{') }],
                span: value.span,
                written: `${input} (${flag})`,
            });
        }
    }
    return out;
}
/** The flags of a run that an item names: the flag, and when the item gives a value, with that value. */
function matching(flags, item, forbid) {
    return flags.filter((f) => {
        if (f.name !== item.name)
            return false;
        if (item.value === undefined)
            return true;
        // A value only known when the run starts: it may be the one required, and is not taken as forbidden.
        return f.values.some((v) => v.value === item.value || (!forbid && v.dynamic));
    });
}
/**
 * The settings whose `env` a run's Claude receives besides the process environment: given inline, and the
 * repository's `.claude/settings.json` at the root, where a CI job runs Claude.
 */
function settingsOf(model, run) {
    const own = [run.command?.inlineSettings, run.inlineSettings].filter((d) => d !== undefined);
    return [...own, ...model.settings.filter((s) => s.path === '.claude/settings.json')];
}
/**
 * A `ci.require-env` item (`NAME` or `NAME=value`), as the name asked for and whether a value written
 * (`literal`: as written, not a secret, expression or variable) gives it: one that is not literal is not known
 * here, and may be the one asked for.
 */
function envItem(item) {
    const eq = item.indexOf('=');
    const name = (eq > 0 ? item.slice(0, eq) : item).trim();
    const wanted = eq > 0 ? item.slice(eq + 1).trim() : undefined;
    return { name, fits: (value, literal) => wanted === undefined || !literal || value === wanted };
}
/** Whether a run is given a variable (`NAME`), or given it with a value (`NAME=value`). */
function hasEnv(model, run, item) {
    const { name, fits } = envItem(item);
    if (run.env.some((e) => e.name === name && fits(e.value.value, e.origin === 'literal')))
        return true;
    return settingsOf(model, run).some((doc) => {
        const value = Object.hasOwn(doc.env, name) ? doc.env[name] : undefined;
        return value !== undefined && fits(value.value, !/\$\{?[A-Za-z_]/.test(value.value));
    });
}
/**
 * Whether a run seen in a workflow job (itself, or a view of a script or composite action from the step that
 * runs it) gets variable `name` there: from its own env, the settings it loads, or the `env:` of the step, job
 * and workflow that run it — those of a caller are not in a script's or action's own env.
 */
function hasEnvInJob(model, view, item) {
    if (hasEnv(model, view, item))
        return true;
    const { name, fits } = envItem(item);
    const { step, job, workflow } = view.context;
    return [step?.env, job?.env, workflow?.env].some((env) => {
        const value = env && Object.hasOwn(env, name) ? env[name] : undefined;
        // A value written with an expression or a variable is only known when the job runs.
        return value !== undefined && fits(value.value.trim(), !value.value.includes('$'));
    });
}
/**
 * The CI runs judged, each with the views whose environment can be judged from the files: the run itself in
 * a workflow job; for a script or a composite action, the steps of workflow jobs that run it; none for a
 * GitLab job (its CI/CD variables are set in the project) or a composite action no workflow here uses.
 */
function ciRuns(model) {
    const out = [];
    for (const run of model.runs) {
        if (!startsSession(run))
            continue;
        const { surface, workflow, job } = run.context;
        if (surface === 'workflow' && workflow && job)
            out.push({ run, views: [run] });
        else if (surface === 'workflow' && workflow)
            out.push({ run, views: runInJobs(model, run) });
        else if (surface === 'gitlab-ci')
            out.push({ run, views: [] });
        else {
            // A script a workflow step runs: its command line is judged in the script, its environment in each job.
            const views = runInJobs(model, run);
            if (views.length > 0)
                out.push({ run, views });
        }
    }
    return out;
}
const ciPolicyRequirement = {
    meta: {
        id: 'CG506',
        name: 'ci-policy-requirement',
        severity: 'high',
        summary: 'A CI run of Claude without a flag policy `ci.require-flags` asks for, with a flag `ci.forbid-flags` ' +
            'refuses, or without a variable `ci.require-env` asks for.',
        rationale: 'An organisation that runs Claude unattended in CI often has rules for every such run: a turn cap ' +
            '(`--max-turns`), a fixed output format, no `--debug` in public logs, credentials scrubbed from the ' +
            'commands Claude runs (`CLAUDE_CODE_SUBPROCESS_ENV_SCRUB=1`). This rule holds each CI run — a workflow ' +
            "step, a composite action's step, a GitLab job, a script a workflow step runs — to those lists. Flags " +
            "are read from the command line and from claude-code-action's `claude_args` (and from the v0 inputs " +
            'that were flags, such as `max_turns`, on the versions that honour them); `--max-turns=5` and ' +
            '`--max-turns 5` are the same, and so are the two spellings of a flag (`--allowedTools` and ' +
            '`--allowed-tools`, `-p` and `--print`). `--dangerously-skip-permissions` and `--permission-mode ' +
            'bypassPermissions` are one flag. An item may name a value (`--output-format=json`, ' +
            '`CLAUDE_CODE_SUBPROCESS_ENV_SCRUB=1`); a value only known when the job runs (a secret, an expression) ' +
            "counts as given. Variables count from the step's, the job's and the workflow's `env:`, the command " +
            'line, and the `env` of the settings Claude loads; a script or a composite action is held to ' +
            '`ci.require-env` in each workflow job that runs it, with the `env:` of the step, job and workflow that ' +
            'run it. GitLab jobs are not held to it, because the project settings (GitLab CI/CD variables) can set ' +
            'variables the file does not show, nor is a composite action no workflow of the repository uses. The ' +
            'built-in policy asks for nothing.',
        fix: 'Add the flag (in `claude_args` for the action) or the variable (in the `env:` of the step, job or ' +
            'workflow), or remove the forbidden flag.',
        bad: [
            {
                path: '.github/workflows/claude.yml',
                note: 'No turn cap, no scrubbing of credentials, and --debug.',
                lines: [9, 14, 14, 15],
                policy: [
                    'version: 1',
                    'ci:',
                    '  require-flags: ["--max-turns"]',
                    '  forbid-flags: ["--debug"]',
                    '  require-env: ["CLAUDE_CODE_SUBPROCESS_ENV_SCRUB=1"]',
                    '',
                ].join('\n'),
                content: [
                    'on: pull_request',
                    'permissions: { contents: read }',
                    'jobs:',
                    '  review:',
                    '    runs-on: ubuntu-latest',
                    '    timeout-minutes: 15',
                    '    steps:',
                    '      - uses: actions/checkout@v4',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          prompt: Review this pull request',
                    '          claude_args: --max-turns 8',
                    '      - run: >',
                    '          claude -p "Summarise the change"',
                    '          --debug',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.github/workflows/claude.yml',
                note: 'The cap in claude_args and on the command line, the variable in the job env.',
                policy: [
                    'version: 1',
                    'ci:',
                    '  require-flags: ["--max-turns"]',
                    '  forbid-flags: ["--debug"]',
                    '  require-env: ["CLAUDE_CODE_SUBPROCESS_ENV_SCRUB=1"]',
                    '',
                ].join('\n'),
                content: [
                    'on: pull_request',
                    'permissions: { contents: read }',
                    'jobs:',
                    '  review:',
                    '    runs-on: ubuntu-latest',
                    '    timeout-minutes: 15',
                    '    env:',
                    '      CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: "1"',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          prompt: Review this pull request',
                    '          claude_args: --max-turns=8',
                    '      - run: claude -p "Summarise the change" --max-turns 4',
                    '',
                ].join('\n'),
            },
            {
                path: '.github/workflows/claude.yml',
                note: 'Any run, under a policy that asks for nothing (the built-in one).',
                content: [
                    'on: pull_request',
                    'permissions: { contents: read }',
                    'jobs:',
                    '  review:',
                    '    runs-on: ubuntu-latest',
                    '    timeout-minutes: 15',
                    '    steps:',
                    '      - run: claude -p "Summarise the change" --debug',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model, ctx) {
        const { requireFlags, forbidFlags, requireEnv } = ctx.ci;
        if (requireFlags.length + forbidFlags.length + requireEnv.length === 0)
            return [];
        const required = requireFlags.map(flagItem);
        const forbidden = forbidFlags.map(flagItem);
        const findings = [];
        for (const { run, views } of ciRuns(model)) {
            const flags = passedFlags(run);
            const where = `${run.context.surface}:${run.context.job?.id ?? ''}`;
            const inArgs = run.kind === 'action' ? ' (in claude_args)' : '';
            for (const item of required) {
                if (matching(flags, item, false).length > 0)
                    continue;
                findings.push({
                    span: run.span,
                    message: `Claude runs in CI without ${CG506_ci_policy_requirement_clip(item.item)}${inArgs}, which policy ci.require-flags requires`,
                    evidence: `ci.require-flags:${item.item}:${where}`,
                });
            }
            for (const item of forbidden) {
                for (const f of matching(flags, item, true)) {
                    findings.push({
                        span: f.span,
                        message: `Claude runs in CI with ${CG506_ci_policy_requirement_clip(f.written)}, which policy ci.forbid-flags forbids (${CG506_ci_policy_requirement_clip(item.item)})`,
                        evidence: `ci.forbid-flags:${item.item}:${where}`,
                    });
                }
            }
            for (const item of requireEnv) {
                const without = views.find((view) => !hasEnvInJob(model, view, item));
                if (!without)
                    continue;
                const { workflow, job } = without.context;
                const caller = without === run || !workflow || !job
                    ? ''
                    : ` when job ${CG506_ci_policy_requirement_clip(job.id)} of ${CG506_ci_policy_requirement_clip(workflow.path)} runs it`;
                findings.push({
                    span: run.span,
                    message: `Claude runs in CI without ${CG506_ci_policy_requirement_clip(item.trim())} in its environment (the step's, job's or workflow's env:)${caller}, which policy ci.require-env requires`,
                    evidence: `ci.require-env:${item.trim()}:${where}`,
                });
            }
        }
        return findings;
    },
};

;// CONCATENATED MODULE: ./lib/rules/CG507-legacy-action-inputs.js
/** Inputs of claude-code-action v0/beta that v1 no longer reads (docs/migration-guide.md of the action). */
const ACTION_INPUTS = new Map(Object.entries({
    allowed_tools: {
        effect: 'the tools it lists are not pre-approved',
        instead: 'claude_args: --allowedTools "…"',
    },
    disallowed_tools: {
        effect: 'the tools it lists are not denied',
        instead: 'claude_args: --disallowedTools "…"',
    },
    max_turns: { effect: 'it does not limit the turns', instead: 'claude_args: --max-turns N' },
    timeout_minutes: {
        effect: 'it does not limit the time the run takes',
        instead: 'timeout-minutes: N on the job or step',
    },
    mcp_config: {
        effect: 'its MCP servers are not loaded',
        instead: 'claude_args: --mcp-config …',
        since: 10,
    },
    claude_env: { effect: 'its variables are not set', instead: 'settings: \'{"env": {…}}\'' },
    experimental_allowed_domains: {
        effect: 'the network is not limited to its domains',
        instead: 'a network restriction outside the action (a firewall step or a sandboxed runner)',
        since: 30,
    },
    direct_prompt: { effect: 'its prompt is not used', instead: 'prompt:', severity: 'low' },
    override_prompt: { effect: 'its prompt is not used', instead: 'prompt:', severity: 'low' },
    custom_instructions: {
        effect: 'its instructions are not added',
        instead: 'claude_args: --append-system-prompt "…"',
        severity: 'low',
    },
    model: { effect: 'the default model runs', instead: 'claude_args: --model …', severity: 'low' },
    anthropic_model: { effect: 'the default model runs', instead: 'claude_args: --model …', severity: 'low' },
    fallback_model: {
        effect: 'no fallback model is set',
        instead: 'claude_args: --fallback-model …',
        severity: 'low',
    },
    mode: {
        effect: 'the action picks the mode itself',
        instead: 'prompt: for an automation run, nothing for @claude mentions',
        severity: 'low',
    },
}));
/** Inputs of claude-code-base-action v0/beta that its current version no longer reads. */
const BASE_ACTION_INPUTS = new Map([
    ...[
        'allowed_tools',
        'disallowed_tools',
        'max_turns',
        'timeout_minutes',
        'mcp_config',
        'claude_env',
        'model',
        'anthropic_model',
        'fallback_model',
    ].map((k) => {
        const { since: _since, ...input } = ACTION_INPUTS.get(k);
        return [k, input];
    }),
    [
        'system_prompt',
        {
            effect: 'its system prompt is not used',
            instead: 'claude_args: --system-prompt "…"',
            severity: 'low',
        },
    ],
    [
        'append_system_prompt',
        {
            effect: 'its instructions are not added',
            instead: 'claude_args: --append-system-prompt "…"',
            severity: 'low',
        },
    ],
]);
/** Text from the scanned file as a message quotes it: long text cut short. */
function CG507_legacy_action_inputs_clip(text) {
    return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
/** The patch number of a `v1.0.N` ref; undefined for `v1`, `v1.0`, a branch: the newest v1. */
function v1Patch(ref) {
    const m = /^v?1\.0\.(\d+)$/.exec(ref);
    return m ? Number(m[1]) : undefined;
}
function legacyInputs(action) {
    return action.action === 'claude-code-action' ? ACTION_INPUTS : BASE_ACTION_INPUTS;
}
const legacyActionInputs = {
    meta: {
        id: 'CG507',
        name: 'legacy-action-inputs',
        severity: 'medium',
        summary: 'An input of the v0/beta claude-code-action (`allowed_tools`, `disallowed_tools`, `max_turns`, `mcp_config`, `direct_prompt`…) given to v1 or later, which ignores it.',
        rationale: 'claude-code-action v1 folded its Claude options into `claude_args` and `settings` and dropped the old ' +
            'inputs. GitHub only warns about an unexpected input in the run log, so a workflow moved to `@v1` ' +
            'with its old inputs runs without what they said: `disallowed_tools` no longer denies, `max_turns` and ' +
            '`timeout_minutes` no longer stop the run, `mcp_config` and `claude_env` no longer apply, ' +
            '`experimental_allowed_domains` no longer restricts the network. The workflow reads as if the ' +
            'restriction were there, which is worse than not having written it. The current base action dropped ' +
            'the same inputs.',
        fix: 'Move each input to its v1 form: `allowed_tools` → `claude_args: --allowedTools`, `disallowed_tools` → ' +
            '`--disallowedTools`, `max_turns` → `--max-turns`, `model` → `--model`, `mcp_config` → `--mcp-config`, ' +
            '`custom_instructions` → `--append-system-prompt`, `direct_prompt`/`override_prompt` → `prompt:`, ' +
            "`claude_env` → `settings` env, `timeout_minutes` → the job's `timeout-minutes`.",
        bad: [
            {
                path: '.github/workflows/claude.yml',
                note: 'v0 inputs on @v1: the deny list and the turn limit do nothing.',
                lines: [11, 12],
                content: [
                    'on: issue_comment',
                    'permissions: { contents: read, issues: write }',
                    'jobs:',
                    '  claude:',
                    '    runs-on: ubuntu-latest',
                    '    timeout-minutes: 15',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
                    '          disallowed_tools: "Bash(git push:*)"',
                    '          max_turns: 5',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.github/workflows/claude.yml',
                note: 'The same restrictions in their v1 form; v0 inputs on @beta are read.',
                content: [
                    'on: issue_comment',
                    'permissions: { contents: read, issues: write }',
                    'jobs:',
                    '  claude:',
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          claude_args: --disallowedTools "Bash(git push:*)" --max-turns 5',
                    '      - uses: anthropics/claude-code-action@beta',
                    '        with:',
                    '          max_turns: 5',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model) {
        const findings = [];
        for (const run of model.runs) {
            const action = run.action;
            if (!action || action.generation !== 'v1')
                continue;
            const patch = action.action === 'claude-code-action' ? v1Patch(action.ref) : undefined;
            for (const [key, input] of legacyInputs(action)) {
                const keySpan = action.inputKeys[key];
                if (!keySpan)
                    continue;
                // Still read before the release that dropped it.
                if (input.since !== undefined && patch !== undefined && patch < input.since)
                    continue;
                // An empty value asks for nothing.
                const value = action.inputs[key];
                if (value && value.value.trim() === '')
                    continue;
                findings.push({
                    span: keySpan,
                    message: `${key} is not an input of ${action.action}@${CG507_legacy_action_inputs_clip(action.ref)} and is ignored: ${input.effect}; use ${input.instead}`,
                    evidence: `${action.action}:${key}`,
                    ...(input.severity ? { severity: input.severity } : {}),
                });
            }
        }
        return findings;
    },
};

;// CONCATENATED MODULE: ./lib/model/token.js

/**
 * What a job's `GITHUB_TOKEN` may write, in words, or undefined when it may write nothing: `write-all`, each
 * scope set to `write` (not `id-token`, which only lets the job ask for an OIDC token), or the repository's
 * default when neither the job nor the workflow sets `permissions:` (write on many repositories).
 */
function writeAccess(workflow, job) {
    const token = (0,workflow_trust/* tokenPermissionsOf */.r0)(workflow, job);
    if (token.level === 'default')
        return 'the default token (no permissions: set)';
    if (token.level !== 'write')
        return undefined;
    if (token.writes.includes('all'))
        return 'a write-all token';
    return `a token with ${token.writes.map((k) => `${k}: write`).join(', ')}`;
}

;// CONCATENATED MODULE: ./lib/rules/CG508-agent-output-to-shell.js



const agentOutputToShell = {
    meta: {
        id: 'CG508',
        name: 'agent-output-to-shell',
        severity: 'high',
        summary: 'What Claude produced — `${{ steps.<claude step>.outputs.* }}`, or a job output carrying it read as ' +
            '`${{ needs.<job>.outputs.* }}` — pasted into a later `run:` step of a job that holds a write token or secrets.',
        rationale: 'GitHub replaces `${{ … }}` in a `run:` script before the shell reads it, so whatever the expression holds ' +
            "becomes code. Claude's output is shaped by everything it read — an issue, a pull request, a web page — so " +
            'text planted there can come out as `"; curl … | sh; echo "` and run with the job token and secrets. Passing ' +
            'the value through `env:` and quoting `"$VAR"` keeps it data.',
        fix: 'Give the output to the step as an environment variable (`env: RESULT: ${{ steps.claude.outputs.structured_output }}`) ' +
            'and use `"$RESULT"` in the script; never `eval` it.',
        bad: [
            {
                path: '.github/workflows/triage.yml',
                note: "Claude's structured output pasted into a script that can write to the repository.",
                lines: [14],
                content: [
                    'on: issues',
                    'permissions:',
                    '  contents: read',
                    '  issues: write',
                    'jobs:',
                    '  triage:',
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - id: claude',
                    '        uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
                    '          prompt: "Label this issue"',
                    '      - run: gh issue edit ${{ github.event.issue.number }} --add-label "${{ steps.claude.outputs.structured_output }}"',
                    '',
                ].join('\n'),
            },
            {
                path: '.github/workflows/review.yml',
                note: "Claude's answer handed to a later job as a job output, and pasted into that job's script.",
                lines: [18],
                content: [
                    'on: pull_request',
                    'jobs:',
                    '  review:',
                    '    runs-on: ubuntu-latest',
                    '    outputs:',
                    '      summary: ${{ steps.claude.outputs.structured_output }}',
                    '    steps:',
                    '      - id: claude',
                    '        uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
                    '  publish:',
                    '    needs: review',
                    '    runs-on: ubuntu-latest',
                    '    permissions:',
                    '      pull-requests: write',
                    '    steps:',
                    '      - run: gh pr comment ${{ github.event.number }} --body "${{ needs.review.outputs.summary }}"',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.github/workflows/triage.yml',
                note: 'The output passed as data.',
                content: [
                    'on: issues',
                    'permissions:',
                    '  issues: write',
                    'jobs:',
                    '  triage:',
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - id: claude',
                    '        uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
                    '          prompt: "Label this issue"',
                    '      - run: gh issue edit "$NUMBER" --add-label "$LABEL"',
                    '        env:',
                    '          NUMBER: ${{ github.event.issue.number }}',
                    '          LABEL: ${{ steps.claude.outputs.structured_output }}',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model) {
        const out = [];
        // Steps that run Claude through a script or a local composite action count too.
        // The ids of the steps that run Claude, by job: one pass over the runs, not one per job.
        const claudeStepsOf = new Map();
        const withClaude = new Set();
        for (const run of runsInJobs(model)) {
            const { job, step, workflow } = run.context;
            if (!job || !step?.id || !workflow)
                continue;
            const ids = claudeStepsOf.get(job) ?? new Map();
            ids.set(step.id.value.toLowerCase(), step.index);
            claudeStepsOf.set(job, ids);
            withClaude.add(workflow);
        }
        for (const workflow of model.workflows) {
            if (!withClaude.has(workflow))
                continue;
            const carried = carriedOutputs(workflow, claudeStepsOf);
            for (const job of workflow.jobs) {
                const claudeSteps = claudeStepsOf.get(job);
                const needed = new Set((job.needs ?? []).map((n) => n.toLowerCase()));
                if (!claudeSteps && ![...needed].some((n) => carried.has(n)))
                    continue;
                const secrets = job.steps.some((s) => s.expressions.some((e) => /^secrets\./.test(e.expression)));
                const token = writeAccess(workflow, job);
                if (!token && !secrets)
                    continue;
                const holds = [token, secrets ? 'secrets' : undefined].filter(Boolean).join(' and ');
                for (const step of job.steps) {
                    for (const e of step.expressions) {
                        if (e.in !== 'run')
                            continue;
                        // Read through the expression parser: also inside `fromJSON(…)`, `toJSON(…)`, `format(…)` and as
                        // `steps['claude'].outputs`.
                        const from = stepOutputsRead(e.expression)
                            .map((id) => claudeSteps?.get(id))
                            .find((i) => i !== undefined && i < step.index);
                        if (from !== undefined) {
                            out.push({
                                span: e.span,
                                message: `Claude's output (${e.expression}) is pasted into this script, which runs with ${holds}`,
                                related: [
                                    {
                                        span: job.steps[from]?.uses?.span ?? job.steps[from]?.run?.span ?? e.span,
                                        message: 'the step where Claude runs',
                                    },
                                ],
                                evidence: `${job.id}:${e.expression}`,
                            });
                            continue;
                        }
                        // An output of a job this one waits for (`needs.<job>.outputs.<name>`) that carries Claude's.
                        const passed = jobOutputRefs(e.expression)
                            .filter((ref) => needed.has(ref.job))
                            .flatMap((ref) => {
                            const outputs = carried.get(ref.job);
                            if (!outputs)
                                return [];
                            return ref.output === undefined ? [...outputs.values()] : (outputs.get(ref.output) ?? []);
                        })[0];
                        if (!passed)
                            continue;
                        out.push({
                            span: e.span,
                            message: `Claude's output (${e.expression}, from job ${passed.job}) is pasted into this script, which ` +
                                `runs with ${holds}`,
                            related: [
                                {
                                    span: passed.value.span,
                                    message: `job ${passed.job} passes Claude's output on as outputs.${passed.name}`,
                                },
                                { span: passed.origin, message: 'the step where Claude runs' },
                            ],
                            evidence: `${job.id}:${e.expression}`,
                        });
                    }
                }
            }
        }
        return out;
    },
};
/**
 * The job outputs of a workflow that carry Claude's output, by job id and output name (lower-cased): an output
 * reading a Claude step's outputs, or an output of a job it waits for that carries one (followed to the end).
 */
function carriedOutputs(workflow, claudeStepsOf) {
    const carried = new Map();
    const add = (output) => {
        const outputs = carried.get(output.job.toLowerCase()) ?? new Map();
        outputs.set(output.name.toLowerCase(), output);
        carried.set(output.job.toLowerCase(), outputs);
    };
    // Each pass follows one more job along `needs:`; a pass that adds nothing ends it.
    for (let pass = 0; pass <= workflow.jobs.length; pass++) {
        let added = false;
        for (const job of workflow.jobs) {
            const steps = claudeStepsOf.get(job);
            const needed = new Set((job.needs ?? []).map((n) => n.toLowerCase()));
            for (const [name, value] of Object.entries(job.outputs ?? {})) {
                if (carried.get(job.id.toLowerCase())?.has(name.toLowerCase()))
                    continue;
                for (const expression of expressionTexts(value.value)) {
                    const step = steps && stepOutputsRead(expression).find((id) => steps.has(id));
                    const index = step === undefined ? undefined : steps?.get(step);
                    let origin = index === undefined ? undefined : (job.steps[index]?.uses ?? job.steps[index]?.run)?.span;
                    if (!origin) {
                        const ref = jobOutputRefs(expression).find((r) => needed.has(r.job) && carried.has(r.job));
                        const from = ref && carried.get(ref.job);
                        origin =
                            from && (ref.output === undefined ? [...from.values()][0] : from.get(ref.output))?.origin;
                    }
                    if (!origin)
                        continue;
                    add({ job: job.id, name, value, origin });
                    added = true;
                    break;
                }
            }
        }
        if (!added)
            break;
    }
    return carried;
}

// EXTERNAL MODULE: ./lib/model/run-powers.js
var run_powers = __webpack_require__(1547);
;// CONCATENATED MODULE: ./lib/rules/CG509-persisted-checkout-credentials.js



const CHECKOUT = /^actions\/checkout@/;
const persistedCheckoutCredentials = {
    meta: {
        id: 'CG509',
        name: 'persisted-checkout-credentials',
        severity: 'medium',
        summary: '`actions/checkout` leaves a job token that can write in `.git/config` (no `persist-credentials: false`) in a ' +
            'job where Claude then runs with a shell grant or with permission checks skipped.',
        rationale: "`actions/checkout` writes the job token into the checkout's `.git/config` unless told " +
            '`persist-credentials: false`. A Claude that can run shell commands reads it with `git config` or `cat` and ' +
            'can push with it, to any branch the token may write — including the workflows themselves when the token ' +
            'has `contents: write`. A prompt injection in the files or the issue Claude reads is then enough to use it. ' +
            'The token in `.git/config` is also what a plain `git push` uses, so a shell grant scoped to git still ' +
            'reaches it. Claude started later in the job by a script or a local composite action ' +
            '(`run: ./scripts/fix.sh`, `uses: ./.github/actions/…`) counts the same.',
        fix: 'Add `persist-credentials: false` to the checkout step; if Claude must push, give it a separate, narrowly ' +
            'scoped token through the step that pushes, not through `.git/config`.',
        bad: [
            {
                path: '.github/workflows/fix.yml',
                note: 'The checkout keeps the token; Claude then has a shell.',
                lines: [9],
                content: [
                    'on: workflow_dispatch',
                    'permissions:',
                    '  contents: write',
                    'jobs:',
                    '  fix:',
                    '    runs-on: ubuntu-latest',
                    '    timeout-minutes: 20',
                    '    steps:',
                    '      - uses: actions/checkout@v4',
                    '      - run: claude -p "fix the failing test" --allowedTools "Read,Edit,Bash(npm test:*),Bash(git:*)"',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.github/workflows/fix.yml',
                note: 'The token is not left behind.',
                content: [
                    'on: workflow_dispatch',
                    'permissions:',
                    '  contents: write',
                    'jobs:',
                    '  fix:',
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - uses: actions/checkout@v4',
                    '        with:',
                    '          persist-credentials: false',
                    '      - run: claude -p "fix the failing test" --allowedTools "Read,Edit,Bash(npm test:*)"',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model) {
        const out = [];
        // Runs in scripts and local composite actions too, each in the jobs whose steps run them.
        // By job, in one pass: a workflow can hold thousands of jobs.
        const byJob = new Map();
        for (const run of runsInJobs(model)) {
            const { job, step } = run.context;
            if (!job || !step)
                continue;
            const list = byJob.get(job);
            if (list)
                list.push(run);
            else
                byJob.set(job, [run]);
        }
        for (const workflow of model.workflows) {
            for (const job of workflow.jobs) {
                const runs = byJob.get(job);
                if (!runs)
                    continue;
                // A token that can write nothing is little worth taking.
                const token = writeAccess(workflow, job);
                if (!token)
                    continue;
                for (const step of job.steps) {
                    if (!step.uses || !CHECKOUT.test(step.uses.value))
                        continue;
                    if (step.with['persist-credentials']?.value.trim().toLowerCase() === 'false')
                        continue;
                    // A Claude run after the checkout, with a shell or with every check skipped.
                    const later = runs.find((r) => (r.context.step?.index ?? -1) > step.index &&
                        ((0,run_powers/* shellGrants */.s8)(model, r).length > 0 || (0,run_powers/* bypassOf */.AX)(model, r) !== undefined));
                    if (!later)
                        continue;
                    const grant = (0,run_powers/* shellGrants */.s8)(model, later)[0];
                    const bypass = (0,run_powers/* bypassOf */.AX)(model, later);
                    const power = bypass
                        ? 'with permission checks skipped'
                        : `with ${grant?.value.raw.trim() ?? 'a shell'}`;
                    const related = [{ span: later.span, message: `Claude runs here, ${power}` }];
                    if (grant)
                        related.push({ span: grant.span, message: 'the shell grant' });
                    else if (bypass)
                        related.push({ span: bypass, message: 'permission checks skipped' });
                    out.push({
                        span: step.uses.span,
                        message: `this checkout leaves ${token} in .git/config, and Claude runs later in job ${job.id} ${power}`,
                        related,
                        evidence: `${job.id}:${step.uses.value}`,
                    });
                }
            }
        }
        return out;
    },
};

;// CONCATENATED MODULE: ./lib/model/lookalike.js
/** Edit distance between two short names, at most `limit + 1` (then they are simply far apart). */
function distance(a, b, limit = 3) {
    if (Math.abs(a.length - b.length) > limit)
        return limit + 1;
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const row = [i];
        let best = i;
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            const value = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
            row.push(value);
            best = Math.min(best, value);
        }
        if (best > limit)
            return limit + 1;
        prev = row;
    }
    return prev[b.length];
}
const OWNER = 'anthropics';
const ACTIONS = ['claude-code-action', 'claude-code-base-action'];
/** Folds the tricks of a look-alike name: case, `_` and `.` for `-`, digits for letters. */
function folded(name) {
    return name
        .toLowerCase()
        .replace(/[_.]/g, '-')
        .replace(/0/g, 'o')
        .replace(/1/g, 'l')
        .replace(/3/g, 'e')
        .replace(/5/g, 's');
}
/**
 * Owners named like Anthropic or its product (`anthropic-ai`, `claude-ai`, `claude-code`, `claudeai`): an
 * action of theirs that names Claude imitates Anthropic's, not merely copies it.
 */
const PRODUCT_OWNER = /^(anthropics?|claude)-?(ai|code|hq|inc|official|labs?|dev|team|app)?$/;
/**
 * How an action reference (`owner/name[/path]@ref`) imitates Anthropic's Claude actions: `owner` when its owner
 * is not `anthropics` but reads like it or like Anthropic's product (`claude-ai`) and the name names Claude, `name` when its name reads like
 * `claude-code-action` without being it, `fork` when another owner publishes an action of exactly that name;
 * undefined for the real actions and for everything else.
 */
function lookalikeOf(uses) {
    const m = /^([^/@\s]+)\/([^/@\s]+)/.exec(uses);
    if (!m)
        return undefined;
    const owner = m[1].toLowerCase();
    const name = m[2].toLowerCase();
    const realName = ACTIONS.includes(name);
    if (owner === OWNER)
        return realName ? undefined : ACTIONS.some((a) => distance(folded(name), a, 2) <= 2) ? 'name' : undefined;
    const ownerLike = folded(owner) === OWNER || distance(folded(owner), OWNER, 2) <= 2 || PRODUCT_OWNER.test(folded(owner));
    if (ownerLike && (name.includes('claude') || ACTIONS.some((a) => distance(folded(name), a, 3) <= 3)))
        return 'owner';
    if (realName)
        return 'fork';
    if (ACTIONS.some((a) => distance(folded(name), a, 2) <= 2))
        return 'name';
    return undefined;
}

;// CONCATENATED MODULE: ./lib/rules/CG510-lookalike-agent-action.js

const WHY = {
    owner: "its owner imitates anthropics or Anthropic's product name",
    name: "its name imitates Anthropic's claude-code-action",
    fork: "it is another owner's copy of claude-code-action, not Anthropic's",
};
const lookalikeAgentAction = {
    meta: {
        id: 'CG510',
        name: 'lookalike-agent-action',
        severity: 'high',
        summary: "A `uses:` whose owner or name imitates Anthropic's actions (`anthropic/…`, `anthropics-ai/…`, " +
            '`claude-code-actions`…): not the real action, so none of its protections apply.',
        rationale: "Anthropic's actions are `anthropics/claude-code-action` and `anthropics/claude-code-base-action`. An action " +
            'one letter away in its owner or its name runs whatever its author published, with the job token and every ' +
            'secret the step is given — the API key included — and without the checks the real action makes (who may ' +
            'trigger it, which tools it grants). A copy of the real action under another owner (a fork) is reported ' +
            "at medium: it may be a deliberate fork, but it no longer gets Anthropic's fixes, and whoever owns it " +
            'can change it. An owner named like Anthropic or its product (`anthropic-ai/…`, `claude-ai/…`, ' +
            '`claude-code/…`) is no plain fork: it is chosen to pass for the real one, and is reported high.',
        fix: 'Use `anthropics/claude-code-action` (pinned to a full commit SHA), or pin the fork you trust to a commit.',
        bad: [
            {
                path: '.github/workflows/claude.yml',
                note: 'An owner one letter away.',
                lines: [6],
                content: [
                    'on: issue_comment',
                    'jobs:',
                    '  claude:',
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - uses: anthropic/claude-code-action@v1',
                    '        with:',
                    '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.github/workflows/claude.yml',
                note: "Anthropic's own action.",
                content: [
                    'on: issue_comment',
                    'jobs:',
                    '  claude:',
                    '    runs-on: ubuntu-latest',
                    '    steps:',
                    '      - uses: anthropics/claude-code-action@v1',
                    '        with:',
                    '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model) {
        const out = [];
        for (const workflow of model.workflows) {
            // Each step's `uses:`, and a job's that calls a reusable workflow.
            const uses = [
                ...workflow.jobs.flatMap((j) => [
                    ...(j.uses ? [j.uses] : []),
                    ...j.steps.flatMap((s) => s.uses ?? []),
                ]),
                ...(workflow.steps ?? []).flatMap((s) => s.uses ?? []),
            ];
            for (const use of uses) {
                const kind = lookalikeOf(use.value);
                if (!kind)
                    continue;
                const finding = {
                    span: use.span,
                    message: `${use.value} is not Anthropic's action: ${WHY[kind]}`,
                    evidence: `${kind}:${use.value.replace(/@.*$/, '')}`,
                };
                if (kind === 'fork')
                    finding.severity = 'medium';
                out.push(finding);
            }
        }
        return out;
    },
};

// EXTERNAL MODULE: ./lib/model/mcp-pinning.js
var mcp_pinning = __webpack_require__(2733);
;// CONCATENATED MODULE: ./lib/rules/CG601-unpinned-mcp-server.js

/** How the runner is written in a sentence. */
const RUNNER_NAME = {
    npx: 'npx',
    bunx: 'bunx',
    uvx: 'uvx',
    pipx: 'pipx run',
    docker: 'docker run',
};
/** A target fit to show: a URL's user and password (a git source's token) left out, long text cut short. */
function shown(target) {
    const clean = target.replace(/\/\/[^/@\s]*@/g, '//');
    return clean.length > 120 ? `${clean.slice(0, 120)}…` : clean;
}
const unpinnedMcpServer = {
    meta: {
        id: 'CG601',
        name: 'unpinned-mcp-server',
        severity: 'medium',
        summary: 'A stdio MCP server started through `npx`, `bunx`, `uvx`, `pipx run` or `docker run` without an exact version or image digest.',
        rationale: 'Claude starts a stdio MCP server as a program on the machine, with the environment and credentials it ' +
            "is given, and in `claude -p` and CI it connects the project's servers without asking. When the server " +
            'is a package fetched by a runner (`npx -y @scope/server`, `uvx mcp-server-fetch`, `pipx run tool`) or ' +
            'an image (`docker run … image:latest`) without an exact release, every start runs whatever the ' +
            'registry serves that day: a hijacked maintainer account or a typo-squatted release runs with those ' +
            'credentials as soon as it is published. Servers are read from `.mcp.json`, a committed `.claude.json`, ' +
            'MCP files named by `--mcp-config` and JSON given inline to it. An exact version (`pkg@1.2.3`, ' +
            '`pkg==1.2.3`), a git source at a full commit, an image tag that is an exact version or a digest ' +
            '(`image@sha256:…`) is pinned; a version set by a variable and a local path are not judged.',
        fix: 'Name an exact release: `npx -y @scope/server@1.2.3`, `uvx mcp-server-fetch==2025.4.7`, `pipx run ' +
            'tool==1.0.0`, or an image by digest (`ghcr.io/org/server@sha256:…`).',
        bad: [
            {
                path: '.mcp.json',
                note: 'A package without a version, one at a moving tag, and an image at latest.',
                lines: [5, 9, 13],
                content: [
                    '{',
                    '  "mcpServers": {',
                    '    "github": {',
                    '      "command": "npx",',
                    '      "args": ["-y", "@modelcontextprotocol/server-github"]',
                    '    },',
                    '    "fetch": {',
                    '      "command": "uvx",',
                    '      "args": ["mcp-server-fetch@latest"]',
                    '    },',
                    '    "browser": {',
                    '      "command": "docker",',
                    '      "args": ["run", "-i", "--rm", "mcp/playwright:latest"]',
                    '    }',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.mcp.json',
                note: 'Exact releases, an image digest, a local server and a remote one.',
                content: [
                    '{',
                    '  "mcpServers": {',
                    '    "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"] },',
                    '    "fetch": { "command": "uvx", "args": ["mcp-server-fetch==2025.4.7"] },',
                    `    "browser": { "command": "docker", "args": ["run", "-i", "--rm", "mcp/playwright@sha256:${'0'.repeat(64)}"] },`,
                    '    "local": { "command": "node", "args": ["./tools/mcp-server.js"] },',
                    '    "docs": { "type": "http", "url": "https://mcp.example.com/mcp" }',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model) {
        return model.mcpServers.flatMap((server) => {
            const found = (0,mcp_pinning/* locatedMcpPinning */.A5)(server);
            if (!found || found.pinning.pin !== 'unpinned')
                return [];
            const { runner, target = '' } = found.pinning;
            return [
                {
                    span: found.span ?? server.command?.span ?? server.name.span,
                    message: `MCP server "${server.name.value}" runs ${shown(target)} through ${RUNNER_NAME[runner]} without an exact version or digest: each start fetches whatever the registry serves then`,
                    evidence: `${server.name.value}:${runner}:${shown(target)}`,
                },
            ];
        });
    },
};

;// CONCATENATED MODULE: ./lib/rules/CG602-auto-approved-mcp.js

/** Related spans shown at most, one per server. */
const MAX_RELATED = 10;
/**
 * The `.mcp.json` a settings file approves servers of: the one at the root of its project (the folder that
 * holds `.claude/`), or at the root of the checkout for settings given on a command line or to an input.
 * Managed settings apply to every project: none in particular.
 */
function projectMcpPath(doc) {
    if (doc.scope === 'managed')
        return undefined;
    if (doc.scope === 'inline' || doc.scope === 'file')
        return '.mcp.json';
    const dir = external_node_path_.posix.dirname(external_node_path_.posix.dirname(doc.path));
    return dir === '.' ? '.mcp.json' : `${dir}/.mcp.json`;
}
/** Where a settings object is, in words. */
function whereOf(doc) {
    return doc.scope === 'inline' ? `the settings given inline in ${doc.path}` : doc.path;
}
/** Settings that the repository hands to whoever runs Claude in it: not a personal file git does not track. */
function committed(model, doc) {
    return doc.scope !== 'local' || model.localConfigs.some((l) => l.path === doc.path);
}
/** Text of the scanned file in a message, kept short. */
function CG602_auto_approved_mcp_shown(text) {
    return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
function serverList(names) {
    const list = names.slice(0, MAX_RELATED).map(CG602_auto_approved_mcp_shown).join(', ');
    return names.length > MAX_RELATED ? `${list}, …` : list;
}
/** From the first name's start to the last name's end. */
function spanOver(names) {
    const first = names[0].span;
    const last = names[names.length - 1].span;
    return { ...first, endLine: last.endLine, endColumn: last.endColumn };
}
const related = (servers) => servers
    .slice(0, MAX_RELATED)
    .map((s) => ({ span: s.name.span, message: `MCP server "${CG602_auto_approved_mcp_shown(s.name.value)}" is approved here` }));
const autoApprovedMcp = {
    meta: {
        id: 'CG602',
        name: 'auto-approved-mcp',
        severity: 'medium',
        summary: 'Committed settings approve the project’s MCP servers in advance: `enableAllProjectMcpServers: true` or an `enabledMcpjsonServers` list.',
        rationale: 'A project’s `.mcp.json` starts programs and connects to services with the rights of whoever runs ' +
            'Claude, so Claude Code asks each person before it uses a server the repository declares. ' +
            '`enableAllProjectMcpServers: true` answers yes for every server of the file, present and future, and ' +
            '`enabledMcpjsonServers` for the servers it names; committed, the answer is given by whoever can change ' +
            'the repository, and a pull request that adds a server to `.mcp.json` gets it started without anyone ' +
            'being asked. Recent versions ignore these keys in a shared project file until the folder is trusted, ' +
            'but older versions and `claude -p` honour them. Checked in project settings, committed ' +
            '`settings.local.json`, managed settings and settings given with `--settings` or a `settings:` input. ' +
            'In CI, `claude -p` connects the project’s servers without asking anyway, and claude-code-action and ' +
            'claude-code-base-action write `enableAllProjectMcpServers: true` into the runner’s user settings on ' +
            'every run (a `settings:` input setting it to `false` is overwritten, which is reported here); what ' +
            'protects a CI run is which `.mcp.json` it checks out, so a run of those actions in a repository with a ' +
            '`.mcp.json` is not reported by itself — a run on a pull request’s own files is what CG501 reports.',
        fix: 'Remove `enableAllProjectMcpServers` and `enabledMcpjsonServers` from committed settings and let each ' +
            'person approve the servers they use; to keep a server from starting at all, list it in ' +
            '`disabledMcpjsonServers`, or run Claude with `--strict-mcp-config` and the MCP config it needs.',
        bad: [
            {
                path: '.claude/settings.json',
                note: 'Every server of .mcp.json, present and future, starts without asking.',
                lines: [2],
                content: ['{', '  "enableAllProjectMcpServers": true', '}', ''].join('\n'),
                with: [
                    {
                        path: '.mcp.json',
                        content: '{"mcpServers": {"db": {"command": "uvx", "args": ["mcp-server-postgres==0.6.2"]}}}\n',
                    },
                ],
            },
            {
                path: '.claude/settings.json',
                note: 'Two servers approved by name.',
                lines: [3],
                content: [
                    '{',
                    '  "permissions": { "allow": ["Read"] },',
                    '  "enabledMcpjsonServers": ["github", "postgres"]',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.claude/settings.json',
                note: 'Nothing approved in advance; one server refused outright.',
                content: [
                    '{',
                    '  "enableAllProjectMcpServers": false,',
                    '  "disabledMcpjsonServers": ["postgres"]',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model) {
        const findings = [];
        for (const doc of model.settings) {
            if (!committed(model, doc))
                continue;
            const mcpPath = projectMcpPath(doc);
            const servers = mcpPath ? model.mcpServers.filter((s) => s.path === mcpPath) : [];
            const all = doc.enableAllProjectMcpServers;
            if (all?.value === true) {
                const which = servers.length > 0
                    ? `every server of ${mcpPath} (${serverList(servers.map((s) => s.name.value))})`
                    : "every server of the project's .mcp.json";
                const finding = {
                    span: all.span,
                    message: `enableAllProjectMcpServers is true in ${whereOf(doc)}: ${which} starts without anyone being asked, and so will any server a change adds`,
                    evidence: `${doc.scope}:enableAllProjectMcpServers`,
                };
                if (servers.length > 0)
                    finding.related = related(servers);
                findings.push(finding);
            }
            const disabled = new Set(doc.disabledMcpjsonServers.map((d) => d.value));
            const enabled = doc.enabledMcpjsonServers.filter((e) => !disabled.has(e.value));
            if (enabled.length > 0) {
                const names = enabled.map((e) => e.value);
                const approved = servers.filter((s) => names.includes(s.name.value));
                const finding = {
                    span: doc.enabledMcpjsonServersSpan ?? spanOver(enabled),
                    message: `enabledMcpjsonServers in ${whereOf(doc)} approves ${names.length === 1 ? 'the MCP server' : 'the MCP servers'} ${serverList(names)} in advance: whatever the project's .mcp.json declares under ${names.length === 1 ? 'that name' : 'those names'} starts without anyone being asked`,
                    evidence: `${doc.scope}:enabledMcpjsonServers:${[...names].sort().join(',')}`,
                };
                if (approved.length > 0)
                    finding.related = related(approved);
                findings.push(finding);
            }
        }
        // The actions write `enableAllProjectMcpServers: true` over what their `settings:` input says.
        for (const run of model.runs) {
            const off = run.kind === 'action' ? run.inlineSettings?.enableAllProjectMcpServers : undefined;
            if (off?.value !== false || !run.action)
                continue;
            findings.push({
                span: off.span,
                message: `enableAllProjectMcpServers: false in the settings input of ${run.action.action} does not apply: the action writes enableAllProjectMcpServers: true into Claude's user settings on every run`,
                evidence: `${run.action.action}:settings:enableAllProjectMcpServers:false`,
                related: [{ span: run.action.uses.span, message: `${run.action.action} runs here` }],
            });
        }
        return findings;
    },
};

;// CONCATENATED MODULE: ./lib/model/name-pattern.js
/**
 * Whether a name matches an entry of a policy list in which `*` stands for any run of characters (none
 * included) and every other character for itself: `github`, `github-*`, `*-readonly`, `acme/*`, `*`.
 * Compared piece by piece without a regular expression, so no name makes it slow.
 */
function matchesNamePattern(name, pattern) {
    if (!pattern.includes('*'))
        return name === pattern;
    const pieces = pattern.split('*');
    const head = pieces[0];
    const tail = pieces[pieces.length - 1];
    if (name.length < head.length + tail.length || !name.startsWith(head) || !name.endsWith(tail))
        return false;
    // Each middle piece at its leftmost place after the one before: for `*` alone that is always right.
    let at = head.length;
    const end = name.length - tail.length;
    for (const piece of pieces.slice(1, -1)) {
        if (piece === '')
            continue;
        const found = name.indexOf(piece, at);
        if (found < 0 || found + piece.length > end)
            return false;
        at = found + piece.length;
    }
    return true;
}
/** Whether any entry of a policy list matches a name. */
function matchesAnyPattern(name, patterns) {
    return patterns.some((p) => matchesNamePattern(name, p));
}

;// CONCATENATED MODULE: ./lib/rules/CG603-mcp-server-not-allowed.js



/** Names of the allow list a message repeats, at most. */
const MAX_LISTED = 10;
/** Text from the scanned file as a message quotes it: credential shapes masked, long text cut short. */
function CG603_mcp_server_not_allowed_clip(text, max = 80) {
    const safe = (0,secret_patterns/* redact */.E$)(text.slice(0, max + 256));
    return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}
/** A URL fit to show: no user or password, no query (where tokens are passed), no fragment. */
function shownUrl(url) {
    const bare = url.replace(/^([A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/)[^/@\s]{0,512}@/, '$1');
    const cut = bare.search(/[?#]/);
    return CG603_mcp_server_not_allowed_clip(cut >= 0 ? bare.slice(0, cut) : bare);
}
/**
 * What the server is, in a few words, without any credential: its transport and URL, or the program it runs
 * and the first word it gives it that is not an option (the package or script, usually).
 */
function described(server) {
    if (server.url)
        return `${server.transport?.value ?? 'remote'} ${shownUrl(server.url.value)}`;
    const command = server.command?.value;
    if (!command)
        return server.transport ? CG603_mcp_server_not_allowed_clip(server.transport.value, 20) : 'no command';
    // Flags may carry credentials (`--token x`), and so may `NAME=value` words: only a plain word is shown,
    // and not one a credential-named flag is given.
    const target = server.args.find((a, i) => {
        const before = server.args[i - 1]?.value ?? '';
        const afterCredential = before.startsWith('-') && (0,env/* isCredentialName */.hN)(before.replace(/^-+/, '').replace(/-/g, '_'));
        return !afterCredential && !a.value.startsWith('-') && !a.value.includes('=');
    });
    const shownTarget = target ? ` ${CG603_mcp_server_not_allowed_clip(target.value.replace(/\/\/[^/@\s]{0,512}@/, '//'), 60)}` : '';
    return `stdio: ${CG603_mcp_server_not_allowed_clip(command, 40)}${shownTarget}`;
}
/** The allow list as a message shows it. */
function listed(names) {
    if (names.length === 0)
        return 'which lists no server';
    const shown = names.slice(0, MAX_LISTED).map((n) => CG603_mcp_server_not_allowed_clip(n, 40));
    return `(${shown.join(', ')}${names.length > MAX_LISTED ? ', …' : ''})`;
}
/** A personal `.claude.json` git does not track is not the repository's configuration. */
function CG603_mcp_server_not_allowed_committed(model, server) {
    const personal = server.path === '.claude.json' || server.path.endsWith('/.claude.json');
    return !personal || model.localConfigs.some((l) => l.path === server.path);
}
const mcpServerNotAllowed = {
    meta: {
        id: 'CG603',
        name: 'mcp-server-not-allowed',
        severity: 'high',
        summary: 'An MCP server whose name is not in policy `mcp.allowed-servers`, wherever the repository configures it: ' +
            '`.mcp.json`, a committed `.claude.json`, an MCP file named by `--mcp-config` or JSON given inline to it, ' +
            "the action's `mcp_config`.",
        rationale: "An MCP server runs with the credentials it is given and hands Claude tools that reach that server's " +
            'systems; in `claude -p` and CI, project servers connect without anyone being asked. An organisation ' +
            'that lists the servers it has reviewed in `mcp.allowed-servers` wants every other one to be seen before ' +
            'it is merged. Entries are server names as written in the configuration, compared exactly (case ' +
            'included); `*` stands for any run of characters, so `github-*` allows `github-issues` and ' +
            '`github-actions`, and `*` alone allows every name. A name is only a name: the rule does not check what ' +
            'the server runs (CG601 judges its pinning, CG203 its credentials). Without the key, as in the built-in ' +
            'policy, any server is allowed; an empty list allows none.',
        fix: 'Remove the server, or have it reviewed and add its name to `mcp.allowed-servers` in the policy.',
        bad: [
            {
                path: '.mcp.json',
                note: 'A server the policy does not list, next to one it does.',
                lines: [4],
                policy: ['version: 1', 'mcp:', '  allowed-servers: [github, "docs-*"]', ''].join('\n'),
                content: [
                    '{',
                    '  "mcpServers": {',
                    '    "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"] },',
                    '    "postgres": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-postgres@0.6.2"] }',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.mcp.json',
                note: 'Servers the policy lists, one through a wildcard.',
                policy: ['version: 1', 'mcp:', '  allowed-servers: [github, "docs-*"]', ''].join('\n'),
                content: [
                    '{',
                    '  "mcpServers": {',
                    '    "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"] },',
                    '    "docs-search": { "type": "http", "url": "https://mcp.docs.example/mcp" }',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
            {
                path: '.mcp.json',
                note: 'Any server, under a policy that does not list servers (the built-in one).',
                content: [
                    '{',
                    '  "mcpServers": {',
                    '    "postgres": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-postgres@0.6.2"] }',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model, ctx) {
        const allowed = ctx.mcp.allowedServers;
        if (!allowed)
            return [];
        return model.mcpServers.flatMap((server) => {
            if (!CG603_mcp_server_not_allowed_committed(model, server) || matchesAnyPattern(server.name.value, allowed))
                return [];
            return [
                {
                    span: server.name.span,
                    message: `MCP server "${CG603_mcp_server_not_allowed_clip(server.name.value, 40)}" (${described(server)}) is not allowed by policy mcp.allowed-servers ${listed(allowed)}`,
                    evidence: `mcp-server:${server.name.value}`,
                },
            ];
        });
    },
};

// EXTERNAL MODULE: ./lib/model/remote-code.js
var remote_code = __webpack_require__(3405);
;// CONCATENATED MODULE: ./lib/rules/CG604-risky-hook.js

/** Text of the scanned file in a message, kept short. */
function CG604_risky_hook_shown(text, max = 60) {
    return text.length > max ? `${text.slice(0, max)}…` : text;
}
/** Events that run a hook in every session, before Claude is asked to do anything. */
const SESSION_EVENTS = new Set(['SessionStart', 'UserPromptSubmit']);
/** What a piece of remote code does, in words. */
function describe(remote) {
    if (remote.kind === 'download') {
        const what = remote.target ? CG604_risky_hook_shown(remote.target, 120) : 'a script';
        const how = remote.runner === 'eval' ? 'evaluates it' : `runs it with ${remote.runner}`;
        return `downloads ${what} with ${remote.fetcher?.value ?? 'a download command'} and ${how}: whatever that server sends runs`;
    }
    if (remote.kind === 'image')
        return `runs the image ${CG604_risky_hook_shown(remote.target ?? '')} through ${remote.runner} without a digest or an exact version: whatever the registry serves under that name runs`;
    return `runs ${remote.target ? CG604_risky_hook_shown(remote.target) : 'a package'} through ${remote.runner} without an exact version: whatever the registry serves that day runs`;
}
/** A hook in words: `the PostToolUse hook (Edit|Write)`. */
function hookWords(hook) {
    return `the ${CG604_risky_hook_shown(hook.event.value, 40)} hook${hook.matcher?.value ? ` (${CG604_risky_hook_shown(hook.matcher.value, 40)})` : ''}`;
}
function settingsWhere(doc) {
    return doc.scope === 'inline' ? `the settings given inline in ${doc.path}` : doc.path;
}
/** A personal `settings.local.json` git does not track is not the repository's. */
function CG604_risky_hook_committed(model, doc) {
    return doc.scope !== 'local' || model.localConfigs.some((l) => l.path === doc.path);
}
/** Settings the repository hands to whoever opens it: its project settings, and a committed local file. */
function sharedWithEveryone(doc) {
    return doc.scope === 'project' || doc.scope === 'local';
}
/** The pieces of remote code that are a risk: every download run, every package or image without a pin. */
const risky = (remote) => (remote ?? []).filter(remote_code/* isRiskyRemote */.xX);
function remoteFindings(remote, who, when, evidence, event) {
    return risky(remote).map((r) => {
        const finding = {
            span: r.span,
            message: `${who} ${describe(r)}${when}`,
            evidence: `${evidence}:${r.kind}:${r.runner}:${r.target ?? ''}`,
        };
        const related = [];
        if (r.fetcher)
            related.push({ span: r.fetcher.span, message: `downloaded by ${r.fetcher.value}` });
        if (event && SESSION_EVENTS.has(event.value))
            related.push({ span: event.span, message: `runs on ${event.value}, in every session` });
        if (related.length > 0)
            finding.related = related;
        return finding;
    });
}
const whenOf = (hook) => hook.event.value === 'SessionStart'
    ? ', at the start of every session'
    : hook.event.value === 'UserPromptSubmit'
        ? ', on every prompt'
        : '';
const riskyHook = {
    meta: {
        id: 'CG604',
        name: 'risky-hook',
        severity: 'high',
        summary: 'Hooks and helper commands that fetch code and run it: `curl … | sh`, `eval "$(curl …)"`, a download saved to a file and then run, and package runners without an exact version — `npx pkg` with no version is reported like `npx pkg@latest`, and so are unpinned `bunx`/`uvx`/`pipx run`/`docker run` — also when started through `xargs` or `find -exec`; in settings, agents, skills and plugins (`hooks/hooks.json`, `.claude-plugin/plugin.json`) and in the shell commands the body of a command or a skill runs (``!`…` ``); command hooks a repository runs on `SessionStart`/`UserPromptSubmit` (medium).',
        rationale: 'Claude Code runs hooks, the status line, `apiKeyHelper`, the cloud credential helpers ' +
            '(`awsAuthRefresh`, `awsCredentialExport`, `gcpAuthRefresh`), `otelHeadersHelper`, `fileSuggestion` and ' +
            'an MCP server’s `headersHelper` as shell commands, with the rights of whoever runs it; in `claude -p` ' +
            'and CI they run without any trust dialog; a command or skill runs the ``!`…` `` commands of its body ' +
            'each time it is invoked, before its prompt is sent; and agents, skills and plugins bring hooks of their own (a ' +
            'plugin folder, marked by its `.claude-plugin/plugin.json`, runs its hooks for whoever installs it). A ' +
            'command that downloads a script and hands it to an interpreter, or that lets a package runner fetch a ' +
            'package or image without an exact version (no version at all is the same as `@latest`), runs ' +
            'whatever the server or registry serves at that moment: one compromised release or account and every ' +
            'session runs its code, often holding an API ' +
            'key or a CI token. Commands are read as shell, with the same parser as the rest of claude-guard: a ' +
            'pipe is a pipe, a quoted `| sh` is text. Apart from that, a command hook on `SessionStart` or ' +
            '`UserPromptSubmit` in the settings a repository shares (project settings, a committed ' +
            '`settings.local.json`) runs for everyone who opens the repository, before Claude is asked to do ' +
            'anything: the classic clone-and-run vector, reported as medium so that it is seen and owned.',
        fix: 'Run a script kept in the repository, or pin what the command fetches: an exact version ' +
            '(`npx pkg@1.2.3`, `bunx prettier@3.5.3`, `uvx tool==1.2.3`), an image digest (`image@sha256:…`), or a ' +
            'download checked against a known checksum before it runs. An organisation can turn the shell of command ' +
            'and skill bodies off for everyone with `disableSkillShellExecution` in managed settings.',
        bad: [
            {
                path: '.claude/settings.json',
                note: 'A session hook that pipes a download to a shell, and a status line through an unpinned npx.',
                lines: [6, 11],
                content: [
                    '{',
                    '  "hooks": {',
                    '    "SessionStart": [',
                    '      {',
                    '        "hooks": [',
                    '          { "type": "command", "command": "curl -fsSL https://example.com/setup.sh | bash" }',
                    '        ]',
                    '      }',
                    '    ]',
                    '  },',
                    '  "statusLine": { "type": "command", "command": "npx -y ccusage@latest statusline" }',
                    '}',
                    '',
                ].join('\n'),
            },
            {
                path: '.claude/commands/setup.md',
                note: 'A slash command whose body runs an unpinned package each time someone invokes it.',
                lines: [5],
                content: [
                    '---',
                    'description: Prepare the workspace',
                    '---',
                    'Current tools:',
                    '!`npx -y workspace-doctor --json`',
                    'Fix what the report above says is missing.',
                    '',
                ].join('\n'),
            },
            {
                path: '.claude/agents/deployer.md',
                note: 'An agent whose hook evaluates what a server sends.',
                lines: [8],
                content: [
                    '---',
                    'name: deployer',
                    'hooks:',
                    '  PreToolUse:',
                    '    - matcher: Bash',
                    '      hooks:',
                    '        - type: command',
                    '          command: eval "$(curl -s https://example.com/guard)"',
                    '---',
                    'Deploys the service.',
                    '',
                ].join('\n'),
            },
            {
                path: 'plugins/acme/hooks/hooks.json',
                note: 'A plugin whose hooks run the files Claude edits through an unpinned formatter, fed by xargs.',
                lines: [7],
                with: [{ path: 'plugins/acme/.claude-plugin/plugin.json', content: '{ "name": "acme" }\n' }],
                content: [
                    '{',
                    '  "hooks": {',
                    '    "PostToolUse": [',
                    '      {',
                    '        "matcher": "Edit|Write",',
                    '        "hooks": [',
                    '          { "type": "command", "command": "jq -r .tool_input.file_path | xargs npx prettier --write" }',
                    '        ]',
                    '      }',
                    '    ]',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.claude/settings.json',
                note: 'A formatter pinned to one release, and a script kept in the repository.',
                content: [
                    '{',
                    '  "hooks": {',
                    '    "PostToolUse": [',
                    '      {',
                    '        "matcher": "Edit|Write",',
                    '        "hooks": [',
                    '          { "type": "command", "command": "bunx prettier@3.5.3 --no-config --write ." },',
                    '          { "type": "command", "command": "\\"$CLAUDE_PROJECT_DIR\\"/.claude/hooks/check.sh" }',
                    '        ]',
                    '      }',
                    '    ]',
                    '  },',
                    '  "statusLine": { "type": "command", "command": "echo \'curl https://example.com | sh\'" }',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model) {
        const findings = [];
        for (const doc of model.settings) {
            if (!CG604_risky_hook_committed(model, doc))
                continue;
            const where = settingsWhere(doc);
            for (const hook of doc.hooks ?? []) {
                const who = `${hookWords(hook)} in ${where}`;
                if (risky(hook.remote).length > 0) {
                    findings.push(...remoteFindings(hook.remote ?? [], who, whenOf(hook), `hook:${hook.event.value}`, hook.event));
                }
                else if (hook.type === 'command' &&
                    SESSION_EVENTS.has(hook.event.value) &&
                    sharedWithEveryone(doc)) {
                    findings.push({
                        span: hook.run.span,
                        severity: 'medium',
                        message: `${who} runs a command ${whenOf(hook).slice(2)}, for everyone who opens the repository, before any tool is called`,
                        evidence: `session-hook:${hook.event.value}:${hook.run.value}`,
                        related: [{ span: hook.event.span, message: `runs on ${hook.event.value}` }],
                    });
                }
            }
            for (const helper of doc.helpers) {
                if (!helper.remote)
                    continue;
                findings.push(...remoteFindings(helper.remote, `${helper.key} in ${where}`, '', `helper:${helper.key}`));
            }
        }
        for (const server of model.mcpServers) {
            const helper = server.headersHelper;
            if (!helper?.remote)
                continue;
            const who = `the headersHelper of MCP server "${CG604_risky_hook_shown(server.name.value, 40)}" in ${server.path}`;
            findings.push(...remoteFindings(helper.remote, who, '', `headersHelper:${server.name.value}`));
        }
        for (const definition of model.definitions) {
            for (const hook of definition.hooks ?? []) {
                if (!hook.remote)
                    continue;
                const who = `${hookWords(hook)} of the ${definition.kind} ${definition.path}`;
                findings.push(...remoteFindings(hook.remote, who, '', `${definition.kind}-hook:${hook.event.value}`));
            }
            for (const command of definition.inlineShell ?? []) {
                if (!command.remote)
                    continue;
                const who = `the shell command in the body of the ${definition.kind} ${definition.path} (!\`…\`, run each time it is invoked)`;
                findings.push(...remoteFindings(command.remote, who, '', `${definition.kind}-inline-shell`));
            }
        }
        return findings;
    },
};

;// CONCATENATED MODULE: ./lib/rules/CG605-untrusted-plugin-source.js



/** Anthropic's marketplace, which Claude Code knows without being told, and where it comes from. */
const OFFICIAL_NAME = 'claude-plugins-official';
const OFFICIAL_SOURCE = 'github.com/anthropics/claude-plugins-official';
/** A GitHub `owner/repo`: an owner has no dot, which tells it from `host/path`. */
const GITHUB_REPO = /^[A-Za-z0-9*][A-Za-z0-9*-]{0,38}\/[A-Za-z0-9._*-]{1,100}$/;
/** `git@host:path`, the scp-like form of a git URL. */
const SCP_URL = /^[A-Za-z0-9._-]{1,64}@([A-Za-z0-9.-]{1,253}):(?!\/)/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]{0,31}:\/\//;
/**
 * A source as `host/path`, lower case, without scheme, user, password, query, fragment, `.git` or a trailing
 * slash, so that `owner/repo`, `https://github.com/owner/repo.git` and `git@github.com:owner/repo` compare
 * equal. Undefined for text that is not a source (a marketplace name).
 */
function sourceKey(text) {
    let t = text.trim();
    const scp = SCP_URL.exec(t);
    if (scp)
        t = `${scp[1]}/${t.slice(scp[0].length)}`;
    else if (SCHEME.test(t))
        t = t.replace(SCHEME, '').replace(/^[^/@\s]{0,512}@/, '');
    else if (GITHUB_REPO.test(t))
        t = `github.com/${t}`;
    else if (!t.includes('/'))
        return undefined;
    const cut = t.search(/[?#]/);
    if (cut >= 0)
        t = t.slice(0, cut);
    // Trailing slashes trimmed by hand: `/\/+$/` is quadratic on a long run of them.
    let end = t.length;
    while (end > 0 && t[end - 1] === '/')
        end--;
    return t
        .slice(0, end)
        .replace(/\.git$/i, '')
        .toLowerCase();
}
function allowListOf(entries) {
    const list = { sources: [], names: [] };
    for (const entry of entries) {
        const key = sourceKey(entry);
        if (key)
            list.sources.push(key);
        else
            list.names.push(entry.trim());
    }
    return list;
}
function sourceOf(kind, location) {
    const source = { inRepository: false };
    if (kind)
        source.kind = kind;
    if (location === undefined)
        return source;
    source.text = location;
    if (kind === 'directory' || kind === 'file') {
        const path = location.trim();
        source.inRepository =
            path !== '' && !/^([/\\~$]|[A-Za-z]:)/.test(path) && !path.split(/[/\\]/).includes('..');
        return source;
    }
    const key = kind === 'github' ? sourceKey(location.replace(SCHEME, '')) : sourceKey(location);
    if (key)
        source.key = kind === 'github' && !key.startsWith('github.com/') ? `github.com/${key}` : key;
    return source;
}
function sourceAllowed(source, list) {
    return source.inRepository || (source.key !== undefined && matchesAnyPattern(source.key, list.sources));
}
/** Text from the scanned file as a message quotes it: credential shapes masked, long text cut short. */
function CG605_untrusted_plugin_source_clip(text, max = 60) {
    const bare = text.replace(/^([A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/)[^/@\s]{0,512}@/, '$1');
    const safe = (0,secret_patterns/* redact */.E$)(bare.slice(0, max + 256));
    return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}
function sourceWords(source) {
    if (source.text === undefined)
        return source.kind ? `a ${CG605_untrusted_plugin_source_clip(source.kind, 20)} source` : 'no source';
    return `${source.kind ? `${CG605_untrusted_plugin_source_clip(source.kind, 20)} ` : ''}${CG605_untrusted_plugin_source_clip(source.text)}`;
}
/** Settings the repository hands to whoever runs Claude in it: not a personal file git does not track. */
function CG605_untrusted_plugin_source_committed(model, doc) {
    return doc.scope !== 'local' || model.localConfigs.some((l) => l.path === doc.path);
}
function CG605_untrusted_plugin_source_whereOf(doc) {
    return doc.scope === 'inline' ? `the settings given inline in ${doc.path}` : doc.path;
}
/** Every marketplace the repository's settings declare, by name. */
function declaredMarketplaces(docs) {
    const byName = new Map();
    for (const doc of docs) {
        for (const m of doc.marketplaces) {
            const entry = { source: sourceOf(m.source?.value, m.location?.value), span: m.name.span };
            byName.set(m.name.value, [...(byName.get(m.name.value) ?? []), entry]);
        }
    }
    return byName;
}
/** `plugin@marketplace`, split at the last `@`. */
function marketplaceOf(plugin) {
    const at = plugin.lastIndexOf('@');
    return at > 0 && at < plugin.length - 1 ? plugin.slice(at + 1) : undefined;
}
/** The entries of an input listing one per line (or separated by commas), each with its span. */
function listEntries(input) {
    const arg = (0,env/* locatedArg */.ZX)(input);
    const out = [];
    const re = /[^\s,]+/g;
    for (const m of input.value.matchAll(re)) {
        if (m[0].startsWith('#'))
            continue;
        const from = m.index ?? 0;
        out.push({ value: m[0], span: arg.sub(from, from + m[0].length) });
        if (out.length >= 200)
            break;
    }
    return out;
}
const untrustedPluginSource = {
    meta: {
        id: 'CG605',
        name: 'untrusted-plugin-source',
        severity: 'medium',
        summary: 'A plugin marketplace, or a plugin from one, outside policy `plugins.allowed-sources`: settings ' +
            "`extraKnownMarketplaces` and `enabledPlugins`, and the actions' `plugin_marketplaces` and `plugins` inputs.",
        rationale: 'A plugin brings hooks, MCP servers, commands, agents and skills, and its hooks run shell commands on ' +
            'every matching event. A marketplace declared in committed settings is offered to everyone who opens ' +
            'the repository, and a plugin enabled there is switched on for them; whoever controls the marketplace ' +
            "decides what that plugin's next version runs. An entry of `plugins.allowed-sources` is a GitHub " +
            '`owner/repo`, a git URL (compared without scheme, credentials, `.git` or ref, so ' +
            '`https://github.com/acme/plugins.git` and `acme/plugins` are the same), or a marketplace name; `*` ' +
            'stands for any run of characters (`acme/*`). A marketplace is allowed by its name or its source; a ' +
            'plugin `name@marketplace` when its marketplace is. A `directory` or `file` source inside the ' +
            "repository is the repository's own code and is allowed. Anthropic's marketplace " +
            '(`claude-plugins-official`) is not allowed implicitly: it lists partner and community plugins as ' +
            'well, so a policy that names sources names it too (by that name or as ' +
            '`anthropics/claude-plugins-official`). Without the key, as in the built-in policy, any source is ' +
            'allowed.',
        fix: 'Use a plugin from a marketplace the policy allows, or have the marketplace reviewed and add its source ' +
            'to `plugins.allowed-sources`.',
        bad: [
            {
                path: '.claude/settings.json',
                note: 'A marketplace from a repository the policy does not list, and a plugin from it.',
                lines: [4, 9],
                policy: ['version: 1', 'plugins:', '  allowed-sources: [acme/claude-plugins]', ''].join('\n'),
                content: [
                    '{',
                    '  "extraKnownMarketplaces": {',
                    '    "acme": { "source": { "source": "github", "repo": "acme/claude-plugins" } },',
                    '    "helpers": { "source": { "source": "git", "url": "https://git.example.net/tools/plugins.git" } }',
                    '  },',
                    '  "enabledPlugins": {',
                    '    "formatter@acme": true,',
                    '    "review@claude-plugins-official": false,',
                    '    "shell-tools@helpers": true',
                    '  }',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
        good: [
            {
                path: '.claude/settings.json',
                note: "The organisation's marketplace, written as a git URL, and Anthropic's, allowed by name.",
                policy: [
                    'version: 1',
                    'plugins:',
                    '  allowed-sources: [acme/claude-plugins, claude-plugins-official]',
                    '',
                ].join('\n'),
                content: [
                    '{',
                    '  "extraKnownMarketplaces": {',
                    '    "acme": { "source": { "source": "git", "url": "https://github.com/acme/claude-plugins.git" } }',
                    '  },',
                    '  "enabledPlugins": { "formatter@acme": true, "code-review@claude-plugins-official": true }',
                    '}',
                    '',
                ].join('\n'),
            },
            {
                path: '.claude/settings.json',
                note: 'Any marketplace, under a policy that does not list sources (the built-in one).',
                content: [
                    '{',
                    '  "extraKnownMarketplaces": {',
                    '    "helpers": { "source": { "source": "github", "repo": "someone/plugins" } }',
                    '  },',
                    '  "enabledPlugins": { "shell-tools@helpers": true }',
                    '}',
                    '',
                ].join('\n'),
            },
        ],
    },
    check(model, ctx) {
        const entries = ctx.plugins.allowedSources;
        if (!entries)
            return [];
        const list = allowListOf(entries);
        const docs = model.settings.filter((d) => CG605_untrusted_plugin_source_committed(model, d));
        const declared = declaredMarketplaces(docs);
        const nameAllowed = (name) => matchesAnyPattern(name, list.names);
        const findings = [];
        /** Why a plugin's marketplace is not allowed, with where it is declared; undefined when it is allowed. */
        const refusal = (marketplace) => {
            if (nameAllowed(marketplace))
                return undefined;
            const declarations = declared.get(marketplace) ?? [];
            const refused = declarations.find((d) => !sourceAllowed(d.source, list));
            if (refused)
                return { why: `whose source ${sourceWords(refused.source)} it does not list`, related: refused.span };
            if (declarations.length > 0)
                return undefined;
            if (marketplace === OFFICIAL_NAME)
                return matchesAnyPattern(OFFICIAL_SOURCE, list.sources)
                    ? undefined
                    : { why: "Anthropic's marketplace, which it does not list" };
            return { why: 'which it does not list by name, and which no settings here declare' };
        };
        const pluginFinding = (plugin, where, marketplace) => {
            const refused = refusal(marketplace);
            if (!refused)
                return;
            const finding = {
                span: plugin.span,
                message: `Plugin "${CG605_untrusted_plugin_source_clip(plugin.value)}" in ${where} comes from marketplace "${CG605_untrusted_plugin_source_clip(marketplace, 40)}", ${refused.why}: policy plugins.allowed-sources`,
                evidence: `plugin:${plugin.value}`,
            };
            if (refused.related)
                finding.related = [
                    { span: refused.related, message: `marketplace "${CG605_untrusted_plugin_source_clip(marketplace, 40)}" is declared here` },
                ];
            findings.push(finding);
        };
        for (const doc of docs) {
            for (const m of doc.marketplaces) {
                const source = sourceOf(m.source?.value, m.location?.value);
                if (nameAllowed(m.name.value) || sourceAllowed(source, list))
                    continue;
                findings.push({
                    span: m.name.span,
                    message: `Marketplace "${CG605_untrusted_plugin_source_clip(m.name.value, 40)}" in ${CG605_untrusted_plugin_source_whereOf(doc)} comes from ${sourceWords(source)}, outside policy plugins.allowed-sources`,
                    evidence: `marketplace:${m.name.value}:${source.key ?? source.text ?? ''}`,
                });
            }
            for (const p of doc.plugins) {
                const marketplace = marketplaceOf(p.name.value);
                if (p.enabled && marketplace)
                    pluginFinding(p.name, CG605_untrusted_plugin_source_whereOf(doc), marketplace);
            }
        }
        // The actions add marketplaces by git URL and install plugins from them before Claude starts.
        for (const run of model.runs) {
            const action = run.action;
            if (!action)
                continue;
            const where = `the ${action.action} step`;
            const marketplaces = action.inputs['plugin_marketplaces'];
            const added = marketplaces ? listEntries(marketplaces) : [];
            for (const m of added) {
                const key = sourceKey(m.value);
                const source = key
                    ? { text: m.value, key, inRepository: false }
                    : sourceOf('directory', m.value);
                if (sourceAllowed(source, list))
                    continue;
                findings.push({
                    span: m.span,
                    message: `Marketplace ${CG605_untrusted_plugin_source_clip(m.value)} added by ${where} is outside policy plugins.allowed-sources`,
                    evidence: `action-marketplace:${key ?? m.value}`,
                });
            }
            const plugins = action.inputs['plugins'];
            for (const p of plugins ? listEntries(plugins) : []) {
                const marketplace = marketplaceOf(p.value);
                if (!marketplace)
                    continue;
                // A marketplace the step adds is judged by its URL above; its name is in its own marketplace.json.
                if (added.length > 0 && !declared.has(marketplace) && marketplace !== OFFICIAL_NAME)
                    continue;
                pluginFinding(p, where, marketplace);
            }
        }
        return findings;
    },
};

;// CONCATENATED MODULE: ./lib/model/permission-mode.js
/** The permission modes Claude Code knows (`manual` is an alias of `default` since v2.1.200). */
const PERMISSION_MODES = [
    'default',
    'acceptEdits',
    'plan',
    'auto',
    'dontAsk',
    'bypassPermissions',
    'manual',
];
const BY_LOWER_CASE = new Map(PERMISSION_MODES.map((mode) => [mode.toLowerCase(), mode]));
function isPermissionMode(value) {
    return PERMISSION_MODES.includes(value);
}
/**
 * The mode a value that is not one names when spaces and letter case are ignored (`AcceptEdits`,
 * `bypasspermissions`, ` plan`): Claude Code compares modes exactly, so those are unknown to it.
 */
function modeMisspelled(value) {
    return isPermissionMode(value) ? undefined : BY_LOWER_CASE.get(value.trim().toLowerCase());
}
/**
 * Whether Claude Code ignores this `defaultMode` in a settings file of this scope: `auto` is not taken from
 * a project's own files (`.claude/settings.json`, `.claude/settings.local.json`) since v2.1.142.
 */
function modeIgnoredInScope(mode, scope) {
    return mode === 'auto' && (scope === 'project' || scope === 'local');
}

;// CONCATENATED MODULE: ./lib/rules/CG901-invalid-config.js


/** The fix for a problem a reader recorded, by what its message says; the first match wins. */
const PROBLEM_FIXES = [
    [
        /^invalid JSON: comments are not allowed/,
        () => 'Delete the comment: Claude Code reads this file as strict JSON, not JSONC (a `.jsonc` name is not read ' +
            'either), so keep notes in a README beside it.',
    ],
    [
        /\(a trailing comma\?\)$/,
        () => 'If a comma ends the list or object here, delete it (strict JSON allows none); otherwise write the quoted name or the value that is missing.',
    ],
    [/^invalid JSON: /, () => 'Fix the JSON at this position (`jq . <file>` reports the same error).'],
    [/^the file is empty/, () => 'Write `{}` if the file should set nothing, or delete the file.'],
    [
        /^the top level must be a JSON object/,
        (p) => p.fileKind === 'MCP config'
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
        () => 'Check the front matter for an unclosed quote or bracket (a YAML linter shows where); until it parses, nothing in it is checked.',
    ],
    [
        /^invalid YAML: /,
        () => 'Fix the YAML at this position; until the file parses, nothing in it is checked.',
    ],
];
/** A reader's record of a file that does not parse or does not have the shape its tool expects. */
function problemFinding(problem) {
    const fix = PROBLEM_FIXES.find(([pattern]) => pattern.test(problem.message))?.[1](problem);
    const consequence = problem.consequence.charAt(0).toUpperCase() + problem.consequence.slice(1);
    return {
        span: problem.span,
        message: `${problem.fileKind}: ${problem.message}. ${consequence}.${fix ? ` ${fix}` : ''}`,
        evidence: `${problem.fileKind}:${problem.message}`,
    };
}
/** How a settings object is named in messages (and in the evidence, as the readers named it before). */
function settingsKind(doc, model) {
    if (doc.scope !== 'inline')
        return 'Claude settings';
    return model.runs.some((run) => run.inlineSettings === doc) ? 'settings input' : '--settings JSON';
}
/** Whether a project or local settings file sits in a folder copied to someone's home (a dev container image). */
function inHomeTemplate(path) {
    const at = path.lastIndexOf('.claude/');
    return (at > 0 &&
        path
            .slice(0, at)
            .split('/')
            .some((segment) => segment.startsWith('.')));
}
function modeFindings(doc, model) {
    const mode = doc.defaultMode;
    if (!mode)
        return [];
    const kind = settingsKind(doc, model);
    if (!isPermissionMode(mode.value)) {
        const message = `"${mode.value}" is not a permission mode (expected one of ${PERMISSION_MODES.join(', ')})`;
        const spelled = modeMisspelled(mode.value);
        let fix = 'Write one of those modes, or remove the key.';
        if (spelled === 'bypassPermissions')
            fix =
                'Modes are case-sensitive: Claude Code knows "bypassPermissions", which turns every permission check ' +
                    'off; prefer "acceptEdits", or "dontAsk" for unattended runs.';
        else if (spelled)
            fix = `Modes are case-sensitive: write "${spelled}".`;
        const f = {
            span: mode.span,
            message: `${kind}: ${message}. Claude Code ignores the setting and starts in the default mode. ${fix}`,
            evidence: `${kind}:${message}`,
        };
        if (spelled && spelled !== 'bypassPermissions')
            f.edit = { expect: mode.value, replacement: spelled };
        return [f];
    }
    if (modeIgnoredInScope(mode.value, doc.scope) && !inHomeTemplate(doc.path)) {
        return [
            {
                span: mode.span,
                severity: 'low',
                message: `${kind}: defaultMode "auto" is not taken from a project's own settings files. Claude Code (v2.1.142 ` +
                    'and later) ignores it there and starts in the default mode. Set it in user settings ' +
                    '(~/.claude/settings.json) or start Claude with --permission-mode auto.',
                evidence: `${kind}:defaultMode auto ignored in ${doc.scope} settings`,
            },
        ];
    }
    return [];
}
function serverFindings(server) {
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
                message: `MCP config: server "${name}" says "type": "stdio" but has a url and no command. Claude Code cannot ` +
                    'start it and skips it. Write "type": "http" (or "sse") for a remote server.',
                evidence: `MCP config:server "${name}" is stdio with a url and no command`,
            },
        ];
    }
    return [];
}
/** Every permission rule Claude would match tool uses against: settings lists, command lines, front matter. */
function listedRules(model) {
    const out = [];
    const add = (rules, list, origin) => {
        const siblings = new Set(rules.map((r) => r.value.raw.trim()));
        for (const rule of rules)
            out.push({ rule, list, origin, siblings });
    };
    for (const doc of model.settings) {
        const where = doc.scope === 'inline' ? `the ${settingsKind(doc, model)}` : doc.path;
        for (const list of ['allow', 'ask', 'deny'])
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
const UNCONSULTED = new Map([
    ['allow', 'it pre-approves nothing'],
    ['ask', 'it makes Claude ask about nothing'],
    ['deny', 'it blocks nothing'],
]);
function toolRuleFindings({ rule, list, origin, siblings }) {
    const { raw, tool } = rule.value;
    const written = raw.trim();
    const consulted = (0,tool_rule/* unconsultedPathRule */.E6)(rule.value);
    if (consulted) {
        const replacement = raw.replace(tool, consulted);
        const covered = siblings.has(replacement.trim());
        const covers = consulted === 'Edit'
            ? 'file edits are checked against Edit(…) rules only, and an Edit rule covers every file-editing tool'
            : 'file reads are checked against Read(…) rules only, and a Read rule covers the built-in tools that read files';
        const fix = covered
            ? `"${replacement.trim()}" in the same list already does what it meant: delete it.`
            : `Write "${replacement.trim()}" instead.`;
        const f = {
            span: rule.span,
            message: `"${written}" in ${origin} is a path rule on ${rule.value.canonical}, which Claude Code accepts but ` +
                `never consults: ${covers}, so ${UNCONSULTED.get(list)}. ${fix}`,
            evidence: `unconsulted-path-rule:${list}:${written}`,
        };
        if (!covered)
            f.edit = { expect: raw, replacement };
        // Skipped in allow, Claude asks instead: nothing is exposed. Skipped in ask or deny, a guard is missing.
        if (list === 'allow')
            f.severity = 'low';
        return [f];
    }
    if (list === 'allow' && (0,tool_rule/* isUnanchoredToolGlob */.QC)(rule.value)) {
        return [
            {
                span: rule.span,
                severity: 'low',
                message: `"${written}" in ${origin} names tools with a glob that does not start with a literal ` +
                    'mcp__<server>__. Claude Code skips such an allow rule (with a warning), so it pre-approves nothing. ' +
                    'Name the tools, or one server\'s tools as mcp__<server>__*; globs such as "*" and "mcp__*" work only ' +
                    'in ask and deny.',
                evidence: `unanchored-allow-glob:${written}`,
            },
        ];
    }
    return [];
}
const invalidConfig = {
    meta: {
        id: 'CG901',
        name: 'invalid-config',
        severity: 'medium',
        summary: 'A Claude Code file, or a part of one, that Claude Code would reject or silently ignore: invalid JSON, ' +
            'comments in settings, an unknown `defaultMode`, an MCP `url` without `type`, path rules on `Write(…)`, ' +
            'unanchored allow globs; files that cannot be parsed.',
        rationale: 'Claude Code reads `.claude/settings.json` as strict JSON: a comment or a trailing comma makes it ' +
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
        fix: 'Make the file valid: strict JSON for Claude settings and `.mcp.json` (no comments, no trailing commas), ' +
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
                content: ['{', '  "mcpServers": { "docs": { "url": "https://mcp.example.com/mcp" } }', '}', ''].join('\n'),
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

;// CONCATENATED MODULE: ./lib/rules/CG902-expired-exception.js
/** Reported by the verdict stage, where suppressions meet findings (src/policy/suppress.ts); `check` finds nothing. */
const expiredException = {
    meta: {
        id: 'CG902',
        name: 'expired-exception',
        severity: 'high',
        summary: 'A policy exception or an inline suppression whose last day (`expires:`, `until=`) has passed: it no longer suppresses, and the finding it covered counts again.',
        rationale: 'An exception is a decision with a date on it: accepted until someone looks again. When the day passes, claude-guard does not keep hiding the finding — it reports it as it would without the exception, and this finding says which exception lapsed, who owns it and why it was granted, so the owner renews it on purpose or fixes the cause. A date that silently stops mattering is how exceptions rot.',
        fix: 'Fix what the exception covered, or renew it with a new `expires:` (`until=`) after reviewing the reason; remove it when it is no longer needed.',
        bad: [
            {
                path: 'Dockerfile',
                note: 'An inline suppression that ended in 2020: it is reported, and the finding below it counts again.',
                content: 'FROM node:20\nRUN npm install -g @anthropic-ai/claude-code@1.0.100\n# claude-guard: ignore[CG402] reason="legacy image" until=2020-01-31\nUSER root\nCMD ["claude", "-p", "review"]\n',
                lines: [3],
            },
            {
                path: '.github/workflows/sandbox.yml',
                note: 'A policy exception for CG101 that ended in 2020: reported on each finding it covered.',
                policy: 'version: 1\nexceptions:\n  - rule: CG101\n    paths: [".github/workflows/sandbox.yml"]\n    reason: "throwaway VM"\n    owner: "@acme/platform"\n    expires: 2020-03-31\n',
                content: 'on: workflow_dispatch\npermissions: { contents: read }\njobs:\n  run:\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n      - run: claude -p "tidy" --dangerously-skip-permissions --max-turns 3\n        env: { ANTHROPIC_API_KEY: "${{ secrets.ANTHROPIC_API_KEY }}" }\n',
                lines: [8],
            },
        ],
        good: [
            {
                path: 'Dockerfile',
                note: 'A suppression that runs until 2999 still suppresses.',
                content: 'FROM node:20\nRUN npm install -g @anthropic-ai/claude-code@1.0.100\n# claude-guard: ignore[CG402] reason="legacy image" until=2999-01-31\nUSER root\nCMD ["claude", "-p", "review"]\n',
            },
        ],
    },
    check: () => [],
};

;// CONCATENATED MODULE: ./lib/rules/CG903-unused-suppression.js
/** Reported by the verdict stage, where suppressions meet findings (src/policy/suppress.ts); `check` finds nothing. */
const unusedSuppression = {
    meta: {
        id: 'CG903',
        name: 'unused-suppression',
        severity: 'low',
        summary: 'A suppression that suppresses nothing: no finding of its rule on the line it covers, a rule id that does not exist, a rule locked by the organisation policy, inline suppressions turned off by the policy, or a policy exception that matches no finding.',
        rationale: 'A suppression left behind after its finding is fixed is a blank cheque: the next problem of that rule on that line would be hidden without anyone deciding so. One that names a wrong rule id, or a rule the organisation locked, never did what its author believed. Saying so keeps the list of accepted risks equal to the risks actually accepted.',
        fix: 'Remove the suppression, or correct its rule id; for a locked rule, ask the owners of the organisation policy for an exception there.',
        bad: [
            {
                path: 'scripts/review.sh',
                note: 'The suppression names CG101, but the line below has no CG101 finding.',
                content: '#!/bin/sh\n# claude-guard: ignore[CG101] reason="sandboxed"\nclaude -p "review the diff" --max-turns 3\n',
                lines: [2],
            },
        ],
        good: [
            {
                path: 'scripts/review.sh',
                note: 'The suppression covers the CG101 finding on its line.',
                content: '#!/bin/sh\nclaude -p "review" --dangerously-skip-permissions  # claude-guard: ignore[CG101] reason="runs in a throwaway VM"\n',
            },
        ],
    },
    check: () => [],
};

;// CONCATENATED MODULE: ./lib/rules/CG904-unexplained-suppression.js
/** Reported by the verdict stage, where suppressions meet findings (src/policy/suppress.ts); `check` finds nothing. */
const unexplainedSuppression = {
    meta: {
        id: 'CG904',
        name: 'unexplained-suppression',
        severity: 'low',
        summary: 'An inline suppression that does not say what the policy asks of it — a reason (`reason="…"`, asked by default), an owner or an expiry when the policy requires them, a rule id, a real `until=` date: it does not apply.',
        rationale: 'A suppression is read later by someone who did not write it. Without a reason they cannot tell an accepted risk from a silenced alarm, without an owner they cannot ask, and without an expiry nobody ever looks again. A suppression that lacks what the policy requires therefore does not suppress: the finding it meant to hide still counts, and this finding says what is missing.',
        fix: 'Complete the comment: `# claude-guard: ignore[CG103] reason="why this is acceptable" owner="@team" until=YYYY-MM-DD`.',
        bad: [
            {
                path: 'scripts/review.sh',
                note: 'No reason: the suppression does not apply, and CG101 is still reported on the same line.',
                content: '#!/bin/sh\nclaude -p "review" --dangerously-skip-permissions  # claude-guard: ignore[CG101]\n',
                lines: [2],
            },
        ],
        good: [
            {
                path: 'scripts/review.sh',
                note: 'A reason is given: the CG101 finding is suppressed.',
                content: '#!/bin/sh\n# claude-guard: ignore[CG101] reason="runs in a throwaway VM"\nclaude -p "review" --dangerously-skip-permissions\n',
            },
        ],
    },
    check: () => [],
};

;// CONCATENATED MODULE: ./lib/rules/registry.js




































/** Every rule, in id order. Docs pages and `claude-guard rules` are generated from this list. */
const RULES = [
    dangerousMode,
    unscopedShell,
    shellEscapeHatch,
    wildcardGrant,
    grantExceedsEnvironment,
    forbiddenTool,
    unscopedWrite,
    bypassNotDisabled,
    hardcodedSecret,
    secretOnCommandLine,
    mcpLiteralCredential,
    committedLocalConfig,
    tlsVerificationDisabled,
    insecureEndpoint,
    endpointOverride,
    sensitiveDirectory,
    privilegedRun,
    untrustedTrigger,
    excessiveTokenPermissions,
    unpinnedClaude,
    noRunLimits,
    verboseCiOutput,
    ciPolicyRequirement,
    legacyActionInputs,
    agentOutputToShell,
    persistedCheckoutCredentials,
    lookalikeAgentAction,
    unpinnedMcpServer,
    autoApprovedMcp,
    mcpServerNotAllowed,
    riskyHook,
    untrustedPluginSource,
    invalidConfig,
    expiredException,
    unusedSuppression,
    unexplainedSuppression,
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
    'CG508',
    'CG509',
    'CG510',
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


/***/ }),

/***/ 1739:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D3: () => (/* binding */ conditionText),
/* harmony export */   YK: () => (/* binding */ parseExpression),
/* harmony export */   gA: () => (/* binding */ refsOf)
/* harmony export */ });
/**
 * GitHub Actions expressions (`github.event.comment.author_association == 'OWNER'`, `contains(fromJSON('[…]'),
 * github.actor)`): the text inside `${{ … }}` or an `if:` condition, parsed into a tree. Knows the grammar and
 * nothing about what a context means.
 */
/** Longer than any condition a person writes; a hostile file gets `undefined`, not a slow parse. */
const MAX_TOKENS = 4000;
const MAX_DEPTH = 64;
function tokenize(text) {
    const out = [];
    let i = 0;
    while (i < text.length) {
        if (out.length > MAX_TOKENS)
            return undefined;
        const c = text[i];
        if (/\s/.test(c)) {
            i++;
            continue;
        }
        if (c === "'") {
            let v = '';
            let j = i + 1;
            for (;;) {
                if (j >= text.length)
                    return undefined;
                if (text[j] === "'") {
                    if (text[j + 1] === "'") {
                        v += "'";
                        j += 2;
                        continue;
                    }
                    break;
                }
                v += text[j];
                j++;
            }
            out.push({ t: 'str', v });
            i = j + 1;
            continue;
        }
        const two = text.slice(i, i + 2);
        if (['==', '!=', '<=', '>=', '&&', '||'].includes(two)) {
            out.push({ t: 'op', v: two });
            i += 2;
            continue;
        }
        if ('()[].,!<>*'.includes(c)) {
            out.push({ t: 'op', v: c });
            i++;
            continue;
        }
        const number = /^(0x[0-9a-f]+|-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?)/i.exec(text.slice(i, i + 64));
        if (number && (out.length === 0 || out[out.length - 1]?.v !== '.')) {
            out.push({ t: 'num', v: Number(number[0]) });
            i += number[0].length;
            continue;
        }
        const id = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i, i + 256));
        if (id) {
            out.push({ t: 'id', v: id[0] });
            i += id[0].length;
            continue;
        }
        return undefined;
    }
    return out;
}
class Parser {
    tokens;
    at = 0;
    depth = 0;
    constructor(tokens) {
        this.tokens = tokens;
    }
    parse() {
        const e = this.or();
        return this.at === this.tokens.length ? e : undefined;
    }
    peek(v) {
        const t = this.tokens[this.at];
        return t !== undefined && t.t === 'op' && t.v === v;
    }
    take(v) {
        if (!this.peek(v))
            return false;
        this.at++;
        return true;
    }
    expect(v) {
        if (!this.take(v))
            throw new SyntaxError(`expected ${v}`);
    }
    nested(f) {
        if (++this.depth > MAX_DEPTH)
            throw new SyntaxError('too deep');
        try {
            return f();
        }
        finally {
            this.depth--;
        }
    }
    or() {
        return this.nested(() => {
            let left = this.and();
            while (this.take('||'))
                left = { kind: 'binary', op: '||', left, right: this.and() };
            return left;
        });
    }
    and() {
        let left = this.equality();
        while (this.take('&&'))
            left = { kind: 'binary', op: '&&', left, right: this.equality() };
        return left;
    }
    equality() {
        let left = this.comparison();
        for (;;) {
            const op = this.take('==') ? '==' : this.take('!=') ? '!=' : undefined;
            if (!op)
                return left;
            left = { kind: 'binary', op, left, right: this.comparison() };
        }
    }
    comparison() {
        let left = this.unary();
        for (;;) {
            const op = ['<=', '>=', '<', '>'].find((o) => this.take(o));
            if (!op)
                return left;
            left = { kind: 'binary', op, left, right: this.unary() };
        }
    }
    unary() {
        if (this.take('!'))
            return this.nested(() => ({ kind: 'not', operand: this.unary() }));
        return this.postfix();
    }
    postfix() {
        let e = this.primary();
        for (;;) {
            if (this.take('.')) {
                const t = this.tokens[this.at++];
                const name = t?.t === 'id' ? t.v : t?.t === 'op' && t.v === '*' ? '*' : undefined;
                if (name === undefined)
                    throw new SyntaxError('expected a property name');
                e =
                    e.kind === 'ref'
                        ? { kind: 'ref', path: `${e.path}.${name.toLowerCase()}` }
                        : { kind: 'opaque', parts: [e] };
                continue;
            }
            if (this.take('[')) {
                const index = this.peek('*') ? (this.at++, { kind: 'literal', value: '*' }) : this.or();
                this.expect(']');
                const name = index.kind === 'literal' && typeof index.value === 'string'
                    ? index.value.toLowerCase()
                    : index.kind === 'literal' && typeof index.value === 'number'
                        ? String(index.value)
                        : undefined;
                e =
                    e.kind === 'ref' && name !== undefined
                        ? { kind: 'ref', path: `${e.path}.${name}` }
                        : { kind: 'opaque', parts: [e, index] };
                continue;
            }
            return e;
        }
    }
    primary() {
        const t = this.tokens[this.at++];
        if (!t)
            throw new SyntaxError('unexpected end');
        if (t.t === 'str' || t.t === 'num')
            return { kind: 'literal', value: t.v };
        if (t.t === 'op') {
            if (t.v !== '(')
                throw new SyntaxError(`unexpected ${t.v}`);
            const e = this.or();
            this.expect(')');
            return e;
        }
        const word = t.v.toLowerCase();
        if (word === 'true' || word === 'false')
            return { kind: 'literal', value: word === 'true' };
        if (word === 'null')
            return { kind: 'literal', value: null };
        if (this.take('(')) {
            const args = [];
            if (!this.take(')')) {
                do
                    args.push(this.or());
                while (this.take(','));
                this.expect(')');
            }
            return { kind: 'call', name: word, args };
        }
        return { kind: 'ref', path: word };
    }
}
/** The tree of an expression, or `undefined` when it does not parse. */
function parseExpression(text) {
    const tokens = tokenize(text);
    if (!tokens || tokens.length === 0)
        return undefined;
    try {
        return new Parser(tokens).parse();
    }
    catch (e) {
        if (e instanceof SyntaxError)
            return undefined;
        throw e;
    }
}
/**
 * The expression an `if:` holds: its text, or the inside of `${{ … }}` when that is the whole value (GitHub
 * reads both the same). `undefined` when the value mixes text and `${{ … }}` (then it is a non-empty string,
 * always true).
 */
function conditionText(value) {
    const trimmed = value.trim();
    const open = trimmed.indexOf('${{');
    if (open < 0)
        return trimmed;
    if (open !== 0 || !trimmed.endsWith('}}') || trimmed.indexOf('${{', 3) >= 0)
        return undefined;
    return trimmed.slice(3, -2);
}
/**
 * Every context path the expression reads, in order, also inside calls and what a member or index is taken of
 * (`fromJSON(steps.a.outputs.b).label` reads `steps.a.outputs.b`).
 */
function refsOf(e) {
    const out = [];
    const walk = (x) => {
        if (x.kind === 'ref')
            out.push(x.path);
        else if (x.kind === 'call')
            x.args.forEach(walk);
        else if (x.kind === 'not')
            walk(x.operand);
        else if (x.kind === 'opaque')
            x.parts?.forEach(walk);
        else if (x.kind === 'binary') {
            walk(x.left);
            walk(x.right);
        }
    };
    walk(e);
    return out;
}


/***/ })

};
