#!/usr/bin/env node
'use strict';

// All dates must be interpreted in UTC (date-time strings without an offset
// are local time for `new Date()`). Set before any Date is used; the npm
// scripts also run node with TZ=UTC.
process.env.TZ = 'UTC';

/*
 * Fills the expected answers of the schema test vectors from REAL Mongoose.
 *
 *   TZ=UTC node generate-vectors.js [--check [--quiet]] [--verbose] [collection|path.json ...]
 *
 * For each tests/vectors/<collection>.json (all of them, or the ones named),
 * for every case: set the fake clock to case.now, build
 * `new Model(structuredClone(case.input))`, run `validateSync()` and record
 *   valid    boolean
 *   errors   [{path, kind, message}] sorted by path (the keys of err.errors);
 *            kind is the ValidatorError kind, or "cast" for a CastError
 *   output   JSON of doc.toObject({flattenMaps: true}) for valid cases, with
 *            Mongoose-generated _ids removed; null for invalid cases
 *   deviations  (only when present) ids of deliberate differences from
 *            Mongoose that were applied to this case (see DEVIATIONS below)
 *
 * --check recomputes everything and compares with the files on disk; it
 * prints every differing case/field and exits 1 on any difference.
 */

const fs = require('fs');
const path = require('path');
const util = require('util');

// The spec declares several indexes twice (`index: true`/`unique: true` on the
// field plus a `schema.index()` call); Mongoose warns about each at model
// registration. That is a property of the spec, not of the vectors: silence
// only that warning while loading the schemas.
const schemasModule = (() => {
  const originalEmitWarning = process.emitWarning;
  process.emitWarning = function (warning, ...rest) {
    if (String(warning && warning.message ? warning.message : warning).includes('Duplicate schema index')) return;
    return originalEmitWarning.call(process, warning, ...rest);
  };
  try {
    return require('./schemas');
  } finally {
    process.emitWarning = originalEmitWarning;
  }
})();

const { mongoose, models, hooks, setFakeNow, clearFakeNow } = schemasModule;
const CastError = mongoose.Error.CastError;

const VECTORS_DIR = path.resolve(__dirname, '..', 'vectors');
const INDEXES_FILE = path.join(VECTORS_DIR, 'indexes', 'mongoose.json');
const CASE_KEYS = ['name', 'now', 'input', 'valid', 'errors', 'output', 'deviations'];
const ISO_NOW = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

