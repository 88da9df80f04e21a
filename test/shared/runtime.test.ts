// V8 young-generation sizing. The flags are process-wide: the holding test runs in this file's
// own process (node --test gives each file one), the command-line cases in child processes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { getHeapSpaceStatistics } from 'node:v8';
import { holdYoungGeneration } from '../../shared/runtime.ts';

const MB = 1 << 20;
const newSpaceMb = (): number => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size / MB;

/** Allocates about 100 MB, keeping the last ~10 MB alive: V8 alone would grow to its 16 MB maximum. */
function churn(): void {
  const live: unknown[] = [];
  for (let r = 0; r < 20; r++) {
    const a: unknown[] = [];
    for (let i = 0; i < 100_000; i++) a.push({ i, s: `x${i}` });
    live.push(a);
    if (live.length > 2) live.shift();
  }
}

test('holdYoungGeneration grows the new space to the size now and keeps it there', () => {
  const stop = holdYoungGeneration(4, 60_000);
  try {
    assert.equal(newSpaceMb(), 8, 'two 4 MB semi-spaces right after the call');
    churn();
    assert.equal(newSpaceMb(), 8, 'no growth past the held size under survivor-heavy allocation');
  } finally {
    stop();
  }
});

function inChild(nodeArgs: string[], env: Record<string, string> = {}): string {
  const code = `import('${new URL('../../shared/runtime.ts', import.meta.url).href}').then((m) => console.log(String(m.semiSpaceFromCommandLine())))`;
  const r = spawnSync(process.execPath, [...nodeArgs, '--import', 'tsx', '-e', code], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', ...env } });
  assert.equal(r.status, 0, `child failed: ${r.stderr}`);
  return r.stdout.trim();
}

test('semiSpaceFromCommandLine reads --max-semi-space-size from node flags and NODE_OPTIONS', () => {
  assert.equal(inChild([]), 'undefined', 'nothing given');
  assert.equal(inChild(['--max-semi-space-size=2']), '2', 'on the command line');
  assert.equal(inChild([], { NODE_OPTIONS: '--max-semi-space-size=32' }), '32', 'in NODE_OPTIONS');
});
