// The zone's side of the root ↔ zone protocol (docs/format/nats.md): answers QueryRequest on
// canopy.query.<zone> and MetadataRequest on canopy.meta.<zone> with its LocalQuery, chunked
// to the bus's max payload, and publishes a Heartbeat on canopy.heartbeat.<zone>.
import { pb, MetadataKind, type IQueryRequest, type IPartialResult, type ISeries } from '../proto/index.ts';
import { SUBJECTS, type Bus, type Subscription } from '../shared/bus/index.ts';
import {
  encodeMetadataChunks,
  encodePartialChunks,
  GROUP_VALUES_RESULT,
  groupValuesToWire,
  labelsToWire,
  matrixSeriesToWire,
  valueToWire,
} from '../shared/wire/index.ts';
import { CanopyError, errorMessage, isCanopyError } from '../shared/errors.ts';
import { labelsFromRecord } from '../shared/labels.ts';
import type { Logger } from '../shared/log.ts';
import { ANONYMOUS_TENANT, validateTenantId } from '../shared/tenant.ts';
import type { LocalQuery } from './local-query.ts';
import { formatResolution, maxSourceResolutionFromText, type QueryOptions } from '../shared/api/index.ts';
import type { QueryResult } from '../shared/value.ts';
import type { ZoneHintsSource } from './hints.ts';
import type { ZoneMetrics } from './metrics.ts';

/** The answer's rollup resolution for the root ("" when rollups were not eligible). */
function resolutionText(res: QueryResult): string {
  return res.resolution && res.resolution.maxMs > 0 ? formatResolution(res.resolution.usedMs) : '';
}

export interface ResponderOptions {
  bus: Bus;
  zone: string;
  /** HA replica name ("" = a single-process zone): part of every subject (shared/bus SUBJECTS). */
  replica?: string;
  region: string;
  externalLabels: Record<string, string>;
  query: LocalQuery;
  logger: Logger;
  metrics: ZoneMetrics;
  defaultTimeoutMs: number;
  heartbeatIntervalMs: number;
  seriesCount: () => number;
  httpUrl: string;
  version: string;
  /** Field hints (published by the zone; answered here on request). */
  hints?: ZoneHintsSource;
}