// ---------------------------------------------------------------------------
// Deviations: behaviours where the Rust crate deliberately differs from
// Mongoose, one per section of COMPATIBILITY.md (same ids; `--check` fails
// when the two lists differ). The generator applies each on top of
// Mongoose's answer, or marks a case that depends on one, and lists the ids
// in the case's `deviations`; inputs none of them covers get Mongoose's
// answer unchanged.
// ---------------------------------------------------------------------------
const DEVIATIONS = {
  'users-pre-save':
    "users: the spec's pre('save') hook (schemas.js, run here on the cast document, a path that " +
    'failed to cast counting as absent) is applied at validate time, every rule it checks reported ' +
    'together, each only when Mongoose reported no error on that path',
  'users-empty-password':
    "users: a password given explicitly as '' or null on a password-auth user gets the spec's " +
    "password message (kind 'user defined'), like a short one; the spec's hook skips it, and stored " +
    'it would leave a password account without a password',
  'secret-message':
    'users: an error on a secret path (password, twoFactorSecret, tempTwoFactorSecret, backupCodes, ' +
    'tempBackupCodes, resetPasswordToken) never shows the input: a CastError reads ' +
    '`Cast to <type> failed at path "<path>"`, without the value',
  'non-finite-number':
    'a Number path cast to Infinity/-Infinity/NaN (e.g. from the string "Infinity" or "1e400") is ' +
    'reported as a cast error on that path instead (JSON/BSON stores cannot hold it)',
  'date-local-time':
    'a date string that names no zone (other than a date-only ISO form) is local time for new Date(); ' +
    'the crate reads it as UTC. Marked when Mongoose answers differently in another zone ' +
    '(the vectors are generated under TZ=UTC, where both agree)',
  'expiry-utc':
    "subscriptions: calculateExpiryDate's calendar arithmetic in UTC; the oracle (oracle.js) runs the " +
    "spec's function under TZ=UTC, where both agree",
  'no-generated-ids':
    'new Model() gives the document and each array subdocument a random _id; the crate generates none ' +
    'at validation. Marked when _ids Mongoose generated were removed from the output',
  'mixed-depth':
    'a Mixed value nested deeper than 100 levels gets a cast error on its path ' +
    '("Path `<path>` is nested deeper than 100 levels, which MongoDB cannot store."); Mongoose accepts it',
  'non-object-document':
    'a document that is not an object gets one cast error at path "" (Parameter "obj" to Document() must ' +
    'be an object, got "<inspect>" (type <type>)); Mongoose throws for most such values and takes null ' +
    'and arrays as an empty document',
  'maxlength-cut':
    'a maxlength message whose 30-unit excerpt would end in half a surrogate pair ends before that pair',
  'document-array-elements':
    'a document array element (or a value given for the whole array) that is "", 0 or false is refused like ' +
    'any other non-object element ("Cast to embedded failed ... because of \\"ObjectParameterError\\""); Mongoose ' +
    'keeps it as the element, which no typed reader of the collection can hold',
  'dotted-key-overlap':
    'a dotted key that sets a path the input already set (a plain key, or an earlier dotted key) replaces ' +
    'that value; Mongoose has cast the earlier value by then, and keeps its cast error unless the later ' +
    'key sets that very path; a nested object rebuilt that way gets every default (Mongoose keeps only its ' +
    'Date.now ones). The generator gives Mongoose the input with the replaced values taken out',
  'mongoose-throws':
    'an input that makes new Model() or validateSync() throw (e.g. the dotted key "progress.$x" naming a map ' +
    'entry Mongoose refuses) is refused with field errors; vector inputs may not fall here, the fuzzer ' +
    'requires the verdict (invalid) only',
  'inspect-long-string':
    'a CastError message showing a string of more than 10,000 UTF-16 units shows it whole; Node cuts it ' +
    'there and appends "... N more characters". Marked',
  'map-star-key':
    'a dotted key naming the values of a map ("progress.$*", Mongoose\'s own name for them): Mongoose casts ' +
    'the value at that schema path (and throws when it casts); the crate refuses "$*" like any map key ' +
    'starting with "$". Vector inputs may not fall here, the fuzzer requires the verdict (invalid) only',
  'inspect-width':
    'a CastError message laid out over several lines that holds a character outside ASCII: Node measures such ' +
    'text with ICU, the crate with a table of the common wide and zero-width ranges. Marked',
  // Decisions where the spec is ambiguous (never shown by a vector):
  'stripe-index-sparse':
    'subscriptions.stripeSubscriptionId is declared sparse and not sparse under one index name; the ' +
    'first declaration (sparse) is the index, as in a database Mongoose built (indexes.json check)',
  'key-order':
    "the output's keys are in schema order, not Mongoose's; JSON objects are compared as values everywhere",
};

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// The users fields the spec stores as secrets (hashes, 2FA material, reset
// tokens), written out here rather than read from the Rust crate under test.
const USER_SECRET_FIELDS = new Set([
  'password',
  'twoFactorSecret',
  'tempTwoFactorSecret',
  'backupCodes',
  'tempBackupCodes',
  'resetPasswordToken',
]);

