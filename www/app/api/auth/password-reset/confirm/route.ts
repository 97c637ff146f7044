// A new password with the token of a reset link. The server ends every
// session of the account, this browser's included.
import { forward, pick, readForm } from '@/lib/guard';
import { callApi, clientOf } from '@/lib/server';
import { withoutSession } from '@/lib/session-cookie';

export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  const res = await callApi('/api/auth/password-reset/confirm', { method: 'POST', body: pick(form.body, ['token', 'password']), client: clientOf(request.headers) });
  const response = forward(res);
  return res.status === 204 ? withoutSession(request, response) : response;
}
