// AlertCluster (zone/notifier/cluster.ts) over the in-process bus: silences and nflog entries
// replicate as deltas, a late replica pulls a snapshot (chunked under the payload limit), newer
// copies win, state of an unattached tenant waits for it, and positions follow the live replicas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../../shared/log.ts';
import { MemoryBus } from '../../../shared/bus/memory.ts';
import { AlertCluster, type ReplicatedNotifier } from '../../../zone/notifier/cluster.ts';
import { NotificationLog } from '../../../zone/notifier/notification-log.ts';
import { Silences } from '../../../zone/notifier/silences.ts';
import { openNotifierDb } from '../../../zone/notifier/notifier-db.ts';

const member = (): ReplicatedNotifier => {
  const db = openNotifierDb(':memory:');
  return { silences: new Silences(db), nflog: new NotificationLog(db), peerGate: undefined };
};
const cluster = (replica: string, peerTimeoutMs = 50): AlertCluster =>
  new AlertCluster({ zone: 'z1', replica, peerTimeoutMs, logger: silentLogger() });
const tick = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));
const silence = (name: string) => ({
  matchers: [{ name: 'alertname', value: name, isRegex: false, isEqual: true }],
  startsAtMs: Date.now(),
  endsAtMs: Date.now() + 3_600_000,
  createdBy: 't',
  comment: '',
});

test('deltas: a silence and an nflog entry made on one replica reach the other; expiry too', async () => {
  const bus = new MemoryBus();
  const [ca, cb] = [cluster('a'), cluster('b')];
  const [a, b] = [member(), member()];
  ca.attach('anonymous', a);
  cb.attach('anonymous', b);
  ca.start(bus);
  cb.start(bus);
  await tick();
  const id = a.silences.set(silence('X'));
  a.nflog.log('hook/webhook[0]/{}:{alertname="X"}', ['f1'], []);
  await tick();
  assert.equal(b.silences.get(id)?.comment, '');
  assert.deepEqual([...b.nflog.get('hook/webhook[0]/{}:{alertname="X"}')!.firing], ['f1']);
  b.silences.expire(id);
  await tick();
  assert.ok(a.silences.get(id)!.endsAtMs <= Date.now(), 'the expiry made on b holds on a');
  assert.deepEqual(a.silences.mutes({ alertname: 'X' }), []);
  ca.stop();
  cb.stop();
});

test('a replica that was down pulls the snapshot at start, in chunks; its gate opens then', async () => {
  const bus = new MemoryBus();
  bus.maxPayloadBytes = () => 4096; // forces several chunks
  const ca = cluster('a');
  const a = member();
  ca.attach('anonymous', a);
  ca.start(bus);
  const ids = Array.from({ length: 40 }, (_, i) => a.silences.set(silence(`S${i}`)));
  for (let i = 0; i < 40; i++) a.nflog.log(`k${i}`, [`f${i}`], []);
  const cb = cluster('b');
  const b = member();
  cb.attach('anonymous', b);
  const t0 = Date.now();
  cb.start(bus);
  await cb.synced;
  assert.ok(Date.now() - t0 < 1000, 'synced by the snapshot, not by the settle timeout');
  assert.equal(b.silences.list().length, 40);
  for (const id of ids) assert.ok(b.silences.get(id));
  assert.equal(b.nflog.size, 40);
  ca.stop();
  cb.stop();
});

test('merge keeps the newer copy; unattached tenants get their state on attach', async () => {
  const bus = new MemoryBus();
  const [ca, cb] = [cluster('a'), cluster('b')];
  const a = member();
  ca.attach('t1', a);
  ca.start(bus);
  cb.start(bus);
  await tick();
  a.nflog.log('k', ['new'], []);
  await tick();
  const b = member();
  assert.equal(b.nflog.get('k'), undefined);
  cb.attach('t1', b);
  assert.deepEqual([...b.nflog.get('k')!.firing], ['new'], 'the pending state of t1 is merged on attach');
  assert.equal(b.nflog.merge('k', { firing: new Set(['older']), resolved: new Set(), tsMs: 1 }), false);
  assert.equal(
    b.nflog.merge('k', { firing: new Set(['newest']), resolved: new Set(), tsMs: Date.now() + 1000 }),
    true,
  );
  assert.deepEqual([...b.nflog.get('k')!.firing], ['newest']);
  ca.stop();
  cb.stop();
});

test('positions follow the live replicas sorted by name; the gate waits position × peer timeout', async () => {
  const bus = new MemoryBus();
  const [ca, cb] = [cluster('a', 200), cluster('b', 200)];
  const [a, b] = [member(), member()];
  ca.attach('anonymous', a);
  cb.attach('anonymous', b);
  ca.start(bus);
  cb.start(bus);
  await Promise.all([ca.synced, cb.synced]);
  await tick();
  assert.deepEqual(ca.live(), ['a', 'b']);
  assert.equal(ca.position(), 0);
  assert.equal(cb.position(), 1);
  let t0 = Date.now();
  await a.peerGate!();
  assert.ok(Date.now() - t0 < 100);
  t0 = Date.now();
  await b.peerGate!();
  assert.ok(Date.now() - t0 >= 190, 'position 1 waits one peer timeout');
  ca.stop();
  cb.stop();
});

test('changes a replica made while off the bus reach the peer when it comes (back): mutual sync, peer seen again', async () => {
  const bus = new MemoryBus();
  const [ca, cb] = [cluster('a'), cluster('b')];
  const [a, b] = [member(), member()];
  ca.attach('anonymous', a);
  cb.attach('anonymous', b);
  cb.start(bus);
  const id = a.silences.set(silence('Offline')); // no bus yet: the delta goes nowhere
  a.nflog.log('k-off', ['f'], []);
  await tick();
  assert.equal(b.silences.get(id), undefined);
  ca.start(bus);
  await tick(50);
  assert.ok(b.silences.get(id), "b pulled a's silence");
  assert.ok(b.nflog.get('k-off'));
  ca.stop();
  cb.stop();
});
