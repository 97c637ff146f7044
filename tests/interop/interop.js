'use strict';
process.env.TZ = 'UTC';

/**
 * Mongoose <-> onelastai-server interop, against a running server and its database.
 *
 *   1. Server writes, Mongoose reads: every valid vector case is POSTed to the server,
 *      which answers with exactly what it stored. The same input is saved by Mongoose
 *      into a second database; Mongoose reads both back (findById, validateSync,
 *      toObject) and sees the same document, and the raw BSON of both is the same,
 *      types included (Int32 vs Double, Date, ObjectId, subdocument _ids, __v), up to
 *      generated ids, clock values and the password hash. One deliberate difference:
 *      an empty password is not stored by the server.
 *   2. Mongoose writes, server reads: the spec example of each collection is created
 *      with Mongoose in the server's database; the server returns it as Mongoose's
 *      JSON, lists it, and PATCHes it with the __v Mongoose wrote; Mongoose reads the
 *      patched document back and it still validates.
 *
 * Environment: SERVER_URL, API_TOKEN, MONGODB_URI, SERVER_DB, MONGOOSE_DB,
 * ROUTES (JSON: collection name -> route). Exit 1 on any difference.
 */

const fs = require('fs');
const path = require('path');
const { mongoose, models } = require('../mongoose/schemas');

const { EJSON } = mongoose.mongo.BSON;

function env(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`interop: ${name} is not set`);
    process.exit(2);
  }
  return v;
}

const SERVER_URL = env('SERVER_URL');
const API_TOKEN = env('API_TOKEN');
const MONGODB_URI = env('MONGODB_URI');
const SERVER_DB = env('SERVER_DB');
const MONGOOSE_DB = env('MONGOOSE_DB');
const ROUTES = JSON.parse(env('ROUTES'));
const VECTORS = path.join(__dirname, '..', 'vectors');
const SECRETS = ['password', 'twoFactorSecret', 'tempTwoFactorSecret', 'backupCodes', 'tempBackupCodes', 'resetPasswordToken'];

const diffs = [];
const counts = { serverWrites: 0, refusedByServer: 0, deviating: 0, rawCompared: 0, mongooseWrites: 0 };

async function api(method, url, body) {
  const r = await fetch(SERVER_URL + url, {
    method,
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  for (const s of SECRETS) {
    if (text.includes(`"${s}":`)) diffs.push(`${method} ${url}: secret field ${s} in the response`);
  }
  return { status: r.status, json: text ? JSON.parse(text) : null, text };
}

/** Keys sorted recursively, so key order (not meaningful) does not count. */
function sorted(v) {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object') {
    const out = {};
    for (const k of Object.keys(v).sort()) out[k] = sorted(v[k]);
    return out;
  }
  return v;
}

function same(a, b) {
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

/** JSON of a Mongoose document, as the server returns it. */
function mongooseJson(doc, collection) {
  const out = JSON.parse(JSON.stringify(doc.toObject({ flattenMaps: true })));
  if (collection === 'users') for (const s of SECRETS) delete out[s];
  return out;
}

function withoutComputed(json) {
  const out = { ...json };
  delete out.isValid;
  return out;
}

/**
 * Canonical extended JSON with the values that legitimately differ between two
 * writers replaced: generated ObjectIds under `_id`, dates within the run's clock
 * window, and the password (a hash on the server side).
 */
function canonical(doc, window, input) {
  const ejson = EJSON.serialize(doc, { relaxed: false });
  const walk = (v, key) => {
    if (Array.isArray(v)) return v.map((x) => walk(x, null));
    if (v && typeof v === 'object') {
      if (key === '_id' && v.$oid) return '<generated or given ObjectId>';
      if (v.$date && v.$date.$numberLong) {
        const ms = Number(v.$date.$numberLong);
        if (ms >= window[0] && ms <= window[1]) return '<date now>';
      }
      const out = {};
      for (const k of Object.keys(v)) out[k] = walk(v[k], k);
      return out;
    }
    return v;
  };
  const out = walk(ejson, null);
  // Deliberate difference: the server stores no password for "" (a hash of ""
  // would let an empty password log in); Mongoose stores "".
  if (input && input.password === '' && out.password === '') delete out.password;
  if (out.password !== undefined) out.password = '<password>';
  return sorted(out);
}

/** A Mongoose JSON view with generated ids and clock values replaced. */
function normalized(json, window) {
  const walk = (v, key) => {
    if (Array.isArray(v)) return v.map((x) => walk(x, null));
    if (v && typeof v === 'object') {
      const out = {};
      for (const k of Object.keys(v)) out[k] = walk(v[k], k);
      return out;
    }
    if (key === '_id' && typeof v === 'string') return '<id>';
    if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(v)) {
      const ms = Date.parse(v);
      if (ms >= window[0] && ms <= window[1]) return '<date now>';
    }
    return v;
  };
  return sorted(walk(json, null));
}

function firstDifference(a, b, at = '') {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[k], b[k], `${at}.${k}`);
      if (d) return d;
    }
  }
  return `${at || '.'}: server ${JSON.stringify(a)} vs mongoose ${JSON.stringify(b)}`;
}

