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
//
// HA zones (global/zones.ts): a zone's replicas are asked one at a time, the preferred first;
// when it fails (a killed replica has no responders at once) or has not answered within half
// the deadline, the next one is asked too, and the first answer wins. When the caller says the
// replicas must be merged (mergeReplicas: the preferred one restarted within the query's
// window), all live replicas are asked and each answer is returned, tagged with its replica.
// A zone is skipped when every replica was pruned; it is down when every live-candidate is.
import {
  pb,
  type IMetadataRequest,
  type IMetadataResult,
  type IPartialResult,
  type IQueryRequest,
} from '../proto/index.ts';
import { SUBJECTS, type Bus } from '../shared/bus/index.ts';
import { MetadataStream, PartialStream, type ChunkFields, type ChunkStream } from '../shared/wire/index.ts';
import { CanopyError, errorMessage, isCanopyError, type ErrorCode } from '../shared/errors.ts';
import type { Logger } from '../shared/log.ts';
import { zoneName, type ZoneDirectory, type ZoneState } from './zones.ts';
import type { canopy } from '../proto/index.ts';

/** Why an answer was dropped (canopy_root_zone_answers_dropped_total{reason}). */
export type AnswerDroppedReason = 'zone_mismatch' | 'external_labels_mismatch';

/**
 * The first `zone` label in `sets` that names another zone the root knows, as `zone="x"`. A
 * series' own labels win over the external ones at the zone, so a value naming no known zone
 * (data remote-written with its own `zone` label) is the zone's data; one naming a sibling zone
 * is an impersonation or a misconfiguration.
 */
function otherZoneLabel(
  self: string,
  known: ReadonlySet<string>,
  sets: readonly (readonly canopy.v1.ILabel[] | null | undefined)[],
): string | undefined {
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
  /**
   * HA zones: given the live, unpruned replicas of a zone (preferred first), true to ask them all
   * and return one answer per replica (the caller deduplicates); otherwise one replica answers,
   * the next one when it fails or is slow. Absent: always one.
   */
  mergeReplicas?: (replicas: readonly ZoneState[]) => boolean;
}

/** Errors that mean "the query is wrong" rather than "the zone is unwell": returned as is. */
const QUERY_ERRORS: ReadonlySet<string> = new Set<ErrorCode>([
  'parse_error',
  'bad_data',
  'execution',
  'too_many_samples',
  'too_many_series',
  'limit_exceeded',
]);

export class Fanout {
  constructor(
    private readonly bus: Bus,
    private readonly zones: ZoneDirectory,
    private readonly log: Logger,
    private readonly onDropped: (reason: AnswerDroppedReason) => void = () => {},
  ) {}

