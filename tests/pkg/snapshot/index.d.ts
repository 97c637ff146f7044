// The public types of @onelastai/models. The collection types, FieldError,
// IndexSpec and every validation function are generated from the Rust crates
// (models.d.ts, by wasm-bindgen and tsify); this file adds the two things the
// entry points add: `init` and `collections`.
export * from "./models.js";
import type { CollectionInfo } from "./models.js";

/** The 17 collections and their indexes, as data (available before `init`). */
export declare const collections: readonly CollectionInfo[];

/**
 * Loads the WebAssembly module once; call and await it before any other
 * function in a browser. `wasm` overrides where the module comes from. In
 * Node the module loads on import and this resolves at once.
 */
export declare function init(
  wasm?: string | URL | Request | Response | ArrayBuffer | ArrayBufferView | WebAssembly.Module,
): Promise<void>;
