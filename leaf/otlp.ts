// OTLP/HTTP metrics receiver at the leaf (POST /v1/metrics, the collector's standard path, on
// its own listener: otlp_listen / --otlp-listen, off unless set; 127.0.0.1:4318 is the
// conventional address). Same decoding and translation as the zone (shared/otlp,
// docs/otlp.md); the samples then take the JSON-push path: stream aggregation rules, the
// cardinality guard, the pipeline (batched, buffered, shipped to the zone), with metric
// metadata from the OTLP type, description and unit.
// Answers: 200 with ExportMetricsServiceResponse, partial_success {rejected_data_points} when
// points were dropped in translation or refused by the series limits (a retry cannot help
// either); 400/413/415 for unusable bodies. Drops are counted in
// canopy_leaf_samples_dropped_total{reason} (the translation reasons, too_many_series,
// series_limit) and requests in canopy_leaf_otlp_requests_total{code}.
import { HttpServer } from '../shared/http/index.ts';
import { CumulativeState, otlpSuccess, receiveOtlp, type OtlpMetadata, type OtlpResponse } from '../shared/otlp/index.ts';
import type { Logger } from '../shared/log.ts';
import type { FloatSample } from './pipeline.ts';
import type { MetricMetadata } from './scrape/index.ts';

export interface LeafOtlpOptions {
  listen: string;
  webConfigFile?: string;
  logger: Logger;
  maxBodyBytes: number;
  /** Hands translated samples to the leaf's pipeline; returns how many the series limits refused. */
  ingest(samples: FloatSample[], metadata: ReadonlyMap<string, MetricMetadata>): { refused: number; why: string };
  dropped(reason: string, n: number): void;
  requested(code: number): void;
}

export class LeafOtlpReceiver {
  private readonly http: HttpServer;
  private readonly state = new CumulativeState();

  constructor(private readonly opts: LeafOtlpOptions) {
    this.http = new HttpServer({ logger: opts.logger, maxBodyBytes: opts.maxBodyBytes, webConfigFile: opts.webConfigFile });
    this.http.route(['POST'], '/v1/metrics', async (req) => {
      const res = await this.receive(req.body, req.headers['content-type'], req.headers['content-encoding']);
      opts.requested(res.status);
      return res;
    });
  }

  async start(): Promise<string> {
    return (await this.http.listen(this.opts.listen)).url;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async receive(body: Buffer, contentType: string | undefined, contentEncoding: string | undefined): Promise<OtlpResponse> {
    const got = await receiveOtlp(body, contentType, contentEncoding, this.opts.maxBodyBytes, this.state, Date.now());
    if (!got.ok) return got.response;
    const { media, translation: tr } = got;
    let droppedPoints = 0;
    for (const [reason, n] of tr.drops) {
      this.opts.dropped(reason, n);
      droppedPoints += n;
    }
    const { refused, why } = this.opts.ingest(tr.samples.map((s) => ({ labels: s.labels, tMs: s.tMs, value: s.value })), metadataMap(tr.metadata));
    if (droppedPoints === 0 && refused === 0) return otlpSuccess(media, 0, '');
    const messages = [...tr.errors, ...(refused > 0 ? [`${refused} samples of new series refused: ${why}`] : [])];
    // A refused sample is counted as a point, capped at the points received.
    return otlpSuccess(media, Math.min(tr.points, droppedPoints + refused), messages.join('; '));
  }
}

function metadataMap(ms: readonly OtlpMetadata[]): Map<string, MetricMetadata> {
  const out = new Map<string, MetricMetadata>();
  for (const m of ms) out.set(m.name, { type: m.type, help: m.help, unit: m.unit });
  return out;
}
