import { Children, cloneElement, isValidElement, type ReactElement, type ReactNode } from 'react';

/** The id of the element that holds `id`'s error message. */
export const errorId = (id: string) => `${id}-error`;
/** The id of the element that holds `id`'s hint. */
export const hintId = (id: string) => `${id}-hint`;

/** Attributes that tie a control to its label, its hint and its error. */
interface ControlA11y {
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
  'aria-required'?: boolean;
  required?: boolean;
}

/**
 * A labelled form control with its hint and its error underneath. Its one
 * control element (the child) gets `required`, `aria-invalid` and
 * `aria-describedby` pointing at the hint and the error; required fields
 * show a marker next to the label.
 */
export function Field(props: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  wide?: boolean | undefined;
  required?: boolean | undefined;
  children: ReactNode;
}) {
  const { id, label, error, hint, wide, required, children } = props;
  const describedBy = [hint ? hintId(id) : '', error ? errorId(id) : ''].filter(Boolean).join(' ') || undefined;
  const only = Children.count(children) === 1 && isValidElement(children) ? (children as ReactElement<ControlA11y>) : null;
  const control = only
    ? cloneElement(only, {
        'aria-invalid': only.props['aria-invalid'] ?? (error ? true : undefined),
        'aria-describedby': only.props['aria-describedby'] ?? describedBy,
        // `required` on a checkbox would mean "must be ticked".
        ...(required && only.type !== 'select' ? { required: true } : {}),
        ...(required && only.type === 'select' ? { 'aria-required': true } : {}),
      })
    : children;
  return (
    <div className={`field${error ? ' invalid' : ''}${wide ? ' wide' : ''}`} data-field={id}>
      <label htmlFor={id}>
        {label}
        {required ? (
          <span className="req" aria-hidden="true" title="required">
            {' '}*
          </span>
        ) : null}
      </label>
      {control}
      {hint ? (
        <div className="hint" id={hintId(id)}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <div className="error" id={errorId(id)} data-error-for={id}>
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
  required?: boolean | undefined;
  /** The empty choice: "Choose a plan" (required, until a choice) or "None" (optional). */
  placeholder?: string | undefined;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
}) {
  const { id, label, name, error, hint, required, placeholder, value, options, onChange } = props;
  return (
    <Field id={id} label={label} error={error} hint={hint} required={required}>
      <select id={id} name={name ?? id} value={value} onChange={(e) => onChange(e.target.value as T)}>
        {/* An optional field can go back to nothing; a required one offers the placeholder only until a choice. */}
        {placeholder !== undefined && (value === '' || !required) ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** Says what the `*` next to a label means; once per form, above its fields. */
export function RequiredNote() {
  return (
    <p className="hint required-note">
      Fields marked <span className="req">*</span> are required.
    </p>
  );
}

/** What a form says after a submission. */
export type BannerState = { ok: boolean; text: ReactNode };

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
    <div className="loading" data-testid="wasm-loading" role="status">
      <div className="spinner" aria-hidden="true" /> Loading {what}…
    </div>
  );
}
