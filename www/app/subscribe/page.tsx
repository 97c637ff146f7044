import { listDocuments } from '@/lib/server';
import { SubscribeForm, type UserOption } from './SubscribeForm';

export const dynamic = 'force-dynamic';

export default async function SubscribePage() {
  const { items, error } = await listDocuments('users', 100);
  const users: UserOption[] = items
    .filter((u) => typeof u.id === 'string')
    .map((u) => ({ id: String(u.id), label: typeof u.name === 'string' && u.name ? `${u.name} (${String(u.email)})` : String(u.email) }));
  return (
    <>
      <h1>Subscribe to an agent</h1>
      <p className="lead">Choose an agent and a plan; you see when the subscription ends before you confirm.</p>
      <SubscribeForm users={users} loadError={error} />
    </>
  );
}
