// Writes the fuzz targets' seed corpora, fuzz/seeds/<corpus>/, from
// tests/vectors (never by hand): `node fuzz/seed.mjs` (tools/fuzz.sh runs it;
// `--check` fails when the committed seeds differ from what it would write).
//
//   json/           a vector input as JSON.stringify writes it: the first
//                   12 cases of each collection (json_reader, server_body)
//   validate_json/  every case: the collection's index in name order (one
//                   byte, as the target's `collection()` reads it) + its input
//   server_cursor/  per collection, each top-level value of the spec example
//                   document as a cursor's sort value (sort field i, the
//                   direction alternating), with that key=value as a filter
//                   when the value is a scalar
//
// File names are the SHA-1 of the content, as libFuzzer names its inputs.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vectorsDir = join(root, 'tests/vectors');
const seedsDir = join(root, 'fuzz/seeds');
const check = process.argv.includes('--check');

// Name order: byte order of the ASCII names, as the Rust side sorts them.
const names = readdirSync(vectorsDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();

const corpora = { json: new Map(), validate_json: new Map(), server_cursor: new Map() };
const add = (corpus, bytes) => {
  const buf = Buffer.from(bytes);
  corpora[corpus].set(createHash('sha1').update(buf).digest('hex'), buf);
};
const utf8 = (s) => Buffer.from(s, 'utf8');

names.forEach((name, index) => {
  const file = JSON.parse(readFileSync(join(vectorsDir, `${name}.json`), 'utf8'));
  if (file.collection !== name) {
    throw new Error(`${name}.json: collection is ${JSON.stringify(file.collection)}`);
  }
  file.cases.forEach((c, i) => {
    const text = JSON.stringify(c.input);
    if (i < 12) add('json', utf8(text));
    add('validate_json', Buffer.concat([Buffer.from([index]), utf8(text)]));
  });
  const example = file.cases.find((c) => c.name === 'spec example document');
  if (!example) throw new Error(`${name}.json: no spec example document`);
  Object.entries(example.input).forEach(([key, value], i) => {
    const flags = ((i << 3) | (i & 1)) & 0xff;
    const lines = [JSON.stringify(value), ''];
    if (value === null || typeof value !== 'object') lines.push(`${key}=${value}`);
    add('server_cursor', Buffer.concat([Buffer.from([index, flags]), utf8(lines.join('\n'))]));
  });
});

let stale = 0;
for (const [corpus, files] of Object.entries(corpora)) {
  const dir = join(seedsDir, corpus);
  if (check) {
    let present = [];
    try {
      present = readdirSync(dir);
    } catch {
      present = [];
    }
    const want = [...files.keys()].sort();
    if (JSON.stringify(present.sort()) !== JSON.stringify(want)) {
      console.error(`fuzz/seeds/${corpus}: differs from what fuzz/seed.mjs writes`);
      stale += 1;
    }
    continue;
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [hash, buf] of files) writeFileSync(join(dir, hash), buf);
  const bytes = [...files.values()].reduce((n, b) => n + b.length, 0);
  console.log(`fuzz/seeds/${corpus}: ${files.size} files, ${bytes} bytes`);
}
if (stale) process.exit(1);
