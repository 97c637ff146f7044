// Form submissions: forwarded to the Rust server with the API token. Only the
// collections the app's forms write are exposed.
import { callApi } from '@/lib/server';

const WRITABLE = new Set(['users', 'subscriptions', 'tools']);

export async function POST(request: Request, ctx: { params: Promise<{ collection: string }> }) {
  const { collection } = await ctx.params;
  if (!WRITABLE.has(collection)) {
    return Response.json({ error: `Unknown collection ${collection}` }, { status: 404 });
  }
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return Response.json({ error: 'The request body is not JSON.' }, { status: 400 });
  }
  const res = await callApi(`/api/${collection}`, { method: 'POST', body });
  return Response.json(res.body, { status: res.status });
}
