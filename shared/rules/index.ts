// Public surface of rule-group evaluation, shared by the zone (its own groups, results into its
// TSDB) and the root ("global:" groups over the fan-out, results to the store zone).
export {
  RuleGroup,
  engineRuleQuery,
  type RuleGroupDeps,
  type RuleGroupMetrics,
  type RuleStateStore,
  type Rule,
} from './rule-group.ts';
export { ruleGroupsData, alertsData, type RuleGroupsDataOptions } from './rules-api.ts';
