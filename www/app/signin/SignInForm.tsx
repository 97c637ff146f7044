'use client';

import Link from 'next/link';
import { useState } from 'react';
import { Banner, Field, type BannerState } from '@/components/Field';
import { useModels } from '@/lib/models';
import { sendForm } from '@/lib/submit';

export function SignInForm({ next }: { next: string }) {
  const models = useModels();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [emailError, setEmailError] = useState<string | undefined>();
  const [banner, setBanner] = useState<BannerState | null>(null);
  const [busy, setBusy] = useState(false);

  function changeEmail(value: string) {
    setEmail(value);
    setBanner(null);
    // The same email rule as sign-up, from the package (once it has loaded).
    const errors = models && value ? models.validateField('users', 'email', value) : [];
    setEmailError(errors[0]?.message);
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
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
      <Banner banner={banner} />
      <Field id="email" label="Email" error={emailError}>
        <input id="email" name="email" type="email" autoComplete="email" value={email} onChange={(e) => changeEmail(e.target.value)} />
      </Field>
      <Field id="password" label="Password">
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
            setBanner(null);
          }}
        />
      </Field>
      <div className="actions">
        <button type="submit" disabled={busy || !email || !password || !!emailError} data-testid="submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <span className="hint">
          New here? <Link href={`/signup?next=${encodeURIComponent(next)}`}>Create an account</Link>
        </span>
      </div>
    </form>
  );
}
