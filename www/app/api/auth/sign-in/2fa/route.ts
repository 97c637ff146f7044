// The second sign-in step: a code (TOTP or backup) with the challenge the
// password step left in its cookie; the session cookie out.
import { pick, readForm, refusal } from '@/lib/guard';
import { callApi, clientOf } from '@/lib/server';
import { signedIn } from '@/lib/session-cookie';
import { pendingChallenge, withoutChallenge } from '@/lib/two-factor-cookie';

export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  const challenge = await pendingChallenge();
  if (!challenge) return refusal(400, 'invalid_challenge', 'This sign-in has expired. Sign in again.');
  const res = await callApi('/api/auth/sign-in/2fa', {
    method: 'POST',
    body: { ...pick(form.body, ['code']), challenge },
    client: clientOf(request.headers),
  });
  const response = signedIn(request, res);
  // Done, or no longer valid: either way the challenge is of no more use.
  const body = (res.body ?? {}) as { error?: unknown };
  return res.status === 200 || body.error === 'invalid_challenge' ? withoutChallenge(request, response) : response;
}
