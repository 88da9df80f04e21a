// The zone's field hints stream (zone/hints.ts): deltas for new names and values published
// before a write is acknowledged, the ack held until the bus confirms them, the lease rule when
// it cannot, caps on huge strings and long lists, chunked snapshots the root reassembles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBus } from '../../shared/bus/index.ts';
import { MemoryStorage } from '../../shared/memstore.ts';
import { silentLogger } from '../../shared/log.ts';
import { labelsFromRecord } from '../../shared/labels.ts';
import { isCanopyError } from '../../shared/errors.ts';
import { decodeHints } from '../../shared/wire/index.ts';
import { HintKind, type IZoneHints } from '../../proto/index.ts';
import {
  HINT_MAX_STRING_LENGTH,
  HINT_MAX_VALUES,
  HINT_PUBLISH_WAIT_MS,
  HintSet,
  ZoneHintsSource,
} from '../../zone/hints.ts';
import { HintsDirectory } from '../../global/hints.ts';

/**
 * An in-process bus whose flush() (the NATS round trip) the test holds and releases, and
 * which can lose hint messages and fail flushes like a NATS connection that drops.
 */
class HeldBus extends MemoryBus {
  held = false;
  losing = false;
  interruptions = 0;
  private releases: (() => void)[] = [];
  maxPayload = 1024 * 1024;
  override publish(subject: string, data: Uint8Array, reply?: string): void {
    if (this.losing && subject.startsWith('canopy.hints.')) return;
    super.publish(subject, data, reply);
  }
  override flush(): Promise<void> {
    if (this.losing) return Promise.reject(new Error('connection disconnected'));
    if (!this.held) return super.flush();
    return new Promise((r) => this.releases.push(r));
  }
  override epoch(): number {
    return this.interruptions;
  }
  release(): void {
    this.held = false;
    for (const r of this.releases.splice(0)) r();
  }
  override maxPayloadBytes(): number {
    return this.maxPayload;
  }
}

async function zone(opts: { bus?: HeldBus; now?: () => number; intervalMs?: number } = {}) {
  const storage = new MemoryStorage();
  const app = storage.appender();
  app.append(labelsFromRecord({ __name__: 'old_metric', job: 'api' }), 1000, 1);
  await app.commit();
  let unconfirmed = 0;
  const hs = new ZoneHintsSource({
    zone: 'z1',
    region: 'r1',
    externalLabels: { zone: 'z1', region: 'r1' },
    queryable: storage,
    storage,
    seriesCount: () => storage.seriesCount(),
    logger: silentLogger(),
    intervalMs: opts.intervalMs ?? 60_000,
    published: true,
    onUnconfirmedAck: () => unconfirmed++,
    now: opts.now,
  });
  await hs.init();
  const msgs: IZoneHints[] = [];
  if (opts.bus) {
    opts.bus.subscribe('canopy.hints.z1', (m) => msgs.push(decodeHints(m.data)));
    hs.start(opts.bus);
  }
  const gated = hs.gate(storage);
  const write = (labels: Record<string, string>): Promise<unknown> => {
    const a = gated.appender();
    a.append(labelsFromRecord(labels), 2000, 2);
    return a.commit();
  };
  return { hs, storage, gated, msgs, write, unconfirmed: () => unconfirmed };
}

const settle = () => new Promise((r) => setImmediate(r));

test('a new metric name is published as DELTA seq 1 before the write commits, and the ack waits for the bus to confirm it', async () => {
  const bus = new HeldBus();
  const z = await zone({ bus });
  await settle();
  assert.equal(z.msgs[0]?.kind, HintKind.SNAPSHOT);
  assert.deepEqual(z.msgs[0]?.metricNames, ['old_metric']);
  bus.held = true;
  let acked = false;
  const p = z.write({ __name__: 'new_metric', job: 'web' }).then(() => (acked = true));
  await settle();
  const delta = z.msgs.at(-1)!;
  assert.equal(delta.kind, HintKind.DELTA);
  assert.equal(Number(delta.seq), 1);
  assert.deepEqual(delta.metricNames, ['new_metric']);
  assert.deepEqual(
    delta.labels?.map((l) => [l.name, l.values, l.complete]),
    [['job', ['web'], true]],
  );
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(acked, false, 'acknowledged before NATS confirmed the delta');
  bus.release();
  await p;
  assert.equal(acked, true);
  // A series the published hints already cover waits for nothing, even with the bus held.
  bus.held = true;
  await z.write({ __name__: 'new_metric', job: 'api' });
  assert.equal(z.msgs.filter((m) => m.kind === HintKind.DELTA).length, 1, 'no delta for covered series');
  bus.release();
  z.hs.stop();
});

test('a write that needs a delta still unconfirmed waits for it too (two writers of one new name)', async () => {
  const bus = new HeldBus();
  const z = await zone({ bus });
  await settle();
  bus.held = true;
  const first = z.write({ __name__: 'shared_new' });
  let second = false;
  const p2 = z.write({ __name__: 'shared_new' }).then(() => (second = true));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(second, false);
  bus.release();
  await Promise.all([first, p2]);
  z.hs.stop();
});

test('NATS down: a hint-changing write is answered unavailable, until 2 leases after its delta was sent; then acknowledged and counted', async () => {
  const bus = new HeldBus();
  let now = 1_000_000;
  const z = await zone({ bus, now: () => now, intervalMs: 1000 });
  await settle();
  bus.held = true;
  const t0 = performance.now();
  await assert.rejects(
    z.write({ __name__: 'during_outage' }),
    (e) => isCanopyError(e, 'unavailable') && /not confirmed by NATS/.test(e.message),
  );
  assert.ok(performance.now() - t0 >= HINT_PUBLISH_WAIT_MS - 50);
  // The retry after the lease: no root trusts hints sent before the delta any more.
  now += 2 * z.hs.leaseMs;
  await z.write({ __name__: 'during_outage' });
  assert.equal(z.unconfirmed(), 1);
  bus.release();
  z.hs.stop();
});

