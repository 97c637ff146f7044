'use strict';

/**
 * Express + Mongoose reference server for the benchmark. It serves the
 * routes of onelastai-server that the benchmark exercises, for all 17
 * collections, with the same semantics, written the way an Express app over
 * the spec's Mongoose schemas (../../mongoose/schemas.js) would be:
 *
 *   POST /api/:route        new Model(body), validate(), save(): 201 + Location,
 *                           422 validation_failed, 409 duplicate_key
 *   GET  /api/:route/:id    findById() without the secret fields: 200, 400 invalid_id, 404
 *   GET  /api/:route?...    list: equality filters on schema paths (cast by
 *                           Mongoose, strictQuery 'throw'), sort=[-]<field> on
 *                           `_id` or the leading key of an index (ties broken by
 *                           `_id`), limit 1..100 (default 20), keyset pages:
 *                           {items, nextCursor}, the cursor holding the last
 *                           document's sort value and `_id`, as the Rust server's
 *
 * Hooks of the Rust server reproduced here, so both do the same work:
 *   users          `password` is checked in plaintext (the schema's pre('save')
 *                  length rule), then replaced by its argon2id hash with the argon2
 *                  crate's defaults, set explicitly: m=19456 KiB, t=2, p=1,
 *                  16-byte salt, 32-byte hash, PHC string (@node-rs/argon2, on
 *                  libuv's thread pool, off the event loop). An empty password is
 *                  not stored. Secret fields are never returned.
 *   subscriptions  an absent expiryDate is calculateExpiryDate(plan, startDate);
 *                  every subscription returned carries isValid().
 *
 * Logging: LOG_REQUESTS=1 (default) writes one line per request to stdout
 * (method, path, status, latency, request id), as onelastai-server does at
 * RUST_LOG=info; LOG_REQUESTS=0 writes none, as RUST_LOG=warn.
 *
 * Environment: MONGODB_URI, MONGODB_DB, API_TOKEN, PORT (127.0.0.1 only),
 * BODY_LIMIT (bytes, default 1048576), LOG_REQUESTS.
 */

const crypto = require('node:crypto');
const express = require('express');
const argon2 = require('@node-rs/argon2');
const { mongoose, models } = require('../../mongoose/schemas');

/** The argon2 crate's `Argon2::default()`, which onelastai-server hashes with. */
// Algorithm and Version are TypeScript const enums (no runtime object): 2 is
// Argon2id, 1 is version 0x13 (19), as the PHC string `$argon2id$v=19$` says.
const ARGON2 = {
  algorithm: 2,
  version: 1,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
};
const ARGON2_LABEL = `argon2id m=${ARGON2.memoryCost},t=${ARGON2.timeCost},p=${ARGON2.parallelism}`;

const SECRETS = {
  users: ['password', 'twoFactorSecret', 'tempTwoFactorSecret', 'backupCodes', 'tempBackupCodes', 'resetPasswordToken'],
};
const PLANS = new Set(['daily', 'weekly', 'monthly']);
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

function env(name, fallback) {
  const v = process.env[name] ?? fallback;
  if (v === undefined || v === '') {
    console.error(`bench-express: ${name} is not set`);
    process.exit(2);
  }
  return v;
}

