// The head's Appender: buffers a batch in typed arrays, and at commit() applies it to the head,
// logs new series and the accepted samples to the WAL (series records first), then resolves
// once the WAL commit resolves — the moment an ingest path may acknowledge. Samples are
// visible to queries from the apply step on (as in Prometheus); rejected samples are counted
// by reason and never fail the batch.
import type { Labels } from '../../shared/labels.ts';
import type { Distribution } from '../../shared/distribution.ts';
import type { AppendResult, Appender, DropReason } from '../../shared/storage.ts';
import type { Wal } from '../wal/index.ts';
import { AppendCode, type HeadSeries } from './head-series.ts';
import type { Head } from './head.ts';

const MAX_ERRORS = 8;

function labelsProblem(ls: Labels): DropReason | null {
  if (ls.length === 0) return 'empty_labels';
  for (let i = 0; i < ls.length; i++) {
    const l = ls[i]!;
    if (l.value === '' || l.name === '') return 'invalid_labels';
    if (i > 0) {
      const p = ls[i - 1]!.name;
      if (p === l.name) return 'duplicate_labels';
      if (p > l.name) return 'invalid_labels';
    }
  }
  return null;
}

function codeReason(c: AppendCode): DropReason {
  switch (c) {
    case AppendCode.OutOfOrder:
      return 'out_of_order';
    case AppendCode.OutOfBounds:
      return 'out_of_bounds';
    case AppendCode.Invalid:
      return 'invalid_value';
    default:
      return 'duplicate_sample';
  }
}

export class HeadAppender implements Appender {
  private labels: Labels[] = [];
  private ts = new Float64Array(64);
  private vs = new Float64Array(64);
  private n = 0;
  private dists: { labels: Labels; tMs: number; d: Distribution }[] = [];

  constructor(
    private readonly head: Head,
    private readonly wal: Wal | null,
    private readonly onCommitted: () => void,
  ) {}

  append(labels: Labels, tMs: number, value: number): void {
    if (this.n === this.ts.length) {
      const t = new Float64Array(this.n * 2),
        v = new Float64Array(this.n * 2);
      t.set(this.ts);
      v.set(this.vs);
      this.ts = t;
      this.vs = v;
    }
    this.labels.push(labels);
    this.ts[this.n] = tMs;
    this.vs[this.n++] = value;
  }

  appendDistribution(labels: Labels, tMs: number, d: Distribution): void {
    this.dists.push({ labels, tMs, d });
  }

  rollback(): void {
    this.labels = [];
    this.n = 0;
    this.dists = [];
  }

  async commit(): Promise<AppendResult> {
    const res: AppendResult = { accepted: 0, rejected: {}, errors: [] };
    const head = this.head,
      wal = this.wal;
    const n = this.n;
    const refs = new Uint32Array(n),
      ts = new Float64Array(n),
      vs = new Float64Array(n);
    let m = 0;
    let prevLabels: Labels | null = null;
    let s: HeadSeries | null = null;
    const reject = (reason: DropReason, ls: Labels, tMs: number): void => {
      res.rejected[reason] = (res.rejected[reason] ?? 0) + 1;
      if (res.errors.length < MAX_ERRORS)
        res.errors.push(`${reason}: sample at ${tMs} for ${JSON.stringify(ls)}`);
    };
    const seriesFor = (ls: Labels): HeadSeries | null => {
      if (ls === prevLabels) return s; // batches usually repeat the same Labels object
      prevLabels = ls;
      const bad = labelsProblem(ls);
      if (bad) return (s = null);
      const r = head.getOrCreate(ls);
      if (r.created && wal) wal.logSeries(r.series.ref, ls);
      return (s = r.series);
    };
    for (let i = 0; i < n; i++) {
      const ls = this.labels[i]!,
        tMs = this.ts[i]!,
        v = this.vs[i]!;
      const series = seriesFor(ls);
      if (!series) {
        reject(labelsProblem(ls) ?? 'invalid_labels', ls, tMs);
        continue;
      }
      const c = head.appendFloat(series, tMs, v);
      if (c === AppendCode.Ok) {
        refs[m] = series.ref;
        ts[m] = tMs;
        vs[m++] = v;
        res.accepted++;
      } else if (c === AppendCode.Ignored) res.accepted++;
      else reject(codeReason(c), ls, tMs);
    }
    if (wal && m > 0) wal.logSamples(refs, ts, vs, m);
    for (const { labels: ls, tMs, d } of this.dists) {
      const series = seriesFor(ls);
      if (!series) {
        reject(labelsProblem(ls) ?? 'invalid_labels', ls, tMs);
        continue;
      }
      const c = head.appendDistribution(series, tMs, d);
      if (c === AppendCode.Ok) {
        if (wal) wal.logDistribution(series.ref, tMs, d);
        res.accepted++;
      } else if (c === AppendCode.Ignored) res.accepted++;
      else reject(codeReason(c), ls, tMs);
    }
    this.rollback();
    if (wal) await wal.commit();
    this.onCommitted();
    return res;
  }
}
