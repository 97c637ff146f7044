import { requireSession } from '@/lib/session';
import { ToolForm } from './ToolForm';

export const dynamic = 'force-dynamic';

export default async function PublishToolPage() {
  const { user } = await requireSession('/tools/new');
  const name = typeof user.name === 'string' ? user.name.trim() : '';
  return (
    <>
      <h1>Publish a tool</h1>
      <p className="lead">List your tool in the marketplace. Every row is checked as you edit it.</p>
      <ToolForm author={{ id: user.id, name }} />
    </>
  );
}
