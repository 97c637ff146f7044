// The public marketplace: published tools and the plans on sale, read
// without any session (exactly what an anonymous visitor may read), so
// nothing about people but a tool's author name is ever on this page.
import { Table, get, str, type Column } from '@/components/Table';
import { listPlans } from '@/lib/plans';
import { listDocuments } from '@/lib/server';
import { requestClient } from '@/lib/session';

export const dynamic = 'force-dynamic';

const TOOL_COLUMNS: Column[] = [
  ['Name', (t) => str(get(t, 'metadata.name'))],
  ['Description', (t) => str(get(t, 'metadata.description'))],
  ['Category', (t) => str(get(t, 'metadata.category'))],
  ['Version', (t) => str(get(t, 'metadata.currentVersion'))],
  ['Author', (t) => str(get(t, 'metadata.author.name'))],
  ['Inputs', (t) => {
    const inputs = get(t, 'config.inputs');
    return Array.isArray(inputs) ? inputs.length : 0;
  }],
];

export default async function BrowsePage() {
  const client = await requestClient();
  // No session on either call: the marketplace is what anyone may read.
  const [{ plans, error: plansError }, tools] = await Promise.all([
    listPlans(client),
    listDocuments('tools', { client, query: { published: 'true' }, limit: 50 }),
  ]);
  return (
    <>
      <h1>Marketplace</h1>
      <p className="lead">Tools people have published, and the plans you can subscribe to an agent with.</p>
      <section className="card" data-testid="browse-plans">
        <h2>
          Plans <span className="pill">{plans.length}</span>
        </h2>
        {plansError ? <div className="banner error">Could not load: {plansError}</div> : null}
        {plans.length === 0 && !plansError ? <p className="empty">No plans are on sale yet.</p> : null}
        <div className="plans">
          {plans.map((p) => (
            <div className="plan" key={p.period} data-plan={p.period}>
              <h3>{p.name}</h3>
              <div className="price">{p.priceFormatted}</div>
              <div className="hint">{p.description}</div>
              {p.features.length ? (
                <ul>
                  {p.features.map((f) => (
                    <li key={f}>{f}</li>
                  ))}
                </ul>
              ) : null}
            </div>
          ))}
        </div>
      </section>
      <Table title="Tools" testid="browse-tools" result={tools} columns={TOOL_COLUMNS} empty="No tools are published yet." />
    </>
  );
}
