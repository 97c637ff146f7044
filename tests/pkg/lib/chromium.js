// Headless Chromium for the package's browser checks, driven by
// playwright-core with the system's /usr/bin/chromium (CHROMIUM_PATH
// overrides): a fresh profile, and HOME, XDG dirs and TMPDIR under a temp
// dir, so nothing is written into the real home. Resolves to
// `{ context, close }`.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export async function launchChromium() {
  const temp = mkdtempSync(path.join(tmpdir(), 'onelastai-chromium-'));
  const dirs = Object.fromEntries(['home', 'config', 'cache', 'tmp'].map((d) => [d, path.join(temp, d)]));
  Object.values(dirs).forEach((d) => mkdirSync(d));
  try {
    const context = await chromium.launchPersistentContext(path.join(temp, 'profile'), {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
      env: { ...process.env, HOME: dirs.home, XDG_CONFIG_HOME: dirs.config, XDG_CACHE_HOME: dirs.cache, TMPDIR: dirs.tmp },
    });
    return {
      context,
      async close() {
        await context.close();
        rmSync(temp, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    throw e;
  }
}
