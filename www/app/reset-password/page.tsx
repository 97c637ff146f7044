// The page a reset link opens: a new password for the token in the link.
import Link from 'next/link';
import { ResetPasswordForm } from './ResetPasswordForm';

export const dynamic = 'force-dynamic';

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const token = (await searchParams).token;
  return (
    <>
      <h1>Choose a new password</h1>
      {typeof token === 'string' && token ? (
        <>
          <p className="lead">At least 8 characters. Every device signed in to this account is signed out.</p>
          <ResetPasswordForm token={token} />
        </>
      ) : (
        <p className="lead">
          This page needs the link from the reset mail. <Link href="/forgot-password">Ask for a new link</Link>.
        </p>
      )}
    </>
  );
}