// Rewrites the messages of cast errors on secret paths so they name the path
// and the type only (deviation `secret-message`).
function applySecretMessages(errors) {
  let fired = false;
  const out = errors.map((e) => {
    if (!USER_SECRET_FIELDS.has(e.path.split('.')[0]) || e.kind !== 'cast') return e;
    const m = /^Cast to (\S+) failed for value [\s\S]* at path "([^"]*)"/.exec(e.message);
    if (!m) throw new Error(`unexpected cast message on a secret path ${e.path}: ${e.message}`);
    fired = true;
    return { ...e, message: `Cast to ${m[1]} failed at path "${m[2]}"` };
  });
  return { errors: out, fired };
}

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function hasOwn(obj, key) {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

function errorEntry(fullPath, e) {
  if (e instanceof CastError || e.name === 'CastError') {
    return { path: fullPath, kind: 'cast', message: e.message };
  }
  if (e.name === 'ValidatorError') {
    return { path: fullPath, kind: e.kind, message: e.message };
  }
  throw new Error(`unexpected error type ${e.name} at ${fullPath}: ${e.message}`);
}

function comparePaths(a, b) {
  // Plain UTF-16 code unit order (== byte order for the ASCII paths we have).
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

// Removes the _ids Mongoose generated (random): wherever the output holds an
// object whose corresponding input object did not carry an `_id` key itself.
// Correspondence: by key for objects, by index for arrays; a non-array input
// where the output has an array (Mongoose wraps it) corresponds to [input].
// Returns how many it removed.
function stripGeneratedIds(out, inp) {
  let removed = 0;
  if (Array.isArray(out)) {
    const inArr = Array.isArray(inp) ? inp : inp === undefined ? [] : [inp];
    out.forEach((item, i) => {
      removed += stripGeneratedIds(item, inArr[i]);
    });
    return removed;
  }
  if (!isPlainObject(out)) return 0;
  if (hasOwn(out, '_id') && !(isPlainObject(inp) && hasOwn(inp, '_id'))) {
    delete out._id;
    removed++;
  }
  for (const key of Object.keys(out)) {
    removed += stripGeneratedIds(out[key], isPlainObject(inp) ? inp[key] : undefined);
  }
  return removed;
}

// Visits every value of `input` that sits at a declared path, with its
// SchemaType, its full path (array indices) and the path Mongoose names in
// messages (relative to the innermost array subdocument). Dotted keys are
// paths, as Mongoose sets them.
function visitSchemaPaths(schema, input, visit) {
  function object(sch, value, full, rel) {
    if (!isPlainObject(value)) return;
    for (const key of Object.keys(value)) {
      at(sch, value[key], full ? `${full}.${key}` : key, rel ? `${rel}.${key}` : key);
    }
  }
  function at(sch, v, full, rel) {
    const type = sch.pathType(rel);
    if (type === 'nested') return object(sch, v, full, rel);
    if (type !== 'real') return;
    const st = sch.path(rel);
    visit(st, v, full, rel);
    if (st.$isMongooseDocumentArray && v != null) {
      (Array.isArray(v) ? v : [v]).forEach((x, i) => object(st.schema, x, `${full}.${i}`, ''));
    }
  }
  object(schema, input, '', '');
}

// Finds numbers that are not finite in the (un-serialised) toObject() result.
// Returns [{path, mongoosePath, inputValue}] where `path` is the full dotted
// path (array indices, map keys) and `mongoosePath` the path Mongoose would
// name in a CastError message (relative to the innermost array subdocument,
// `.$*` for map values).
function findNonFinite(schema, obj, input) {
  const found = [];
  function walk(value, inp, fullPrefix, relPrefix, currentSchema) {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) {
        found.push({ path: fullPrefix, mongoosePath: relPrefix, inputValue: inp });
      }
      return;
    }
    if (value === null || typeof value !== 'object' || value instanceof Date) return;
    if (value instanceof mongoose.Types.ObjectId) return;
    if (Array.isArray(value)) {
      const inArr = Array.isArray(inp) ? inp : inp === undefined ? [] : [inp];
      const st = currentSchema && currentSchema.path(relPrefix);
      const isDocArray = st && st.$isMongooseDocumentArray;
      value.forEach((item, i) => {
        if (isDocArray) {
          walk(item, inArr[i], `${fullPrefix}.${i}`, '', st.schema);
        } else {
          walk(item, inArr[i], `${fullPrefix}.${i}`, `${relPrefix}.${i}`, currentSchema);
        }
      });
      return;
    }
    const st = currentSchema && relPrefix && currentSchema.path(relPrefix);
    const isMap = st && st.instance === 'Map';
    for (const key of Object.keys(value)) {
      const inChild = isPlainObject(inp) ? inp[key] : undefined;
      const full = fullPrefix ? `${fullPrefix}.${key}` : key;
      const rel = isMap ? `${relPrefix}.$*` : relPrefix ? `${relPrefix}.${key}` : key;
      walk(value[key], inChild, full, rel, isMap ? null : currentSchema);
    }
  }
  walk(obj, input, '', '', schema);
  return found;
}

// The input with its dotted keys set as paths, after the plain keys (as
// Mongoose sets them), to find the input value of a path.
function expandDotted(v) {
  if (Array.isArray(v)) return v.map(expandDotted);
  if (!isPlainObject(v)) return v;
  const out = {};
  const keys = Object.keys(v);
  for (const k of keys.filter((k) => !k.includes('.'))) out[k] = expandDotted(v[k]);
  for (const k of keys.filter((k) => k.includes('.'))) {
    const segs = k.split('.');
    let cur = out;
    for (const seg of segs.slice(0, -1)) {
      if (!isPlainObject(cur[seg])) cur[seg] = {};
      cur = cur[seg];
    }
    cur[segs[segs.length - 1]] = expandDotted(v[k]);
  }
  return out;
}

// Sets the value at a full path (array indices) of an expanded input; a
// document array given one object holds it at index 0.
function setAtPath(root, full, value) {
  const segs = full.split('.');
  let cur = root;
  for (const seg of segs.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (seg === '0' && !hasOwn(cur, seg)) continue;
    else cur = cur[seg];
  }
  cur[segs[segs.length - 1]] = value;
}

// The non-finite numbers Mongoose cast. A document array that fails to cast
// is not in the document, yet Mongoose keeps the cast errors of the
// subdocuments it built before the element that failed it: those are found
// on a document built from the elements before that one.
function nonFiniteHits(Model, doc, input, errors) {
  let obj;
  try {
    obj = doc.toObject({ flattenMaps: true });
  } catch (e) {
    return [];
  }
  const hits = findNonFinite(Model.schema, obj, input);
  const failed = [];
  visitSchemaPaths(Model.schema, input, (st, v, full) => {
    if (!st.$isMongooseDocumentArray || !Array.isArray(v)) return;
    if (errors.some((e) => e.kind === 'cast' && e.path === full)) failed.push({ full, v });
  });
  for (const { full, v } of failed) {
    for (let k = v.length - 1; k >= 0; k--) {
      const cut = structuredClone(input);
      setAtPath(cut, full, v.slice(0, k));
      const answer = mongooseAnswer(Model, cut);
      if (answer.errors.some((e) => e.path === full)) continue;
      for (const h of nonFiniteHits(Model, answer.doc, cut, answer.errors)) {
        if (h.path.startsWith(`${full}.`)) hits.push(h);
      }
      break;
    }
  }
  return hits;
}

