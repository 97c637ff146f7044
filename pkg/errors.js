// Errors for programs and for people, in plain JavaScript (not in the .wasm):
// - `params`: machine-readable details of a FieldError, read from the
//   collection's declared rules (collections.js, generated from the models
//   crate) and the error's value, so the engine's messages stay Mongoose's.
// - `formatError(error, { locale })`: a message meant for a person, in
//   English or French (the templates of the models crate, as the server's
//   422 renders them), with the field's label derived from its path; any
//   message can be overridden and locales added (`addLocale`).
import { collections } from './collections.js';
import { messageTemplates } from './messages.js';

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

// The built-in locales' templates come from the models crate
// (onelastai_models::messages, generated into messages.js), the same ones the
// server's 422 renders for `Accept-Language`. Their syntax: `{name}` is the
// value `name` (`label`, `message`, or a param: numbers as JavaScript writes
// them, `{type}` through the locale's type names, a list as `"a", "b" or "c"`),
// nothing when absent; `{name?text}` is `text` when `name` has a value.

/** A param as a template writes it. */
function valueText(v, locale) {
  if (Array.isArray(v)) {
    const quoted = v.map((x) => `"${valueText(x, locale)}"`);
    return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} ${locale.or} ${quoted.at(-1)}`;
  }
  return v === null || v === undefined ? '' : String(v);
}

/** The index of the `}` closing a placeholder whose `{` precedes `text`. */
function closingBrace(text) {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && depth-- === 0) return i;
  }
  return -1;
}

/** Fills the placeholders of `template`; `lookup(name)` is a string or undefined. */
function render(template, lookup) {
  let out = '';
  let rest = template;
  for (let open = rest.indexOf('{'); open !== -1; open = rest.indexOf('{')) {
    out += rest.slice(0, open);
    const after = rest.slice(open + 1);
    const close = closingBrace(after);
    if (close === -1) return out + rest.slice(open); // an unmatched `{` is text
    const inner = after.slice(0, close);
    const q = inner.indexOf('?');
    if (q !== -1 && !inner.slice(0, q).includes('{')) {
      if (lookup(inner.slice(0, q)) !== undefined) out += render(inner.slice(q + 1), lookup);
    } else out += lookup(inner) ?? '';
    rest = after.slice(close + 1);
  }
  return out + rest;
}

/** A built-in locale's messages: for each kind, a function of `{ label, params, error }`. */
function compile(locale) {
  const format = (template) => ({ label, params, error }) =>
    render(template, (name) => {
      if (name === 'label') return label || undefined;
      if (name === 'message') return error.message;
      const v = params?.[name];
      if (v === undefined) return undefined;
      return name === 'type' ? (Object.hasOwn(locale.types, v) ? locale.types[v] : locale.anyType) : valueText(v, locale);
    });
  const messages = Object.fromEntries(Object.entries(locale.kinds).map(([kind, t]) => [kind, format(t)]));
  const cast = messages.cast;
  const document = format(locale.document);
  // A cast error at the root has no label: the document is not an object.
  if (cast) messages.cast = (context) => (context.label ? cast(context) : document(context));
  return messages;
}

/**
 * The locales: for each error kind, a function of `{ label, params, error }`
 * that returns the message.
 */
const LOCALES = new Map(Object.entries(messageTemplates).map(([tag, l]) => [tag, compile(l)]));

/** `object[key]` when the object has it as its own (not `toString`, `__proto__`... from Object.prototype). */
const own = (object, key) => (object != null && Object.hasOwn(object, key) ? object[key] : undefined);

/**
 * Adds a locale, or replaces messages of an existing one: `messages` maps
 * error kinds to functions of `{ label, params, error }`. A kind it does not
 * give falls back to `fallback` (English by default).
 */
export function addLocale(locale, messages, { fallback = 'en' } = {}) {
  const base = LOCALES.get(locale) ?? LOCALES.get(fallback) ?? LOCALES.get('en');
  LOCALES.set(locale, { ...base, ...messages });
}

/** The locales formatError knows. */
export function locales() {
  return [...LOCALES.keys()];
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
  const messages = LOCALES.get(tag) ?? LOCALES.get(tag.split('-')[0].toLowerCase()) ?? LOCALES.get('en');
  const params = error.params ?? (options.collection ? paramsOf(options.collection, error) : {});
  const label = own(options.labels, error.path) ?? labelOf(error.path);
  const format = own(options.messages, error.kind) ?? own(messages, error.kind);
  return format ? format({ label, params, error }) : error.message;
}
