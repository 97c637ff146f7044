// Sign-out: the server ends the session (its token is refused from then on)
// and the cookie is removed, whatever the server said.
import { NextResponse } from 'next/server';
import { readForm } from '@/lib/guard';
import { callApi, clientOf } from '@/lib/server';
import { withoutSession } from '@/lib/session-cookie';
import { sessionToken } from '@/lib/session';

export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  const token = await sessionToken();
  if (token) await callApi('/api/auth/sign-out', { method: 'POST', session: token, client: clientOf(request.headers) });
  return withoutSession(request, new NextResponse(null, { status: 204 }));
}
