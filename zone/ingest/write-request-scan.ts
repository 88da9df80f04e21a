// WriteRequest scan: one pass over a decoded (snappy-uncompressed) Prometheus remote-write 1.0
// WriteRequest into flat, transferable columns, for the decode workers (decode-pool.ts).
// The main thread then resolves each series' label bytes through the LabelSetCache (one
// cache lookup per series, no varint walking and no per-sample work: see
// WriteRequestReader.adopt).
//
// Columns (all typed arrays, their buffers transferred back to the main thread):
//   series i has its label fields in labels[labelStart[i], labelStart[i+1]) as protobuf
//   (each field re-encoded as 0x0a <uvarint len> <Label bytes>, wire order: a run that was
//   contiguous on the wire is copied unchanged, so the cache key equals the inline reader's),
//   hash[i] = hashBytes over that run, histograms[i] = its native histogram count, samples
//   [sampleStart[i], sampleStart[i+1]) in tsMs/values (a timestamp that is not a safe integer
//   is NaN). Label strings are not decoded here: the main thread decodes (and checks for
//   UTF-8) only the runs its cache misses, as the inline reader does; bias[i] maps their
//   offsets back to the body. utf8Errors lists [series index, message] for the rare series
//   whose label fields were not contiguous on the wire (checked here instead).
// Errors reproduce the inline reader's (write-request-reader.ts) checks in its order, so a
// bad body gets the same 400: `counted` says whether the sample count (countSamples) passed;
// `error` is the first malformation ("cannot decode WriteRequest protobuf: … at byte N").
//
// The function is self-contained (no imports, no module-level references) because the pool
// runs its source text in the workers: hashBytes and isUtf8 are passed in.

export interface ScannedWriteRequest {
  /** Samples + histograms (countSamples); -1 when the count walk failed (then error is set). */
  counted: number;
  /** The first malformation, '' when none. */
  error: string;
  seriesCount: number;
  sampleCount: number;
  hash: Uint32Array<ArrayBuffer>;
  labelStart: Uint32Array<ArrayBuffer>;
  labels: Uint8Array<ArrayBuffer>;
  sampleStart: Uint32Array<ArrayBuffer>;
  histograms: Uint32Array<ArrayBuffer>;
  /**
   * Body offset minus run offset of series i's label run when its label fields were contiguous
   * on the wire (UTF-8 errors found on the main thread then name body offsets); NaN when they
   * were not ("odd": moved or re-encoded), and then UTF-8 was checked here (utf8Errors).
   */
  bias: Float64Array<ArrayBuffer>;
  tsMs: Float64Array<ArrayBuffer>;
  values: Float64Array<ArrayBuffer>;
  utf8Errors: [number, string][];
}

