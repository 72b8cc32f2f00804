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
