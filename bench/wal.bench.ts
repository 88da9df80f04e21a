// WAL throughput: samples/s and MB/s written under fsync 'none' and 'batch' (8 concurrent
// committers, 1000-sample batches), then replay rate. Run: npm run bench:wal
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wal, type FsyncPolicy } from '../zone/wal/index.ts';

const SERIES = 10_000;
const BATCH = 1000;
const WRITERS = 8;
const DURATION_MS = Number(process.env.BENCH_MS ?? 2000);

async function writePhase(
  dir: string,
  fsync: FsyncPolicy,
): Promise<{ samples: number; bytes: number; fsyncs: number; ms: number; commits: number }> {
  const wal = await Wal.open({ dir, fsync, segmentSizeBytes: 64 * 1024 * 1024 });
  for (let r = 0; r < SERIES; r++)
    wal.logSeries(r, [
      { name: '__name__', value: 'bench_metric' },
      { name: 'instance', value: `host-${r}` },
    ]);
  await wal.commit();
  const refs = new Uint32Array(BATCH),
    ts = new Float64Array(BATCH),
    vs = new Float64Array(BATCH);
  let samples = 0,
    commits = 0;
  const t0 = performance.now();
  const deadline = t0 + DURATION_MS;
  let tMs = 1_700_000_000_000;
  const writer = async (): Promise<void> => {
    let cursor = 0;
    while (performance.now() < deadline) {
      for (let i = 0; i < BATCH; i++) {
        refs[i] = (cursor + i) % SERIES;
        ts[i] = tMs;
        vs[i] = Math.random() * 100;
      }
      cursor += BATCH;
      tMs += 10;
      wal.logSamples(refs, ts, vs, BATCH);
      samples += BATCH;
      commits++;
      await wal.commit();
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  const ms = performance.now() - t0;
  const out = { samples, bytes: wal.stats.bytesWritten, fsyncs: wal.stats.fsyncs, ms, commits };
  await wal.close();
  return out;
}

async function main(): Promise<void> {
  for (const fsync of ['none', 'batch'] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'canopy-wal-bench-'));
    try {
      const w = await writePhase(dir, fsync);
      const s = w.ms / 1000;
      console.log(
        `write fsync=${fsync}: ${(w.samples / s / 1e6).toFixed(2)} M samples/s, ${(w.bytes / s / 1e6).toFixed(1)} MB/s, ` +
          `${(w.bytes / w.samples).toFixed(1)} B/sample, ${w.commits} commits, ${w.fsyncs} fsyncs`,
      );
      const wal = await Wal.open({ dir, fsync: 'none' });
      let n = 0;
      const st = await wal.replay({
        series: () => {},
        samples: (_r, _t, _v, k) => void (n += k),
        distribution: () => {},
      });
      const rs = st.durationMs / 1000;
      console.log(
        `replay: ${(st.samples / rs / 1e6).toFixed(2)} M samples/s, ${(st.records / rs / 1e3).toFixed(0)} k records/s, ${(w.bytes / rs / 1e6).toFixed(0)} MB/s (${n} samples, ${st.segments} files)`,
      );
      await wal.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

await main();
