// Public surface of the PromQL engine.
export { parseExpr, parseMetricSelector } from './parser.ts';
export { formatExpr } from './format.ts';
export { typeOf } from './typecheck.ts';
export { Engine, queryTimeRange, type EngineOptions, type QueryOptions } from './engine.ts';
export { STALE_NAN, isStaleNaN } from './types.ts';
export { tooManySamples, tooManySeries, tooMuchMemory } from './context.ts';
export { formatDurationMs, parseDurationMs } from './duration.ts';
export { children, walkExpr } from './walk.ts';
export { FUNCTIONS, type FunctionSignature } from './functions/signatures.ts';
export { AGGREGATE_OPS, documentedType, isComparisonOp, isSetOp, unwrapParens } from './ast.ts';
export type * from './ast.ts';
