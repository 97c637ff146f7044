'use client';

import { useState } from 'react';
import { Banner, Field, type BannerState } from '@/components/Field';
import { useModels } from '@/lib/models';
import { sendForm } from '@/lib/submit';

/** A new account without a password: it signs in by the links mailed to it. */
export function PasswordlessSignUpForm() {
  const models = useModels();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [emailError, setEmailError] = useState<string | undefined>();
  const [banner, setBanner] = useState<BannerState | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const value = email.trim();
    // The same email rule as every other form, from the package.
    const error = !value ? 'Enter your email address.' : models ? models.validateField('users', 'email', value)[0]?.message : undefined;
    setEmailError(error);
    if (error) return;
    setBusy(true);
    const res = await sendForm('/api/auth/sign-up/passwordless', name.trim() ? { email: value, name: name.trim() } : { email: value });
    setBusy(false);
    if (res.ok) {
      setBanner({ ok: true, text: `Account created. A sign-in link is on its way to ${value}.` });
    } else if (res.status === 409) {
      setBanner({ ok: false, text: 'An account already has this email. Ask for a sign-in link above, or sign in with your password.' });
    } else {
      setEmailError(res.fieldErrors.email);
      setBanner({ ok: false, text: res.message });
    }
  }

  return (
    <form className="card narrow" onSubmit={submit} noValidate data-testid="passwordless-signup-form">
      <h2>New here?</h2>
      <p className="hint">Create an account without a password: you sign in with a link we mail you each time.</p>
      <Banner banner={banner} />
      <Field id="new-email" label="Email" error={emailError}>
        <input id="new-email" name="email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      </Field>
      <Field id="new-name" label="Name (optional)">
        <input id="new-name" name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <div className="actions">
        <button type="submit" disabled={busy} data-testid="passwordless-signup-submit">
          {busy ? 'Creating…' : 'Create the account'}
        </button>
      </div>
    </form>
  );
}