async function serverWritesMongooseReads(serverConn, mongooseConn) {
  for (const [collection, route] of Object.entries(ROUTES)) {
    const Model = models[collection];
    const OnServerDb = serverConn.model(Model.modelName, Model.schema, collection);
    const OnMongooseDb = mongooseConn.model(Model.modelName, Model.schema, collection);
    const file = JSON.parse(fs.readFileSync(path.join(VECTORS, `${collection}.json`), 'utf8'));
    for (const c of file.cases.filter((x) => x.valid)) {
      const tag = `${collection} / ${c.name}`;
      // Mongoose itself builds another document from this input (COMPATIBILITY.md,
      // `dotted-key-overlap`): there is no common document to compare.
      if ((c.deviations || []).includes('dotted-key-overlap')) {
        counts.deviating += 1;
        continue;
      }
      const t0 = Date.now();
      const r = await api('POST', `/api/${route}`, c.input);
      if (r.status === 400 && r.json && ['forbidden_key', 'nested_array', 'too_deep'].includes(r.json.error)) {
        counts.refusedByServer += 1;
        continue;
      }
      if (r.status !== 201) {
        diffs.push(`${tag}: server answered ${r.status}: ${r.text}`);
        continue;
      }
      counts.serverWrites += 1;
      const id = r.json._id;

      // The server answered with what it stored.
      const stored = await serverConn.db.collection(collection).findOne({ _id: new mongoose.Types.ObjectId(id) });
      if (!stored) {
        diffs.push(`${tag}: not in the database`);
        continue;
      }
      const storedJson = JSON.parse(JSON.stringify(stored));
      if (collection === 'users') for (const s of SECRETS) delete storedJson[s];
      if (!same(storedJson, withoutComputed(r.json))) {
        diffs.push(`${tag}: stored ${JSON.stringify(sorted(storedJson))}\n    answered ${JSON.stringify(sorted(withoutComputed(r.json)))}`);
      }

      // The same input written by Mongoose itself, into the other database.
      const saved = await new OnMongooseDb(structuredClone(c.input)).save();
      const t1 = Date.now();

      // Mongoose reads the server's document exactly as it reads its own.
      const readServer = await OnServerDb.findById(id);
      const readOwn = await OnMongooseDb.findById(saved._id);
      if (!readServer) {
        diffs.push(`${tag}: Mongoose does not find ${id}`);
        continue;
      }
      const errServer = readServer.validateSync();
      const errOwn = readOwn.validateSync();
      if (String(errServer) !== String(errOwn)) {
        diffs.push(`${tag}: Mongoose validates the server's document as ${errServer}, its own as ${errOwn}`);
      }
      const viewServer = normalized(mongooseJson(readServer, collection), [t0, t1]);
      const viewOwn = normalized(mongooseJson(readOwn, collection), [t0, t1]);
      const dv = firstDifference(viewServer, viewOwn);
      if (dv) diffs.push(`${tag}: Mongoose's view of the server's document differs from its own at ${dv}`);
      if (collection === 'subscriptions' && readServer.isValid() !== r.json.isValid) {
        diffs.push(`${tag}: isValid ${r.json.isValid}, Mongoose's isValid() ${readServer.isValid()}`);
      }

      // And the raw BSON is the same, types included.
      const rawOpts = { promoteValues: false, promoteLongs: false };
      const fromServer = await serverConn.db.collection(collection).findOne({ _id: new mongoose.Types.ObjectId(id) }, rawOpts);
      const fromMongoose = await mongooseConn.db.collection(collection).findOne({ _id: saved._id }, rawOpts);
      const a = canonical(fromServer, [t0, t1], c.input);
      const b = canonical(fromMongoose, [t0, t1], c.input);
      const d = firstDifference(a, b);
      if (d) diffs.push(`${tag}: raw BSON differs at ${d}`);
      counts.rawCompared += 1;

      const del = await api('DELETE', `/api/${route}/${id}`);
      if (del.status !== 204) diffs.push(`${tag}: delete ${del.status}`);
      await mongooseConn.db.collection(collection).deleteOne({ _id: saved._id });
    }
  }
}

