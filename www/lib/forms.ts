// Small form helpers shared by the pages: field errors keyed by path, each
// message the one a person reads (lib/fields.ts).
import type { CollectionName } from '@onelastai/models';
import { humanMessage } from './fields';

/** The first error message of each failing path. */
export type ErrorMap = Record<string, string>;

/** A field error as the package and the server give it. */
export interface FieldErrorLike {
  path: string;
  kind: string;
  message: string;
  value?: unknown;
}

/**
 * How a form's messages name its fields: its labels by path (`undefined`:
 * one made from the path) and its collection (for the rules of an error the
 * server sent).
 */
export interface Labels {
  label?: (path: string) => string | undefined;
  collection?: CollectionName;
}

/** Keeps the first error per path, as the sentence a person reads. */
export function toErrorMap(errors: readonly FieldErrorLike[], labels: Labels = {}): ErrorMap {
  const map: ErrorMap = {};
  for (const e of errors) if (!(e.path in map)) map[e.path] = humanMessage(e, { label: labels.label?.(e.path), collection: labels.collection });
  return map;
}

/** Replaces the errors of `path` (and of the paths below it) by `errors`. */
export function withPathErrors(current: ErrorMap, path: string, errors: readonly FieldErrorLike[], labels: Labels = {}): ErrorMap {
  const next: ErrorMap = {};
  for (const [p, m] of Object.entries(current)) {
    if (p !== path && !p.startsWith(`${path}.`)) next[p] = m;
  }
  return { ...next, ...toErrorMap(errors, labels) };
}

/** The errors of the paths a form shows (`paths`, or below them), so the summary counts what is marked. */
export function onlyPaths(errors: ErrorMap, paths: readonly string[]): ErrorMap {
  const out: ErrorMap = {};
  for (const [p, m] of Object.entries(errors)) if (paths.some((f) => p === f)) out[p] = m;
  return out;
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
