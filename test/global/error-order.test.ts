// Which error the root answers when two parts of a query fail: the one a single engine (and
// Prometheus 2.42) raises first, even when the other part failed in the zones. A zone's
// evaluation error is kept for its fragment and raised when the root's engine reads it
// (global/query.ts, FetchedQueryable.failFragment). Root 5000 seed 324745675:
// stddev_over_time((ratio_dup @ start() offset 5m / on (instance) temperature_celsius @ start() offset -1m)[5m:1m]) != label_replace(request_duration_seconds_bucket offset 1m @ end(), "le", "$1", "job", "(.*)")
// answered the right side's duplicate-labelset error, 2.42 the left side's many-to-many one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster, type TestSample } from './cluster.ts';
import { ZONES } from './differential.ts';
import { isCanopyError } from '../../shared/errors.ts';

const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
const T = T0 + 20 * 60_000;
let c: Cluster;

before(async () => {
  const samples: TestSample[] = [];
  for (let k = 0; k <= 30; k++) {
    const t = T0 + k * 60_000;
    samples.push({ labels: { __name__: 'x', instance: 'i0', zone: 'a', region: 'eu' }, t, v: k });
    // y: two series for instance i0 (zones a and b): one-to-one matching on (instance) fails.
    samples.push({ labels: { __name__: 'y', instance: 'i0', zone: 'a', region: 'eu' }, t, v: 1 });
    samples.push({ labels: { __name__: 'y', instance: 'i0', zone: 'b', region: 'eu' }, t, v: 2 });
    // b: two buckets of one job in zone c: label_replace(le ← job) makes them one label set.
    for (const le of ['1', '+Inf'])
      samples.push({ labels: { __name__: 'b', le, job: 'j', zone: 'c', region: 'us' }, t, v: k });
  }
  c = await startCluster(ZONES, samples);
});
after(() => c.stop());

async function error(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
    return 'no error';
  } catch (e) {
    return isCanopyError(e) ? `${e.code}: ${e.message}` : String(e);
  }
}

const opts = (): { timeoutMs: number; signal: AbortSignal; partialResponse: boolean } => ({
  timeoutMs: 10_000,
  signal: new AbortController().signal,
  partialResponse: false,
});

test('the root raises the error one engine raises first, also when a later part failed in a zone', async () => {
  const left = 'max_over_time((x / on (instance) y @ start())[5m:1m])';
  const right = 'label_replace(b, "le", "$1", "job", "(.*)")';
  for (const [e, want] of [
    [`${left} != ${right}`, /many-to-many/],
    [`${right} != ${left}`, /same labelset/],
    [`sum(${right}) + ${left}`, /same labelset/],
    [`quantile(0.5, ${right}) or ${left}`, /same labelset/],
    [`${left} or quantile(0.5, ${right})`, /many-to-many/],
    [`vector(1) or quantile(0.5, ${right})`, /same labelset/],
  ] as [string, RegExp][]) {
    const got = await error(() =>
      c.root.execute(e, { range: false, startMs: T, endMs: T, stepMs: 0 }, opts(), 'pushdown'),
    );
    const ref = await error(() => c.ref.query(e, T, opts()));
    assert.match(ref, want, `${e}: one engine`);
    assert.equal(got, ref, e);
    const gotRange = await error(() =>
      c.root.execute(
        e,
        { range: true, startMs: T, endMs: T + 4 * 60_000, stepMs: 60_000 },
        opts(),
        'pushdown',
      ),
    );
    assert.equal(
      gotRange,
      await error(() => c.ref.queryRange(e, T, T + 4 * 60_000, 60_000, opts())),
      `range ${e}`,
    );
  }
});
