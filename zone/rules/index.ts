// Public surface of zone-local rule evaluation.
export { RuleSet } from './rule-set.ts';
export { RuleGroup, engineRuleQuery, type RuleGroupDeps, type Rule } from '../../shared/rules/index.ts';
export {
  AlertingRule,
  RESOLVED_RETENTION_MS,
  type RuleAlert,
  type OutgoingAlert,
  type AlertState,
} from '../../shared/rulefmt/index.ts';
export { RecordingRule } from '../../shared/rulefmt/index.ts';
export { AlertStateStore } from './alert-state-store.ts';
export {
  newRuleMetrics,
  newRuleMetricFamilies,
  ruleMetricsFor,
  type RuleMetrics,
  type RuleMetricFamilies,
} from './rule-metrics.ts';
export { Alerting, MAX_API_TENANTS, type AlertingOptions } from './alerting.ts';
export { TenantAlerting, tenantStateDb, type TenantAlertingSpec } from './tenant-alerting.ts';
export { parseTenantAlertingConfig, type TenantAlertingConfig } from './tenant-alerting-config.ts';
