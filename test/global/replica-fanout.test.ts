// The root's fan-out over zone replicas (global/fanout.ts), on the in-process bus: one replica
// answers, the preferred first; a failing replica falls back to the other at once, a hanging
// one after half the deadline (hedge); a zone is partial only when every replica fails, and the
// warning names each replica; merging asks every replica.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pb } from '../../proto/index.ts';
import { MemoryBus, SUBJECTS } from '../../shared/bus/index.ts';
import { encodePartialChunks } from '../../shared/wire/index.ts';
import { silentLogger } from '../../shared/log.ts';
import { ZoneDirectory } from '../../global/zones.ts';
import { Fanout } from '../../global/fanout.ts';

type Behaviour = 'answer' | 'fail' | 'hang';

function setup(behaviour: Record<'a' | 'b', Behaviour>) {
  const bus = new MemoryBus();
  const dir = new ZoneDirectory(10_000, silentLogger());
  const asked: string[] = [];
  for (const r of ['a', 'b'] as const) {
    // a started first: it is preferred
    dir.onHeartbeat(
      SUBJECTS.heartbeat('z1', r),
      pb.Heartbeat.encode({ zone: 'z1', region: 'eu', startedMs: r === 'a' ? 1000 : 2000 }).finish(),
    );
    bus.subscribe(SUBJECTS.query('z1', r), (m) => {
      asked.push(r);
      const b = behaviour[r];
      if (b === 'hang') return;
      if (b === 'fail')
        return m.respond(
          pb.PartialResult.encode({
            zone: 'z1',
            last: true,
            error: { code: 'internal', message: `replica ${r} broke` },
          }).finish(),
        );
      for (const c of encodePartialChunks(
        { zone: 'z1', resultType: 'vector', warnings: [`from ${r}`] },
        [],
        bus.maxPayloadBytes(),
      ))
        m.respond(c);
    });
  }
  return { fanout: new Fanout(bus, dir, silentLogger()), asked, dir };
}

const from = (g: Awaited<ReturnType<Fanout['query']>>): string[] => g.answers.map((a) => a.zone.replica);

test('the preferred replica answers alone', async () => {
  const { fanout, asked } = setup({ a: 'answer', b: 'answer' });
  const g = await fanout.query({ queryId: 'q', expr: 'up' }, { timeoutMs: 1000, partialResponse: true });
  assert.deepEqual(from(g), ['a']);
  assert.deepEqual(asked, ['a']);
  assert.deepEqual(g.warnings, []);
});

test('a failing replica falls back to the other at once', async () => {
  const { fanout } = setup({ a: 'fail', b: 'answer' });
  const t0 = Date.now();
  const g = await fanout.query({ queryId: 'q', expr: 'up' }, { timeoutMs: 2000, partialResponse: false });
  assert.deepEqual(from(g), ['b']);
  assert.ok(Date.now() - t0 < 500);
});

test('a hanging replica: the other is asked after half the deadline and its answer wins', async () => {
  const { fanout } = setup({ a: 'hang', b: 'answer' });
  const t0 = Date.now();
  const g = await fanout.query({ queryId: 'q', expr: 'up' }, { timeoutMs: 1000, partialResponse: false });
  const ms = Date.now() - t0;
  assert.deepEqual(from(g), ['b']);
  assert.ok(ms >= 450 && ms < 950, `answered after ${ms} ms`);
});

test('both replicas fail: partial, naming each replica; with partial response off, an error', async () => {
  const { fanout } = setup({ a: 'fail', b: 'fail' });
  const g = await fanout.query({ queryId: 'q', expr: 'up' }, { timeoutMs: 1000, partialResponse: true });
  assert.equal(g.answers.length, 0);
  assert.match(
    g.warnings[0]!,
    /zone z1 replica a .*failed: replica a broke; zone z1 replica b .*failed: replica b broke: the result is partial/,
  );
  await assert.rejects(
    fanout.query({ queryId: 'q', expr: 'up' }, { timeoutMs: 1000, partialResponse: false }),
    /partial response is disabled/,
  );
});

test('merging asks every live replica and returns each answer', async () => {
  const { fanout, asked } = setup({ a: 'answer', b: 'answer' });
  const g = await fanout.query(
    { queryId: 'q', select: ['up'] },
    { timeoutMs: 1000, partialResponse: true, mergeReplicas: () => true },
  );
  assert.deepEqual(from(g).sort(), ['a', 'b']);
  assert.deepEqual(asked.sort(), ['a', 'b']);
});
