// "Forgot password": the account's email in, a reset link by mail out.
import { ForgotPasswordForm } from './ForgotPasswordForm';

export const dynamic = 'force-dynamic';

export default function ForgotPasswordPage() {
  return (
    <>
      <h1>Reset your password</h1>
      <p className="lead">Enter your account&apos;s email. If it has a password, a link to choose a new one is mailed to it (valid for 1 hour).</p>
      <ForgotPasswordForm />
    </>
  );
}
