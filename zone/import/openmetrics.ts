// Backfill from an OpenMetrics text file into zone blocks, with the semantics of Prometheus 2.42's
// `promtool tsdb create-blocks-from openmetrics`:
// - every sample needs a timestamp (seconds); the file must end with "# EOF";
// - samples are cut into blocks of the block duration (2 h, or the largest 2h×3^k ≤
//   --max-block-duration), aligned to multiples of it; a block per range that holds data;
// - the input need not be sorted across blocks, but within one block a series' samples must
//   come in time order: an earlier timestamp is an "out of order sample" error, the same timestamp
//   with another value a "duplicate sample for timestamp" error (the same value is ignored) —
//   what Prometheus's per-block head appender does. Any error aborts before a block is written.
// - `_created` series are skipped (shared/exposition.ts), as Prometheus's scrape does.
//
// Unlike promtool (which re-reads the file once per block), the file is read once and the
// samples are held in memory (16 bytes per sample plus the series' labels), then each block is
// written with the zone's BlockWriter (chunks of 120 samples, as the head cuts them). Blocks go
// to <data-dir>/blocks, where a zone started on that directory loads them (and merges them with
// its compactor, as it merges any overlapping or adjacent blocks).
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { compareLabels, formatLabels, labelsKey, type Labels } from '../../shared/labels.ts';
import { CanopyError } from '../../shared/errors.ts';
import { parseExposition, type MetricMetadata } from '../../shared/exposition.ts';
import { ArrayCursor } from '../tsdb/cursors.ts';
import { rechunk } from '../tsdb/compact.ts';
import { BlockWriter, type BlockMeta } from '../tsdb/block-writer.ts';
import { Block } from '../tsdb/block-reader.ts';
import { TSDB_DEFAULTS } from '../tsdb-defaults.ts';

export const DEFAULT_BLOCK_DURATION_MS = TSDB_DEFAULTS.blockRangeMs;
const OM_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0';
const PIECE_BYTES = 16 << 20;
const SAMPLES_PER_CHUNK = TSDB_DEFAULTS.samplesPerChunk;

/** Prometheus's getCompatibleBlockDuration: the largest of 2h×3^k (k < 10) not above max; 2 h at least. */
export function compatibleBlockDuration(maxMs: number): number {
  if (!(maxMs > DEFAULT_BLOCK_DURATION_MS)) return DEFAULT_BLOCK_DURATION_MS;
  let d = DEFAULT_BLOCK_DURATION_MS;
  for (let k = 1; k < 10 && d * 3 <= maxMs; k++) d *= 3;
  return d;
}

/** One series' samples in file order (growable). */
class SeriesSamples {
  ts = new Float64Array(64);
  vs = new Float64Array(64);
  n = 0;
  constructor(readonly labels: Labels) {}
  push(t: number, v: number): void {
    if (this.n === this.ts.length) {
      const ts = new Float64Array(this.n * 2),
        vs = new Float64Array(this.n * 2);
      ts.set(this.ts);
      vs.set(this.vs);
      this.ts = ts;
      this.vs = vs;
    }
    this.ts[this.n] = t;
    this.vs[this.n++] = v;
  }
}

export interface ImportedBlock {
  meta: BlockMeta;
  sizeBytes: number;
}

export interface OpenMetricsImportResult {
  blocks: ImportedBlock[];
  series: number;
  samples: number;
  /** Samples repeating a series' previous timestamp and value within a block (ignored, as Prometheus does). */
  duplicatesIgnored: number;
}

function sameValue(a: number, b: number): boolean {
  return a === b ? a !== 0 || 1 / a === 1 / b : Number.isNaN(a) && Number.isNaN(b);
}

/** Reads and parses the whole file; errors are CanopyError('bad_data') naming the line. */
function readSeries(file: string): Map<string, SeriesSamples> {
  const series = new Map<string, SeriesSamples>();
  const byText = new Map<string, Labels>();
  const metadata = new Map<string, MetricMetadata>();
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new CanopyError('config_invalid', `cannot open ${file}: ${(e as Error).message}`);
  }
  try {
    let carry = Buffer.alloc(0);
    const buf = Buffer.allocUnsafe(PIECE_BYTES);
    let lines = 0;
    let eof = false;
    for (;;) {
      const got = readSync(fd, buf, 0, PIECE_BYTES, null);
      const data = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, got)]) : buf.subarray(0, got);
      const last = got === 0 ? data.length : data.lastIndexOf(10) + 1;
      const piece = data.subarray(0, last).toString('utf8');
      carry = Buffer.from(data.subarray(last));
      if (piece.length > 0) {
        if (eof && piece.length > 0)
          throw new CanopyError('bad_data', `${file}: line ${lines + 1}: unexpected content after "# EOF"`);
        const r = parseExposition(piece, OM_CONTENT_TYPE, NaN, {
          seriesCache: byText,
          metadata,
          linesBefore: lines,
          more: true,
        });
        if (r.errors.length > 0) throw new CanopyError('bad_data', `${file}: ${r.errors[0]}`);
        lines = r.lines;
        eof ||= r.eof;
        for (const s of r.samples) {
          if (Number.isNaN(s.tMs))
            throw new CanopyError(
              'bad_data',
              `${file}: expected timestamp for series ${formatLabels(s.labels)}, got none`,
            );
          const key = labelsKey(s.labels);
          let ss = series.get(key);
          if (!ss) series.set(key, (ss = new SeriesSamples(s.labels)));
          ss.push(s.tMs, s.value);
        }
      }
      if (got === 0) break;
      // the series cache is keyed by series text; keep it from growing without bound
      if (byText.size > 1_000_000) byText.clear();
    }
    if (!eof) throw new CanopyError('bad_data', `${file}: line ${lines}: data does not end with "# EOF"`);
  } finally {
    closeSync(fd);
  }
  return series;
}

