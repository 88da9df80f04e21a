// Shipper: sends queued batches to the zone over gRPC, oldest first, one at a time, and
// removes a batch from the queue only when a zone has acknowledged it (after its WAL fsync).
// Transport errors and RETRY acks back off exponentially with full jitter (250 ms … 30 s) and
// fail over to the next zone address in the list. A REJECTED batch is dropped and counted
// (retrying would fail the same way); rejected samples in a PARTIAL ack are counted by reason.
import {
  credentials,
  makeGenericClientConstructor,
  Metadata,
  status as GrpcStatus,
  type ChannelCredentials,
  type ChannelOptions,
  type Client,
  type ServiceError,
} from '@grpc/grpc-js';
import { AckStatus, ingestService, type IAck } from '../proto/index.ts';
import type { Logger } from '../shared/log.ts';
import { ANONYMOUS_TENANT, TENANT_HEADER } from '../shared/tenant.ts';

/** The queue the shipper drains; implemented by the disk buffer. */
export interface BatchQueue {
  /** The oldest unacknowledged batch, or undefined when empty. */
  peek(): { id: string; bytes: Uint8Array; samples: number } | undefined;
  /** Removes the batch (it must be the oldest). */
  ack(id: string): void;
  /** The oldest batch is about to be sent. */
  sending(id: string): void;
  /** Its send failed; it stays queued (unless the bound dropped it meanwhile: then it counts as lost). */
  sendFailed(id: string): void;
  /** Resolves when a batch is appended (or immediately if one is waiting). */
  waitForBatch(signal: AbortSignal): Promise<void>;
}

export interface ShipperMetrics {
  sent(samples: number): void;
  retried(reason: string): void;
  dropped(reason: string, samples: number): void;
}

export interface ShipperOptions {
  zones: string[];
  queue: BatchQueue;
  logger: Logger;
  metrics: ShipperMetrics;
  requestTimeoutMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Sent as the x-scope-orgid call metadata; absent or anonymous sends none. */
  tenant?: string;
  /** TLS, client certificate and token (leaf/zone-tls.ts); default plaintext. */
  credentials?: ChannelCredentials;
  channelOptions?: ChannelOptions;
}

type IngestClient = Client & {
  push(
    b: Uint8Array,
    md: Metadata,
    opts: { deadline: number },
    cb: (err: ServiceError | null, ack?: IAck) => void,
  ): void;
};

