#!/usr/bin/env node
'use strict';

process.env.TZ = 'UTC';

/*
 * The differential fuzzer: documents nobody wrote, answered by real Mongoose
 * and by the models crate, compared.
 *
 *   TZ=UTC node differential.js --count N --seed S [--collections a,b] [--examples K]
 *                               [--crate target/release/examples/differential]
 *
 * Documents start from the vectors' valid inputs of each collection and are
 * mutated at declared schema paths (nested objects, array subdocuments, map
 * values, Mixed values included) with the value forms casting cares about:
 * numeric strings, white space, booleans spelled every way Mongoose knows,
 * epoch numbers, date strings of every shape (tests/mongoose/date-strings.js),
 * objects with an `_id`, arrays where scalars go and the reverse, nulls,
 * empty values, unknown and dotted keys, deep Mixed values, Unicode edge
 * cases, boundary lengths and numbers; a few documents are not objects at all.
 *
 * Mongoose's answer is the generator's (generate-vectors.js `runCase`): the
 * deviations COMPATIBILITY.md lists are applied on top of it, nothing else.
 * Verdict, every error (path, kind, message) and the normalised output are
 * compared. Each difference is put in a class (what differs, at which schema
 * path, for which input type); every class is printed with its count and one
 * example, shrunk to a minimal document that still shows it. Exit status 1
 * when any difference remains: with the deviations applied, none is explained.
 */

const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { rng } = require('./random');

const generator = (() => {
  // The spec declares some indexes twice; Mongoose warns at registration (see generate-vectors.js).
  const emit = process.emitWarning;
  process.emitWarning = function (w, ...rest) {
    if (String(w && w.message ? w.message : w).includes('Duplicate schema index')) return;
    return emit.call(process, w, ...rest);
  };
  try {
    return require('./generate-vectors');
  } finally {
    process.emitWarning = emit;
  }
})();
const { models } = require('./schemas');
const dateStrings = require('./date-strings');
const { runCase, isPlainObject } = generator;

const ROOT = path.resolve(__dirname, '..', '..');
const VECTORS_DIR = path.join(ROOT, 'tests', 'vectors');
const NOWS = ['2024-01-15T10:30:00.000Z', '2023-02-28T23:59:59.999Z', '1999-12-31T00:00:00.000Z'];

function parseArgs() {
  const a = process.argv.slice(2);
  const get = (k, d) => {
    const i = a.indexOf(k);
    return i >= 0 ? a[i + 1] : d;
  };
  return {
    count: Number(get('--count', 1000)),
    seed: Number(get('--seed', 1)),
    collections: get('--collections', '') ? get('--collections').split(',') : Object.keys(models),
    examples: Number(get('--examples', 1)),
    crate: path.resolve(ROOT, get('--crate', 'target/release/examples/differential')),
    chunk: Number(get('--chunk', 4000)),
  };
}

// ---------------------------------------------------------------------------
// The schema, as mutation targets.
// ---------------------------------------------------------------------------

// Every path a document can hold, with what it is: [{segments, kind, st}] where
// kind is leaf | nested | docArray | array | map | mixed. Array subdocuments'
// paths are listed under the array with an index segment `#`.
function schemaTargets(schema, prefix = []) {
  const out = [];
  const nested = Object.keys(schema.nested || {});
  for (const p of nested) out.push({ segments: prefix.concat(p.split('.')), kind: 'nested' });
  schema.eachPath((p, st) => {
    if (p === '__v') return;
    const segments = prefix.concat(p.split('.'));
    if (st.$isMongooseDocumentArray) {
      out.push({ segments, kind: 'docArray', st });
      out.push({ segments: segments.concat('#'), kind: 'element', st });
      out.push(...schemaTargets(st.schema, segments.concat('#')));
    } else if (st.$isMongooseArray) {
      out.push({ segments, kind: 'array', st, caster: st.caster && st.caster.instance });
      out.push({ segments: segments.concat('#'), kind: 'leaf', st: st.caster, instance: st.caster && st.caster.instance });
    } else if (st.instance === 'Map') {
      out.push({ segments, kind: 'map', st });
      out.push({ segments: segments.concat('*'), kind: 'leaf', st: st.$__schemaType, instance: st.$__schemaType && st.$__schemaType.instance });
    } else {
      out.push({ segments, kind: st.instance === 'Mixed' ? 'mixed' : 'leaf', st, instance: st.instance });
    }
  });
  return out;
}

