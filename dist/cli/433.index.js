export const id = 433;
export const ids = [433];
export const modules = {

/***/ 8433:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SCAN_OPTIONS: () => (/* binding */ SCAN_OPTIONS),
/* harmony export */   startEarly: () => (/* binding */ startEarly)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7975);
/* harmony import */ var _fs_list_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9683);
/* harmony import */ var _model_needles_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7889);




/** The options of `claude-guard scan`, shared by the early start below and the command itself. */
const SCAN_OPTIONS = {
    policy: { type: 'string' },
    format: { type: 'string', short: 'f', default: 'text' },
    output: { type: 'string', short: 'o' },
    'fail-on': { type: 'string' },
    ignore: { type: 'string', multiple: true },
};
/**
 * Starts git listing and searching the folder a `scan` names before the rest of the scanner loads, so that
 * git's work and Node's module loading overlap. Undefined when the arguments do not parse (the command
 * itself then reports the mistake).
 */
function startEarly(args, cwd) {
    try {
        const { positionals } = (0,node_util__WEBPACK_IMPORTED_MODULE_1__.parseArgs)({ args, allowPositionals: true, strict: true, options: SCAN_OPTIONS });
        if (positionals.length > 1)
            return undefined;
        const root = (0,node_path__WEBPACK_IMPORTED_MODULE_0__.resolve)(cwd, positionals[0] ?? '.');
        return { root, plan: (0,_fs_list_js__WEBPACK_IMPORTED_MODULE_2__/* .gitPlan */ .gH)(root, _model_needles_js__WEBPACK_IMPORTED_MODULE_3__/* .CONTENT_NEEDLES */ .b) };
    }
    catch {
        return undefined;
    }
}


/***/ }),

/***/ 9683:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CS: () => (/* binding */ listFiles),
/* harmony export */   gH: () => (/* binding */ gitPlan)
/* harmony export */ });
/* unused harmony export grepFiles */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var ignore__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(298);




/**
 * Settings for every git command run on a scanned folder. Its `.git/config` belongs to whoever handed us
 * the folder: `core.fsmonitor` there names a program git would run (and wait for) on `ls-files`, so it is
 * switched off; nothing else git reads while listing or grepping runs a program.
 */
const GIT_SAFE = ['-c', 'core.fsmonitor=false', '-c', 'core.quotepath=off'];
function git(root, args) {
    return new Promise((resolve) => {
        (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.execFile)('git', [...GIT_SAFE, ...args], { cwd: root, maxBuffer: 1 << 30, encoding: 'utf8', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } }, (error, stdout) => {
            // `git grep` exits 1 when nothing matches.
            if (error && !(args[0] === 'grep' && error.code === 1))
                resolve(undefined);
            else
                resolve(stdout.split('\0').filter((f) => f.length > 0));
        });
    });
}
async function walk(root) {
    const files = [];
    const visit = async (dir, rules) => {
        let entries;
        try {
            entries = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, dir), { withFileTypes: true });
        }
        catch {
            return;
        }
        const here = [...rules];
        if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
            const text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, dir, '.gitignore'), 'utf8').catch(() => '');
            here.push({ base: dir, ig: ignore__WEBPACK_IMPORTED_MODULE_3__().add(text) });
        }
        // As git does: the deepest .gitignore with a rule for the path decides, so `!keep.log` in a sub-folder
        // re-includes what a parent's `*.log` excluded.
        const ignored = (rel, isDir) => {
            for (let k = here.length - 1; k >= 0; k--) {
                const { base, ig } = here[k];
                const inner = base ? rel.slice(base.length + 1) : rel;
                if (inner.length === 0)
                    continue;
                const verdict = ig.test(isDir ? `${inner}/` : inner);
                if (verdict.ignored)
                    return true;
                if (verdict.unignored)
                    return false;
            }
            return false;
        };
        for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
            const rel = dir ? `${dir}/${entry.name}` : entry.name;
            if (entry.name === '.git')
                continue;
            if (entry.isDirectory()) {
                if (!ignored(rel, true))
                    await visit(rel, here);
            }
            else if ((entry.isFile() || entry.isSymbolicLink()) && !ignored(rel, false))
                files.push(rel);
        }
    };
    await visit('', []);
    return files;
}
/**
 * The files of a folder, `/`-separated and relative to it: `git ls-files` (tracked and untracked but not
 * ignored) inside a git checkout, else a walk that honours every `.gitignore` on the way.
 */
