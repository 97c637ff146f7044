// Every route handler of the web app (www/app/api/**/route.ts, found on disk
// so a new one cannot be missed) against the real stack, without a browser:
// another site's request is refused (403 cross_site), one without Origin too
// (403 origin_required), a body past the form limit is 413 before any work,
// and an anonymous caller of a route that acts for the signed-in person gets
// 401 signed_out (the two-factor step without its challenge cookie: 400
// invalid_challenge). Which route needs a session is the table below, written
// by hand: a route in neither list fails the test until it is classified.
// Then a signed-in person's review posted straight to the route with another
// person's id, another tool and forged counters is stored as theirs; their
// profile change and subscription with another person's ids, a role and
// server-set fields change only their own documents, and only the form's
// fields; and a body within the size limit but nested deeper than the server
// takes is refused by every route with the server's 400 too_deep.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT, startStack } from './stack.mjs';

const API_DIR = path.join(ROOT, 'www/app/api');

/** Routes that act for the signed-in person: anonymous callers get 401. */
const SESSION_REQUIRED = new Set([
  '/api/account',
  '/api/auth/2fa/backup-codes',
  '/api/auth/2fa/disable',
  '/api/auth/2fa/enable',
  '/api/auth/2fa/setup',
  '/api/auth/password',
  '/api/subscriptions',
  '/api/tools',
  '/api/tools/[id]/reviews',
]);
/** Routes open to anonymous callers (sign-in, sign-up, links, sign-out), with what `{}` gets. */
const ANONYMOUS = new Map([
  ['/api/auth/magic-link', null],
  ['/api/auth/magic-link/confirm', null],
  ['/api/auth/password-reset', null],
  ['/api/auth/password-reset/confirm', null],
  ['/api/auth/sign-in', null],
  ['/api/auth/sign-in/2fa', { status: 400, error: 'invalid_challenge' }],
  ['/api/auth/sign-out', { status: 204 }],
  ['/api/auth/sign-out-everywhere', { status: 204 }],
  ['/api/auth/sign-up', null],
  ['/api/auth/sign-up/passwordless', null],
]);

