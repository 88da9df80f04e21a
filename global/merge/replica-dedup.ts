// Deduplicating a zone's raw series across its replicas, where the root had to ask every replica
// of a zone (fanout.ts mergeReplicas: the preferred replica restarted within the query's window,
// so it may lack samples its leaves had not yet re-sent). Replicas carry the same external labels
// (no replica label exists, so none can leak into a result): series are matched by label set.
//
// Samples: the penalty algorithm of Thanos's dedup iterator (pkg/dedup), written from its
// description. Follow one replica; stay on it while its next sample comes within `penalty` of
// the last sample emitted; otherwise (it has a gap) switch to the replica whose next sample is
// earliest. penalty = 2 × the interval between the last two samples emitted (5 s before two are
// known). A sample at or before the last emitted timestamp is never emitted, so no timestamp
// appears twice. Canopy's replicas receive the same leaf batches, so their timestamps are
// identical and the result is exactly the union; for writers that send each replica its own
// samples (two Prometheus servers), the penalty keeps one replica's cadence instead of
// interleaving both.
import { labelsKey, type Labels } from '../../shared/labels.ts';
import type { MatrixSeries, Point } from '../../shared/value.ts';
import { matrixSeriesFromWire } from '../../shared/wire/index.ts';
import type { IPartialResult } from '../../proto/index.ts';
import { joinSeries } from '../fetched-queryable.ts';

/** Penalty before the first interval is known, ms (Thanos's initial penalty). */
export const INITIAL_PENALTY_MS = 5000;

/** One series per label set: replicas' copies of a series merged by mergeReplicaPoints. */
export function dedupReplicaSeries(perReplica: readonly (readonly MatrixSeries[])[]): MatrixSeries[] {
  if (perReplica.length === 1) return [...perReplica[0]!];
  const byKey = new Map<string, { labels: Labels; copies: Point[][] }>();
  for (const list of perReplica) {
    for (const s of list) {
      const k = labelsKey(s.labels);
      const e = byKey.get(k);
      if (e) e.copies.push(s.points);
      else byKey.set(k, { labels: s.labels, copies: [s.points] });
    }
  }
  const out: MatrixSeries[] = [];
  for (const e of byKey.values())
    out.push({
      labels: e.labels,
      points: e.copies.length === 1 ? e.copies[0]! : mergeReplicaPoints(e.copies),
    });
  return out;
}

/** Merges time-ordered copies of one series (one per replica) by the penalty rule above. */
export function mergeReplicaPoints(copies: readonly (readonly Point[])[]): Point[] {
  const idx = new Array<number>(copies.length).fill(0);
  const out: Point[] = [];
  let cur = -1;
  let lastT = -Infinity;
  let penalty = INITIAL_PENALTY_MS;
  for (;;) {
    let earliest = -1;
    for (let r = 0; r < copies.length; r++) {
      const c = copies[r]!;
      while (idx[r]! < c.length && c[idx[r]!]!.t <= lastT) idx[r]!++;
      if (idx[r]! < c.length && (earliest < 0 || c[idx[r]!]!.t < copies[earliest]![idx[earliest]!]!.t))
        earliest = r;
    }
    if (earliest < 0) return out;
    const stay = cur >= 0 && idx[cur]! < copies[cur]!.length && copies[cur]![idx[cur]!]!.t <= lastT + penalty;
    if (!stay) cur = earliest;
    const p = copies[cur]![idx[cur]!++]!;
    if (lastT !== -Infinity) penalty = Math.max(1, 2 * (p.t - lastT));
    out.push(p);
    lastT = p.t;
  }
}

/**
 * The raw series of a raw fetch's answers: each answer's pieces joined, and the answers of a
 * zone's several replicas (asked together) deduplicated.
 */
export function rawSeriesOfAnswers(
  answers: readonly { zone: { zone: string }; result: IPartialResult }[],
): MatrixSeries[] {
  const byZone = new Map<string, MatrixSeries[][]>();
  for (const a of answers) {
    const list = byZone.get(a.zone.zone) ?? [];
    list.push(joinSeries((a.result.series ?? []).map(matrixSeriesFromWire)));
    byZone.set(a.zone.zone, list);
  }
  const out: MatrixSeries[] = [];
  for (const lists of byZone.values()) for (const s of dedupReplicaSeries(lists)) out.push(s);
  return out;
}
