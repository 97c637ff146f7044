'use strict';

/**
 * Express + Mongoose reference server for the benchmark: the same two routes
 * as onelastai-server (POST /api/users, GET /api/users/:id), written the way
 * an Express app with the spec's Mongoose schemas would be: express.json(),
 * bearer token check, `new User(body).save()`, `User.findById()`, secrets
 * removed from the JSON. No request logging.
 *
 * Environment: MONGODB_URI, MONGODB_DB, API_TOKEN, PORT (127.0.0.1 only).
 */

const express = require('express');
const { mongoose, models } = require('../../mongoose/schemas');

const User = models.users;
const SECRETS = ['password', 'twoFactorSecret', 'tempTwoFactorSecret', 'backupCodes', 'tempBackupCodes', 'resetPasswordToken'];
const HIDDEN = SECRETS.map((s) => `-${s}`).join(' ');

function env(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`bench-express: ${name} is not set`);
    process.exit(2);
  }
  return v;
}

function publicJson(doc) {
  const out = doc.toJSON();
  for (const s of SECRETS) delete out[s];
  return out;
}

async function main() {
  const token = env('API_TOKEN');
  await mongoose.connect(env('MONGODB_URI'), { dbName: env('MONGODB_DB') });
  await User.init(); // the schema's indexes

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));
  app.get('/health', (req, res) => res.json({ status: 'ok' }));
  app.use('/api', (req, res, next) => {
    if (req.get('authorization') !== `Bearer ${token}`) return res.status(401).json({ error: 'unauthorized' });
    return next();
  });
  app.post('/api/users', async (req, res) => {
    try {
      const doc = await new User(req.body).save();
      res.status(201).json(publicJson(doc));
    } catch (e) {
      if (e.name === 'ValidationError') return res.status(422).json({ error: 'validation_failed', errors: e.errors });
      if (e.code === 11000) return res.status(409).json({ error: 'duplicate_key' });
      return res.status(500).json({ error: 'internal' });
    }
  });
  app.get('/api/users/:id', async (req, res) => {
    try {
      if (!mongoose.isValidObjectId(req.params.id)) return res.status(400).json({ error: 'invalid_id' });
      const doc = await User.findById(req.params.id).select(HIDDEN);
      if (!doc) return res.status(404).json({ error: 'not_found' });
      return res.json(publicJson(doc));
    } catch (e) {
      return res.status(500).json({ error: 'internal' });
    }
  });
  const port = Number(env('PORT'));
  app.listen(port, '127.0.0.1', () => console.log(`bench-express: listening on 127.0.0.1:${port}`));
}

main().catch((e) => {
  console.error('bench-express:', e);
  process.exit(1);
});
