import type { Needle } from '../fs/list.js';
import { SECRET_GREP_PATTERNS, SECRET_NEEDLES } from './secret-patterns.js';

/**
 * What makes a file worth reading beyond its name: Claude named in it, or a credential's fixed part, or the
 * shape of one no fixed string picks out (a password in a URL).
 */
export const CONTENT_NEEDLES: readonly Needle[] = [
  'claude',
  ...SECRET_NEEDLES,
  ...SECRET_GREP_PATTERNS.map((regex) => ({ regex })),
];
