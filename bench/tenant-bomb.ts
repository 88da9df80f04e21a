// A series bomb: `--series` new series of one tenant remote-written to a zone in requests of
// `--batch` series, one request at a time, from its own process (so the sender's encoding
// work never shares an event loop with whoever measures the zone). Prints "ready" once the
// requests are encoded, then one JSON line when sent:
// {"ms": …, "statuses": {"204": n, "429": m}, "firstRefusal": "…"}.
// Used by test/e2e/tenants.test.ts and bench/tenants.bench.ts.
//   node --import tsx bench/tenant-bomb.ts --url http://127.0.0.1:9201 --tenant team-a --series 200000 --batch 5000 [--duration-ms 10000] [--pass-interval-ms 1000]
import { parseArgs } from 'node:util';
import { encodeWriteRequest, type SeriesData } from '../test/e2e/promql-diff/write-request.ts';

const { values: a } = parseArgs({
  options: {
    url: { type: 'string' },
    tenant: { type: 'string', default: 'bomb' },
    series: { type: 'string', default: '200000' },
    batch: { type: 'string', default: '5000' },
    metric: { type: 'string', default: 'bomb' },
    /** Keep re-sending the requests (after one full pass) until this many ms have passed. */
    'duration-ms': { type: 'string', default: '0' },
    /**
     * A pass (all requests) starts at most this often, as a scraper re-sends its series every
     * scrape interval; 0 = back to back (a flood of requests, not only of series).
     */
    'pass-interval-ms': { type: 'string', default: '0' },
  },
});
if (!a.url) throw new Error('--url is required');
const total = Number(a.series),
  batch = Number(a.batch);
const statuses: Record<string, number> = {};
let firstRefusal = '';
// Every request is encoded first (then "ready" is printed), so sending costs the sender
// little CPU while the zone is measured.
const bodies: Buffer[] = [];
const now = Date.now();
for (let from = 0; from < total; from += batch) {
  const series: SeriesData[] = [];
  for (let i = from; i < Math.min(total, from + batch); i++)
    series.push({
      labels: [
        ['__name__', a.metric!],
        ['id', String(i)],
      ],
      tsMs: [now],
      values: [1],
    });
  bodies.push(encodeWriteRequest(series.map((s) => ({ s, from: 0, to: 1 }))));
}
console.log('ready');
const t0 = performance.now();
const durationMs = Number(a['duration-ms']),
  passMs = Number(a['pass-interval-ms']);
let passStart = t0;
for (let k = 0; k < bodies.length || performance.now() - t0 < durationMs; k++) {
  if (k > 0 && k % bodies.length === 0) {
    const wait = passStart + passMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    passStart = performance.now();
  }
  const body = bodies[k % bodies.length]!;
  const r = await fetch(`${a.url}/api/v1/write`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'X-Scope-OrgID': a.tenant!,
    },
    body,
  });
  const text = await r.text();
  statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  if (r.status !== 204 && !firstRefusal) firstRefusal = `${r.status} ${text.slice(0, 300)}`;
}
console.log(JSON.stringify({ ms: Math.round(performance.now() - t0), statuses, firstRefusal }));
