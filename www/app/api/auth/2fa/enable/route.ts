// Two-factor enable, on the signed-in person's behalf (see the server's
// POST /api/auth/2fa/enable).
import { postForSession } from '@/lib/session-cookie';

export const POST = (request: Request) => postForSession(request, '/api/auth/2fa/enable', ['code']);
