// Ingest throughput: remote_write decode (hand-written reader vs protobufjs), and the full
// handler (snappy + decode + admission + append + commit) into MemoryStorage and into a no-op
// storage (to separate our cost from the store's). Run: npm run bench:ingest
import snappy from 'snappy';
import { Registry } from 'prom-client';
import { prometheus } from '../proto/prometheus/gen/prometheus.js';
import { MemoryStorage } from '../shared/memstore.ts';
import { silentLogger } from '../shared/log.ts';
import type { Storage } from '../shared/storage.ts';
import {
  handleRemoteWrite,
  IngestMetrics,
  parseAdmissionLimits,
  Tenants,
  WriteRequestReader,
} from '../zone/ingest/index.ts';

const SERIES = 2000;
const SAMPLES_PER_SERIES = Number(process.env.SAMPLES_PER_SERIES ?? 1);
const BODIES = 50;
const PHASE_MS = Number(process.env.BENCH_MS ?? 1500);
const T0 = Date.now() - 3_600_000;

function request(k: number): Uint8Array {
  return prometheus.WriteRequest.encode({
    timeseries: Array.from({ length: SERIES }, (_, i) => ({
      labels: [
        { name: '__name__', value: `http_requests_total` },
        { name: 'instance', value: `10.0.${i >> 8}.${i & 255}:9100` },
        { name: 'job', value: 'api' },
        { name: 'method', value: i % 2 ? 'GET' : 'POST' },
        { name: 'status', value: String(200 + (i % 5)) },
      ],
      samples: Array.from({ length: SAMPLES_PER_SERIES }, (_, j) => ({
        value: i * 1.5 + k,
        timestamp: T0 + k * SAMPLES_PER_SERIES + j,
      })),
    })),
  }).finish();
}

function rate(name: string, fn: (k: number) => void | Promise<void>): Promise<void> {
  return (async () => {
    let k = 0;
    // Warm-up (untimed) so the JIT has optimised the path before we measure.
    const w0 = performance.now();
    while (performance.now() - w0 < PHASE_MS / 3) {
      const r = fn(k++);
      if (r) await r;
    }
    const k0 = k;
    const t0 = performance.now();
    while (performance.now() - t0 < PHASE_MS) {
      const r = fn(k++);
      if (r) await r;
    }
    const s = (performance.now() - t0) / 1000;
    const samples = (k - k0) * SERIES * SAMPLES_PER_SERIES;
    console.log(
      `${name}: ${(samples / s / 1e6).toFixed(2)} M samples/s (${k - k0} requests of ${SERIES * SAMPLES_PER_SERIES} samples)`,
    );
  })();
}

const nullStorage = (): Storage => ({
  seriesCount: () => 0,
  querier: () => Promise.reject(new Error('not for reading')),
  close: async () => {},
  appender: () => {
    let n = 0;
    return {
      append: () => void n++,
      appendDistribution: () => void n++,
      commit: async () => ({ accepted: n, rejected: {}, errors: [] }),
      rollback: () => void (n = 0),
    };
  },
});

async function main(): Promise<void> {
  const raws = Array.from({ length: BODIES }, (_, k) => request(k));
  const bodies = raws.map((r) => snappy.compressSync(Buffer.from(r)));
  console.log(
    `request: ${SERIES} series × ${SAMPLES_PER_SERIES} samples, ${raws[0]!.length} B protobuf, ${bodies[0]!.length} B snappy`,
  );
  const reader = new WriteRequestReader();
  const rawBufs = raws.map((r) => Buffer.from(r));
  await rate('decode, hand-written reader', (k) => reader.decode(rawBufs[k % BODIES]!));
  await rate('decode, protobufjs static  ', (k) => void prometheus.WriteRequest.decode(raws[k % BODIES]!));
  await rate(
    'snappy uncompress          ',
    (k) => void snappy.uncompressSync(bodies[k % BODIES]!, { asBuffer: true }),
  );
  // Limits that track series off, and no rate limit (the bench sends far above 10k samples/s).
  const NO_LIMITS = { ingestionRate: 0, maxSeriesPerTenant: 0 };
  const headers = { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' };
  for (const [name, mk, limits] of [
    ['full handler → no-op storage     ', nullStorage, NO_LIMITS],
    [
      'full handler → no-op, with limits',
      nullStorage,
      { ingestionRate: 0, maxSeriesPerTenant: 1_000_000, maxSeriesPerMetric: 100_000 },
    ],
    ['full handler → MemoryStorage     ', () => new MemoryStorage(), NO_LIMITS],
  ] as const) {
    const storage = mk();
    const opts = {
      storage,
      tenants: new Tenants({ defaults: parseAdmissionLimits(limits), storage }),
      logger: silentLogger(),
      metrics: IngestMetrics.on(new Registry()),
    };
    // MemoryStorage rejects repeated timestamps, so each request index is sent once there.
    const once = storage instanceof MemoryStorage;
    await rate(name, async (k) => {
      const body = once ? snappy.compressSync(Buffer.from(request(BODIES + k))) : bodies[k % BODIES]!;
      const res = await handleRemoteWrite(body, headers, opts);
      if (res.status !== 204) throw new Error(`unexpected ${res.status}: ${res.body}`);
    });
  }
}

await main();
