// Server-side only: the person's session. The Rust server hands out a session
// token at sign-up and sign-in; the app keeps it in an httpOnly, SameSite=Lax
// cookie (Secure over HTTPS) that page scripts cannot read, and sends it as
// `Authorization: Bearer` on every call made on the person's behalf.
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { callApi, clientOf, type ClientInfo } from './server';
import { signInPath } from './paths';

/** The cookie that holds the session token. */
export const SESSION_COOKIE = 'onelastai_session';

/** A user as the server returns it (secrets are never returned). */
export interface User {
  _id: string;
  id: string;
  email: string;
  name?: string | null;
  role?: string;
  __v: number;
  [field: string]: unknown;
}

/** A signed-in person: the token and the user it belongs to. */
export interface Session {
  token: string;
  user: User;
}

/** The server could not say whose session this is (it is down or failing). */
export class SessionUnavailable extends Error {}

/** The session token the current request carries, if any. */
export async function sessionToken(): Promise<string | undefined> {
  return (await cookies()).get(SESSION_COOKIE)?.value || undefined;
}

/** The browser behind the current request (server components and route handlers). */
export async function requestClient(): Promise<ClientInfo> {
  return clientOf(await headers());
}

/**
 * The current request's session: `null` when there is no cookie or the
 * server no longer accepts its token (signed out, expired). Asked once per
 * request, however many components want it.
 */
export const currentSession = cache(async (): Promise<Session | null> => {
  const token = await sessionToken();
  if (!token) return null;
  const res = await callApi('/api/auth/me', { session: token, client: await requestClient() });
  if (res.status === 401) return null;
  const user = res.status === 200 ? (res.body as { user?: User | null }).user : null;
  if (!user) throw new SessionUnavailable(`the server answered /api/auth/me with ${res.status}`);
  return { token, user };
});

/** The session, or a redirect to sign-in that comes back to `path`. */
export async function requireSession(path: string): Promise<Session> {
  const session = await currentSession();
  if (!session) redirect(signInPath(path));
  return session;
}

/** Whether the request reached the app over HTTPS (directly or through a proxy). */
export function isHttps(request: Request): boolean {
  if (process.env.COOKIE_SECURE === '1') return true;
  // Next.js sets X-Forwarded-Proto from the socket when no proxy did.
  return request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}

/** The attributes of the session cookie. */
export function sessionCookie(request: Request, expires?: Date) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: isHttps(request), path: '/', ...(expires ? { expires } : {}) };
}
