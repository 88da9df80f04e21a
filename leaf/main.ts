// `canopy leaf`: the host agent. Wires the data plane together:
//   scrape pools (static + file_sd) ─┐
//   StatsD UDP → StatsdAggregator ───┼─ cardinality guard ─▶ Pipeline ─▶ queue ─▶ Shipper ─▶ zone
//   JSON push (POST /api/v1/push) ───┤   (stream aggregation rules consume matching scraped and
//   OTLP/HTTP (POST /v1/metrics) ────┤    pushed series before the guard; their outputs re-enter)
//   heartbeat ───────────────────────┘
// The queue is the DiskBuffer under the data dir (a MemoryQueue without one). HTTP serves
// /metrics (self-monitoring), /healthz, /readyz, /api/v1/push and /api/v1/status/leaf.
// Shutdown order: stop accepting (HTTP, UDP), stop sources (scrapes, flush aggregators), stop
// the shipper, close the queue — so nothing produced before stop() is lost from the buffer.
import { hostname } from 'node:os';
import { componentLogger, rootLogger, type Logger } from '../shared/log.ts';
import { HttpServer, json, mountUi } from '../shared/http/index.ts';
import { labelsFromRecord } from '../shared/labels.ts';
import { errorMessage } from '../shared/errors.ts';
import { parseLeafConfig, type LeafConfig } from './config.ts';
import {
  Pipeline,
  batchCreatedMs,
  type DistributionSample,
  type FloatSample,
  type MetadataEntry,
} from './pipeline.ts';
import { Shipper } from './shipper.ts';
import { cursorNameForZone, openQueue, type LeafQueue } from './queue.ts';
import { Scraper } from './scraper.ts';
import { MetadataTracker } from './metadata-tracker.ts';
import { LeafMetrics } from './self-metrics.ts';
import { parsePushBody, pushErrorBody } from './json-push.ts';
import { LeafOtlpReceiver } from './otlp.ts';
import { StatsdServer } from './statsd/index.ts';
import { StatsdAggregator, StreamAggregator } from './aggregate/index.ts';
import { CardinalityGuard } from './cardinality/index.ts';
import { untilStopSignal } from '../shared/signals.ts';
import { describeZoneTls, zoneChannel } from './zone-tls.ts';

export interface LeafHandle {
  httpUrl: string;
  statsdPort?: number;
  otlpUrl?: string;
  otlpGrpcAddress?: string;
  stop(): Promise<void>;
}

/** Largest JSON push body accepted (413 above). */
const MAX_PUSH_BYTES = 16 << 20;
/** Largest retry backoff of a fan-out shipper (ship_to all), ms: a returning replica catches up soon. */
const FANOUT_MAX_BACKOFF_MS = 2000;

/**
 * Starts a leaf in this process. Built in order: the buffer and pipeline every source feeds
 * (openPipeline), the sources (createSources), the shippers (createShippers), the HTTP
 * endpoints (mountHttp), the OTLP receiver (createOtlp) and the timers (startTimers); then
 * started accepting-last, and stopped accepting-first (see the header).
 */
