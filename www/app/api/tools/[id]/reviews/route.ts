// Publish a review of a tool, as the signed-in person. The reviewer is the
// session's user and the tool is the one the address names, as the server
// knows it; of the form only the rating, title and text are forwarded (the
// helpful counters and the verified flag are the server's).
import { pick, readForm } from '@/lib/guard';
import { callApi, clientOf } from '@/lib/server';
import { forwardAs, sessionOf } from '@/lib/session-cookie';
import type { User } from '@/lib/session';

const REVIEW = ['rating', 'title', 'content'] as const;

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  const session = await sessionOf(request);
  if ('response' in session) return session.response;
  const client = clientOf(request.headers);
  const { id } = await params;
  const tool = await callApi(`/api/tools/${encodeURIComponent(id)}`, { session: session.token, client });
  if (tool.status !== 200) return forwardAs(request, tool);
  const me = await callApi('/api/auth/me', { session: session.token, client });
  if (me.status !== 200) return forwardAs(request, me);
  const user = (me.body as { user: User }).user;
  const review = { ...pick(form.body, REVIEW), toolId: (tool.body as { id: string }).id, userId: user.id };
  const res = await callApi('/api/tool-reviews', { method: 'POST', body: review, session: session.token, client });
  return forwardAs(request, res);
}