export class Responder {
  private subs: Subscription[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly startedMs = Date.now();

  constructor(private readonly o: ResponderOptions) {}

  start(): void {
    this.subs.push(
      this.o.bus.subscribe(
        SUBJECTS.query(this.o.zone, this.o.replica),
        (m) => void this.onQuery(m.data, m.respond),
      ),
    );
    this.subs.push(
      this.o.bus.subscribe(
        SUBJECTS.metadata(this.o.zone, this.o.replica),
        (m) => void this.onMetadata(m.data, m.respond),
      ),
    );
    this.heartbeat();
    this.timer = setInterval(() => this.heartbeat(), this.o.heartbeatIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    for (const s of this.subs) s.unsubscribe();
    this.subs = [];
  }

  private heartbeat(): void {
    const hb = pb.Heartbeat.encode({
      zone: this.o.zone,
      region: this.o.region,
      timestampMs: Date.now(),
      startedMs: this.startedMs,
      seriesCount: this.o.seriesCount(),
      version: this.o.version,
      httpUrl: this.o.httpUrl,
      externalLabels: labelsToWire(labelsFromRecord(this.o.externalLabels)),
    }).finish();
    this.o.bus.publish(SUBJECTS.heartbeat(this.o.zone, this.o.replica), hb);
  }

  /** The request, or undefined (logged, not answered) when the bytes are not one. */
  private decodeRequest<T>(decode: (d: Uint8Array) => T, data: Uint8Array, what: string): T | undefined {
    try {
      return decode(data);
    } catch (e) {
      this.o.logger.warn({ err: errorMessage(e) }, `cannot decode ${what}`);
      return undefined;
    }
  }

  private base(queryId: string): IPartialResult {
    return { queryId, zone: this.o.zone, region: this.o.region };
  }

  private async onQuery(data: Uint8Array, respond: (d: Uint8Array) => void): Promise<void> {
    const req = this.decodeRequest((d) => pb.QueryRequest.decode(d), data, 'a query request');
    if (!req) return;
    const queryId = req.queryId ?? '';
    const endTimer = this.o.metrics.queryDuration.startTimer({ source: 'nats' });
    try {
      const opts: QueryOptions = {
        timeoutMs:
          Number(req.timeoutMs) > 0
            ? Math.min(Number(req.timeoutMs), this.o.defaultTimeoutMs)
            : this.o.defaultTimeoutMs,
        signal: new AbortController().signal,
        partialResponse: true,
        tenant: tenantOf(req.tenant),
        maxSourceResolution: maxSourceResolutionFromText(req.maxSourceResolution ?? ''),
      };
      const [base, series] = await this.answer(req, queryId, opts);
      for (const chunk of encodePartialChunks(base, series, this.o.bus.maxPayloadBytes())) respond(chunk);
      this.o.metrics.queries.inc({ source: 'nats', outcome: 'ok' });
      endTimer({ outcome: 'ok' });
    } catch (e) {
      this.o.metrics.queries.inc({ source: 'nats', outcome: 'error' });
      endTimer({ outcome: 'error' });
      const code = isCanopyError(e) ? e.code : 'internal';
      respond(
        pb.PartialResult.encode({
          ...this.base(queryId),
          last: true,
          error: { code, message: errorMessage(e) },
        }).finish(),
      );
    }
  }

  /** A query's answer: the fixed fields of its chunks and the series they carry. */
  private async answer(
    req: IQueryRequest,
    queryId: string,
    opts: QueryOptions,
  ): Promise<[IPartialResult, ISeries[]]> {
    if (req.select && req.select.length > 0) {
      const series = await this.o.query.selectRaw(req.select, Number(req.startMs), Number(req.endMs), opts);
      return [{ ...this.base(queryId), resultType: 'matrix' }, series.map(matrixSeriesToWire)];
    }
    const res = req.range
      ? await this.o.query.queryRange(
          req.expr ?? '',
          Number(req.startMs),
          Number(req.endMs),
          Number(req.stepMs),
          opts,
        )
      : await this.o.query.query(req.expr ?? '', Number(req.timeMs), opts);
    if (req.aggregate?.op === GROUP_VALUES_RESULT) {
      const series = groupValuesToWire(res.value, req.aggregate.grouping ?? [], !!req.aggregate.without);
      return [
        {
          ...this.base(queryId),
          resultType: GROUP_VALUES_RESULT,
          warnings: res.warnings,
          resolution: resolutionText(res),
        },
        series,
      ];
    }
    const w = valueToWire(res.value);
    return [
      {
        ...this.base(queryId),
        resultType: w.resultType,
        scalar: w.scalar ?? 0,
        stringValue: w.stringValue ?? '',
        warnings: res.warnings,
        resolution: resolutionText(res),
      },
      w.series,
    ];
  }

  private async onMetadata(data: Uint8Array, respond: (d: Uint8Array) => void): Promise<void> {
    const req = this.decodeRequest((d) => pb.MetadataRequest.decode(d), data, 'a metadata request');
    if (!req) return;
    const q = this.o.query;
    const sel = req.matchers ?? [];
    const start = Number(req.startMs),
      end = Number(req.endMs);
    const limit = req.limit ? req.limit : undefined;
    const out = pb.MetadataResult.create({ queryId: req.queryId, zone: this.o.zone });
    try {
      const opts = { tenant: tenantOf(req.tenant) };
      switch (req.kind ?? MetadataKind.SERIES) {
        case MetadataKind.SERIES: {
          const r = await q.series(sel, start, end, limit, opts);
          out.series = r.data.map((ls) => ({ labels: labelsToWire(ls) }));
          out.warnings = r.warnings;
          break;
        }
        case MetadataKind.LABEL_NAMES: {
          const r = await q.labelNames(sel, start, end, limit, opts);
          out.values = r.data;
          out.warnings = r.warnings;
          break;
        }
        case MetadataKind.LABEL_VALUES: {
          const r = await q.labelValues(req.labelName ?? '', sel, start, end, limit, opts);
          out.values = r.data;
          out.warnings = r.warnings;
          break;
        }
        case MetadataKind.METADATA: {
          const r = await q.metadata(sel[0] || undefined, limit, opts);
          out.metadata = Object.entries(r.data).flatMap(([metric, ms]) => ms.map((m) => ({ metric, ...m })));
          break;
        }
        case MetadataKind.HINTS:
        case MetadataKind.CARDINALITY: {
          // Hints are the zone's, across tenants: they are for the root's planner only and
          // never answered to a tenant other than anonymous.
          if (opts.tenant !== ANONYMOUS_TENANT)
            throw new CanopyError('bad_data', 'field hints and cardinality are not available per tenant');
          if (!this.o.hints)
            throw new CanopyError('unavailable', `zone ${this.o.zone} publishes no field hints`);
          out.hints = await this.o.hints.compute(req.kind === MetadataKind.CARDINALITY);
          break;
        }
        default:
          throw new CanopyError('bad_data', `unknown metadata kind ${req.kind}`);
      }
    } catch (e) {
      out.error = { code: isCanopyError(e) ? e.code : 'internal', message: errorMessage(e) };
    }
    for (const chunk of encodeMetadataChunks(out, this.o.bus.maxPayloadBytes())) respond(chunk);
  }
}

/** The request's tenant: empty is anonymous (roots that predate tenants); invalid → bad_data. */
function tenantOf(t: string | null | undefined): string {
  return t ? validateTenantId(t, 'tenant') : ANONYMOUS_TENANT;
}
