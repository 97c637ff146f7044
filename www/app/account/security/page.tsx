// Account security: two-factor sign-in (on, off), and signing out every
// device. The state comes from the server with the person's session.
import Link from 'next/link';
import { callApi } from '@/lib/server';
import { requestClient, requireSession } from '@/lib/session';
import { SecurityPanel, type TwoFactorState } from './SecurityPanel';

export const dynamic = 'force-dynamic';

export default async function SecurityPage() {
  const { token, user } = await requireSession('/account/security');
  const res = await callApi('/api/auth/2fa', { session: token, client: await requestClient() });
  const state = res.status === 200 ? (res.body as TwoFactorState) : null;
  const hasPassword = user.authMethod !== 'passwordless';
  return (
    <>
      <h1>Security</h1>
      <p className="lead">
        Signed in as {user.email}. <Link href="/account">Back to your account</Link>
      </p>
      <SecurityPanel initial={state} hasPassword={hasPassword} email={user.email} />
    </>
  );
}
