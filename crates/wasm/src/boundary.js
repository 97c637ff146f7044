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
/** The text `stageInput` kept, until `takeInput` writes it into WebAssembly memory. */
let staged = '';
/** The module's `WebAssembly.Memory` (`useMemory`). */
let memory;
/** A view of Rust's input buffer, kept while the buffer and the memory stay the same. */
let view;

/** Receives the module's memory, once, before the first `stageInput`. */
export function useMemory(wasmMemory) {
  memory = wasmMemory;
}

/** The `cap` bytes at `ptr` of WebAssembly memory. */
function bytesAt(ptr, cap) {
  if (view === undefined || view.byteOffset !== ptr || view.byteLength !== cap || view.buffer !== memory.buffer) {
    view = new Uint8Array(memory.buffer, ptr, cap);
  }
  return view;
}

/** What `inputToJson` threw, until `takeThrown`. */
let thrown;

/** What `inputToJson` threw in the last `stageInput`. */
export function takeThrown() {
  const error = thrown;
  thrown = undefined;
  return error;
}

/**
 * `inputToJson(value)` written as UTF-8 into the `cap` bytes at `ptr`, when
 * it fits for sure (three bytes per UTF-16 unit), in the same call: returns
 * the bytes written. Otherwise keeps it for `takeInput` and returns -1 minus
 * its length in UTF-16 units; NaN when the value has no JSON text;
 * -Infinity when `JSON.stringify` threw (a cycle, a throwing `toJSON`; see
 * `takeThrown`). Copying
 * the text with one `encodeInto` is several times faster than wasm-bindgen's
 * character-by-character string argument, which cost as much as
 * `JSON.stringify` itself; writing it in this call, into a view kept from
 * call to call, spares a second call and a new view (measured 2026-11-30:
 * 516 to 471 ns per call on a tiny document, with the catch below).
 */
export function stageInput(value, ptr, cap) {
  let text;
  try {
    text = inputToJson(value);
  } catch (error) {
    thrown = error;
    return -Infinity;
  }
  if (text === undefined) return NaN;
  if (text.length * 3 <= cap) return encoder.encodeInto(text, bytesAt(ptr, cap)).written;
  staged = text;
  return -1 - text.length;
}

/** Writes the kept text as UTF-8 into the `cap` bytes at `ptr`; returns the bytes written. */
export function takeInput(ptr, cap) {
  const { written } = encoder.encodeInto(staged, bytesAt(ptr, cap));
  staged = '';
  return written;
}

/** The last `options.now` string and its epoch milliseconds, as Rust read it. */
let lastNow;
let lastNowMillis;

/**
 * `options.now` as epoch milliseconds: `Date.now()` when absent, a Date's
 * time (NaN when invalid), a number as given, the string of the last call's
 * date. NaN where Rust reads it (a new string, anything else, options that
 * are not an object): reading a caller's options from Rust cost about ten
 * calls across the boundary.
 */
export function nowOf(options) {
  if (options === undefined || options === null) return Date.now();
  if (typeof options !== 'object') return NaN;
  const now = options.now;
  if (now === undefined) return Date.now();
  if (now === lastNow) return lastNowMillis;
  if (now instanceof Date) return now.getTime();
  return typeof now === 'number' ? now : NaN;
}

/** Remembers what Rust read an `options.now` string as. */
export function rememberNow(now, millis) {
  lastNow = now;
  lastNowMillis = millis;
}

/**
 * `options.maxErrors`: 0 when absent, -1 for what no count can be (not a
 * number, below 1), else the number (Rust checks that it is an integer).
 */
export function maxErrorsOf(options) {
  const max = options === undefined || options === null ? undefined : options.maxErrors;
  if (max === undefined) return 0;
  return typeof max === 'number' && max >= 1 ? max : -1;
}

/** `JSON.parse` of the text Rust wrote, which is always JSON. */
export function parseJson(text) {
  return JSON.parse(text);
}
