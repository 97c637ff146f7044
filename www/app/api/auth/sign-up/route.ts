// Sign-up: forwards the form's fields (no role, id or other server-set field)
// and signs the new person in (the session cookie).
import { NextResponse } from 'next/server';
import { pick, readForm } from '@/lib/guard';
import { PROFILE_FIELDS } from '@/lib/profile';
import { callApi, clientOf } from '@/lib/server';
import { signedIn } from '@/lib/session-cookie';

/** What the sign-up form may send. */
const FIELDS = ['email', 'password', ...PROFILE_FIELDS] as const;

export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  // Sign-in is by password: an account made without one could never sign in.
  if (typeof form.body.password !== 'string' || form.body.password === '') {
    return NextResponse.json(
      { error: 'validation_failed', errors: [{ path: 'password', kind: 'required', message: 'Choose a password: you sign in with it.' }], errorCount: 1, truncated: false },
      { status: 422 },
    );
  }
  const res = await callApi('/api/auth/sign-up', { method: 'POST', body: pick(form.body, FIELDS), client: clientOf(request.headers) });
  return signedIn(request, res);
}
