// What the package's JavaScript adds over the .wasm (params, formatError,
// Standard Schema, JSON Schemas, verdict and validateMany's wrappers), exercised the same way in Node and in the
// Chromium page so the two can be compared. Plain ES module.
export function extras(pkg) {
  const r = pkg.validateUser({ id: 'u', email: 'a@b.co', bio: 'x'.repeat(510), role: 'boss' }, { now: '2024-01-15T10:30:00.000Z' });
  const std = pkg.schemaOf('chatsessions', { locale: 'fr' })['~standard'];
  return {
    params: r.errors.map((e) => e.params),
    format: r.errors.flatMap((e) => [pkg.formatError(e), pkg.formatError(e, { locale: 'fr' })]),
    issues: std.validate({ id: 's', userId: 'u', name: 'n', messages: [{ id: 'm', role: 'robot', content: 'hi' }] }).issues.map((i) => [i.message, i.path]),
    valid: pkg.schemas.users['~standard'].validate({ id: 'u', email: 'a@b.co' }).issues === undefined,
    schema: pkg.schemas.tools['~standard'].jsonSchema.output({ target: 'openapi-3.0' }),
    field: pkg.validateField('chatsessions', 'messages.2.role', 'robot'),
    // The entry's own verdict and validateMany (their errors given params there too).
    verdict: pkg.verdict('users', { id: 'u', email: 'a@b.co', role: 'boss' }, { now: '2024-01-15T10:30:00.000Z' }),
    many: pkg.validateMany('users', [{ id: 'u', email: 'a@b.co' }, { email: ['x'], bio: 'x'.repeat(501) }], { now: '2024-01-15T10:30:00.000Z' }),
  };
}
