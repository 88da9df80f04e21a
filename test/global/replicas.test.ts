// Zone replicas at the root (issue 16): the directory keeps replicas apart by their subjects and
// prefers the live one with the longest uptime; the topology lists replicas; the penalty dedup
// never doubles a timestamp and fills one replica's gap from the other; the leaf's ship_to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pb } from '../../proto/index.ts';
import { SUBJECTS } from '../../shared/bus/index.ts';
import { ConfigReader } from '../../shared/config/index.ts';
import { parseTopology } from '../../shared/topology.ts';
import { silentLogger } from '../../shared/log.ts';
import { replicasMayDiffer, ZoneDirectory } from '../../global/zones.ts';
import { dedupReplicaSeries, mergeReplicaPoints } from '../../global/merge/replica-dedup.ts';
import { parseLeafConfig, type LeafConfig } from '../../leaf/config.ts';
import type { Point } from '../../shared/value.ts';

const hb = (zone: string, startedMs: number): Uint8Array =>
  pb.Heartbeat.encode({ zone, region: 'eu', startedMs, timestampMs: Date.now() }).finish();

test('replicas are separate entries, keyed by subject; list() gives the preferred one per zone', () => {
  const t = parseTopology(
    new ConfigReader('/t.yaml', {
      regions: [{ name: 'eu', zones: [{ name: 'z1', replicas: 2 }, { name: 'z2' }] }],
    }),
  );
  assert.deepEqual(
    t.zones[0]!.replicas.map((r) => r.name),
    ['a', 'b'],
  );
  assert.deepEqual(t.zones[1]!.replicas, []);
  let now = 1_000_000;
  const d = new ZoneDirectory(10_000, silentLogger(), t, () => now);
  d.onHeartbeat(SUBJECTS.heartbeat('z1', 'a'), hb('z1', 500));
  d.onHeartbeat(SUBJECTS.heartbeat('z1', 'b'), hb('z1', 100));
  d.onHeartbeat(SUBJECTS.heartbeat('z2'), hb('z2', 100));
  // a heartbeat for z1 on replica c's subject: not in the topology
  d.onHeartbeat(SUBJECTS.heartbeat('z1', 'c'), hb('z1', 100));
  // z2 claiming replica subjects of z1: subject mismatch
  d.onHeartbeat(SUBJECTS.heartbeat('z1', 'a'), hb('z2', 1));
  assert.deepEqual(
    d.all().map((z) => z.key),
    ['z1/a', 'z1/b', 'z2'],
  );
  assert.deepEqual(
    d.list().map((z) => z.key),
    ['z1/b', 'z2'],
  ); // b has run longer
  assert.deepEqual(
    d.replicas('z1').map((z) => z.replica),
    ['b', 'a'],
  );
  // b stops sending heartbeats: a is preferred
  now += 8000;
  d.onHeartbeat(SUBJECTS.heartbeat('z1', 'a'), hb('z1', 500));
  now += 5000;
  assert.deepEqual(
    d.list().map((z) => z.key),
    ['z1/a', 'z2'],
  );
});

test('merge only when the preferred live replica started within the window (with 30 s slack)', () => {
  assert.equal(replicasMayDiffer([{ startedMs: 1000 }], 5_000_000), false); // one replica: nothing to merge
  assert.equal(replicasMayDiffer([{ startedMs: 1000 }, { startedMs: 2000 }], 5_000_000), false);
  assert.equal(replicasMayDiffer([{ startedMs: 4_990_000 }, { startedMs: 4_995_000 }], 5_000_000), true);
});

const pts = (ts: number[], f = (t: number) => t / 1000): Point[] => ts.map((t) => ({ t, f: f(t) }));
const range = (from: number, to: number, step = 1000): number[] =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

test('penalty dedup: identical copies give one copy; a gap in one replica is filled from the other', () => {
  const all = range(0, 60_000);
  assert.deepEqual(mergeReplicaPoints([pts(all), pts(all)]), pts(all));
  const a = pts(all.filter((t) => t < 10_000 || t > 30_000));
  const b = pts(all.filter((t) => t < 40_000 || t > 50_000));
  const m = mergeReplicaPoints([a, b]);
  assert.deepEqual(
    m.map((p) => p.t),
    all,
  );
});

test('penalty dedup: offset timestamps (independent scrapers) keep one cadence, never interleave', () => {
  const a = pts(range(0, 20_000));
  const b = pts(range(300, 20_300));
  const m = mergeReplicaPoints([a, b]);
  for (let i = 1; i < m.length - 1; i++)
    assert.ok(m[i]!.t - m[i - 1]!.t >= 1000, `interleaved at ${m[i]!.t}`);
  // a stops at 20 s: b's next sample continues the series (the one switch)
  assert.equal(m[m.length - 1]!.t, 20_300);
});

test('dedupReplicaSeries matches series by label set and keeps series only one replica has', () => {
  const ls = (v: string) => [
    { name: '__name__', value: 'up' },
    { name: 'i', value: v },
  ];
  const out = dedupReplicaSeries([
    [{ labels: ls('x'), points: pts([0, 1000]) }],
    [
      { labels: ls('x'), points: pts([1000, 2000]) },
      { labels: ls('y'), points: pts([0]) },
    ],
  ]);
  assert.equal(out.length, 2);
  assert.deepEqual(
    out.find((s) => s.labels[1]!.value === 'x')!.points.map((p) => p.t),
    [0, 1000, 2000],
  );
});

test('leaf ship_to: all via flag or file, needs a data dir and distinct addresses', () => {
  const c = parseLeafConfig(
    ['--zone', '127.0.0.1:1', '--zone', '127.0.0.1:2', '--ship-to', 'all'],
    'h',
  ) as LeafConfig;
  assert.equal(c.shipTo, 'all');
  assert.equal((parseLeafConfig(['--zone', '127.0.0.1:1'], 'h') as LeafConfig).shipTo, 'first');
  assert.throws(
    () => parseLeafConfig(['--zone', '127.0.0.1:1', '--ship-to', 'some'], 'h'),
    /--ship-to: expected first or all/,
  );
  assert.throws(
    () =>
      parseLeafConfig(
        ['--zone', '127.0.0.1:1', '--zone', '127.0.0.1:2', '--ship-to', 'all', '--data-dir', ''],
        'h',
      ),
    /needs a data_dir/,
  );
  assert.throws(
    () => parseLeafConfig(['--zone', '127.0.0.1:1', '--zone', '127.0.0.1:1', '--ship-to', 'all'], 'h'),
    /listed twice/,
  );
});
