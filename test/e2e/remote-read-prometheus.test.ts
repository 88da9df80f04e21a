// Remote read against a real Prometheus 2.42: two zones and a root over NATS; one Prometheus
// with an empty TSDB and `remote_read` to zone z1, another to the root. Their /api/v1/query and
// query_range answers must equal Canopy's own. Prometheus 2.42's client asks for SAMPLES only
// (it sends no accepted_response_types), so STREAMED_XOR_CHUNKS is checked with a direct
// protobuf client whose chunks are decoded by the zone's XOR reader, against the SAMPLES answer
// and the zone's own range-vector query.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import snappy from 'snappy';
import { findOnPath } from '../../topology/path.ts';
import {
  freePort,
  getJson,
  spawnCanopy,
  spawnProc,
  startNats,
  tempDir,
  waitFor,
  waitForHttp,
  type Proc,
} from './harness.ts';
import { encodeReadRequest, readFrames, ResponseType } from '../../shared/remote-read/index.ts';
import { Matcher } from '../../shared/matchers.ts';
import { prometheus as pb } from '../../proto/prometheus/gen/prometheus.js';
import { XorCursor } from '../../zone/tsdb/chunk/index.ts';
import { ValueKind } from '../../shared/storage.ts';

const prometheus = findOnPath('prometheus');
const procs: Proc[] = [];
let dir: ReturnType<typeof tempDir>;
let root = '';
const zones: Record<string, string> = {};
const proms: Record<'zone' | 'root', string> = { zone: '', root: '' };
// The data: now-20m … now in 5 s steps (241 samples: three XOR chunks per series).
const END_S = Math.floor(Date.now() / 1000 / 5) * 5 - 10;
const START_S = END_S - 1200;

