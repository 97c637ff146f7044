// Small form helpers shared by the pages: field errors keyed by path.

/** The first error message of each failing path. */
export type ErrorMap = Record<string, string>;

/** A field error as the package and the server give it. */
export interface FieldErrorLike {
  path: string;
  kind: string;
  message: string;
}

/** Keeps the first message per path. */
export function toErrorMap(errors: readonly Pick<FieldErrorLike, 'path' | 'message'>[]): ErrorMap {
  const map: ErrorMap = {};
  for (const e of errors) if (!(e.path in map)) map[e.path] = e.message;
  return map;
}

/** Replaces the errors of `path` (and of the paths below it) by `errors`. */
export function withPathErrors(current: ErrorMap, path: string, errors: readonly FieldErrorLike[]): ErrorMap {
  const next: ErrorMap = {};
  for (const [p, m] of Object.entries(current)) {
    if (p !== path && !p.startsWith(`${path}.`)) next[p] = m;
  }
  return { ...next, ...toErrorMap(errors) };
}

/** Drops empty strings so optional fields left blank are simply absent. */
export function compact<T extends Record<string, unknown>>(obj: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === '' || v === undefined) continue;
    out[k] = v;
  }
  return out as Partial<T>;
}

/** A fresh client-made document id such as `user_1718000000000_k3j9qz`. */
export function newId(prefix: string): string {
  return `${prefix}_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
}
