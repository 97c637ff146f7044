// Passwordless sign-in, step two: the link's token for a session cookie (or
// the two-factor step, when the account has it on).
import { pick, readForm } from '@/lib/guard';
import { callApi, clientOf } from '@/lib/server';
import { signedInOrChallenge } from '@/lib/two-factor-cookie';

export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  const res = await callApi('/api/auth/magic-link/confirm', { method: 'POST', body: pick(form.body, ['token']), client: clientOf(request.headers) });
  return signedInOrChallenge(request, res);
}