/** An HTTP error with the Rust server's body shape. */
class ApiError extends Error {
  constructor(status, code, message, extra = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}
const invalidQuery = (message) => new ApiError(400, 'invalid_query', message);
const invalidCursor = () => invalidQuery('`cursor` is not a cursor this server returned');

/** What the handlers need to know about one collection. */
function describe(collection) {
  const Model = models[collection];
  const secrets = SECRETS[collection] ?? [];
  const schema = Model.schema;
  const sortable = ['_id'];
  for (const [keys] of schema.indexes()) {
    const first = Object.keys(keys)[0];
    const path = schema.path(first);
    const scalar = path && !['Array', 'Mixed', 'Map', 'Embedded', 'DocumentArray'].includes(path.instance);
    if (scalar && !secrets.includes(first.split('.')[0]) && !sortable.includes(first)) sortable.push(first);
  }
  return { collection, Model, schema, secrets, sortable, hidden: secrets.map((s) => `-${s}`).join(' ') };
}
const RESOURCES = new Map(Object.keys(models).map((c) => [c, describe(c)]));

/**
 * The collection a route names: the collection's name with a hyphen between
 * words (`chat-sessions` is chatsessions), as onelastai-server routes them.
 */
function resourceOf(req) {
  const route = req.params.route;
  const res = /^[a-z]+(-[a-z]+)*$/.test(route) ? RESOURCES.get(route.replace(/-/g, '')) : undefined;
  if (!res) throw new ApiError(404, 'not_found', `unknown collection ${JSON.stringify(route)}`);
  return { ...res, route };
}

/** A document as returned: secrets removed, computed fields added. */
function present(res, doc) {
  const out = doc.toJSON();
  for (const s of res.secrets) delete out[s];
  if (res.collection === 'subscriptions') out.isValid = doc.isValid();
  return out;
}

function valueAt(obj, dotted) {
  return dotted.split('.').reduce((v, k) => (v === null || v === undefined ? undefined : v[k]), obj);
}

async function create(req, res) {
  const r = resourceOf(req);
  const body = req.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError(400, 'not_an_object', 'the body must be a JSON object');
  }
  const doc = new r.Model(body);
  if (r.collection === 'subscriptions' && doc.expiryDate == null && PLANS.has(doc.plan)) {
    doc.expiryDate = r.Model.calculateExpiryDate(doc.plan, doc.startDate ?? Date.now());
  }
  await doc.validate();
  if (r.collection === 'users') {
    if (doc.password === '') doc.password = undefined;
    if (doc.password) {
      // The schema's pre('save') rule, on the plaintext (save() below sees the hash).
      if (doc.authMethod === 'password' && doc.password.length < 8) {
        throw new ApiError(422, 'validation_failed', 'Password must be at least 8 characters', {
          errors: [{ path: 'password', kind: 'user defined', message: 'Password must be at least 8 characters' }],
        });
      }
      doc.password = await argon2.hash(doc.password, ARGON2);
    }
  }
  await doc.save({ validateBeforeSave: false }); // validated above; pre('save') hooks still run
  res.status(201).location(`/api/${r.route}/${doc._id}`).json(present(r, doc));
}

async function read(req, res) {
  const r = resourceOf(req);
  if (!/^[0-9a-fA-F]{24}$/.test(req.params.id)) {
    throw new ApiError(400, 'invalid_id', `${JSON.stringify(req.params.id)} is not a document id (24 hexadecimal characters)`);
  }
  const doc = await r.Model.findById(req.params.id).select(r.hidden);
  if (!doc) throw new ApiError(404, 'not_found', `no document ${req.params.id} in ${r.route}`);
  res.json(present(r, doc));
}

/** The keyset condition after a cursor; MongoDB sorts a missing or null field first, ascending. */
function keyset(field, dir, v, id) {
  if (field === '_id') return { _id: { [dir === 1 ? '$gt' : '$lt']: id } };
  if (dir === 1) {
    return v === null
      ? { $or: [{ [field]: null, _id: { $gt: id } }, { [field]: { $ne: null } }] }
      : { $or: [{ [field]: { $gt: v } }, { [field]: v, _id: { $gt: id } }] };
  }
  return v === null
    ? { [field]: null, _id: { $lt: id } }
    : { $or: [{ [field]: { $lt: v } }, { [field]: v, _id: { $lt: id } }, { [field]: null }] };
}

async function list(req, res) {
  const r = resourceOf(req);
  const filter = {};
  let sort;
  let limit;
  let cursor;
  for (const [key, value] of Object.entries(req.query)) {
    if (typeof value !== 'string') throw invalidQuery(`\`${key}\` is given more than once`);
    if (key === 'sort') sort = value;
    else if (key === 'limit') limit = value;
    else if (key === 'cursor') cursor = value;
    else {
      const path = r.schema.path(key);
      if (r.secrets.includes(key.split('.')[0])) throw invalidQuery(`\`${key}\` cannot be used in a filter`);
      if (path && ['Mixed', 'Map'].includes(path.instance)) throw invalidQuery(`\`${key}\` cannot be filtered`);
      filter[key] = value;
    }
  }
  let n = DEFAULT_LIMIT;
  if (limit !== undefined) {
    n = /^[0-9]+$/.test(limit) ? Number(limit) : NaN;
    if (!(n >= 1 && n <= MAX_LIMIT)) throw invalidQuery(`\`limit\` must be an integer from 1 to ${MAX_LIMIT}, got ${JSON.stringify(limit)}`);
  }
  let field = '_id';
  let dir = 1;
  if (sort !== undefined) {
    dir = sort.startsWith('-') ? -1 : 1;
    field = sort.replace(/^[-+]/, '');
    if (!r.sortable.includes(field)) throw invalidQuery(`cannot sort on ${JSON.stringify(field)}; sortable fields: ${r.sortable.join(', ')}`);
  }
  let query = filter;
  if (cursor !== undefined) {
    let after;
    try {
      after = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw invalidCursor();
    }
    if (!after || after.k !== field || after.d !== dir) throw invalidQuery('`cursor` belongs to another sort order');
    if (typeof after.id !== 'string' || !/^[0-9a-fA-F]{24}$/.test(after.id)) throw invalidCursor();
    const after_ = keyset(field, dir, after.v ?? null, after.id);
    query = Object.keys(filter).length ? { $and: [filter, after_] } : after_;
  }
  const sortSpec = field === '_id' ? { _id: dir } : { [field]: dir, _id: dir };
  const docs = await r.Model.find(query, null, { strictQuery: 'throw' })
    .select(r.hidden)
    .sort(sortSpec)
    .limit(n + 1);
  const more = docs.length > n;
  const items = docs.slice(0, n).map((d) => present(r, d));
  let nextCursor = null;
  if (more) {
    const last = items[items.length - 1];
    const json = JSON.stringify({ k: field, d: dir, v: valueAt(last, field) ?? null, id: String(last._id) });
    nextCursor = Buffer.from(json, 'utf8').toString('base64url');
  }
  res.json({ items, nextCursor });
}

