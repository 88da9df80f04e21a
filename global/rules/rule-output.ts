// RuleOutput: the channel that stores the root's recording-rule results (docs/ARCHITECTURE.md,
// "root → zone rule output"). The root has no TSDB: each evaluation's samples are sent as one
// Prometheus remote-write 1.0 request (snappy WriteRequest) to POST /api/v1/write of the store
// zone (--rules.store-zone NAME), at the HTTP address its topology entry names, through the
// same client as every other root → zone call (--zone.http-config.file: TLS, basic auth), as
// tenant anonymous (the root's rules read as anonymous). The zone stores them like any write
// (WAL, blocks, bucket), so they are queryable through the root and survive a root restart.
//
// Failures are never silent: samples that do not reach the zone are counted in
// canopy_root_rule_samples_dropped_total{reason} and logged:
//   store_zone_down  the store zone is not alive (no recent heartbeat) or has no HTTP address
//   send_failed      network error or 5xx/429 after RETRIES attempts
//   rejected         the zone answered 4xx (e.g. out of order): the whole request is counted,
//                    though the zone may have stored its valid samples (remote write's 400
//                    does not say how many)
// Retries (a 5xx, 429 or network error) wait RETRY_DELAYS_MS; an evaluation's write never
// outlives the next tick by much (5 s timeout per attempt).
import snappy from 'snappy';
import { Counter, type Registry } from 'prom-client';
import { prometheus } from '../../proto/prometheus/gen/prometheus.js';
import type { Logger } from '../../shared/log.ts';
import type { Labels } from '../../shared/labels.ts';
import { HttpClient, requestErrorMessage } from '../../shared/http/index.ts';

export type RuleOutputDropReason = 'store_zone_down' | 'send_failed' | 'rejected';

export interface RuleOutputSample {
  labels: Labels;
  tMs: number;
  f: number;
}

export interface RuleOutputMetrics {
  written: Counter<string>;
  dropped: Counter<'reason'>;
}

export function newRuleOutputMetrics(registry: Registry): RuleOutputMetrics {
  const dropped = new Counter({
    name: 'canopy_root_rule_samples_dropped_total',
    help: 'Recording-rule samples of the root that did not reach the store zone (--rules.store-zone), by reason.',
    labelNames: ['reason'],
    registers: [registry],
  });
  for (const r of ['store_zone_down', 'send_failed', 'rejected'] as const) dropped.inc({ reason: r }, 0);
  return {
    written: new Counter({
      name: 'canopy_root_rule_samples_written_total',
      help: 'Recording-rule samples of the root stored in the store zone.',
      registers: [registry],
    }),
    dropped,
  };
}

export interface RuleOutputOptions {
  /** The store zone's name (--rules.store-zone). */
  zone: string;
  /** Live zones with their topology HTTP address. */
  zones: () => { zone: string; httpUrl: string }[];
  http?: HttpClient;
  metrics: RuleOutputMetrics;
  logger: Logger;
}

const RETRY_DELAYS_MS = [250, 1000];
const ATTEMPT_TIMEOUT_MS = 5000;

/** Encodes samples as a snappy-compressed prometheus.WriteRequest, one series per labels. */
export function encodeRuleOutput(samples: readonly RuleOutputSample[]): Buffer {
  const byKey = new Map<string, prometheus.ITimeSeries>();
  for (const s of samples) {
    const key = JSON.stringify(s.labels);
    let ts = byKey.get(key);
    if (!ts)
      byKey.set(key, (ts = { labels: s.labels.map((l) => ({ name: l.name, value: l.value })), samples: [] }));
    ts.samples!.push({ value: s.f, timestamp: s.tMs });
  }
  const raw = prometheus.WriteRequest.encode({ timeseries: [...byKey.values()] }).finish();
  return snappy.compressSync(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)) as Buffer;
}

export class RuleOutput {
  private readonly http: HttpClient;

  constructor(private readonly o: RuleOutputOptions) {
    this.http = o.http ?? new HttpClient();
  }

  get zone(): string {
    return this.o.zone;
  }

  /** Sends one evaluation's samples; resolves when stored or counted as dropped (never throws). */
  async write(samples: readonly RuleOutputSample[], group: string): Promise<void> {
    if (samples.length === 0) return;
    const drop = (reason: RuleOutputDropReason, err: string): void => {
      this.o.metrics.dropped.inc({ reason }, samples.length);
      this.o.logger.warn(
        { group, zone: this.o.zone, samples: samples.length, reason, err },
        'cannot store recording-rule results in the store zone',
      );
    };
    const z = this.o.zones().find((x) => x.zone === this.o.zone);
    if (!z || !z.httpUrl)
      return drop(
        'store_zone_down',
        z ? 'the zone has no http address in the topology' : 'the zone is not alive',
      );
    const body = encodeRuleOutput(samples);
    let last = '';
    for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt - 1]));
      try {
        const r = await this.http.fetch(`${z.httpUrl}/api/v1/write`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-protobuf',
            'content-encoding': 'snappy',
            'x-prometheus-remote-write-version': '0.1.0',
          },
          body,
          signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        });
        if (r.ok) {
          this.o.metrics.written.inc(samples.length);
          return;
        }
        last = `status ${r.status}: ${(await r.text()).slice(0, 300)}`;
        if (r.status >= 400 && r.status < 500 && r.status !== 429) return drop('rejected', last);
      } catch (e) {
        last = requestErrorMessage(e);
      }
    }
    drop('send_failed', last);
  }
}