// ---------------------------------------------------------------------------
// Value forms.
// ---------------------------------------------------------------------------

function valueForms(r) {
  const dates = dateStrings.generators(r);
  const hex = () => Array.from({ length: 24 }, () => '0123456789abcdef'[r.int(0, 15)]).join('');
  const emoji = ['🤖', '👍🏽', '🇫🇷', '𝒳'];
  const unicode = () =>
    r.pick(['é', 'e\u0301', 'ß', 'İ', 'ǅ', 'Σ', 'ﬁ', '日本語', 'مرحبا', '\u200b', '\u00a0', '\ufeff', '\u2028', '\u0000', 'a\u0000b', r.pick(emoji)]);
  const longString = () => {
    const n = r.pick([29, 30, 31, 99, 100, 101, 499, 500, 501, r.int(0, 600)]);
    const base = r.bool(0.5) ? 'a'.repeat(n) : Array.from({ length: n }, () => (r.bool(0.1) ? r.pick(emoji) : 'x')).join('');
    // Cut by code points: a lone surrogate is no JSON text the crate reads.
    return r.bool(0.3) ? Array.from(base).slice(0, Math.max(0, n - 1)).join('') + r.pick(emoji) : base;
  };
  const numericString = () =>
    r.pick(['42', ' 42 ', '\t7\n', '1e3', '-1.5E-2', '0x1F', '0b101', '0o17', '-0', '+5', '.5', '5.', '1_000', 'Infinity', '-Infinity', 'NaN', '1e400', '   ', '', '١٢', '12abc', '0.1', '100', '100.5', '4.99', '5', '5.01', '-1', '9007199254740993']);
  const boolean = () => r.pick([true, false, 'true', 'false', 'TRUE', 'True', 'yes', 'no', 'Yes', '1', '0', 'on', 'off', 'y', 1, 0, 2, -1, 't', '']);
  const epoch = () =>
    r.pick([0, 1705314600000, -1, 8.64e15, 8.64e15 + 1, -8.64e15, 1.5, -0.5, 1e21, '1705314600000', '-62198755200000', '275760', '275761', '-271820', '-271821', '8640000000000001']);
  const boundaryNumber = () => r.pick([0, -0, -0.0001, 1, 5, 5.0001, 100, 100.1, 4.999, Number.MAX_SAFE_INTEGER, 1e21, 1e-7, 123.456, -50, 0.1 + 0.2, 2 ** 53 + 2]);
  const objectId = () => r.pick([hex(), hex().toUpperCase(), hex().slice(1), hex() + 'a', 'z'.repeat(24), 'abcdefghijkl', { $oid: hex() }, [hex()], [[hex()]], [hex(), hex()]]);
  const withId = (inner) => r.pick([{ _id: inner() }, { _id: inner(), name: 'x' }, { _id: { _id: inner() } }, { _id: [inner()] }, { _id: null }, { _id: '' }, { _id: 0 }, { _id: false }]);
  const deep = (depth) => {
    let v = r.pick(['x', 1, null, true]);
    for (let i = 0; i < depth; i++) v = r.bool(0.5) ? { a: v } : [v];
    return v;
  };
  const mixed = () =>
    r.pick([
      {},
      [],
      { a: 1, b: [1, 2, { c: 'd' }] },
      { nested: { empty: {} } },
      [[1, 2], [3]],
      deep(r.int(1, 6)),
      deep(r.pick([99, 100, 101, 120])),
      { 'a.b': 1 },
      { $gt: 1 },
      'text',
      42,
      null,
      true,
    ]);
  const scalar = () =>
    r.pick([
      numericString,
      boolean,
      epoch,
      boundaryNumber,
      () => dates[r.pick(['iso', 'legacy', 'soup'])](),
      objectId,
      unicode,
      longString,
      () => r.pick(['', ' ', '  padded  ', 'UPPER Case', 'x', 'null', 'undefined', '[object Object]', 'user', 'admin', 'active']),
      () => null,
    ])();
  const any = () =>
    r.pick([
      scalar,
      scalar,
      scalar,
      () => withId(scalar),
      () => r.pick([[], [scalar()], [scalar(), scalar()], [[scalar()]], [null], [{}]]),
      () => r.pick([{}, { x: scalar() }, { toString: 'x' }, { valueOf: 1 }, { _bsontype: 'x' }]),
      mixed,
    ])();
  return { any, scalar, withId, mixed, dates, hex, objectId, numericString, boolean, epoch, longString, unicode, boundaryNumber };
}

