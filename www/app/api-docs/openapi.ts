// Server-side only: the Rust server's OpenAPI document, and the small reading
// helpers the API reference page renders it with. The document is fetched
// from the server (`GET /openapi.json`) on each request, so the page always
// describes the server it talks to; nothing is loaded from elsewhere.
import { callApi } from '@/lib/server';

/** A JSON object of the document. */
export type Node = Record<string, unknown>;

/** The methods the document's path items may hold, in display order. */
export const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** One operation with where it lives. */
export interface Operation {
  method: (typeof METHODS)[number];
  path: string;
  op: Node;
}

/** The server's document, or why it could not be had. */
export async function loadDocument(): Promise<{ doc: Node } | { error: string }> {
  const res = await callApi('/openapi.json');
  if (res.status !== 200 || !isNode(res.body) || typeof res.body.openapi !== 'string') {
    return { error: `The server answered /openapi.json with ${res.status}.` };
  }
  return { doc: res.body };
}

export function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const nodeAt = (v: unknown, key: string): Node => {
  const x = isNode(v) ? v[key] : undefined;
  return isNode(x) ? x : {};
};

export const listAt = (v: unknown, key: string): unknown[] => {
  const x = isNode(v) ? v[key] : undefined;
  return Array.isArray(x) ? x : [];
};

export const textAt = (v: unknown, key: string): string | undefined => {
  const x = isNode(v) ? v[key] : undefined;
  return typeof x === 'string' ? x : undefined;
};

/** Every operation, grouped by its first tag in the document's tag order. */
export function operationsByTag(doc: Node): { tag: string; description?: string; operations: Operation[] }[] {
  const groups = new Map<string, Operation[]>();
  for (const t of listAt(doc, 'tags')) {
    const name = textAt(t, 'name');
    if (name) groups.set(name, []);
  }
  for (const [path, item] of Object.entries(nodeAt(doc, 'paths'))) {
    for (const method of METHODS) {
      const op = nodeAt(item, method);
      if (Object.keys(op).length === 0) continue;
      const tag = String(listAt(op, 'tags')[0] ?? 'other');
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag)?.push({ method, path, op });
    }
  }
  const described = new Map(listAt(doc, 'tags').map((t) => [textAt(t, 'name') ?? '', textAt(t, 'description')]));
  return [...groups.entries()]
    .filter(([, operations]) => operations.length > 0)
    .map(([tag, operations]) => ({ tag, description: described.get(tag), operations }));
}

/** `#/components/schemas/User` → `User`. */
export function refName(ref: string): string {
  return ref.split('/').pop() ?? ref;
}

/** The anchor of a component schema on the page. */
export const schemaAnchor = (name: string) => `schema-${name}`;

/** The anchor of an operation on the page. */
export const operationAnchor = (o: Operation) => `op-${o.method}-${o.path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
