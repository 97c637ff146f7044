// The product end to end: the local database, the Rust server and the
// Next.js app (Turbopack production build), driven in headless Chromium; then
// a smoke test of the webpack build. Screenshots go to target/screenshots/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { ROOT, launchBrowser, startStack } from './stack.mjs';

const SHOTS = path.join(ROOT, 'target/screenshots');
mkdirSync(SHOTS, { recursive: true });

const email = `ada.${Date.now()}@example.com`;
let userId;

async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Opens a form page and waits until the WebAssembly validators are ready. */
async function openForm(page, url, testid) {
  await page.goto(url);
  await page.getByTestId(testid).waitFor({ timeout: 30_000 });
  // Let the page finish its own loading (route prefetches, lazy chunks), so
  // any request seen afterwards comes from what the person does.
  await page.waitForLoadState('networkidle');
}

const errorFor = (page, id) => page.locator(`[data-error-for="${id}"]`);

describe('the app on the Turbopack build', () => {
  let stack;
  let browser;
  let page;

  before(async () => {
    stack = await startStack({ distDir: '.next' });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    if (process.env.E2E_DEBUG) {
      page.on('console', (m) => console.log('[page]', m.text()));
      page.on('pageerror', (e) => console.log('[page] error', e.message));
      page.on('response', (r) => r.url().includes('/api/') && console.log('[page]', r.status(), r.url()));
    }
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('sign up: rules apply as the person types, with no network request', async () => {
    await openForm(page, `${stack.webUrl}/signup`, 'signup-form');
    await shot(page, 'signup-empty');
    const requests = [];
    const record = (r) => requests.push(r.url());
    page.on('request', record);

    await page.locator('#email').fill('ada@example');
    await errorFor(page, 'email').waitFor();
    assert.equal(await errorFor(page, 'email').textContent(), 'Invalid email format');
    await page.locator('#password').fill('short');
    await errorFor(page, 'password').waitFor();
    assert.equal(await errorFor(page, 'password').textContent(), 'Password must be at least 8 characters');
    assert.ok(await page.getByTestId('submit').isDisabled(), 'submit is disabled while the form is invalid');
    await shot(page, 'signup-invalid');
    page.off('request', record);
    assert.deepEqual(requests, [], 'validation made no network request');

    await page.locator('#email').fill(email.toUpperCase());
    await page.waitForFunction(() => !document.querySelector('[data-error-for="email"]'));
    // Passwordless sign-in has no length rule: switching clears the password error.
    await page.locator('#authMethod').selectOption('passwordless');
    await page.waitForFunction(() => !document.querySelector('[data-error-for="password"]'));
    await page.locator('#authMethod').selectOption('password');
    await errorFor(page, 'password').waitFor();
    await page.locator('#password').fill('correct horse battery');
    await page.locator('#name').fill('  Ada Lovelace ');
    await page.locator('#profession').fill('Mathematician');
    await page.waitForFunction(() => !document.querySelector('[data-error-for]'));
    await shot(page, 'signup-valid');
    await page.getByTestId('submit').click();
    await page.getByTestId('banner').waitFor();
    assert.match(await page.getByTestId('banner').textContent(), /Welcome, Ada Lovelace/);
    await shot(page, 'signup-done');

    const found = await stack.api(`/api/users?email=${encodeURIComponent(email)}`);
    assert.equal(found.status, 200);
    const items = found.body.items;
    assert.equal(items.length, 1, 'the user is stored once');
    const user = items[0];
    assert.equal(user.email, email, 'stored lowercase');
    assert.equal(user.name, 'Ada Lovelace', 'stored trimmed');
    assert.equal(user.password, undefined, 'the server never returns the password');
    userId = user.id;

    const client = new MongoClient(stack.mongodbUri);
    try {
      const raw = await client.db(stack.database).collection('users').findOne({ email });
      assert.match(raw.password, /^\$argon2id\$/, 'the stored password is an argon2id hash');
    } finally {
      await client.close();
    }
  });

  test('subscribe: expiry preview, then a second subscription is refused on the form', async () => {
    await openForm(page, `${stack.webUrl}/subscribe`, 'subscribe-form');
    await page.locator('#userId').selectOption(userId);
    await page.locator('#agentId').selectOption('einstein');
    await page.locator('#plan').selectOption('weekly');
    const preview = await page.getByTestId('expiry-preview').textContent();
    const expected = new Date(Date.now() + 7 * 86_400_000).toUTCString().slice(0, 16);
    assert.ok(preview.includes(expected), `preview ${preview} shows ${expected}`);
    await shot(page, 'subscribe-valid');
    await page.getByTestId('submit').click();
    await page.getByTestId('banner').waitFor();
    assert.match(await page.getByTestId('banner').textContent(), /Subscribed to Albert Einstein/);

    await openForm(page, `${stack.webUrl}/subscribe`, 'subscribe-form');
    await page.locator('#userId').selectOption(userId);
    await page.locator('#agentId').selectOption('einstein');
    await page.getByTestId('submit').click();
    await errorFor(page, 'agentId').waitFor();
    assert.match(await errorFor(page, 'agentId').textContent(), /already/);
    assert.match(await errorFor(page, 'userId').textContent(), /already/);
    await shot(page, 'subscribe-duplicate');

    const subs = await stack.api(`/api/subscriptions?userId=${encodeURIComponent(userId)}`);
    assert.equal(subs.body.items.length, 1, 'one subscription stored');
  });

  test('publish a tool: a nested input error shows at its row until corrected', async () => {
    await openForm(page, `${stack.webUrl}/tools/new`, 'tool-form');
    const slug = `md-summarizer-${Date.now()}`;
    await page.locator('[id="metadata.name"]').fill('Markdown Summarizer');
    await page.locator('[id="metadata.slug"]').fill(slug);
    await page.locator('[id="metadata.description"]').fill('Summarize markdown documents');
    await page.locator('[id="metadata.author.name"]').fill('Ada Lovelace');
    await page.locator('[id="mainFunction"]').fill('summarize');
    await page.locator('[id="codeUrl"]').fill('https://github.com/ada/md-summarizer');
    await page.getByTestId('add-input').click();
    await page.locator('[id="config.inputs.1.id"]').fill('length');
    await page.locator('[id="config.inputs.1.name"]').fill('Summary length');
    await page.locator('[id="config.inputs.1.type"]').fill('text');
    await errorFor(page, 'config.inputs.1.type').waitFor();
    assert.equal(
      await errorFor(page, 'config.inputs.1.type').textContent(),
      '`text` is not a valid enum value for path `type`.',
    );
    assert.ok(await page.getByTestId('submit').isDisabled());
    await shot(page, 'tool-invalid');
    await page.locator('[id="config.inputs.1.type"]').fill('number');
    await page.locator('[id="config.inputs.1.type"]').press('Tab'); // leave the field: its suggestions close
    await page.waitForFunction(() => !document.querySelector('[data-error-for]'));
    await shot(page, 'tool-valid');
    await page.getByTestId('submit').click();
    await page.getByTestId('banner').waitFor();
    assert.match(await page.getByTestId('banner').textContent(), /is published/);

    const tools = await stack.api('/api/tools?limit=100');
    assert.equal(tools.status, 200);
    const tool = tools.body.items.find((t) => t.metadata?.slug === slug);
    assert.ok(tool, 'the tool is stored');
    assert.equal(tool.config.inputs[1].type, 'number');
  });

  test('browse lists what was stored', async () => {
    await page.goto(`${stack.webUrl}/browse`);
    await page.getByTestId('browse-users').waitFor();
    assert.match(await page.getByTestId('browse-users').textContent(), new RegExp(email.replace(/[.]/g, '\\.')));
    assert.match(await page.getByTestId('browse-subscriptions').textContent(), /einstein/);
    assert.match(await page.getByTestId('browse-tools').textContent(), /Markdown Summarizer/);
    await shot(page, 'browse');
  });
});

describe('the app on the webpack build (smoke)', () => {
  let stack;
  let browser;

  before(async () => {
    stack = await startStack({ distDir: '.next-webpack' });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('the sign-up form validates in the browser', async () => {
    const page = await browser.context.newPage();
    await openForm(page, `${stack.webUrl}/signup`, 'signup-form');
    await page.locator('#email').fill('not-an-email');
    await errorFor(page, 'email').waitFor();
    assert.equal(await errorFor(page, 'email').textContent(), 'Invalid email format');
    await shot(page, 'webpack-signup-invalid');
  });
});
