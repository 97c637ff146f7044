// Route handlers only: the step between a right password (or sign-in link)
// and a two-factor code. The server answers `{twoFactorRequired, challenge}`;
// the challenge goes into a short-lived httpOnly cookie (like the session
// token, page scripts never see it) and the page is told only that a code is
// needed. The second step reads it back from the cookie.
import { cookies } from 'next/headers';
import { NextResponse } from 'next/server';
import type { ApiResponse } from './server';
import { isHttps } from './session';
import { forward } from './guard';
import { forwardAs, signedIn } from './session-cookie';

/** The cookie that holds the pending two-factor challenge. */
export const CHALLENGE_COOKIE = 'onelastai_2fa';

/** The server's challenges last 5 minutes; the cookie no longer. */
const CHALLENGE_SECONDS = 5 * 60;

function challengeCookie(request: Request, maxAge: number) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: isHttps(request), path: '/', maxAge };
}

/** The pending challenge of the current request, if any. */
export async function pendingChallenge(): Promise<string | undefined> {
  return (await cookies()).get(CHALLENGE_COOKIE)?.value || undefined;
}

/** `response` with the challenge cookie removed. */
export function withoutChallenge(request: Request, response: NextResponse): NextResponse {
  response.cookies.set(CHALLENGE_COOKIE, '', challengeCookie(request, 0));
  return response;
}

/**
 * A sign-in answer of the server: a session becomes the session cookie (see
 * `signedIn`); a two-factor challenge becomes the challenge cookie and
 * `{twoFactorRequired: true}`; anything else goes back as the server gave it.
 */
export function signedInOrChallenge(request: Request, res: ApiResponse): NextResponse {
  const body = (res.body ?? {}) as { twoFactorRequired?: unknown; challenge?: unknown };
  if (res.status === 200 && body.twoFactorRequired === true && typeof body.challenge === 'string') {
    const response = NextResponse.json({ twoFactorRequired: true }, { status: 200 });
    response.cookies.set(CHALLENGE_COOKIE, body.challenge, challengeCookie(request, CHALLENGE_SECONDS));
    return response;
  }
  return signedIn(request, res);
}

/**
 * The server's answer to a call that checks a password or a code with the
 * session (two-factor off, new backup codes): a wrong one is `401
 * invalid_credentials` and goes back as it is; any other 401 means the
 * session ended (the cookie is removed, as `forwardAs` does).
 */
export function forwardChecked(request: Request, res: ApiResponse): NextResponse {
  const code = (res.body as { error?: unknown } | null)?.error;
  return res.status === 401 && code === 'invalid_credentials' ? forward(res) : forwardAs(request, res);
}