  /** Throws (the answer is dropped) when an answer does not come from zone `z`. */
  private checkIdentity(
    z: ZoneState,
    answerZone: string | null | undefined,
    sets: readonly (readonly canopy.v1.ILabel[] | null | undefined)[],
  ): void {
    let why: string | undefined;
    let reason: AnswerDroppedReason = 'zone_mismatch';
    if ((answerZone ?? '') !== z.zone) why = `it answered as zone "${answerZone ?? ''}"`;
    else {
      const bad = sets.length
        ? otherZoneLabel(z.zone, new Set(this.zones.list().map((x) => x.zone)), sets)
        : undefined;
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
    const data = pb.QueryRequest.encode({
      ...req,
      timeoutMs: opts.timeoutMs,
      tenant: opts.tenant ?? '',
    }).finish();
    return this.scatter(opts, async (z, g) => {
      const r = await this.collect(SUBJECTS.query(z.zone, z.replica), data, opts, g, new PartialStream());
      // Raw fetches return stored series as they are; an expression may rewrite labels
      // (label_replace) and is checked on the answering zone only.
      this.checkIdentity(z, r.zone, req.select?.length ? (r.series ?? []).map((x) => x.labels) : []);
      return r;
    });
  }

  metadata(req: IMetadataRequest, opts: FanoutOptions): Promise<Gathered<IMetadataResult>> {
    const data = pb.MetadataRequest.encode({
      ...req,
      timeoutMs: opts.timeoutMs,
      tenant: opts.tenant ?? '',
    }).finish();
    return this.scatter(opts, async (z, g) => {
      const out = await this.collect(
        SUBJECTS.metadata(z.zone, z.replica),
        data,
        opts,
        g,
        new MetadataStream(),
      );
      this.checkIdentity(
        z,
        out.zone,
        (out.series ?? []).map((x) => x.labels),
      );
      return out;
    });
  }

  /**
   * Sends one request to a zone replica and collects its chunked answer (shared/wire
   * ChunkStream; the bytes counted into g); a zone's error answer is thrown as its CanopyError.
   */
  private async collect<
    R extends ChunkFields & { error?: { code?: string | null; message?: string | null } | null },
  >(
    subject: string,
    data: Uint8Array,
    opts: FanoutOptions,
    g: { bytes: number },
    stream: ChunkStream<R> & { result(): R },
  ): Promise<R> {
    await this.bus.requestStream(subject, data, {
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
      onReply: (d) => {
        g.bytes += d.length;
        return stream.add(d);
      },
    });
    const r = stream.result();
    if (r.error?.code) throw new CanopyError(r.error.code as ErrorCode, r.error.message ?? 'zone error');
    return r;
  }

  private async scatter<T>(
    opts: FanoutOptions,
    ask: (z: ZoneState, g: Gathered<T>) => Promise<T>,
  ): Promise<Gathered<T>> {
    const out: Gathered<T> = { answers: [], warnings: [], skipped: [], bytes: 0, zoneMs: {} };
    const asked: { zone: ZoneState; candidates: ZoneState[]; all: boolean }[] = [];
    const failures: string[] = [];
    for (const z of this.zones.list()) {
      const reps = this.zones.replicas(z.zone);
      // pruning is per replica: the zone is skipped when every replica's hints rule it out
      const reasons = reps.map((r) => (opts.select ? opts.select(r) : true));
      const open = reps.filter((_, i) => reasons[i] === true);
      if (open.length === 0) {
        out.skipped.push({ zone: z.zone, reason: reasons[0] as string });
        continue;
      }
      const candidates = open.filter((r) => this.zones.isAlive(r));
      if (candidates.length === 0) {
        failures.push(downMessage(open));
        out.skipped.push({ zone: z.zone, reason: 'down' });
        continue;
      }
      asked.push({
        zone: z,
        candidates,
        all: candidates.length > 1 && opts.mergeReplicas !== undefined && opts.mergeReplicas(candidates),
      });
    }
    const timed = async (r: ZoneState): Promise<T> => {
      const t0 = performance.now();
      const v = await ask(r, out);
      out.zoneMs[r.key] = performance.now() - t0;
      return v;
    };
    const settled = await Promise.all(
      asked.map(async (a) => {
        if (a.all) return this.askAll(a.candidates, timed);
        return this.askOne(a.candidates, timed, opts.timeoutMs);
      }),
    );
    for (let i = 0; i < asked.length; i++) {
      const a = asked[i]!;
      const r = settled[i]!;
      for (const ok of r.answers) out.answers.push({ zone: ok.zone, result: ok.result });
      for (const e of r.errors) {
        if (isCanopyError(e.err) && QUERY_ERRORS.has(e.err.code)) throw e.err;
        if (isCanopyError(e.err, 'canceled')) throw e.err;
      }
      if (r.answers.length === 0) {
        failures.push(r.errors.map((e) => this.failMessage(e.zone, e.err, opts.timeoutMs)).join('; '));
        continue;
      }
      // merging replicas, one failed: the answer rests on the others alone (named, not hidden)
      if (a.all && r.errors.length > 0) {
        for (const e of r.errors)
          out.warnings.push(
            `${this.failMessage(e.zone, e.err, opts.timeoutMs)}: answered by ${r.answers.map((x) => `replica ${x.zone.replica}`).join(', ')} alone, which restarted within the query's window and may lack samples its leaves had not yet re-sent`,
          );
      }
    }
    if (failures.length > 0) {
      if (!opts.partialResponse)
        throw new CanopyError('unavailable', `partial response is disabled and ${failures.join('; ')}`);
      out.warnings.push(...failures.map((f) => `${f}: the result is partial`));
    }
    return out;
  }

  private failMessage(z: ZoneState, e: unknown, timeoutMs: number): string {
    this.log.warn(
      { zone: z.zone, ...(z.replica ? { replica: z.replica } : {}), err: errorMessage(e) },
      'zone failed to answer',
    );
    return isCanopyError(e, 'timeout')
      ? `${zoneName(z)} (region ${z.region || '?'}) did not answer within ${timeoutMs} ms`
      : `${zoneName(z)} (region ${z.region || '?'}) failed: ${errorMessage(e)}`;
  }

  /** Every replica at once (the root merges them: global/merge/replica-dedup.ts). */
  private async askAll<T>(reps: ZoneState[], ask: (z: ZoneState) => Promise<T>): Promise<Tried<T>> {
    const s = await Promise.allSettled(reps.map((r) => ask(r)));
    const out: Tried<T> = { answers: [], errors: [] };
    s.forEach((x, i) =>
      x.status === 'fulfilled'
        ? out.answers.push({ zone: reps[i]!, result: x.value })
        : out.errors.push({ zone: reps[i]!, err: x.reason }),
    );
    return out;
  }

  /**
   * One replica, preferred first; the next when it fails, or — hedged — when it has not answered
   * within half the deadline, so a replica that hangs still leaves the other time to answer. The
   * first answer wins; the others' are dropped.
   */
  private askOne<T>(
    reps: ZoneState[],
    ask: (z: ZoneState) => Promise<T>,
    timeoutMs: number,
  ): Promise<Tried<T>> {
    const out: Tried<T> = { answers: [], errors: [] };
    return new Promise((resolve) => {
      let next = 0;
      let pending = 0;
      let done = false;
      let hedge: NodeJS.Timeout | undefined;
      const finish = (): void => {
        done = true;
        clearTimeout(hedge);
        resolve(out);
      };
      const launch = (): void => {
        if (done || next >= reps.length) return;
        const r = reps[next++]!;
        pending++;
        clearTimeout(hedge);
        if (next < reps.length) hedge = setTimeout(launch, Math.max(1, timeoutMs / 2));
        ask(r).then(
          (v) => {
            pending--;
            if (done) return;
            out.answers.push({ zone: r, result: v });
            finish();
          },
          (err) => {
            pending--;
            if (done) return;
            out.errors.push({ zone: r, err });
            // a query error is the query's, not the replica's: no point asking another
            if (
              (isCanopyError(err) && (QUERY_ERRORS.has(err.code) || err.code === 'canceled')) ||
              next >= reps.length
            ) {
              if (pending === 0) finish();
              return;
            }
            launch();
          },
        );
      };
      launch();
    });
  }
}

interface Tried<T> {
  answers: ZoneAnswer<T>[];
  errors: { zone: ZoneState; err: unknown }[];
}

/** Why a zone (every replica of it) was not asked: no recent heartbeat. */
function downMessage(reps: ZoneState[]): string {
  const z = reps[0]!;
  const why = (r: ZoneState): string =>
    r.lastHeartbeatMs === 0
      ? 'has not sent a heartbeat'
      : `has sent no heartbeat for ${Math.round((Date.now() - r.lastHeartbeatMs) / 1000)} s`;
  if (reps.length === 1) return `${zoneName(z)} (region ${z.region || '?'}) is down: it ${why(z)}`;
  return `zone ${z.zone} (region ${z.region || '?'}) is down: ${reps.map((r) => `replica ${r.replica} ${why(r)}`).join(', ')}`;
}
