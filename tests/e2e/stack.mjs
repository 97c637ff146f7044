// Starts the whole product for a test run: the local MongoDB-compatible
// database (tools/devdb), the Rust server (target/debug/onelastai-server) and
// the Next.js app (production build in www/), each on a free loopback port,
// and stops them all again. Nothing here is mocked. The service token stays
// on this side: it seeds the subscription plans (www/scripts/seed-plans.mjs)
// and lets the tests check what was stored; the web app never gets it.
// An administrator is made with the server's own `create-admin` command.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedPlans } from '../../www/scripts/seed-plans.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const log = (...a) => console.log('[stack]', ...a);

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(what, fn, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      if (await fn()) return;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not become ready in ${timeoutMs} ms${last ? `: ${last.message}` : ''}`);
}

function startProcess(name, cmd, args, opts) {
  const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const lines = [];
  const keep = (chunk) => {
    for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(line);
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.on('exit', (code, signal) => {
    if (!child.stopping) log(`${name} exited (${code ?? signal}); last output:\n  ${lines.slice(-20).join('\n  ')}`);
  });
  child.output = lines;
  return child;
}

function stopProcess(child) {
  if (!child || child.exitCode !== null) return Promise.resolve();
  child.stopping = true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      resolve();
    }, 10_000);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      resolve();
    }
  });
}

/**
 * Starts database, server and app. `distDir` picks the Next.js build
 * (`.next` for Turbopack, `.next-webpack` for the webpack build).
 */
export async function startStack({ distDir = '.next' } = {}) {
  const work = mkdtempSync(path.join(tmpdir(), 'onelastai-e2e-'));
  const [dbPort, apiPort, webPort] = [await freePort(), await freePort(), await freePort()];
  const dataDir = path.join(work, 'db');
  log(`database on ${dbPort}, server on ${apiPort}, app on ${webPort} (work dir ${work})`);
  execFileSync('bash', [path.join(ROOT, 'tools/devdb/start.sh'), '--port', String(dbPort), '--data-dir', dataDir], {
    stdio: 'inherit',
  });
  const token = `e2e-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const tokenFile = path.join(work, 'api-token');
  writeFileSync(tokenFile, token, { mode: 0o600 });
  const mongodbUri = `mongodb://127.0.0.1:${dbPort}/`;
  const database = `e2e_${Date.now()}`;

  const serverBin = path.join(ROOT, 'target/debug/onelastai-server');
  // Account security (issue 14): mail goes to an outbox in the work dir (read through the
  // server's development route GET /api/dev/outbox), links point at the app, and
  // two-factor secrets are sealed with a key made for this run.
  const outboxDir = path.join(work, 'outbox');
  const totpKey = `e2e:${randomBytes(32).toString('base64')}`;
  const serverEnv = {
    ...process.env,
    MONGODB_URI: mongodbUri,
    MONGODB_DB: database,
    API_TOKEN_FILE: tokenFile,
    LISTEN_ADDR: `127.0.0.1:${apiPort}`,
    RUST_LOG: 'warn',
    APP_ENV: 'development',
    APP_URL: `http://127.0.0.1:${webPort}`,
    MAIL_OUTBOX_DIR: outboxDir,
    TOTP_ENCRYPTION_KEY: totpKey,
  };
  for (const k of ['SMTP_URL', 'SMTP_HOST', 'TOTP_ENCRYPTION_OLD_KEYS']) delete serverEnv[k];
  delete serverEnv.API_TOKEN;
  const server = startProcess('server', serverBin, [], { env: serverEnv });
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  await waitFor('the Rust server', async () => (await fetch(`${apiUrl}/ready`)).ok);
  log((await seedPlans({ apiUrl, token })).join(', '));
  const admin = { email: `admin.${Date.now()}@example.com`, password: `admin-${Math.random().toString(36).slice(2)}-pass` };
  log(execFileSync(serverBin, ['create-admin', '--email', admin.email], { input: `${admin.password}\n`, env: serverEnv, encoding: 'utf8' }).trim());

  // The web app runs without the service token: everything it does is on a person's behalf.
  const webEnv = { ...process.env, NEXT_DIST_DIR: distDir, API_URL: apiUrl, NEXT_TELEMETRY_DISABLED: '1', PORT: String(webPort) };
  delete webEnv.API_TOKEN;
  delete webEnv.API_TOKEN_FILE;
  const web = startProcess('web', process.execPath, [path.join(ROOT, 'www/node_modules/next/dist/bin/next'), 'start', '-p', String(webPort), '-H', '127.0.0.1'], {
    cwd: path.join(ROOT, 'www'),
    env: webEnv,
  });
  const webUrl = `http://127.0.0.1:${webPort}`;
  await waitFor('the web app', async () => (await fetch(`${webUrl}/`)).ok);
  log('all up');

  /**
   * Calls the Rust server directly, with the service token (to check what was
   * stored) or with `init.session`, a person's session token.
   */
  const api = async (p, init = {}) => {
    const { session, ...rest } = init;
    const res = await fetch(`${apiUrl}${p}`, {
      ...rest,
      headers: { authorization: `Bearer ${session ?? token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  /**
   * Makes an account straight at the server, as a person would (no token):
   * the server's `{token, expiresAt, user}`; any answer but 201 throws.
   */
  const signUp = async (who) => {
    const res = await fetch(`${apiUrl}/api/auth/sign-up`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`sign-up of ${who.email}: ${res.status} ${text}`);
    return JSON.parse(text);
  };

  /**
   * Publishes a tool made from the first valid case of
   * tests/vectors/tools.json, as `tool_<name>_<time>` with the slug
   * `<name>-<time>`, with the service token: the stored document (any answer
   * but 201 throws).
   */
  const publishSampleTool = async (name) => {
    const vectors = JSON.parse(readFileSync(path.join(ROOT, 'tests/vectors/tools.json'), 'utf8'));
    const cases = Array.isArray(vectors) ? vectors : vectors.cases;
    const sample = structuredClone(cases.find((c) => c.valid).input);
    const stamp = Date.now();
    sample.id = `tool_${name}_${stamp}`;
    sample.metadata.slug = `${name}-${stamp}`;
    sample.published = true;
    const tool = await api('/api/tools', { method: 'POST', body: JSON.stringify(sample) });
    if (tool.status !== 201) throw new Error(`publishing ${sample.id}: ${tool.status} ${JSON.stringify(tool.body)}`);
    return tool.body;
  };

  return {
    webUrl,
    apiUrl,
    mongodbUri,
    database,
    admin,
    api,
    signUp,
    publishSampleTool,
    async stop() {
      await stopProcess(web);
      await stopProcess(server);
      try {
        execFileSync('bash', [path.join(ROOT, 'tools/devdb/stop.sh'), '--data-dir', dataDir], { stdio: 'inherit' });
      } catch (e) {
        log(`devdb stop: ${e.message}`);
      }
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** Launches Debian's Chromium headless with a throwaway profile. */
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  const home = mkdtempSync(path.join(tmpdir(), 'onelastai-chromium-'));
  for (const d of ['config', 'cache', 'tmp']) mkdirSync(path.join(home, d), { recursive: true });
  const context = await chromium.launchPersistentContext(path.join(home, 'profile'), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_CACHE_HOME: path.join(home, 'cache'), TMPDIR: path.join(home, 'tmp') },
    viewport: { width: 1200, height: 900 },
  });
  return {
    context,
    /** A new tab; with `E2E_DEBUG` set, its console, errors and API answers are logged. */
    async newPage() {
      const page = await context.newPage();
      if (process.env.E2E_DEBUG) {
        page.on('console', (m) => console.log('[page]', m.text()));
        page.on('pageerror', (e) => console.log('[page] error', e.message));
        page.on('response', (r) => r.url().includes('/api/') && console.log('[page]', r.status(), r.url()));
      }
      return page;
    },
    async close() {
      await context.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
