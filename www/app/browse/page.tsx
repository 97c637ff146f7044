import type { ReactNode } from 'react';
import { formatUtc } from '@/lib/format';
import { listDocuments } from '@/lib/server';

export const dynamic = 'force-dynamic';

type Doc = Record<string, unknown>;

const str = (v: unknown) => (v === null || v === undefined ? '—' : String(v));
const date = (v: unknown) => (typeof v === 'string' ? formatUtc(new Date(v)) : '—');
const get = (d: Doc, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Doc)[k] : undefined), d);

/** A table column: its heading and what a document shows in it. */
type Column = [head: string, cell: (d: Doc) => ReactNode];

function Section({ title, testid, result, columns }: { title: string; testid: string; result: Awaited<ReturnType<typeof listDocuments>>; columns: Column[] }) {
  const { items, error } = result;
  return (
    <section className="card" data-testid={testid}>
      <h2>
        {title} <span className="pill">{items.length}</span>
      </h2>
      {error ? <div className="banner error">Could not load: {error}</div> : null}
      {items.length === 0 && !error ? (
        <p className="empty">Nothing stored yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              {columns.map(([head]) => (
                <th key={head}>{head}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={str(d._id)}>
                {columns.map(([head, cell]) => (
                  <td key={head}>{cell(d)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const USER_COLUMNS: Column[] = [
  ['Email', (u) => str(u.email)],
  ['Name', (u) => str(u.name)],
  ['Sign-in', (u) => str(u.authMethod)],
  ['Joined', (u) => date(u.joinedAt)],
];

const SUBSCRIPTION_COLUMNS: Column[] = [
  ['User', (s) => str(s.userId)],
  ['Agent', (s) => str(s.agentId)],
  ['Plan', (s) => str(s.plan)],
  ['Ends', (s) => date(s.expiryDate)],
  ['Status', (s) => <span className={`pill${s.isValid ? ' ok' : ''}`}>{s.isValid ? 'active' : str(s.status)}</span>],
];

const TOOL_COLUMNS: Column[] = [
  ['Name', (t) => str(get(t, 'metadata.name'))],
  ['Slug', (t) => str(get(t, 'metadata.slug'))],
  ['Category', (t) => str(get(t, 'metadata.category'))],
  ['Version', (t) => str(get(t, 'metadata.currentVersion'))],
  ['Inputs', (t) => {
    const inputs = get(t, 'config.inputs');
    return Array.isArray(inputs) ? inputs.length : 0;
  }],
];

export default async function BrowsePage() {
  const [users, subs, tools] = await Promise.all([listDocuments('users'), listDocuments('subscriptions'), listDocuments('tools')]);
  return (
    <>
      <h1>Browse</h1>
      <p className="lead">What the server has stored, read through its API.</p>
      <Section title="Users" testid="browse-users" result={users} columns={USER_COLUMNS} />
      <Section title="Subscriptions" testid="browse-subscriptions" result={subs} columns={SUBSCRIPTION_COLUMNS} />
      <Section title="Tools" testid="browse-tools" result={tools} columns={TOOL_COLUMNS} />
    </>
  );
}
