// Publish a tool: as the signed-in person. The author is the session's user
// (its id and name), never a field of the form; the tool is listed in the
// public marketplace (`published`). Counters, ratings and the verified and
// featured flags are the server's and are not forwarded.
import { objectAt, pick, readForm, refusal } from '@/lib/guard';
import { callApi, clientOf } from '@/lib/server';
import { forwardAs, sessionOf } from '@/lib/session-cookie';
import type { User } from '@/lib/session';

const TOOL = ['id', 'codeUrl', 'mainFunction'] as const;
const METADATA = ['name', 'slug', 'description', 'longDescription', 'category', 'tags', 'icon', 'currentVersion'] as const;
const VERSION = ['versionId', 'version', 'description', 'changelog', 'isStable'] as const;
const INPUT = ['id', 'name', 'type', 'description', 'required', 'defaultValue', 'validation'] as const;

/** Each object of a list, reduced to `keys`; anything else is left for the server to refuse. */
function pickEach(list: unknown, keys: readonly string[]): unknown {
  if (!Array.isArray(list)) return list;
  return list.map((item: unknown) => (item && typeof item === 'object' && !Array.isArray(item) ? pick(item as Record<string, unknown>, keys) : item));
}

export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form.ok) return form.response;
  const session = await sessionOf(request);
  if ('response' in session) return session.response;
  const client = clientOf(request.headers);
  const me = await callApi('/api/auth/me', { session: session.token, client });
  if (me.status !== 200) return forwardAs(request, me);
  const user = (me.body as { user: User }).user;
  const name = typeof user.name === 'string' ? user.name.trim() : '';
  if (!name) return refusal(422, 'name_required', 'Add your name to your profile first: it is shown as the tool’s author.');

  const metadata = objectAt(form.body.metadata);
  const tool = {
    ...pick(form.body, TOOL),
    published: true,
    metadata: {
      ...pick(metadata, METADATA),
      ...(metadata.allVersions === undefined ? {} : { allVersions: pickEach(metadata.allVersions, VERSION) }),
      author: { id: user.id, name },
    },
    config: { inputs: pickEach(objectAt(form.body.config).inputs ?? [], INPUT) },
  };
  const res = await callApi('/api/tools', { method: 'POST', body: tool, session: session.token, client });
  return forwardAs(request, res);
}
