// Node/V8 flags given at process start by the launcher (bin/node-flags.js, bin/canopy.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { missingNodeFlags, nodeFlagsFor } from '../../bin/node-flags.js';

const CANOPY = join(import.meta.dirname, '../../bin/canopy.js');

test('missingNodeFlags: the component flags not given by name on the command line or in NODE_OPTIONS', () => {
  assert.deepEqual(missingNodeFlags('zone', [], ''), nodeFlagsFor('zone'));
  assert.deepEqual(missingNodeFlags('zone', nodeFlagsFor('zone'), ''), []);
  // An operator's own value wins (by flag name, - or _ alike), here and in NODE_OPTIONS.
  assert.deepEqual(missingNodeFlags('zone', ['--max_semi_space_size=32'], '--heap-growing-percent=50'), ['--min-semi-space-size=8']);
  assert.deepEqual(missingNodeFlags('leaf', [], '--max-semi-space-size=2'), []);
  assert.deepEqual(missingNodeFlags('promtool', [], ''), []);
  assert.deepEqual(missingNodeFlags(undefined, [], ''), []);
});

test('the launcher starts a component with its flags and returns its exit status', () => {
  const env = { ...process.env, NODE_OPTIONS: '', CANOPY_RUN: 'src' };
  const direct = spawnSync(process.execPath, [...nodeFlagsFor('zone'), CANOPY, 'zone', '--help'], { encoding: 'utf8', env, timeout: 60_000 });
  const relaunched = spawnSync(process.execPath, [CANOPY, 'zone', '--help'], { encoding: 'utf8', env, timeout: 60_000 });
  assert.equal(relaunched.status, direct.status, relaunched.stderr);
  assert.equal(relaunched.stdout, direct.stdout);
  assert.match(direct.stdout + direct.stderr, /zone/);
});
