// Segment and checkpoint files of a WAL directory (layout: docs/format/wal.md).
//   <dir>/00000001, 00000002, …        segments, 8 decimal digits, ascending, append-only
//   <dir>/checkpoint.00000007/00000000 the checkpoint covering segments <= 7 (same record format)
//   <dir>/checkpoint.00000007.tmp/     a checkpoint being written; removed on open
import { open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RecordScanner, ScanStatus } from './record.ts';

const SEGMENT_RE = /^\d{8}$/;
const CHECKPOINT_RE = /^checkpoint\.(\d{8})$/;
const CHECKPOINT_TMP_RE = /^checkpoint\.\d{8}\.tmp$/;

export function segmentName(index: number): string {
  return String(index).padStart(8, '0');
}

export function checkpointName(index: number): string {
  return `checkpoint.${segmentName(index)}`;
}

export interface DirListing {
  /** Segment indexes, ascending. */
  segments: number[];
  /** Checkpoint indexes, ascending. */
  checkpoints: number[];
  /** Names of unfinished checkpoint directories. */
  tmp: string[];
}

export async function listDir(dir: string): Promise<DirListing> {
  const out: DirListing = { segments: [], checkpoints: [], tmp: [] };
  for (const name of await readdir(dir)) {
    let m: RegExpExecArray | null;
    if (SEGMENT_RE.test(name)) out.segments.push(Number(name));
    else if ((m = CHECKPOINT_RE.exec(name))) out.checkpoints.push(Number(m[1]));
    else if (CHECKPOINT_TMP_RE.test(name)) out.tmp.push(name);
  }
  out.segments.sort((a, b) => a - b);
  out.checkpoints.sort((a, b) => a - b);
  return out;
}

/** Files of a checkpoint directory, in replay order. */
export async function checkpointFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => SEGMENT_RE.test(n)).sort();
  return names.map((n) => join(dir, n));
}

/** fsyncs a directory so creations, renames and deletions in it are durable. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function removePath(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

export async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}

export interface ValidPrefix {
  /** Bytes of complete, CRC-valid records from the start. */
  validBytes: number;
  records: number;
  status: ScanStatus;
  detail: string;
}

/** Scans a segment image and reports where its valid prefix ends. */
export function validPrefix(buf: Buffer): ValidPrefix {
  const sc = new RecordScanner(buf);
  let records = 0;
  let st: ScanStatus;
  while ((st = sc.next()) === ScanStatus.Record) records++;
  return { validBytes: sc.offset, records, status: st, detail: sc.detail };
}
