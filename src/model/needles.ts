import { SECRET_NEEDLES } from './secret-patterns.js';

/** What makes a file worth reading beyond its name: Claude named in it, or a credential's fixed part. */
export const CONTENT_NEEDLES: readonly string[] = ['claude', ...SECRET_NEEDLES];
