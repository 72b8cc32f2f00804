export const id = 433;
export const ids = [433];
export const modules = {

/***/ 8433:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   INVENTORY_OPTIONS: () => (/* binding */ INVENTORY_OPTIONS),
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
    'sarif-category': { type: 'string' },
    baseline: { type: 'string' },
};
/** The options of `claude-guard inventory`. */
const INVENTORY_OPTIONS = {
    policy: { type: 'string' },
    format: { type: 'string', short: 'f', default: 'text' },
    output: { type: 'string', short: 'o' },
    ignore: { type: 'string', multiple: true },
};
/**
 * Starts git listing and searching the folder a `scan` or `inventory` names before the rest of the scanner
 * loads, so that git's work and Node's module loading overlap. Undefined when the arguments do not parse (the
 * command itself then reports the mistake).
 */
function startEarly(args, cwd, command = 'scan') {
    const options = command === 'inventory' ? INVENTORY_OPTIONS : SCAN_OPTIONS;
    try {
        const { positionals } = (0,node_util__WEBPACK_IMPORTED_MODULE_1__.parseArgs)({ args, allowPositionals: true, strict: true, options });
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
/* unused harmony exports isInsidePath, GIT_TIMEOUT_MS, MAX_GITIGNORE_BYTES, MAX_GITIGNORE_DEPTH, readAtCommit */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8161);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6760);
/* harmony import */ var ignore__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(298);
/* harmony import */ var _names_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(3259);
/* harmony import */ var _read_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(9495);








/**
 * A path git reported that names a file inside the scanned folder: relative, `/`-separated, with no empty,
 * `.`, `..` or `.git` step. A hand-made index can list anything; such a path is never read or printed.
 */
function isInsidePath(path) {
    return !BAD_STEP.test(path);
}
/** An empty step (also a leading or trailing `/`, or an empty path), `.`, `..` or `.git` in any case; a NUL. */
const BAD_STEP = /(?:^|\/)(?:\.\.?|\.[gG][iI][tT])?(?:\/|$)|\0/;
const MAX_EXCLUDE_BYTES = 128 * 1024;
/**
 * The repository holding `realRoot`: the nearest folder with a real `.git` folder (not a file or link),
 * never looking up into a folder of GIT_CEILING_DIRECTORIES, as git would not.
 */
