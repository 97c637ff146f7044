// Insights: the spec's aggregations for administrators, drawn as SVG charts
// with a data table under each. Everything is computed by the server's
// `/api/stats/...` endpoints (in the database) and read with the
// administrator's own session; the page only lays the numbers out.
import Link from 'next/link';
import { AdminOnly } from '@/components/AdminOnly';
import type { ReactNode } from 'react';
import { BarChart } from '@/components/charts/BarChart';
import { HBarChart } from '@/components/charts/HBarChart';
import { LineChart } from '@/components/charts/LineChart';
import { requestClient, requireSession } from '@/lib/session';
import { RANGES, loadInsights, rangeOf, type Bin, type Loaded } from './data';

export const dynamic = 'force-dynamic';

const int = (v: number) => new Intl.NumberFormat('en-US').format(v);
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const dec = (v: number | null, digits = 1) => (v === null ? '—' : v.toFixed(digits));
const money = (v: number) => v.toFixed(2);

/** A bucket start as a short UTC label. */
function label(iso: string, interval: string): string {
  const d = new Date(iso);
  if (interval === 'month') return d.toLocaleDateString('en-US', { timeZone: 'UTC', month: 'short', year: 'numeric' });
  const day = d.toLocaleDateString('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' });
  return interval === 'week' ? `wk ${day}` : day;
}

const binLabel = (b: Bin) => (b.max === null ? `${b.min}+` : b.min === b.max ? String(b.min) : `${b.min}–${b.max}`);

/** A card around one chart: its error when the statistic could not be read. */
function Card<T>({ result, testid, children }: { result: Loaded<T>; testid: string; children: (data: T) => ReactNode }) {
  return (
    <section className="card" data-testid={testid}>
      {result.ok ? children(result.data) : <div className="banner error" role="alert">Could not load this statistic: {result.error}</div>}
    </section>
  );
}