async function listFiles(root) {
    // Tracked files come at once from the index; untracked ones need a walk of the tree, run alongside.
    const [tracked, untracked] = await Promise.all([
        git(root, ['ls-files', '-z']),
        git(root, ['ls-files', '-z', '--others', '--exclude-standard']),
    ]);
    // A folder git ignores lists nothing; walk it instead of reporting an empty repository.
    if (tracked && untracked && tracked.length + untracked.length > 0) {
        return {
            files: [...new Set([...tracked, ...untracked])].sort(),
            via: 'git',
            untracked: new Set(untracked),
        };
    }
    return { files: (await walk(root)).sort(), via: 'walk', untracked: new Set() };
}
/**
 * Tracked files under `root` whose text holds any of `needles`, from `git grep` (without `-I`, which costs
 * more than it saves: a binary file it lists is seen to be binary when read), given to `onMatch` as git prints them, so they can be read while it still searches. Resolves to false
 * when git failed (then nothing it reported can be trusted to be complete).
 */
function grepFiles(root, needles, onMatch) {
    const args = [...GIT_SAFE, 'grep', '-l', '-z', '-F', '--no-color'];
    for (const needle of needles)
        args.push('-e', needle);
    return new Promise((resolve) => {
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)('git', args, {
            cwd: root,
            env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
            stdio: ['ignore', 'pipe', 'ignore'],
        });
        let rest = '';
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk) => {
            const parts = (rest + chunk).split('\0');
            rest = parts.pop() ?? '';
            for (const path of parts)
                if (path.length > 0)
                    onMatch(path);
        });
        child.on('error', () => resolve(false));
        // Exit status 1 is "no match".
        child.on('close', (code) => resolve(code === 0 || code === 1));
    });
}
async function gitPlan(root, needles) {
    const walking = git(root, ['ls-files', '-z', '--others', '--exclude-standard']);
    const untracked = () => walking;
    const found = [];
    let listener;
    const searched = grepFiles(root, needles, (path) => {
        found.push(path);
        listener?.(path);
    });
    const tracked = await git(root, ['ls-files', '-z']);
    if (!tracked)
        return undefined;
    if (tracked.length === 0 && ((await untracked()) ?? []).length === 0)
        return undefined;
    return {
        // Sorted by git; an unmerged path is listed once per stage.
        tracked: tracked.filter((p, i) => p !== tracked[i - 1]),
        untracked: async () => (await untracked()) ?? [],
        matches: (onMatch) => {
            for (const path of found)
                onMatch(path);
            listener = onMatch;
            return searched;
        },
    };
}


/***/ }),

/***/ 7889:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   b: () => (/* binding */ CONTENT_NEEDLES)
/* harmony export */ });
/* harmony import */ var _secret_patterns_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4501);

/** What makes a file worth reading beyond its name: Claude named in it, or a credential's fixed part. */
const CONTENT_NEEDLES = ['claude', ..._secret_patterns_js__WEBPACK_IMPORTED_MODULE_0__/* .SECRET_NEEDLES */ .cM];


/***/ }),