function applyNonFiniteDeviation(Model, doc, input, errors) {
  input = expandDotted(input);
  const hits = nonFiniteHits(Model, doc, input, errors);
  if (hits.length === 0) return { errors, fired: false };
  let out = errors.slice();
  for (const hit of hits) {
    out = out.filter((e) => e.path !== hit.path);
    let value = hit.inputValue !== undefined ? hit.inputValue : Infinity;
    // SchemaNumber casts (and its CastError shows) the `_id` of an object that has one.
    if (isPlainObject(value) && hasOwn(value, '_id')) value = value._id;
    const ce = new CastError('Number', value, hit.mongoosePath);
    out.push({ path: hit.path, kind: 'cast', message: ce.message });
  }
  return { errors: out, fired: true };
}

// `mixed-depth`: whether a value nests deeper than `limit` levels (recursion
// bounded by the limit, whatever the value's depth).
function deeperThan(v, limit) {
  if (v === null || typeof v !== 'object') return false;
  const kids = Array.isArray(v) ? v : Object.values(v);
  if (kids.length === 0) return false;
  return limit === 0 || kids.some((x) => deeperThan(x, limit - 1));
}

const MAX_NESTING = 100;

function applyMixedDepth(Model, input, errors) {
  const hits = [];
  visitSchemaPaths(Model.schema, input, (st, v, full, rel) => {
    if (st.instance === 'Mixed' && deeperThan(v, MAX_NESTING)) hits.push({ full, rel });
  });
  if (hits.length === 0) return { errors, fired: false };
  let out = errors.filter((e) => !hits.some((h) => e.path === h.full));
  for (const h of hits) {
    out.push({
      path: h.full,
      kind: 'cast',
      message: `Path \`${h.rel}\` is nested deeper than ${MAX_NESTING} levels, which MongoDB cannot store.`,
    });
  }
  return { errors: out, fired: true };
}

