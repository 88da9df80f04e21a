// Receiver integrations and their payloads:
//   webhook   — Alertmanager webhook JSON, version "4" (docs: configuration/#webhook_config)
//   slack     — an incoming-webhook message with one attachment (title, text, color)
//   pagerduty — PagerDuty Events API v2 (trigger / resolve, dedup_key from the group key)
// Each integration is one POST per notification; retries live in the aggregation group.
import { createHash } from 'node:crypto';
import type { IntegrationConfig } from './config.ts';
import { postJson } from './delivery.ts';
import { Template } from '../../shared/rulefmt/index.ts';
import {
  alertmanagerData,
  defaultText,
  defaultTitle,
  NAMED_TEMPLATES,
  templateData,
  type AlertmanagerData,
  type Notification,
  type TemplateData,
} from './notification.ts';

export interface Integration {
  /** "webhook[0]": kind and index within the receiver, as Alertmanager names them. */
  readonly name: string;
  readonly kind: IntegrationConfig['kind'];
  readonly sendResolved: boolean;
  notify(n: Notification): Promise<void>;
}

const TIMEOUT_MS = 10_000;

export function webhookPayload(n: Notification, maxAlerts: number): Record<string, unknown> {
  const d = templateData(n);
  const truncated = maxAlerts > 0 && d.alerts.length > maxAlerts ? d.alerts.length - maxAlerts : 0;
  return {
    version: '4',
    groupKey: n.groupKey,
    truncatedAlerts: truncated,
    status: d.status,
    receiver: d.receiver,
    groupLabels: d.groupLabels,
    commonLabels: d.commonLabels,
    commonAnnotations: d.commonAnnotations,
    externalURL: d.externalURL,
    alerts: truncated ? d.alerts.slice(0, maxAlerts) : d.alerts,
  };
}

function counts(d: TemplateData): { firing: number; resolved: number } {
  const firing = d.alerts.filter((a) => a.status === 'firing').length;
  return { firing, resolved: d.alerts.length - firing };
}

/** Renders a configured notifier template; empty config or empty output → the default. */
function renderOr(text: string, data: AlertmanagerData, def: string): string {
  if (!text) return def;
  const out = new Template(text, 'notifier template', NAMED_TEMPLATES).render(data).trim();
  return out || def;
}

export function slackPayload(
  n: Notification,
  cfg: Extract<IntegrationConfig, { kind: 'slack' }>,
): Record<string, unknown> {
  const d = templateData(n);
  const am = alertmanagerData(n);
  const title = renderOr(cfg.title, am, defaultTitle(am));
  const text = renderOr(cfg.text, am, defaultText(am));
  return {
    ...(cfg.channel ? { channel: cfg.channel } : {}),
    username: cfg.username,
    text: '',
    attachments: [
      {
        title,
        title_link: d.externalURL,
        text,
        fallback: title,
        color: d.status === 'firing' ? 'danger' : 'good',
        mrkdwn_in: ['fallback', 'pretext', 'text'],
      },
    ],
  };
}

export function pagerdutyPayload(
  n: Notification,
  cfg: Extract<IntegrationConfig, { kind: 'pagerduty' }>,
): Record<string, unknown> {
  const d = templateData(n);
  const c = counts(d);
  const am = alertmanagerData(n);
  const summary = renderOr(cfg.description, am, defaultTitle(am)).slice(0, 1024);
  return {
    routing_key: cfg.routingKey,
    event_action: d.status === 'firing' ? 'trigger' : 'resolve',
    dedup_key: createHash('sha256').update(n.groupKey).digest('hex'),
    client: cfg.client,
    ...(cfg.clientURL || d.externalURL ? { client_url: cfg.clientURL || d.externalURL } : {}),
    ...(d.status === 'firing'
      ? {
          payload: {
            summary,
            source: cfg.client,
            severity: ['critical', 'error', 'warning', 'info'].includes(cfg.severity)
              ? cfg.severity
              : 'error',
            custom_details: {
              firing: d.alerts.filter((a) => a.status === 'firing').map((a) => a.labels),
              resolved: d.alerts.filter((a) => a.status === 'resolved').map((a) => a.labels),
              num_firing: String(c.firing),
              num_resolved: String(c.resolved),
            },
          },
        }
      : {}),
  };
}

export function buildIntegrations(cfgs: readonly IntegrationConfig[]): Integration[] {
  const idx: Record<string, number> = {};
  return cfgs.map((c) => {
    const i = (idx[c.kind] = (idx[c.kind] ?? -1) + 1);
    const base = { name: `${c.kind}[${i}]`, kind: c.kind, sendResolved: c.sendResolved };
    switch (c.kind) {
      case 'webhook':
        return {
          ...base,
          notify: (n: Notification) => postJson(c.url, webhookPayload(n, c.maxAlerts), TIMEOUT_MS),
        };
      case 'slack':
        return { ...base, notify: (n: Notification) => postJson(c.url, slackPayload(n, c), TIMEOUT_MS) };
      case 'pagerduty':
        return { ...base, notify: (n: Notification) => postJson(c.url, pagerdutyPayload(n, c), TIMEOUT_MS) };
    }
  });
}
