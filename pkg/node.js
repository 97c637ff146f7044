// @onelastai/models for Node: wasm-bindgen's Node ESM output, which loads
// the WebAssembly module synchronously on import. `init()` exists so that code
// shared with the browser entry runs unchanged; here it resolves at once.
export * from './node/models.js';
export { collections } from './collections.js';

/** Already loaded in Node: resolves at once. */
export function init() {
  return Promise.resolve();
}
