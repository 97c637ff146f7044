// Signing in and out through the app's own pages, as a person does, for the
// browser suites: one way to do it, so a change to the sign-in form or the
// header is followed in one place.
import assert from 'node:assert/strict';

/** The name of the app's httpOnly session cookie. */
export const SESSION_COOKIE = 'onelastai_session';

/** The session cookie as the browser `context` holds it, if any. */
export async function sessionCookie(context) {
  return (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
}

/**
 * Signs `who` ({email, password}) in with the form at `/signin?next=<next>`:
 * waits for the form and for the page's own loading (route prefetches, the
 * WebAssembly validators), fills it in, submits, and waits until the browser
 * is on `landsOn` (`next`, unless the person has a second step to take, as
 * `/signin/two-factor`).
 */
export async function signIn(page, webUrl, who, next = '/account', landsOn = next) {
  await page.goto(`${webUrl}/signin?next=${encodeURIComponent(next)}`);
  await page.getByTestId('signin-form').waitFor({ timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  await page.locator('#email').fill(who.email);
  await page.locator('#password').fill(who.password);
  await page.getByTestId('submit').click();
  await page.waitForURL((u) => u.pathname === landsOn);
}

/**
 * Signs out with the header's button: back on the home page, which offers
 * "Sign in" again, and the browser holds no session cookie.
 */
export async function signOut(page) {
  await page.getByTestId('sign-out').click();
  await page.waitForURL((u) => u.pathname === '/');
  await page.getByRole('link', { name: 'Sign in' }).waitFor();
  assert.equal(await sessionCookie(page.context()), undefined, 'signed out: no session cookie');
}
