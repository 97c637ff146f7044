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
import { ajvSummary, packageSummary, table } from './report.mjs';

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
      const { measure, packageImpls } = await import('/tests/pkg/bench/rounds.js');
      await pkg.init();
      const { Ajv, schemas } = globalThis.benchAjv;
      const { zod3, zod4 } = globalThis.benchZod;
      const ajv = new Ajv({ coerceTypes: true, useDefaults: true, removeAdditional: 'all', allErrors: true, strict: false });
      const out = [];
      for (const { collection, docs, now } of sets) {
        const options = { now };
        const batch = Array.from({ length: 100 }, (_, i) => docs[i % docs.length]);
        const ajvValidate = schemas[collection] && ajv.compile(schemas[collection]);
        const impls = packageImpls(pkg, collection, options, batch, { ajv: ajvValidate, zod4: zod4[collection], zod3: zod3[collection] });
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

console.log(`Chromium: ${rows.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? rows.userAgent}`);
const zodLabel = zodVersions();
console.log(`zod 4 = ${zodLabel.zod4}; zod 3 = ${zodLabel.zod3}`);
for (const text of [...table(rows.rows), ...packageSummary(rows.rows), ...ajvSummary(rows.rows), ...zodSummary(rows.rows)]) {
  console.log(text);
}
