// Server-side only: talks to the Rust server with the API token, which never
// reaches the browser (route handlers and server components import this).
import { readFileSync } from 'node:fs';

/** Base URL of the Rust server. */
export const API_URL = (process.env.API_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');

function apiToken(): string {
  if (process.env.API_TOKEN) return process.env.API_TOKEN;
  const file = process.env.API_TOKEN_FILE;
  if (file) return readFileSync(file, 'utf8').trim();
  throw new Error('API_TOKEN or API_TOKEN_FILE must be set for the web app');
}

/** A response of the Rust server: its status and JSON body. */
export interface ApiResponse {
  status: number;
  body: unknown;
}

/** Calls the Rust server; an unreachable server is a 503 like the server's own. */
export async function callApi(path: string, init: { method?: string; body?: unknown } = {}): Promise<ApiResponse> {
  let res: Response;
  try {
    res = await fetch(`${API_URL}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${apiToken()}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      cache: 'no-store',
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    return { status: 503, body: { error: 'The data service is unreachable. Try again in a moment.' } };
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { error: text };
  }
  return { status: res.status, body };
}

/** Lists documents of a collection route (`users`, `tools`, ...), newest first. */
export async function listDocuments(route: string, limit = 20): Promise<{ items: Record<string, unknown>[]; error?: string }> {
  // `_id` is always sortable and grows with insertion time, so `-_id` is newest first.
  const res = await callApi(`/api/${route}?sort=-_id&limit=${limit}`);
  if (res.status !== 200) {
    const message = (res.body as { error?: string } | null)?.error ?? `HTTP ${res.status}`;
    return { items: [], error: message };
  }
  // The server answers every list with `{ items, nextCursor }`.
  return { items: (res.body as { items: Record<string, unknown>[] }).items };
}
