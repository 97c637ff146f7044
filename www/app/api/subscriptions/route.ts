// Subscribe: for the signed-in person only. The form sends the agent and the
// plan; the server sets the subscriber, the price (from the plan), the start
// and the expiry.
import { pick, readForm } from '@/lib/guard';
import { callApi, clientOf } from '@/lib/server';
import { forwardAs, sessionOf } from '@/lib/session-cookie';

export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  const session = await sessionOf(request);
  if ('response' in session) return session.response;
  const res = await callApi('/api/subscriptions', {
    method: 'POST',
    body: pick(form.body, ['agentId', 'plan']),
    session: session.token,
    client: clientOf(request.headers),
  });
  return forwardAs(request, res);
}
