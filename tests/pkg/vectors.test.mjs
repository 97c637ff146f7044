// The cross-layer vectors through the package in Node: every case must give
// Mongoose's answer (the same comparison as the native crate's test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as pkg from '@onelastai/models';
import { runVectorFile } from './lib/vectors.js';
import { loadVectorFiles } from './lib/files.js';

const files = loadVectorFiles();

test('one vector file per collection', () => {
  assert.deepEqual(
    files.map((f) => f.collection).sort(),
    pkg.collections.map((c) => c.name).sort(),
  );
});

for (const file of files) {
  test(`vectors: ${file.collection} (${file.cases.length} cases)`, () => {
    const { diffs } = runVectorFile(pkg, file);
    assert.deepEqual(diffs, [], `${diffs.length} differences:\n${diffs.join('\n')}`);
  });
}
