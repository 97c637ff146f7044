// Route handlers only: what a request must be before the app acts on it, and
// how the server's answer goes back to the page.
//
// Every route handler here changes something (a session, a document), so
// each request must come from this app's own pages:
// - `Sec-Fetch-Site`, when the browser sends it, must be `same-origin`;
// - `Origin` must be present and be this app's origin (`APP_ORIGIN`, or the
//   scheme and host the request was made to). Browsers send `Origin` with
//   every POST and PATCH, so a missing one means a client that is not one of
//   our pages (or a very old browser): refused rather than trusted;
// - `Content-Type` must be `application/json`, which a cross-site HTML form
//   cannot send and a cross-site `fetch` cannot send without a CORS preflight
//   that this app never answers;
// - the body is a JSON object of at most 256 KiB, nested at most as deep as
//   the server takes (deeper, passing it on would overflow `JSON.stringify`).
// The session cookie is SameSite=Lax as well, so a cross-site POST carries no
// session even if all of the above were missing; the checks above also stop
// what needs no session (sign-up, sign-in: login CSRF).
import { NextResponse } from 'next/server';
import type { ApiResponse } from './server';

/** Largest body a form may send. */
const BODY_LIMIT = 256 * 1024;

/**
 * Deepest nesting of objects and arrays a form may send, the body itself
 * included: the server's own limit (`MAX_DEPTH` in crates/server/src/body.rs),
 * so the app refuses, as the server would, what it could not pass on.
 */
const DEPTH_LIMIT = 32;

/** An error answer in the server's shape, `{error, message}`. */
export function refusal(status: number, error: string, message: string): NextResponse {
  return NextResponse.json({ error, message }, { status });
}

/** The origins this app is served from. */
function ownOrigins(request: Request): string[] {
  const configured = process.env.APP_ORIGIN;
  if (configured) {
    return configured
      .split(',')
      .map((o) => o.trim().replace(/\/$/, '').toLowerCase())
      .filter(Boolean);
  }
  // Next.js fills X-Forwarded-Host and -Proto from Host and the socket when
  // no proxy did; a browser cannot set either on a cross-site request.
  const first = (name: string) => request.headers.get(name)?.split(',')[0]?.trim();
  const host = first('x-forwarded-host') ?? first('host');
  const proto = first('x-forwarded-proto') ?? 'http';
  return host ? [`${proto}://${host}`.toLowerCase()] : [];
}

/** 403 unless the request comes from one of this app's own pages. */
export function refuseCrossSite(request: Request): NextResponse | null {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin') {
    return refusal(403, 'cross_site', 'This request came from another site and was refused.');
  }
  const origin = request.headers.get('origin');
  if (!origin) return refusal(403, 'origin_required', 'This request has no Origin header and was refused.');
  if (!ownOrigins(request).includes(origin.toLowerCase())) {
    return refusal(403, 'cross_site', 'This request came from another site and was refused.');
  }
  return null;
}

/** The body, at most `limit` bytes of UTF-8; `null` when larger or not UTF-8. */
async function readText(request: Request, limit: number): Promise<string | null> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > limit) return null;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Whether `value` nests objects or arrays more than `limit` levels deep (the
 * value itself is level 1). A loop, not recursion: `JSON.parse` takes bodies
 * nested deeper than the stack.
 */
function deeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [v, level] = next;
    if (!v || typeof v !== 'object') continue;
    if (level > limit) return true;
    for (const child of Object.values(v)) pending.push([child, level + 1]);
  }
  return false;
}

/** A form's JSON body, or the answer that refuses the request. */
export type FormBody = { ok: true; body: Record<string, unknown> } | { ok: false; response: NextResponse };

/** Applies every check above and parses the body. */
export async function readForm(request: Request): Promise<FormBody> {
  const crossSite = refuseCrossSite(request);
  if (crossSite) return { ok: false, response: crossSite };
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    return { ok: false, response: refusal(415, 'unsupported_media_type', 'Send the form as application/json.') };
  }
  const text = await readText(request, BODY_LIMIT);
  if (text === null) return { ok: false, response: refusal(413, 'payload_too_large', 'The form is too large.') };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, response: refusal(400, 'malformed_json', 'The request body is not JSON.') };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, response: refusal(400, 'not_an_object', 'The request body must be a JSON object.') };
  }
  if (deeperThan(body, DEPTH_LIMIT)) {
    return { ok: false, response: refusal(400, 'too_deep', `The form nests objects or arrays deeper than ${DEPTH_LIMIT} levels.`) };
  }
  return { ok: true, body: body as Record<string, unknown> };
}

/** The keys of `source` that a form may send (and only those that it did). */
export function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (Object.hasOwn(source, k) && source[k] !== undefined) out[k] = source[k];
  return out;
}

/** `value` when it is a plain object, else an empty one. */
export function objectAt(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The server's answer, as it came (status, body, `Retry-After`). */
export function forward(res: ApiResponse): NextResponse {
  if (res.status === 204) return new NextResponse(null, { status: 204 });
  return NextResponse.json(res.body, { status: res.status, headers: res.retryAfter ? { 'retry-after': res.retryAfter } : {} });
}
