// Fanout: scatter a request to zones over the bus and gather their answers, each within the
// zone deadline. Says why it skipped or lost a zone: a zone known to be down (no heartbeat) is
// skipped at once; a zone that errs or misses the deadline yields a warning naming it, or —
// when the query's partial-response policy is off — an error.
//
// An answer must come from the zone asked: its `zone` field must name that zone, and no series
// of a raw fetch or a series listing may be labelled as another zone the root knows (the zone
// attaches its external labels to everything it returns; an expression's answer may rewrite
// labels, so only its `zone` field is checked). Otherwise the answer is dropped, counted and
// reported as that zone's failure (a warning naming it): a misconfigured or impostor responder
// cannot slip series labelled as another zone into a result.
import { pb, type IMetadataRequest, type IMetadataResult, type IPartialResult, type IQueryRequest } from '../proto/index.ts';
import { SUBJECTS, type Bus } from '../shared/bus/index.ts';
import { MetadataStream, PartialStream } from '../shared/wire/index.ts';
import { CanopyError, errorMessage, isCanopyError, type ErrorCode } from '../shared/errors.ts';
import type { Logger } from '../shared/log.ts';
import type { ZoneDirectory, ZoneState } from './zones.ts';
import type { canopy } from '../proto/index.ts';

/** Why an answer was dropped (canopy_root_zone_answers_dropped_total{reason}). */
export type AnswerDroppedReason = 'zone_mismatch' | 'external_labels_mismatch';

/**
 * The first `zone` label in `sets` that names another zone the root knows, as `zone="x"`. A
 * series' own labels win over the external ones at the zone, so a value naming no known zone
 * (data remote-written with its own `zone` label) is the zone's data; one naming a sibling zone
 * is an impersonation or a misconfiguration.
 */
function otherZoneLabel(self: string, known: ReadonlySet<string>, sets: readonly (readonly canopy.v1.ILabel[] | null | undefined)[]): string | undefined {
  for (const ls of sets) {
    for (const l of ls ?? []) {
      if (l.name === 'zone' && l.value !== self && known.has(l.value ?? '')) return `zone="${l.value}"`;
    }
  }
  return undefined;
}

export interface ZoneAnswer<T> {
  zone: ZoneState;
  result: T;
}

export interface Gathered<T> {
  answers: ZoneAnswer<T>[];
  warnings: string[];
  /** Zones that were not asked, with the reason. */
  skipped: { zone: string; reason: string }[];
  /** Bytes received from the zones (all chunks). */
  bytes: number;
  /** Per zone, ms from sending the request to its complete answer. */
  zoneMs: Record<string, number>;
}

export interface FanoutOptions {
  timeoutMs: number;
  partialResponse: boolean;
  signal?: AbortSignal;
  /** Return false to leave a zone out (pruning); reason is reported. */
  select?: (z: ZoneState) => true | string;
  /** The tenant every request is for (QueryRequest/MetadataRequest.tenant); absent = anonymous. */
  tenant?: string;
}

/** Errors that mean "the query is wrong" rather than "the zone is unwell": returned as is. */
const QUERY_ERRORS: ReadonlySet<string> = new Set<ErrorCode>(['parse_error', 'bad_data', 'execution', 'too_many_samples', 'too_many_series', 'limit_exceeded']);

export class Fanout {
  constructor(
    private readonly bus: Bus,
    private readonly zones: ZoneDirectory,
    private readonly log: Logger,
    private readonly onDropped: (reason: AnswerDroppedReason) => void = () => {},
  ) {}

  /** Throws (the answer is dropped) when an answer does not come from zone `z`. */
  private checkIdentity(z: ZoneState, answerZone: string | null | undefined, sets: readonly (readonly canopy.v1.ILabel[] | null | undefined)[]): void {
    let why: string | undefined;
    let reason: AnswerDroppedReason = 'zone_mismatch';
    if ((answerZone ?? '') !== z.zone) why = `it answered as zone "${answerZone ?? ''}"`;
    else {
      const bad = sets.length ? otherZoneLabel(z.zone, new Set(this.zones.list().map((x) => x.zone)), sets) : undefined;
      if (bad) {
        reason = 'external_labels_mismatch';
        why = `it returned series labelled ${bad}, another zone's`;
      }
    }
    if (!why) return;
    this.onDropped(reason);
    this.log.warn({ zone: z.zone, reason }, `answer dropped: ${why}`);
    throw new CanopyError('unavailable', `answer dropped: ${why}`);
  }

