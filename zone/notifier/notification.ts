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
  alerts: { status: 'firing' | 'resolved'; labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; endsAt: string; generatorURL: string; fingerprint: string }[];
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