test('before the bus connects, writes of new series wait for the first snapshot', async () => {
  const bus = new HeldBus();
  const z = await zone();
  let acked = false;
  const p = z.write({ __name__: 'before_nats' }).then(() => (acked = true));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(acked, false);
  bus.subscribe('canopy.hints.z1', (m) => z.msgs.push(decodeHints(m.data)));
  z.hs.start(bus);
  await p;
  const snap = z.msgs[0]!;
  assert.equal(snap.kind, HintKind.SNAPSHOT);
  assert.deepEqual([...(snap.metricNames ?? [])].sort(), ['before_nats', 'old_metric']);
  z.hs.stop();
});

test('hint set caps: long strings and long value lists make their list incomplete instead of being listed', () => {
  const s = new HintSet();
  const d = {
    metricNames: [] as string[],
    labels: new Map<string, { values: string[]; complete: boolean }>(),
    metricNamesIncomplete: false,
    labelNamesIncomplete: false,
  };
  s.add(labelsFromRecord({ __name__: 'm', big: 'x'.repeat(1024 * 1024) }), 1, d);
  assert.deepEqual(d.labels.get('big'), { values: [], complete: false });
  assert.equal(
    s.need(labelsFromRecord({ __name__: 'm', big: 'anything' })),
    1,
    'an incomplete label covers any value',
  );
  for (let i = 0; i < HINT_MAX_VALUES; i++)
    s.add(labelsFromRecord({ __name__: 'm', inst: `h${i}` }), 2, undefined);
  assert.equal(s.labels.get('inst')!.values!.size, HINT_MAX_VALUES);
  s.add(labelsFromRecord({ __name__: 'm', inst: 'one-too-many' }), 3, undefined);
  assert.equal(s.labels.get('inst')!.values, null);
  s.add(labelsFromRecord({ __name__: 'a'.repeat(HINT_MAX_STRING_LENGTH + 1) }), 4, undefined);
  assert.equal(s.metricNamesIncomplete, 4);
  assert.equal(s.need(labelsFromRecord({ __name__: 'never_seen' })), 4);
  const w = s.toWire();
  assert.equal(w.metricNamesIncomplete, true);
  assert.deepEqual(w.metricNames, []);
});

test('a 1 MB label value: the delta stays small and the root still asks the zone for it', async () => {
  const bus = new HeldBus();
  const root = new HintsDirectory(600_000, silentLogger());
  root.start(bus);
  const z = await zone({ bus });
  await settle();
  const sizes: number[] = [];
  bus.subscribe('canopy.hints.z1', (m) => sizes.push(m.data.length));
  await z.write({ __name__: 'big_one', big: 'v'.repeat(1024 * 1024) });
  assert.ok(sizes.length > 0 && Math.max(...sizes) < 1024, `delta sizes ${sizes}`);
  const v = root.view('z1');
  assert.ok(v, root.whyUntrusted('z1'));
  assert.deepEqual(v.labels.get('big'), { values: [], complete: false });
  z.hs.stop();
  root.stop();
});

test('a snapshot larger than the max payload is chunked; the root reassembles every name', async () => {
  const bus = new HeldBus();
  bus.maxPayload = 64 * 1024;
  const z = await zone();
  const names: string[] = [];
  const a = z.gated.appender();
  for (let i = 0; i < 3000; i++) {
    const n = `metric_with_a_rather_long_name_to_fill_the_chunks_${i}`;
    names.push(n);
    a.append(labelsFromRecord({ __name__: n, instance: `host-${i}` }), 1000, i);
  }
  const sizes: number[] = [];
  bus.subscribe('canopy.hints.z1', (m) => sizes.push(m.data.length));
  const root = new HintsDirectory(600_000, silentLogger());
  root.start(bus);
  z.hs.start(bus);
  await a.commit();
  await settle();
  assert.ok(sizes.length > 2, `${sizes.length} chunks`);
  assert.ok(Math.max(...sizes) <= bus.maxPayload, `largest chunk ${Math.max(...sizes)}`);
  const v = root.view('z1');
  assert.ok(v, root.whyUntrusted('z1'));
  for (const n of names) assert.ok(v.metricNames.has(n), n);
  assert.equal(v.labels.get('instance')?.complete, false);
  z.hs.stop();
  root.stop();
});

test('a delta lost with the connection is not acknowledged by a later flush: a snapshot covers it first', async () => {
  const bus = new HeldBus();
  const root = new HintsDirectory(600_000, silentLogger());
  root.start(bus);
  const z = await zone({ bus });
  await settle();
  assert.ok(root.view('z1'));
  bus.losing = true;
  const name = 'lost_with_the_connection';
  const p = z.write({ __name__: name }).then(() => root.view('z1')?.metricNames.has(name));
  await new Promise((r) => setTimeout(r, 100));
  bus.losing = false; // reconnected: the retry publishes a snapshot and confirms it
  assert.equal(await p, true, 'acknowledged before the root could have its hints');
  // A connection change between publish and flush is a loss too.
  bus.held = true;
  const name2 = 'published_on_the_old_connection';
  const p2 = z.write({ __name__: name2 }).then(() => root.view('z1')?.metricNames.has(name2));
  bus.interruptions++;
  bus.release();
  assert.equal(await p2, true);
  z.hs.stop();
  root.stop();
});