before(async () => {
  dir = tempDir('rr');
  const nats = await startNats();
  procs.push(nats.proc);
  const rp = await freePort();
  root = `http://127.0.0.1:${rp}`;
  procs.push(
    spawnCanopy('root', ['root', '--listen', `127.0.0.1:${rp}`, '--nats', nats.url, '--zone-timeout', '5s']),
  );
  for (const [zone, region] of [
    ['z1', 'eu'],
    ['z2', 'us'],
  ] as const) {
    const hp = await freePort();
    zones[zone] = `http://127.0.0.1:${hp}`;
    procs.push(
      spawnCanopy(`zone-${zone}`, [
        'zone',
        '--zone',
        zone,
        '--region',
        region,
        '--listen',
        `127.0.0.1:${hp}`,
        '--grpc-listen',
        `127.0.0.1:${await freePort()}`,
        '--data-dir',
        join(dir.path, zone),
        '--nats',
        nats.url,
      ]),
    );
  }
  for (const u of [root, ...Object.values(zones)])
    assert.ok(await waitForHttp(`${u}/readyz`, 30_000), procs.map((p) => p.output.join('\n')).join('\n'));
  for (const [zone, url] of Object.entries(zones)) {
    const items = [];
    for (let t = START_S, i = 0; t <= END_S; t += 5, i++) {
      for (const path of ['/a', '/b'])
        items.push({
          metric: 'rr_requests_total',
          tags: { path, job: 'web' },
          timestamp: t,
          value: i * (path === '/a' ? 3 : 7) + (zone === 'z2' ? 1000 : 0),
        });
      items.push({
        metric: 'rr_temperature',
        tags: { job: 'web' },
        timestamp: t,
        value: Math.sin(i / 7) * 12.345 + (zone === 'z1' ? 0.1 : 0.2),
      });
    }
    const r = await fetch(`${url}/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(items),
    });
    assert.equal(r.status, 204, await r.text());
  }
  await waitFor('both zones at the root', async () => {
    const { body } = await getJson(`${root}/api/v1/query?query=count(rr_temperature)&time=${END_S}`);
    return body.data?.result?.[0]?.value?.[1] === '2';
  });
  if (!prometheus) return;
  for (const [name, target] of [
    ['zone', zones.z1!],
    ['root', root],
  ] as const) {
    const pp = await freePort();
    proms[name] = `http://127.0.0.1:${pp}`;
    const cfg = join(dir.path, `prometheus-${name}.yml`);
    writeFileSync(cfg, `remote_read:\n  - url: ${target}/api/v1/read\n    read_recent: true\n`);
    const p = spawnProc(`prometheus-${name}`, prometheus, [
      `--config.file=${cfg}`,
      `--storage.tsdb.path=${join(dir.path, `prom-${name}`)}`,
      `--web.listen-address=127.0.0.1:${pp}`,
    ]);
    procs.push(p);
    assert.ok(await waitForHttp(`${proms[name]}/-/ready`, 30_000), p.output.join('\n'));
  }
});

after(async () => {
  for (const p of procs.reverse()) await p.stop();
  dir?.remove();
});

/** A query's result as sorted [labels, values] pairs, for comparison. */
async function answer(base: string, path: string, params: Record<string, string>): Promise<unknown> {
  const { status, body } = await getJson(`${base}${path}?${new URLSearchParams(params)}`);
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.status, 'success', JSON.stringify(body));
  assert.deepEqual(body.warnings ?? [], [], `${base}: ${JSON.stringify(body.warnings)}`);
  return (body.data.result as any[])
    .map((r) => [JSON.stringify(r.metric), r.value ?? r.values])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Values to 9 significant digits, for comparing with 1e-9 relative tolerance. */
function rounded(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(rounded);
  return typeof v === 'string' && /^-?[\d.e+-]+$/.test(v) && !v.startsWith('{')
    ? Number(Number(v).toPrecision(9))
    : v;
}

const CASES: [string, Record<string, string>][] = [
  ['/api/v1/query', { query: 'rr_requests_total', time: String(END_S) }],
  ['/api/v1/query', { query: 'rr_temperature', time: String(END_S - 333) }],
  ['/api/v1/query', { query: 'sum by (zone, path) (rate(rr_requests_total[1m]))', time: String(END_S - 60) }],
  ['/api/v1/query', { query: 'rr_requests_total{path=~"/a|/c", zone!="nowhere"}[1m]', time: String(END_S) }],
  [
    '/api/v1/query_range',
    { query: 'rr_temperature', start: String(START_S - 60), end: String(END_S + 60), step: '30' },
  ],
  [
    '/api/v1/query_range',
    {
      query: 'max by (zone) (rate(rr_requests_total{path!~"/b"}[2m]))',
      start: String(START_S),
      end: String(END_S),
      step: '45',
    },
  ],
];

for (const target of ['zone', 'root'] as const) {
  test(
    `Prometheus 2.42 remote_read from the ${target} answers as Canopy does`,
    { skip: prometheus ? false : 'prometheus is not installed' },
    async () => {
      const canopy = target === 'zone' ? zones.z1! : root;
      for (const [path, params] of CASES) {
        const want = await answer(canopy, path, params);
        assert.ok((want as unknown[]).length > 0, `${params.query}: Canopy has data`);
        const got = await answer(proms[target], path, params);
        // The root's pushdown answer may differ from a single server's in the last bits (the
        // differential tests allow 1e-9 relative): compare the root's values that way, the zone's exactly.
        assert.deepEqual(
          target === 'root' ? rounded(got) : got,
          target === 'root' ? rounded(want) : want,
          `${path} ${params.query}`,
        );
      }
      // The root's answer holds both zones' series, the zone's only its own.
      const zonesSeen = new Set(
        (
          (await answer(proms[target], '/api/v1/query', {
            query: 'rr_temperature',
            time: String(END_S),
          })) as [string][]
        ).map(([m]) => JSON.parse(m).zone),
      );
      assert.deepEqual([...zonesSeen].sort(), target === 'zone' ? ['z1'] : ['z1', 'z2']);
    },
  );
}

async function read(
  base: string,
  type: ResponseType,
  matchers: Matcher[],
  startMs: number,
  endMs: number,
): Promise<Response> {
  return fetch(`${base}/api/v1/read`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
    body: encodeReadRequest([{ startMs, endMs, matchers }], [type]),
  });
}

