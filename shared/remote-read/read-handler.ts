// POST /api/v1/read: Prometheus remote read (storage/remote/read_handler.go) over whatever
// `select` reads — a zone's storage, or the root's raw fetch from the zones. Series come with
// the answering tier's external labels already attached (the zone's querier adds them).
//
// Answers: SAMPLES → snappy ReadResponse; STREAMED_XOR_CHUNKS → frames (chunked-writer.ts) of
// one series each, XOR chunks of 120 samples, a frame closed once its chunks pass
// maxBytesInFrame (as Prometheus). The body is built whole before it is sent, so the sample
// limit bounds memory for both types (Prometheus applies it to SAMPLES only).
// Errors are plain text as Prometheus's http.Error: 400 for a bad request or the sample limit,
// 500 otherwise; requests beyond maxConcurrent wait for a slot.
//
// Canopy's distribution samples have no Prometheus remote-read encoding here: they are left out
// and the request logs how many were.
import { tenantFromHeaders } from '../tenant.ts';
import snappy from 'snappy';
import { prometheus } from '../../proto/prometheus/gen/prometheus.js';
import { CanopyError, errorMessage, isCanopyError } from '../errors.ts';
import type { HttpRequest, HttpResponse } from '../http/index.ts';
import type { Logger } from '../log.ts';
import type { Matcher } from '../matchers.ts';
import type { MatrixSeries } from '../value.ts';
import { ChunkedWriter } from './chunked-writer.ts';
import { decodeReadRequest, ResponseType, type ReadQuery } from './read-request.ts';
import { SAMPLES_PER_CHUNK, XorChunkWriter } from './xor-chunk.ts';

export interface RemoteReadLimits {
  /** Samples per request (Prometheus --storage.remote.read-sample-limit, 5e7). */
  maxSamples: number;
  /** Requests served at once; more wait (--storage.remote.read-concurrent-limit, 10). */
  maxConcurrent: number;
  /** Bytes of chunks per streamed frame (--storage.remote.read-max-bytes-in-frame, 1 MiB). */
  maxBytesInFrame: number;
}

export const DEFAULT_REMOTE_READ_LIMITS: Readonly<RemoteReadLimits> = {
  maxSamples: 5e7,
  maxConcurrent: 10,
  maxBytesInFrame: 1024 * 1024,
};

/**
 * Reads the raw samples of the series matching all matchers, in [startMs, endMs], sorted by
 * labels, of one tenant's series (X-Scope-OrgID; 'anonymous' without the header).
 */
export type RawSelect = (
  matchers: readonly Matcher[],
  startMs: number,
  endMs: number,
  budget: SampleBudget,
  signal: AbortSignal,
  tenant: string,
) => Promise<MatrixSeries[]>;

/** Counts samples against a request's limit; take() throws Prometheus's error once over it. */
export class SampleBudget {
  private used = 0;
  constructor(readonly limit: number) {}
  take(n: number): void {
    this.used += n;
    if (this.used > this.limit)
      throw new CanopyError('limit_exceeded', `exceeded sample limit (${this.limit})`, {
        fields: { limit: this.limit },
      });
  }
}

export class RemoteReadHandler {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly select: RawSelect,
    private readonly log: Logger,
    private readonly limits: Readonly<RemoteReadLimits> = DEFAULT_REMOTE_READ_LIMITS,
  ) {}

  readonly handle = async (req: HttpRequest): Promise<HttpResponse> => {
    await this.acquire();
    try {
      const tenant = tenantFromHeaders(req.headers);
      const rr = decodeReadRequest(req.body);
      const budget = new SampleBudget(this.limits.maxSamples);
      const results: MatrixSeries[][] = [];
      let skipped = 0;
      for (const q of rr.queries) {
        const r = await this.read(q, budget, req.signal, tenant);
        skipped += r.skipped;
        results.push(r.series);
      }
      if (skipped > 0)
        this.log.warn(
          { samples: skipped },
          'remote read left out distribution samples (no Prometheus encoding)',
        );
      return rr.responseType === ResponseType.StreamedXorChunks ? this.streamed(results) : samples(results);
    } catch (e) {
      return plainTextError(
        isCanopyError(e, 'bad_data') || isCanopyError(e, 'parse_error') || isCanopyError(e, 'limit_exceeded')
          ? 400
          : 500,
        e,
      );
    } finally {
      this.release();
    }
  };

  private async read(
    q: ReadQuery,
    budget: SampleBudget,
    signal: AbortSignal,
    tenant: string,
  ): Promise<{ series: MatrixSeries[]; skipped: number }> {
    const all = await this.select(q.matchers, q.startMs, q.endMs, budget, signal, tenant);
    let skipped = 0;
    const out: MatrixSeries[] = [];
    for (const s of all) {
      const floats = s.points.filter((p) => p.d === undefined);
      skipped += s.points.length - floats.length;
      if (floats.length > 0)
        out.push(floats.length === s.points.length ? s : { labels: s.labels, points: floats });
    }
    return { series: out, skipped };
  }

  private streamed(results: MatrixSeries[][]): HttpResponse {
    const w = new ChunkedWriter();
    const chunk = new XorChunkWriter();
    results.forEach((series, queryIndex) => {
      for (const s of series) {
        const labels = s.labels.map((l) => ({ name: l.name, value: l.value }));
        const labelBytes = labels.reduce((a, l) => a + l.name.length + l.value.length, 0);
        let chunks: prometheus.IChunk[] = [];
        let left = this.limits.maxBytesInFrame - labelBytes;
        const flush = (): void => {
          w.write(
            prometheus.ChunkedReadResponse.encode({
              chunkedSeries: [{ labels, chunks }],
              queryIndex,
            }).finish(),
          );
          chunks = [];
          left = this.limits.maxBytesInFrame - labelBytes;
        };
        for (let i = 0; i < s.points.length; i += SAMPLES_PER_CHUNK) {
          chunk.reset();
          const end = Math.min(s.points.length, i + SAMPLES_PER_CHUNK);
          for (let j = i; j < end; j++) chunk.append(s.points[j]!.t, s.points[j]!.f);
          const data = chunk.bytes();
          chunks.push({
            minTimeMs: chunk.minT,
            maxTimeMs: chunk.maxT,
            type: prometheus.Chunk.Encoding.XOR,
            data,
          });
          left -= data.length;
          if (left <= 0) flush();
        }
        if (chunks.length > 0) flush();
      }
    });
    return {
      status: 200,
      headers: { 'content-type': 'application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse' },
      body: w.body(),
    };
  }

  private async acquire(): Promise<void> {
    if (this.active < this.limits.maxConcurrent) {
      this.active++;
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

/** An error as Go's http.Error writes it (Prometheus's remote-read and federation handlers). */
export function plainTextError(status: number, e: unknown): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
    body: `${errorMessage(e)}\n`,
  };
}

function samples(results: MatrixSeries[][]): HttpResponse {
  const pb = prometheus.ReadResponse.encode({
    results: results.map((series) => ({
      timeseries: series.map((s) => ({
        labels: s.labels.map((l) => ({ name: l.name, value: l.value })),
        samples: s.points.map((p) => ({ timestamp: p.t, value: p.f })),
      })),
    })),
  }).finish();
  return {
    status: 200,
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
    body: snappy.compressSync(Buffer.from(pb.buffer, pb.byteOffset, pb.length)),
  };
}
