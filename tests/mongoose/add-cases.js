#!/usr/bin/env node
'use strict';

/*
 * Appends authored cases (name, now, input) to a vector file, for
 * `npm run generate` to fill with Mongoose's answers.
 *
 *   node add-cases.js <collection> < cases.json     # a JSON array of {name, now?, input}
 *
 * `now` defaults to 2024-01-15T10:30:00.000Z. A case whose name is already
 * in the file is replaced in place (its input updated).
 */

const fs = require('fs');
const path = require('path');

const collection = process.argv[2];
if (!collection) {
  console.error('usage: node add-cases.js <collection> < cases.json');
  process.exit(2);
}
const file = path.resolve(__dirname, '..', 'vectors', `${collection}.json`);
const data = JSON.parse(fs.readFileSync(file, 'utf8'));
const added = JSON.parse(fs.readFileSync(0, 'utf8'));
let n = 0;
for (const c of added) {
  const entry = { name: c.name, now: c.now || '2024-01-15T10:30:00.000Z', input: c.input };
  const at = data.cases.findIndex((x) => x.name === c.name);
  if (at >= 0) data.cases[at] = entry;
  else data.cases.push(entry);
  n++;
}
fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
console.log(`${path.relative(process.cwd(), file)}: ${n} cases added or replaced; run npm run generate -- ${collection}`);
