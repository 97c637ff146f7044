// Standard Schema V1 and Standard JSON Schema V1 (`@standard-schema/spec` 1.1)
// for every collection: `schemas.users['~standard'].validate(value)` for form
// libraries (react-hook-form, TanStack Form, tRPC, Hono...), and
// `['~standard'].jsonSchema.input({ target })` / `.output({ target })` with
// the JSON Schemas generated from the models crate (json-schemas.js).
import { collections } from './collections.js';
import { jsonSchemas } from './json-schemas.js';
import { formatError } from './errors.js';

const TARGETS = ['draft-2020-12', 'draft-07', 'openapi-3.0'];

/** `messages.0.role` -> `['messages', 0, 'role']`; the document itself -> no path. */
export function pathKeys(path) {
  if (!path) return undefined;
  return path.split('.').map((seg) => (/^(0|[1-9]\d*)$/.test(seg) ? Number(seg) : seg));
}

function converter(name, direction) {
  return (options) => {
    const target = options?.target ?? 'draft-2020-12';
    if (!TARGETS.includes(target)) {
      throw new Error(`@onelastai/models: no JSON Schema for target ${JSON.stringify(target)}; supported: ${TARGETS.join(', ')}`);
    }
    // A fresh copy: the caller may change it (add $id, bundle it).
    return structuredClone(jsonSchemas[name][direction][target]);
  };
}

/**
 * The Standard Schema of one collection, validating with `validate`.
 * `locale` (optional) makes issue messages human (`formatError`);
 * without it they are Mongoose's.
 */
export function makeSchema(validate, name, { locale } = {}) {
  if (!jsonSchemas[name]) {
    throw new Error(`unknown collection ${JSON.stringify(name)}; expected one of: ${collections.map((c) => c.name).join(', ')}`);
  }
  const standard = {
    version: 1,
    vendor: 'onelastai',
    validate(value) {
      const result = validate(name, value);
      if (result.ok) return { value: result.value };
      return {
        issues: result.errors.map((error) => ({
          message: locale === undefined ? error.message : formatError(error, { locale }),
          path: pathKeys(error.path),
          error,
        })),
      };
    },
    jsonSchema: { input: converter(name, 'input'), output: converter(name, 'output') },
  };
  return Object.freeze({ '~standard': Object.freeze(standard) });
}

/** `schemas.<collection>`: every collection's Standard Schema (Mongoose's messages). */
export function makeSchemas(validate) {
  return Object.freeze(Object.fromEntries(collections.map((c) => [c.name, makeSchema(validate, c.name)])));
}

/** `schemaOf(name, options?)`: one of `schemas`, or a new one with a locale. */
export function makeSchemaOf(validate, schemas) {
  return (name, options) =>
    options?.locale === undefined && Object.hasOwn(schemas, name) ? schemas[name] : makeSchema(validate, name, options);
}
