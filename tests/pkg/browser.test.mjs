// The cross-layer vectors through the package's browser entry (`--target
// web` + init) in headless Chromium, driven by playwright-core: every case
// must give Mongoose's answer, and every answer must equal Node's exactly.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as pkg from '@onelastai/models';
import { runVectorFile } from './lib/vectors.js';
import { extras } from './lib/extras.js';
import { declaredFunctions, loadVectorFiles } from './lib/files.js';
import { startStaticServer } from './lib/static-server.js';
import { launchChromium } from './lib/chromium.js';

const files = loadVectorFiles();
let server;
let chromium;
let browserRun;

before(async () => {
  server = await startStaticServer();
  chromium = await launchChromium();
  const context = chromium.context;
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
  await chromium?.close();
  await server?.close();
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
