// @onelastai/models for Node: wasm-bindgen's Node ESM output, which loads
// the WebAssembly module synchronously on import. `init()` exists so that code
// shared with the browser entry runs unchanged; here it resolves at once.
import { validate } from './node/api.js';
import { makeSchemas, makeSchemaOf } from './standard.js';

export * from './node/api.js';
export { collections } from './collections.js';
export { jsonSchemas } from './json-schemas.js';
export { formatError, addLocale, locales, labelOf, paramsOf, fieldAt } from './errors.js';

// Pure: a bundle that uses neither drops them and the JSON Schemas.
export const schemas = /* @__PURE__ */ makeSchemas(validate);
export const schemaOf = /* @__PURE__ */ makeSchemaOf(validate, schemas);

/** Already loaded in Node: resolves at once. */
export function init() {
  return Promise.resolve();
}
