// What the forms know about a field (required, length limit, allowed values,
// default) and the sentence a person reads for an error: both from the
// package (`fieldAt` over its generated form metadata, and `formatError`),
// in this one place. The pages never copy an enum, a limit or a required flag,
// and never show Mongoose's developer messages.
import type { CollectionName, FieldError } from '@onelastai/models';
import type { Models } from './models';

/** A field as a form needs to know it. */
export interface FieldMeta {
  required: boolean;
  /** In UTF-16 code units (JavaScript's `length`), as the rules count. */
  maxLength?: number | undefined;
  /** The allowed values of an enum field, in declaration order. */
  values?: readonly string[] | undefined;
  /** The declared default (`"now"` for dates set at validation time). */
  default?: string | number | boolean | undefined;
}

/** The package once its module is loaded (lib/models.ts hands it over). */
let loaded: Models | null = null;

/** Called by lib/models.ts when the package is ready. */
export function adoptModels(models: Models): void {
  loaded = models;
}

/** The metadata of `path` (array positions allowed: `config.inputs.3.type`) in `collection`. */
export function fieldMeta(models: Models, collection: CollectionName, path: string): FieldMeta {
  const field = models.fieldAt(collection, path);
  return { required: field?.required ?? false, maxLength: field?.maxLength, values: field?.enum, default: field?.default };
}

/** The hint under a text field with a length limit ("Up to 500 characters."); none without one or before the package loads. */
export function lengthHint(models: Models | null, collection: CollectionName, path: string): string | undefined {
  const max = models ? fieldMeta(models, collection, path).maxLength : undefined;
  return max ? `Up to ${max} characters.` : undefined;
}

/** An error as the package or the server gives it. */
export type ErrorLike = Pick<FieldError, 'path' | 'message'> & { kind: string; params?: FieldError['params']; value?: unknown };

/** How a message names its field and which rules it reads. */
export interface MessageOptions {
  /** The form's label for the error's path (default: one made from the path). */
  label?: string | undefined;
  /** The collection, so an error read from the server (no `params`) gets its limits. */
  collection?: CollectionName | undefined;
}

/** The page's language (`<html lang>`), for `formatError`. */
const locale = () => (typeof document === 'undefined' ? 'en' : document.documentElement.lang || 'en');

/**
 * The sentence a person reads for `error`: the package's `formatError`
 * ("Bio must be at most 500 characters (510 now)."), with the form's label.
 */
export function humanMessage(error: ErrorLike, options: MessageOptions = {}): string {
  const models = loaded;
  // The forms render once the package has loaded, so this is a fallback only
  // for a message asked for before that: the field's name and nothing more.
  if (!models) return `${options.label ?? error.path}: check this field.`;
  // A kind the package does not know (a route handler's own) gets its generic sentence.
  return models.formatError(error as Parameters<Models['formatError']>[0], {
    locale: locale(),
    ...(options.label ? { labels: { [error.path]: options.label } } : {}),
    ...(options.collection ? { collection: options.collection } : {}),
  });
}
