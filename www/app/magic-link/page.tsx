// Passwordless sign-in: without a token, ask for a link by mail; with the
// link's token, a button that uses it. The link is not used on opening the
// page, because mail scanners open links too.
import { redirect } from 'next/navigation';
import { EmailLinkForm } from '../forgot-password/ForgotPasswordForm';
import { currentSession } from '@/lib/session';
import { MagicLinkConfirm } from './MagicLinkConfirm';
import { PasswordlessSignUpForm } from './PasswordlessSignUpForm';

export const dynamic = 'force-dynamic';

export default async function MagicLinkPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const token = (await searchParams).token;
  if (typeof token === 'string' && token) {
    return (
      <>
        <h1>Sign in with your link</h1>
        <p className="lead">This link signs you in once. It works for 15 minutes after it was sent.</p>
        <MagicLinkConfirm token={token} />
      </>
    );
  }
  if (await currentSession().catch(() => null)) redirect('/account');
  return (
    <>
      <h1>Sign in with an email link</h1>
      <p className="lead">For accounts without a password: enter your email and we mail you a link that signs you in.</p>
      <EmailLinkForm action="/api/auth/magic-link" submitLabel="Mail me a sign-in link" testid="magic-link-form" />
      <PasswordlessSignUpForm />
    </>
  );
}
