// A new password for the signed-in person, given the current one (see the
// server's POST /api/auth/password). The server ends the person's other
// sessions; this one stays. A wrong current password is not the end of the
// session.
import { postForSession } from '@/lib/session-cookie';
import { forwardChecked } from '@/lib/two-factor-cookie';

export const POST = (request: Request) => postForSession(request, '/api/auth/password', ['current', 'new'], forwardChecked);
