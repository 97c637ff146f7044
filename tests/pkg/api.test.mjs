// The JavaScript API's contract beyond the vectors: exports, errors that
// throw and errors that do not, the Node entry's CommonJS face, options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as pkg from '@onelastai/models';
import { declaredFunctions } from './lib/files.js';

const NOW = '2024-01-15T10:30:00.000Z';

test('every declared function is exported, and init and collections too', async () => {
  for (const name of declaredFunctions()) {
    assert.equal(typeof pkg[name], 'function', name);
  }
  assert.equal(pkg.collections.length, 17);
  assert.equal(await pkg.init(), undefined);
});

test('an unknown collection throws an Error listing the valid names', () => {
  for (const bad of ['user', 'Users', '', 42, undefined]) {
    assert.throws(
      () => pkg.validate(bad, {}),
      (e) => e instanceof Error && /expected one of: users, usersessions, .*appconfigs$/.test(e.message),
    );
  }
  assert.throws(() => pkg.validateField('nope', 'id', 'x'), /unknown collection "nope"/);
});

/** Values JSON cannot say, or that fight being read: what a hostile caller passes. */
function hostileValues() {
  const cyclic = { id: 'u' };
  cyclic.self = cyclic;
  return [
    null, undefined, 'text', 42, true, [], [1, 2], cyclic, { id: 10n }, { id: Symbol('s') },
    { id: () => 1 }, new Map([['id', 'u']]), { toJSON() { throw new Error('no'); } },
    { email: '\ud800' }, { createdAt: new Date(NaN) }, { bio: NaN, name: Infinity },
  ];
}

test('bad documents never throw', () => {
  const inputs = hostileValues();
  for (const collection of pkg.collections.map((c) => c.name)) {
    for (const input of inputs) {
      const r = pkg.validate(collection, input, { now: NOW });
      assert.equal(typeof r.ok, 'boolean');
      if (!r.ok) assert.ok(Array.isArray(r.errors) && r.errors.length > 0);
    }
  }
});

test('bad documents and values never throw from verdict, validateMany or validateField', () => {
  const inputs = hostileValues();
  const options = { now: NOW };
  for (const collection of pkg.collections.map((c) => c.name)) {
    for (const input of inputs) {
      const v = pkg.verdict(collection, input, options);
      assert.equal(typeof v.ok, 'boolean', `verdict ${collection}`);
      if (!v.ok) assert.ok(Array.isArray(v.errors) && v.errors.length > 0);
    }
    // The whole list in one batch, and each value beside a good neighbour.
    const many = pkg.validateMany(collection, inputs, options);
    assert.equal(many.length, inputs.length);
    for (const r of many) assert.equal(typeof r.ok, 'boolean', `validateMany ${collection}`);
  }
  // A value of any type at a string, an enum inside an array and an object path;
  // the same values as `options.document`, which rules that read other fields see.
  for (const [collection, path] of [['users', 'email'], ['chatsessions', 'messages.0.role'], ['users', 'preferences']]) {
    for (const value of inputs) {
      assert.ok(Array.isArray(pkg.validateField(collection, path, value, options)), `${collection}.${path}`);
      assert.ok(Array.isArray(pkg.validateField(collection, path, 'x', { ...options, document: value })), `${collection}.${path} document`);
    }
  }
});

test('a "__proto__" key in a Mixed value stays data: no prototype is set or polluted', () => {
  // JSON.parse makes "__proto__" an own key, as a request body read by the server is.
  const input = JSON.parse('{"key":"k","value":{"__proto__":{"polluted":1},"constructor":{"prototype":{"p2":1}},"list":[{"__proto__":{"x":1}}]}}');
  for (const r of [pkg.validate('appconfigs', input, { now: NOW }), pkg.validateMany('appconfigs', [input], { now: NOW })[0]]) {
    assert.equal(r.ok, true);
    const { value } = r.value;
    assert.ok(Object.hasOwn(value, '__proto__') && Object.hasOwn(value.list[0], '__proto__'));
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.equal(Object.getPrototypeOf(value.list[0]), Object.prototype);
    assert.deepEqual(JSON.parse(JSON.stringify(value)), JSON.parse(JSON.stringify(input.value)));
  }
  assert.equal({}.polluted, undefined);
  assert.equal({}.p2, undefined);
});

