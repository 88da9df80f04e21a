// Abuse suite for the ingest endpoints beside HTTP (issue 13): a zone and a leaf as real
// processes; the leaf listens for StatsD and OTLP/HTTP and ships to the zone over gRPC. Bombs:
// - gRPC Push to the zone: bytes that are not a protobuf Batch, a truncated Batch, a 65 MiB
//   message, 10,000 labels on one series, a 1 MB label value, an invalid or repeated tenant, no
//   batch id, timestamps without values;
// - StatsD to the leaf: garbage lines, a 65,000-byte line, a 64 KB packet of 3,000 valid lines,
//   a cardinality bomb of 20,000 tag values;
// - OTLP/HTTP to the zone and to the leaf: bytes that are not protobuf, broken JSON, a 20 MB
//   body, a gzip bomb, a wrong Content-Type, 100 attributes on a data point.
// Each is answered with a clear error (gRPC status with a reason, HTTP 4xx with an OTLP Status
// body) or a counted drop (`*_dropped_total{reason}` / `*_refused_total{reason}` grow by what was
// refused); a control sample sent with each bomb arrives; both processes stay up; a probe query
// looping against the zone in a worker thread keeps answering (p99 printed with the load).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import {
  credentials,
  makeGenericClientConstructor,
  Metadata,
  status as GrpcStatus,
  type Client,
  type ServiceError,
} from '@grpc/grpc-js';
import { AckStatus, ingestService, pb, type IAck, type IBatch } from '../../proto/index.ts';
import { freePort, spawnCanopy, tempDir, waitFor, waitForHttp, type Proc } from './harness.ts';

const dir = tempDir('abuse-ingest');
const procs: Proc[] = [];
let zoneUrl = '';
let leafUrl = '';
let grpcAddr = '';
let statsdPort = 0;
let leafOtlpUrl = '';

after(async () => {
  for (const p of procs.reverse()) await p.stop();
  dir.remove();
});

function rssMb(p: Proc): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.child.pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Sum of a metric's samples whose label text contains every one of `has`. */
async function metric(base: string, name: string, ...has: string[]): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (has.every((h) => line.includes(h))) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

