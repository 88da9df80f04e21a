// Leaf data-plane throughput: `npm run bench:leaf`. Prints one line per figure; each case runs
// for a fixed amount of work (a few seconds in total) on the real code paths.
//   statsd      lines/s through parseDatagram + StatsdAggregator (1000 series, mixed types)
//   exposition  samples/s through parseExposition (node_exporter-like text, 10k samples)
//   disk buffer MB/s appending 64 KiB batches, then draining (peek+ack)
//   sketches    HLL adds/s; TDigest adds/s and merge/s vs the `tdigest` npm package, with
//               p99/p999 rank error of both on the same lognormal data
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TDigest as PkgTDigest } from 'tdigest';
import { parseDatagram, StatsdLine } from '../leaf/statsd/index.ts';
import { StatsdAggregator } from '../leaf/aggregate/index.ts';
import { parseExposition } from '../leaf/scrape/index.ts';
import { DiskBuffer } from '../leaf/buffer/index.ts';
import { HyperLogLog, TDigest } from '../shared/sketch/index.ts';

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return (performance.now() - t0) / 1000;
}
function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(1);
}
function line(what: string, value: string): void {
  console.log(`${what.padEnd(52)} ${value}`);
}

// ---- StatsD ----
{
  const packets: string[] = [];
  const types = ['c', 'g', 'ms', 'h', 's'];
  for (let p = 0; p < 1000; p++) {
    const ls: string[] = [];
    for (let i = 0; i < 20; i++) {
      const s = (p * 20 + i) % 1000;
      const t = types[s % types.length]!;
      ls.push(
        `app.metric_${s}:${t === 's' ? 'user' + (i % 50) : (i * 7.5).toFixed(1)}|${t}|#env:prod,host:h${s % 10}`,
      );
    }
    packets.push(ls.join('\n'));
  }
  const agg = new StatsdAggregator({ onFlush: () => {} });
  const l = new StatsdLine();
  for (const p of packets) parseDatagram(p, l, agg); // warm-up
  const rounds = 25;
  const secs = time(() => {
    for (let r = 0; r < rounds; r++) for (const p of packets) parseDatagram(p, l, agg);
  });
  const lines = rounds * packets.length * 20;
  line('statsd parse+aggregate (1000 series)', `${fmt(lines / secs)} lines/s`);
  const fs = time(() => void agg.collect());
  line('statsd flush (1000 series)', `${(fs * 1000).toFixed(1)} ms`);
}

// ---- exposition ----
{
  const rows: string[] = [
    '# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.',
    '# TYPE node_cpu_seconds_total counter',
  ];
  const modes = ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user'];
  let n = 0;
  for (let cpu = 0; n < 10_000; cpu++) {
    for (const m of modes) {
      rows.push(`node_cpu_seconds_total{cpu="${cpu}",mode="${m}"} ${(cpu * 1234.5 + n).toFixed(2)}`);
      n++;
    }
  }
  const body = rows.join('\n') + '\n';
  parseExposition(body, 'text/plain; version=0.0.4', 0);
  const rounds = 20;
  let samples = 0;
  const secs = time(() => {
    for (let r = 0; r < rounds; r++)
      samples += parseExposition(body, 'text/plain; version=0.0.4', 0).samples.length;
  });
  line(
    'exposition parse, cold (text 0.0.4, 2 labels)',
    `${fmt(samples / secs)} samples/s (${(body.length / 1e6 / (secs / rounds)).toFixed(1)} MB/s)`,
  );
  // the scrape path: a per-target series cache, as successive scrapes of one target repeat series
  const seriesCache = new Map();
  parseExposition(body, 'text/plain; version=0.0.4', 0, { seriesCache });
  samples = 0;
  const secs2 = time(() => {
    for (let r = 0; r < rounds; r++)
      samples += parseExposition(body, 'text/plain; version=0.0.4', 0, { seriesCache }).samples.length;
  });
  line(
    'exposition parse, repeat scrape (series cache)',
    `${fmt(samples / secs2)} samples/s (${(body.length / 1e6 / (secs2 / rounds)).toFixed(1)} MB/s)`,
  );
}

