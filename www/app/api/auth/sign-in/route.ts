// Sign-in: email and password in, the session cookie out (or, for a
// two-factor account, the challenge cookie of the code step).
import { pick, readForm } from '@/lib/guard';
import { callApi, clientOf } from '@/lib/server';
import { signedInOrChallenge } from '@/lib/two-factor-cookie';

export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  const res = await callApi('/api/auth/sign-in', { method: 'POST', body: pick(form.body, ['email', 'password']), client: clientOf(request.headers) });
  // A two-factor account gets the challenge cookie and goes to the code step.
  return signedInOrChallenge(request, res);
}
