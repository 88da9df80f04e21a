// Read-after-write through the root (issue 12): a sample acknowledged by any zone is in the
// root's very next answer, although the root prunes zones by field hints — and pruning still
// happens for metrics a zone never had. Real nats-server, root and three zones
// (test/e2e/read-after-write.ts); the 1,000-trial run is `npm run bench:read-after-write`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import {
  METHODS,
  RAW_ZONES,
  restartZone,
  runTrials,
  startTree,
  write,
  type Tree,
} from './read-after-write.ts';
import { freePort, getJson, spawnCanopy, tempDir, waitFor, waitForHttp } from './harness.ts';

const TRIALS = 150;
let tree: Tree;

before(async () => {
  tree = await startTree();
});

after(async () => {
  await tree?.stop();
});

async function plan(query: string): Promise<any> {
  const { body } = await getJson(`${tree.rootUrl}/api/v1/query_plan?${new URLSearchParams({ query })}`);
  assert.equal(body.status, 'success', JSON.stringify(body));
  return body.data;
}

test(`${TRIALS} trials of write (remote_write, JSON push, gRPC) then query at the root at once: no answer misses the sample`, async () => {
  // The zones' hints are trusted once their snapshots arrived: pruning is on from here.
  await waitFor('trusted hints of every zone', async () => {
    const { body } = await getJson(`${tree.rootUrl}/api/v1/status/zones`);
    return RAW_ZONES.every((z) => body.data.find((x: any) => x.zone === z.zone)?.hintsUntrusted === null);
  });
  const r = await runTrials(tree, TRIALS, `t${Date.now().toString(36)}`, 2);
  assert.deepEqual(r.missing, [], `${r.missing.length} of ${TRIALS} answers missed the sample`);
  assert.deepEqual(r.warned, []);
});

test('pruning still works: query_plan skips the zones that never had a metric, with the field hints reason', async () => {
  const name = `raw_only_in_a_${Date.now().toString(36)}`;
  await write(tree, 0, 'push', { __name__: name, job: 'x' }, Date.now(), 1);
  const p = await plan(`sum(rate(${name}[5m]))`);
  assert.deepEqual(p.fragments[0].zones.asked, ['raw-a']);
  assert.equal(p.fragments[0].zones.skipped.length, 2);
  for (const s of p.fragments[0].zones.skipped)
    assert.match(s.reason, new RegExp(`field hints list no metric matching __name__="${name}"`));
  // A label value the zone never had is pruned too (job has few values: listed completely).
  const byValue = await plan(`${name}{job="never"}`);
  assert.equal(byValue.skippedZones, 3);
  // The answer itself carries no warning for zones skipped on proof.
  const { body } = await getJson(`${tree.rootUrl}/api/v1/query?${new URLSearchParams({ query: name })}`);
  assert.equal(body.data.result.length, 1);
  assert.equal(body.warnings, undefined);
});

test('a label value of 1 MB does not break field hints: the label is marked incomplete and the series is found', async () => {
  const name = `raw_huge_${Date.now().toString(36)}`;
  const huge = 'v'.repeat(1024 * 1024);
  await write(tree, 1, 'remote_write', { __name__: name, big: huge }, Date.now(), 7);
  const { body } = await getJson(
    `${tree.rootUrl}/api/v1/query?${new URLSearchParams({ query: `count(${name}{big=~"v+"})` })}`,
  );
  assert.equal(body.status, 'success');
  assert.equal(body.data.result[0]?.value[1], '1');
  // Hints stay trusted (the zone published a delta marking `big` incomplete, not a 1 MB value).
  const { body: zs } = await getJson(`${tree.rootUrl}/api/v1/status/zones`);
  assert.equal(zs.data.find((x: any) => x.zone === 'raw-b').hintsUntrusted, null);
  const p = await plan(`${name}{big="other"}`);
  assert.deepEqual(p.fragments[0].zones.asked, ['raw-b'], 'an incomplete label cannot prune');
});

async function rootHas(name: string, value: number): Promise<void> {
  const { body } = await getJson(`${tree.rootUrl}/api/v1/query?${new URLSearchParams({ query: name })}`);
  assert.equal(body.status, 'success');
  assert.equal(body.data.result.length, 1, `${name}: ${JSON.stringify(body)}`);
  assert.equal(Number(body.data.result[0].value[1]), value);
}

test("a restarted zone (new incarnation): writes right after it are in the root's next answer, and so is what it held before", async () => {
  const tag = Date.now().toString(36);
  const before = `raw_before_restart_${tag}`;
  await write(tree, 2, 'push', { __name__: before }, Date.now(), 1);
  await restartZone(tree, 2);
  for (const [i, m] of METHODS.entries()) {
    const name = `raw_after_restart_${m}_${tag}`;
    await write(tree, 2, m, { __name__: name }, Date.now(), i + 10);
    await rootHas(name, i + 10);
  }
  await rootHas(before, 1);
});

test('NATS unreachable at the zone: new series are answered 503 until 2 leases after it started, then accepted and counted', async () => {
  const dir = tempDir('raw-nonats');
  const cfg = `${dir.path}/zone.yaml`;
  // heartbeat 250 ms: keepalive every 1 s, lease 3 s, so the zone holds new series for 6 s.
  writeFileSync(
    cfg,
    `zone: lonely\nregion: r9\nnats:\n  url: nats://127.0.0.1:${await freePort()}\n  heartbeat_interval: 250ms\n`,
  );
  const http = await freePort();
  const spawnedMs = Date.now();
  const proc = spawnCanopy('zone-lonely', [
    'zone',
    '--config',
    cfg,
    '--listen',
    `127.0.0.1:${http}`,
    '--grpc-listen',
    `127.0.0.1:${await freePort()}`,
    '--data-dir',
    `${dir.path}/data`,
    '--log-level',
    'error',
  ]);
  try {
    const url = `http://127.0.0.1:${http}`;
    assert.ok(await waitForHttp(`${url}/readyz`, 30_000), proc.output.join('\n'));
    const push = () =>
      fetch(`${url}/api/v1/push`, {
        method: 'POST',
        body: JSON.stringify([{ metric: 'lonely_metric', tags: { a: 'b' }, value: 3 }]),
      });
    const first = await push();
    assert.equal(first.status, 503);
    const body: any = await first.json();
    assert.equal(body.errorType, 'unavailable');
    assert.match(body.error, /not confirmed by NATS/);
    const ok = await waitFor(
      'the write accepted',
      async () => (await push()).status === 204 && Date.now(),
      20_000,
      250,
    );
    assert.ok(ok - spawnedMs >= 6000, `accepted ${ok - spawnedMs} ms after start`);
    const { body: q } = await getJson(`${url}/api/v1/query?query=lonely_metric`);
    assert.equal(q.data.result.length, 1);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(metrics, /canopy_zone_hints_unconfirmed_acks_total [1-9]/);
  } finally {
    await proc.stop();
    dir.remove();
  }
});
