// Public surface of the root's planner: pushdown as composable syntax-tree rewrites.
export { Analysis, WHOLE_VECTOR_FUNCS, type Facts } from './analysis.ts';
export {
  FragmentSet,
  isPlaceholderName,
  placeholder,
  PLACEHOLDER_PREFIX,
  type Fragment,
  type FragmentGrid,
  type MergeStep,
} from './fragment.ts';
export {
  placeholdersIn,
  planQuery,
  rawSelectors,
  selectorText,
  type Plan,
  type PlanMode,
  type PlanTime,
} from './planner.ts';
export { canMatch, canMatchAny, type HintsView } from './prune.ts';
export { worthPushing } from './worth.ts';
export { ILL_CONDITIONED, orderMayMatter, OVERFLOW_RISK, varianceIllConditioned } from './exact-order.ts';
