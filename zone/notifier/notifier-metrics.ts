// Self-metrics of the notifier (names follow Alertmanager's alertmanager_* families).
import { Counter, type Registry } from 'prom-client';

export interface NotifierMetrics {
  alertsReceived: Counter<'status'>;
  notifications: Counter<'receiver' | 'integration'>;
  notificationsFailed: Counter<'receiver' | 'integration'>;
  requests: Counter<'receiver' | 'integration'>;
  requestsFailed: Counter<'receiver' | 'integration'>;
  forwarded: Counter<'alertmanager'>;
  forwardErrors: Counter<'alertmanager'>;
  forwardDropped: Counter;
}

export function newNotifierMetrics(registry?: Registry): NotifierMetrics {
  const registers = registry ? [registry] : [];
  const ri = ['receiver', 'integration'] as const;
  return {
    alertsReceived: new Counter({
      name: 'canopy_notifier_alerts_received_total',
      help: 'Alerts received by the notifier, by status.',
      labelNames: ['status'],
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
      labelNames: ['alertmanager'],
      registers,
    }),
    forwardErrors: new Counter({
      name: 'canopy_notifier_forward_errors_total',
      help: 'Failed batches to an external Alertmanager (after retries).',
      labelNames: ['alertmanager'],
      registers,
    }),
    forwardDropped: new Counter({
      name: 'canopy_notifier_forward_dropped_total',
      help: 'Alerts dropped because the forwarding queue was full.',
      registers,
    }),
  };
}
