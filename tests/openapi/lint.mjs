// Validates an OpenAPI document with Redocly's validator (the rules of its
// `recommended` preset: the OpenAPI 3.1 structure, schemas, $refs, unique
// operation ids, path parameters, ...). Prints every problem; exits 1 when
// any is an error.
//
//   node lint.mjs <openapi.json>
import { createConfig, lint } from '@redocly/openapi-core';
import { resolve } from 'node:path';

const file = process.argv[2];
if (!file) {
  console.error('usage: node lint.mjs <openapi.json>');
  process.exit(2);
}
const config = await createConfig({ extends: ['recommended'] });
const problems = await lint({ ref: resolve(file), config });
const errors = problems.filter((p) => p.severity === 'error');
const warnings = problems.filter((p) => p.severity !== 'error');
for (const p of problems) {
  const where = p.location?.[0]?.pointer ?? '';
  console.log(`${p.severity} ${p.ruleId} ${where}: ${p.message}`);
}
console.log(`redocly lint (recommended): ${errors.length} errors, ${warnings.length} warnings`);
process.exit(errors.length === 0 ? 0 : 1);
