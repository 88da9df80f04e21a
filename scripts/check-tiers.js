// Tier isolation: leaf/, zone/, global/ import only shared/, proto/ and packages; shared/ and
// proto/ import no tier. Fails `npm test` with the offending file and import.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, relative, dirname } from 'node:path';

const root = resolve('.');
const tiers = ['leaf', 'zone', 'global', 'shared', 'proto', 'topology', 'ui'];
const allowed = {
  leaf: ['leaf', 'shared', 'proto'],
  zone: ['zone', 'shared', 'proto'],
  global: ['global', 'shared', 'proto'],
  shared: ['shared', 'proto'],
  proto: ['proto'],
  topology: ['topology', 'shared', 'proto'],
  // the browser bundle: its own modules, npm packages, and pure shared/ modules (no node:
  // imports: esbuild's browser build fails on them)
  ui: ['ui', 'shared'],
};
const bad = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(ts|js)$/.test(name)) check(p);
  }
}
function check(file) {
  const tier = relative(root, file).split('/')[0];
  const src = readFileSync(file, 'utf8');
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of src.matchAll(re)) {
    const spec = m[1] ?? m[2];
    if (!spec.startsWith('.')) continue;
    const target = relative(root, resolve(dirname(file), spec)).split('/')[0];
    if (!allowed[tier].includes(target))
      bad.push(
        `${relative(root, file)}: imports ${spec} (${tier}/ may import only ${allowed[tier].join(', ')})`,
      );
  }
}
for (const t of tiers) {
  try {
    walk(join(root, t));
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
}
if (bad.length) {
  console.error('tier isolation violated:\n  ' + bad.join('\n  '));
  process.exit(1);
}
console.log(`tier isolation: ok`);