export function scanWriteRequest(buf: Uint8Array, hashBytes: (b: Uint8Array, a: number, e: number) => number, isUtf8: (b: Uint8Array) => boolean): ScannedWriteRequest {
  const TWO_POW_32 = 4294967296;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`cannot decode WriteRequest protobuf: ${what} at byte ${pos}`);
  };
  const varint32 = (): number => {
    let v = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (pos >= buf.length) fail('truncated varint');
      const x = buf[pos++]!;
      v += (x & 0x7f) * 2 ** shift;
      if (x < 0x80) return v > 0xffffffff ? fail('varint exceeds 32 bits') : v;
    }
    return fail('varint longer than 5 bytes');
  };
  const varint64 = (end: number): number => {
    let lo = 0, hi = 0, x = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) fail('truncated varint');
      x = buf[pos++]!;
      lo |= (x & 0x7f) << shift;
      if (x < 0x80) return lo >>> 0;
    }
    if (pos >= end) fail('truncated varint');
    x = buf[pos++]!;
    lo |= (x & 0x0f) << 28;
    hi = (x & 0x7f) >> 4;
    if (x < 0x80) return hi * TWO_POW_32 + (lo >>> 0);
    for (let shift = 3; shift < 38; shift += 7) {
      if (pos >= end) fail('truncated varint');
      x = buf[pos++]!;
      hi |= (x & 0x7f) << shift;
      if (x < 0x80) return (hi | 0) * TWO_POW_32 + (lo >>> 0);
    }
    return fail('varint longer than 10 bytes');
  };
  const length = (end: number): number => {
    const len = varint32();
    if (len > end - pos) fail(`length ${len} past the end of its message`);
    return len;
  };
  const skip = (wt: number, end: number): void => {
    if (wt === 0) varint64(end);
    else if (wt === 1) {
      if (end - pos < 8) fail('truncated fixed64');
      pos += 8;
    } else if (wt === 2) {
      const len = length(end);
      pos += len;
    } else if (wt === 5) {
      if (end - pos < 4) fail('truncated fixed32');
      pos += 4;
    } else fail(`unsupported wire type ${wt}`);
  };

  const out: ScannedWriteRequest = {
    counted: -1, error: '', seriesCount: 0, sampleCount: 0,
    hash: new Uint32Array(0), labelStart: new Uint32Array(0), labels: new Uint8Array(0),
    sampleStart: new Uint32Array(0), histograms: new Uint32Array(0), bias: new Float64Array(0),
    tsMs: new Float64Array(0), values: new Float64Array(0), utf8Errors: [],
  };

  // Pass 1: the count walk (as WriteRequestReader.countSamples), which also sizes the columns.
  let counted = 0, nSeries = 0;
  try {
    const end = buf.length;
    while (pos < end) {
      const key = varint32();
      if (key !== 0x0a) {
        skip(key & 7, end);
        continue;
      }
      const len = length(end);
      const tsEnd = pos + len;
      nSeries++;
      while (pos < tsEnd) {
        const k = varint32();
        if (k === 0x12 || k === 0x22) counted++;
        skip(k & 7, tsEnd);
      }
      if (pos !== tsEnd) fail('TimeSeries overruns its length');
    }
  } catch (e) {
    out.error = (e as Error).message;
    return out;
  }
  out.counted = counted;

  // Pass 2: the decode (as WriteRequestReader.decode), into columns sized by pass 1.
  const hash = new Uint32Array(nSeries), labelStart = new Uint32Array(nSeries + 1);
  const sampleStart = new Uint32Array(nSeries + 1), histograms = new Uint32Array(nSeries);
  const bias = new Float64Array(nSeries);
  let tsMs = new Float64Array(counted), values = new Float64Array(counted);
  // Label fields re-encoded need at most their wire size plus 5 bytes per field (a varint
  // length longer than the original's); a contiguous run copied needs exactly its size.
  let labels = new Uint8Array(Math.max(64, buf.length));
  let lp = 0, s = 0, m = 0;
  const room = (n: number): void => {
    if (lp + n <= labels.length) return;
    const next = new Uint8Array(Math.max(labels.length * 2, lp + n));
    next.set(labels.subarray(0, lp));
    labels = next;
  };
  /** Walks the Label message [a, end) and checks its strings for UTF-8 (odd series only, see below); true at the first bad one. */
  const labelUtf8 = (a: number, end: number, series: number): boolean => {
    pos = a;
    while (pos < end) {
      const key = varint32();
      const field = key >>> 3, wt = key & 7;
      if ((field === 1 || field === 2) && wt === 2) {
        const len = length(end);
        for (let k = pos; k < pos + len; k++) {
          if (buf[k]! >= 0x80) {
            if (series >= 0 && !isUtf8(buf.subarray(pos, pos + len))) {
              out.utf8Errors.push([series, `label bytes at offset ${pos} are not valid UTF-8`]);
              return true;
            }
            break;
          }
        }
        pos += len;
      } else skip(wt, end);
    }
    if (pos !== end) fail('Label overruns its length');
    return false;
  };
  const copyBytes = (a: number, b: number): void => {
    room(b - a);
    labels.set(buf.subarray(a, b), lp);
    lp += b - a;
  };
  /** Copies Label message bytes [a, b) as one label field. */
  const copyField = (a: number, b: number): void => {
    let n = b - a;
    room(n + 6);
    labels[lp++] = 0x0a;
    while (n >= 0x80) {
      labels[lp++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    labels[lp++] = n;
    labels.set(buf.subarray(a, b), lp);
    lp += b - a;
  };
  const sample = (end: number): void => {
    let v = 0, t = 0;
    while (pos < end) {
      const key = varint32();
      if (key === 0x09) {
        if (end - pos < 8) fail('truncated double');
        v = view.getFloat64(pos, true);
        pos += 8;
      } else if (key === 0x10) t = varint64(end);
      else skip(key & 7, end);
    }
    if (pos !== end) fail('Sample overruns its length');
    if (m >= tsMs.length) {
      // Only when pass 1 miscounted, which a valid walk cannot; kept for safety.
      const t2 = new Float64Array(m * 2 + 16), v2 = new Float64Array(m * 2 + 16);
      t2.set(tsMs);
      v2.set(values);
      tsMs = t2;
      values = v2;
    }
    tsMs[m] = Number.isSafeInteger(t) ? t : NaN;
    values[m++] = v;
  };
  // Label field payload bounds of the current series, for the UTF-8 check of an odd series.
  const fieldBounds: number[] = [];
  const timeSeries = (end: number): void => {
    const i = s++;
    sampleStart[i] = m;
    labelStart[i] = lp;
    let nFields = 0, firstLabel = -1, lastLabelEnd = -1, odd = false;
    while (pos < end) {
      const keyPos = pos;
      const key = varint32();
      const field = key >>> 3, wt = key & 7;
      if (field === 2 && wt === 2) {
        const len = length(end);
        sample(pos + len);
      } else if (field === 1 && wt === 2) {
        const len = length(end);
        const a = pos;
        // The Label's own fields are walked only for an odd series (below); a contiguous run
        // is walked by the main thread when it decodes it (a cache miss), as inline.
        pos += len;
        fieldBounds[2 * nFields] = a;
        fieldBounds[2 * nFields++ + 1] = pos;
        if (!odd && (firstLabel < 0 || keyPos === lastLabelEnd) && buf[keyPos] === 0x0a) {
          // Extends the run of one-byte-key label fields, copied whole at the end: it is the
          // inline reader's cache key.
          if (firstLabel < 0) firstLabel = keyPos;
          lastLabelEnd = pos;
        } else {
          if (!odd && firstLabel >= 0) copyBytes(firstLabel, lastLabelEnd);
          odd = true;
          copyField(a, pos);
        }
      } else if (field === 4 && wt === 2) {
        histograms[i]!++;
        const len = length(end);
        pos += len;
      } else skip(wt, end);
    }
    if (pos !== end) fail('TimeSeries overruns its length');
    if (!odd && firstLabel >= 0) copyBytes(firstLabel, lastLabelEnd);
    hash[i] = hashBytes(labels, labelStart[i]!, lp);
    // Contiguous on the wire: the main thread checks UTF-8 when it decodes the run (a cache
    // miss) and reports body offsets through bias. Odd: the labels were moved, so the check
    // (with body offsets) happens here, as the inline reader would do it.
    if (!odd) bias[i] = firstLabel < 0 ? 0 : firstLabel - labelStart[i]!;
    else {
      bias[i] = NaN;
      let bad = false;
      for (let k = 0; k < nFields; k++) {
        if (!bad) bad = labelUtf8(fieldBounds[2 * k]!, fieldBounds[2 * k + 1]!, i);
        else labelUtf8(fieldBounds[2 * k]!, fieldBounds[2 * k + 1]!, -1);
      }
      pos = end;
    }
  };
  pos = 0;
  try {
    const end = buf.length;
    while (pos < end) {
      const key = varint32();
      const field = key >>> 3, wt = key & 7;
      if (field === 1 && wt === 2) {
        const len = length(end);
        timeSeries(pos + len);
      } else skip(wt, end);
    }
  } catch (e) {
    out.error = (e as Error).message;
    return out;
  }
  labelStart[s] = lp;
  sampleStart[s] = m;
  out.seriesCount = s;
  out.sampleCount = m;
  out.hash = hash;
  out.labelStart = labelStart;
  out.labels = labels.subarray(0, lp);
  out.sampleStart = sampleStart;
  out.histograms = histograms;
  out.bias = bias;
  out.tsMs = tsMs.subarray(0, m);
  out.values = values.subarray(0, m);
  return out;
}
