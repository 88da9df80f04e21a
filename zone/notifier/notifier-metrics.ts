// Self-metrics of the notifier (names follow Alertmanager's alertmanager_* families). The
// families are registered once per zone with a `tenant` label (zone/tenant-metrics.ts): every
// tenant has its own notifier, counting through a view bound to its id.
import { Counter, type Registry } from 'prom-client';
import { ANONYMOUS_TENANT } from '../../shared/tenant.ts';
import {
  counterFor,
  plainCounterFor,
  type TenantCounter,
  type TenantPlainCounter,
} from '../tenant-metrics.ts';

type RI = 'receiver' | 'integration';

export interface NotifierMetricFamilies {
  alertsReceived: Counter<'status' | 'tenant'>;
  notifications: Counter<RI | 'tenant'>;
  notificationsFailed: Counter<RI | 'tenant'>;
  requests: Counter<RI | 'tenant'>;
  requestsFailed: Counter<RI | 'tenant'>;
  forwarded: Counter<'alertmanager' | 'tenant'>;
  forwardErrors: Counter<'alertmanager' | 'tenant'>;
  forwardDropped: Counter<'tenant'>;
}

/** One tenant's view of the families. */
export interface NotifierMetrics {
  alertsReceived: TenantCounter<'status'>;
  notifications: TenantCounter<RI>;
  notificationsFailed: TenantCounter<RI>;
  requests: TenantCounter<RI>;
  requestsFailed: TenantCounter<RI>;
  forwarded: TenantCounter<'alertmanager'>;
  forwardErrors: TenantCounter<'alertmanager'>;
  forwardDropped: TenantPlainCounter;
}

export function newNotifierMetricFamilies(registry?: Registry): NotifierMetricFamilies {
  const registers = registry ? [registry] : [];
  const ri = ['receiver', 'integration', 'tenant'] as const;
  return {
    alertsReceived: new Counter({
      name: 'canopy_notifier_alerts_received_total',
      help: 'Alerts received by the notifier, by status.',
      labelNames: ['status', 'tenant'],
      registers,
    }),
    notifications: new Counter({
      name: 'canopy_notifier_notifications_total',
      help: 'Notifications attempted (after deduplication).',
      labelNames: ri,
      registers,
    }),
    notificationsFailed: new Counter({
      name: 'canopy_notifier_notifications_failed_total',
      help: 'Notifications that failed after all retries.',
      labelNames: ri,
      registers,
    }),
    requests: new Counter({
      name: 'canopy_notifier_notification_requests_total',
      help: 'Delivery attempts (each retry counts).',
      labelNames: ri,
      registers,
    }),
    requestsFailed: new Counter({
      name: 'canopy_notifier_notification_requests_failed_total',
      help: 'Delivery attempts that failed (each retry counts).',
      labelNames: ri,
      registers,
    }),
    forwarded: new Counter({
      name: 'canopy_notifier_forwarded_alerts_total',
      help: 'Alerts forwarded to an external Alertmanager.',
      labelNames: ['alertmanager', 'tenant'],
      registers,
    }),
    forwardErrors: new Counter({
      name: 'canopy_notifier_forward_errors_total',
      help: 'Failed batches to an external Alertmanager (after retries).',
      labelNames: ['alertmanager', 'tenant'],
      registers,
    }),
    forwardDropped: new Counter({
      name: 'canopy_notifier_forward_dropped_total',
      help: 'Alerts dropped because the forwarding queue was full.',
      labelNames: ['tenant'],
      registers,
    }),
  };
}

export function notifierMetricsFor(f: NotifierMetricFamilies, tenant: string): NotifierMetrics {
  return {
    alertsReceived: counterFor(f.alertsReceived, tenant),
    notifications: counterFor(f.notifications, tenant),
    notificationsFailed: counterFor(f.notificationsFailed, tenant),
    requests: counterFor(f.requests, tenant),
    requestsFailed: counterFor(f.requestsFailed, tenant),
    forwarded: counterFor(f.forwarded, tenant),
    forwardErrors: counterFor(f.forwardErrors, tenant),
    forwardDropped: plainCounterFor(f.forwardDropped, tenant),
  };
}

/** Families and a view for tenant anonymous in one step (a zone with one tenant, tests). */
export function newNotifierMetrics(registry?: Registry): NotifierMetrics {
  return notifierMetricsFor(newNotifierMetricFamilies(registry), ANONYMOUS_TENANT);
}
