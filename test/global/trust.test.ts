// What the root trusts: heartbeats only from listed zones on their own subject with their own
// external labels; answers only from the zone asked; zone URLs only from the topology.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pb } from '../../proto/index.ts';
import { MemoryBus, SUBJECTS } from '../../shared/bus/index.ts';
import { ConfigReader } from '../../shared/config/index.ts';
import { parseTopology } from '../../shared/topology.ts';
import { silentLogger } from '../../shared/log.ts';
import { encodePartialChunks, labelsToWire } from '../../shared/wire/index.ts';
import { labelsFromRecord } from '../../shared/labels.ts';
import { ZoneDirectory, type HeartbeatIgnoredReason } from '../../global/zones.ts';
import { Fanout, type AnswerDroppedReason } from '../../global/fanout.ts';
import { HintsDirectory } from '../../global/hints.ts';

const topo = parseTopology(
  new ConfigReader('t.yaml', {
    regions: [{ name: 'eu', zones: [{ name: 'za', http: '127.0.0.1:9201' }, { name: 'zb' }] }],
  }),
);

function heartbeat(
  zone: string,
  region: string,
  ext: Record<string, string>,
  httpUrl = 'http://169.254.169.254',
): Uint8Array {
  return pb.Heartbeat.encode({
    zone,
    region,
    timestampMs: Date.now(),
    httpUrl,
    externalLabels: labelsToWire(labelsFromRecord(ext)),
  }).finish();
}

function directory(withTopology: boolean): { dir: ZoneDirectory; ignored: HeartbeatIgnoredReason[] } {
  const ignored: HeartbeatIgnoredReason[] = [];
  const dir = new ZoneDirectory(60_000, silentLogger(), withTopology ? topo : undefined, Date.now, {
    onIgnored: (r) => ignored.push(r),
  });
  return { dir, ignored };
}

test('with a topology, heartbeats of unlisted zones are ignored and counted; URLs come from the topology only', () => {
  const { dir, ignored } = directory(true);
  dir.onHeartbeat(SUBJECTS.heartbeat('evil'), heartbeat('evil', 'eu', { zone: 'za', region: 'eu' }));
  dir.onHeartbeat(SUBJECTS.heartbeat('evil'), heartbeat('evil', 'eu', {}));
  dir.onHeartbeat(SUBJECTS.heartbeat('za'), heartbeat('za', 'eu', { zone: 'za', region: 'eu' }));
  assert.deepEqual(ignored, ['not_in_topology', 'not_in_topology']);
  const names = dir.list().map((z) => z.zone);
  assert.deepEqual(names, ['za', 'zb']);
  const za = dir.list().find((z) => z.zone === 'za')!;
  assert.equal(dir.isAlive(za), true);
  assert.equal(za.httpUrl, 'http://127.0.0.1:9201', 'the heartbeat http_url is never used');
  const zb = dir.list().find((z) => z.zone === 'zb')!;
  assert.equal(zb.httpUrl, '', 'port 0 in the topology: no address');
});

test('forged heartbeats are ignored: wrong subject, wrong region, external labels of another zone', () => {
  const { dir, ignored } = directory(true);
  dir.onHeartbeat(SUBJECTS.heartbeat('zb'), heartbeat('za', 'eu', { zone: 'za' }));
  dir.onHeartbeat(SUBJECTS.heartbeat('za'), heartbeat('za', 'us', { zone: 'za' }));
  dir.onHeartbeat(SUBJECTS.heartbeat('zb'), heartbeat('zb', 'eu', { zone: 'za', region: 'eu' }));
  dir.onHeartbeat(SUBJECTS.heartbeat('zb'), new Uint8Array([0xff, 0xff, 0xff]));
  assert.deepEqual(ignored, [
    'subject_mismatch',
    'region_mismatch',
    'external_labels_mismatch',
    'undecodable',
  ]);
  assert.equal(dir.list().filter((z) => dir.isAlive(z)).length, 0);

  // Without a topology, zones are discovered, but a heartbeat claiming another zone's labels is not.
  const open = directory(false);
  open.dir.onHeartbeat(SUBJECTS.heartbeat('evil'), heartbeat('evil', 'eu', { zone: 'za', region: 'eu' }));
  open.dir.onHeartbeat(SUBJECTS.heartbeat('zc'), heartbeat('zc', 'eu', { zone: 'zc', region: 'eu' }));
  assert.deepEqual(open.ignored, ['external_labels_mismatch']);
  assert.deepEqual(
    open.dir.list().map((z) => [z.zone, z.httpUrl]),
    [['zc', '']],
  );
});

