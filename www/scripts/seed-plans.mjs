// Adds the subscription plans the Subscribe page sells (daily, weekly,
// monthly) to the server, with the service token: admin tooling, run by
// tools/run.sh and the end-to-end tests, never by the web app itself. A plan
// that already exists (same `id`) is left as it is.
//
//   API_URL=http://127.0.0.1:8080 API_TOKEN_FILE=target/dev/api-token node www/scripts/seed-plans.mjs
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The plans; `period` is the subscription's `plan`, which the server prices by. */
export const PLANS = [
  {
    id: 'daily',
    name: 'Daily',
    displayName: 'Day pass',
    price: 1.99,
    period: 'daily',
    description: 'One agent for a day',
    priceFormatted: '$1.99',
    features: ['Unlimited chats for 24 hours'],
  },
  {
    id: 'weekly',
    name: 'Weekly',
    displayName: 'Weekly plan',
    price: 9.99,
    period: 'weekly',
    description: 'A week of focused work',
    priceFormatted: '$9.99',
    features: ['Unlimited chats for 7 days', 'Chat history'],
  },
  {
    id: 'monthly',
    name: 'Monthly',
    displayName: 'Monthly plan',
    price: 19.99,
    period: 'monthly',
    description: 'Best value for ongoing work',
    priceFormatted: '$19.99',
    features: ['Unlimited chats', 'Chat history', 'Priority support'],
  },
];

/** Creates the plans that are missing; returns one line per plan. */
export async function seedPlans({ apiUrl, token }) {
  const lines = [];
  for (const plan of PLANS) {
    const res = await fetch(`${apiUrl.replace(/\/$/, '')}/api/subscription-plans`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(plan),
    });
    if (res.status === 201) lines.push(`plan ${plan.id}: created`);
    else if (res.status === 409) lines.push(`plan ${plan.id}: already there`);
    else throw new Error(`plan ${plan.id}: the server answered ${res.status} ${await res.text()}`);
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const token = process.env.API_TOKEN || (process.env.API_TOKEN_FILE && readFileSync(process.env.API_TOKEN_FILE, 'utf8').trim());
  if (!token) {
    console.error('seed-plans: set API_TOKEN or API_TOKEN_FILE (the server\'s service token)');
    process.exit(2);
  }
  try {
    for (const line of await seedPlans({ apiUrl: process.env.API_URL ?? 'http://127.0.0.1:8080', token })) console.log(line);
  } catch (e) {
    console.error(`seed-plans: ${e.message}`);
    process.exit(1);
  }
}
