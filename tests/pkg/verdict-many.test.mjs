// The package's `verdict` and `validateMany` against `validate`, whose
// answers the vectors check: a verdict is validate's answer less `value`;
// validateMany answers each element as validate does, in order, also when
// the array cannot cross as one text (an element with a cycle), and errors
// carry `params` as validate's do.
//   cd tests/pkg && node --test verdict-many.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as pkg from '@onelastai/models';
import { loadVectorFiles } from './lib/files.js';

const files = loadVectorFiles();
const withoutValue = ({ value, ...rest }) => rest;

test('verdict is validate without the normalised document, for every vector', () => {
  let cases = 0;
  for (const file of files) {
    for (const c of file.cases) {
      const options = { now: c.now };
      assert.deepEqual(pkg.verdict(file.collection, c.input, options), withoutValue(pkg.validate(file.collection, c.input, options)), c.name);
      cases++;
    }
  }
  assert.ok(cases > 900, `${cases} cases`);
});

test('validateMany answers every vector file as validate does, one by one', () => {
  for (const file of files) {
    const now = file.cases[0].now;
    const inputs = file.cases.filter((c) => c.now === now).map((c) => c.input);
    for (const options of [{ now }, { now, maxErrors: 1 }]) {
      assert.deepEqual(
        pkg.validateMany(file.collection, inputs, options),
        inputs.map((input) => pkg.validate(file.collection, input, options)),
        file.collection,
      );
    }
  }
});

test('validateMany: holes, undefined, dates, NaN and an element with a cycle', () => {
  const options = { now: '2024-01-15T10:30:00.000Z' };
  const cyclic = { id: 'u' };
  cyclic.self = cyclic;
  // eslint-disable-next-line no-sparse-arrays
  for (const inputs of [[{ id: 'u1', email: 'A@B.com' }, undefined, , new Date(0), { id: 'x', email: 'y', bio: NaN }], [{ email: ['x'] }, cyclic, null]]) {
    const many = pkg.validateMany('users', inputs, options);
    assert.deepEqual(many, Array.from(inputs, (input) => pkg.validate('users', input, options)));
  }
  const [bad] = pkg.validateMany('users', [{ email: ['x'] }], options);
  assert.equal(bad.ok, false);
  assert.ok(bad.errors.every((e) => typeof e.params === 'object'));
  assert.throws(() => pkg.validateMany('users', {}, options), TypeError);
  assert.throws(() => pkg.validateMany('nope', [], options), /unknown collection/);
  assert.deepEqual(pkg.validateMany('users', [], options), []);
});
