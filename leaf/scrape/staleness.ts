// Prometheus staleness markers: a float sample whose value is the NaN 0x7ff0000000000002 says
// "this series ended here". The leaf writes them for series that vanish from a scrape, for
// every series of a target that goes away or fails, and for StatsD series that expire.
// One definition for all tiers lives in shared/promql/types.ts; its isStaleNaN also accepts the
// quiet-bit form 0x7ff8000000000002 that V8 produces when a marker is stored in a double array
// (e.g. protobuf `repeated double` fields). Compare with isStaleNaN, never with ==.
export { STALE_NAN, isStaleNaN } from '../../shared/promql/index.ts';
