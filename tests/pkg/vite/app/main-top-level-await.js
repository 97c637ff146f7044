// The control of tests/pkg/vite/vite.test.mjs: the initialisation pkg/README.md
// warns against, a top-level `await init()`. `vite build` at Vite's default
// target must refuse it, or the test of main.js proves nothing.
import { init, validateUser } from '@onelastai/models';

await init();
window.results = { good: validateUser({ id: 'user_1', email: 'ann@example.com' }) };
