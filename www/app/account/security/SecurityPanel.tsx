'use client';

// Two-factor enrolment (QR code, the secret for typing, backup codes shown
// once with a download), new backup codes, turning it off, changing the
// password, and signing out everywhere.
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { Banner, Field, type BannerState } from '@/components/Field';
import { newPasswordError, useModels } from '@/lib/models';
import { sendForm } from '@/lib/submit';

/** `GET /api/auth/2fa` of the server. */
export interface TwoFactorState {
  enabled: boolean;
  backupCodesLeft: number;
  pending: boolean;
  available: boolean;
}

/** What setup answers, once. */
interface Enrolment {
  otpauthUri: string;
  secret: string;
  codes: string[];
}

function isEnrolment(v: Record<string, unknown>): v is Record<string, unknown> & Enrolment {
  return typeof v.otpauthUri === 'string' && typeof v.secret === 'string' && Array.isArray(v.codes) && v.codes.every((c) => typeof c === 'string');
}

/** The backup codes as a text file for the browser to save. */
function download(codes: string[], email: string) {
  const text = [`OneLastAI backup codes for ${email}`, 'Each code works once.', '', ...codes, ''].join('\n');
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = 'onelastai-backup-codes.txt';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Backup codes, shown once: the list and a download. */
function BackupCodes({ codes, email }: { codes: string[]; email: string }) {
  return (
    <>
      <ul className="codes" data-testid="backup-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <button type="button" className="secondary" onClick={() => download(codes, email)} data-testid="backup-codes-download">
        Download the codes
      </button>
    </>
  );
}

/** 10 new backup codes in place of the old ones, with a code. */
function RenewCodes({ email, onRenewed }: { email: string; onRenewed: () => void }) {
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [banner, setBanner] = useState<BannerState | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    const res = await sendForm('/api/auth/2fa/backup-codes', { code: code.trim() });
    setBusy(false);
    const fresh = res.ok ? res.document.codes : null;
    if (Array.isArray(fresh) && fresh.every((c) => typeof c === 'string')) {
      setCodes(fresh as string[]);
      setCode('');
      setBanner({ ok: true, text: 'New backup codes: the old ones no longer work. Keep these somewhere safe; they are shown only now.' });
      onRenewed();
      return;
    }
    setBanner({ ok: false, text: !res.ok && res.code === 'invalid_credentials' ? 'That code is not right.' : res.ok ? 'The server answered something unexpected.' : res.message });
  }

  return (
    <form onSubmit={submit} noValidate data-testid="backup-codes-renew-form">
      <h3>New backup codes</h3>
      <Banner banner={banner} />
      {codes ? <BackupCodes codes={codes} email={email} /> : null}
      <Field id="renew-code" label="Code from the app, or a backup code">
        <input id="renew-code" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />
      </Field>
      <div className="actions">
        <button type="submit" className="secondary" disabled={busy || !code.trim()} data-testid="backup-codes-renew">
          {busy ? 'Making…' : 'Make new backup codes'}
        </button>
      </div>
    </form>
  );
}

function Enrol({ email, onEnabled }: { email: string; onEnabled: () => void }) {
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [banner, setBanner] = useState<BannerState | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!enrolment) return;
    let live = true;
    QRCode.toDataURL(enrolment.otpauthUri, { margin: 1, width: 200 })
      .then((url) => live && setQr(url))
      .catch(() => live && setQr(null));
    return () => {
      live = false;
    };
  }, [enrolment]);

  async function start() {
    setBusy(true);
    const res = await sendForm('/api/auth/2fa/setup', {});
    setBusy(false);
    if (res.ok && isEnrolment(res.document)) {
      setEnrolment({ otpauthUri: res.document.otpauthUri, secret: res.document.secret, codes: res.document.codes });
      setBanner(null);
    } else {
      setBanner({ ok: false, text: res.ok ? 'The server answered something unexpected.' : res.message });
    }
  }

  async function enable(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    const res = await sendForm('/api/auth/2fa/enable', { code: code.trim() });
    setBusy(false);
    if (res.ok) {
      onEnabled();
      return;
    }
    setBanner({ ok: false, text: res.code === 'invalid_code' ? 'That code does not match. Check the app shows OneLastAI and try the current code.' : res.message });
  }

  if (!enrolment) {
    return (
      <div className="actions">
        <Banner banner={banner} />
        <button type="button" onClick={start} disabled={busy} data-testid="two-factor-start">
          {busy ? 'Preparing…' : 'Turn on two-factor sign-in'}
        </button>
      </div>
    );
  }
  return (
    <form onSubmit={enable} noValidate data-testid="two-factor-enrol">
      <Banner banner={banner} />
      <ol className="steps">
        <li>
          Scan this code with an authenticator app (or type the key below).
          <div>{qr ? <img src={qr} width={200} height={200} alt="QR code of your two-factor key" data-testid="two-factor-qr" /> : null}</div>
          <p className="hint">
            Key: <code data-testid="two-factor-secret">{enrolment.secret}</code>
          </p>
          <p className="hint">
            <code data-testid="otpauth-uri" style={{ wordBreak: 'break-all' }}>
              {enrolment.otpauthUri}
            </code>
          </p>
        </li>
        <li>
          Keep these backup codes somewhere safe: each signs you in once if you lose the app. They are shown only now.
          <BackupCodes codes={enrolment.codes} email={email} />
        </li>
        <li>
          <Field id="enable-code" label="Code from the app">
            <input id="enable-code" name="code" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />
          </Field>
        </li>
      </ol>
      <div className="actions">
        <button type="submit" disabled={busy || !code.trim()} data-testid="two-factor-enable">
          {busy ? 'Checking…' : 'Turn on'}
        </button>
      </div>
    </form>
  );
}

