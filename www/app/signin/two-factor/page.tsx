// The second sign-in step of a two-factor account: shown while the password
// step's challenge cookie lives (5 minutes).
import { redirect } from 'next/navigation';
import { safeNext, signInPath } from '@/lib/paths';
import { currentSession } from '@/lib/session';
import { pendingChallenge } from '@/lib/two-factor-cookie';
import { TwoFactorStep } from '../TwoFactorStep';

export const dynamic = 'force-dynamic';

export default async function TwoFactorPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next);
  if (await currentSession().catch(() => null)) redirect(next);
  if (!(await pendingChallenge())) redirect(signInPath(next));
  return (
    <>
      <h1>Two-factor sign-in</h1>
      <p className="lead">Enter the 6-digit code from your authenticator app, or one of your backup codes.</p>
      <TwoFactorStep next={next} />
    </>
  );
}
