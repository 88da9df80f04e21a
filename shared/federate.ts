// GET /federate (Prometheus web/federate.go): for every series matching any match[] selector,
// its latest sample within the lookback window (5 min) before now, as the text exposition
// format 0.0.4 — one "# TYPE <name> untyped" family per metric name, sorted by name, each
// sample with its timestamp. Stale markers and series without a name are left out. External
// labels are attached where a series lacks them (honor_labels semantics for the scraper), after
// the series' own labels, plus instance="" when no instance is set, so a scraper with
// honor_labels: true does not attach its target's instance. No match[] → an empty answer, as
// Prometheus. A bad selector is a 400 with the parser's text; a read error a 500 (plain text).
import { tenantFromHeaders } from './tenant.ts';
import { CanopyError, errorMessage, isCanopyError } from './errors.ts';
import type { HttpHandler, HttpResponse } from './http/index.ts';
import { compareLabels, labelsKey, METRIC_NAME, type Labels } from './labels.ts';
import { formatGoFloatV, isStaleNaN, parseMetricSelector } from './promql/index.ts';
import { plainTextError, SampleBudget, type RawSelect } from './remote-read/index.ts';
import type { Matcher } from './matchers.ts';

export const FEDERATE_LOOKBACK_MS = 5 * 60_000;

export interface FederateOptions {
  /** Labels attached to series that lack them (the zone's; none at the root). */
  externalLabels: Readonly<Record<string, string>>;
  /** Samples read per request, over the whole lookback window. */
  maxSamples: number;
  now?: () => number;
}

interface Latest {
  labels: Labels;
  t: number;
  v: number;
}

export function federateHandler(select: RawSelect, opts: FederateOptions): HttpHandler {
  const ext = new Map(Object.entries(opts.externalLabels).filter(([, v]) => v !== ''));
  if (!ext.has('instance')) ext.set('instance', '');
  const extNames = [...ext.keys()].sort();
  const now = opts.now ?? Date.now;
  return async (req): Promise<HttpResponse> => {
    try {
      let sets: Matcher[][];
      try {
        sets = req.params.getAll('match[]').map(parseMetricSelector);
      } catch (e) {
        throw new CanopyError('bad_data', errorMessage(e), { cause: e });
      }
      const tenant = tenantFromHeaders(req.headers);
      const maxt = now();
      const mint = maxt - FEDERATE_LOOKBACK_MS;
      const budget = new SampleBudget(opts.maxSamples);
      const latest = new Map<string, Latest>();
      for (const ms of sets) {
        for (const s of await select(ms, mint, maxt, budget, req.signal, tenant)) {
          const k = labelsKey(s.labels);
          const p = s.points.at(-1);
          if (latest.has(k) || !p || p.d !== undefined || isStaleNaN(p.f)) continue;
          latest.set(k, { labels: s.labels, t: p.t, v: p.f });
        }
      }
      return {
        status: 200,
        headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
        body: exposition([...latest.values()], ext, extNames),
      };
    } catch (e) {
      return plainTextError(
        isCanopyError(e, 'bad_data') || isCanopyError(e, 'parse_error') || isCanopyError(e, 'limit_exceeded')
          ? 400
          : 500,
        e,
      );
    }
  };
}

function exposition(
  samples: Latest[],
  ext: ReadonlyMap<string, string>,
  extNames: readonly string[],
): string {
  const name = (s: Latest): string => s.labels.find((l) => l.name === METRIC_NAME)?.value ?? '';
  const named = samples
    .filter((s) => name(s) !== '')
    .sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : compareLabels(a.labels, b.labels)));
  let out = '';
  let family = '';
  for (const s of named) {
    const n = name(s);
    if (n !== family) {
      out += `# TYPE ${n} untyped\n`;
      family = n;
    }
    // A label equal to the external one is taken as attached (the zone's querier merged it in)
    // and printed after the series' own labels, as Prometheus appends what a series lacks.
    const pairs: string[] = [];
    const used = new Set<string>();
    for (const l of s.labels) {
      if (l.name === METRIC_NAME || l.value === '' || ext.get(l.name) === l.value) continue;
      pairs.push(`${l.name}="${escapeValue(l.value)}"`);
      used.add(l.name);
    }
    for (const ln of extNames) if (!used.has(ln)) pairs.push(`${ln}="${escapeValue(ext.get(ln)!)}"`);
    out += `${n}{${pairs.join(',')}} ${formatGoFloatV(s.v)} ${s.t}\n`;
  }
  return out;
}

function escapeValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
