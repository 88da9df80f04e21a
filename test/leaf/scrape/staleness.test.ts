import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STALE_NAN, isStaleNaN } from '../../../leaf/scrape/staleness.ts';
import { pb } from '../../../proto/index.ts';

test('staleness marker has the Prometheus bit pattern and survives double arrays and protobuf', () => {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, STALE_NAN);
  assert.equal(dv.getUint32(0), 0x7ff00000);
  assert.equal(dv.getUint32(4), 0x00000002);
  assert.ok(isStaleNaN(STALE_NAN));
  assert.ok(!isStaleNaN(NaN));
  assert.ok(!isStaleNaN(0));
  assert.ok(isStaleNaN(Float64Array.of(STALE_NAN)[0]!));
  const arr: number[] = [];
  arr.push(STALE_NAN); // V8 sets the quiet bit here; still a marker
  assert.ok(isStaleNaN(arr[0]!));
  const bytes = pb.Series.encode({
    labels: [{ name: '__name__', value: 'x' }],
    timestampsMs: [1],
    values: [STALE_NAN, NaN],
  }).finish();
  const back = pb.Series.decode(bytes);
  assert.ok(isStaleNaN(back.values[0]!));
  assert.ok(!isStaleNaN(back.values[1]!));
});
