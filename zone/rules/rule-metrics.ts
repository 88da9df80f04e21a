// Self-metrics of rule evaluation (names follow Prometheus's prometheus_rule_* family).
import { Counter, Gauge, type Registry } from 'prom-client';

export interface RuleMetrics {
  evaluations: Counter<'rule_group'>;
  failures: Counter<'rule_group'>;
  missed: Counter<'rule_group'>;
  lastDuration: Gauge<'rule_group'>;
  samplesRejected: Counter<'rule_group'>;
}

export function newRuleMetrics(registry?: Registry): RuleMetrics {
  const registers = registry ? [registry] : [];
  return {
    evaluations: new Counter({
      name: 'canopy_rule_evaluations_total',
      help: 'Rule evaluations.',
      labelNames: ['rule_group'],
      registers,
    }),
    failures: new Counter({
      name: 'canopy_rule_evaluation_failures_total',
      help: 'Rule evaluations that failed.',
      labelNames: ['rule_group'],
      registers,
    }),
    missed: new Counter({
      name: 'canopy_rule_group_iterations_missed_total',
      help: 'Group ticks skipped because an evaluation overran.',
      labelNames: ['rule_group'],
      registers,
    }),
    lastDuration: new Gauge({
      name: 'canopy_rule_group_last_duration_seconds',
      help: 'Duration of the last group evaluation.',
      labelNames: ['rule_group'],
      registers,
    }),
    samplesRejected: new Counter({
      name: 'canopy_rule_samples_rejected_total',
      help: 'Rule result samples the TSDB rejected (out of order, limits).',
      labelNames: ['rule_group'],
      registers,
    }),
  };
}
