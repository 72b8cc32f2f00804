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
    if (single && s === "'" && source[j + 1] === "'") {
      // '' is one quote in a single-quoted scalar.
      map[i++] = j;
      j += 2;
    } else if (double && s === '\\') {
      const e = source[j + 1];
      if (e === '\n' || e === '\r') {
        j++;
        while (j < end && /\s/.test(source[j] as string)) j++;
      } else {
        // One character of the value for the whole escape: \n, \", \xXX, \uXXXX, \UXXXXXXXX (two units).
        const width = e === 'x' ? 4 : e === 'u' ? 6 : e === 'U' ? 10 : 2;
        const units = e === 'U' && (value.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
        for (let k = 0; k < units && i < value.length; k++) map[i++] = j;
        j += width;
      }
    } else if (v === s) {
      map[i++] = j++;
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
