// Every page at a phone's width (390 px) and a laptop's (1280 px), in
// headless Chromium: nothing wider than the window (no horizontal scrolling),
// no serious or critical axe-core violation (axe-core injected into the page),
// in the states that matter (empty, with errors, after success), and a
// screenshot of each in target/screenshots/responsive-*.png.
//
// Adding a page is one line in PAGES. A page another feature adds is visited
// once its www/app/<path>/page.tsx exists (`file`).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT, launchBrowser, startStack } from './stack.mjs';
import { axeViolations } from './a11y.mjs';
import { signIn, signOut } from './session.mjs';

const SHOTS = path.join(ROOT, 'target/screenshots');
mkdirSync(SHOTS, { recursive: true });
const WIDTHS = [390, 1280];

/**
 * The pages: who visits (`anon`, `user`: a signed-in person, `admin`), what
 * shows the page is ready (a test id), and for pages other features add, the
 * page file that must exist. `path` may use the run's context (a tool id).
 */
const PAGES = [
  { name: 'home', path: '/', as: 'anon', ready: 'main h1' },
  { name: 'browse', path: '/browse', as: 'anon', ready: '[data-testid="browse-tools"]' },
  { name: 'signin', path: '/signin', as: 'anon', ready: '[data-testid="signin-form"]' },
  { name: 'signup', path: '/signup', as: 'anon', ready: '[data-testid="signup-form"]' },
  { name: 'not-found', path: '/no-such-page', as: 'anon', ready: '[data-testid="not-found"]' },
  { name: 'forgot-password', path: '/forgot-password', as: 'anon', ready: 'main form' },
  { name: 'reset-password', path: '/reset-password', as: 'anon', ready: 'main h1' },
  { name: 'magic-link', path: '/magic-link', as: 'anon', ready: 'main h1' },
  { name: 'api-docs', path: '/api-docs', as: 'anon', ready: 'main h1' },
  { name: 'account', path: '/account', as: 'user', ready: '[data-testid="profile-form"]' },
  { name: 'account-security', path: '/account/security', as: 'user', ready: 'main h1' },
  { name: 'subscribe', path: '/subscribe', as: 'user', ready: '[data-testid="subscribe-form"]' },
  { name: 'tools-new', path: '/tools/new', as: 'user', ready: '[data-testid="tool-form"]' },
  { name: 'tool-review', path: (ctx) => `/tools/${ctx.toolId}/review`, route: '/tools/[id]/review', as: 'user', ready: 'main form' },
  { name: 'admin', path: '/admin', as: 'admin', ready: '[data-testid="admin-users"]' },
  { name: 'admin-insights', path: '/admin/insights', as: 'admin', ready: 'main h1' },
];

/** Pages checked in another file, because reaching them takes a flow. */
const ELSEWHERE = {
  '/signin/two-factor': 'account-security.test.mjs (it needs a pending two-factor challenge)',
};

/** The routes of the app's pages: every page.tsx under www/app. */
function appRoutes(dir = path.join(ROOT, 'www/app'), prefix = '') {
  const routes = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) routes.push(...appRoutes(path.join(dir, entry.name), `${prefix}/${entry.name}`));
    else if (entry.name === 'page.tsx') routes.push(prefix || '/');
  }
  return routes;
}

test('every page of the app is in the list (or checked elsewhere)', () => {
  const listed = new Set(PAGES.map((p) => p.route ?? p.path).filter((r) => typeof r === 'string'));
  const missing = appRoutes().filter((r) => !listed.has(r) && !(r in ELSEWHERE));
  assert.deepEqual(missing, [], 'pages without a responsive and axe-core check: add them to PAGES');
});

const stamp = Date.now();
const person = { email: `grace.${stamp}@example.com`, password: 'compiler pioneer 1952', name: 'Grace Hopper' };

/** Rules checked whatever axe-core's impact says: headings go in order. */
const ALWAYS = ['heading-order'];