type Flat = Record<string, [number, number][]>;

async function readSamples(base: string, matchers: Matcher[], startMs: number, endMs: number): Promise<Flat> {
  const r = await read(base, ResponseType.Samples, matchers, startMs, endMs);
  assert.equal(r.status, 200, await r.clone().text());
  assert.equal(r.headers.get('content-encoding'), 'snappy');
  const resp = pb.ReadResponse.decode(snappy.uncompressSync(Buffer.from(await r.arrayBuffer())) as Buffer);
  const out: Flat = {};
  for (const ts of resp.results[0]!.timeseries!)
    out[JSON.stringify(ts.labels!.map((l) => [l.name, l.value]))] = ts.samples!.map((s) => [
      Number(s.timestamp),
      s.value ?? NaN,
    ]);
  return out;
}

async function readChunks(
  base: string,
  matchers: Matcher[],
  startMs: number,
  endMs: number,
): Promise<{ flat: Flat; chunkSizes: number[] }> {
  const r = await read(base, ResponseType.StreamedXorChunks, matchers, startMs, endMs);
  assert.equal(r.status, 200, await r.clone().text());
  assert.equal(
    r.headers.get('content-type'),
    'application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse',
  );
  const out: Flat = {};
  const chunkSizes: number[] = [];
  for (const frame of readFrames(new Uint8Array(await r.arrayBuffer()))) {
    const m = pb.ChunkedReadResponse.decode(frame);
    assert.equal(Number(m.queryIndex), 0);
    for (const cs of m.chunkedSeries) {
      const key = JSON.stringify(cs.labels!.map((l) => [l.name, l.value]));
      const pts = (out[key] ??= []);
      for (const c of cs.chunks!) {
        assert.equal(c.type, pb.Chunk.Encoding.XOR);
        const cur = new XorCursor(c.data!);
        let n = 0;
        while (cur.next() !== ValueKind.None) {
          pts.push([cur.atT(), cur.atF()]);
          n++;
        }
        assert.equal(cur.err(), null);
        assert.equal(Number(c.minTimeMs), pts[pts.length - n]![0]);
        assert.equal(Number(c.maxTimeMs), pts[pts.length - 1]![0]);
        chunkSizes.push(n);
      }
    }
  }
  return { flat: out, chunkSizes };
}

test("remote read SAMPLES and STREAMED_XOR_CHUNKS from zone and root agree with the zone's own range query", async () => {
  const ms = [new Matcher('=', '__name__', 'rr_requests_total'), new Matcher('=~', 'path', '/a|/b')];
  const startMs = START_S * 1000 - 1,
    endMs = END_S * 1000;
  // The zone's own answer: the raw samples of a range-vector selector covering the same span.
  const { body } = await getJson(
    `${zones.z1}/api/v1/query?${new URLSearchParams({ query: 'rr_requests_total{path=~"/a|/b"}[1201s]', time: String(END_S) })}`,
  );
  const want: Flat = {};
  for (const r of body.data.result) {
    const labels = Object.entries(r.metric as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : 1));
    want[JSON.stringify(labels)] = (r.values as [number, string][]).map(([t, v]) => [
      Math.round(t * 1000),
      Number(v),
    ]);
  }
  assert.equal(Object.keys(want).length, 2);
  assert.equal(Object.values(want)[0]!.length, 241);
  assert.deepEqual(await readSamples(zones.z1!, ms, startMs, endMs), want);
  const z = await readChunks(zones.z1!, ms, startMs, endMs);
  assert.deepEqual(z.flat, want);
  assert.deepEqual(z.chunkSizes, [120, 120, 1, 120, 120, 1]);
  // The root: both zones' series; zone z2 pruned by its external label when asked for z1 only.
  const all = await readSamples(root, ms, startMs, endMs);
  assert.equal(Object.keys(all).length, 4);
  assert.deepEqual((await readChunks(root, ms, startMs, endMs)).flat, all);
  const onlyZ1 = await readSamples(root, [...ms, new Matcher('=', 'zone', 'z1')], startMs, endMs);
  assert.deepEqual(onlyZ1, want);
});

