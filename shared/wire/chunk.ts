// What every chunked message over the bus shares (partial results, metadata answers, field
// hints): the byte budget of one chunk — 90 % of the bus's max payload less room for the
// message's fixed fields, never below 1 KiB.
export function chunkBudget(maxPayloadBytes: number): number {
  return Math.max(1024, Math.floor(maxPayloadBytes * 0.9) - 512);
}
