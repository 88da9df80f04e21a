// Public surface of leaf/cardinality.
export { CardinalityGuard, type CardinalityGuardOptions } from './guard.ts';
