// LeafMetrics: the leaf's own health on /metrics (prom-client registry). Counters the hot
// paths increment directly, plus gauges and counters read at scrape time from the queue, the
// scraper, the StatsD server/aggregator and the cardinality guard through `sources`.
// Every sample the leaf drops shows up in canopy_leaf_samples_dropped_total{reason} (queue,
// scrape, push, zone rejections) or canopy_leaf_statsd_dropped_total{reason} (StatsD lines).
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobHealth } from './scraper.ts';

export interface MetricSources {
  buffer(): {
    bytes: number;
    batches: number;
    maxBytes: number;
    oldestAgeSeconds: number;
    kind: string;
    corrupt?: { records: number; unknownRecords: number; bytes: number };
  };
  scrapeHealth(): JobHealth[];
  statsd():
    | { packets: number; bytes: number; lines: number; series: number; dropped: ReadonlyMap<string, number> }
    | undefined;
  cardinality(): {
    refusedSamples: number;
    softLimitWarnings: number;
    metrics: number;
    series: number;
    seriesLimit: number;
  };
  lastAckMs(): number;
}

/** A counter whose value lives elsewhere: collect() adds what the source gained since last time. */
class MirroredCounter {
  private readonly last = new Map<string, number>();
  constructor(private readonly c: Counter<string>) {}
  set(labels: Record<string, string>, total: number): void {
    const k = JSON.stringify(labels);
    const d = total - (this.last.get(k) ?? 0);
    if (d > 0) this.c.inc(labels, d);
    this.last.set(k, total);
  }
}

