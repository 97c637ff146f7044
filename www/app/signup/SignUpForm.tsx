'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import { ErrorSummary } from '@/components/ErrorSummary';
import { Banner, Field, Loading, RequiredNote, type BannerState } from '@/components/Field';
import { fieldMeta, lengthHint } from '@/lib/fields';
import { compact, onlyPaths, toErrorMap, withPathErrors, type ErrorMap, type Labels } from '@/lib/forms';
import { useModels } from '@/lib/models';
import { PROFILE_LABELS } from '@/lib/profile';
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

/** The fields in the order the form shows them. */
const ORDER = ['email', 'password', 'name', 'bio', 'profession', 'company', 'location', 'website'] as const;

const LABELS: Record<keyof SignUpFields, string> = { email: 'Email', password: 'Password', ...PROFILE_LABELS };
const labelOf = (path: string) => LABELS[path as keyof SignUpFields] ?? path;
/** How this form's messages name its fields. */
const MESSAGES: Labels = { label: labelOf, collection: 'users' };

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
const toDocument = (form: SignUpFields) => ({ id: 'user_new', ...toBody(form) });

export function SignUpForm({ next }: { next: string }) {
  const models = useModels();
  const [form, setForm] = useState<SignUpFields>(EMPTY);
  const [errors, setErrors] = useState<ErrorMap>({});
  const [banner, setBanner] = useState<BannerState | null>(null);
  // How many times the person tried to submit: the summary appears (and takes the focus) on each try.
  const [submitted, setSubmitted] = useState(0);
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
    // An emptied field says nothing until the form is submitted.
    const fieldErrors = value === '' && !submitted ? [] : models.validateField('users', key, value === '' ? undefined : value, { document: toDocument(nextForm) });
    setErrors(withPathErrors(errors, key, fieldErrors, MESSAGES));
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setSubmitted((n) => n + 1);
    if (!verdict?.ok) {
      // Nothing is sent: every field with a problem is marked, and listed in the summary.
      const all = verdict ? toErrorMap(verdict.errors, MESSAGES) : {};
      if (!form.password) all.password = 'Password is required: you sign in with it.';
      setErrors(onlyPaths(all, ORDER));
      setBanner(null);
      return;
    }
    setBusy(true);
    const res = await submitValidated('/api/auth/sign-up', toBody(form), verdict, { conflictPaths: ['email'], labels: MESSAGES });
    if (res.ok) {
      // Signed in: a full load, so every server component renders with the new session.
      window.location.assign(next);
      return;
    }
    setBusy(false);
    if (res.code === 'duplicate_key') {
      res.fieldErrors.email = 'An account with this email already exists. Sign in instead?';
      res.message = '';
      setBanner({
        ok: false,
        text: (
          <>
            An account with this email already exists. <Link href={`/signin?next=${encodeURIComponent(next)}`}>Sign in instead?</Link>
          </>
        ),
      });
    } else if (res.message) {
      setBanner({ ok: false, text: res.message });
    }
    setErrors(onlyPaths(res.fieldErrors, ORDER));
    // The server's field errors get the summary (and the focus) too.
    if (Object.keys(res.fieldErrors).length) setSubmitted((n) => n + 1);
  }

  const text = (key: keyof SignUpFields, opts: { type?: string; hint?: string; wide?: boolean; required?: boolean } = {}) => {
    const meta = fieldMeta(models, 'users', key);
    return (
      <Field id={key} label={LABELS[key]} error={errors[key]} hint={opts.hint} wide={opts.wide} required={opts.required ?? meta.required}>
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
  };

  return (
    <form className="card" onSubmit={submit} noValidate data-testid="signup-form">
      <ErrorSummary errors={errors} order={ORDER} attempt={submitted} />
      <Banner banner={banner} />
      <RequiredNote />
      <div className="grid">
        {text('email', { type: 'email', wide: true })}
        {/* Sign-in is by password: the app requires one even though the schema allows other methods. */}
        {text('password', { type: 'password', hint: 'At least 8 characters.', required: true })}
        {text('name', { hint: 'Shown as the author of the tools you publish.' })}
        <Field id="bio" label={LABELS.bio} error={errors.bio} hint={lengthHint(models, 'users', 'bio')} wide>
          <textarea id="bio" name="bio" value={form.bio} onChange={(e) => change('bio', e.target.value)} />
        </Field>
        {text('profession')}
        {text('company')}
        {text('location')}
        {text('website', { type: 'url' })}
      </div>
      <div className="actions">
        <button type="submit" disabled={busy} data-testid="submit">
          {busy ? 'Creating…' : 'Create account'}
        </button>
        <span className="hint">
          Have an account? <Link href={`/signin?next=${encodeURIComponent(next)}`}>Sign in</Link>
        </span>
      </div>
    </form>
  );
}
