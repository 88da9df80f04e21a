// Zone replicas (issue 16 acceptance, short form): a leaf scraping every second ships to both
// replicas of zone z1 (ship_to all); each replica in turn is SIGKILLed, left down, and restarted
// while queries run at the root. Over the whole window the root's answer is one series with no
// gap over 2.5 s, no duplicate timestamp, every scrape exactly once (the counter's increase is
// the target's), no replica label, and no query failed. HA_DOWN_SECONDS (default 8) sets how long
// each replica stays down; the 20 s and the 10-minute churn are `npm run bench:ha`.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { getJson, waitFor } from './harness.ts';
import { checkSeries, queryLoad, rootQuery, startHaStack, type HaStack } from './ha-stack.ts';

const DOWN_MS = Number(process.env.HA_DOWN_SECONDS ?? 8) * 1000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let stack: HaStack | undefined;
after(async () => {
  await stack?.stop();
});

test(
  'two replicas, each killed in turn: one series, no gap, no duplicate, every scrape once',
  { timeout: 120_000 },
  async () => {
    stack = await startHaStack('ha');
    const s = stack;
    // the root sees two replicas of one zone, both alive
    const zones = await waitFor('both replicas at the root', async () => {
      const { body } = await getJson(`${s.rootUrl}/api/v1/status/zones`);
      const d = body.data as { zone: string; replica?: string; alive: boolean; preferred?: boolean }[];
      return d.length === 2 && d.every((z) => z.alive) ? d : undefined;
    });
    assert.deepEqual(
      zones.map((z) => `${z.zone}/${z.replica}`),
      ['z1/a', 'z1/b'],
    );
    assert.equal(zones.filter((z) => z.preferred).length, 1);
    await waitFor(
      'first samples at the root',
      async () => (await rootQuery(s.rootUrl, 'up{job="ha"}')).result.length === 1,
    );
    const t0 = Date.now();
    const load = queryLoad(s.rootUrl, 500);
    await sleep(2000);
    for (const r of ['a', 'b'] as const) {
      await s.kill(r);
      // while it is down the root answers from the other replica
      await sleep(DOWN_MS);
      const st = (await getJson(`${s.rootUrl}/api/v1/status/zones`)).body.data as {
        replica: string;
        alive: boolean;
      }[];
      if (DOWN_MS > 11_000)
        assert.equal(st.find((z) => z.replica === r)!.alive, false, `replica ${r} should show as down`);
      await s.start(r);
      await sleep(3000);
    }
    const q = await load.stop();
    const windowS = Math.ceil((Date.now() - t0) / 1000) + 5;
    const res = await rootQuery(s.rootUrl, `ha_seq_total[${windowS}s]`);
    const c = checkSeries(res.result);
    const up = checkSeries((await rootQuery(s.rootUrl, `up{job="ha"}[${windowS}s]`)).result);
    const inc = (await rootQuery(s.rootUrl, `ha_seq_total[${windowS}s]`)).result[0].values.length;
    const servedInWindow = s.served.times.filter((t) => t >= Date.now() - windowS * 1000).length;
    console.log(
      `ha: down ${DOWN_MS / 1000} s each; ${q.queries} queries during the churn, ${q.errors.length} errors, ${q.gappy} answers with a gap, ${q.warnings} warnings; window ${windowS} s: ${c.samples} samples (target served ${servedInWindow}), max gap ${c.maxGapMs} ms, ${c.duplicateTimestamps} duplicate timestamps, ${c.missingValues} missing scrapes; up: ${up.series} series, max gap ${up.maxGapMs} ms`,
    );
    assert.deepEqual(q.errors, []);
    assert.equal(q.gappy, 0);
    assert.equal(c.series, 1);
    assert.equal(up.series, 1);
    assert.ok(c.maxGapMs <= 2500, `max gap ${c.maxGapMs} ms`);
    assert.ok(up.maxGapMs <= 2500, `up max gap ${up.maxGapMs} ms`);
    assert.equal(c.duplicateTimestamps, 0);
    assert.equal(up.duplicateTimestamps, 0);
    // counter: every value first..last exactly once, so its increase is the target's
    assert.equal(c.missingValues, 0);
    assert.equal(c.last - c.first + 1, inc);
    assert.equal(c.labels.replica, undefined);
    assert.equal(c.labels.zone, 'z1');
  },
);
