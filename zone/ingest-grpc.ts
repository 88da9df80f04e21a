// The gRPC ingest service (canopy.v1.Ingest/Push): a leaf batch is converted to appender calls,
// committed (durable before commit() resolves), and only then acknowledged. Rejected samples
// are counted by reason and reported in the ack; a malformed batch is REJECTED, a storage
// failure asks the leaf to RETRY. Who may push is decided first (zone/grpc-auth.ts): a call
// that fails it gets UNAUTHENTICATED and is counted by reason; nothing of it is applied.
// The tenant is the call's `x-scope-orgid` metadata (anonymous without it; INVALID_ARGUMENT
// when invalid). A batch over the tenant's ingestion rate is answered RETRY (the leaf keeps it
// buffered and sends it again; nothing is dropped); one larger than the tenant's burst is
// refused for good (PARTIAL, 0 accepted, counted as rate_limited). A leaf pinned to a tenant
// (zone/grpc-tenant-binding.ts) writes as that tenant whatever it claims, or is refused.
// Requests refused before any sample is looked at — a body that is not a canopy.v1.Batch, no
// batch id, an invalid tenant, a tenant the leaf may not write as — get INVALID_ARGUMENT or
// PERMISSION_DENIED with the reason and are counted in
// canopy_zone_grpc_requests_refused_total{reason} (malformed, no_batch_id, invalid_tenant,
// tenant_not_allowed). A message over 64 MiB is refused by grpc-js (RESOURCE_EXHAUSTED).
// The same server carries OTLP/gRPC (opentelemetry.proto.collector.metrics.v1.MetricsService/
// Export) when the zone hands it its OTLP handler: the same authentication (UNAUTHENTICATED
// before anything is decoded), the same x-scope-orgid tenant rule and tenant binding, the
// identity label set on every series; the request is then the OTLP/HTTP handler's
// (zone/ingest/otlp.ts; statuses mapped by shared/otlp/grpc.ts), counted as path="otlp_grpc".
import {
  Server,
  status as GrpcStatus,
  type ServerUnaryCall,
  type sendUnaryData,
  type ServiceDefinition,
  type ServiceError,
} from '@grpc/grpc-js';
import { Counter } from 'prom-client';
import { GrpcAuth } from './grpc-auth.ts';
import { AckStatus, ingestService, pb, type IAck, type IBatch } from '../proto/index.ts';
import { otlpMetricsService } from '../proto/otlp/index.ts';
import { OTLP_GRPC_CONTENT_TYPE, otlpGrpcOutcome } from '../shared/otlp/index.ts';
import type { OtlpHandler } from './ingest/index.ts';
import { decideTenant } from './grpc-tenant-binding.ts';
import { distributionFromWire } from '../shared/wire/index.ts';
import type { IngestDropReason, Tenants } from './ingest/index.ts';
import { errorMessage } from '../shared/errors.ts';
import { ANONYMOUS_TENANT, TENANT_HEADER, tenantIdError } from '../shared/tenant.ts';
import type { Logger } from '../shared/log.ts';
import type { Storage } from '../shared/storage.ts';
import { BatchLog } from './batch-log.ts';
import type { MetadataStore } from './metadata.ts';
import type { ZoneMetrics } from './metrics.ts';

export interface IngestServiceOptions {
  storage: Storage;
  metadata: MetadataStore;
  metrics: ZoneMetrics;
  tenants: Tenants;
  logger: Logger;
  /** Who may push (default: anyone, in plaintext). */
  auth?: GrpcAuth;
  /** Label set to the authenticated leaf's identity on every series it pushes (replacing any the leaf sent). */
  identityLabel?: string;
  /** OTLP/gRPC MetricsService on this server (the zone's OTLP/HTTP handler); absent: not offered. */
  otlp?: OtlpHandler;
}

/** Samples in a batch (floats and distributions). */
function batchSamples(b: IBatch): number {
  let n = 0;
  for (const s of b.series ?? []) n += (s.timestampsMs?.length ?? 0) + (s.distributions?.length ?? 0);
  return n;
}

