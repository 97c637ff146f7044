// Server-side only: the app's one way to the Rust server. A call carries the
// session token of the person it is made for (from the httpOnly cookie, see
// session.ts) or no credential at all; the web app holds no service token.

/** Base URL of the Rust server. */
export const API_URL = (process.env.API_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');

/** The browser behind a request: what the server records and rate-limits by. */
export interface ClientInfo {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

/**
 * The browser's address and user agent from the headers the app received.
 * Next.js fills `X-Forwarded-For` with the socket's address when the request
 * has none; behind a reverse proxy the last entry is the one the nearest
 * proxy added. (A browser talking to `next start` directly may send its own
 * header, which Next keeps: deploy behind a proxy that sets it.)
 */
export function clientOf(headers: Headers): ClientInfo {
  const forwarded = headers.get('x-forwarded-for') ?? '';
  const ip = forwarded
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .pop();
  return { ip, userAgent: headers.get('user-agent') ?? undefined };
}

/** A response of the Rust server: its status, JSON body and `Retry-After`. */
export interface ApiResponse {
  status: number;
  body: unknown;
  retryAfter?: string | undefined;
}

/** How a call is made: whose session, from which browser, with what body. */
export interface CallOptions {
  method?: string;
  body?: unknown;
  /** The person's session token; absent for anonymous (public) calls. */
  session?: string | undefined;
  client?: ClientInfo | undefined;
}

/** Calls the Rust server; an unreachable server is a 503 like the server's own. */
export async function callApi(path: string, init: CallOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  if (init.session) headers.authorization = `Bearer ${init.session}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.client?.ip) headers['x-forwarded-for'] = init.client.ip;
  if (init.client?.userAgent) headers['user-agent'] = init.client.userAgent;
  let res: Response;
  try {
    res = await fetch(`${API_URL}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      cache: 'no-store',
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    return { status: 503, body: { error: 'unavailable', message: 'The data service is unreachable. Try again in a moment.' } };
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { error: 'bad_gateway', message: 'The data service gave an answer that is not JSON.' };
  }
  return { status: res.status, body, retryAfter: res.headers.get('retry-after') ?? undefined };
}

/** A document as the server returns it. */
export type Doc = Record<string, unknown>;

/** A page of a list: its documents, or why there are none. */
export interface ListResult {
  items: Doc[];
  nextCursor?: string | null;
  error?: string;
}

/**
 * Lists documents of a collection route (`tools`, `subscriptions`, ...) as
 * `opts.session` may see them (the server narrows every list to what the
 * caller may read), newest first.
 */
export async function listDocuments(
  route: string,
  opts: { session?: string | undefined; client?: ClientInfo; query?: Record<string, string>; limit?: number } = {},
): Promise<ListResult> {
  // `_id` is always sortable and grows with insertion time, so `-_id` is newest first.
  const query = new URLSearchParams({ sort: '-_id', limit: String(opts.limit ?? 20), ...opts.query });
  const res = await callApi(`/api/${route}?${query}`, { session: opts.session, client: opts.client });
  if (res.status !== 200) return { items: [], error: messageOf(res) };
  // The server answers every list with `{ items, nextCursor }`.
  const body = res.body as { items: Doc[]; nextCursor?: string | null };
  return { items: body.items, nextCursor: body.nextCursor ?? null };
}

/** A sentence for people from an error answer of the server. */
export function messageOf(res: ApiResponse): string {
  const body = (res.body ?? {}) as { message?: unknown; error?: unknown };
  if (typeof body.message === 'string' && body.message) return body.message;
  if (typeof body.error === 'string' && body.error) return body.error;
  return `HTTP ${res.status}`;
}
