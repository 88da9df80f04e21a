// TSDB benchmark on node_exporter-like data: append rate and CPU per million samples (through
// the Appender, WAL on with fsync 'none'), heap per active series, WAL replay rate, bytes per
// sample on disk after the head is cut into blocks (with and without the index), compared with
// Prometheus' XOR chunk encoding of the same samples, and the read-back (decode) rate.
// Usage: npm run bench:tsdb -- [--series=20000] [--hours=3]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { openTSDB } from '../zone/tsdb/index.ts';
import { DecimalChunk, XorChunk } from '../zone/tsdb/chunk/index.ts';
import { labelsFromRecord, type Labels } from '../shared/labels.ts';
import { ValueKind } from '../shared/storage.ts';
import { INTERVAL_MS, NodeDataset, PER_HOST, Prng } from './node-dataset.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function arg(name: string, def: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : def;
}
const NSERIES = arg('series', 20000);
const HOURS = arg('hours', 3);
const INTERVAL = INTERVAL_MS;

const rng = new Prng(12345);
const rnd = (): number => rng.next();
const data = new NodeDataset(NSERIES, rng);
const labels: Labels[] = data.labels.map((ls) => labelsFromRecord(Object.fromEntries(ls)));
const val = data.start.slice();
const step = (i: number, tMs: number): number => data.step(val, i, tMs);

const dir = mkdtempSync(join(tmpdir(), 'tsdb-bench-'));
const T0 = 1_700_000_000_000 - (1_700_000_000_000 % (2 * 3600_000));
const STEPS = (HOURS * 3600_000) / INTERVAL;
const hosts = Math.ceil(NSERIES / PER_HOST);
const row = (k: string, v: string): void => console.log(`${k.padEnd(44)} ${v}`);

gc();
const mem = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers; // typed-array backing stores live outside the V8 heap
};
const heap0 = mem();
let db = await openTSDB({ dir, walFsync: 'none', autoCompact: false });
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
let samples = 0;
for (let s = 0; s < STEPS; s++) {
  for (let h = 0; h < hosts; h++) {
    const t = data.scrapeTimeMs(T0, s, h); // ms jitter
    const a = db.appender();
    const end = Math.min(NSERIES, (h + 1) * PER_HOST);
    for (let i = h * PER_HOST; i < end; i++) a.append(labels[i]!, t, step(i, t));
    samples += end - h * PER_HOST;
    await a.commit();
  }
}
const wallS = (performance.now() - wall0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuS = (cpu.user + cpu.system) / 1e6;
const st = await db.statsNow();
await db.close(); // the head stays reachable through `db`; the WAL's buffers are released
gc();
const heap1 = mem();
console.log(
  `\ncanopy tsdb bench: ${NSERIES} series × ${STEPS} samples (${HOURS} h at 15 s) = ${(samples / 1e6).toFixed(2)}M samples\n`,
);
row('append (appender+WAL, fsync none)', `${Math.round(samples / wallS).toLocaleString()} samples/s`);
row('append CPU', `${((cpuS / samples) * 1e6).toFixed(2)} CPU-s per 1M samples`);
row(
  'memory per active series (heap + array buffers)',
  `${Math.round((heap1 - heap0) / NSERIES)} B (${((heap1 - heap0) / samples).toFixed(2)} B/sample in head)`,
);
row('head estimate per series', `${Math.round(st.headMemoryBytes / NSERIES)} B`);
row('WAL size', `${(st.walBytes / 1e6).toFixed(1)} MB (${(st.walBytes / samples).toFixed(2)} B/sample)`);

const r0 = performance.now();
db = await openTSDB({ dir, walFsync: 'none', autoCompact: false });
const replayS = (performance.now() - r0) / 1000;
row(
  'WAL replay (open)',
  `${replayS.toFixed(2)} s, ${Math.round(samples / replayS).toLocaleString()} samples/s`,
);
if (db.stats().headSamples !== samples)
  console.log(`!! replayed ${db.stats().headSamples} of ${samples} samples`);

const c0 = performance.now();
await db.cutBlocksNow();
row(
  'cut head into blocks',
  `${((performance.now() - c0) / 1000).toFixed(2)} s, ${db.blocks().length} blocks`,
);
const bs = db.stats();
row('bytes/sample on disk (chunks + index + meta)', (bs.blockBytes / bs.blockSamples).toFixed(3));
row(
  'bytes/sample on disk (without index)',
  ((bs.blockBytes - bs.blockIndexBytes) / bs.blockSamples).toFixed(3),
);

// Read everything back; re-encode with Prometheus' XOR chunk (120 samples/chunk) to compare.
const q = await db.querier(-Infinity, Infinity);
const q0 = performance.now();
const set = q.select([], { startMs: -1e15, endMs: 1e15 });
let read = 0,
  xorBytes = 0,
  rawChunkBytes = 0;
while (set.next()) {
  const c = set.at().cursor();
  let x = new XorChunk(256);
  while (c.next() === ValueKind.Float) {
    if (x.numSamples() === 120) {
      xorBytes += x.bytes().length;
      x = new XorChunk(256);
    }
    x.append(c.atT(), c.atF());
    read++;
  }
  if (c.err()) throw c.err();
  xorBytes += x.bytes().length;
}
const readS = (performance.now() - q0) / 1000;
q.close();
for (const m of db.blocks()) rawChunkBytes += m.stats.numChunks;
row('read back (decode + re-encode as XOR)', `${Math.round(read / readS).toLocaleString()} samples/s`);
row(
  'chunk payload: canopy decimal chunks',
  `${((bs.blockBytes - bs.blockIndexBytes - rawChunkBytes * 7) / bs.blockSamples).toFixed(3)} B/sample (excl. 7 B/chunk framing)`,
);
row('chunk payload: Prometheus XOR, same samples', `${(xorBytes / read).toFixed(3)} B/sample`);
if (read !== samples) console.log(`!! read ${read} of ${samples} samples`);

// Codec speed on one counter-like stream (2-decimal values, ms jitter), 1.2M samples.
{
  const N = 120,
    CH = 10_000;
  const ts = new Float64Array(N * CH),
    vs = new Float64Array(N * CH);
  let v = 1000;
  for (let i = 0; i < ts.length; i++) {
    ts[i] = T0 + i * INTERVAL + Math.floor(rnd() * 9);
    vs[i] = v = Math.round((v + rnd() * 10) * 100) / 100;
  }
  for (const [name, mk] of [
    ['decimal', (): DecimalChunk | XorChunk => new DecimalChunk(64)],
    ['xor', (): DecimalChunk | XorChunk => new XorChunk(64)],
  ] as const) {
    let t0 = performance.now();
    const chunks: (DecimalChunk | XorChunk)[] = [];
    for (let c = 0; c < CH; c++) {
      const ch = mk();
      for (let i = c * N; i < (c + 1) * N; i++) ch.append(ts[i]!, vs[i]!);
      chunks.push(ch);
    }
    const encNs = ((performance.now() - t0) * 1e6) / ts.length;
    t0 = performance.now();
    let sum = 0;
    for (const ch of chunks) {
      const cur = ch.cursor();
      while (cur.next() !== ValueKind.None) sum += cur.atF();
    }
    const decNs = ((performance.now() - t0) * 1e6) / ts.length;
    row(
      `codec ${name} (counter stream)`,
      `encode ${encNs.toFixed(0)} ns/sample, decode ${decNs.toFixed(0)} ns/sample${sum > 0 ? '' : '!'}`,
    );
  }
}
await db.close();
rmSync(dir, { recursive: true, force: true });
