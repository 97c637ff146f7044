import { listDocuments } from '@/lib/server';

export const dynamic = 'force-dynamic';

type Doc = Record<string, unknown>;

const str = (v: unknown) => (v === null || v === undefined ? '—' : String(v));
const date = (v: unknown) => (typeof v === 'string' ? new Date(v).toUTCString().replace(' GMT', ' UTC') : '—');
const get = (d: Doc, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Doc)[k] : undefined), d);

function Section({ title, error, rows, head, testid }: { title: string; error?: string | undefined; rows: React.ReactNode[]; head: string[]; testid: string }) {
  return (
    <section className="card" data-testid={testid}>
      <h2>
        {title} <span className="pill">{rows.length}</span>
      </h2>
      {error ? <div className="banner error">Could not load: {error}</div> : null}
      {rows.length === 0 && !error ? (
        <p className="empty">Nothing stored yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              {head.map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>{rows}</tbody>
        </table>
      )}
    </section>
  );
}

export default async function BrowsePage() {
  const [users, subs, tools] = await Promise.all([listDocuments('users'), listDocuments('subscriptions'), listDocuments('tools')]);
  return (
    <>
      <h1>Browse</h1>
      <p className="lead">What the server has stored, read through its API.</p>
      <Section
        title="Users"
        testid="browse-users"
        error={users.error}
        head={['Email', 'Name', 'Sign-in', 'Joined']}
        rows={users.items.map((u) => (
          <tr key={str(u._id)}>
            <td>{str(u.email)}</td>
            <td>{str(u.name)}</td>
            <td>{str(u.authMethod)}</td>
            <td>{date(u.joinedAt)}</td>
          </tr>
        ))}
      />
      <Section
        title="Subscriptions"
        testid="browse-subscriptions"
        error={subs.error}
        head={['User', 'Agent', 'Plan', 'Ends', 'Status']}
        rows={subs.items.map((s) => (
          <tr key={str(s._id)}>
            <td>{str(s.userId)}</td>
            <td>{str(s.agentId)}</td>
            <td>{str(s.plan)}</td>
            <td>{date(s.expiryDate)}</td>
            <td>
              <span className={`pill${s.isValid ? ' ok' : ''}`}>{s.isValid ? 'active' : str(s.status)}</span>
            </td>
          </tr>
        ))}
      />
      <Section
        title="Tools"
        testid="browse-tools"
        error={tools.error}
        head={['Name', 'Slug', 'Category', 'Version', 'Inputs']}
        rows={tools.items.map((t) => (
          <tr key={str(t._id)}>
            <td>{str(get(t, 'metadata.name'))}</td>
            <td>{str(get(t, 'metadata.slug'))}</td>
            <td>{str(get(t, 'metadata.category'))}</td>
            <td>{str(get(t, 'metadata.currentVersion'))}</td>
            <td>{Array.isArray(get(t, 'config.inputs')) ? (get(t, 'config.inputs') as unknown[]).length : 0}</td>
          </tr>
        ))}
      />
    </>
  );
}
