// Notification: what one flush of an aggregation group hands to each receiver integration, and
// the data every payload format derives from it (Alertmanager's template.Data: status,
// groupLabels, commonLabels, commonAnnotations, externalURL, alerts).
import { iso, isResolved, type NotifierAlert } from './alert.ts';

export interface Notification {
  receiver: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  alerts: NotifierAlert[];
  externalURL: string;
  nowMs: number;
}

export interface TemplateData {
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: {
    status: 'firing' | 'resolved';
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt: string;
    generatorURL: string;
    fingerprint: string;
  }[];
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
}

function common(maps: readonly Record<string, string>[]): Record<string, string> {
  if (maps.length === 0) return {};
  const out: Record<string, string> = { ...maps[0] };
  for (const m of maps.slice(1)) for (const k of Object.keys(out)) if (m[k] !== out[k]) delete out[k];
  return out;
}

export function templateData(n: Notification): TemplateData {
  const alerts = n.alerts.map((a) => ({
    status: isResolved(a, n.nowMs) ? ('resolved' as const) : ('firing' as const),
    labels: a.labels,
    annotations: a.annotations,
    startsAt: iso(a.startsAtMs),
    endsAt: isResolved(a, n.nowMs) ? iso(a.endsAtMs) : '0001-01-01T00:00:00Z',
    generatorURL: a.generatorURL,
    fingerprint: a.fingerprint,
  }));
  return {
    receiver: n.receiver,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    alerts,
    groupLabels: n.groupLabels,
    commonLabels: common(n.alerts.map((a) => a.labels)),
    commonAnnotations: common(n.alerts.map((a) => a.annotations)),
    externalURL: n.externalURL,
  };
}

/** Alertmanager's template.Data, as notifier templates see it (`.Status`, `.Alerts.Firing`, …). */
export interface AlertmanagerData {
  Receiver: string;
  Status: string;
  Alerts: AmAlert[] & { Firing: AmAlert[]; Resolved: AmAlert[] };
  GroupLabels: Record<string, string>;
  CommonLabels: Record<string, string>;
  CommonAnnotations: Record<string, string>;
  ExternalURL: string;
  GroupKey: string;
}
interface AmAlert {
  Status: string;
  Labels: Record<string, string>;
  Annotations: Record<string, string>;
  StartsAt: string;
  EndsAt: string;
  GeneratorURL: string;
  Fingerprint: string;
}

export function alertmanagerData(n: Notification): AlertmanagerData {
  const d = templateData(n);
  const list = d.alerts.map((a) => ({
    Status: a.status,
    Labels: a.labels,
    Annotations: a.annotations,
    StartsAt: a.startsAt,
    EndsAt: a.endsAt,
    GeneratorURL: a.generatorURL,
    Fingerprint: a.fingerprint,
  }));
  const Alerts = Object.assign(list, {
    Firing: list.filter((a) => a.Status === 'firing'),
    Resolved: list.filter((a) => a.Status === 'resolved'),
  });
  return {
    Receiver: d.receiver,
    Status: d.status,
    Alerts,
    GroupLabels: d.groupLabels,
    CommonLabels: d.commonLabels,
    CommonAnnotations: d.commonAnnotations,
    ExternalURL: d.externalURL,
    GroupKey: n.groupKey,
  };
}

/** Alertmanager's default title: [FIRING:2] GroupLabelValues… */
export function defaultTitle(d: AlertmanagerData): string {
  const vals = Object.keys(d.GroupLabels)
    .sort()
    .map((k) => d.GroupLabels[k])
    .join(' ');
  return `[${d.Status.toUpperCase()}${d.Status === 'firing' ? `:${d.Alerts.Firing.length}` : ''}] ${vals}`.trim();
}

export function defaultText(d: AlertmanagerData): string {
  return d.Alerts.map(
    (a) =>
      `${a.Status === 'firing' ? '🔥' : '✅'} ${a.Annotations.summary ?? a.Labels.alertname ?? ''}${a.Annotations.description ? ` — ${a.Annotations.description}` : ''}`,
  ).join('\n');
}

/**
 * Alertmanager's built-in named templates that configs commonly call ({{ template "…" . }}).
 * Names from a config's own `templates:` files are not loaded: they render empty, and an
 * empty title/text falls back to the default.
 */
export const NAMED_TEMPLATES: Record<string, (dot: unknown) => string> = {
  __subject: (d) => defaultTitle(d as AlertmanagerData),
  __alertmanagerURL: (d) => (d as AlertmanagerData).ExternalURL,
  'slack.default.title': (d) => defaultTitle(d as AlertmanagerData),
  'slack.default.text': (d) => defaultText(d as AlertmanagerData),
  'slack.default.fallback': (d) =>
    `${defaultTitle(d as AlertmanagerData)} | ${(d as AlertmanagerData).ExternalURL}`,
  'slack.default.titlelink': (d) => (d as AlertmanagerData).ExternalURL,
  'slack.default.username': () => 'Canopy',
  'pagerduty.default.description': (d) => defaultTitle(d as AlertmanagerData),
  'pagerduty.default.client': () => 'Canopy',
  'pagerduty.default.clientURL': (d) => (d as AlertmanagerData).ExternalURL,
};
