// Read-after-write through the root (issue 12): a sample acknowledged by any zone is in the
// root's very next answer, although the root prunes zones by field hints — and pruning still
// happens for metrics a zone never had. Real nats-server, root and three zones
// (test/e2e/read-after-write.ts); the 1,000-trial run is `npm run bench:read-after-write`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { RAW_ZONES, runTrials, startTree, write, type Tree } from './read-after-write.ts';
import { getJson, waitFor } from './harness.ts';

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
  for (const s of p.fragments[0].zones.skipped) assert.match(s.reason, new RegExp(`field hints list no metric matching __name__="${name}"`));
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
  const { body } = await getJson(`${tree.rootUrl}/api/v1/query?${new URLSearchParams({ query: `count(${name}{big=~"v+"})` })}`);
  assert.equal(body.status, 'success');
  assert.equal(body.data.result[0]?.value[1], '1');
  // Hints stay trusted (the zone published a delta marking `big` incomplete, not a 1 MB value).
  const { body: zs } = await getJson(`${tree.rootUrl}/api/v1/status/zones`);
  assert.equal(zs.data.find((x: any) => x.zone === 'raw-b').hintsUntrusted, null);
  const p = await plan(`${name}{big="other"}`);
  assert.deepEqual(p.fragments[0].zones.asked, ['raw-b'], 'an incomplete label cannot prune');
});
