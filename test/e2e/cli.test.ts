// The canopy CLI's failure modes: each gives one clear line (no stack trace) and exit code 2
// for bad flags or configuration, 1 for runtime failures such as an unreachable NATS server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, runCanopy, tempDir } from './harness.ts';

function assertClear(r: { stderr: string }, re: RegExp): void {
  assert.match(r.stderr, re);
  assert.doesNotMatch(r.stderr, /\n\s+at /, `stack trace in: ${r.stderr}`);
}

test('an unknown flag names the flag; exit code 2', () => {
  const r = runCanopy(['zone', '--bogus', '1']);
  assert.equal(r.code, 2);
  assertClear(r, /unknown flag --bogus/);
});

test('an unknown command lists the commands; exit code 2', () => {
  const r = runCanopy(['frobnicate']);
  assert.equal(r.code, 2);
  assertClear(r, /unknown command "frobnicate"/);
});

test('a bad config file names the file, the key and what was expected; exit code 2', () => {
  const d = tempDir('cli');
  try {
    const f = join(d.path, 'zone.yaml');
    writeFileSync(f, 'zone: eu-a\nlisten: not-an-address\n');
    let r = runCanopy(['zone', '--config', f]);
    assert.equal(r.code, 2);
    assertClear(
      r,
      new RegExp(`${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: key "listen": expected an address HOST:PORT`),
    );
    writeFileSync(f, 'zone: eu-a\nnats:\n  urll: nats://x:1\n');
    r = runCanopy(['zone', '--config', f]);
    assert.equal(r.code, 2);
    assertClear(r, /key "nats\.urll": unknown key/);
    writeFileSync(f, 'zone: [unclosed\n');
    r = runCanopy(['zone', '--config', f]);
    assert.equal(r.code, 2);
    assertClear(r, /cannot parse config file .*zone\.yaml:\d+:\d+/);
    r = runCanopy(['leaf', '--config', join(d.path, 'missing.yaml')]);
    assert.equal(r.code, 2);
    assertClear(r, /cannot read config file .*missing\.yaml: ENOENT/);
  } finally {
    d.remove();
  }
});

test('a topology with a duplicate zone is rejected with the key', () => {
  const d = tempDir('cli');
  try {
    const f = join(d.path, 'topo.yaml');
    writeFileSync(f, 'regions:\n  - name: r\n    zones:\n      - name: a\n      - name: a\n');
    const r = runCanopy(['up', '--topology', f]);
    assert.equal(r.code, 2);
    assertClear(r, /key "regions\[0\]\.zones\[1\]\.name": expected a zone name unique in the topology/);
  } finally {
    d.remove();
  }
});

test('an unreachable NATS URL: the root says so in one line and exits 1', async () => {
  const port = await freePort();
  const r = runCanopy([
    'root',
    '--listen',
    `127.0.0.1:${await freePort()}`,
    '--nats',
    `nats://127.0.0.1:${port}`,
  ]);
  assert.equal(r.code, 1);
  assertClear(r, new RegExp(`cannot connect to NATS at nats://127\\.0\\.0\\.1:${port}`));
});

test('--help prints the flags', () => {
  const r = runCanopy(['leaf', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--zone HOST:PORT \(repeatable\)/);
});
