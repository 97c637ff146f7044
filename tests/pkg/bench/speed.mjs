// Speed of the package's `validate` against Mongoose 8's
// `new Model(doc).validateSync()` (the spec's schemas, tests/mongoose/schemas.js)
// on the same documents in one process, and against Ajv (coerceTypes,
// useDefaults, removeAdditional, on a cloned input) for users, chatsessions
// and tools. A report, never a timed assertion.
//
// Documents: each collection's spec example from tests/vectors plus up to
// three other valid cases that every implementation accepts (variants), used
// in turn. The `JSON.parse(JSON.stringify(doc))` row is the boundary alone
// (what the package does around the WebAssembly call): the speed a validator
// costing nothing would reach when values cross as JSON text, and so the
// ceiling of the package's ratios. Each implementation runs
// in short interleaved rounds; the median round is reported, so load from
// other processes hits all of them alike.
//   node tests/pkg/bench/speed.mjs            (BENCH_ROUNDS=9 BENCH_ROUND_MS=40)
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import * as pkg from '@onelastai/models';
import { loadVectorFiles, repoRoot } from '../lib/files.js';
import * as ajvSchemas from './ajv-schemas.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 40);
const VARIANTS = 3;

const mongooseDir = path.join(repoRoot, 'tests/mongoose');
if (!existsSync(path.join(mongooseDir, 'node_modules/mongoose'))) {
  console.error('Mongoose is not installed: npm ci --prefix tests/mongoose');
  process.exit(1);
}
process.removeAllListeners('warning'); // Mongoose's duplicate-index notices
const { models } = createRequire(import.meta.url)(path.join(mongooseDir, 'schemas.js'));

const ajv = new Ajv({ coerceTypes: true, useDefaults: true, removeAdditional: 'all', allErrors: true, strict: false });
const ajvValidators = Object.fromEntries(Object.entries(ajvSchemas).map(([name, schema]) => [name, ajv.compile(schema)]));

/** ops/s of `op` over one round of about ROUND_MS. */
function round(op, docs) {
  let n = 0;
  let i = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ROUND_MS) {
    for (let k = 0; k < 25; k++) op(docs[i++ % docs.length]);
    n += 25;
    t = performance.now();
  }
  return (n * 1000) / (t - t0);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const geomean = (xs) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
const fmt = (n) => Math.round(n).toLocaleString('en-US');

const rows = [];
for (const file of loadVectorFiles()) {
  const Model = models[file.collection];
  const ajvValidate = ajvValidators[file.collection];
  const options = { now: file.cases[0].now };
  const impls = {
    wasm: (doc) => pkg.validate(file.collection, doc, options),
    mongoose: (doc) => new Model(doc).validateSync(),
    boundary: (doc) => JSON.parse(JSON.stringify(doc)),
    ...(ajvValidate ? { ajv: (doc) => ajvValidate(structuredClone(doc)) } : {}),
  };
  const acceptedByAll = (doc) =>
    pkg.validate(file.collection, doc, options).ok &&
    new Model(doc).validateSync() === undefined &&
    (!ajvValidate || ajvValidate(structuredClone(doc)));
  // The spec example, and the first valid variants every implementation accepts
  // (Ajv cannot cast like Mongoose: "yes" is no boolean to it).
  const spec = file.cases.find((c) => /spec.example/.test(c.name));
  const variants = file.cases.filter((c) => c !== spec && c.valid && acceptedByAll(c.input)).slice(0, VARIANTS);
  const docs = [spec, ...variants].filter(Boolean).map((c) => c.input);
  // Warm up: the JIT, and Mongoose's lazy compilation.
  for (const op of Object.values(impls)) {
    for (let k = 0; k < 300; k++) op(docs[k % docs.length]);
  }
  if (!docs.every(acceptedByAll)) console.warn(`note: the ${file.collection} spec example is not valid for every implementation`);
  const samples = Object.fromEntries(Object.keys(impls).map((k) => [k, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, op] of Object.entries(impls)) samples[name].push(round(op, docs));
  }
  const rate = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  rows.push({ collection: file.collection, docs: docs.length, ...rate });
}

const header = ['collection', 'docs', 'wasm ops/s', 'mongoose ops/s', 'x mongoose', 'ajv ops/s', 'x ajv', 'JSON trip/s', 'ceiling x m.'];
const widths = [20, 5, 12, 15, 11, 11, 7, 12, 13];
const line = (cells) => cells.map((c, i) => String(c)[i === 0 ? 'padEnd' : 'padStart'](widths[i])).join(' ');
console.log(line(header));
for (const r of rows) {
  console.log(
    line([
      r.collection,
      r.docs,
      fmt(r.wasm),
      fmt(r.mongoose),
      `${(r.wasm / r.mongoose).toFixed(1)}x`,
      r.ajv ? fmt(r.ajv) : '',
      r.ajv ? `${(r.wasm / r.ajv).toFixed(2)}x` : '',
      fmt(r.boundary),
      `${(r.boundary / r.mongoose).toFixed(1)}x`,
    ]),
  );
}
const ratios = rows.map((r) => r.wasm / r.mongoose);
const slowest = rows[ratios.indexOf(Math.min(...ratios))];
console.log(`geometric mean: ${geomean(ratios).toFixed(1)}x Mongoose (target >= 15x)`);
console.log(
  `ceiling (JSON.parse(JSON.stringify(doc)) alone): geometric mean ${geomean(rows.map((r) => r.boundary / r.mongoose)).toFixed(1)}x Mongoose; ` +
    `share of the package's time spent on it: ${(geomean(rows.map((r) => r.wasm / r.boundary)) * 100).toFixed(0)}% (geometric mean)`,
);
console.log(`lowest: ${Math.min(...ratios).toFixed(1)}x Mongoose on ${slowest.collection} (target >= 3x)`);
for (const r of rows.filter((x) => x.ajv)) {
  console.log(
    `vs Ajv on ${r.collection}: ${(r.wasm / r.ajv).toFixed(2)}x (target > 1x); the JSON round trip alone: ${(r.boundary / r.ajv).toFixed(2)}x`,
  );
}
