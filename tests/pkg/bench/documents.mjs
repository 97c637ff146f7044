// The documents of the speed benchmarks (speed.mjs in Node,
// speed-chromium.mjs in Chromium): each collection's spec example from
// tests/vectors plus up to three other valid cases that every
// implementation accepts (the package, Mongoose 8, and Ajv, Zod 4 and
// Zod 3 where they have a schema), used in turn. Before that, Ajv and both
// Zods must refuse a few hand-written invalid documents (refusals below),
// so the rivals are measured checking what the package checks.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import * as pkg from '@onelastai/models';
import { loadVectorFiles, repoRoot } from '../lib/files.js';
import * as ajvSchemas from './ajv-schemas.js';
import { zod3, zod4 } from './zod-schemas.js';

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

/**
 * Hand-written invalid documents: a collection's spec example with one
 * change that the spec refuses. (Not Mongoose: its users email check is a
 * save hook, which validateSync does not run.)
 */
const refusals = [
  { collection: 'users', what: 'an email without @', change: (d) => void (d.email = 'user.example.com') },
  { collection: 'users', what: 'an email with a space', change: (d) => void (d.email = 'john doe@example.com') },
  { collection: 'users', what: "role 'superuser' (not in the enum)", change: (d) => void (d.role = 'superuser') },
  { collection: 'users', what: 'no id (required)', change: (d) => void delete d.id },
  { collection: 'chatsessions', what: "a message's role 'system' (not in the enum)", change: (d) => void (d.messages[0].role = 'system') },
  { collection: 'chatsessions', what: 'no id (required)', change: (d) => void delete d.id },
  { collection: 'tools', what: "riskLevel 'extreme' (not in the enum)", change: (d) => void (d.riskLevel = 'extreme') },
  { collection: 'tools', what: "metadata.category 'games' (not in the enum)", change: (d) => void (d.metadata.category = 'games') },
  { collection: 'tools', what: 'no id (required)', change: (d) => void delete d.id },
];

/**
 * Throws unless the package, Ajv, Zod 4 and Zod 3 each refuse every
 * hand-written invalid document of `refusals` (and accept the spec example
 * it was made from).
 */
export function checkRefusals(files = loadVectorFiles(), ajv = ajvValidators()) {
  const failures = [];
  for (const { collection, what, change } of refusals) {
    const file = files.find((f) => f.collection === collection);
    const spec = file.cases.find((c) => /spec.example/.test(c.name)).input;
    const doc = structuredClone(spec);
    change(doc);
    const judges = {
      package: (d) => pkg.validate(collection, d, { now: file.cases[0].now }).ok,
      ajv: (d) => ajv[collection](structuredClone(d)),
      'zod 4': (d) => zod4[collection].safeParse(d).success,
      'zod 3': (d) => zod3[collection].safeParse(d).success,
    };
    for (const [name, accepts] of Object.entries(judges)) {
      if (!accepts(spec)) failures.push(`${name} refuses the ${collection} spec example`);
      if (accepts(doc)) failures.push(`${name} accepts ${collection} with ${what}`);
    }
  }
  if (failures.length) throw new Error(`the benchmark's validators disagree with the spec:\n  ${failures.join('\n  ')}`);
  return refusals.length;
}

/** `[{ collection, now, docs }]` for the 17 collections, in file-name order. */
export function benchDocuments(models = mongooseModels(), ajv = ajvValidators()) {
  const files = loadVectorFiles();
  checkRefusals(files, ajv);
  return files.map((file) => {
    const Model = models[file.collection];
    const ajvValidate = ajv[file.collection];
    const zod4Schema = zod4[file.collection];
    const zod3Schema = zod3[file.collection];
    const now = file.cases[0].now;
    const acceptedByAll = (doc) =>
      pkg.validate(file.collection, doc, { now }).ok &&
      new Model(doc).validateSync() === undefined &&
      (!ajvValidate || ajvValidate(structuredClone(doc))) &&
      (!zod4Schema || zod4Schema.safeParse(doc).success) &&
      (!zod3Schema || zod3Schema.safeParse(doc).success);
    // The spec example, and the first valid variants every implementation accepts
    // (Ajv cannot cast like Mongoose: "yes" is no boolean to it).
    const spec = file.cases.find((c) => /spec.example/.test(c.name));
    const variants = file.cases.filter((c) => c !== spec && c.valid && acceptedByAll(c.input)).slice(0, VARIANTS);
    const docs = [spec, ...variants].filter(Boolean).map((c) => c.input);
    if (!docs.every(acceptedByAll)) console.warn(`note: the ${file.collection} spec example is not valid for every implementation`);
    return { collection: file.collection, now, docs };
  });
}

/** Zod 4's and Zod 3's schemas of zod-schemas.js, by collection. */
export { zod3, zod4 };

/**
 * The labels of the two Zods, from the installed package: `zod` is Zod
 * `version` of node_modules/zod/package.json; `zod/v3` exposes no version of
 * its own, so it is named as the Zod 3 API of that package.
 */
export function zodVersions() {
  const { version } = createRequire(import.meta.url)('zod/package.json');
  return { zod4: `Zod ${version}`, zod3: `zod/v3 API of zod ${version}` };
}

/**
 * The closing lines of both speed benchmarks on the Zods: for each Zod and
 * each of users, chatsessions and tools (issue 16's order and target), the
 * package's ratio and the JSON round trip's alone. `rows` carry the ops/s
 * `wasm`, `boundary`, `zod4` and `zod3` by `collection`.
 */
export function zodSummary(rows) {
  const labels = zodVersions();
  const lines = [];
  for (const [key, label] of Object.entries(labels)) {
    for (const collection of ['users', 'chatsessions', 'tools']) {
      const r = rows.find((x) => x.collection === collection);
      lines.push(
        `vs ${label} on ${collection}: ${(r.wasm / r[key]).toFixed(2)}x (target >= 6x); the JSON round trip alone: ${(r.boundary / r[key]).toFixed(2)}x`,
      );
    }
  }
  return lines;
}