// `maxlength-cut`: a lone surrogate at the end of the 30-unit excerpt is dropped.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function applyMaxlengthCut(errors) {
  let fired = false;
  const out = errors.map((e) => {
    if (e.kind !== 'maxlength' || !LONE_SURROGATE.test(e.message)) return e;
    fired = true;
    return { ...e, message: e.message.replace(/[\ud800-\udbff]\.\.\.`/, '...`') };
  });
  return { errors: out, fired };
}

// `non-object-document`: the crate's one error for a document that is not an object.
function valueType(value) {
  if (value == null) return String(value);
  if (typeof value !== 'object') return typeof value;
  return value.constructor.name;
}

function nonObjectError(input) {
  return {
    path: '',
    kind: 'cast',
    message: `Parameter "obj" to Document() must be an object, got "${util.inspect(input)}" (type ${valueType(input)})`,
  };
}

// `users-pre-save`: the messages of the spec's hook, the path each is about,
// and a value of that path the rule accepts (so the hook, run again, goes on
// to its next rule).
const PRE_SAVE_RULES = {
  'Invalid email format': ['email', 'neutral@example.com'],
  'Password must be at least 8 characters': ['password', undefined],
  'Two-factor enabled users must have at least 8 backup codes': ['backupCodes', ['1', '2', '3', '4', '5', '6', '7', '8']],
};

// Runs the spec's own hook on the cast document, where a top-level path that
// failed to cast is absent (undefined, no default), as in the crate's
// normalised document. The hook stops at its first error; the path of that
// error is then given a value its rule accepts and the hook runs again, so
// every rule it checks is found. Returns [{path, message}].
function runPreSave(hook, doc, absent) {
  const overrides = new Map(absent.map((k) => [k, undefined]));
  const view = new Proxy(doc, {
    get: (target, prop) => (overrides.has(prop) ? overrides.get(prop) : Reflect.get(target, prop, target)),
  });
  const found = [];
  for (let round = 0; round <= Object.keys(PRE_SAVE_RULES).length; round++) {
    let failure = null;
    let called = false;
    hook.call(view, (err) => {
      called = true;
      failure = err || null;
    });
    if (!called) throw new Error("the users pre('save') hook did not call next() synchronously");
    if (!failure) return found;
    const rule = PRE_SAVE_RULES[failure.message];
    if (!rule || overrides.has(rule[0]) && found.some((f) => f.path === rule[0])) {
      throw new Error(`unexpected pre('save') error: ${failure.message}`);
    }
    found.push({ path: rule[0], message: failure.message });
    overrides.set(rule[0], rule[1]);
  }
  throw new Error("the users pre('save') hook keeps failing");
}

function applyUsersPreSave(doc, input, errors) {
  const taken = new Set(errors.map((e) => e.path));
  // Top-level paths that failed to cast are absent from the cast document.
  const absent = [...new Set(errors.filter((e) => e.kind === 'cast').map((e) => e.path.split('.')[0]))];
  const extra = runPreSave(hooks.users.preSave, doc, absent)
    .filter((f) => !taken.has(f.path))
    .map((f) => ({ path: f.path, kind: 'user defined', message: f.message }));
  let emptyPassword = false;
  const passwordAuth = !absent.includes('authMethod') && doc.authMethod === 'password';
  const given = isPlainObject(input) && hasOwn(input, 'password');
  if (!taken.has('password') && passwordAuth && given && (doc.password === '' || doc.password === null)) {
    emptyPassword = true;
    extra.push({ path: 'password', kind: 'user defined', message: 'Password must be at least 8 characters' });
  }
  const preSave = extra.length - (emptyPassword ? 1 : 0);
  return { errors: errors.concat(extra), fired: preSave > 0, emptyPassword };
}

// Mongoose's own answer: the document, its errors (path, kind, message) and,
// when valid, its JSON output with the generated _ids removed.
function mongooseAnswer(Model, input) {
  const doc = new Model(structuredClone(input));
  const err = doc.validateSync();
  let errors = [];
  if (err) {
    if (!err.errors) throw err;
    errors = Object.keys(err.errors).map((k) => errorEntry(k, err.errors[k]));
  }
  return { doc, errors };
}

function outputOf(doc, input) {
  // `undefined` as the driver stores it (its default ignoreUndefined: false):
  // null. A map entry given without a value (`[["k"]]`) is stored as null.
  const stored = (k, v) => (v === undefined ? null : v);
  const output = JSON.parse(JSON.stringify(doc.toObject({ flattenMaps: true }), stored));
  const removed = stripGeneratedIds(output, input);
  return { output, removed };
}

// `date-local-time`: Mongoose's answer in another zone differs.
function dependsOnLocalTime(Model, input) {
  const answer = () => {
    const { doc, errors } = mongooseAnswer(Model, input);
    errors.sort(comparePaths);
    return JSON.stringify({ errors, output: errors.length ? null : outputOf(doc, input).output });
  };
  const utc = answer();
  process.env.TZ = 'Asia/Kolkata';
  try {
    return answer() !== utc;
  } finally {
    process.env.TZ = 'UTC';
  }
}

// The two deviations applied to the input before Mongoose answers.
const FALSY_SENTINEL = '\u0000falsy element';

class ObjectParameterError extends Error {}

// `dotted-key-overlap` and `document-array-elements`, at one (sub)document
// level: returns the ids applied, and the falsy elements replaced (by the
// sentinel, which Mongoose refuses like the crate refuses the element).
function adjustDocument(schema, doc, replaced) {
  const applied = new Set();
  if (!isPlainObject(doc)) return applied;
  if (takeOutOverlaps(schema, doc, '', true)) applied.add('dotted-key-overlap');
  // document-array-elements, and the same below, in nested objects and subdocuments.
  const visit = (sch, obj, prefix) => {
    for (const key of Object.keys(obj)) {
      const p = prefix ? `${prefix}.${key}` : key;
      const type = sch.pathType(p);
      if (type === 'nested' && isPlainObject(obj[key])) {
        if (takeOutOverlaps(sch, obj[key], p, false)) applied.add('dotted-key-overlap');
        visit(sch, obj[key], p);
        continue;
      }
      if (type !== 'real') continue;
      const st = sch.path(p);
      if (!st.$isMongooseDocumentArray || obj[key] == null) continue;
      if (!Array.isArray(obj[key])) obj[key] = [obj[key]];
      const items = obj[key];
      const bad = items.findIndex((x) => x !== null && typeof x !== 'object');
      if (bad >= 0 && !items[bad]) {
        // Each replacement names its index, to find its message again.
        const falsy = items[bad];
        items[bad] = `${FALSY_SENTINEL} ${replaced.length}`;
        replaced.push(falsy);
        applied.add('document-array-elements');
      }
      for (const item of items.slice(0, bad >= 0 ? bad : items.length)) {
        for (const id of adjustDocument(st.schema, item, replaced)) applied.add(id);
      }
    }
  };
  visit(schema, doc, '');
  return applied;
}

// `dotted-key-overlap`: the object at `prefix` with its dotted keys set as
// the crate sets them (after the plain keys, in order, undeclared paths and
// (directly in a document) non-objects for nested paths ignored, a later key
// replacing what was there; a nested object a key goes into has its own
// dotted keys set first, as Mongoose set them with it). When a key replaced
// something (or `always`), `obj` becomes that merged object, which has no
// dotted keys left; true is returned when a key replaced something.
function takeOutOverlaps(schema, obj, prefix, top, always = false) {
  const keys = Object.keys(obj);
  if (!keys.some((k) => k.includes('.'))) return false;
  const merged = {};
  for (const k of keys) if (!k.includes('.')) merged[k] = structuredClone(obj[k]);
  let replaced = false;
  for (const k of keys.filter((x) => x.includes('.'))) {
    const segs = k.split('.');
    const full = (i) => (prefix ? `${prefix}.` : '') + segs.slice(0, i + 1).join('.');
    let declared = true;
    let namesObject = false;
    for (let i = 0; i < segs.length; i++) {
      const type = schema.pathType(full(i));
      if (type === 'nested') {
        namesObject = i === segs.length - 1;
        continue;
      }
      const st = type === 'real' && schema.path(full(i));
      if (st && (st.instance === 'Map' || st.instance === 'Mixed' || st.$isMongooseArray || st.$isMongooseDocumentArray)) break;
      if (!st || i !== segs.length - 1) declared = false;
      break;
    }
    if (!declared) continue;
    const v = obj[k];
    if (top && namesObject && !isPlainObject(v) && v !== null) continue;
    let cur = merged;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i];
      const has = Object.prototype.hasOwnProperty.call(cur, seg);
      if (i === segs.length - 1) {
        if (has) replaced = true;
        cur[seg] = structuredClone(v);
        break;
      }
      if (has && !isPlainObject(cur[seg])) {
        replaced = true;
        cur[seg] = {};
      } else if (!has) {
        cur[seg] = {};
      } else if (schema.pathType(full(i)) === 'nested') {
        // Mongoose set that nested object's own dotted keys with it, before this key.
        if (takeOutOverlaps(schema, cur[seg], full(i), false, true)) replaced = true;
      }
      cur = cur[seg];
    }
  }
  if (!replaced && !always) return false;
  for (const k of keys) delete obj[k];
  Object.assign(obj, merged);
  return replaced;
}

