// The contract check: every answer the server gave validates against the
// OpenAPI document's response schema for its path, method and status (Ajv,
// JSON Schema draft 2020-12, the dialect of OpenAPI 3.1, with formats).
//
//   node contract.mjs <openapi.json> <answers.jsonl>
//
// Each line of answers.jsonl: {"method": "post", "path": "/api/tools", "status": 201, "body": ...}
// (`body` null for an empty body). An answer whose status the operation does
// not describe fails, as does one with a body where none is described.
//
// So that the check can fail, for every (operation, status) seen the first
// body is also sent with one required key removed, which must be refused.
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';

const [docFile, answersFile] = process.argv.slice(2);
if (!docFile || !answersFile) {
  console.error('usage: node contract.mjs <openapi.json> <answers.jsonl>');
  process.exit(2);
}
const doc = JSON.parse(readFileSync(docFile, 'utf8'));
const answers = readFileSync(answersFile, 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line));

// Component references become absolute, so inline schemas can use them too.
const absolute = (schema) => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"https://onelastai.invalid/openapi.json#/$defs/'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'https://onelastai.invalid/openapi.json', $defs: absolute(doc.components?.schemas ?? {}) });

/** The path template of the document that `path` is an instance of (a literal path first). */
const templates = Object.keys(doc.paths).map((template) => ({
  template,
  literal: !template.includes('{'),
  pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}|\{[^}]+\}/g, '[^/]+')}$`),
}));
templates.sort((a, b) => Number(b.literal) - Number(a.literal));
function templateOf(path) {
  return templates.find((t) => t.pattern.test(path))?.template;
}

const compiled = new Map();
function validatorFor(schema, key) {
  if (!compiled.has(key)) compiled.set(key, ajv.compile(absolute(schema)));
  return compiled.get(key);
}

/** The schema of the answer's body, or why there is none. */
function responseSchema(a) {
  const template = templateOf(a.path);
  if (!template) return { problem: `no path of the document matches ${a.path}` };
  const op = doc.paths[template][a.method];
  if (!op) return { problem: `${a.method} ${template} is not described` };
  const response = op.responses?.[String(a.status)] ?? op.responses?.default;
  if (!response) return { problem: `${a.method} ${template}: status ${a.status} is not described` };
  const key = `${a.method} ${template} ${a.status}`;
  const schema = response.content?.['application/json']?.schema;
  return { key, schema };
}

/** The first required key of the schema (followed through one `$ref`). */
function requiredKey(schema) {
  let s = schema;
  const ref = s?.$ref?.match(/^#\/components\/schemas\/(.+)$/);
  if (ref) s = doc.components.schemas[ref[1]];
  return s?.required?.[0];
}

let failures = [];
let checked = 0;
let probes = 0;
const probed = new Set();
for (const a of answers) {
  const { problem, key, schema } = responseSchema(a);
  const tag = `${a.method.toUpperCase()} ${a.path} ${a.status}${a.tag ? ` (${a.tag})` : ''}`;
  if (problem) {
    failures.push(`${tag}: ${problem}`);
    continue;
  }
  checked += 1;
  if (!schema) {
    if (a.body !== null && a.body !== undefined) failures.push(`${tag}: a body where the document describes none`);
    continue;
  }
  const validate = validatorFor(schema, key);
  if (!validate(a.body)) {
    failures.push(`${tag}: ${ajv.errorsText(validate.errors, { separator: '; ' }).slice(0, 600)}`);
    continue;
  }
  const required = requiredKey(schema);
  if (!probed.has(key) && required && a.body && typeof a.body === 'object' && !Array.isArray(a.body)) {
    probed.add(key);
    probes += 1;
    const broken = { ...a.body };
    delete broken[required];
    if (validate(broken)) failures.push(`${tag}: the schema also accepts the body without its required \`${required}\``);
  }
}
for (const f of failures.slice(0, 50)) console.log(f);
console.log(
  `contract: ${checked} answers checked against ${compiled.size} response schemas (${answers.length} received), ${probes} broken bodies refused; ${failures.length} failures`,
);
process.exit(failures.length === 0 ? 0 : 1);
