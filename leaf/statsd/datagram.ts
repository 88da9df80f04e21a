// StatsD / DogStatsD datagram parser.
//
// Format (one metric per line; a packet holds several lines separated by '\n'):
//   line   = name ":" values "|" type { "|" field }
//   values = value { ":" value }            -- DogStatsD ≥1.1 packs several values per line
//   type   = "c" | "g" | "ms" | "h" | "d" | "s"
//   field  = "@" rate                       -- sample rate, 0 < rate ≤ 1
//          | "#" tag { "," tag }             -- tag = key [":" value]
//          | "T" unix-seconds                -- DogStatsD ≥1.3 timestamp
//          | "c:" container-id | other       -- ignored, as the Datadog agent does
//   value  = decimal float; gauges: a leading '+' or '-' makes it a delta (etsy StatsD
//            semantics: "-5" subtracts 5; to set a negative gauge send 0 first); sets: any
//            string (one member, never split on ':')
// Events ("_e{…}") and service checks ("_sc|…") are not metrics: counted as `unsupported`.
//
// Hot path: the parser fills one reusable StatsdLine and calls handler.metric(line) per line;
// no object is allocated per metric (strings for name and tags are slices of the packet).
// Invalid lines call handler.invalid(reason, line) and parsing continues with the next line.
// Never throws on input.

export const enum StatsdType {
  Counter = 1,
  Gauge = 2,
  Timer = 3,
  Histogram = 4,
  Distribution = 5,
  Set = 6,
}

export type StatsdDropReason =
  'invalid_line' | 'invalid_value' | 'invalid_type' | 'invalid_sample_rate' | 'unsupported';

export const MAX_VALUES_PER_LINE = 256;

/** One parsed line; reused across calls — copy what you keep. */
export class StatsdLine {
  name = '';
  type: StatsdType = StatsdType.Counter;
  /** Type as written ("c", "ms", …): part of the series identity. */
  typeText = '';
  readonly values = new Float64Array(MAX_VALUES_PER_LINE);
  /** 1 where values[i] is a gauge delta (+x / -x). */
  readonly deltas = new Uint8Array(MAX_VALUES_PER_LINE);
  valueCount = 0;
  /** The member for sets. */
  setMember = '';
  sampleRate = 1;
  /** Raw tag text after '#', unsplit ('' when none). */
  tags = '';
  /** Timestamp from a "T" field in ms, or NaN. */
  tsMs = NaN;
}

export interface StatsdHandler {
  metric(line: StatsdLine): void;
  invalid(reason: StatsdDropReason, line: string): void;
}

const NUM_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function typeOf(t: string): StatsdType | 0 {
  switch (t) {
    case 'c':
      return StatsdType.Counter;
    case 'g':
      return StatsdType.Gauge;
    case 'ms':
      return StatsdType.Timer;
    case 'h':
      return StatsdType.Histogram;
    case 'd':
      return StatsdType.Distribution;
    case 's':
      return StatsdType.Set;
  }
  return 0;
}

/** Parses every line of a packet. Returns the number of metric lines delivered. */
export function parseDatagram(packet: string, out: StatsdLine, h: StatsdHandler): number {
  let delivered = 0;
  let pos = 0;
  const n = packet.length;
  while (pos < n) {
    let end = packet.indexOf('\n', pos);
    if (end < 0) end = n;
    let lineEnd = end;
    if (lineEnd > pos && packet.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    if (lineEnd > pos && parseLine(packet, pos, lineEnd, out, h)) delivered++;
    pos = end + 1;
  }
  return delivered;
}

function parseLine(p: string, start: number, end: number, out: StatsdLine, h: StatsdHandler): boolean {
  if (p.charCodeAt(start) === 95 /* _ */ && (p.startsWith('_e{', start) || p.startsWith('_sc|', start))) {
    h.invalid('unsupported', p.slice(start, end));
    return false;
  }
  const colon = p.indexOf(':', start);
  const pipe = p.indexOf('|', start);
  if (colon <= start || colon >= end || pipe < 0 || pipe >= end || pipe < colon) {
    h.invalid('invalid_line', p.slice(start, end));
    return false;
  }
  out.name = p.slice(start, colon);
  let tEnd = p.indexOf('|', pipe + 1);
  if (tEnd < 0 || tEnd > end) tEnd = end;
  const typeText = p.slice(pipe + 1, tEnd);
  const type = typeOf(typeText);
  if (type === 0) {
    h.invalid('invalid_type', p.slice(start, end));
    return false;
  }
  out.type = type;
  out.typeText = typeText;
  out.sampleRate = 1;
  out.tags = '';
  out.tsMs = NaN;
  // fields
  let f = tEnd;
  while (f < end) {
    let fEnd = p.indexOf('|', f + 1);
    if (fEnd < 0 || fEnd > end) fEnd = end;
    const c = p.charCodeAt(f + 1);
    if (c === 64 /* @ */) {
      const s = p.slice(f + 2, fEnd);
      const r = NUM_RE.test(s) ? Number(s) : NaN;
      if (!(r > 0 && r <= 1)) {
        h.invalid('invalid_sample_rate', p.slice(start, end));
        return false;
      }
      out.sampleRate = r;
    } else if (c === 35 /* # */) {
      out.tags = out.tags === '' ? p.slice(f + 2, fEnd) : out.tags + ',' + p.slice(f + 2, fEnd);
    } else if (c === 84 /* T */) {
      const s = p.slice(f + 2, fEnd);
      const t = NUM_RE.test(s) ? Number(s) : NaN;
      if (!Number.isFinite(t)) {
        h.invalid('invalid_value', p.slice(start, end));
        return false;
      }
      out.tsMs = Math.round(t * 1000);
    }
    f = fEnd;
  }
  // values
  if (type === StatsdType.Set) {
    out.setMember = p.slice(colon + 1, pipe);
    if (out.setMember === '') {
      h.invalid('invalid_value', p.slice(start, end));
      return false;
    }
    out.valueCount = 1;
    out.values[0] = NaN;
    h.metric(out);
    return true;
  }
  let count = 0;
  let v = colon + 1;
  while (v <= pipe) {
    let vEnd = p.indexOf(':', v);
    if (vEnd < 0 || vEnd > pipe) vEnd = pipe;
    const s = p.slice(v, vEnd);
    if (count === MAX_VALUES_PER_LINE || !NUM_RE.test(s)) {
      h.invalid('invalid_value', p.slice(start, end));
      return false;
    }
    const x = Number(s);
    if (!Number.isFinite(x)) {
      h.invalid('invalid_value', p.slice(start, end));
      return false;
    }
    const c0 = s.charCodeAt(0);
    out.deltas[count] = type === StatsdType.Gauge && (c0 === 43 || c0 === 45) ? 1 : 0;
    out.values[count++] = x;
    v = vEnd + 1;
  }
  out.valueCount = count;
  h.metric(out);
  return true;
}