// A value meant for a target: often a form its type casts from, often anything.
function valueFor(target, forms, r) {
  const type = target.instance;
  const enumValues = target.st && target.st.enumValues && target.st.enumValues.filter((x) => x != null);
  const typed = {
    String: () =>
      r.pick([
        forms.scalar,
        forms.longString,
        forms.unicode,
        () => forms.withId(() => r.pick(['id_1', '', 'x'])),
        () => (enumValues && enumValues.length ? r.pick([r.pick(enumValues), r.pick(enumValues).toUpperCase(), ` ${r.pick(enumValues)} `]) : 'text'),
      ])(),
    Number: () => r.pick([forms.numericString, forms.boundaryNumber, forms.boolean, () => forms.withId(() => r.pick([forms.numericString(), forms.boundaryNumber(), null, true, [5], { _id: 3 }]))])(),
    Boolean: () => r.pick([forms.boolean, () => forms.withId(forms.boolean)])(),
    Date: () => r.pick([() => forms.dates[r.pick(['iso', 'legacy', 'legacy', 'soup'])](), forms.epoch, () => [forms.dates.legacy()], () => r.pick([[2024, 1], [1, 2, 3], ['Jan', 5, 2024]]), () => forms.withId(forms.epoch)])(),
    ObjectId: () => r.pick([forms.objectId, () => forms.withId(forms.objectId)])(),
  }[type];
  switch (target.kind) {
    case 'leaf':
      return typed && r.bool(0.7) ? typed() : forms.any();
    case 'mixed':
      return r.bool(0.7) ? forms.mixed() : forms.any();
    case 'nested':
    case 'map':
      return r.pick([() => '', () => [], () => [1], () => 0, () => false, () => 'x', () => null, () => ({}), () => ({ 'a.b': 1 }), () => ({ $x: 1 }), forms.any])();
    case 'docArray':
    case 'array':
      return r.pick([() => '', () => 0, () => false, () => null, () => [], () => 'x', () => 5, () => [null], () => [false], () => [''], () => [0], () => [[]], () => ({}), forms.any])();
    case 'element':
      return r.pick([() => '', () => 0, () => false, () => null, () => [], () => 'x', () => 5, () => true, () => ({}), () => [1], forms.any])();
    default:
      return forms.any();
  }
}

// ---------------------------------------------------------------------------
// Mutations.
// ---------------------------------------------------------------------------

// Sets `value` at `segments` in `doc` (`#`: an index into an array, `*`: a map
// key), creating what is missing on the way.
function setAt(doc, segments, value, r) {
  let cur = doc;
  for (let i = 0; i < segments.length; i++) {
    const last = i === segments.length - 1;
    let key = segments[i];
    if (key === '#') {
      if (!Array.isArray(cur)) return;
      key = cur.length === 0 || r.bool(0.3) ? cur.length : r.int(0, cur.length - 1);
    } else if (key === '*') {
      key = r.pick(['k', 'level', 'a b', 'ünï', '$bad', 'a.b', '']);
    }
    if (last) {
      cur[key] = value;
      return;
    }
    const nextIsIndex = segments[i + 1] === '#';
    let next = cur[key];
    if (nextIsIndex ? !Array.isArray(next) : !isPlainObject(next)) {
      next = nextIsIndex ? [] : {};
      cur[key] = next;
    }
    if (nextIsIndex && next.length === 0) next.push({});
    cur = next;
  }
}

