// `npm run check:import`: 7 days of OpenMetrics data (280 series: counters with resets, integer
// and float gauges; 1-minute resolution) imported with `canopy import openmetrics` and with
// `promtool tsdb create-blocks-from openmetrics`; a zone and Prometheus 2.42 on the results answer
// the same instant and range queries (test/e2e/import-diff/openmetrics.ts). Prints the figures;
// exits 1 on any mismatch. CANOPY_IMPORT_DAYS / CANOPY_IMPORT_INSTANCES change the size;
// CANOPY_IMPORT_VIA=prometheus-tsdb imports promtool's blocks with `canopy import prometheus-tsdb`.
import { findOnPath } from '../topology/path.ts';
import { tempDir } from '../test/e2e/harness.ts';
import { runImportDiff, SERIES_PER_INSTANCE } from '../test/e2e/import-diff/openmetrics.ts';

const prometheus = findOnPath('prometheus');
const promtool = findOnPath('promtool');
if (!prometheus || !promtool) {
  console.error('prometheus and promtool (2.42) are required');
  process.exit(2);
}
const days = Number(process.env.CANOPY_IMPORT_DAYS ?? 7);
const instances = Number(process.env.CANOPY_IMPORT_INSTANCES ?? 40);
const via = process.env.CANOPY_IMPORT_VIA === 'prometheus-tsdb' ? 'prometheus-tsdb' : 'openmetrics';
const dir = tempDir('import-bench');
try {
  const endMs = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000 + 17 * 60_000;
  const r = await runImportDiff(dir.path, { days, instances, endMs }, { prometheus, promtool }, via, (s) =>
    console.log(s),
  );
  console.log(
    `series ${instances * SERIES_PER_INSTANCE}, samples ${r.samples}, file ${(r.fileBytes / 1e6).toFixed(1)} MB`,
  );
  console.log(
    `canopy import ${via}  ${r.canopyImportSeconds.toFixed(1)} s  ${r.canopyBlocks} blocks  ${r.canopyBytesPerSample.toFixed(3)} bytes/sample`,
  );
  console.log(
    `promtool        ${r.promtoolSeconds.toFixed(1)} s  ${r.promBlocks} blocks  ${r.promBytesPerSample.toFixed(3)} bytes/sample`,
  );
  console.log(`series served   prometheus ${r.seriesServed.prom}, zone ${r.seriesServed.canopy}`);
  console.log(
    `queries compared ${r.diff.compared} in ${r.diff.seconds.toFixed(1)} s, mismatches ${r.diff.failures.length}`,
  );
  for (const f of r.diff.failures.slice(0, 20)) console.log('  ' + f);
  process.exitCode = r.diff.failures.length === 0 && r.seriesServed.prom === r.seriesServed.canopy ? 0 : 1;
} finally {
  dir.remove();
}
