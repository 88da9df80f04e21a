// The root's view of a zone's field hints stream (global/hints.ts): trusted only after a
// snapshot and every delta since, in order; a gap, a new incarnation, a lost chunk, a
// reconnect or an expired lease makes the zone untrusted (asked, not pruned) and asks it for a
// snapshot. On-request (unversioned) hints never prune.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBus } from '../../shared/bus/index.ts';
import { silentLogger } from '../../shared/log.ts';
import { encodeHintChunks, decodeHints } from '../../shared/wire/index.ts';
import { HintKind, pb, type IZoneHints } from '../../proto/index.ts';
import { HintsDirectory } from '../../global/hints.ts';
import { canMatch } from '../../global/plan/index.ts';
import { parseExpr, type VectorSelector } from '../../shared/promql/index.ts';

class CountingBus extends MemoryBus {
  syncs: string[] = [];
  interruptions = 0;
  override publish(subject: string, data: Uint8Array, reply?: string): void {
    if (subject === 'canopy.hintsync') this.syncs.push(pb.HintSyncRequest.decode(data).zone ?? '');
    super.publish(subject, data, reply);
  }
  override epoch(): number {
    return this.interruptions;
  }
}

function setup() {
  let now = 1_000_000;
  const bus = new CountingBus();
  const dir = new HintsDirectory(600_000, silentLogger(), () => now);
  dir.start(bus);
  bus.syncs = [];
  const msg = (kind: number, seq: number, extra: IZoneHints = {}, incarnation = 'i1'): IZoneHints => ({
    zone: 'z',
    incarnation,
    seq,
    kind,
    timestampMs: now,
    leaseMs: 10_000,
    ...extra,
  });
  // As the zone sends them: encoded, chunked, decoded.
  const send = (m: IZoneHints): void => {
    for (const c of encodeHintChunks(m, 1024 * 1024)) dir.accept(decodeHints(c));
  };
  return { bus, dir, msg, send, advance: (ms: number) => (now += ms) };
}

const sel = (s: string): VectorSelector => parseExpr(s) as VectorSelector;

test('snapshot then deltas in order: trusted, and the view has what every delta added', () => {
  const { dir, msg, send } = setup();
  assert.equal(dir.view('z'), undefined);
  send(
    msg(HintKind.SNAPSHOT, 5, {
      metricNames: ['a'],
      labels: [{ name: 'job', values: ['x'], complete: true }],
    }),
  );
  send(
    msg(HintKind.DELTA, 6, { metricNames: ['b'], labels: [{ name: 'job', values: ['y'], complete: true }] }),
  );
  send(
    msg(HintKind.DELTA, 7, {
      labels: [
        { name: 'job', values: [], complete: false },
        { name: 'env', values: ['prod'], complete: true },
      ],
    }),
  );
  send(msg(HintKind.DELTA, 7, { metricNames: ['dup'] })); // a duplicate is ignored
  const v = dir.view('z');
  assert.ok(v, dir.whyUntrusted('z'));
  assert.deepEqual([...v.metricNames].sort(), ['a', 'b']);
  assert.deepEqual(v.labels.get('job'), { values: [], complete: false });
  assert.deepEqual(v.labels.get('env'), { values: ['prod'], complete: true });
  assert.equal(canMatch(sel('b{env="prod"}'), {}, v), true);
  assert.match(String(canMatch(sel('c'), {}, v)), /no metric/);
});

test('a gap in seq: untrusted (never pruned), a snapshot is requested, the next snapshot restores trust', () => {
  const { bus, dir, msg, send, advance } = setup();
  send(msg(HintKind.SNAPSHOT, 1, { metricNames: ['a'] }));
  send(msg(HintKind.DELTA, 3, { metricNames: ['c'] }));
  assert.equal(dir.view('z'), undefined);
  assert.match(dir.whyUntrusted('z'), /skipped from seq 1 to 3/);
  assert.deepEqual(bus.syncs, ['z']);
  // Later deltas do not restore trust (delta 2 is lost); requests are rate-limited.
  send(msg(HintKind.DELTA, 4, { metricNames: ['d'] }));
  assert.equal(dir.view('z'), undefined);
  assert.deepEqual(bus.syncs, ['z']);
  advance(1500);
  send(msg(HintKind.KEEPALIVE, 4));
  assert.deepEqual(bus.syncs, ['z', 'z']);
  send(msg(HintKind.SNAPSHOT, 4, { metricNames: ['a', 'b', 'c', 'd'] }));
  assert.ok(dir.view('z')?.metricNames.has('b'));
  send(msg(HintKind.DELTA, 5, { metricNames: ['e'] }));
  assert.ok(dir.view('z')?.metricNames.has('e'));
});

test('a keepalive announcing a seq we never got: untrusted', () => {
  const { dir, msg, send } = setup();
  send(msg(HintKind.SNAPSHOT, 1, { metricNames: ['a'] }));
  send(msg(HintKind.KEEPALIVE, 1));
  assert.ok(dir.view('z'));
  send(msg(HintKind.KEEPALIVE, 2));
  assert.equal(dir.view('z'), undefined);
});

