// Errors for programs and for people, in plain JavaScript (not in the .wasm):
// - `params`: machine-readable details of a FieldError, read from the
//   collection's declared rules (collections.js, generated from the models
//   crate) and the error's value, so the engine's messages stay Mongoose's.
// - `formatError(error, { locale })`: a message meant for a person, in
//   English or French, with the field's label derived from its path; any
//   message can be overridden and locales added (`addLocale`).
import { collections } from './collections.js';

const byName = new Map(collections.map((c) => [c.name, new Map(c.fields.map((f) => [f.path, f]))]));

/** The declared field a concrete path names (`messages.0.role` -> `messages.$.role`). */
export function fieldAt(collection, path) {
  const fields = byName.get(collection);
  if (!fields || typeof path !== 'string') return undefined;
  if (fields.has(path)) return fields.get(path);
  let at = '';
  for (const seg of path.split('.')) {
    const next = at ? `${at}.` : '';
    if (fields.has(next + seg)) at = next + seg;
    else if (/^\d+$/.test(seg) && fields.has(`${next}$`)) at = `${next}$`;
    else if (fields.has(`${next}$*`)) at = `${next}$*`;
    else if (fields.get(at)?.type === 'mixed') return fields.get(at);
    else return undefined;
  }
  return fields.get(at);
}

/** JavaScript's `length`: UTF-16 code units, as Mongoose's maxlength counts. */
const utf16Length = (s) => (typeof s === 'string' ? s.length : undefined);

/** The machine-readable details of one error of `collection`. */
export function paramsOf(collection, error) {
  const field = fieldAt(collection, error.path);
  switch (error.kind) {
    case 'maxlength': {
      const params = { maxlength: field?.maxLength };
      const length = utf16Length(error.value);
      if (length !== undefined) params.length = length;
      return params;
    }
    case 'enum':
      return { values: field?.enum ?? [] };
    case 'min':
      return { min: field?.min };
    case 'max':
      return { max: field?.max };
    case 'cast':
      return { type: error.path === '' ? 'object' : (field?.type ?? 'mixed') };
    default:
      return {};
  }
}

/** `errors`, each given its `params` (in place: the arrays are the package's own). */
export function errorsWithParams(collection, errors) {
  for (const e of errors) e.params = paramsOf(collection, e);
  return errors;
}

/** A validation result whose errors carry `params`. */
export function withParams(collection, result) {
  if (!result.ok) errorsWithParams(collection, result.errors);
  return result;
}

// ---------------------------------------------------------------------------
// Human messages.

/** `messages.0.role` -> `Messages 1 role`; `socialLinks.github` -> `Social links github`. */
export function labelOf(path) {
  if (!path) return '';
  const words = [];
  for (const seg of path.split('.')) {
    if (/^\d+$/.test(seg)) words.push(String(Number(seg) + 1));
    else words.push(...seg.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[\s_-]+/).filter(Boolean));
  }
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const list = (values, or) =>
  values.length <= 1 ? values.map((v) => `"${v}"`).join('') : `${values.slice(0, -1).map((v) => `"${v}"`).join(', ')} ${or} "${values.at(-1)}"`;

const TYPE_NAMES = {
  en: { string: 'text', number: 'a number', boolean: 'true or false', date: 'a date', objectId: 'an id', array: 'a list', map: 'a set of named values', object: 'an object', mixed: 'a value' },
  fr: { string: 'du texte', number: 'un nombre', boolean: 'vrai ou faux', date: 'une date', objectId: 'un identifiant', array: 'une liste', map: 'un ensemble de valeurs nommées', object: 'un objet', mixed: 'une valeur' },
};

/**
 * The built-in locales: for each error kind, a function of
 * `{ label, params, error }` that returns the message.
 */
const LOCALES = {
  en: {
    required: ({ label }) => `${label} is required.`,
    maxlength: ({ label, params }) =>
      `${label} must be at most ${params.maxlength} characters${params.length === undefined ? '' : ` (${params.length} now)`}.`,
    minlength: ({ label, params }) => `${label} must be at least ${params.minlength} characters.`,
    enum: ({ label, params }) => `${label} must be one of ${list(params.values, 'or')}.`,
    min: ({ label, params }) => `${label} must be at least ${params.min}.`,
    max: ({ label, params }) => `${label} must be at most ${params.max}.`,
    regexp: ({ label }) => `${label} is not in the expected format.`,
    cast: ({ label, params }) =>
      label ? `${label} must be ${TYPE_NAMES.en[params.type] ?? 'a valid value'}.` : 'The document must be an object.',
    'user defined': ({ error }) => error.message,
  },
  fr: {
    required: ({ label }) => `${label} est obligatoire.`,
    maxlength: ({ label, params }) =>
      `${label} doit comporter au plus ${params.maxlength} caractères${params.length === undefined ? '' : ` (${params.length} actuellement)`}.`,
    minlength: ({ label, params }) => `${label} doit comporter au moins ${params.minlength} caractères.`,
    enum: ({ label, params }) => `${label} doit être ${list(params.values, 'ou')}.`,
    min: ({ label, params }) => `${label} doit être au moins ${params.min}.`,
    max: ({ label, params }) => `${label} doit être au plus ${params.max}.`,
    regexp: ({ label }) => `${label} n'a pas le format attendu.`,
    cast: ({ label, params }) =>
      label ? `${label} doit être ${TYPE_NAMES.fr[params.type] ?? 'une valeur valide'}.` : 'Le document doit être un objet.',
    'user defined': ({ error }) => error.message,
  },
};

/**
 * Adds a locale, or replaces messages of an existing one: `messages` maps
 * error kinds to functions of `{ label, params, error }`. A kind it does not
 * give falls back to `fallback` (English by default).
 */
export function addLocale(locale, messages, { fallback = 'en' } = {}) {
  const base = LOCALES[locale] ?? LOCALES[fallback] ?? LOCALES.en;
  LOCALES[locale] = { ...base, ...messages };
}

/** The locales formatError knows. */
export function locales() {
  return Object.keys(LOCALES);
}

/**
 * A message for a person: `formatError(error, { locale: 'fr' })`. `locale`
 * is a tag (`fr-CA` falls back to `fr`, an unknown one to English).
 * `messages` overrides kinds for this call, `labels` maps paths to labels
 * (`{ bio: 'About you' }`), `collection` gives `params` to an error that
 * lacks them (one from the server, say).
 */
export function formatError(error, options = {}) {
  const tag = String(options.locale ?? 'en');
  const messages = LOCALES[tag] ?? LOCALES[tag.split('-')[0].toLowerCase()] ?? LOCALES.en;
  const params = error.params ?? (options.collection ? paramsOf(options.collection, error) : {});
  const label = options.labels?.[error.path] ?? labelOf(error.path);
  const format = options.messages?.[error.kind] ?? messages[error.kind];
  return format ? format({ label, params, error }) : error.message;
}
