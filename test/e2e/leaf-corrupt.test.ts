// A damaged disk buffer through real processes: a leaf buffers 20 pushed batches while its
// zone is down and stops; one byte of one batch is flipped on disk; the restarted leaf ships
// every other batch to the zone and reports exactly what it lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanRecords } from '../../leaf/buffer/segment-record.ts';
import { leafMetric, query, startStack } from '../leaf/e2e-stack.ts';
import { waitFor } from './harness.ts';

test(
  'leaf disk buffer: one flipped byte costs exactly its batch, counted as reason="corrupt"; the 19 others arrive',
  { timeout: 180_000 },
  async (tc) => {
    const stack = await startStack('leafcor', { root: false });
    try {
      await stack.stopZone();
      const dataDir = join(stack.dir.path, 'data-leaf');
      const yaml = `zones: ['${stack.zoneGrpc}']\ndata_dir: ${dataDir}\nheartbeat_interval: 1h\n`;
      let leaf = await stack.startLeaf('cor', yaml);
      const now = Date.now();
      for (let b = 0; b < 20; b++) {
        const items = Array.from({ length: 5 }, (_, k) => ({
          metric: 'corrupt_test',
          tags: { batch: String(b), k: String(k) },
          timestamp: now,
          value: b * 10 + k,
        }));
        const r = await fetch(`${leaf.url}/api/v1/push`, { method: 'POST', body: JSON.stringify(items) });
        assert.equal(r.status, 204);
      }
      assert.equal(await leafMetric(leaf.url, 'canopy_leaf_samples_queued_total', { source: 'push' }), 100);
      await leaf.proc.stop();

      // flip one payload byte of the batch holding corrupt_test{batch="7"}
      const segs = readdirSync(dataDir)
        .filter((f) => f.endsWith('.seg'))
        .sort();
      let flipped: { file: string; samples: number; size: number } | undefined;
      for (const name of segs) {
        const buf = readFileSync(join(dataDir, name));
        for (const r of scanRecords(buf, 2, 8).records) {
          const rec = buf.subarray(r.off, r.off + r.size);
          const at = rec.indexOf(Buffer.from('batch\x12\x017')); // label pair batch="7" in the encoded labels
          if (at < 0 || flipped) continue;
          buf[r.off + at + 3]! ^= 0x5a;
          writeFileSync(join(dataDir, name), buf);
          flipped = { file: name, samples: r.samples, size: r.size };
        }
      }
      assert.ok(flipped, 'found the record of batch 7');
      assert.equal(flipped.samples, 5);

      await stack.startZone();
      leaf = await stack.startLeaf('cor', yaml);
      await waitFor(
        'the 19 intact batches at the zone',
        async () => (await query(stack.zoneUrl, 'count(corrupt_test)'))[0]?.value[1] === '95',
        60_000,
        500,
      );
      assert.deepEqual(await query(stack.zoneUrl, 'corrupt_test{batch="7"}'), []);
      assert.equal(await leafMetric(leaf.url, 'canopy_leaf_samples_dropped_total', { reason: 'corrupt' }), 5);
      assert.equal(
        await leafMetric(leaf.url, 'canopy_leaf_buffer_corrupt_records_total', { samples: 'known' }),
        1,
      );
      assert.equal(
        await leafMetric(leaf.url, 'canopy_leaf_buffer_corrupt_records_total', { samples: 'unknown' }),
        0,
      );
      assert.equal(await leafMetric(leaf.url, 'canopy_leaf_buffer_corrupt_bytes_total'), flipped.size);
      assert.ok(
        leaf.proc.output.some((l) => l.includes('disk buffer damaged')),
        'a warning in the log',
      );
      tc.diagnostic(`lost 1 record (${flipped.size} B, 5 samples); 95 of 100 samples delivered`);
    } finally {
      await stack.stop();
    }
  },
);
