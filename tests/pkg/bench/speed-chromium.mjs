// The speed benchmark of speed.mjs in headless Chromium (playwright-core and
// /usr/bin/chromium, as tests/pkg/lib/chromium.js launches it): the package's
// browser entry (`--target web` + init) against the JSON round trip
// (`JSON.parse(JSON.stringify(doc))`) and, for users, chatsessions and tools,
// Ajv, Zod 4 and Zod 3 (zod-schemas.js; bundled for the page with esbuild),
// `verdict` and `validateMany`, on the documents speed.mjs chooses, with the
// same interleaved rounds (rounds.js). Mongoose is not
// run in the page (its models need Node); its ratios are speed.mjs's. A
// report, never a timed assertion.
//   node tests/pkg/bench/speed-chromium.mjs   (BENCH_ROUNDS=9 BENCH_ROUND_MS=40)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { launchChromium } from '../lib/chromium.js';
import { startStaticServer } from '../lib/static-server.js';
import { benchDocuments, zodSummary, zodVersions } from './documents.mjs';
import { geomean } from './rounds.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 40);
const here = path.dirname(fileURLToPath(import.meta.url));

const sets = benchDocuments();
// Ajv and the JSON Schemas of speed.mjs, and the Zod 4 and Zod 3 schemas, as one script for the page.
const rivalsBundle = await build({
  stdin: {
    contents:
      "import Ajv from 'ajv'; import * as schemas from './ajv-schemas.js'; import { zod3, zod4 } from './zod-schemas.js';" +
      'globalThis.benchAjv = { Ajv, schemas }; globalThis.benchZod = { zod3, zod4 };',
    resolveDir: here,
  },
  bundle: true,
  format: 'iife',
  platform: 'browser',
  write: false,
  logLevel: 'error',
});

const server = await startStaticServer();
const chromium = await launchChromium();
let rows;
try {
  const page = await chromium.context.newPage();
  await page.goto(`${server.url}/`);
  await page.addScriptTag({ content: rivalsBundle.outputFiles[0].text });
  rows = await page.evaluate(
    async ({ sets, rounds, roundMs }) => {
      const pkg = await import('/pkg/index.js');
      const { measure } = await import('/tests/pkg/bench/rounds.js');
      await pkg.init();
      const { Ajv, schemas } = globalThis.benchAjv;
      const { zod3, zod4 } = globalThis.benchZod;
      const ajv = new Ajv({ coerceTypes: true, useDefaults: true, removeAdditional: 'all', allErrors: true, strict: false });
      const out = [];
      for (const { collection, docs, now } of sets) {
        const options = { now };
        const batch = Array.from({ length: 100 }, (_, i) => docs[i % docs.length]);
        const ajvValidate = schemas[collection] && ajv.compile(schemas[collection]);
        const impls = {
          wasm: (doc) => pkg.validate(collection, doc, options),
          verdict: (doc) => pkg.verdict(collection, doc, options),
          // One call per batch of documents: its rate is multiplied by the batch size below.
          many: () => pkg.validateMany(collection, batch, options),
          boundary: (doc) => JSON.parse(JSON.stringify(doc)),
          ...(ajvValidate ? { ajv: (doc) => ajvValidate(structuredClone(doc)) } : {}),
          ...(zod4[collection] ? { zod4: (doc) => zod4[collection].parse(doc) } : {}),
          ...(zod3[collection] ? { zod3: (doc) => zod3[collection].parse(doc) } : {}),
        };
        if (!docs.every((d) => pkg.validate(collection, d, options).ok)) throw new Error(`${collection}: a document is refused`);
        for (const [name, schemas] of Object.entries({ zod4, zod3 })) {
          if (schemas[collection] && !docs.every((d) => schemas[collection].safeParse(d).success)) {
            throw new Error(`${collection}: ${name} refuses a document`);
          }
        }
        const rate = measure(impls, docs, { rounds, roundMs });
        out.push({ collection, docs: docs.length, ...rate, many: rate.many * batch.length });
      }
      return { userAgent: navigator.userAgent, rows: out };
    },
    { sets: sets.map(({ collection, docs, now }) => ({ collection, docs, now })), rounds: ROUNDS, roundMs: ROUND_MS },
  );
} finally {
  await chromium.close();
  await server.close();
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
console.log(`Chromium: ${rows.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? rows.userAgent}`);
const zodLabel = zodVersions();
console.log(`zod 4 = ${zodLabel.zod4}; zod 3 = ${zodLabel.zod3}`);
const header = ['collection', 'docs', 'wasm ops/s', 'JSON trip/s', 'x JSON', 'ajv ops/s', 'x ajv', 'zod 4 ops/s', 'x zod 4', 'zod 3 ops/s', 'x zod 3', 'verdict/s', 'v. x JSON'];
const widths = [20, 5, 12, 12, 7, 11, 7, 12, 8, 12, 8, 11, 10];
const line = (cells) => cells.map((c, i) => String(c)[i === 0 ? 'padEnd' : 'padStart'](widths[i])).join(' ');
console.log(line(header));
for (const r of rows.rows) {
  console.log(
    line([
      r.collection,
      r.docs,
      fmt(r.wasm),
      fmt(r.boundary),
      (r.wasm / r.boundary).toFixed(2),
      r.ajv ? fmt(r.ajv) : '',
      r.ajv ? `${(r.wasm / r.ajv).toFixed(2)}x` : '',
      r.zod4 ? fmt(r.zod4) : '',
      r.zod4 ? `${(r.wasm / r.zod4).toFixed(2)}x` : '',
      r.zod3 ? fmt(r.zod3) : '',
      r.zod3 ? `${(r.wasm / r.zod3).toFixed(2)}x` : '',
      fmt(r.verdict),
      (r.verdict / r.boundary).toFixed(2),
    ]),
  );
}
const ofJson = rows.rows.map((r) => r.wasm / r.boundary);
const lowest = rows.rows[ofJson.indexOf(Math.min(...ofJson))];
console.log(
  `of the JSON round trip: geometric mean ${geomean(ofJson).toFixed(2)} (target >= 0.45), ` +
    `lowest ${Math.min(...ofJson).toFixed(2)} on ${lowest.collection} (target >= 0.35)`,
);
console.log(
  `verdict (no normalised document) of the JSON round trip: geometric mean ${geomean(rows.rows.map((r) => r.verdict / r.boundary)).toFixed(2)}; ` +
    `${geomean(rows.rows.map((r) => r.verdict / r.wasm)).toFixed(2)}x validate`,
);
console.log(
  `validateMany (batches of 100, per document) of the JSON round trip: geometric mean ${geomean(rows.rows.map((r) => r.many / r.boundary)).toFixed(2)}; ` +
    `${geomean(rows.rows.map((r) => r.many / r.wasm)).toFixed(2)}x validate`,
);
for (const r of rows.rows.filter((x) => x.ajv)) {
  console.log(`vs Ajv on ${r.collection}: ${(r.wasm / r.ajv).toFixed(2)}x; the JSON round trip alone: ${(r.boundary / r.ajv).toFixed(2)}x`);
}
for (const text of zodSummary(rows.rows)) console.log(text);