/** The page is no wider than the window, has no serious axe violation; a screenshot is saved. */
async function check(page, label) {
  await page.evaluate(() => document.fonts.ready);
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  await page.screenshot({ path: path.join(SHOTS, `responsive-${label}.png`), fullPage: true });
  assert.ok(scrollWidth <= innerWidth, `${label}: the page is ${scrollWidth} px wide in a ${innerWidth} px window`);
  assert.deepEqual(await axeViolations(page, { always: ALWAYS }), [], `${label}: axe-core finds no serious or critical violation`);
}

/** Submits the form and checks the summary: as many problems listed as fields marked. */
async function submitWithErrors(page, label) {
  await page.getByTestId('submit').click();
  const summary = page.getByTestId('error-summary');
  await summary.waitFor();
  const listed = await summary.locator('li').count();
  const marked = await page.locator('main [aria-invalid="true"]').count();
  const messages = await page.locator('main [data-error-for]').count();
  assert.ok(listed > 0, `${label}: the summary lists the problems`);
  assert.equal(listed, marked, `${label}: ${listed} problems listed, ${marked} fields marked invalid`);
  assert.equal(listed, messages, `${label}: ${listed} problems listed, ${messages} field messages`);
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'error-summary', `${label}: the summary has the focus`);
  // Each link leads to its field: the field is described by its error.
  const first = summary.locator('a').first();
  const target = decodeURIComponent((await first.getAttribute('href')).slice(1));
  await first.click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), target, `${label}: the first link focuses its field`);
  const describedBy = (await page.locator(`[id="${target}"]`).getAttribute('aria-describedby')) ?? '';
  assert.ok(describedBy.split(' ').includes(`${target}-error`), `${label}: ${target} is described by its error`);
  for (const text of await page.locator('main [data-error-for]').allTextContents()) {
    assert.doesNotMatch(text, /Path `|for path `|enum value/, `${label}: "${text}" is a message for people`);
  }
}

