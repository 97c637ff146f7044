// New backup codes, on the signed-in person's behalf (see the server's
// POST /api/auth/2fa/backup-codes).
import { pick, readForm } from '@/lib/guard';
import { callApi, clientOf } from '@/lib/server';
import { sessionOf } from '@/lib/session-cookie';
import { forwardChecked } from '@/lib/two-factor-cookie';

export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  const session = await sessionOf(request);
  if ('response' in session) return session.response;
  const res = await callApi('/api/auth/2fa/backup-codes', { method: 'POST', body: pick(form.body, ['code']), session: session.token, client: clientOf(request.headers) });
  // A wrong password or code is not the end of the session.
  return forwardChecked(request, res);
}
