import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';
import type { Parser as TSParser } from 'web-tree-sitter';

/**
 * The bash grammar, loaded on first use so that `--version` and scans without shell pay nothing.
 *
 * The tree-sitter runtime (`web-tree-sitter.cjs`) and the two `.wasm` files ship beside the bundle in
 * `dist/`, copied there by scripts/build.mjs, so a bare copy of `dist/` runs with no `node_modules` anywhere.
 * The runtime is not bundled by ncc: its ESM build reads `createRequire` from `import("module")`, which
 * webpack turns into a namespace without it, and ncc cannot follow a `require` made by `createRequire`. Run
 * from the sources (tests, `lib/`), nothing sits beside this file and the packages are used instead.
 */
let loading: Promise<TSParser> | undefined;

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** `name` beside this module when it ships there, else `specifier` resolved from the installed package. */
function shipped(name: string, specifier: string): string {
  const beside = join(here, name);
  return existsSync(beside) ? beside : require.resolve(specifier);
}

export function shellParser(): Promise<TSParser> {
  loading ??= (async () => {
    // Baseline (Liftoff) code only: on Node 20 the optimising tier compiles the grammar in the background
    // for ~300 ms after the scan is done, and the process waits for it before exiting. For grammar-sized
    // inputs Liftoff code parses as fast (measured: 20 parses of a 46 kB script, 129 ms vs 219 ms).
    setFlagsFromString('--liftoff-only');
    const { Parser, Language } = require(
      shipped('web-tree-sitter.cjs', 'web-tree-sitter'),
    ) as typeof import('web-tree-sitter');
    await Parser.init({
      wasmBinary: readFileSync(shipped('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm')),
    });
    const bash = await Language.load(
      readFileSync(shipped('tree-sitter-bash.wasm', 'tree-sitter-bash/tree-sitter-bash.wasm')),
    );
    const parser = new Parser();
    parser.setLanguage(bash);
    return parser;
  })();
  return loading;
}
