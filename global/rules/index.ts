// Public surface of the root's global rule evaluation.
export { GlobalRules, type GlobalRulesOptions, type GlobalZone } from './global-rules.ts';
export {
  RuleOutput,
  newRuleOutputMetrics,
  encodeRuleOutput,
  type RuleOutputMetrics,
  type RuleOutputSample,
  type RuleOutputDropReason,
} from './rule-output.ts';
