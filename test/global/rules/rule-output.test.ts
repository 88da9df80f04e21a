// RuleOutput (global/rules/rule-output.ts): the root's recording-rule results as a remote-write
// request to the store zone; every sample that does not arrive is counted by reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import snappy from 'snappy';
import { Registry } from 'prom-client';
import { prometheus } from '../../../proto/prometheus/gen/prometheus.js';
import { RuleOutput, newRuleOutputMetrics } from '../../../global/rules/index.ts';
import { labelsFromRecord } from '../../../shared/labels.ts';
import { silentLogger } from '../../../shared/log.ts';

const samples = [
  { labels: labelsFromRecord({ __name__: 'fleet:x:sum', job: 'a' }), tMs: 1000, f: 1.5 },
  { labels: labelsFromRecord({ __name__: 'fleet:x:sum', job: 'b' }), tMs: 1000, f: 2 },
];

async function counters(reg: Registry): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const m of await reg.getMetricsAsJSON())
    for (const v of m.values) out[`${m.name}${v.labels.reason ? `{${v.labels.reason}}` : ''}`] = v.value;
  return out;
}

test('rule output: remote-write body to the store zone; drops counted by reason', async () => {
  let status = 204;
  const bodies: Buffer[] = [];
  const headers: Record<string, string | string[] | undefined>[] = [];
  const srv = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(parts));
      headers.push(req.headers);
      res.writeHead(status).end(status === 204 ? '' : 'out of order sample');
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  try {
    const reg = new Registry();
    let live = [{ zone: 'eu-a', httpUrl: url }];
    const out = new RuleOutput({
      zone: 'eu-a',
      zones: () => live,
      metrics: newRuleOutputMetrics(reg),
      logger: silentLogger(),
    });

    await out.write(samples, 'global:g');
    assert.equal(bodies.length, 1);
    assert.equal(headers[0]!['content-encoding'], 'snappy');
    assert.equal(headers[0]!['content-type'], 'application/x-protobuf');
    const wr = prometheus.WriteRequest.decode(snappy.uncompressSync(bodies[0]!) as Buffer);
    assert.deepEqual(
      wr.timeseries.map((t) => [
        t.labels!.map((l) => `${l.name}=${l.value}`).join(','),
        t.samples!.map((s) => [Number(s.timestamp), s.value]),
      ]),
      [
        ['__name__=fleet:x:sum,job=a', [[1000, 1.5]]],
        ['__name__=fleet:x:sum,job=b', [[1000, 2]]],
      ],
    );
    assert.equal((await counters(reg))['canopy_root_rule_samples_written_total'], 2);

    status = 400;
    await out.write(samples, 'global:g');
    assert.equal(bodies.length, 2, 'a 4xx is not retried');
    status = 503;
    await out.write(samples, 'global:g');
    assert.equal(bodies.length, 5, 'a 5xx is retried twice');
    live = [];
    await out.write(samples, 'global:g');
    assert.equal(bodies.length, 5);
    const c = await counters(reg);
    assert.equal(c['canopy_root_rule_samples_written_total'], 2);
    assert.equal(c['canopy_root_rule_samples_dropped_total{rejected}'], 2);
    assert.equal(c['canopy_root_rule_samples_dropped_total{send_failed}'], 2);
    assert.equal(c['canopy_root_rule_samples_dropped_total{store_zone_down}'], 2);
  } finally {
    srv.close();
  }
});
