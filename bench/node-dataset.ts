// The benchmarks' node_exporter-like dataset: series kinds in node_exporter proportions
// (counters with 2 decimals or integer increments, gauges in pages, loads, temperatures,
// constants, a seconds clock), PER_HOST series per host, values stepped with realistic
// precision. Deterministic: every draw comes from the Prng the caller passes, so the same seed
// gives the same series and values (both systems in a comparison get identical data).

/** A small LCG; `seed` may be reset to replay a stream. */
export class Prng {
  constructor(public seed: number) {}
  next(): number {
    this.seed = (this.seed * 1664525 + 1013904223) >>> 0;
    return this.seed / 4294967296;
  }
}

export const INTERVAL_MS = 15_000;
export const PER_HOST = 200;

const enum K {
  CpuSeconds, // counter, 2 decimals
  Bytes, // counter, integer, large increments
  Ops, // counter, integer, small increments
  MemBytes, // gauge, multiples of 4096
  Load, // gauge, 2 decimals
  Const, // gauge, never changes (sizes, info, up)
  Temp, // gauge, 1 decimal
  TimeSec, // gauge, seconds with ms (node_time_seconds-like)
}
const MIX: [K, string, number][] = [
  [K.CpuSeconds, 'node_cpu_seconds_total', 0.35],
  [K.Bytes, 'node_network_receive_bytes_total', 0.12],
  [K.Ops, 'node_disk_reads_completed_total', 0.13],
  [K.MemBytes, 'node_memory_Active_bytes', 0.1],
  [K.Load, 'node_load1', 0.05],
  [K.Const, 'node_filesystem_size_bytes', 0.17],
  [K.Temp, 'node_hwmon_temp_celsius', 0.05],
  [K.TimeSec, 'node_time_seconds', 0.03],
];
const MODES = ['user', 'system', 'idle', 'iowait'];

export class NodeDataset {
  readonly kind: Uint8Array;
  /** Each series' first value. */
  readonly start: Float64Array;
  readonly rate: Float64Array;
  /** Label pairs per series, sorted by name. */
  readonly labels: [string, string][][] = [];

  constructor(
    readonly size: number,
    private readonly rnd: Prng,
  ) {
    this.kind = new Uint8Array(size);
    this.start = new Float64Array(size);
    this.rate = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      let r = rnd.next(),
        m = 0;
      while (m < MIX.length - 1 && r > MIX[m]![2]) r -= MIX[m++]![2];
      const [k, name] = MIX[m]!;
      this.kind[i] = k;
      const ls: [string, string][] = [
        ['__name__', name],
        ['idx', String(i % PER_HOST)],
        ['instance', `host-${Math.floor(i / PER_HOST)}.dc1.example.com:9100`],
        ['job', 'node'],
      ];
      if (k === K.CpuSeconds) ls.push(['mode', MODES[i % 4]!]);
      this.labels.push(ls);
      this.rate[i] = rnd.next();
      this.start[i] = firstValue(k, rnd);
    }
  }

  hosts(): number {
    return Math.ceil(this.size / PER_HOST);
  }

  /** Advances series i in `val` (a copy of start) to time tMs and returns the new value. */
  step(val: Float64Array, i: number, tMs: number): number {
    const rnd = this.rnd;
    const r = this.rate[i]!;
    let v = val[i]!;
    switch (this.kind[i] as K) {
      case K.CpuSeconds:
        v = Math.round((v + r * 15 * rnd.next()) * 100) / 100;
        break;
      case K.Bytes:
        v += Math.floor(r * 2e6 * rnd.next());
        break;
      case K.Ops:
        v += Math.floor(r * 50 * rnd.next());
        break;
      case K.MemBytes:
        if (rnd.next() < 0.5) v += Math.floor((rnd.next() - 0.5) * 500) * 4096;
        break;
      case K.Load:
        v = Math.max(0, Math.round((v + (rnd.next() - 0.5) * 0.2) * 100) / 100);
        break;
      case K.Const:
        break;
      case K.Temp:
        if (rnd.next() < 0.3) v = Math.round((v + (rnd.next() - 0.5) * 2) * 10) / 10;
        break;
      case K.TimeSec:
        v = tMs / 1000;
        break;
    }
    val[i] = v;
    return v;
  }

  /** The scrape time of host h at step s from t0: the interval plus per-host ms jitter. */
  scrapeTimeMs(t0: number, s: number, h: number): number {
    return t0 + s * INTERVAL_MS + Math.floor(this.rnd.next() * 9) - 4 + (h % 7);
  }
}

function firstValue(k: K, rnd: Prng): number {
  switch (k) {
    case K.CpuSeconds:
      return Math.round(rnd.next() * 1e7) / 100;
    case K.Bytes:
      return Math.floor(rnd.next() * 1e12);
    case K.Ops:
      return Math.floor(rnd.next() * 1e8);
    case K.MemBytes:
      return Math.floor(rnd.next() * 4e6) * 4096;
    case K.Load:
      return Math.round(rnd.next() * 400) / 100;
    case K.Const:
      return Math.floor(rnd.next() * 1e8) * 4096;
    case K.Temp:
      return Math.round(300 + rnd.next() * 300) / 10;
    case K.TimeSec:
      return 1.7e9;
  }
}
