import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';
import type { Parser as TSParser } from 'web-tree-sitter';

/**
 * The bash grammar, loaded on first use so that `--version` and scans without shell pay nothing. The two
 * `.wasm` files sit next to the bundle in `dist/`; from the sources they come from `node_modules`.
 */
let loading: Promise<TSParser> | undefined;

function wasmFile(name: string, pkg: string): string {
  const beside = join(dirname(fileURLToPath(import.meta.url)), name);
  if (existsSync(beside)) return beside;
  return createRequire(import.meta.url).resolve(`${pkg}/${name}`);
}

export function shellParser(): Promise<TSParser> {
  loading ??= (async () => {
    // Baseline (Liftoff) code only: on Node 20 the optimising tier compiles the grammar in the background
    // for ~300 ms after the scan is done, and the process waits for it before exiting. For grammar-sized
    // inputs Liftoff code parses as fast (measured: 20 parses of a 46 kB script, 129 ms vs 219 ms).
    setFlagsFromString('--liftoff-only');
    // The CommonJS build: bundled, the ESM build's `import('module')` loses `createRequire`.
    const { Parser, Language } = createRequire(import.meta.url)(
      'web-tree-sitter',
    ) as typeof import('web-tree-sitter');
    await Parser.init({ wasmBinary: readFileSync(wasmFile('web-tree-sitter.wasm', 'web-tree-sitter')) });
    const bash = await Language.load(readFileSync(wasmFile('tree-sitter-bash.wasm', 'tree-sitter-bash')));
    const parser = new Parser();
    parser.setLanguage(bash);
    return parser;
  })();
  return loading;
}
