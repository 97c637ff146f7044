// Client side: sends a document through the app's route handler and turns the
// Rust server's answer into field errors, the same shape the package gives.
import { toErrorMap, type ErrorMap, type FieldErrorLike } from './forms';

/** What became of a submission. */
export type SubmitResult =
  | { ok: true; document: Record<string, unknown> }
  | { ok: false; status: number; fieldErrors: ErrorMap; message: string };

interface ServerFieldError {
  path: string;
  kind?: string;
  message: string;
}

export async function submitDocument(collection: string, doc: unknown, conflictPaths: string[] = []): Promise<SubmitResult> {
  let res: Response;
  try {
    res = await fetch(`/api/${collection}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(doc),
    });
  } catch {
    return { ok: false, status: 0, fieldErrors: {}, message: 'Could not reach the app. Check your connection.' };
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.ok) return { ok: true, document: body };
  const errors = Array.isArray(body.errors) ? (body.errors as (ServerFieldError | null)[]) : [];
  const fieldErrors: ErrorMap = toErrorMap(errors.filter((e): e is ServerFieldError => !!e && typeof e.path === 'string'));
  // Prefer a sentence meant for people; `error` may be a machine code (`duplicate_key`).
  const sentence = (v: unknown) => (typeof v === 'string' && /\s/.test(v) ? v : '');
  let message = sentence(body.message) || sentence(body.error);
  if (res.status === 409) {
    message = message || 'This already exists.';
    const fields = Array.isArray(body.fields) ? (body.fields as string[]) : conflictPaths;
    for (const f of fields.length ? fields : conflictPaths) if (!fieldErrors[f]) fieldErrors[f] = message;
  } else if (res.status === 422) {
    message = message || 'The server found problems with some fields.';
  } else if (res.status === 503) {
    message = message || 'The data service is unavailable right now. Try again in a moment.';
  } else if (!message) {
    message = `The server answered ${res.status}.`;
  }
  return { ok: false, status: res.status, fieldErrors, message };
}

/** The package's verdict on the document being submitted. */
export type Verdict = { ok: true } | { ok: false; errors: readonly FieldErrorLike[] };

/**
 * Submits `doc` when the browser's verdict (already computed as the person
 * typed) accepts it; otherwise returns that verdict's errors without any
 * request, so the form shows the same fields either way.
 */
export async function submitValidated(
  collection: string,
  doc: unknown,
  verdict: Verdict | null,
  conflictPaths: string[] = [],
): Promise<SubmitResult> {
  if (!verdict || !verdict.ok) {
    const fieldErrors = verdict ? toErrorMap(verdict.errors) : {};
    return { ok: false, status: 0, fieldErrors, message: '' };
  }
  return submitDocument(collection, doc, conflictPaths);
}
