// Public surface of the PromQL engine.
export { parseExpr, parseMetricSelector } from './parser.ts';
export { formatExpr } from './format.ts';
export { typeOf } from './typecheck.ts';
export { Engine, type EngineOptions, type QueryOptions } from './engine.ts';
export { STALE_NAN, isStaleNaN } from './types.ts';
export { formatDurationMs, parseDurationMs } from './duration.ts';
export type * from './ast.ts';
