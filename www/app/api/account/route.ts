// Edit your profile: a PATCH of your own user document, based on the version
// the page showed (`__v`; a stale one is the server's 409). Only profile
// fields are forwarded: email, role, password and the other server-set or
// secret fields are not the profile form's to change.
import { pick, readForm } from '@/lib/guard';
import { callApi, clientOf } from '@/lib/server';
import { PROFILE_FIELDS } from '@/lib/profile';
import { forwardAs, sessionOf } from '@/lib/session-cookie';
import type { User } from '@/lib/session';

export async function PATCH(request: Request) {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  const session = await sessionOf(request);
  if ('response' in session) return session.response;
  const client = clientOf(request.headers);
  const me = await callApi('/api/auth/me', { session: session.token, client });
  if (me.status !== 200) return forwardAs(request, me);
  const { _id } = (me.body as { user: User }).user;
  const res = await callApi(`/api/users/${encodeURIComponent(_id)}`, {
    method: 'PATCH',
    body: pick(form.body, ['__v', ...PROFILE_FIELDS]),
    session: session.token,
    client,
  });
  return forwardAs(request, res);
}
