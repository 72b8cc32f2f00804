// Fails when a file of dist/ loads, at run time, a module that is neither a Node built-in nor a file inside
// dist/. An action runs from a checkout of this repository with no node_modules, so such a reference works in
// every test run inside the clone and crashes on GitHub. The bundles are parsed (acorn), so comments and
// strings that merely mention `require('x')` do not count.
// Usage: node scripts/check-bundle.mjs [dist]
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parse } from 'acorn';
import { simple } from 'acorn-walk';

const root = resolve(process.argv[2] ?? 'dist');
const builtins = new Set(builtinModules);
const isBuiltin = (s) => s.startsWith('node:') || builtins.has(s) || builtins.has(s.split('/')[0]);
const literal = (n) =>
  n?.type === 'Literal' && typeof n.value === 'string'
    ? n.value
    : n?.type === 'TemplateLiteral' && n.expressions.length === 0
      ? n.quasis[0].value.cooked
      : undefined;

function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (/\.(c|m)?js$/.test(e.name)) yield p;
  }
}

/** The module names a file loads: require('x'), require.resolve('x'), import('x'), import … from 'x',
 * createRequire(…)('x'), and calls of a name bound to createRequire(…). */
function loadsOf(file) {
  const code = readFileSync(file, 'utf8');
  const ast = parse(code, {
    ecmaVersion: 'latest',
    sourceType: file.endsWith('.cjs') ? 'script' : 'module',
    allowHashBang: true,
    allowReturnOutsideFunction: true,
    locations: true,
  });
  const requireNames = new Set(['require']);
  // webpack writes calls of imports as `(0, ns.createRequire)(…)`.
  const unwrap = (n) => (n?.type === 'SequenceExpression' ? n.expressions.at(-1) : n);
  const isCreateRequire = (n) => {
    const c = n?.type === 'CallExpression' ? unwrap(n.callee) : undefined;
    return (
      (c?.type === 'Identifier' && /createRequire/.test(c.name)) ||
      (c?.type === 'MemberExpression' && c.property.name === 'createRequire')
    );
  };
  simple(ast, {
    VariableDeclarator(n) {
      if (n.id.type === 'Identifier' && isCreateRequire(n.init)) requireNames.add(n.id.name);
    },
  });
  const loads = [];
  // A name that is not a literal cannot be checked here; the bare-copy smoke runs cover those.
  const add = (node, spec) => loads.push({ spec, line: node.loc.start.line });
  simple(ast, {
    CallExpression(n) {
      const c = unwrap(n.callee);
      if (c.type === 'Identifier' && requireNames.has(c.name)) add(n, literal(n.arguments[0]));
      else if (
        c.type === 'MemberExpression' &&
        c.object.type === 'Identifier' &&
        requireNames.has(c.object.name) &&
        c.property.name === 'resolve'
      )
        add(n, literal(n.arguments[0]));
      else if (isCreateRequire(c)) add(n, literal(n.arguments[0]));
    },
    ImportExpression: (n) => add(n, literal(n.source)),
    ImportDeclaration: (n) => add(n, n.source.value),
    ExportNamedDeclaration(n) {
      if (n.source) add(n, n.source.value);
    },
    ExportAllDeclaration: (n) => add(n, n.source.value),
  });
  return loads;
}

const problems = [];
const dynamic = [];
let count = 0;
for (const file of files(root)) {
  for (const { spec, line } of loadsOf(file)) {
    count++;
    const where = `${relative(process.cwd(), file)}:${line}`;
    if (spec === undefined) {
      dynamic.push(where);
      continue;
    }
    if (isBuiltin(spec)) continue;
    if (spec.startsWith('./') || spec.startsWith('../')) {
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(root + sep)) problems.push(`${where}: "${spec}" lies outside ${root}`);
      else if (!existsSync(target)) problems.push(`${where}: "${spec}" does not exist in the bundle`);
    } else {
      problems.push(`${where}: loads the package "${spec}", which is not inside the bundle`);
    }
  }
}
const name = relative(process.cwd(), root) || '.';
if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(`${problems.length} run-time module reference(s) leave ${name}`);
  process.exit(1);
}
console.log(`${name}: ${count} module references, each a Node built-in or a file inside it`);
if (dynamic.length > 0)
  console.log(
    `  of which ${dynamic.length} load a computed name (left to the bare-copy runs): ${dynamic.join(', ')}`,
  );
