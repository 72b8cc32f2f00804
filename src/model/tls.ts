/**
 * Variables that turn certificate checks off, each with the values that do it. A name may be a pattern: the
 * `…_SSL` and `…_VERIFY_SSL` families of database and HTTP clients.
 */
const TLS_OFF: readonly { name: RegExp; off: RegExp; says: string }[] = [
  {
    name: /^NODE_TLS_REJECT_UNAUTHORIZED$/,
    off: /^0$/,
    says: 'Node.js (and Claude Code with it) accepts any certificate',
  },
  { name: /^GIT_SSL_NO_VERIFY$/i, off: /^(1|true|yes)$/i, says: 'git accepts any certificate' },
  { name: /^PYTHONHTTPSVERIFY$/, off: /^0$/, says: 'Python accepts any HTTPS certificate' },
  {
    name: /^(PG|POSTGRES_|POSTGRESQL_|DB_|DATABASE_)?SSL_?MODE$/i,
    off: /^(disable|allow)$/i,
    says: 'the database connection may go without TLS',
  },
  {
    name: /^(POSTGRES|POSTGRESQL|PG|DB|DATABASE|MYSQL|REDIS|MONGO|MONGODB)_(SSL|TLS)$/i,
    off: /^(0|false|no|off|disable|disabled)$/i,
    says: 'the database connection goes without TLS',
  },
  {
    name: /(^|_)(SSL|TLS)_?(NO_?VERIFY|INSECURE|SKIP_?VERIFY)$|(^|_)INSECURE_SKIP_(TLS_)?VERIFY$/i,
    off: /^(1|true|yes|on)$/i,
    says: 'certificates are not checked',
  },
  {
    name: /(^|_)(VERIFY_(SSL|TLS)|(SSL|TLS)_VERIFY(_CERTS?)?)$/i,
    off: /^(0|false|no|off)$/i,
    says: 'certificates are not checked',
  },
];

/** What a variable set to this value turns off; undefined when it leaves TLS checks on. */
export function tlsOffBy(name: string, value: string): string | undefined {
  const v = value.trim();
  return TLS_OFF.find((t) => t.name.test(name) && t.off.test(v))?.says;
}

/** `sslmode=disable` (or `allow`) in a connection string: where it starts and its length. */
export function sslModeOff(text: string): { at: number; length: number } | undefined {
  const m = /(^|[?&;\s])(sslmode=(?:disable|allow))\b/i.exec(text);
  if (!m) return undefined;
  return { at: (m.index ?? 0) + (m[1] as string).length, length: (m[2] as string).length };
}
