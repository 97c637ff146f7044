// Account security end to end (issue 14), in headless Chromium against the
// real stack: two-factor enrolment (the test computes TOTP codes itself,
// RFC 6238, from the secret in the otpauth URI the page shows), sign-in with
// a code and with a backup code, a password reset and a passwordless
// sign-in through links read from the server's development outbox, and
// "sign out everywhere". Screenshots go to target/screenshots/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT, launchBrowser, startStack } from './stack.mjs';
import { axeViolations } from './a11y.mjs';
import { sessionCookie, signIn, signOut } from './session.mjs';

const SHOTS = path.join(ROOT, 'target/screenshots');
mkdirSync(SHOTS, { recursive: true });
const stamp = Date.now();
const tess = { email: `tess.${stamp}@example.com`, password: 'two factors are better', name: 'Tess' };
const rita = { email: `rita.${stamp}@example.com`, password: 'forgot this one often', name: 'Rita' };
const pam = { email: `pam.${stamp}@example.com` };

/** RFC 4648 base32 to bytes. */
function base32(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of s.replace(/=+$/, '').toUpperCase()) {
    const v = alphabet.indexOf(c);
    assert.ok(v >= 0, `not base32: ${s}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** The 6-digit TOTP of `secret` at `unixSeconds` (RFC 6238, HMAC-SHA-1, 30 s). */
function totp(secret, unixSeconds) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const h = createHmac('sha1', secret).update(counter).digest();
  const offset = h[19] & 0x0f;
  const bin = ((h[offset] & 0x7f) << 24) | (h[offset + 1] << 16) | (h[offset + 2] << 8) | h[offset + 3];
  return String(bin % 1_000_000).padStart(6, '0');
}

test('the TOTP used here meets RFC 6238', () => {
  const key = Buffer.from('12345678901234567890');
  assert.equal(totp(key, 59), '287082');
  assert.equal(totp(key, 1111111109), '081804');
  assert.equal(totp(key, 2000000000), '279037');
});

/** A code for now, away from the end of a step (so the server judges the same step). */
async function currentCode(secret) {
  while (Math.floor(Date.now() / 1000) % 30 >= 25) await new Promise((r) => setTimeout(r, 500));
  return totp(secret, Math.floor(Date.now() / 1000));
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `account-security-${name}.png`), fullPage: true });
}

describe('account security in the browser', () => {
  let stack;
  let browser;
  let page;
  let secret;
  let backupCodes;

  /** The newest outbox message to `to`, waiting for the `n`-th one. */
  async function mailTo(to, n = 1) {
    for (let i = 0; i < 100; i++) {
      const r = await stack.api(`/api/dev/outbox?to=${encodeURIComponent(to)}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.match(r.body.development, /DEVELOPMENT/);
      if (r.body.messages.length >= n) return r.body.messages[0];
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`no message ${n} to ${to}`);
  }

  /** Asks for a mailed link with the form at `pathname` (`formId` its test id), for `email`. */
  async function askForLink(pathname, formId, email) {
    await page.goto(`${stack.webUrl}${pathname}`);
    await page.getByTestId(formId).waitFor();
    await page.waitForLoadState('networkidle');
    await page.locator('#email').fill(email);
    await page.getByTestId('submit').click();
    await page.getByTestId('banner').filter({ hasText: 'on its way' }).waitFor();
  }

  function linkIn(message, pathname) {
    const url = message.text.split(/\s+/).find((w) => w.startsWith(`${stack.webUrl}${pathname}?token=`));
    assert.ok(url, `no ${pathname} link in ${JSON.stringify(message.text)}`);
    return url;
  }

  before(async () => {
    stack = await startStack({ distDir: '.next' });
    browser = await launchBrowser();
    page = await browser.newPage();
    for (const who of [tess, rita]) await stack.signUp(who);
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('enrol two-factor: QR code, codes shown once with a download, a code turns it on', async () => {
    await signIn(page, stack.webUrl, tess, '/account/security');
    await page.getByTestId('two-factor-status').waitFor();
    assert.match(await page.getByTestId('two-factor-status').innerText(), /^Off/);
    await page.getByTestId('two-factor-start').click();
    await page.getByTestId('otpauth-uri').waitFor();
    const uri = (await page.getByTestId('otpauth-uri').innerText()).trim();
    const parsed = new URL(uri);
    assert.equal(parsed.protocol, 'otpauth:');
    assert.equal(parsed.searchParams.get('issuer'), 'OneLastAI');
    assert.ok(decodeURIComponent(parsed.pathname).includes(tess.email), uri);
    secret = base32(parsed.searchParams.get('secret'));
    assert.equal(secret.length, 20);
    await page.getByTestId('two-factor-qr').waitFor();
    assert.match(await page.getByTestId('two-factor-qr').getAttribute('src'), /^data:image\/png;base64,/);
    backupCodes = await page.getByTestId('backup-codes').locator('code').allInnerTexts();
    assert.equal(backupCodes.length, 10);
    assert.equal(new Set(backupCodes).size, 10);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('backup-codes-download').click()]);
    assert.equal(download.suggestedFilename(), 'onelastai-backup-codes.txt');
    const { readFile } = await import('node:fs/promises');
    const saved = await readFile(await download.path(), 'utf8');
    for (const c of backupCodes) assert.ok(saved.includes(c), `the downloaded file lacks ${c}`);
    await shot(page, 'enrol');
    await page.locator('#enable-code').fill(await currentCode(secret));
    await page.getByTestId('two-factor-enable').click();
    await page.getByText('On. 10 unused backup codes left.').waitFor();
    // Shown once: a reload shows the state, not the codes.
    await page.reload();
    await page.getByTestId('two-factor-status').waitFor();
    assert.match(await page.getByTestId('two-factor-status').innerText(), /^On\. 10 unused/);
    assert.equal(await page.getByTestId('backup-codes').count(), 0);
    const me = await stack.api('/api/users?email=' + encodeURIComponent(tess.email));
    assert.equal(me.body.items[0].twoFactorEnabled, true);
    assert.equal(me.body.items[0].twoFactorSecret, undefined, 'never returned');
    await signOut(page);
  });

  test('sign in with a TOTP code, then with a backup code (once)', async () => {
    await signIn(page, stack.webUrl, tess, '/account', '/signin/two-factor');
    assert.equal(await sessionCookie(browser.context), undefined, 'no session after the password alone');
    const challenge = (await browser.context.cookies()).find((c) => c.name === 'onelastai_2fa');
    assert.ok(challenge?.httpOnly, 'the challenge is in an httpOnly cookie');
    await page.getByTestId('two-factor-form').waitFor();
    await shot(page, 'second-step');
    await page.locator('#code').fill('000000' === (await currentCode(secret)) ? '111111' : '000000');
    await page.getByTestId('two-factor-submit').click();
    await page.getByTestId('banner').filter({ hasText: 'not right' }).waitFor();
    // The second step, with its error, as every page is checked (responsive.test.mjs
    // cannot reach it without a challenge): a phone's width and a desktop's, axe-core.
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 844 });
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
      assert.ok(scrollWidth <= innerWidth, `the second step at ${width} px: ${scrollWidth} > ${innerWidth}`);
      assert.deepEqual(await axeViolations(page, { always: ['heading-order'] }), [], `axe-core on the second step at ${width} px`);
      await shot(page, `second-step-error-${width}`);
    }
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.locator('#code').fill(await currentCode(secret));
    await page.getByTestId('two-factor-submit').click();
    await page.waitForURL((u) => u.pathname === '/account');
    assert.ok(await sessionCookie(browser.context), 'signed in');
    assert.equal((await browser.context.cookies()).find((c) => c.name === 'onelastai_2fa'), undefined);
    await signOut(page);

    await signIn(page, stack.webUrl, tess, '/account', '/signin/two-factor');
    await page.locator('#code').fill(backupCodes[0]);
    await page.getByTestId('two-factor-submit').click();
    await page.waitForURL((u) => u.pathname === '/account');
    await page.goto(`${stack.webUrl}/account/security`);
    assert.match(await page.getByTestId('two-factor-status').innerText(), /^On\. 9 unused/);
    await signOut(page);

    // The same backup code again: refused.
    await signIn(page, stack.webUrl, tess, '/account', '/signin/two-factor');
    await page.locator('#code').fill(backupCodes[0]);
    await page.getByTestId('two-factor-submit').click();
    await page.getByTestId('banner').filter({ hasText: 'already used' }).waitFor();
    assert.equal(await sessionCookie(browser.context), undefined);
    const events = await stack.api('/api/analytics-events?eventType=auth&limit=100');
    const names = events.body.items.map((e) => e.eventName);
    assert.ok(names.includes('two_factor_succeeded') && names.includes('two_factor_failed'), names.join(','));

    // Turning it off takes the password and a code; then the password alone signs in.
    await page.locator('#code').fill(backupCodes[1]);
    await page.getByTestId('two-factor-submit').click();
    await page.waitForURL((u) => u.pathname === '/account');
    await page.goto(`${stack.webUrl}/account/security`);
    await page.getByTestId('two-factor-disable-form').waitFor();
    await page.waitForLoadState('networkidle');
    assert.match(await page.getByTestId('two-factor-status').innerText(), /^On\. 8 unused/);
    // New backup codes replace the old ones (shown once, 10 left again).
    await page.locator('#renew-code').fill(backupCodes[2]);
    await page.getByTestId('backup-codes-renew').click();
    await page.getByTestId('banner').filter({ hasText: 'old ones no longer work' }).waitFor();
    const fresh = await page.getByTestId('backup-codes').locator('code').allInnerTexts();
    assert.equal(fresh.length, 10);
    assert.ok(fresh.every((c) => !backupCodes.includes(c)));
    assert.match(await page.getByTestId('two-factor-status').innerText(), /^On\. 10 unused/);
    await page.locator('#disable-password').fill(tess.password);
    await page.locator('#disable-code').fill(backupCodes[3]);
    await page.getByTestId('two-factor-disable').click();
    await page.getByTestId('banner').filter({ hasText: 'not right' }).waitFor();
    await page.locator('#disable-code').fill(fresh[0]);
    await page.getByTestId('two-factor-disable').click();
    await page.getByTestId('two-factor-status').filter({ hasText: /^Off/ }).waitFor();
    await signOut(page);
    await signIn(page, stack.webUrl, tess, '/account');
    await signOut(page);
  });

  test('reset a forgotten password through the mailed link; every session ends', async () => {
    await signIn(page, stack.webUrl, rita, '/account');
    const oldSession = (await sessionCookie(browser.context)).value;
    await askForLink('/forgot-password', 'forgot-form', rita.email);
    const message = await mailTo(rita.email);
    assert.match(message.subject, /Reset/);
    await page.goto(linkIn(message, '/reset-password'));
    await page.getByTestId('reset-form').waitFor();
    await page.waitForLoadState('networkidle');
    const newPassword = 'remembered it now 2026';
    await page.locator('#password').fill(newPassword);
    await page.locator('#repeat').fill(newPassword);
    await page.getByTestId('submit').click();
    await page.getByTestId('banner').filter({ hasText: 'password is changed' }).waitFor();
    await shot(page, 'reset');
    assert.equal((await stack.api('/api/auth/me', { session: oldSession })).status, 401, 'the old session ended');
    assert.equal(await sessionCookie(browser.context), undefined);
    // The link works once.
    await page.goto(linkIn(message, '/reset-password'));
    await page.getByTestId('reset-form').waitFor();
    await page.waitForLoadState('networkidle');
    await page.locator('#password').fill('another one entirely');
    await page.locator('#repeat').fill('another one entirely');
    await page.getByTestId('submit').click();
    await page.getByTestId('banner').filter({ hasText: 'expired or was already used' }).waitFor();
    await signIn(page, stack.webUrl, { ...rita, password: newPassword }, '/account');
  });

  test('change the password: rules as the person types, a wrong current password keeps the session, other devices are signed out', async () => {
    const oldPassword = 'remembered it now 2026';
    const other = await fetch(`${stack.apiUrl}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: rita.email, password: oldPassword }),
    }).then((r) => r.json());
    const mine = (await sessionCookie(browser.context)).value;
    await page.goto(`${stack.webUrl}/account/security`);
    await page.getByTestId('change-password-form').waitFor();
    await page.waitForLoadState('networkidle');
    const form = page.getByTestId('change-password-form');
    // Too short, by the users rule the package applies: nothing is sent.
    const sent = [];
    const onRequest = (r) => r.url().includes('/api/auth/password') && sent.push(r.method());
    page.on('request', onRequest);
    await page.locator('#current-password').fill(oldPassword);
    await page.locator('#new-password').fill('short');
    await page.locator('#repeat-password').fill('short');
    await page.getByTestId('change-password').click();
    await form.locator('[data-error-for="new-password"]').filter({ hasText: 'at least 8 characters' }).waitFor();
    assert.equal(await page.locator('#new-password').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(sent, [], 'an invalid new password is not sent');
    // A wrong current password: the field says so and the session stays.
    const newPassword = 'a changed password 2027';
    await page.locator('#current-password').fill('not my password at all');
    await page.locator('#new-password').fill(newPassword);
    await page.locator('#repeat-password').fill(newPassword);
    await page.getByTestId('change-password').click();
    await form.locator('[data-error-for="current-password"]').filter({ hasText: 'not your current password' }).waitFor();
    assert.equal((await sessionCookie(browser.context))?.value, mine, 'a wrong current password keeps the session');
    // The right one: changed; this device stays signed in, the other one is out.
    await page.locator('#current-password').fill(oldPassword);
    await page.getByTestId('change-password').click();
    await form.getByTestId('banner').filter({ hasText: 'password is changed' }).waitFor();
    page.off('request', onRequest);
    assert.deepEqual(sent, ['POST', 'POST']);
    await shot(page, 'password-changed');
    assert.equal((await stack.api('/api/auth/me', { session: mine })).status, 200, 'this session stays');
    assert.equal((await stack.api('/api/auth/me', { session: other.token })).status, 401, 'the other session ended');
    const signIn = (password) =>
      fetch(`${stack.apiUrl}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: rita.email, password }),
      });
    assert.equal((await signIn(oldPassword)).status, 401, 'the old password no longer works');
    assert.equal((await signIn(newPassword)).status, 200, 'the new one does');
    rita.password = newPassword;
  });

  test('sign out everywhere ends every session of the person', async () => {
    const first = (await sessionCookie(browser.context)).value;
    const other = await fetch(`${stack.apiUrl}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: rita.email, password: rita.password }),
    }).then((r) => r.json());
    assert.equal((await stack.api('/api/auth/me', { session: other.token })).status, 200);
    await page.goto(`${stack.webUrl}/account/security`);
    await page.getByTestId('sign-out-everywhere').click();
    await page.waitForURL((u) => u.pathname === '/signin');
    for (const token of [first, other.token]) assert.equal((await stack.api('/api/auth/me', { session: token })).status, 401);
  });

  test('passwordless: an account made without a password signs in through mailed links, each once', async () => {
    await page.goto(`${stack.webUrl}/signin`);
    await page.getByRole('link', { name: 'Email me a sign-in link' }).click();
    await page.waitForURL((u) => u.pathname === '/magic-link');
    await page.getByTestId('passwordless-signup-form').waitFor();
    await page.waitForLoadState('networkidle');
    await page.locator('#new-email').fill(pam.email);
    await page.locator('#new-name').fill('Pam');
    await page.getByTestId('passwordless-signup-submit').click();
    await page.getByTestId('banner').filter({ hasText: 'Account created' }).waitFor();
    const stored = await stack.api('/api/users?email=' + encodeURIComponent(pam.email));
    assert.equal(stored.body.items[0].authMethod, 'passwordless');
    assert.equal(await sessionCookie(browser.context), undefined, 'not signed in before the link');

    async function followLink(link) {
      await page.goto(link);
      await page.getByTestId('magic-link-confirm').waitFor();
      await page.waitForLoadState('networkidle');
      assert.equal(await sessionCookie(browser.context), undefined, 'opening the link alone does not sign in');
      await page.getByTestId('magic-link-signin').click();
      await page.waitForURL((u) => u.pathname === '/account');
      assert.equal(await page.getByTestId('account-email').innerText(), pam.email);
    }
    await followLink(linkIn(await mailTo(pam.email, 1), '/magic-link'));
    await shot(page, 'magic-link');
    await signOut(page);

    // Later: ask for a link with the form.
    await askForLink('/magic-link', 'magic-link-form', pam.email);
    const link = linkIn(await mailTo(pam.email, 2), '/magic-link');
    await followLink(link);
    await signOut(page);
    await page.goto(link);
    await page.getByTestId('magic-link-signin').click();
    await page.getByTestId('banner').filter({ hasText: 'expired or was already used' }).waitFor();
  });
});
