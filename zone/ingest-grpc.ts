// The gRPC ingest service (canopy.v1.Ingest/Push): a leaf batch is converted to appender calls,
// committed (durable before commit() resolves), and only then acknowledged. Rejected samples
// are counted by reason and reported in the ack; a malformed batch is REJECTED, a storage
// failure asks the leaf to RETRY.
import { Server, ServerCredentials, status as GrpcStatus, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { AckStatus, ingestService, type IAck, type IBatch } from '../proto/index.ts';
import { distributionFromWire, labelsFromWire } from '../shared/wire/index.ts';
import { errorMessage } from '../shared/errors.ts';
import type { Logger } from '../shared/log.ts';
import type { Storage } from '../shared/storage.ts';
import { BatchLog } from './batch-log.ts';
import type { MetadataStore } from './metadata.ts';
import type { ZoneMetrics } from './metrics.ts';

export interface IngestServiceOptions {
  storage: Storage;
  metadata: MetadataStore;
  metrics: ZoneMetrics;
  logger: Logger;
}

export async function applyBatch(b: IBatch, opts: IngestServiceOptions): Promise<IAck> {
  const app = opts.storage.appender();
  let samples = 0;
  for (const s of b.series ?? []) {
    const labels = labelsFromWire(s.labels);
    const ts = s.timestampsMs ?? [];
    const vs = s.values ?? [];
    if (ts.length !== vs.length) {
      app.rollback();
      return { batchId: b.batchId, status: AckStatus.REJECTED, message: `series ${JSON.stringify(labels)}: ${ts.length} timestamps but ${vs.length} values` };
    }
    for (let i = 0; i < ts.length; i++) app.append(labels, Number(ts[i]), vs[i]!);
    for (const d of s.distributions ?? []) app.appendDistribution(labels, Number(d.timestampMs), distributionFromWire(d.value));
    samples += ts.length + (s.distributions?.length ?? 0);
  }
  for (const m of b.metadata ?? []) {
    if (m.metric) opts.metadata.set(m.metric, { type: m.type ?? 'unknown', help: m.help ?? '', unit: m.unit ?? '' });
  }
  let res;
  try {
    res = await app.commit();
  } catch (e) {
    opts.logger.error({ err: e, batchId: b.batchId }, 'cannot commit batch');
    return { batchId: b.batchId, status: AckStatus.RETRY, message: `cannot commit: ${errorMessage(e)}` };
  }
  opts.metrics.samplesIngested.inc({ path: 'grpc' }, res.accepted);
  const rejections = Object.entries(res.rejected).map(([reason, count]) => {
    opts.metrics.samplesDropped.inc({ reason }, count ?? 0);
    return { reason, count: count ?? 0 };
  });
  const rejected = samples - res.accepted;
  return {
    batchId: b.batchId,
    status: rejected > 0 ? AckStatus.PARTIAL : AckStatus.OK,
    accepted: res.accepted,
    rejected,
    rejections,
    message: res.errors.slice(0, 3).join('; '),
  };
}

export class IngestServer {
  private readonly server = new Server({ 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
  private readonly log = new BatchLog();

  constructor(private readonly opts: IngestServiceOptions) {
    this.server.addService(ingestService, {
      push: (call: ServerUnaryCall<IBatch, IAck>, cb: sendUnaryData<IAck>) => {
        const b = call.request;
        if (!b.batchId) return cb({ code: GrpcStatus.INVALID_ARGUMENT, details: 'batch_id is required' });
        this.log
          .once(b.batchId, () => applyBatch(b, this.opts))
          .then((ack) => cb(null, ack))
          .catch((e) => cb({ code: GrpcStatus.INTERNAL, details: errorMessage(e) }));
      },
    });
  }

  listen(hostPort: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.bindAsync(hostPort, ServerCredentials.createInsecure(), (err, port) => {
        if (err) reject(new Error(`cannot listen for gRPC on ${hostPort}: ${err.message}`));
        else resolve(port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, 2000);
      this.server.tryShutdown(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}
