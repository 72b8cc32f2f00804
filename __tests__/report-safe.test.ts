import { describe, expect, test } from '@jest/globals';
import { displayLine, escapeControls, maskSecrets, safeJson } from '../src/report/safe.js';

// Built at run time: no source file holds a whole key.
const body =
  'Q7vR2mX9kL4pT8wZ1nB6cY3hJ5dF0gS2aE7uI9oP4qW8rT1yU6iO3pA5sD9fG2hJ7kL0zX4cV8bN1mQ3wE5rT7yU9iO2pA4';
const KEY = `sk-ant-${'api03'}-${body}AA`;

describe('escapeControls', () => {
  test.each([
    ['\x1b]0;owned\x07', '\\x1B]0;owned\\x07'],
    ['a\x1b[2Jb', 'a\\x1B[2Jb'],
    ['back\x08\x08\x08space', 'back\\x08\\x08\\x08space'],
    ['carriage\rreturn', 'carriage\\x0Dreturn'],
    ['new\nline', 'new\\x0Aline'],
    ['c1\u009b31m\u0085', 'c1\\x9B31m\\x85'],
    ['del\x7f', 'del\\x7F'],
    ['bidi \u202Eevil\u2066', 'bidi \\u202Eevil\\u2066'],
    ['line\u2028sep', 'line\\u2028sep'],
    ['tab\there', 'tab here'],
    ['plain ünïcode ✓ 🛑', 'plain ünïcode ✓ 🛑'],
  ])('%j → %j', (input, shown) => {
    expect(escapeControls(input)).toBe(shown);
  });
});

describe('displayLine', () => {
  test.each([
    ['::error::forged', '\\x3A:error::forged'],
    ['  ::stop-commands::x', '  \\x3A:stop-commands::x'],
    ['\n::add-mask::x', '\\x0A::add-mask::x'],
    ['a ::error:: in the middle', 'a ::error:: in the middle'],
  ])('a value cannot open a workflow command: %j', (input, shown) => {
    expect(displayLine(input)).toBe(shown);
  });

  test('keys are masked, also in a path and when the escape edge splits nothing', () => {
    expect(displayLine(`scripts/${KEY}/run.sh`)).toBe('scripts/sk-ant-api03-********/run.sh');
    expect(displayLine(`unknown key "${KEY}"`)).not.toContain(body.slice(0, 16));
  });
});

describe('maskSecrets', () => {
  test('pieces of a known secret are masked even where no pattern sees them', () => {
    const tail = body.slice(40);
    expect(maskSecrets(`prefix ${tail} suffix`, [KEY, tail])).toBe('prefix ******** suffix');
    expect(maskSecrets('short abc', ['abc'])).toBe('short abc');
  });

  test('every occurrence of every secret is masked; overlapping ones become one mask', () => {
    const a = 'abcdefgh1234';
    const b = 'gh1234XYZWVU';
    expect(maskSecrets(`x ${a} y ${a}`, [a])).toBe('x ******** y ********');
    // b starts inside a: the two are one stretch.
    expect(maskSecrets(`[abcdefgh1234XYZWVU]`, [a, b])).toBe('[********]');
    expect(maskSecrets(`${a}${a}`, [a])).toBe('********');
    expect(maskSecrets(`ünï ${a}🛑`, [a, 'zzzzzzzz'])).toBe('ünï ********🛑');
    expect(maskSecrets('nothing here at all', [a, b])).toBe('nothing here at all');
  });

  test('matches a plain search for each secret, on random texts and many secrets', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const word = (n: number): string => Array.from({ length: n }, () => 'abcAB01-'[rand(8)]).join('');
    const secrets = Array.from({ length: 300 }, () => word(8 + rand(6)));
    // What masking must achieve: no secret left whole, and every character outside the secrets kept.
    for (let t = 0; t < 300; t++) {
      const parts = Array.from({ length: 6 }, () => (rand(3) === 0 ? secrets[rand(300)] : word(rand(12))));
      const text = parts.join(rand(2) ? ' ' : '');
      const masked = maskSecrets(text, secrets);
      for (const s of secrets) expect(masked.includes(s)).toBe(false);
      const covered = new Array<boolean>(text.length).fill(false);
      for (const s of secrets)
        for (let at = text.indexOf(s); at >= 0; at = text.indexOf(s, at + 1))
          for (let k = at; k < at + s.length; k++) covered[k] = true;
      const kept = text
        .split('')
        .map((c, k) => (covered[k] ? '\0' : c))
        .join('')
        .replace(/\0+/g, '********');
      expect(masked).toBe(kept);
    }
  });

  test('tens of thousands of secrets cost one pass per string', () => {
    const many = Array.from({ length: 50_000 }, (_, i) => `secret-value-${i.toString(36).padStart(8, '0')}`);
    const texts = Array.from(
      { length: 20_000 },
      (_, i) => `finding ${i} at ${many[i * 2]} and more text here`,
    );
    const started = process.hrtime.bigint();
    const out = texts.map((t) => maskSecrets(t, many));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(out[3]).toBe('finding 3 at ******** and more text here');
    // One includes() per secret per text was 10^9 comparisons here (minutes); a pass is well under this.
    expect(ms).toBeLessThan(20_000);
  });
});

describe('safeJson', () => {
  test('controls become JSON escapes: the value is exact, the text is safe to print', () => {
    const value = { path: 'a\x1b[31m\u009b\u202Eb\u2028' };
    const text = safeJson(value);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e\u2028]/);
    expect(text).toContain('a\\u001b[31m\\u009B\\u202Eb\\u2028');
    expect(JSON.parse(text)).toEqual(value);
  });
});
