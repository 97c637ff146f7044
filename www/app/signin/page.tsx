import Link from 'next/link';
import { redirect } from 'next/navigation';
import { safeNext } from '@/lib/paths';
import { currentSession } from '@/lib/session';
import { SignInForm } from './SignInForm';

export const dynamic = 'force-dynamic';

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next);
  if (await currentSession().catch(() => null)) redirect(next);
  return (
    <>
      <h1>Sign in</h1>
      <p className="lead">Welcome back.</p>
      <SignInForm next={next} />
      <p className="hint" data-testid="signin-alternatives">
        <Link href="/forgot-password">Forgot your password?</Link> · <Link href="/magic-link">Email me a sign-in link</Link>
      </p>
    </>
  );
}
