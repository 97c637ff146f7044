// Speed of the package's `validate` against the JSON round trip, Mongoose 8's
// `new Model(doc).validateSync()` (the spec's schemas, tests/mongoose/schemas.js)
// on the same documents in one process, and Ajv (coerceTypes, useDefaults,
// removeAdditional, on a cloned input) and Zod 4 and Zod 3 (zod-schemas.js,
// `parse`; the installed zod and its `zod/v3` API, versions printed) for
// users, chatsessions and tools;
// `verdict` (the same check, no normalised document) and `validateMany`
// (batches of 100 documents, one call each) beside it.
// A report, never a timed assertion. speed-chromium.mjs runs the same
// benchmark in headless Chromium.
//
// Documents (documents.mjs): each collection's spec example from
// tests/vectors plus up to three other valid cases that every
// implementation accepts, used in turn. The `JSON.parse(JSON.stringify(doc))`
// row is the boundary alone (what the package does around the WebAssembly
// call): the speed a validator costing nothing would reach when values cross
// as JSON text, and so the ceiling of the package's ratios ("x JSON" is the
// package's share of it). Each implementation runs in short interleaved
// rounds; the median round is reported (rounds.js), so load from other
// processes hits all of them alike.
//   node tests/pkg/bench/speed.mjs            (BENCH_ROUNDS=9 BENCH_ROUND_MS=40)
import * as pkg from '@onelastai/models';
import { ajvValidators, benchDocuments, mongooseModels, zod3, zod4, zodSummary, zodVersions } from './documents.mjs';
import { geomean, measure, packageImpls } from './rounds.js';
import { ajvSummary, packageSummary, table } from './report.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 40);
/** Documents per validateMany call. */
const BATCH = 100;

const models = mongooseModels();
const ajv = ajvValidators();
const rows = [];
for (const { collection, now, docs } of benchDocuments(models, ajv)) {
  const Model = models[collection];
  const options = { now };
  const batch = Array.from({ length: BATCH }, (_, i) => docs[i % docs.length]);
  const impls = {
    ...packageImpls(pkg, collection, options, batch, { ajv: ajv[collection], zod4: zod4[collection], zod3: zod3[collection] }),
    mongoose: (doc) => new Model(doc).validateSync(),
  };
  const rate = measure(impls, docs, { rounds: ROUNDS, roundMs: ROUND_MS });
  rows.push({ collection, docs: docs.length, ...rate, many: rate.many * BATCH });
}

const zodLabel = zodVersions();
console.log(`zod 4 = ${zodLabel.zod4}; zod 3 = ${zodLabel.zod3}`);
for (const text of [...table(rows, { mongoose: true }), ...packageSummary(rows)]) console.log(text);
const ratios = rows.map((r) => r.wasm / r.mongoose);
const slowest = rows[ratios.indexOf(Math.min(...ratios))];
console.log(`geometric mean: ${geomean(ratios).toFixed(1)}x Mongoose`);
console.log(
  `ceiling (JSON.parse(JSON.stringify(doc)) alone): geometric mean ${geomean(rows.map((r) => r.boundary / r.mongoose)).toFixed(1)}x Mongoose`,
);
console.log(`lowest: ${Math.min(...ratios).toFixed(1)}x Mongoose on ${slowest.collection} (target >= 3x)`);
for (const text of [...ajvSummary(rows), ...zodSummary(rows)]) console.log(text);
