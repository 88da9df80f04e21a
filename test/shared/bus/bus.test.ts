// Both Bus implementations against the same behaviour: wildcard subscriptions, chunked
// replies through requestStream, and timeouts. The NATS one runs against a real nats-server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBus, connectNats, type Bus } from '../../../shared/bus/index.ts';
import { silentLogger } from '../../../shared/log.ts';
import { isCanopyError } from '../../../shared/errors.ts';
import { startNats, type Proc } from '../../e2e/harness.ts';

let nats: { proc: Proc; url: string };
const buses: [string, () => Promise<Bus>][] = [
  ['memory', async () => new MemoryBus()],
  ['nats', async () => connectNats({ url: nats.url, name: 'test', logger: silentLogger() })],
];

before(async () => {
  nats = await startNats();
});
after(async () => {
  await nats.proc.stop();
});

for (const [kind, open] of buses) {
  test(`${kind}: requestStream collects chunked replies until the responder says last`, async () => {
    const bus = await open();
    const sub = bus.subscribe('q.zone1', (m) => {
      const n = m.data[0]!;
      for (let i = 0; i < n; i++) m.respond(Uint8Array.of(i, i === n - 1 ? 1 : 0));
    });
    await new Promise((r) => setTimeout(r, 50));
    const got: number[] = [];
    await bus.requestStream('q.zone1', Uint8Array.of(5), {
      timeoutMs: 2000,
      onReply: (d) => (got.push(d[0]!), d[1] === 1),
    });
    assert.deepEqual(got, [0, 1, 2, 3, 4]);
    sub.unsubscribe();
    await bus.close();
  });

  test(`${kind}: a request nobody answers fails fast (NATS: no responders) or times out`, async () => {
    const bus = await open();
    try {
      const t0 = Date.now();
      await assert.rejects(
        bus.requestStream('q.nobody', Uint8Array.of(1), { timeoutMs: 300, onReply: () => true }),
        (e) => isCanopyError(e, kind === 'nats' ? 'unavailable' : 'timeout'),
      );
      assert.ok(Date.now() - t0 < 2000);
      // A responder that never completes the stream: the deadline ends it.
      const sub = bus.subscribe('q.slow', (m) => m.respond(Uint8Array.of(0)));
      await new Promise((r) => setTimeout(r, 50));
      await assert.rejects(
        bus.requestStream('q.slow', Uint8Array.of(1), { timeoutMs: 300, onReply: (d) => d[0] === 1 }),
        (e) => isCanopyError(e, 'timeout'),
      );
      sub.unsubscribe();
    } finally {
      await bus.close();
    }
  });

  test(`${kind}: wildcard subscriptions see every matching subject`, async () => {
    const bus = await open();
    const seen: string[] = [];
    bus.subscribe('hb.*', (m) => void seen.push(m.subject));
    await new Promise((r) => setTimeout(r, 50));
    bus.publish('hb.a', Uint8Array.of(1));
    bus.publish('hb.b', Uint8Array.of(1));
    bus.publish('other.a', Uint8Array.of(1));
    bus.publish('hb.a.b', Uint8Array.of(1));
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(seen.sort(), ['hb.a', 'hb.b']);
    await bus.close();
  });
}

test('connecting to a NATS URL where nothing listens fails with a clear unavailable error', async () => {
  await assert.rejects(
    connectNats({ url: 'nats://127.0.0.1:1', name: 'x', logger: silentLogger(), connectTimeoutMs: 1000 }),
    (e) =>
      isCanopyError(e, 'unavailable') && /cannot connect to NATS at nats:\/\/127\.0\.0\.1:1/.test(e.message),
  );
});

for (const [kind, open] of buses) {
  test(`${kind}: flush is a barrier — a message another client published and flushed has reached our handler once our flush resolves`, async () => {
    const a = await open();
    const b = kind === 'memory' ? a : await open();
    const got: number[] = [];
    const sub = b.subscribe('barrier.x', (m) => got.push(m.data[0]!));
    await b.flush();
    for (let i = 0; i < 200; i++) {
      a.publish('barrier.x', Uint8Array.of(i % 256));
      await a.flush();
      await b.flush();
      assert.equal(got.length, i + 1, `message ${i} not delivered before the barrier`);
    }
    assert.equal(b.epoch(), 0, 'no interruption');
    sub.unsubscribe();
    await a.close();
    if (b !== a) await b.close();
  });
}