describe('every page from 390 px to 1280 px: no horizontal scrolling, no serious axe violation', () => {
  let stack;
  let browser;
  let page;
  const ctx = {};

  before(async () => {
    stack = await startStack({ distDir: '.next' });
    browser = await launchBrowser();
    page = await browser.newPage();
    // A published tool for the pages that show or review one.
    ctx.toolId = `tool_responsive_${stamp}`;
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** Visits `p` at each width and checks it. */
  async function visit(p) {
    const url = `${stack.webUrl}${typeof p.path === 'function' ? p.path(ctx) : p.path}`;
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(url);
      await page.locator(p.ready).first().waitFor({ timeout: 30_000 });
      await page.waitForLoadState('networkidle');
      await check(page, `${p.name}-${width}`);
    }
  }

  test('pages for everyone, signed out', async () => {
    for (const p of PAGES.filter((p) => p.as === 'anon')) await visit(p);
    // The unknown URL is a real 404 with the app's own page.
    const res = await page.goto(`${stack.webUrl}/no-such-page`);
    assert.equal(res.status(), 404);
    assert.match(await page.locator('h1').textContent(), /does not exist/);
  });

  test('the navigation fits a phone: a menu button opens it', async () => {
    await page.setViewportSize({ width: 390, height: 900 });
    await page.goto(`${stack.webUrl}/`);
    const menu = page.getByTestId('menu-button');
    const browse = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Browse', exact: true });
    assert.ok(await menu.isVisible(), 'a menu button at 390 px');
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    assert.ok(!(await browse.isVisible()), 'the links are folded away');
    await menu.click();
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
    await browse.waitFor();
    await check(page, 'menu-open-390');
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.ok(!(await menu.isVisible()), 'no menu button at 1280 px');
    assert.ok(await browse.isVisible(), 'the links are in the bar');
  });

  test('sign-in and sign-up forms: with errors, then after success', async () => {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${stack.webUrl}/signin`);
      await page.getByTestId('signin-form').waitFor();
      await page.waitForLoadState('networkidle');
      await submitWithErrors(page, `signin-errors-${width}`);
      await check(page, `signin-errors-${width}`);
      await page.goto(`${stack.webUrl}/signup`);
      await page.getByTestId('signup-form').waitFor();
      await page.waitForLoadState('networkidle');
      await submitWithErrors(page, `signup-errors-${width}`);
      await check(page, `signup-errors-${width}`);
    }
    // Success: the new account lands on Account, signed in.
    await page.locator('#email').pressSequentially(person.email);
    await page.locator('#password').pressSequentially(person.password);
    await page.locator('#name').pressSequentially(person.name);
    await page.getByTestId('submit').click();
    await page.waitForURL((u) => u.pathname === '/account');
    await page.getByTestId('banner').waitFor();
    await check(page, 'signup-done-1280');
  });

  test('pages for a signed-in person, and their forms with errors and after success', async () => {
    for (const p of PAGES.filter((p) => p.as === 'user' && p.name !== 'tool-review')) await visit(p);

    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      // The tool form: submitted empty, every problem marked and listed.
      await page.goto(`${stack.webUrl}/tools/new`);
      await page.getByTestId('tool-form').waitFor();
      await page.waitForLoadState('networkidle');
      await page.locator('[id="metadata.name"]').fill('');
      await submitWithErrors(page, `tools-new-errors-${width}`);
      await check(page, `tools-new-errors-${width}`);
      // The profile: a bio over its limit.
      await page.goto(`${stack.webUrl}/account`);
      await page.getByTestId('profile-form').waitFor();
      await page.locator('#bio').fill('x'.repeat(600));
      await page.getByTestId('save-profile').click();
      await page.getByTestId('error-summary').waitFor();
      await check(page, `account-errors-${width}`);
    }

    // After success: a published tool, a subscription, a saved profile.
    await page.setViewportSize({ width: 390, height: 900 });
    await page.goto(`${stack.webUrl}/tools/new`);
    await page.getByTestId('tool-form').waitFor();
    await page.locator('[id="metadata.name"]').fill('Phone Tool');
    await page.locator('[id="metadata.slug"]').fill(`phone-tool-${stamp}`);
    await page.locator('[id="metadata.description"]').fill('Made on a phone');
    await page.locator('[id="metadata.category"]').selectOption({ index: 1 });
    await page.locator('[id="mainFunction"]').fill('run');
    await page.locator('[id="codeUrl"]').fill('https://example.com/phone-tool');
    await page.locator('[id="config.inputs.0.type"]').selectOption({ index: 1 });
    await page.getByTestId('submit').click();
    await page.getByText(/is published/).waitFor();
    await check(page, 'tools-new-done-390');
    const stored = await stack.api(`/api/tools?metadata.slug=phone-tool-${stamp}`);
    ctx.toolId = stored.body.items[0]?._id ?? ctx.toolId; // the server's route takes the document's _id

    await page.goto(`${stack.webUrl}/subscribe`);
    await page.getByTestId('subscribe-form').waitFor();
    await page.getByTestId('submit').click();
    await page.getByText(/Subscribed to/).waitFor();
    await check(page, 'subscribe-done-390');

    await page.goto(`${stack.webUrl}/account`);
    await page.getByTestId('profile-form').waitFor();
    await page.locator('#company').fill('Remington Rand');
    await page.getByTestId('save-profile').click();
    await page.getByText('Your profile is saved.').waitFor();
    // Account now has a subscription and a tool: its tables stack into cards.
    await page.reload();
    await page.getByTestId('account-tools').waitFor();
    await check(page, 'account-with-tables-390');
    await page.setViewportSize({ width: 1280, height: 900 });
    await check(page, 'account-with-tables-1280');
    // The marketplace with a tool in its table.
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${stack.webUrl}/browse`);
      await page.getByTestId('browse-tools').getByText('Phone Tool').waitFor();
      await check(page, `browse-with-tools-${width}`);
    }

    for (const p of PAGES.filter((p) => p.name === 'tool-review')) await visit(p);
  });

  test('pages for an administrator', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signOut(page);
    await signIn(page, stack.webUrl, stack.admin, '/admin');
    for (const p of PAGES.filter((p) => p.as === 'admin')) await visit(p);
  });
});