export default async function InsightsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token, user } = await requireSession('/admin/insights');
  if (user.role !== 'admin') return <AdminOnly title="Insights" testid="insights-forbidden" />;
  const days = rangeOf((await searchParams).range);
  const s = await loadInsights(days, token, await requestClient());
  const interval = s.window.interval;
  return (
    <>
      <h1>Insights</h1>
      <p className="lead">
        Activity, sign-ins, countries, engagement, revenue and tools over the last {days} days (UTC, today included), computed by the
        database. <Link href="/admin">Back to administration</Link>
      </p>
      <nav aria-label="Range" className="card" data-testid="range-picker" style={{ display: 'flex', gap: 12, alignItems: 'center' }}>
        <span>Range:</span>
        {RANGES.map((r) => (
          <Link key={r} href={`/admin/insights?range=${r}`} aria-current={r === days ? 'page' : undefined} className={r === days ? 'pill ok' : 'pill'}>
            {r} days
          </Link>
        ))}
      </nav>

      <Card result={s.activity} testid="insights-activity">
        {(a) => (
          <LineChart
            id="activity"
            title={`Activity per ${a.interval}`}
            description="Active users: distinct users with session activity or a sign-in; sign-ups: accounts created; sessions: sessions opened."
            labels={a.buckets.map((b) => label(b.start, a.interval))}
            series={[
              { name: 'Active users', values: a.buckets.map((b) => b.activeUsers) },
              { name: 'Sign-ups', values: a.buckets.map((b) => b.signUps) },
              { name: 'Sessions', values: a.buckets.map((b) => b.sessions) },
            ]}
            table={{
              columns: [a.interval === 'week' ? 'Week of' : 'Day', 'Active users', 'Sign-ups', 'Sessions'],
              rows: a.buckets.map((b) => [label(b.start, a.interval), b.activeUsers, b.signUps, b.sessions]),
            }}
            emptyText="No activity in this range."
          />
        )}
      </Card>

      <Card result={s.auth} testid="insights-auth">
        {(a) => (
          <>
            <LineChart
              id="auth"
              title={`Sign-in success rate per ${a.interval}`}
              description={`Succeeded / all attempts (failed and locked out included). Whole range: ${pct(a.total.successRate)} of ${int(a.total.succeeded + a.total.failed + a.total.locked)} attempts.`}
              labels={a.buckets.map((b) => label(b.start, a.interval))}
              series={[{ name: 'Success rate', values: a.buckets.map((b) => b.successRate) }]}
              max={1}
              format={(v) => `${Math.round(v * 100)}%`}
              table={{
                columns: [a.interval === 'week' ? 'Week of' : 'Day', 'Succeeded', 'Failed', 'Locked out', 'Success rate'],
                rows: a.buckets.map((b) => [label(b.start, a.interval), b.succeeded, b.failed, b.locked, pct(b.successRate)]),
              }}
              emptyText="No sign-in attempts in this range."
            />
            <p className="hint" data-testid="auth-total">
              Total: {int(a.total.succeeded)} succeeded, {int(a.total.failed)} failed, {int(a.total.locked)} locked out.
            </p>
          </>
        )}
      </Card>

      <Card result={s.geography} testid="insights-geography">
        {(g) => {
          const top = g.countries.slice(0, 10);
          return (
            <HBarChart
              id="countries"
              title="Top countries by users"
              description="Distinct users with sessions active in the range, by the session's country."
              rows={top.map((c) => ({ label: c.country ?? 'Unknown', value: c.users }))}
              table={{ columns: ['Country', 'Users', 'Sessions'], rows: g.countries.map((c) => [c.country ?? 'Unknown', c.users, c.sessions]) }}
              emptyText="No sessions in this range."
            />
          );
        }}
      </Card>

      <Card result={s.engagement} testid="insights-engagement">
        {(e) => (
          <>
            <BarChart
              id="engagement"
              title="Engagement distribution"
              description={`Users (${int(e.users)} active) by how many chat sessions, messages and tool runs each had.`}
              labels={e.distribution.messages.map(binLabel)}
              series={[
                { name: 'Chat sessions', values: e.distribution.chatSessions.map((b) => b.users) },
                { name: 'Messages', values: e.distribution.messages.map((b) => b.users) },
                { name: 'Tool runs', values: e.distribution.toolRuns.map((b) => b.users) },
              ]}
              table={{
                columns: ['Per user', 'Users by chat sessions', 'Users by messages', 'Users by tool runs'],
                rows: e.distribution.messages.map((b, i) => [
                  binLabel(b),
                  e.distribution.chatSessions[i]?.users ?? 0,
                  b.users,
                  e.distribution.toolRuns[i]?.users ?? 0,
                ]),
              }}
              emptyText="No chat or tool activity in this range."
            />
            {e.users === 0 ? null : (
              <div className="table-wrap">
                <table data-testid="engagement-summary">
                  <caption className="visually-hidden">Per-user mean and percentiles (nearest rank)</caption>
                  <thead>
                    <tr>
                      <th scope="col">Per active user</th>
                      <th scope="col">Mean</th>
                      <th scope="col">Median (p50)</th>
                      <th scope="col">p90</th>
                    </tr>
                  </thead>
                  <tbody>
                    {(
                      [
                        ['Chat sessions', e.chatSessionsPerUser],
                        ['Messages', e.messagesPerUser],
                        ['Tool runs', e.toolRunsPerUser],
                      ] as const
                    ).map(([name, m]) => (
                      <tr key={name}>
                        <th scope="row">{name}</th>
                        <td>{dec(m.mean, 2)}</td>
                        <td>{m.p50 ?? '—'}</td>
                        <td>{m.p90 ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </Card>

      <Card result={s.revenue} testid="insights-revenue">
        {(r) => {
          const currencies = [...new Set(r.buckets.flatMap((b) => b.currencies.map((c) => c.currency ?? '—')))].sort();
          return (
            <BarChart
              id="revenue"
              title="Revenue per month"
              description="Succeeded payments by the month they were paid, per currency."
              labels={r.buckets.map((b) => label(b.start, 'month'))}
              series={currencies.map((cur) => ({
                name: cur,
                values: r.buckets.map((b) => b.currencies.find((c) => (c.currency ?? '—') === cur)?.paid ?? 0),
              }))}
              integer={false}
              format={(v) => (v >= 1000 ? `${(v / 1000).toFixed(1)}k` : String(Math.round(v * 100) / 100))}
              table={{
                columns: ['Month', 'Currency', 'Paid', 'Payments', 'Failed', 'Pending', 'Invoices paid', 'Invoices pending', 'Invoices failed', 'Invoices void'],
                rows: r.buckets.flatMap((b) =>
                  b.currencies.map((c) => [
                    label(b.start, 'month'),
                    c.currency ?? '—',
                    money(c.paid),
                    c.payments,
                    money(c.failed),
                    money(c.pending),
                    c.invoices.paid ?? 0,
                    c.invoices.pending ?? 0,
                    c.invoices.failed ?? 0,
                    c.invoices.void ?? 0,
                  ]),
                ),
              }}
              emptyText="No payments in this range."
            />
          );
        }}
      </Card>

      <Card result={s.tools} testid="insights-tools">
        {(t) => (
          <HBarChart
            id="tools"
            title="Top tools by runs"
            description="Runs recorded in the range; success rate, average execution time and reviews in the table."
            rows={t.tools.filter((x) => x.runs > 0).slice(0, 10).map((x) => ({ label: x.tool ?? 'Unknown', value: x.runs }))}
            table={{
              columns: ['Tool', 'Runs', 'Success rate', 'Avg. time (ms)', 'Reviews', 'Avg. rating'],
              rows: t.tools.map((x) => [x.tool ?? 'Unknown', x.runs, pct(x.successRate), dec(x.avgExecutionTimeMs), x.reviews, dec(x.avgRating, 2)]),
            }}
            emptyText="No tool runs in this range."
          />
        )}
      </Card>
    </>
  );
}