test('the document cannot be read as JSON: a cast error at the root, no exception', () => {
  const cyclic = {};
  cyclic.self = cyclic;
  const r = pkg.validate('users', cyclic, { now: NOW });
  assert.equal(r.ok, false);
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].path, '');
  assert.equal(r.errors[0].kind, 'cast');
});

test('JavaScript values JSON cannot say are read as Mongoose would see them', () => {
  const r = pkg.validateUser(
    { id: 7n, email: 'a@b.co', bio: NaN, lastLoginAt: new Date(NaN), joinedAt: new Date(0) },
    { now: NOW },
  );
  assert.equal(r.ok, false);
  const byPath = Object.fromEntries(r.errors.map((e) => [e.path, e.kind]));
  assert.deepEqual(byPath, { lastLoginAt: 'cast' });
  const ok = pkg.validateUser({ id: 7n, email: 'a@b.co', bio: NaN, joinedAt: new Date(0) }, { now: NOW });
  assert.equal(ok.ok, true);
  assert.equal(ok.value.id, '7');
  assert.equal(ok.value.bio, 'NaN'); // String(NaN), as Mongoose casts it
  assert.equal(ok.value.joinedAt, '1970-01-01T00:00:00.000Z');
  const price = pkg.validateAgentSubscription(
    { userId: 'u', agentId: 'a', plan: 'daily', price: NaN, expiryDate: NOW },
    { now: NOW },
  );
  assert.equal(price.ok, false);
  assert.deepEqual(price.errors.map((e) => [e.path, e.kind]), [['price', 'cast']]);
});

test('a Map for a Map field reads as its entries', () => {
  const progress = new Map([['explorer', 3]]);
  const viaMap = pkg.validate('userachievements', { userId: 'u', progress }, { now: NOW });
  const viaObject = pkg.validate('userachievements', { userId: 'u', progress: { explorer: 3 } }, { now: NOW });
  assert.deepEqual(viaMap, viaObject);
});

test('options.now: Date or ISO string; absent means the caller clock; invalid throws', () => {
  const a = pkg.validateUser({ id: 'u', email: 'a@b.co' }, { now: NOW });
  const b = pkg.validateUser({ id: 'u', email: 'a@b.co' }, { now: new Date(NOW) });
  assert.deepEqual(a, b);
  assert.equal(a.value.joinedAt, NOW);
  const before = Date.now();
  const c = pkg.validateUser({ id: 'u', email: 'a@b.co' });
  const joined = Date.parse(c.value.joinedAt);
  assert.ok(joined >= before && joined <= Date.now());
  assert.throws(() => pkg.validateUser({}, { now: 'yesterday' }), /options\.now/);
  assert.throws(() => pkg.validateUser({}, 'not options'), /options must be an object/);
});

test('options.now and the collection name: each call reads the value it is given', () => {
  // The last string of each is remembered; a different one, or a Date changed
  // in place, must still be read anew.
  const at = (now) => pkg.validateUser({ id: 'u', email: 'a@b.co' }, { now }).value.joinedAt;
  assert.equal(at('2024-01-15T10:30:00Z'), '2024-01-15T10:30:00.000Z');
  assert.equal(at('2024-01-15T10:30:00Z'), '2024-01-15T10:30:00.000Z');
  assert.equal(at('2025-06-01T00:00:00Z'), '2025-06-01T00:00:00.000Z');
  assert.throws(() => at('not a date'), /options\.now/);
  assert.throws(() => at('not a date'), /options\.now/);
  assert.equal(at('2024-01-15T10:30:00Z'), '2024-01-15T10:30:00.000Z');
  const clock = new Date('2024-01-15T10:30:00Z');
  assert.equal(at(clock), '2024-01-15T10:30:00.000Z');
  clock.setUTCFullYear(2030);
  assert.equal(at(clock), '2030-01-15T10:30:00.000Z');
  assert.equal(pkg.validate('users', {}).ok, false);
  assert.equal(pkg.validate('appconfigs', { key: 'k', value: 1 }).ok, true);
  assert.throws(() => pkg.validate('appconfig', {}), /unknown collection/);
  assert.equal(pkg.validate('appconfigs', { key: 'k', value: 1 }).ok, true);
  assert.equal(pkg.validate('users', { key: 'k', value: 1 }).ok, false);
});

