// Retention: which whole blocks to delete. By time: blocks whose end is at least retentionMs
// behind the newest data. By size: keeping the newest blocks whose total size fits in
// retentionBytes (the head and WAL are not counted). 0 disables either rule.
import type { Block } from './block-reader.ts';

export function blocksBeyondRetention(
  blocks: readonly Block[],
  newestMs: number,
  retentionMs: number,
  retentionBytes: number,
): Block[] {
  const sorted = [...blocks].sort((a, b) => b.meta.maxTime - a.meta.maxTime);
  const out: Block[] = [];
  let total = 0;
  for (const b of sorted) {
    total += b.sizeBytes;
    const tooOld = retentionMs > 0 && b.meta.maxTime <= newestMs - retentionMs;
    const tooBig = retentionBytes > 0 && total > retentionBytes;
    if (tooOld || tooBig) out.push(b);
  }
  return out;
}
