// Typed errors and human messages: every error's `params` (expected values
// written by hand from the spec's declarations), formatError's English and
// French sentences (hand-written), labels from paths, overrides and added
// locales, and the routes and form fields of `collections`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as pkg from '@onelastai/models';

const NOW = '2024-01-15T10:30:00.000Z';
const errorsOf = (collection, input) => {
  const r = pkg.validate(collection, input, { now: NOW });
  assert.equal(r.ok, false);
  return Object.fromEntries(r.errors.map((e) => [e.path, e]));
};

test('params: maxlength, enum, min, max, cast, required, user defined', () => {
  const users = errorsOf('users', { id: 'u1', email: 'a@b.co', bio: 'x'.repeat(510), role: 'boss', emailVerified: 'maybe' });
  assert.deepEqual(users.bio.params, { maxlength: 500, length: 510 });
  assert.deepEqual(users.role.params, { values: ['user', 'admin', 'moderator'] });
  assert.deepEqual(users.emailVerified.params, { type: 'boolean' });
  // An emoji is two UTF-16 code units, as Mongoose counts.
  assert.deepEqual(errorsOf('users', { id: 'u', email: 'a@b.co', bio: '🤖'.repeat(251) }).bio.params, { maxlength: 500, length: 502 });

  const reviews = errorsOf('toolreviews', { toolId: 't', userId: 'u', rating: 0, title: 'ok', comment: 'c' });
  assert.deepEqual(reviews.rating.params, { min: 1 });
  assert.deepEqual(errorsOf('toolreviews', { toolId: 't', userId: 'u', rating: 6, title: 'ok' }).rating.params, { max: 5 });

  const missing = errorsOf('users', {});
  assert.equal(missing.id.kind, 'required');
  assert.deepEqual(missing.id.params, {});
  assert.deepEqual(errorsOf('users', { id: 'u', email: 'nope' }).email.params, {});
  assert.deepEqual(pkg.validate('users', 'text').errors[0].params, { type: 'object' });
});

test('params in array subdocuments, typed validators and validateField', () => {
  const e = pkg.validateChatSession({ id: 's', userId: 'u', name: 'n', messages: [{ id: 'm', role: 'robot', content: 'hi' }] }, { now: NOW });
  assert.equal(e.ok, false);
  const role = e.errors.find((x) => x.path === 'messages.0.role');
  assert.deepEqual(role.params, { values: ['user', 'assistant'] });
  const field = pkg.validateField('chatsessions', 'messages.3.role', 'robot');
  assert.deepEqual(field.map((x) => [x.path, x.kind, x.params]), [['messages.3.role', 'enum', { values: ['user', 'assistant'] }]]);
  assert.deepEqual(pkg.validateFieldUnchecked('users', 'bio', 'y'.repeat(501))[0].params, { maxlength: 500, length: 501 });
});

test('formatError: English and French, by hand', () => {
  const users = errorsOf('users', { id: 'u1', email: 'a@b.co', bio: 'x'.repeat(510), role: 'boss', emailVerified: 'maybe' });
  assert.equal(pkg.formatError(users.bio), 'Bio must be at most 500 characters (510 now).');
  assert.equal(pkg.formatError(users.bio, { locale: 'fr' }), 'Bio doit comporter au plus 500 caractères (510 actuellement).');
  assert.equal(pkg.formatError(users.bio, { locale: 'fr-CA' }), 'Bio doit comporter au plus 500 caractères (510 actuellement).');
  assert.equal(pkg.formatError(users.bio, { locale: 'xx' }), 'Bio must be at most 500 characters (510 now).');
  assert.equal(pkg.formatError(users.role), 'Role must be one of "user", "admin" or "moderator".');
  assert.equal(pkg.formatError(users.role, { locale: 'fr' }), 'Role doit être "user", "admin" ou "moderator".');
  assert.equal(pkg.formatError(users.emailVerified), 'Email verified must be true or false.');
  assert.equal(pkg.formatError(users.emailVerified, { locale: 'fr' }), 'Email verified doit être vrai ou faux.');
  const missing = errorsOf('users', {});
  assert.equal(pkg.formatError(missing.email), 'Email is required.');
  assert.equal(pkg.formatError(missing.email, { locale: 'fr' }), 'Email est obligatoire.');
  const reviews = errorsOf('toolreviews', { toolId: 't', userId: 'u', rating: 0, title: 'ok' });
  assert.equal(pkg.formatError(reviews.rating), 'Rating must be at least 1.');
  assert.equal(pkg.formatError(reviews.rating, { locale: 'fr' }), 'Rating doit être au moins 1.');
  const session = pkg.validateChatSession({ id: 's', userId: 'u', name: 'n', messages: [{ id: 'm', role: 'robot', content: 'hi' }] }, { now: NOW });
  assert.equal(pkg.formatError(session.errors[0]), 'Messages 1 role must be one of "user" or "assistant".');
  // A custom rule keeps its own sentence.
  assert.equal(pkg.formatError(errorsOf('users', { id: 'u', email: 'nope' }).email), 'Invalid email format');
  assert.equal(pkg.formatError(pkg.validate('users', 'text').errors[0]), 'The document must be an object.');
});

