import { listPlans } from '@/lib/plans';
import { requestClient, requireSession } from '@/lib/session';
import { SubscribeForm } from './SubscribeForm';

export const dynamic = 'force-dynamic';

export default async function SubscribePage() {
  const { user } = await requireSession('/subscribe');
  const { plans, error } = await listPlans(await requestClient());
  return (
    <>
      <h1>Subscribe to an agent</h1>
      <p className="lead">Choose an agent and a plan; you see when the subscription ends before you confirm.</p>
      <SubscribeForm subscriber={{ id: user.id, name: (typeof user.name === 'string' && user.name) || user.email }} plans={plans} loadError={error} />
    </>
  );
}