/***/ 4501:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $l: () => (/* binding */ maskSecret),
/* harmony export */   BV: () => (/* binding */ mayHold),
/* harmony export */   E$: () => (/* binding */ redact),
/* harmony export */   E6: () => (/* binding */ placeholderReason),
/* harmony export */   XN: () => (/* binding */ SECRET_PATTERNS),
/* harmony export */   cM: () => (/* binding */ SECRET_NEEDLES),
/* harmony export */   xv: () => (/* binding */ secretRanges)
/* harmony export */ });
const SECRET_PATTERNS = [
    {
        kind: 'anthropic-api-key',
        label: 'Anthropic API key',
        regex: /sk-ant-api\d\d-([A-Za-z0-9_-]+)/g,
        needles: ['sk-ant-'],
        minBody: 40,
        prefix: (m) => m.slice(0, m.indexOf('-', 7) + 1),
    },
    {
        kind: 'anthropic-admin-key',
        label: 'Anthropic admin API key',
        regex: /sk-ant-admin\d\d-([A-Za-z0-9_-]+)/g,
        needles: ['sk-ant-'],
        minBody: 40,
        prefix: (m) => m.slice(0, m.indexOf('-', 7) + 1),
    },
    {
        kind: 'anthropic-oauth-token',
        label: 'Claude OAuth token',
        regex: /sk-ant-o[ar]t\d\d-([A-Za-z0-9_-]+)/g,
        needles: ['sk-ant-'],
        minBody: 40,
        prefix: (m) => m.slice(0, m.indexOf('-', 7) + 1),
    },
    {
        kind: 'github-token',
        label: 'GitHub token',
        regex: /\b(?:gh[pousr]_([A-Za-z0-9]{36,251})|github_pat_([A-Za-z0-9_]{70,251}))\b/g,
        needles: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
        minBody: 36,
        prefix: (m) => (m.startsWith('github_pat_') ? 'github_pat_' : m.slice(0, 4)),
    },
    {
        kind: 'aws-access-key',
        label: 'AWS access key id',
        regex: /\b(?:AKIA|ASIA)([A-Z0-9]{16})\b/g,
        needles: ['AKIA', 'ASIA'],
        minBody: 16,
        prefix: (m) => m.slice(0, 4),
    },
    {
        kind: 'private-key',
        label: 'private key',
        regex: /-----BEGIN ((?:[A-Z]+ )*)PRIVATE KEY-----([A-Za-z0-9+/=\s\\]{64,16384}?)-----END (?:[A-Z]+ )*PRIVATE KEY-----/g,
        needles: ['PRIVATE KEY-----'],
        minBody: 64,
        prefix: () => '-----BEGIN PRIVATE KEY-----',
    },
];
/** Words that make a placeholder when they stand alone between separators, as in `your-key-here`. */
function mayHold(pattern, text) {
    return pattern.needles.some((n) => text.includes(n));
}
/** Every fixed string some credential pattern needs. */
const SECRET_NEEDLES = [...new Set(SECRET_PATTERNS.flatMap((p) => p.needles))];
const PLACEHOLDER_WORDS = /(^|[-_])(your|here|placeholder|redacted|replace|insert|changeme|dummy)([-_]|$)/i;
/**
 * Why a credential-shaped string is not a real credential, or undefined when it may be one. Real keys are
 * long and random; documentation writes `sk-ant-api03-xxxx`, `sk-ant-api03-...`, `…-your-key-here`.
 */
function placeholderReason(pattern, match, body) {
    if (pattern.kind === 'aws-access-key' && /EXAMPLE/.test(match))
        return "AWS's documented example key";
    const random = body.replace(/\s|\\n/g, '');
    if (random.length < pattern.minBody)
        return 'too short to be a real credential';
    if (PLACEHOLDER_WORDS.test(random))
        return 'written as a placeholder';
    if (/(.)\1{7,}/.test(random))
        return 'a long run of one character';
    if (hasRun(random, 8))
        return 'a run of consecutive characters (abcdefgh, 12345678)';
    if (new Set(random).size < 10)
        return 'too few distinct characters';
    return undefined;
}
/** The masked form shown in reports: the public prefix, never any of the random part. */
function maskSecret(pattern, match) {
    return `${pattern.prefix(match)}${'*'.repeat(8)}`;
}
/** True when `text` has `length` characters in a row, each the one after the last (`abcd…`, `1234…`). */
function hasRun(text, length) {
    let run = 1;
    for (let i = 1; i < text.length; i++) {
        run = text.charCodeAt(i) === text.charCodeAt(i - 1) + 1 ? run + 1 : 1;
        if (run >= length)
            return true;
    }
    return false;
}
/** Where credential-shaped strings are in a text, as [start, end) offsets. */
function secretRanges(text) {
    const ranges = [];
    for (const pattern of SECRET_PATTERNS) {
        if (!mayHold(pattern, text))
            continue;
        for (const m of text.matchAll(pattern.regex))
            ranges.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
    }
    return ranges;
}
/** Replaces every credential-shaped string in a text with its masked form, placeholders included. */
function redact(text) {
    let out = text;
    for (const pattern of SECRET_PATTERNS) {
        if (!mayHold(pattern, out))
            continue;
        out = out.replace(pattern.regex, (m) => maskSecret(pattern, m));
    }
    // A private key's body is masked even when the line holds only part of it.
    return out;
}


/***/ })

};
