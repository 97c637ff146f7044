// The documents of the speed benchmarks (speed.mjs in Node,
// speed-chromium.mjs in Chromium): each collection's spec example from
// tests/vectors plus up to three other valid cases that every
// implementation accepts (the package, Mongoose 8, and Ajv and Zod where
// they have a schema), used in turn.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import * as pkg from '@onelastai/models';
import { loadVectorFiles, repoRoot } from '../lib/files.js';
import * as ajvSchemas from './ajv-schemas.js';
import * as zodSchemas from './zod-schemas.js';

const VARIANTS = 3;

/** Mongoose's models of the spec's schemas (tests/mongoose/schemas.js); exits when it is not installed. */
export function mongooseModels() {
  const mongooseDir = path.join(repoRoot, 'tests/mongoose');
  if (!existsSync(path.join(mongooseDir, 'node_modules/mongoose'))) {
    console.error('Mongoose is not installed: npm ci --prefix tests/mongoose');
    process.exit(1);
  }
  process.removeAllListeners('warning'); // Mongoose's duplicate-index notices
  return createRequire(import.meta.url)(path.join(mongooseDir, 'schemas.js')).models;
}

/** Ajv's validators of ajv-schemas.js, by collection. */
export function ajvValidators() {
  const ajv = new Ajv({ coerceTypes: true, useDefaults: true, removeAdditional: 'all', allErrors: true, strict: false });
  return Object.fromEntries(Object.entries(ajvSchemas).map(([name, schema]) => [name, ajv.compile(schema)]));
}

/** `[{ collection, now, docs }]` for the 17 collections, in file-name order. */
export function benchDocuments(models = mongooseModels(), ajv = ajvValidators(), zod = zodSchemas) {
  return loadVectorFiles().map((file) => {
    const Model = models[file.collection];
    const ajvValidate = ajv[file.collection];
    const zodSchema = zod[file.collection];
    const now = file.cases[0].now;
    const acceptedByAll = (doc) =>
      pkg.validate(file.collection, doc, { now }).ok &&
      new Model(doc).validateSync() === undefined &&
      (!ajvValidate || ajvValidate(structuredClone(doc))) &&
      (!zodSchema || zodSchema.safeParse(doc).success);
    // The spec example, and the first valid variants every implementation accepts
    // (Ajv cannot cast like Mongoose: "yes" is no boolean to it).
    const spec = file.cases.find((c) => /spec.example/.test(c.name));
    const variants = file.cases.filter((c) => c !== spec && c.valid && acceptedByAll(c.input)).slice(0, VARIANTS);
    const docs = [spec, ...variants].filter(Boolean).map((c) => c.input);
    if (!docs.every(acceptedByAll)) console.warn(`note: the ${file.collection} spec example is not valid for every implementation`);
    return { collection: file.collection, now, docs };
  });
}

/** Zod's schemas of zod-schemas.js, by collection. */
export { zodSchemas };