async function mongooseWritesServerReads(serverConn) {
  for (const [collection, route] of Object.entries(ROUTES)) {
    const Model = models[collection];
    const OnServerDb = serverConn.model(Model.modelName, Model.schema, collection);
    const file = JSON.parse(fs.readFileSync(path.join(VECTORS, `${collection}.json`), 'utf8'));
    const example = file.cases.find((x) => x.name === 'spec example document');
    const tag = `${collection} (written by Mongoose)`;
    const doc = await new OnServerDb(structuredClone(example.input)).save();
    counts.mongooseWrites += 1;
    const id = doc._id.toString();
    const expected = mongooseJson(doc, collection);

    const r = await api('GET', `/api/${route}/${id}`);
    if (r.status !== 200) {
      diffs.push(`${tag}: server GET ${r.status}: ${r.text}`);
      continue;
    }
    if (!same(withoutComputed(r.json), expected)) {
      diffs.push(`${tag}: server reads ${JSON.stringify(sorted(withoutComputed(r.json)))}\n    Mongoose wrote ${JSON.stringify(sorted(expected))}`);
    }
    if (collection === 'subscriptions' && r.json.isValid !== doc.isValid()) {
      diffs.push(`${tag}: isValid ${r.json.isValid}, Mongoose's isValid() ${doc.isValid()}`);
    }
    const listed = await api('GET', `/api/${route}?_id=${id}`);
    if (listed.status !== 200 || listed.json.items.length !== 1) {
      diffs.push(`${tag}: server list ${listed.status}: ${listed.text}`);
    }

    // The server updates it with the version Mongoose wrote; Mongoose reads it back.
    const p = await api('PATCH', `/api/${route}/${id}`, { __v: doc.__v });
    if (p.status !== 200) {
      diffs.push(`${tag}: server PATCH ${p.status}: ${p.text}`);
      continue;
    }
    const back = await OnServerDb.findById(id);
    const err = back.validateSync();
    if (err) diffs.push(`${tag}: invalid for Mongoose after the server's PATCH: ${err.message}`);
    if (back.__v !== 1) diffs.push(`${tag}: __v ${back.__v} after PATCH`);
    const before = mongooseJson(doc, collection);
    const after = mongooseJson(back, collection);
    for (const k of ['__v', 'updatedAt']) {
      delete before[k];
      delete after[k];
    }
    if (!same(before, after)) diffs.push(`${tag}: an empty PATCH changed the document: ${firstDifference(sorted(after), sorted(before))}`);
  }
}

async function main() {
  const base = await mongoose.createConnection(MONGODB_URI, { autoIndex: false, autoCreate: false }).asPromise();
  const serverConn = base.useDb(SERVER_DB, { useCache: true });
  const mongooseConn = base.useDb(MONGOOSE_DB, { useCache: true });
  try {
    await serverWritesMongooseReads(serverConn, mongooseConn);
    await mongooseWritesServerReads(serverConn);
  } finally {
    await mongooseConn.dropDatabase().catch(() => {});
    await base.close();
  }
  console.log(
    `interop: ${counts.serverWrites} documents written by the server and read by Mongoose ` +
      `(${counts.rawCompared} raw BSON comparisons with Mongoose's own write, ` +
      `${counts.refusedByServer} valid cases refused by the server for $/. keys, nested arrays or depth, ` +
      `${counts.deviating} skipped where Mongoose builds another document by design: dotted-key-overlap); ` +
      `${counts.mongooseWrites} documents written by Mongoose and read, listed and patched by the server; ` +
      `${diffs.length} differences`,
  );
  if (diffs.length) {
    console.log(diffs.join('\n'));
    process.exit(1);
  }
}

main().catch((e) => {
  console.error('interop:', e);
  process.exit(1);
});
