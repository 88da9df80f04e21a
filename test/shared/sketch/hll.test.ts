import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HyperLogLog } from '../../../shared/sketch/hll.ts';
import { hash64Pair } from '../../../shared/sketch/hash.ts';
import { isCanopyError } from '../../../shared/errors.ts';

test('hash64 is deterministic and spreads similar keys', () => {
  assert.deepEqual(hash64Pair('abc'), hash64Pair('abc'));
  assert.notDeepEqual(hash64Pair('abc'), hash64Pair('abd'));
  assert.notDeepEqual(hash64Pair(''), hash64Pair('\0'));
  // bit balance over sequential keys: each of the 64 bits set ~50% of the time
  const ones = new Array(64).fill(0);
  const N = 20000;
  for (let i = 0; i < N; i++) {
    const [hi, lo] = hash64Pair(`series-${i}`);
    for (let b = 0; b < 32; b++) {
      if ((hi >>> b) & 1) ones[b]++;
      if ((lo >>> b) & 1) ones[32 + b]++;
    }
  }
  for (const c of ones) assert.ok(Math.abs(c / N - 0.5) < 0.02, `bit bias ${c / N}`);
});

test('count error < 2% from 1e3 to 1e6 uniques', () => {
  const h = new HyperLogLog();
  assert.equal(h.count(), 0);
  const checkpoints = new Set([10, 100, 1000, 10_000, 30_000, 60_000, 100_000, 300_000, 1_000_000]);
  for (let i = 1; i <= 1_000_000; i++) {
    h.add(`user-${i}`);
    if (checkpoints.has(i)) {
      const est = h.count();
      const err = Math.abs(est - i) / i;
      assert.ok(err < (i < 1000 ? 0.05 : 0.02), `n=${i} est=${est} err=${(err * 100).toFixed(2)}%`);
    }
  }
  // duplicates do not grow the estimate
  const before = h.count();
  for (let i = 1; i <= 1000; i++) h.add(`user-${i}`);
  assert.equal(h.count(), before);
});

test('merge equals the sketch of the union', () => {
  const a = new HyperLogLog(),
    b = new HyperLogLog(),
    u = new HyperLogLog();
  for (let i = 0; i < 50_000; i++) {
    a.add(`k${i}`);
    u.add(`k${i}`);
  }
  for (let i = 25_000; i < 90_000; i++) {
    b.add(`k${i}`);
    u.add(`k${i}`);
  }
  a.merge(b);
  assert.deepEqual(a.registers, u.registers);
  assert.ok(Math.abs(a.count() - 90_000) / 90_000 < 0.02);
  assert.throws(
    () => a.merge(new HyperLogLog(12)),
    (e) => isCanopyError(e, 'bad_data'),
  );
});

test('bytes round-trip with a version byte; corrupt input is rejected', () => {
  const h = new HyperLogLog(10);
  for (let i = 0; i < 500; i++) h.add(String(i));
  const b = h.toBytes();
  assert.equal(b[0], 1);
  assert.equal(b[1], 10);
  assert.equal(b.length, 2 + 1024);
  const back = HyperLogLog.fromBytes(b);
  assert.equal(back.count(), h.count());
  assert.throws(
    () => HyperLogLog.fromBytes(b.subarray(0, 100)),
    (e) => isCanopyError(e, 'corrupt'),
  );
  const bad = b.slice();
  bad[0] = 9;
  assert.throws(
    () => HyperLogLog.fromBytes(bad),
    (e) => isCanopyError(e, 'corrupt'),
  );
  const bad2 = b.slice();
  bad2[5] = 200;
  assert.throws(
    () => HyperLogLog.fromBytes(bad2),
    (e) => isCanopyError(e, 'corrupt'),
  );
});
