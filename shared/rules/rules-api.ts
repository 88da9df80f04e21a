// The Prometheus /api/v1/rules and /api/v1/alerts data of rule groups, one rendering for the
// zone's groups and the root's global groups (field order and shapes as Prometheus's API).
import { labelsToRecord } from '../labels.ts';
import { AlertingRule, formatValue, iso, type RuleAlert } from '../rulefmt/index.ts';
import type { RuleGroup } from './rule-group.ts';

export interface RuleGroupsDataOptions {
  /** Rule type filter of GET /api/v1/rules: "alert" or "record"; absent: both. */
  type?: string;
  /** Added under each alert's own labels (a zone's external labels). */
  externalLabels?: Readonly<Record<string, string>>;
  /** Put before each group's file ("root:" for the root's global groups). */
  filePrefix?: string;
}

/** The `groups` list of GET /api/v1/rules. */
export function ruleGroupsData(groups: readonly RuleGroup[], o: RuleGroupsDataOptions = {}): unknown[] {
  const ext = o.externalLabels ?? {};
  return groups.map((g) => ({
    name: g.name,
    file: `${o.filePrefix ?? ''}${g.spec.file}`,
    interval: g.intervalMs / 1000,
    limit: g.spec.limit,
    evaluationTime: g.evalDurationMs / 1000,
    lastEvaluation: iso(g.lastEvalMs),
    rules: g.rules
      .filter((r) => !o.type || (o.type === 'alert' ? r.kind === 'alerting' : r.kind === 'recording'))
      .map((r) => {
        const common = {
          name: r.name,
          query: r.spec.expr,
          labels: r.spec.labels,
          health: r.health,
          ...(r.lastError ? { lastError: r.lastError } : {}),
          evaluationTime: r.evalDurationMs / 1000,
          lastEvaluation: iso(r.lastEvalMs),
        };
        if (!(r instanceof AlertingRule)) return { ...common, type: 'recording' };
        const alerts = [...r.active.values()].filter((a) => a.state !== 'inactive');
        const state = alerts.some((a) => a.state === 'firing')
          ? 'firing'
          : alerts.length > 0
            ? 'pending'
            : 'inactive';
        return {
          state,
          ...common,
          duration: r.spec.forMs / 1000,
          keepFiringFor: r.spec.keepFiringForMs / 1000,
          annotations: r.spec.annotations,
          alerts: alerts.map((a) => alertData(a, ext)),
          type: 'alerting',
        };
      }),
  }));
}

/** The `alerts` list of GET /api/v1/alerts: every pending or firing alert of the groups. */
export function alertsData(
  groups: readonly RuleGroup[],
  externalLabels: Readonly<Record<string, string>> = {},
): unknown[] {
  return groups.flatMap((g) =>
    g
      .alerts()
      .filter((x) => x.alert.state !== 'inactive')
      .map((x) => alertData(x.alert, externalLabels)),
  );
}

function alertData(a: RuleAlert, ext: Readonly<Record<string, string>>): Record<string, unknown> {
  return {
    labels: { ...ext, ...labelsToRecord(a.labels) },
    annotations: a.annotations,
    state: a.state,
    activeAt: iso(a.activeAtMs),
    ...(a.keepFiringSinceMs ? { keepFiringSince: iso(a.keepFiringSinceMs) } : {}),
    value: formatValue(a.value),
  };
}
