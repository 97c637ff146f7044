// @onelastai/models for browsers and bundlers: wasm-bindgen's `web` output.
// Call `init()` once (in a client component's effect, or a shared loader)
// before any other function; it fetches and instantiates the WebAssembly
// module the first time and resolves at once afterwards. No top-level await:
// the package loads under any bundler target.
import initWasm from './web/models.js';
import { validate } from './web/api.js';
import { makeSchemas, makeSchemaOf } from './standard.js';

export * from './web/api.js';
export { collections } from './collections.js';
export { jsonSchemas } from './json-schemas.js';
export { formatError, addLocale, locales, labelOf, paramsOf, fieldAt } from './errors.js';

// Pure: a bundle that uses neither drops them and the JSON Schemas.
export const schemas = /* @__PURE__ */ makeSchemas(validate);
export const schemaOf = /* @__PURE__ */ makeSchemaOf(validate, schemas);

let loading;

/**
 * Loads the WebAssembly module once. `wasm` overrides where it comes from
 * (a URL, a Response, bytes or a compiled WebAssembly.Module); by default it
 * is the `models_bg.wasm` next to this package's files, which bundlers emit
 * as an asset.
 */
export function init(wasm) {
  loading ??= initWasm(wasm === undefined ? undefined : { module_or_path: wasm }).then(
    () => undefined,
    (error) => {
      loading = undefined; // a failed load (network) may be retried
      throw error;
    },
  );
  return loading;
}
