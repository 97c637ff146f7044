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

const { mongoose, models, setFakeNow, clearFakeNow } = schemasModule;
const CastError = mongoose.Error.CastError;

const VECTORS_DIR = path.resolve(__dirname, '..', 'vectors');
const CASE_KEYS = ['name', 'now', 'input', 'valid', 'errors', 'output', 'deviations'];
const ISO_NOW = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

// ---------------------------------------------------------------------------
// Deviations: behaviours where the Rust crate deliberately differs from
// Mongoose. The generator applies them on top of Mongoose's answer and marks
// the case with the deviation id.
// ---------------------------------------------------------------------------
const DEVIATIONS = {
  'users-pre-save':
    "users: the spec's pre('save') rules (email format, password length for password auth, " +
    '>= 8 backup codes with 2FA) are applied at validate time on the cast document, all of them ' +
    'reported together, each only when Mongoose reported no error on that path',
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
function stripGeneratedIds(out, inp) {
  if (Array.isArray(out)) {
    const inArr = Array.isArray(inp) ? inp : inp === undefined ? [] : [inp];
    out.forEach((item, i) => stripGeneratedIds(item, inArr[i]));
    return;
  }
  if (!isPlainObject(out)) return;
  if (hasOwn(out, '_id') && !(isPlainObject(inp) && hasOwn(inp, '_id'))) {
    delete out._id;
  }
  for (const key of Object.keys(out)) {
    stripGeneratedIds(out[key], isPlainObject(inp) ? inp[key] : undefined);
  }
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

function applyNonFiniteDeviation(Model, doc, input, errors) {
  let obj;
  try {
    obj = doc.toObject({ flattenMaps: true });
  } catch (e) {
    return { errors, fired: false };
  }
  const hits = findNonFinite(Model.schema, obj, input);
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

function applyUsersPreSave(doc, input, errors) {
  const taken = new Set(errors.map((e) => e.path));
  const extra = [];
  if (!taken.has('email') && !EMAIL_RE.test(doc.email)) {
    extra.push({ path: 'email', kind: 'user defined', message: 'Invalid email format' });
  }
  let emptyPassword = false;
  if (!taken.has('password') && doc.authMethod === 'password') {
    const given = isPlainObject(input) && hasOwn(input, 'password');
    if (doc.password && doc.password.length < 8) {
      extra.push({ path: 'password', kind: 'user defined', message: 'Password must be at least 8 characters' });
    } else if (given && (doc.password === '' || doc.password === null)) {
      emptyPassword = true;
      extra.push({ path: 'password', kind: 'user defined', message: 'Password must be at least 8 characters' });
    }
  }
  if (
    !taken.has('backupCodes') &&
    doc.twoFactorEnabled &&
    (!doc.backupCodes || doc.backupCodes.length < 8)
  ) {
    extra.push({
      path: 'backupCodes',
      kind: 'user defined',
      message: 'Two-factor enabled users must have at least 8 backup codes',
    });
  }
  const preSave = extra.length - (emptyPassword ? 1 : 0);
  return { errors: errors.concat(extra), fired: preSave > 0, emptyPassword };
}

function runCase(collection, Model, c) {
  setFakeNow(c.now);
  try {
    const doc = new Model(structuredClone(c.input));
    const err = doc.validateSync();
    let errors = [];
    if (err) {
      if (!err.errors) throw err;
      errors = Object.keys(err.errors).map((k) => errorEntry(k, err.errors[k]));
    }
    const deviations = [];

    const nf = applyNonFiniteDeviation(Model, doc, c.input, errors);
    if (nf.fired) {
      errors = nf.errors;
      deviations.push('non-finite-number');
    }

    if (collection === 'users') {
      const ps = applyUsersPreSave(doc, c.input, errors);
      errors = ps.errors;
      if (ps.fired) deviations.push('users-pre-save');
      if (ps.emptyPassword) deviations.push('users-empty-password');
      const sm = applySecretMessages(errors);
      errors = sm.errors;
      if (sm.fired) deviations.push('secret-message');
    }

    errors.sort(comparePaths);
    const valid = errors.length === 0;
    let output = null;
    if (valid) {
      output = JSON.parse(JSON.stringify(doc.toObject({ flattenMaps: true })));
      stripGeneratedIds(output, c.input);
    }
    const result = { name: c.name, now: c.now, input: c.input, valid, errors, output };
    if (deviations.length) result.deviations = deviations;
    return result;
  } finally {
    clearFakeNow();
  }
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
    const newCases = data.cases.map((c) => runCase(data.collection, Model, c));
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

module.exports = { runCase, DEVIATIONS };
