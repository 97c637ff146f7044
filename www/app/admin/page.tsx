// Administration: every user, for an administrator (role `admin`), read with
// the administrator's own session; anyone else is told the page is not theirs.
import Link from 'next/link';
import { AdminOnly } from '@/components/AdminOnly';
import { Table, date, str, type Column } from '@/components/Table';
import { listDocuments } from '@/lib/server';
import { requestClient, requireSession } from '@/lib/session';

export const dynamic = 'force-dynamic';

const USER_COLUMNS: Column[] = [
  ['Email', (u) => str(u.email)],
  ['Name', (u) => str(u.name)],
  ['Role', (u) => str(u.role)],
  ['Active', (u) => (u.isActive === false ? 'no' : 'yes')],
  ['Joined', (u) => date(u.joinedAt ?? u.createdAt)],
  ['Last sign-in', (u) => date(u.lastLoginAt)],
];

export default async function AdminPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token, user } = await requireSession('/admin');
  if (user.role !== 'admin') return <AdminOnly title="Administration" testid="admin-forbidden" />;
  const { cursor } = await searchParams;
  const users = await listDocuments('users', {
    session: token,
    client: await requestClient(),
    query: typeof cursor === 'string' ? { cursor } : {},
    limit: 100,
  });
  return (
    <>
      <h1>Administration</h1>
      <p className="lead">
        Every account, newest first. <Link href="/admin/insights" data-testid="insights-link">Insights: activity, sign-ins, revenue and tools</Link>
      </p>
      <Table title="Users" testid="admin-users" result={users} columns={USER_COLUMNS} empty="No users yet.">
        {users.nextCursor ? (
          <p className="hint">
            <Link href={`/admin?cursor=${encodeURIComponent(users.nextCursor)}`}>Next page</Link>
          </p>
        ) : null}
      </Table>
    </>
  );
}
