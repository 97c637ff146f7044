// Passwordless sign-in, step one: asks the server to mail a sign-in link
// (the same answer whatever the email).
import { forward, pick, readForm } from '@/lib/guard';
import { callApi, clientOf } from '@/lib/server';

export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  return forward(await callApi('/api/auth/magic-link', { method: 'POST', body: pick(form.body, ['email']), client: clientOf(request.headers) }));
}
