// The printed report of both speed benchmarks (speed.mjs in Node,
// speed-chromium.mjs for the Chromium page's figures): the table, whose
// Mongoose columns only Node has, and the closing lines they share.
import { geomean } from './rounds.js';

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const rate = (key) => (r) => (r[key] ? fmt(r[key]) : '');
const times = (key, digits = 2) => (r) => (r[key] ? `${(r.wasm / r[key]).toFixed(digits)}x` : '');

/** Columns: [title, width, cell of a row]; `mongoose` adds Node's Mongoose columns. */
function columns({ mongoose }) {
  return [
    ['collection', 20, (r) => r.collection],
    ['docs', 5, (r) => r.docs],
    ['wasm ops/s', 12, (r) => fmt(r.wasm)],
    ['JSON trip/s', 12, (r) => fmt(r.boundary)],
    ['x JSON', 7, (r) => (r.wasm / r.boundary).toFixed(2)],
    ...(mongoose ? [['mongoose ops/s', 15, rate('mongoose')], ['x mongoose', 11, times('mongoose', 1)]] : []),
    ['ajv ops/s', 11, rate('ajv')],
    ['x ajv', 7, times('ajv')],
    ['zod 4 ops/s', 12, rate('zod4')],
    ['x zod 4', 8, times('zod4')],
    ['zod 3 ops/s', 12, rate('zod3')],
    ['x zod 3', 8, times('zod3')],
    ...(mongoose ? [['ceiling x m.', 13, (r) => `${(r.boundary / r.mongoose).toFixed(1)}x`]] : []),
    ['verdict/s', 11, (r) => fmt(r.verdict)],
    ['v. x JSON', 10, (r) => (r.verdict / r.boundary).toFixed(2)],
  ];
}

/** The table of `rows` (ops/s per implementation), one line per collection. */
export function table(rows, { mongoose = false } = {}) {
  const cols = columns({ mongoose });
  const line = (cells) => cells.map((c, i) => String(c)[i === 0 ? 'padEnd' : 'padStart'](cols[i][1])).join(' ');
  return [line(cols.map(([title]) => title)), ...rows.map((r) => line(cols.map(([, , cell]) => cell(r))))];
}

/** The package against the JSON round trip: validate, verdict, validateMany. */
export function packageSummary(rows) {
  const ofJson = rows.map((r) => r.wasm / r.boundary);
  const lowest = rows[ofJson.indexOf(Math.min(...ofJson))];
  return [
    `of the JSON round trip: geometric mean ${geomean(ofJson).toFixed(2)} (target >= 0.45), ` +
      `lowest ${Math.min(...ofJson).toFixed(2)} on ${lowest.collection} (target >= 0.35)`,
    `verdict (no normalised document) of the JSON round trip: geometric mean ${geomean(rows.map((r) => r.verdict / r.boundary)).toFixed(2)}; ` +
      `${geomean(rows.map((r) => r.verdict / r.wasm)).toFixed(2)}x validate`,
    `validateMany (batches of 100, per document) of the JSON round trip: geometric mean ${geomean(rows.map((r) => r.many / r.boundary)).toFixed(2)}; ` +
      `${geomean(rows.map((r) => r.many / r.wasm)).toFixed(2)}x validate`,
  ];
}

/** The package against Ajv, where Ajv has a schema. */
export function ajvSummary(rows) {
  return rows
    .filter((r) => r.ajv)
    .map((r) => `vs Ajv on ${r.collection}: ${(r.wasm / r.ajv).toFixed(2)}x; the JSON round trip alone: ${(r.boundary / r.ajv).toFixed(2)}x`);
}
