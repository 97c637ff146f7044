// Your account: your profile (editable), your subscriptions and your tools,
// each read with your session (the server returns only what is yours).
import Link from 'next/link';
import { Table, date, get, str, type Column } from '@/components/Table';
import { PROFILE_FIELDS, type ProfileField } from '@/lib/profile';
import { listDocuments } from '@/lib/server';
import { requestClient, requireSession } from '@/lib/session';
import { ProfileForm } from './ProfileForm';

export const dynamic = 'force-dynamic';

const SUBSCRIPTION_COLUMNS: Column[] = [
  ['Agent', (s) => str(s.agentId)],
  ['Plan', (s) => str(s.plan)],
  ['Price', (s) => (typeof s.price === 'number' ? `$${s.price.toFixed(2)}` : '—')],
  ['Started', (s) => date(s.startDate)],
  ['Ends', (s) => date(s.expiryDate)],
  ['Status', (s) => <span className={`pill${s.isValid ? ' ok' : ''}`}>{s.isValid ? 'active' : str(s.status)}</span>],
];

const TOOL_COLUMNS: Column[] = [
  ['Name', (t) => str(get(t, 'metadata.name'))],
  ['Slug', (t) => str(get(t, 'metadata.slug'))],
  ['Version', (t) => str(get(t, 'metadata.currentVersion'))],
  ['Listed', (t) => (t.published ? 'yes' : 'no')],
  ['Published', (t) => date(t.createdAt)],
];

export default async function AccountPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token, user } = await requireSession('/account');
  const client = await requestClient();
  const [subscriptions, tools] = await Promise.all([
    // The server narrows both lists to what this session owns; tools also
    // include everyone's published ones, hence the author filter.
    listDocuments('subscriptions', { session: token, client, limit: 100 }),
    listDocuments('tools', { session: token, client, query: { 'metadata.author.id': user.id }, limit: 100 }),
  ]);
  const welcome = (await searchParams).welcome !== undefined;
  const name = typeof user.name === 'string' && user.name ? user.name : null;
  const profile = Object.fromEntries(PROFILE_FIELDS.map((k) => [k, typeof user[k] === 'string' ? (user[k] as string) : ''])) as Record<ProfileField, string>;
  return (
    <>
      <h1>Your account</h1>
      {welcome ? (
        <div className="banner ok" role="status" data-testid="banner">
          Welcome{name ? `, ${name}` : ''}! Your account {user.email} is ready and you are signed in.
        </div>
      ) : null}
      <section className="card" data-testid="account-profile">
        <h2>Profile</h2>
        <dl className="profile">
          <dt>Email</dt>
          <dd data-testid="account-email">{user.email}</dd>
          <dt>Role</dt>
          <dd>{str(user.role)}</dd>
          <dt>Member since</dt>
          <dd>{date(user.joinedAt ?? user.createdAt)}</dd>
          <dt>Last sign-in</dt>
          <dd>{date(user.lastLoginAt)}</dd>
        </dl>
        <p className="hint">
          <Link href="/account/security" data-testid="account-security-link">
            Security: two-factor sign-in, sign out everywhere
          </Link>
        </p>
        <ProfileForm user={{ id: user.id, email: user.email }} initial={profile} version={user.__v} />
      </section>
      <Table title="Your subscriptions" testid="account-subscriptions" result={subscriptions} columns={SUBSCRIPTION_COLUMNS} empty="No subscriptions yet.">
        <p className="hint">
          <Link href="/subscribe">Subscribe to an agent</Link>
        </p>
      </Table>
      <Table title="Your tools" testid="account-tools" result={tools} columns={TOOL_COLUMNS} empty="You have not published a tool yet.">
        <p className="hint">
          <Link href="/tools/new">Publish a tool</Link>
        </p>
      </Table>
    </>
  );
}
