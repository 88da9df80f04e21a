// OTLP/HTTP metrics receiver at the zone (POST /api/v1/otlp/v1/metrics, Prometheus's path):
// protobuf or JSON, optionally gzip-compressed, translated to Prometheus samples by
// shared/otlp (names, job/instance, target_info, delta → cumulative; docs/otlp.md) and
// written through the same Admission as remote_write and push.
// Statuses: 200 with ExportMetricsServiceResponse when the request was processed — with
// partial_success {rejected_data_points, error_message} when points were dropped for bad data
// (OTLP senders must not retry those); 429 (series limits) and 503 (back-pressure, storage
// unavailable) with a google.rpc.Status body so senders retry; 400/413/415 for a body that
// cannot be used. Every dropped sample is counted in canopy_zone_samples_dropped_total{reason};
// translation drops count one per data point.
import {
  CumulativeState,
  DEFAULT_IDLE_MS,
  otlpError,
  otlpSuccess,
  receiveOtlp,
  type OtlpResponse,
} from '../../shared/otlp/index.ts';
import { formatLabels, withLabel } from '../../shared/labels.ts';
import { errorMessage, isCanopyError } from '../../shared/errors.ts';
import { tenantFromHeaders } from '../../shared/tenant.ts';
import { DropTally } from './drop-tally.ts';
import {
  commitBatch,
  countIngested,
  DEFAULT_MAX_BODY_BYTES,
  header,
  type IngestHeaders,
  type IngestOptions,
} from './ingest-options.ts';

/** How a request arrived: OTLP/HTTP (path "otlp") or OTLP/gRPC on the ingest port ("otlp_grpc", with the authenticated identity label when configured). */
export interface OtlpVia {
  path: 'otlp' | 'otlp_grpc';
  /** Set on every series, replacing one the sender sent (the gRPC identity label). */
  identityLabel?: { name: string; value: string };
}

export type OtlpHandler = (body: Buffer, headers: IngestHeaders, via?: OtlpVia) => Promise<OtlpResponse>;

/** Where the OTLP type, description and unit of each metric go (the zone's MetadataStore). */
export type OtlpMetadataSink = (
  tenant: string,
  metric: string,
  m: { type: string; help: string; unit: string },
) => void;

/** A handler with its own delta → cumulative state (one per zone and tenant). */
export function otlpHandler(opts: IngestOptions, onMetadata: OtlpMetadataSink = () => {}): OtlpHandler {
  const states = new Map<string, CumulativeState>();
  const startedMs = (opts.now ?? Date.now)();
  return async (body, headers, via = { path: 'otlp' }) => {
    let tenant: string | Error;
    try {
      tenant = tenantFromHeaders(headers);
    } catch (e) {
      if (!isCanopyError(e, 'bad_data')) throw e;
      tenant = new Error(errorMessage(e));
    }
    let state = states.get(typeof tenant === 'string' ? tenant : '');
    if (!state)
      states.set(
        typeof tenant === 'string' ? tenant : '',
        (state = new CumulativeState(DEFAULT_IDLE_MS, startedMs)),
      );
    const res = await receive(body, headers, tenant, opts, state, onMetadata, via);
    opts.metrics.request(via.path, res.status);
    return res;
  };
}

async function receive(
  body: Buffer,
  headers: IngestHeaders,
  tenant: string | Error,
  opts: IngestOptions,
  state: CumulativeState,
  onMetadata: OtlpMetadataSink,
  via: OtlpVia,
): Promise<OtlpResponse> {
  const nowMs = (opts.now ?? Date.now)();
  const got = await receiveOtlp(
    body,
    header(headers, 'content-type'),
    header(headers, 'content-encoding'),
    opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    state,
    nowMs,
  );
  if (!got.ok) return got.response;
  const { media, translation: tr } = got;
  if (typeof tenant !== 'string') return otlpError(media, 400, tenant.message);
  for (const m of tr.metadata) onMetadata(tenant, m.name, { type: m.type, help: m.help, unit: m.unit });
  const admission = opts.tenants.admission(tenant);
  // A request over the tenant's rate is refused whole (429, the sender retries), as push.
  if (!admission.takeRate(tr.samples.length + tr.distributions.length, nowMs)) {
    const refused = new DropTally();
    refused.add(admission.reason, tr.samples.length + tr.distributions.length, admission.error);
    refused.countInto(opts.metrics, tenant, opts.tenants);
    return otlpError(media, 429, admission.error);
  }
  const tally = new DropTally();
  let translationDrops = 0;
  for (const [reason, n] of tr.drops) {
    tally.add(reason, n, '');
    translationDrops += n;
  }
  const { storage } = opts;
  const app = storage.appender();
  // Points with at least one sample refused by admission, for rejected_data_points.
  const rejectedPoint = new Uint8Array(tr.points);
  let appended = 0,
    admissionDrops = 0;
  for (const s of [...tr.samples, ...tr.distributions]) {
    const labels = admission.checkLabels(
      via.identityLabel ? withLabel(s.labels, via.identityLabel.name, via.identityLabel.value) : s.labels,
      '',
      true,
    );
    if (
      labels !== null &&
      admission.checkTimestamp(s.tMs, nowMs) === null &&
      admission.admitSeries(labels, nowMs)
    ) {
      if ('d' in s) app.appendDistribution(labels, s.tMs, s.d);
      else app.append(labels, s.tMs, s.value);
      appended++;
      continue;
    }
    tally.add(
      admission.reason,
      1,
      tally.wantsMessage() ? `${admission.error} for series ${formatLabels(s.labels)}` : '',
    );
    admissionDrops++;
    if (s.point >= 0) rejectedPoint[s.point] = 1;
  }
  const out = await commitBatch(app, appended, tally, opts.logger);
  tally.countInto(opts.metrics, tenant, opts.tenants);
  if (!out.ok) return otlpError(media, out.status, out.message);
  countIngested(opts, via.path, tenant, out.accepted);
  const status = tally.httpStatus();
  if (status === 429 || status === 503)
    return otlpError(
      media,
      status,
      tally.summary(tr.samples.length + tr.distributions.length + translationDrops),
    );
  if (tally.total === 0) return otlpSuccess(media, 0, '');
  let rejected = translationDrops;
  for (const r of rejectedPoint) rejected += r;
  // Storage rejections (out of order, duplicates) are known only as sample counts: each is
  // counted as a point, capped at the points received.
  rejected = Math.min(tr.points, rejected + (tally.total - translationDrops - admissionDrops));
  opts.logger.debug(
    { rejected: Object.fromEntries(tally.counts), points: tr.points },
    'otlp: points rejected',
  );
  const messages = [...tr.errors, ...tally.errors].slice(0, 5).join('; ');
  return otlpSuccess(
    media,
    rejected,
    `rejected ${tally.total} of ${tr.samples.length + tr.distributions.length + translationDrops} samples: ${messages}`,
  );
}
