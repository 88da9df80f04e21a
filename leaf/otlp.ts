// OTLP/HTTP metrics receiver at the leaf (POST /v1/metrics, the collector's standard path, on
// its own listener: otlp_listen / --otlp-listen, off unless set; 127.0.0.1:4318 is the
// conventional address). Same decoding and translation as the zone (shared/otlp,
// docs/otlp.md); the samples then take the JSON-push path: stream aggregation rules, the
// cardinality guard, the pipeline (batched, buffered, shipped to the zone), with metric
// metadata from the OTLP type, description and unit.
// OTLP/gRPC (MetricsService/Export) on otlp_grpc_listen / --otlp-grpc-listen (off unless set;
// 127.0.0.1:4317 is the collector's address), plaintext: meant for the host's own processes.
// A gRPC request is handled as an OTLP/HTTP protobuf body, with the same state (delta totals,
// exponential histogram baselines), and the answer mapped to gRPC codes (shared/otlp/grpc.ts);
// requests are counted as canopy_leaf_otlp_requests_total{code} with the HTTP-equivalent code.
// Exponential histograms also arrive as distributions (shared/otlp), shipped as StatsD's are.
// Answers: 200 with ExportMetricsServiceResponse, partial_success {rejected_data_points} when
// points were dropped in translation or refused by the series limits (a retry cannot help
// either); 400/413/415 for unusable bodies. Drops are counted in
// canopy_leaf_samples_dropped_total{reason} (the translation reasons, too_many_series,
// series_limit) and requests in canopy_leaf_otlp_requests_total{code}.
import {
  Server,
  ServerCredentials,
  status as GrpcStatus,
  type ServerUnaryCall,
  type sendUnaryData,
  type ServiceError,
} from '@grpc/grpc-js';
import { HttpServer } from '../shared/http/index.ts';
import {
  CumulativeState,
  OTLP_GRPC_CONTENT_TYPE,
  otlpGrpcOutcome,
  otlpSuccess,
  receiveOtlp,
  type OtlpMetadata,
  type OtlpResponse,
} from '../shared/otlp/index.ts';
import { otlpMetricsService } from '../proto/otlp/index.ts';
import { errorMessage } from '../shared/errors.ts';
import type { Logger } from '../shared/log.ts';
import type { DistributionSample, FloatSample } from './pipeline.ts';
import type { MetricMetadata } from './scrape/index.ts';

export interface LeafOtlpOptions {
  /** OTLP/HTTP listener; absent: none. */
  listen?: string;
  /** OTLP/gRPC listener (plaintext); absent: none. */
  grpcListen?: string;
  webConfigFile?: string;
  logger: Logger;
  maxBodyBytes: number;
  /** Hands translated samples to the leaf's pipeline; returns how many the series limits refused. */
  ingest(
    samples: FloatSample[],
    dists: DistributionSample[],
    metadata: ReadonlyMap<string, MetricMetadata>,
  ): { refused: number; why: string };
  dropped(reason: string, n: number): void;
  requested(code: number): void;
}

export class LeafOtlpReceiver {
  private readonly http: HttpServer | undefined;
  private readonly grpc: Server | undefined;
  private readonly state = new CumulativeState();

  constructor(private readonly opts: LeafOtlpOptions) {
    if (opts.listen !== undefined) {
      this.http = new HttpServer({
        logger: opts.logger,
        maxBodyBytes: opts.maxBodyBytes,
        webConfigFile: opts.webConfigFile,
      });
      this.http.route(['POST'], '/v1/metrics', async (req) => {
        const res = await this.receive(
          req.body,
          req.headers['content-type'],
          req.headers['content-encoding'],
        );
        opts.requested(res.status);
        return res;
      });
    }
    if (opts.grpcListen !== undefined) {
      this.grpc = new Server({ 'grpc.max_receive_message_length': opts.maxBodyBytes });
      this.grpc.addService(otlpMetricsService, {
        export: (call: ServerUnaryCall<Buffer, Uint8Array>, cb: sendUnaryData<Uint8Array>) => {
          this.receive(call.request, OTLP_GRPC_CONTENT_TYPE, undefined)
            .then((res) => {
              opts.requested(res.status);
              const out = otlpGrpcOutcome(res);
              if (out.ok) cb(null, out.body);
              else cb({ code: out.code, details: out.details } as Partial<ServiceError>);
            })
            .catch((e) => cb({ code: GrpcStatus.INTERNAL, details: errorMessage(e) }));
        },
      });
    }
  }

  /** Starts the listeners: the HTTP URL and the gRPC HOST:PORT of those configured. */
  async start(): Promise<{ httpUrl?: string; grpcAddress?: string }> {
    const httpUrl = this.http ? (await this.http.listen(this.opts.listen!)).url : undefined;
    let grpcAddress: string | undefined;
    if (this.grpc) {
      const where = this.opts.grpcListen!;
      const port = await new Promise<number>((resolve, reject) => {
        this.grpc!.bindAsync(where, ServerCredentials.createInsecure(), (err, p) =>
          err ? reject(new Error(`cannot listen for OTLP/gRPC on ${where}: ${err.message}`)) : resolve(p),
        );
      });
      grpcAddress = `${where.slice(0, where.lastIndexOf(':'))}:${port}`;
    }
    return { httpUrl, grpcAddress };
  }

  async close(): Promise<void> {
    await this.http?.close();
    const g = this.grpc;
    if (g) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          g.forceShutdown();
          resolve();
        }, 2000);
        g.tryShutdown(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  private async receive(
    body: Buffer,
    contentType: string | undefined,
    contentEncoding: string | undefined,
  ): Promise<OtlpResponse> {
    const got = await receiveOtlp(
      body,
      contentType,
      contentEncoding,
      this.opts.maxBodyBytes,
      this.state,
      Date.now(),
    );
    if (!got.ok) return got.response;
    const { media, translation: tr } = got;
    let droppedPoints = 0;
    for (const [reason, n] of tr.drops) {
      this.opts.dropped(reason, n);
      droppedPoints += n;
    }
    const { refused, why } = this.opts.ingest(
      tr.samples.map((s) => ({ labels: s.labels, tMs: s.tMs, value: s.value })),
      tr.distributions.map((s) => ({ labels: s.labels, tMs: s.tMs, d: s.d })),
      metadataMap(tr.metadata),
    );
    if (droppedPoints === 0 && refused === 0) return otlpSuccess(media, 0, '');
    const messages = [
      ...tr.errors,
      ...(refused > 0 ? [`${refused} samples of new series refused: ${why}`] : []),
    ];
    // A refused sample is counted as a point, capped at the points received.
    return otlpSuccess(media, Math.min(tr.points, droppedPoints + refused), messages.join('; '));
  }
}

function metadataMap(ms: readonly OtlpMetadata[]): Map<string, MetricMetadata> {
  const out = new Map<string, MetricMetadata>();
  for (const m of ms) out.set(m.name, { type: m.type, help: m.help, unit: m.unit });
  return out;
}
