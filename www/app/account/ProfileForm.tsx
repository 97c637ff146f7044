'use client';

import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { ErrorSummary } from '@/components/ErrorSummary';
import { Banner, Field, type BannerState } from '@/components/Field';
import { lengthHint } from '@/lib/fields';
import { onlyPaths, toErrorMap, withPathErrors, type ErrorMap, type Labels } from '@/lib/forms';
import { useModels } from '@/lib/models';
import { PROFILE_FIELDS, PROFILE_LABELS, type ProfileField } from '@/lib/profile';
import { submitValidated, type Verdict } from '@/lib/submit';

const labelOf = (path: string) => PROFILE_LABELS[path as ProfileField] ?? path;
/** How this form's messages name its fields. */
const MESSAGES: Labels = { label: labelOf, collection: 'users' };

/**
 * Edits the profile fields of your user document: a PATCH based on the
 * version the page was rendered from (`__v`), so a change made elsewhere in
 * between is refused instead of overwritten.
 */
export function ProfileForm(props: { user: { id: string; email: string }; initial: Record<ProfileField, string>; version: number }) {
  const models = useModels();
  const router = useRouter();
  const [values, setValues] = useState(props.initial);
  const [version, setVersion] = useState(props.version);
  const [errors, setErrors] = useState<ErrorMap>({});
  const [banner, setBanner] = useState<BannerState | null>(null);
  const [busy, setBusy] = useState(false);
  // How many times the person tried to submit: the summary appears (and takes the focus) on each try.
  const [submitted, setSubmitted] = useState(0);

  // The user as it will be, for the package's per-field rules.
  const context = useMemo(() => ({ id: props.user.id, email: props.user.email, ...values }), [props.user, values]);
  const verdict = useMemo((): Verdict | null => {
    if (!models) return null;
    const all = PROFILE_FIELDS.flatMap((k) => (values[k] ? models.validateField('users', k, values[k], { document: context }) : []));
    return all.length ? { ok: false, errors: all } : { ok: true };
  }, [models, values, context]);
  const changed = PROFILE_FIELDS.some((k) => values[k] !== props.initial[k]);

  function change(key: ProfileField, value: string) {
    const next = { ...values, [key]: value };
    setValues(next);
    setBanner(null);
    if (!models) return;
    const fieldErrors = value ? models.validateField('users', key, value, { document: { ...context, [key]: value } }) : [];
    setErrors(withPathErrors(errors, key, fieldErrors, MESSAGES));
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setSubmitted((n) => n + 1);
    if (!verdict?.ok) {
      setErrors(verdict ? toErrorMap(verdict.errors, MESSAGES) : {});
      setBanner(null);
      return;
    }
    setBusy(true);
    // A field left blank is cleared (null), not kept.
    const body = { __v: version, ...Object.fromEntries(PROFILE_FIELDS.map((k) => [k, values[k].trim() === '' ? null : values[k]])) };
    const res = await submitValidated('/api/account', body, verdict, { method: 'PATCH', labels: MESSAGES });
    setBusy(false);
    if (res.ok) {
      if (typeof res.document.__v === 'number') setVersion(res.document.__v);
      setErrors({});
      setBanner({ ok: true, text: 'Your profile is saved.' });
      router.refresh(); // the navigation bar shows the new name
    } else {
      setErrors(res.fieldErrors);
      // The server's field errors get the summary (and the focus) too.
      if (Object.keys(res.fieldErrors).length) setSubmitted((n) => n + 1);
      if (res.message) setBanner({ ok: false, text: res.message });
    }
  }

  return (
    <form onSubmit={submit} noValidate data-testid="profile-form">
      <ErrorSummary errors={onlyPaths(errors, PROFILE_FIELDS)} order={PROFILE_FIELDS} attempt={submitted} />
      <Banner banner={banner} />
      <div className="grid">
        {PROFILE_FIELDS.map((k) =>
          k === 'bio' ? (
            <Field key={k} id={k} label={PROFILE_LABELS[k]} error={errors[k]} hint={lengthHint(models, 'users', k)} wide>
              <textarea id={k} name={k} value={values[k]} onChange={(e) => change(k, e.target.value)} />
            </Field>
          ) : (
            <Field key={k} id={k} label={PROFILE_LABELS[k]} error={errors[k]}>
              <input id={k} name={k} type={k === 'website' ? 'url' : 'text'} value={values[k]} onChange={(e) => change(k, e.target.value)} />
            </Field>
          ),
        )}
      </div>
      <div className="actions">
        <button type="submit" disabled={busy || !models} data-testid="save-profile">
          {busy ? 'Saving…' : 'Save profile'}
        </button>
        {changed ? <span className="hint">Unsaved changes.</span> : null}
      </div>
    </form>
  );
}