// The message the crate gives for the falsy element Mongoose was shown as the sentinel.
function restoreFalsyMessages(errors, replaced) {
  return errors.map((e) => {
    const m = /\\x00falsy element (\d+)/.exec(e.message);
    if (!m) return e;
    const value = replaced[Number(m[1])];
    const rel = /at path "([^"]*)"/.exec(e.message)[1];
    const ce = new CastError('embedded', value, rel, new ObjectParameterError());
    return { ...e, message: ce.message };
  });
}

// `map-star-key`: a key with a `$*` segment after a dot, anywhere in the input.
function hasStarKey(v) {
  if (Array.isArray(v)) return v.some(hasStarKey);
  if (!isPlainObject(v)) return false;
  return Object.keys(v).some((k) => k.split('.').slice(1).includes('$*') || hasStarKey(v[k]));
}

// One case: Mongoose's answer with the deviations applied. `options.localTime`
// (default true) marks cases that depend on the local time zone (two more
// Mongoose runs; the differential fuzzer turns it off).
function runCase(collection, Model, c, options = {}) {
  setFakeNow(c.now);
  try {
    const deviations = [];
    if (!isPlainObject(c.input)) {
      const errors = [nonObjectError(c.input)];
      return { name: c.name, now: c.now, input: c.input, valid: false, errors, output: null, deviations: ['non-object-document'] };
    }
    if (hasStarKey(c.input)) {
      if (options.allowThrows === false) throw new Error(`${c.name}: a dotted key naming map values (map-star-key)`);
      return { name: c.name, now: c.now, input: c.input, valid: false, errors: null, output: null, deviations: ['map-star-key'] };
    }
    // Deviations decided on the input: Mongoose answers the adjusted input.
    const adjusted = structuredClone(c.input);
    const replaced = [];
    const inputDeviations = adjustDocument(Model.schema, adjusted, replaced);
    let answer;
    try {
      answer = mongooseAnswer(Model, adjusted);
    } catch (e) {
      if (options.allowThrows === false) throw e;
      // Mongoose cannot build this document: only the verdict is Mongoose's.
      return { name: c.name, now: c.now, input: c.input, valid: false, errors: null, output: null, deviations: ['mongoose-throws'], thrown: `${e.name}: ${e.message}` };
    }
    const { doc, errors: mongooseErrors } = answer;
    let errors = restoreFalsyMessages(mongooseErrors, replaced);
    deviations.push(...inputDeviations);
    const apply = (id, result) => {
      errors = result.errors;
      if (result.fired) deviations.push(id);
    };
    // The deviations applied from here on read the input Mongoose answered
    // (`adjusted`): a value a later dotted key replaced is not in the document.
    apply('mixed-depth', applyMixedDepth(Model, adjusted, errors));
    apply('non-finite-number', applyNonFiniteDeviation(Model, doc, adjusted, errors));
    apply('maxlength-cut', applyMaxlengthCut(errors));
    if (collection === 'users') {
      const ps = applyUsersPreSave(doc, adjusted, errors);
      errors = ps.errors;
      if (ps.fired) deviations.push('users-pre-save');
      if (ps.emptyPassword) deviations.push('users-empty-password');
      apply('secret-message', applySecretMessages(errors));
    }

    if (errors.some((e) => e.kind === 'cast' && e.message.includes('\n') && /[^\x00-\x7f]/.test(e.message))) {
      deviations.push('inspect-width');
    }
    if (errors.some((e) => e.kind === 'cast' && / more characters?\b/.test(e.message))) {
      deviations.push('inspect-long-string');
    }
    errors.sort(comparePaths);
    const valid = errors.length === 0;
    let output = null;
    if (valid) {
      const o = outputOf(doc, adjusted);
      output = o.output;
      if (o.removed > 0) deviations.push('no-generated-ids');
    }
    if (options.localTime !== false && dependsOnLocalTime(Model, adjusted)) deviations.push('date-local-time');
    const result = { name: c.name, now: c.now, input: c.input, valid, errors, output };
    if (deviations.length) result.deviations = deviations;
    return result;
  } finally {
    clearFakeNow();
  }
}

