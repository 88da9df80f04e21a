// `canopy leaf`: the host agent. Scrapes targets, accepts pushes, ships batches to its zone
// over gRPC through a bounded queue, and serves /metrics, /healthz and /api/v1/push.
import { hostname } from 'node:os';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { componentLogger, rootLogger, type Logger } from '../shared/log.ts';
import { HttpServer, json } from '../shared/http/index.ts';
import { labelsFromRecord } from '../shared/labels.ts';
import { parseLeafConfig, type LeafConfig } from './config.ts';
import { MemoryQueue } from './memory-queue.ts';
import { Pipeline } from './pipeline.ts';
import { ScrapeJobs } from './scrape-jobs.ts';
import { Shipper } from './shipper.ts';

export interface LeafHandle {
  httpUrl: string;
  stop(): Promise<void>;
}

export async function startLeaf(cfg: LeafConfig, opts: { logger?: Logger } = {}): Promise<LeafHandle> {
  const log = opts.logger ?? componentLogger('leaf', { leaf: cfg.name });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const dropped = new Counter({ name: 'canopy_leaf_samples_dropped_total', help: 'Samples the leaf dropped, by reason.', labelNames: ['reason'], registers: [registry] });
  const sent = new Counter({ name: 'canopy_leaf_samples_sent_total', help: 'Samples acknowledged by a zone.', registers: [registry] });
  const retries = new Counter({ name: 'canopy_leaf_send_retries_total', help: 'Batch sends that will be retried, by reason.', labelNames: ['reason'], registers: [registry] });
  const scrapes = new Counter({ name: 'canopy_leaf_scrapes_total', help: 'Scrapes, by job and outcome.', labelNames: ['job', 'outcome'], registers: [registry] });
  for (const reason of ['buffer_full', 'rejected']) dropped.inc({ reason }, 0);

  const queue = new MemoryQueue(cfg.bufferMaxBytes, (n) => dropped.inc({ reason: 'buffer_full' }, n));
  new Gauge({ name: 'canopy_leaf_buffer_bytes', help: 'Bytes waiting to be sent.', registers: [registry], collect() { this.set(queue.sizeBytes()); } });
  new Gauge({ name: 'canopy_leaf_buffer_batches', help: 'Batches waiting to be sent.', registers: [registry], collect() { this.set(queue.length()); } });
  const pipeline = new Pipeline(cfg.name, cfg.externalLabels, queue);
  const shipper = new Shipper({
    zones: cfg.zones,
    queue,
    logger: log.child({ component: 'shipper' }),
    metrics: {
      sent: (n) => sent.inc(n),
      retried: (reason) => retries.inc({ reason }),
      dropped: (reason, n) => dropped.inc({ reason }, n),
    },
  });
  const jobs = new ScrapeJobs(cfg.jobs, (samples, metadata, o) => {
    scrapes.inc({ job: o.job, outcome: o.ok ? 'ok' : 'failed' });
    pipeline.push(samples, [], metadata);
  }, log.child({ component: 'scrape' }));

  // Heartbeat: lets the zone alert on a silent host (see the host-health rule template).
  const heartbeat = setInterval(() => {
    pipeline.push([{ labels: labelsFromRecord({ __name__: 'canopy_leaf_heartbeat_timestamp_seconds', leaf: cfg.name }), tMs: Date.now(), value: Date.now() / 1000 }]);
  }, cfg.heartbeatIntervalMs);
  heartbeat.unref();

  const http = new HttpServer({ logger: log });
  http.get('/healthz', () => ({ status: 200, body: 'ok\n' }));
  http.get('/readyz', () => ({ status: 200, body: 'ready\n' }));
  http.get('/metrics', async () => ({ status: 200, headers: { 'content-type': registry.contentType }, body: await registry.metrics() }));
  http.get('/api/v1/status/leaf', () => json(200, { status: 'success', data: { name: cfg.name, zones: cfg.zones, jobs: cfg.jobs.map((j) => j.jobName), bufferBytes: queue.sizeBytes(), lastAck: shipper.lastAckMs } }));
  const { url } = await http.listen(cfg.listen);

  shipper.start();
  jobs.start();
  log.info({ http: url, zones: cfg.zones, jobs: cfg.jobs.length }, 'leaf started');
  return {
    httpUrl: url,
    async stop() {
      jobs.stop();
      clearInterval(heartbeat);
      await http.close();
      await shipper.stop();
      log.info('leaf stopped');
    },
  };
}

export async function main(argv: string[]): Promise<number> {
  const cfg = parseLeafConfig(argv, hostname());
  if (cfg === 'help') return -1;
  rootLogger({ level: cfg.logLevel });
  const leaf = await startLeaf(cfg);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await leaf.stop();
  return 0;
}