test('options whose getters throw: the call throws that error, and the next calls are unharmed', () => {
  // The options are read in JavaScript (boundary.js), where a throwing getter
  // unwinds through the module: nothing may be left half-done for the next call.
  const boom = new Error('getter says no');
  const throwing = (key) => Object.defineProperty({}, key, { get() { throw boom; } });
  const doc = { id: 'u', email: 'a@b.co' };
  for (const key of ['now', 'maxErrors']) {
    assert.throws(() => pkg.validate('users', doc, throwing(key)), (e) => e === boom || e.message === boom.message);
    assert.throws(() => pkg.verdict('users', doc, throwing(key)), (e) => e === boom || e.message === boom.message);
    assert.throws(() => pkg.validateMany('users', [doc], throwing(key)), (e) => e === boom || e.message === boom.message);
    const after = pkg.validate('users', doc, { now: NOW });
    assert.equal(after.ok, true);
    assert.equal(after.value.joinedAt, NOW);
    assert.deepEqual(pkg.validateMany('users', [doc, {}], { now: NOW }).map((r) => r.ok), [true, false]);
  }
});

test('validateField: the errors of one path, with the rest of the form as context', () => {
  assert.deepEqual(pkg.validateField('users', 'email', 'ann@example.com'), []);
  const [bad] = pkg.validateField('users', 'email', 'not an email');
  assert.equal(bad.path, 'email');
  assert.equal(bad.kind, 'user defined');
  // authMethod defaults to 'password', which needs 8 characters; passwordless does not.
  assert.deepEqual(pkg.validateField('users', 'password', 'short').map((e) => e.kind), ['user defined']);
  const other = pkg.validateField('users', 'password', 'short', { document: { authMethod: 'passwordless' } });
  assert.deepEqual(other, []);
  assert.deepEqual(pkg.validateField('users', 'role', 'root').map((e) => e.kind), ['enum']);
  assert.deepEqual(pkg.validateField('chatsessions', 'messages.0.role', 'robot').map((e) => e.path), [
    'messages.0.role',
  ]);
  assert.throws(() => pkg.validateField('users', 'nickname', 'x'), /`nickname` is not a field of User/);
  assert.throws(() => pkg.validateField('users', 3, 'x'), /path must be a string/);
});

test('calculateExpiryDate and isSubscriptionValid follow the spec', () => {
  assert.equal(pkg.calculateExpiryDate('daily', '2024-01-15T10:30:00.000Z'), '2024-01-16T10:30:00.000Z');
  assert.equal(pkg.calculateExpiryDate('weekly', new Date('2024-12-28T00:00:00Z')), '2025-01-04T00:00:00.000Z');
  assert.equal(pkg.calculateExpiryDate('monthly', Date.UTC(2023, 0, 31, 8)), '2023-03-03T08:00:00.000Z');
  assert.throws(() => pkg.calculateExpiryDate('yearly', NOW), /^Error: Invalid plan$/);
  assert.throws(() => pkg.calculateExpiryDate('daily', 'soon'), /Invalid start date/);
  const later = '2024-01-15T10:30:00.001Z';
  assert.equal(pkg.isSubscriptionValid({ status: 'active', expiryDate: later }, NOW), true);
  assert.equal(pkg.isSubscriptionValid({ status: 'active', expiryDate: NOW }, NOW), false);
  assert.equal(pkg.isSubscriptionValid({ status: 'cancelled', expiryDate: later }, NOW), false);
  assert.equal(pkg.isSubscriptionValid({ expiryDate: later }, new Date(NOW)), false);
  assert.equal(pkg.isSubscriptionValid({ status: 'active', expiryDate: 'never' }, NOW), false);
  assert.equal(pkg.isSubscriptionValid(null, NOW), false);
  assert.equal(pkg.isSubscriptionValid({ status: 'active', expiryDate: new Date(Date.now() + 60_000) }), true);
});

