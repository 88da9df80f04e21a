// Public surface of rule-file parsing and rule templates (used by zones and the root).
export {
  parseRuleFile,
  loadRuleFile,
  loadRuleFiles,
  expandRuleFiles,
  GLOBAL_GROUP_PREFIX,
  type RuleSpec,
  type RuleGroupSpec,
} from './rule-file.ts';
export { Template, type TemplateData } from './template.ts';
export {
  formatValue,
  formatG,
  sprintf,
  humanize,
  humanize1024,
  humanizeDuration,
  humanizePercentage,
  humanizeTimestamp,
} from './go-format.ts';
export {
  AlertingRule,
  iso,
  RESOLVED_RETENTION_MS,
  type RuleAlert,
  type OutgoingAlert,
  type AlertState,
  type EvalSample,
} from './alerting-rule.ts';
export { RecordingRule } from './recording-rule.ts';
