// The page of tests/pkg/vite/vite.test.mjs. `./readme-snippet.js` is pkg/README.md's
// "With Vite and other bundlers" block exactly as written, copied there by the
// test before `vite build`; its `check` awaits the one `init()` it starts. The
// page then validates a good document and two bad ones and leaves the answers
// in `window.results` for the test to read.
import { check } from './readme-snippet.js';
import { validateUser } from '@onelastai/models';

async function run() {
  const messages = await check({ id: 'user_1', email: 'not-an-email' }); // the snippet initialised the module
  const good = validateUser({ id: 'user_1', email: 'Ann@Example.COM' });
  const badEmail = validateUser({ id: 'user_1', email: 'not-an-email' });
  const longBio = validateUser({ id: 'user_1', email: 'ann@example.com', bio: 'x'.repeat(510) });
  return { messages, good, badEmail, longBio };
}

run().then(
  (results) => {
    window.results = results;
    document.getElementById('out').textContent = JSON.stringify(results, null, 2);
  },
  (error) => {
    window.results = { error: String(error?.stack ?? error) };
  },
);
