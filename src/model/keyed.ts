/**
 * A table keyed by text from a scanned file (env names, action inputs, headers). It has no prototype, so a
 * key such as `__proto__`, `constructor` or `toString` is only a key: it can neither find an inherited
 * function nor replace the object's prototype. Fixed tables of our own are `Map`s, for the same reason.
 * ESLint refuses a `Record<string, …>` written as an object literal (eslint.config.js).
 */
export function keyedByText<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
