// Two-factor setup, on the signed-in person's behalf (see the server's
// POST /api/auth/2fa/setup).
import { readForm } from '@/lib/guard';
import { callApi, clientOf } from '@/lib/server';
import { forwardAs, sessionOf } from '@/lib/session-cookie';

export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  const session = await sessionOf(request);
  if ('response' in session) return session.response;
  const res = await callApi('/api/auth/2fa/setup', { method: 'POST', body: {}, session: session.token, client: clientOf(request.headers) });
  return forwardAs(request, res);
}