export async function startLeaf(cfg: LeafConfig, opts: { logger?: Logger } = {}): Promise<LeafHandle> {
  const log = opts.logger ?? componentLogger('leaf', { leaf: cfg.name });
  const p = openPipeline(cfg, log);
  const { guard, queue } = p;
  const sources = createSources(cfg, log, p);
  const { streamAgg, scraper, statsdServer, statsdAgg } = sources;
  const shippers = createShippers(cfg, log, p);
  const http = mountHttp(cfg, log, p, scraper, shippers, streamAgg);
  const otlp = createOtlp(cfg, log, p, sources);
  const { heartbeat, sweep } = startTimers(cfg, p.enqueue, guard);

  const statsdPort = statsdServer ? await statsdServer.start() : undefined;
  const { url } = await http.listen(cfg.listen);
  const { httpUrl: otlpUrl, grpcAddress: otlpGrpcAddress } = (await otlp?.start()) ?? {};
  for (const s of shippers) s.start();
  statsdAgg?.start();
  streamAgg?.start();
  await scraper.start();
  log.info(
    {
      http: url,
      otlp: otlpUrl,
      otlpGrpc: otlpGrpcAddress,
      statsd: statsdPort,
      zones: cfg.zones,
      zoneTransport: describeZoneTls(cfg.zoneTls),
      jobs: cfg.jobs.length,
      queue: queue.kind,
      buffered: queue.length(),
    },
    'leaf started',
  );
  return {
    httpUrl: url,
    statsdPort,
    otlpUrl,
    otlpGrpcAddress,
    async stop() {
      clearInterval(heartbeat);
      clearInterval(sweep);
      await http.close();
      await otlp?.close();
      await statsdServer?.stop();
      // a leaf restart is not a target disappearing: no staleness markers (as Prometheus)
      await scraper.stop({ targetGone: false });
      statsdAgg?.stop();
      streamAgg?.stop();
      await Promise.all(shippers.map((s) => s.stop()));
      queue.close();
      log.info({ buffered: queue.length() }, 'leaf stopped');
    },
  };
}

/** Self-metrics read at scrape time from these parts, set once they exist. */
interface LiveParts {
  shippers?: Shipper[];
  queue?: LeafQueue;
  scraper?: Scraper;
  statsdServer?: StatsdServer;
  statsdAgg?: StatsdAggregator;
}

/**
 * The cardinality guard, self-metrics, the buffer (one cursor per zone with ship_to all) and the
 * pipeline into it; enqueue() is where every source ends, admitted() the guard for sources that
 * do not call it themselves.
 */
function openPipeline(cfg: LeafConfig, log: Logger) {
  // parts the self-metrics read at scrape time, created after the metrics themselves
  const live: LiveParts = {};
  const guard = new CardinalityGuard({ ...cfg.cardinality, logger: log.child({ component: 'cardinality' }) });
  const metrics = new LeafMetrics({
    buffer: () => {
      const q = live.queue;
      const head = q?.peek();
      const created = head ? batchCreatedMs(head.id) : undefined;
      return {
        bytes: q?.sizeBytes() ?? 0,
        batches: q?.length() ?? 0,
        maxBytes: cfg.bufferMaxBytes,
        oldestAgeSeconds: created !== undefined ? Math.max(0, (Date.now() - created) / 1000) : 0,
        kind: q?.kind ?? 'none',
        corrupt: q?.corrupt,
      };
    },
    scrapeHealth: () => live.scraper?.health() ?? [],
    statsd: () => {
      const { statsdServer, statsdAgg } = live;
      if (!statsdServer || !statsdAgg) return undefined;
      const s = statsdServer.getStats();
      return {
        packets: s.packets,
        bytes: s.bytes,
        lines: s.lines,
        series: statsdAgg.seriesCount(),
        dropped: statsdAgg.droppedByReason(),
      };
    },
    cardinality: () => ({
      refusedSamples: guard.droppedSamples,
      softLimitWarnings: guard.softLimitWarnings,
      metrics: guard.metricCount(),
      series: guard.totalSeries(),
      seriesLimit: cfg.cardinality.seriesLimit,
    }),
    lastAckMs: () => Math.max(0, ...(live.shippers ?? []).map((s) => s.lastAckMs)),
  });
  // ship_to all: one buffer cursor (and one shipper) per zone address (zone replicas)
  const fanOut = cfg.shipTo === 'all' && cfg.zones.length > 1;
  const queue = openQueue({
    dataDir: cfg.dataDir,
    maxBytes: cfg.bufferMaxBytes,
    logger: log,
    onDrop: (n, reason) => metrics.dropped.inc({ reason }, n),
    cursors: fanOut ? cfg.zones.map(cursorNameForZone) : undefined,
  });
  live.queue = queue;
  const pipeline = new Pipeline(cfg.name, cfg.externalLabels, queue);

  /** Every source ends here: one batch per call, counted by source. */
  const enqueue = (
    source: string,
    floats: readonly FloatSample[],
    dists: readonly DistributionSample[] = [],
    metadata: readonly MetadataEntry[] = [],
  ): void => {
    const n = floats.length + dists.length;
    try {
      pipeline.push(floats, dists, metadata);
      if (n > 0) metrics.queued.inc({ source }, n);
    } catch (e) {
      // the queue could not take the batch (disk full, I/O error): count it, keep running
      metrics.dropped.inc({ reason: 'buffer_error' }, n);
      log.error({ err: errorMessage(e), source, samples: n }, 'cannot buffer batch; dropped');
    }
  };
  /** The guard for sources that do not call it themselves; refused samples are counted by reason. */
  const admitted = <T extends FloatSample | DistributionSample>(
    floats: T[],
  ): { taken: T[]; perMetric: number; overLimit: number } => {
    let perMetric = 0,
      overLimit = 0;
    const taken = floats.filter((f) => {
      const verdict = guard.admit(f.labels);
      if (verdict === true) return true;
      if (verdict === 'series_limit') overLimit++;
      else perMetric++;
      return false;
    });
    if (perMetric > 0) metrics.dropped.inc({ reason: 'too_many_series' }, perMetric);
    if (overLimit > 0) metrics.dropped.inc({ reason: 'series_limit' }, overLimit);
    return { taken, perMetric, overLimit };
  };
  return { live, guard, metrics, fanOut, queue, enqueue, admitted };
}