function Disable({ hasPassword, onDisabled }: { hasPassword: boolean; onDisabled: () => void }) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [banner, setBanner] = useState<BannerState | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    const res = await sendForm('/api/auth/2fa/disable', hasPassword ? { password, code: code.trim() } : { code: code.trim() });
    setBusy(false);
    if (res.ok) {
      onDisabled();
      return;
    }
    setBanner({ ok: false, text: res.code === 'invalid_credentials' ? 'The password or the code is not right.' : res.message });
  }

  return (
    <form onSubmit={submit} noValidate data-testid="two-factor-disable-form">
      <Banner banner={banner} />
      {hasPassword ? (
        <Field id="disable-password" label="Password">
          <input id="disable-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
      ) : null}
      <Field id="disable-code" label="Code from the app, or a backup code">
        <input id="disable-code" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />
      </Field>
      <div className="actions">
        <button type="submit" className="secondary" disabled={busy || !code.trim() || (hasPassword && !password)} data-testid="two-factor-disable">
          {busy ? 'Turning off…' : 'Turn off two-factor sign-in'}
        </button>
      </div>
    </form>
  );
}

/** A new password, given the current one; the other devices are signed out. */
function ChangePassword() {
  const models = useModels();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<{ current?: string | undefined; next?: string | undefined; repeat?: string | undefined }>({});
  const [banner, setBanner] = useState<BannerState | null>(null);
  const [busy, setBusy] = useState(false);

  const nextError = (value: string) => newPasswordError(models, value);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const found = {
      current: current ? undefined : 'Type your current password.',
      next: nextError(next),
      repeat: repeat === next ? undefined : 'The two new passwords differ.',
    };
    setErrors(found);
    setBanner(null);
    if (found.current || found.next || found.repeat) return;
    setBusy(true);
    const res = await sendForm('/api/auth/password', { current, new: next });
    setBusy(false);
    if (res.ok) {
      setCurrent('');
      setNext('');
      setRepeat('');
      setBanner({ ok: true, text: 'Your password is changed. Every other device was signed out; this one stays signed in.' });
      return;
    }
    if (res.code === 'invalid_credentials') {
      setErrors({ current: 'That is not your current password.' });
      return;
    }
    setErrors({ next: res.fieldErrors.password });
    setBanner({ ok: false, text: res.message });
  }

  return (
    <form onSubmit={submit} noValidate data-testid="change-password-form">
      <Banner banner={banner} />
      <Field id="current-password" label="Current password" error={errors.current} required>
        <input id="current-password" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
      </Field>
      <Field id="new-password" label="New password" error={errors.next} required>
        <input id="new-password" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />
      </Field>
      <Field id="repeat-password" label="New password again" error={errors.repeat} required>
        <input id="repeat-password" type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
      </Field>
      <div className="actions">
        <button type="submit" disabled={busy} data-testid="change-password">
          {busy ? 'Saving…' : 'Change the password'}
        </button>
      </div>
    </form>
  );
}

export function SecurityPanel({ initial, hasPassword, email }: { initial: TwoFactorState | null; hasPassword: boolean; email: string }) {
  const [state, setState] = useState<TwoFactorState | null>(initial);
  const [banner, setBanner] = useState<BannerState | null>(null);
  const [busy, setBusy] = useState(false);

  async function signOutEverywhere() {
    setBusy(true);
    const res = await sendForm('/api/auth/sign-out-everywhere', {});
    if (res.ok) {
      window.location.assign('/signin');
      return;
    }
    setBusy(false);
    setBanner({ ok: false, text: res.message });
  }

  return (
    <>
      <section className="card" data-testid="two-factor">
        <h2>Two-factor sign-in</h2>
        {!state ? (
          <p className="banner error">Could not read the two-factor state. Reload the page.</p>
        ) : !state.available && !state.enabled ? (
          <p className="hint">Two-factor sign-in is not available on this server yet.</p>
        ) : state.enabled ? (
          <>
            <p data-testid="two-factor-status">
              On. {state.backupCodesLeft} unused backup code{state.backupCodesLeft === 1 ? '' : 's'} left.
            </p>
            <RenewCodes email={email} onRenewed={() => setState({ ...state, backupCodesLeft: 10 })} />
            <Disable hasPassword={hasPassword} onDisabled={() => setState({ ...state, enabled: false, backupCodesLeft: 0, pending: false })} />
          </>
        ) : (
          <>
            <p data-testid="two-factor-status">Off. With it on, signing in also asks for a code from an authenticator app.</p>
            <Enrol email={email} onEnabled={() => setState({ ...state, enabled: true, backupCodesLeft: 10, pending: false })} />
          </>
        )}
      </section>
      {hasPassword ? (
        <section className="card" data-testid="password">
          <h2>Password</h2>
          <ChangePassword />
        </section>
      ) : null}
      <section className="card" data-testid="sessions">
        <h2>Signed-in devices</h2>
        <Banner banner={banner} />
        <p className="hint">Signs out every browser and device signed in to this account, this one included.</p>
        <div className="actions">
          <button type="button" className="secondary" onClick={signOutEverywhere} disabled={busy} data-testid="sign-out-everywhere">
            {busy ? 'Signing out…' : 'Sign out everywhere'}
          </button>
        </div>
      </section>
    </>
  );
}
