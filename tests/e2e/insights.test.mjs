// The admin Insights page (issue 13) in headless Chromium on the real stack:
// empty states on a fresh database, then a data set seeded through the API
// (users, sessions in several countries, chat, tool runs, payments, sign-in
// events), and every number in the page's data tables compared with what
// the statistics endpoints answer for the same window. Screenshots go to
// target/screenshots/insights*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT, launchBrowser, startStack } from './stack.mjs';
import { axeViolations } from './a11y.mjs';
import { signIn, signOut } from './session.mjs';

const SHOTS = path.join(ROOT, 'target/screenshots');
mkdirSync(SHOTS, { recursive: true });
const DAY = 86_400_000;

/** The window the page uses for a range: the last `days` UTC days, today included. */
function windowOf(days) {
  const tomorrow = Math.floor(Date.now() / DAY) * DAY + DAY;
  return `from=${encodeURIComponent(new Date(tomorrow - days * DAY).toISOString())}&to=${encodeURIComponent(new Date(tomorrow).toISOString())}`;
}

/** A data table's body rows as arrays of cell texts. */
async function tableRows(page, id) {
  return page.getByTestId(`table-${id}`).evaluate((t) =>
    [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim())),
  );
}

const pct = (v) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const dec = (v, d = 1) => (v === null ? '—' : v.toFixed(d));