test('an answer from another zone, or with series labelled as another zone, is dropped with a warning naming the zone', async () => {
  const bus = new MemoryBus();
  const { dir } = directory(true);
  dir.start(bus);
  bus.publish(SUBJECTS.heartbeat('za'), heartbeat('za', 'eu', { zone: 'za', region: 'eu' }));
  bus.publish(SUBJECTS.heartbeat('zb'), heartbeat('zb', 'eu', { zone: 'zb', region: 'eu' }));
  await new Promise((r) => setTimeout(r, 10));
  // za's subject is answered by an impostor calling itself zb; zb returns series labelled za.
  const series = (zone: string) => [
    {
      labels: labelsToWire(labelsFromRecord({ __name__: 'probe_ok', zone, region: 'eu' })),
      timestampsMs: [1000],
      values: [666666],
    },
  ];
  bus.subscribe(SUBJECTS.query('za'), (m) => {
    for (const c of encodePartialChunks(
      { queryId: 'q', zone: 'zb', region: 'eu', resultType: 'matrix' },
      series('zb'),
      1 << 20,
    ))
      m.respond(c);
  });
  bus.subscribe(SUBJECTS.query('zb'), (m) => {
    for (const c of encodePartialChunks(
      { queryId: 'q', zone: 'zb', region: 'eu', resultType: 'matrix' },
      series('za'),
      1 << 20,
    ))
      m.respond(c);
  });
  const dropped: AnswerDroppedReason[] = [];
  const fanout = new Fanout(bus, dir, silentLogger(), (r) => dropped.push(r));
  const g = await fanout.query(
    { queryId: 'q', select: ['probe_ok'], startMs: 0, endMs: 2000 },
    { timeoutMs: 2000, partialResponse: true },
  );
  assert.equal(g.answers.length, 0);
  assert.deepEqual(dropped.sort(), ['external_labels_mismatch', 'zone_mismatch']);
  assert.equal(g.warnings.length, 2);
  assert.match(
    g.warnings.find((w) => w.includes('zone za'))!,
    /answered as zone "zb"/,
  );
  assert.match(
    g.warnings.find((w) => w.includes('zone zb'))!,
    /labelled zone="za", another zone's/,
  );
  await assert.rejects(
    fanout.query(
      { queryId: 'q', select: ['probe_ok'], startMs: 0, endMs: 2000 },
      { timeoutMs: 2000, partialResponse: false },
    ),
    /answer dropped/,
  );

  // An expression's answer may rewrite labels (label_replace): only the answering zone counts.
  const g2 = await fanout.query(
    { queryId: 'q', expr: 'label_replace(probe_ok, "zone", "x", "", "")', timeMs: 1000 },
    { timeoutMs: 2000, partialResponse: true, select: (z) => (z.zone === 'zb' ? true : 'test') },
  );
  assert.equal(g2.answers.length, 1);
});

test("field hints count only on their own zone's subject", async () => {
  const bus = new MemoryBus();
  const hints = new HintsDirectory(60_000, silentLogger());
  hints.start(bus);
  const h = (zone: string): Uint8Array =>
    pb.ZoneHints.encode({ zone, region: 'eu', seriesCount: 5, metricNames: ['probe_ok'] }).finish();
  bus.publish(SUBJECTS.hints('evil'), h('za'));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(hints.latest('za'), undefined);
  bus.publish(SUBJECTS.hints('za'), h('za'));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(hints.latest('za')?.seriesCount, 5);
  hints.stop();
});

test("a series whose own zone label names no known zone is the zone's data, not an impersonation", async () => {
  const bus = new MemoryBus();
  const { dir } = directory(true);
  dir.start(bus);
  bus.publish(SUBJECTS.heartbeat('za'), heartbeat('za', 'eu', { zone: 'za', region: 'eu' }));
  await new Promise((r) => setTimeout(r, 10));
  bus.subscribe(SUBJECTS.query('za'), (m) => {
    const s = [
      {
        labels: labelsToWire(labelsFromRecord({ __name__: 'up', zone: 'prom-1', region: 'eu' })),
        timestampsMs: [1000],
        values: [1],
      },
    ];
    for (const c of encodePartialChunks(
      { queryId: 'q', zone: 'za', region: 'eu', resultType: 'matrix' },
      s,
      1 << 20,
    ))
      m.respond(c);
  });
  const g = await new Fanout(bus, dir, silentLogger()).query(
    { queryId: 'q', select: ['up'], startMs: 0, endMs: 2000 },
    { timeoutMs: 2000, partialResponse: true, select: (z) => (z.zone === 'za' ? true : 'test') },
  );
  assert.equal(g.answers.length, 1);
  assert.deepEqual(g.warnings, []);
});
