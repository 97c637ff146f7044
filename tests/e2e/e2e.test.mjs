// The product end to end: the local database, the Rust server and the
// Next.js app (Turbopack production build), driven in headless Chromium as
// two people, an administrator and a hostile site would; then a smoke test of
// the webpack build. Screenshots go to target/screenshots/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { ROOT, freePort, launchBrowser, startStack } from './stack.mjs';
import { SESSION_COOKIE, sessionCookie, signIn, signOut } from './session.mjs';

const SHOTS = path.join(ROOT, 'target/screenshots');
mkdirSync(SHOTS, { recursive: true });

const stamp = Date.now();
const ada = { email: `ada.${stamp}@example.com`, password: 'correct horse battery', name: 'Ada Lovelace' };
const bob = { email: `bob.${stamp}@example.com`, password: 'analytical engine 1843', name: 'Bob Babbage' };
/** Anything that looks like an email address. */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

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
const pathOf = (page) => {
  const u = new URL(page.url());
  return u.pathname + u.search;
};

describe('the app on the Turbopack build', () => {
  let stack;
  let browser;
  let page;
  let adaUser;
  let adaSubscription;
  /** A hostile site on another origin (localhost, not 127.0.0.1: another site). */
  let evil;
  let evilUrl;

  before(async () => {
    stack = await startStack({ distDir: '.next' });
    browser = await launchBrowser();
    page = await browser.newPage();
    evil = createServer((req, res) => {
      const target = new URL(req.url, 'http://x').searchParams.get('to');
      // The classic JSON-in-a-text/plain-form trick: name + '=' + value is a JSON object.
      const [name, value] = req.url.startsWith('/signup')
        ? ['{"email":"mallory.' + stamp + '@example.com","password":"mallory-password","x":"', '"}']
        : ['{"agentId":"curie","plan":"daily","x":"', '"}'];
      res.setHeader('content-type', 'text/html');
      res.end(`<!doctype html><title>evil</title>
        <form id="f" method="POST" action="${target}" enctype="text/plain">
          <input type="hidden" name='${name}' value='${value}'>
        </form>
        <script>if (${JSON.stringify(req.url.includes('auto=1'))}) document.getElementById('f').submit();</script>`);
    });
    const port = await freePort();
    await new Promise((resolve) => evil.listen(port, '127.0.0.1', resolve));
    evilUrl = `http://localhost:${port}`;
  });

  after(async () => {
    evil?.close();
    await browser?.close();
    await stack?.stop();
  });

  test('signed out: pages that need a session redirect to sign-in and back', async () => {
    for (const p of ['/account', '/subscribe', '/tools/new', '/admin']) {
      await page.goto(`${stack.webUrl}${p}`);
      await page.getByTestId('signin-form').waitFor();
      assert.equal(pathOf(page), `/signin?next=${encodeURIComponent(p)}`, `${p} redirects to sign-in`);
    }
    assert.equal(await page.getByTestId('signed-in-as').count(), 0);
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    await shot(page, 'signin-redirect');
    // `next` never leads to another site.
    await page.goto(`${stack.webUrl}/signin?next=${encodeURIComponent('//evil.test/x')}`);
    await page.getByTestId('signin-form').waitFor();
    assert.match(await page.getByRole('link', { name: 'Create an account' }).getAttribute('href'), /next=%2Faccount$/);
  });

  test('sign up: rules apply as the person types, with no network request; the new account is signed in', async () => {
    await openForm(page, `${stack.webUrl}/signup`, 'signup-form');
    await shot(page, 'signup-empty');
    // Every request from here up to the submit's POST: typing (real
    // keystrokes, one input event each), an invalid submit, corrections.
    const requests = [];
    const record = (r) => {
      if (requests.at(-1)?.startsWith('POST ')) return; // what follows the POST (the next page) is not typing
      requests.push(`${r.method()} ${new URL(r.url()).pathname}`);
    };
    page.on('request', record);

    await page.locator('#email').pressSequentially('ada@example');
    await errorFor(page, 'email').waitFor();
    assert.equal(await errorFor(page, 'email').textContent(), 'Invalid email format');
    assert.equal(await page.locator('#email').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#email').getAttribute('aria-describedby'), 'email-error');
    assert.equal(await page.locator('#email').getAttribute('required'), '', 'email is marked required');
    await page.locator('#password').pressSequentially('short');
    await errorFor(page, 'password').waitFor();
    assert.equal(await errorFor(page, 'password').textContent(), 'Password must be at least 8 characters');
    await shot(page, 'signup-invalid');
    // Submitting the invalid form sends nothing: the summary lists the marked fields.
    await page.getByTestId('submit').click();
    await page.getByTestId('error-summary').waitFor();
    assert.deepEqual(await page.getByTestId('error-summary').locator('li').allTextContents(), ['Invalid email format', 'Password must be at least 8 characters']);

    await page.locator('#email').clear();
    await page.locator('#email').pressSequentially(ada.email.toUpperCase());
    await page.waitForFunction(() => !document.querySelector('[data-error-for="email"]'));
    await page.locator('#password').clear();
    await page.locator('#password').pressSequentially(ada.password);
    await page.locator('#name').pressSequentially(`  ${ada.name} `);
    await page.locator('#profession').pressSequentially('Mathematician');
    await page.waitForFunction(() => !document.querySelector('[data-error-for]'));
    await shot(page, 'signup-valid');
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/auth/sign-up'));
    await page.getByTestId('submit').click();
    assert.equal((await answer).status(), 201);
    page.off('request', record);
    assert.deepEqual(requests, ['POST /api/auth/sign-up'], 'the only request is the submit');
    await page.waitForURL((u) => u.pathname === '/account');
    assert.match(await page.getByTestId('banner').textContent(), /Welcome, Ada Lovelace/);
    assert.equal(await page.getByTestId('signed-in-as').textContent(), ada.name, 'the navigation bar shows who is signed in');
    await shot(page, 'signup-done');

    const cookie = await sessionCookie(browser.context);
    assert.ok(cookie, 'a session cookie is set');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    assert.equal(cookie.secure, false, 'not Secure over plain http (Secure over https)');
    assert.ok(!(await page.evaluate(() => document.cookie)).includes(SESSION_COOKIE), 'page scripts cannot read the session');

    const found = await stack.api(`/api/users?email=${encodeURIComponent(ada.email)}`);
    assert.equal(found.status, 200);
    assert.equal(found.body.items.length, 1, 'the user is stored once');
    adaUser = found.body.items[0];
    assert.equal(adaUser.email, ada.email, 'stored lowercase');
    assert.equal(adaUser.name, ada.name, 'stored trimmed');
    assert.equal(adaUser.role, 'user');
    assert.equal(adaUser.emailVerified, false);
    assert.equal(adaUser.password, undefined, 'the server never returns the password');
    const me = await stack.api('/api/auth/me', { session: cookie.value });
    assert.equal(me.body.user.id, adaUser.id, "the cookie holds Ada's session");

    const client = new MongoClient(stack.mongodbUri);
    try {
      const raw = await client.db(stack.database).collection('users').findOne({ email: ada.email });
      assert.match(raw.password, /^\$argon2id\$/, 'the stored password is an argon2id hash');
    } finally {
      await client.close();
    }
  });

  test('sign out, then sign in: a wrong password gets a clear message, the right one goes back to the page asked for', async () => {
    const before = await sessionCookie(browser.context);
    await signOut(page);
    assert.equal(await sessionCookie(browser.context), undefined, 'the cookie is gone');
    assert.equal((await stack.api('/api/auth/me', { session: before.value })).status, 401, 'the old token is refused');

    await page.goto(`${stack.webUrl}/account`);
    await page.getByTestId('signin-form').waitFor();
    assert.equal(pathOf(page), '/signin?next=%2Faccount');
    await page.locator('#email').fill(ada.email);
    await page.locator('#password').fill('not my password');
    await page.getByTestId('submit').click();
    await page.getByTestId('banner').waitFor();
    assert.equal(await page.getByTestId('banner').textContent(), 'Wrong email or password. Check both and try again.');
    assert.equal(await page.getByTestId('banner').getAttribute('role'), 'alert');
    assert.equal(await sessionCookie(browser.context), undefined);
    await shot(page, 'signin-wrong-password');

    await page.locator('#password').fill(ada.password);
    await page.getByTestId('submit').click();
    await page.waitForURL((u) => u.pathname === '/account');
    assert.equal(await page.getByTestId('signed-in-as').textContent(), ada.name);
    assert.equal(await page.getByTestId('account-email').textContent(), ada.email);
  });

  test('sign-in locks an email after five failures and says when to retry', async () => {
    const context = await launchBrowser();
    try {
      const p = await context.context.newPage();
      await openForm(p, `${stack.webUrl}/signin`, 'signin-form');
      await p.locator('#email').fill(`nobody.${stamp}@example.com`);
      for (let i = 1; i <= 6; i++) {
        await p.locator('#password').fill(`wrong password ${i}`);
        const answer = p.waitForResponse((r) => r.url().endsWith('/api/auth/sign-in'));
        await p.getByTestId('submit').click();
        assert.equal((await answer).status(), i <= 5 ? 401 : 429, `attempt ${i}`);
        await p.getByTestId('banner').waitFor();
      }
      assert.match(await p.getByTestId('banner').textContent(), /^Too many failed sign-in attempts\. Try again in 15 minutes\.$/);
      await shot(p, 'signin-locked');
    } finally {
      await context.close();
    }
  });

  test('subscribe as yourself: expiry preview, the price comes from the plan, a second subscription to the agent is refused', async () => {
    await openForm(page, `${stack.webUrl}/subscribe`, 'subscribe-form');
    assert.equal(await page.locator('#userId').count(), 0, 'no account picker');
    assert.match(await page.getByTestId('subscriber').textContent(), /Subscribing as Ada Lovelace/);
    await page.locator('#agentId').selectOption('einstein');
    await page.locator('#plan').selectOption('weekly');
    const preview = await page.getByTestId('expiry-preview').textContent();
    const expected = new Date(Date.now() + 7 * 86_400_000).toUTCString().slice(0, 16);
    assert.ok(preview.includes(expected), `preview ${preview} shows ${expected}`);
    assert.equal(await page.getByTestId('submit').textContent(), 'Subscribe for $9.99');
    await shot(page, 'subscribe-valid');
    const answer = page.waitForRequest((r) => r.url().endsWith('/api/subscriptions'));
    await page.getByTestId('submit').click();
    assert.deepEqual(JSON.parse((await answer).postData()), { agentId: 'einstein', plan: 'weekly' }, 'only the agent and the plan are sent');
    await page.getByTestId('banner').waitFor();
    assert.match(await page.getByTestId('banner').textContent(), /Subscribed to Albert Einstein/);

    await openForm(page, `${stack.webUrl}/subscribe`, 'subscribe-form');
    await page.locator('#agentId').selectOption('einstein');
    await page.getByTestId('submit').click();
    await errorFor(page, 'agentId').waitFor();
    assert.match(await errorFor(page, 'agentId').textContent(), /already/);
    await shot(page, 'subscribe-duplicate');

    const subs = await stack.api(`/api/subscriptions?userId=${encodeURIComponent(adaUser.id)}`);
    assert.equal(subs.body.items.length, 1, 'one subscription stored');
    adaSubscription = subs.body.items[0];
    assert.equal(adaSubscription.plan, 'weekly');
    assert.equal(adaSubscription.price, 9.99, "the weekly plan's price");
    assert.equal(adaSubscription.status, 'active');
  });

  test('Account shows your subscription and edits your profile (live rules, versioned saves)', async () => {
    await openForm(page, `${stack.webUrl}/account`, 'profile-form');
    const subs = await page.getByTestId('account-subscriptions').textContent();
    assert.match(subs, /einstein/);
    assert.match(subs, /weekly/);
    assert.match(subs, /\$9\.99/);
    assert.match(subs, /active/);
    assert.equal(await page.locator('#profession').inputValue(), 'Mathematician');
    // The bio's limit, as the spec gives it (users.bio: maxlength 500).
    assert.equal(await page.locator('#bio-hint').innerText(), 'Up to 500 characters.');

    await page.locator('#bio').fill('x'.repeat(501));
    await errorFor(page, 'bio').waitFor();
    assert.equal(await errorFor(page, 'bio').textContent(), 'Bio must be at most 500 characters (501 now).');
    // Saving an invalid profile sends nothing and says why.
    const patches = [];
    const recordPatch = (r) => r.method() === 'PATCH' && patches.push(r.url());
    page.on('request', recordPatch);
    await page.getByTestId('save-profile').click();
    await page.getByTestId('error-summary').waitFor();
    page.off('request', recordPatch);
    assert.deepEqual(patches, [], 'an invalid profile is not sent');
    await shot(page, 'account-invalid');
    await page.locator('#bio').fill('First programmer.');
    await page.locator('#profession').fill('Analyst');
    await page.waitForFunction(() => !document.querySelector('[data-error-for]'));
    await page.getByTestId('save-profile').click();
    await page.getByText('Your profile is saved.').waitFor();
    // A second save is based on the version the first one returned.
    await page.locator('#company').fill('Analytical Engines Ltd');
    await page.getByTestId('save-profile').click();
    await page.getByText('Your profile is saved.').waitFor();
    await page.reload();
    await page.getByTestId('profile-form').waitFor();
    assert.equal(await page.locator('#profession').inputValue(), 'Analyst');
    assert.equal(await page.locator('#company').inputValue(), 'Analytical Engines Ltd');
    await shot(page, 'account');

    const stored = await stack.api(`/api/users/${adaUser._id}`);
    assert.equal(stored.body.bio, 'First programmer.');
    assert.equal(stored.body.__v, adaUser.__v + 2, 'two versioned updates');
    assert.equal(stored.body.role, 'user');

    // A change made elsewhere meanwhile (here: Ada's own session, straight to
    // the server) is not overwritten: the page's save is refused as stale.
    const session = (await sessionCookie(browser.context)).value;
    const elsewhere = await stack.api(`/api/users/${adaUser._id}`, { method: 'PATCH', session, body: JSON.stringify({ __v: stored.body.__v, location: 'London' }) });
    assert.equal(elsewhere.status, 200);
    await page.locator('#location').fill('Marylebone');
    await page.getByTestId('save-profile').click();
    await page.getByTestId('banner').waitFor();
    assert.match(await page.getByTestId('banner').textContent(), /changed elsewhere/);
    assert.equal((await stack.api(`/api/users/${adaUser._id}`)).body.location, 'London', 'the other change is kept');
  });

  test('publish a tool as yourself: a nested input error shows at its row until corrected', async () => {
    await openForm(page, `${stack.webUrl}/tools/new`, 'tool-form');
    assert.match(await page.getByTestId('author').textContent(), /Published as Ada Lovelace/);
    assert.equal(await page.locator('[id="metadata.author.id"]').count(), 0, 'no author fields');
    const slug = `md-summarizer-${stamp}`;
    await page.locator('[id="metadata.name"]').fill('Markdown Summarizer');
    await page.locator('[id="metadata.slug"]').fill(slug);
    await page.locator('[id="metadata.description"]').fill('Summarize markdown documents');
    await page.locator('[id="mainFunction"]').fill('summarize');
    await page.locator('[id="codeUrl"]').fill('https://github.com/ada/md-summarizer');
    // The choices come from the package's declarations, not from the page.
    assert.deepEqual(
      await page.locator('[id="metadata.category"] option').allTextContents(),
      ['None', 'data-processing', 'integration', 'analytics', 'automation', 'utility', 'ai', 'custom'],
    );
    await page.locator('[id="metadata.category"]').selectOption('utility');
    await page.locator('[id="config.inputs.0.type"]').selectOption('string');
    await page.getByTestId('add-input').click();
    await page.locator('[id="config.inputs.1.id"]').fill('length');
    await page.locator('[id="config.inputs.1.name"]').fill('Summary length');
    await page.locator('[id="config.inputs.1.type"]').selectOption('number');
    await page.locator('[id="config.inputs.1.id"]').clear();
    await errorFor(page, 'config.inputs.1.id').waitFor();
    assert.equal(await errorFor(page, 'config.inputs.1.id').textContent(), 'Input 2 id is required.');
    await shot(page, 'tool-invalid');
    // A third row with its own error; removing the second row takes the
    // second row's error with it and the third's moves up with its row.
    await page.getByTestId('add-input').click();
    await page.locator('[id="config.inputs.2.name"]').fill('Extra');
    await page.locator('[id="config.inputs.2.name"]').clear();
    await errorFor(page, 'config.inputs.2.name').waitFor();
    await page.getByRole('button', { name: 'Remove input 2' }).click();
    assert.equal(await page.locator('[id="config.inputs.1.name"]').inputValue(), '', 'the third row is now the second');
    assert.equal(await errorFor(page, 'config.inputs.1.id').count(), 0, "the removed row's error went with it");
    assert.equal(await errorFor(page, 'config.inputs.1.name').textContent(), 'Input 2 label is required.', "the moved row's error moved with it");
    await page.getByRole('button', { name: 'Remove input 2' }).click();
    await page.getByTestId('add-input').click();
    await page.locator('[id="config.inputs.1.id"]').fill('length');
    await page.locator('[id="config.inputs.1.name"]').fill('Summary length');
    await page.locator('[id="config.inputs.1.type"]').selectOption('number');
    await page.waitForFunction(() => !document.querySelector('[data-error-for]'));
    await shot(page, 'tool-valid');
    await page.getByTestId('submit').click();
    await page.getByTestId('banner').waitFor();
    assert.match(await page.getByTestId('banner').textContent(), /is published/);

    const tools = await stack.api(`/api/tools?metadata.slug=${slug}`);
    assert.equal(tools.status, 200);
    const tool = tools.body.items[0];
    assert.ok(tool, 'the tool is stored');
    assert.equal(tool.config.inputs[1].type, 'number');
    assert.deepEqual(tool.metadata.author, { id: adaUser.id, name: ada.name, verified: false }, 'published as Ada');
    assert.equal(tool.published, true);

    await page.goto(`${stack.webUrl}/account`);
    assert.match(await page.getByTestId('account-tools').textContent(), /Markdown Summarizer/);
  });

  test("a second person sees nothing of the first's", async () => {
    await signOut(page);
    await openForm(page, `${stack.webUrl}/signup`, 'signup-form');
    // Ada's email again: the server's 409, phrased for a person, on the email field.
    await page.locator('#email').fill(ada.email);
    await page.locator('#password').fill(bob.password);
    await page.getByTestId('submit').click();
    await errorFor(page, 'email').waitFor();
    assert.equal(await errorFor(page, 'email').textContent(), 'An account with this email already exists. Sign in instead?');
    assert.match(await page.getByTestId('banner').textContent(), /An account with this email already exists\. Sign in instead\?/);
    assert.equal(await page.getByTestId('error-summary').locator('li').count(), 1, 'one problem listed, one field marked');
    await shot(page, 'signup-duplicate');
    await page.locator('#email').clear();
    await page.locator('#password').clear();
    await page.locator('#email').fill(bob.email);
    await page.locator('#password').fill(bob.password);
    await page.locator('#name').fill(bob.name);
    await page.waitForFunction(() => !document.querySelector('[data-error-for]'));
    await page.getByTestId('submit').click();
    await page.waitForURL((u) => u.pathname === '/account');
    assert.equal(await page.getByTestId('signed-in-as').textContent(), bob.name);
    assert.match(await page.getByTestId('account-subscriptions').textContent(), /No subscriptions yet/);
    assert.match(await page.getByTestId('account-tools').textContent(), /not published a tool yet/);
    await shot(page, 'second-person-account');

    for (const p of ['/account', '/subscribe', '/tools/new', '/browse']) {
      await page.goto(`${stack.webUrl}${p}`);
      await page.waitForLoadState('networkidle');
      const html = await page.content();
      assert.ok(!html.includes(ada.email), `${p} does not show Ada's email`);
      assert.ok(!html.includes(adaSubscription._id), `${p} does not show Ada's subscription`);
    }
    await page.goto(`${stack.webUrl}/admin`);
    await page.getByTestId('admin-forbidden').waitFor();
    assert.ok(!(await page.content()).includes(ada.email));

    // What the server gives Bob's session (the one the app holds for him).
    const session = (await sessionCookie(browser.context)).value;
    assert.deepEqual((await stack.api('/api/subscriptions', { session })).body.items, []);
    assert.equal((await stack.api(`/api/subscriptions/${adaSubscription._id}`, { session })).status, 404);
    assert.equal((await stack.api(`/api/users/${adaUser._id}`, { session })).status, 404);
  });

  test('cross-site requests to the route handlers are refused', async () => {
    const post = (p, headers, body) => fetch(`${stack.webUrl}${p}`, { method: 'POST', headers, body });
    const mallory = JSON.stringify({ email: `mallory.${stamp}@example.com`, password: 'mallory-password' });
    // Another origin, even with a JSON body.
    let res = await post('/api/auth/sign-up', { origin: 'http://evil.test', 'content-type': 'application/json' }, mallory);
    assert.equal(res.status, 403);
    assert.equal((await res.json()).error, 'cross_site');
    res = await post('/api/auth/sign-up', { origin: stack.webUrl, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }, mallory);
    assert.equal(res.status, 403);
    // No Origin on a state-changing request.
    res = await post('/api/auth/sign-up', { 'content-type': 'application/json' }, mallory);
    assert.equal(res.status, 403);
    assert.equal((await res.json()).error, 'origin_required');
    // The app's own origin, but not JSON.
    res = await post('/api/auth/sign-up', { origin: stack.webUrl, 'content-type': 'text/plain' }, mallory);
    assert.equal(res.status, 415);
    // The app's own origin and JSON: accepted; the token goes into the cookie only.
    const carol = { email: `carol.${stamp}@example.com`, password: 'carol-password' };
    res = await post('/api/auth/sign-in', { origin: stack.webUrl, 'content-type': 'application/json' }, JSON.stringify(carol));
    assert.equal(res.status, 401, 'not an account yet');
    // Only the form's fields are forwarded: a role is dropped, not passed on.
    res = await post('/api/auth/sign-up', { origin: stack.webUrl, 'content-type': 'application/json' }, JSON.stringify({ ...carol, role: 'admin', emailVerified: true }));
    assert.equal(res.status, 201);
    const created = await res.json();
    assert.equal(created.token, undefined, 'the page never sees the session token');
    assert.equal(created.user.role, 'user');
    assert.equal(created.user.emailVerified, false);
    const setCookie = res.headers.get('set-cookie') ?? '';
    assert.match(setCookie, new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43};`));
    assert.match(setCookie, /; HttpOnly/i);
    assert.match(setCookie, /; SameSite=lax/i);
    assert.match(setCookie, /; Path=\//i);
    assert.doesNotMatch(setCookie, /; Secure/i, 'Secure only over https');
    res = await post('/api/auth/sign-up', { origin: stack.webUrl.replace('http:', 'https:'), 'x-forwarded-proto': 'https', 'content-type': 'application/json' }, JSON.stringify({ email: `dave.${stamp}@example.com`, password: 'dave-password' }));
    assert.equal(res.status, 201);
    assert.match(res.headers.get('set-cookie') ?? '', /; Secure/i, 'Secure behind an https proxy');

    // In the browser, signed in as Bob: a page on another site posts forms to the app.
    const evilPage = await browser.context.newPage();
    try {
      for (const [form, target] of [
        ['subscribe', `${stack.webUrl}/api/subscriptions`],
        ['signup', `${stack.webUrl}/api/auth/sign-up`],
      ]) {
        const answer = evilPage.waitForResponse((r) => r.url() === target);
        await evilPage.goto(`${evilUrl}/${form}?auto=1&to=${encodeURIComponent(target)}`);
        const refused = await answer;
        assert.equal(refused.status(), 403, `the ${form} form post is refused`);
        assert.equal((await refused.request().allHeaders()).cookie, undefined, 'the SameSite=Lax cookie is not sent cross-site');
        await evilPage.waitForLoadState();
      }
      await shot(evilPage, 'cross-site-refused');
      // A cross-site fetch with a JSON body needs a CORS preflight, which the app never grants.
      await evilPage.goto(`${evilUrl}/blank`);
      const outcome = await evilPage.evaluate(async (url) => {
        try {
          await fetch(url, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: '{"agentId":"curie","plan":"daily"}' });
          return 'answered';
        } catch {
          return 'blocked';
        }
      }, `${stack.webUrl}/api/subscriptions`);
      assert.equal(outcome, 'blocked');
    } finally {
      await evilPage.close();
    }

    const bobUser = (await stack.api(`/api/users?email=${encodeURIComponent(bob.email)}`)).body.items[0];
    assert.deepEqual((await stack.api(`/api/subscriptions?userId=${bobUser.id}`)).body.items, [], 'nothing was subscribed for Bob');
    assert.deepEqual((await stack.api(`/api/users?email=mallory.${stamp}%40example.com`)).body.items, [], 'no account was made');
  });

  test('browse: the public marketplace shows tools and plans, and no email address', async () => {
    await signOut(page);
    await page.goto(`${stack.webUrl}/browse`);
    await page.getByTestId('browse-tools').waitFor();
    const tools = await page.getByTestId('browse-tools').textContent();
    assert.match(tools, /Markdown Summarizer/);
    assert.match(tools, /Ada Lovelace/, "the author's name");
    const plans = await page.getByTestId('browse-plans').textContent();
    assert.match(plans, /Weekly plan/);
    assert.match(plans, /\$9\.99/);
    await shot(page, 'browse');
    assert.doesNotMatch(await page.locator('body').innerText(), EMAIL, 'no email address on the page');
    assert.doesNotMatch(await page.content(), EMAIL, 'none in the HTML either');
    // Nor for a signed-in visitor (the page is the same for everyone).
    await signIn(page, stack.webUrl, bob, '/browse');
    await page.getByTestId('browse-tools').waitFor();
    assert.doesNotMatch(await page.content(), EMAIL);
  });

  test('an administrator sees every user on the Admin page', async () => {
    await signOut(page);
    await signIn(page, stack.webUrl, stack.admin, '/admin');
    await page.getByRole('link', { name: 'Admin' }).waitFor();
    const users = await page.getByTestId('admin-users').textContent();
    for (const email of [ada.email, bob.email, stack.admin.email]) assert.ok(users.includes(email), `lists ${email}`);
    await shot(page, 'admin');
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

  test('the sign-up form validates in the browser, and signs up', async () => {
    const page = await browser.context.newPage();
    await openForm(page, `${stack.webUrl}/signup`, 'signup-form');
    await page.locator('#email').fill('not-an-email');
    await errorFor(page, 'email').waitFor();
    assert.equal(await errorFor(page, 'email').textContent(), 'Invalid email format');
    await shot(page, 'webpack-signup-invalid');
    await page.locator('#email').fill(ada.email);
    await page.locator('#password').fill(ada.password);
    await page.waitForFunction(() => !document.querySelector('[data-error-for]'));
    await page.getByTestId('submit').click();
    await page.waitForURL((u) => u.pathname === '/account');
    assert.equal(await page.getByTestId('signed-in-as').textContent(), ada.email, 'a person without a name is greeted by email');
  });
});
