// Sign-in: email and password in, the session cookie out.
import { pick, readForm } from '@/lib/guard';
import { callApi, clientOf } from '@/lib/server';
import { signedIn } from '@/lib/session-cookie';

export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  const res = await callApi('/api/auth/sign-in', { method: 'POST', body: pick(form.body, ['email', 'password']), client: clientOf(request.headers) });
  return signedIn(request, res);
}
