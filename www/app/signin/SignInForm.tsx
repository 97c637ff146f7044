'use client';

import Link from 'next/link';
import { useState } from 'react';
import { ErrorSummary } from '@/components/ErrorSummary';
import { Banner, Field, RequiredNote, type BannerState } from '@/components/Field';
import { toErrorMap, type ErrorMap } from '@/lib/forms';
import { useModels } from '@/lib/models';
import { sendForm } from '@/lib/submit';

export function SignInForm({ next }: { next: string }) {
  const models = useModels();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [emailError, setEmailError] = useState<string | undefined>();
  const [banner, setBanner] = useState<BannerState | null>(null);
  const [busy, setBusy] = useState(false);
  // After a submit with a field left empty: what each empty field says.
  const [missing, setMissing] = useState<ErrorMap>({});
  // How many times the person tried to submit: the summary appears (and takes the focus) on each try.
  const [submitted, setSubmitted] = useState(0);
  const shown: ErrorMap = { ...missing, ...(emailError ? { email: emailError } : {}) };

  function changeEmail(value: string) {
    setEmail(value);
    setBanner(null);
    // The same email rule as sign-up, from the package (once it has loaded).
    const errors = models && value ? models.validateField('users', 'email', value) : [];
    setEmailError(toErrorMap(errors, { label: () => 'Email', collection: 'users' }).email);
    setMissing(({ email: _email, ...rest }) => rest);
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setSubmitted((n) => n + 1);
    const empty: ErrorMap = {};
    if (!email) empty.email = 'Enter your email address.';
    if (!password) empty.password = 'Enter your password.';
    setMissing(empty);
    if (Object.keys(empty).length || emailError) return;
    setBusy(true);
    const res = await sendForm('/api/auth/sign-in', { email, password });
    if (res.ok) {
      // A full load, so every server component renders with the new session.
      // A two-factor account continues with the code step (its challenge is in a cookie).
      window.location.assign(res.document.twoFactorRequired === true ? `/signin/two-factor?next=${encodeURIComponent(next)}` : next);
      return;
    }
    setBusy(false);
    setBanner({ ok: false, text: res.message });
  }

  return (
    <form className="card narrow" onSubmit={submit} noValidate data-testid="signin-form">
      <ErrorSummary errors={shown} order={['email', 'password']} attempt={submitted} />
      <Banner banner={banner} />
      <RequiredNote />
      <Field id="email" label="Email" error={shown.email} required>
        <input id="email" name="email" type="email" autoComplete="email" value={email} onChange={(e) => changeEmail(e.target.value)} />
      </Field>
      <Field id="password" label="Password" error={shown.password} required>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
            setBanner(null);
            setMissing(({ password: _password, ...rest }) => rest);
          }}
        />
      </Field>
      <div className="actions">
        <button type="submit" disabled={busy} data-testid="submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <span className="hint">
          New here? <Link href={`/signup?next=${encodeURIComponent(next)}`}>Create an account</Link>
        </span>
      </div>
    </form>
  );
}
