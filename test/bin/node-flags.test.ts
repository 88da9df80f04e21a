// Node/V8 flags given at process start by the launcher (bin/node-flags.js, bin/canopy.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { missingNodeEnv, missingNodeFlags, nodeFlagsFor } from '../../bin/node-flags.js';

const CANOPY = join(import.meta.dirname, '../../bin/canopy.js');

test('missingNodeFlags: the component flags not given by name on the command line or in NODE_OPTIONS', () => {
  assert.deepEqual(missingNodeFlags('zone', [], ''), nodeFlagsFor('zone'));
  assert.deepEqual(missingNodeFlags('zone', nodeFlagsFor('zone'), ''), []);
  // An operator's own value wins (by flag name, - or _ alike), here and in NODE_OPTIONS.
  assert.deepEqual(missingNodeFlags('zone', ['--max_semi_space_size=32'], '--heap-growing-percent=50'), [
    '--min-semi-space-size=8',
  ]);
  assert.deepEqual(missingNodeFlags('leaf', [], '--max-semi-space-size=2'), []);
  assert.deepEqual(missingNodeFlags('promtool', [], ''), []);
  assert.deepEqual(missingNodeFlags(undefined, [], ''), []);
});

test('missingNodeEnv: the component variables the environment lacks (an operator value wins)', () => {
  assert.deepEqual(missingNodeEnv('zone', {}), { MALLOC_ARENA_MAX: '2' });
  assert.deepEqual(missingNodeEnv('zone', { MALLOC_ARENA_MAX: '4' }), {});
  assert.deepEqual(missingNodeEnv('promtool', {}), {});
});

test('the launcher starts a component with its flags and returns its exit status', () => {
  const env = { ...process.env, NODE_OPTIONS: '', CANOPY_RUN: 'src' };
  const direct = spawnSync(process.execPath, [...nodeFlagsFor('zone'), CANOPY, 'zone', '--help'], {
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });
  const relaunched = spawnSync(process.execPath, [CANOPY, 'zone', '--help'], {
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });
  assert.equal(relaunched.status, direct.status, relaunched.stderr);
  assert.equal(relaunched.stdout, direct.stdout);
  assert.match(direct.stdout + direct.stderr, /zone/);
});

test('a relaunched component stops when its launcher is killed with SIGKILL (no orphan)', async () => {
  const { spawn } = await import('node:child_process');
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { freePort, waitForHttp } = await import('../../topology/ports.ts');
  const dir = mkdtempSync(join(tmpdir(), 'canopy-launcher-'));
  const port = await freePort();
  const env = { ...process.env, NODE_OPTIONS: '', CANOPY_RUN: 'src', MALLOC_ARENA_MAX: undefined };
  const launcher = spawn(
    process.execPath,
    [
      CANOPY,
      'zone',
      '--listen',
      `127.0.0.1:${port}`,
      '--grpc-listen',
      `127.0.0.1:${await freePort()}`,
      '--data-dir',
      dir,
    ],
    { env, stdio: 'ignore' },
  );
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  let child = 0;
  try {
    assert.ok(await waitForHttp(`http://127.0.0.1:${port}/-/ready`, 60_000), 'zone ready');
    child = Number(
      readFileSync(`/proc/${launcher.pid}/task/${launcher.pid}/children`, 'utf8').trim().split(/\s+/)[0],
    );
    assert.ok(child > 0 && alive(child), 'the launcher runs the zone as its child');
    assert.match(readFileSync(`/proc/${child}/cmdline`, 'utf8'), /--min-semi-space-size=8/);
    assert.match(readFileSync(`/proc/${child}/environ`, 'utf8'), /(^|\0)MALLOC_ARENA_MAX=2\0/);
    launcher.kill('SIGKILL');
    const deadline = Date.now() + 20_000;
    while (alive(child) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(child), false, `zone ${child} outlived its killed launcher`);
  } finally {
    if (child > 0 && alive(child)) process.kill(child, 'SIGKILL');
    if (launcher.exitCode === null) launcher.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
