// Pins the package's public TypeScript declarations (pkg/index.d.ts and the
// generated pkg/models.d.ts and pkg/generated.d.ts) to the snapshot files in tests/pkg/snapshot/,
// so a change to the public types shows up in review.
//   node tests/pkg/dts-snapshot.mjs           check: exit 1 on any difference
//   node tests/pkg/dts-snapshot.mjs --update  rewrite the snapshot
// (`bash tools/test-pkg.sh --update-snapshot` builds pkg/ first, then updates.)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './lib/files.js';

const FILES = ['index.d.ts', 'models.d.ts', 'generated.d.ts'];
const update = process.argv.includes('--update');
let passed = 0;
let failed = 0;

for (const name of FILES) {
  const built = readFileSync(path.join(repoRoot, 'pkg', name), 'utf8');
  const snapshot = path.join(repoRoot, 'tests/pkg/snapshot', name);
  if (update) {
    writeFileSync(snapshot, built);
    console.log(`updated tests/pkg/snapshot/${name}`);
    continue;
  }
  const pinned = existsSync(snapshot) ? readFileSync(snapshot, 'utf8') : '';
  if (pinned === built) {
    passed++;
    continue;
  }
  failed++;
  const builtPath = path.join(repoRoot, 'pkg', name);
  const diff = spawnSync('diff', ['-u', snapshot, builtPath], { encoding: 'utf8' }).stdout ?? '';
  console.error(`pkg/${name} differs from tests/pkg/snapshot/${name}:`);
  console.error(diff.split('\n').slice(0, 80).join('\n'));
  console.error('If the change is intended: bash tools/test-pkg.sh --update-snapshot');
}
if (!update) {
  console.log(`snapshot: ${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}
