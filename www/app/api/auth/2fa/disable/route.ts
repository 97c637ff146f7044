// Two-factor disable, on the signed-in person's behalf (see the server's
// POST /api/auth/2fa/disable). A wrong password or code is not the end of the
// session.
import { postForSession } from '@/lib/session-cookie';
import { forwardChecked } from '@/lib/two-factor-cookie';

export const POST = (request: Request) => postForSession(request, '/api/auth/2fa/disable', ['password', 'code'], forwardChecked);
