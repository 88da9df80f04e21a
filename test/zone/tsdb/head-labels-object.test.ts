// Head.getOrCreate remembers the series of a Labels object (ingest reuses one per series); a
// reused, mutated array or a series deleted by truncation must never resolve to a stale series.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Head } from '../../../zone/tsdb/head.ts';
import { labelsFromRecord } from '../../../shared/labels.ts';

const H = 3600_000;

test('the same Labels object resolves to its series without creating another', () => {
  const head = new Head({ chunkRangeMs: 2 * H, outOfOrderWindowMs: H });
  const ls = labelsFromRecord({ __name__: 'up', job: 'a' });
  const a = head.getOrCreate(ls);
  const b = head.getOrCreate(ls);
  assert.equal(a.created, true, 'first call creates');
  assert.equal(b.created, false, 'second call finds');
  assert.equal(b.series, a.series, 'same series');
  assert.equal(
    head.getOrCreate(labelsFromRecord({ __name__: 'up', job: 'a' })).series,
    a.series,
    'an equal array finds it too',
  );
});

test('a Labels array mutated in place resolves by its new content', () => {
  const head = new Head({ chunkRangeMs: 2 * H, outOfOrderWindowMs: H });
  const ls = labelsFromRecord({ __name__: 'up', job: 'a' }) as { name: string; value: string }[];
  const a = head.getOrCreate(ls).series;
  ls[1] = { name: 'job', value: 'b' };
  const b = head.getOrCreate(ls);
  assert.equal(b.created, true, 'new content is a new series');
  assert.notEqual(b.series, a, 'not the cached series');
  assert.deepEqual(
    head.labelsOf(b.series),
    [
      { name: '__name__', value: 'up' },
      { name: 'job', value: 'b' },
    ],
    'labels of the new series',
  );
  assert.equal(head.seriesCount(), 2, 'two series');
});

test('a series deleted by truncation is re-created for the same Labels object', () => {
  const head = new Head({ chunkRangeMs: 2 * H, outOfOrderWindowMs: H });
  const ls = labelsFromRecord({ __name__: 'up', job: 'a' });
  const a = head.getOrCreate(ls).series;
  head.appendFloat(a, 1000, 1);
  assert.equal(head.truncate(2 * H), 1, 'the series is deleted');
  const b = head.getOrCreate(ls);
  assert.equal(b.created, true, 're-created');
  assert.notEqual(b.series.ref, a.ref, 'with a new ref');
  assert.equal(head.getByRef(a.ref), undefined, 'the old ref stays deleted');
});
