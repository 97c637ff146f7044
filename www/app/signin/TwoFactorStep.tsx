'use client';

// The code step of a two-factor sign-in: a TOTP code or a backup code.
import Link from 'next/link';
import { useState } from 'react';
import { Banner, Field, type BannerState } from '@/components/Field';
import { signInPath } from '@/lib/paths';
import { sendForm } from '@/lib/submit';

export function TwoFactorStep({ next }: { next: string }) {
  const [code, setCode] = useState('');
  const [banner, setBanner] = useState<BannerState | null>(null);
  const [expired, setExpired] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!code.trim()) {
      setBanner({ ok: false, text: 'Enter the code from your authenticator app, or a backup code.' });
      return;
    }
    setBusy(true);
    const res = await sendForm('/api/auth/sign-in/2fa', { code: code.trim() });
    if (res.ok) {
      window.location.assign(next);
      return;
    }
    setBusy(false);
    if (res.code === 'invalid_challenge') {
      setExpired(true);
      setBanner({ ok: false, text: 'This sign-in has expired. Sign in again.' });
    } else if (res.code === 'invalid_credentials') {
      setBanner({ ok: false, text: 'That code is not right (or that backup code was already used). Try the current code.' });
    } else {
      setBanner({ ok: false, text: res.message });
    }
  }

  return (
    <form className="card narrow" onSubmit={submit} noValidate data-testid="two-factor-form">
      <Banner banner={banner} />
      <Field id="code" label="Code" hint="6 digits from the app, or a backup code like abcde-fghij.">
        <input
          id="code"
          name="code"
          inputMode="text"
          autoComplete="one-time-code"
          autoFocus
          value={code}
          onChange={(e) => {
            setCode(e.target.value);
            setBanner(null);
          }}
        />
      </Field>
      <div className="actions">
        <button type="submit" disabled={busy || expired} data-testid="two-factor-submit">
          {busy ? 'Checking…' : 'Verify'}
        </button>
        <span className="hint">
          <Link href={signInPath(next)}>Start again</Link>
        </span>
      </div>
    </form>
  );
}
