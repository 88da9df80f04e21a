// Field hints over the bus in chunks (docs/format/hints.md). One hint update (a SNAPSHOT,
// DELTA or KEEPALIVE of a zone's ZoneHints stream) is split into ZoneHints messages numbered
// chunk_index = 0, 1, …, the last with last=true, each within the bus's max payload: metric
// names and label summaries are packed greedily by encoded size. Every chunk repeats the
// update's identity (zone, incarnation, seq, kind); counts, flags and external labels ride in
// chunk 0. The zone keeps every listed string short (zone/hints.ts caps them), so one item
// always fits a chunk. Packing is the shared one of chunk.ts; HintChunks joins the chunks of one
// zone's updates in order (its own rule: a lost chunk breaks the update).
import { pb, type IZoneHints } from '../../proto/index.ts';
import { CanopyError } from '../errors.ts';
import { chunkBudget, packChunks } from './chunk.ts';

type LabelSummary = NonNullable<IZoneHints['labels']>[number];

/** Protobuf bytes of a string field: tag, length varint, UTF-8 bytes (upper bound). */
function stringBytes(s: string): number {
  return Buffer.byteLength(s, 'utf8') + 6;
}

function summaryBytes(l: LabelSummary): number {
  let n = stringBytes(l.name ?? '') + 16;
  for (const v of l.values ?? []) n += stringBytes(v);
  return n;
}

/** Encodes one hint update as one or more ZoneHints messages, each at most maxBytes. */
export function encodeHintChunks(h: IZoneHints, maxBytes: number): Uint8Array[] {
  const budget = chunkBudget(maxBytes);
  const whole = pb.ZoneHints.encode({ ...h, chunkIndex: 0, last: true }).finish();
  if (whole.length <= budget) return [whole];
  const ident: IZoneHints = {
    zone: h.zone,
    region: h.region,
    incarnation: h.incarnation,
    seq: h.seq,
    kind: h.kind,
    timestampMs: h.timestampMs,
    leaseMs: h.leaseMs,
  };
  const items: HintItem[] = (h.metricNames ?? []).map((v) => ({ v, bytes: stringBytes(v) }));
  for (const l of h.labels ?? []) {
    const b = summaryBytes(l);
    if (b <= budget) items.push({ v: l, bytes: b });
    else items.push(...splitSummary(l, budget));
  }
  const chunks = packChunks(items, (it) => it.bytes, budget);
  return chunks.map((batch, i) => {
    const head: IZoneHints = i === 0 ? { ...h } : { ...ident };
    const names: string[] = [];
    const labels: LabelSummary[] = [];
    for (const it of batch) {
      if (typeof it.v === 'string') names.push(it.v);
      else labels.push(it.v);
    }
    return pb.ZoneHints.encode({
      ...head,
      metricNames: names,
      labels,
      chunkIndex: i,
      last: i === chunks.length - 1,
    }).finish();
  });
}

/** A packable item of a hint update: a metric name or a label summary (or a piece of one), with its size. */
interface HintItem {
  v: string | LabelSummary;
  bytes: number;
}

/**
 * A label summary larger than the budget as pieces that each fit. A complete label's value
 * list is bounded by the zone's caps (64 values of 1 KiB), far below any budget; split it
 * anyway rather than emit an oversized message.
 */
function splitSummary(l: LabelSummary, budget: number): HintItem[] {
  const out: HintItem[] = [];
  const base = stringBytes(l.name ?? '') + 16;
  let part: string[] = [];
  let ps = base;
  for (const v of l.values ?? []) {
    if (ps + stringBytes(v) > budget && part.length > 0) {
      out.push({ v: { ...l, values: part }, bytes: ps });
      part = [];
      ps = base;
    }
    part.push(v);
    ps += stringBytes(v);
  }
  out.push({ v: { ...l, values: part }, bytes: ps });
  return out;
}

/**
 * Joins the chunks of hint updates from one publisher, which arrive in order. add() returns
 * the whole update once its last chunk arrived, undefined while one is incomplete, or
 * 'broken' when a chunk is missing (a chunk of another update, or an index out of order):
 * the partial update is then dropped and the caller must treat the stream as having a gap.
 */
export class HintChunks {
  private pending: IZoneHints | undefined;
  private next = 0;

  add(msg: IZoneHints): IZoneHints | undefined | 'broken' {
    const idx = msg.chunkIndex ?? 0;
    let broken = false;
    if (this.pending && (idx === 0 || !sameUpdate(this.pending, msg))) {
      this.pending = undefined;
      broken = true;
    }
    if (!this.pending) {
      if (idx !== 0) {
        this.next = 0;
        return 'broken';
      }
      if (msg.last) return broken ? 'broken' : msg;
      this.pending = { ...msg, metricNames: [...(msg.metricNames ?? [])], labels: [...(msg.labels ?? [])] };
      this.next = 1;
      return broken ? 'broken' : undefined;
    }
    if (idx !== this.next) {
      this.pending = undefined;
      return 'broken';
    }
    this.next++;
    for (const n of msg.metricNames ?? []) this.pending.metricNames!.push(n);
    for (const l of msg.labels ?? []) this.pending.labels!.push(l);
    if (!msg.last) return undefined;
    const done = this.pending;
    this.pending = undefined;
    done.last = true;
    return done;
  }
}

function sameUpdate(a: IZoneHints, b: IZoneHints): boolean {
  return (
    a.incarnation === b.incarnation &&
    Number(a.seq ?? 0) === Number(b.seq ?? 0) &&
    (a.kind ?? 0) === (b.kind ?? 0)
  );
}

/** Decodes one ZoneHints message; CanopyError('corrupt') when it is not one. */
export function decodeHints(bytes: Uint8Array): IZoneHints {
  try {
    return pb.ZoneHints.decode(bytes);
  } catch (e) {
    throw new CanopyError('corrupt', `cannot decode field hints: ${(e as Error).message}`);
  }
}