test('collections: the 17 names with their indexes, frozen data', () => {
  const users = pkg.collections.find((c) => c.name === 'users');
  assert.deepEqual(users.indexes[0], { name: 'id_1', keys: [['id', 1]], unique: true, sparse: false });
  assert.ok(Object.isFrozen(pkg.collections) && Object.isFrozen(users.indexes[0].keys));
  for (const c of pkg.collections) {
    assert.ok(c.indexes.length > 0, c.name);
    pkg.validate(c.name, {}); // every listed name is a collection
  }
});

test('CommonJS: require() gives the same module (Node >= 20.19)', { skip: !process.features.require_module }, () => {
  const require = createRequire(import.meta.url);
  const cjs = require('@onelastai/models');
  assert.equal(cjs.validate, pkg.validate);
});

test('options.maxErrors stops at the limit and says so; every error without it', () => {
  // 50 empty messages: each misses id, role and content (150 errors).
  const session = { id: 's', userId: 'u', name: 'n', messages: Array.from({ length: 50 }, () => ({})) };
  const all = pkg.validate('chatsessions', session, { now: NOW });
  assert.equal(all.ok, false);
  assert.equal(all.errors.length, 150);
  assert.equal('truncated' in all, false);
  const some = pkg.validate('chatsessions', session, { now: NOW, maxErrors: 4 });
  assert.deepEqual(
    some.errors.map((e) => e.path),
    ['messages.0.id', 'messages.0.role', 'messages.0.content', 'messages.1.id'],
  );
  assert.equal(some.truncated, true);
  const exact = pkg.validateChatSession(session, { now: NOW, maxErrors: 150 });
  assert.equal(exact.errors.length, 150);
  assert.equal('truncated' in exact, false);
  for (const bad of [0, -1, 1.5, '3', NaN, null]) {
    assert.throws(
      () => pkg.validate('chatsessions', session, { maxErrors: bad }),
      /options.maxErrors must be a positive integer/,
    );
  }
});

test('a secret sent where it cannot be cast is not in the errors', () => {
  const r = pkg.validateUser(
    { id: 'u', email: 'a@b.co', password: ['correct horse battery'], backupCodes: [{ c: 'bk-123456' }] },
    { now: NOW },
  );
  assert.equal(r.ok, false);
  const text = JSON.stringify(r.errors);
  assert.ok(!text.includes('correct horse') && !text.includes('bk-123456'), text);
  assert.deepEqual(
    r.errors.map((e) => [e.path, e.message]),
    [
      ['password', 'Cast to string failed at path "password"'],
      ['backupCodes.0', 'Cast to [string] failed at path "backupCodes.0"'],
    ],
  );
});

test('a deeply nested input never throws: one root cast error, through every entry point', () => {
  const nested = (levels) => {
    let v = 1;
    for (let i = 0; i < levels; i++) v = { a: v };
    return v;
  };
  const rootCast = (result) => !result.ok && result.errors.length === 1 && result.errors[0].path === '' && result.errors[0].kind === 'cast';
  // 1,000 levels: past the reader's limit; 100,000: past JSON.stringify's stack.
  for (const levels of [1000, 100000]) {
    const doc = { email: 'ann@example.com', preferences: nested(levels) };
    const options = { now: NOW };
    assert.ok(rootCast(pkg.validate('users', doc, options)), `validate, ${levels} levels`);
    assert.ok(rootCast(pkg.verdict('users', doc, options)), `verdict, ${levels} levels`);
    const many = pkg.validateMany('users', [doc, { email: 'ann@example.com' }], options);
    assert.equal(many.length, 2);
    assert.ok(rootCast(many[0]), `validateMany, ${levels} levels`);
    assert.ok(!rootCast(many[1]), 'the shallow neighbour is read');
  }
  // Shallow nesting is read: no root cast error.
  assert.ok(!rootCast(pkg.validate('users', { email: 'ann@example.com', preferences: nested(20) }, { now: NOW })));
});
