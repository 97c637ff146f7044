// Size of the package's WebAssembly module (after wasm-opt -O3): raw, gzip -9
// and brotli (max quality), and the JavaScript glue a browser loads with it.
// A report, not a test; the budget is <= 80 KB gzip for the .wasm.
//   node tests/pkg/bench/size.mjs
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { repoRoot } from '../lib/files.js';

const BUDGET_GZIP = 80 * 1024;
/** `gzip -9` as the command counts it; zlib's level 9 when there is no gzip. */
const gzip9 = (bytes) => {
  const out = spawnSync('gzip', ['-9', '-c'], { input: bytes, maxBuffer: 1 << 26 });
  return out.status === 0 ? out.stdout.length : gzipSync(bytes, { level: 9 }).length;
};
const sizes = (file) => {
  const bytes = readFileSync(path.join(repoRoot, file));
  return {
    raw: bytes.length,
    gzip: gzip9(bytes),
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
};
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const rows = [
  ['pkg/web/models_bg.wasm', sizes('pkg/web/models_bg.wasm')],
  ['pkg/web/models.js (glue)', sizes('pkg/web/models.js')],
];
console.log('file'.padEnd(28), 'raw'.padStart(18), 'gzip -9'.padStart(18), 'brotli'.padStart(18));
for (const [name, s] of rows) {
  const cell = (n) => `${n} (${kb(n)})`.padStart(18);
  console.log(name.padEnd(28), cell(s.raw), cell(s.gzip), cell(s.brotli));
}
const wasm = rows[0][1];
const verdict = wasm.gzip <= BUDGET_GZIP ? 'within' : `over by ${kb(wasm.gzip - BUDGET_GZIP)}`;
console.log(`budget: .wasm gzip ${kb(wasm.gzip)} of ${kb(BUDGET_GZIP)}: ${verdict}`);
