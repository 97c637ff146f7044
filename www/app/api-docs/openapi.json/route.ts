// The server's OpenAPI document, served by the web app too (the API
// reference links it), so a reader needs no access to the server itself.
import { NextResponse } from 'next/server';
import { loadDocument } from '../openapi';

export const dynamic = 'force-dynamic';

export async function GET() {
  const loaded = await loadDocument();
  if ('error' in loaded) return NextResponse.json({ error: 'unavailable', message: loaded.error }, { status: 503 });
  return NextResponse.json(loaded.doc);
}
