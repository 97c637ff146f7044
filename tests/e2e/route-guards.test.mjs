// Every route handler of the web app (www/app/api/**/route.ts, found on disk
// so a new one cannot be missed) against the real stack, without a browser:
// another site's request is refused (403 cross_site), one without Origin too
// (403 origin_required), a body past the form limit is 413 before any work,
// and an anonymous caller of a route that acts for the signed-in person gets
// 401 signed_out (the two-factor step without its challenge cookie: 400
// invalid_challenge). Which route needs a session is the table below, written
// by hand: a route in neither list fails the test until it is classified.
// Then a signed-in person's review posted straight to the route with another
// person's id, another tool and forged counters is stored as theirs.
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
    const vectors = JSON.parse(readFileSync(path.join(ROOT, 'tests/vectors/tools.json'), 'utf8'));
    const cases = Array.isArray(vectors) ? vectors : vectors.cases;
    const sample = structuredClone(cases.find((c) => c.valid).input);
    sample.id = `tool_guard_${stamp}`;
    sample.metadata.slug = `guard-${stamp}`;
    sample.published = true;
    const tool = await stack.api('/api/tools', { method: 'POST', body: JSON.stringify(sample) });
    assert.equal(tool.status, 201, JSON.stringify(tool.body));
    const signUp = (who) =>
      fetch(`${stack.apiUrl}/api/auth/sign-up`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) }).then((r) => r.json());
    const rita = await signUp({ email: `rita.${stamp}@example.com`, password: 'a long enough password', name: 'Rita' });
    const victim = await signUp({ email: `victim.${stamp}@example.com`, password: 'a long enough password', name: 'Vic' });
    const forged = { rating: 5, title: 'Great', content: 'Fine.', userId: victim.user.id, toolId: 'another-tool', verified: true, helpful: 999, notHelpful: 0 };
    const res = await fetch(`${stack.webUrl}/api/tools/${tool.body._id}/reviews`, {
      method: 'POST',
      headers: { origin: stack.webUrl, 'content-type': 'application/json', cookie: `onelastai_session=${rita.token}` },
      body: JSON.stringify(forged),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const stored = await stack.api(`/api/tool-reviews?toolId=${encodeURIComponent(sample.id)}`);
    assert.equal(stored.body.items.length, 1);
    const [review] = stored.body.items;
    assert.equal(review.userId, rita.user.id, 'the reviewer is the session\'s person');
    assert.equal(review.toolId, sample.id, 'the tool is the address\'s');
    assert.equal(review.verified, false);
    assert.notEqual(review.helpful, 999);
  });
});