type LeafPipeline = ReturnType<typeof openPipeline>;

/** Scrapes, stream aggregation (consuming matching scraped and pushed series) and StatsD. */
function createSources(
  cfg: LeafConfig,
  log: Logger,
  { live, guard, metrics, enqueue, admitted }: LeafPipeline,
) {
  let statsdServer: StatsdServer | undefined;
  let statsdAgg: StatsdAggregator | undefined;
  const streamAgg =
    cfg.streamAggregation.length > 0
      ? new StreamAggregator(cfg.streamAggregation, {
          onFlush: (b) => enqueue('stream_aggregation', admitted(b.floats).taken),
        })
      : undefined;
  const metadata = new MetadataTracker(cfg.metadataIntervalMs);
  const scraper = (live.scraper = new Scraper(cfg.jobs, {
    onResult: (r) => {
      metrics.scrapes.inc({ job: r.target.job.jobName, outcome: r.ok ? 'ok' : 'failed' });
      enqueue('scrape', r.samples, [], metadata.due(r.metadata));
    },
    admit: (ls) => guard.admit(ls),
    streamAggregator: streamAgg,
    onDrop: (reason, n) => metrics.dropped.inc({ reason }, n),
    logger: log.child({ component: 'scrape' }),
  }));

  if (cfg.statsdListen !== undefined) {
    statsdAgg = new StatsdAggregator({
      flushIntervalMs: cfg.flushIntervalMs,
      expireAfterMs: cfg.statsdExpireAfterMs,
      admit: (ls) => guard.admit(ls),
      onFlush: (b) => enqueue('statsd', b.floats, b.distributions),
      onError: (e) => log.error({ err: errorMessage(e) }, 'StatsD flush failed'),
    });
    const i = cfg.statsdListen.lastIndexOf(':');
    statsdServer = new StatsdServer(
      {
        host: cfg.statsdListen.slice(0, i).replace(/^\[|\]$/g, '') || '0.0.0.0',
        port: Number(cfg.statsdListen.slice(i + 1)),
      },
      statsdAgg,
    );
  }
  live.statsdServer = statsdServer;
  live.statsdAgg = statsdAgg;
  return { streamAgg, metadata, scraper, statsdServer, statsdAgg };
}