const IngestClientCtor = makeGenericClientConstructor(
  {
    push: {
      ...ingestService.push!,
      // Batches are already encoded in the queue: send their bytes as they are.
      requestSerialize: (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    },
  },
  'Ingest',
);

export class Shipper {
  private readonly clients: IngestClient[];
  private current = 0;
  private backoffMs: number;
  private readonly ac = new AbortController();
  private loop: Promise<void> | undefined;
  /** Acknowledged-ok state for /healthz and self-metrics. */
  lastAckMs = 0;
  consecutiveFailures = 0;

  private readonly metadata = new Metadata();

  constructor(private readonly o: ShipperOptions) {
    if (o.tenant !== undefined && o.tenant !== ANONYMOUS_TENANT) this.metadata.set(TENANT_HEADER, o.tenant);
    this.clients = o.zones.map(
      (addr) =>
        new IngestClientCtor(addr, o.credentials ?? credentials.createInsecure(), {
          ...o.channelOptions,
          'grpc.max_send_message_length': 64 * 1024 * 1024,
          'grpc.initial_reconnect_backoff_ms': 200,
          'grpc.max_reconnect_backoff_ms': 5000,
        }) as unknown as IngestClient,
    );
    this.backoffMs = o.minBackoffMs ?? 250;
  }

  start(): void {
    this.loop = this.run().catch((e) => this.o.logger.error({ err: e }, 'shipper loop failed'));
  }

  async stop(): Promise<void> {
    this.ac.abort();
    await this.loop;
    for (const c of this.clients) c.close();
  }

  private async run(): Promise<void> {
    const signal = this.ac.signal;
    while (!signal.aborted) {
      const b = this.o.queue.peek();
      if (!b) {
        await this.o.queue.waitForBatch(signal).catch(() => {});
        continue;
      }
      this.o.queue.sending(b.id);
      const outcome = await this.sendOnce(b);
      if (outcome !== 'done') this.o.queue.sendFailed(b.id);
      if (outcome === 'done') {
        this.o.queue.ack(b.id);
        this.backoffMs = this.o.minBackoffMs ?? 250;
        this.consecutiveFailures = 0;
        continue;
      }
      this.consecutiveFailures++;
      this.o.metrics.retried(outcome);
      if (this.clients.length > 1) this.current = (this.current + 1) % this.clients.length;
      const wait = Math.random() * this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, this.o.maxBackoffMs ?? 30_000);
      await sleep(wait, signal);
    }
  }

  /** 'done' when the batch may leave the queue; otherwise the retry reason. */
  private sendOnce(b: { id: string; bytes: Uint8Array; samples: number }): Promise<'done' | string> {
    const addr = this.o.zones[this.current]!;
    const client = this.clients[this.current]!;
    return new Promise((resolve) => {
      client.push(
        b.bytes,
        this.metadata,
        { deadline: Date.now() + (this.o.requestTimeoutMs ?? 30_000) },
        (err, ack) => {
          if (err) {
            if (err.code === GrpcStatus.INVALID_ARGUMENT) {
              this.o.logger.error(
                { batch: b.id, zone: addr, err: err.details },
                'zone refused the batch as malformed; dropping it',
              );
              this.o.metrics.dropped('rejected', b.samples);
              return resolve('done');
            }
            // Refused credentials: the batch stays queued (fixing the certificate or token and
            // restarting the leaf ships it), and the refusal is an error, not a network blip.
            if (err.code === GrpcStatus.UNAUTHENTICATED) {
              if (this.consecutiveFailures % 10 === 0)
                this.o.logger.error(
                  { batch: b.id, zone: addr, err: err.details },
                  'zone refused our credentials; the batch stays queued',
                );
              return resolve('unauthenticated');
            }
            // The zone pins this leaf to another tenant (grpc_identity_tenants): a configuration
            // mismatch, kept queued as a credential refusal is.
            if (err.code === GrpcStatus.PERMISSION_DENIED) {
              if (this.consecutiveFailures % 10 === 0)
                this.o.logger.error(
                  { batch: b.id, zone: addr, err: err.details },
                  'zone refused our tenant; the batch stays queued',
                );
              return resolve('tenant_not_allowed');
            }
            if (this.consecutiveFailures % 10 === 0)
              this.o.logger.warn(
                { batch: b.id, zone: addr, err: err.details || err.message },
                'cannot send batch; will retry',
              );
            return resolve(grpcReason(err.code));
          }
          const a = ack ?? {};
          switch (a.status ?? AckStatus.OK) {
            case AckStatus.OK:
            case AckStatus.PARTIAL:
              this.lastAckMs = Date.now();
              this.o.metrics.sent(a.accepted ?? 0);
              for (const r of a.rejections ?? [])
                this.o.metrics.dropped(r.reason ?? 'rejected', r.count ?? 0);
              if (a.rejected)
                this.o.logger.warn(
                  { batch: b.id, rejected: a.rejected, message: a.message },
                  'zone rejected some samples',
                );
              return resolve('done');
            case AckStatus.REJECTED:
              this.o.logger.error(
                { batch: b.id, message: a.message },
                'zone rejected the batch; dropping it',
              );
              this.o.metrics.dropped('rejected', b.samples);
              return resolve('done');
            default:
              return resolve('zone_backpressure');
          }
        },
      );
    });
  }
}

function grpcReason(code: number): string {
  if (code === GrpcStatus.UNAVAILABLE) return 'unavailable';
  if (code === GrpcStatus.DEADLINE_EXCEEDED) return 'timeout';
  return 'error';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
