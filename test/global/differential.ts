// Differential-test material shared by the in-process test (test/global/differential.test.ts)
// and the real-process one (test/e2e/global-differential.test.ts): generated data spread over
// three zones, generated PromQL expressions covering every aggregation, function class, binary
// matching mode, offset, @ and subqueries, and the comparison of two query results.
import assert from 'node:assert/strict';

export const ZONES = [
  { zone: 'a', region: 'eu' },
  { zone: 'b', region: 'eu' },
  { zone: 'c', region: 'us' },
];

export interface GenSample {
  labels: Record<string, string>;
  t: number;
  v: number;
}

/** Data window: samples every 15 s over 40 minutes starting at T0 (recent: zone TSDBs keep it). */
export const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
export const SCRAPE_MS = 15_000;
export const SPAN_MS = 40 * 60_000;
export const EVAL_TIMES = [T0 + 20 * 60_000, T0 + 33 * 60_000 + 7_000, T0 + SPAN_MS];

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateData(): GenSample[] {
  const r = rng(42);
  const out: GenSample[] = [];
  const jobs = ['api', 'web', 'db'];
  for (const z of ZONES) {
    for (const job of jobs) {
      for (let i = 0; i < 2; i++) {
        const inst = `${z.zone}-${job}-${i}`;
        const base = { zone: z.zone, region: z.region, job, instance: inst };
        // Some series start late or stop early (staleness / absent steps).
        const from = r() < 0.25 ? Math.floor(r() * 20) * 60_000 : 0;
        const to = r() < 0.25 ? SPAN_MS - Math.floor(r() * 15) * 60_000 : SPAN_MS;
        for (const code of ['200', '500']) {
          let c = Math.floor(r() * 1000);
          const speed = 1 + r() * 10;
          for (let t = from; t <= to; t += SCRAPE_MS) {
            c += speed * (0.5 + r());
            if (r() < 0.01) c = r() * 5; // counter reset
            out.push({
              labels: { ...base, __name__: 'http_requests_total', code },
              t: T0 + t,
              v: Math.round(c * 1000) / 1000,
            });
          }
        }
        let m = 1e6 * (1 + r() * 100);
        let temp = -10 + r() * 40;
        for (let t = from; t <= to; t += SCRAPE_MS) {
          m *= 0.97 + r() * 0.06;
          temp += r() - 0.5;
          out.push({ labels: { ...base, __name__: 'node_memory_bytes' }, t: T0 + t, v: Math.round(m) });
          out.push({
            labels: { ...base, __name__: 'temp_celsius' },
            t: T0 + t,
            v: Math.round(temp * 1e4) / 1e4,
          });
        }
        let cum = 0;
        const counts = [0, 0, 0, 0];
        for (let t = from; t <= to; t += SCRAPE_MS) {
          cum += 1;
          for (let k = 0; k < 4; k++) counts[k]! += Math.floor(r() * (k + 1) * 3);
          let acc = 0;
          ['0.1', '0.5', '1', '+Inf'].forEach((le, k) => {
            acc = Math.max(
              acc,
              counts.slice(0, k + 1).reduce((a, b) => a + b, 0),
            );
            out.push({
              labels: { ...base, __name__: 'req_duration_seconds_bucket', le },
              t: T0 + t,
              v: acc + cum,
            });
          });
        }
      }
    }
  }
  return out;
}

const VECTORS = [
  'http_requests_total',
  'rate(http_requests_total[5m])',
  'node_memory_bytes',
  'temp_celsius',
  'increase(http_requests_total{code="500"}[10m])',
  'avg_over_time(temp_celsius[7m])',
];
const GROUPINGS = [
  '',
  ' by (job)',
  ' by (zone)',
  ' by (region)',
  ' without (instance)',
  ' by (zone, job)',
  ' without (zone, instance, code)',
  ' by (code, region)',
];

const RANGE_FUNCS = [
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'deriv',
  'resets',
  'changes',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'sum_over_time',
  'count_over_time',
  'last_over_time',
  'stddev_over_time',
  'stdvar_over_time',
  'present_over_time',
];
const MATH = ['abs', 'ceil', 'floor', 'round', 'sqrt', 'ln', 'log2', 'exp', 'sgn', 'timestamp'];