/** Every route file as [route, methods]. */
function routes() {
  const out = [];
  for (const entry of readdirSync(API_DIR, { recursive: true })) {
    if (path.basename(entry) !== 'route.ts') continue;
    const route = `/api/${path.dirname(entry).split(path.sep).join('/')}`;
    const source = readFileSync(path.join(API_DIR, entry), 'utf8');
    const methods = [...source.matchAll(/export (?:async function|const) (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]);
    out.push([route, methods]);
  }
  return out.sort();
}

describe('route handlers: cross-site, size and session', () => {
  let stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack?.stop();
  });

  const call = (route, method, headers, body) =>
    fetch(`${stack.webUrl}${route.replace('[id]', 'no-such-tool')}`, { method, headers, body, redirect: 'manual' });
  /** `body` sent to one of the app's routes from its own pages, with `token` as the session cookie. */
  const asPerson = (route, method, token, body) =>
    fetch(`${stack.webUrl}${route}`, {
      method,
      headers: { origin: stack.webUrl, 'content-type': 'application/json', cookie: `onelastai_session=${token}` },
      body: JSON.stringify(body),
    });

  test('every route is classified, and each refuses other sites, oversized bodies and anonymous callers', async () => {
    const found = routes();
    assert.ok(found.length >= 19, `found ${found.length} routes`);
    for (const [route, methods] of found) {
      assert.ok(SESSION_REQUIRED.has(route) || ANONYMOUS.has(route), `${route} is in neither list: classify it`);
      assert.ok(methods.length > 0, `${route} exports a handler`);
      for (const method of methods) {
        const what = `${method} ${route}`;
        const own = { origin: stack.webUrl, 'content-type': 'application/json' };
        let res = await call(route, method, { origin: 'http://evil.test', 'content-type': 'application/json' }, '{}');
        assert.equal(res.status, 403, what);
        assert.equal((await res.json()).error, 'cross_site', what);
        assert.equal(res.headers.get('set-cookie'), null, `${what}: no cookie set`);

        res = await call(route, method, { origin: stack.webUrl, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }, '{}');
        assert.equal(res.status, 403, what);
        assert.equal((await res.json()).error, 'cross_site', what);

        res = await call(route, method, { 'content-type': 'application/json' }, '{}');
        assert.equal(res.status, 403, what);
        assert.equal((await res.json()).error, 'origin_required', what);

        // 300 KB: past the 256 KiB form limit.
        res = await call(route, method, own, JSON.stringify({ email: 'a@example.com', padding: 'x'.repeat(300 * 1024) }));
        assert.equal(res.status, 413, what);
        assert.equal((await res.json()).error, 'payload_too_large', what);

        res = await call(route, method, own, '{}');
        if (SESSION_REQUIRED.has(route)) {
          assert.equal(res.status, 401, what);
          assert.equal((await res.json()).error, 'signed_out', what);
        } else {
          const expected = ANONYMOUS.get(route);
          if (expected) {
            assert.equal(res.status, expected.status, what);
            if (expected.error) assert.equal((await res.json()).error, expected.error, what);
          } else {
            // Open to anyone: the server judges the empty form (never a 5xx).
            assert.ok(res.status < 500, `${what}: ${res.status}`);
          }
        }
      }
    }
  });

  test('a review posted straight to the route is stored as the session\'s person, for the address\'s tool, without forged counters', async () => {
    const stamp = Date.now();
    const tool = await stack.publishSampleTool('guard');
    const rita = await stack.signUp({ email: `rita.${stamp}@example.com`, password: 'a long enough password', name: 'Rita' });
    const victim = await stack.signUp({ email: `victim.${stamp}@example.com`, password: 'a long enough password', name: 'Vic' });
    const forged = { rating: 5, title: 'Great', content: 'Fine.', userId: victim.user.id, toolId: 'another-tool', verified: true, helpful: 999, notHelpful: 0 };
    const res = await asPerson(`/api/tools/${tool._id}/reviews`, 'POST', rita.token, forged);
    assert.equal(res.status, 201, await res.clone().text());
    const stored = await stack.api(`/api/tool-reviews?toolId=${encodeURIComponent(tool.id)}`);
    assert.equal(stored.body.items.length, 1);
    const [review] = stored.body.items;
    assert.equal(review.userId, rita.user.id, 'the reviewer is the session\'s person');
    assert.equal(review.toolId, tool.id, 'the tool is the address\'s');
    assert.equal(review.verified, false);
    assert.notEqual(review.helpful, 999);
  });

  test("the profile and subscribe routes act on the session's person only: another person's ids, a role and server-set fields in the body are dropped", async () => {
    const stamp = Date.now();
    const rita = await stack.signUp({ email: `rita.p.${stamp}@example.com`, password: 'a long enough password', name: 'Rita' });
    const victim = await stack.signUp({ email: `victim.p.${stamp}@example.com`, password: 'a long enough password', name: 'Vic' });
    const before = await stack.api(`/api/users/${rita.user._id}`);
    let res = await asPerson('/api/account', 'PATCH', rita.token, {
      __v: before.body.__v,
      name: 'Rita Renamed',
      _id: victim.user._id,
      id: victim.user.id,
      email: `taken.${stamp}@example.com`,
      role: 'admin',
      password: 'another long password',
    });
    assert.equal(res.status, 200, await res.clone().text());
    const mine = await stack.api(`/api/users/${rita.user._id}`);
    assert.equal(mine.body.name, 'Rita Renamed', 'the profile field is saved');
    assert.equal(mine.body.role, 'user', 'no role from the form');
    assert.equal(mine.body.email, `rita.p.${stamp}@example.com`, 'no email from the profile form');
    const theirs = await stack.api(`/api/users/${victim.user._id}`);
    assert.equal(theirs.body.name, 'Vic', "the other person's document is untouched");
    const signIn = await fetch(`${stack.apiUrl}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `rita.p.${stamp}@example.com`, password: 'a long enough password' }),
    });
    assert.equal(signIn.status, 200, 'the password is not the profile form\'s to change');

    res = await asPerson('/api/subscriptions', 'POST', rita.token, { agentId: 'einstein', plan: 'weekly', userId: victim.user.id, price: 0, status: 'cancelled' });
    assert.equal(res.status, 201, await res.clone().text());
    const subs = await stack.api(`/api/subscriptions?userId=${encodeURIComponent(rita.user.id)}`);
    assert.equal(subs.body.items.length, 1, "stored as the session's person");
    assert.equal(subs.body.items[0].price, 9.99, "the weekly plan's price, not the form's");
    assert.equal(subs.body.items[0].status, 'active');
    assert.deepEqual((await stack.api(`/api/subscriptions?userId=${encodeURIComponent(victim.user.id)}`)).body.items, [], 'nothing for the other person');
  });

  test('a body nested deeper than the server takes is refused by every route as the server would (400 too_deep), never a 5xx', async () => {
    // 100,000 nested arrays in a field the forms send: 200 KB, under the size
    // limit, and deeper than JSON.stringify can pass on.
    const depth = 100_000;
    const nested = `{"email":${'['.repeat(depth)}${']'.repeat(depth)},"password":"x","token":"x","code":"x"}`;
    const rita = await stack.signUp({ email: `rita.n.${Date.now()}@example.com`, password: 'a long enough password', name: 'Rita' });
    for (const [route, methods] of routes()) {
      for (const method of methods) {
        const res = await fetch(`${stack.webUrl}${route.replace('[id]', 'no-such-tool')}`, {
          method,
          headers: { origin: stack.webUrl, 'content-type': 'application/json', cookie: `onelastai_session=${rita.token}` },
          body: nested,
        });
        const what = `${method} ${route}`;
        assert.equal(res.status, 400, `${what}: ${res.status}`);
        assert.equal((await res.json()).error, 'too_deep', what);
      }
    }
    // At the edge the app and the server agree: the body and 31 arrays inside
    // it pass, one more is too deep for both.
    for (const arrays of [31, 32]) {
      const body = `{"email":${'['.repeat(arrays)}${']'.repeat(arrays)}}`;
      const app = await fetch(`${stack.webUrl}/api/auth/magic-link`, { method: 'POST', headers: { origin: stack.webUrl, 'content-type': 'application/json' }, body });
      const server = await fetch(`${stack.apiUrl}/api/auth/magic-link`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const [a, b] = [await app.json(), await server.json()];
      assert.equal(app.status, server.status, `${arrays} arrays: ${JSON.stringify(a)} / ${JSON.stringify(b)}`);
      assert.equal(a.error, b.error, `${arrays} arrays`);
      assert.equal(a.error === 'too_deep', arrays === 32, `${arrays} arrays: ${a.error}`);
    }
  });
});
