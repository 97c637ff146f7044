// Sign-up without a password: the server makes a passwordless account and
// mails it a sign-in link (202); nobody is signed in until the link is used.
import { forward, pick, readForm } from '@/lib/guard';
import { callApi, clientOf } from '@/lib/server';

export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  const res = await callApi('/api/auth/sign-up', {
    method: 'POST',
    body: { ...pick(form.body, ['email', 'name']), authMethod: 'passwordless' },
    client: clientOf(request.headers),
  });
  return forward(res);
}