/** One shipper to the zones (failover), or one per zone replica on its own buffer cursor (ship_to all). */
function createShippers(
  cfg: LeafConfig,
  log: Logger,
  { live, metrics, fanOut, queue }: LeafPipeline,
): Shipper[] {
  const channel = zoneChannel(cfg.zoneTls);
  const newShipper = (
    zones: string[],
    q: LeafQueue | NonNullable<ReturnType<NonNullable<LeafQueue['cursor']>>>,
  ): Shipper =>
    new Shipper({
      zones,
      tenant: cfg.tenant,
      credentials: channel.credentials,
      channelOptions: channel.options,
      queue: q,
      logger: log.child({ component: 'shipper', ...(fanOut ? { zone: zones[0] } : {}) }),
      requestTimeoutMs: cfg.sendTimeoutMs,
      // fan-out: a replica that returns catches up within a few seconds (its peer is then the only
      // complete copy), so the backoff is capped lower than for failover
      maxBackoffMs: fanOut ? Math.min(cfg.sendMaxBackoffMs, FANOUT_MAX_BACKOFF_MS) : cfg.sendMaxBackoffMs,
      metrics: {
        sent: (n) => {
          metrics.sent.inc(n);
          metrics.batchesSent.inc();
        },
        retried: (reason) => metrics.retries.inc({ reason }),
        dropped: (reason, n) => metrics.dropped.inc({ reason }, n),
      },
    });
  const shippers = (live.shippers = fanOut
    ? cfg.zones.map((z) => newShipper([z], queue.cursor!(cursorNameForZone(z))))
    : [newShipper(cfg.zones, queue)]);
  return shippers;
}

/** /healthz, the UI, /readyz, /metrics, /api/v1/status/leaf and JSON push (POST /api/v1/push). */
function mountHttp(
  cfg: LeafConfig,
  log: Logger,
  { guard, metrics, fanOut, queue, enqueue, admitted }: LeafPipeline,
  scraper: Scraper,
  shippers: Shipper[],
  streamAgg: StreamAggregator | undefined,
): HttpServer {
  const http = new HttpServer({
    logger: log,
    maxBodyBytes: MAX_PUSH_BYTES,
    webConfigFile: cfg.webConfigFile,
  });
  http.get('/healthz', () => ({ status: 200, body: 'ok\n' }));
  mountUi(http, { tier: 'leaf', name: cfg.name, logger: log });
  http.get('/readyz', () => ({ status: 200, body: 'ready\n' }));
  http.get('/metrics', async () => ({
    status: 200,
    headers: { 'content-type': metrics.registry.contentType },
    body: await metrics.text(),
  }));
  http.get('/api/v1/status/leaf', () =>
    json(200, {
      status: 'success',
      data: {
        name: cfg.name,
        zones: cfg.zones,
        queue: queue.kind,
        jobs: scraper.health(),
        bufferBytes: queue.sizeBytes(),
        bufferBatches: queue.length(),
        bufferCorrupt: queue.corrupt ?? null,
        series: guard.totalSeries(),
        seriesLimit: cfg.cardinality.seriesLimit,
        lastAck: Math.max(0, ...shippers.map((s) => s.lastAckMs)),
        shipTo: fanOut ? 'all' : 'first',
        ...(fanOut
          ? {
              replicas: cfg.zones.map((z, i) => ({
                zone: z,
                bufferBatches: queue.cursor!(cursorNameForZone(z)).length(),
                lastAck: shippers[i]!.lastAckMs,
              })),
            }
          : {}),
      },
    }),
  );
  http.route(['POST'], '/api/v1/push', async (req) => {
    const res = await handlePush(req.body);
    metrics.pushRequests.inc({ code: String(res.status) });
    return res;
  });
  const handlePush = async (
    body: Buffer,
  ): Promise<{ status: number; headers?: Record<string, string>; body?: string }> => {
    const p = await parsePushBody(body, Date.now());
    const jsonHeaders = { 'content-type': 'application/json' };
    if (p.rejected > 0) metrics.dropped.inc({ reason: 'invalid_push' }, p.rejected);
    if (p.malformed) return { status: 400, headers: jsonHeaders, body: pushErrorBody(p.errors[0]!) };
    const pass = streamAgg ? p.samples.filter((s) => !streamAgg.push(s.labels, s.tMs, s.value)) : p.samples;
    const { taken, perMetric, overLimit } = admitted(pass);
    enqueue('push', taken);
    if (p.rejected > 0)
      return {
        status: 400,
        headers: jsonHeaders,
        body: pushErrorBody(
          `${p.rejected} of ${p.rejected + p.samples.length} items rejected: ${p.errors.join('; ')}`,
        ),
      };
    if (taken.length < pass.length) {
      const why = [
        ...(perMetric > 0
          ? [`${perMetric} by the per-metric series limit (${cfg.cardinality.hardLimit})`]
          : []),
        ...(overLimit > 0
          ? [`${overLimit} by the leaf's series limit (${cfg.cardinality.seriesLimit})`]
          : []),
      ];
      return {
        status: 429,
        headers: jsonHeaders,
        body: pushErrorBody(
          `${pass.length - taken.length} samples of new series refused: ${why.join(', ')}`,
          'unavailable',
        ),
      };
    }
    return { status: 204 };
  };
  return http;
}

