// Subscribe: for the signed-in person only. The form sends the agent and the
// plan; the server sets the subscriber, the price (from the plan), the start
// and the expiry.
import { postForSession } from '@/lib/session-cookie';

export const POST = (request: Request) => postForSession(request, '/api/subscriptions', ['agentId', 'plan']);
