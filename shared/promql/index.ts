// Public surface of the PromQL engine.
export { parseExpr, parseMetricSelector } from './parser.ts';
export { formatExpr } from './format.ts';
export { typeOf } from './typecheck.ts';
export type * from './ast.ts';