function deleteAt(doc, segments) {
  let cur = doc;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i] === '#' ? 0 : segments[i];
    cur = cur && typeof cur === 'object' ? cur[key] : undefined;
  }
  const last = segments[segments.length - 1];
  if (cur && typeof cur === 'object' && last !== '#' && last !== '*') delete cur[last];
}

function mutate(base, targets, forms, r) {
  const doc = structuredClone(base);
  const n = r.pick([1, 1, 1, 2, 2, 3, 5]);
  for (let i = 0; i < n; i++) {
    const t = r.pick(targets);
    const op = r.next();
    if (op < 0.75) {
      setAt(doc, t.segments, valueFor(t, forms, r), r);
    } else if (op < 0.85) {
      deleteAt(doc, t.segments);
    } else if (op < 0.92) {
      // Unknown keys, at the top or inside a nested object.
      const where = t.kind === 'nested' ? t.segments.concat(r.pick(['unknown', '$where', 'a.b'])) : [r.pick(['unknownField', '$where', '__proto__x', '_id', '__v', 'createdAt', 'updatedAt'])];
      setAt(doc, where, forms.any(), r);
    } else {
      // A dotted key for a declared path.
      const dotted = t.segments.filter((s) => s !== '#' && s !== '*');
      if (dotted.length > 1 && !t.segments.includes('#')) doc[dotted.join('.')] = valueFor(t, forms, r);
      else setAt(doc, t.segments, valueFor(t, forms, r), r);
    }
  }
  return doc;
}

// ---------------------------------------------------------------------------
// Both answers.
// ---------------------------------------------------------------------------

function mongooseCase(collection, input, now) {
  const res = runCase(collection, models[collection], { name: 'fuzz', now, input }, { localTime: false });
  return { valid: res.valid, errors: res.errors, output: res.output, deviations: res.deviations || [], thrown: res.thrown };
}

function crateCases(crate, cases) {
  const text = cases.map((c) => `${c.collection} ${c.now}\n${JSON.stringify(c.input)}\n`).join('');
  const res = spawnSync(crate, [], { input: text, maxBuffer: 1 << 30, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`${crate} failed: ${res.stderr || res.error}`);
  const lines = res.stdout.trimEnd().split('\n');
  if (lines.length !== cases.length) throw new Error(`${crate} answered ${lines.length} of ${cases.length} cases`);
  return lines.map((l) => JSON.parse(l));
}

// JSON values equal, object key order ignored.
function sameValue(a, b) {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue(a[k], b[k]));
}

// The schema pattern of a path: indices become N, map keys *.
function pattern(collection, full) {
  const schema = models[collection].schema;
  const out = [];
  let sch = schema;
  let rel = [];
  const segs = full === '' ? [] : full.split('.');
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    if (/^\d+$/.test(s)) {
      out.push('N');
      const st = sch && sch.path(rel.join('.'));
      if (st && st.$isMongooseDocumentArray) {
        sch = st.schema;
        rel = [];
      }
      continue;
    }
    const st = sch && sch.path(rel.concat(s).join('.'));
    out.push(s);
    rel.push(s);
    if (st && st.instance === 'Map' && i + 1 < segs.length) {
      out.push('*');
      i++;
      sch = null;
    }
  }
  return out.join('.');
}

function typeOf(v) {
  if (v === undefined) return 'absent';
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length === 0 ? 'empty array' : 'array';
  if (typeof v === 'object') return Object.prototype.hasOwnProperty.call(v, '_id') ? 'object with _id' : 'object';
  if (typeof v === 'string') return v === '' ? 'empty string' : 'string';
  return typeof v;
}

// The input value at a full path (dotted keys looked up as given, too).
function inputAt(input, full) {
  if (full === '') return input;
  let cur = input;
  const segs = full.split('.');
  for (let i = 0; i < segs.length; i++) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const rest = segs.slice(i).join('.');
    if (isPlainObject(cur) && Object.prototype.hasOwnProperty.call(cur, rest)) return cur[rest];
    cur = cur[segs[i]];
  }
  return cur;
}

