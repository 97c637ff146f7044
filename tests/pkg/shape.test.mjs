// The runtime shape of every answer matches what the .d.ts declares: plain
// objects and arrays (never Map, Set or Date), no `undefined` anywhere (a
// declared `T | null` is `null`, an optional key is absent), finite numbers,
// dates as ISO 8601 strings with milliseconds and `Z`. JS Date objects in
// the input read as their instants. (tests/pkg/types/outputs.ts, generated
// from the same answers, makes tsc check them against the declared types.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as pkg from '@onelastai/models';
import { loadVectorFiles } from './lib/files.js';

const ISO = /^(\d{4}|[+-]\d{6})-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const DATE_LIKE = /^[+-]?\d{4,6}-\d\d-\d\dT\d\d:\d\d/;
const files = loadVectorFiles();

/**
 * Every problem with `v` as plain JSON data, with its path. Dates in a
 * normalised document are ISO with ms and Z; an error's `value` is the input
 * as it was sent (a date string that failed to cast stays as given), so
 * `dates` is off there.
 */
function plainJsonProblems(v, at = '$', out = [], dates = true) {
  if (v === undefined) out.push(`${at}: undefined`);
  else if (typeof v === 'number' && !Number.isFinite(v)) out.push(`${at}: ${v}`);
  else if (dates && typeof v === 'string' && DATE_LIKE.test(v) && !ISO.test(v)) out.push(`${at}: date ${v} is not ISO with ms and Z`);
  else if (['bigint', 'function', 'symbol'].includes(typeof v)) out.push(`${at}: ${typeof v}`);
  else if (typeof v === 'object' && v !== null) {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) out.push(`${at}[${i}]: hole`);
        plainJsonProblems(v[i], `${at}[${i}]`, out, dates);
      }
    } else if (Object.getPrototypeOf(v) !== Object.prototype) {
      out.push(`${at}: ${Object.prototype.toString.call(v)}, not a plain object`);
    } else {
      for (const [k, x] of Object.entries(v)) {
        // An error's offending value is the input as sent.
        const keepDates = dates && !(k === 'value' && /\.errors\[\d+\]$/.test(at));
        plainJsonProblems(x, `${at}.${k}`, out, keepDates);
      }
    }
  }
  return out;
}

// The ErrorKind union and the params of each kind, as index.d.ts documents them.
const ERROR_KINDS = ['required', 'enum', 'min', 'max', 'maxlength', 'minlength', 'regexp', 'user defined', 'cast'];
const PARAMS = { maxlength: ['maxlength', 'length'], enum: ['values'], min: ['min'], max: ['max'], cast: ['type'] };

function shapeProblems(r) {
  const problems = plainJsonProblems(r);
  const keys = Object.keys(r).sort().join(',');
  if (r.ok === true && keys !== 'ok,value') problems.push(`keys ${keys}`);
  if (r.ok === false) {
    if (keys !== 'errors,ok') problems.push(`keys ${keys}`);
    for (const e of r.errors) {
      const extra = Object.keys(e).filter((k) => !['path', 'kind', 'message', 'value', 'params'].includes(k));
      if (extra.length) problems.push(`FieldError has ${extra}`);
      for (const k of ['path', 'kind', 'message']) {
        if (typeof e[k] !== 'string') problems.push(`FieldError.${k} is ${typeof e[k]}`);
      }
      if (!ERROR_KINDS.includes(e.kind)) problems.push(`FieldError.kind is ${e.kind}, not an ErrorKind`);
      const params = e.params;
      if (typeof params !== 'object' || params === null || Array.isArray(params)) problems.push('FieldError.params is not an object');
      else {
        const allowed = PARAMS[e.kind] ?? [];
        const bad = Object.keys(params).filter((k) => !allowed.includes(k));
        if (bad.length) problems.push(`FieldError.params of ${e.kind} has ${bad}`);
        for (const k of allowed.filter((k) => k !== 'length')) {
          if (!(k in params)) problems.push(`FieldError.params of ${e.kind} lacks ${k}`);
        }
      }
    }
  }
  if (r.ok !== true && r.ok !== false) problems.push(`ok is ${r.ok}`);
  return problems;
}

/** `input` with every ISO string that the output keeps as a date turned into a Date. */
function withDateObjects(input, output) {
  if (typeof input === 'string' && typeof output === 'string' && ISO.test(output) && !Number.isNaN(Date.parse(input))) {
    return new Date(output);
  }
  if (Array.isArray(input) && Array.isArray(output)) return input.map((x, i) => withDateObjects(x, output[i]));
  // An array that became an object (a map given its entries) stays as sent.
  if (input && output && typeof input === 'object' && !Array.isArray(input) && typeof output === 'object') {
    return Object.fromEntries(Object.entries(input).map(([k, x]) => [k, withDateObjects(x, output[k])]));
  }
  return input;
}

for (const file of files) {
  test(`shapes: ${file.collection}`, () => {
    for (const kase of file.cases) {
      const before = JSON.stringify(kase.input);
      const r = pkg.validate(file.collection, kase.input, { now: kase.now });
      assert.equal(JSON.stringify(kase.input), before, `${kase.name}: the input was modified`);
      assert.deepEqual(shapeProblems(r), [], kase.name);
      if (r.ok) {
        const viaDates = pkg.validate(file.collection, withDateObjects(kase.input, r.value), {
          now: new Date(kase.now),
        });
        assert.deepEqual(viaDates, r, `${kase.name}: Date objects in the input`);
      }
    }
  });
}

test('shapes: validateField and collections', () => {
  for (const r of [pkg.validateField('users', 'email', 'x'), pkg.validateField('users', 'bio', 'b'.repeat(600))]) {
    assert.deepEqual(plainJsonProblems(r), []);
    assert.ok(Array.isArray(r) && r.length === 1);
  }
  assert.deepEqual(plainJsonProblems(JSON.parse(JSON.stringify(pkg.collections))), []);
});
