// meta.json of a block in the bucket (docs/format/bucket.md): the local block meta
// (docs/format/block.md) plus a Thanos-like "thanos" section naming the zone and region (as
// external labels), the resolution and the files with their sizes. Uploaded last: a block
// whose meta.json exists in the bucket is complete.
import { blockResolution, type BlockMeta } from '../tsdb/index.ts';

export interface BucketBlockFile {
  rel_path: string;
  size_bytes: number;
}

export interface BucketBlockMeta extends BlockMeta {
  thanos: {
    /** The uploading zone's identity: { zone, region } (its external labels). */
    labels: Record<string, string>;
    /** Resolution of the samples, ms: 0 raw, 300000 5m rollups, 3600000 1h rollups. */
    downsample: { resolution: number };
    /** Who wrote the block. */
    source: string;
    /** Every file of the block but meta.json, with its size. */
    files: BucketBlockFile[];
  };
}

export const ULID_RE = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Creation time encoded in a ULID's first 10 characters, ms. */
export function ulidTimeMs(ulid: string): number {
  let t = 0;
  for (let i = 0; i < 10; i++) t = t * 32 + CROCKFORD.indexOf(ulid[i]!);
  return t;
}

export function bucketMeta(
  local: BlockMeta,
  labels: Record<string, string>,
  files: BucketBlockFile[],
): BucketBlockMeta {
  const resolution = blockResolution(local);
  const prev = (local as Partial<BucketBlockMeta>).thanos;
  return {
    ...local,
    thanos: { ...prev, labels, downsample: { resolution }, source: prev?.source ?? 'canopy-zone', files },
  };
}

/** Parses a bucket meta.json; null when it is not one Canopy can read (logged by the caller). */
export function parseBucketMeta(raw: Buffer): BucketBlockMeta | null {
  let m: BucketBlockMeta;
  try {
    m = JSON.parse(raw.toString('utf8')) as BucketBlockMeta;
  } catch {
    return null;
  }
  if (
    typeof m !== 'object' ||
    m === null ||
    typeof m.ulid !== 'string' ||
    !Number.isFinite(m.minTime) ||
    !Number.isFinite(m.maxTime)
  )
    return null;
  if (typeof m.thanos !== 'object' || m.thanos === null || !Array.isArray(m.thanos.files)) return null;
  if (!Array.isArray(m.compaction?.sources)) return null;
  return m;
}

/** True when a block's meta.json labels are exactly `labels` (the block belongs to this zone). */
export function sameLabels(meta: BlockMeta, labels: Readonly<Record<string, string>>): boolean {
  const l = (meta as Partial<BucketBlockMeta>).thanos?.labels ?? {};
  const keys = Object.keys(labels);
  return keys.length === Object.keys(l).length && keys.every((k) => l[k] === labels[k]);
}
