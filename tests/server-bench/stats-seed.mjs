// Seeds the statistics benchmark's documents straight into the database
// (insertMany in batches: the API would take minutes for 100k documents and
// the point here is the endpoints' cost, not the writes'). Shapes follow the
// models crate's collections, with the fields the statistics read; dates are
// spread over the last 90 days.
//
//   node stats-seed.mjs <mongodb-uri> <database> <count> <offset>
//
// Adds `count` documents split over the collections in fixed shares; `offset`
// keeps ids unique when called again to grow the data set.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../e2e/package.json'));
const { MongoClient, ObjectId } = require('mongodb');

const [uri, dbName, countArg, offsetArg] = process.argv.slice(2);
const count = Number(countArg);
const offset = Number(offsetArg ?? 0);
if (!uri || !dbName || !(count > 0)) {
  console.error('usage: node stats-seed.mjs <mongodb-uri> <database> <count> [offset]');
  process.exit(2);
}

const DAY = 86_400_000;
const now = Date.now();
let seed = 1 + offset;
const rnd = (n) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};
const when = () => new Date(now - rnd(90 * DAY));

// Shares of the data set (they sum to 100).
const SHARES = { users: 5, usersessions: 20, chatsessions: 10, chatmessages: 30, chatanalytics: 10, toolusageanalytics: 15, toolreviews: 2, payments: 3, invoices: 3, analyticsevents: 2 };
const COUNTRIES = ['US', 'DE', 'FR', 'GB', 'IN', 'BR', 'JP', 'CA', 'ES', 'IT', null];
const AGENTS = ['einstein', 'chef', 'tutor', 'coach', 'poet', 'doctor', 'lawyer', 'banker'];
const TOOLS = ['api-tester', 'json-formatter', 'dns-lookup', 'ssl-checker', 'regex-tester', 'hash-generator'];
const EVENTS = ['sign_in_succeeded', 'sign_in_succeeded', 'sign_in_succeeded', 'sign_in_failed', 'sign_in_locked'];

const client = new MongoClient(uri);
await client.connect();
const db = client.db(dbName);
// Users of earlier calls too: sessions and chats refer to the first 5% of every batch.
const userCount = Math.max(1, Math.round((count * SHARES.users) / 100));
const users = Array.from({ length: userCount }, (_, i) => ({ _id: new ObjectId(), id: `user_bench${offset + i}` }));

function make(coll, i) {
  const u = users[rnd(users.length)];
  const t = when();
  switch (coll) {
    case 'users': {
      const me = users[i];
      return { _id: me._id, id: me.id, email: `${me.id}@example.com`, role: 'user', isActive: true, createdAt: t, updatedAt: t, ...(rnd(2) ? { lastLoginAt: when() } : {}) };
    }
    case 'usersessions': {
      const c = COUNTRIES[rnd(COUNTRIES.length)];
      return { userId: u._id, sessionId: `bench-${offset}-${i}`, isActive: true, expiresAt: new Date(now + 30 * DAY), lastActivityAt: when(), createdAt: t, updatedAt: t, ...(c ? { location: { country: c } } : {}) };
    }
    case 'chatsessions':
      return { id: `session_bench${offset}_${i}`, userId: u.id, agentId: AGENTS[rnd(AGENTS.length)], name: 'Chat', messages: [], createdAt: t, updatedAt: t };
    case 'chatmessages':
      return { sessionId: `session_bench${offset}_${rnd(1000)}`, messageId: `msg_bench${offset}_${i}`, userId: u.id, agentId: AGENTS[rnd(AGENTS.length)], role: rnd(2) ? 'user' : 'assistant', content: 'hello', createdAt: t, updatedAt: t };
    case 'chatanalytics':
      return { userId: u.id, agentId: AGENTS[rnd(AGENTS.length)], agentName: 'Agent', userMessage: 'q', aiResponse: 'a', responseTime: 100 + rnd(2000), model: 'claude', personalityScore: rnd(101), feedback: { satisfied: rnd(3) > 0 }, createdAt: t, updatedAt: t };
    case 'toolusageanalytics':
      return { userId: u.id, toolName: TOOLS[rnd(TOOLS.length)], toolCategory: 'developer', action: 'run', success: rnd(5) > 0, executionTime: 5 + rnd(800), createdAt: t, updatedAt: t };
    case 'toolreviews':
      return { toolId: TOOLS[rnd(TOOLS.length)], userId: u.id, rating: 1 + rnd(5), title: 'Review', content: 'ok', createdAt: t, updatedAt: t };
    case 'payments':
      return { userId: u._id, email: 'b@example.com', stripeSubscriptionId: `sub_${i}`, agentId: 'einstein', agentName: 'Einstein', plan: 'monthly', amount: 9.99 + rnd(50), currency: rnd(4) ? 'USD' : 'EUR', status: ['succeeded', 'succeeded', 'failed', 'pending'][rnd(4)], paidAt: t, createdAt: t, updatedAt: t };
    case 'invoices':
      return { userId: u._id, email: 'b@example.com', stripeSubscriptionId: `sub_${i}`, agentId: 'einstein', agentName: 'Einstein', plan: 'monthly', amount: 9.99 + rnd(50), currency: rnd(4) ? 'USD' : 'EUR', status: ['paid', 'pending', 'failed', 'void'][rnd(4)], createdAt: t, updatedAt: t };
    case 'analyticsevents':
      return { visitorId: `ip:10.0.${rnd(255)}.${rnd(255)}`, sessionId: 'auth', eventType: 'auth', eventName: EVENTS[rnd(EVENTS.length)], timestamp: t };
    default:
      throw new Error(coll);
  }
}

let total = 0;
for (const [coll, share] of Object.entries(SHARES)) {
  const n = coll === 'users' ? userCount : Math.round((count * share) / 100);
  for (let start = 0; start < n; start += 1000) {
    const batch = [];
    for (let i = start; i < Math.min(n, start + 1000); i++) batch.push(make(coll, i));
    await db.collection(coll).insertMany(batch, { ordered: false });
  }
  total += n;
}
await client.close();
console.log(`seeded ${total} documents (offset ${offset})`);
