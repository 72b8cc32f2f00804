import { maskSecret, mayHold, placeholderReason, SECRET_PATTERNS } from '../model/secret-patterns.js';
import type { SecretToken } from '../model/types.js';
import type { SourceFile } from './source.js';

/** Every credential-shaped string in a text file, each with its exact span. */
export function findSecrets(file: SourceFile): SecretToken[] {
  const found: SecretToken[] = [];
  for (const pattern of SECRET_PATTERNS) {
    if (!mayHold(pattern, file.text)) continue;
    for (const m of file.text.matchAll(pattern.regex)) {
      const match = m[0];
      const body =
        m.slice(1).find((g) => g !== undefined && g.length > 0 && !/^([A-Z]+ )+$/.test(g)) ?? match;
      const start = m.index ?? 0;
      const token: SecretToken = {
        kind: pattern.kind,
        span: file.span(start, start + match.length),
        value: match,
        masked: maskSecret(pattern, match),
      };
      const reason = placeholderReason(pattern, match, body);
      if (reason) token.placeholder = reason;
      found.push(token);
    }
  }
  return found;
}
