import { redirect } from 'next/navigation';
import { safeNext } from '@/lib/paths';
import { currentSession } from '@/lib/session';
import { SignUpForm } from './SignUpForm';

export const dynamic = 'force-dynamic';

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next } = await searchParams;
  // A new account lands on Account, which greets it; a sign-up that a page asked for goes back there.
  const target = next === undefined ? '/account?welcome=1' : safeNext(next);
  if (await currentSession().catch(() => null)) redirect(target);
  return (
    <>
      <h1>Create your account</h1>
      <p className="lead">Checked as you type, by the same rules the server applies. You are signed in as soon as it is created.</p>
      <SignUpForm next={target} />
    </>
  );
}
