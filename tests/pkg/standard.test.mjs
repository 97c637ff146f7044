// Standard Schema V1 and Standard JSON Schema V1 (@standard-schema/spec 1.1)
// at run time: the `~standard` properties the spec requires, a synchronous
// `validate` whose issues carry a message and a path of keys and indices,
// the same verdicts as the vectors, and `schemaOf` with human messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as pkg from '@onelastai/models';
import { loadVectorFiles } from './lib/files.js';

test('one Standard Schema per collection, with the spec\'s properties', () => {
  assert.deepEqual(Object.keys(pkg.schemas).sort(), pkg.collections.map((c) => c.name).sort());
  for (const [name, schema] of Object.entries(pkg.schemas)) {
    const std = schema['~standard'];
    assert.equal(std.version, 1, name);
    assert.equal(std.vendor, 'onelastai', name);
    assert.equal(typeof std.validate, 'function', name);
    assert.equal(typeof std.jsonSchema.input, 'function', name);
    assert.equal(typeof std.jsonSchema.output, 'function', name);
    assert.equal(pkg.schemaOf(name), schema, name);
  }
  assert.throws(() => pkg.schemaOf('nope'), /unknown collection "nope"/);
});

test('validate is synchronous: value on success, issues with message and path on failure', () => {
  const std = pkg.schemas.chatsessions['~standard'];
  const ok = std.validate({ id: 's', userId: 'u', name: 'n', messages: [{ id: 'm', role: 'user', content: 'hi' }] });
  assert.ok(!(ok instanceof Promise));
  assert.equal(ok.issues, undefined);
  assert.equal(ok.value.messages[0].role, 'user');
  assert.equal(ok.value.isActive, true); // a default, filled

  const bad = std.validate({ id: 's', userId: 'u', name: 'n', messages: [{ id: 'm', role: 'robot', content: 'hi' }] });
  assert.deepEqual(
    bad.issues.map((i) => [i.message, i.path]),
    [['`robot` is not a valid enum value for path `role`.', ['messages', 0, 'role']]],
  );
  // The document itself: no path.
  const root = pkg.schemas.users['~standard'].validate('text');
  assert.equal(root.issues.length, 1);
  assert.equal(root.issues[0].path, undefined);
});

test('the same verdicts as the vectors', () => {
  let cases = 0;
  for (const file of loadVectorFiles()) {
    const std = pkg.schemas[file.collection]['~standard'];
    for (const kase of file.cases) {
      // Vectors fix the clock; a default date differs, the verdict does not.
      const r = std.validate(kase.input);
      assert.equal(r.issues === undefined, kase.valid, `${file.collection} / ${kase.name}`);
      if (!kase.valid) {
        assert.deepEqual(
          r.issues.map((i) => i.path?.join('.') ?? '').sort(),
          kase.errors.map((e) => e.path).sort(),
          `${file.collection} / ${kase.name}`,
        );
      }
      cases++;
    }
  }
  assert.ok(cases > 900);
});

test('schemaOf with a locale: human messages', () => {
  const fr = pkg.schemaOf('users', { locale: 'fr' })['~standard'];
  const r = fr.validate({ id: 'u', email: 'a@b.co', bio: 'x'.repeat(510) });
  assert.deepEqual(r.issues.map((i) => [i.message, i.path]), [['Bio doit comporter au plus 500 caractères (510 actuellement).', ['bio']]]);
  const en = pkg.schemaOf('users', { locale: 'en' })['~standard'];
  assert.equal(en.validate({ id: 'u', email: 'a@b.co', bio: 'x'.repeat(510) }).issues[0].message, 'Bio must be at most 500 characters (510 now).');
});