test('formatError: the templates (models crate) with params given, by hand', () => {
  // Errors shaped as the server's 422 sends them: params, no collection needed.
  const bio = { path: 'bio', kind: 'maxlength', message: 'm', params: { maxlength: 500, length: 510 } };
  assert.equal(pkg.formatError(bio, { locale: 'fr' }), 'Bio doit comporter au plus 500 caractères (510 actuellement).');
  // No length (no string value): the conditional part is left out.
  const noLength = { path: 'bio', kind: 'maxlength', message: 'm', params: { maxlength: 500 } };
  assert.equal(pkg.formatError(noLength), 'Bio must be at most 500 characters.');
  assert.equal(pkg.formatError(noLength, { locale: 'fr' }), 'Bio doit comporter au plus 500 caractères.');
  // Lists of one and two values; numbers as JavaScript writes them.
  assert.equal(pkg.formatError({ path: 'role', kind: 'enum', message: 'm', params: { values: ['user'] } }), 'Role must be one of "user".');
  assert.equal(pkg.formatError({ path: 'a', kind: 'enum', message: 'm', params: { values: ['x', 'y'] } }, { locale: 'fr' }), 'A doit être "x" ou "y".');
  assert.equal(pkg.formatError({ path: 'price', kind: 'min', message: 'm', params: { min: 0.5 } }), 'Price must be at least 0.5.');
  assert.equal(pkg.formatError({ path: 'price', kind: 'max', message: 'm', params: { max: 1e21 } }, { locale: 'fr' }), 'Price doit être au plus 1e+21.');
  // Type names, and the fallback for a type the locale does not name (not even Object.prototype's keys).
  assert.equal(pkg.formatError({ path: 'startDate', kind: 'cast', message: 'm', params: { type: 'date' } }, { locale: 'fr' }), 'Start date doit être une date.');
  assert.equal(pkg.formatError({ path: 'x', kind: 'cast', message: 'm', params: { type: 'weird' } }), 'X must be a valid value.');
  assert.equal(pkg.formatError({ path: 'x', kind: 'cast', message: 'm', params: { type: 'toString' } }, { locale: 'fr' }), 'X doit être une valeur valide.');
  assert.equal(pkg.formatError({ path: '', kind: 'cast', message: 'm', params: { type: 'object' } }, { locale: 'fr' }), 'Le document doit être un objet.');
  assert.equal(pkg.formatError({ path: 'website', kind: 'regexp', message: 'm', params: {} }, { locale: 'fr' }), "Website n'a pas le format attendu.");
  // A kind no locale knows keeps Mongoose's message.
  assert.equal(pkg.formatError({ path: 'x', kind: 'unknown kind', message: 'Mongoose says so.' }), 'Mongoose says so.');
  // An added locale falls back to the one named.
  pkg.addLocale('fr-x-test', { required: ({ label }) => `${label} manque.` }, { fallback: 'fr' });
  assert.equal(pkg.formatError({ path: 'email', kind: 'required', message: 'm' }, { locale: 'fr-x-test' }), 'Email manque.');
  assert.equal(pkg.formatError(bio, { locale: 'fr-x-test' }), 'Bio doit comporter au plus 500 caractères (510 actuellement).');
});

test('labels from paths', () => {
  assert.equal(pkg.labelOf('bio'), 'Bio');
  assert.equal(pkg.labelOf('socialLinks.github'), 'Social links github');
  assert.equal(pkg.labelOf('messages.0.role'), 'Messages 1 role');
  assert.equal(pkg.labelOf('metadata.author.id'), 'Metadata author id');
  assert.equal(pkg.labelOf(''), '');
  // The cases messages.rs's label_of is tested with beyond these (the two must agree).
  assert.equal(pkg.labelOf('two_factor-code'), 'Two factor code');
  assert.equal(pkg.labelOf('emailVerified'), 'Email verified');
});