describe('Insights', () => {
  let stack;
  let browser;
  let page;

  before(async () => {
    stack = await startStack({ distDir: '.next' });
    browser = await launchBrowser();
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('a person who is not an administrator is told the page is not theirs', async () => {
    const who = { email: `member.${Date.now()}@example.com`, password: 'member password 1234' };
    const r = await stack.api('/api/auth/sign-up', { method: 'POST', body: JSON.stringify(who) });
    assert.equal(r.status, 201);
    await signIn(page, stack.webUrl, who, '/account');
    await page.goto(`${stack.webUrl}/admin/insights`);
    await page.getByTestId('insights-forbidden').waitFor();
    assert.equal((await stack.api('/api/stats/chat', { session: r.body.token })).status, 403, 'and the API refuses it too');
    await signOut(page);
  });

  test('a fresh database shows empty states', async () => {
    await signIn(page, stack.webUrl, stack.admin, '/admin');
    await page.getByTestId('insights-link').click();
    await page.waitForURL((u) => u.pathname === '/admin/insights');
    for (const id of ['revenue', 'tools', 'engagement']) {
      await page.getByTestId(`empty-${id}`).waitFor();
    }
    await page.screenshot({ path: path.join(SHOTS, 'insights-empty.png'), fullPage: true });
  });

  test('seeded data: every number shown is what the API answers, for 30 and 7 days', async () => {
    const today = Math.floor(Date.now() / DAY) * DAY;
    const at = (d, h) => new Date(today - d * DAY + h * 3_600_000).toISOString();
    const post = async (route, body) => {
      const r = await stack.api(`/api/${route}`, { method: 'POST', body: JSON.stringify(body) });
      assert.equal(r.status, 201, `${route}: ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const users = [];
    for (let i = 0; i < 12; i++) {
      users.push(await post('users', { id: `user_e2e${i}`, email: `e2e${i}@example.com`, name: `User ${i}`, createdAt: at(i * 2, 9), lastLoginAt: at(i, 10) }));
    }
    const countries = ['DE', 'US', 'US', 'FR', 'JP', 'US', 'BR', 'DE', null, 'US', 'IN', 'GB'];
    for (let k = 0; k < 36; k++) {
      const u = users[k % 12];
      const c = countries[(k * 7) % 12];
      await post('user-sessions', {
        userId: u._id,
        sessionId: `e2e-session-${k}`,
        expiresAt: at(-30, 0),
        lastActivityAt: at(k % 25, 12),
        createdAt: at((k % 25) + 1, 8),
        ...(c ? { location: { country: c } } : {}),
      });
    }
    for (let k = 0; k < 30; k++) {
      const u = users[k % 7];
      await post('chat-sessions', { id: `session_e2e${k}`, userId: u.id, agentId: ['einstein', 'chef'][k % 2], name: `Chat ${k}`, createdAt: at(k % 20, 11) });
    }
    for (let k = 0; k < 80; k++) {
      const u = users[(k * k) % 9];
      await post('chat-messages', { sessionId: `session_e2e${k % 30}`, messageId: `m_e2e${k}`, userId: u.id, role: k % 2 ? 'assistant' : 'user', content: 'hi', createdAt: at(k % 28, 13) });
    }
    const tools = ['api-tester', 'json-formatter', 'dns-lookup', 'ssl-checker'];
    for (let k = 0; k < 50; k++) {
      await post('tool-usage-analytics', {
        userId: users[k % 10].id,
        toolName: tools[(k * 3) % 7 % 4],
        toolCategory: 'developer',
        action: 'run',
        success: k % 5 !== 0,
        executionTime: 20 + ((k * 37) % 400),
        createdAt: at(k % 29, 14),
      });
    }
    for (let k = 0; k < 8; k++) {
      await post('tool-reviews', { toolId: tools[k % 4], userId: users[k].id, rating: 1 + (k % 5), title: `Review ${k}`, content: 'ok', createdAt: at(k, 15) });
    }
    for (let k = 0; k < 20; k++) {
      const base = { userId: users[k % 12]._id, email: 'billing@example.com', stripeSubscriptionId: `sub_${k}`, agentId: 'einstein', agentName: 'Einstein', plan: 'monthly', amount: 9.99 + k, currency: k % 4 ? 'USD' : 'EUR', createdAt: at(k * 2, 16) };
      await post('payments', { ...base, status: k % 6 ? 'succeeded' : 'failed', paidAt: at(k * 2, 17) });
      await post('invoices', { ...base, status: ['paid', 'pending', 'paid', 'void'][k % 4] });
    }
    const names = ['sign_in_succeeded', 'sign_in_succeeded', 'sign_in_failed', 'sign_in_succeeded', 'sign_in_locked'];
    for (let k = 0; k < 40; k++) {
      await post('analytics-events', { visitorId: `ip:10.1.0.${k}`, sessionId: 'auth', eventType: 'auth', eventName: names[k % 5], timestamp: at(k % 27, 18) });
    }

    for (const days of [30, 7]) {
      await page.goto(`${stack.webUrl}/admin/insights?range=${days}`);
      await page.getByTestId('chart-activity').waitFor();
      const current = await page.getByTestId('range-picker').locator('[aria-current="page"]').textContent();
      assert.equal(current.trim(), `${days} days`);
      const q = windowOf(days);
      const get = async (p) => {
        const r = await stack.api(p);
        assert.equal(r.status, 200, `${p}: ${JSON.stringify(r.body)}`);
        return r.body;
      };

      const activity = await get(`/api/stats/users/activity?${q}&interval=day`);
      const rows = await tableRows(page, 'activity');
      assert.equal(rows.length, days, 'one row per day');
      assert.deepEqual(
        rows.map((r) => r.slice(1).map(Number)),
        activity.buckets.map((b) => [b.activeUsers, b.signUps, b.sessions]),
        'activity table = API',
      );
      assert.ok(activity.buckets.some((b) => b.activeUsers > 0 && b.sessions > 0), 'the data set shows up');

      const auth = await get(`/api/stats/auth?${q}&interval=day`);
      assert.deepEqual(
        (await tableRows(page, 'auth')).map((r) => r.slice(1)),
        auth.buckets.map((b) => [String(b.succeeded), String(b.failed), String(b.locked), pct(b.successRate)]),
        'sign-in table = API',
      );
      const total = await page.getByTestId('auth-total').textContent();
      assert.ok(total.includes(`${auth.total.succeeded} succeeded, ${auth.total.failed} failed, ${auth.total.locked} locked out`), total);

      const geo = await get(`/api/stats/users/geography?${q}`);
      assert.deepEqual(
        await tableRows(page, 'countries'),
        geo.countries.map((c) => [c.country ?? 'Unknown', String(c.users), String(c.sessions)]),
        'countries table = API',
      );
      const bars = await page.getByTestId('chart-countries').locator('svg rect').count();
      assert.equal(bars, Math.min(10, geo.countries.filter((c) => c.users > 0).length), 'one bar per country shown');

      const eng = await get(`/api/stats/users/engagement?${q}`);
      assert.deepEqual(
        await tableRows(page, 'engagement'),
        eng.distribution.messages.map((b, i) => [
          b.max === null ? `${b.min}+` : b.min === b.max ? String(b.min) : `${b.min}–${b.max}`,
          String(eng.distribution.chatSessions[i].users),
          String(b.users),
          String(eng.distribution.toolRuns[i].users),
        ]),
        'engagement table = API',
      );
      const summary = await page.getByTestId('engagement-summary').evaluate((t) =>
        [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim())),
      );
      assert.deepEqual(
        summary,
        [
          ['Chat sessions', eng.chatSessionsPerUser],
          ['Messages', eng.messagesPerUser],
          ['Tool runs', eng.toolRunsPerUser],
        ].map(([n, m]) => [n, dec(m.mean, 2), String(m.p50 ?? '—'), String(m.p90 ?? '—')]),
        'engagement summary = API',
      );

      const tl = await get(`/api/stats/tools?${q}`);
      assert.deepEqual(
        await tableRows(page, 'tools'),
        tl.tools.map((t) => [t.tool ?? 'Unknown', String(t.runs), pct(t.successRate), dec(t.avgExecutionTimeMs), String(t.reviews), dec(t.avgRating, 2)]),
        'tools table = API',
      );

      const rev = await get(`/api/stats/revenue?${q}&interval=month`);
      const revRows = await tableRows(page, 'revenue');
      const expected = rev.buckets.flatMap((b) =>
        b.currencies.map((c) => [c.currency, c.paid.toFixed(2), String(c.payments), c.failed.toFixed(2), c.pending.toFixed(2), ...['paid', 'pending', 'failed', 'void'].map((s) => String(c.invoices[s] ?? 0))]),
      );
      assert.deepEqual(revRows.map((r) => r.slice(1)), expected, 'revenue table = API');
      assert.ok(expected.length > 0, 'payments in the range');
      await page.screenshot({ path: path.join(SHOTS, `insights-${days}d.png`), fullPage: true });
    }

    // 90 days go by week (Monday to Monday, UTC), and every table is readable to axe-core.
    await page.getByTestId('range-picker').getByRole('link', { name: '90 days' }).click();
    await page.waitForURL((u) => u.search === '?range=90');
    await page.getByTestId('chart-activity').waitFor();
    const weeks = (await stack.api(`/api/stats/users/activity?${windowOf(90)}&interval=week`)).body;
    assert.deepEqual(
      (await tableRows(page, 'activity')).map((r) => r.slice(1).map(Number)),
      weeks.buckets.map((b) => [b.activeUsers, b.signUps, b.sessions]),
      'weekly activity table = API',
    );
    assert.ok(weeks.buckets.length === 13 || weeks.buckets.length === 14, `${weeks.buckets.length} weeks`);
    for (const d of await page.locator('details').all()) await d.evaluate((e) => (e.open = true));
    assert.deepEqual(await axeViolations(page), [], 'axe-core on Insights with every table open');
    await page.setViewportSize({ width: 390, height: 844 });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `the page fits a 390 px window (${wide} px)`);
    await page.screenshot({ path: path.join(SHOTS, 'insights-90d-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1200, height: 900 });
  });
});
