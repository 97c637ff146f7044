'use client';

// Loads @onelastai/models (the Rust rules compiled to WebAssembly) once, in
// the browser, and hands it to the components that validate forms.
import { useEffect, useState } from 'react';
import { adoptModels } from './fields';

/** The package's API, once its WebAssembly module is ready. */
export type Models = typeof import('@onelastai/models');

let loading: Promise<Models> | null = null;

/** Imports the package and instantiates its WebAssembly module (once). */
export function loadModels(): Promise<Models> {
  loading ??= import('@onelastai/models').then(async (m) => {
    await m.init();
    adoptModels(m);
    return m;
  });
  loading.catch(() => {
    loading = null; // a failed download may be retried on the next mount
  });
  return loading;
}

/** The models API, or `null` while the WebAssembly module loads. */
export function useModels(): Models | null {
  const [models, setModels] = useState<Models | null>(null);
  useEffect(() => {
    let live = true;
    loadModels().then(
      (m) => live && setModels(m),
      (e: unknown) => console.error('could not load @onelastai/models', e),
    );
    return () => {
      live = false;
    };
  }, []);
  return models;
}

/**
 * The users rules on a new password of a password account, from the package
 * (the reset link's form and the change of password share it); before the
 * package is loaded only the empty password is caught.
 */
export function newPasswordError(models: Models | null, value: string): string | undefined {
  if (!value) return 'Choose a new password.';
  if (!models) return undefined;
  return models.validateField('users', 'password', value, { document: { authMethod: 'password' } })[0]?.message;
}