export async function applyBatch(
  b: IBatch,
  opts: IngestServiceOptions,
  tenant = ANONYMOUS_TENANT,
  identity = '',
): Promise<IAck> {
  const idLabel = identity && opts.identityLabel ? opts.identityLabel : '';
  const adm = opts.tenants.admission(tenant);
  const now = Date.now();
  const total = batchSamples(b);
  if (!adm.takeRate(total, now)) {
    // A batch larger than the burst can never pass: refuse it for good (counted) rather than
    // wedge the leaf's queue with retries. Otherwise RETRY: nothing is lost (the leaf keeps
    // the batch and counts the retry), so nothing is counted as dropped.
    if (total > adm.limits.ingestionBurstSize) {
      opts.metrics.ingest.dropped('rate_limited', total, tenant);
      opts.tenants.recordDropped(tenant, 'rate_limited', total);
      return {
        batchId: b.batchId,
        status: AckStatus.PARTIAL,
        accepted: 0,
        rejected: total,
        rejections: [{ reason: 'rate_limited', count: total }],
        message: adm.error,
      };
    }
    return { batchId: b.batchId, status: AckStatus.RETRY, message: adm.error };
  }
  const app = opts.storage.appender();
  let samples = 0;
  const dropped: Partial<Record<string, number>> = {};
  const errors: string[] = [];
  const drop = (reason: string, n: number, msg: string): void => {
    dropped[reason] = (dropped[reason] ?? 0) + n;
    if (errors.length < 3) errors.push(msg);
  };
  for (const s of b.series ?? []) {
    const ts = s.timestampsMs ?? [];
    const vs = s.values ?? [];
    const dists = s.distributions ?? [];
    const n = ts.length + dists.length;
    samples += n;
    if (ts.length !== vs.length) {
      app.rollback();
      return {
        batchId: b.batchId,
        status: AckStatus.REJECTED,
        message: `a series has ${ts.length} timestamps but ${vs.length} values`,
      };
    }
    let raw = (s.labels ?? []).map((l) => ({ name: l.name ?? '', value: l.value ?? '' }));
    // The identity the zone authenticated, not one the leaf claims.
    if (idLabel) raw = [...raw.filter((l) => l.name !== idLabel), { name: idLabel, value: identity }];
    const labels = adm.checkLabels(raw, '', true);
    if (!labels) {
      drop(adm.reason, n, adm.error);
      continue;
    }
    if (!adm.admitSeries(labels, now)) {
      drop(adm.reason, n, adm.error);
      continue;
    }
    for (let i = 0; i < ts.length; i++) {
      const t = Number(ts[i]);
      const bad = adm.checkTimestamp(t, now);
      if (bad) drop(bad, 1, adm.error);
      else app.append(labels, t, vs[i]!);
    }
    for (const d of dists) {
      const t = Number(d.timestampMs);
      const bad = adm.checkTimestamp(t, now);
      if (bad) drop(bad, 1, adm.error);
      else app.appendDistribution(labels, t, distributionFromWire(d.value));
    }
  }
  for (const m of b.metadata ?? []) {
    if (m.metric)
      opts.metadata.set(tenant, m.metric, {
        type: m.type ?? 'unknown',
        help: m.help ?? '',
        unit: m.unit ?? '',
      });
  }
  let res;
  try {
    res = await app.commit();
  } catch (e) {
    opts.logger.error({ err: e, batchId: b.batchId }, 'cannot commit batch');
    return { batchId: b.batchId, status: AckStatus.RETRY, message: `cannot commit: ${errorMessage(e)}` };
  }
  opts.metrics.ingest.ingested('grpc', res.accepted, tenant);
  opts.tenants.recordIngested(tenant, res.accepted);
  for (const [reason, count] of Object.entries(res.rejected))
    dropped[reason] = (dropped[reason] ?? 0) + (count ?? 0);
  errors.push(...res.errors.slice(0, 3 - Math.min(3, errors.length)));
  const rejections = Object.entries(dropped).map(([reason, count]) => {
    opts.metrics.ingest.dropped(reason as IngestDropReason, count ?? 0, tenant);
    opts.tenants.recordDropped(tenant, reason as IngestDropReason, count ?? 0);
    return { reason, count: count ?? 0 };
  });
  const rejected = samples - res.accepted;
  return {
    batchId: b.batchId,
    status: rejected > 0 ? AckStatus.PARTIAL : AckStatus.OK,
    accepted: res.accepted,
    rejected,
    rejections,
    message: errors.join('; '),
  };
}

/** Largest gRPC message the zone accepts, bytes. */
export const MAX_GRPC_MESSAGE_BYTES = 64 * 1024 * 1024;

/** A request body that did not decode as a canopy.v1.Batch. */
interface Malformed {
  malformed: string;
}

/**
 * The Ingest service with a decoder that does not throw: grpc-js answers a throwing decoder
 * with INTERNAL "Error deserializing request" and nothing counted; the handler answers this one.
 */
const safeIngestService: ServiceDefinition = {
  push: {
    ...ingestService.push!,
    requestDeserialize: (buf: Buffer): IBatch | Malformed => {
      try {
        return pb.Batch.decode(buf);
      } catch (e) {
        return { malformed: `cannot decode canopy.v1.Batch (${buf.length} bytes): ${errorMessage(e)}` };
      }
    },
  },
};

export class IngestServer {
  private readonly server = new Server({ 'grpc.max_receive_message_length': MAX_GRPC_MESSAGE_BYTES });
  private readonly log = new BatchLog();
  private readonly auth: GrpcAuth;
  private readonly seen = new Set<string>();