// The paths where two outputs differ (first level of difference).
function outputDiffs(a, b, at, out) {
  if (sameValue(a, b)) return out;
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) outputDiffs(a[k], b[k], at ? `${at}.${k}` : k, out);
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => outputDiffs(x, b[i], `${at}.${i}`, out));
  } else {
    out.push(at);
  }
  return out;
}

// The classes of difference between Mongoose's answer and the crate's.
function differences(collection, input, want, got) {
  if (got.fault) return [`crate fault: ${got.fault}`];
  // mongoose-throws: Mongoose cannot build the document; only the verdict is its.
  if (want.errors === null) return got.valid ? ['verdict: Mongoose throws, the crate accepts'] : [];
  const items = [];
  const key = (e) => `${e.path}\u0000${e.kind}\u0000${e.message}`;
  const gotErrors = got.errors || [];
  const wantKeys = new Set(want.errors.map(key));
  const gotKeys = new Set(gotErrors.map(key));
  const describe = (what, e) => `${what} ${e.kind} at ${pattern(collection, e.path) || '(document)'} (input: ${typeOf(inputAt(input, e.path))})`;
  const onlyWant = want.errors.filter((e) => !gotKeys.has(key(e)));
  const onlyGot = gotErrors.filter((e) => !wantKeys.has(key(e)));
  for (const e of onlyWant) {
    const twin = onlyGot.find((g) => g.path === e.path && g.kind === e.kind);
    // inspect-width: a multi-line message holding non-ASCII text may align columns differently.
    const wide = want.deviations.includes('inspect-width') && e.message.includes('\n') && /[^\x00-\x7f]/.test(e.message);
    const long = want.deviations.includes('inspect-long-string') && / more characters?\b/.test(e.message);
    const explained = twin && (wide || long);
    items.push(explained ? `explained by ${wide ? 'inspect-width' : 'inspect-long-string'}: ${describe('message of', e)}` : describe(twin ? 'message of' : 'missing', e));
  }
  for (const e of onlyGot) {
    if (!onlyWant.some((w) => w.path === e.path && w.kind === e.kind)) items.push(describe('extra', e));
  }
  if (want.valid && got.valid) {
    for (const at of outputDiffs(want.output, got.output, '', [])) {
      items.push(`output at ${pattern(collection, at) || '(document)'} (input: ${typeOf(inputAt(input, at))})`);
    }
  }
  return [...new Set(items)];
}

// ---------------------------------------------------------------------------
// Shrinking an example.
// ---------------------------------------------------------------------------

// Documents one step smaller: one key or one array element removed, anywhere.
function reductions(doc) {
  const out = [];
  function walk(v, rebuild) {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        out.push(rebuild(v.slice(0, i).concat(v.slice(i + 1))));
        walk(x, (nx) => rebuild(v.map((y, j) => (j === i ? nx : y))));
      });
    } else if (isPlainObject(v)) {
      for (const k of Object.keys(v)) {
        const { [k]: _, ...rest } = v;
        out.push(rebuild(rest));
        walk(v[k], (nx) => rebuild({ ...v, [k]: nx }));
      }
    } else if (typeof v === 'string' && v.length > 8) {
      out.push(rebuild(v.slice(0, Math.ceil(v.length / 2))));
    }
  }
  walk(doc, (x) => x);
  return out;
}

function shrink(crate, example, item) {
  let best = example;
  for (let round = 0; round < 60; round++) {
    const candidates = reductions(best.input).filter((x) => isPlainObject(x) || !isPlainObject(best.input));
    if (candidates.length === 0) break;
    const cases = candidates.map((input) => ({ collection: best.collection, now: best.now, input }));
    const got = crateCases(crate, cases);
    let next = null;
    cases.forEach((c, i) => {
      const want = mongooseCase(c.collection, c.input, c.now);
      if (!differences(c.collection, c.input, want, got[i]).includes(item)) return;
      if (!next || JSON.stringify(c.input).length < JSON.stringify(next.input).length) next = { ...c, want, got: got[i] };
    });
    if (!next) break;
    best = next;
  }
  return best;
}