export class LeafMetrics {
  readonly registry = new Registry();
  readonly dropped: Counter<'reason'>;
  readonly queued: Counter<'source'>;
  readonly sent: Counter<string>;
  readonly batchesSent: Counter<string>;
  readonly retries: Counter<'reason'>;
  readonly scrapes: Counter<'job' | 'outcome'>;
  readonly pushRequests: Counter<'code'>;
  readonly otlpRequests: Counter<'code'>;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    // 100 ms (not the default 10 ms) event-loop-delay resolution: 10 ms wakes an idle leaf 100×/s
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 100 });
    // Registered first: prom-client collects metrics in registration order, so this refreshes
    // the group below before any of them is read (the consts are initialized by then).
    new Gauge({
      name: 'canopy_leaf_self_metrics_collections',
      help: 'Times /metrics was collected.',
      registers,
      collect() {
        this.inc();
        for (const h of sources.scrapeHealth()) {
          targets.set({ job: h.job }, h.targets);
          up.set({ job: h.job }, h.up);
          droppedTargets.set({ job: h.job }, h.droppedTargets);
          sdErrors.set({ job: h.job }, h.fileSdReadErrors);
        }
        const s = sources.statsd();
        if (s) {
          statsdPackets.set({}, s.packets);
          statsdLines.set({}, s.lines);
          for (const [reason, n] of s.dropped) statsdDropped.set({ reason }, n);
          statsdSeries.set(s.series);
        }
        const damage = sources.buffer().corrupt;
        if (damage) {
          corruptRecords.set({ samples: 'known' }, damage.records - damage.unknownRecords);
          corruptRecords.set({ samples: 'unknown' }, damage.unknownRecords);
          corruptBytes.set({}, damage.bytes);
        }
        const c = sources.cardinality();
        refused.set({}, c.refusedSamples);
        warnings.set({}, c.softLimitWarnings);
        tracked.set(c.metrics);
        series.set(c.series);
        seriesLimit.set(c.seriesLimit);
      },
    });
    this.dropped = new Counter({
      name: 'canopy_leaf_samples_dropped_total',
      help: 'Samples the leaf dropped, by reason.',
      labelNames: ['reason'],
      registers,
    });
    for (const reason of [
      'buffer_full',
      'corrupt',
      'rejected',
      'too_many_series',
      'series_limit',
      'invalid_push',
    ])
      this.dropped.inc({ reason }, 0);
    this.queued = new Counter({
      name: 'canopy_leaf_samples_queued_total',
      help: 'Samples handed to the buffer, by source.',
      labelNames: ['source'],
      registers,
    });
    this.sent = new Counter({
      name: 'canopy_leaf_samples_sent_total',
      help: 'Samples acknowledged by a zone.',
      registers,
    });
    this.batchesSent = new Counter({
      name: 'canopy_leaf_batches_sent_total',
      help: 'Batches acknowledged by a zone.',
      registers,
    });
    this.retries = new Counter({
      name: 'canopy_leaf_send_retries_total',
      help: 'Batch sends that will be retried, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.scrapes = new Counter({
      name: 'canopy_leaf_scrapes_total',
      help: 'Scrapes, by job and outcome.',
      labelNames: ['job', 'outcome'],
      registers,
    });
    this.pushRequests = new Counter({
      name: 'canopy_leaf_push_requests_total',
      help: 'JSON push requests, by HTTP status code.',
      labelNames: ['code'],
      registers,
    });
    this.otlpRequests = new Counter({
      name: 'canopy_leaf_otlp_requests_total',
      help: 'OTLP metrics export requests (HTTP and gRPC), by HTTP status code (gRPC: the HTTP-equivalent code).',
      labelNames: ['code'],
      registers,
    });

    new Gauge({
      name: 'canopy_leaf_buffer_bytes',
      help: 'Bytes of batches waiting to be acknowledged (segment files for the disk buffer).',
      registers,
      collect() {
        this.set(sources.buffer().bytes);
      },
    });
    new Gauge({
      name: 'canopy_leaf_buffer_max_bytes',
      help: 'The buffer bound.',
      registers,
      collect() {
        this.set(sources.buffer().maxBytes);
      },
    });
    new Gauge({
      name: 'canopy_leaf_buffer_batches',
      help: 'Batches waiting to be acknowledged.',
      registers,
      collect() {
        this.set(sources.buffer().batches);
      },
    });
    new Gauge({
      name: 'canopy_leaf_buffer_oldest_batch_age_seconds',
      help: 'Age of the oldest unacknowledged batch (0 when empty).',
      registers,
      collect() {
        this.set(sources.buffer().oldestAgeSeconds);
      },
    });
    new Gauge({
      name: 'canopy_leaf_last_ack_timestamp_seconds',
      help: 'When a zone last acknowledged a batch (0: never since start).',
      registers,
      collect() {
        this.set(sources.lastAckMs() / 1000);
      },
    });

    const corruptRecords = new MirroredCounter(
      new Counter({
        name: 'canopy_leaf_buffer_corrupt_records_total',
        help: 'Disk buffer records lost to damage (their known samples are in canopy_leaf_samples_dropped_total{reason="corrupt"}), by whether their sample count was known.',
        labelNames: ['samples'],
        registers,
      }),
    );
    const corruptBytes = new MirroredCounter(
      new Counter({
        name: 'canopy_leaf_buffer_corrupt_bytes_total',
        help: 'Disk buffer bytes skipped or cut as damaged (records, torn tails, segment headers).',
        registers,
      }),
    );
    const targets = new Gauge({
      name: 'canopy_leaf_scrape_targets',
      help: 'Scrape targets, by job.',
      labelNames: ['job'],
      registers,
    });
    const up = new Gauge({
      name: 'canopy_leaf_scrape_targets_up',
      help: 'Targets whose last scrape succeeded, by job.',
      labelNames: ['job'],
      registers,
    });
    const droppedTargets = new Gauge({
      name: 'canopy_leaf_scrape_targets_dropped',
      help: 'Targets dropped by relabel_configs (or without an address), by job.',
      labelNames: ['job'],
      registers,
    });
    const sdErrors = new MirroredCounter(
      new Counter({
        name: 'canopy_leaf_file_sd_read_errors_total',
        help: 'file_sd files that could not be read or parsed, by job.',
        labelNames: ['job'],
        registers,
      }),
    );

    const statsdPackets = new MirroredCounter(
      new Counter({
        name: 'canopy_leaf_statsd_packets_total',
        help: 'StatsD datagrams received.',
        registers,
      }),
    );
    const statsdLines = new MirroredCounter(
      new Counter({
        name: 'canopy_leaf_statsd_lines_total',
        help: 'StatsD lines that parsed as metrics (the others are in canopy_leaf_statsd_dropped_total).',
        registers,
      }),
    );
    const statsdDropped = new MirroredCounter(
      new Counter({
        name: 'canopy_leaf_statsd_dropped_total',
        help: 'StatsD lines or values not ingested, by reason.',
        labelNames: ['reason'],
        registers,
      }),
    );
    const statsdSeries = new Gauge({
      name: 'canopy_leaf_statsd_series',
      help: 'StatsD series being aggregated.',
      registers,
    });

    const refused = new MirroredCounter(
      new Counter({
        name: 'canopy_leaf_cardinality_refused_samples_total',
        help: 'Samples of new series refused by the per-metric hard limit (all sources).',
        registers,
      }),
    );
    const warnings = new MirroredCounter(
      new Counter({
        name: 'canopy_leaf_cardinality_soft_limit_warnings_total',
        help: 'Times a metric crossed the per-metric soft series limit.',
        registers,
      }),
    );
    const tracked = new Gauge({
      name: 'canopy_leaf_cardinality_metrics',
      help: 'Metric names the cardinality guard tracks.',
      registers,
    });
    const series = new Gauge({
      name: 'canopy_leaf_cardinality_series',
      help: 'Unique series the cardinality guard admitted (all metrics).',
      registers,
    });
    const seriesLimit = new Gauge({
      name: 'canopy_leaf_cardinality_series_limit',
      help: "The leaf's unique-series limit (0: none).",
      registers,
    });
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }
}
