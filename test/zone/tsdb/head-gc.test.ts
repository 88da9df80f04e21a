// Head memory follows the live set: truncation that deletes series frees their symbols and refs
// (the tables are rebuilt from the live series), and lookups keep working across rebuilds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Head } from '../../../zone/tsdb/head.ts';
import { Matcher } from '../../../shared/matchers.ts';
import { labelsFromRecord, formatLabels } from '../../../shared/labels.ts';

const H = 3600_000;

test('truncation frees the symbols of deleted series and keeps lookups right', () => {
  const head = new Head({ chunkRangeMs: 2 * H, outOfOrderWindowMs: 0 });
  const stable = labelsFromRecord({ __name__: 'up', job: 'node', instance: 'a' });
  const cohortSymbols: number[] = [];
  for (let cohort = 0; cohort < 5; cohort++) {
    const t0 = cohort * 2 * H;
    for (let i = 0; i < 500; i++) {
      const ls = labelsFromRecord({
        __name__: 'container_cpu',
        job: 'k8s',
        pod: `pod-${cohort}-${i}`,
        uid: `uid-${cohort}-${i}`,
      });
      const { series } = head.getOrCreate(ls);
      head.appendFloat(series, t0, i);
      head.appendFloat(series, t0 + H, i);
    }
    head.appendFloat(head.getOrCreate(stable).series, t0 + H, cohort);
    // The previous cohort is gone: truncate at this cohort's start.
    head.truncate(t0);
    cohortSymbols.push(head.symbolCount());
    assert.equal(head.seriesCount(), 501, `cohort ${cohort}: only the live cohort and the stable series`);
  }
  // Flat: every cohort holds the same number of symbols (without GC it would grow by ~1,000 a cohort).
  assert.deepEqual(cohortSymbols.slice(1), new Array(4).fill(cohortSymbols[1]));
  assert.ok(cohortSymbols[1]! < 1100, `symbols ${cohortSymbols[1]}`);
  assert.ok(head.gcRuns >= 4);

  // Lookups after the rebuilds: by labels, by matcher, labels of the result, label values.
  const live = labelsFromRecord({ __name__: 'container_cpu', job: 'k8s', pod: 'pod-4-7', uid: 'uid-4-7' });
  const found = head.getByLabels(live);
  assert.ok(found);
  assert.equal(formatLabels(head.labelsOf(found)), formatLabels(live));
  assert.equal(
    head.getByLabels(
      labelsFromRecord({ __name__: 'container_cpu', job: 'k8s', pod: 'pod-3-7', uid: 'uid-3-7' }),
    ),
    undefined,
  );
  const sel = head.select([new Matcher('=', 'pod', 'pod-4-7')]);
  assert.equal(sel.length, 1);
  assert.equal(formatLabels(sel[0]!.labels), formatLabels(live));
  assert.equal(head.labelValues('pod').length, 500);
  assert.equal(head.select([new Matcher('=', 'job', 'node')]).length, 1);
  // A deleted series' ref is gone; a re-created one gets a new ref.
  const again = head.getOrCreate(
    labelsFromRecord({ __name__: 'container_cpu', job: 'k8s', pod: 'pod-0-1', uid: 'uid-0-1' }),
  );
  assert.equal(again.created, true);
  assert.equal(head.getByRef(again.series.ref), again.series);
});

test('truncateAsync: appends and new series between slices are kept; tables swap in one step', async () => {
  const head = new Head({ chunkRangeMs: 2 * H, outOfOrderWindowMs: 0 });
  const old: ReturnType<typeof labelsFromRecord>[] = [];
  for (let i = 0; i < 3000; i++) {
    const ls = labelsFromRecord({ __name__: 'c', pod: `old-${i}` });
    old.push(ls);
    head.appendFloat(head.getOrCreate(ls).series, 0, i);
  }
  for (let i = 0; i < 1000; i++)
    head.appendFloat(
      head.getOrCreate(labelsFromRecord({ __name__: 'c', pod: `live-${i}` })).series,
      3 * H,
      i,
    );
  // Between slices: a new series, and an "empty" old series that gets a sample after the cut.
  let turns = 0;
  const t = setInterval(() => {
    turns++;
    head.appendFloat(
      head.getOrCreate(labelsFromRecord({ __name__: 'c', pod: `new-${turns}` })).series,
      3 * H,
      turns,
    );
    head.appendFloat(head.getOrCreate(old[turns]!).series, 3 * H, turns);
  }, 0);
  const deleted = await head.truncateAsync(2 * H, 0);
  clearInterval(t);
  assert.ok(turns > 0, 'the loop ran during the truncation');
  // Each turn revived one old series and created one new one (a revived one kept its ref).
  assert.equal(head.seriesCount(), 1000 + 2 * turns);
  assert.equal(deleted, 3000 - turns);
  for (let k = 1; k <= turns; k++) {
    assert.ok(head.getByLabels(labelsFromRecord({ __name__: 'c', pod: `new-${k}` })), `new-${k}`);
    assert.ok(head.getByLabels(old[k]!), `revived old-${k}`);
  }
  assert.equal(head.getByLabels(old[turns + 1]!), undefined);
  const sel = head.select([new Matcher('=~', 'pod', 'old-.*')]);
  assert.equal(sel.length, turns);
  const refs = head.allPostings();
  for (let i = 1; i < refs.length; i++) assert.ok(refs[i]! > refs[i - 1]!, 'postings ascending');
  assert.equal(head.labelValues('pod').length, 1000 + 2 * turns);
});
