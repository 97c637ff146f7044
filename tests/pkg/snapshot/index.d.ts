// The public types of @onelastai/models. The collection types, FieldError,
// IndexSpec and every validation function are generated from the Rust crates
// (models.d.ts, by wasm-bindgen and tsify); the typed paths and inputs from
// the models crate's declarations (generated.d.ts, by tools/build-pkg.sh).
// This file adds what the entry points add: `init`, `collections`, typed
// `validateField`, `formatError`, and the Standard Schemas.
export * from "./models.js";
export type { FieldPaths, Inputs } from "./generated.js";
import type {
    CollectionInfo,
    CollectionName,
    Documents,
    ErrorKind,
    ErrorParams,
    FieldError,
    ValidateFieldOptions,
} from "./models.js";
import type { FieldPaths, Inputs } from "./generated.js";

/** The 17 collections: routes, indexes and form fields, as data (available before `init`). */
export declare const collections: readonly CollectionInfo[];

/** A path of collection `C` that `validateField` accepts (`"email"`, `` `messages.${number}.role` ``). */
export type FieldPath<C extends CollectionName> = FieldPaths[C];

/**
 * The errors of one path alone, for live form feedback as a person types:
 * the same rules and messages as `validate`. `path` must be one of the
 * collection's paths (a typo does not compile); `validateFieldUnchecked`
 * takes any string. Throws an `Error` for an unknown collection or path.
 */
export declare function validateField<C extends CollectionName>(
    collection: C,
    path: FieldPath<C>,
    value: unknown,
    options?: ValidateFieldOptions,
): FieldError[];

/** `validateField` with an arbitrary string path (checked at run time only). */
export declare function validateFieldUnchecked(
    collection: CollectionName,
    path: string,
    value: unknown,
    options?: ValidateFieldOptions,
): FieldError[];

/** What a target of `jsonSchema.input`/`output` may be. */
export type JsonSchemaTarget = "draft-2020-12" | "draft-07" | "openapi-3.0";

/** Every collection's JSON Schemas, as generated from the models crate. */
export declare const jsonSchemas: {
    readonly [C in CollectionName]: {
        readonly input: { readonly [T in JsonSchemaTarget]: Record<string, unknown> };
        readonly output: { readonly [T in JsonSchemaTarget]: Record<string, unknown> };
    };
};

/** A Standard Schema issue; `error` is the package's own FieldError. */
export interface SchemaIssue {
    readonly message: string;
    readonly path?: ReadonlyArray<string | number> | undefined;
    readonly error: FieldError;
}

/**
 * A collection as a Standard Schema V1 and Standard JSON Schema V1
 * (`@standard-schema/spec` 1.1): structurally the spec's interfaces, so
 * `StandardSchemaV1.InferInput<typeof schemas.users>` is `Inputs["users"]`
 * and `InferOutput` is `User`.
 */
export interface CollectionSchema<C extends CollectionName> {
    readonly "~standard": {
        readonly version: 1;
        readonly vendor: "onelastai";
        readonly types?: { readonly input: Inputs[C]; readonly output: Documents[C] } | undefined;
        /** Synchronous (the module must be loaded: `await init()` first in a browser). */
        readonly validate: (
            value: unknown,
            options?: { readonly libraryOptions?: Record<string, unknown> | undefined } | undefined,
        ) => { readonly value: Documents[C]; readonly issues?: undefined } | { readonly issues: ReadonlyArray<SchemaIssue> };
        readonly jsonSchema: {
            /** Throws for a target other than `draft-2020-12`, `draft-07`, `openapi-3.0`. */
            readonly input: (options: { readonly target: JsonSchemaTarget | ({} & string); readonly libraryOptions?: Record<string, unknown> | undefined }) => Record<string, unknown>;
            readonly output: (options: { readonly target: JsonSchemaTarget | ({} & string); readonly libraryOptions?: Record<string, unknown> | undefined }) => Record<string, unknown>;
        };
    };
}

/** `schemas.users`: every collection's Standard Schema; issue messages are Mongoose's. */
export declare const schemas: { readonly [C in CollectionName]: CollectionSchema<C> };

/** The Standard Schema of one collection; with `locale`, issue messages come from `formatError`. */
export declare function schemaOf<C extends CollectionName>(collection: C, options?: { locale?: string }): CollectionSchema<C>;

/** What a message function receives. */
export interface MessageContext {
    /** The field's label, from its path (`messages.0.role` -> `Messages 1 role`) or `options.labels`. */
    label: string;
    params: ErrorParams;
    error: FieldError;
}

/** A locale: a message function per error kind. */
export type Messages = { [K in ErrorKind]?: (context: MessageContext) => string };

/** Options of `formatError`. */
export interface FormatOptions {
    /** A language tag: `en` (default), `fr`, or one added with `addLocale`; `fr-CA` falls back to `fr`, unknown tags to English. */
    locale?: string;
    /** Messages for this call, by kind (override the locale's). */
    messages?: Messages;
    /** Labels by path (`{ bio: "About you" }`). */
    labels?: Record<string, string>;
    /** The collection, to derive `params` for an error that has none (one read from the server's 422). */
    collection?: CollectionName;
}

/** A message for a person: `"Bio must be at most 500 characters (510 now)."`. */
export declare function formatError(error: Pick<FieldError, "path" | "kind" | "message"> & { params?: ErrorParams; value?: unknown }, options?: FormatOptions): string;

/** Adds a locale or overrides messages of one; kinds it leaves out fall back to `fallback` (English). */
export declare function addLocale(locale: string, messages: Messages, options?: { fallback?: string }): void;

/** The locales `formatError` knows (`["en", "fr", ...]`). */
export declare function locales(): string[];

/** The label `formatError` derives from a path. */
export declare function labelOf(path: string): string;

/** The `params` of an error of `collection` (what the entry points add to every error). */
export declare function paramsOf(collection: CollectionName, error: Pick<FieldError, "path" | "kind"> & { value?: unknown }): ErrorParams;

/** The declared field a concrete path names (`messages.0.role` -> the `messages.$.role` FormField). */
export declare function fieldAt(collection: CollectionName, path: string): import("./models.js").FormField | undefined;

/**
 * Loads the WebAssembly module once; call and await it before any other
 * function in a browser. `wasm` overrides where the module comes from. In
 * Node the module loads on import and this resolves at once.
 */
export declare function init(
    wasm?: string | URL | Request | Response | ArrayBuffer | ArrayBufferView | WebAssembly.Module,
): Promise<void>;