test('overrides, labels and added locales', () => {
  const bio = errorsOf('users', { id: 'u', email: 'a@b.co', bio: 'x'.repeat(501) }).bio;
  assert.equal(pkg.formatError(bio, { labels: { bio: 'About you' } }), 'About you must be at most 500 characters (501 now).');
  assert.equal(
    pkg.formatError(bio, { messages: { maxlength: ({ label, params }) => `${label}: ${params.length}/${params.maxlength}` } }),
    'Bio: 501/500',
  );
  pkg.addLocale('de', { required: ({ label }) => `${label} ist erforderlich.` });
  assert.ok(pkg.locales().includes('de'));
  assert.equal(pkg.formatError(errorsOf('users', {}).id, { locale: 'de' }), 'Id ist erforderlich.');
  assert.equal(pkg.formatError(bio, { locale: 'de' }), 'Bio must be at most 500 characters (501 now).'); // falls back to English
  // An error from the server's 422 has no params: the collection gives them.
  const fromServer = { path: 'bio', kind: 'maxlength', message: bio.message, value: bio.value };
  assert.equal(pkg.formatError(fromServer, { collection: 'users' }), 'Bio must be at most 500 characters (501 now).');
});

test('names an object inherits are no locale, label or message: English, the path, the locale', () => {
  const id = errorsOf('users', {}).id;
  // Unknown tags fall back to English, also those Object.prototype has.
  for (const locale of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf-CA']) {
    assert.equal(pkg.formatError(id, { locale }), 'Id is required.', locale);
  }
  const proto = { path: '__proto__', kind: 'required', message: 'Path `__proto__` is required.' };
  assert.equal(pkg.formatError(proto, { labels: {} }), 'Proto is required.');
  assert.equal(pkg.formatError({ ...id, kind: 'toString' }, { messages: {} }), id.message);
  // A locale named like Object.prototype's members is a locale like any other.
  pkg.addLocale('__proto__', { required: ({ label }) => `${label}!` });
  assert.equal(pkg.formatError(id, { locale: '__proto__' }), 'Id!');
  assert.equal(pkg.formatError(id, { locale: 'xx' }), 'Id is required.');
  assert.ok(pkg.locales().includes('__proto__'));
});

test('collections: routes, model types and form fields', () => {
  const byName = Object.fromEntries(pkg.collections.map((c) => [c.name, c]));
  // Routes as the server serves them (crates/server's README lists them).
  assert.equal(byName.usersessions.route, 'user-sessions');
  assert.equal(byName.toolusageanalytics.route, 'tool-usage-analytics');
  assert.equal(byName.users.route, 'users');
  assert.equal(byName.usersessions.model, 'UserSession');
  const field = (c, p) => byName[c].fields.find((f) => f.path === p);
  assert.deepEqual(field('users', 'bio'), { path: 'bio', type: 'string', required: false, maxLength: 500 });
  assert.deepEqual(field('users', 'email'), { path: 'email', type: 'string', required: true });
  assert.deepEqual(field('users', 'role'), { path: 'role', type: 'string', required: false, enum: ['user', 'admin', 'moderator'], default: 'user', protected: true });
  assert.deepEqual(field('toolreviews', 'rating'), { path: 'rating', type: 'number', required: true, min: 1, max: 5 });
  assert.deepEqual(field('users', 'password'), { path: 'password', type: 'string', required: false, secret: true, protected: true });
  assert.equal(field('chatsessions', 'messages.$.role').required, true);
  assert.equal(pkg.fieldAt('chatsessions', 'messages.7.role'), field('chatsessions', 'messages.$.role'));
  // Map keys, paths inside Mixed values, and paths that name nothing (as json_schema.rs's form_field_at).
  assert.equal(pkg.fieldAt('userachievements', 'progress.level3').path, 'progress.$*');
  assert.equal(pkg.fieldAt('analyticsevents', 'properties.a.b').path, 'properties');
  assert.equal(pkg.fieldAt('tools', 'config.inputs.0.defaultValue.x').path, 'config.inputs.$.defaultValue');
  assert.equal(pkg.fieldAt('users', 'nope'), undefined);
  assert.equal(pkg.fieldAt('users', 'bio.x'), undefined);
  assert.equal(pkg.fieldAt('chatsessions', 'messages.x.role'), undefined);
  assert.ok(Object.isFrozen(byName.users.fields[0]));
});
