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

/** Shown while the WebAssembly validators load. */
export function Loading({ what }: { what: string }) {
  return (
    <div className="loading" data-testid="wasm-loading">
      <div className="spinner" /> Loading {what}…
    </div>
  );
}
