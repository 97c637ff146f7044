// New backup codes, on the signed-in person's behalf (see the server's
// POST /api/auth/2fa/backup-codes). A wrong code is not the end of the session.
import { postForSession } from '@/lib/session-cookie';
import { forwardChecked } from '@/lib/two-factor-cookie';

export const POST = (request: Request) => postForSession(request, '/api/auth/2fa/backup-codes', ['code'], forwardChecked);
