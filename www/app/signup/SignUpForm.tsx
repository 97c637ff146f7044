'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import { Banner, Field, Loading, type BannerState } from '@/components/Field';
import { compact, withPathErrors, type ErrorMap } from '@/lib/forms';
import { useModels } from '@/lib/models';
import { submitValidated } from '@/lib/submit';

interface SignUpFields {
  email: string;
  name: string;
  password: string;
  bio: string;
  location: string;
  profession: string;
  company: string;
  website: string;
}

const EMPTY: SignUpFields = {
  email: '',
  name: '',
  password: '',
  bio: '',
  location: '',
  profession: '',
  company: '',
  website: '',
};

/**
 * What the form sends: blank optional fields are left out, the password never
 * (an account without one could not sign in); the server sets the id, the
 * role and the rest.
 */
const toBody = (form: SignUpFields) => ({ ...compact({ ...form }), password: form.password });

/**
 * The user document the browser validates: the body plus a stand-in for the
 * `id` the server will assign (required by the schema, never sent).
 */
const toDocument = (form: SignUpFields) => ({ id: 'user_new', authMethod: 'password', ...toBody(form) });

export function SignUpForm({ next }: { next: string }) {
  const models = useModels();
  const [form, setForm] = useState<SignUpFields>(EMPTY);
  const [errors, setErrors] = useState<ErrorMap>({});
  const [banner, setBanner] = useState<BannerState | null>(null);
  const [busy, setBusy] = useState(false);

  const doc = useMemo(() => toDocument(form), [form]);
  const verdict = useMemo(() => (models ? models.validate('users', doc) : null), [models, doc]);

  if (!models) return <Loading what="the sign-up form" />;

  function change<K extends keyof SignUpFields>(key: K, value: SignUpFields[K]) {
    const nextForm = { ...form, [key]: value };
    setForm(nextForm);
    setBanner(null);
    if (!models) return;
    // Live feedback: the field's own rules, with the rest of the form as context.
    const fieldErrors = value === '' ? [] : models.validateField('users', key, value, { document: toDocument(nextForm) });
    setErrors(withPathErrors(errors, key, fieldErrors));
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    const res = await submitValidated('/api/auth/sign-up', toBody(form), verdict, { conflictPaths: ['email'] });
    if (res.ok) {
      // Signed in: a full load, so every server component renders with the new session.
      window.location.assign(next);
      return;
    }
    setBusy(false);
    if (res.code === 'duplicate_key') res.fieldErrors.email = 'An account with this email already exists. Sign in instead.';
    setErrors(res.fieldErrors);
    if (res.message) setBanner({ ok: false, text: res.message });
  }

  const text = (key: keyof SignUpFields, label: string, opts: { type?: string; hint?: string; wide?: boolean } = {}) => (
    <Field id={key} label={label} error={errors[key]} hint={opts.hint} wide={opts.wide}>
      <input
        id={key}
        name={key}
        type={opts.type ?? 'text'}
        value={form[key]}
        onChange={(e) => change(key, e.target.value)}
        autoComplete={key === 'password' ? 'new-password' : key === 'email' ? 'email' : key === 'name' ? 'name' : undefined}
      />
    </Field>
  );

  return (
    <form className="card" onSubmit={submit} noValidate data-testid="signup-form">
      <Banner banner={banner} />
      <div className="grid">
        {text('email', 'Email', { type: 'email', wide: true })}
        {text('password', 'Password', { type: 'password', hint: 'At least 8 characters.' })}
        {text('name', 'Name', { hint: 'Shown as the author of the tools you publish.' })}
        <Field id="bio" label="Bio" error={errors.bio} hint="Up to 500 characters." wide>
          <textarea id="bio" name="bio" value={form.bio} onChange={(e) => change('bio', e.target.value)} />
        </Field>
        {text('profession', 'Profession')}
        {text('company', 'Company')}
        {text('location', 'Location')}
        {text('website', 'Website', { type: 'url' })}
      </div>
      <div className="actions">
        <button type="submit" disabled={busy || !verdict?.ok} data-testid="submit">
          {busy ? 'Creating…' : 'Create account'}
        </button>
        {!verdict?.ok && Object.keys(errors).length === 0 ? <span className="hint">Fill in your email and a password to continue.</span> : null}
        <span className="hint">
          Have an account? <Link href={`/signin?next=${encodeURIComponent(next)}`}>Sign in</Link>
        </span>
      </div>
    </form>
  );
}
