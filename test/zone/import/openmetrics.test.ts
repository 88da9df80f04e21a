import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compatibleBlockDuration, importOpenMetrics } from '../../../zone/import/openmetrics.ts';
import { Block } from '../../../zone/tsdb/index.ts';
import { tempDir } from '../../e2e/harness.ts';

const H = 3_600_000;

test('compatibleBlockDuration: 2h×3^k not above the maximum, as promtool', () => {
  assert.equal(compatibleBlockDuration(0), 2 * H);
  assert.equal(compatibleBlockDuration(H), 2 * H);
  assert.equal(compatibleBlockDuration(5 * H), 2 * H);
  assert.equal(compatibleBlockDuration(6 * H), 6 * H);
  assert.equal(compatibleBlockDuration(24 * H), 18 * H);
  assert.equal(compatibleBlockDuration(1e15), 2 * H * 3 ** 9);
});

test('importOpenMetrics: aligned blocks holding exactly the samples, in order per block', () => {
  const dir = tempDir('om-unit');
  try {
    const f = join(dir.path, 'in.txt');
    // 13 h of one sample per 10 min, written block by block newest block first (allowed: order
    // matters only within a block); a _created series is skipped
    const lines: string[] = ['# TYPE c counter'];
    const ts = Array.from({ length: 78 }, (_, i) => 1_700_000_000 + i * 600);
    const win = (t: number): number => Math.floor(t / 21_600);
    const order = [...ts].sort((a, b) => win(b) - win(a) || a - b);
    for (const t of order) lines.push(`c_total{a="x"} ${t - 1_700_000_000} ${t}`);
    lines.push('c_created{a="x"} 1700000000 1700000000', '# EOF', '');
    writeFileSync(f, lines.join('\n'));
    const res = importOpenMetrics({ file: f, dataDir: dir.path, maxBlockDurationMs: 7 * H });
    assert.equal(res.samples, 78);
    assert.equal(res.series, 1);
    for (const b of res.blocks) {
      assert.equal(b.meta.minTime % (6 * H), 0);
      assert.equal(b.meta.maxTime - b.meta.minTime, 6 * H);
    }
    let n = 0,
      prev = -Infinity;
    for (const b of res.blocks) {
      const blk = Block.open(join(dir.path, 'blocks', b.meta.ulid));
      for (const s of blk.allSeries()) {
        assert.equal(s.labels.find((l) => l.name === '__name__')!.value, 'c_total');
      }
      n += b.meta.stats.numSamples;
      assert.ok(b.meta.minTime > prev);
      prev = b.meta.minTime;
      blk.close();
    }
    assert.equal(n, 78);
  } finally {
    dir.remove();
  }
});
