// StatsD names and DogStatsD tags → Prometheus metric names and labels (statsd_exporter style).
//   metric name: every char outside [a-zA-Z0-9_:] becomes '_' ("api.latency" → "api_latency",
//                "a-b/c" → "a_b_c"); a leading digit gets a '_' prefix; '' → invalid
//   tag "k:v"    → label k' = v, where k' is k with chars outside [a-zA-Z0-9_] mapped to '_'
//                  (leading digit → '_' prefix; names starting "__" are reserved → "tag" prefix)
//   tag "k"      → label k' = "true" (a bare tag still marks the series)
//   empty value  → dropped (empty means absent in Prometheus); duplicate keys: the last wins.
import { normalizeLabels, METRIC_NAME, type Label, type Labels } from '../../shared/labels.ts';

export function toPromMetricName(name: string): string {
  let out = name.replace(/[^a-zA-Z0-9_:]/g, '_');
  if (out === '') return '';
  const c = out.charCodeAt(0);
  if (c >= 48 && c <= 57) out = '_' + out;
  return out;
}

export function toPromLabelName(name: string): string {
  let out = name.replace(/[^a-zA-Z0-9_]/g, '_');
  if (out === '') return '';
  const c = out.charCodeAt(0);
  if (c >= 48 && c <= 57) out = '_' + out;
  if (out.startsWith('__')) out = 'tag' + out;
  return out;
}

/** Builds sorted Labels for a metric `promName` with the raw DogStatsD tag text. */
export function tagsToLabels(promName: string, rawTags: string): Labels {
  const ls: Label[] = [{ name: METRIC_NAME, value: promName }];
  if (rawTags !== '') {
    for (const t of rawTags.split(',')) {
      if (t === '') continue;
      const i = t.indexOf(':');
      const k = toPromLabelName(i < 0 ? t : t.slice(0, i));
      if (k === '') continue;
      ls.push({ name: k, value: i < 0 ? 'true' : t.slice(i + 1) });
    }
  }
  return normalizeLabels(ls);
}
