// @onelastai/models for Node: wasm-bindgen's Node ESM output, which loads
// the WebAssembly module synchronously on import. `init()` exists so that code
// shared with the browser entry runs unchanged; here it resolves at once.
import { validate } from './node/api.js';
import { makeSchemas, makeSchemaOf } from './standard.js';
import * as raw from './node/models.js';
import { withParams } from './errors.js';

export * from './node/api.js';
export { collections } from './collections.js';
export { jsonSchemas } from './json-schemas.js';
export { formatError, addLocale, locales, labelOf, paramsOf, fieldAt } from './errors.js';

// `verdict` and `validateMany`, their errors given `params` as `validate`'s are.
export function verdict(collection, input, options) {
  return withParams(collection, raw.verdict(collection, input, options));
}
export function validateMany(collection, inputs, options) {
  if (!Array.isArray(inputs)) throw new TypeError('inputs must be an array');
  // Undefined when the array cannot cross as one text (a cycle in an element).
  const results =
    raw.validateMany(collection, inputs, options) ??
    Array.from(inputs, (input) => raw.validate(collection, input, options));
  for (const result of results) withParams(collection, result);
  return results;
}

// Pure: a bundle that uses neither drops them and the JSON Schemas.
export const schemas = /* @__PURE__ */ makeSchemas(validate);
export const schemaOf = /* @__PURE__ */ makeSchemaOf(validate, schemas);

/** Already loaded in Node: resolves at once. */
export function init() {
  return Promise.resolve();
}
