// How long one large remote_write request holds the zone's event loop: a zone runs in this
// process (TSDB in a temp dir, ingest limits off so everything is written), a worker thread
// sends a WriteRequest of about 10 MB (decoded; snappy-compressed on the wire) and
// perf_hooks.monitorEventLoopDelay (1 ms resolution) records the loop's delays while the zone
// decodes, admits and commits it. Rounds: new series each time (a series bomb) and the same
// series again (steady state). Prints one line per round and the machine's load average.
//   npm run bench:remote-write-stall [-- --series 40000 --samples 12 --rounds 3]
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import snappy from 'snappy';
import { rootLogger } from '../shared/log.ts';
import { parseZoneConfig, type ZoneConfig } from '../zone/config.ts';
import { startZone } from '../zone/main.ts';
import { encodeWriteRequest, type SeriesData } from '../test/e2e/promql-diff/write-request.ts';

const { values: a } = parseArgs({
  options: {
    series: { type: 'string', default: '40000' },
    samples: { type: 'string', default: '12' },
    rounds: { type: 'string', default: '3' },
  },
});
const nSeries = Number(a.series),
  nSamples = Number(a.samples),
  rounds = Number(a.rounds);

const SENDER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', async ({ url, body }) => {
  const t0 = performance.now();
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' }, body: Buffer.from(body) });
  parentPort.postMessage({ status: r.status, text: await r.text(), ms: performance.now() - t0 });
});
`;

function body(metric: string, startMs: number): Buffer {
  const series: SeriesData[] = [];
  for (let i = 0; i < nSeries; i++) {
    series.push({
      labels: [
        ['__name__', metric],
        ['instance', `host-${i % 500}.example.org:9100`],
        ['job', 'node'],
        ['id', String(i)],
      ],
      tsMs: Array.from({ length: nSamples }, (_, k) => startMs + k * 1000),
      values: Array.from({ length: nSamples }, (_, k) => i + k * 0.5),
    });
  }
  return encodeWriteRequest(series.map((s) => ({ s, from: 0, to: nSamples })));
}

const dir = mkdtempSync(join(tmpdir(), 'canopy-rw-stall-'));
rootLogger({ level: 'error' });
const cfgFile = join(dir, 'zone.yaml');
writeFileSync(cfgFile, 'limits: {ingestionRate: 0, maxSeriesPerTenant: 0}\n');
const zone = await startZone(
  parseZoneConfig([
    '--config',
    cfgFile,
    '--data-dir',
    join(dir, 'data'),
    '--listen',
    '127.0.0.1:0',
    '--grpc-listen',
    '127.0.0.1:0',
  ]) as ZoneConfig,
);
const sender = new Worker(SENDER, { eval: true });
try {
  const base = Date.now() - 10 * 60_000;
  const plan: { name: string; metric: string; startMs: number }[] = [];
  for (let r = 0; r < rounds; r++)
    plan.push({ name: `new series #${r + 1}`, metric: `stall_${r}`, startMs: base });
  for (let r = 0; r < rounds; r++)
    plan.push({
      name: `same series #${r + 1}`,
      metric: 'stall_0',
      startMs: base + (r + 1) * nSamples * 1000,
    });
  for (const p of plan) {
    const b = body(p.metric, p.startMs);
    const decoded = snappy.uncompressSync(b, { asBuffer: true }) as Buffer;
    global.gc?.();
    await new Promise((r) => setTimeout(r, 200));
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    const done = new Promise<{ status: number; text: string; ms: number }>((r) => sender.once('message', r));
    sender.postMessage({ url: `${zone.httpUrl}/api/v1/write`, body: b });
    const res = await done;
    h.disable();
    if (res.status !== 204) throw new Error(`${p.name}: ${res.status} ${res.text}`);
    console.log(
      `${p.name}: ${nSeries} series × ${nSamples} samples, ${(decoded.length / 1e6).toFixed(1)} MB decoded / ${(b.length / 1e6).toFixed(1)} MB snappy: ` +
        `204 in ${res.ms.toFixed(0)} ms; event-loop delay max ${(h.max / 1e6).toFixed(1)} ms, p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms`,
    );
  }
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${cpus().length} cores`,
  );
} finally {
  await sender.terminate();
  await zone.stop();
  rmSync(dir, { recursive: true, force: true });
}