/** The OTLP receiver (HTTP and/or gRPC), when configured; its series go through the guard as pushes do. */
function createOtlp(
  cfg: LeafConfig,
  log: Logger,
  { metrics, enqueue, admitted }: LeafPipeline,
  { streamAgg, metadata }: { streamAgg: StreamAggregator | undefined; metadata: MetadataTracker },
): LeafOtlpReceiver | undefined {
  const otlp =
    cfg.otlpListen === undefined && cfg.otlpGrpcListen === undefined
      ? undefined
      : new LeafOtlpReceiver({
          listen: cfg.otlpListen,
          grpcListen: cfg.otlpGrpcListen,
          webConfigFile: cfg.webConfigFile,
          logger: log.child({ component: 'otlp' }),
          maxBodyBytes: MAX_PUSH_BYTES,
          ingest: (samples, dists, md) => {
            const pass = streamAgg
              ? samples.filter((s) => !streamAgg.push(s.labels, s.tMs, s.value))
              : samples;
            const f = admitted(pass),
              d = admitted(dists);
            const perMetric = f.perMetric + d.perMetric,
              overLimit = f.overLimit + d.overLimit;
            enqueue('otlp', f.taken, d.taken, metadata.due(md));
            return {
              refused: perMetric + overLimit,
              why: `${perMetric} by the per-metric series limit (${cfg.cardinality.hardLimit}), ${overLimit} by the leaf's series limit (${cfg.cardinality.seriesLimit})`,
            };
          },
          dropped: (reason, n) => metrics.dropped.inc({ reason }, n),
          requested: (code) => metrics.otlpRequests.inc({ code: String(code) }),
        });
  return otlp;
}

/** The heartbeat series and the guard's sweep of idle series. */
function startTimers(
  cfg: LeafConfig,
  enqueue: LeafPipeline['enqueue'],
  guard: CardinalityGuard,
): { heartbeat: NodeJS.Timeout; sweep: NodeJS.Timeout } {
  // Heartbeat: lets the zone alert on a silent host (see the host-health rule template).
  const heartbeatLabels = labelsFromRecord({
    __name__: 'canopy_leaf_heartbeat_timestamp_seconds',
    leaf: cfg.name,
  });
  const heartbeat = setInterval(() => {
    const now = Date.now();
    enqueue('heartbeat', [{ labels: heartbeatLabels, tMs: now, value: now / 1000 }]);
  }, cfg.heartbeatIntervalMs);
  heartbeat.unref();
  const sweep = setInterval(
    () => guard.sweep(),
    Math.min(600_000, Math.max(1000, cfg.cardinality.idleMs / 4)),
  );
  sweep.unref();
  return { heartbeat, sweep };
}

export async function main(argv: string[]): Promise<number> {
  const cfg = parseLeafConfig(argv, hostname());
  if (cfg === 'help') return -1;
  // Young-generation size (1 MB semi-spaces) is given at process start: bin/node-flags.js.
  rootLogger({ level: cfg.logLevel });
  const leaf = await startLeaf(cfg);
  await untilStopSignal();
  await leaf.stop();
  return 0;
}
