'use client';

import Link from 'next/link';
import { useState } from 'react';
import { Banner, type BannerState } from '@/components/Field';
import { sendForm } from '@/lib/submit';

/** Uses a sign-in link's token: a session, or the two-factor step. */
export function MagicLinkConfirm({ token }: { token: string }) {
  const [banner, setBanner] = useState<BannerState | null>(null);
  const [busy, setBusy] = useState(false);

  async function confirm() {
    setBusy(true);
    const res = await sendForm('/api/auth/magic-link/confirm', { token });
    if (res.ok) {
      window.location.assign(res.document.twoFactorRequired === true ? '/signin/two-factor?next=%2Faccount' : '/account');
      return;
    }
    setBusy(false);
    setBanner({ ok: false, text: res.message });
  }

  return (
    <div className="card narrow" data-testid="magic-link-confirm">
      <Banner banner={banner} />
      <div className="actions">
        <button type="button" onClick={confirm} disabled={busy} data-testid="magic-link-signin">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <span className="hint">
          <Link href="/magic-link">Ask for a new link</Link>
        </span>
      </div>
    </div>
  );
}
