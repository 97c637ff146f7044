// Node helpers shared by the tests and benchmarks: where things are, and the vectors.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const vectorsDir = path.join(repoRoot, 'tests/vectors');

/** Every vector file, parsed, in file-name order. */
export function loadVectorFiles() {
  return readdirSync(vectorsDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(vectorsDir, f), 'utf8')));
}

/** The function names the generated models.d.ts declares. */
export function declaredFunctions() {
  const dts = readFileSync(path.join(repoRoot, 'pkg/models.d.ts'), 'utf8');
  return [...dts.matchAll(/^export function (\w+)/gm)].map((m) => m[1]).sort();
}
