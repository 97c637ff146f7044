// Route handlers only: turning the server's session answers into the cookie.
// The token goes into the httpOnly cookie and nowhere else: the page gets the
// user and the expiry, never the token.
import { NextResponse } from 'next/server';
import { forward, pick, readForm, refusal } from './guard';
import { callApi, clientOf, type ApiResponse } from './server';
import { SESSION_COOKIE, sessionCookie, sessionToken } from './session';

/**
 * A successful sign-up or sign-in (`{token, expiresAt, user}`) becomes
 * `{user, expiresAt}` and the session cookie; anything else goes back as the
 * server gave it.
 */
export function signedIn(request: Request, res: ApiResponse): NextResponse {
  const body = (res.body ?? {}) as { token?: unknown; expiresAt?: unknown; user?: unknown };
  if ((res.status !== 200 && res.status !== 201) || typeof body.token !== 'string') return forward(res);
  const expires = typeof body.expiresAt === 'string' ? new Date(body.expiresAt) : undefined;
  const response = NextResponse.json({ user: body.user, expiresAt: body.expiresAt }, { status: res.status });
  response.cookies.set(SESSION_COOKIE, body.token, sessionCookie(request, expires && !Number.isNaN(+expires) ? expires : undefined));
  return response;
}

/** `response` with the session cookie removed. */
export function withoutSession(request: Request, response: NextResponse): NextResponse {
  response.cookies.set(SESSION_COOKIE, '', { ...sessionCookie(request), maxAge: 0 });
  return response;
}

/** 401 for a page acting without a session. */
export function signedOut(request: Request): NextResponse {
  return withoutSession(request, refusal(401, 'signed_out', 'Your session has ended. Sign in again.'));
}

/**
 * The session token of a request that needs one, or the 401 to answer. A
 * token the server refuses later also ends in `forwardAs`'s 401 below.
 */
export async function sessionOf(request: Request): Promise<{ token: string } | { response: NextResponse }> {
  const token = await sessionToken();
  return token ? { token } : { response: signedOut(request) };
}

/** The server's answer to a call made with the session; a 401 also clears the cookie. */
export function forwardAs(request: Request, res: ApiResponse): NextResponse {
  return res.status === 401 ? signedOut(request) : forward(res);
}

/**
 * A form posted for the signed-in person, passed on as `POST path` with the
 * session: the form's checks (`readForm`), 401 without a session, only the
 * `keys` of the form forwarded; the server's answer through `answer`.
 */
export async function postForSession(
  request: Request,
  path: string,
  keys: readonly string[],
  answer: (request: Request, res: ApiResponse) => NextResponse = forwardAs,
): Promise<NextResponse> {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  const session = await sessionOf(request);
  if ('response' in session) return session.response;
  const res = await callApi(path, { method: 'POST', body: pick(form.body, keys), session: session.token, client: clientOf(request.headers) });
  return answer(request, res);
}
