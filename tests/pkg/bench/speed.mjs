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
import { geomean, measure } from './rounds.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 40);
/** Documents per validateMany call. */
const BATCH = 100;
const fmt = (n) => Math.round(n).toLocaleString('en-US');

const models = mongooseModels();
const ajv = ajvValidators();
const rows = [];
for (const { collection, now, docs } of benchDocuments(models, ajv)) {
  const Model = models[collection];
  const ajvValidate = ajv[collection];
  const zod4Schema = zod4[collection];
  const zod3Schema = zod3[collection];
  const options = { now };
  const batch = Array.from({ length: BATCH }, (_, i) => docs[i % docs.length]);
  const impls = {
    wasm: (doc) => pkg.validate(collection, doc, options),
    verdict: (doc) => pkg.verdict(collection, doc, options),
    // One call per BATCH documents: its rate is multiplied by BATCH below.
    many: () => pkg.validateMany(collection, batch, options),
    mongoose: (doc) => new Model(doc).validateSync(),
    boundary: (doc) => JSON.parse(JSON.stringify(doc)),
    ...(ajvValidate ? { ajv: (doc) => ajvValidate(structuredClone(doc)) } : {}),
    // Zod returns a new object (it does not write into its input).
    ...(zod4Schema ? { zod4: (doc) => zod4Schema.parse(doc) } : {}),
    ...(zod3Schema ? { zod3: (doc) => zod3Schema.parse(doc) } : {}),
  };
  const rate = measure(impls, docs, { rounds: ROUNDS, roundMs: ROUND_MS });
  rows.push({ collection, docs: docs.length, ...rate, many: rate.many * BATCH });
}

const zodLabel = zodVersions();
console.log(`zod 4 = ${zodLabel.zod4}; zod 3 = ${zodLabel.zod3}`);
const header = [
  'collection', 'docs', 'wasm ops/s', 'JSON trip/s', 'x JSON', 'mongoose ops/s', 'x mongoose', 'ajv ops/s', 'x ajv',
  'zod 4 ops/s', 'x zod 4', 'zod 3 ops/s', 'x zod 3', 'ceiling x m.', 'verdict/s', 'v. x JSON',
];
const widths = [20, 5, 12, 12, 7, 15, 11, 11, 7, 12, 8, 12, 8, 13, 11, 10];
const line = (cells) => cells.map((c, i) => String(c)[i === 0 ? 'padEnd' : 'padStart'](widths[i])).join(' ');
console.log(line(header));
for (const r of rows) {
  console.log(
    line([
      r.collection,
      r.docs,
      fmt(r.wasm),
      fmt(r.boundary),
      (r.wasm / r.boundary).toFixed(2),
      fmt(r.mongoose),
      `${(r.wasm / r.mongoose).toFixed(1)}x`,
      r.ajv ? fmt(r.ajv) : '',
      r.ajv ? `${(r.wasm / r.ajv).toFixed(2)}x` : '',
      r.zod4 ? fmt(r.zod4) : '',
      r.zod4 ? `${(r.wasm / r.zod4).toFixed(2)}x` : '',
      r.zod3 ? fmt(r.zod3) : '',
      r.zod3 ? `${(r.wasm / r.zod3).toFixed(2)}x` : '',
      `${(r.boundary / r.mongoose).toFixed(1)}x`,
      fmt(r.verdict),
      (r.verdict / r.boundary).toFixed(2),
    ]),
  );
}
const ofJson = rows.map((r) => r.wasm / r.boundary);
const lowestJson = rows[ofJson.indexOf(Math.min(...ofJson))];
console.log(
  `of the JSON round trip: geometric mean ${geomean(ofJson).toFixed(2)} (target >= 0.45), ` +
    `lowest ${Math.min(...ofJson).toFixed(2)} on ${lowestJson.collection} (target >= 0.35)`,
);
console.log(
  `verdict (no normalised document) of the JSON round trip: geometric mean ${geomean(rows.map((r) => r.verdict / r.boundary)).toFixed(2)}; ` +
    `${geomean(rows.map((r) => r.verdict / r.wasm)).toFixed(2)}x validate`,
);
console.log(
  `validateMany (batches of 100, per document) of the JSON round trip: geometric mean ${geomean(rows.map((r) => r.many / r.boundary)).toFixed(2)}; ` +
    `${geomean(rows.map((r) => r.many / r.wasm)).toFixed(2)}x validate`,
);
const ratios = rows.map((r) => r.wasm / r.mongoose);
const slowest = rows[ratios.indexOf(Math.min(...ratios))];
console.log(`geometric mean: ${geomean(ratios).toFixed(1)}x Mongoose`);
console.log(
  `ceiling (JSON.parse(JSON.stringify(doc)) alone): geometric mean ${geomean(rows.map((r) => r.boundary / r.mongoose)).toFixed(1)}x Mongoose`,
);
console.log(`lowest: ${Math.min(...ratios).toFixed(1)}x Mongoose on ${slowest.collection} (target >= 3x)`);
for (const r of rows.filter((x) => x.ajv)) {
  console.log(
    `vs Ajv on ${r.collection}: ${(r.wasm / r.ajv).toFixed(2)}x; the JSON round trip alone: ${(r.boundary / r.ajv).toFixed(2)}x`,
  );
}
for (const text of zodSummary(rows)) console.log(text);
