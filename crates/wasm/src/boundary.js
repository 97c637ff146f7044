// The JavaScript half of the boundary: turns what a form, `fetch().json()`
// or application code hands over into JSON text for the models crate.
//
// `JSON.stringify` already writes a `Date` as its ISO string and drops
// `undefined` properties, which Mongoose treats as absent too. Its silent
// losses are what Mongoose would see differently: NaN and ±Infinity (and an
// invalid Date) become `null`, a `Map` becomes `{}`, a BigInt throws, and a
// lone surrogate cannot be held by a Rust string. Plain `JSON.stringify` is
// kept whenever none of these can have happened (its text has no `null`,
// `{}` or `\ud`, or a walk of the value finds none of them); otherwise the
// exact path rewrites them into what casts as Mongoose casts them.

/** `JSON.stringify` replacer of the exact path. */
function exact(key, value) {
  switch (typeof value) {
    case 'number':
      // String(NaN) casts as Mongoose casts NaN: not a Number, not a Date.
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return String(value);
    case 'string':
      return typeof value.toWellFormed === 'function' ? value.toWellFormed() : value;
    case 'object':
      if (value === null) {
        // `Date#toJSON` gave null: an invalid Date, which must fail to cast.
        return this[key] instanceof Date ? 'Invalid Date' : null;
      }
      return value instanceof Map ? Object.fromEntries(value) : value;
    default:
      return value;
  }
}

/** Whether plain `JSON.stringify` loses something in `value` (NaN, a Map, ...). */
function lossy(value) {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (lossy(value[i])) return true;
    return false;
  }
  if (typeof value.toJSON === 'function') {
    return value instanceof Date ? Number.isNaN(value.getTime()) : true;
  }
  if (value instanceof Map) return true;
  for (const key in value) if (lossy(value[key])) return true;
  return false;
}

/**
 * JSON text of `value`, or `undefined` when it has none (`undefined`, a
 * function). Throws what `JSON.stringify` throws (a cycle, a throwing `toJSON`).
 */
function inputToJson(value) {
  let text;
  try {
    text = JSON.stringify(value);
  } catch {
    return JSON.stringify(value, exact); // a BigInt; a cycle throws again
  }
  if (text === undefined) return text;
  if (text.includes('\\ud') || ((text.includes('null') || text.includes('{}')) && lossy(value))) {
    return JSON.stringify(value, exact);
  }
  return text;
}

const encoder = new TextEncoder();
/** The text `stageInput` prepared, until `takeInput` copies it into WebAssembly memory. */
let staged = '';

/**
 * `inputToJson(value)`, kept here for `takeInput`; returns its length in
 * UTF-16 units (its UTF-8 form is at most three bytes per unit), or `undefined` when
 * the value has no JSON text. Copying the text with one `encodeInto` call
 * is several times faster than wasm-bindgen's character-by-character string
 * argument, which cost as much as `JSON.stringify` itself.
 */
export function stageInput(value) {
  const text = inputToJson(value);
  if (text === undefined) return undefined;
  staged = text;
  return text.length;
}

/** Writes the staged text as UTF-8 into `into` (a view of WebAssembly memory); returns the bytes written. */
export function takeInput(into) {
  const { written } = encoder.encodeInto(staged, into);
  staged = '';
  return written;
}
