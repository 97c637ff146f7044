// Runs every code block marked runnable in README.md and pkg/README.md, as
// written, so the docs cannot rot:
//   ```js runnable           run in Node as an ES module that imports the
//                            built package (tests/pkg resolves @onelastai/models)
//   ```js runnable browser   also bundled for browsers with esbuild at the
//                            target Vite used by default up to Vite 6 (`modules`:
//                            es2020, chrome87, edge88, firefox78; its safari14
//                            is left out: esbuild cannot lower the destructuring
//                            in wasm-bindgen's own glue for it, whatever the
//                            init), which refuses top-level await; the bundle
//                            is loaded in headless Chromium (it must print and
//                            throw nothing), then the block is run in Node
// A control bundle with a top-level `await init()` must fail at that target,
// or the browser check proves nothing. Prints one line per block; exits 1
// if any fails.
//   node tools/check-readme-snippets.mjs [--verbose]   (after tools/build-pkg.sh; test-pkg.sh runs it;
//                                                     --verbose prints what each block prints)
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, 'tests/pkg/.snippets'); // under tests/pkg: its node_modules resolve the package
const esbuild = createRequire(path.join(root, 'tests/pkg/package.json'))('esbuild');
const VITE_MODULES_TARGET = ['es2020', 'chrome87', 'edge88', 'firefox78'];
const FILES = ['README.md', 'pkg/README.md'];

/** The runnable blocks of a Markdown file: { line, flags, code }. */
function blocks(file) {
  const lines = readFileSync(path.join(root, file), 'utf8').split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```js\s+runnable\b(.*)$/.exec(lines[i]);
    if (!open) continue;
    const start = i + 1;
    const body = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    out.push({ line: start, flags: open[1].trim().split(/\s+/).filter(Boolean), code: body.join('\n') + '\n' });
  }
  return out;
}

/** Bundles `entry` into `outdir` (written when given); the error text, or null. */
async function bundle(entry, outdir) {
  try {
    await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      write: outdir !== undefined,
      outdir: outdir ?? path.join(work, 'bundle'),
      format: 'esm',
      platform: 'browser',
      target: VITE_MODULES_TARGET,
      logLevel: 'silent',
      loader: { '.wasm': 'file' },
    });
    return null;
  } catch (e) {
    return e.errors?.map((x) => x.text).join('; ') ?? String(e);
  }
}

let browser;
/** Loads a bundle in a blank page; what it printed and threw. */
async function inChromium(url) {
  browser ??= await (async () => {
    const { startStaticServer } = await import(path.join(root, 'tests/pkg/lib/static-server.js'));
    const { launchChromium } = await import(path.join(root, 'tests/pkg/lib/chromium.js'));
    return { server: await startStaticServer(), chromium: await launchChromium() };
  })();
  const page = await browser.chromium.context.newPage();
  const logs = [];
  const errors = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') logs.push(m.text());
    else if (!m.text().startsWith('Failed to load resource')) errors.push(m.text()); // said below, with its URL
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`);
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${browser.server.url}/`);
  try {
    await page.evaluate((u) => import(u), url);
    // The block prints when its promise settles.
    for (let i = 0; i < 100 && logs.length === 0 && errors.length === 0; i++) await page.waitForTimeout(100);
  } catch (e) {
    errors.push(String(e));
  }
  await page.close();
  return { logs, errors };
}

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
let passed = 0;
let failed = 0;

const control = path.join(work, 'control-top-level-await.mjs');
writeFileSync(control, "import { init } from '@onelastai/models';\nawait init();\n");
if ((await bundle(control)) === null) {
  console.log('FAIL control: a top-level await bundled at the Vite target; the browser check proves nothing');
  failed++;
}

for (const file of FILES) {
  for (const block of blocks(file)) {
    const name = `${file.replace(/[/.]/g, '_')}-${block.line}.mjs`;
    const where = `${file}:${block.line}`;
    const entry = path.join(work, name);
    writeFileSync(entry, block.code);
    if (block.flags.includes('browser')) {
      const outdir = path.join(work, `bundle-${block.line}`);
      const error = await bundle(entry, outdir);
      if (error) {
        console.log(`FAIL ${where}: does not bundle for the Vite target: ${error}`);
        failed++;
        continue;
      }
      // The bundle fetches the module next to itself, as a bundler's emitted asset.
      copyFileSync(path.join(root, 'pkg/web/models_bg.wasm'), path.join(outdir, 'models_bg.wasm'));
      const seen = await inChromium(`/tests/pkg/.snippets/bundle-${block.line}/${name.replace(/\.mjs$/, '.js')}`);
      if (seen.errors.length || seen.logs.length === 0) {
        console.log(`FAIL ${where}: in Chromium: ${seen.errors.join('; ') || 'printed nothing'}`);
        failed++;
        continue;
      }
    }
    const run = spawnSync(process.execPath, [entry], { cwd: work, encoding: 'utf8', timeout: 60_000 });
    if (run.status === 0) {
      console.log(`ok   ${where}${block.flags.length ? ` (${block.flags.join(', ')})` : ''}`);
      if (process.argv.includes('--verbose')) console.log(run.stdout);
      passed++;
    } else {
      console.log(`FAIL ${where}: exit ${run.status}\n${(run.stderr || run.stdout).split('\n').slice(0, 12).join('\n')}`);
      failed++;
    }
  }
}
if (browser) {
  await browser.chromium.close();
  await browser.server.close();
}
rmSync(work, { recursive: true, force: true });
console.log(`readme snippets: ${passed} passed, ${failed} failed`);
process.exitCode = failed || passed === 0 ? 1 : 0;
