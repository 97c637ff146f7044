// Sign out everywhere: the server ends every session of the person (this
// one included) and the cookie is removed.
import { NextResponse } from 'next/server';
import { readForm } from '@/lib/guard';
import { callApi, clientOf } from '@/lib/server';
import { forwardAs, withoutSession } from '@/lib/session-cookie';
import { sessionToken } from '@/lib/session';

export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  const token = await sessionToken();
  if (token) {
    const res = await callApi('/api/auth/sign-out-everywhere', { method: 'POST', session: token, client: clientOf(request.headers) });
    // The server could not end them (it is down): say so, keep this session.
    if (res.status !== 204 && res.status !== 401) return forwardAs(request, res);
  }
  return withoutSession(request, new NextResponse(null, { status: 204 }));
}
