// The leaf's series limit through its real HTTP push path and /metrics (zone unreachable: the
// batches just wait in the disk buffer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLeaf } from '../../leaf/main.ts';
import { parseLeafConfig, type LeafConfig } from '../../leaf/config.ts';
import { silentLogger } from '../../shared/log.ts';

function metric(text: string, name: string, reason?: string): number {
  const re = new RegExp(`^${name}${reason ? `\\{reason="${reason}"\\}` : ''} (\\S+)$`, 'm');
  const m = text.match(re);
  assert.ok(m, `${name} ${reason ?? ''} not in /metrics`);
  return Number(m[1]);
}

test('leaf: --series-limit refuses new series of any metric with 429, counted under reason="series_limit"', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-limit-'));
  const cfg = parseLeafConfig(
    [
      '--zone',
      '127.0.0.1:1',
      '--listen',
      '127.0.0.1:0',
      '--data-dir',
      dir,
      '--series-limit',
      '100',
      '--name',
      't',
    ],
    'h',
  ) as LeafConfig;
  const leaf = await startLeaf(cfg, { logger: silentLogger() });
  try {
    const post = (items: unknown[]): Promise<Response> =>
      fetch(`${leaf.httpUrl}/api/v1/push`, { method: 'POST', body: JSON.stringify(items) });
    const items = Array.from({ length: 150 }, (_, i) => ({
      metric: `flood_${i}`,
      tags: { a: 'b' },
      value: i,
    }));
    const r = await post(items);
    assert.equal(r.status, 429);
    const body = (await r.json()) as { errorType: string; error: string };
    assert.equal(body.errorType, 'unavailable');
    assert.match(body.error, /50 samples of new series refused: 50 by the leaf's series limit \(100\)/);
    // the admitted 100 keep flowing; the refused 50 stay refused
    assert.equal((await post(items.slice(0, 100))).status, 204);
    assert.equal((await post(items.slice(100))).status, 429);
    const text = await (await fetch(`${leaf.httpUrl}/metrics`)).text();
    assert.equal(metric(text, 'canopy_leaf_samples_dropped_total', 'series_limit'), 100);
    assert.equal(metric(text, 'canopy_leaf_samples_dropped_total', 'too_many_series'), 0);
    assert.equal(metric(text, 'canopy_leaf_cardinality_series'), 100); // the heartbeat bypasses the guard
    assert.equal(metric(text, 'canopy_leaf_cardinality_series_limit'), 100);
    const status = (await (await fetch(`${leaf.httpUrl}/api/v1/status/leaf`)).json()) as {
      data: Record<string, unknown>;
    };
    assert.equal(status.data.series, 100);
    assert.equal(status.data.seriesLimit, 100);
    assert.deepEqual(status.data.bufferCorrupt, { records: 0, unknownRecords: 0, samples: 0, bytes: 0 });
  } finally {
    await leaf.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
