// `canopy import openmetrics` against `promtool tsdb create-blocks-from openmetrics` (Prometheus
// 2.42) on the same file (1 day, 105 series, 1-minute resolution): both servers answer the same
// instant and range queries, across block boundaries. Plus the input errors promtool rejects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath } from '../../topology/path.ts';
import { runCanopy, tempDir } from './harness.ts';
import { runImportDiff, SERIES_PER_INSTANCE } from './import-diff/openmetrics.ts';

const prometheus = findOnPath('prometheus');
const promtool = findOnPath('promtool');

test(
  "import openmetrics: a zone on the imported blocks answers as Prometheus on promtool's",
  { skip: !prometheus || !promtool ? 'prometheus/promtool not installed' : false, timeout: 120_000 },
  async () => {
    const dir = tempDir('import-om');
    try {
      const endMs = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000 + 17 * 60_000;
      const d = { days: 1, instances: 15, endMs };
      const r = await runImportDiff(dir.path, d, { prometheus: prometheus!, promtool: promtool! });
      assert.equal(r.samples, 15 * SERIES_PER_INSTANCE * 1440);
      assert.match(
        r.canopyStdout,
        /^BLOCK ULID\s+MIN TIME\s+MAX TIME\s+DURATION\s+NUM SAMPLES\s+NUM CHUNKS\s+NUM SERIES\s+SIZE\n/,
      );
      assert.ok(r.canopyBlocks >= 12 && r.canopyBlocks <= 13, `blocks: ${r.canopyBlocks}`);
      assert.deepEqual(r.seriesServed, { prom: 15 * SERIES_PER_INSTANCE, canopy: 15 * SERIES_PER_INSTANCE });
      assert.ok(r.diff.compared >= 200, `compared ${r.diff.compared}`);
      assert.deepEqual(r.diff.failures.slice(0, 10), []);
    } finally {
      dir.remove();
    }
  },
);

test('import openmetrics: bad input is refused with the line and nothing is written', () => {
  const dir = tempDir('import-om-bad');
  try {
    const cases: [string, RegExp][] = [
      [
        '# TYPE a gauge\na 1\n# EOF\n',
        /expected timestamp for series \{__name__="a"\}, got none|expected timestamp for series a\b/,
      ],
      ['# TYPE a gauge\na 1 100\n', /data does not end with "# EOF"/],
      ['# TYPE a gauge\na 1 100\na 2 99\n# EOF\n', /out of order sample/],
      ['# TYPE a gauge\na 1 100\na 2 100\n# EOF\n', /duplicate sample for timestamp/],
      ['# TYPE a gauge\na 1 100\na{ 2 100\n# EOF\n', /line 3:/],
    ];
    for (const [i, [text, re]] of cases.entries()) {
      const f = join(dir.path, `bad${i}.txt`);
      writeFileSync(f, text);
      const r = runCanopy(['import', 'openmetrics', f, '--data-dir', join(dir.path, `z${i}`)]);
      assert.equal(r.code, 1, `case ${i}: ${r.stderr}`);
      assert.match(r.stderr, re, `case ${i}`);
      assert.ok(!existsSync(join(dir.path, `z${i}`, 'blocks')), `case ${i}: blocks were written`);
    }
    // the same sample twice is ignored (as Prometheus's appender does); out of order across blocks is fine
    const f = join(dir.path, 'ok.txt');
    writeFileSync(f, '# TYPE a gauge\na 2 8000\na 1 100\na 1 100\n# EOF\n');
    const r = runCanopy(['import', 'openmetrics', f, '--data-dir', join(dir.path, 'ok'), '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /imported 2 samples of 1 series into 2 blocks/);
  } finally {
    dir.remove();
  }
});