/**
 * Orders one series' samples by (block, file order) and checks each block's run is strictly
 * increasing in time; drops repeated (timestamp, value) pairs. Returns the count dropped.
 */
function orderWithinBlocks(s: SeriesSamples, blockMs: number): number {
  const { ts, vs, n } = s;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = ts[i]! >= ts[i - 1]!;
  if (!sorted) {
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((a, b) => Math.floor(ts[a]! / blockMs) - Math.floor(ts[b]! / blockMs) || a - b); // stable by file order
    const nt = new Float64Array(n),
      nv = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      nt[i] = ts[idx[i]!]!;
      nv[i] = vs[idx[i]!]!;
    }
    s.ts = nt;
    s.vs = nv;
  }
  let out = 0;
  for (let i = 0; i < n; i++) {
    const t = s.ts[i]!,
      v = s.vs[i]!;
    if (out > 0 && Math.floor(s.ts[out - 1]! / blockMs) === Math.floor(t / blockMs)) {
      const pt = s.ts[out - 1]!;
      if (t < pt)
        throw new CanopyError(
          'bad_data',
          `out of order sample for series ${formatLabels(s.labels)}: timestamp ${t} after ${pt} (samples of one series must be in time order within a block)`,
        );
      if (t === pt) {
        if (!sameValue(v, s.vs[out - 1]!))
          throw new CanopyError(
            'bad_data',
            `duplicate sample for timestamp ${t} with another value for series ${formatLabels(s.labels)}`,
          );
        continue;
      }
    }
    s.ts[out] = t;
    s.vs[out++] = v;
  }
  const dropped = n - out;
  s.n = out;
  return dropped;
}

export interface OpenMetricsImportOptions {
  file: string;
  /** The zone's data directory; blocks are written to <dataDir>/blocks. */
  dataDir: string;
  /** Default 2 h; see compatibleBlockDuration. */
  maxBlockDurationMs?: number;
  /** Called after each block is written (for progress output). */
  onBlock?: (b: ImportedBlock) => void;
}

export function importOpenMetrics(o: OpenMetricsImportOptions): OpenMetricsImportResult {
  const blockMs = compatibleBlockDuration(o.maxBlockDurationMs ?? DEFAULT_BLOCK_DURATION_MS);
  const series = [...readSeries(o.file).values()];
  let duplicatesIgnored = 0,
    samples = 0;
  const windows = new Set<number>();
  for (const s of series) {
    duplicatesIgnored += orderWithinBlocks(s, blockMs);
    samples += s.n;
    let w = NaN;
    for (let i = 0; i < s.n; i++) {
      const wi = Math.floor(s.ts[i]! / blockMs);
      if (wi !== w) windows.add((w = wi));
    }
  }
  series.sort((a, b) => compareLabels(a.labels, b.labels));
  const blocksDir = join(o.dataDir, 'blocks');
  const blocks: ImportedBlock[] = [];
  // per series, the index of its first sample in the window being written (windows ascend)
  const pos = new Int32Array(series.length);
  for (const w of [...windows].sort((a, b) => a - b)) {
    const mint = w * blockMs,
      maxt = mint + blockMs;
    const bw = new BlockWriter(blocksDir, mint, maxt, 1);
    try {
      for (let k = 0; k < series.length; k++) {
        const s = series[k]!;
        let i = pos[k]!;
        while (i < s.n && s.ts[i]! < mint) i++;
        let j = i;
        while (j < s.n && s.ts[j]! < maxt) j++;
        pos[k] = j;
        if (j === i) continue;
        bw.addSeries(
          s.labels,
          rechunk(new ArrayCursor(s.ts.subarray(i, j), s.vs.subarray(i, j), j - i), SAMPLES_PER_CHUNK),
        );
      }
      const meta = bw.finish();
      const b: ImportedBlock = { meta, sizeBytes: blockSize(join(blocksDir, meta.ulid)) };
      blocks.push(b);
      o.onBlock?.(b);
    } catch (e) {
      bw.abort();
      throw e;
    }
  }
  return { blocks, series: series.length, samples, duplicatesIgnored };
}

/** Bytes of a written block directory. */
export function blockSize(dir: string): number {
  const b = Block.open(dir);
  try {
    return b.sizeBytes;
  } finally {
    b.close();
  }
}
