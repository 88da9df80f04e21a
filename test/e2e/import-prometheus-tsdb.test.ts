// `canopy import prometheus-tsdb` on blocks written by Prometheus 2.42's promtool (1 day, 105
// series): a zone on the converted blocks answers as Prometheus on the originals; a damaged
// chunk or index is refused (exit 1, 'corrupt') and leaves no block behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath } from '../../topology/path.ts';
import { runCanopy, tempDir } from './harness.ts';
import { runImportDiff, SERIES_PER_INSTANCE, writeOpenMetrics } from './import-diff/openmetrics.ts';

const prometheus = findOnPath('prometheus');
const promtool = findOnPath('promtool');
const skip = !prometheus || !promtool ? 'prometheus/promtool not installed' : false;

test(
  "import prometheus-tsdb: a zone on the converted blocks answers as Prometheus on promtool's",
  { skip, timeout: 120_000 },
  async () => {
    const dir = tempDir('import-ptsdb');
    try {
      const endMs = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000 + 17 * 60_000;
      const r = await runImportDiff(
        dir.path,
        { days: 1, instances: 15, endMs },
        { prometheus: prometheus!, promtool: promtool! },
        'prometheus-tsdb',
      );
      assert.equal(r.canopyBlocks, r.promBlocks);
      assert.match(r.canopyStdout, /^BLOCK ULID\s+MIN TIME/);
      assert.deepEqual(r.seriesServed, { prom: 15 * SERIES_PER_INSTANCE, canopy: 15 * SERIES_PER_INSTANCE });
      assert.ok(r.diff.compared >= 200, `compared ${r.diff.compared}`);
      assert.deepEqual(r.diff.failures.slice(0, 10), []);
    } finally {
      dir.remove();
    }
  },
);

test('import prometheus-tsdb: damaged blocks are refused and nothing is written', { skip }, () => {
  const dir = tempDir('import-ptsdb-bad');
  try {
    const file = join(dir.path, 'in.txt');
    writeOpenMetrics(file, { days: 0.05, instances: 1, endMs: 1_700_004_000_000 }); // inside one 2 h block
    const prom = join(dir.path, 'prom');
    assert.equal(spawnSync(promtool!, ['tsdb', 'create-blocks-from', 'openmetrics', file, prom]).status, 0);
    const block = join(
      prom,
      readdirSync(prom).find((n) => /^[0-9A-Z]{26}$/.test(n))!,
    );
    const ok = runCanopy(['import', 'prometheus-tsdb', prom, '--data-dir', join(dir.path, 'ok'), '--quiet']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /imported 504 samples of 7 series into 1 blocks/);
    for (const [what, f, at] of [
      ['chunk', join(block, 'chunks', '000001'), 40],
      ['index', join(block, 'index'), 30],
    ] as const) {
      const orig = readFileSync(f);
      const b = Buffer.from(orig);
      b[at] = b[at]! ^ 0x55;
      writeFileSync(f, b);
      const out = join(dir.path, `bad-${what}`);
      const r = runCanopy(['import', 'prometheus-tsdb', prom, '--data-dir', out]);
      assert.equal(r.code, 1, `${what}: ${r.stderr}`);
      assert.match(r.stderr, /checksum mismatch|corrupt|bad magic/, what);
      assert.ok(
        !existsSync(join(out, 'blocks')) || readdirSync(join(out, 'blocks')).length === 0,
        `${what}: a block was left behind`,
      );
      writeFileSync(f, orig);
    }
  } finally {
    dir.remove();
  }
});
