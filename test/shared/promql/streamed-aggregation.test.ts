// Aggregations over a range function of one metric (`sum by (mode) (rate(x[5m]))`) stream
// the function's output into the aggregation instead of collecting it. These tests pin that
// the streamed path answers exactly like the collected one (forced with `* 1`, which keeps
// every value bit for bit), and that duplicate label sets still fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage } from '../../../shared/memstore.ts';
import { withExternalLabels } from '../../../shared/external-labels.ts';
import { formatLabels, labelsFromRecord } from '../../../shared/labels.ts';
import { isCanopyError } from '../../../shared/errors.ts';
import type { QueryValue } from '../../../shared/value.ts';
import { Engine } from '../../../shared/promql/index.ts';
import { STALE_NAN } from '../../../shared/promql/types.ts';
import { runScript } from './promqltest.ts';

function storage(): MemoryStorage {
  const s = new MemoryStorage();
  let seed = 7;
  const rnd = (): number => (seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296;
  for (let host = 0; host < 3; host++) {
    for (const mode of ['idle', 'user', 'system']) {
      for (let cpu = 0; cpu < 2; cpu++) {
        const ls = labelsFromRecord({
          __name__: 'cpu_seconds_total',
          instance: `h${host}`,
          mode,
          cpu: String(cpu),
        });
        let v = rnd() * 100;
        for (let t = 0; t <= 3600_000; t += 15_000) {
          if (host === 1 && t > 1200_000 && t < 1500_000) continue; // a gap
          v = rnd() < 0.02 ? rnd() * 5 : v + rnd() * 10; // counter resets now and then
          s.add(ls, t, host === 2 && cpu === 1 && t === 900_000 ? NaN : Math.round(v * 100) / 100);
        }
        if (host === 0 && cpu === 0) s.add(ls, 3615_000, STALE_NAN);
      }
    }
  }
  // No mode label at all, and a series of another metric the selectors must not pick up.
  for (let t = 0; t <= 3600_000; t += 30_000)
    s.add(labelsFromRecord({ __name__: 'cpu_seconds_total', instance: 'h9' }), t, t / 1000);
  for (let t = 0; t <= 3600_000; t += 30_000)
    s.add(labelsFromRecord({ __name__: 'other_total', instance: 'h0', mode: 'idle' }), t, t / 100);
  return s;
}

/** Every series and point with values in Go's shortest form (so -0, NaN and ±Inf compare exactly). */
function render(v: QueryValue): string {
  const f = (x: number): string => (Object.is(x, -0) ? '-0' : String(x));
  switch (v.type) {
    case 'vector':
      return v.vector.map((s) => `${formatLabels(s.labels)} ${f(s.f)}`).join('\n');
    case 'matrix':
      return v.matrix
        .map((s) => `${formatLabels(s.labels)} ${s.points.map((p) => `${p.t}:${f(p.f)}`).join(' ')}`)
        .join('\n');
    default:
      return JSON.stringify(v);
  }
}

const AGGREGATIONS = ['sum', 'avg', 'count', 'group', 'min', 'max', 'stddev', 'stdvar'];
const GROUPINGS = [
  '',
  ' by (mode)',
  ' by (__name__)',
  ' by (mode, cpu)',
  ' by (absent)',
  ' without (cpu)',
  ' without (instance, mode)',
];
const FUNCTIONS = [
  'rate(cpu_seconds_total[5m])',
  'increase(cpu_seconds_total{mode!="idle"}[10m])',
  'delta(cpu_seconds_total[5m])',
  'irate(cpu_seconds_total[2m])',
  'deriv(cpu_seconds_total[5m])',
  'predict_linear(cpu_seconds_total[5m], 60)',
  'holt_winters(cpu_seconds_total[5m], 0.3, 0.6)',
  'changes(cpu_seconds_total[10m])',
  'resets(cpu_seconds_total[30m])',
  'avg_over_time(cpu_seconds_total[5m])',
  'max_over_time(cpu_seconds_total[5m] offset 1m)',
  'quantile_over_time(0.9, cpu_seconds_total[5m])',
  'count_over_time((cpu_seconds_total[5m]))',
  'present_over_time(cpu_seconds_total[1m])',
];

test('aggregations streamed from range functions answer like the collected path', async () => {
  const st = storage();
  const engine = new Engine();
  let compared = 0;
  for (const agg of AGGREGATIONS) {
    for (const g of GROUPINGS) {
      for (const fn of FUNCTIONS) {
        const streamed = `${agg}${g} (${fn})`;
        const collected = `${agg}${g} (${fn} * 1)`;
        const [a, b] = [
          await engine.rangeQuery(st, streamed, 600_000, 3600_000, 60_000),
          await engine.rangeQuery(st, collected, 600_000, 3600_000, 60_000),
        ];
        assert.equal(render(a.value), render(b.value), `range ${streamed}`);
        assert.deepEqual(a.warnings, b.warnings, `warnings of range ${streamed}`);
        for (const t of [300_000, 1320_000, 3600_000, 3620_000]) {
          const [x, y] = [
            await engine.instantQuery(st, streamed, t),
            await engine.instantQuery(st, collected, t),
          ];
          assert.equal(render(x.value), render(y.value), `instant ${streamed} at ${t}`);
        }
        compared++;
      }
    }
  }
  assert.equal(
    compared,
    AGGREGATIONS.length * GROUPINGS.length * FUNCTIONS.length,
    'every combination compared',
  );
});

test('a streamed aggregation still fails on series whose label sets collide', async () => {
  // Through external labels, {a="1"} and {a="1", zone="z"} are the same series: the range
  // function's output has one label set twice, which Prometheus rejects.
  const s = new MemoryStorage();
  for (let t = 0; t <= 600_000; t += 15_000) {
    s.add(labelsFromRecord({ __name__: 'x_total', a: '1' }), t, t);
    s.add(labelsFromRecord({ __name__: 'x_total', a: '1', b: '2' }), t, t);
    s.add(labelsFromRecord({ __name__: 'x_total', a: '1', zone: 'z' }), t, t);
  }
  const q = withExternalLabels(s, { zone: 'z' });
  const engine = new Engine();
  for (const expr of ['rate(x_total[5m])', 'sum(rate(x_total[5m]))', 'max by (a) (increase(x_total[5m]))']) {
    await assert.rejects(
      engine.instantQuery(q, expr, 600_000),
      (e: unknown) => {
        assert.ok(isCanopyError(e, 'execution'), `not an execution error: ${String(e)}`);
        assert.equal(
          (e as Error).message,
          'vector cannot contain metrics with the same labelset',
          `message of ${expr}`,
        );
        return true;
      },
      `${expr} must fail`,
    );
  }
  const ok = await engine.instantQuery(s, 'sum(rate(x_total[5m]))', 600_000);
  assert.equal(
    ok.value.type === 'vector' ? ok.value.vector.length : -1,
    1,
    'without external labels the series are distinct',
  );
});

runScript(
  'rate and increase around a counter reset',
  `
load 5m
  http_requests{path="/bar"} 0+10x5 0+10x5

# Windows before, across and after the reset at 30m (the reset as a window's first sample too).
eval range from 25m to 45m step 5m increase(http_requests[15m])
  {path="/bar"} 30 20 20 20 30

eval range from 25m to 45m step 5m sum(increase(http_requests[15m]))
  {} 30 20 20 20 30
`,
);