function repositoryOf(realRoot) {
    const ceilings = new Set((process.env.GIT_CEILING_DIRECTORIES ?? '').split(':').filter((d) => d.startsWith('/')));
    for (let dir = realRoot;; dir = (0,node_path__WEBPACK_IMPORTED_MODULE_4__.dirname)(dir)) {
        let info;
        try {
            info = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dir, '.git'));
        }
        catch {
            info = undefined;
        }
        // A `.git` file (worktrees, submodules) or link points elsewhere, and a folder without what git needs
        // of a repository (HEAD, objects/, refs/) is none: the folder is walked instead.
        if (info)
            return info.isDirectory() && looksLikeRepository((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dir, '.git')) ? dir : undefined;
        if ((0,node_path__WEBPACK_IMPORTED_MODULE_4__.dirname)(dir) === dir || ceilings.has((0,node_path__WEBPACK_IMPORTED_MODULE_4__.dirname)(dir)))
            return undefined;
    }
}
function looksLikeRepository(dotGit) {
    try {
        return ((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dotGit, 'HEAD')).isFile() &&
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dotGit, 'objects')).isDirectory() &&
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dotGit, 'refs')).isDirectory());
    }
    catch {
        return false;
    }
}
/** The bytes of a regular file that is not a symlink, up to `max`; undefined otherwise. */
function readRegular(path, max) {
    let fd;
    try {
        fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.openSync)(path, node_fs__WEBPACK_IMPORTED_MODULE_1__.constants.O_RDONLY | (node_fs__WEBPACK_IMPORTED_MODULE_1__.constants.O_NOFOLLOW ?? 0) | (node_fs__WEBPACK_IMPORTED_MODULE_1__.constants.O_NONBLOCK ?? 0));
        const info = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.fstatSync)(fd);
        if (!info.isFile() || info.size > max)
            return undefined;
        const bytes = Buffer.alloc(info.size);
        let read = 0;
        while (read < info.size) {
            const n = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readSync)(fd, bytes, read, info.size - read, read);
            if (n === 0)
                break;
            read += n;
        }
        return bytes.subarray(0, read);
    }
    catch {
        return undefined;
    }
    finally {
        if (fd !== undefined)
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.closeSync)(fd);
    }
}
function confinedGit(realRoot) {
    const top = repositoryOf(realRoot);
    if (!top)
        return undefined;
    const dotGit = (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(top, '.git');
    const index = (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dotGit, 'index');
    let hasIndex = false;
    try {
        const info = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)(index);
        if (!info.isFile())
            return undefined;
        hasIndex = true;
    }
    catch {
        // A repository without commits has no index yet: git then lists nothing tracked.
    }
    const own = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.mkdtempSync)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)((0,node_os__WEBPACK_IMPORTED_MODULE_3__.tmpdir)(), 'claude-guard-git-'));
    try {
        const gitDir = (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(own, 'git');
        for (const d of ['objects', 'refs', 'info', 'hooks'])
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.mkdirSync)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(gitDir, d), { recursive: true });
        const empty = (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(own, 'empty');
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.writeFileSync)(empty, '');
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.writeFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(gitDir, 'HEAD'), 'ref: refs/heads/main\n');
        const quoted = (p) => `"${p.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.writeFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(gitDir, 'config'), [
            '[core]',
            '\trepositoryformatversion = 0',
            '\tbare = false',
            '\tfsmonitor = false',
            '\tuntrackedCache = false',
            '\tsplitIndex = false',
            '\tquotePath = false',
            `\texcludesFile = ${quoted(empty)}`,
            `\tattributesFile = ${quoted(empty)}`,
            `\thooksPath = ${quoted((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(gitDir, 'hooks'))}`,
            '',
        ].join('\n'));
        const exclude = readRegular((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dotGit, 'info', 'exclude'), MAX_EXCLUDE_BYTES);
        if (exclude)
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.writeFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(gitDir, 'info', 'exclude'), exclude);
        const env = {};
        // Nothing of the caller's git environment (GIT_DIR, GIT_CONFIG_*, …) reaches these commands.
        for (const [k, v] of Object.entries(process.env))
            if (!k.startsWith('GIT_'))
                env[k] = v;
        Object.assign(env, {
            GIT_DIR: gitDir,
            GIT_WORK_TREE: top,
            GIT_INDEX_FILE: hasIndex ? index : (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(gitDir, 'index'),
            GIT_CONFIG_NOSYSTEM: '1',
            GIT_CONFIG_GLOBAL: empty,
            // For a git older than 2.32, which knows no GIT_CONFIG_GLOBAL: no ~/.gitconfig to find.
            HOME: own,
            XDG_CONFIG_HOME: own,
            GIT_ATTR_NOSYSTEM: '1',
            GIT_OPTIONAL_LOCKS: '0',
            GIT_TERMINAL_PROMPT: '0',
            GIT_NO_REPLACE_OBJECTS: '1',
        });
        return { cwd: realRoot, env, dispose: () => (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync)(own, { recursive: true, force: true }) };
    }
    catch {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync)(own, { recursive: true, force: true });
        return undefined;
    }
}
/**
 * How long a git command may run. Git opens every `.gitignore` and `.gitattributes` it meets, and a named
 * pipe by that name blocks it forever; past this, git is stopped and the scan goes on without it (walking
 * the folder, reading the files itself), which only costs time.
 */
const GIT_TIMEOUT_MS = 10_000;
/** Settings every git command gets on its command line as well: they win over any file. */
const GIT_SAFE = ['-c', 'core.fsmonitor=false', '-c', 'core.quotepath=off', '-c', 'core.hooksPath=/dev/null'];
/** Runs a confined git command (with `input` on its standard input); its output, or undefined on failure. */
function gitOutput(confined, args, input) {
    return new Promise((resolve) => {
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.execFile)('git', [...GIT_SAFE, ...args], {
            cwd: confined.cwd,
            maxBuffer: 1 << 30,
            encoding: 'buffer',
            env: confined.env,
            timeout: GIT_TIMEOUT_MS,
            killSignal: 'SIGKILL',
        }, (error, stdout) => {
            // `git grep` exits 1 when nothing matches.
            if (error && !(args[0] === 'grep' && error.code === 1))
                resolve(undefined);
            else
                resolve(stdout);
        });
        // A git that exits before reading (a failure, the timeout) makes the write fail with EPIPE: that is
        // the failure already reported through the callback, never a crash.
        child.stdin?.on('error', () => undefined);
        child.stdin?.end(input);
    });
}
/** The NUL-separated names a confined git command prints. */
async function git(confined, args) {
    const out = await gitOutput(confined, args);
    return out && (0,_names_js__WEBPACK_IMPORTED_MODULE_6__/* .splitNames */ .bZ)(out);
}
/** `.gitignore` files are read up to this size; a larger one is not honoured (and so more is scanned). */
const MAX_GITIGNORE_BYTES = 128 * 1024;
/** At most this many `.gitignore` files are honoured along one path, and this many bytes of them. */
const MAX_GITIGNORE_DEPTH = 32;
const MAX_GITIGNORE_CHAIN_BYTES = 256 * 1024;
/**
 * Every file under `root`, honouring `.gitignore` files as git does. Bounded for hostile trees: a
 * `.gitignore` over 128 KiB, one deeper than 32 honoured levels, or past 256 KiB of rules along one path is
 * not honoured (a notice says so once each), so checking a path costs at most a fixed number of rules.
 */
async function walk(root, notices) {
    const files = [];
    const said = new Set();
    const note = (path, message) => {
        if (said.has(message))
            return;
        said.add(message);
        notices.push({ path, message });
    };
    const visit = async (dir, level) => {
        let entries;
        try {
            entries = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readdir)((0,_names_js__WEBPACK_IMPORTED_MODULE_6__/* .osPath */ .uk)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(root, dir)), { withFileTypes: true });
            // A name that is not UTF-8 comes back with U+FFFD in it: read the folder again as bytes.
            if (entries.some((e) => e.name.includes('\uFFFD')))
                entries = (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readdir)((0,_names_js__WEBPACK_IMPORTED_MODULE_6__/* .osPath */ .uk)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(root, dir)), { withFileTypes: true, encoding: 'buffer' })).map((e) => Object.assign(e, { name: (0,_names_js__WEBPACK_IMPORTED_MODULE_6__/* .nameFromBytes */ .Dj)(e.name) }));
        }
        catch {
            return;
        }
        let here = level;
        if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
            const rel = dir ? `${dir}/.gitignore` : '.gitignore';
            const depth = (level?.depth ?? 0) + 1;
            const bytes = readRegular((0,_names_js__WEBPACK_IMPORTED_MODULE_6__/* .osPath */ .uk)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(root, rel)), MAX_GITIGNORE_BYTES);
            // The walk enters real folders only (a link to a folder is listed, never entered), and the file is
            // opened without following a link: nothing outside the root is read.
            if (!bytes)
                note(rel, `.gitignore larger than ${MAX_GITIGNORE_BYTES / 1024} KiB not honoured`);
            else if (depth > MAX_GITIGNORE_DEPTH)
                note(rel, `.gitignore files nested deeper than ${MAX_GITIGNORE_DEPTH} levels not honoured`);
            else if ((level?.bytes ?? 0) + bytes.length > MAX_GITIGNORE_CHAIN_BYTES)
                note(rel, `.gitignore rules past ${MAX_GITIGNORE_CHAIN_BYTES / 1024} KiB along one path not honoured`);
            else {
                here = {
                    base: dir,
                    ig: ignore__WEBPACK_IMPORTED_MODULE_5__().add(bytes.toString('utf8')),
                    depth,
                    bytes: (level?.bytes ?? 0) + bytes.length,
                    parent: level,
                };
            }
        }
        // As git does: the deepest .gitignore with a rule for the path decides, so `!keep.log` in a sub-folder
        // re-includes what a parent's `*.log` excluded.
        const ignored = (rel, isDir) => {
            for (let l = here; l; l = l.parent) {
                const inner = l.base ? rel.slice(l.base.length + 1) : rel;
                if (inner.length === 0)
                    continue;
                const verdict = l.ig.test(isDir ? `${inner}/` : inner);
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
    await visit('', undefined);
    return files;
}
/** A path the index lists that git would not show, said without echoing it (it may name anything). */
const HOSTILE_INDEX = 'the git index lists paths outside the folder (a hand-made index): git is not used, every file is read';
/**
 * The files of a folder, `/`-separated and relative to it: `git ls-files` (tracked and untracked but not
 * ignored) inside a git checkout, else a walk that honours every `.gitignore` on the way.
 */
async function listFiles(root) {
    const realRoot = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.realpath)(root);
    const notices = [];
    const confined = confinedGit(realRoot);
    if (confined) {
        try {
            const [tracked, untracked] = await Promise.all([
                git(confined, ['ls-files', '-z']),
                git(confined, ['ls-files', '-z', '--others', '--exclude-standard']),
            ]);
            const all = [...(tracked ?? []), ...(untracked ?? [])];
            if (!all.every(isInsidePath))
                notices.push({ path: '.git/index', message: HOSTILE_INDEX });
            // A folder git ignores lists nothing; walk it instead of reporting an empty repository.
            else if (tracked && untracked && all.length > 0) {
                return { files: [...new Set(all)].sort(), via: 'git', untracked: new Set(untracked), notices };
            }
        }
        finally {
            confined.dispose();
        }
    }
    return { files: (await walk(root, notices)).sort(), via: 'walk', untracked: new Set(), notices };
}
/**
 * Tracked files under the folder whose text holds any of `needles`, from `git grep` (without `-I`, which
 * costs more than it saves: a binary file it lists is seen to be binary when read), given to `onMatch` as
 * git prints them, so they can be read while it still searches. `excluded` folders are not searched.
 * Resolves to false when git failed (then nothing it reported can be trusted to be complete).
 */
async function grepFiles(confined, needles, excluded, onMatch) {
    if (needles.every((n) => typeof n === 'string'))
        return (await grepOnce(confined, confined.env, ['-F', ...needles.flatMap((n) => ['-e', n])], excluded, onMatch)).complete;
    // With a regular expression among them, every needle is one (fixed strings escaped): for PCRE, which
    // costs about what fixed strings do, or, when this git was built without it, as POSIX extended
    // expressions (slower, same files). In the C locale both read bytes, whatever the files' encoding.
    const patterns = needles.flatMap((n) => [
        '-e',
        typeof n === 'string' ? n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : n.regex,
    ]);
    const env = { ...confined.env, LC_ALL: 'C' };
    const handed = new Set();
    const once = (path) => {
        if (handed.has(path))
            return;
        handed.add(path);
        onMatch(path);
    };
    const perl = await grepOnce(confined, env, ['-P', ...patterns], excluded, once);
    // Git refuses -P before it searches anything when it has no PCRE.
    if (perl.complete || perl.printed || perl.stopped)
        return perl.complete;
    return (await grepOnce(confined, env, ['-E', ...patterns], excluded, once)).complete;
}
/** One `git grep -l` run with `options` (the pattern kind and the patterns). */
function grepOnce(confined, env, options, excluded, onMatch) {
    const args = [...GIT_SAFE, 'grep', '-l', '-z', '--no-color', ...options];
    if (excluded.length > 0)
        args.push('--', '.', ...excluded.map((d) => `:(exclude,literal)${d}`));
    return new Promise((resolve) => {
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)('git', args, {
            cwd: confined.cwd,
            env,
            stdio: ['ignore', 'pipe', 'ignore'],
        });
        let stopped = false;
        let printed = false;
        const timer = setTimeout(() => {
            stopped = true;
            child.kill('SIGKILL');
        }, GIT_TIMEOUT_MS);
        let rest = Buffer.alloc(0);
        child.stdout.on('data', (chunk) => {
            printed = true;
            const bytes = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
            const end = bytes.lastIndexOf(0);
            if (end === -1) {
                rest = bytes;
                return;
            }
            rest = Buffer.from(bytes.subarray(end + 1));
            for (const path of (0,_names_js__WEBPACK_IMPORTED_MODULE_6__/* .splitNames */ .bZ)(bytes.subarray(0, end)))
                if (isInsidePath(path))
                    onMatch(path);
        });
        child.on('error', () => {
            clearTimeout(timer);
            resolve({ complete: false, printed, stopped: true });
        });
        // Exit status 1 is "no match"; killed, it has none.
        child.on('close', (code) => {
            clearTimeout(timer);
            resolve({ complete: code === 0 || code === 1, printed, stopped });
        });
    });
}
/** More folders that became symlinks than this, and git grep is not used at all. */
const MAX_EXCLUDED = 64;
/**
 * The folders of tracked files that are symlinks in the work tree (a checkout whose folders were replaced
 * after commit): git would read through them, wherever they point.
 */
function linkedFolders(root, tracked) {
    // Git lists paths sorted, so the files of a folder (and of everything under it) come together: each
    // folder is met once, right after the folder above it, and only the part of a path that differs from the
    // last folder's is new. Synchronous on purpose: 21,000 folders take about 100 ms this way, 250-500 ms as
    // promises. Nothing is looked up through a link found.
    const linked = new Set();
    const looked = new Set();
    let last = '';
    for (const path of tracked) {
        const end = path.lastIndexOf('/');
        if (end <= 0)
            continue;
        const folder = path.slice(0, end);
        if (folder === last)
            continue;
        last = folder;
        for (let i = folder.indexOf('/');; i = folder.indexOf('/', i + 1)) {
            const above = i === -1 ? folder : folder.slice(0, i);
            if (!looked.has(above)) {
                looked.add(above);
                let info;
                try {
                    info = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)((0,_names_js__WEBPACK_IMPORTED_MODULE_6__/* .osPath */ .uk)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(root, above)));
                }
                catch {
                    info = undefined;
                }
                if (info?.isSymbolicLink()) {
                    linked.add(above);
                    break;
                }
            }
            else if (linked.has(above))
                break;
            if (i === -1)
                break;
        }
    }
    return [...linked].sort();
}
async function gitPlan(root, needles) {
    const realRoot = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.realpath)(root).catch(() => undefined);
    const confined = realRoot ? confinedGit(realRoot) : undefined;
    if (!confined)
        return undefined;
    const notices = [];
    // Git walks the tree for untracked files (never following a link) while it lists the index.
    const walking = git(confined, ['ls-files', '-z', '--others', '--exclude-standard']);
    const listed = await git(confined, ['ls-files', '-z']);
    if (!listed || !listed.every(isInsidePath)) {
        void walking.finally(() => confined.dispose());
        return undefined;
    }
    // Sorted by git; an unmerged path is listed once per stage.
    const tracked = listed.filter((p, i) => p !== listed[i - 1]);
    // When git could not list them (it was stopped), the folder is walked and the tracked files taken out.
    let fallback;
    const untracked = async () => {
        const listedOthers = await walking;
        if (listedOthers)
            return listedOthers.filter(isInsidePath);
        fallback ??= (async () => {
            notices.push({
                path: '.',
                message: 'git could not list the untracked files in time: the folder was walked',
            });
            const known = new Set(tracked);
            const all = await walk(confined.cwd, notices);
            return all.filter((p) => !known.has(p));
        })();
        return fallback;
    };
    if (tracked.length === 0 && (await untracked()).length === 0) {
        confined.dispose();
        return undefined;
    }
    const linked = linkedFolders(confined.cwd, tracked);
    for (const folder of linked.slice(0, MAX_EXCLUDED))
        notices.push({ path: folder, message: 'a tracked folder is a symlink: git does not search it' });
    const found = [];
    let listener;
    // A pathspec is text: a folder named with bytes that are not UTF-8 could not be excluded exactly.
    const searched = linked.length > MAX_EXCLUDED || linked.some(_names_js__WEBPACK_IMPORTED_MODULE_6__/* .hasRawBytes */ .Cb)
        ? Promise.resolve(false)
        : grepFiles(confined, needles, linked, (path) => {
            found.push(path);
            listener?.(path);
        });
    void searched.then((complete) => {
        if (!complete && linked.length <= MAX_EXCLUDED && !linked.some(_names_js__WEBPACK_IMPORTED_MODULE_6__/* .hasRawBytes */ .Cb))
            notices.push({ path: '.', message: 'git grep failed or was stopped: every tracked file was read' });
    });
    void Promise.all([searched, walking]).finally(() => confined.dispose());
    return {
        tracked,
        untracked,
        matches: (onMatch) => {
            for (const path of found)
                onMatch(path);
            listener = onMatch;
            return searched;
        },
        notices,
    };
}
/** A repository's object store is read only when it holds at most this many entries (a fresh checkout: few). */
const MAX_OBJECT_ENTRIES = 20_000;
/**
 * Whether git may read the object store of the repository at `top`: a real `.git/objects` folder holding
 * only real folders and regular files (no symlink that would lead git outside), and no `info/alternates`,
 * which names other object stores anywhere.
 */
function objectStoreIsOwn(top) {
    const objects = join(top, '.git', 'objects');
    let seen = 0;
    const visit = (dir) => {
        let entries;
        try {
            if (!lstatSync(dir).isDirectory())
                return false;
            entries = readdirSync(dir, { withFileTypes: true });
        }
        catch {
            return false;
        }
        for (const e of entries) {
            if (++seen > MAX_OBJECT_ENTRIES)
                return false;
            if (e.isDirectory()) {
                if (!visit(join(dir, e.name)))
                    return false;
            }
            else if (!e.isFile())
                return false;
        }
        return true;
    };
    if (!visit(objects))
        return false;
    try {
        lstatSync(join(objects, 'info', 'alternates'));
        return false;
    }
    catch {
        return true;
    }
}
/** Blobs over this size are not read at another commit: as for the working tree, a notice-sized skip. */
const MAX_BLOB_BYTES = (/* unused pure expression or super */ null && (1024 * 1024));
/**
 * The text of repository paths at `commit`, read from the local object store when the checkout's history
 * holds that commit (a checkout with `fetch-depth: 0`, or deep enough): null for a path absent there,
 * undefined for one that could not be read (too large, binary, a name git's line-based input cannot carry).
 * Undefined as a whole when there is no repository, the commit is not there, or the object store cannot be
 * trusted (a symlink in it, alternates) — then the caller asks the API. Git runs confined as for listing,
 * with only the repository's object store added.
 */
async function readAtCommit(root, commit, paths) {
    if (!/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(commit))
        return undefined;
    const realRoot = await realpath(root).catch(() => undefined);
    const top = realRoot ? repositoryOf(realRoot) : undefined;
    if (!realRoot || !top || !objectStoreIsOwn(top))
        return undefined;
    const confined = confinedGit(realRoot);
    if (!confined)
        return undefined;
    try {
        const env = { ...confined.env, GIT_OBJECT_DIRECTORY: join(top, '.git', 'objects') };
        const withObjects = { ...confined, env };
        const askable = paths.filter((p) => !/[\n\r]/.test(p) && isInsidePath(p) && !hasRawBytes(p));
        const check = await gitOutput(withObjects, ['cat-file', '--batch-check'], [`${commit}^{commit}`, ...askable.map((p) => `${commit}:${p}`)].join('\n') + '\n');
        if (!check)
            return undefined;
        const lines = check.toString('utf8').split('\n');
        if (!/^[0-9a-f]+ commit \d+$/.test(lines[0] ?? ''))
            return undefined;
        const result = new Map();
        const wanted = [];
        askable.forEach((path, i) => {
            const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(lines[i + 1] ?? '');
            if (!m)
                result.set(path, (lines[i + 1] ?? '').endsWith(' missing') ? null : undefined);
            else if (m[1] !== 'blob' || Number(m[2]) > MAX_BLOB_BYTES)
                result.set(path, m[1] === 'blob' ? undefined : null);
            else
                wanted.push(path);
        });
        for (const path of paths)
            if (!result.has(path) && !wanted.includes(path))
                result.set(path, undefined);
        if (wanted.length > 0) {
            const out = await gitOutput(withObjects, ['cat-file', '--batch'], wanted.map((p) => `${commit}:${p}`).join('\n') + '\n');
            if (!out)
                return undefined;
            let at = 0;
            for (const path of wanted) {
                const eol = out.indexOf(0x0a, at);
                const header = /^[0-9a-f]+ blob (\d+)$/.exec(out.subarray(at, eol).toString('utf8'));
                if (!header)
                    return undefined;
                const size = Number(header[1]);
                const bytes = out.subarray(eol + 1, eol + 1 + size);
                at = eol + 1 + size + 1;
                const read = decodeText(bytes);
                result.set(path, 'text' in read ? read.text : undefined);
            }
        }
        return result;
    }
    finally {
        confined.dispose();
    }
}


/***/ }),

/***/ 3259:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Cb: () => (/* binding */ hasRawBytes),
/* harmony export */   Dj: () => (/* binding */ nameFromBytes),
/* harmony export */   _l: () => (/* binding */ pathInside),
/* harmony export */   bZ: () => (/* binding */ splitNames),
/* harmony export */   m_: () => (/* binding */ fromOsPath),
/* harmony export */   uk: () => (/* binding */ osPath)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);

/**
 * File names as the file system gives them. Linux names are bytes, not text: a name that is not valid
 * UTF-8 (`u\xFF.sh`) is still a file a hostile repository can hold and git can list. Such a name is decoded
 * with each byte that is not part of a valid UTF-8 sequence kept as the lone surrogate U+DC00 + byte (the
 * scheme Python calls "surrogateescape"). No valid UTF-8 name decodes to a lone surrogate, so two different
 * names never give the same string, and the string turns back into exactly the bytes it came from when the
 * file is opened. Reports show such a byte as `\xFF` (see `report/safe.ts`).
 */
/**
 * `path` (absolute, as the operating system writes it) as a `/`-separated path relative to `folder`, or
 * undefined when it is the folder itself or lies outside it.
 */
function pathInside(folder, path) {
    const rel = (0,node_path__WEBPACK_IMPORTED_MODULE_0__.relative)(folder, path);
    if (rel === '' || rel === '..' || rel.startsWith(`..${node_path__WEBPACK_IMPORTED_MODULE_0__.sep}`) || (0,node_path__WEBPACK_IMPORTED_MODULE_0__.isAbsolute)(rel))
        return undefined;
    return rel.split(node_path__WEBPACK_IMPORTED_MODULE_0__.sep).join('/');
}
const LONE_ESCAPE = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;
/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there does not start one. */
function sequenceAt(bytes, i) {
    const b0 = bytes[i];
    if (b0 < 0x80)
        return 1;
    const cont = (k) => i + k < bytes.length && (bytes[i + k] & 0xc0) === 0x80;
    const b1 = bytes[i + 1] ?? 0;
    if (b0 >= 0xc2 && b0 <= 0xdf)
        return cont(1) ? 2 : 0;
    if (b0 >= 0xe0 && b0 <= 0xef) {
        // No overlong forms (E0 80..9F) and no surrogates (ED A0..BF).
        if ((b0 === 0xe0 && b1 < 0xa0) || (b0 === 0xed && b1 > 0x9f))
            return 0;
        return cont(1) && cont(2) ? 3 : 0;
    }
    if (b0 >= 0xf0 && b0 <= 0xf4) {
        if ((b0 === 0xf0 && b1 < 0x90) || (b0 === 0xf4 && b1 > 0x8f))
            return 0;
        return cont(1) && cont(2) && cont(3) ? 4 : 0;
    }
    return 0;
}
/** A name's bytes as a string, invalid bytes kept as lone surrogates. */
function nameFromBytes(bytes) {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    // U+FFFD only appears when a byte was invalid, or when the name itself holds U+FFFD (EF BF BD).
    if (!text.includes('\uFFFD'))
        return text;
    let out = '';
    let run = 0;
    for (let i = 0; i < bytes.length;) {
        const n = sequenceAt(bytes, i);
        if (n > 0) {
            i += n;
            continue;
        }
        out +=
            Buffer.from(bytes.subarray(run, i)).toString('utf8') +
                String.fromCharCode(0xdc00 + bytes[i]);
        i += 1;
        run = i;
    }
    return out + Buffer.from(bytes.subarray(run)).toString('utf8');
}
/** Whether a name holds bytes that are not UTF-8 (then only its bytes can open it). */
function hasRawBytes(name) {
    return LONE_ESCAPE.test(name);
}
/** What to give the file system for a path: the string itself, or its exact bytes when it holds escapes. */
function osPath(path) {
    if (!hasRawBytes(path))
        return path;
    const chunks = [];
    let run = 0;
    for (let i = 0; i < path.length; i++) {
        const c = path.charCodeAt(i);
        const lone = c >= 0xdc80 && c <= 0xdcff && !(i > 0 && /[\uD800-\uDBFF]/.test(path[i - 1]));
        if (!lone)
            continue;
        chunks.push(Buffer.from(path.slice(run, i), 'utf8'), Buffer.from([c - 0xdc00]));
        run = i + 1;
    }
    chunks.push(Buffer.from(path.slice(run), 'utf8'));
    return Buffer.concat(chunks);
}
/** A path the file system gave as bytes, as a string. */
function fromOsPath(path) {
    return typeof path === 'string' ? path : nameFromBytes(path);
}
/** NUL-separated names (git's `-z` output), each decoded as above. */
function splitNames(output) {
    const text = output.toString('utf8');
    if (!text.includes('\uFFFD'))
        return text.split('\0').filter((f) => f.length > 0);
    const names = [];
    let start = 0;
    for (let i = output.indexOf(0); i !== -1; start = i + 1, i = output.indexOf(0, start)) {
        if (i > start)
            names.push(nameFromBytes(output.subarray(start, i)));
    }
    if (start < output.length)
        names.push(nameFromBytes(output.subarray(start)));
    return names;
}


/***/ }),

/***/ 9495:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g7: () => (/* binding */ decodeText),
/* harmony export */   yR: () => (/* binding */ readText)
/* harmony export */ });
/* unused harmony export MAX_FILE_BYTES */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var _names_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3259);



const MAX_FILE_BYTES = 1024 * 1024;
/** A named pipe must not block the scan: opened non-blocking, it is then seen not to be a file. */
const NO_BLOCK = node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NONBLOCK ?? 0;
/** Absent on Windows, where every file takes the symlink path. */
const NO_FOLLOW = node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NOFOLLOW;
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
/** Decodes bytes as UTF-8: a BOM is dropped, invalid sequences become U+FFFD, NUL bytes mean binary. */
function decodeText(bytes) {
    if (bytes.subarray(0, 8000).includes(0))
        return { skipped: 'binary file (NUL bytes)' };
    return { text: decoder.decode(bytes) };
}
function inside(realRoot, target) {
    return target === realRoot || target.startsWith(realRoot + node_path__WEBPACK_IMPORTED_MODULE_1__.sep);
}
/** The real path of a path, which may be named with bytes that are not UTF-8 (see `names.ts`). */
function realPath(path) {
    const os = (0,_names_js__WEBPACK_IMPORTED_MODULE_2__/* .osPath */ .uk)(path);
    return typeof os === 'string'
        ? node_fs__WEBPACK_IMPORTED_MODULE_0__.realpathSync.native(os)
        : (0,_names_js__WEBPACK_IMPORTED_MODULE_2__/* .fromOsPath */ .m_)(node_fs__WEBPACK_IMPORTED_MODULE_0__.realpathSync.native(os, { encoding: 'buffer' }));
}
/**
 * The real path of a folder, from its parent's when that is known: one `lstat` per new folder instead of
 * resolving every step of the path again, which made a thousand nested folders cost half a million calls.
 */
function realDir(dir, cache) {
    const found = cache.get(dir);
    if (found !== undefined)
        return found;
    const parent = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(dir);
    let real;
    if (parent === dir)
        real = realPath(dir);
    else {
        const realParent = realDir(parent, cache);
        real = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.lstatSync)((0,_names_js__WEBPACK_IMPORTED_MODULE_2__/* .osPath */ .uk)(dir)).isSymbolicLink()
            ? realPath(dir)
            : (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(realParent, dir.slice(parent.length + (parent.endsWith(node_path__WEBPACK_IMPORTED_MODULE_1__.sep) ? 0 : 1)));
    }
    cache.set(dir, real);
    return real;
}
/**
 * Reads a file under `root` as text, refusing anything that leaves the root through a symlink (the file's
 * own or a folder's on the way), files over 1 MiB and binary files. Never throws: a file that cannot be read
 * is a reason, not an error.
 *
 * The reads are synchronous on purpose: the files read are few and small (what git grep points at), and a
 * promise round trip per system call costs more main-thread time than the read itself (measured: 203 ms of
 * 854 ms at 100k files went to promise-based file handles).
 */
async function readText(root, realRoot, rel, folders = new Map()) {
    return readTextSync(root, realRoot, rel, folders);
}
function readTextSync(root, realRoot, rel, folders) {
    const full = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(root, rel);
    let fd;
    try {
        // The folder is resolved first (once per folder), so that nothing is opened through a folder link that
        // leaves the root. The file itself is opened without following a final symlink; one fails with ELOOP
        // and is then resolved and checked before it is opened.
        const folder = realDir((0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(full), folders);
        if (!inside(realRoot, folder))
            return { skipped: 'symlink pointing outside the scanned folder' };
        try {
            if (NO_FOLLOW === undefined)
                throw Object.assign(new Error('no O_NOFOLLOW'), { code: 'ELOOP' });
            fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)((0,_names_js__WEBPACK_IMPORTED_MODULE_2__/* .osPath */ .uk)(full), node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_RDONLY | NO_BLOCK | NO_FOLLOW);
        }
        catch (error) {
            if (error.code !== 'ELOOP')
                throw error;
            const target = realPath(full);
            if (!inside(realRoot, target))
                return { skipped: 'symlink pointing outside the scanned folder' };
            fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)((0,_names_js__WEBPACK_IMPORTED_MODULE_2__/* .osPath */ .uk)(full), node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_RDONLY | NO_BLOCK);
        }
        const info = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.fstatSync)(fd);
        if (!info.isFile())
            return { skipped: 'not a regular file' };
        if (info.size > MAX_FILE_BYTES)
            return { skipped: `larger than 1 MiB (${info.size} bytes)` };
        const bytes = new Uint8Array(info.size);
        let read = 0;
        while (read < info.size) {
            const n = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readSync)(fd, bytes, read, info.size - read, read);
            if (n === 0)
                break;
            read += n;
        }
        return decodeText(bytes.subarray(0, read));
    }
    catch (error) {
        const code = error.code;
        if (code === 'ENOENT')
            return { skipped: 'listed by git but missing from the working tree' };
        return { skipped: `unreadable (${code ?? error.message})` };
    }
    finally {
        if (fd !== undefined)
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd);
    }
}


/***/ }),

/***/ 7889:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   b: () => (/* binding */ CONTENT_NEEDLES)
/* harmony export */ });
/* harmony import */ var _secret_patterns_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4501);

/**
 * What makes a file worth reading beyond its name: Claude named in it, or a credential's fixed part, or the
 * shape of one no fixed string picks out (a password in a URL).
 */
const CONTENT_NEEDLES = [
    'claude',
    ..._secret_patterns_js__WEBPACK_IMPORTED_MODULE_0__/* .SECRET_NEEDLES */ .cM,
    ..._secret_patterns_js__WEBPACK_IMPORTED_MODULE_0__/* .SECRET_GREP_PATTERNS */ .C.map((regex) => ({ regex })),
];


/***/ }),

/***/ 4501:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $l: () => (/* binding */ maskSecret),
/* harmony export */   BV: () => (/* binding */ mayHold),
/* harmony export */   C: () => (/* binding */ SECRET_GREP_PATTERNS),
/* harmony export */   E$: () => (/* binding */ redact),
/* harmony export */   XN: () => (/* binding */ SECRET_PATTERNS),
/* harmony export */   cM: () => (/* binding */ SECRET_NEEDLES),
/* harmony export */   cW: () => (/* binding */ isLoopbackHost),
/* harmony export */   xv: () => (/* binding */ secretRanges)
/* harmony export */ });
/* unused harmony export urlPasswordPlaceholder */
/** Words that make a placeholder when they stand alone between separators, as in `your-key-here`. */
const PLACEHOLDER_WORDS = /(^|[-_/.])(your|here|placeholder|redacted|replace|insert|changeme|dummy)([-_/.]|$)/i;
/** The random part of a match: its `body` group, else its first non-empty group, else all of it. */
function bodyOf(m) {
    return m.groups?.body ?? m.slice(1).find((g) => g !== undefined && g.length > 0) ?? m[0];
}
/**
 * Why a token-shaped string is not a real credential, or undefined when it may be one. Real keys are long
 * and random; documentation writes `sk-ant-api03-xxxx`, `sk-ant-api03-...`, `…-your-key-here`.
 */
function tokenPlaceholder(m, pattern) {
    const random = bodyOf(m).replace(/\s|\\n/g, '');
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
/** The secret part of a match, for the message: its public prefix kept, then eight stars. */
const starred = (prefix) => `${prefix}${'*'.repeat(8)}`;
const anthropicPrefix = (m) => starred(m[0].slice(0, m[0].indexOf('-', 7) + 1));
/**
 * A private key's base64 body is not random text a person writes: a key body that is too short or made of
 * few characters is a placeholder. Runs of one character are normal in real keys (an unencrypted OpenSSH
 * key's header encodes to `AAAAAAAAAAAB…`), so they do not count here.
 */
function keyPlaceholder(m, pattern) {
    const random = bodyOf(m).replace(/\\[nr]|\s|\\/g, '');
    if (random.length < pattern.minBody)
        return 'too short to be a real key';
    if (new Set(random).size < 16)
        return 'too few distinct characters to be a real key';
    if (hasRun(random, 8))
        return 'a run of consecutive characters (ABCDEFGH)';
    return undefined;
}
/** Hosts that name no real server: reserved for documentation (RFC 2606, RFC 6761) or a word in their place. */
const DOCUMENTATION_HOST = /(^|\.)(example(\.(com|net|org))?|test|invalid)$|^(host|hostname|server|domain|address|your[\w.-]*|my[-_]?host)$/i;
/** Hosts on the machine itself: a credential for them opens nothing to anyone else. */
const LOOPBACK_HOST = /^(localhost|[\w-]+\.localhost|127(\.\d{1,3}){3}|0\.0\.0\.0|\[(0{0,4}:){2,7}0{0,3}1\])$/i;
/** A password that is a reference or a template filled in elsewhere: `${DB_PASS}`, `$PASS`, `{{ pw }}`, `<password>`, `%(pw)s`, `%PASS%`. */
const REFERENCE = /\$[{(A-Za-z_\d]|[{}<>[\]`]|%\(|%[A-Za-z_]\w*%/;
/** A password that is nothing but one reference or template: shown as written wherever text is masked. */
const WHOLE_REFERENCE = /^(?:\$\{[^{}]*\}|\$\{\{[^{}]*\}\}|\$[A-Za-z_]\w*|\$\([^()]*\)|\{\{[^{}]*\}\}|<[^<>]*>|%\([^()]*\)s|%[A-Za-z_]\w*%|\[[^[\]]*\])$/;
/**
 * The letters of passwords that examples and defaults use. A generated password (what a service hands out,
 * and what leaks) has none of them.
 */
const PASSWORD_WORDS = /passw|passwd|secret|changeme|changeit|example|sample|placeholder|redacted|dummy|fake|your|mypass|test|demo|default|qwerty|letmein|welcome/;
const DEFAULT_PASSWORDS = new Set([
    'pass',
    'pwd',
    'pw',
    'admin',
    'root',
    'guest',
    'user',
    'abc',
    'foo',
    'bar',
    'baz',
    'qux',
    'hunter',
    'postgres',
    'postgresql',
    'mysql',
    'redis',
    'mongo',
    'mongodb',
    'rabbit',
    'rabbitmq',
    'token',
    'key',
    'dev',
    'local',
    'xoauthbasic',
]);
/** Why the password of a `scheme://user:password@host` URL is not a real one, or undefined when it may be. */
function urlPasswordPlaceholder(user, password, host) {
    if (REFERENCE.test(password))
        return 'a variable or template filled in elsewhere';
    if (/^[*xX.…#?_-]+$/.test(password) || /^(.)\1*$/.test(password))
        return 'elided (***, xxx)';
    if (password.length < 6)
        return 'too short to be a real password';
    if (password.toLowerCase() === user.toLowerCase())
        return 'the user name repeated: a default';
    if (!/[A-Za-z]/.test(password))
        return 'no letters: an example';
    if (/^([a-z]+|[A-Z][a-z]*|[A-Z]+)$/.test(password))
        return 'a plain word, as examples write';
    // Its letters (admin123 → admin), and the same with digits and signs written for letters read as letters
    // (P4ssw0rd → password, S3cr3t! → secreti).
    const lower = password.toLowerCase();
    const letters = lower.replace(/[^a-z]/g, '');
    const leet = lower
        .replace(/[4@]/g, 'a')
        .replace(/0/g, 'o')
        .replace(/[1!|]/g, 'i')
        .replace(/3/g, 'e')
        .replace(/[5$]/g, 's')
        .replace(/7/g, 't')
        .replace(/[^a-z]/g, '');
    if ([letters, leet].some((w) => PASSWORD_WORDS.test(w) || DEFAULT_PASSWORDS.has(w)))
        return 'a placeholder or default word';
    if (hasRun(password, 6))
        return 'a run of consecutive characters (123456, abcdef)';
    if (DOCUMENTATION_HOST.test(host))
        return 'a documentation host (example.com, .test, .invalid)';
    return undefined;
}
/** Whether a URL's host is the machine itself (localhost, 127.0.0.0/8, [::1], 0.0.0.0). */
function isLoopbackHost(host) {
    return LOOPBACK_HOST.test(host);
}
/** Characters that end a URL's user or password as written: space, a path, query or fragment, quotes, brackets. */
const NOT_IN_USERINFO = `\\s/?#'"\`<>\\\\`;
const SECRET_PATTERNS = [
    {
        kind: 'anthropic-api-key',
        label: 'Anthropic API key',
        regex: /sk-ant-api\d\d-([A-Za-z0-9_-]+)/g,
        needles: ['sk-ant-'],
        minBody: 40,
        mask: anthropicPrefix,
        placeholder: tokenPlaceholder,
    },
    {
        kind: 'anthropic-admin-key',
        label: 'Anthropic admin API key',
        regex: /sk-ant-admin\d\d-([A-Za-z0-9_-]+)/g,
        needles: ['sk-ant-'],
        minBody: 40,
        mask: anthropicPrefix,
        placeholder: tokenPlaceholder,
    },
    {
        kind: 'anthropic-oauth-token',
        label: 'Claude OAuth token',
        regex: /sk-ant-o[ar]t\d\d-([A-Za-z0-9_-]+)/g,
        needles: ['sk-ant-'],
        minBody: 40,
        mask: anthropicPrefix,
        placeholder: tokenPlaceholder,
    },
    {
        kind: 'github-token',
        label: 'GitHub token',
        regex: /\b(?:gh[pousr]_([A-Za-z0-9]{36,251})|github_pat_([A-Za-z0-9_]{70,251}))\b/g,
        needles: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
        grep: ['gh[pousr]_', 'github_pat_'],
        minBody: 36,
        mask: (m) => starred(m[0].startsWith('github_pat_') ? 'github_pat_' : m[0].slice(0, 4)),
        placeholder: tokenPlaceholder,
    },
    {
        kind: 'aws-access-key',
        label: 'AWS access key id',
        regex: /\b(?:AKIA|ASIA)([A-Z0-9]{16})\b/g,
        needles: ['AKIA', 'ASIA'],
        grep: ['A[KS]IA'],
        minBody: 16,
        mask: (m) => starred(m[0].slice(0, 4)),
        placeholder: (m, p) => (/EXAMPLE/.test(m[0]) ? "AWS's documented example key" : tokenPlaceholder(m, p)),
    },
    {
        // Bot (xoxb-), user (xoxp-), workspace (xoxa-), refresh (xoxr-), session (xoxs-), rotating
        // configuration (xoxe-, xoxe.xoxp-) and app-level (xapp-) tokens: each its prefix, then dash-separated ids
        // and the secret.
        kind: 'slack-token',
        label: 'Slack token',
        regex: /\b(?:xox(?:[abprs]|e(?:\.xox[bp])?)|xapp)-(?<body>[0-9A-Za-z]{1,200}(?:-[0-9A-Za-z]{1,200}){0,8})/g,
        needles: ['xox', 'xapp-'],
        minBody: 24,
        mask: (m) => starred(m[0].slice(0, m[0].indexOf('-') + 1)),
        placeholder: tokenPlaceholder,
    },
    {
        kind: 'slack-webhook',
        label: 'Slack webhook URL',
        regex: /\b(?:https?:\/\/)?hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<body>[A-Za-z0-9_+-]{1,64}(?:\/[A-Za-z0-9_+-]{1,64}){1,5})/g,
        needles: ['hooks.slack.com'],
        minBody: 24,
        mask: (m) => starred(m[0].slice(0, m[0].length - (m.groups?.body ?? '').length)),
        placeholder: tokenPlaceholder,
    },
    {
        // A URL's user information. The password ends at the last `@` before the host, as URL parsers read it.
        kind: 'url-credential',
        label: 'Password in a URL',
        regex: new RegExp(`\\b(?<scheme>[A-Za-z][A-Za-z0-9+.-]{0,31}):\\/\\/(?<user>[^${NOT_IN_USERINFO}@:]{0,128}):` +
            `(?<password>[^${NOT_IN_USERINFO}]{1,255})@` +
            `(?<host>\\[[0-9A-Fa-f:.]{2,64}\\]|[^${NOT_IN_USERINFO}@:,;()[\\]]{1,253})`, 'g'),
        needles: ['://'],
        grep: ['://[^/?#@[:space:]:]{0,255}:[^/?#@[:space:]]{0,255}@'],
        minBody: 6,
        joins: false,
        // `postgres://app:${DB_PASSWORD}@db` is the advice itself: masking it would hide what to write.
        shown: (m) => WHOLE_REFERENCE.test(m.groups?.password ?? ''),
        mask: (m) => `${m.groups?.scheme}://${m.groups?.user}:${'*'.repeat(8)}@${m.groups?.host}`,
        placeholder: (m) => urlPasswordPlaceholder(m.groups?.user ?? '', m.groups?.password ?? '', m.groups?.host ?? ''),
        focus: (m) => {
            const start = (m.groups?.scheme ?? '').length + 3 + (m.groups?.user ?? '').length + 1;
            return { at: [start, start + (m.groups?.password ?? '').length] };
        },
    },
    {
        // PEM blocks (PKCS#1 RSA, SEC1 EC, DSA, OpenSSH, PKCS#8 plain and encrypted) and PGP secret key blocks;
        // header lines (`Proc-Type:`, `DEK-Info:`, `Version:`) may come before the body. The body may be
        // written on one line with `\n` escapes (a JSON service-account file).
        kind: 'private-key',
        label: 'private key',
        regex: /(?<header>-----BEGIN (?<type>(?:[A-Z0-9]+ ){0,3})PRIVATE KEY(?<block> BLOCK)?-----)(?<armor>(?:(?:\r?\n|\\r?\\n)[ \t]*[A-Za-z][A-Za-z0-9-]{0,40}: [^\r\n\\]{0,200})*)(?<body>[A-Za-z0-9+/=\s\\]{64,16384}?)-----END \k<type>PRIVATE KEY\k<block>-----/g,
        needles: ['PRIVATE KEY'],
        minBody: 64,
        mask: (m) => starred(m.groups?.header ?? '-----BEGIN PRIVATE KEY-----'),
        placeholder: keyPlaceholder,
        // The finding points at the BEGIN line's header, which names the kind of key and is not secret; the
        // body from there to the END line is what no report shows.
        focus: (m) => {
            const header = (m.groups?.header ?? '').length;
            const start = header + (m.groups?.armor ?? '').length;
            return { at: [0, header], secret: [start, start + (m.groups?.body ?? '').length] };
        },
    },
];
function mayHold(pattern, text) {
    return pattern.needles.some((n) => text.includes(n));
}
/** The fixed strings `git grep` looks for to find credentials (for the patterns without `grep` expressions). */
const SECRET_NEEDLES = [
    ...new Set(SECRET_PATTERNS.filter((p) => p.grep === undefined).flatMap((p) => p.needles)),
];
/** The regular expressions `git grep` looks for to find the other credentials. */
const SECRET_GREP_PATTERNS = [
    ...new Set(SECRET_PATTERNS.flatMap((p) => p.grep ?? [])),
];
/** The masked form shown in reports: the public parts, never any of the secret. */
function maskSecret(pattern, m) {
    return pattern.mask(m);
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
/**
 * Replaces every credential-shaped string in a text with its masked form, placeholders included (but a URL
 * whose password is a variable or template, which holds no secret).
 */
function redact(text) {
    let out = text;
    for (const pattern of SECRET_PATTERNS) {
        if (!mayHold(pattern, out))
            continue;
        let masked = '';
        let last = 0;
        for (const m of out.matchAll(pattern.regex)) {
            if (pattern.shown?.(m))
                continue;
            const at = m.index ?? 0;
            masked += out.slice(last, at) + maskSecret(pattern, m);
            last = at + m[0].length;
        }
        if (last > 0)
            out = masked + out.slice(last);
    }
    return out;
}


/***/ })

};