  constructor(private readonly opts: IngestServiceOptions) {
    this.auth = opts.auth ?? new GrpcAuth({});
    const registers = [opts.metrics.registry];
    const refused = new Counter({
      name: 'canopy_zone_grpc_unauthenticated_total',
      help: 'gRPC pushes refused as UNAUTHENTICATED, by reason (no_certificate, bad_certificate, no_token, bad_token).',
      labelNames: ['reason'],
      registers,
    });
    const byIdentity = new Counter({
      name: 'canopy_zone_grpc_batches_total',
      help: 'gRPC batches accepted for processing, by the leaf\'s authenticated identity ("" without one).',
      labelNames: ['identity'],
      registers,
    });
    const invalid = new Counter({
      name: 'canopy_zone_grpc_requests_refused_total',
      help: 'gRPC pushes refused before their samples were read, by reason (malformed, no_batch_id, invalid_tenant, tenant_not_allowed).',
      labelNames: ['reason'],
      registers,
    });
    for (const reason of ['malformed', 'no_batch_id', 'invalid_tenant', 'tenant_not_allowed'])
      invalid.inc({ reason }, 0);
    const refuse = <T>(cb: sendUnaryData<T>, reason: string, code: GrpcStatus, details: string): null => {
      invalid.inc({ reason });
      cb({ code, details });
      return null;
    };
    const binding = opts.auth?.cfg.tenantBinding;
    /** Who is calling and as which tenant, or the refusal already counted, logged and answered. */
    const authorize = <T>(
      call: ServerUnaryCall<unknown, T>,
      cb: sendUnaryData<T>,
    ): { identity: string; tenant: string } | null => {
      const who = this.auth.check(call.getAuthContext()?.sslPeerCertificate, call.metadata);
      if (!who.ok) {
        refused.inc({ reason: who.reason });
        if (!this.seen.has(`!${who.reason}${call.getPeer()}`) && this.seen.size < 10_000) {
          this.seen.add(`!${who.reason}${call.getPeer()}`);
          opts.logger.warn({ peer: call.getPeer(), reason: who.reason }, `gRPC push refused: ${who.message}`);
        }
        cb({ code: GrpcStatus.UNAUTHENTICATED, details: who.message });
        return null;
      }
      if (who.identity && !this.seen.has(who.identity) && this.seen.size < 10_000) {
        this.seen.add(who.identity);
        opts.logger.info({ identity: who.identity, peer: call.getPeer() }, 'leaf authenticated');
      }
      byIdentity.inc({ identity: who.identity });
      const md = call.metadata.get(TENANT_HEADER);
      const claimed = md.length === 0 ? undefined : String(md[0]);
      const bad = md.length > 1 ? 'more than one value' : claimed === undefined ? '' : tenantIdError(claimed);
      if (bad) return refuse(cb, 'invalid_tenant', GrpcStatus.INVALID_ARGUMENT, `x-scope-orgid: ${bad}`);
      const decided = decideTenant(binding, who.identity, claimed);
      if (!decided.ok) return refuse(cb, 'tenant_not_allowed', GrpcStatus.PERMISSION_DENIED, decided.message);
      return { identity: who.identity, tenant: decided.tenant };
    };
    if (opts.otlp) {
      const otlp = opts.otlp;
      this.server.addService(otlpMetricsService, {
        export: (call: ServerUnaryCall<Buffer, Uint8Array>, cb: sendUnaryData<Uint8Array>) => {
          const who = authorize(call, cb);
          if (!who) return;
          const idLabel =
            who.identity && opts.identityLabel
              ? { name: opts.identityLabel, value: who.identity }
              : undefined;
          const headers = {
            'content-type': OTLP_GRPC_CONTENT_TYPE,
            ...(who.tenant === ANONYMOUS_TENANT ? {} : { [TENANT_HEADER]: who.tenant }),
          };
          otlp(call.request, headers, { path: 'otlp_grpc', identityLabel: idLabel })
            .then((res) => {
              const out = otlpGrpcOutcome(res);
              if (out.ok) cb(null, out.body);
              else cb({ code: out.code, details: out.details } as Partial<ServiceError>);
            })
            .catch((e) => cb({ code: GrpcStatus.INTERNAL, details: errorMessage(e) }));
        },
      });
    }
    this.server.addService(safeIngestService, {
      push: (call: ServerUnaryCall<IBatch | Malformed, IAck>, cb: sendUnaryData<IAck>) => {
        const who = authorize(call, cb);
        if (!who) return;
        const { tenant } = who;
        const b = call.request;
        if ('malformed' in b) return void refuse(cb, 'malformed', GrpcStatus.INVALID_ARGUMENT, b.malformed);
        if (!b.batchId)
          return void refuse(cb, 'no_batch_id', GrpcStatus.INVALID_ARGUMENT, 'batch_id is required');
        // Batch ids are the leaf's; two tenants' leaves may not share the acknowledgement memo.
        this.log
          .once(`${tenant}/${b.batchId}`, () => applyBatch(b, this.opts, tenant, who.identity))
          .then((ack) => cb(null, ack))
          .catch((e) => cb({ code: GrpcStatus.INTERNAL, details: errorMessage(e) }));
      },
    });
  }

  listen(hostPort: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.bindAsync(hostPort, this.auth.serverCredentials(), (err, port) => {
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
