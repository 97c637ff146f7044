import type { ReactNode } from 'react';

/** A labelled form control with its error underneath. */
export function Field(props: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string;
  wide?: boolean;
  children: ReactNode;
}) {
  const { id, label, error, hint, wide, children } = props;
  return (
    <div className={`field${error ? ' invalid' : ''}${wide ? ' wide' : ''}`} data-field={id}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && !error ? <div className="hint">{hint}</div> : null}
      {error ? (
        <div className="error" role="alert" data-error-for={id}>
          {error}
        </div>
      ) : null}
    </div>
  );
}

/** A labelled `<select>`; its id (also the label's target) is what tests locate. */
export function SelectField<T extends string>(props: {
  id: string;
  label: string;
  name?: string;
  error?: string | undefined;
  hint?: string | undefined;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
}) {
  const { id, label, name, error, hint, value, options, onChange } = props;
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      <select id={id} name={name} value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** What a form says after a submission. */
export type BannerState = { ok: boolean; text: string };

/** The form's outcome message; nothing when there is no text. */
export function Banner({ banner }: { banner: BannerState | null }) {
  if (!banner?.text) return null;
  return (
    <div className={`banner ${banner.ok ? 'ok' : 'error'}`} role={banner.ok ? 'status' : 'alert'} data-testid="banner">
      {banner.text}
    </div>
  );
}

/** Shown while the WebAssembly validators load. */
export function Loading({ what }: { what: string }) {
  return (
    <div className="loading" data-testid="wasm-loading">
      <div className="spinner" /> Loading {what}…
    </div>
  );
}
