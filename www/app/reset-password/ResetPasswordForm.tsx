'use client';

import Link from 'next/link';
import { useState } from 'react';
import { Banner, Field, type BannerState } from '@/components/Field';
import { newPasswordError, useModels } from '@/lib/models';
import { sendForm } from '@/lib/submit';

export function ResetPasswordForm({ token }: { token: string }) {
  const models = useModels();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<{ password?: string | undefined; repeat?: string | undefined }>({});
  const [banner, setBanner] = useState<BannerState | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const passwordError = (value: string) => newPasswordError(models, value);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const found = { password: passwordError(password), repeat: repeat === password ? undefined : 'The two passwords differ.' };
    setErrors(found);
    if (found.password || found.repeat) return;
    setBusy(true);
    const res = await sendForm('/api/auth/password-reset/confirm', { token, password });
    setBusy(false);
    if (res.ok) {
      setDone(true);
      setBanner({ ok: true, text: 'Your password is changed, and every device was signed out. Sign in with the new password.' });
      return;
    }
    setErrors({ password: res.fieldErrors.password });
    setBanner({ ok: false, text: res.message });
  }

  return (
    <form className="card narrow" onSubmit={submit} noValidate data-testid="reset-form">
      <Banner banner={banner} />
      {done ? (
        <p>
          <Link href="/signin" data-testid="reset-signin">
            Sign in
          </Link>
        </p>
      ) : (
        <>
          <Field id="password" label="New password" error={errors.password}>
            <input id="password" name="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </Field>
          <Field id="repeat" label="New password again" error={errors.repeat}>
            <input id="repeat" name="repeat" type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
          </Field>
          <div className="actions">
            <button type="submit" disabled={busy} data-testid="submit">
              {busy ? 'Saving…' : 'Set the new password'}
            </button>
            <span className="hint">
              <Link href="/forgot-password">Ask for a new link</Link>
            </span>
          </div>
        </>
      )}
    </form>
  );
}
