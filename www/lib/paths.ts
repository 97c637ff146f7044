// Where sign-in sends a person back to (`?next=`), on server and client alike.

/** Where a signed-in person lands when no page asked for the sign-in. */
export const DEFAULT_NEXT = '/account';

/**
 * `value` when it is a path of this app (`/account?tab=1`), otherwise the
 * default: never another site (`//evil.test`, `https://...`, `/\evil.test`).
 */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return DEFAULT_NEXT;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return DEFAULT_NEXT;
  return value;
}

/** The sign-in page that comes back to `next`. */
export function signInPath(next: string): string {
  return `/signin?next=${encodeURIComponent(safeNext(next))}`;
}
