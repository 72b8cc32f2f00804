import { expect, test } from '@jest/globals';
import { defaultPolicy } from '../src/policy/policy.js';
import { memorySource, scan } from '../src/scan.js';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function r(n: number, seed: number, a = ALNUM) { let x = seed * 7919 + 17; let o=''; while (o.length<n){x^=x<<13;x>>>=0;x^=x>>>17;x^=x<<5;x>>>=0;o+=a[x%a.length];} return o; }
const key = (s: number) => 'sk-ant-' + 'api03-' + r(40,s) + 'EXAMPLE' + r(44,s+100) + 'AA';
const B64 = ALNUM + '+/';
test('gcp json private key', async () => {
  const gcp = '-----BEGIN PRIVATE' + ' KEY-----\\n' + [r(64,5,B64), r(64,6,B64), r(40,7,B64)+'=='].join('\\n') + '\\n-----END PRIVATE KEY-----\\n';
  const { verdict } = await scan(memorySource({ 'sa.json': `{"type": "service_account", "private_key": "${gcp}"}\n` }), defaultPolicy());
  expect(verdict.findings.map(f => f.ruleId)).toEqual(['CG201']);
});
test('random body containing here', async () => {
  const pem = '-----BEGIN RSA PRIVATE' + ' KEY-----\n' + r(60,8,B64) + 'hErE\n' + r(64,9,B64) + '\n-----END RSA PRIVATE KEY-----\n';
  const k = 'sk-ant-' + 'api03-' + r(40,11) + 'Your' + r(47,12) + 'AA';
  const { verdict } = await scan(memorySource({ 'c.pem': pem, 'k.env': `K=${k}\n` }), defaultPolicy());
  expect(verdict.findings.map(f => f.path)).toEqual(['c.pem', 'k.env']);
});
test('snippet shows the finding after keys were masked', async () => {
  const line = `{"env": {"A": "${key(1)}", "B": "${key(2)}", "C": "${key(3)}"}, "permissions": {"allow": ["Bash"]}, "x": "${'p'.repeat(300)}"}`;
  const { verdict } = await scan(memorySource({ '.claude/settings.json': line + '\n' }), defaultPolicy());
  const f = verdict.findings.find(f => f.ruleId === 'CG102')!;
  console.log(f.column, f.snippet);
  expect(f.snippet).toContain('"Bash"');
  for (const g of verdict.findings.filter(f => f.ruleId === 'CG201')) { console.log(g.column, g.snippet.slice(0, 80)); }
});
