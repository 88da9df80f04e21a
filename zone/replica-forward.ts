// ReplicaForwarder: a replica of an HA zone (--replica) passes every HTTP write it acknowledged
// (remote_write, JSON push) on to its peer replicas (--replica-peer URL), so a writer that
// reaches only one replica still lands on both. Leaves do not need it (they ship to every
// replica themselves, ship_to all); OTLP is not forwarded (its delta-to-cumulative state is per
// receiver, a second conversion would not be idempotent).
//
// One queue per peer, in memory, oldest first, one request at a time; each forwarded request
// carries `x-canopy-forwarded-by: <replica>` and the writer's tenant, encoding and content type,
// and a request carrying that header is never forwarded again. A 2xx or a 4xx other than 429
// ends a request (a 4xx would fail the same way on every retry: counted as "rejected"); a 5xx,
// a 429 or a network error retries it with backoff (250 ms doubling to 2 s), so a peer that is
// down gets the backlog when it returns. Writes are idempotent at the peer (same series,
// timestamp and value are duplicates). Bound: `maxBytes` of bodies per peer; beyond it the
// oldest requests are dropped and counted (canopy_zone_replica_forward_requests_total
// {outcome="dropped"}). The queue lives in memory: what a replica had not yet forwarded when it
// crashes is lost for its peer (docs/ARCHITECTURE.md "Zone replicas" states the guarantee).
import { Counter, Gauge, type Registry } from 'prom-client';
import { errorMessage } from '../shared/errors.ts';
import type { Logger } from '../shared/log.ts';
import type { IngestHeaders } from './ingest/index.ts';
import { HttpClient } from '../shared/http/index.ts';

export const FORWARDED_HEADER = 'x-canopy-forwarded-by';
/** Headers passed on to the peer. */
const KEPT_HEADERS = [
  'content-type',
  'content-encoding',
  'x-prometheus-remote-write-version',
  'x-scope-orgid',
];
const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 2000;

interface Pending {
  path: string;
  body: Buffer;
  headers: Record<string, string>;
}

interface PeerQueue {
  url: string;
  items: Pending[];
  bytes: number;
  running: boolean;
}

export interface ReplicaForwarderOptions {
  /** This replica's name (sent in the forwarded-by header). */
  replica: string;
  /** Base URLs of the peer replicas' HTTP APIs. */
  peers: readonly string[];
  /** Bound on the queued bodies per peer, bytes. */
  maxBytes: number;
  logger: Logger;
  registry: Registry;
  /** Client for the peers (TLS, credentials: --replica-peer.http-config.file); plain fetch without. */
  client?: HttpClient;
}

export class ReplicaForwarder {
  private readonly queues: PeerQueue[];
  private readonly requests: Counter<'peer' | 'outcome'>;
  private stopped = false;
  private readonly client: HttpClient;

  constructor(private readonly o: ReplicaForwarderOptions) {
    this.client = o.client ?? new HttpClient();
    this.queues = o.peers.map((url) => ({
      url: url.replace(/\/+$/, ''),
      items: [],
      bytes: 0,
      running: false,
    }));
    this.requests = new Counter({
      name: 'canopy_zone_replica_forward_requests_total',
      help: 'Writes forwarded to peer replicas, by outcome (ok, rejected by the peer, dropped by the queue bound).',
      labelNames: ['peer', 'outcome'],
      registers: [o.registry],
    });
    const queues = this.queues;
    new Gauge({
      name: 'canopy_zone_replica_forward_queue_bytes',
      help: 'Bytes of writes waiting to be forwarded, per peer replica.',
      labelNames: ['peer'],
      registers: [o.registry],
      collect() {
        for (const q of queues) this.set({ peer: q.url }, q.bytes);
      },
    });
  }

  /** Whether a write came from a peer (and so must not be forwarded again). */
  static isForwarded(headers: IngestHeaders): boolean {
    return headers[FORWARDED_HEADER] !== undefined;
  }

  /** Queues an acknowledged write for every peer. */
  enqueue(path: string, body: Buffer, headers: IngestHeaders): void {
    if (this.stopped) return;
    const h: Record<string, string> = { [FORWARDED_HEADER]: this.o.replica };
    for (const k of KEPT_HEADERS) {
      const v = headers[k];
      if (typeof v === 'string') h[k] = v;
    }
    for (const q of this.queues) {
      q.items.push({ path, body, headers: h });
      q.bytes += body.length;
      while (q.bytes > this.o.maxBytes && q.items.length > 1) {
        const old = q.items.shift()!;
        q.bytes -= old.body.length;
        this.requests.inc({ peer: q.url, outcome: 'dropped' });
      }
      if (!q.running) void this.drain(q);
    }
  }

  private async drain(q: PeerQueue): Promise<void> {
    q.running = true;
    let backoff = MIN_BACKOFF_MS;
    let failures = 0;
    while (!this.stopped && q.items.length > 0) {
      const p = q.items[0]!;
      let retry = false;
      try {
        const res = await this.client.fetch(`${q.url}${p.path}`, {
          method: 'POST',
          headers: p.headers,
          body: p.body,
          signal: AbortSignal.timeout(10_000),
        });
        await res.text().catch(() => undefined);
        if (res.status >= 500 || res.status === 429) retry = true;
        else this.requests.inc({ peer: q.url, outcome: res.status < 300 ? 'ok' : 'rejected' });
        if (res.status >= 400 && !retry)
          this.o.logger.warn(
            { peer: q.url, status: res.status },
            'peer replica refused a forwarded write; not retrying it',
          );
      } catch (e) {
        retry = true;
        if (failures % 20 === 0)
          this.o.logger.warn(
            { peer: q.url, err: errorMessage(e) },
            'cannot forward a write to the peer replica; retrying',
          );
      }
      if (retry) {
        failures++;
        await new Promise((r) => setTimeout(r, backoff).unref());
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        continue;
      }
      failures = 0;
      backoff = MIN_BACKOFF_MS;
      // the bound may have dropped it meanwhile: remove it only if it is still the oldest
      if (q.items[0] === p) {
        q.items.shift();
        q.bytes -= p.body.length;
      }
    }
    q.running = false;
  }

  stop(): void {
    this.stopped = true;
  }
}
