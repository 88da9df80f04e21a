// Prometheus staleness markers: a float sample whose value has the exact bit pattern
// 0x7ff0000000000002 (a NaN payload distinct from the ordinary NaN 0x7ff8000000000001) says
// "this series ended here". Written for series that vanish from a scrape, for every series of
// a target that goes away or fails, and for StatsD series that expire. Compare bits, never ==.
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE ? 1 : 0;
const LO = LITTLE ? 0 : 1;

u32[HI] = 0x7ff00000;
u32[LO] = 0x00000002;
/** The staleness marker value. */
export const STALE_NAN: number = f64[0]!;

export function isStaleNaN(v: number): boolean {
  f64[0] = v;
  return u32[HI] === 0x7ff00000 && u32[LO] === 0x00000002;
}