function errorBody(e) {
  if (e instanceof ApiError) return [e.status, { error: e.code, message: e.message, ...e.extra }];
  if (e instanceof mongoose.Error.ValidationError) {
    const errors = Object.values(e.errors).map((x) => ({ path: x.path, kind: x.kind, message: x.message }));
    return [422, { error: 'validation_failed', message: 'the document is not valid', errors }];
  }
  if (e instanceof mongoose.Error.CastError || e instanceof mongoose.Error.StrictModeError) {
    return [400, { error: 'invalid_query', message: e.message }];
  }
  if (e && e.code === 11000) return [409, { error: 'duplicate_key', message: 'a unique index already holds this value' }];
  if (e && e.type === 'entity.too.large') return [413, { error: 'payload_too_large', message: e.message }];
  if (e && e.type === 'entity.parse.failed') return [400, { error: 'malformed_json', message: e.message }];
  if (e && e.name === 'Error' && e.message) return [422, { error: 'validation_failed', message: e.message }]; // a schema hook's rule
  console.error('bench-express:', e);
  return [500, { error: 'internal', message: 'internal error' }];
}

async function main() {
  const token = env('API_TOKEN');
  const probe = await argon2.hash('probe password', ARGON2);
  const phc = `$argon2id$v=19$m=${ARGON2.memoryCost},t=${ARGON2.timeCost},p=${ARGON2.parallelism}$`;
  if (!probe.startsWith(phc)) throw new Error(`argon2 produced ${probe}, expected a hash starting ${phc}`);
  const logRequests = env('LOG_REQUESTS', '1') !== '0';
  const bodyLimit = Number(env('BODY_LIMIT', '1048576'));
  await mongoose.connect(env('MONGODB_URI'), { dbName: env('MONGODB_DB') });
  await Promise.all(Object.values(models).map((m) => m.init())); // every schema's indexes, as the Rust server creates them

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag'); // onelastai-server sends none
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    const id = req.get('x-request-id') || crypto.randomUUID();
    res.set('x-request-id', id);
    if (logRequests) {
      res.on('finish', () => {
        const us = Number(process.hrtime.bigint() - started) / 1000;
        process.stdout.write(
          `${new Date().toISOString()} INFO request{method=${req.method} path=${req.path} request_id=${id}}: finished processing request latency=${Math.round(us)} μs status=${res.statusCode}\n`,
        );
      });
    }
    next();
  });
  app.use(express.json({ limit: bodyLimit }));
  app.get('/health', (req, res) => res.json({ status: 'ok' }));
  app.use('/api', (req, res, next) => {
    if (req.get('authorization') !== `Bearer ${token}`) {
      return res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'unauthorized', message: 'a valid bearer token is required' });
    }
    return next();
  });
  // Express 5 passes a rejected promise of a handler to the error handler below.
  app.post('/api/:route', create);
  app.get('/api/:route', list);
  app.get('/api/:route/:id', read);
  app.use((req, res) => res.status(404).json({ error: 'not_found', message: 'no such route' }));
  // eslint-disable-next-line no-unused-vars
  app.use((e, req, res, next) => {
    const [status, body] = errorBody(e);
    res.status(status).json(body);
  });
  const port = Number(env('PORT'));
  app.listen(port, '127.0.0.1', () => console.log(`bench-express: listening on 127.0.0.1:${port}; passwords hashed with ${ARGON2_LABEL}; request log ${logRequests ? 'one line per request' : 'off'}`));
}

main().catch((e) => {
  console.error('bench-express:', e);
  process.exit(1);
});