// The deviation ids COMPATIBILITY.md lists (its `### \`<id>\`` headings).
function compatibilityIds() {
  const text = fs.readFileSync(path.resolve(__dirname, '..', '..', 'COMPATIBILITY.md'), 'utf8');
  return [...text.matchAll(/^### `([a-z0-9-]+)`/gm)].map((m) => m[1]);
}

function resolveFiles(args) {
  if (args.length === 0) {
    return fs
      .readdirSync(VECTORS_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => path.join(VECTORS_DIR, f));
  }
  return args.map((a) => {
    if (a.endsWith('.json')) return path.resolve(a);
    return path.join(VECTORS_DIR, `${a}.json`);
  });
}

function validateFileShape(file, data) {
  const problems = [];
  if (!isPlainObject(data)) return ['top level is not an object'];
  const topKeys = Object.keys(data);
  if (topKeys.join(',') !== 'collection,model,cases') {
    problems.push(`top-level keys must be exactly collection, model, cases (got ${topKeys.join(', ')})`);
  }
  const Model = models[data.collection];
  if (!Model) problems.push(`unknown collection "${data.collection}"`);
  else if (data.model !== Model.modelName) {
    problems.push(`model must be "${Model.modelName}" for collection "${data.collection}" (got "${data.model}")`);
  }
  const expectedFile = `${data.collection}.json`;
  if (path.basename(file) !== expectedFile) problems.push(`file should be named ${expectedFile}`);
  if (!Array.isArray(data.cases)) return problems.concat('cases is not an array');
  const names = new Set();
  data.cases.forEach((c, i) => {
    const where = `case #${i}${c && c.name ? ` "${c.name}"` : ''}`;
    if (!isPlainObject(c)) return problems.push(`${where}: not an object`);
    for (const k of Object.keys(c)) {
      if (!CASE_KEYS.includes(k)) problems.push(`${where}: unknown key "${k}"`);
    }
    if (typeof c.name !== 'string' || !c.name) problems.push(`${where}: name must be a non-empty string`);
    else if (names.has(c.name)) problems.push(`${where}: duplicate case name`);
    else names.add(c.name);
    if (typeof c.now !== 'string' || !ISO_NOW.test(c.now) || !Number.isFinite(Date.parse(c.now))) {
      problems.push(`${where}: now must be an ISO string like 2024-01-15T10:30:00.000Z`);
    }
    if (!isPlainObject(c.input)) problems.push(`${where}: input must be a JSON object`);
  });
  return problems;
}

function serialise(data) {
  return JSON.stringify(data, null, 2) + '\n';
}

function fieldDiffs(expected, actual) {
  const diffs = [];
  for (const k of CASE_KEYS) {
    const a = JSON.stringify(expected[k]);
    const b = JSON.stringify(actual[k]);
    if (a !== b) diffs.push(k);
  }
  return diffs;
}

function main() {
  const argv = process.argv.slice(2);
  const check = argv.includes('--check');
  const quiet = argv.includes('--quiet');
  const files = resolveFiles(argv.filter((a) => !a.startsWith('--')));

  let totalCases = 0;
  let differences = 0;
  let invalidFiles = 0;
  const deviationCounts = {};
  const deviationLines = [];

  for (const file of files) {
    const rel = path.relative(process.cwd(), file);
    let text;
    let data;
    try {
      text = fs.readFileSync(file, 'utf8');
      data = JSON.parse(text);
    } catch (e) {
      console.error(`${rel}: cannot read/parse: ${e.message}`);
      invalidFiles++;
      continue;
    }
    const problems = validateFileShape(file, data);
    if (problems.length) {
      for (const p of problems) console.error(`${rel}: ${p}`);
      invalidFiles++;
      continue;
    }
    const Model = models[data.collection];
    const newCases = data.cases.map((c) => runCase(data.collection, Model, c, { allowThrows: false }));
    const newData = { collection: data.collection, model: data.model, cases: newCases };
    totalCases += newCases.length;

    // A lone UTF-16 surrogate (e.g. Mongoose's maxlength message cuts the value after 30
    // code units, which can split an emoji) serialises as "\udXXX", which strict JSON
    // parsers (serde_json) reject. Refuse such cases: change the input instead.
    for (const c of newCases) {
      if (/\\ud[89a-f][0-9a-f]{2}/i.test(JSON.stringify(c))) {
        console.error(`${rel} / ${c.name}: contains a lone UTF-16 surrogate; change the input`);
        invalidFiles++;
      }
    }

    // A vector cannot hold an answer only marked as differing.
    for (const c of newCases) {
      if ((c.deviations || []).includes('inspect-long-string')) {
        console.error(`${rel} / ${c.name}: a CastError shows a string over 10,000 units (inspect-long-string); change the input`);
        invalidFiles++;
      }
    }

    for (const c of newCases) {
      for (const d of c.deviations || []) {
        deviationCounts[d] = (deviationCounts[d] || 0) + 1;
        deviationLines.push(`  ${data.collection} / ${c.name}: ${d}`);
      }
    }

    if (check) {
      let fileDiffs = 0;
      newCases.forEach((c, i) => {
        const diffs = fieldDiffs(data.cases[i], c);
        if (diffs.length) {
          fileDiffs++;
          console.log(`DIFF ${rel} / ${c.name}: ${diffs.join(', ')}`);
          if (!quiet) {
            for (const k of diffs) {
              console.log(`  ${k} expected: ${JSON.stringify(data.cases[i][k])}`);
              console.log(`  ${k} actual:   ${JSON.stringify(c[k])}`);
            }
          }
        }
      });
      if (fileDiffs === 0 && serialise(newData) !== text) {
        fileDiffs++;
        console.log(`DIFF ${rel}: not in canonical format (run npm run generate)`);
      }
      differences += fileDiffs;
    } else {
      const out = serialise(newData);
      if (out !== text) fs.writeFileSync(file, out);
      const nInvalid = newCases.filter((c) => !c.valid).length;
      console.log(`${rel}: ${newCases.length} cases (${newCases.length - nInvalid} valid, ${nInvalid} invalid)`);
    }
  }

  if (deviationLines.length) {
    const counts = Object.entries(deviationCounts).map(([id, n]) => `${id} x${n}`).join(', ');
    console.log(`deviations applied to ${deviationLines.length} cases (${counts})`);
    if (!check || argv.includes('--verbose')) {
      for (const l of deviationLines) console.log(l);
      for (const [id] of Object.entries(deviationCounts)) console.log(`  [${id}] ${DEVIATIONS[id]}`);
    }
  }

  // The indexes each schema declares, as Mongoose itself lists them
  // (schema.indexes(): keys in order, options), for the Rust index test.
  const indexes = {};
  for (const [name, schema] of Object.entries(schemasModule.schemas)) indexes[name] = schema.indexes();
  const indexText = serialise(indexes);
  const current = fs.existsSync(INDEXES_FILE) ? fs.readFileSync(INDEXES_FILE, 'utf8') : '';
  if (current !== indexText) {
    if (check) {
      console.log(`DIFF ${path.relative(process.cwd(), INDEXES_FILE)}: not Mongoose's schema.indexes() (run npm run generate)`);
      differences++;
    } else {
      fs.mkdirSync(path.dirname(INDEXES_FILE), { recursive: true });
      fs.writeFileSync(INDEXES_FILE, indexText);
    }
  }

  // COMPATIBILITY.md and this generator list the same deviation ids.
  const listed = compatibilityIds();
  const known = Object.keys(DEVIATIONS);
  for (const id of listed.filter((x) => !known.includes(x))) {
    console.error(`COMPATIBILITY.md lists \`${id}\`, which generate-vectors.js does not know`);
    invalidFiles++;
  }
  for (const id of known.filter((x) => !listed.includes(x))) {
    console.error(`generate-vectors.js knows \`${id}\`, which COMPATIBILITY.md does not list`);
    invalidFiles++;
  }

  const summary =
    `vectors: ${files.length - invalidFiles} files, ${totalCases} cases` +
    (check ? `, ${differences} differences` : ' written') +
    (invalidFiles ? `, ${invalidFiles} invalid files` : '');
  console.log(summary);
  if (invalidFiles || (check && differences)) process.exit(1);
}

if (require.main === module) {
  main();
}

module.exports = { runCase, DEVIATIONS, mongooseAnswer, visitSchemaPaths, compatibilityIds, isPlainObject, hasOwn };
