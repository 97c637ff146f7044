// "Forgot password": asks the server to mail a reset link. The answer is
// the same whatever the email (the server's 202).
import { forward, pick, readForm } from '@/lib/guard';
import { callApi, clientOf } from '@/lib/server';

export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  return forward(await callApi('/api/auth/password-reset', { method: 'POST', body: pick(form.body, ['email']), client: clientOf(request.headers) }));
}
