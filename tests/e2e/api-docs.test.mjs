// Issue 11 in the browser: the API reference page (the server's own
// /openapi.json, rendered by the web app with nothing from another origin),
// and a form that a real consumer of the package's Standard Schema drives
// (react-hook-form with @hookform/resolvers' standardSchemaResolver and
// `schemaOf('toolreviews')`): real keystrokes, errors shown before anything
// is sent, the stored review read back from the server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT, launchBrowser, startStack } from './stack.mjs';
import { axeViolations } from './a11y.mjs';

const SHOTS = path.join(ROOT, 'target/screenshots');
mkdirSync(SHOTS, { recursive: true });
const shot = (page, name, fullPage = true) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });



/** The page fits a phone's width (no horizontal scrolling). */
async function fitsPhone(page) {
  await page.setViewportSize({ width: 390, height: 844 });
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  await page.setViewportSize({ width: 1200, height: 900 });
  return scrollWidth <= innerWidth ? true : `${scrollWidth} px wide in a ${innerWidth} px window`;
}

/** The methods an OpenAPI path item may hold. */
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

describe('API reference and the Standard Schema review form', () => {
  let stack;
  let browser;
  let page;
  /** Every URL the browser requested. */
  const requested = [];

  before(async () => {
    stack = await startStack({ distDir: process.env.E2E_DIST_DIR ?? '.next' });
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('request', (r) => requested.push(r.url()));
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('/api-docs shows every operation of the server’s document, from this origin only', async () => {
    // The document as the server serves it: what the page must show.
    const served = await fetch(`${stack.apiUrl}/openapi.json`).then((r) => r.json());
    const operations = Object.entries(served.paths).flatMap(([p, item]) => METHODS.filter((m) => item[m]).map((m) => `${m} ${p}`));
    assert.ok(operations.length > 80, `${operations.length} operations`);

    requested.length = 0;
    await page.goto(`${stack.webUrl}/api-docs`);
    await page.getByRole('heading', { name: 'API reference', level: 1 }).waitFor();
    assert.match(await page.getByTestId('api-title').innerText(), /OneLastAI API .* OpenAPI 3\.1\.0/);
    const shown = await page.locator('[data-operation]').evaluateAll((els) => els.map((e) => e.getAttribute('data-operation')));
    assert.deepEqual([...shown].sort(), [...operations].sort());

    // One operation, opened: its body lists the input's required fields; a
    // schema link leads to the schema's entry.
    const create = page.locator('[data-operation="post /api/tool-reviews"]');
    await create.locator('summary').click();
    const body = create.locator('h4', { hasText: 'Request body' }).locator('xpath=following-sibling::div[1]');
    await body.getByRole('link', { name: 'ToolReviewInput' }).click();
    await page.waitForURL((u) => u.hash === '#schema-ToolReviewInput');
    const entry = page.locator('[data-schema="ToolReviewInput"]');
    assert.ok(await entry.isVisible());
    for (const field of ['toolId', 'userId', 'rating', 'title', 'content']) {
      const row = entry.locator(`:scope > div > ul > li[data-property="${field}"]`);
      assert.match(await row.innerText(), /required/, field);
    }
    assert.match(await entry.locator(':scope > div > ul > li[data-property="title"]').innerText(), /at most 100 characters/);
    // The 422 of a create names its field errors.
    assert.match(await create.locator('[data-status="422"]').innerText(), /422/);
    // Secrets are never part of an answer.
    const user = page.locator('[data-schema="User"]').locator(':scope > div > ul > li[data-property="password"]');
    assert.match(await user.innerText(), /never/);
    await shot(page, 'api-docs', false); // the page is ~50,000 px long: the window only

    const origins = new Set(requested.map((u) => new URL(u).origin));
    assert.deepEqual([...origins], [new URL(stack.webUrl).origin], `requests: ${[...origins].join(', ')}`);

    assert.deepEqual(await axeViolations(page), [], 'axe-core on /api-docs');
    // Every operation opened (parameter tables, nested schemas): still no horizontal scrolling.
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
    assert.equal(await fitsPhone(page), true, '/api-docs on a phone');

    // The document is also served by the web app, unchanged.
    const viaApp = await fetch(`${stack.webUrl}/api-docs/openapi.json`).then((r) => r.json());
    assert.deepEqual(viaApp, served);
  });

  test('a review form validated by schemas.toolreviews through react-hook-form', async () => {
    // A published tool (a valid vector of the tools file, under a new id and slug).
    const stamp = Date.now();
    const tool = await stack.publishSampleTool('review');

    // A person, signed in: the web app's session cookie holds the server's token.
    const who = { email: `reviewer.${stamp}@example.com`, password: 'a long enough password', name: 'Rita Reviewer' };
    const signUp = await stack.signUp(who);
    await browser.context.addCookies([{ name: 'onelastai_session', value: signUp.token, url: stack.webUrl, httpOnly: true, sameSite: 'Lax' }]);

    await page.goto(`${stack.webUrl}/tools/${tool._id}/review`);
    const form = page.getByTestId('review-form');
    await form.waitFor({ timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    const posts = () => requested.filter((u) => u.includes(`/api/tools/${tool._id}/reviews`)).length;
    const errorFor = (id) => page.locator(`[data-error-for="${id}"]`);

    // Nothing filled: every required field says so, and nothing is sent.
    await page.getByTestId('submit').click();
    for (const id of ['rating', 'title', 'content']) {
      await errorFor(id).waitFor();
      const text = await errorFor(id).innerText();
      assert.match(text, /required/i, `${id}: ${text}`);
      assert.doesNotMatch(text, /Path `/, `${id}: a developer message: ${text}`);
    }
    assert.equal(await page.locator('#title').getAttribute('aria-invalid'), 'true');
    // The title's limit, as the spec gives it (toolreviews.title: maxlength 100).
    assert.equal(await page.locator('#title-hint').innerText(), 'Up to 100 characters.');

    // Real keystrokes: out of range and too long, in the package's words.
    await page.locator('#rating').pressSequentially('7');
    await page.locator('#title').pressSequentially('x'.repeat(101));
    await page.locator('#content').pressSequentially('It does what it says.');
    await page.getByTestId('submit').click();
    await page.waitForFunction(() => /5/.test(document.querySelector('[data-error-for="rating"]')?.textContent ?? ''));
    assert.match(await errorFor('rating').innerText(), /5/);
    assert.match(await errorFor('title').innerText(), /100/);
    assert.equal(await errorFor('content').count(), 0);
    await shot(page, 'review-form-errors');
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the review form with errors');
    assert.equal(await fitsPhone(page), true, 'the review form on a phone');
    assert.equal(posts(), 0, 'an invalid review was sent');

    // Fixed: stored, as this person, for this tool.
    await page.locator('#rating').fill('');
    await page.locator('#rating').pressSequentially('4');
    await page.locator('#title').fill('');
    await page.locator('#title').pressSequentially('Solid and fast');
    await page.getByTestId('submit').click();
    await page.getByTestId('banner').filter({ hasText: 'published' }).waitFor();
    assert.equal(posts(), 1);
    await shot(page, 'review-form-stored');

    const me = await stack.api('/api/auth/me', { session: signUp.token });
    const stored = await stack.api(`/api/tool-reviews?toolId=${encodeURIComponent(tool.id)}`);
    assert.equal(stored.status, 200);
    assert.equal(stored.body.items.length, 1);
    const [review] = stored.body.items;
    assert.equal(review.rating, 4);
    assert.equal(review.title, 'Solid and fast');
    assert.equal(review.content, 'It does what it says.');
    assert.equal(review.userId, me.body.user.id);
    assert.equal(review.verified, false);
  });
});
