'use client';

import Link from 'next/link';
import { useState } from 'react';
import { Banner, Field, type BannerState } from '@/components/Field';
import { sendForm } from '@/lib/submit';

/**
 * Asks for a reset link (`action` picks the flow: a password reset, or a
 * sign-in link for a passwordless account). The answer never says whether
 * the email has an account.
 */
export function EmailLinkForm({ action, submitLabel, testid }: { action: string; submitLabel: string; testid: string }) {
  const [email, setEmail] = useState('');
  const [banner, setBanner] = useState<BannerState | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!email.trim()) {
      setBanner({ ok: false, text: 'Enter your email address.' });
      return;
    }
    setBusy(true);
    const res = await sendForm(action, { email: email.trim() });
    setBusy(false);
    if (res.ok) {
      setBanner({ ok: true, text: `If ${email.trim()} can use it, a link is on its way. Check your mail (the link works once).` });
    } else if (res.code === 'too_many_attempts') {
      setBanner({ ok: false, text: 'Too many requests for this address. Wait a few minutes and try again.' });
    } else {
      setBanner({ ok: false, text: res.message });
    }
  }

  return (
    <form className="card narrow" onSubmit={submit} noValidate data-testid={testid}>
      <Banner banner={banner} />
      <Field id="email" label="Email">
        <input id="email" name="email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      </Field>
      <div className="actions">
        <button type="submit" disabled={busy} data-testid="submit">
          {busy ? 'Sending…' : submitLabel}
        </button>
        <span className="hint">
          <Link href="/signin">Back to sign in</Link>
        </span>
      </div>
    </form>
  );
}

/** The password-reset request. */
export function ForgotPasswordForm() {
  return <EmailLinkForm action="/api/auth/password-reset" submitLabel="Mail me a reset link" testid="forgot-form" />;
}
