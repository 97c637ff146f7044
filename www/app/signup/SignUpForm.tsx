'use client';

import { useMemo, useState } from 'react';
import { Banner, Field, Loading, SelectField, type BannerState } from '@/components/Field';
import { compact, newId, withPathErrors, type ErrorMap } from '@/lib/forms';
import { useModels } from '@/lib/models';
import { submitValidated } from '@/lib/submit';

interface SignUpForm {
  email: string;
  name: string;
  password: string;
  authMethod: 'password' | 'passwordless';
  bio: string;
  location: string;
  profession: string;
  company: string;
  website: string;
}

const EMPTY: SignUpForm = {
  email: '',
  name: '',
  password: '',
  authMethod: 'password',
  bio: '',
  location: '',
  profession: '',
  company: '',
  website: '',
};

const AUTH_METHODS: { value: SignUpForm['authMethod']; label: string }[] = [
  { value: 'password', label: 'Password' },
  { value: 'passwordless', label: 'Email link (no password)' },
];

/** The user document the form describes; blank optional fields are left out. */
const toDocument = (form: SignUpForm, id: string) => ({ id, ...compact({ ...form }) });

export default function SignUpPage() {
  const models = useModels();
  const [form, setForm] = useState<SignUpForm>(EMPTY);
  const [userId, setUserId] = useState(() => newId('user'));
  const [errors, setErrors] = useState<ErrorMap>({});
  const [banner, setBanner] = useState<BannerState | null>(null);
  const [busy, setBusy] = useState(false);

  const doc = useMemo(() => toDocument(form, userId), [form, userId]);
  const verdict = useMemo(() => (models ? models.validate('users', doc) : null), [models, doc]);

  if (!models) return <Loading what="the sign-up form" />;

  function change<K extends keyof SignUpForm>(key: K, value: SignUpForm[K]) {
    const next = { ...form, [key]: value };
    setForm(next);
    setBanner(null);
    if (!models) return;
    const context = toDocument(next, userId);
    // Live feedback: the field's own rules, with the rest of the form as context.
    let nextErrors = withPathErrors(errors, key, value === '' ? [] : models.validateField('users', key, value, { document: context }));
    if (key === 'authMethod' && next.password !== '') {
      nextErrors = withPathErrors(nextErrors, 'password', models.validateField('users', 'password', next.password, { document: context }));
    }
    setErrors(nextErrors);
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    const res = await submitValidated('users', doc, verdict, ['email']);
    setBusy(false);
    if (res.ok) {
      setBanner({ ok: true, text: `Welcome${form.name ? `, ${form.name.trim()}` : ''}! Your account ${form.email.toLowerCase()} is ready.` });
      setForm(EMPTY);
      setErrors({});
      // The next account needs its own id: the server refuses a second `id`.
      setUserId(newId('user'));
    } else {
      setErrors(res.fieldErrors);
      if (res.message) setBanner({ ok: false, text: res.message });
    }
  }

  const text = (key: keyof SignUpForm, label: string, opts: { type?: string; hint?: string; wide?: boolean } = {}) => (
    <Field id={key} label={label} error={errors[key]} hint={opts.hint} wide={opts.wide}>
      <input
        id={key}
        name={key}
        type={opts.type ?? 'text'}
        value={form[key]}
        onChange={(e) => change(key, e.target.value)}
        autoComplete={key === 'password' ? 'new-password' : key === 'email' ? 'email' : undefined}
      />
    </Field>
  );

  return (
    <>
      <h1>Create your account</h1>
      <p className="lead">Checked as you type, by the same rules the server applies.</p>
      <form className="card" onSubmit={submit} noValidate data-testid="signup-form">
        <Banner banner={banner} />
        <div className="grid">
          {text('email', 'Email', { type: 'email', wide: true })}
          {text('name', 'Name')}
          <SelectField
            id="authMethod"
            name="authMethod"
            label="Sign-in method"
            error={errors.authMethod}
            value={form.authMethod}
            options={AUTH_METHODS}
            onChange={(v) => change('authMethod', v)}
          />
          {text('password', 'Password', { type: 'password', hint: 'At least 8 characters for password sign-in.', wide: true })}
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
          {!verdict?.ok && Object.keys(errors).length === 0 ? <span className="hint">Fill in your email to continue.</span> : null}
        </div>
      </form>
    </>
  );
}
