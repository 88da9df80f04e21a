// Docs check (part of `npm run lint`): the documents that describe the layout and the wiring
// must name what the code has.
//   1. README.md's source tree (the first ``` block after "## Where things live") has an entry
//      for every top-level folder (`name/` at the start of a line) and, inside the entry of each
//      tier folder (TIERS), every subfolder of that tier as `sub/`.
//   2. docs/ARCHITECTURE.md contains every NATS subject the code spells: each string literal in
//      the runtime folders (SUBJECT_DIRS, generated code skipped) that starts with `canopy.`,
//      cut before its first `${` (a zone or replica token) and before a trailing wildcard
//      (`.>`, `.*`), e.g. `canopy.query.${zone}` must appear as `canopy.query.`.
// Reads files only (no git, no network), from the current directory; exits 1 listing every miss.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const TIERS = ['bin', 'leaf', 'zone', 'global', 'shared', 'proto', 'topology', 'ui'];
/** Where NATS subjects are defined; ui/ is left out (its `canopy.*` strings are storage keys). */
const SUBJECT_DIRS = ['bin', 'leaf', 'zone', 'global', 'shared', 'proto', 'topology'];
const ALWAYS_IGNORED = new Set(['node_modules', 'dist', 'gen']);

const root = process.cwd();
const problems = [];

/** Folder names ignored by .gitignore entries of the form `name/` or `/name/` (no globs). */
function gitignoredDirs() {
  const p = join(root, '.gitignore');
  if (!existsSync(p)) return new Set();
  const names = readFileSync(p, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^\/?[\w.-]+\/$/.test(l))
    .map((l) => l.replace(/^\//, '').replace(/\/$/, ''));
  return new Set(names);
}
const ignored = gitignoredDirs();

function subdirs(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter(
      (d) =>
        d.isDirectory() &&
        !d.name.startsWith('.') &&
        !ignored.has(d.name) &&
        d.name !== 'node_modules' &&
        d.name !== 'dist',
    )
    .map((d) => d.name)
    .sort();
}

// 1. README tree
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const heading = readme.indexOf('## Where things live');
const open = heading < 0 ? -1 : readme.indexOf('```', heading);
const close = open < 0 ? -1 : readme.indexOf('```', open + 3);
if (close < 0) {
  problems.push('README.md: no ``` source tree after "## Where things live"');
} else {
  /** top-level folder → the text of its entry (its line and the indented lines after it) */
  const entries = new Map();
  let current;
  for (const line of readme.slice(readme.indexOf('\n', open) + 1, close).split('\n')) {
    const m = /^([\w.-]+)\//.exec(line);
    if (m) entries.set((current = m[1]), line.slice(m[0].length));
    else if (current && /^\s/.test(line)) entries.set(current, `${entries.get(current)}\n${line}`);
  }
  for (const top of subdirs(root)) {
    if (!entries.has(top)) {
      problems.push(`README.md source tree: no entry for the top-level folder ${top}/`);
      continue;
    }
    if (!TIERS.includes(top)) continue;
    const text = entries.get(top);
    for (const sub of subdirs(join(root, top))) {
      const named = new RegExp(`(^|[\\s(,\`])${sub.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`).test(text);
      if (!named)
        problems.push(`README.md source tree: the ${top}/ entry does not name its subfolder ${sub}/`);
    }
  }
}

// 2. NATS subjects in docs/ARCHITECTURE.md
const architecture = readFileSync(join(root, 'docs/ARCHITECTURE.md'), 'utf8');
const subjects = new Map(); // subject prefix → first file that spells it
function scan(dir) {
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    if (d.isDirectory()) {
      if (!d.name.startsWith('.') && !ALWAYS_IGNORED.has(d.name)) scan(p);
    } else if (/\.(ts|js)$/.test(d.name) && !d.name.endsWith('.d.ts')) {
      // comment lines are prose, not definitions
      const code = readFileSync(p, 'utf8')
        .split('\n')
        .filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l))
        .join('\n');
      for (const m of code.matchAll(/['"`](canopy\.[a-z][^'"`\s]*)/g)) {
        const subject = m[1].split('${')[0].replace(/(\.[>*])+$/, '.');
        if (!subjects.has(subject)) subjects.set(subject, p.slice(root.length + 1));
      }
    }
  }
}
for (const d of SUBJECT_DIRS) if (existsSync(join(root, d))) scan(join(root, d));
for (const [subject, file] of subjects) {
  if (!architecture.includes(subject))
    problems.push(`docs/ARCHITECTURE.md: NATS subject ${subject}… (${file}) is not described`);
}

if (problems.length) {
  console.error('docs out of date:\n  ' + problems.join('\n  '));
  process.exit(1);
}
console.log(`docs: ok (README tree, ${subjects.size} NATS subjects in docs/ARCHITECTURE.md)`);