  query(req: IQueryRequest, opts: FanoutOptions): Promise<Gathered<IPartialResult>> {
    const data = pb.QueryRequest.encode({ ...req, timeoutMs: opts.timeoutMs, tenant: opts.tenant ?? '' }).finish();
    return this.scatter(opts, async (z, out) => {
      const stream = new PartialStream();
      await this.bus.requestStream(SUBJECTS.query(z.zone), data, {
        timeoutMs: opts.timeoutMs,
        signal: opts.signal,
        onReply: (d) => {
          out.bytes += d.length;
          return stream.add(d);
        },
      });
      const r = stream.result();
      if (r.error?.code) throw new CanopyError(r.error.code as ErrorCode, r.error.message ?? 'zone error');
      // Raw fetches return stored series as they are; an expression may rewrite labels
      // (label_replace) and is checked on the answering zone only.
      this.checkIdentity(z, r.zone, req.select?.length ? (r.series ?? []).map((x) => x.labels) : []);
      return r;
    });
  }

  metadata(req: IMetadataRequest, opts: FanoutOptions): Promise<Gathered<IMetadataResult>> {
    const data = pb.MetadataRequest.encode({ ...req, timeoutMs: opts.timeoutMs, tenant: opts.tenant ?? '' }).finish();
    return this.scatter(opts, async (z, g) => {
      const stream = new MetadataStream();
      await this.bus.requestStream(SUBJECTS.metadata(z.zone), data, {
        timeoutMs: opts.timeoutMs,
        signal: opts.signal,
        onReply: (d) => {
          g.bytes += d.length;
          return stream.add(d);
        },
      });
      const out = stream.result();
      if (out.error?.code) throw new CanopyError(out.error.code as ErrorCode, out.error.message ?? 'zone error');
      this.checkIdentity(z, out.zone, (out.series ?? []).map((x) => x.labels));
      return out;
    });
  }

  private async scatter<T>(opts: FanoutOptions, ask: (z: ZoneState, g: Gathered<T>) => Promise<T>): Promise<Gathered<T>> {
    const out: Gathered<T> = { answers: [], warnings: [], skipped: [], bytes: 0, zoneMs: {} };
    const asked: ZoneState[] = [];
    const down: ZoneState[] = [];
    for (const z of this.zones.list()) {
      const sel = opts.select ? opts.select(z) : true;
      if (sel !== true) {
        out.skipped.push({ zone: z.zone, reason: sel });
        continue;
      }
      if (!this.zones.isAlive(z)) {
        down.push(z);
        continue;
      }
      asked.push(z);
    }
    const failures: string[] = [];
    for (const z of down) {
      const why = z.lastHeartbeatMs === 0 ? 'has not sent a heartbeat' : `has sent no heartbeat for ${Math.round((Date.now() - z.lastHeartbeatMs) / 1000)} s`;
      failures.push(`zone ${z.zone} (region ${z.region || '?'}) is down: it ${why}`);
      out.skipped.push({ zone: z.zone, reason: 'down' });
    }
    const settled = await Promise.allSettled(
      asked.map(async (z) => {
        const t0 = performance.now();
        const r = await ask(z, out);
        out.zoneMs[z.zone] = performance.now() - t0;
        return r;
      }),
    );
    for (let i = 0; i < asked.length; i++) {
      const z = asked[i]!;
      const s = settled[i]!;
      if (s.status === 'fulfilled') {
        out.answers.push({ zone: z, result: s.value });
        continue;
      }
      const e = s.reason;
      if (isCanopyError(e) && QUERY_ERRORS.has(e.code)) throw e;
      if (isCanopyError(e, 'canceled')) throw e;
      const msg = isCanopyError(e, 'timeout')
        ? `zone ${z.zone} (region ${z.region || '?'}) did not answer within ${opts.timeoutMs} ms`
        : `zone ${z.zone} (region ${z.region || '?'}) failed: ${errorMessage(e)}`;
      this.log.warn({ zone: z.zone, err: errorMessage(e) }, 'zone failed to answer');
      failures.push(msg);
    }
    if (failures.length > 0) {
      if (!opts.partialResponse) throw new CanopyError('unavailable', `partial response is disabled and ${failures.join('; ')}`);
      out.warnings.push(...failures.map((f) => `${f}: the result is partial`));
    }
    return out;
  }
}
