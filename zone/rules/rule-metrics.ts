// Self-metrics of rule evaluation (names follow Prometheus's prometheus_rule_* family). The
// families are registered once per zone with a `tenant` label (zone/tenant-metrics.ts); each
// tenant's rule groups count through a view bound to its id.
import { Counter, Gauge, type Registry } from 'prom-client';
import { ANONYMOUS_TENANT } from '../../shared/tenant.ts';
import { counterFor, gaugeFor, type TenantCounter, type TenantGauge } from '../tenant-metrics.ts';

type L = 'rule_group' | 'tenant';

export interface RuleMetricFamilies {
  evaluations: Counter<L>;
  failures: Counter<L>;
  missed: Counter<L>;
  lastDuration: Gauge<L>;
  samplesRejected: Counter<L>;
}

/** One tenant's view of the families. */
export interface RuleMetrics {
  evaluations: TenantCounter<'rule_group'>;
  failures: TenantCounter<'rule_group'>;
  missed: TenantCounter<'rule_group'>;
  lastDuration: TenantGauge<'rule_group'>;
  samplesRejected: TenantCounter<'rule_group'>;
}

export function newRuleMetricFamilies(registry?: Registry): RuleMetricFamilies {
  const registers = registry ? [registry] : [];
  const labelNames = ['rule_group', 'tenant'] as const;
  return {
    evaluations: new Counter({
      name: 'canopy_rule_evaluations_total',
      help: 'Rule evaluations.',
      labelNames,
      registers,
    }),
    failures: new Counter({
      name: 'canopy_rule_evaluation_failures_total',
      help: 'Rule evaluations that failed.',
      labelNames,
      registers,
    }),
    missed: new Counter({
      name: 'canopy_rule_group_iterations_missed_total',
      help: 'Group ticks skipped because an evaluation overran.',
      labelNames,
      registers,
    }),
    lastDuration: new Gauge({
      name: 'canopy_rule_group_last_duration_seconds',
      help: 'Duration of the last group evaluation.',
      labelNames,
      registers,
    }),
    samplesRejected: new Counter({
      name: 'canopy_rule_samples_rejected_total',
      help: 'Rule result samples the TSDB rejected (out of order, limits).',
      labelNames,
      registers,
    }),
  };
}

export function ruleMetricsFor(f: RuleMetricFamilies, tenant: string): RuleMetrics {
  return {
    evaluations: counterFor(f.evaluations, tenant),
    failures: counterFor(f.failures, tenant),
    missed: counterFor(f.missed, tenant),
    lastDuration: gaugeFor(f.lastDuration, tenant),
    samplesRejected: counterFor(f.samplesRejected, tenant),
  };
}

/** Families and a view for tenant anonymous in one step (a zone with one tenant, tests). */
export function newRuleMetrics(registry?: Registry): RuleMetrics {
  return ruleMetricsFor(newRuleMetricFamilies(registry), ANONYMOUS_TENANT);
}
