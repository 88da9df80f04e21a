// Runs the test suite with node's own test runner (CI reads its `# pass` / `# fail` summary).
// `node scripts/test.js` runs everything; `node scripts/test.js unit` skips test/e2e.
// Files are passed explicitly: with no arguments Node 20 runs no test and exits 0.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const only = process.argv[2];
function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}
let files = walk('test');
if (only === 'unit') files = files.filter((f) => !f.startsWith(join('test', 'e2e')));
else if (only) files = files.filter((f) => f.includes(only));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    ...files,
  ],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
