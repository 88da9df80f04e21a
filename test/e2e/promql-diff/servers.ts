// A Prometheus 2.42 (remote-write receiver) and a Canopy zone side by side, fed the same
// remote_write requests. Used by the differential test and bench/query-vs-prometheus.bench.ts.
import { writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { freePort, spawnCanopy, spawnProc, waitForHttp, type Proc } from '../harness.ts';

export interface Pair {
  prom: string;
  zone: string;
  procs: Proc[];
  stop(): Promise<void>;
}

/**
 * Starts both under `dir`. The zone runs without --zone/--region so it adds no external labels
 * and its results compare 1:1 with Prometheus'.
 */
export async function startPair(
  prometheusBin: string,
  dir: string,
  extraZoneArgs: string[] = [],
  zoneNodeArgs: string[] = [],
  extraPromArgs: string[] = [],
): Promise<Pair> {
  const procs: Proc[] = [];
  const zp = await freePort();
  const zone = `http://127.0.0.1:${zp}`;
  // Ingest limits off: the query bench loads up to 100k series over hours far above 10k samples/s.
  const zoneCfg = join(dir, 'zone.yml');
  writeFileSync(zoneCfg, 'limits: {ingestionRate: 0, maxSeriesPerTenant: 0}\n');
  procs.push(
    spawnCanopy(
      'zone',
      [
        'zone',
        '--config',
        zoneCfg,
        '--listen',
        `127.0.0.1:${zp}`,
        '--grpc-listen',
        `127.0.0.1:${await freePort()}`,
        '--data-dir',
        join(dir, 'zone'),
        ...extraZoneArgs,
      ],
      zoneNodeArgs,
    ),
  );
  const pp = await freePort();
  const prom = `http://127.0.0.1:${pp}`;
  const cfg = join(dir, 'prometheus.yml');
  writeFileSync(cfg, 'global:\n  scrape_interval: 15s\n');
  procs.push(
    spawnProc('prometheus', prometheusBin, [
      `--config.file=${cfg}`,
      `--storage.tsdb.path=${join(dir, 'prom')}`,
      `--web.listen-address=127.0.0.1:${pp}`,
      '--web.enable-remote-write-receiver',
      '--log.level=warn',
      ...extraPromArgs,
    ]),
  );
  const stop = async (): Promise<void> => {
    for (const p of procs.slice().reverse()) await p.stop();
  };
  const okZone = await waitForHttp(`${zone}/readyz`, 60_000);
  const okProm = await waitForHttp(`${prom}/-/ready`, 60_000);
  if (!okZone || !okProm) {
    await stop();
    throw new Error(
      `cannot start the pair (zone ready ${okZone}, prometheus ready ${okProm}):\n${procs.map((p) => `${p.name}:\n${p.output.slice(-30).join('\n')}`).join('\n')}`,
    );
  }
  return { prom, zone, procs, stop };
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

export function postWrite(base: string, body: Buffer): Promise<{ status: number; text: string }> {
  const url = new URL('/api/v1/write', base);
  return new Promise((res, rej) => {
    const req = httpRequest(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/x-protobuf',
          'content-encoding': 'snappy',
          'x-prometheus-remote-write-version': '0.1.0',
          'content-length': body.length,
        },
      },
      (r) => {
        const parts: Buffer[] = [];
        r.on('data', (c: Buffer) => parts.push(c));
        r.on('end', () => res({ status: r.statusCode ?? 0, text: Buffer.concat(parts).toString() }));
      },
    );
    req.on('error', rej);
    req.end(body);
  });
}

/**
 * Sends every window's requests to both targets, windows in order (Prometheus 2.42 rejects
 * out-of-order samples), up to `concurrency` requests of one window in flight per target.
 * Throws on the first non-2xx answer. Returns the number of requests sent per target.
 */
export async function pushToBoth(pair: Pair, windows: Iterable<Buffer[]>, concurrency = 4): Promise<number> {
  let n = 0;
  for (const bodies of windows) {
    for (let i = 0; i < bodies.length; i += concurrency) {
      const slice = bodies.slice(i, i + concurrency);
      n += slice.length;
      await Promise.all(
        [pair.prom, pair.zone].flatMap((base) =>
          slice.map(async (body) => {
            const r = await postWrite(base, body);
            if (r.status < 200 || r.status > 299)
              throw new Error(`cannot remote-write to ${base}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
          }),
        ),
      );
    }
  }
  return n;
}