test('a new incarnation (zone restarted): untrusted until its snapshot', () => {
  const { dir, msg, send } = setup();
  send(msg(HintKind.SNAPSHOT, 9, { metricNames: ['a'] }));
  send(msg(HintKind.DELTA, 1, { metricNames: ['b'] }, 'i2'));
  assert.match(dir.whyUntrusted('z'), /new incarnation/);
  send(msg(HintKind.SNAPSHOT, 1, { metricNames: ['a', 'b'] }, 'i2'));
  assert.ok(dir.view('z'));
});

test('the lease: hints not renewed within it are not trusted; a keepalive renews them', () => {
  const { dir, msg, send, advance } = setup();
  send(msg(HintKind.SNAPSHOT, 1, { metricNames: ['a'] }));
  advance(10_001);
  assert.match(dir.whyUntrusted('z'), /older than their lease/);
  send(msg(HintKind.KEEPALIVE, 1));
  assert.ok(dir.view('z'));
  // A message the zone stamped long ago (delivered late) renews nothing.
  send(msg(HintKind.KEEPALIVE, 1, { timestampMs: 0 }));
  assert.equal(dir.view('z'), undefined);
});

test("an interruption of the root's NATS connection since the snapshot: untrusted", () => {
  const { bus, dir, msg, send } = setup();
  send(msg(HintKind.SNAPSHOT, 1, { metricNames: ['a'] }));
  assert.ok(dir.view('z'));
  bus.interruptions++;
  assert.match(dir.whyUntrusted('z'), /interrupted/);
  send(msg(HintKind.SNAPSHOT, 1, { metricNames: ['a'] }));
  assert.ok(dir.view('z'));
});

test('chunked updates: reassembled when whole; a lost chunk makes the zone untrusted', () => {
  const { dir, msg } = setup();
  const names = Array.from({ length: 2000 }, (_, i) => `a_metric_name_of_some_length_${i}`);
  const chunks = encodeHintChunks(
    msg(HintKind.SNAPSHOT, 1, { metricNames: names, seriesCount: 7 }),
    16 * 1024,
  );
  assert.ok(chunks.length > 3);
  for (const c of chunks) assert.ok(c.length <= 16 * 1024);
  for (const c of chunks) dir.accept(decodeHints(c));
  assert.equal(dir.view('z')?.metricNames.size, 2000);
  assert.equal(dir.view('z')?.seriesCount, 7);
  const delta = encodeHintChunks(
    msg(HintKind.DELTA, 2, { metricNames: names.map((n) => `${n}_b`) }),
    16 * 1024,
  );
  for (const c of delta.filter((_, i) => i !== 1)) dir.accept(decodeHints(c));
  assert.match(dir.whyUntrusted('z'), /chunk/);
});

test('hints computed on request (unversioned) never make a zone prunable', () => {
  const { dir } = setup();
  dir.accept({ zone: 'z', metricNames: ['a'], seriesCount: 3 });
  assert.equal(dir.view('z'), undefined);
  assert.equal(dir.latest('z')?.seriesCount, 3);
});

test("in-process bus: a sample written through a zone's hints gate is in the root's next answer (400 trials), and the other zones are pruned", async () => {
  const { startCluster } = await import('./cluster.ts');
  const { labelsFromRecord } = await import('../../shared/labels.ts');
  const specs = [
    { zone: 'a', region: 'r1' },
    { zone: 'b', region: 'r1' },
    { zone: 'c', region: 'r2' },
  ];
  const c = await startCluster(specs, [
    { labels: { __name__: 'seed', zone: 'a', region: 'r1' }, t: 1000, v: 1 },
  ]);
  try {
    const opts = { timeoutMs: 5000, signal: new AbortController().signal, partialResponse: false };
    // Wait until every zone's hints are trusted, so pruning is on.
    for (let i = 0; i < 100 && (await c.root.explain('never_written')).skippedZones < 3; i++)
      await new Promise((r) => setTimeout(r, 10));
    assert.equal((await c.root.explain('never_written')).skippedZones, 3);
    const missing: string[] = [];
    for (let i = 0; i < 400; i++) {
      const zone = specs[i % 3]!.zone;
      const name = `inproc_${i}`;
      const app = c.gated.get(zone)!.appender();
      app.append(labelsFromRecord({ __name__: name, job: `j${i % 5}` }), 2000, i);
      await app.commit();
      const r = await c.root.query(name, 2000, opts);
      if (r.value.type !== 'vector' || r.value.vector.length !== 1 || r.value.vector[0]!.f !== i)
        missing.push(name);
    }
    assert.deepEqual(missing, []);
    const p = await c.root.explain('inproc_7');
    assert.deepEqual(p.fragments[0]!.zones.asked, ['b']);
  } finally {
    c.stop();
  }
});
