// Client side: sends a form to one of the app's route handlers and turns the
// answer into field errors (the same shape the package gives) and a sentence
// for people.
import { toErrorMap, type ErrorMap, type FieldErrorLike, type Labels } from './forms';

/** What became of a submission. */
export type SubmitResult =
  | { ok: true; status: number; document: Record<string, unknown> }
  | { ok: false; status: number; code: string; fieldErrors: ErrorMap; message: string };

interface ServerFieldError {
  path: string;
  kind?: string;
  message: string;
  value?: unknown;
}

/** How a form is sent: the method, the fields a 409 marks, the form's labels for messages. */
export interface SendOptions {
  method?: 'POST' | 'PATCH';
  conflictPaths?: string[];
  labels?: Labels;
}

/** Sentences for the answers a person can cause, by the server's `error` code. */
function sentenceFor(status: number, code: string, body: Record<string, unknown>, retryAfter: string | null): string {
  switch (code) {
    case 'invalid_credentials':
      return 'Wrong email or password. Check both and try again.';
    case 'too_many_attempts': {
      const minutes = Math.max(1, Math.ceil(Number(retryAfter ?? 60) / 60));
      return `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
    }
    case 'too_many_sign_ups': {
      const minutes = Math.max(1, Math.ceil(Number(retryAfter ?? 60) / 60));
      return `Too many accounts were made from your network in the last few minutes. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
    }
    case 'signed_out':
    case 'unauthorized':
      return 'Your session has ended. Sign in again.';
    case 'stale_version':
      return 'This changed elsewhere (another tab?) since the page was loaded. Reload the page and make your change again.';
    case 'forbidden_field':
      return `These fields are set by the server: ${Array.isArray(body.fields) ? body.fields.join(', ') : ''}.`;
    case 'duplicate_key':
      // The server's own message names storage keys (`a document with the same metadata.slug ...`).
      return 'Something with the same value already exists: change the marked field.';
    case 'invalid_token':
      return 'This link has expired or was already used. Ask for a new one.';
    case 'cross_site':
    case 'origin_required':
      return 'This request was refused: it did not come from this site.';
  }
  // The server's 422 message is for developers; the fields carry the detail.
  if (status === 422) return 'Some fields need fixing: see the messages next to them.';
  if (typeof body.message === 'string' && body.message) return body.message;
  if (status === 409) return 'This already exists.';
  if (status === 503) return 'The data service is unavailable right now. Try again in a moment.';
  return `The server answered ${status}.`;
}

/**
 * Sends `body` as JSON to a route handler (`/api/subscriptions`). A 409 marks
 * the conflicting fields (the server's `fields`, else `conflictPaths`).
 */
export async function sendForm(
  url: string,
  body: unknown,
  opts: SendOptions = {},
): Promise<SubmitResult> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: opts.method ?? 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, code: 'network', fieldErrors: {}, message: 'Could not reach the app. Check your connection.' };
  }
  const answer = (res.status === 204 ? {} : await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.ok) return { ok: true, status: res.status, document: answer };
  const code = typeof answer.error === 'string' ? answer.error : '';
  const errors = Array.isArray(answer.errors) ? (answer.errors as (ServerFieldError | null)[]) : [];
  const fieldErrors: ErrorMap = toErrorMap(
    errors.filter((e): e is ServerFieldError => !!e && typeof e.path === 'string').map((e) => ({ ...e, kind: e.kind ?? '' })),
    opts.labels,
  );
  const message = sentenceFor(res.status, code, answer, res.headers.get('retry-after'));
  if (res.status === 409 && code === 'duplicate_key') {
    const fields = Array.isArray(answer.fields) && answer.fields.length ? (answer.fields as string[]) : (opts.conflictPaths ?? []);
    for (const f of fields) if (!fieldErrors[f]) fieldErrors[f] = `${opts.labels?.label?.(f) ?? f} is already taken: choose another.`;
  }
  return { ok: false, status: res.status, code, fieldErrors, message };
}

/** The package's verdict on the document being submitted. */
export type Verdict = { ok: true } | { ok: false; errors: readonly FieldErrorLike[] };

/**
 * Sends `body` when the browser's verdict on the whole document (already
 * computed as the person typed) accepts it; otherwise returns that verdict's
 * errors without any request, so the form shows the same fields either way.
 */
export async function submitValidated(
  url: string,
  body: unknown,
  verdict: Verdict | null,
  opts: SendOptions = {},
): Promise<SubmitResult> {
  if (!verdict || !verdict.ok) {
    const fieldErrors = verdict ? toErrorMap(verdict.errors, opts.labels) : {};
    return { ok: false, status: 0, code: 'invalid', fieldErrors, message: '' };
  }
  return sendForm(url, body, opts);
}
