// The differential test's dataset: ~300 series over ~1 h at a 15 s interval with per-sample
// jitter, deterministic for a given end time. Counters with resets, gauges with negative values,
// NaN and stale markers, classic histograms (`le` buckets, _sum, _count), an info metric for
// group_left, sparse series (gaps longer than the lookback) and series that start late or end early.
import type { SeriesData } from './write-request.ts';

export interface Dataset {
  series: SeriesData[];
  startMs: number;
  endMs: number;
}

export const INTERVAL_MS = 15_000;
export const INSTANCES = ['i0', 'i1', 'i2', 'i3'];
const BUCKETS = ['0.05', '0.1', '0.25', '0.5', '1', '2.5', '+Inf'];

/** `endMs` is rounded down to a whole interval; the data covers [endMs − 58 min, endMs]. */
export function generateDataset(endMsApprox: number, minutes = 58): Dataset {
  let seed = 42;
  const rnd = (): number => (seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296;
  const endMs = Math.floor(endMsApprox / INTERVAL_MS) * INTERVAL_MS;
  const steps = Math.floor((minutes * 60_000) / INTERVAL_MS);
  const startMs = endMs - steps * INTERVAL_MS;
  const series: SeriesData[] = [];

  /** One sample per step (jittered by up to ±2 s), `value(step)` returns undefined for a gap. */
  const add = (
    name: string,
    labels: Record<string, string>,
    value: (step: number) => number | null | undefined,
    jitter = true,
  ): void => {
    const ls: [string, string][] = [['__name__', name], ...Object.entries(labels)];
    ls.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const s: SeriesData = { labels: ls, tsMs: [], values: [] };
    for (let k = 0; k <= steps; k++) {
      const v = value(k);
      const j = jitter ? Math.floor(rnd() * 4001) - 2000 : 0;
      if (v === undefined) continue;
      s.tsMs.push(startMs + k * INTERVAL_MS + (k === 0 ? Math.abs(j) : j));
      s.values.push(v);
    }
    series.push(s);
  };

  // Counters: integer increments, occasional resets.
  for (const job of ['api', 'web']) {
    for (const instance of INSTANCES) {
      for (const method of ['GET', 'POST']) {
        for (const code of ['200', '404', '500']) {
          const rate = rnd() * 10;
          const resetAt = rnd() < 0.3 ? Math.floor(rnd() * steps) : -1;
          let v = Math.floor(rnd() * 1000);
          add('http_requests_total', { job, instance, method, code }, (k) => {
            if (k === resetAt) v = Math.floor(rnd() * 3);
            else v += Math.floor(rnd() * rate * 15);
            return v;
          });
        }
      }
    }
  }
  for (const instance of INSTANCES) {
    for (const cpu of ['0', '1']) {
      for (const mode of ['idle', 'user', 'system', 'iowait']) {
        let v = Math.round(rnd() * 1e6) / 100;
        const w = mode === 'idle' ? 12 : mode === 'user' ? 2 : 0.5;
        add(
          'node_cpu_seconds_total',
          { instance, cpu, mode, job: 'node' },
          () => (v = Math.round((v + rnd() * w) * 100) / 100),
        );
      }
    }
  }
  // Gauges: negative values, decimals.
  for (const instance of INSTANCES) {
    for (const room of ['a', 'b', 'c']) {
      let v = (rnd() - 0.5) * 40;
      add(
        'temperature_celsius',
        { instance, room, job: 'sensors' },
        () => (v = Math.round((v + (rnd() - 0.5) * 3) * 10) / 10),
      );
    }
    let mem = Math.floor(rnd() * 1e6) * 4096;
    add(
      'node_memory_active_bytes',
      { instance, job: 'node' },
      () => (mem += Math.floor((rnd() - 0.5) * 200) * 4096),
    );
    add('node_load1', { instance, job: 'node' }, () => Math.round(rnd() * 400) / 100);
  }
  // Gauges with NaN samples and stale markers; one series disappears mid-way, one appears late.
  for (const instance of INSTANCES) {
    for (const queue of ['q1', 'q2']) {
      const nanEvery = 7 + Math.floor(rnd() * 5);
      const staleFrom = queue === 'q2' && instance === 'i1' ? Math.floor(steps * 0.6) : -1;
      add('queue_depth', { instance, queue, job: 'worker' }, (k) => {
        if (staleFrom >= 0 && k === staleFrom) return null;
        if (staleFrom >= 0 && k > staleFrom) return undefined;
        if (k % nanEvery === 3) return NaN;
        return Math.floor(rnd() * 50) - 5;
      });
    }
  }
  add('queue_depth', { instance: 'i9', queue: 'late', job: 'worker' }, (k) =>
    k < steps * 0.7 ? undefined : k % 13,
  );
  // A gauge that goes stale and comes back; a sparse gauge with gaps longer than the lookback.
  add('flaky_gauge', { instance: 'i0', job: 'worker' }, (k) =>
    k % 60 === 30 ? null : k % 60 > 30 && k % 60 < 40 ? undefined : (k % 17) - 4,
  );
  add('sparse_gauge', { instance: 'i0', job: 'batch' }, (k) => (k % 40 < 4 ? k * 1.5 : undefined));
  add('sparse_gauge', { instance: 'i1', job: 'batch' }, (k) => (k % 10 === 0 ? -k : undefined));
  // up and an info metric (one per instance) for group_left.
  for (const job of ['api', 'web', 'node']) {
    for (const instance of INSTANCES)
      add('up', { job, instance }, (k) => (instance === 'i3' && job === 'web' && k > steps / 2 ? 0 : 1));
  }
  for (const instance of INSTANCES)
    add(
      'build_info',
      { instance, version: `1.${INSTANCES.indexOf(instance) % 2}.0`, region: instance < 'i2' ? 'eu' : 'us' },
      () => 1,
      false,
    );
  // Classic histograms: cumulative buckets, _sum, _count; one with a reset.
  for (const job of ['api', 'web']) {
    for (const instance of INSTANCES) {
      const counts = new Array<number>(BUCKETS.length).fill(0);
      let sum = 0;
      const resetAt = job === 'web' && instance === 'i2' ? Math.floor(steps / 3) : -1;
      const perStep: number[][] = [];
      const sums: number[] = [];
      for (let k = 0; k <= steps; k++) {
        if (k === resetAt) {
          counts.fill(0);
          sum = 0;
        }
        const n = Math.floor(rnd() * 20);
        for (let e = 0; e < n; e++) {
          const x = Math.pow(rnd(), 2) * 3;
          sum += x;
          for (let b = 0; b < BUCKETS.length; b++) if (x <= Number(BUCKETS[b])) counts[b]!++;
        }
        perStep.push(counts.slice());
        sums.push(Math.round(sum * 1000) / 1000);
      }
      BUCKETS.forEach((le, b) =>
        add('request_duration_seconds_bucket', { job, instance, le }, (k) => perStep[k]![b]!),
      );
      add('request_duration_seconds_sum', { job, instance }, (k) => sums[k]!);
      add('request_duration_seconds_count', { job, instance }, (k) => perStep[k]![BUCKETS.length - 1]!);
    }
  }
  // Two metrics with colliding label sets for matching errors, and values for trigonometry.
  for (const instance of INSTANCES) {
    add(
      'ratio',
      { instance, job: 'x' },
      (k) => Math.round(Math.sin(k / 10 + INSTANCES.indexOf(instance)) * 1000) / 1000,
    );
    add('ratio_dup', { instance, job: 'x', shard: '1' }, (k) => k % 5);
    add('ratio_dup', { instance, job: 'x', shard: '2' }, (k) => k % 3);
  }
  add('big_values', { kind: 'inf' }, () => Infinity);
  add('big_values', { kind: 'ninf' }, () => -Infinity);
  add('big_values', { kind: 'huge' }, (k) => 1e300 * (k + 1));
  add('big_values', { kind: 'tiny' }, (k) => 1e-300 / (k + 1));
  // Edge classes of issue 12. Huge values: ±MaxFloat64, its neighbours and ±1e308, so sums
  // overflow while 2.42's incremental mean stays finite (and cancels exactly); the sign of some
  // flips over time.
  const MAX = Number.MAX_VALUE;
  const huge = [MAX, MAX, -MAX, 1e308, -1e308, nextUp(-MAX), nextDown(MAX), 8.98846567431158e307, -5e307];
  huge.forEach((v, i) =>
    add('huge_values', { i: String(i), sign: v > 0 ? 'pos' : 'neg', job: 'huge' }, (k) =>
      k % 23 === 5 + i ? -v : v,
    ),
  );
  // Values one bit apart (count_values must label them apart exactly as Go's FormatFloat 'f' -1
  // does), exponent-range values and a negative zero.
  const near = [
    0.1,
    nextUp(0.1),
    0.30000000000000004,
    0.3,
    1e21,
    nextUp(1e21),
    1e-7,
    123456789.12345679,
    5e-324,
    MAX,
    2 ** 53,
    2 ** 53 + 2,
    -0,
    100,
    nextDown(100),
    1 / 3,
  ];
  near.forEach((v, i) =>
    add('near_equal', { i: String(i), job: 'near' }, (k) => (k % 11 === i % 11 ? v * 2 : v)),
  );
  // Odd classic histograms: no +Inf bucket, non-monotonic counts, a NaN `le`, duplicate `le`
  // spellings, a single +Inf bucket, a single finite bucket, a NaN count, an unparsable `le`,
  // a negative bound, a bucket set that changes over time.
  const odd: [string, [string, (k: number) => number | undefined][]][] = [
    [
      'noinf',
      [
        ['0.1', (k) => k],
        ['0.5', (k) => 2 * k],
        ['1', (k) => 3 * k],
      ],
    ],
    [
      'nonmono',
      [
        ['0.1', (k) => 5 + k],
        ['0.5', (k) => 3 + k],
        ['1', (k) => 8 + 2 * k],
        ['+Inf', (k) => 7 + 2 * k],
      ],
    ],
    [
      'nanle',
      [
        ['NaN', (k) => 4 + k],
        ['0.5', (k) => 2 + k],
        ['1', (k) => 6 + k],
        ['+Inf', (k) => 9 + 2 * k],
      ],
    ],
    [
      'dupele',
      [
        ['1', (k) => 3 + k],
        ['1.0', (k) => 2 + k],
        ['0.5', (k) => 1 + k],
        ['+Inf', (k) => 10 + 3 * k],
      ],
    ],
    ['single_inf', [['+Inf', (k) => 5 + k]]],
    ['single_finite', [['1', (k) => 5 + k]]],
    [
      'nancount',
      [
        ['0.1', (k) => (k % 3 === 0 ? NaN : k)],
        ['0.5', (k) => 2 * k + 1],
        ['+Inf', (k) => 3 * k + 2],
      ],
    ],
    [
      'badle',
      [
        ['abc', (k) => 5 + k],
        ['0.5', (k) => 1 + k],
        ['+Inf', (k) => 3 + k],
      ],
    ],
    // (At most 12 distinct `le` over all kinds: Go sorts up to 12 by insertion; above, pdqsort
    // orders a NaN bound differently.)
    [
      'negative',
      [
        ['-1', (k) => 1 + k],
        ['-Inf', (k) => k],
        ['+Inf', (k) => 4 + 2 * k],
      ],
    ],
    [
      'changing',
      [
        ['0.1', (k) => (k % 20 < 10 ? k : undefined)],
        ['0.25', (k) => (k % 20 >= 10 ? 2 * k : undefined)],
        ['+Inf', (k) => 3 * k + 1],
      ],
    ],
    [
      'zero',
      [
        ['0.5', () => 0],
        ['+Inf', () => 0],
      ],
    ],
    [
      'infle',
      [
        ['1e308', (k) => k],
        ['Inf', (k) => 2 * k + 1],
        ['+inf', (k) => k + 1],
      ],
    ],
  ];
  for (const [kind, bs] of odd) for (const [le, f] of bs) add('odd_bucket', { kind, le, job: 'odd' }, f);
  return { series, startMs, endMs };
}

const bits = new DataView(new ArrayBuffer(8));
/** The next float64 after `x` towards +Inf (x finite, not −0). */
export function nextUp(x: number): number {
  if (x === 0) return 5e-324;
  bits.setFloat64(0, x);
  const b = bits.getBigUint64(0);
  bits.setBigUint64(0, x > 0 ? b + 1n : b - 1n);
  return bits.getFloat64(0);
}
export function nextDown(x: number): number {
  return -nextUp(-x);
}
