import { test } from '@jest/globals';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';
const D = '--dangerously-skip-permissions';
const cases: string[] = [
  `FLAGS=${D} true; claude $FLAGS`,
  `FLAGS="--verbose ${D}"; claude "$FLAGS"`,
  `sudo -- claude ${D}`,
  `time claude ${D}`,
  `bash -c "claude ${D}"`,
  `sh -c 'claude ${D}'`,
  `exec -a name claude ${D}`,
  `xargs claude ${D}`,
  `npx --yes @anthropic-ai/claude-code ${D}`,
  `npx -p @anthropic-ai/claude-code claude ${D}`,
  `sudo -Eu ci claude ${D}`,
  `sudo --user=ci claude ${D}`,
  `CLAUDE=claude; $CLAUDE ${D}`,
  `if claude -p x ${D}; then echo ok; fi`,
  `! claude ${D}`,
  `{ claude ${D}; }`,
  `[[ -n "$CI" ]] && claude ${D} 2>&1 | tee log`,
  `claude -p "$(cat <<EOF\nhello\nEOF\n)" ${D}`,
  `f() { local F=${D}; claude $F; }`,
  `ARGS=(-p); ARGS+=(${D}); claude "\${ARGS[@]}"`,
  `claude -p x --allowedTools Read ${D}`,
  `env -S "claude ${D}"`,
  `stdbuf -oL claude ${D}`,
  `doas -u ci claude ${D}`,
  `bunx @anthropic-ai/claude-code ${D}`,
  `yarn dlx @anthropic-ai/claude-code ${D}`,
  `npm x -- @anthropic-ai/claude-code ${D}`,
  `npx @anthropic-ai/claude-code@1.0.0/foo ${D}`,
  `exec "claude" ${D}`,
  `"claude" ${D}`,
  `c\\laude ${D}`,
  `claude --d\\\nangerously-skip-permissions`,
  `echo $(which claude) ${D}`,
  `claude config set -g foo ${D}`,
  `claude -p "a" --allowedTools "Bash(git log --oneline, -n 5)" Bash`,
  `timeout --signal=KILL 10m claude ${D}`,
  `sudo -E -- env X=1 claude ${D}`,
  `watch claude ${D}`,
  `xargs -0 -r claude ${D}`,
  `parallel claude ::: a b`,
];
test('probe', async () => {
  for (const c of cases) {
    const r = await scan(memorySource({ 'a.sh': `#!/bin/sh\n${c}\n` }), defaultPolicy());
    console.log(JSON.stringify(c), '\n   runs:', r.model.runs.map((x) => `${x.span.line}:${x.span.column}`).join(' '), ' findings:', r.verdict.findings.map((f) => `${f.ruleId}@${f.line}:${f.column}-${f.endLine}:${f.endColumn}`).join(' '));
  }
});
