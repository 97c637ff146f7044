// Two-factor setup, on the signed-in person's behalf (see the server's
// POST /api/auth/2fa/setup); the form sends nothing the server reads.
import { postForSession } from '@/lib/session-cookie';

export const POST = (request: Request) => postForSession(request, '/api/auth/2fa/setup', []);