test('remote read rejects a bad body and unknown response types with 400 plain text', async () => {
  const bad = await fetch(`${zones.z1}/api/v1/read`, { method: 'POST', body: 'not snappy' });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /^cannot decode remote-read request: snappy/);
  const body = snappy.compressSync(
    Buffer.from(
      pb.ReadRequest.encode({
        queries: [],
        acceptedResponseTypes: [7 as pb.ReadRequest.ResponseType],
      }).finish(),
    ),
  );
  const r = await fetch(`${root}/api/v1/read`, { method: 'POST', body });
  assert.equal(r.status, 400);
  assert.match(await r.text(), /server does not support any of the requested response types: \[7\]/);
});

test(
  "/federate on zone and root: text exposition that Prometheus 2.42 scrapes (honor_labels) into Canopy's own answer",
  { skip: prometheus ? false : 'prometheus is not installed' },
  async () => {
    const match = new URLSearchParams([
      ['match[]', 'rr_temperature'],
      ['match[]', '{__name__="rr_requests_total",path="/a"}'],
    ]);
    const text = await (await fetch(`${zones.z2}/federate?${match}`)).text();
    assert.match(
      text,
      /^# TYPE rr_requests_total untyped\nrr_requests_total\{job="web",path="\/a",instance="",region="us",zone="z2"\} 1720 \d+\n# TYPE rr_temperature untyped\n/,
    );
    const bad = await fetch(`${root}/federate?match[]=up{`);
    assert.equal(bad.status, 400);
    assert.equal(await bad.text(), '1:4: parse error: unexpected end of input inside braces\n');
    assert.equal(await (await fetch(`${root}/federate`)).text(), '');

    const pp = await freePort();
    const fed = `http://127.0.0.1:${pp}`;
    const cfg = join(dir.path, 'prometheus-federate.yml');
    const job = (name: string, url: string, via: string): string =>
      `  - job_name: ${name}\n    honor_labels: true\n    metrics_path: /federate\n    params:\n      'match[]': ['rr_temperature', '{__name__="rr_requests_total",path="/a"}']\n    static_configs:\n      - targets: ['${new URL(url).host}']\n        labels: {via: ${via}}\n`;
    writeFileSync(
      cfg,
      `global:\n  scrape_interval: 1s\nscrape_configs:\n${job('zone', zones.z2!, 'zone')}${job('root', root, 'root')}`,
    );
    const p = spawnProc('prometheus-federate', prometheus!, [
      `--config.file=${cfg}`,
      `--storage.tsdb.path=${join(dir.path, 'prom-federate')}`,
      `--web.listen-address=127.0.0.1:${pp}`,
    ]);
    procs.push(p);
    assert.ok(await waitForHttp(`${fed}/-/ready`, 30_000), p.output.join('\n'));
    // One series per zone: the zone has its own, the root both zones'.
    for (const [via, canopy, n] of [
      ['zone', zones.z2!, 1],
      ['root', root, 2],
    ] as const) {
      for (const q of ['rr_temperature', 'rr_requests_total']) {
        const got = await waitFor(`${q} federated from the ${via}`, async () => {
          const { body } = await getJson(
            `${fed}/api/v1/query?${new URLSearchParams({ query: `${q}{via="${via}"}`, time: String(END_S) })}`,
          );
          return body.data?.result?.length === n ? body.data.result : undefined;
        });
        const { body } = await getJson(
          `${canopy}/api/v1/query?${new URLSearchParams({ query: q === 'rr_temperature' ? q : `${q}{path="/a"}`, time: String(END_S) })}`,
        );
        const norm = (rs: any[]): string[] =>
          rs
            .map((r) =>
              JSON.stringify([
                Object.entries(r.metric)
                  .filter(([k]) => k !== 'via')
                  .sort(),
                r.value,
              ]),
            )
            .sort();
        assert.deepEqual(norm(got), norm(body.data.result), `${q} via ${via}`);
      }
    }
  },
);

