import { notFound } from 'next/navigation';
import { callApi } from '@/lib/server';
import { requestClient, requireSession } from '@/lib/session';
import { ReviewForm } from './ReviewForm';

export const dynamic = 'force-dynamic';

/** Review a tool of the marketplace, as the signed-in person. */
export default async function ReviewToolPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { token, user } = await requireSession(`/tools/${encodeURIComponent(id)}/review`);
  const res = await callApi(`/api/tools/${encodeURIComponent(id)}`, { session: token, client: await requestClient() });
  if (res.status === 404 || res.status === 400) notFound();
  const tool = (res.status === 200 ? res.body : null) as { id?: unknown; metadata?: { name?: unknown } } | null;
  if (!tool || typeof tool.id !== 'string') throw new Error(`the server answered /api/tools/${id} with ${res.status}`);
  const name = typeof tool.metadata?.name === 'string' ? tool.metadata.name : tool.id;
  return (
    <>
      <h1>Review {name}</h1>
      <p className="lead">Rate the tool and say what you think. The form is checked with the same rules the server applies.</p>
      <ReviewForm tool={{ objectId: id, id: tool.id }} userId={user.id} />
    </>
  );
}
