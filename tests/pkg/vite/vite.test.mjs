// pkg/README.md's "With Vite and other bundlers" block, in a real Vite app:
// tests/pkg/vite/app (index.html, main.js) is built with `vite build` at
// Vite's default build target (no `build.target`, no config file), served
// from dist/ by a plain static server and loaded in headless Chromium, where
// it validates a good users document and two bad ones. The expected answers
// are written here by hand from the users model (email lowercase,
// a custom email-format rule, bio maxlength 500). A control, the same app with
// a top-level `await init()`, must fail to build at that target, or the test
// proves nothing.
//   cd tests/pkg && node --test vite/vite.test.mjs   (tools/test-pkg.sh runs it)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, version as viteVersion } from 'vite';
import { launchChromium } from '../lib/chromium.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const work = path.join(here, '.work'); // under tests/pkg/vite: its node_modules resolve vite and the package
const HEADING = '## With Vite and other bundlers (no top-level await)';

after(() => rmSync(work, { recursive: true, force: true }));

/** The ```js runnable browser block of pkg/README.md's Vite section, as written. */
function readmeSnippet() {
  const readme = readFileSync(path.join(root, 'pkg/README.md'), 'utf8');
  const start = readme.indexOf(HEADING);
  assert.notEqual(start, -1, `pkg/README.md has no section "${HEADING}"`);
  const section = readme.slice(start + HEADING.length).split(/\n## /)[0];
  const block = /```js runnable browser\n([\s\S]*?)\n```/.exec(section);
  assert.ok(block, 'the Vite section has no ```js runnable browser block');
  return block[1] + '\n';
}

/** Copies the app into .work/<name> with `main` as its main.js; builds it; the dist dir. */
async function viteBuild(name, main, extra = {}) {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(here, 'app/index.html'), path.join(dir, 'index.html'));
  cpSync(path.join(here, 'app', main), path.join(dir, 'main.js'));
  for (const [file, text] of Object.entries(extra)) writeFileSync(path.join(dir, file), text);
  await build({ root: dir, configFile: false, logLevel: 'silent', build: { outDir: 'dist', emptyOutDir: true } });
  return path.join(dir, 'dist');
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm' };

/** Serves `dir` on 127.0.0.1 (a free port); resolves to `{ url, close }`. */
function serve(dir) {
  const server = createServer(async (req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const file = path.join(dir, path.normalize(pathname === '/' ? '/index.html' : pathname));
    try {
      if (!file.startsWith(dir + path.sep)) throw new Error('outside');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

test(`vite ${viteVersion}: a top-level await init() fails vite build at the default target (the control)`, async () => {
  await assert.rejects(viteBuild('control', 'main-top-level-await.js'), (e) => {
    assert.match(String(e?.message ?? e), /top-level await/i, String(e?.message ?? e));
    return true;
  });
});

test(`vite ${viteVersion}: the README's snippet builds at the default target and validates in Chromium`, async () => {
  const dist = await viteBuild('app', 'main.js', { 'readme-snippet.js': readmeSnippet() });
  const server = await serve(dist);
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => window.results !== undefined, null, { timeout: 15_000 });
    const results = await page.evaluate(() => window.results);
    assert.deepEqual(problems, []);
    assert.equal(results.error, undefined, results.error);

    // The snippet's own check: the custom email rule's message.
    assert.deepEqual(results.messages, ['Invalid email format']);

    assert.equal(results.good.ok, true, JSON.stringify(results.good.errors));
    assert.equal(results.good.value.id, 'user_1');
    assert.equal(results.good.value.email, 'ann@example.com'); // `lowercase` on email
    assert.equal(results.good.value.role, 'user'); // the default
    assert.equal(results.good.value.emailVerified, false); // the default

    assert.equal(results.badEmail.ok, false);
    assert.deepEqual(
      results.badEmail.errors.map(({ path: p, kind, message }) => ({ path: p, kind, message })),
      [{ path: 'email', kind: 'user defined', message: 'Invalid email format' }],
    );

    assert.equal(results.longBio.ok, false);
    assert.deepEqual(
      results.longBio.errors.map(({ path: p, kind, params }) => ({ path: p, kind, params })),
      [{ path: 'bio', kind: 'maxlength', params: { maxlength: 500, length: 510 } }],
    );

    // The .wasm came from Vite's emitted asset, not from pkg/.
    const assets = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name));
    assert.ok(assets.some((u) => /\/assets\/models_bg-[\w-]+\.wasm$/.test(u)), `no hashed .wasm asset loaded: ${assets.join(', ')}`);
  } finally {
    await browser.close();
    await server.close();
  }
});
