// Which bucket blocks a query reads (BucketStore.candidates): not those held locally (same
// ulid, or all sources in local blocks of the same resolution), not those a merged bucket
// block replaces, not another zone's, and only the requested resolution.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBucket } from '../../../zone/objstore/index.ts';
import { BucketIndex } from '../../../zone/objstore/bucket-index.ts';
import { BucketStore } from '../../../zone/objstore/bucket-store.ts';
import type { BucketBlockMeta } from '../../../zone/objstore/bucket-meta.ts';
import { silentLogger } from '../../../shared/log.ts';

const H = 3600_000;
const id = (c: string): string => `01M9000000000000000000000${c}`;

function meta(u: string, minT: number, maxT: number, sources: string[], resolution = 0): BucketBlockMeta {
  return {
    version: 1,
    ulid: u,
    minTime: minT,
    maxTime: maxT,
    stats: { numSeries: 1, numSamples: 1, numChunks: 1 },
    compaction: { level: sources.length > 1 ? 2 : 1, sources },
    thanos: { labels: { zone: 'z' }, downsample: { resolution }, source: 'test', files: [] },
  };
}

test('candidates: local ulids and sources, merged replacements and resolutions', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bstore-'));
  try {
    const b = openBucket({ type: 'FILESYSTEM', directory: join(dir, 'bucket') });
    const all = [
      meta(id('A'), 0, H, [id('A')]),
      meta(id('B'), H, 2 * H, [id('B')]),
      meta(id('C'), 2 * H, 3 * H, [id('C')]),
      meta(id('M'), 0, 2 * H, [id('A'), id('B')]), // merged A+B, A and B not yet deleted
      meta(id('R'), 0, 3 * H, [id('A'), id('B'), id('C')], 300_000), // a 5m rollup
    ];
    for (const m of all) await b.put(`${m.ulid}/meta.json`, Buffer.from(JSON.stringify(m)));
    await b.put(`${id('P')}/index`, Buffer.from('partial: no meta.json'));
    const other = {
      ...meta(id('O'), 0, 3 * H, [id('O')]),
      thanos: { labels: { zone: 'other' }, downsample: { resolution: 0 }, source: 'test', files: [] },
    };
    await b.put(`${id('O')}/meta.json`, Buffer.from(JSON.stringify(other)));
    const index = new BucketIndex(b, silentLogger());
    await index.refresh();
    const store = new BucketStore(b, index, join(dir, 'cache'), 1 << 20, silentLogger(), { zone: 'z' });
    const ids = (ms: BucketBlockMeta[]): string[] => ms.map((m) => m.ulid.slice(-1)).sort();
    assert.deepEqual(
      ids(store.candidates(0, 3 * H, [])),
      ['C', 'M'],
      "A and B are replaced by M; P is partial; R is 5m; O is another zone's",
    );
    assert.deepEqual(ids(store.candidates(0, H - 1, [])), ['M']);
    assert.deepEqual(ids(store.candidates(2 * H, 3 * H, [])), ['C']);
    // Local blocks: the same ulid, or a local block holding all its sources.
    assert.deepEqual(ids(store.candidates(0, 3 * H, [all[2]!])), ['M']);
    assert.deepEqual(
      ids(store.candidates(0, 3 * H, [meta(id('L'), 0, 3 * H, [id('A'), id('B'), id('C')])])),
      [],
    );
    // A local 5m rollup over the same sources does not hide raw bucket blocks.
    assert.deepEqual(
      ids(store.candidates(0, 3 * H, [meta(id('S'), 0, 3 * H, [id('A'), id('B'), id('C')], 300_000)])),
      ['C', 'M'],
    );
    assert.deepEqual(ids(store.candidates(0, 3 * H, [], 300_000)), ['R']);
    store.close();
    b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