// ---- disk buffer ----
{
  const dir = mkdtempSync(join(tmpdir(), 'canopy-bench-buf-'));
  try {
    const b = DiskBuffer.open({ dir, maxBytes: 256 << 20 });
    const payload = new Uint8Array(64 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = i & 0xff;
    const N = 1600; // 100 MiB
    const w = time(() => {
      for (let i = 0; i < N; i++) b.append(`bench-${i}`, payload, 1000);
    });
    const r = time(() => {
      for (let x = b.peek(); x; x = b.peek()) b.ack(x.id);
    });
    const mb = (N * payload.length) / (1 << 20);
    line('disk buffer append (64 KiB batches, no fsync)', `${(mb / w).toFixed(0)} MB/s`);
    line('disk buffer drain (peek + ack)', `${(mb / r).toFixed(0)} MB/s`);
    b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- sketches ----
{
  const h = new HyperLogLog();
  const keys = Array.from({ length: 200_000 }, (_, i) => `series{id="${i}"}`);
  const secs = time(() => {
    for (const k of keys) h.add(k);
  });
  line('HyperLogLog add (p=14)', `${fmt(keys.length / secs)} adds/s`);

  let s = 12345;
  const rnd = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  const N = 200_000;
  const data = new Float64Array(N);
  for (let i = 0; i < N; i++)
    data[i] = Math.exp(1 + 1.5 * Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd()));
  const sorted = data.slice().sort();
  const rank = (x: number): number => {
    let lo = 0,
      hi = N;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (sorted[m]! <= x) lo = m + 1;
      else hi = m;
    }
    return lo / N;
  };
  const ours = new TDigest();
  const tOurs = time(() => {
    for (let i = 0; i < N; i++) ours.add(data[i]!);
    ours.quantile(0.5);
  });
  const pkg = new PkgTDigest();
  const tPkg = time(() => {
    for (let i = 0; i < N; i++) pkg.push(data[i]!);
    pkg.compress();
  });
  // same-size comparison: the package keeps ~500 centroids by default, δ=750 gives ours as many
  const big = new TDigest(750);
  const tBig = time(() => {
    for (let i = 0; i < N; i++) big.add(data[i]!);
    big.quantile(0.5);
  });
  line(`t-digest add: canopy TDigest (δ=200, ${ours.centroidCount()} centroids)`, `${fmt(N / tOurs)} adds/s`);
  line(`t-digest add: canopy TDigest (δ=750, ${big.centroidCount()} centroids)`, `${fmt(N / tBig)} adds/s`);
  line(
    `t-digest add: tdigest package (default, ${pkg.size()} centroids)`,
    `${fmt(N / tPkg)} adds/s  (${(tPkg / tOurs).toFixed(1)}× slower than δ=200)`,
  );
  for (const q of [0.5, 0.99, 0.999]) {
    const e = (x: number): string => Math.abs(rank(x) - q).toExponential(1);
    line(
      `  rank error p${q * 100}: canopy δ=200 / δ=750 / package`,
      `${e(ours.quantile(q))} / ${e(big.quantile(q))} / ${e(pkg.percentile(q))}`,
    );
  }
  // merge 100 digests of 2000 values each
  const partsOurs: TDigest[] = [];
  const partsPkg: PkgTDigest[] = [];
  for (let p = 0; p < 100; p++) {
    const a = new TDigest(),
      b = new PkgTDigest();
    for (let i = 0; i < 2000; i++) {
      a.add(data[p * 2000 + i]!);
      b.push(data[p * 2000 + i]!);
    }
    a.compress();
    b.compress();
    partsOurs.push(a);
    partsPkg.push(b);
  }
  const mo = new TDigest();
  const tm = time(() => {
    for (const p of partsOurs) mo.merge(p);
    mo.quantile(0.5);
  });
  const mp = new PkgTDigest();
  const tmp = time(() => {
    for (const p of partsPkg) mp.push_centroid(p.toArray());
    mp.compress();
  });
  line(
    't-digest merge of 100 digests: canopy',
    `${(tm * 1000).toFixed(1)} ms (p99 rank err ${Math.abs(rank(mo.quantile(0.99)) - 0.99).toExponential(1)})`,
  );
  line(
    't-digest merge of 100 digests: tdigest package',
    `${(tmp * 1000).toFixed(1)} ms (p99 rank err ${Math.abs(rank(mp.percentile(0.99)) - 0.99).toExponential(1)})`,
  );
}
