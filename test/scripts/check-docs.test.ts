// scripts/check-docs.js against this checkout and against small fixture trees: a folder missing
// from the README tree or a NATS subject missing from docs/ARCHITECTURE.md fails it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SCRIPT = join(REPO, 'scripts/check-docs.js');
const tmp = mkdtempSync(join(tmpdir(), 'check-docs-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function run(cwd: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [SCRIPT], { cwd, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

const README = [
  '# x',
  '',
  '## Where things live',
  '',
  '```',
  'zone/       server: tsdb/ (chunks), wal/,',
  '            notifier/',
  'shared/     bus/ (NATS)',
  'docs/       ARCHITECTURE.md',
  '```',
  '',
  '## After',
  '',
].join('\n');
const ARCHITECTURE = '# A\n| zone → root | `canopy.heartbeat.<zone>` | `canopy.hintsync` |\n';
const BUS = [
  '// a comment naming `canopy.not-a-subject` is prose',
  "export const S = { hb: (z: string) => `canopy.heartbeat.${z}`, all: 'canopy.heartbeat.>', sync: 'canopy.hintsync' };",
].join('\n');

/** A fixture tree that passes; `edit` changes it before the check runs. */
function fixture(name: string, edit: (dir: string) => void = () => {}): string {
  const dir = join(tmp, name);
  for (const d of [
    'zone/tsdb',
    'zone/wal',
    'zone/notifier',
    'shared/bus',
    'docs/format',
    'data/x',
    'node_modules/p',
    '.git',
  ])
    mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\ndata/\n*.log\n');
  writeFileSync(join(dir, 'README.md'), README);
  writeFileSync(join(dir, 'docs/ARCHITECTURE.md'), ARCHITECTURE);
  writeFileSync(join(dir, 'shared/bus/bus.ts'), BUS);
  edit(dir);
  return dir;
}

test('this checkout: the README tree and docs/ARCHITECTURE.md match the code', () => {
  const r = run(REPO);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /docs: ok/);
});

test('a complete fixture passes; ignored and hidden folders, comments and wildcards need no entry', () => {
  const r = run(fixture('ok'));
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /2 NATS subjects/);
});

test('a tier subfolder missing from its README entry fails', () => {
  const r = run(fixture('sub', (d) => mkdirSync(join(d, 'zone/rules'))));
  assert.equal(r.status, 1);
  assert.match(r.out, /the zone\/ entry does not name its subfolder rules\//);
});

test('a subfolder named in another entry does not count', () => {
  const r = run(fixture('other-entry', (d) => mkdirSync(join(d, 'shared/wal'))));
  assert.equal(r.status, 1);
  assert.match(r.out, /the shared\/ entry does not name its subfolder wal\//);
});

test('a top-level folder without an entry fails', () => {
  const r = run(fixture('top', (d) => mkdirSync(join(d, 'scripts'))));
  assert.equal(r.status, 1);
  assert.match(r.out, /no entry for the top-level folder scripts\//);
});

test('a NATS subject in code but not in docs/ARCHITECTURE.md fails', () => {
  const r = run(
    fixture('subject', (d) =>
      writeFileSync(join(d, 'zone/responder.ts'), 'export const q = (z: string) => `canopy.query.${z}`;\n'),
    ),
  );
  assert.equal(r.status, 1);
  assert.match(r.out, /NATS subject canopy\.query\.… \(zone\/responder\.ts\) is not described/);
});
