// Cuts a release the way action users expect: `uses: org/claude-guard@v1` resolves to a tested bundle.
//
//   node scripts/release.mjs 1.2.3          check, then tag v1.2.3 on HEAD (local only)
//   node scripts/release.mjs 1.2.3 --push   …and push the tag; .github/workflows/release.yml then runs CI on
//                                           it and moves v1 there only when CI passes
//
// Refuses, with one sentence each, unless: the version is X.Y.Z and equals package.json's; the tree is clean
// and on main; CHANGELOG.md has a `## X.Y.Z` entry; the tag does not exist; and `npm run build` leaves dist/,
// docs/rules/ and README.md exactly as committed (so the tag carries the bundle its sources build).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const push = args.includes('--push');
const version = args.find((a) => !a.startsWith('--'));
const git = (...a) => execFileSync('git', a, { encoding: 'utf8' }).trim();
const refuse = (why) => {
  console.error(`release: ${why}`);
  process.exit(1);
};

if (!version || !/^\d+\.\d+\.\d+$/.test(version)) refuse('give the version as X.Y.Z, e.g. 1.2.3');
const tag = `v${version}`;
const major = `v${version.split('.')[0]}`;
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
if (pkg.version !== version)
  refuse(
    `package.json has version ${pkg.version}: set it to ${version} (npm version ${version} --no-git-tag-version) and commit`,
  );
if (git('rev-parse', '--abbrev-ref', 'HEAD') !== 'main') refuse('releases are cut from main');
if (git('status', '--porcelain') !== '') refuse('the working tree has uncommitted changes');
const changelog = readFileSync('CHANGELOG.md', 'utf8');
if (!new RegExp(`^## \\[?${version.replace(/\./g, '\\.')}\\]?(\\s|$)`, 'm').test(changelog))
  refuse(`CHANGELOG.md has no "## ${version}" entry`);
if (git('tag', '--list', tag) !== '') refuse(`the tag ${tag} exists already`);

console.log('release: rebuilding dist/ to check it is what the sources build…');
execFileSync('npm', ['run', 'build', '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
const stale = git('status', '--porcelain', '--', 'dist', 'docs/rules', 'README.md', 'policy.schema.json');
if (stale !== '')
  refuse(
    `dist/, docs/rules/, README.md or policy.schema.json differ from a fresh build:\n${stale}\nrun npm run build and commit`,
  );
execFileSync('node', ['scripts/check-bundle.mjs', 'dist'], { stdio: 'inherit' });

git('tag', '-a', tag, '-m', `claude-guard ${tag}`);
console.log(`release: tagged ${tag} at ${git('rev-parse', '--short', 'HEAD')}`);
if (push) {
  execFileSync('git', ['push', 'origin', tag], { stdio: 'inherit' });
  console.log(`release: pushed ${tag}; the release workflow moves ${major} to it once CI passes on it`);
} else {
  console.log(`release: not pushed. Push with: git push origin ${tag}`);
}