/** At least 1,000 expressions, built from templates × metrics × parameters. */
export function generateExpressions(): string[] {
  const out: string[] = [];
  // Every aggregation × vectors × groupings.
  for (const v of VECTORS) {
    for (const g of GROUPINGS) {
      for (const op of ['sum', 'avg', 'count', 'min', 'max', 'group', 'stddev', 'stdvar'])
        out.push(`${op}${g} (${v})`);
      out.push(
        `topk${g} (2, ${v})`,
        `bottomk${g} (1, ${v})`,
        `quantile${g} (0.3, ${v})`,
        `quantile${g} (0.95, ${v})`,
      );
      out.push(`count_values${g} ("value", round(${v} / 1000))`);
    }
  }
  // Function classes over selectors, with offset and @.
  for (const m of ['http_requests_total', 'temp_celsius', 'node_memory_bytes']) {
    for (const f of RANGE_FUNCS) {
      out.push(
        `${f}(${m}[5m])`,
        `${f}(${m}[3m] offset 4m)`,
        `sum by (job) (${f}(${m}[5m]))`,
        `${f}(${m}[5m] @ ${(T0 + 25 * 60_000) / 1000})`,
      );
    }
    for (const f of MATH) out.push(`${f}(${m})`, `sum without (instance) (${f}(${m}))`);
    out.push(
      `quantile_over_time(0.9, ${m}[6m])`,
      `predict_linear(${m}[10m], 600)`,
      `holt_winters(${m}[10m], 0.5, 0.5)`,
      `clamp(${m}, 10, 1000)`,
      `clamp_min(${m}, 100)`,
      `clamp_max(${m}, 100)`,
      `label_replace(${m}, "svc", "$1", "job", "(.*)")`,
      `label_replace(${m}, "zone", "", "", "")`,
      `count(label_replace(${m}, "zone", "x", "", ""))`,
      `sum by (zone) (label_replace(${m}, "zone", "x", "", ""))`,
      `label_join(${m}, "where", "/", "zone", "instance")`,
      `sort(sum by (job) (${m}))`,
      `sort_desc(max by (zone) (${m}))`,
      `absent(${m}{job="nope"})`,
      `absent(${m})`,
      `absent_over_time(${m}{job="nope"}[5m])`,
      `scalar(sum(${m}))`,
      `${m} * scalar(count(${m}))`,
      `${m} offset 5m`,
      `${m} @ ${(T0 + 10 * 60_000) / 1000}`,
      `${m} @ start()`,
      `sum(${m} @ end())`,
      `sum by (job) (${m} offset 10m)`,
      `max_over_time(${m}[10m:1m])`,
      `max_over_time(rate(${m}[5m])[10m:1m])`,
      `avg_over_time(sum by (job) (${m})[10m:2m])`,
      `min_over_time(max by (zone) (${m})[15m:1m] offset 2m)`,
      `max_over_time(sum(${m} @ start())[10m:1m])`,
      `min_over_time(sum(rate(${m}[5m] @ end()))[10m:2m])`,
      `sum_over_time(rate(${m}[5m])[10m:1m] @ end())`,
      `${m} > 100`,
      `${m} > bool 100`,
      `sum(${m} > 0)`,
      `count by (zone) (${m} < 50)`,
      `-${m}`,
      `${m} % 7`,
      `2 ^ (${m} / 1e9)`,
      `vector(1) + sum(${m})`,
      `sum(${m}) + time()`,
      `${m} - ${m} offset 1m`,
      `day_of_month(timestamp(${m}))`,
    );
  }
  // Binary matching modes.
  const A = 'rate(http_requests_total[5m])';
  const B = 'node_memory_bytes';
  out.push(
    `${A} / on (instance, job, zone, region) group_left ${B}`,
    `${A} / ignoring (code) group_left ${B}`,
    `${B} * on (instance, zone) group_right (job) ${A}`,
    `${A} + ignoring (code) group_left (job) ${B}`,
    `${B} / on (job) group_left sum by (job) (${B})`,
    `${B} / ignoring (instance, zone, region) group_left sum by (job) (${B})`,
    `sum by (job) (${A}) / on (job) sum by (job) (${B})`,
    `sum by (zone) (${A}) / sum by (zone) (${B})`,
    `sum by (region) (${A}) * on (region) group_left count by (region) (${B})`,
    `${B} > on (zone) group_left avg by (zone) (${B})`,
    `${B} == bool on (instance, job, zone, region) ${B} offset 1m`,
    `${A} and on (instance) ${B} > 5e7`,
    `${A} and ${A} > 1`,
    `${A} or ${B}`,
    `${A} unless on (job) ${B} > 5e7`,
    `${A} unless on (zone, job) topk by (zone) (1, ${B})`,
    `${B} or on () vector(0)`,
    `(${A} > 2) or on (zone, instance) label_replace(${B}, "code", "none", "", "")`,
    `${B} and on (zone) (sum by (zone) (${B}) > 1e8)`,
    `${B} unless ${B} offset 20m`,
    `temp_celsius - on (instance, zone, job, region) node_memory_bytes / 1e7`,
    `temp_celsius > ignoring (zone, region) group_left min without (zone, region) (temp_celsius)`,
  );
  for (const op of ['+', '-', '*', '/', '%', '^', '==', '!=', '>', '<', '>=', '<=', 'atan2']) {
    out.push(`temp_celsius ${op} on (instance, job, zone, region) (node_memory_bytes / 1e6)`);
    out.push(`sum by (job) (temp_celsius) ${op} on (job) count by (job) (node_memory_bytes)`);
    out.push(
      `temp_celsius ${op} ignoring (code) group_left sum without (code) (rate(http_requests_total[5m]))`,
    );
  }
  for (const op of ['and', 'or', 'unless']) {
    out.push(
      `temp_celsius ${op} on (zone) temp_celsius > 5`,
      `temp_celsius ${op} on (job) node_memory_bytes < 1e7`,
      `temp_celsius ${op} node_memory_bytes`,
    );
  }
  // Histograms.
  for (const g of ['', ' by (le)', ' by (le, job)', ' by (le, zone)', ' without (instance)']) {
    out.push(`histogram_quantile(0.9, sum${g} (rate(req_duration_seconds_bucket[5m])))`);
    out.push(`histogram_quantile(0.5, max${g} (req_duration_seconds_bucket))`);
  }
  out.push(
    'histogram_quantile(0.99, rate(req_duration_seconds_bucket[5m]))',
    'histogram_quantile(0.5, label_replace(req_duration_seconds_bucket, "zone", "", "", ""))',
  );
  // Nested aggregations.
  for (const g of GROUPINGS) {
    out.push(
      `max${g} (sum by (zone, job) (rate(http_requests_total[5m])))`,
      `count${g} (count by (zone, instance) (temp_celsius))`,
    );
    out.push(
      `avg${g} (topk by (zone) (2, node_memory_bytes))`,
      `sum${g} (rate(http_requests_total[5m])) / ignoring () sum (rate(http_requests_total[5m]))`,
    );
  }
  out.push(
    'topk(3, sum by (instance) (rate(http_requests_total[5m])))',
    'stddev(sum by (zone) (temp_celsius))',
    'sum(sum(temp_celsius))',
    'count(count by (job) (temp_celsius))',
  );
  return out;
}

