// Metric families shared by every tenant's alerting state (rules, notifier): prom-client
// registers a name once per registry, so each family is created once, with a `tenant` label,
// and each tenant gets a view bound to its id. The views keep prom-client's call shapes
// (`inc(labels, n)`, `set(labels, v)`), so code that counts does not know about tenants.
import type { Counter, Gauge } from 'prom-client';

export const TENANT_METRIC_LABEL = 'tenant';

/** A counter with the tenant label fixed. */
export interface TenantCounter<L extends string> {
  inc(labels: Partial<Record<L, string | number>>, value?: number): void;
}

/** A counter whose only label is the tenant. */
export interface TenantPlainCounter {
  inc(value?: number): void;
}

/** A gauge with the tenant label fixed. */
export interface TenantGauge<L extends string> {
  set(labels: Partial<Record<L, string | number>>, value: number): void;
}

export function counterFor<L extends string>(c: Counter<L | 'tenant'>, tenant: string): TenantCounter<L> {
  return {
    inc: (labels, value) =>
      c.inc({ ...labels, tenant } as Partial<Record<L | 'tenant', string | number>>, value ?? 1),
  };
}

export function plainCounterFor(c: Counter<'tenant'>, tenant: string): TenantPlainCounter {
  return { inc: (value) => c.inc({ tenant }, value ?? 1) };
}

export function gaugeFor<L extends string>(g: Gauge<L | 'tenant'>, tenant: string): TenantGauge<L> {
  return {
    set: (labels, value) =>
      g.set({ ...labels, tenant } as Partial<Record<L | 'tenant', string | number>>, value),
  };
}
