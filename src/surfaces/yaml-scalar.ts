import { Scalar } from 'yaml';

/**
 * Maps each character of a YAML scalar's value back to its offset in the file. Block scalars lose their
 * indentation, folded ones their line breaks, quoted ones their escapes; walking the value and the source
 * side by side recovers where every character of the value was written.
 */
export function scalarOffsets(source: string, scalar: Scalar, value: string): (i: number) => number {
  const range = scalar.range;
  if (!range) return () => 0;
  let [j, end] = range;
  const type = scalar.type;
  const double = type === Scalar.QUOTE_DOUBLE;
  const single = type === Scalar.QUOTE_SINGLE;
  if (double || single) {
    j++;
    end--;
  } else if (type === Scalar.BLOCK_LITERAL || type === Scalar.BLOCK_FOLDED) {
    const header = source.indexOf('\n', j);
    j = header < 0 ? end : header + 1;
  }
  const map = new Array<number>(value.length);
  let i = 0;
  while (i < value.length) {
    if (j >= end) {
      map[i++] = Math.max(range[0], end - 1);
      continue;
    }
    const v = value[i];
    const s = source[j];
    if (v === s && !(double && s === '\\')) {
      map[i++] = j++;
    } else if (double && s === '\\') {
      j++;
      if (source[j] === '\n' || source[j] === '\r') {
        while (j < end && /\s/.test(source[j] as string)) j++;
      } else map[i++] = j++;
    } else if (single && s === "'" && source[j + 1] === "'") {
      j++;
    } else if (s === ' ' || s === '\t' || s === '\n' || s === '\r') {
      j++;
    } else if (v === ' ' || v === '\n') {
      map[i++] = j;
    } else {
      map[i++] = j++;
    }
  }
  return (i: number) => {
    if (value.length === 0) return range[0];
    if (i < 0) return map[0] as number;
    if (i >= value.length) return (map[value.length - 1] as number) + (i - value.length + 1);
    return map[i] as number;
  };
}