// ---------------------------------------------------------------------------

function main() {
  const args = parseArgs();
  const r = rng(args.seed);
  const forms = valueForms(r);
  const bases = {};
  const targets = {};
  for (const c of args.collections) {
    const file = JSON.parse(fs.readFileSync(path.join(VECTORS_DIR, `${c}.json`), 'utf8'));
    bases[c] = file.cases.filter((x) => x.valid).map((x) => x.input);
    targets[c] = schemaTargets(models[c].schema);
  }
  const stats = Object.fromEntries(
    args.collections.map((c) => [c, { documents: 0, agree: 0, explained: 0, classes: new Map(), deviations: new Map() }])
  );
  const t0 = Date.now();
  let done = 0;
  while (done < args.count) {
    const n = Math.min(args.chunk, args.count - done);
    const cases = [];
    for (let i = 0; i < n; i++) {
      const collection = args.collections[(done + i) % args.collections.length];
      const now = r.pick(NOWS);
      let input;
      if (r.bool(0.003)) input = r.pick([null, [], [{ a: 1 }], 'text', 5, true, 1.5]);
      else input = mutate(r.pick(bases[collection]), targets[collection], forms, r);
      // Both sides get the same JSON text (`-0` becomes `0` on the way, as for any client).
      input = JSON.parse(JSON.stringify(input));
      cases.push({ collection, now, input });
    }
    const got = crateCases(args.crate, cases);
    cases.forEach((c, i) => {
      const s = stats[c.collection];
      s.documents++;
      const want = mongooseCase(c.collection, c.input, c.now);
      for (const d of want.deviations) s.deviations.set(d, (s.deviations.get(d) || 0) + 1);
      const all = differences(c.collection, c.input, want, got[i]);
      const items = all.filter((x) => !x.startsWith('explained by '));
      if (items.length < all.length) s.explained++;
      if (items.length === 0) {
        s.agree++;
        return;
      }
      const size = JSON.stringify(c.input).length;
      for (const item of items) {
        const cls = s.classes.get(item) || { count: 0, example: null, size: Infinity };
        cls.count++;
        if (size < cls.size) {
          cls.size = size;
          cls.example = { ...c, want, got: got[i] };
        }
        s.classes.set(item, cls);
      }
    });
    done += n;
    process.stderr.write(`  ${done}/${args.count} documents (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
  }

  let documents = 0;
  let agree = 0;
  let classes = 0;
  console.log(`differential against Mongoose: seed ${args.seed}, ${args.count} documents`);
  for (const c of args.collections) {
    const s = stats[c];
    documents += s.documents;
    agree += s.agree;
    classes += s.classes.size;
    const devs = [...s.deviations].map(([d, n]) => `${d} ${n}`).join(', ');
    console.log(
      `${c}: ${s.documents} documents, ${s.agree} agree (${s.explained} of them only by an explained deviation), ` +
        `${s.documents - s.agree} differ, ${s.classes.size} classes` + (devs ? `; deviations applied: ${devs}` : '')
    );
    for (const [item, cls] of [...s.classes].sort((a, b) => b[1].count - a[1].count)) {
      const ex = shrink(args.crate, cls.example, item);
      console.log(`  [${cls.count}] ${item}`);
      console.log(`      input:    ${JSON.stringify(ex.input)}`);
      console.log(`      mongoose: ${summary(ex.want)}`);
      console.log(`      crate:    ${summary(ex.got)}`);
    }
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(0);
  console.log(
    `total: ${documents} documents, ${agree} agree, ${documents - agree} differ, ${classes} classes of difference (${secs} s)`
  );
  if (documents !== agree) process.exit(1);
}

function summary(a) {
  if (a.fault) return `fault ${a.fault}`;
  if (a.errors === null) return `throws (${a.thrown || 'mongoose-throws'})`;
  if (a.valid) return `valid ${JSON.stringify(a.output)}`;
  return `invalid ${JSON.stringify((a.errors || []).map((e) => [e.path, e.kind, e.message]))}`;
}

if (require.main === module) main();

module.exports = { schemaTargets, differences };
