// The measuring loop of the speed benchmarks and what they time, shared by Node
// (speed.mjs) and the headless Chromium page (speed-chromium.mjs): each
// implementation runs in short interleaved rounds, and the median round's
// rate is kept, so load from other processes hits all of them alike.
// Plain ES module without Node imports: the browser loads it as it is.

/** ops/s of `op` over one round of about `ms` milliseconds. */
export function round(op, docs, ms) {
  let n = 0;
  let i = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let k = 0; k < 25; k++) op(docs[i++ % docs.length]);
    n += 25;
    t = performance.now();
  }
  return (n * 1000) / (t - t0);
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const geomean = (xs) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);

/**
 * The median ops/s of each of `impls` ({ name: op }) over `rounds`
 * interleaved rounds on `docs`, after a warm-up of 300 calls each (the JIT,
 * Mongoose's lazy compilation).
 */
export function measure(impls, docs, { rounds, roundMs }) {
  for (const op of Object.values(impls)) {
    for (let k = 0; k < 300; k++) op(docs[k % docs.length]);
  }
  const samples = Object.fromEntries(Object.keys(impls).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, op] of Object.entries(impls)) samples[name].push(round(op, docs, roundMs));
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

/**
 * What both benchmarks time on one collection: the package's `validate`,
 * `verdict` and `validateMany` (one call per `batch`: multiply its rate by
 * `batch.length`), the JSON round trip, and the rivals given: Ajv on a clone
 * (it writes into its input), Zod's `parse` (it returns a new object).
 */
export function packageImpls(pkg, collection, options, batch, { ajv, zod4, zod3 } = {}) {
  return {
    wasm: (doc) => pkg.validate(collection, doc, options),
    verdict: (doc) => pkg.verdict(collection, doc, options),
    many: () => pkg.validateMany(collection, batch, options),
    boundary: (doc) => JSON.parse(JSON.stringify(doc)),
    ...(ajv ? { ajv: (doc) => ajv(structuredClone(doc)) } : {}),
    ...(zod4 ? { zod4: (doc) => zod4.parse(doc) } : {}),
    ...(zod3 ? { zod3: (doc) => zod3.parse(doc) } : {}),
  };
}