async function instant(expr: string): Promise<number | undefined> {
  const b = (await (await fetch(`${zoneUrl}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as {
    data?: { result: { value: [number, string] }[] };
  };
  const v = b.data?.result[0]?.value[1];
  return v === undefined ? undefined : Number(v);
}

before(async () => {
  const zp = await freePort();
  const gp = await freePort();
  zoneUrl = `http://127.0.0.1:${zp}`;
  grpcAddr = `127.0.0.1:${gp}`;
  procs.push(
    spawnCanopy('zone', [
      'zone',
      '--listen',
      `127.0.0.1:${zp}`,
      '--grpc-listen',
      grpcAddr,
      '--data-dir',
      join(dir.path, 'zone'),
    ]),
  );
  const lp = await freePort();
  const op = await freePort();
  statsdPort = await freePort();
  leafUrl = `http://127.0.0.1:${lp}`;
  leafOtlpUrl = `http://127.0.0.1:${op}/v1/metrics`;
  procs.push(
    spawnCanopy('leaf', [
      'leaf',
      '--name',
      'abuse',
      '--zone',
      grpcAddr,
      '--listen',
      `127.0.0.1:${lp}`,
      '--statsd-listen',
      `127.0.0.1:${statsdPort}`,
      '--otlp-listen',
      `127.0.0.1:${op}`,
      '--flush-interval',
      '200ms',
      '--series-limit',
      '2000',
      '--data-dir',
      join(dir.path, 'leaf'),
    ]),
  );
  for (const [name, url] of [
    ['zone', zoneUrl],
    ['leaf', leafUrl],
  ] as const)
    assert.ok(
      await waitForHttp(`${url}/readyz`, 30_000),
      `${name} did not become ready: ${procs.map((p) => p.output.slice(-5).join('\n')).join('\n')}`,
    );
  const now = Date.now();
  const r = await fetch(`${zoneUrl}/api/v1/push`, {
    method: 'POST',
    body: JSON.stringify([
      { metric: 'probe_up', tags: { job: 'probe' }, timestamp: Math.floor(now / 1000), value: 1 },
    ]),
  });
  assert.equal(r.status, 204, await r.text());
});

// ---- probe ----------------------------------------------------------------------------------

const PROBE_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
let stop = false;
parentPort.on('message', () => (stop = true));
(async () => {
  while (!stop) {
    const t0 = performance.now();
    try {
      const r = await fetch(workerData.zone + '/api/v1/query?query=probe_up');
      const b = await r.json();
      parentPort.postMessage({ ms: performance.now() - t0, ok: r.status === 200 && b.data && b.data.result.length === 1 });
    } catch (e) {
      parentPort.postMessage({ ms: 0, ok: false, text: String(e) });
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  process.exit(0);
})();
`;

let probe: { worker: Worker; ms: number[]; errors: number } | undefined;
function startProbe(): void {
  const worker = new Worker(PROBE_WORKER, { eval: true, workerData: { zone: zoneUrl } });
  const p = { worker, ms: [] as number[], errors: 0 };
  worker.on('message', (m: { ms: number; ok: boolean }) => (m.ok ? p.ms.push(m.ms) : p.errors++));
  probe = p;
}
async function stopProbe(): Promise<{ p99: number; n: number; errors: number }> {
  const p = probe!;
  p.worker.postMessage('stop');
  await new Promise((r) => p.worker.once('exit', r));
  const s = [...p.ms].sort((a, b) => a - b);
  return {
    p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] ?? NaN,
    n: s.length,
    errors: p.errors,
  };
}

// ---- gRPC -----------------------------------------------------------------------------------

type RawClient = Client & {
  push(
    b: Buffer | IBatch,
    md: Metadata,
    opts: { deadline: number },
    cb: (err: ServiceError | null, ack?: IAck) => void,
  ): void;
};
/** A client that sends its argument's bytes as they are (Buffer) or encodes a Batch. */
const RawCtor = makeGenericClientConstructor(
  {
    push: {
      ...ingestService.push!,
      requestSerialize: (b: Buffer | IBatch) =>
        Buffer.isBuffer(b) ? b : Buffer.from(pb.Batch.encode(b).finish()),
    },
  },
  'Ingest',
);

function push(
  c: RawClient,
  body: Buffer | IBatch,
  tenant?: string | string[],
): Promise<{ err?: ServiceError; ack?: IAck; ms: number }> {
  const md = new Metadata();
  for (const t of typeof tenant === 'string' ? [tenant] : (tenant ?? [])) md.add('x-scope-orgid', t);
  const t0 = performance.now();
  return new Promise((resolve) =>
    c.push(body, md, { deadline: Date.now() + 15_000 }, (err, ack) =>
      resolve({ err: err ?? undefined, ack, ms: performance.now() - t0 }),
    ),
  );
}

const control = (name: string, id: string): NonNullable<IBatch['series']>[number] => ({
  labels: [
    { name: '__name__', value: name },
    { name: 'id', value: id },
  ],
  timestampsMs: [Date.now()],
  values: [1],
});

const figures: string[] = [];

test('gRPC Push: malformed, truncated, oversized, huge label sets, bad tenants are refused with a reason and counted; valid series beside them land', async () => {
  startProbe();
  const c = new RawCtor(grpcAddr, credentials.createInsecure()) as unknown as RawClient;
  try {
    const refused = (reason: string) =>
      metric(zoneUrl, 'canopy_zone_grpc_requests_refused_total', `reason="${reason}"`);
    const dropped = (reason: string) =>
      metric(zoneUrl, 'canopy_zone_samples_dropped_total', `reason="${reason}"`);
    const before = {
      malformed: await refused('malformed'),
      tenant: await refused('invalid_tenant'),
      noId: await refused('no_batch_id'),
      labels: await dropped('max_label_names_per_series'),
      value: await dropped('label_value_too_long'),
    };

    // Not a protobuf at all (a field tag with wire type 7), and a valid Batch cut in half.
    let r = await push(c, Buffer.from([0x0f, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02]));
    assert.equal(r.err?.code, GrpcStatus.INVALID_ARGUMENT, String(r.err?.message));
    assert.match(r.err!.details, /^cannot decode canopy\.v1\.Batch \(8 bytes\): /);
    const whole = Buffer.from(
      pb.Batch.encode({
        batchId: 'cut',
        series: Array.from({ length: 50 }, (_, i) => control('cut', String(i))),
      }).finish(),
    );
    r = await push(c, whole.subarray(0, Math.floor(whole.length / 2)));
    assert.equal(r.err?.code, GrpcStatus.INVALID_ARGUMENT);
    assert.match(r.err!.details, /cannot decode canopy\.v1\.Batch/);
    assert.equal(await refused('malformed'), before.malformed + 2);

    // 65 MiB: over the zone's 64 MiB message cap, refused by grpc-js before it is decoded.
    r = await push(c, Buffer.alloc(65 << 20, 0x0a));
    assert.equal(r.err?.code, GrpcStatus.RESOURCE_EXHAUSTED, String(r.err?.message));
    assert.match(r.err!.details, /larger than max/);
    figures.push(`gRPC 65 MiB message: RESOURCE_EXHAUSTED in ${r.ms.toFixed(0)} ms`);

    // Huge label sets: partial acceptance, the valid series lands.
    const many = [
      { name: '__name__', value: 'huge_labels' },
      ...Array.from({ length: 10_000 }, (_, i) => ({ name: `l${String(i).padStart(5, '0')}`, value: 'v' })),
    ];
    r = await push(c, {
      batchId: 'labels-1',
      series: [
        control('grpc_control', 'labels'),
        { labels: many, timestampsMs: [Date.now()], values: [1] },
        {
          labels: [
            { name: '__name__', value: 'huge_value' },
            { name: 'v', value: 'x'.repeat(1 << 20) },
          ],
          timestampsMs: [Date.now(), Date.now() + 1],
          values: [1, 2],
        },
      ],
    });
    assert.equal(r.err, undefined, String(r.err?.message));
    assert.equal(r.ack?.status, AckStatus.PARTIAL);
    assert.equal(r.ack?.accepted, 1);
    assert.equal(r.ack?.rejected, 3);
    assert.deepEqual(Object.fromEntries((r.ack?.rejections ?? []).map((x) => [x.reason, x.count])), {
      max_label_names_per_series: 1,
      label_value_too_long: 2,
    });
    assert.match(r.ack!.message!, /labels/);
    figures.push(`gRPC 10,000 labels + 1 MB value: PARTIAL in ${r.ms.toFixed(0)} ms`);
    assert.equal(await dropped('max_label_names_per_series'), before.labels + 1);
    assert.equal(await dropped('label_value_too_long'), before.value + 2);

    // Tenants and batch ids.
    for (const bad of ['a/b', '..', 'x'.repeat(151), ['t1', 't2']]) {
      r = await push(
        c,
        { batchId: `tenant-${String(bad).length}`, series: [control('grpc_stolen', 'x')] },
        bad,
      );
      assert.equal(r.err?.code, GrpcStatus.INVALID_ARGUMENT, String(bad));
      assert.match(r.err!.details, /^x-scope-orgid: /);
    }
    assert.equal(await refused('invalid_tenant'), before.tenant + 4);
    r = await push(c, { series: [control('grpc_stolen', 'x')] });
    assert.equal(r.err?.code, GrpcStatus.INVALID_ARGUMENT);
    assert.equal(await refused('no_batch_id'), before.noId + 1);
    r = await push(c, {
      batchId: 'mismatch',
      series: [
        { labels: [{ name: '__name__', value: 'grpc_stolen' }], timestampsMs: [1, 2, 3], values: [1] },
      ],
    });
    assert.equal(r.ack?.status, AckStatus.REJECTED);
    assert.match(r.ack!.message!, /3 timestamps but 1 values/);

    // Still serving: a plain batch is acknowledged and everything valid is queryable.
    r = await push(c, { batchId: 'after', series: [control('grpc_control', 'after')] });
    assert.equal(r.ack?.status, AckStatus.OK);
    assert.equal(
      await waitFor('grpc_control', async () => (await instant('count(grpc_control)')) === 2 || undefined),
      true,
    );
    assert.equal(await instant('count({__name__=~"grpc_stolen|huge_labels|huge_value|cut"})'), undefined);
  } finally {
    c.close();
  }
});

// ---- OTLP/HTTP (before the StatsD bomb fills the leaf's series limit) ------------------------------------------------------------------------------

function gauge(name: string, attrs: number, value = 1): string {
  const attributes = Array.from({ length: attrs }, (_, i) => ({ key: `a${i}`, value: { stringValue: 'v' } }));
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'abuse' } }] },
        scopeMetrics: [
          {
            metrics: [
              {
                name,
                gauge: {
                  dataPoints: [
                    { timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), asDouble: value, attributes },
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  });
}

test('OTLP/HTTP at the zone and the leaf: bad protobuf, bad JSON, a 20 MB body, a gzip bomb, a wrong type, 100 attributes get 4xx or counted partial success', async () => {
  const gzBomb = gzipSync(Buffer.alloc(200 << 20));
  const huge = Buffer.alloc(20 << 20, 0x0a);
  for (const [where, url, base] of [
    ['zone', `${zoneUrl}/api/v1/otlp/v1/metrics`, zoneUrl],
    ['leaf', leafOtlpUrl, leafUrl],
  ] as const) {
    const post = async (
      body: string | Uint8Array,
      headers: Record<string, string>,
    ): Promise<{ status: number; text: string; ms: number }> => {
      const t0 = performance.now();
      const r = await fetch(url, { method: 'POST', headers, body });
      return { status: r.status, text: await r.text(), ms: performance.now() - t0 };
    };
    const cases: [string, () => Promise<{ status: number; text: string; ms: number }>, number, RegExp][] = [
      [
        'not protobuf',
        () =>
          post(new Uint8Array([0x0f, 0xff, 0xff, 0xff, 0x01]), { 'content-type': 'application/x-protobuf' }),
        400,
        /./,
      ],
      [
        'broken JSON',
        () => post('{"resourceMetrics": [', { 'content-type': 'application/json' }),
        400,
        /cannot parse JSON body/,
      ],
      [
        'JSON of the wrong shape',
        () => post('{"resourceMetrics": 3}', { 'content-type': 'application/json' }),
        400,
        /./,
      ],
      ['20 MB body', () => post(huge, { 'content-type': 'application/x-protobuf' }), 413, /./],
      [
        `gzip bomb (${(gzBomb.length / 1024).toFixed(0)} KB → 200 MB)`,
        () => post(gzBomb, { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }),
        413,
        /exceeds/,
      ],
      [
        'not gzip',
        () => post('abc', { 'content-type': 'application/json', 'content-encoding': 'gzip' }),
        400,
        /gunzip/,
      ],
      [
        'wrong Content-Type',
        () => post('x', { 'content-type': 'text/plain' }),
        415,
        /unsupported Content-Type/,
      ],
    ];
    for (const [name, send, status, re] of cases) {
      const r = await send();
      assert.equal(r.status, status, `${where} ${name}: ${r.text.slice(0, 200)}`);
      assert.match(r.text, re, `${where} ${name}`);
      assert.ok(r.ms < 5000, `${where} ${name} took ${r.ms.toFixed(0)} ms`);
      figures.push(`OTLP ${where} ${name}: ${r.status} in ${r.ms.toFixed(0)} ms`);
    }
    // 100 attributes: over 30 labels per series, dropped and counted, the request answered 200.
    const dropBefore = await metric(
      zoneUrl,
      'canopy_zone_samples_dropped_total',
      'reason="max_label_names_per_series"',
    );
    const r = await post(gauge('otlp_wide', 100), { 'content-type': 'application/json' });
    assert.equal(r.status, 200, r.text);
    if (where === 'zone') {
      assert.match(r.text, /"rejectedDataPoints":"1"/);
      assert.equal(
        await metric(zoneUrl, 'canopy_zone_samples_dropped_total', 'reason="max_label_names_per_series"'),
        dropBefore + 1,
      );
    } else {
      // The leaf accepts and ships; the zone refuses the series and the leaf counts the ack's reason.
      await waitFor(
        "leaf counts the zone's refusal",
        async () =>
          (await metric(
            leafUrl,
            'canopy_leaf_samples_dropped_total',
            'reason="max_label_names_per_series"',
          )) >= 1,
      );
    }
    const ok = await post(gauge(`otlp_control_${where}`, 2, 7), { 'content-type': 'application/json' });
    assert.equal(ok.status, 200, ok.text);
    await waitFor(
      `otlp control via ${where}`,
      async () => (await instant(`otlp_control_${where}`)) === 7 || undefined,
      30_000,
    );
    assert.ok(
      (await metric(
        base,
        where === 'zone' ? 'canopy_zone_ingest_requests_total' : 'canopy_leaf_otlp_requests_total',
        'code="400"',
      )) >= 3,
    );
  }
});

// ---- StatsD ---------------------------------------------------------------------------------

async function udp(packets: string[]): Promise<void> {
  const s = createSocket('udp4');
  try {
    for (let i = 0; i < packets.length; i++) {
      await new Promise<void>((resolve, reject) =>
        s.send(packets[i]!, statsdPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
      );
      // Paced so the kernel buffer never overflows: every line must reach the leaf.
      if (i % 20 === 19) await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    s.close();
  }
}

test('StatsD: garbage lines, a 65,000-byte line, a 64 KB packet and a 20,000-series bomb are counted by reason; the control counter arrives; RSS bounded', async () => {
  const leaf = procs.find((p) => p.name === 'leaf')!;
  const rss0 = rssMb(leaf);
  const lines0 = await metric(leafUrl, 'canopy_leaf_statsd_lines_total');
  const dropped = (...has: string[]) => metric(leafUrl, 'canopy_leaf_statsd_dropped_total', ...has);
  const drop0 = await dropped();
  const garbage = [
    'no_colon_here',
    'name:|c',
    'name:abc|c',
    'name:1|zz',
    'name:1|c|@x',
    '_e{5,4}:title|text',
    '_sc|svc|0',
    ':1|c',
    '\u0000\u00ff:1|q',
    '|||',
    'a:1|c|#' + ','.repeat(10),
  ];
  await udp([garbage.join('\n'), 'x'.repeat(65_000)]);
  // Every garbage line but the last (a valid counter with empty tags) is a drop, the long line one more.
  await waitFor('garbage counted', async () => (await dropped()) >= drop0 + garbage.length - 1 + 1);
  assert.equal(await dropped(), drop0 + garbage.length - 1 + 1);
  for (const reason of [
    'invalid_line',
    'invalid_value',
    'invalid_type',
    'invalid_sample_rate',
    'unsupported',
  ])
    assert.ok((await dropped(`reason="${reason}"`)) > 0, reason);
  // A 64 KB packet (the UDP maximum is 65,507 bytes) of 3,000 valid counter lines.
  const big = Array.from({ length: 3000 }, () => 'statsd.big:1|c').join('\n');
  assert.ok(big.length < 65_000);
  await udp([big, 'statsd.control:5|c']);
  // Cardinality bomb: 20,000 tag values of one gauge, 50 lines per packet. The leaf's series
  // limit (2,000 here) refuses the rest, counted.
  const bomb: string[] = [];
  for (let p = 0; p < 400; p++)
    bomb.push(Array.from({ length: 50 }, (_, i) => `statsd.bomb:1|g|#id:${p * 50 + i}`).join('\n'));
  const t0 = performance.now();
  await udp(bomb);
  const sentMs = performance.now() - t0;
  // canopy_leaf_statsd_lines_total counts the lines that parsed (the series limit refuses some later).
  const expectLines = lines0 + 1 + 3000 + 1 + 20_000;
  await waitFor(
    'every line parsed',
    async () => (await metric(leafUrl, 'canopy_leaf_statsd_lines_total')) >= expectLines,
    30_000,
  );
  assert.equal(await metric(leafUrl, 'canopy_leaf_statsd_lines_total'), expectLines);
  const limited = (await dropped('reason="series_limit"')) + (await dropped('reason="too_many_series"'));
  assert.ok(limited >= 17_000 && limited <= 20_000, `series refused: ${limited}`);
  await waitFor(
    'statsd control at the zone',
    async () => (await instant('statsd_control_total')) === 5 || undefined,
    30_000,
  );
  await waitFor(
    'statsd big packet at the zone',
    async () => (await instant('statsd_big_total')) === 3000 || undefined,
    30_000,
  );
  const admitted = await instant('count(statsd_bomb)');
  assert.ok(admitted !== undefined && admitted <= 2000, `bomb series at the zone: ${admitted}`);
  const rss1 = rssMb(leaf);
  figures.push(
    `StatsD: 20,000-series bomb sent in ${sentMs.toFixed(0)} ms, ${limited} refused by the series limit, ${admitted} admitted; leaf RSS ${rss0.toFixed(0)} → ${rss1.toFixed(0)} MB`,
  );
  assert.ok(rss1 < 400, `leaf RSS ${rss1.toFixed(0)} MB`);
});

test('both processes are still up and the probe answered throughout', async () => {
  const { p99, n, errors } = await stopProbe();
  for (const p of procs)
    assert.equal(p.child.exitCode, null, `${p.name} exited: ${p.output.slice(-10).join('\n')}`);
  for (const url of [zoneUrl, leafUrl]) assert.equal((await fetch(`${url}/readyz`)).status, 200);
  const load = loadavg()[0]! / cpus().length;
  process.stdout.write(
    `# ${figures.join('\n# ')}\n# probe at the zone over all bombs: p99 ${p99.toFixed(1)} ms (${n} queries, ${errors} errors; load ${load.toFixed(1)} per core)\n`,
  );
  assert.equal(errors, 0);
  assert.ok(n > 50, `probe answered ${n} times`);
  assert.ok(
    p99 < 100 * Math.max(1, load) * 2,
    `probe p99 ${p99.toFixed(1)} ms at load ${load.toFixed(1)} per core`,
  );
});
