// The cross-layer vectors through the package's browser entry (`--target
// web` + init) in headless Chromium, driven by playwright-core: every case
// must give Mongoose's answer, and every answer must equal Node's exactly.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import * as pkg from '@onelastai/models';
import { runVectorFile } from './lib/vectors.js';
import { extras } from './lib/extras.js';
import { declaredFunctions, loadVectorFiles } from './lib/files.js';
import { startStaticServer } from './lib/static-server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const files = loadVectorFiles();
let server;
let context;
let temp;
let browserRun;

before(async () => {
  server = await startStaticServer();
  // Chromium writes its profile, config and cache here, never into the real home.
  temp = mkdtempSync(path.join(tmpdir(), 'onelastai-chromium-'));
  const dirs = Object.fromEntries(['home', 'config', 'cache', 'tmp'].map((d) => [d, path.join(temp, d)]));
  Object.values(dirs).forEach((d) => mkdirSync(d));
  context = await chromium.launchPersistentContext(path.join(temp, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    env: { ...process.env, HOME: dirs.home, XDG_CONFIG_HOME: dirs.config, XDG_CACHE_HOME: dirs.cache, TMPDIR: dirs.tmp },
  });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(`${server.url}/`);
  browserRun = await page.evaluate(
    async ({ names, functions }) => {
      const pkg = await import('/pkg/index.js');
      const { runVectorFile } = await import('/tests/pkg/lib/vectors.js');
      const { extras } = await import('/tests/pkg/lib/extras.js');
      await pkg.init();
      await pkg.init(); // idempotent
      const results = {};
      for (const name of names) {
        const file = await (await fetch(`/tests/vectors/${name}.json`)).json();
        results[name] = runVectorFile(pkg, file);
      }
      return {
        userAgent: navigator.userAgent,
        missing: functions.filter((f) => typeof pkg[f] !== 'function'),
        collections: JSON.stringify(pkg.collections),
        // The JavaScript layer over the module: params, formatError, Standard Schema.
        extras: JSON.stringify(extras(pkg)),
        // Sent back as text: JSON keeps key order, so Node can compare it byte for byte.
        results: JSON.stringify(results),
      };
    },
    { names: files.map((f) => f.collection), functions: declaredFunctions() },
  );
  browserRun.results = JSON.parse(browserRun.results);
  browserRun.pageErrors = pageErrors;
});

after(async () => {
  await context?.close();
  await server?.close();
  if (temp) rmSync(temp, { recursive: true, force: true });
});

test('the browser entry loads in Chromium and exports every declared function', () => {
  assert.match(browserRun.userAgent, /Chrome\//);
  assert.deepEqual(browserRun.missing, []);
  assert.deepEqual(browserRun.pageErrors, []);
  assert.equal(browserRun.collections, JSON.stringify(pkg.collections));
});

test('params, formatError and the Standard Schemas answer in Chromium as in Node', () => {
  const inNode = extras(pkg);
  assert.equal(inNode.format[0], 'Bio must be at most 500 characters (510 now).');
  assert.equal(browserRun.extras, JSON.stringify(inNode));
});

for (const file of files) {
  test(`chromium vectors: ${file.collection} (${file.cases.length} cases)`, () => {
    const inBrowser = browserRun.results[file.collection];
    assert.equal(inBrowser.cases, file.cases.length);
    assert.deepEqual(inBrowser.diffs, [], `${inBrowser.diffs.length} differences:\n${inBrowser.diffs.join('\n')}`);
    const inNode = runVectorFile(pkg, file);
    assert.equal(JSON.stringify(inBrowser.answers), JSON.stringify(inNode.answers), 'Chromium and Node answer differently');
  });
}