type PromResult = { resultType: string; result: any };

function close(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  const d = Math.abs(a - b);
  return d <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) || d < 1e-9;
}

function key(metric: Record<string, string>): string {
  return JSON.stringify(Object.entries(metric).sort());
}

/** Asserts two Prometheus-API results are equal (floats within 1e-9 relative). */
export function assertSameResult(expr: string, got: PromResult, want: PromResult): void {
  const where = (m: string): string => `${expr}: ${m}`;
  assert.equal(got.resultType, want.resultType, where('result type'));
  if (got.resultType === 'scalar' || got.resultType === 'string') {
    assert.ok(
      close(Number(got.result[1]), Number(want.result[1])),
      where(`scalar ${got.result[1]} != ${want.result[1]}`),
    );
    return;
  }
  const ordered = /^sort(_desc)?\(/.test(expr);
  const g = got.result as any[],
    w = want.result as any[];
  assert.equal(
    g.length,
    w.length,
    where(
      `series count ${g.length} != ${w.length}\n got ${JSON.stringify(g.map((s) => s.metric))}\nwant ${JSON.stringify(w.map((s) => s.metric))}`,
    ),
  );
  if (ordered && got.resultType === 'vector') {
    for (let i = 0; i < g.length; i++)
      assert.ok(
        close(Number(g[i].value[1]), Number(w[i].value[1])),
        where(`sorted position ${i}: ${g[i].value[1]} != ${w[i].value[1]}`),
      );
  }
  const wm = new Map(w.map((s) => [key(s.metric), s]));
  for (const s of g) {
    const k = key(s.metric);
    const o = wm.get(k);
    assert.ok(o, where(`unexpected series ${k}`));
    if (got.resultType === 'vector') {
      assert.equal(s.value[0], o.value[0], where(`timestamp of ${k}`));
      assert.ok(close(Number(s.value[1]), Number(o.value[1])), where(`${k}: ${s.value[1]} != ${o.value[1]}`));
    } else {
      assert.equal(
        s.values.length,
        o.values.length,
        where(`points of ${k}: ${s.values.length} != ${o.values.length}`),
      );
      for (let i = 0; i < s.values.length; i++) {
        assert.equal(s.values[i][0], o.values[i][0], where(`timestamp ${i} of ${k}`));
        assert.ok(
          close(Number(s.values[i][1]), Number(o.values[i][1])),
          where(`${k} at ${s.values[i][0]}: ${s.values[i][1]} != ${o.values[i][1]}`),
        );
      }
    }
  }
}

/** A query value in the Prometheus API's JSON shape (for assertSameResult). */
export function toPromResult(v: import('../../shared/value.ts').QueryValue): PromResult {
  const metric = (ls: readonly { name: string; value: string }[]): Record<string, string> =>
    Object.fromEntries(ls.map((l) => [l.name, l.value]));
  switch (v.type) {
    case 'vector':
      return {
        resultType: 'vector',
        result: v.vector.map((s) => ({ metric: metric(s.labels), value: [s.t / 1000, String(s.f)] })),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: v.matrix.map((s) => ({
          metric: metric(s.labels),
          values: s.points.map((p) => [p.t / 1000, String(p.f)]),
        })),
      };
    case 'scalar':
      return { resultType: 'scalar', result: [v.t / 1000, String(v.f)] };
    case 'string':
      return { resultType: 'string', result: [v.t / 1000, v.s] };
  }
}
