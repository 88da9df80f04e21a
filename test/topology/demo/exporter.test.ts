import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderDemoMetrics } from '../../../topology/demo/exporter.ts';
import { parseExposition } from '../../../leaf/scrape/index.ts';
import { getLabel, labelsKey, metricName } from '../../../shared/labels.ts';

const TEXT = 'text/plain; version=0.0.4';

/** series key → value, and the set of counter metric names (TYPE counter or histogram). */
function scrape(
  host: string,
  cpus: number,
  startMs: number,
  tMs: number,
): { values: Map<string, number>; names: Map<string, string>; modes: Map<string, string> } {
  const r = parseExposition(renderDemoMetrics(host, cpus, startMs, tMs), TEXT, tMs);
  assert.deepEqual(r.errors, []);
  const values = new Map<string, number>();
  const names = new Map<string, string>();
  const modes = new Map<string, string>();
  for (const s of r.samples) {
    values.set(labelsKey(s.labels), s.value);
    names.set(labelsKey(s.labels), metricName(s.labels));
    modes.set(labelsKey(s.labels), getLabel(s.labels, 'mode'));
  }
  return { values, names, modes };
}

const COUNTER = /(_total|_bucket|_sum|_count)$/;

test('demo exporter: every counter is monotonic over a simulated 8 h, at 1 s and 29 s steps', () => {
  const startMs = 1_700_000_000_000;
  for (const host of ['eu-west-a-host-1', 'us-east-b-host-2', 'x']) {
    let prev = scrape(host, 4, startMs, startMs);
    let counters = 0;
    for (let t = 1000, i = 0; t <= 8 * 3_600_000; t += i++ % 2 === 0 ? 1000 : 29_000) {
      const cur = scrape(host, 4, startMs, startMs + t);
      counters = 0;
      for (const [k, v] of cur.values) {
        if (!COUNTER.test(cur.names.get(k)!)) continue;
        counters++;
        const p = prev.values.get(k)!;
        assert.ok(v >= p, `${host} ${k} went down at t=${t} ms: ${p} → ${v}`);
      }
      prev = cur;
    }
    assert.ok(counters > 40, `expected the CPU, network, disk and histogram counters, got ${counters}`);
  }
});

test("demo exporter: a host's CPU seconds rise by its CPU count per second; busy share and byte rates plausible", () => {
  const startMs = 1_700_000_000_000;
  for (const cpus of [1, 4, 16]) {
    for (let t0 = 0; t0 < 6 * 3_600_000; t0 += 1_234_567) {
      const a = scrape('eu-west-a-host-1', cpus, startMs, startMs + t0);
      const b = scrape('eu-west-a-host-1', cpus, startMs, startMs + t0 + 60_000);
      let all = 0,
        busy = 0;
      const rate = (k: string): number => (b.values.get(k)! - a.values.get(k)!) / 60;
      for (const k of b.values.keys()) {
        if (b.names.get(k) !== 'node_cpu_seconds_total') continue;
        all += rate(k);
        if (b.modes.get(k) !== 'idle') busy += rate(k);
      }
      // sum(rate(node_cpu_seconds_total[1m])) ≈ cpus (2-decimal rounding of each of 8·cpus counters)
      assert.ok(Math.abs(all - cpus) < 0.01 * cpus + 0.01, `cpus=${cpus} t0=${t0}: CPU seconds rate ${all}`);
      // the README's busy-CPU query: between 0 and cpus, around 28 % ± 20 %
      assert.ok(busy > 0.15 * cpus && busy < 0.4 * cpus, `cpus=${cpus} t0=${t0}: busy rate ${busy}`);
      for (const [k, name] of b.names) {
        if (!/^node_(network|disk)_.*bytes_total$/.test(name)) continue;
        const r = rate(k);
        assert.ok(r > 10e3 && r < 20e6, `${k}: ${r} B/s`);
      }
    }
  }
});
