// The samples of one series in [startMs, endMs] as points (distributions kept as such): the one
// read loop behind every raw select that materialises series — the root's raw fetches
// (zone/local-query.ts selectRaw), remote read and /federate (shared/remote-read/select.ts).
// `countSample` runs before each point is kept, so a caller's sample limit can throw before the
// series is materialised.
import { ValueKind, type Series } from './storage.ts';
import type { Point } from './value.ts';

export function seriesPoints(s: Series, startMs: number, endMs: number, countSample?: () => void): Point[] {
  const points: Point[] = [];
  const c = s.cursor();
  for (let kind = c.seek(startMs); kind !== ValueKind.None; kind = c.next()) {
    const t = c.atT();
    if (t > endMs) break;
    countSample?.();
    points.push(kind === ValueKind.Distribution ? { t, f: 0, d: c.atDistribution() } : { t, f: c.atF() });
  }
  if (c.err()) throw c.err();
  return points;
}
