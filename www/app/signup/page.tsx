'use client';

import { useMemo, useState } from 'react';
import { Field, Loading } from '@/components/Field';
import { compact, withPathErrors, type ErrorMap } from '@/lib/forms';
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

export default function SignUpPage() {
  const models = useModels();
  const [form, setForm] = useState<SignUpForm>(EMPTY);
  const [userId] = useState(() => `user_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`);
  const [errors, setErrors] = useState<ErrorMap>({});
  const [banner, setBanner] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const doc = useMemo(() => ({ id: userId, ...compact({ ...form }) }), [form, userId]);
  const verdict = useMemo(() => (models ? models.validate('users', doc) : null), [models, doc]);

  if (!models) return <Loading what="the sign-up form" />;

  function change<K extends keyof SignUpForm>(key: K, value: SignUpForm[K]) {
    const next = { ...form, [key]: value };
    setForm(next);
    setBanner(null);
    if (!models) return;
    const context = { id: userId, ...compact({ ...next }) };
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
        {banner ? (
          <div className={`banner ${banner.ok ? 'ok' : 'error'}`} role="status" data-testid="banner">
            {banner.text}
          </div>
        ) : null}
        <div className="grid">
          {text('email', 'Email', { type: 'email', wide: true })}
          {text('name', 'Name')}
          <Field id="authMethod" label="Sign-in method" error={errors.authMethod}>
            <select id="authMethod" name="authMethod" value={form.authMethod} onChange={(e) => change('authMethod', e.target.value as SignUpForm['authMethod'])}>
              <option value="password">Password</option>
              <option value="passwordless">Email link (no password)</option>
            </select>
          </Field>
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
