const SIMPLE_ESCAPES = new Map([
  ['n', '\n'],
  ['t', '\t'],
  ['r', '\r'],
  ['b', '\b'],
  ['f', '\f'],
  ['"', '"'],
  ['\\', '\\'],
  ['/', '/'],
]);

/**
 * Offsets of each character of a JSON string's value within the file, given the offset of its opening
 * quote: escapes such as `\"` and `\u0041` are one character of the value but several of the source.
 */
export function jsonStringOffsets(source: string, quoteAt: number): { value: string; offsets: number[] } {
  let value = '';
  const offsets: number[] = [];
  let i = quoteAt + 1;
  while (i < source.length && source[i] !== '"') {
    if (source[i] === '\\') {
      const e = source[i + 1] ?? '';
      if (e === 'u') {
        value += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16) || 0);
        offsets.push(i);
        i += 6;
      } else {
        value += SIMPLE_ESCAPES.get(e) ?? e;
        offsets.push(i + 1);
        i += 2;
      }
      continue;
    }
    value += source[i];
    offsets.push(i);
    i++;
  }
  return { value, offsets };
}