test(
  "Grafana's endpoints answer as Prometheus 2.42 does (buildinfo, metadata, query_exemplars, format_query)",
  { skip: prometheus ? false : 'prometheus is not installed' },
  async () => {
    const queries = [
      'sum(rate(x[5m]))by(job)',
      'a + on(b) group_left(c) d',
      'rate(x{a="b",c=~"d.*"}[5m] offset 1h)',
      'histogram_quantile(0.9, sum by (le) (rate(h_bucket[5m])))',
      'topk(3, x) > bool 2',
      '-x ^ 2',
      'x @ 100',
      'max_over_time(x[1h:5m])',
      '"str"',
      '1e3',
      'x unless ignoring(a) y',
      'count_values("v", x)',
      '(a or b) and c',
      'sum without(a)(x)',
    ];
    const requests: string[] = [
      ...queries.map((q) => `/api/v1/format_query?${new URLSearchParams({ query: q })}`),
      '/api/v1/format_query',
      '/api/v1/format_query?query=sum(',
      '/api/v1/query_exemplars?query=up',
      '/api/v1/query_exemplars',
      '/api/v1/query_exemplars?query=up{',
      '/api/v1/query_exemplars?query=up&start=abc',
      '/api/v1/query_exemplars?query=up&start=10&end=5',
      '/api/v1/metadata',
      '/api/v1/metadata?metric=nope',
      '/api/v1/metadata?limit=0',
      '/api/v1/metadata?limit=-1',
      '/api/v1/metadata?limit=1.5',
      '/api/v1/metadata?limit=abc',
      '/api/v1/series?match[]=up&start=abc',
      '/api/v1/labels?end=abc',
    ];
    for (const canopy of [zones.z1!, root]) {
      for (const path of requests) {
        const [p, c] = await Promise.all([getJson(`${proms.zone}${path}`), getJson(`${canopy}${path}`)]);
        assert.deepEqual(
          { status: c.status, body: c.body },
          { status: p.status, body: p.body },
          `${canopy}${path}`,
        );
      }
      const post = await fetch(`${canopy}/api/v1/format_query`, {
        method: 'POST',
        body: new URLSearchParams({ query: 'sum(x)by(y)' }),
      });
      assert.deepEqual(await post.json(), { status: 'success', data: 'sum by (y) (x)' });
      const [p, c] = await Promise.all([
        getJson(`${proms.zone}/api/v1/status/buildinfo`),
        getJson(`${canopy}/api/v1/status/buildinfo`),
      ]);
      assert.deepEqual(Object.keys(c.body.data).sort(), Object.keys(p.body.data).sort());
      assert.equal(c.body.status, 'success');
    }
  },
);

// Last: it stops zone z2.
test("with a zone down, the root's remote read and /federate fail naming it instead of answering without it", async () => {
  const z2 = procs.find((p) => p.name === 'zone-z2');
  assert.ok(z2, 'zone z2 process');
  await z2.stop();
  const ms = [new Matcher('=', '__name__', 'rr_temperature')];
  const r = await waitFor(
    'the root to notice',
    async () => {
      const res = await read(root, ResponseType.Samples, ms, START_S * 1000, END_S * 1000);
      return res.status === 200 ? undefined : res;
    },
    60_000,
    500,
  );
  assert.equal(r.status, 500);
  assert.match(await r.text(), /zone z2/);
  const f = await fetch(`${root}/federate?match[]=rr_temperature`);
  assert.equal(f.status, 500);
  assert.match(await f.text(), /zone z2/);
  // Asking only for z1's series skips z2 by its external label and succeeds.
  assert.equal(
    Object.keys(
      await readSamples(root, [...ms, new Matcher('=', 'zone', 'z1')], START_S * 1000, END_S * 1000),
    ).length,
    1,
  );
});
