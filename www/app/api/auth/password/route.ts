// A new password for the signed-in person, given the current one (see the
// server's POST /api/auth/password). The server ends the person's other
// sessions; this one stays. A wrong current password is not the end of the
// session.
import { pick, readForm } from '@/lib/guard';
import { callApi, clientOf } from '@/lib/server';
import { sessionOf } from '@/lib/session-cookie';
import { forwardChecked } from '@/lib/two-factor-cookie';

export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  const session = await sessionOf(request);
  if ('response' in session) return session.response;
  const res = await callApi('/api/auth/password', { method: 'POST', body: pick(form.body, ['current', 'new']), session: session.token, client: clientOf(request.headers) });
  return forwardChecked(request, res);
}
